//! The one hex classifier of the log scan: which bytes are hex digits and
//! which glue a hex run to an identifier. The SIMD prefilter
//! (`hexscan`), its scalar twin and the code extractor (`hresult`) all use
//! these, so they cannot disagree on a byte. A leaf module.

/// ASCII `0`–`9`, `a`–`f`, `A`–`F` (and nothing else: not the control
/// bytes 0x10–0x19 that case folding by `| 0x20` would map onto digits).
#[inline]
pub(crate) fn is_hex(b: u8) -> bool {
    HEX[b as usize]
}

/// The value of a hex digit (`is_hex(b)` must hold).
#[inline]
pub(crate) fn hex_val(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => (b - b'0') as u32,
        _ => ((b | 0x20) - b'a' + 10) as u32,
    }
}

static HEX: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).is_ascii_hexdigit();
        i += 1;
    }
    t
};

/// Bytes that glue a hex run to an identifier before it.
#[inline]
pub(crate) fn glues_before(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'{' | b'\\' | b'/' | b'.')
}

/// True when the bytes after a run make it part of an identifier.
#[inline]
pub(crate) fn glued_after(rest: &[u8]) -> bool {
    match rest.first() {
        None => false,
        Some(&b) if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'}' | b'\\' | b'/') => {
            true
        }
        Some(b'.') => rest.get(1).is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ascii_hex_digits() {
        let hex: Vec<u8> = (0..=255u8).filter(|&b| is_hex(b)).collect();
        assert_eq!(hex, b"0123456789ABCDEFabcdef");
        assert_eq!(hex_val(b'F'), 15);
        assert_eq!(hex_val(b'a'), 10);
        assert_eq!(hex_val(b'7'), 7);
    }
}
