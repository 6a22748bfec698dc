//! One view of a line: everything the detectors and the boilerplate model read about it, built
//! by one constructor ([`ViewBuilder::view`]) from the line's text.
//!
//! The view holds the key-level [`LineFeatures`] of [`crate::normalize`] and what the text
//! says besides: whether a phrase rule or a menu name matches, whether the line reads like a
//! link label, a headline, a timestamp, HTML markup or an enumerated item, and the counts the
//! model's word features are made of (words, capitalised words, stop words per language,
//! Chinese function characters, kana). It says nothing about the line's neighbours: that is the
//! page context's business ([`crate::context`]).
//!
//! Cost: the text checks run only on lines short enough to be items or headlines; the word
//! counts look at the first [`MAX_COUNTED_WORDS`] words of a line, enough to tell prose from a
//! label.

use std::collections::HashMap;

use crate::detect::menu::MenuNames;
use crate::detect::noise::{self, Shape};
use crate::detect::phrase::{PhraseSet, RuleKind};
use crate::lexicon::{STOP_LANGS, StopWords, cjk_function_char};
use crate::normalize::{KeyBuilder, LineFeatures, Marker, is_cjk};

/// Heaviest line (key weight: a CJK character counts 2) that can be a menu item: three or four
/// words, a dozen CJK characters. Measured: the items of real menus are below it; most
/// headlines are above.
pub const MAX_ITEM_WEIGHT: u32 = 30;
/// Heaviest line that can be a link title (a headline in a list of links).
pub const MAX_LINK_WEIGHT: u32 = 60;
/// Heaviest line that can be a headline-like list entry with clause punctuation
/// ([`LineView::loose`]).
pub const MAX_LOOSE_WEIGHT: u32 = 100;
/// Words of a line the word features count: enough to tell prose from a label (a CJK line's
/// first twice as many characters).
pub const MAX_COUNTED_WORDS: usize = 24;

/// What the detectors and the model read about one line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineView {
    /// Key-level features (weight, hashes, punctuation, marker …).
    pub feat: LineFeatures,
    /// Longer than the line cap: kept untouched, never analysed.
    pub oversized: bool,
    /// The phrase rule that matched, by index into the run's [`PhraseSet`].
    pub phrase: Option<u32>,
    /// How that rule matches.
    pub phrase_kind: Option<RuleKind>,
    /// The whole line is a menu section name (`News`, `财经`).
    pub menu_name: bool,
    /// A menu printed on one line (`About us | Contact | Privacy`): its items.
    pub menu_row: Option<u16>,
    /// The raw shape of a line whose key is empty or numeric (for the noise detector).
    pub shape: Shape,
    /// Reads like a menu item: short, without the marks of content ([`is_menu_item`]).
    pub item: bool,
    /// Reads like a link title: a menu item's shape, up to [`MAX_LINK_WEIGHT`].
    pub link: bool,
    /// Reads like a headline though no link title: a comma, a colon or spaced CJK words, no
    /// sentence end ([`is_loose_item`]).
    pub loose: bool,
    /// A date or a time alone on the line.
    pub stamp: bool,
    /// A line of HTML markup (`<img src=…>`).
    pub markup: bool,
    /// Numbered: `1.`, `(2)`, `一、`, `3.1 Title`.
    pub enumerated: bool,
    /// Marks of content no link label carries: a field name, code, a spoken ending, mostly
    /// digits ([`has_content_marks`]).
    pub content_marks: bool,
    /// Words (letters between non-letters), up to [`MAX_COUNTED_WORDS`].
    pub words: u16,
    /// Of them, capitalised.
    pub capitalized: u16,
    /// Of them, stop words of each language of [`STOP_LANGS`].
    pub stop_hits: [u8; STOP_LANGS.len()],
    /// CJK characters counted (up to 2 × [`MAX_COUNTED_WORDS`]).
    pub cjk: u16,
    /// Of them, Chinese function characters or kana.
    pub cjk_function: u16,
}

impl LineView {
    /// Nothing but whitespace.
    pub fn blank(&self) -> bool {
        self.feat.blank
    }

    /// Running text: long, with sentence punctuation, not markup.
    pub fn is_body(&self) -> bool {
        !self.oversized && self.feat.is_body() && !self.markup
    }

