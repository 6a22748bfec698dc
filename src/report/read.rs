//! Reading a report back, a record at a time: what `restore` needs of each document (where it
//! was, its runs of removed lines with their exact bytes), with the ids of site boilerplate runs
//! resolved to their text.

use std::borrow::Cow;
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

use super::{Header, SCHEMA_VERSION};
use crate::crawl::walk::{Compression, Format};
use crate::error::Error;

/// One record of a report, as `restore` needs it.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportRecord {
    /// A document.
    Document(Box<DocumentRecord>),
    /// A file or a record that was skipped and written back unchanged.
    Problem {
        /// The input.
        source: String,
        /// Its place in a mirrored tree, when the whole file was copied unchanged.
        path: Option<String>,
        /// The JSON Lines line, when the problem is one record.
        record: Option<u64>,
    },
}

impl ReportRecord {
    /// The input the record is about.
    pub fn source(&self) -> &str {
        match self {
            ReportRecord::Document(d) => &d.source,
            ReportRecord::Problem { source, .. } => source,
        }
    }
}

/// A document's record as `restore` and other readers of a report take it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DocumentRecord {
    /// The input it was read from (`-` for stdin).
    pub source: String,
    /// Where its file lies below the output root of a mirrored tree (and below the input root).
    #[serde(default)]
    pub path: Option<String>,
    /// The layout of its file.
    #[serde(default)]
    pub format: Format,
    /// The compression of its file.
    #[serde(default)]
    pub compression: Compression,
    /// For a JSON Lines record, its line number.
    #[serde(default)]
    pub record: Option<u64>,
    /// Totals.
    pub summary: DocumentTotals,
    /// Every run of removed lines, in input order.
    #[serde(default)]
    pub removals: Vec<RunRecord>,
    /// For a changed JSON Lines record, where its text field's value starts in its line.
    #[serde(default)]
    pub text_at: Option<usize>,
    /// …and that value as the input wrote it, when that is not how dedump writes it back.
    #[serde(default)]
    pub raw_text: Option<String>,
    /// The document removed whole as a duplicate, when it was.
    #[serde(default)]
    pub removed: Option<RemovedRecord>,
}

/// A document's totals, as its record gives them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DocumentTotals {
    /// Lines read.
    #[serde(default)]
    pub lines_in: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Lines removed.
    #[serde(default)]
    pub lines_removed: u64,
    /// Bytes removed.
    #[serde(default)]
    pub bytes_removed: u64,
    /// Whether it began with a byte-order mark (kept in the cleaned text).
    #[serde(default)]
    pub bom: bool,
}

/// A run of removed lines: consecutive lines that went for one reason.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RunRecord {
    /// Its first line (1-based).
    pub line: u64,
    /// How many lines.
    #[serde(default = "one")]
    pub lines: u64,
    /// The reason code.
    pub reason: String,
    /// The lines, endings included (invalid UTF-8 as U+FFFD; see `raw_base64`). Filled in from
    /// an earlier run when the record gives only `text_id`.
    #[serde(default)]
    pub text: Option<String>,
    /// The exact bytes, base64, when they are not UTF-8.
    #[serde(default)]
    pub raw_base64: Option<String>,
    /// The id of a text written once for several runs.
    #[serde(default)]
    pub text_id: Option<u64>,
}

fn one() -> u64 {
    1
}

impl RunRecord {
    /// The exact bytes of the run's lines, endings included.
    pub fn bytes(&self) -> Result<Cow<'_, [u8]>, String> {
        match (&self.raw_base64, &self.text) {
            (Some(b64), _) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map(Cow::Owned)
                .map_err(|e| format!("line {}: bad raw_base64: {e}", self.line)),
            (None, Some(t)) => Ok(Cow::Borrowed(t.as_bytes())),
            (None, None) => Err(format!("line {}: a run without its text", self.line)),
        }
    }
}

/// A document removed whole, as its report record holds it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RemovedRecord {
    /// `duplicate_document` or `near_duplicate_document`.
    pub reason: String,
    /// The document's text.
    #[serde(default)]
    pub text: String,
    /// Its exact bytes, base64, when they are not UTF-8.
    #[serde(default)]
    pub raw_base64: Option<String>,
    /// For a JSON Lines record, its whole line as read, ending included.
    #[serde(default)]
    pub line: Option<String>,
    /// …base64, when it is not UTF-8.
    #[serde(default)]
    pub line_base64: Option<String>,
}

impl RemovedRecord {
    /// The document's exact bytes (the record's line, for a JSON Lines record).
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        let b64 = |s: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|e| format!("bad base64 in a removed document: {e}"))
        };
        match (&self.line_base64, &self.line, &self.raw_base64) {
            (Some(b), _, _) => b64(b),
            (None, Some(line), _) => Ok(line.clone().into_bytes()),
            (None, None, Some(b)) => b64(b),
            (None, None, None) => Ok(self.text.clone().into_bytes()),
        }
    }
}

