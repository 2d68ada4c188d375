//! Putting events of per-CPU buffers back in time order within a bounded
//! window: events are held until more than `WINDOW` are waiting, then the
//! oldest is released. An event older than one already released (possible
//! only when buffers are flushed more than a window apart) comes out late
//! and is counted.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::event::Event;

/// Events held back at most (memory is bounded by this, not the file).
pub const WINDOW: usize = 16 * 1024;

struct Held(Event, u64);

impl PartialEq for Held {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}
impl Eq for Held {}
impl PartialOrd for Held {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Held {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.key().cmp(&o.key())
    }
}
impl Held {
    fn key(&self) -> (u64, u64) {
        (self.0.timestamp, self.1)
    }
}

/// The reordering window.
#[derive(Default)]
pub struct Reorder {
    heap: BinaryHeap<Reverse<Held>>,
    seq: u64,
    last_out: Option<u64>,
    pub late: u64,
}

impl Reorder {
    pub fn push(&mut self, e: Event, out: &mut impl FnMut(Event)) {
        self.heap.push(Reverse(Held(e, self.seq)));
        self.seq += 1;
        if self.heap.len() > WINDOW {
            self.pop(out);
        }
    }

    fn pop(&mut self, out: &mut impl FnMut(Event)) -> bool {
        let Some(Reverse(Held(e, _))) = self.heap.pop() else {
            return false;
        };
        if self.last_out.is_some_and(|t| e.timestamp < t) {
            self.late += 1;
        } else {
            self.last_out = Some(e.timestamp);
        }
        out(e);
        true
    }

    pub fn finish(&mut self, out: &mut impl FnMut(Event)) {
        while self.pop(out) {}
    }
}
