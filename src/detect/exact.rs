//! Exact repeated lines: a line whose key was already kept earlier in the document, in the
//! same surface form (see [`crate::normalize::LineFeatures::surface_hash`]): the table is keyed
//! by both hashes, so `APN goam.com` and `• APN: goam.com` are not repeats of each other — the
//! title and block detectors handle copies in different markup, with stronger evidence.
//!
//! The table maps a key hash to the line number of its first kept copy. It holds only kept
//! lines, so a line removed for another reason (a block, a title copy) never makes a later line
//! a "repeat" of something the reader cannot see. Memory is bounded by
//! [`crate::Config::max_distinct_lines`]: past it new keys are not remembered, and the report says
//! so, rather than growing without limit.
//!
//! Each entry also remembers whether its line stood next to running text. The engine uses that
//! to keep a later copy that sits in the article when the first copy sat in a menu or a list:
//! the article's copy is the one a reader needs.

use std::collections::HashMap;

use nohash_hasher::BuildNoHashHasher;

/// Where the first kept copy of a key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstCopy {
    /// Its line number.
    pub line: u64,
    /// Whether it stood next to running text.
    pub in_body: bool,
}

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

    /// Empties the table (keeping its allocation) for a new document, with a new cap.
    pub fn reset(&mut self, cap: usize) {
        self.first.clear();
        self.cap = cap;
        self.full = false;
    }

    /// The first kept line with this key hash, if any.
    pub fn first_copy(&self, hash: u64) -> Option<FirstCopy> {
        self.first.get(&hash).map(|&packed| FirstCopy {
            line: packed >> 1,
            in_body: packed & 1 == 1,
        })
    }

    /// Remembers a kept line; the first copy wins.
    pub fn remember(&mut self, hash: u64, line: u64, in_body: bool) {
        if self.first.len() >= self.cap && !self.first.contains_key(&hash) {
            self.full = true;
            return;
        }
        self.first
            .entry(hash)
            .or_insert(line << 1 | u64::from(in_body));
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
        t.remember(7, 3, true);
        t.remember(7, 9, false);
        assert_eq!(
            t.first_copy(7),
            Some(FirstCopy {
                line: 3,
                in_body: true
            })
        );
    }

    #[test]
    fn cap_is_reported_not_exceeded() {
        let mut t = ExactRepeats::new(2);
        t.remember(1, 1, false);
        t.remember(2, 2, false);
        assert!(!t.is_full());
        t.remember(3, 3, false);
        assert!(t.is_full());
        assert_eq!(t.first_copy(3), None);
        assert_eq!(t.first_copy(1).map(|f| f.line), Some(1));
    }
}