    /// A whole-line phrase rule announcing a list of links (`Related articles`).
    pub fn is_list_header(&self) -> bool {
        self.phrase_kind == Some(RuleKind::Block)
    }

    /// A whole-line phrase rule after which the article is over (a comment section's header).
    pub fn is_end_header(&self) -> bool {
        self.phrase_kind == Some(RuleKind::End)
    }

    /// A phrase rule for a line of furniture (`line:`, `start:`, `contains:`).
    pub fn is_notice(&self) -> bool {
        matches!(
            self.phrase_kind,
            Some(RuleKind::Line | RuleKind::Start | RuleKind::Contains)
        )
    }

    /// Share of stop words among the counted words in language `lang` (an index into
    /// [`STOP_LANGS`]); for a line mostly of CJK characters, the share of function characters
    /// and kana.
    pub fn stop_density(&self, lang: usize) -> f32 {
        if self.cjk > self.words {
            return f32::from(self.cjk_function) / f32::from(self.cjk.max(1));
        }
        f32::from(self.stop_hits[lang]) / f32::from(self.words.max(1))
    }
}

/// Builds [`LineView`]s with reused buffers: one per worker, no allocation per line.
#[derive(Debug, Default)]
pub struct ViewBuilder {
    kb: KeyBuilder,
    rows: RowCache,
    word: String,
}

impl ViewBuilder {
    /// A builder with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key of the line last viewed.
    pub fn key(&self) -> &str {
        self.kb.key()
    }

    /// The view of one line, given as text without its ending; `oversized` lines get an empty
    /// view (they are never analysed).
    pub fn view(&mut self, text: &str, oversized: bool, phrases: &PhraseSet) -> LineView {
        if oversized {
            self.kb.analyze_str("");
            return LineView {
                oversized: true,
                ..LineView::default()
            };
        }
        let feat = self.kb.analyze_str(text);
        let mut v = LineView {
            feat,
            ..LineView::default()
        };
        if feat.blank {
            return v;
        }
        if let Some(i) = phrases.find(self.kb.key(), self.kb.masked(), &feat) {
            v.phrase = u32::try_from(i).ok();
            v.phrase_kind = Some(phrases.rule(i).kind);
        }
        if feat.is_empty_key() || feat.is_numeric() {
            v.shape = noise::shape(text.trim());
        }
        v.menu_name = MenuNames::shared().is_menu_name(&feat);
        // Separators are punctuation: a line without two marks is no row.
        if !feat.is_body() && feat.punct_chars >= 2 {
            v.menu_row = self.rows.menu_row(text, phrases);
        }
        v.markup = is_markup(text.as_bytes());
        let t = text.trim();
        v.enumerated = feat.marker == Some(Marker::Number)
            || (t.starts_with(|c: char| c.is_ascii_digit()) && numbered_section(t));
        if feat.weight <= MAX_LOOSE_WEIGHT {
            v.content_marks = has_content_marks(t, &feat);
            let label_shape = !v.content_marks && reads_like_label(t, &feat);
            v.item = label_shape && feat.weight <= MAX_ITEM_WEIGHT;
            v.link = label_shape && !v.item && feat.weight <= MAX_LINK_WEIGHT;
            v.loose = !v.item
                && !v.link
                && !feat.is_body()
                && !feat.sentence_end
                && !v.content_marks
                && feat.key_chars > 0;
            v.stamp = feat.digits > 0 && crate::detect::timestamp::is_timestamp(t);
        }
        self.count_words(t, &mut v);
        v
    }

