//! Near-repeated lines: an edited copy of a line kept earlier (a slogan with one word changed).
//!
//! Each kept line of enough weight goes into a ring of the last `near_window` lines, indexed by
//! its bottom-k sketch (see [`crate::shingle`]). A new line is compared only with lines that share
//! a sketch value, and only removed when the exact Jaccard similarity of the two shingle sets
//! reaches the threshold. Lines whose digits differ are never near repeats: `Revenue 2023: 41`
//! and `Revenue 2024: 45` are two facts, not one edited line. Nor are lines of very different
//! length ([`MIN_LENGTH_RATIO`]): a heading is not an edited copy of the same heading with a
//! site name after it.

use std::collections::HashMap;

use nohash_hasher::BuildNoHashHasher;

use crate::normalize::LineFeatures;
use crate::shingle::{SKETCH_K, bottom_k, jaccard, shingle_set, shingle_width};

/// The shorter line of a near-repeat pair has at least this share of the longer one's weight.
pub const MIN_LENGTH_RATIO: f64 = 0.8;

/// A verified near repeat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearMatch {
    /// Line number of the earlier line.
    pub line: u64,
    /// Exact Jaccard similarity of the two lines' shingle sets.
    pub similarity: f64,
}

#[derive(Debug, Default)]
struct Slot {
    line: u64,
    key: String,
    width: usize,
    digit_hash: u64,
    weight: u32,
    sketch: [u32; SKETCH_K],
    sketch_len: usize,
}

/// The window of recent kept lines and its sketch index.
#[derive(Debug)]
pub struct NearRepeats {
    threshold: f64,
    slots: Vec<Slot>,
    capacity: usize,
    next: usize,
    index: HashMap<u32, (usize, u64), BuildNoHashHasher<u32>>,
    chars: Vec<char>,
    set_a: Vec<u32>,
    set_b: Vec<u32>,
    candidates: Vec<usize>,
    last: Option<(u64, [u32; SKETCH_K], usize, usize)>,
}

impl NearRepeats {
    /// An empty window of `capacity` lines with the given similarity threshold.
    pub fn new(capacity: usize, threshold: f64) -> Self {
        NearRepeats {
            threshold,
            slots: Vec::new(),
            capacity: capacity.max(1),
            next: 0,
            index: HashMap::default(),
            chars: Vec::new(),
            set_a: Vec::new(),
            set_b: Vec::new(),
            candidates: Vec::new(),
            last: None,
        }
    }

    /// Empties the window (keeping its allocations) for a new document, with new settings.
    pub fn reset(&mut self, capacity: usize, threshold: f64) {
        self.threshold = threshold;
        self.slots.clear();
        self.capacity = capacity.max(1);
        self.next = 0;
        self.index.clear();
        self.last = None;
    }

    /// The most similar earlier line at or above the threshold; ties go to the earlier line.
    pub fn find(&mut self, key: &str, feat: &LineFeatures) -> Option<NearMatch> {
        let width = shingle_width(feat.cjk_chars, feat.key_chars);
        let (sketch, len) = bottom_k(key, width, &mut self.chars);
        self.last = Some((feat.hash, sketch, len, width));
        self.candidates.clear();
        for v in &sketch[..len] {
            if let Some(&(slot, line)) = self.index.get(v) {
                let s = &self.slots[slot];
                let (lo, hi) = (s.weight.min(feat.weight), s.weight.max(feat.weight));
                if s.line == line
                    && s.width == width
                    && f64::from(lo) >= MIN_LENGTH_RATIO * f64::from(hi)
                    && s.digit_hash == feat.digit_hash
                    && !self.candidates.contains(&slot)
                {
                    self.candidates.push(slot);
                }
            }
        }
        if self.candidates.is_empty() {
            return None;
        }
        shingle_set(key, width, &mut self.chars, &mut self.set_a);
        let mut best: Option<NearMatch> = None;
        for &slot in &self.candidates {
            let s = &self.slots[slot];
            shingle_set(&s.key, width, &mut self.chars, &mut self.set_b);
            let similarity = jaccard(&self.set_a, &self.set_b);
            if similarity < self.threshold {
                continue;
            }
            let better = match best {
                None => true,
                Some(b) => {
                    similarity > b.similarity || (similarity == b.similarity && s.line < b.line)
                }
            };
            if better {
                best = Some(NearMatch {
                    line: s.line,
                    similarity,
                });
            }
        }
        best
    }

