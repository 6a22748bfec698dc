//! Gives back the input of a run from what it wrote and its report, byte for byte.
//!
//! A cleaned document is its input minus the removed lines, in order, so walking the report's
//! runs of removed lines and copying cleaned lines up to each one rebuilds the input exactly
//! ([`restore_document`]). Around that:
//!
//! - **A stream** (`dedump page.txt -o clean.txt`, or JSON Lines on stdout): the report's records
//!   are taken in order against the one cleaned stream ([`restore_stream`]). A text document is
//!   the whole stream; JSON Lines records are lines of it, a removed record's line comes back
//!   from the report, a changed record gets its text's original value back in place.
//! - **A mirrored tree** (`dedump clean crawl/ -o out/`): each document record names its file's
//!   place below the output root, its layout and compression ([`restore_tree`]); a document
//!   removed whole as a duplicate comes back from the report, a file copied unchanged (a problem
//!   record with a place) is copied back. Compressed files are restored compressed the same way;
//!   what they hold is the input's, byte for byte (the compressed bytes themselves depend on the
//!   compressor's settings).
//!
//! Every step is checked against the report, so cleaned text that does not belong to it is an
//! error, not a silently wrong result.

use std::io::{self, BufRead, Read, Write};
use std::path::Path;

use crate::crawl::walk::{Compression, Format};
use crate::error::Error;
use crate::report::{DocumentRecord, DocumentTotals, ReportReader, ReportRecord, RunRecord};

/// Writes one document's original bytes to `out` from its cleaned bytes (`cleaned`, read to the
/// end) and its runs of removed lines: cleaned lines are copied up to each run, the run's bytes
/// written in their place. `totals` says whether the input began with a byte-order mark (kept
/// first in the cleaned text) and how long it was.
pub fn restore_document<R: BufRead, W: Write + ?Sized>(
    cleaned: &mut R,
    runs: &[RunRecord],
    totals: &DocumentTotals,
    out: &mut W,
) -> Result<(), RestoreError> {
    let mut written: u64 = 0;
    if totals.bom {
        let mut bom = Vec::with_capacity(3);
        copy(&mut (&mut *cleaned).take(3), &mut bom)?;
        if bom != crate::input::BOM {
            return Err(RestoreError::Mismatch(
                "the cleaned text lacks the byte-order mark its input began with".into(),
            ));
        }
        out.write_all(&bom).map_err(RestoreError::Write)?;
        written += 3;
    }
    let mut next_line = 1u64;
    for run in runs {
        if run.line < next_line || run.lines == 0 {
            return Err(RestoreError::Mismatch(format!(
                "the run of removed lines at line {} overlaps the one before it",
                run.line
            )));
        }
        let want = run.line - next_line;
        let (lines, bytes) = copy_lines(cleaned, want, out)?;
        if lines < want {
            return Err(RestoreError::Mismatch(format!(
                "cleaned text ends {} lines before removed line {}",
                want - lines,
                run.line
            )));
        }
        let removed = run.bytes().map_err(RestoreError::Mismatch)?;
        out.write_all(&removed).map_err(RestoreError::Write)?;
        written += bytes + removed.len() as u64;
        next_line = run.line + run.lines;
    }
    written += copy(cleaned, out)?;
    if written != totals.bytes_in {
        return Err(RestoreError::Mismatch(format!(
            "restored {written} bytes but the report says the input had {}",
            totals.bytes_in
        )));
    }
    Ok(())
}

/// Copies up to `n` lines (each up to and including its `\n`, the last perhaps without one) from
/// `from` to `to`, however long they are; the lines and bytes copied.
fn copy_lines<R: BufRead + ?Sized, W: Write + ?Sized>(
    from: &mut R,
    n: u64,
    to: &mut W,
) -> Result<(u64, u64), RestoreError> {
    let (mut lines, mut bytes, mut in_line) = (0u64, 0u64, false);
    while lines < n {
        let buf = match from.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(RestoreError::Read(e)),
        };
        if buf.is_empty() {
            // A last line without a line ending is a line too.
            return Ok((lines + u64::from(in_line), bytes));
        }
        let (take, ended) = match memchr::memchr(b'\n', buf) {
            Some(p) => (p + 1, true),
            None => (buf.len(), false),
        };
        to.write_all(&buf[..take]).map_err(RestoreError::Write)?;
        from.consume(take);
        bytes += take as u64;
        if ended {
            lines += 1;
            in_line = false;
        } else {
            in_line = true;
        }
    }
    Ok((lines, bytes))
}

