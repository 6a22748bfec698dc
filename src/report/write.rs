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
use std::io::{self, Seek, Write};

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
    interner: Interner,
    line: Vec<u8>,
}

/// Texts written under an id, by their bytes, and how many bytes they hold.
#[derive(Default)]
struct Interner {
    ids: HashMap<Box<[u8]>, u64>,
    bytes: usize,
}

impl<W: Write> ReportWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W) -> Self {
        ReportWriter {
            out,
            interner: Interner::default(),
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

    /// A spool for the removals of one document that is too long to hold them ([`RunSpool`]);
    /// the document is then written with [`ReportWriter::write_spooled`], before any other.
    pub fn spool(&mut self) -> io::Result<RunSpool> {
        Ok(RunSpool {
            file: io::BufWriter::new(tempfile::tempfile()?),
            run: Vec::new(),
            runs: 0,
            interner: std::mem::take(&mut self.interner),
            shared: Shared::default(),
            error: None,
        })
    }

    /// Writes `doc` (whose own `removals` are ignored) with the runs `spool` gathered on disk,
    /// streamed into the record without being read into memory.
    pub fn write_spooled(&mut self, doc: &DocumentReport, mut spool: RunSpool) -> io::Result<()> {
        spool.end_run();
        if let Some(e) = spool.error.take() {
            return Err(e);
        }
        self.interner = std::mem::take(&mut spool.interner);
        let mut record = DocOut::new(doc, spool.shared, Vec::new());
        record.removals.clear();
        let mut line = serde_json::to_vec(&record).map_err(io::Error::from)?;
        if spool.runs > 0 {
            // The object's closing brace gives way to the runs.
            line.pop();
            line.extend_from_slice(b",\"removals\":[");
            self.out.write_all(&line)?;
            let mut file = spool
                .file
                .into_inner()
                .map_err(io::IntoInnerError::into_error)?;
            file.seek(io::SeekFrom::Start(0))?;
            io::copy(&mut file, &mut self.out)?;
            self.out.write_all(b"]}\n")
        } else {
            line.push(b'\n');
            self.out.write_all(&line)
        }
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
        let mut shared = Shared::default();
        d.removals.iter().for_each(|r| shared.note(&r.reason));
        let runs = self.runs(&d.removals);
        DocOut::new(d, shared, runs)
    }

    /// The removals as runs (see the module's documentation).
    fn runs<'a>(&mut self, removals: &'a [Removal]) -> Vec<RunOut<'a>> {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < removals.len() {
            let mut j = i + 1;
            while j < removals.len() && joins(&removals[j - 1], &removals[j]) {
                j += 1;
            }
            runs.push(self.interner.run(&removals[i..j]));
            i = j;
        }
        runs
    }
}

impl Interner {
    /// One run of removed lines as written: a site boilerplate run's text once, later copies
    /// by id.
    fn run<'a>(&mut self, lines: &'a [Removal]) -> RunOut<'a> {
        let first = &lines[0];
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
        run
    }

    fn intern(&mut self, run: &mut RunOut<'_>) {
        let Some(text) = run.text.as_deref() else {
            return;
        };
        if text.len() < MIN_INTERNED_BYTES {
            return;
        }
        if let Some(&id) = self.ids.get(text.as_bytes()) {
            run.text = None;
            run.text_id = Some(id);
        } else if self.bytes + text.len() <= MAX_INTERNED_BYTES {
            let id = self.ids.len() as u64;
            self.bytes += text.len();
            self.ids.insert(text.as_bytes().into(), id);
            run.text_id = Some(id);
        }
    }
}

/// Evidence every removed line of a document shares, said once on the document: the page's
/// main text and its site's document count.
#[derive(Default, Clone, Copy)]
struct Shared {
    main_text: Option<[u64; 2]>,
    site_docs: Option<u64>,
}

impl Shared {
    fn note(&mut self, reason: &Reason) {
        match reason {
            Reason::Timestamp {
                main_text_first_line,
                main_text_last_line,
            }
            | Reason::Boilerplate {
                main_text_first_line: Some(main_text_first_line),
                main_text_last_line: Some(main_text_last_line),
                ..
            } if self.main_text.is_none() => {
                self.main_text = Some([*main_text_first_line, *main_text_last_line]);
            }
            Reason::SiteBoilerplate { site_docs: n, .. } if self.site_docs.is_none() => {
                self.site_docs = Some(*n);
            }
            _ => {}
        }
    }
}

/// Lines of one run held before it is written out: past it, a long run goes as several.
const MAX_SPOOLED_RUN: usize = 4096;

/// The removals of one long document (a text stream) as they are decided, written as runs to a
/// temporary file at once, so that no removed line stays in memory
/// ([`ReportWriter::spool`]). The first write error is kept and given at the end.
pub struct RunSpool {
    file: io::BufWriter<std::fs::File>,
    run: Vec<Removal>,
    runs: u64,
    interner: Interner,
    shared: Shared,
    error: Option<io::Error>,
}

