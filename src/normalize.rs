//! Line → normalized key and the cheap features every detector reads.
//!
//! A key is what two lines must share to count as "the same line": it is never shown in output,
//! which always carries the input's own bytes. The scheme (version [`NORMALIZATION_VERSION`],
//! recorded in every report):
//!
//! 1. Surrounding whitespace goes, including no-break (U+00A0), ideographic (U+3000) and
//!    zero-width spaces.
//! 2. One leading list marker or number goes: bullets (`•`, `·`, `-`, `*`, `●`, `■`, `»` …),
//!    `1.`, `2)`, `(3)`, `（4）`, `①`, `一、`, `(二)`, `a)`. ASCII bullets need a space after them
//!    so `-5 °C` keeps its sign; numbers need a non-digit after them so `1.5 million` stays.
//! 3. Unicode NFKC (full-width letters and digits become ASCII, `①` becomes `1`, ligatures split).
//! 4. Case folding: lowercase, plus the full folds `ß`→`ss`, `ς`→`σ`, `ſ`→`s`.
//! 5. HTML entities left in the text (`&nbsp;`, `&#160;`) go.
//! 6. Only letters, combining marks, digits and the signs `©`, `®`, `℗` stay; whitespace,
//!    punctuation and other symbols go. So `Visits: 0`, `visits 0` and `VISITS: 0` share a key.
//!
//! The *masked* key is the key with each run of digits replaced by `#`: phrase rules match it, so
//! `阅读 123` and `阅读 7` are one phrase. The *weight* of a key counts a CJK character as 2 and
//! any other key character as 1, so length thresholds mean about the same amount of text in
//! Chinese and in English.
//!
//! Cost: this runs once per line, so it avoids allocation (buffers live in [`KeyBuilder`]), takes
//! an ASCII fast path, and runs full NFKC only on the rare line that is not already NFKC.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Version of the key scheme above. Bump it whenever a key can change.
pub const NORMALIZATION_VERSION: u32 = 1;

/// The leading marker a line carried before normalization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A bullet sign: `•`, `-`, `*`, `●` …
    Bullet,
    /// A number or enumerator: `1.`, `(2)`, `①`, `一、`, `a)` …
    Number,
}

/// What normalization learned about one line. Plain data, cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LineFeatures {
    /// Only ASCII whitespace (or nothing): a paragraph separator, never a removal candidate.
    pub blank: bool,
    /// The leading list marker, if the line had one.
    pub marker: Option<Marker>,
    /// xxh3 hash of the key.
    pub hash: u64,
    /// xxh3 hash of the masked key (digit runs as `#`).
    pub masked_hash: u64,
    /// Number of characters in the key.
    pub key_chars: u32,
    /// Key weight: CJK characters count 2, others 1.
    pub weight: u32,
    /// CJK (Han, Kana, Hangul) characters in the key.
    pub cjk_chars: u32,
    /// Digit characters in the key.
    pub digits: u32,
    /// Hash of the line's surface: every non-whitespace character, ASCII letters lowercased,
    /// punctuation and list markers included. Two lines with one key but different surfaces
    /// (`APN goam.com`, `• APN: goam.com`) say the same thing in different form.
    pub surface_hash: u64,
    /// Hash of the digit runs in order; lines that differ only in their numbers differ here.
    pub digit_hash: u64,
    /// The trimmed text ends with sentence punctuation (`.`, `!`, `?`, `。`, `！`, `？`, `…`).
    pub sentence_end: bool,
    /// Non-whitespace characters of the trimmed text.
    pub text_chars: u32,
    /// Punctuation and symbol characters of the trimmed text (everything not a letter, mark,
    /// digit or whitespace).
    pub punct_chars: u32,
    /// The trimmed text has whitespace between words.
    pub spaced: bool,
    /// The trimmed text ends with a full stop (`.`, `。`, `．`): a sentence, not a title.
    pub period_end: bool,
    /// Sentence punctuation marks anywhere in the line.
    pub sentence_marks: u32,
    /// The trimmed text ends with `:` or `：` and is short: a speaker label or a field name.
    pub label: bool,
    /// The trimmed text ends with `:` or `：`, whatever its length: it leads into what follows
    /// (a list, a quote), as a sentence does.
    pub colon_end: bool,
    /// The line holds a separator often used between a title and a site name (`|`, ` - `, `_`,
    /// `–`, `—`, `·`, `»`, `::`).
    pub has_title_separator: bool,
    /// The trimmed text ends with an ellipsis (`...`, `…`) after some words: a teaser or a
    /// headline a generator cut short.
    pub truncated: bool,
}

impl LineFeatures {
    /// The key holds nothing but digits: a counter, a figure, a table cell.
    pub fn is_numeric(&self) -> bool {
        self.key_features().is_numeric()
    }

    /// Non-blank, yet nothing survived normalization: only punctuation, symbols, invisible
    /// whitespace or entities — or a lone list marker (see [`LineFeatures::is_lone_marker`]).
    pub fn is_empty_key(&self) -> bool {
        !self.blank && self.key_chars == 0
    }

    /// A list marker and nothing else (`•`, `1.`, `(3)`).
    pub fn is_lone_marker(&self) -> bool {
        self.is_empty_key() && self.marker.is_some()
    }

    /// Words, not code or data: CJK text or spaced words, with at most one character in eight
    /// being punctuation or a symbol. Code, URLs, JSON and table rows fail this.
    pub fn is_prose(&self) -> bool {
        (self.spaced || self.cjk_chars > 0) && self.punct_chars * 8 <= self.text_chars
    }

    /// No letter and no digit: separator signs (`›‹`, `|`), an icon (`×`, `☰`), or nothing
    /// visible.
    pub fn is_letterless(&self) -> bool {
        self.punct_chars == self.text_chars
    }

    /// A long line with sentence punctuation: running article text.
    pub fn is_body(&self) -> bool {
        self.key_features().is_body()
    }

    /// The part of these features that comes from the key (see [`KeyFeatures`]).
    pub fn key_features(&self) -> KeyFeatures {
        KeyFeatures {
            blank: self.blank,
            hash: self.hash,
            masked_hash: self.masked_hash,
            key_chars: self.key_chars,
            weight: self.weight,
            digits: self.digits,
            sentence_marks: self.sentence_marks,
            label: self.label,
        }
    }
}

