//! The report: what was removed, where, and why — typed serde structs with a schema version.
//!
//! Every removed line is one [`Removal`] holding its position (line number, byte offset and
//! length in the input), its exact bytes (as text, or base64 when they are not UTF-8) and a
//! [`Reason`] with its evidence. Together with the cleaned text that is enough to give back the
//! input byte for byte ([`crate::restore`]). Maps are `BTreeMap`s so the JSON is the same on
//! every run.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::detect::block::BlockRef;
use crate::detect::noise::NoiseKind;
use crate::detect::phrase::RuleKind;
use crate::detect::title::TitleRelation;

mod read;
mod write;

pub use read::{
    DocumentRecord, DocumentTotals, RemovedRecord, ReportReader, ReportRecord, RunRecord,
};
pub use write::{ReportWriter, RunSpool};

/// Version of the report layout. Bump it when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 3;

/// Why a line was removed, with the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", content = "evidence", rename_all = "snake_case")]
pub enum Reason {
    /// The same key as an earlier kept line.
    DuplicateLine {
        /// The line it repeats.
        of_line: u64,
        /// The block it was part of, when it went with one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block: Option<BlockRef>,
    },
    /// An edited copy of an earlier kept line.
    NearDuplicateLine {
        /// The line it resembles.
        of_line: u64,
        /// Jaccard similarity of their shingle sets.
        similarity: f64,
    },
    /// A second copy of the page title.
    DuplicateTitle {
        /// The copy that was kept.
        kept_line: u64,
        /// How the two copies relate.
        relation: TitleRelation,
        /// The block it was part of, when it went with one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block: Option<BlockRef>,
    },
    /// Nothing but digits, punctuation or invisible characters.
    Noise {
        /// Which kind.
        kind: NoiseKind,
    },
    /// A line that is a known notice whole (a built-in `line:` rule: `Visits: 0`), or matches
    /// one of the user's phrase rules (`--phrases`).
    BoilerplatePhrase {
        /// The rule's pattern as written.
        phrase: String,
        /// How the rule matched.
        rule: RuleKind,
        /// Where the rule is defined (`builtin:LINE` or `FILE:LINE`).
        source: String,
    },
    /// Part of a generated list.
    BoilerplateBlock {
        /// The block.
        block: BlockRef,
    },
    /// An entry of a list under a header that announces a list of links (`Related articles`,
    /// `大家都在看`): a link title, a teaser cut short, a headline.
    AnnouncedBlock {
        /// The header's line.
        header_line: u64,
        /// The header's phrase.
        phrase: String,
    },
    /// A menu printed on one line (`About us | Contact | Privacy policy`).
    Menu {
        /// Its items.
        row_items: usize,
    },
    /// A date or a time alone on a line, well away from the page's main text, one of several on
    /// its side: a feed's or a teaser list's stamp.
    Timestamp {
        /// First line of the page's main text (in a report, the document's `main_text`).
        #[serde(skip_serializing, default)]
        main_text_first_line: u64,
        /// Last line of the page's main text.
        #[serde(skip_serializing, default)]
        main_text_last_line: u64,
    },
    /// The header of a list that went whole (`Hot topics:` over a generated list): alone, it
    /// heads nothing.
    ListHeader {
        /// First line of the list.
        list_first_line: u64,
        /// Last line of the list.
        list_last_line: u64,
    },
    /// Boilerplate by the model's judgement: its score reached the level's threshold.
    Boilerplate {
        /// The model's probability that the line is boilerplate.
        score: f64,
        /// The inputs that carried the score most, with their contributions (weight · value),
        /// largest first; in a report, an object from feature name to contribution.
        #[serde(with = "contributions")]
        carried_by: Vec<Contribution>,
        /// The built-in phrase rule the line matches, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        phrase: Option<String>,
        /// Where that rule is defined.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// First line of the page's main text, when it has one (in a report, the document's
        /// `main_text`).
        #[serde(skip_serializing, default)]
        main_text_first_line: Option<u64>,
        /// Last line of the page's main text.
        #[serde(skip_serializing, default)]
        main_text_last_line: Option<u64>,
    },
    /// A line recurring in many documents of the same site.
    SiteBoilerplate {
        /// The site (in a report, the document's `site`).
        #[serde(skip_serializing, default)]
        site: String,
        /// Documents of the site containing the line.
        docs: u32,
        /// Documents of the site (in a report, the document's `site_docs`).
        #[serde(skip_serializing, default)]
        site_docs: u64,
    },
    /// A long paragraph whose first copy is in another document.
    DuplicateContent {
        /// The document holding the first copy, when known by name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        of_document: Option<String>,
        /// Its order key (input order in a crawl run, a fixed hash of its identity in a
        /// profile): for the run itself, not written to a report.
        #[serde(skip_serializing, default)]
        first_order: u64,
    },
    /// A blank line left doubled (or leading) by a removal.
    BlankTidy {
        /// The last removed line before it.
        after_line: u64,
    },
}

