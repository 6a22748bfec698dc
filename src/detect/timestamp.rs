//! Timestamps: a date or a time alone on a line (`May 28, 2024`, `2024-05-19 17:47`, `3 days
//! ago`, `2024年5月22日`, `21 分鐘前`) — the stamp a teaser list, a feed or a post header puts
//! under each item.
//!
//! Recognising one is this module's business; whether it goes is the page context's: only
//! stamps well away from the article's main text go (see [`crate::context`]). Next to
//! the headline, a date is the article's own dateline and stays.
//!
//! A line is a timestamp when every word of it belongs to a date or a time — numbers joined by
//! `-` `/` `.` `:`, month and weekday names (English, German, French, Spanish, Portuguese,
//! Italian, Indonesian, Dutch), `am`/`pm`, `at`, `ago` and its units, `today`/`yesterday`, a
//! time zone — or, in Chinese and Japanese, digits with `年月日時时分秒` and `前` — and the
//! words make a date: a number with a month name or unit, a time `hh:mm`, or a numeric date
//! `2024-05-28`. A lone number is never one (a year heading, a count: the noise detector's
//! business), nor is anything with another word in it (`June 9 – West Palm Beach`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Longest line (in characters) that can be a timestamp.
pub const MAX_CHARS: usize = 48;

/// Month and weekday names, whole or cut short, lowercase.
const NAMES: &[&str] = &[
    // English
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    // German
    "januar",
    "jänner",
    "februar",
    "märz",
    "mai",
    "juni",
    "juli",
    "okt",
    "oktober",
    "dez",
    "dezember",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    // French
    "janvier",
    "février",
    "fevrier",
    "mars",
    "avril",
    "juin",
    "juillet",
    "août",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    // Spanish, Portuguese, Italian
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janeiro",
    "fevereiro",
    "março",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "gennaio",
    "febbraio",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "settembre",
    "ottobre",
    "dicembre",
    // Indonesian, Dutch
    "januari",
    "februari",
    "maret",
    "mei",
    "agustus",
    "desember",
    "augustus",
    "oktober",
    "maart",
];

/// Units of a relative time (`3 days ago`, `5m ago`, `2 hrs`).
const UNITS: &[&str] = &[
    "s", "sec", "secs", "second", "seconds", "m", "min", "mins", "minute", "minutes", "h", "hr",
    "hrs", "hour", "hours", "d", "day", "days", "w", "wk", "wks", "week", "weeks", "mo", "month",
    "months", "y", "yr", "yrs", "year", "years",
];

/// Words that join the parts of a date or time.
const GLUE: &[&str] = &[
    "at", "am", "pm", "a.m", "p.m", "on", "of", "the", "de", "del", "um", "uhr", "à", "le", "el",
    "read", "gmt", "utc", "est", "edt", "cst", "cdt", "pst", "pdt", "et", "pt", "ct", "ist", "cet",
    "cest", "bst", "wib", "wita", "jst", "kst", "st", "nd", "rd", "th",
];

/// Words that make a relative time.
const RELATIVE: &[&str] = &[
    "ago",
    "today",
    "yesterday",
    "heute",
    "gestern",
    "hoy",
    "ayer",
];

/// Whether `text` (one line) is a date or a time and nothing else.
pub fn is_timestamp(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > MAX_CHARS || !t.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut evidence = false;
    let mut numbers = 0;
    for word in t.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '|' | '·' | '•' | '(' | ')' | '，' | '（' | '）')
    }) {
        let word = word.trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '.' | '/'));
        if word.is_empty() {
            continue;
        }
        match judge_word(word) {
            Word::Number => numbers += 1,
            Word::Date => {
                numbers += 1;
                evidence = true;
            }
            Word::Name => evidence = true,
            Word::Glue => {}
            Word::Other => return false,
        }
    }
    numbers > 0 && evidence
}

/// What one word of a line is, as a part of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    /// A plain number (`28`, `2024`).
    Number,
    /// A date or time by itself (`2024-05-28`, `17:47`, `5m`, `2024年5月`, `3天前`).
    Date,
    /// A month, weekday or relative-time word, or a unit after a number.
    Name,
    /// A word that joins the parts (`at`, `pm`, `GMT`, `th`).
    Glue,
    /// Anything else.
    Other,
}

fn judge_word(word: &str) -> Word {
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return Word::Number;
    }
    if word.is_ascii() {
        // No date word is longer; lowercase on the stack (this runs on every short line with
        // a digit in it).
        let mut buf = [0u8; 16];
        let Some(lower) = buf.get_mut(..word.len()) else {
            return Word::Other;
        };
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        return std::str::from_utf8(lower).map_or(Word::Other, judge_lowercase);
    }
    if word.chars().any(crate::normalize::is_cjk) {
        return if is_cjk_date(word) {
            Word::Date
        } else {
            Word::Other
        };
    }
    judge_lowercase(&word.to_lowercase())
}

