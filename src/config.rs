//! Every tunable of a cleaning run, with its default in one place.
//!
//! The command line (and later a config file) builds a [`Config`]; [`Config::validate`] checks it
//! once before any input is read, so the engine never has to second-guess a value. The whole
//! struct is serialized into the report, so a report always says which settings produced it.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Lines of text on stdin held for the page's judgement before lines start leaving: most pages
/// of a naive dump are shorter (all but 4 of the 1,607 real pages of `../shared/data`), and a
/// pipe sees its first cleaned lines after at most this many.
pub const STDIN_WINDOW_LINES: usize = 2_000;
/// The same in bytes.
pub const STDIN_WINDOW_BYTES: usize = 1 << 20;

/// Settings of one cleaning run. `Config::default()` is the documented default behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Lines longer than this many bytes (line ending included) are kept untouched, never keyed
    /// or matched, and counted in the report as `oversized`. Default 1 MiB.
    pub max_line_bytes: usize,
    /// How many non-blank lines after a line the engine reads before it decides that line.
    /// Bounds latency and memory; must be at least `title_span`. Default 32.
    pub lookahead: usize,
    /// Hard cap on buffered lines. The boilerplate model judges a line against its page, so a
    /// document is held until its end or this many lines; a longer one is judged a window at a
    /// time, as a stretch inside a longer document (the report says `layout_skipped`). Other
    /// detectors decide each line once `lookahead` lines follow it. Default 16,384 (2,000 for
    /// text on stdin, `--window`).
    pub max_pending_lines: usize,
    /// The same cap in bytes: a window never holds more than this many bytes of lines.
    /// Default 16 MiB (1 MiB for text on stdin, `--window-bytes`).
    pub max_pending_bytes: usize,
    /// Lines whose key weight (a CJK character counts 2, any other key character 1) is below
    /// this are never removed merely for repeating: speaker labels, `Q:`, lone markers, `Home`.
    /// Default 8.
    pub min_repeat_weight: u32,
    /// Near-repeat detection only looks at lines of at least this key weight. Default 20.
    pub near_min_weight: u32,
    /// Jaccard similarity of character shingles at or above which a line is a near repeat of an
    /// earlier line. Default 0.8: roughly one edited word in a 60-character sentence.
    pub near_threshold: f64,
    /// How many earlier kept lines the near-repeat detector compares against. Default 4096.
    pub near_window: usize,
    /// The duplicated-title detector looks at the first this many non-blank lines. Default 128.
    pub title_zone: usize,
    /// Two copies of a title must be at most this many non-blank lines apart. Default 16.
    pub title_span: usize,
    /// Smallest list run the block detector considers. Default 3.
    pub min_block_items: usize,
    /// List items heavier than this key weight are running text, not a generated list item.
    /// Default 200.
    pub max_block_item_weight: u32,
    /// Most distinct line keys remembered for exact-repeat detection; past it new keys are not
    /// remembered and the report says so (`history_full`). Default 16,000,000 (about 400 MB).
    pub max_distinct_lines: usize,
    /// Site boilerplate: fewest documents of a site a line must be in. Default 3.
    pub site_min_docs: u32,
    /// Site boilerplate: least share of the site's documents a line must be in… Default 0.25.
    pub site_min_share: f64,
    /// …unless it is in at least this many documents of the site. Default 1,000.
    pub site_always_docs: u32,
    /// Remove duplicate and near-duplicate documents in a crawl or a JSON Lines stream.
    pub dedup_docs: bool,
    /// Exact Jaccard similarity of shingle sets at or above which two documents are near
    /// duplicates. Default 0.8.
    pub similarity: f64,
    /// Which copy of a duplicate cluster stays.
    pub keep: crate::dedup::Keep,
    /// Process input that looks binary (NUL bytes near the start) instead of refusing it.
    pub allow_binary: bool,
    /// How much boilerplate the model takes: which of its thresholds applies (`--boilerplate`).
    pub boilerplate: crate::model::Level,
    /// A model file written by `dedump train`, instead of the built-in model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<std::path::PathBuf>,
    /// Detectors that are switched on.
    pub detectors: Detectors,
}