impl Reason {
    /// The reason code used in summaries.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::DuplicateLine { .. } => "duplicate_line",
            Reason::NearDuplicateLine { .. } => "near_duplicate_line",
            Reason::DuplicateTitle { .. } => "duplicate_title",
            Reason::Noise { .. } => "noise",
            Reason::BoilerplatePhrase { .. } => "boilerplate_phrase",
            Reason::BoilerplateBlock { .. } => "boilerplate_block",
            Reason::BlankTidy { .. } => "blank_tidy",
            Reason::SiteBoilerplate { .. } => "site_boilerplate",
            Reason::Boilerplate { .. } => "boilerplate",
            Reason::AnnouncedBlock { .. } => "announced_block",
            Reason::Menu { .. } => "menu",
            Reason::Timestamp { .. } => "timestamp",
            Reason::ListHeader { .. } => "list_header",
            Reason::DuplicateContent { .. } => "duplicate_content",
        }
    }
}

/// One input's share of a model score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The input's name (see [`crate::model::FEATURES`]).
    pub feature: String,
    /// Its weight times its value.
    pub value: f64,
}

/// [`Contribution`]s as one JSON object, `{"feature": value, …}`, in their order: a report
/// holds one per line the model removed, and the object is half the size of a list of pairs.
mod contributions {
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    use super::Contribution;

    pub fn serialize<S: Serializer>(list: &[Contribution], s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(list.len()))?;
        for c in list {
            map.serialize_entry(&c.feature, &c.value)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Contribution>, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<Contribution>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object from feature name to contribution")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut list = Vec::new();
                while let Some((feature, value)) = map.next_entry::<String, f64>()? {
                    list.push(Contribution { feature, value });
                }
                Ok(list)
            }
        }
        d.deserialize_map(Pairs)
    }
}

/// Every reason code, as summaries and limits name them.
pub const REASON_CODES: [&str; 14] = [
    "duplicate_line",
    "near_duplicate_line",
    "duplicate_title",
    "noise",
    "boilerplate_phrase",
    "boilerplate_block",
    "announced_block",
    "menu",
    "timestamp",
    "list_header",
    "boilerplate",
    "site_boilerplate",
    "duplicate_content",
    "blank_tidy",
];

/// One removed line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    /// 1-based line number in the input.
    pub line: u64,
    /// Byte offset of the line's first byte in the input.
    pub offset: u64,
    /// Length in bytes, line ending included.
    pub len: u64,
    /// The line without its ending (invalid UTF-8 shown as U+FFFD; see `raw_base64`).
    pub text: String,
    /// The line ending: `"\n"`, `"\r\n"` or `""` at the end of input.
    pub eol: String,
    /// The exact bytes (line ending included), base64, when they are not valid UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_base64: Option<String>,
    /// Why it went.
    #[serde(flatten)]
    pub reason: Reason,
}

impl Removal {
    /// Builds the record for a removed line from its exact bytes.
    pub fn new(line: u64, offset: u64, bytes: &[u8], eol_len: usize, reason: Reason) -> Removal {
        let content = &bytes[..bytes.len() - eol_len];
        let eol = String::from_utf8_lossy(&bytes[bytes.len() - eol_len..]).into_owned();
        let (text, raw_base64) = match std::str::from_utf8(content) {
            Ok(s) => (s.to_string(), None),
            Err(_) => (
                String::from_utf8_lossy(content).into_owned(),
                Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
            ),
        };
        Removal {
            line,
            offset,
            len: bytes.len() as u64,
            text,
            eol,
            raw_base64,
            reason,
        }
    }

    /// A removal's place and reason without its text (`text` and `eol` empty): what a caller
    /// that replays removals against the document later needs (see
    /// [`crate::engine::Engine::without_removed_text`]). Not for a report.
    pub fn located(line: u64, offset: u64, len: u64, reason: Reason) -> Removal {
        Removal {
            line,
            offset,
            len,
            text: String::new(),
            eol: String::new(),
            raw_base64: None,
            reason,
        }
    }

    /// The exact bytes of the removed line, line ending included.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        let bytes = match &self.raw_base64 {
            Some(b64) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| format!("line {}: bad raw_base64: {e}", self.line))?,
            None => {
                let mut v = self.text.clone().into_bytes();
                v.extend_from_slice(self.eol.as_bytes());
                v
            }
        };
        if bytes.len() as u64 != self.len {
            return Err(format!(
                "line {}: {} bytes recorded but {} given",
                self.line,
                self.len,
                bytes.len()
            ));
        }
        Ok(bytes)
    }
}