/// Why a restore failed, before the paths are known.
#[derive(Debug)]
pub enum RestoreError {
    /// Reading the cleaned text failed.
    Read(io::Error),
    /// Writing the restored text failed.
    Write(io::Error),
    /// The cleaned text and the report do not fit together.
    Mismatch(String),
}

impl RestoreError {
    /// The library error, with the paths of both ends.
    pub fn at(self, cleaned: &Path, out: &Path) -> Error {
        match self {
            RestoreError::Read(source) => Error::Read {
                path: cleaned.to_path_buf(),
                source,
            },
            RestoreError::Write(source) => Error::Write {
                path: out.to_path_buf(),
                source,
            },
            RestoreError::Mismatch(message) => Error::Mismatch {
                message: format!("{}: {message}", cleaned.display()),
            },
        }
    }
}

/// `io::copy`, telling a failed read from a failed write.
fn copy<R: Read, W: Write + ?Sized>(from: &mut R, to: &mut W) -> Result<u64, RestoreError> {
    let mut buf = [0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let got = match from.read(&mut buf) {
            Ok(0) => return Ok(n),
            Ok(got) => got,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(RestoreError::Read(e)),
        };
        to.write_all(&buf[..got]).map_err(RestoreError::Write)?;
        n += got as u64;
    }
}

/// Restores a JSON Lines file (or stream) from its cleaned lines and its documents' records, in
/// line order: a removed record's line comes from the report, a changed record gets its text
/// back in place, every other line is copied as it is.
fn restore_jsonl<R: BufRead, W: Write + ?Sized>(
    cleaned: &mut R,
    docs: &[&DocumentRecord],
    out: &mut W,
) -> Result<(), RestoreError> {
    let mut next = docs.iter().peekable();
    let mut k: u64 = 0; // the input line being restored
    let mut line = Vec::new();
    loop {
        k += 1;
        // Records removed whole at this input line come back from the report.
        if let Some(d) = next
            .peek()
            .filter(|d| d.record == Some(k) && d.removed.is_some())
        {
            let removed = d.removed.as_ref().map(|r| r.bytes());
            let bytes = removed
                .transpose()
                .map_err(RestoreError::Mismatch)?
                .unwrap_or_default();
            out.write_all(&bytes).map_err(RestoreError::Write)?;
            next.next();
            continue;
        }
        line.clear();
        if cleaned
            .read_until(b'\n', &mut line)
            .map_err(RestoreError::Read)?
            == 0
        {
            break;
        }
        match next.peek().filter(|d| d.record == Some(k)) {
            Some(d) => {
                restore_record(&line, d, out)?;
                next.next();
            }
            None => out.write_all(&line).map_err(RestoreError::Write)?,
        }
    }
    if let Some(d) = next.next() {
        return Err(RestoreError::Mismatch(format!(
            "the cleaned text ends before record {} of {}",
            d.record.unwrap_or(0),
            d.source
        )));
    }
    Ok(())
}

/// Writes the original of one JSON Lines record from its cleaned line.
fn restore_record<W: Write + ?Sized>(
    line: &[u8],
    d: &DocumentRecord,
    out: &mut W,
) -> Result<(), RestoreError> {
    if d.removals.is_empty() {
        return out.write_all(line).map_err(RestoreError::Write);
    }
    let mismatch =
        |m: &str| RestoreError::Mismatch(format!("record {}: {m}", d.record.unwrap_or(0)));
    let at = d
        .text_at
        .ok_or_else(|| mismatch("no text_at for a changed record"))?;
    let tail = line
        .get(at..)
        .ok_or_else(|| mismatch("the line is shorter than text_at"))?;
    // The cleaned value: one JSON string at `at`.
    let mut de = serde_json::Deserializer::from_slice(tail).into_iter::<String>();
    let cleaned = match de.next() {
        Some(Ok(s)) => s,
        _ => return Err(mismatch("no JSON string at text_at")),
    };
    let end = at + de.byte_offset();
    let mut text = Vec::with_capacity(d.summary.bytes_in as usize);
    restore_document(&mut cleaned.as_bytes(), &d.removals, &d.summary, &mut text)?;
    let literal = match &d.raw_text {
        Some(raw) => raw.clone().into_bytes(),
        None => {
            let text =
                String::from_utf8(text).map_err(|_| mismatch("restored text is not UTF-8"))?;
            serde_json::to_vec(&text).map_err(|e| mismatch(&e.to_string()))?
        }
    };
    out.write_all(&line[..at]).map_err(RestoreError::Write)?;
    out.write_all(&literal).map_err(RestoreError::Write)?;
    out.write_all(&line[end..]).map_err(RestoreError::Write)
}

