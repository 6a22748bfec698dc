//! Writing a report: each [`Event`] as one JSON line.
//!
//! A document's removals are written as runs: consecutive removed lines that went for the same
//! reason with the same evidence are one entry, `{"line", "lines", "reason", "evidence", "text"}`,
//! whose `text` is the lines' exact bytes, line endings included (`raw_base64` as well when they
//! are not UTF-8). Evidence every line of a document shares is said once on the document: the
//! page's main text (`main_text`: first and last line) and its site's document count
//! (`site_docs`). A site boilerplate run seen before in the report is not written again: its
//! first copy carries a `text_id`, later ones only that id. So a crawl's report stays a fraction
//! of its input while `restore` still gets every byte back.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{DocumentReport, Event, Reason, Removal, RemovedDoc, Summary};
use crate::crawl::walk::{Compression, Format};

/// Site boilerplate runs shorter than this are written out each time (an id saves little).
const MIN_INTERNED_BYTES: usize = 16;

/// The most text a report's ids stand for; past it, runs are written out in full (a reader keeps
/// every such text in memory).
const MAX_INTERNED_BYTES: usize = 64 << 20;

/// Writes [`Event`]s as JSON Lines to `W`, in the order given.
pub struct ReportWriter<W> {
    out: W,
    /// Texts written under an id, by their bytes.
    interned: HashMap<Box<[u8]>, u64>,
    interned_bytes: usize,
    line: Vec<u8>,
}

impl<W: Write> ReportWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W) -> Self {
        ReportWriter {
            out,
            interned: HashMap::new(),
            interned_bytes: 0,
            line: Vec::new(),
        }
    }

    /// Writes one event as a line.
    pub fn write(&mut self, event: Event<'_>) -> io::Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        self.encode(event, &mut line);
        line.push(b'\n');
        let written = self.out.write_all(&line);
        self.line = line;
        written
    }

    /// The underlying writer.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// The underlying writer, given back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W> ReportWriter<W> {
    /// Appends `event` as one JSON value (no newline) to `buf`, as [`ReportWriter::write`]
    /// would write it at this point of the report.
    pub fn encode(&mut self, event: Event<'_>, buf: &mut Vec<u8>) {
        // Serializing these types into a vector cannot fail: no map has non-string keys.
        let _ = match event {
            Event::Header(h) => serde_json::to_writer(&mut *buf, h),
            Event::Problem(p) => serde_json::to_writer(
                &mut *buf,
                &Tagged {
                    kind: "problem",
                    inner: p,
                },
            ),
            Event::Summary(s) => serde_json::to_writer(&mut *buf, s),
            Event::Document(d) => {
                let doc = self.document(d);
                serde_json::to_writer(&mut *buf, &doc)
            }
        };
    }

    fn document<'a>(&mut self, d: &'a DocumentReport) -> DocOut<'a> {
        let mut main_text = None;
        let mut site_docs = None;
        for r in &d.removals {
            match &r.reason {
                Reason::Timestamp {
                    main_text_first_line,
                    main_text_last_line,
                }
                | Reason::Boilerplate {
                    main_text_first_line: Some(main_text_first_line),
                    main_text_last_line: Some(main_text_last_line),
                    ..
                } if main_text.is_none() => {
                    main_text = Some([*main_text_first_line, *main_text_last_line]);
                }
                Reason::SiteBoilerplate { site_docs: n, .. } if site_docs.is_none() => {
                    site_docs = Some(*n);
                }
                _ => {}
            }
        }
        DocOut {
            kind: "document",
            source: &d.source,
            path: &d.path,
            format: d.format,
            compression: d.compression,
            record: d.record,
            id: d.id.as_deref(),
            site: &d.site,
            summary: DocSummary::of(&d.summary),
            oversized: &d.oversized,
            main_text,
            site_docs,
            removals: self.runs(&d.removals),
            text_at: d.text_at,
            raw_text: d.raw_text.as_deref(),
            removed: d.removed.as_ref(),
        }
    }

    /// The removals as runs (see the module's documentation).
    fn runs<'a>(&mut self, removals: &'a [Removal]) -> Vec<RunOut<'a>> {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < removals.len() {
            let first = &removals[i];
            let mut j = i + 1;
            while j < removals.len() && joins(&removals[j - 1], &removals[j]) {
                j += 1;
            }
            let lines = &removals[i..j];
            let text: Cow<'a, str> = match lines {
                [one] if one.eol.is_empty() => Cow::Borrowed(&one.text),
                _ => Cow::Owned(lines.iter().flat_map(|r| [&*r.text, &*r.eol]).collect()),
            };
            let mut run = RunOut {
                line: first.line,
                lines: lines.len() as u64,
                reason: &first.reason,
                text: Some(text),
                raw_base64: first.raw_base64.as_deref(),
                text_id: None,
            };
            if matches!(first.reason, Reason::SiteBoilerplate { .. }) && run.raw_base64.is_none() {
                self.intern(&mut run);
            }
            runs.push(run);
            i = j;
        }
        runs
    }

    /// Writes a site boilerplate run's text once, later copies by id.
    fn intern(&mut self, run: &mut RunOut<'_>) {
        let Some(text) = run.text.as_deref() else {
            return;
        };
        if text.len() < MIN_INTERNED_BYTES {
            return;
        }
        if let Some(&id) = self.interned.get(text.as_bytes()) {
            run.text = None;
            run.text_id = Some(id);
        } else if self.interned_bytes + text.len() <= MAX_INTERNED_BYTES {
            let id = self.interned.len() as u64;
            self.interned_bytes += text.len();
            self.interned.insert(text.as_bytes().into(), id);
            run.text_id = Some(id);
        }
    }
}

