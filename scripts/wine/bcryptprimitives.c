/* ProcessPrng for wine versions without bcryptprimitives.dll (Debian 12's
 * wine 8.0). Rust's standard library on Windows takes its random seeds from
 * bcryptprimitives!ProcessPrng; real Windows 10 and later have it. This
 * stand-in is used only to run the Windows build under wine
 * (scripts/check-windows.sh) and is never shipped. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