    fn count_words(&mut self, t: &str, v: &mut LineView) {
        let stop = StopWords::shared();
        let mut words = 0usize;
        let mut cjk = 0usize;
        let flush = |word: &mut String, v: &mut LineView, words: &mut usize| {
            if word.is_empty() {
                return;
            }
            *words += 1;
            let langs = stop.langs(word);
            for (i, hits) in v.stop_hits.iter_mut().enumerate() {
                *hits += u8::from(langs & (1 << i) != 0);
            }
            word.clear();
        };
        self.word.clear();
        for c in t.chars() {
            if is_cjk(c) {
                flush(&mut self.word, v, &mut words);
                cjk += 1;
                let kana = ('\u{3040}'..='\u{30FF}').contains(&c);
                v.cjk_function += u16::from(kana || cjk_function_char(c));
                if cjk >= 2 * MAX_COUNTED_WORDS {
                    break;
                }
            } else if c.is_ascii_alphabetic() {
                if self.word.is_empty() && c.is_ascii_uppercase() {
                    v.capitalized += 1;
                }
                self.word.push(c.to_ascii_lowercase());
            } else if c.is_alphabetic() || (c == '\'' && !self.word.is_empty()) {
                if self.word.is_empty() && c.is_uppercase() {
                    v.capitalized += 1;
                }
                self.word.extend(c.to_lowercase());
            } else {
                flush(&mut self.word, v, &mut words);
                if words >= MAX_COUNTED_WORDS {
                    break;
                }
            }
        }
        flush(&mut self.word, v, &mut words);
        v.words = words as u16;
        v.cjk = cjk as u16;
    }
}

/// Remembers which lines are menus printed on one line, by the text's hash: a site prints the
/// same footer row on every page, and a worker's builder hands the cache on from document to
/// document. A pure function's memo: it changes no result, as long as the documents it passes
/// between share their phrase rules (a run's documents do).
#[derive(Debug, Default)]
struct RowCache {
    kb: KeyBuilder,
    seen: HashMap<u64, Option<u16>>,
}

impl RowCache {
    /// Lines remembered at most; the memo starts afresh beyond.
    const CAPACITY: usize = 4096;

    fn menu_row(&mut self, text: &str, phrases: &PhraseSet) -> Option<u16> {
        if !MenuNames::may_be_row(text) {
            return None;
        }
        let key = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        if let Some(&rows) = self.seen.get(&key) {
            return rows;
        }
        let rows = MenuNames::shared()
            .row_items(text, phrases, &mut self.kb)
            .map(|n| u16::try_from(n).unwrap_or(u16::MAX));
        if self.seen.len() >= Self::CAPACITY {
            self.seen.clear();
        }
        self.seen.insert(key, rows);
        rows
    }
}

/// Whether a line is HTML markup a scraper left in (`<img src="…/pixel.gif" width="1">`, a
/// `<div>` with an ad's script): it starts with `<` and ends with `>`. Its dots and question
/// marks end no sentence, so it is no running text, whatever its length. `line` is the line
/// without its ending.
pub fn is_markup(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    t.len() > 2 && t.starts_with(b"<") && t.ends_with(b">")
}

/// Whether a line reads like a menu item: at most `max_weight`, and none of the marks of
/// content: no sentence or clause punctuation (a full stop inside a word or after an initial
/// ends no sentence: `Node.js`, `Timothy P. Carney`), no enumeration, nothing code-like, no
/// `field: value` pair, not mostly digits, no Chinese or Japanese line ending like speech.
/// `t` is the trimmed line.
pub fn is_menu_item(t: &str, f: &LineFeatures, max_weight: u32) -> bool {
    f.weight <= max_weight && !has_content_marks(t, f) && reads_like_label(t, f)
}

/// The punctuation of a link label: no sentence end, no clause punctuation, no `field: value`
/// pair, no CJK words with spaces between (a list of names). A headline may carry these
/// ([`is_loose_item`]); content marks are checked apart ([`has_content_marks`]).
fn reads_like_label(t: &str, f: &LineFeatures) -> bool {
    if f.blank || f.key_chars == 0 {
        return false;
    }
    if f.sentence_marks > 0 && (ends_a_sentence(t) || numbered_section(t)) {
        return false;
    }
    let clause = t.contains(['，', '、', '；', ';', '|'])
        || t.contains(", ")
        || has_field_colon(t)
        || (f.cjk_chars > 0 && spaced_cjk(t));
    !clause
}

/// Whether a line that [`is_menu_item`] refuses still reads like a headline or a label of site
/// furniture: refused only for a comma, a colon, a `|` or spaced CJK words, with no sentence end
/// and none of the content marks an item may not carry either.
pub fn is_loose_item(t: &str, f: &LineFeatures) -> bool {
    if f.blank || f.key_chars == 0 || f.weight > MAX_LOOSE_WEIGHT || f.sentence_end {
        return false;
    }
    !has_content_marks(t, f)
}

