//! Block-wide search for places where a code may stand: each `0x` followed
//! by a hex digit, and each run of exactly 8 hex digits. Runs over many lines
//! at once; on x86_64 it classifies 64 bytes per step with SSE2 (part of the
//! x86_64 baseline), elsewhere it uses a scalar skip search.

/// Fills `zero_x` with the positions of `0x` + hex digit and `runs` with the
/// starts of runs of exactly 8 hex digits, both sorted.
pub(crate) fn candidates(block: &[u8], zero_x: &mut Vec<usize>, runs: &mut Vec<usize>) {
    zero_x.clear();
    runs.clear();
    #[cfg(target_arch = "x86_64")]
    {
        simd::candidates(block, zero_x, runs);
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        scalar(block, zero_x, runs);
    }
}

use super::hexclass::{glued_after, glues_before, is_hex};

/// Checks a run of at least 8 hex digits ending at `end` (inclusive) and
/// records it when it is exactly 8 long and not glued to an identifier
/// (the same boundary rules as `hresult::extract`, so GUIDs drop out here).
#[inline]
fn check_run(block: &[u8], end: usize, runs: &mut Vec<usize>) {
    let start = end + 1 - 8;
    // Zero is never reported (`(00000000)` ends many lines).
    if &block[start..=end] == b"00000000" {
        return;
    }
    if (start == 0 || !glues_before(block[start - 1]) && !matches!(block[start - 1], b'x' | b'X'))
        && !glued_after(&block[end + 1..])
    {
        runs.push(start);
    }
}

#[inline]
fn check_x(block: &[u8], x: usize, zero_x: &mut Vec<usize>) {
    if x > 0
        && block[x - 1] == b'0'
        && (x < 2 || !glues_before(block[x - 2]))
        && block.get(x + 1).is_some_and(|&b| is_hex(b))
    {
        zero_x.push(x - 1);
    }
}

