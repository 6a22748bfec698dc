//! Noise lines: nothing left after normalization but digits, punctuation, symbols, invisible
//! whitespace or HTML entities.
//!
//! Lines with no key at all (`&nbsp;`, a lone no-break space, `|`, `»`, `***`) carry no text and
//! always go — except a lone enumerator (`1.`, `(3)`), which numbers the item beside it.
//! A number alone on a line is judged in context: a lone counter (`0`, `1,024`) between a title
//! and the text is noise, but when another number-only line stands within
//! [`NUMERIC_CONTEXT`] non-blank lines it is a table, a list of figures or a run of data, and
//! stays. A plausible year (1000–2999) alone on a line is a timeline heading and stays; numbers
//! of more than nine digits are identifiers, not counters, and stay.

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
    /// Only punctuation and symbols.
    Punctuation,
    /// A lone number with no other numbers around it.
    Counter,
}

/// Classifies a non-blank line; `trimmed_is_empty` says whether anything but whitespace (in the
/// Unicode sense) and entities is on it. `numeric_nearby` says whether another number-only line
/// is within [`NUMERIC_CONTEXT`] non-blank lines.
pub fn classify(
    feat: &LineFeatures,
    key: &str,
    visible: bool,
    numeric_nearby: bool,
) -> Option<NoiseKind> {
    if feat.blank || (feat.is_lone_marker() && feat.marker == Some(Marker::Number)) {
        return None;
    }
    if feat.is_empty_key() {
        return Some(if visible {
            NoiseKind::Punctuation
        } else {
            NoiseKind::Invisible
        });
    }
    if feat.is_numeric() && is_counter(key) && !numeric_nearby {
        return Some(NoiseKind::Counter);
    }
    None
}

/// A number-only key that reads like a counter: at most nine digits, not a plausible year.
pub fn is_counter(key: &str) -> bool {
    let digits = key.chars().count();
    if digits == 0 || digits > 9 {
        return false;
    }
    if digits == 4
        && let Ok(n) = key.parse::<u32>()
        && (1000..=2999).contains(&n)
    {
        return false;
    }
    true
}

/// Whether the (Unicode-trimmed) text has anything visible besides HTML entities.
pub fn has_visible(text: &str) -> bool {
    let mut rest = text;
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
        if !(c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')) {
            return true;
        }
        rest = &rest[c.len_utf8()..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::KeyBuilder;

    fn judge(text: &str, numeric_nearby: bool) -> Option<NoiseKind> {
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(text.as_bytes());
        classify(&f, kb.key(), has_visible(text), numeric_nearby)
    }

    #[test]
    fn invisible_and_punctuation_lines() {
        assert_eq!(judge("    \u{a0}", false), Some(NoiseKind::Invisible));
        assert_eq!(judge("&nbsp;", false), Some(NoiseKind::Invisible));
        assert_eq!(judge("|", false), Some(NoiseKind::Punctuation));
        assert_eq!(judge("»", false), Some(NoiseKind::Punctuation));
        assert_eq!(judge("", false), None);
        assert_eq!(judge("•", false), Some(NoiseKind::Punctuation));
        assert_eq!(
            judge("1.", false),
            None,
            "an enumerator numbers the item beside it"
        );
    }

    #[test]
    fn lone_counter_is_noise_but_data_is_not() {
        assert_eq!(judge("    0", false), Some(NoiseKind::Counter));
        assert_eq!(judge("12,345", false), Some(NoiseKind::Counter));
        assert_eq!(judge("0", true), None, "a number among numbers is data");
        assert_eq!(judge("2019", false), None, "a year is a heading");
        assert_eq!(
            judge("12345678901", false),
            None,
            "an identifier, not a counter"
        );
        assert_eq!(judge("3 km", false), None);
        assert_eq!(
            judge("Visits: 0", false),
            None,
            "phrases handle labelled counters"
        );
    }
}
