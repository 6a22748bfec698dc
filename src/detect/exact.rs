//! Exact repeated lines: a line whose key was already kept earlier in the document.
//!
//! The table maps a key hash to the line number of its first kept copy. It holds only kept
//! lines, so a line removed for another reason (a block, a title copy) never makes a later line
//! a "repeat" of something the reader cannot see. Memory is bounded by
//! [`crate::Config::max_distinct_lines`]: past it new keys are not remembered, and the report says
//! so, rather than growing without limit.

use std::collections::HashMap;

use nohash_hasher::BuildNoHashHasher;

/// Key hashes of kept lines and where each first appeared.
#[derive(Debug)]
pub struct ExactRepeats {
    first: HashMap<u64, u64, BuildNoHashHasher<u64>>,
    cap: usize,
    full: bool,
}

impl ExactRepeats {
    /// An empty table that remembers at most `cap` distinct keys.
    pub fn new(cap: usize) -> Self {
        ExactRepeats {
            first: HashMap::default(),
            cap,
            full: false,
        }
    }

    /// The line number of the first kept line with this key hash, if any.
    pub fn first_copy(&self, hash: u64) -> Option<u64> {
        self.first.get(&hash).copied()
    }

    /// Remembers a kept line; the first copy wins.
    pub fn remember(&mut self, hash: u64, line: u64) {
        if self.first.len() >= self.cap && !self.first.contains_key(&hash) {
            self.full = true;
            return;
        }
        self.first.entry(hash).or_insert(line);
    }

    /// True once a key could not be remembered for lack of room.
    pub fn is_full(&self) -> bool {
        self.full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_copy_wins() {
        let mut t = ExactRepeats::new(10);
        assert_eq!(t.first_copy(7), None);
        t.remember(7, 3);
        t.remember(7, 9);
        assert_eq!(t.first_copy(7), Some(3));
    }

    #[test]
    fn cap_is_reported_not_exceeded() {
        let mut t = ExactRepeats::new(2);
        t.remember(1, 1);
        t.remember(2, 2);
        assert!(!t.is_full());
        t.remember(3, 3);
        assert!(t.is_full());
        assert_eq!(t.first_copy(3), None);
        assert_eq!(t.first_copy(1), Some(1));
    }
}