/// Marks of content that no link label carries, whatever its punctuation: an enumeration
/// (`1.`, `(2)`, `一、`), a field name, mostly digits (a date, a count, a table cell), a
/// quantity (`200 g Zucker`, `½ cup milk`: an ingredient or a part), something code-like (`$`,
/// `=`, braces, `://`, a leading `#`, `//` or `--`), or a Chinese or Japanese line ending like
/// speech. `t` is the trimmed line.
pub fn has_content_marks(t: &str, f: &LineFeatures) -> bool {
    f.marker == Some(Marker::Number)
        || is_quantity(t)
        || f.label
        || f.digits * 2 >= f.text_chars
        || t.contains(['$', '=', '{', '}', '<', '>', '\\'])
        || t.contains("://")
        || t.starts_with('#')
        || t.starts_with("//")
        || t.starts_with("--")
        || (f.cjk_chars > 0 && spoken_ending(t))
}

/// A line that starts with an amount: a number (or a vulgar fraction) followed by a word
/// (`200 g Zucker`, `2 cups flour`, `½ TL Salz`, `3 个鸡蛋`). Menus name places; a figure at the
/// start of a short line measures something.
fn is_quantity(t: &str) -> bool {
    let mut chars = t.chars().peekable();
    let mut number = false;
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit()
            || ('\u{BC}'..='\u{BE}').contains(&c)
            || ('\u{2150}'..='\u{215E}').contains(&c)
        {
            number = true;
            chars.next();
        } else if number && matches!(c, ',' | '.' | '/' | '-' | '–') {
            chars.next();
        } else {
            break;
        }
    }
    if !number {
        return false;
    }
    let rest: String = chars.collect();
    let rest = rest.trim_start();
    // A word right after the number, not a sentence: `2024 Olympics` is a heading's year, so
    // four-digit numbers are left out.
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits != 4 && rest.chars().next().is_some_and(|c| c.is_alphabetic())
}

/// Whether a sentence mark in `t` ends a sentence: `!`, `?`, `。`, `…`, or a full stop at the end
/// of a word before a space or the line's end. A full stop inside a word (`Node.js`,
/// `example.com`, `3.5`) or after an initial (`Timothy P. Carney`, `U.S.`) ends none.
fn ends_a_sentence(t: &str) -> bool {
    let mut prev = [' ', ' '];
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        let ends = match c {
            '.' | '．' => {
                let at_break = chars.peek().is_none_or(|n| n.is_whitespace());
                let initial = prev[1].is_alphabetic() && !prev[0].is_alphanumeric();
                at_break && !initial
            }
            '!' | '?' | ';' | '。' | '！' | '？' | '；' | '…' => true,
            _ => false,
        };
        if ends {
            return true;
        }
        prev = [prev[1], c];
    }
    false
}

/// A heading numbered by section (`3.1 Foreign relations`, `2.4.1 Limits`): a table of contents
/// or the article's own structure, not a menu.
pub fn numbered_section(t: &str) -> bool {
    let number = t.split_whitespace().next().unwrap_or("");
    let mut parts = number.trim_end_matches('.').split('.');
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    parts.next().is_some_and(digits) && parts.next().is_some_and(digits) && parts.all(digits)
}

/// A Chinese or Japanese line ending the way speech does — a sentence-final particle (`了`,
/// `吗`, `吧`…) or a polite verb ending (`です`, `ました`…): a short reply or remark, which
/// link labels (noun phrases) are not. Trailing punctuation and emoji are looked past.
fn spoken_ending(t: &str) -> bool {
    const PARTICLES: &[char] = &['了', '吗', '呢', '吧', '啊', '呀', '哦', '嘛', '啦'];
    const POLITE: &[&str] = &["です", "ます", "ました", "ません", "でした", "ください"];
    let end = t.trim_end_matches(|c: char| !is_cjk(c) && !c.is_alphanumeric());
    end.ends_with(PARTICLES) || POLITE.iter().any(|p| end.ends_with(p))
}