/// Lines and bytes removed for one reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// Lines.
    pub lines: u64,
    /// Bytes.
    pub bytes: u64,
}

/// Totals of one document (or, later, a whole run).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Lines read.
    pub lines_in: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Lines written.
    pub lines_out: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Lines removed.
    pub lines_removed: u64,
    /// Bytes removed.
    pub bytes_removed: u64,
    /// Removals by reason code.
    pub by_reason: BTreeMap<String, Count>,
    /// Lines longer than `max_line_bytes`, kept untouched.
    pub oversized_lines: u64,
    /// Whether the input began with a UTF-8 byte-order mark (always kept).
    pub bom: bool,
    /// Whether the exact-repeat table ran out of room (`max_distinct_lines`).
    pub history_full: bool,
    /// Documents cleaned without the menu-block detector because they were longer than
    /// `max_pending_lines` or held an oversized line (it needs a whole document).
    #[serde(default)]
    pub layout_skipped: u64,
}

impl Summary {
    /// Counts one removal.
    pub fn count_removal(&mut self, reason: &Reason, bytes: u64) {
        self.lines_removed += 1;
        self.bytes_removed += bytes;
        let c = self.by_reason.entry(reason.code().to_string()).or_default();
        c.lines += 1;
        c.bytes += bytes;
    }

    /// Takes back a removal counted before: the line is written after all.
    pub fn uncount_removal(&mut self, reason: &Reason, bytes: u64) {
        self.lines_removed = self.lines_removed.saturating_sub(1);
        self.bytes_removed = self.bytes_removed.saturating_sub(bytes);
        self.lines_out += 1;
        self.bytes_out += bytes;
        let code = reason.code();
        if let Some(c) = self.by_reason.get_mut(code) {
            c.lines = c.lines.saturating_sub(1);
            c.bytes = c.bytes.saturating_sub(bytes);
            if c.lines == 0 {
                self.by_reason.remove(code);
            }
        }
    }
}

/// Identifies the program that wrote a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `dedump`.
    pub name: String,
    /// Its version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "dedump".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The first record of every report (JSON Lines, one schema for a stream and a crawl): what
/// wrote it and with which settings. Then come a record per document (`kind: "document"`), one
/// per problem (`kind: "problem"`), and a closing summary (`kind: "summary"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always `"header"`.
    pub kind: String,
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// [`crate::normalize::NORMALIZATION_VERSION`].
    pub normalization_version: u32,
    /// The program.
    pub tool: Tool,
    /// The settings used.
    pub config: Config,
    /// Phrase files used besides the built-in lists.
    pub phrase_files: Vec<String>,
}

impl Header {
    /// The header of a run with these settings.
    pub fn new(cfg: &Config, phrase_files: Vec<String>) -> Header {
        Header {
            kind: "header".into(),
            schema_version: SCHEMA_VERSION,
            normalization_version: crate::normalize::NORMALIZATION_VERSION,
            tool: Tool::default(),
            config: cfg.clone(),
            phrase_files,
        }
    }

    /// The record as one JSON line, without its newline.
    pub fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A problem with one input, reported and skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The input.
    pub source: String,
    /// For a file copied to a mirrored tree unchanged, its place there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The JSON Lines line number, when the problem is one record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// What went wrong.
    pub message: String,
}

/// Totals of one site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteTotals {
    /// Documents.
    pub docs: u64,
    /// Lines read.
    pub lines_in: u64,
    /// Lines removed.
    pub lines_removed: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes removed.
    pub bytes_removed: u64,
}

/// A site boilerplate line and how many of its site's documents had it removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopLine {
    /// The site.
    pub site: String,
    /// The line as first seen (in input order).
    pub text: String,
    /// Documents it was removed from.
    pub docs: u64,
}

/// The closing record of a crawl report.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// Always `"summary"`.
    pub kind: &'static str,
    /// Report layout version.
    pub schema_version: u32,
    /// Key scheme version.
    pub normalization_version: u32,
    /// The program.
    pub tool: Tool,
    /// Settings.
    pub config: Config,
    /// Files read.
    pub files: u64,
    /// Documents cleaned.
    pub documents: u64,
    /// Problems (skipped files and records).
    pub problems: u64,
    /// Documents removed whole as duplicates.
    pub documents_removed: u64,
    /// Bytes of those documents.
    pub document_bytes_removed: u64,
    /// Clusters of duplicate documents (each keeps one copy).
    pub duplicate_clusters: u64,
    /// Totals over all documents.
    pub totals: Summary,
    /// Totals per site.
    pub by_site: BTreeMap<String, SiteTotals>,
    /// The most frequent site boilerplate lines.
    pub top_boilerplate: Vec<TopLine>,
}