    /// Adds a kept line to the window, evicting the oldest when full.
    pub fn remember(&mut self, key: &str, feat: &LineFeatures, line: u64) {
        let (sketch, len, width) = match self.last.take() {
            Some((hash, sketch, len, width)) if hash == feat.hash => (sketch, len, width),
            _ => {
                let width = shingle_width(feat.cjk_chars, feat.key_chars);
                let (sketch, len) = bottom_k(key, width, &mut self.chars);
                (sketch, len, width)
            }
        };
        let slot = if self.slots.len() < self.capacity {
            self.slots.push(Slot::default());
            self.slots.len() - 1
        } else {
            let slot = self.next;
            self.next = (self.next + 1) % self.capacity;
            let old = &self.slots[slot];
            for v in &old.sketch[..old.sketch_len] {
                if self.index.get(v) == Some(&(slot, old.line)) {
                    self.index.remove(v);
                }
            }
            slot
        };
        let s = &mut self.slots[slot];
        s.line = line;
        s.key.clear();
        s.key.push_str(key);
        s.width = width;
        s.digit_hash = feat.digit_hash;
        s.weight = feat.weight;
        s.sketch = sketch;
        s.sketch_len = len;
        for v in &sketch[..len] {
            self.index.insert(*v, (slot, line));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::KeyBuilder;

    fn feed(
        near: &mut NearRepeats,
        kb: &mut KeyBuilder,
        line: u64,
        text: &str,
    ) -> Option<NearMatch> {
        let f = kb.analyze(text.as_bytes());
        let key = kb.key().to_string();
        let m = near.find(&key, &f);
        if m.is_none() {
            near.remember(&key, &f, line);
        }
        m
    }

    #[test]
    fn edited_slogan_is_found() {
        let (mut n, mut kb) = (NearRepeats::new(100, 0.8), KeyBuilder::new());
        assert!(
            feed(
                &mut n,
                &mut kb,
                1,
                "随着环保意识的提高，可持续消费成为新的消费趋势。"
            )
            .is_none()
        );
        assert!(
            feed(
                &mut n,
                &mut kb,
                2,
                "电动汽车的快速增长正在推动传统汽车行业的转型。"
            )
            .is_none()
        );
        let m = feed(
            &mut n,
            &mut kb,
            3,
            "随着环保意识的提升，可持续消费成为新的消费趋势。",
        )
        .unwrap();
        assert_eq!(m.line, 1);
        assert!(m.similarity >= 0.8 && m.similarity < 1.0);
    }

    #[test]
    fn english_edit_is_found_and_distinct_sentence_is_not() {
        let (mut n, mut kb) = (NearRepeats::new(100, 0.8), KeyBuilder::new());
        feed(
            &mut n,
            &mut kb,
            1,
            "Subscribe to our newsletter for the latest stories from the valley",
        );
        assert!(
            feed(
                &mut n,
                &mut kb,
                2,
                "Subscribe to our newsletter for the latest stories from the valley!"
            )
            .is_some()
        );
        assert!(
            feed(
                &mut n,
                &mut kb,
                3,
                "Subscribe to our newsletters for the latest stories from the valley"
            )
            .is_some()
        );
        assert!(
            feed(
                &mut n,
                &mut kb,
                4,
                "The valley council met on Monday to approve the latest budget"
            )
            .is_none()
        );
    }

    #[test]
    fn different_numbers_are_different_facts() {
        let (mut n, mut kb) = (NearRepeats::new(100, 0.8), KeyBuilder::new());
        feed(
            &mut n,
            &mut kb,
            1,
            "Revenue for the northern region in the first quarter was 41 million",
        );
        assert!(
            feed(
                &mut n,
                &mut kb,
                2,
                "Revenue for the northern region in the first quarter was 45 million"
            )
            .is_none()
        );
    }

    #[test]
    fn a_heading_is_not_a_near_repeat_of_itself_with_a_site_name() {
        let (mut n, mut kb) = (NearRepeats::new(100, 0.8), KeyBuilder::new());
        feed(
            &mut n,
            &mut kb,
            1,
            "中国式现代化发展之路的新探索 - 山谷日报网",
        );
        assert!(feed(&mut n, &mut kb, 2, "中国式现代化发展之路的新探索").is_none());
    }

    #[test]
    fn window_evicts_old_lines() {
        let (mut n, mut kb) = (NearRepeats::new(2, 0.8), KeyBuilder::new());
        feed(
            &mut n,
            &mut kb,
            1,
            "the first line of the window is about apples and pears",
        );
        feed(
            &mut n,
            &mut kb,
            2,
            "a second line tells of rivers running to the northern sea",
        );
        feed(
            &mut n,
            &mut kb,
            3,
            "and a third line sings of mountains covered in winter snow",
        );
        assert!(
            feed(
                &mut n,
                &mut kb,
                4,
                "the first line of the window is about apples and pear"
            )
            .is_none()
        );
        assert!(
            feed(
                &mut n,
                &mut kb,
                5,
                "and a third line sings of mountains covered in winter snows"
            )
            .is_some()
        );
    }
}