impl RunSpool {
    /// Takes the next removal (in line order).
    pub fn push(&mut self, removal: Removal) {
        self.shared.note(&removal.reason);
        let joined = self
            .run
            .last()
            .is_some_and(|last| joins(last, &removal) && self.run.len() < MAX_SPOOLED_RUN);
        if !joined {
            self.end_run();
        }
        self.run.push(removal);
    }

    /// Writes the run held, if any.
    fn end_run(&mut self) {
        if self.run.is_empty() || self.error.is_some() {
            self.run.clear();
            return;
        }
        let run = std::mem::take(&mut self.run);
        let out = self.interner.run(&run);
        let sep: &[u8] = if self.runs > 0 { b"," } else { b"" };
        let written = self
            .file
            .write_all(sep)
            .and_then(|()| serde_json::to_writer(&mut self.file, &out).map_err(io::Error::from));
        if let Err(e) = written {
            self.error = Some(e);
        }
        self.runs += 1;
        drop(out);
        self.run = run;
        self.run.clear();
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

impl<'a> DocOut<'a> {
    fn new(d: &'a DocumentReport, shared: Shared, removals: Vec<RunOut<'a>>) -> Self {
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
            main_text: shared.main_text,
            site_docs: shared.site_docs,
            removals,
            text_at: d.text_at,
            raw_text: d.raw_text.as_deref(),
            removed: d.removed.as_ref(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::noise::NoiseKind;

    fn doc(removals: Vec<Removal>) -> DocumentReport {
        DocumentReport {
            source: "-".into(),
            path: "-".into(),
            format: Format::Text,
            compression: Compression::None,
            record: None,
            id: None,
            site: "harbour".into(),
            summary: Summary::default(),
            oversized: Vec::new(),
            removals,
            text_at: None,
            raw_text: None,
            removed: None,
        }
    }

    fn noise(line: u64, bytes: &[u8]) -> Removal {
        let reason = Reason::Noise {
            kind: NoiseKind::Separators,
        };
        Removal::new(line, 0, bytes, usize::from(bytes.ends_with(b"\n")), reason)
    }

    fn site(line: u64, text: &str) -> Removal {
        let reason = Reason::SiteBoilerplate {
            site: "harbour".into(),
            docs: 5,
            site_docs: 9,
        };
        Removal::new(line, 0, format!("{text}\n").as_bytes(), 1, reason)
    }

    #[test]
    fn a_spooled_document_is_written_as_a_held_one() {
        let removals = vec![
            site(1, "© 2026 Harbour Gazette. All rights reserved."),
            noise(2, b"----\n"),
            noise(3, b"----\n"),
            noise(4, b"bad \xff\n"),
            site(7, "© 2026 Harbour Gazette. All rights reserved."),
            noise(9, b"===="),
        ];
        let mut held = ReportWriter::new(Vec::new());
        held.write(Event::Document(&doc(removals.clone()))).unwrap();
        let mut spooled = ReportWriter::new(Vec::new());
        let mut spool = spooled.spool().unwrap();
        removals.into_iter().for_each(|r| spool.push(r));
        spooled.write_spooled(&doc(Vec::new()), spool).unwrap();
        let (held, spooled) = (held.into_inner(), spooled.into_inner());
        assert_eq!(
            String::from_utf8_lossy(&spooled),
            String::from_utf8_lossy(&held)
        );
        let record: serde_json::Value = serde_json::from_slice(&held).unwrap();
        assert_eq!(record["site_docs"], 9);
        let runs = record["removals"].as_array().unwrap();
        assert_eq!(runs.len(), 5, "----, ---- is one run: {runs:?}");
        assert_eq!(runs[1]["lines"], 2);
        assert_eq!(runs[3]["text_id"], runs[0]["text_id"]);
        assert!(
            runs[3].get("text").is_none(),
            "the repeat names the first copy"
        );
    }

    #[test]
    fn a_long_run_is_spooled_in_parts_and_no_line_is_lost() {
        let n = MAX_SPOOLED_RUN as u64 * 2 + 5;
        let mut w = ReportWriter::new(Vec::new());
        let mut spool = w.spool().unwrap();
        (1..=n).for_each(|line| spool.push(noise(line, b"0\n")));
        w.write_spooled(&doc(Vec::new()), spool).unwrap();
        let record: serde_json::Value = serde_json::from_slice(&w.into_inner()).unwrap();
        let runs = record["removals"].as_array().unwrap();
        assert_eq!(runs.len(), 3);
        let mut next = 1;
        for run in runs {
            assert_eq!(run["line"].as_u64().unwrap(), next);
            let lines = run["lines"].as_u64().unwrap();
            assert_eq!(run["text"].as_str().unwrap(), "0\n".repeat(lines as usize));
            next += lines;
        }
        assert_eq!(next, n + 1);
    }
}