/// The features of a line that its key and sentence marks decide: what a crawl's first pass
/// counts, computed by [`KeyBuilder::analyze_key`] without the rest of [`LineFeatures`] (the
/// surface, punctuation and shape), which only cleaning needs. Fields as in [`LineFeatures`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeyFeatures {
    /// See [`LineFeatures::blank`].
    pub blank: bool,
    /// See [`LineFeatures::hash`].
    pub hash: u64,
    /// See [`LineFeatures::masked_hash`].
    pub masked_hash: u64,
    /// See [`LineFeatures::key_chars`].
    pub key_chars: u32,
    /// See [`LineFeatures::weight`].
    pub weight: u32,
    /// See [`LineFeatures::digits`].
    pub digits: u32,
    /// See [`LineFeatures::sentence_marks`].
    pub sentence_marks: u32,
    /// See [`LineFeatures::label`].
    pub label: bool,
}

impl KeyFeatures {
    /// See [`LineFeatures::is_numeric`].
    pub fn is_numeric(&self) -> bool {
        !self.blank && self.key_chars > 0 && self.digits == self.key_chars
    }

    /// See [`LineFeatures::is_body`].
    pub fn is_body(&self) -> bool {
        self.weight >= 60 && self.sentence_marks > 0
    }
}

/// Builds keys into reusable buffers: one per worker, no allocation per line.
#[derive(Debug, Default)]
pub struct KeyBuilder {
    key: String,
    masked: String,
    nfkc: String,
    /// The surface characters of the line last analysed (see [`LineFeatures::surface_hash`]).
    surface: Vec<u8>,
}

impl KeyBuilder {
    /// A builder with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key of the line last given to [`KeyBuilder::analyze`].
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The masked key (digit runs as `#`) of the line last analyzed.
    pub fn masked(&self) -> &str {
        &self.masked
    }

    /// Normalizes one line (without its line ending) and returns its features.
    pub fn analyze(&mut self, content: &[u8]) -> LineFeatures {
        match std::str::from_utf8(content) {
            Ok(text) => self.analyze_str(text),
            Err(_) => self.analyze_str(&String::from_utf8_lossy(content)),
        }
    }

    /// [`KeyBuilder::analyze`] for a line already known to be text (invalid UTF-8 is analysed
    /// as its lossy decoding): no UTF-8 check of its own.
    pub fn analyze_str(&mut self, text: &str) -> LineFeatures {
        self.key.clear();
        self.masked.clear();
        if text.bytes().all(|b| b.is_ascii_whitespace()) {
            return LineFeatures {
                blank: true,
                hash: EMPTY_HASH,
                masked_hash: EMPTY_HASH,
                surface_hash: SURFACE_SEED,
                ..LineFeatures::default()
            };
        }
        let trimmed = text.trim_matches(is_space);
        let (marker, rest) = strip_marker(trimmed);
        let mut feat = LineFeatures {
            marker,
            ..LineFeatures::default()
        };
        let mut acc = Accumulator::default();
        let key_from = trimmed.len() - rest.len();
        let fast = if trimmed.is_ascii() && memchr::memchr(b'&', trimmed.as_bytes()).is_none() {
            self.scan_ascii(trimmed.as_bytes(), key_from, &mut feat, &mut acc);
            true
        } else {
            self.scan::<true>(trimmed, key_from, &mut feat, &mut acc)
        };
        if !fast {
            // Something outside the characters `scan` folds by itself: full NFKC.
            self.key.clear();
            acc = Accumulator::default();
            if is_nfkc_quick(rest.chars()) == IsNormalized::Yes {
                push_unicode(rest, &mut self.key, &mut acc);
            } else {
                self.nfkc.clear();
                self.nfkc.extend(rest.nfkc());
                push_unicode(&self.nfkc, &mut self.key, &mut acc);
            }
        }
        feat.key_chars = acc.chars;
        feat.weight = acc.chars + acc.cjk;
        feat.cjk_chars = acc.cjk;
        feat.digits = acc.digits;
        feat.digit_hash = acc.digit_hash;
        (feat.hash, feat.masked_hash) = self.hash_key(feat.weight, feat.digits);
        finish_shape(trimmed, &mut feat);
        feat
    }

    /// Hashes the key just built, and (for a line of at most [`MASKED_MAX_WEIGHT`]) its masked
    /// form, left in `masked`: `(hash, masked_hash)`, the masked hash 0 for a longer line.
    fn hash_key(&mut self, weight: u32, digits: u32) -> (u64, u64) {
        let hash = xxhash_rust::xxh3::xxh3_64(self.key.as_bytes());
        if weight > MASKED_MAX_WEIGHT {
            return (hash, 0);
        }
        if digits == 0 {
            self.masked.push_str(&self.key);
            return (hash, hash);
        }
        let mut in_digits = false;
        for c in self.key.chars() {
            if c.is_ascii_digit() || (!c.is_ascii() && !is_cjk(c) && c.is_numeric()) {
                if !in_digits {
                    self.masked.push('#');
                }
                in_digits = true;
            } else {
                self.masked.push(c);
                in_digits = false;
            }
        }
        (hash, xxhash_rust::xxh3::xxh3_64(self.masked.as_bytes()))
    }

    /// [`KeyBuilder::analyze`], but only the [`KeyFeatures`]: for a line of ASCII without `&`,
    /// the key is built without the surface, punctuation and shape work; any other line is
    /// analysed in full.
    pub fn analyze_key(&mut self, content: &[u8]) -> KeyFeatures {
        match std::str::from_utf8(content) {
            Ok(text) => self.analyze_key_str(text),
            Err(_) => self.analyze(content).key_features(),
        }
    }