/// Restores everything a run wrote to one stream (a file or stdout) from `cleaned`, the records
/// of `report` in order, to `out`.
pub fn restore_stream<R: Read, W: Write + ?Sized>(
    cleaned: R,
    cleaned_name: &Path,
    report: &mut ReportReader,
    out: &mut W,
    out_name: &Path,
) -> Result<(), Error> {
    let mut cleaned = io::BufReader::with_capacity(256 * 1024, cleaned);
    let mut pending = None;
    let mut inputs = 0;
    loop {
        let group = report.next_input(&mut pending)?;
        if group.is_empty() {
            break;
        }
        inputs += 1;
        let docs = documents(&group);
        let Some(first) = docs.first() else { continue };
        let result = match first.format {
            Format::Text if inputs > 1 => {
                return Err(Error::Mismatch {
                    message: "the report holds several text documents written to one stream, which cannot be told apart; clean them into a tree with -o DIR to restore them".into(),
                });
            }
            Format::Text => match &first.removed {
                Some(r) => r
                    .bytes()
                    .map_err(RestoreError::Mismatch)
                    .and_then(|b| out.write_all(&b).map_err(RestoreError::Write)),
                None => restore_document(&mut cleaned, &first.removals, &first.summary, out),
            },
            Format::Jsonl => restore_jsonl(&mut cleaned, &docs, out),
        };
        result.map_err(|e| e.at(cleaned_name, out_name))?;
    }
    // Anything left in the stream belongs to no record: copied (the trailing lines of JSON
    // Lines input no record describes).
    copy(&mut cleaned, out).map_err(|e| e.at(cleaned_name, out_name))?;
    out.flush().map_err(|source| Error::Write {
        path: out_name.to_path_buf(),
        source,
    })
}

/// What [`restore_tree`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TreeRestored {
    /// Files written.
    pub files: u64,
    /// Documents restored (those removed whole included).
    pub documents: u64,
}

/// Restores a mirrored tree `cleaned_root` that a crawl wrote, with its report, into `out_root`.
pub fn restore_tree(
    cleaned_root: &Path,
    report: &mut ReportReader,
    out_root: &Path,
) -> Result<TreeRestored, Error> {
    let mut done = TreeRestored::default();
    let mut pending = None;
    loop {
        let group = report.next_input(&mut pending)?;
        if group.is_empty() {
            return Ok(done);
        }
        // A file copied unchanged (it could not be cleaned) is copied back.
        if let Some(rel) = copied_to(&group) {
            let (from, to) = (cleaned_root.join(&rel), out_root.join(&rel));
            make_parent(&to)?;
            std::fs::copy(&from, &to).map_err(|source| Error::Read { path: from, source })?;
            done.files += 1;
            continue;
        }
        let docs = documents(&group);
        let Some(first) = docs.first() else { continue };
        let rel = first.path.clone().ok_or_else(|| Error::Report {
            path: report.path.clone(),
            message: format!("the record of {} names no place in a tree", first.source),
        })?;
        let (from, to) = (cleaned_root.join(&rel), out_root.join(&rel));
        make_parent(&to)?;
        crate::pipeline::write_atomic(&to, |w| restore_file_of(&from, &docs, w, &to))?;
        done.files += 1;
        done.documents += docs.len() as u64;
    }
}

/// Writes the input file that the documents `docs` of one input's group came from, restored from
/// the cleaned file `from` (of a mirrored tree) and compressed as it was.
fn restore_file_of<W: Write + ?Sized>(
    from: &Path,
    docs: &[&DocumentRecord],
    out: &mut W,
    out_name: &Path,
) -> Result<(), Error> {
    let Some(first) = docs.first() else {
        return Ok(());
    };
    let compression = first.compression;
    let write_err = |source| Error::Write {
        path: out_name.to_path_buf(),
        source,
    };
    let mut w = crate::crawl::source::Compressed::new(out, compression).map_err(write_err)?;
    let result = match (first.format, &first.removed) {
        (Format::Text, Some(r)) => r
            .bytes()
            .map_err(RestoreError::Mismatch)
            .and_then(|b| w.write_all(&b).map_err(RestoreError::Write)),
        (Format::Text, None) => {
            let mut cleaned = io::BufReader::new(open_cleaned(from, compression)?);
            restore_document(&mut cleaned, &first.removals, &first.summary, &mut w)
        }
        (Format::Jsonl, _) => {
            // Every record of the file may have gone: then no file was written.
            let mut cleaned: Box<dyn BufRead> = if from.exists() {
                Box::new(io::BufReader::new(open_cleaned(from, compression)?))
            } else {
                Box::new(io::empty())
            };
            restore_jsonl(&mut cleaned, docs, &mut w)
        }
    };
    result.map_err(|e| e.at(from, out_name))?;
    w.finish().map_err(write_err)?;
    Ok(())
}

