//! Duplicated title: the same title given twice near the top of a page in different markup —
//! a list item and a heading, or `Title` and `Title - Site`.
//!
//! Only lines in the page header count: within the first `title_zone` non-blank lines, before
//! the first line of running text, and at most `title_span` non-blank lines apart. That keeps a
//! subheading in the body (`Results` and `Results – what we found`) out of reach. The page's
//! own title line (the document's first line, `Headline | Site`) reaches further when the whole
//! document is in view: its heading, the same title without the site's name, counts anywhere in
//! the title zone, menus and teasers between them. Of the two
//! copies the *heading* stays: the list-item copy goes when exactly one is a list item;
//! otherwise the copy with the site affix goes; otherwise (same text, same markup) the later
//! copy goes, as any repeat would.

use serde::{Deserialize, Serialize};

use crate::normalize::LineFeatures;

/// Most weight a site name affix may have (`- Example News`, `_网易新闻`).
pub const MAX_AFFIX_WEIGHT: u32 = 60;
/// Least weight of a line that can be a title: five CJK characters or ten letters. Two copies of
/// a shorter line near the top are a greeting two forum users posted or a label, which the repeat
/// detectors judge with their stricter evidence.
pub const MIN_TITLE_WEIGHT: u32 = 10;
/// Most weight of a line that can be a title.
pub const MAX_TITLE_WEIGHT: u32 = 300;

/// How two title copies relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleRelation {
    /// Same key.
    SameText,
    /// One is the other plus a site name before or after a separator.
    SiteAffix,
}

/// Which of the two copies (in input order) is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copy {
    /// The earlier line.
    First,
    /// The later line.
    Second,
}

/// A line that could be a title: short enough, not ending in a full stop, not a label.
pub fn is_title_like(feat: &LineFeatures) -> bool {
    !feat.blank
        && !feat.label
        && (MIN_TITLE_WEIGHT..=MAX_TITLE_WEIGHT).contains(&feat.weight)
        && !feat.period_end
}

/// How `a` and `b` (two title-like lines) relate, if they are copies of one title.
pub fn relation(
    a_key: &str,
    a: &LineFeatures,
    b_key: &str,
    b: &LineFeatures,
) -> Option<TitleRelation> {
    if a.hash == b.hash && a_key == b_key {
        return Some(TitleRelation::SameText);
    }
    let (short_key, short, long_key, long) = if a.weight < b.weight {
        (a_key, a, b_key, b)
    } else {
        (b_key, b, a_key, a)
    };
    if short.weight < MIN_TITLE_WEIGHT || !long.has_title_separator {
        return None;
    }
    // The affix is the site's name: shorter than the title it goes with. (A page's title line
    // ends with the site's name, and a banner line holding only that name is no title.)
    let affix = long.weight - short.weight;
    if affix > MAX_AFFIX_WEIGHT || affix >= short.weight {
        return None;
    }
    (long_key.starts_with(short_key) || long_key.ends_with(short_key))
        .then_some(TitleRelation::SiteAffix)
}

/// Which copy goes: see the module documentation.
pub fn copy_to_remove(first: &LineFeatures, second: &LineFeatures, rel: TitleRelation) -> Copy {
    match (first.marker.is_some(), second.marker.is_some()) {
        (true, false) => return Copy::First,
        (false, true) => return Copy::Second,
        _ => {}
    }
    match rel {
        TitleRelation::SiteAffix if first.weight > second.weight => Copy::First,
        TitleRelation::SiteAffix => Copy::Second,
        TitleRelation::SameText => Copy::Second,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::KeyBuilder;

    fn line(s: &str) -> (String, LineFeatures) {
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(s.as_bytes());
        (kb.key().to_string(), f)
    }

    fn pair(a: &str, b: &str) -> Option<(TitleRelation, Copy)> {
        let (ak, af) = line(a);
        let (bk, bf) = line(b);
        if !is_title_like(&af) || !is_title_like(&bf) {
            return None;
        }
        relation(&ak, &af, &bk, &bf).map(|r| (r, copy_to_remove(&af, &bf, r)))
    }

    #[test]
    fn a_short_greeting_posted_twice_is_no_title() {
        assert_eq!(pair("元旦快乐", "元旦快乐"), None);
        assert_eq!(pair("Thank you", "Thank you"), None);
        assert_eq!(
            pair("元旦快乐，新年好", "元旦快乐，新年好"),
            Some((TitleRelation::SameText, Copy::Second))
        );
    }

    #[test]
    fn the_site_name_alone_is_no_copy_of_the_title() {
        assert_eq!(
            pair(
                "Ferry pier reopens after two-year rebuild | The Harbour Gazette",
                "Harbour Gazette"
            ),
            None
        );
        assert_eq!(
            pair("滨江新区图书馆周末延长开放时间_滨江日报", "滨江日报"),
            None
        );
        assert_eq!(
            pair(
                "滨江新区图书馆周末延长开放时间_滨江日报",
                "滨江新区图书馆周末延长开放时间"
            ),
            Some((TitleRelation::SiteAffix, Copy::First))
        );
    }

    #[test]
    fn bullet_and_heading_keep_the_heading() {
        assert_eq!(
            pair(
                "  • 塑造社会治理现代化新标杆",
                "    塑造社会治理现代化新标杆"
            ),
            Some((TitleRelation::SameText, Copy::First))
        );
        assert_eq!(
            pair(
                "Harbour Bridge Reopens After Repairs",
                "- Harbour Bridge Reopens After Repairs"
            ),
            Some((TitleRelation::SameText, Copy::Second))
        );
    }

    #[test]
    fn site_affix_copy_goes() {
        assert_eq!(
            pair(
                "Harbour Bridge Reopens After Repairs | Valley Herald",
                "Harbour Bridge Reopens After Repairs"
            ),
            Some((TitleRelation::SiteAffix, Copy::First))
        );
        assert_eq!(
            pair("港口大桥修复后重新开放", "港口大桥修复后重新开放_山谷日报"),
            Some((TitleRelation::SiteAffix, Copy::Second))
        );
        assert_eq!(
            pair(
                "Valley Herald - Harbour Bridge Reopens After Repairs",
                "Harbour Bridge Reopens After Repairs"
            ),
            Some((TitleRelation::SiteAffix, Copy::First))
        );
    }

    #[test]
    fn unrelated_or_unseparated_lines_are_not_titles() {
        assert_eq!(
            pair(
                "Harbour Bridge Reopens",
                "Harbour Bridge Reopens After Long Repairs"
            ),
            None
        );
        assert_eq!(pair("Home", "Home"), None, "too short to be a title");
        assert_eq!(
            pair("Reporter:", "Reporter:"),
            None,
            "labels are not titles"
        );
    }
}
