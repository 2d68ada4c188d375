//! The 48-byte file header of an XP/2003 event log, and the 40-byte
//! end-of-file cursor record that holds the current offsets and numbers
//! (the header's are stale while the log is dirty).

use crate::etl::bytes::u32_at;

pub const HEADER_LEN: usize = 0x30;
pub const CURSOR_LEN: usize = 0x28;
const CURSOR_MAGIC: [u8; 16] = [
    0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22, 0x33, 0x33, 0x33, 0x33, 0x44, 0x44, 0x44, 0x44,
];

pub const FLAG_DIRTY: u32 = 0x1;
pub const FLAG_WRAPPED: u32 = 0x2;

/// Where the live records are: from `begin` (offset of the oldest) to
/// `end` (offset after the newest), numbers `oldest..next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// File offset of the oldest record.
    pub begin: u32,
    /// File offset just after the newest record (where the cursor is).
    pub end: u32,
    /// The number the next record will get.
    pub next: u32,
    /// The number of the oldest record.
    pub oldest: u32,
}

impl Span {
    /// True when a record starting at `offset` lies in the live region.
    pub fn holds(&self, offset: u64) -> bool {
        let (b, e) = (self.begin as u64, self.end as u64);
        if b <= e {
            (b..e).contains(&offset)
        } else {
            offset >= b || offset < e
        }
    }

    /// True when `number` is one of the live record numbers.
    pub fn numbers(&self, number: u32) -> bool {
        (self.oldest..self.next).contains(&number)
    }
}

/// The file header: the live region as last saved, the size limit and flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvtHeader {
    /// The live region as the header states it (stale while dirty).
    pub span: Span,
    /// The log's maximum size in bytes.
    pub max_size: u32,
    /// `ELF_LOGFILE_*` flags (dirty, wrapped, …).
    pub flags: u32,
}

impl EvtHeader {
    /// Parses the 48-byte header; `None` when it is not one.
    pub fn parse(b: &[u8]) -> Option<EvtHeader> {
        if !looks_like_evt(b) {
            return None;
        }
        Some(EvtHeader {
            span: Span {
                begin: u32_at(b, 16)?,
                end: u32_at(b, 20)?,
                next: u32_at(b, 24)?,
                oldest: u32_at(b, 28)?,
            },
            max_size: u32_at(b, 32)?,
            flags: u32_at(b, 36)?,
        })
    }

    /// The log was open for writing when copied (its header is stale).
    pub fn dirty(&self) -> bool {
        self.flags & FLAG_DIRTY != 0
    }

    /// The records wrap round the end of the file.
    pub fn wrapped(&self) -> bool {
        self.flags & FLAG_WRAPPED != 0
    }
}

/// True when `head` starts with an event log header (`LfLe`, version 1.1).
pub fn looks_like_evt(head: &[u8]) -> bool {
    u32_at(head, 0) == Some(HEADER_LEN as u32)
        && head.get(4..8) == Some(b"LfLe")
        && u32_at(head, 8) == Some(1)
        && u32_at(head, 12) == Some(1)
}

/// The cursor record at the start of `b`, if it is one.
pub fn cursor(b: &[u8]) -> Option<Span> {
    if u32_at(b, 0)? != CURSOR_LEN as u32 || b.get(4..20)? != CURSOR_MAGIC {
        return None;
    }
    Some(Span {
        begin: u32_at(b, 20)?,
        end: u32_at(b, 24)?,
        next: u32_at(b, 28)?,
        oldest: u32_at(b, 32)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_spans() {
        let s = Span {
            begin: 100,
            end: 60,
            next: 10,
            oldest: 5,
        };
        assert!(s.holds(100) && s.holds(48) && !s.holds(60) && !s.holds(99));
        assert!(s.numbers(5) && s.numbers(9) && !s.numbers(10));
        let mut c = vec![0x28, 0, 0, 0];
        c.extend_from_slice(&CURSOR_MAGIC);
        c.extend_from_slice(&[
            1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0x28, 0, 0, 0,
        ]);
        assert_eq!(cursor(&c).map(|s| (s.begin, s.oldest)), Some((1, 4)));
        assert_eq!(cursor(&c[..30]), None);
    }
}
