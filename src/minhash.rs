//! Document fingerprints: tokens, shingles, MinHash signatures, LSH band keys and exact Jaccard.
//!
//! **Tokens** are words for spaced scripts and single characters for CJK (Han, Kana, Hangul), so
//! Chinese and Japanese get as many shingles as English — never "split on whitespace" alone,
//! which leaves a Chinese paragraph one giant token. Text is folded as keys are (NFKC, lowercase),
//! and punctuation and whitespace only separate tokens.
//!
//! **Shingles** are windows of [`SHINGLE_TOKENS`] = 5 tokens, hashed to 64 bits: five words, or
//! five Chinese characters (about two to three words), the usual choice for near-duplicate text.
//!
//! **MinHash** by one-permutation hashing: each shingle is hashed once and lands in one of
//! [`NUM_PERM`] = 64 bins, each bin keeping its minimum (see [`signature`]). Two documents agree on
//! a bin with probability close to their Jaccard similarity. One hash per shingle instead of 64
//! is what lets Chinese text, with a shingle per character, sketch at the speed of English.
//!
//! **LSH**: the signature is cut into [`BANDS`] = 16 bands of [`ROWS`] = 4 rows; documents sharing
//! any band's key are candidates. The chance that a pair of similarity `s` becomes a candidate is
//! `1 − (1 − s⁴)¹⁶`: 0.9998 at 0.8, 0.96 at 0.6, 0.64 at 0.5, 0.12 at 0.3 — so nearly every pair
//! above the default threshold 0.8 is found, and the candidates are few enough to verify.
//!
//! **Verification** is exact: every candidate pair is decided on the exact Jaccard similarity of
//! the two shingle sets ([`jaccard`]), never on the signature estimate, so a pair is removed only
//! when its documents really share that share of shingles.
//!
//! Memory per document between the passes: the 16 band keys (128 bytes), a 64-bit hash of its
//! normalized content for exact duplicates, its order and length — about 160 bytes. Shingle sets
//! (8 bytes per distinct shingle) are held only for candidate documents while they are verified.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::normalize::{ASCII_BYTE, KEYED, common_han, fast_fold};

pub use crate::shingle::jaccard;

/// Tokens per shingle.
pub const SHINGLE_TOKENS: usize = 5;
/// Hash functions in a signature.
pub const NUM_PERM: usize = 64;
/// LSH bands.
pub const BANDS: usize = 16;
/// Rows per band.
pub const ROWS: usize = NUM_PERM / BANDS;

/// A MinHash signature.
pub type Signature = [u32; NUM_PERM];

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

#[inline]
fn mix(h: u64, c: u32) -> u64 {
    (h ^ u64::from(c))
        .wrapping_mul(0x0000_0100_0000_01B3)
        .rotate_left(23)
}

const TOKEN_SEED: u64 = 0xCBF2_9CE4_8422_2325;

/// Reusable buffers for turning text into shingle sets.
#[derive(Debug, Default)]
pub struct Shingler {
    tokens: Vec<u64>,
    nfkc: String,
}

impl Shingler {
    /// A shingler with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The sorted, deduplicated shingle hashes of `text` into `out`. A text shorter than one
    /// shingle gives one shingle of all its tokens; an empty text gives none.
    pub fn shingles(&mut self, text: &str, out: &mut Vec<u64>) {
        self.shingle_hashes(text, out);
        out.sort_unstable();
        out.dedup();
    }

    /// The shingle hashes of `text` into `out` in text order, repeats included: enough for a
    /// [`signature`] (a minimum ignores order and repeats) without the cost of sorting.
    pub fn shingle_hashes(&mut self, text: &str, out: &mut Vec<u64>) {
        self.tokens.clear();
        out.clear();
        self.tokens_of(text);
        if self.tokens.is_empty() {
            return;
        }
        let n = SHINGLE_TOKENS.min(self.tokens.len());
        out.extend(self.tokens.windows(n).map(|w| {
            let mut h: u64 = 0x243F_6A88_85A3_08D3;
            for &t in w {
                h = (h ^ t).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                h ^= h >> 29;
            }
            h
        }));
    }

