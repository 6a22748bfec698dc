//! Noise lines: nothing left after normalization but digits, punctuation, symbols, invisible
//! whitespace or HTML entities — judged on the line's raw shape and its context.
//!
//! - **Invisible**: only no-break, ideographic or zero-width spaces and entities (`&nbsp;`). No
//!   text at all: always noise.
//! - **Separators**: only separator signs (`|`, `»`, `/`, `-`, `—`, `•`, `*`, `=`, `~` …): what
//!   menus and breadcrumbs leave behind. Noise outside the article's main text; inside it (a
//!   rule between sections, a quote's `>`, a table's `-` cell) the line is the author's and
//!   stays. Other punctuation-only lines stay everywhere: `}` and `)` are code, `…` and `×` and
//!   emoji carry meaning on real pages.
//! - **Counter**: a plain number (digits, optionally grouped: `0`, `1,024`) alone on a line, in the
//!   page header (before the first line of running text), with no other number-only line within
//!   [`NUMERIC_CONTEXT`] non-blank lines. In the body a lone number is a step, a score or a table
//!   cell; next to other numbers it is data. A plausible year (1000–2999) is a heading and stays;
//!   so does anything with a decimal point, currency or unit (`9.0`, `$40`, `02:05`).
//! - **Pagination**: three or more whole numbers counting up one by one (`1 2 3 4 5`, `« 1 | 2 |
//!   3 »`): a pager's page links, wherever they stand. Numbers that do not count up by one (`3
//!   7 12`, a score `2 1`) are data and stay.
//!
//! A lone enumerator (`1.`, `(3)`) is never noise: it numbers the item beside it.

use serde::{Deserialize, Serialize};

use crate::normalize::{LineFeatures, Marker};

/// How many non-blank lines on either side are looked at for other numbers.
pub const NUMERIC_CONTEXT: usize = 3;

/// Why a line is noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseKind {
    /// Only invisible characters: no-break or ideographic spaces, zero-width signs, entities.
    Invisible,
    /// Only separator signs.
    Separators,
    /// A lone plain number in the page header with no other numbers around it.
    Counter,
    /// Page numbers of a pager, counting up one by one.
    Pagination,
}

/// The raw shape of a line that normalization left empty or number-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// Anything else: text, or symbols that carry meaning.
    #[default]
    Other,
    /// Only invisible characters and entities.
    Invisible,
    /// Only separator signs (and invisible characters).
    Separators,
    /// Only digits, with `,` `.` `'` or a space between groups of three.
    PlainNumber,
    /// Three or more whole numbers counting up one by one, between spaces or separator signs.
    Pagination,
}

const SEPARATORS: &[char] = &[
    '|', '｜', '¦', '»', '«', '›', '‹', '/', '\\', '-', '–', '—', '―', '_', '=', '*', '·', '•',
    '~', '>', '<', '+', '^', '#', '→', '←', '⇒', '►', '◄', '▶', '◀', ':', '：', '、', '┃', '│',
];

