//! Little-endian reads that never panic: `None` past the end.

#[inline]
pub fn u8_at(b: &[u8], at: usize) -> Option<u8> {
    b.get(at).copied()
}

#[inline]
pub fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

#[inline]
pub fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[inline]
pub fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// A GUID as stored (Data1..3 little-endian, Data4 as bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Guid(
    /// The 16 bytes, in stored order.
    pub [u8; 16],
);

impl Guid {
    /// The GUID stored at `at` in `b`; `None` past the end.
    pub fn at(b: &[u8], at: usize) -> Option<Guid> {
        Some(Guid(b.get(at..at.checked_add(16)?)?.try_into().ok()?))
    }

    /// The GUID whose text is `v` in hexadecimal, dashes left out
    /// (`0x0b7a6f19_47c4_454e_8c5c_e868d637e4d8` for
    /// {0b7a6f19-47c4-454e-8c5c-e868d637e4d8}), in stored byte order.
    pub const fn from_u128(v: u128) -> Guid {
        let d1 = (v >> 96) as u32;
        let d2 = (v >> 80) as u16;
        let d3 = (v >> 64) as u16;
        let d4 = (v as u64).to_be_bytes();
        let a = d1.to_le_bytes();
        let b = d2.to_le_bytes();
        let c = d3.to_le_bytes();
        Guid([
            a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d4[0], d4[1], d4[2], d4[3], d4[4],
            d4[5], d4[6], d4[7],
        ])
    }
}

impl std::fmt::Display for Guid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let g = &self.0;
        let d1 = u32::from_le_bytes([g[0], g[1], g[2], g[3]]);
        let d2 = u16::from_le_bytes([g[4], g[5]]);
        let d3 = u16::from_le_bytes([g[6], g[7]]);
        write!(f, "{d1:08x}-{d2:04x}-{d3:04x}-{:02x}{:02x}-", g[8], g[9])?;
        for b in &g[10..] {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A NUL-terminated byte string at the start of `b`: (bytes, length with NUL).
pub fn cstr(b: &[u8]) -> Option<(&[u8], usize)> {
    let n = memchr::memchr(0, b)?;
    Some((&b[..n], n + 1))
}

/// A NUL-terminated UTF-16LE string at the start of `b`: (text, bytes used).
pub fn wstr(b: &[u8]) -> Option<(String, usize)> {
    let mut units = Vec::new();
    let mut i = 0;
    loop {
        let u = u16_at(b, i)?;
        i += 2;
        if u == 0 {
            return Some((String::from_utf16_lossy(&units), i));
        }
        units.push(u);
    }
}

/// UTF-16LE bytes (odd trailing byte ignored) as text.
pub fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let b = [1, 2, 3];
        assert_eq!(u16_at(&b, 1), Some(0x0302));
        assert_eq!(u16_at(&b, 2), None);
        assert_eq!(u64_at(&b, usize::MAX), None);
        assert_eq!(wstr(&[b'a', 0, 0]), None);
        assert_eq!(wstr(&[b'a', 0, 0, 0]), Some(("a".into(), 4)));
    }

    #[test]
    fn guid_text() {
        let g = Guid::from_u128(0x0b7a6f19_47c4_454e_8c5c_e868d637e4d8);
        assert_eq!(g.to_string(), "0b7a6f19-47c4-454e-8c5c-e868d637e4d8");
        assert_eq!(Guid::at(&g.0, 0), Some(g));
    }
}
