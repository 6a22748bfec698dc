//! Boilerplate blocks: a run of short list items that is a generated list — a "hot topics"
//! slogan list, a sidebar, related posts — rather than a list the author wrote.
//!
//! The evidence is what an author's list does not have: items repeated inside the run (a
//! generator drawing slogans at random) and the page's own title among the items (a sidebar of
//! recent posts). A run is removed whole when it has at least `min_items` items and both kinds of
//! evidence, or only repeats but many of them (at least [`MIN_REPEATS_ALONE`] items and
//! [`MIN_REPEAT_SHARE`] of the run), or only the title but at least [`MIN_ITEMS_TITLE_ALONE`]
//! items. One repeated entry in a long changelog is an author's slip, not a generator; a list
//! of steps or findings has no evidence at all and stays, however long. In a crawl a third kind
//! of evidence counts: when more than half the items (and at least two) are site boilerplate,
//! the run is the site's sidebar and goes whole, its rare items included.
//!
//! A fourth kind needs no list markers: lines cut short with an ellipsis (`Rescue crews hunt
//! for tourists trapped under…`) are a generator's teasers, and at least
//! [`MIN_TRUNCATED_ITEMS`] of them, making up [`MIN_TRUNCATED_SHARE`] of a run, make it a
//! generated list. An author ends a sentence with `…` now and then, not four lines in a row.

use serde::{Deserialize, Serialize};

/// With the title as the only evidence a run needs at least this many items.
pub const MIN_ITEMS_TITLE_ALONE: usize = 5;
/// Items cut short with an ellipsis (`…`) that make a run generated on their own: a list of
/// teasers or headlines a generator truncated…
pub const MIN_TRUNCATED_ITEMS: usize = 4;
/// …making up at least this share of its items.
pub const MIN_TRUNCATED_SHARE: f64 = 0.75;
/// With repeats as the only evidence a run needs at least this many repeated items…
pub const MIN_REPEATS_ALONE: usize = 2;
/// …making up at least this share of its items.
pub const MIN_REPEAT_SHARE: f64 = 0.15;

/// One item of a list run, as the block detector sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunItem {
    /// Line number.
    pub line: u64,
    /// Key hash.
    pub hash: u64,
    /// Whether the item is heavy enough to count as a repeat (see `min_repeat_weight`).
    pub repeatable: bool,
    /// Whether the item is a copy of the page's title.
    pub is_title: bool,
    /// Whether the item is site boilerplate (recurs across the site's documents).
    pub site_frequent: bool,
    /// Whether the item ends with an ellipsis (see [`crate::normalize::LineFeatures::truncated`]).
    pub truncated: bool,
}

/// Where a removed block lies and why it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockRef {
    /// First line of the block.
    pub first_line: u64,
    /// Last line of the block.
    pub last_line: u64,
    /// Items in the block.
    pub items: usize,
    /// Items that repeat an earlier item of the block.
    pub repeated_items: usize,
    /// Items that are a copy of the page's title.
    pub title_items: usize,
    /// Items that are site boilerplate.
    #[serde(default)]
    pub site_items: usize,
    /// Items cut short with an ellipsis.
    #[serde(default)]
    pub truncated_items: usize,
}

/// The verdict on a run: `Some` when it is boilerplate. `repeats[i]` is the line an item repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockVerdict {
    /// The block's extent and evidence.
    pub block: BlockRef,
    /// For each item, the earlier item line it repeats, if any.
    pub repeats: Vec<Option<u64>>,
}