/// A report file, read a record at a time.
pub struct ReportReader {
    /// The report's path, for messages.
    pub path: PathBuf,
    lines: io::Lines<Box<dyn BufRead + Send>>,
    /// The header record.
    pub header: Header,
    line_no: usize,
    /// Texts of runs written once, by id.
    texts: Vec<String>,
}

/// Just the `kind` of a record (the rest is skipped unparsed).
#[derive(Deserialize)]
struct Kind<'a> {
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
}

/// The parts of a problem record `restore` uses.
#[derive(Deserialize)]
struct ProblemRecord {
    source: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    record: Option<u64>,
}

impl ReportReader {
    /// Opens a report and reads its header.
    pub fn open(path: &Path) -> Result<ReportReader, Error> {
        let file = std::fs::File::open(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_reader(path, Box::new(io::BufReader::new(file)))
    }

    /// Reads a report from `reader` (named `path` in messages) and reads its header.
    pub fn from_reader(
        path: &Path,
        reader: Box<dyn BufRead + Send>,
    ) -> Result<ReportReader, Error> {
        let mut lines = reader.lines();
        let bad = |message: String| Error::Report {
            path: path.to_path_buf(),
            message,
        };
        let first = lines
            .next()
            .transpose()
            .map_err(|source| Error::Read {
                path: path.to_path_buf(),
                source,
            })?
            .ok_or_else(|| bad("it is empty".into()))?;
        let value: serde_json::Value = serde_json::from_str(&first)
            .map_err(|e| bad(format!("{e}; is it a report written by `dedump --report`?")))?;
        let version = value["schema_version"].as_u64().unwrap_or(0);
        if version > u64::from(SCHEMA_VERSION) {
            return Err(bad(format!(
                "schema version {version} is newer than this dedump understands ({SCHEMA_VERSION}); upgrade dedump"
            )));
        }
        if version != 0 && version < u64::from(SCHEMA_VERSION) {
            return Err(bad(format!(
                "schema version {version} is older than this dedump reads ({SCHEMA_VERSION}); clean the input again to get a report it can restore from"
            )));
        }
        if value["kind"] != "header" {
            return Err(bad(
                "its first line is not a dedump report header; is it a report written by `dedump --report`?".into(),
            ));
        }
        let header: Header = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
        Ok(ReportReader {
            path: path.to_path_buf(),
            lines,
            header,
            line_no: 1,
            texts: Vec::new(),
        })
    }

    /// The next document or problem record; `None` at the summary or the end.
    pub fn next_record(&mut self) -> Result<Option<ReportRecord>, Error> {
        loop {
            let Some(line) = self.lines.next() else {
                return Ok(None);
            };
            self.line_no += 1;
            let line = line.map_err(|source| Error::Read {
                path: self.path.clone(),
                source,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let at = self.line_no;
            let path = self.path.clone();
            let bad = |message: String| Error::Report {
                path: path.clone(),
                message: format!("line {at}: {message}"),
            };
            let kind: Kind<'_> = serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
            match kind.kind.as_deref() {
                Some("document") => {
                    let mut doc: DocumentRecord =
                        serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
                    self.resolve(&mut doc).map_err(bad)?;
                    return Ok(Some(ReportRecord::Document(Box::new(doc))));
                }
                Some("problem") => {
                    let p: ProblemRecord =
                        serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
                    return Ok(Some(ReportRecord::Problem {
                        source: p.source,
                        path: p.path,
                        record: p.record,
                    }));
                }
                Some("summary") => return Ok(None),
                _ => continue,
            }
        }
    }

    /// Fills in the text of runs that give only an id, and keeps the text of those that give
    /// one for later runs.
    fn resolve(&mut self, doc: &mut DocumentRecord) -> Result<(), String> {
        for run in &mut doc.removals {
            let Some(id) = run.text_id else { continue };
            match &run.text {
                Some(t) if id == self.texts.len() as u64 => self.texts.push(t.clone()),
                Some(_) => return Err(format!("text_id {id} is given a second time")),
                None => {
                    let t = self.texts.get(id as usize).ok_or_else(|| {
                        format!("text_id {id} refers to no earlier run of the report")
                    })?;
                    run.text = Some(t.clone());
                }
            }
        }
        Ok(())
    }

    /// The records of the next input, in order (every record of one `source` in a row, as a
    /// report writes them); empty at the end.
    pub fn next_input(
        &mut self,
        pending: &mut Option<ReportRecord>,
    ) -> Result<Vec<ReportRecord>, Error> {
        let mut group = Vec::new();
        let first = match pending.take() {
            Some(r) => r,
            None => match self.next_record()? {
                Some(r) => r,
                None => return Ok(group),
            },
        };
        let source = first.source().to_string();
        group.push(first);
        while let Some(r) = self.next_record()? {
            if r.source() != source {
                *pending = Some(r);
                break;
            }
            group.push(r);
        }
        Ok(group)
    }
}
