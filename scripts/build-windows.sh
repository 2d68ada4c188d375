#!/usr/bin/env bash
# Cross-compiles wutriage.exe (x86_64-pc-windows-gnu) on Debian 12 with what
# Debian itself ships, and optionally checks it under wine against the Linux
# build on the fixture hosts.
#
#   bash scripts/build-windows.sh            # build only
#   CHECK=1 bash scripts/build-windows.sh    # build, then compare under wine64
#
# What it uses (all from Debian bookworm + bookworm-security; see
# docs/release.md for why and what it costs):
#   apt-get install mingw-w64 rustc-web cargo-web rust-web-src   (+ wine64 for CHECK=1)
# - rustc-web / cargo-web: Debian's own Rust compiler (1.96 at the time of
#   writing), installed as /usr/bin/rustc and /usr/bin/cargo;
# - rust-web-src: the standard library's source for exactly that compiler,
#   linked from /usr/lib/rustlib/src/rust, from which cargo's build-std
#   compiles core/alloc/std for the Windows target (Debian ships no
#   prebuilt Windows std for rustc-web, and its libstd-rust-dev-windows is
#   for rustc 1.63, older than this crate's rust-version);
# - mingw-w64: the linker (x86_64-w64-mingw32-gcc) and the C runtime.
# build-std is a nightly cargo feature; RUSTC_BOOTSTRAP=1 enables it on this
# stable compiler. It is used for this build only.
#
# Output: target/windows-gnu/x86_64-pc-windows-gnu/release/wutriage.exe,
# and a stripped copy in target/dist/wutriage.exe. Environment: DEBIAN_CARGO (default
# /usr/bin/cargo), DEBIAN_RUSTC (default /usr/bin/rustc), CHECK (0/1).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo_bin=${DEBIAN_CARGO:-/usr/bin/cargo}
rustc_bin=${DEBIAN_RUSTC:-/usr/bin/rustc}
target=x86_64-pc-windows-gnu
linker=x86_64-w64-mingw32-gcc
target_dir=target/windows-gnu

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "build-windows: $1 not found; apt-get install $2" >&2
        exit 2
    fi
}
need "$cargo_bin" cargo-web
need "$rustc_bin" rustc-web
need "$linker" mingw-w64

sysroot=$("$rustc_bin" --print sysroot)
if [ ! -f "$sysroot/lib/rustlib/src/rust/library/Cargo.lock" ]; then
    echo "build-windows: no standard library source under $sysroot/lib/rustlib/src/rust; apt-get install rust-web-src" >&2
    exit 2
fi
echo "build-windows: $("$rustc_bin" --version), $("$cargo_bin" --version), $("$linker" --version | head -n 1)"

# Debian's cargo and rustc, not a rustup toolchain that may come first on PATH.
export RUSTC="$rustc_bin"
export RUSTDOC="${rustc_bin%rustc}rustdoc"
unset RUSTUP_TOOLCHAIN
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="$linker"
# The .exe needs no MinGW DLLs beside it: the C runtime is linked statically.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"

nice "$cargo_bin" build --release --locked \
    --target "$target" --target-dir "$target_dir" \
    -Z build-std=std,panic_unwind \
    --bin wutriage

# The release profile keeps line tables (debug = 1) for profiling; the
# shipped copy is stripped of them.
exe="$target_dir/$target/release/wutriage.exe"
out=target/dist/wutriage.exe
mkdir -p target/dist
x86_64-w64-mingw32-strip -o "$out" "$exe"
echo "build-windows: $(stat -c %s "$exe") bytes built, $(stat -c %s "$out") bytes stripped: $out"
echo "build-windows: imports $(x86_64-w64-mingw32-objdump -p "$out" | awk '/DLL Name/ {print tolower($3)}' | sort -u | tr '\n' ' ')"

if [ "${CHECK:-0}" = 1 ]; then
    bash scripts/check-windows.sh "$out"
fi