/// CJK words with spaces between them (`吴 江 卢爱国`): a list of names, a credit line. Menus
/// in Chinese and Japanese write their items without spaces.
fn spaced_cjk(t: &str) -> bool {
    let mut prev_cjk = false;
    let mut gap = false;
    for c in t.chars() {
        if c.is_whitespace() || c == '\u{3000}' {
            gap = true;
            continue;
        }
        let cjk = is_cjk(c);
        if cjk && prev_cjk && gap {
            return true;
        }
        prev_cjk = cjk;
        gap = false;
    }
    false
}

/// `name: value` or `名称：值` — a colon with text on both sides.
fn has_field_colon(t: &str) -> bool {
    t.char_indices().any(|(i, c)| {
        (c == ':' || c == '：')
            && i > 0
            && t[i + c.len_utf8()..].trim_start().chars().next().is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str) -> LineView {
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        ViewBuilder::new().view(text, false, &phrases)
    }

    #[test]
    fn menu_items_and_content_lines() {
        for item in [
            "Home",
            "World News",
            "Sign in",
            "首页",
            "国际新闻",
            "了解更多",
            "お問い合わせ",
            "Español",
            "Timothy P. Carney",
            "W. James Antle III",
            "U.S. Politics",
            "Node.js",
            "MoreBikes.com",
        ] {
            assert!(view(item).item, "{item} should be a menu item");
        }
        for content in [
            "1. Preheat the oven",
            "一、培养目标",
            "Q:",
            "地 点：南开大学",
            "Time: 7:30",
            "2023-02-28 17:31",
            "echo $PATH",
            "x = 1",
            "# install",
            "He stopped.",
            "深夜看书须尽欢，",
            "apples, pears",
            "吴 江 卢爱国",
            "直接执行命令就可以了",
            "你试过了吗？",
            "ありがとうございました♡",
            "3.1 Foreign relations",
            "2.4.1 Limits",
            "Stop. Look. Listen",
            "Read more…",
            "Was it worth it? Yes",
            "Go on!",
            "",
        ] {
            assert!(!view(content).item, "{content:?} should not be a menu item");
        }
    }

    #[test]
    fn views_carry_phrases_menus_stamps_and_enumerations() {
        assert!(view("Visits: 0").is_notice());
        assert!(view("Related articles").is_list_header());
        assert!(view("Comments").is_end_header());
        assert!(view("Sport").menu_name);
        assert_eq!(
            view("About us | Contact | Privacy policy").menu_row,
            Some(3)
        );
        assert!(view("May 28, 2024").stamp);
        assert!(!view("May 28, 2024 – West Palm Beach").stamp);
        assert!(view("<img src=\"/p.gif\" width=\"1\">").markup);
        assert!(view("3.1 Foreign relations").enumerated);
        assert!(view("(2) Whisk the eggs").enumerated);
        assert!(!view("Whisk the eggs").enumerated);
        for quantity in ["200 g Zucker", "2 cups flour", "½ TL Salz", "3 个鸡蛋"] {
            assert!(view(quantity).content_marks, "{quantity}");
        }
        assert!(!view("Zucker").content_marks);
    }

    #[test]
    fn word_counts_tell_prose_from_labels() {
        let en = STOP_LANGS.iter().position(|l| *l == "en").unwrap();
        let prose = view("The council said that it would open the bridge in the spring.");
        let title = view("Council Opens Harbour Bridge Early");
        assert!(prose.stop_density(en) > 0.4, "{}", prose.stop_density(en));
        assert!(title.stop_density(en) * 2.0 < prose.stop_density(en));
        assert_eq!(title.capitalized, title.words);
        let zh = view("他说这座桥是在春天的时候开通的。");
        let zh_title = view("港口大桥提前开通");
        assert!(zh.stop_density(en) > zh_title.stop_density(en));
        assert!(view("ありがとうございました").stop_density(0) > 0.5);
    }

    #[test]
    fn oversized_and_blank_lines_have_empty_views() {
        let phrases = PhraseSet::empty();
        let mut b = ViewBuilder::new();
        let v = b.view("x".repeat(100).as_str(), true, &phrases);
        assert!(v.oversized && v.words == 0);
        assert!(b.view("   ", false, &phrases).blank());
    }
}