    /// [`KeyBuilder::analyze_key`] for a line already known to be text.
    pub fn analyze_key_str(&mut self, text: &str) -> KeyFeatures {
        let bytes = text.as_bytes();
        if memchr::memchr(b'&', bytes).is_some() {
            return self.analyze_str(text).key_features();
        }
        if !bytes.is_ascii() {
            return self.unicode_key(text);
        }
        // ASCII: `is_space` is `char::is_whitespace`, which (unlike `u8::is_ascii_whitespace`)
        // takes in the vertical tab.
        let is_space = |b: &u8| b.is_ascii_whitespace() || *b == 0x0b;
        let Some(start) = bytes.iter().position(|b| !is_space(b)) else {
            // Nothing but whitespace.
            return self.analyze_str(text).key_features();
        };
        let end = bytes.iter().rposition(|b| !is_space(b)).unwrap_or(start) + 1;
        // ASCII, so every byte is a character boundary.
        let trimmed = &text[start..end];
        self.key.clear();
        self.masked.clear();
        let (_, rest) = strip_marker(trimmed);
        let mut acc = Accumulator::default();
        let (marker, rest) = trimmed.as_bytes().split_at(trimmed.len() - rest.len());
        let marks = self.ascii_key(rest, &mut acc)
            + marker
                .iter()
                .map(|&b| flag(ASCII_BYTE[usize::from(b)], MARK_BIT))
                .sum::<u32>();
        self.finish_key(trimmed, &acc, marks)
    }

    /// The [`KeyFeatures`] of the key just built from `trimmed`: its hashes, counts and label.
    fn finish_key(&mut self, trimmed: &str, acc: &Accumulator, sentence_marks: u32) -> KeyFeatures {
        let weight = acc.chars + acc.cjk;
        let (hash, masked_hash) = self.hash_key(weight, acc.digits);
        KeyFeatures {
            blank: false,
            hash,
            masked_hash,
            key_chars: acc.chars,
            weight,
            digits: acc.digits,
            sentence_marks,
            label: ends_with_colon(trimmed) && weight <= MAX_LABEL_WEIGHT,
        }
    }

    /// [`KeyBuilder::analyze_key_str`] for a line with non-ASCII characters and no `&`: the
    /// scan without the surface and the shape; a line that needs full NFKC, or is nothing but
    /// spaces, is analysed in full.
    fn unicode_key(&mut self, text: &str) -> KeyFeatures {
        let trimmed = text.trim_matches(is_space);
        if trimmed.is_empty() {
            return self.analyze_str(text).key_features();
        }
        self.key.clear();
        self.masked.clear();
        let key_from = trimmed.len() - strip_marker(trimmed).1.len();
        let (mut feat, mut acc) = (LineFeatures::default(), Accumulator::default());
        if !self.scan::<false>(trimmed, key_from, &mut feat, &mut acc) {
            return self.analyze_str(text).key_features();
        }
        self.finish_key(trimmed, &acc, feat.sentence_marks)
    }

    /// [`KeyBuilder::scan`] for a line of ASCII without `&` (so without entities), the common
    /// case, with the same results: counters in registers and no branch per byte, then the digit
    /// runs read back from the key.
    #[inline(never)]
    fn scan_ascii(
        &mut self,
        bytes: &[u8],
        key_from: usize,
        feat: &mut LineFeatures,
        acc: &mut Accumulator,
    ) {
        let (mut text, mut punct, mut marks) = (0u32, 0u32, 0u32);
        let surface = &mut self.surface;
        surface.clear();
        surface.resize(bytes.len(), 0);
        let mut key = std::mem::take(&mut self.key).into_bytes();
        key.clear();
        key.resize(bytes.len() - key_from, 0);
        let (marker, rest) = bytes.split_at(key_from);
        for &b in marker {
            let e = ASCII_BYTE[usize::from(b)];
            // `text` counts bytes already read: the slot exists.
            if let Some(slot) = surface.get_mut(text as usize) {
                *slot = e as u8;
            }
            text += flag(e, VISIBLE_BIT);
            punct += flag(e, PUNCT_BIT);
            marks += flag(e, MARK_BIT);
        }
        // The rest goes to the surface and the key in the same pass.
        let (mut n, mut digits) = (0, 0u32);
        for &b in rest {
            let e = ASCII_BYTE[usize::from(b)];
            if let Some(slot) = surface.get_mut(text as usize) {
                *slot = e as u8;
            }
            if let Some(slot) = key.get_mut(n) {
                *slot = e as u8;
            }
            text += flag(e, VISIBLE_BIT);
            punct += flag(e, PUNCT_BIT);
            marks += flag(e, MARK_BIT);
            n += flag(e, KEYED_BIT) as usize;
            digits += flag(e, DIGIT_BIT);
        }
        surface.truncate(text as usize);
        feat.surface_hash = surface_hash(surface);
        feat.text_chars = text;
        feat.punct_chars = punct;
        feat.sentence_marks = marks;
        feat.spaced = text < bytes.len() as u32;
        key.truncate(n);
        self.set_ascii_key(key, digits, acc);
    }

    /// The key of ASCII text `from` (after any list marker): letters and digits, lowercased,
    /// compacted without a branch per byte (one lookup in [`ASCII_BYTE`] per byte), then the digit runs read back from it.
    /// Returns the sentence marks in `from`.
    fn ascii_key(&mut self, from: &[u8], acc: &mut Accumulator) -> u32 {
        let mut key = std::mem::take(&mut self.key).into_bytes();
        key.clear();
        key.resize(from.len(), 0);
        let (mut n, mut digits, mut marks) = (0, 0u32, 0u32);
        for &b in from {
            let e = ASCII_BYTE[usize::from(b)];
            // `n` counts bytes already read: the slot exists.
            if let Some(slot) = key.get_mut(n) {
                *slot = e as u8;
            }
            n += flag(e, KEYED_BIT) as usize;
            digits += flag(e, DIGIT_BIT);
            marks += flag(e, MARK_BIT);
        }
        key.truncate(n);
        self.set_ascii_key(key, digits, acc);
        marks
    }

    /// Makes `key` (ASCII letters and digits, `digits` of them digits) the key, its characters
    /// and digit runs counted into `acc`.
    fn set_ascii_key(&mut self, key: Vec<u8>, digits: u32, acc: &mut Accumulator) {
        if digits == 0 {
            acc.chars = key.len() as u32;
        } else {
            for &b in &key {
                if b.is_ascii_digit() {
                    acc.digit(char::from(b));
                } else {
                    acc.other();
                }
            }
        }
        // Only ASCII letters and digits went in.
        self.key = String::from_utf8(key).unwrap_or_default();
    }

