//! WMI buffers: a 72-byte `WMI_BUFFER_HEADER`, then records up to the
//! buffer's saved offset. Buffers are walked by their own sizes; the
//! header's buffer count is not trusted (live copies say 0).

use super::bytes::{u16_at, u32_at};

pub const BUFFER_HEADER_LEN: usize = 0x48;
/// Largest buffer accepted (ETW allows 1 MiB; more is damage).
pub const MAX_BUFFER: u32 = 16 * 1024 * 1024;

const FLAG_EVENTS_LOST: u16 = 0x0002;
const FLAG_COMPRESSED: u16 = 0x0040;

/// The fields of a buffer header we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferHeader {
    pub size: u32,
    /// End of the records, from the buffer's start.
    pub end: u32,
    pub cpu: u16,
    pub flags: u16,
    pub kind: u16,
}

impl BufferHeader {
    /// Parses a buffer header; `None` when its size is impossible.
    pub fn parse(h: &[u8]) -> Option<BufferHeader> {
        let size = u32_at(h, 0)?;
        if (size as usize) < BUFFER_HEADER_LEN || size > MAX_BUFFER || size % 8 != 0 {
            return None;
        }
        let in_range = |v: u32| (BUFFER_HEADER_LEN as u32..=size).contains(&v);
        // SavedOffset, else CurrentOffset, else Offset, else the whole buffer.
        let end = [u32_at(h, 4)?, u32_at(h, 8)?, u32_at(h, 0x30)?]
            .into_iter()
            .find(|&v| in_range(v))
            .unwrap_or(size);
        Some(BufferHeader {
            size,
            end,
            cpu: u16_at(h, 0x28)?,
            flags: u16_at(h, 0x34)?,
            kind: u16_at(h, 0x36)?,
        })
    }

    pub fn compressed(&self) -> bool {
        self.flags & FLAG_COMPRESSED != 0
    }

    pub fn events_lost(&self) -> bool {
        self.flags & FLAG_EVENTS_LOST != 0
    }
}

/// True when `head` starts like an ETL file: a plausible first buffer
/// whose first record is the trace header (a system record of group 0).
pub fn looks_like_etl(head: &[u8]) -> bool {
    BufferHeader::parse(head).is_some()
        && matches!(head.get(0x4A..0x4C), Some([1 | 2, 0xC0]))
        && head.get(0x4F) == Some(&0)
        && head.get(0x4E) == Some(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked() {
        let mut h = [0u8; BUFFER_HEADER_LEN];
        assert_eq!(BufferHeader::parse(&h), None);
        h[0..4].copy_from_slice(&4096u32.to_le_bytes());
        h[4..8].copy_from_slice(&200u32.to_le_bytes());
        let b = BufferHeader::parse(&h).unwrap();
        assert_eq!((b.size, b.end), (4096, 200));
        h[4..8].copy_from_slice(&9000u32.to_le_bytes());
        assert_eq!(BufferHeader::parse(&h).unwrap().end, 4096);
        h[0..4].copy_from_slice(&4097u32.to_le_bytes());
        assert_eq!(BufferHeader::parse(&h), None);
        assert!(!looks_like_etl(&h));
    }
}