fn is_invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The raw shape of a (Unicode-trimmed) line. Cheap: call it only on lines whose key is empty
/// or numeric.
pub fn shape(text: &str) -> Shape {
    let mut rest = text;
    let mut seps = false;
    let mut visible = String::new();
    while let Some(c) = rest.chars().next() {
        if c == '&'
            && let Some(end) = rest.find(';')
        {
            let name = &rest[1..end];
            if !name.is_empty()
                && name.len() <= 10
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
            {
                rest = &rest[end + 1..];
                continue;
            }
        }
        if !is_invisible(c) {
            if SEPARATORS.contains(&c) {
                seps = true;
            } else {
                visible.push(c);
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    if visible.is_empty() {
        return if seps {
            Shape::Separators
        } else {
            Shape::Invisible
        };
    }
    if is_plain_number(text.trim_matches(is_invisible)) {
        return Shape::PlainNumber;
    }
    if is_pager(&visible, text) {
        return Shape::Pagination;
    }
    Shape::Other
}

/// Page links: `visible` (the line without separators and spaces) is all digits, and the line's
/// numbers, split at anything else, are three or more counting up one by one.
fn is_pager(visible: &str, text: &str) -> bool {
    if !visible.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut numbers = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse::<u32>().ok());
    let Some(Some(mut last)) = numbers.next() else {
        return false;
    };
    let mut count = 1;
    for n in numbers {
        match n {
            Some(n) if Some(n) == last.checked_add(1) => {
                last = n;
                count += 1;
            }
            _ => return false,
        }
    }
    count >= 3
}

/// Digits, optionally grouped by threes with one separator kind: `7`, `1,024`, `12 345`.
fn is_plain_number(s: &str) -> bool {
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let sep = s.chars().find(|c| !c.is_ascii_digit());
    match sep {
        None => true,
        Some(sep) if matches!(sep, ',' | '.' | '\'' | ' ') => {
            let mut groups = s.split(sep);
            let first = groups.next().unwrap_or("");
            (1..=3).contains(&first.len())
                && first.chars().all(|c| c.is_ascii_digit())
                && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
        }
        Some(_) => false,
    }
}

/// Where a line stands, for the counter rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// Running text has not started yet.
    pub in_header: bool,
    /// Another number-only line is within [`NUMERIC_CONTEXT`] non-blank lines.
    pub numbers_nearby: bool,
    /// The line lies within the article's main text (see [`crate::context`]).
    pub in_main_text: bool,
}

/// Classifies a non-blank line from its features, key, raw shape and context.
pub fn classify(feat: &LineFeatures, key: &str, shape: Shape, ctx: Context) -> Option<NoiseKind> {
    if feat.blank || (feat.is_lone_marker() && feat.marker == Some(Marker::Number)) {
        return None;
    }
    match shape {
        Shape::Invisible if feat.is_empty_key() => Some(NoiseKind::Invisible),
        Shape::Separators if feat.is_empty_key() && !ctx.in_main_text => {
            Some(NoiseKind::Separators)
        }
        Shape::PlainNumber
            if feat.is_numeric() && ctx.in_header && !ctx.numbers_nearby && is_counter(key) =>
        {
            Some(NoiseKind::Counter)
        }
        Shape::Pagination if feat.is_numeric() => Some(NoiseKind::Pagination),
        _ => None,
    }
}

/// A number-only key that reads like a counter: at most nine digits, not a plausible year.
pub fn is_counter(key: &str) -> bool {
    let digits = key.chars().count();
    if digits == 0 || digits > 9 {
        return false;
    }
    let year = digits == 4 && key.parse::<u32>().is_ok_and(|n| (1000..=2999).contains(&n));
    !year
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::KeyBuilder;

    const HEADER: Context = Context {
        in_header: true,
        numbers_nearby: false,
        in_main_text: false,
    };

    fn judge(text: &str, ctx: Context) -> Option<NoiseKind> {
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(text.as_bytes());
        classify(&f, kb.key(), shape(text.trim()), ctx)
    }

    #[test]
    fn invisible_and_separator_lines() {
        assert_eq!(judge("    \u{a0}", HEADER), Some(NoiseKind::Invisible));
        assert_eq!(judge("&nbsp;", HEADER), Some(NoiseKind::Invisible));
        assert_eq!(
            judge("\u{3000}\u{200b}", HEADER),
            Some(NoiseKind::Invisible)
        );
        assert_eq!(judge("|", HEADER), Some(NoiseKind::Separators));
        assert_eq!(judge("»", HEADER), Some(NoiseKind::Separators));
        assert_eq!(judge("• | •", HEADER), Some(NoiseKind::Separators));
        assert_eq!(judge("", HEADER), None);
        let article = Context {
            in_header: false,
            numbers_nearby: false,
            in_main_text: true,
        };
        for s in ["-", ">", "* * *", "|"] {
            assert_eq!(judge(s, article), None, "{s:?} inside the article stays");
        }
        assert_eq!(judge("\u{a0}", article), Some(NoiseKind::Invisible));
        assert_eq!(
            judge("1.", HEADER),
            None,
            "an enumerator numbers the item beside it"
        );
    }

    #[test]
    fn page_numbers_counting_up_are_a_pager() {
        let body = Context {
            in_header: false,
            numbers_nearby: true,
            in_main_text: false,
        };
        for s in [
            "1 2 3 4 5 6 7 8",
            "« 1 | 2 | 3 »",
            "4 5 6",
            "1\u{a0}2\u{a0}3",
            "1 - 2 - 3 >",
        ] {
            assert_eq!(judge(s, body), Some(NoiseKind::Pagination), "{s:?}");
        }
        for s in [
            "1 2",
            "3 7 12",
            "2 1 0",
            "1 2 4",
            "1 2 3 kg",
            "1.2.3",
            "2019 2020 2021 x",
        ] {
            assert_ne!(judge(s, body), Some(NoiseKind::Pagination), "{s:?}");
        }
    }

    #[test]
    fn meaningful_symbols_are_not_noise() {
        for s in ["}", ")", "…", "×", "🥹✨", "?", "."] {
            assert_eq!(judge(s, HEADER), None, "{s:?}");
        }
    }

    #[test]
    fn lone_counter_in_header_is_noise_but_data_is_not() {
        assert_eq!(judge("    0", HEADER), Some(NoiseKind::Counter));
        assert_eq!(judge("12,345", HEADER), Some(NoiseKind::Counter));
        let body = Context {
            in_header: false,
            numbers_nearby: false,
            in_main_text: false,
        };
        assert_eq!(
            judge("0", body),
            None,
            "a lone number in the body is a step or a score"
        );
        let data = Context {
            in_header: true,
            numbers_nearby: true,
            in_main_text: false,
        };
        assert_eq!(judge("0", data), None, "a number among numbers is data");
        assert_eq!(judge("2019", HEADER), None, "a year is a heading");
        assert_eq!(
            judge("12345678901", HEADER),
            None,
            "an identifier, not a counter"
        );
        for s in ["9.0", "$40", "02:05", "3 km", "Visits: 0", "1,2345"] {
            assert_eq!(judge(s, HEADER), None, "{s:?}");
        }
    }
}