/// Which input of a report the file `cleaned` holds: the one whose place in the tree that the
/// run wrote `cleaned`'s path ends with (the longest such place), or the only input of a report
/// that has one; `None` when the report has several inputs and places none at such a path.
pub fn find_file(cleaned: &Path, report_path: &Path) -> Result<Option<usize>, Error> {
    let mut best: Option<(usize, usize)> = None;
    let mut groups = 0usize;
    let mut report = ReportReader::open(report_path)?;
    let mut pending = None;
    loop {
        let group = report.next_input(&mut pending)?;
        if group.is_empty() {
            break;
        }
        if let Some(rel) = place_of(&group).filter(|rel| !rel.is_empty() && cleaned.ends_with(rel))
        {
            let depth = Path::new(&rel).components().count();
            if best.is_none_or(|(_, d)| depth > d) {
                best = Some((groups, depth));
            }
        }
        groups += 1;
    }
    Ok(match best {
        Some((index, _)) => Some(index),
        None if groups == 1 => Some(0),
        None => None,
    })
}

/// Restores the file `cleaned`, which holds input `index` of the report ([`find_file`]), to
/// `out`, compressed as the input was.
pub fn restore_file(
    cleaned: &Path,
    report_path: &Path,
    index: usize,
    out: &mut dyn Write,
    out_name: &Path,
) -> Result<(), Error> {
    let mut report = ReportReader::open(report_path)?;
    let mut pending = None;
    for _ in 0..index {
        report.next_input(&mut pending)?;
    }
    let group = report.next_input(&mut pending)?;
    if copied_to(&group).is_some() {
        // Copied unchanged: it is its input.
        let mut from = std::fs::File::open(cleaned).map_err(|source| Error::Read {
            path: cleaned.to_path_buf(),
            source,
        })?;
        copy(&mut from, out).map_err(|e| e.at(cleaned, out_name))?;
    } else {
        restore_file_of(cleaned, &documents(&group), out, out_name)?;
    }
    out.flush().map_err(|source| Error::Write {
        path: out_name.to_path_buf(),
        source,
    })
}

/// Where an input's group was written in the tree: its documents' place, or the place of a file
/// copied unchanged.
fn place_of(group: &[ReportRecord]) -> Option<String> {
    copied_to(group).or_else(|| documents(group).first().and_then(|d| d.path.clone()))
}

/// Where a file that could not be cleaned was copied unchanged, if this group is one.
fn copied_to(group: &[ReportRecord]) -> Option<String> {
    group.iter().find_map(|r| match r {
        ReportRecord::Problem { path: Some(p), .. } => Some(p.clone()),
        _ => None,
    })
}

/// The document records of an input's group (its problem records left out).
fn documents(group: &[ReportRecord]) -> Vec<&DocumentRecord> {
    group
        .iter()
        .filter_map(|r| match r {
            ReportRecord::Document(d) => Some(d.as_ref()),
            ReportRecord::Problem { .. } => None,
        })
        .collect()
}

fn make_parent(path: &Path) -> Result<(), Error> {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => {
            std::fs::create_dir_all(d).map_err(|source| Error::Write {
                path: d.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// A cleaned file, decompressed.
fn open_cleaned(path: &Path, compression: Compression) -> Result<Box<dyn Read>, Error> {
    let f = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    Ok(match compression {
        Compression::None => Box::new(f),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(io::BufReader::new(f))),
        Compression::Zstd => Box::new(zstd::Decoder::new(f).map_err(err)?),
    })
}

impl From<Error> for RestoreError {
    fn from(e: Error) -> Self {
        match e {
            Error::Read { source, .. } => RestoreError::Read(source),
            Error::Write { source, .. } => RestoreError::Write(source),
            other => RestoreError::Mismatch(other.to_string()),
        }
    }
}