/// Judges a run of list items (in input order).
pub fn evaluate(items: &[RunItem], min_items: usize) -> Option<BlockVerdict> {
    if items.len() < min_items.max(2) {
        return None;
    }
    let mut repeats = vec![None; items.len()];
    for (i, item) in items.iter().enumerate() {
        if item.repeatable {
            repeats[i] = items[..i]
                .iter()
                .find(|e| e.hash == item.hash)
                .map(|e| e.line);
        }
    }
    let repeated_items = repeats.iter().filter(|r| r.is_some()).count();
    let title_items = items.iter().filter(|i| i.is_title).count();
    let site_items = items.iter().filter(|i| i.site_frequent).count();
    let mostly_site = site_items >= 2 && site_items * 2 > items.len();
    let truncated_items = items.iter().filter(|i| i.truncated).count();
    let cut_short = truncated_items >= MIN_TRUNCATED_ITEMS
        && truncated_items as f64 >= MIN_TRUNCATED_SHARE * items.len() as f64;
    let enough = mostly_site
        || cut_short
        || match (repeated_items > 0, title_items > 0) {
            (true, true) => true,
            (true, false) => {
                repeated_items >= MIN_REPEATS_ALONE
                    && repeated_items as f64 >= MIN_REPEAT_SHARE * items.len() as f64
            }
            (false, true) => items.len() >= MIN_ITEMS_TITLE_ALONE,
            (false, false) => false,
        };
    enough.then(|| BlockVerdict {
        block: BlockRef {
            first_line: items[0].line,
            last_line: items[items.len() - 1].line,
            items: items.len(),
            repeated_items,
            title_items,
            site_items,
            truncated_items,
        },
        repeats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(hashes: &[u64], title_at: Option<usize>) -> Vec<RunItem> {
        hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| RunItem {
                line: i as u64 + 1,
                hash: h,
                repeatable: true,
                is_title: title_at == Some(i),
                site_frequent: false,
                truncated: false,
            })
            .collect()
    }

    #[test]
    fn slogan_list_with_repeats_and_title_goes() {
        let v = evaluate(&run(&[1, 2, 3, 4, 3, 5, 2, 9], Some(7)), 3).unwrap();
        assert_eq!(v.block.items, 8);
        assert_eq!(v.block.repeated_items, 2);
        assert_eq!(v.block.title_items, 1);
        assert_eq!(v.repeats[4], Some(3));
        assert_eq!(v.repeats[6], Some(2));
        assert_eq!(v.block.first_line, 1);
        assert_eq!(v.block.last_line, 8);
    }

    #[test]
    fn author_list_stays() {
        assert!(evaluate(&run(&[1, 2, 3, 4, 5, 6, 7], None), 3).is_none());
    }

    #[test]
    fn one_kind_of_evidence_needs_more_of_it() {
        assert!(evaluate(&run(&[1, 2, 1], None), 3).is_none());
        assert!(
            evaluate(&run(&[1, 2, 3, 4, 1], None), 3).is_none(),
            "one repeat is a slip"
        );
        assert!(evaluate(&run(&[1, 2, 3, 4, 1, 2], None), 3).is_some());
        let long: Vec<u64> = (1..=40).chain([5, 9]).collect();
        assert!(
            evaluate(&run(&long, None), 3).is_none(),
            "two repeats in 42 items is too few"
        );
        assert!(evaluate(&run(&[1, 2, 3], Some(0)), 3).is_none());
        assert!(evaluate(&run(&[1, 2, 1], Some(1)), 3).is_some());
    }

    #[test]
    fn a_mostly_site_wide_list_goes_with_its_rare_items() {
        let mut items = run(&[1, 2, 3, 4, 5], None);
        for i in &mut items[..3] {
            i.site_frequent = true;
        }
        let v = evaluate(&items, 3).unwrap();
        assert_eq!(v.block.site_items, 3);
        items[2].site_frequent = false;
        assert!(evaluate(&items, 3).is_none(), "two of five is not most");
    }

    #[test]
    fn teasers_cut_short_make_a_generated_list() {
        let cut = |hashes: &[u64], truncated: &[bool]| {
            let mut items = run(hashes, None);
            for (i, &t) in items.iter_mut().zip(truncated) {
                i.truncated = t;
            }
            evaluate(&items, 3)
        };
        let v = cut(&[1, 2, 3, 4], &[true; 4]).unwrap();
        assert_eq!(v.block.truncated_items, 4);
        assert!(cut(&[1, 2, 3], &[true; 3]).is_none(), "three is not enough");
        let most = [true, true, true, true, false];
        assert!(cut(&[1, 2, 3, 4, 5], &most).is_some());
        let some = [true, true, true, true, false, false];
        assert!(
            cut(&[1, 2, 3, 4, 5, 6], &some).is_none(),
            "four of six is not three quarters"
        );
    }

    #[test]
    fn short_items_do_not_count_as_repeats() {
        let mut items = run(&[1, 2, 3, 4, 1, 2], None);
        items[4].repeatable = false;
        items[5].repeatable = false;
        assert!(evaluate(&items, 3).is_none());
    }
}