    /// The token hashes of `text` into `self.tokens`: words (letters and digits, lowercased) and
    /// single CJK characters. Characters the key builder folds by itself (ASCII, CJK, full-width
    /// forms, common punctuation) are folded here one by one, in one pass that reads ASCII bytes
    /// without decoding them; a text with anything else goes through NFKC first.
    fn tokens_of(&mut self, text: &str) {
        if !self.fast_tokens(text) {
            self.tokens.clear();
            let folded: &str = if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
                text
            } else {
                self.nfkc.clear();
                self.nfkc.extend(text.nfkc());
                &self.nfkc
            };
            let mut word = None;
            for c in folded.chars() {
                token_char(&mut self.tokens, &mut word, c);
            }
            if let Some(w) = word {
                self.tokens.push(w);
            }
        }
    }

    /// The tokens of a text the fast folding covers; false (tokens unfinished) at the first
    /// character it does not.
    fn fast_tokens(&mut self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut word: Option<u64> = None;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if !b.is_ascii_alphanumeric() {
                    i += 1;
                    if let Some(w) = word.take() {
                        self.tokens.push(w);
                    }
                    continue;
                }
                // A run of ASCII letters and digits, hashed in a register.
                let mut h = word.unwrap_or(TOKEN_SEED);
                while let Some(&b) = bytes.get(i) {
                    let e = ASCII_BYTE[usize::from(b)];
                    if e & KEYED == 0 {
                        break;
                    }
                    h = mix(h, u32::from(e as u8));
                    i += 1;
                }
                if bytes.get(i).is_some_and(|&b| b >= 0x80) {
                    // A letter of another script may go on with the word.
                    word = Some(h);
                } else {
                    word = None;
                    self.tokens.push(h);
                }
                continue;
            }
            // A common Han ideograph (U+4E00..U+9FFF), decoded here: a token of its own.
            if let Some(c) = common_han(&bytes[i..]) {
                if let Some(w) = word.take() {
                    self.tokens.push(w);
                }
                self.tokens.push(mix(TOKEN_SEED ^ 0xC1, c));
                i += 3;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            let Some(folded) = fast_fold(c) else {
                return false;
            };
            token_char(&mut self.tokens, &mut word, folded);
        }
        if let Some(w) = word {
            self.tokens.push(w);
        }
        true
    }
}

/// Adds one (folded) character to the token stream: to the current word, as a CJK token of its
/// own, or as the end of a word.
#[inline]
fn token_char(tokens: &mut Vec<u64>, word: &mut Option<u64>, c: char) {
    if c.is_ascii_alphanumeric() {
        *word = Some(mix(
            word.unwrap_or(TOKEN_SEED),
            u32::from(c.to_ascii_lowercase() as u8),
        ));
    } else if is_cjk(c) {
        if let Some(w) = word.take() {
            tokens.push(w);
        }
        tokens.push(mix(TOKEN_SEED ^ 0xC1, c as u32));
    } else if !c.is_ascii() && c.is_alphanumeric() {
        let mut h = word.unwrap_or(TOKEN_SEED);
        for l in c.to_lowercase() {
            h = mix(h, l as u32);
        }
        *word = Some(h);
    } else if let Some(w) = word.take() {
        tokens.push(w);
    }
}

/// The MinHash signature of a shingle set, by one-permutation hashing: each shingle is hashed
/// once (a fixed 64-bit finalizer), its top 6 bits pick one of the 64 bins and its low 32 bits
/// compete for that bin's minimum. Empty bins (documents with few shingles) are filled by
/// rotation densification: an empty bin takes the value of the next non-empty bin to its right,
/// offset by the distance, so two documents fill their empty bins the same way. One hash per
/// shingle instead of 64 keeps sketching fast; the agreement rate per bin still tracks the Jaccard
/// similarity, which is all LSH needs, and every removal is verified exactly anyway.
/// All `u32::MAX` for an empty set.
pub fn signature(shingles: &[u64]) -> Signature {
    let mut sig = [u32::MAX; NUM_PERM];
    let mut filled = 0u64;
    for &s in shingles {
        let mut z = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let bin = (z >> 58) as usize;
        let v = z as u32;
        filled |= 1 << bin;
        if v < sig[bin] {
            sig[bin] = v;
        }
    }
    if filled != 0 && filled != u64::MAX {
        let orig = sig;
        for i in 0..NUM_PERM {
            if filled & (1 << i) == 0 {
                let mut d = 1;
                while filled & (1 << ((i + d) % NUM_PERM)) == 0 {
                    d += 1;
                }
                sig[i] =
                    orig[(i + d) % NUM_PERM].wrapping_add((d as u32).wrapping_mul(0x9E37_79B9));
            }
        }
    }
    sig
}

/// The LSH band keys of a signature; the band index is part of each key.
pub fn band_keys(sig: &Signature) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let mut bytes = [0u8; 4 * ROWS + 1];
        for r in 0..ROWS {
            bytes[4 * r..4 * r + 4].copy_from_slice(&sig[band * ROWS + r].to_le_bytes());
        }
        bytes[4 * ROWS] = band as u8;
        *key = xxhash_rust::xxh3::xxh3_64(&bytes);
    }
    keys
}