/// Portable version (also the reference in tests).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn scalar(block: &[u8], zero_x: &mut Vec<usize>, runs: &mut Vec<usize>) {
    for x in memchr::memchr2_iter(b'x', b'X', block) {
        check_x(block, x, zero_x);
    }
    let n = block.len();
    let mut i = 7;
    while i < n {
        if !is_hex(block[i]) {
            i += 8;
            continue;
        }
        let mut start = i;
        while start > 0 && is_hex(block[start - 1]) && i - start < 8 {
            start -= 1;
        }
        let mut end = i + 1;
        while end < n && is_hex(block[end]) {
            end += 1;
        }
        if end - start == 8 {
            check_run(block, end - 1, runs);
        }
        i = end + 8;
    }
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    use super::{check_run, check_x};

    /// Masks of hex digits and of `x`/`X` for 64 bytes: bit `i` set when
    /// `hexclass::is_hex(p[i])` (resp. `p[i]` is `x`/`X`); the proptests
    /// hold the two to the same answer on every byte.
    #[inline(always)]
    pub(super) fn masks(p: &[u8; 64]) -> (u64, u64) {
        let mut hex = 0u64;
        let mut xs = 0u64;
        // SAFETY: SSE2 is part of the x86_64 baseline; the loads read 16
        // bytes at offsets 0, 16, 32, 48 of a 64-byte array (unaligned load).
        unsafe {
            let case = _mm_set1_epi8(0x20);
            let d_lo = _mm_set1_epi8(b'0' as i8 - 1);
            let d_hi = _mm_set1_epi8(b'9' as i8 + 1);
            let a_lo = _mm_set1_epi8(b'a' as i8 - 1);
            let a_hi = _mm_set1_epi8(b'f' as i8 + 1);
            let x = _mm_set1_epi8(b'x' as i8);
            for k in 0..4 {
                let v = _mm_loadu_si128(p.as_ptr().add(16 * k) as *const __m128i);
                let l = _mm_or_si128(v, case);
                // Digits on the raw byte (folding case would turn the
                // control bytes 0x10–0x19 into digits), letters folded.
                let digit = _mm_and_si128(_mm_cmpgt_epi8(v, d_lo), _mm_cmpgt_epi8(d_hi, v));
                let alpha = _mm_and_si128(_mm_cmpgt_epi8(l, a_lo), _mm_cmpgt_epi8(a_hi, l));
                let h = _mm_movemask_epi8(_mm_or_si128(digit, alpha)) as u16 as u64;
                let xm = _mm_movemask_epi8(_mm_cmpeq_epi8(l, x)) as u16 as u64;
                hex |= h << (16 * k);
                xs |= xm << (16 * k);
            }
        }
        (hex, xs)
    }

    /// Masks of hex digits and of `x`/`X` for 64 bytes, with AVX2.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    unsafe fn masks_avx2(p: &[u8; 64]) -> (u64, u64) {
        let case = _mm256_set1_epi8(0x20);
        let d_lo = _mm256_set1_epi8(b'0' as i8 - 1);
        let d_hi = _mm256_set1_epi8(b'9' as i8 + 1);
        let a_lo = _mm256_set1_epi8(b'a' as i8 - 1);
        let a_hi = _mm256_set1_epi8(b'f' as i8 + 1);
        let x = _mm256_set1_epi8(b'x' as i8);
        let mut hex = 0u64;
        let mut xs = 0u64;
        for k in 0..2 {
            // SAFETY: 32 bytes at offset 0 or 32 of a 64-byte array.
            let v = unsafe { _mm256_loadu_si256(p.as_ptr().add(32 * k) as *const __m256i) };
            let l = _mm256_or_si256(v, case);
            // As in `masks`: digits on the raw byte, letters folded.
            let digit = _mm256_and_si256(_mm256_cmpgt_epi8(v, d_lo), _mm256_cmpgt_epi8(d_hi, v));
            let alpha = _mm256_and_si256(_mm256_cmpgt_epi8(l, a_lo), _mm256_cmpgt_epi8(a_hi, l));
            let h = _mm256_movemask_epi8(_mm256_or_si256(digit, alpha)) as u32 as u64;
            let xm = _mm256_movemask_epi8(_mm256_cmpeq_epi8(l, x)) as u32 as u64;
            hex |= h << (32 * k);
            xs |= xm << (32 * k);
        }
        (hex, xs)
    }

    pub(super) fn candidates(block: &[u8], zero_x: &mut Vec<usize>, runs: &mut Vec<usize>) {
        if is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 was just detected.
            unsafe { candidates_avx2(block, zero_x, runs) }
        } else {
            scan(block, zero_x, runs, masks)
        }
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    unsafe fn candidates_avx2(block: &[u8], zero_x: &mut Vec<usize>, runs: &mut Vec<usize>) {
        // SAFETY: the caller checked AVX2.
        scan(block, zero_x, runs, |p| unsafe { masks_avx2(p) })
    }

    #[inline(always)]
    pub(super) fn scan(
        block: &[u8],
        zero_x: &mut Vec<usize>,
        runs: &mut Vec<usize>,
        masks: impl Fn(&[u8; 64]) -> (u64, u64),
    ) {
        let mut prev_hex = 0u64;
        let mut base = 0;
        let mut tail;
        while base < block.len() {
            let chunk: &[u8; 64] = match block.get(base..base + 64) {
                Some(c) => c.try_into().expect("64 bytes"),
                None => {
                    let rest = &block[base..];
                    tail = [0u8; 64];
                    tail[..rest.len()].copy_from_slice(rest);
                    &tail
                }
            };
            let (hex, xs) = masks(chunk);
            // Bit i of `all8`: bytes i-7..=i are all hex (bits of the
            // previous window supply the carry).
            let c = ((hex as u128) << 64) | prev_hex as u128;
            let a = c & (c << 1);
            let b = a & (a << 2);
            let all8 = ((b & (b << 4)) >> 64) as u64;
            let mut m = all8;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                m &= m - 1;
                let end = base + i;
                if end < block.len() {
                    check_run(block, end, runs);
                }
            }
            let mut m = xs;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                m &= m - 1;
                if base + i < block.len() {
                    check_x(block, base + i, zero_x);
                }
            }
            prev_hex = hex;
            base += 64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Found = (Vec<usize>, Vec<usize>);

    fn both(block: &[u8]) -> (Found, Found) {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        candidates(block, &mut a, &mut b);
        let (mut c, mut d) = (Vec::new(), Vec::new());
        scalar(block, &mut c, &mut d);
        ((a, b), (c, d))
    }

    #[test]
    fn finds_runs_and_zero_x() {
        let s = b"hr=800704DD x 0x1 {80240020-AAAA-BBBB} 123456789 0X8024402c\n*FAILED* [8024000E]";
        let ((zx, runs), reference) = both(s);
        assert_eq!((zx.clone(), runs.clone()), reference);
        assert_eq!(zx, [14, 49]);
        let starts: Vec<&[u8]> = runs.iter().map(|&r| &s[r..r + 8]).collect();
        assert_eq!(starts, [&b"800704DD"[..], b"8024000E"]);
    }

    #[test]
    fn simd_and_scalar_agree_across_window_edges() {
        // Runs and `0x` placed across every 64-byte boundary offset.
        let mut s = Vec::new();
        let mut seed = 0x1234_5678u32;
        for _ in 0..4000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let pick = (seed >> 16) % 6;
            s.extend_from_slice(match pick {
                0 => b"800704DD",
                1 => b" ",
                2 => b"0x",
                3 => b"deadbeefcafe",
                4 => b"g-",
                _ => b"\n",
            });
        }
        for cut in [s.len(), s.len() - 1, s.len() - 37, 63, 64, 65, 127] {
            let ((a, b), (c, d)) = both(&s[..cut]);
            assert_eq!(a, c, "0x at cut {cut}");
            assert_eq!(b, d, "runs at cut {cut}");
            #[cfg(target_arch = "x86_64")]
            {
                // The SSE2 fallback too, whatever this CPU has.
                let (mut e, mut f) = (Vec::new(), Vec::new());
                simd::scan(&s[..cut], &mut e, &mut f, simd::masks);
                assert_eq!((e, f), (c, d), "sse2 at cut {cut}");
            }
        }
    }

    /// Bytes drawn mostly from what matters to the classifier: hex digits,
    /// `x`, glue bytes, the control bytes 0x10–0x19, separators.
    fn tricky() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let byte = prop_oneof![
            6 => proptest::sample::select(b"0123456789abcdefABCDEF".to_vec()),
            1 => Just(b'x'),
            1 => Just(b'X'),
            1 => proptest::sample::select(b" \t\n=:[(,_-{}\\/.gG".to_vec()),
            1 => 0x10u8..=0x19,
            1 => any::<u8>(),
        ];
        proptest::collection::vec(byte, 0..400)
    }

    fn all_paths_agree(block: &[u8]) -> Result<(), proptest::test_runner::TestCaseError> {
        let ((a, b), (c, d)) = both(block);
        proptest::prop_assert_eq!(&a, &c);
        proptest::prop_assert_eq!(&b, &d);
        #[cfg(target_arch = "x86_64")]
        {
            let (mut e, mut f) = (Vec::new(), Vec::new());
            simd::scan(block, &mut e, &mut f, simd::masks);
            proptest::prop_assert_eq!((e, f), (c, d));
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(512))]

        #[test]
        fn simd_equals_scalar_on_arbitrary_bytes(block in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            all_paths_agree(&block)?;
        }

        #[test]
        fn simd_equals_scalar_on_hex_heavy_bytes(block in tricky()) {
            all_paths_agree(&block)?;
        }

        /// Whatever `extract` finds in a line, the prefilter flags in it.
        #[test]
        fn prefilter_never_misses_a_code(block in tricky()) {
            let (mut zx, mut runs) = (Vec::new(), Vec::new());
            candidates(&block, &mut zx, &mut runs);
            let found = crate::wulog::hresult::extract_vec(&block);
            proptest::prop_assert!(found.is_empty() || !zx.is_empty() || !runs.is_empty());
        }
    }

    #[test]
    fn control_bytes_are_not_digits() {
        // 0x10–0x19 | 0x20 would be '0'–'9'.
        let s = b"hr= \x11\x12\x13\x14\x15\x16\x17\x18 x";
        let ((a, b), (c, d)) = both(s);
        assert!(d.is_empty());
        assert_eq!((a, b), (c, d));
    }

    #[test]
    fn long_decimal_runs_are_not_runs_of_eight() {
        for len in 9..=16 {
            let s = format!("pid {} tid", "1".repeat(len));
            let ((a, b), (c, d)) = both(s.as_bytes());
            assert_eq!((a, b.clone()), (c, d), "{len}");
            assert!(b.is_empty(), "{len}");
        }
    }
}