/// A document removed whole as a duplicate: why, and its full original bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemovedDoc {
    /// `duplicate_document` or `near_duplicate_document`.
    pub reason: &'static str,
    /// The document kept in its place, when known by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of_document: Option<String>,
    /// Jaccard similarity of the two documents' shingle sets (1 for an exact copy).
    pub similarity: f64,
    /// The duplicate cluster within the run (0: a copy of an earlier crawl's document).
    pub cluster: u64,
    /// Whether `similarity` is an estimate from signatures (a copy of an earlier crawl's
    /// document, whose text is not at hand).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub similarity_estimated: bool,
    /// The document's text.
    pub text: String,
    /// Its exact bytes, base64, when they are not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_base64: Option<String>,
    /// For a JSON Lines record, its whole line as read, ending included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// …base64, when it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_base64: Option<String>,
}

/// One document's report as the library hands it on ([`Event::Document`]): where it came from,
/// its totals, and every removed line with its reason — or, for a document removed whole as a
/// duplicate, that verdict and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentReport {
    /// The input it was read from (`-` for stdin).
    pub source: String,
    /// Where its file lies below the input root (and below the output root of a mirrored tree).
    pub path: String,
    /// The layout of its file.
    pub format: crate::crawl::walk::Format,
    /// The compression of its file.
    pub compression: crate::crawl::walk::Compression,
    /// For a JSON Lines record, its line number.
    pub record: Option<u64>,
    /// For a JSON Lines record, the value of the id field, when one is named.
    pub id: Option<String>,
    /// Its site (empty when sites are not told apart).
    pub site: String,
    /// Totals.
    pub summary: Summary,
    /// Lines longer than `max_line_bytes`, kept untouched.
    pub oversized: Vec<u64>,
    /// Every removed line, in input order.
    pub removals: Vec<Removal>,
    /// For a changed JSON Lines record, where its text field's value starts in its line.
    pub text_at: Option<usize>,
    /// …and that value as the input wrote it, when dedump writes it otherwise.
    pub raw_text: Option<String>,
    /// The verdict that removed it whole.
    pub removed: Option<RemovedDoc>,
}

/// What a run hands to its report as it goes, in input order: the header first, then a document
/// or a problem at a time, the summary last. A report file is these written as JSON Lines
/// ([`ReportWriter`]); `check` tallies the same events without reading any JSON.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// What wrote the report and with which settings.
    Header(&'a Header),
    /// One document.
    Document(&'a DocumentReport),
    /// An input (a file or a record) skipped and written back unchanged.
    Problem(&'a Problem),
    /// The run's totals.
    Summary(&'a RunSummary),
}

/// Text as a report holds it: the string, and base64 of the exact bytes when they are not
/// UTF-8.
pub fn text_and_base64(bytes: &[u8]) -> (String, Option<String>) {
    use base64::Engine as _;
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        Err(_) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_round_trips_through_json() {
        let r = Removal::new(
            6,
            120,
            "  • 重复的口号。\r\n".as_bytes(),
            2,
            Reason::DuplicateLine {
                of_line: 4,
                block: None,
            },
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["reason"], "duplicate_line");
        assert_eq!(json["evidence"]["of_line"], 4);
        assert_eq!(json["eol"], "\r\n");
        assert!(json.get("raw_base64").is_none());
        let back: Removal = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.bytes().unwrap(), "  • 重复的口号。\r\n".as_bytes());
    }

    #[test]
    fn invalid_utf8_is_kept_exactly() {
        let raw = b"bad \xff\xfe bytes\n";
        let r = Removal::new(
            1,
            0,
            raw,
            1,
            Reason::Noise {
                kind: NoiseKind::Separators,
            },
        );
        assert!(r.raw_base64.is_some());
        assert!(r.text.contains('\u{FFFD}'));
        let back: Removal = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back.bytes().unwrap(), raw);
    }

    #[test]
    fn summary_counts_by_reason() {
        let mut s = Summary::default();
        s.count_removal(&Reason::BlankTidy { after_line: 3 }, 1);
        s.count_removal(&Reason::BlankTidy { after_line: 5 }, 2);
        assert_eq!(s.by_reason["blank_tidy"], Count { lines: 2, bytes: 3 });
        assert_eq!(s.lines_removed, 2);
    }
}