/// [`judge_word`] on a lowercase word.
fn judge_lowercase(lower: &str) -> Word {
    let w = lower.trim_end_matches('.');
    if let Some(&kind) = vocabulary().get(w) {
        return kind;
    }
    if is_numeric_date(w) || is_number_with_unit(w) {
        return Word::Date;
    }
    Word::Other
}

/// The words of [`NAMES`], [`RELATIVE`], [`UNITS`] (but single letters, which only count glued
/// to a number) and [`GLUE`], by what they are.
fn vocabulary() -> &'static HashMap<&'static str, Word> {
    static WORDS: OnceLock<HashMap<&'static str, Word>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let names = NAMES
            .iter()
            .chain(RELATIVE)
            .chain(UNITS.iter().filter(|u| u.len() > 1));
        let glue = GLUE.iter().map(|&g| (g, Word::Glue));
        names.map(|&n| (n, Word::Name)).chain(glue).collect()
    })
}

/// Digits joined by `-` `/` `.` `:` into at least two groups (`2024-05-28`, `28/05/2024`,
/// `13.05.2024`, `17:47:17`), with an optional `am`/`pm` (`9:48pm`). Two groups need `-`, `/`
/// or `:`, so a decimal number (`3.5`) is none.
fn is_numeric_date(w: &str) -> bool {
    let w = w
        .strip_suffix("am")
        .or_else(|| w.strip_suffix("pm"))
        .unwrap_or(w);
    let mut groups = 0;
    for part in w.split(['-', '/', '.', ':']) {
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        groups += 1;
    }
    (groups >= 2 && w.contains([':', '-', '/'])) || groups == 3
}

/// A number glued to its unit or suffix: `5m`, `17h`, `10hrs`, `3rd`, `21st`.
fn is_number_with_unit(w: &str) -> bool {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && {
        let unit = &w[digits..];
        UNITS.contains(&unit) || matches!(unit, "st" | "nd" | "rd" | "th")
    }
}

/// Chinese and Japanese dates and times: digits with `年月日時时分秒点點号號` (`2024年5月22日`,
/// `08:57`, `21分鐘前`, `3天前`, `上午8:21`), or the relative words `今天` `昨天` `前` `小时`.
fn is_cjk_date(w: &str) -> bool {
    const CJK_UNITS: &[char] = &[
        '年', '月', '日', '時', '时', '分', '秒', '点', '點', '号', '號', '天', '周', '週', '前',
        '鐘', '钟', '小', '個', '个', '星', '期', '上', '下', '午', '今', '昨', '曜',
    ];
    let mut digits = false;
    let mut unit = false;
    for c in w.chars() {
        if c.is_ascii_digit() {
            digits = true;
        } else if CJK_UNITS.contains(&c) {
            unit = true;
        } else if !matches!(c, ':' | '-' | '/' | '.' | '(' | ')' | '（' | '）') {
            return false;
        }
    }
    unit && (digits || w.contains(['今', '昨', '前']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_alone_are_timestamps() {
        for s in [
            "May 28, 2024",
            "21 Nov 2017, 9:48pm",
            "Nov 18",
            "2024-05-19 17:47:17",
            "28/05/2024",
            "13.05.2024",
            "24/05/2024, 09:31 WIB",
            "10H ago",
            "17H ago",
            "3 days ago",
            "2 days ago at 07:50 am",
            "Wednesday, November 20, 2019",
            "November 19, 2019 at 8:53 am",
            "Mar 11 · 5 min read",
            "2024年5月22日",
            "2016年05月24日 20:24",
            "5月23日 22:52",
            "21 分鐘前",
            "3天前",
            "今天 08:57",
            "20. Mai 2024",
            "lundi 3 juin 2024",
            "28 Mei 2024",
            "(2006-12-04 23:38:25)",
            "08:57",
        ] {
            assert!(is_timestamp(s), "{s:?} should be a timestamp");
        }
    }

    #[test]
    fn numbers_and_lines_with_other_words_are_not() {
        for s in [
            "2019",
            "12",
            "3.5",
            "1,024",
            "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre",
            "Chapter 3",
            "3 km",
            "May the fourth be with you",
            "10 tips for the summer",
            "Posted by Ann on May 3",
            "March",
            "2024年度报告",
            "第3章",
            "Page 2 of 5",
            "Top 10",
            "",
        ] {
            assert!(!is_timestamp(s), "{s:?} should not be a timestamp");
        }
    }
}