    /// One pass over the trimmed line: the surface bytes, punctuation counts, and — for
    /// characters it can fold by itself (ASCII, CJK, full-width forms, Latin-1 letters, common
    /// CJK and general punctuation, all NFKC-stable or folded here exactly as NFKC would) — the
    /// key. Returns false when some character needs full NFKC; the key is then rebuilt.
    /// `SURFACE`: whether the surface is wanted too (the key alone does not need it).
    fn scan<const SURFACE: bool>(
        &mut self,
        trimmed: &str,
        key_from: usize,
        feat: &mut LineFeatures,
        acc: &mut Accumulator,
    ) -> bool {
        let bytes = trimmed.as_bytes();
        let mut fast = true;
        let mut stats = Stats::default();
        let mut entities = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if b == b'&'
                    && let Some(n) = entity_len(&bytes[i..])
                {
                    i += n;
                    entities = true;
                    continue;
                }
                let in_key = i >= key_from;
                i += 1;
                if b.is_ascii_whitespace() {
                    stats.spaced = true;
                    continue;
                }
                ascii_char(b, in_key, &mut self.key, acc, &mut stats);
                continue;
            }
            // A common Han ideograph, read without decoding: one character of text, of the
            // key, and of its CJK count.
            if common_han(&bytes[i..]).is_some() {
                stats.text += 1;
                if i >= key_from {
                    self.key.push_str(&trimmed[i..i + 3]);
                    acc.other();
                    acc.cjk += 1;
                }
                i += 3;
                continue;
            }
            let Some(c) = trimmed[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            let in_key = i >= key_from;
            let class = fast_class(c);
            i += len;
            match class {
                Class::Space => stats.spaced = true,
                Class::Punct { mark } => {
                    stats.text += 1;
                    stats.punct += 1;
                    stats.marks += u32::from(mark);
                }
                Class::Ascii(a) => ascii_char(a, in_key, &mut self.key, acc, &mut stats),
                Class::Cjk => {
                    stats.text += 1;
                    if in_key {
                        self.key.push(c);
                        acc.other();
                        acc.cjk += 1;
                    }
                }
                Class::Letter(l) => {
                    stats.text += 1;
                    if in_key {
                        self.key.push(l);
                        acc.other();
                    }
                }
                Class::Sign => {
                    stats.text += 1;
                    stats.punct += 1;
                    if in_key {
                        self.key.push(c);
                        acc.other();
                    }
                }
                Class::Slow => {
                    fast = false;
                    stats.text += 1;
                    if !c.is_alphanumeric() {
                        stats.punct += 1;
                    }
                    if SENTENCE_MARKS.contains(&c) {
                        stats.marks += 1;
                    }
                }
            }
        }
        feat.text_chars = stats.text;
        feat.punct_chars = stats.punct;
        feat.sentence_marks = stats.marks;
        feat.spaced = stats.spaced;
        if !SURFACE {
            return fast;
        }
        self.surface.clear();
        if stats.spaced || entities {
            surface_chars(trimmed, &mut self.surface);
        } else {
            // Every character is on the surface.
            self.surface
                .extend(bytes.iter().map(u8::to_ascii_lowercase));
        }
        feat.surface_hash = surface_hash(&self.surface);
        fast
    }
}

const SURFACE_SEED: u64 = 0x243F_6A88_85A3_08D3;

/// How the ASCII paths read each byte, as one table: its ASCII lowercase form in the low
/// byte, and flag bits above it.
pub(crate) const ASCII_BYTE: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.to_ascii_lowercase() as u16;
        if c.is_ascii() && !c.is_ascii_whitespace() {
            t[b] |= VISIBLE;
            if !c.is_ascii_alphanumeric() {
                t[b] |= PUNCT;
            }
            if matches!(c, b'.' | b'!' | b'?' | b';') {
                t[b] |= MARK;
            }
        }
        if c.is_ascii_alphanumeric() {
            t[b] |= KEYED;
        }
        if c.is_ascii_digit() {
            t[b] |= DIGIT;
        }
        b += 1;
    }
    t
};

/// [`ASCII_BYTE`] flags, each a bit of its own: not ASCII whitespace (as
/// `u8::is_ascii_whitespace`; a vertical tab is visible), visible but not a letter or digit, a
/// sentence mark, a letter or digit (it goes in the key), a digit.
const VISIBLE_BIT: u32 = 8;
const PUNCT_BIT: u32 = 9;
const MARK_BIT: u32 = 10;
const KEYED_BIT: u32 = 11;
const DIGIT_BIT: u32 = 12;
const VISIBLE: u16 = 1 << VISIBLE_BIT;
const PUNCT: u16 = 1 << PUNCT_BIT;
const MARK: u16 = 1 << MARK_BIT;
pub(crate) const KEYED: u16 = 1 << KEYED_BIT;
const DIGIT: u16 = 1 << DIGIT_BIT;

/// Whether the [`ASCII_BYTE`] entry `e` has the flag at `bit`, as 0 or 1.
#[inline]
fn flag(e: u16, bit: u32) -> u32 {
    u32::from(e >> bit) & 1
}

/// Appends the surface characters of `line` (trimmed) to `out`: every character but whitespace
/// and entities, as [`KeyBuilder::scan`] reads them, ASCII letters lowercased.
fn surface_chars(line: &str, out: &mut Vec<u8>) {
    for (i, c) in chars_without_entities(line) {
        if c.is_ascii() {
            if !c.is_ascii_whitespace() {
                out.push(c.to_ascii_lowercase() as u8);
            }
        } else if !matches!(fast_class(c), Class::Space) {
            out.extend_from_slice(&line.as_bytes()[i..i + c.len_utf8()]);
        }
    }
}

/// The characters of `text` with their byte offsets, HTML entities (`&amp;`, `&#8217;`) left
/// out.
fn chars_without_entities(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        loop {
            let (i, c) = chars.next()?;
            if c == '&'
                && let Some(n) = entity_len(&bytes[i..])
            {
                // Entities are ASCII: n - 1 more characters.
                for _ in 1..n {
                    chars.next();
                }
                continue;
            }
            return Some((i, c));
        }
    })
}

