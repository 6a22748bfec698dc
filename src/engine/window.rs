//! The engine's window: the lines waiting for a decision, their bytes and keys.
//!
//! Line bytes and keys live in two byte arenas addressed by absolute position, so compaction as
//! the window moves never changes an address and no line costs an allocation.

use crate::context::Side;
use crate::features::LineView;
use crate::report::Reason;

/// Bytes of the window, addressed by absolute position so compaction never moves an address.
#[derive(Debug, Default)]
pub struct Arena {
    pub(super) buf: Vec<u8>,
    base: u64,
}

impl Arena {
    /// An arena reusing `buf`'s allocation.
    pub fn reusing(mut buf: Vec<u8>) -> Self {
        buf.clear();
        Arena { buf, base: 0 }
    }

    /// Appends bytes; returns their address.
    pub fn push(&mut self, bytes: &[u8]) -> u64 {
        let at = self.base + self.buf.len() as u64;
        self.buf.extend_from_slice(bytes);
        at
    }

    /// The bytes at an address.
    pub fn get(&self, at: u64, len: usize) -> &[u8] {
        let start = (at - self.base) as usize;
        &self.buf[start..start + len]
    }

    /// Forgets everything before `at` once that is worth a copy: at least 64 KiB, and at least
    /// half of what the arena holds.
    pub fn release_before(&mut self, at: u64) {
        if let Some(n) = releasable(self.base, self.buf.len(), at) {
            self.buf.drain(..n);
            self.base = at;
        }
    }
}

/// How many leading bytes an arena whose first byte has address `base` and which holds `len`
/// bytes drops to forget everything before `at` — only once that is worth the copy: at least
/// 64 KiB, and at least half of what it holds.
fn releasable(base: u64, len: usize, at: u64) -> Option<usize> {
    let n = (at - base) as usize;
    (n >= 1 << 16 && n * 2 >= len).then_some(n)
}

/// The keys of the lines in the window, addressed as in [`Arena`]. Keys are text, so they are
/// kept in a `String` and read back without checking their UTF-8 again.
#[derive(Debug, Default)]
pub struct KeyArena {
    pub(super) buf: String,
    base: u64,
}

impl KeyArena {
    /// An arena reusing `buf`'s allocation.
    pub fn reusing(mut buf: String) -> Self {
        buf.clear();
        KeyArena { buf, base: 0 }
    }

    /// Appends a key; returns its address.
    pub fn push(&mut self, key: &str) -> u64 {
        let at = self.base + self.buf.len() as u64;
        self.buf.push_str(key);
        at
    }

    /// The key at an address.
    pub fn get(&self, at: u64, len: usize) -> &str {
        let start = (at - self.base) as usize;
        &self.buf[start..start + len]
    }

    /// As [`Arena::release_before`].
    pub fn release_before(&mut self, at: u64) {
        if let Some(n) = releasable(self.base, self.buf.len(), at) {
            self.buf.drain(..n);
            self.base = at;
        }
    }
}

/// A verdict reached before a line's turn (by the block, title or repeat detector).
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Boxed: verdicts are rare, and every line's slot holds room for one.
    Remove(Box<Reason>),
    /// The copy of a title that stays.
    KeepTitle,
}

/// One line waiting in the window.
#[derive(Debug)]
pub struct Slot {
    /// 1-based line number.
    pub line: u64,
    /// Offset of its first byte in the input.
    pub offset: u64,
    /// Address of its bytes in the byte arena.
    pub at: u64,
    /// Its length, ending included.
    pub len: usize,
    /// Length of its ending (0, 1 or 2).
    pub eol_len: usize,
    /// Address of its key in the key arena.
    pub key_at: u64,
    /// Length of its key.
    pub key_len: usize,
    /// What the detectors and the model read about it.
    pub view: LineView,
    /// Non-blank lines pushed up to and including this one.
    pub seq: u64,
    /// A verdict set before its turn.
    pub verdict: Option<Verdict>,
    /// The block detector has looked at the run starting here.
    pub run_checked: bool,
    /// Where it stands to the main text, once the model has scored its page.
    pub side: Side,
    /// It lies in a run that reads like a table: its cells repeat by nature.
    pub tabular: bool,
    /// The model's removal, when its score reached the level's threshold.
    pub model: Option<Box<Reason>>,
}

impl Slot {
    /// The line's key, kept in the engine's key arena.
    pub fn key<'k>(&self, keys: &'k KeyArena) -> &'k str {
        keys.get(self.key_at, self.key_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arenas_keep_addresses_across_compaction() {
        let mut a = Arena::default();
        let first = a.push(&[1u8; 70_000]);
        let second = a.push(b"tail");
        a.release_before(second);
        assert_eq!(a.get(second, 4), b"tail");
        assert!(a.buf.len() < 70_000);
        assert_eq!(first, 0);
        let mut k = KeyArena::default();
        let at = k.push("abc");
        assert_eq!(k.get(at, 3), "abc");
    }

    #[test]
    fn small_releases_wait() {
        assert_eq!(releasable(0, 100, 50), None);
        assert_eq!(releasable(0, 1 << 17, 1 << 16), Some(1 << 16));
        assert_eq!(releasable(0, 1 << 18, 1 << 16), None, "less than half");
    }
}