/// Which detectors run. All are on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detectors {
    /// Exact repeated lines.
    pub exact: bool,
    /// Near-repeated lines.
    pub near: bool,
    /// Duplicated title.
    pub title: bool,
    /// Noise lines (counters, lone punctuation, invisible whitespace).
    pub noise: bool,
    /// Phrase rules: the built-in lists (evidence for the model) and the user's files.
    pub phrases: bool,
    /// Boilerplate list blocks.
    pub blocks: bool,
    /// Blank lines left doubled by a removal.
    pub tidy_blanks: bool,
    /// The boilerplate model: menus, footers, related lists, notices, judged with the page.
    pub boilerplate: bool,
    /// Site boilerplate (needs a crawl or a profile).
    pub site: bool,
    /// Long paragraphs whose first copy is in another document (needs a crawl or a profile).
    pub duplicate_content: bool,
}

impl Default for Detectors {
    fn default() -> Self {
        Detectors {
            exact: true,
            near: true,
            title: true,
            noise: true,
            phrases: true,
            blocks: true,
            tidy_blanks: true,
            boilerplate: true,
            site: true,
            duplicate_content: true,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_line_bytes: 1 << 20,
            lookahead: 32,
            max_pending_lines: 16_384,
            max_pending_bytes: 16 << 20,
            min_repeat_weight: 8,
            near_min_weight: 20,
            near_threshold: 0.8,
            near_window: 4096,
            title_zone: 128,
            title_span: 16,
            min_block_items: 3,
            max_block_item_weight: 200,
            max_distinct_lines: 16_000_000,
            site_min_docs: 3,
            site_min_share: 0.25,
            site_always_docs: 1000,
            dedup_docs: true,
            similarity: 0.8,
            keep: crate::dedup::Keep::First,
            allow_binary: false,
            boilerplate: crate::model::Level::default(),
            model: None,
            detectors: Detectors::default(),
        }
    }
}

impl Config {
    /// The thresholds of the site rule.
    pub fn site_rules(&self) -> crate::detect::site::SiteRules {
        crate::detect::site::SiteRules {
            min_docs: self.site_min_docs,
            min_share: self.site_min_share,
            always_docs: self.site_always_docs,
        }
    }

    /// The window a stream of text on stdin gets: a page's worth, so lines start leaving soon
    /// (see [`STDIN_WINDOW_LINES`]), unless the caller chose one.
    pub fn for_stdin(mut self) -> Self {
        self.max_pending_lines = self.max_pending_lines.min(STDIN_WINDOW_LINES);
        self.max_pending_bytes = self.max_pending_bytes.min(STDIN_WINDOW_BYTES);
        self
    }

    /// Checks every value once; the engine relies on these invariants.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |msg: String| Err(Error::Config(msg));
        if self.max_line_bytes < 64 {
            return bad(format!(
                "max line bytes must be at least 64, got {}",
                self.max_line_bytes
            ));
        }
        if !(self.near_threshold > 0.0 && self.near_threshold <= 1.0) {
            return bad(format!(
                "near-repeat threshold must be in (0, 1], got {}",
                self.near_threshold
            ));
        }
        if self.lookahead < self.title_span {
            return bad(format!(
                "lookahead ({}) must be at least the title span ({})",
                self.lookahead, self.title_span
            ));
        }
        if self.max_pending_bytes < self.max_line_bytes.min(1 << 16) {
            return bad(format!(
                "window bytes ({}) must be at least 64 KiB",
                self.max_pending_bytes
            ));
        }
        if self.max_pending_lines <= self.lookahead * 2 {
            return bad(format!(
                "max pending lines ({}) must exceed twice the lookahead ({})",
                self.max_pending_lines, self.lookahead
            ));
        }
        if self.min_block_items < 2 {
            return bad(format!(
                "a block needs at least 2 items, got {}",
                self.min_block_items
            ));
        }
        if !(self.site_min_share > 0.0 && self.site_min_share <= 1.0) {
            return bad(format!(
                "site share must be in (0, 1], got {}",
                self.site_min_share
            ));
        }
        if self.site_min_docs < 2 {
            return bad(format!(
                "a site boilerplate line must be in at least 2 documents, got {}",
                self.site_min_docs
            ));
        }
        if !(self.similarity > 0.0 && self.similarity <= 1.0) {
            return bad(format!(
                "document similarity must be in (0, 1], got {}",
                self.similarity
            ));
        }
        crate::model::Model::resolve(self.model.as_deref())?;
        if self.near_window == 0 {
            return bad("near window must be at least 1".to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn rejects_bad_values() {
        let c = Config {
            near_threshold: 1.5,
            ..Config::default()
        };
        assert!(c.validate().is_err());
        let c = Config {
            lookahead: 4,
            ..Config::default()
        };
        assert!(c.validate().is_err());
        let c = Config {
            max_line_bytes: 10,
            ..Config::default()
        };
        assert!(c.validate().is_err());
    }
}