/// The surface hash of a line's surface characters (UTF-8, ASCII letters lowercased).
fn surface_hash(surface: &[u8]) -> u64 {
    if surface.is_empty() {
        SURFACE_SEED
    } else {
        xxhash_rust::xxh3::xxh3_64(surface)
    }
}

/// Longest key weight for which the masked key is built: phrase rules never match longer lines.
pub const MASKED_MAX_WEIGHT: u32 = 256;

const EMPTY_HASH: u64 = 0x2d06_8005_38d3_94c2;

#[derive(Default)]
struct Stats {
    text: u32,
    punct: u32,
    marks: u32,
    spaced: bool,
}

/// The common Han ideograph (U+4E00..U+9FFF) that `bytes` (valid UTF-8) starts with, read
/// from its three bytes without decoding: lead byte E4 with a second byte from B8, or E5..E9.
#[inline]
pub(crate) fn common_han(bytes: &[u8]) -> Option<u32> {
    match *bytes {
        [b0 @ 0xE4..=0xE9, b1, b2, ..] if b0 != 0xE4 || b1 >= 0xB8 => {
            Some((u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F))
        }
        _ => None,
    }
}

/// `c` as the fast path folds it for NFKC, when that needs no Unicode tables: full-width ASCII
/// forms become ASCII, every other character the fast path knows stays as it is. Spaces and
/// punctuation may differ from true NFKC (`…` stays one character, NFKC makes three dots), but
/// only into other spaces and punctuation, so this is exact for what reads letters and digits.
/// `None`: the character needs full NFKC.
pub(crate) fn fast_fold(c: char) -> Option<char> {
    match fast_class(c) {
        Class::Slow => None,
        Class::Ascii(b) => Some(char::from(b)),
        _ => Some(c),
    }
}

/// How the fast path treats a non-ASCII character.
enum Class {
    Space,
    Punct {
        mark: bool,
    },
    /// A full-width form that NFKC folds to this ASCII byte.
    Ascii(u8),
    Cjk,
    /// A letter, already lowercased.
    Letter(char),
    /// `©` or `®`: kept in keys.
    Sign,
    /// Needs full NFKC.
    Slow,
}

#[inline(always)]
fn fast_class(c: char) -> Class {
    match c {
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309D}'..='\u{309E}'
        | '\u{30A1}'..='\u{30FA}'
        | '\u{30FC}'..='\u{30FE}' => Class::Cjk,
        '\u{FF01}'..='\u{FF5E}' => Class::Ascii((c as u32 - 0xFEE0) as u8),
        '\u{3000}'
        | '\u{00A0}'
        | '\u{2000}'..='\u{200D}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{202F}' => Class::Space,
        '\u{3002}' => Class::Punct { mark: true },
        '\u{3001}'
        | '\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301F}'
        | '\u{30FB}' => Class::Punct { mark: false },
        '\u{2026}' => Class::Punct { mark: true },
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' => Class::Punct { mark: false },
        '\u{00A9}' | '\u{00AE}' => Class::Sign,
        '\u{00A1}' | '\u{00A6}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}'
        | '\u{00BB}' | '\u{00BF}' | '\u{00D7}' | '\u{00F7}' => Class::Punct { mark: false },
        '\u{00C0}'..='\u{00DE}' => Class::Letter(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        '\u{00E0}'..='\u{00FF}' => Class::Letter(c),
        _ => Class::Slow,
    }
}

#[inline]
fn ascii_char(b: u8, in_key: bool, key: &mut String, acc: &mut Accumulator, stats: &mut Stats) {
    stats.text += 1;
    if b.is_ascii_alphanumeric() {
        if in_key {
            if b.is_ascii_digit() {
                key.push(b as char);
                acc.digit(b as char);
            } else {
                key.push(b.to_ascii_lowercase() as char);
                acc.other();
            }
        }
    } else {
        stats.punct += 1;
        if matches!(b, b'.' | b'!' | b'?' | b';') {
            stats.marks += 1;
        }
    }
}

/// Whitespace for trimming: Unicode whitespace plus the zero-width characters scrapers leave.
fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Counters gathered while the key is built.
#[derive(Debug, Default, PartialEq)]
struct Accumulator {
    chars: u32,
    cjk: u32,
    digits: u32,
    digit_hash: u64,
    in_digits: bool,
}

impl Accumulator {
    fn digit(&mut self, c: char) {
        if !self.in_digits {
            self.in_digits = true;
            // A run separator keeps "1 23" apart from "12 3".
            self.digit_hash = mix(self.digit_hash, u64::from(u32::MAX));
        }
        self.digit_hash = mix(self.digit_hash, u64::from(c as u32));
        self.digits += 1;
        self.chars += 1;
    }

    fn other(&mut self) {
        self.in_digits = false;
        self.chars += 1;
    }
}

