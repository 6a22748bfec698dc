//! Character shingles of line keys, their exact Jaccard similarity, and bottom-k sketches that
//! find candidate pairs without comparing every line with every other.
//!
//! Keys have no spaces (see [`crate::normalize`]), so line shingles are windows of characters:
//! 2 characters when most of the key is CJK (a Chinese character is about a word), 3 otherwise.
//! Bigrams keep an edited Chinese slogan above 0.8 (one changed character in 20 costs 2 of 19
//! shingles); trigrams keep unrelated English sentences far apart (common English bigrams would
//! make any two long paragraphs look alike). Shingles are hashed to `u32`; a collision can only
//! raise a similarity, and at 2^-32 per pair that is negligible next to the threshold.
//!
//! A bottom-k sketch keeps the `k` smallest shingle hashes of a line. Two lines of Jaccard `J`
//! share the minimum of their union with probability `J`, so with `k = 4` a pair at `J = 0.8`
//! shares at least one sketch value with probability about 0.998. Sketch hits are only
//! candidates: every removal is verified with the exact Jaccard of the full shingle sets.

/// Number of sketch values kept per line.
pub const SKETCH_K: usize = 4;

/// Shingle width in characters for a key with `cjk` CJK characters out of `chars`.
pub fn shingle_width(cjk: u32, chars: u32) -> usize {
    if cjk * 2 >= chars { 2 } else { 3 }
}

fn hash_window(window: &[char]) -> u32 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &c in window {
        h = (h ^ u64::from(c as u32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 32;
    }
    h as u32
}

/// Fills `out` with the sorted, deduplicated shingle hashes of `key` at width `n`.
/// A key shorter than `n` characters yields one shingle: the whole key.
pub fn shingle_set(key: &str, n: usize, chars: &mut Vec<char>, out: &mut Vec<u32>) {
    chars.clear();
    chars.extend(key.chars());
    out.clear();
    if chars.is_empty() {
        return;
    }
    if chars.len() <= n {
        out.push(hash_window(chars));
        return;
    }
    out.extend(chars.windows(n).map(hash_window));
    out.sort_unstable();
    out.dedup();
}

/// Exact Jaccard similarity of two sorted, deduplicated sets (1.0 for two empty sets). Used for
/// line shingles (`u32`) and document shingles (`u64`) alike.
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// The `SKETCH_K` smallest distinct shingle hashes of `key` at width `n`, ascending; fewer when
/// the key has fewer shingles.
pub fn bottom_k(key: &str, n: usize, chars: &mut Vec<char>) -> ([u32; SKETCH_K], usize) {
    let mut best = [u32::MAX; SKETCH_K];
    let mut len = 0;
    let mut offer = |h: u32| {
        if len == SKETCH_K && h >= best[SKETCH_K - 1] {
            return;
        }
        if best[..len].contains(&h) {
            return;
        }
        let mut pos = len.min(SKETCH_K - 1);
        if len < SKETCH_K {
            len += 1;
        }
        best[pos] = h;
        while pos > 0 && best[pos - 1] > best[pos] {
            best.swap(pos - 1, pos);
            pos -= 1;
        }
    };
    if key.is_ascii() {
        // Fast path: ASCII keys are their own characters; no decoding, no copy.
        let bytes = key.as_bytes();
        let mut window = [0 as char; 8];
        if bytes.len() <= n {
            if !bytes.is_empty() {
                for (w, &b) in window.iter_mut().zip(bytes) {
                    *w = b as char;
                }
                offer(hash_window(&window[..bytes.len()]));
            }
        } else {
            for w in bytes.windows(n) {
                for (slot, &b) in window.iter_mut().zip(w) {
                    *slot = b as char;
                }
                offer(hash_window(&window[..n]));
            }
        }
        return (best, len);
    }
    chars.clear();
    chars.extend(key.chars());
    if chars.len() <= n {
        if !chars.is_empty() {
            offer(hash_window(chars));
        }
    } else {
        for w in chars.windows(n) {
            offer(hash_window(w));
        }
    }
    (best, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str, n: usize) -> Vec<u32> {
        let (mut c, mut o) = (Vec::new(), Vec::new());
        shingle_set(s, n, &mut c, &mut o);
        o
    }

    #[test]
    fn jaccard_of_identical_and_disjoint() {
        assert_eq!(jaccard(&set("abcdef", 3), &set("abcdef", 3)), 1.0);
        assert_eq!(jaccard(&set("abcdef", 3), &set("uvwxyz", 3)), 0.0);
    }

    #[test]
    fn edited_chinese_slogan_stays_above_threshold() {
        let a = "随着环保意识的提高可持续消费成为新的消费趋势";
        let b = "随着环保意识的提升可持续消费成为新的消费趋势";
        let j = jaccard(&set(a, 2), &set(b, 2));
        assert!(j >= 0.8, "{j}");
    }

    #[test]
    fn unrelated_english_sentences_are_far_apart() {
        let a = "thecouncilapprovedthenewbudgetforschoolsandroadsonmonday";
        let b = "researchersfoundthatthelakewarmedfasterthanexpectedthisyear";
        assert!(jaccard(&set(a, 3), &set(b, 3)) < 0.2);
    }

    #[test]
    fn sketch_is_the_smallest_values_of_the_set() {
        let key = "thecouncilapprovedthenewbudget";
        let full = set(key, 3);
        let (sk, len) = bottom_k(key, 3, &mut Vec::new());
        assert_eq!(len, SKETCH_K);
        assert_eq!(&sk[..len], &full[..SKETCH_K]);
        let (sk, len) = bottom_k("ab", 3, &mut Vec::new());
        assert_eq!(len, 1);
        assert_eq!(sk[0], set("ab", 3)[0]);
    }

    #[test]
    fn width_follows_script() {
        assert_eq!(shingle_width(10, 12), 2);
        assert_eq!(shingle_width(0, 40), 3);
    }
}