/// The signature estimate of Jaccard similarity: the share of agreeing positions.
pub fn estimate(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / NUM_PERM as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        Shingler::new().shingles(text, &mut out);
        out
    }

    #[test]
    fn chinese_text_gets_a_shingle_per_character() {
        let s = set("随着环保意识的提高，可持续消费成为新的消费趋势");
        // 21 characters → 17 windows of 5 (fewer if some repeat).
        assert!(s.len() >= 15, "{}", s.len());
        let spaced = set("the quick brown fox jumps over the lazy dog");
        assert_eq!(spaced.len(), 9 - 5 + 1);
    }

    #[test]
    fn case_width_and_punctuation_do_not_matter() {
        assert_eq!(
            set("The Quick, brown FOX jumps!"),
            set("the quick brown fox jumps")
        );
        assert_eq!(set("ＡＢＣ　ｄｅｆ"), set("abc def"));
    }

    proptest::proptest! {
        /// Folding by the fast path gives the shingles full NFKC gives.
        #[test]
        fn fast_folding_agrees_with_nfkc(chars in proptest::collection::vec(
            proptest::sample::select(vec![
                'a', 'Z', '7', ' ', ',', '社', '区', 'の', 'カ', '한', 'Ａ', 'ｚ', '５', '，',
                '。', '\u{3000}', '\u{00A0}', '…', '—', 'é', 'À', '©', '·', '「',
                // The edges of the Han range the tokenizer reads without decoding.
                '\u{4E00}', '\u{4FFF}', '\u{5000}', '\u{9FFF}', '\u{4DFF}', '\u{A000}',
            ]),
            0..40,
        )) {
            let text: String = chars.into_iter().collect();
            let nfkc: String = text.nfkc().collect();
            proptest::prop_assert_eq!(set(&text), set(&nfkc));
            // A ligature only NFKC folds sends the whole text the slow way.
            proptest::prop_assert_eq!(set(&format!("{text} \u{FB01}x")), set(&format!("{nfkc} fix")));
        }

        /// A signature of the unsorted shingles, repeats and all, is the signature of the set.
        #[test]
        fn unsorted_shingles_sign_as_the_set(words in proptest::collection::vec(
            proptest::sample::select(vec!["a", "b", "社", "区", "word", "é"]),
            0..60,
        )) {
            let text = words.join(" ");
            let mut hashes = Vec::new();
            Shingler::new().shingle_hashes(&text, &mut hashes);
            proptest::prop_assert_eq!(signature(&hashes), signature(&set(&text)));
            proptest::prop_assert_eq!(hashes.is_empty(), set(&text).is_empty());
        }
    }

    #[test]
    fn signature_agreement_tracks_jaccard() {
        let base: Vec<String> = (0..400).map(|i| format!("word{i}")).collect();
        let mut edited = base.clone();
        for i in (0..400).step_by(40) {
            edited[i] = format!("changed{i}");
        }
        let (a, b) = (set(&base.join(" ")), set(&edited.join(" ")));
        let exact = jaccard(&a, &b);
        let est = estimate(&signature(&a), &signature(&b));
        assert!((exact - est).abs() < 0.15, "exact {exact} estimate {est}");
        assert_eq!(estimate(&signature(&a), &signature(&a)), 1.0);
    }

    #[test]
    fn identical_sets_share_every_band() {
        let a = set("one two three four five six seven eight nine ten");
        assert_eq!(band_keys(&signature(&a)), band_keys(&signature(&a)));
        let b = set("completely different words appear in this other sentence here");
        let (ka, kb) = (band_keys(&signature(&a)), band_keys(&signature(&b)));
        assert!(ka.iter().zip(&kb).all(|(x, y)| x != y));
    }

    const PIN_0: u32 = 1_068_780_070;
    const PIN_63: u32 = 3_723_215_839;

    #[test]
    fn short_documents_get_full_signatures() {
        let sig = signature(&set("only a handful of words in this one here"));
        assert!(sig.iter().all(|&v| v != u32::MAX), "empty bins are filled");
        assert!(signature(&[]).iter().all(|&v| v == u32::MAX));
    }

    #[test]
    fn pinned_signature_values() {
        // Signatures are compared across runs and shards: the hashing must never change silently.
        let sig = signature(&set("a fixed sentence to pin the signature family"));
        assert_eq!((sig[0], sig[63]), (PIN_0, PIN_63));
    }
}