fn mix(h: u64, v: u64) -> u64 {
    (h ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

/// Length of an HTML entity (`&nbsp;`, `&#160;`, `&#xa0;`) starting at `bytes[0] == b'&'`.
fn entity_len(bytes: &[u8]) -> Option<usize> {
    let body = bytes.get(1..bytes.len().min(12))?;
    let end = body.iter().position(|&b| b == b';')?;
    let name = &body[..end];
    let ok = !name.is_empty()
        && (name.iter().all(u8::is_ascii_alphanumeric)
            || (name[0] == b'#'
                && name.len() > 1
                && name[1..].iter().all(u8::is_ascii_alphanumeric)));
    ok.then_some(end + 2)
}

/// Han, Kana and Hangul: letters without case, counted double in the weight.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{309F}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

fn push_unicode(text: &str, key: &mut String, acc: &mut Accumulator) {
    for (_, c) in chars_without_entities(text) {
        if c.is_ascii() {
            let b = c as u8;
            if b.is_ascii_digit() {
                key.push(c);
                acc.digit(c);
            } else if b.is_ascii_alphabetic() {
                key.push(b.to_ascii_lowercase() as char);
                acc.other();
            }
            continue;
        }
        if is_cjk(c) {
            key.push(c);
            acc.other();
            acc.cjk += 1;
            continue;
        }
        match c.general_category_group() {
            GeneralCategoryGroup::Letter => fold_case(c, key, acc),
            GeneralCategoryGroup::Mark => {
                key.push(c);
                acc.other();
            }
            GeneralCategoryGroup::Number => {
                key.push(c);
                acc.digit(c);
            }
            GeneralCategoryGroup::Symbol if matches!(c, '©' | '®' | '℗') => {
                key.push(c);
                acc.other();
            }
            _ => {}
        }
    }
}

fn fold_case(c: char, key: &mut String, acc: &mut Accumulator) {
    match c {
        'ß' | 'ẞ' => {
            key.push_str("ss");
            acc.other();
            acc.other();
        }
        'ς' => {
            key.push('σ');
            acc.other();
        }
        'ſ' => {
            key.push('s');
            acc.other();
        }
        _ if !c.is_uppercase() => {
            key.push(c);
            acc.other();
        }
        _ => {
            for lc in c.to_lowercase() {
                key.push(lc);
                acc.other();
            }
        }
    }
}

const SENTENCE_MARKS: &[char] = &['.', '!', '?', '。', '！', '？', '…', '；', ';'];
const CLOSERS: &[char] = &[
    '"', '\'', '”', '’', '」', '』', ')', '）', ']', '】', '》', '〉', '»', '›',
];
const TITLE_SEPARATORS: &[&str] = &[
    " | ", "｜", " - ", " – ", " — ", "_", " · ", " » ", " :: ", " / ", "——",
];

/// Whether `s` holds one of [`TITLE_SEPARATORS`]: one pass over the bytes, each separator tried
/// only where its first byte is (a search per separator cost 5 % of a crawl).
fn has_title_separator(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).any(|i| {
        SEPARATOR_STARTS[usize::from(b[i])]
            && TITLE_SEPARATORS
                .iter()
                .any(|sep| b[i..].starts_with(sep.as_bytes()))
    })
}

/// The bytes a title separator can start with.
const SEPARATOR_STARTS: [bool; 256] = {
    let mut starts = [false; 256];
    let mut i = 0;
    while i < TITLE_SEPARATORS.len() {
        starts[TITLE_SEPARATORS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    starts
};

/// Heaviest line ending with a colon that is a label (a speaker, a field name) rather than a
/// sentence leading into what follows.
const MAX_LABEL_WEIGHT: u32 = 24;

/// The trimmed text ends with `:` or `：`.
fn ends_with_colon(trimmed: &str) -> bool {
    trimmed.ends_with([':', '：'])
}

/// Features read off the end of the line, and the title separators (only for lines short
/// enough to be titles: the substring searches would cost too much on every paragraph).
fn finish_shape(trimmed: &str, feat: &mut LineFeatures) {
    let tail = trimmed.trim_end_matches(CLOSERS);
    feat.sentence_end =
        tail.ends_with(|c: char| SENTENCE_MARKS.contains(&c) && c != ';' && c != '；');
    feat.period_end = tail.ends_with(['.', '。', '．']);
    feat.truncated = feat.key_chars > 0 && (tail.ends_with("...") || tail.ends_with(['…', '⋯']));
    feat.colon_end = ends_with_colon(trimmed);
    feat.label = feat.colon_end && feat.weight <= MAX_LABEL_WEIGHT;
    if !feat.period_end && feat.weight <= crate::detect::title::MAX_TITLE_WEIGHT {
        feat.has_title_separator = has_title_separator(trimmed);
    }
}

const BULLETS: &[char] = &[
    '•', '·', '‧', '∙', '◦', '●', '○', '◎', '■', '□', '▪', '▫', '◆', '◇', '►', '▶', '▸', '▹', '➤',
    '➢', '→', '»', '›', '–', '—', '✓', '✔', '✗', '✘', '☐', '☑', '★', '☆', '♦', '◈', '※', '∎', '⁃',
    '‣',
];
const ASCII_BULLETS: &[char] = &['-', '*', '+', '~', '>'];
const CJK_NUMERALS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '〇', '百',
];

/// Splits one leading list marker from a trimmed line; returns the marker kind and the rest.
pub fn strip_marker(s: &str) -> (Option<Marker>, &str) {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return (None, s);
    };
    let after_first = &s[first.len_utf8()..];
    if BULLETS.contains(&first) {
        return (
            Some(Marker::Bullet),
            after_first.trim_start_matches(is_space),
        );
    }
    if ASCII_BULLETS.contains(&first) {
        if after_first.is_empty() {
            return (Some(Marker::Bullet), after_first);
        }
        if after_first.starts_with(is_space) {
            return (
                Some(Marker::Bullet),
                after_first.trim_start_matches(is_space),
            );
        }
        return (None, s);
    }
    if ('①'..='⑳').contains(&first) || ('❶'..='❿').contains(&first) || ('⑴'..='⒇').contains(&first)
    {
        return (
            Some(Marker::Number),
            after_first.trim_start_matches(is_space),
        );
    }
    if let Some(rest) = strip_enumerator(s) {
        return (Some(Marker::Number), rest.trim_start_matches(is_space));
    }
    (None, s)
}

/// `12.`, `12)`, `12、`, `(12)`, `（12）`, `一、`, `(一)`, `a)` — with no digit right after.
fn strip_enumerator(s: &str) -> Option<&str> {
    let is_num = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let is_cjk_num = |c: char| CJK_NUMERALS.contains(&c);
    // Bracketed: (12) （12） (一)
    if let Some(inner) = s.strip_prefix(['(', '（']) {
        let end = inner.find([')', '）'])?;
        let body = &inner[..end];
        let n = body.chars().count();
        let ok = (1..=3).contains(&n) && (body.chars().all(is_num) || body.chars().all(is_cjk_num));
        if !ok {
            return None;
        }
        let close = inner[end..].chars().next()?;
        return Some(&inner[end + close.len_utf8()..]);
    }
    // Digits or CJK numerals followed by a closing sign.
    let body_len: usize = s
        .chars()
        .take_while(|&c| is_num(c) || is_cjk_num(c))
        .map(char::len_utf8)
        .sum();
    if body_len > 0 {
        let body = &s[..body_len];
        let cjk = body.chars().all(is_cjk_num);
        let digits = body.chars().all(is_num);
        if !(cjk || digits) || body.chars().count() > 3 {
            return None;
        }
        let rest = &s[body_len..];
        let sign = rest.chars().next()?;
        let ok = if cjk {
            sign == '、'
        } else {
            matches!(sign, '.' | ')' | '、' | '．' | '）')
        };
        if !ok {
            return None;
        }
        let after = &rest[sign.len_utf8()..];
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            return None; // 1.5 million
        }
        return Some(after);
    }
    // A single Latin letter and a parenthesis: `a) item`.
    let mut it = s.chars();
    let (a, b) = (it.next()?, it.next()?);
    if a.is_ascii_alphabetic() && b == ')' && it.next().is_some_and(is_space) {
        return Some(&s[2..]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> (String, LineFeatures) {
        let mut b = KeyBuilder::new();
        let f = b.analyze(s.as_bytes());
        (b.key().to_string(), f)
    }

    #[test]
    fn markup_and_case_do_not_change_the_key() {
        let variants = [
            "Visits: 0",
            "  visits 0",
            "VISITS:0",
            "• Visits: 0",
            "Ｖｉｓｉｔｓ：０",
        ];
        let keys: Vec<_> = variants.iter().map(|v| key(v).0).collect();
        assert!(keys.iter().all(|k| k == "visits0"), "{keys:?}");
    }

    #[test]
    fn chinese_title_in_two_markups_shares_a_key() {
        let a = key("  • 塑造社会治理现代化新标杆 ——南京江北新区调研报告之三");
        let b = key("    塑造社会治理现代化新标杆 ——南京江北新区调研报告之三");
        assert_eq!(a.0, b.0);
        assert_eq!(a.1.marker, Some(Marker::Bullet));
        assert_eq!(b.1.marker, None);
        assert_eq!(a.1.weight, a.1.key_chars * 2); // all CJK: each counts twice
    }

    #[test]
    fn markers_and_numbering_are_stripped() {
        for s in [
            "1. Mix the flour",
            "(1) Mix the flour",
            "（1）Mix the flour",
            "① Mix the flour",
            "- Mix the flour",
            "* Mix the flour",
            "a) Mix the flour",
            "12) Mix the flour",
        ] {
            let (k, f) = key(s);
            assert_eq!(k, "mixtheflour", "{s}");
            assert!(f.marker.is_some(), "{s}");
        }
        assert_eq!(key("一、总体要求").0, "总体要求");
        assert_eq!(key("(二)主要任务").0, "主要任务");
    }

    #[test]
    fn numbers_that_are_not_markers_stay() {
        assert_eq!(key("1.5 million people").0, "15millionpeople");
        assert_eq!(key("-5 degrees").0, "5degrees");
        assert_eq!(key("-5 degrees").1.marker, None);
        assert_eq!(key("2019").0, "2019");
        assert!(key("2019").1.is_numeric());
    }

    #[test]
    fn noise_lines_have_empty_keys() {
        for s in [
            "\u{a0}",
            "    \u{a0}",
            "&nbsp;",
            "|",
            "»",
            "...",
            "\u{3000}",
            "— —",
            "&#160;&#xa0;",
        ] {
            let (k, f) = key(s);
            assert!(k.is_empty(), "{s:?} gave {k:?}");
            assert!(!f.blank, "{s:?} is not an ASCII blank line");
        }
        assert!(key("").1.blank);
        assert!(key(" \t\r").1.blank);
        assert!(key("•").1.is_lone_marker());
    }

    #[test]
    fn masked_key_hides_digit_runs() {
        let mut b = KeyBuilder::new();
        let f1 = b.analyze("阅读 123".as_bytes());
        assert_eq!(b.masked(), "阅读#");
        let f2 = b.analyze("阅读(7)".as_bytes());
        assert_eq!(f1.masked_hash, f2.masked_hash);
        assert_ne!(f1.hash, f2.hash);
        assert_ne!(f1.digit_hash, f2.digit_hash);
    }

    #[test]
    fn nfkc_and_full_case_folding() {
        assert_eq!(key("ﬁnance STRAßE").0, "financestrasse");
        assert_eq!(key("ΟΔΟΣ").0, key("οδος").0);
        assert_eq!(key("Ⅻ ①").0, "xii1");
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let mut b = KeyBuilder::new();
        let f = b.analyze(b"abc\xff\xfedef");
        assert_eq!(b.key(), "abcdef");
        assert_eq!(f.key_chars, 6);
    }

    #[test]
    fn sentence_and_label_features() {
        assert!(key("This is a sentence.").1.sentence_end);
        assert!(key("这是一句话。”").1.sentence_end);
        assert!(key("记者：").1.label);
        assert!(key("Q:").1.label);
        let long = key("Here is a long line that happens to end in a colon and is not a label:").1;
        assert!(!long.label && long.colon_end);
        assert!(key("记者：").1.colon_end);
        assert!(!key("Time: 10:30").1.colon_end);
        assert!(key("Title | Site").1.has_title_separator);
        for cut in [
            "Rescue crews hunt for tourists trapped under…",
            "新春走基层）公主岭三里堡...",
            "“当国家队，染国家色，履…”",
        ] {
            assert!(key(cut).1.truncated, "{cut}");
        }
        for whole in ["The bridge reopened.", "…", "...", "Wait... and see"] {
            assert!(!key(whole).1.truncated, "{whole}");
        }
    }

    #[test]
    fn every_title_separator_is_found_and_nothing_else() {
        for sep in TITLE_SEPARATORS {
            let line = format!("Headline of the day{sep}Site");
            assert!(has_title_separator(&line), "{line:?}");
            assert!(has_title_separator(sep), "{sep:?}");
        }
        for plain in [
            "Headline of the day",
            "a-b c|d",
            "x/y",
            "—",
            "上海：新闻",
            "",
        ] {
            assert!(!has_title_separator(plain), "{plain:?}");
        }
    }

    #[test]
    fn surface_tells_markup_apart_but_not_spacing_or_case() {
        let a = key("APN goam.com").1;
        let b = key("• APN: goam.com").1;
        let c = key("  apn   GOAM.com ").1;
        assert_eq!(a.hash, b.hash);
        assert_ne!(a.surface_hash, b.surface_hash);
        assert_eq!(a.surface_hash, c.surface_hash);
    }

    #[test]
    fn surface_is_the_same_whichever_path_reads_the_line() {
        // ASCII lines take `scan_ascii`; a no-break space or an entity sends the same visible
        // characters through `scan`.
        let ascii = key("Visits: 0").1;
        for other in ["Visits:\u{a0}0", "Visits:&nbsp;0", "VISITS:\u{3000}0"] {
            assert_eq!(key(other).1.surface_hash, ascii.surface_hash, "{other:?}");
        }
        assert_ne!(key("Visits; 0").1.surface_hash, ascii.surface_hash);
        assert_ne!(key("Visits：0").1.surface_hash, ascii.surface_hash);
    }

    proptest::proptest! {
        #[test]
        fn ascii_path_agrees_with_the_general_scan(
            line in r#"[ \t\x0b\x0ca-zA-Z0-9.,;:!?#*+~>|_()\[\]'"/-]{1,60}"#,
        ) {
            let trimmed = line.trim_matches(is_space);
            let key_from = trimmed.len() - strip_marker(trimmed).1.len();
            let mut general = (KeyBuilder::new(), LineFeatures::default(), Accumulator::default());
            let mut ascii = (KeyBuilder::new(), LineFeatures::default(), Accumulator::default());
            let fast = general.0.scan::<true>(trimmed, key_from, &mut general.1, &mut general.2);
            ascii.0.scan_ascii(trimmed.as_bytes(), key_from, &mut ascii.1, &mut ascii.2);
            proptest::prop_assert!(fast);
            proptest::prop_assert_eq!(general.0.key(), ascii.0.key());
            proptest::prop_assert_eq!(general.1, ascii.1);
            proptest::prop_assert_eq!(general.2, ascii.2);
        }

        /// Han ideographs the scan reads without decoding (U+4E00..U+9FFF) fold, count and
        /// weigh as the general path (full NFKC, sent there by a ligature) has them, and the
        /// characters on either side of that range do not take the shortcut.
        #[test]
        fn han_shortcut_agrees_with_the_general_path(chars in proptest::collection::vec(
            proptest::sample::select(vec![
                '\u{4E00}', '\u{4FFF}', '\u{5000}', '\u{9FFF}', '中', '文', '\u{4DFF}',
                '\u{4DBF}', '\u{3400}', '\u{A000}', '\u{A4C6}', 'あ', 'a', 'Z', '7', ' ', '。',
                '，', '·',
            ]),
            1..30,
        )) {
            let text: String = chars.into_iter().collect();
            let (mut fast, mut slow) = (KeyBuilder::new(), KeyBuilder::new());
            let f = fast.analyze(format!("{text} fi").as_bytes());
            let s = slow.analyze(format!("{text} \u{FB01}").as_bytes());
            proptest::prop_assert_eq!(fast.key(), slow.key());
            proptest::prop_assert_eq!(
                (f.hash, f.masked_hash, f.weight, f.cjk_chars, f.key_chars, f.digits),
                (s.hash, s.masked_hash, s.weight, s.cjk_chars, s.key_chars, s.digits)
            );
        }

        #[test]
        fn key_features_alone_agree_with_the_full_analysis(
            line in proptest::prop_oneof![
                r#"[ \t\x0b\x0ca-zA-Z0-9.,;:!?#*+~>|_()\[\]'"/-]{0,120}"#,
                r#"[ a-z0-9.:&;\u{a0}\u{3000}一二、。：•①]{0,40}"#,
                r#"[ \ta-zA-Z0-9.:：！？!?\u{a0}\u{3000}\u{200b}一二中文社区あカ한éÀ©·、。•①ＡＢ１ﬁ]{0,40}"#,
            ],
        ) {
            let (mut full, mut lean) = (KeyBuilder::new(), KeyBuilder::new());
            let expected = full.analyze(line.as_bytes()).key_features();
            proptest::prop_assert_eq!(lean.analyze_key(line.as_bytes()), expected);
            proptest::prop_assert_eq!(lean.masked(), full.masked());
        }
    }

    #[test]
    fn key_features_alone_of_lines_at_the_edges() {
        let (mut full, mut lean) = (KeyBuilder::new(), KeyBuilder::new());
        let long_sentence = format!("{}.", "word ".repeat(20));
        let long_field = format!("{}:", "word ".repeat(60));
        for line in [
            "",
            "  ",
            "\x0b",
            " \x0b- item 12 ",
            "Visits: 0",
            "Name:",
            "Name:\x0b",
            "1. First",
            "(3)",
            "- ",
            "Page 2 of 14",
            &long_sentence,
            &long_field,
        ] {
            let expected = full.analyze(line.as_bytes()).key_features();
            assert_eq!(lean.analyze_key(line.as_bytes()), expected, "{line:?}");
        }
    }

    #[test]
    fn fast_path_agrees_with_full_nfkc() {
        // Lines the fast path folds by itself must get the key full NFKC would give them.
        for line in [
            "Ｈｅｌｌｏ，　ＷＯＲＬＤ！１２３",
            "Café ÀÉÎÕÜ ×÷ «quoted» ©2024",
            "随着环保意识的提高，可持续消费成为新的消费趋势。",
            "カタカナとひらがな、한국어 텍스트",
            "“smart” quotes — and dashes… ‘here’",
        ] {
            let mut kb = KeyBuilder::new();
            kb.analyze(line.as_bytes());
            let fast = kb.key().to_string();
            let mut slow = String::new();
            let nfkc: String = line.nfkc().collect();
            push_unicode(&nfkc, &mut slow, &mut Accumulator::default());
            assert_eq!(fast, slow, "{line}");
        }
    }

    #[test]
    fn empty_hash_constant_is_xxh3_of_nothing() {
        assert_eq!(EMPTY_HASH, xxhash_rust::xxh3::xxh3_64(b""));
    }

    #[test]
    fn pinned_hash_values() {
        // The key hash is part of the on-disk contract (profiles, reports): pin it.
        let (_, f) = key("Hello, World!");
        assert_eq!(f.hash, 0xffdc_ce9d_0e1f_7d46);
        assert_eq!(
            f.masked_hash, f.hash,
            "no digits, so the masked key is the key"
        );
    }
}