/// Whether removal `b` continues the run that `a` ends: the next line, gone for the same reason
/// with the same evidence, both valid UTF-8.
fn joins(a: &Removal, b: &Removal) -> bool {
    b.line == a.line + 1
        && !a.eol.is_empty()
        && a.raw_base64.is_none()
        && b.raw_base64.is_none()
        && a.reason == b.reason
}

/// A record with its `kind` first.
#[derive(Serialize)]
struct Tagged<'a, T> {
    kind: &'static str,
    #[serde(flatten)]
    inner: &'a T,
}

/// A document record as written.
#[derive(Serialize)]
struct DocOut<'a> {
    kind: &'static str,
    source: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "is_text")]
    format: Format,
    #[serde(skip_serializing_if = "is_plain")]
    compression: Compression,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    site: &'a str,
    summary: DocSummary,
    #[serde(skip_serializing_if = "<[u64]>::is_empty")]
    oversized: &'a [u64],
    #[serde(skip_serializing_if = "Option::is_none")]
    main_text: Option<[u64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site_docs: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    removals: Vec<RunOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_at: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<&'a RemovedDoc>,
}

fn is_text(f: &Format) -> bool {
    *f == Format::Text
}

fn is_plain(c: &Compression) -> bool {
    *c == Compression::None
}

/// A document's totals as written: counts by reason are the run's (in the summary record) and
/// can be read off the document's runs.
#[derive(Serialize)]
struct DocSummary {
    lines_in: u64,
    bytes_in: u64,
    lines_removed: u64,
    bytes_removed: u64,
    #[serde(skip_serializing_if = "is_zero")]
    oversized_lines: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    bom: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    history_full: bool,
    #[serde(skip_serializing_if = "is_zero")]
    layout_skipped: u64,
}

impl DocSummary {
    fn of(s: &Summary) -> Self {
        DocSummary {
            lines_in: s.lines_in,
            bytes_in: s.bytes_in,
            lines_removed: s.lines_removed,
            bytes_removed: s.bytes_removed,
            oversized_lines: s.oversized_lines,
            bom: s.bom,
            history_full: s.history_full,
            layout_skipped: s.layout_skipped,
        }
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn is_one(n: &u64) -> bool {
    *n == 1
}

/// A run of removed lines as written.
#[derive(Serialize)]
struct RunOut<'a> {
    line: u64,
    #[serde(skip_serializing_if = "is_one")]
    lines: u64,
    #[serde(flatten)]
    reason: &'a Reason,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_base64: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_id: Option<u64>,
}
