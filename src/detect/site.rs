//! Cross-document evidence, read from a [`Profile`]: site boilerplate and duplicated content.
//!
//! **Site boilerplate** is a line that recurs in many documents of one site: a footer, a menu,
//! a "hot topics" item. A line goes when at least `site_min_docs` documents of its site contain
//! it and either they are at least `site_min_share` of the site's documents or there are at
//! least `site_always_docs` of them. The defaults (3, 25 %, 1,000) are safe at both ends: on a
//! 10-page site a line must be on 3 pages, which an article sentence almost never is; on a
//! million-page site a section menu on 5 % of pages is still 50,000 pages, far past 1,000, while
//! a sentence quoted by a handful of articles is nowhere near either bar.
//!
//! Keys are exact (digits not masked): a dateline every page carries in the same format but with
//! its own date is no site boilerplate. Below the rule's bar, how many of the site's documents
//! hold a line is one of the boilerplate model's features ([`crate::context::LineContext::site_share`]):
//! a 2-page site's shared header and footer weigh with where they stand.
//!
//! **Duplicated content** is a long paragraph (running text) found in more than one document:
//! an article republished elsewhere. Its first copy stays — the document with the smallest order
//! key — and every other copy goes.

use std::collections::HashSet;

use crate::profile::{LongLine, Profile, site_key};

/// The thresholds of the site rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteRules {
    /// Fewest documents a boilerplate line must be in.
    pub min_docs: u32,
    /// Least share of the site's documents it must be in…
    pub min_share: f64,
    /// …unless it is in at least this many.
    pub always_docs: u32,
}

/// Whether a line in `docs` of a site's `site_docs` documents is site boilerplate.
pub fn is_site_boilerplate(docs: u32, site_docs: u64, rules: SiteRules) -> bool {
    docs >= rules.min_docs
        && (f64::from(docs) >= rules.min_share * site_docs as f64 || docs >= rules.always_docs)
}

/// The order key of the first copy of a long paragraph, when this document (`order`) is not it.
pub fn duplicate_of(long: Option<LongLine>, order: u64) -> Option<u64> {
    long.filter(|l| l.first != order).map(|l| l.first)
}

/// One document's view of a profile: its site and its place in the order.
#[derive(Debug, Clone, Copy)]
pub struct CrossDoc<'a> {
    profile: &'a Profile,
    site_key: u64,
    site_docs: u64,
    order: u64,
    rules: SiteRules,
    removed: Option<&'a HashSet<u64>>,
}

impl<'a> CrossDoc<'a> {
    /// The view of a document of `site` with order key `order`.
    pub fn new(profile: &'a Profile, site: &str, order: u64, rules: SiteRules) -> Self {
        CrossDoc {
            profile,
            site_key: site_key(site),
            site_docs: profile.site_docs(site),
            order,
            rules,
            removed: None,
        }
    }

    /// Order keys of documents removed whole as duplicates: a paragraph whose first copy is in
    /// one of them is not removed elsewhere, or it could be lost from every kept document.
    pub fn with_removed(mut self, removed: Option<&'a HashSet<u64>>) -> Self {
        self.removed = removed;
        self
    }

    /// Documents of the site holding a line with this key, when that makes it boilerplate.
    pub fn site_frequent(&self, key_hash: u64) -> Option<u32> {
        let docs = self.profile.line_docs_by_key(self.site_key, key_hash);
        is_site_boilerplate(docs, self.site_docs, self.rules).then_some(docs)
    }

    /// Documents of the site holding a line with this key, however few.
    pub fn line_docs(&self, key_hash: u64) -> u32 {
        self.profile.line_docs_by_key(self.site_key, key_hash)
    }

    /// Documents of this document's site.
    pub fn site_docs(&self) -> u64 {
        self.site_docs
    }

    /// The order key of an earlier copy of this long paragraph, if this is not the first.
    pub fn duplicate_of(&self, hash: u64) -> Option<u64> {
        let first = duplicate_of(self.profile.long_line(hash), self.order)?;
        if self.removed.is_some_and(|r| r.contains(&first)) {
            return None;
        }
        Some(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: SiteRules = SiteRules {
        min_docs: 3,
        min_share: 0.25,
        always_docs: 1000,
    };

    #[test]
    fn small_site() {
        assert!(is_site_boilerplate(10, 10, RULES));
        assert!(is_site_boilerplate(3, 10, RULES));
        assert!(
            !is_site_boilerplate(2, 10, RULES),
            "two pages sharing a line is not a template"
        );
        assert!(
            !is_site_boilerplate(2, 2, RULES),
            "a two-page site proves nothing"
        );
    }

    #[test]
    fn huge_site() {
        assert!(
            is_site_boilerplate(50_000, 1_000_000, RULES),
            "a section menu"
        );
        assert!(
            !is_site_boilerplate(40, 1_000_000, RULES),
            "a quote shared by a few articles"
        );
    }

    #[test]
    fn first_copy_stays() {
        let long = Some(LongLine { docs: 3, first: 7 });
        assert_eq!(duplicate_of(long, 7), None);
        assert_eq!(duplicate_of(long, 9), Some(7));
        assert_eq!(duplicate_of(None, 9), None);
    }
}
