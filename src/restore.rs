//! Gives back the input of a run from its cleaned text and its report, byte for byte.
//!
//! The cleaned text is the input minus the removed lines, in order, so walking the removals by
//! offset and copying cleaned bytes up to each one rebuilds the input exactly. Every step is
//! checked against the report, so a cleaned file that does not belong to the report is an error,
//! not a silently wrong result.

use std::io::{self, Read, Write};
use std::path::Path;

use crate::error::Error;
use crate::report::{Report, SCHEMA_VERSION};

/// Reads and checks a report file.
pub fn load_report(path: &Path) -> Result<Report, Error> {
    let text = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let report: Report = serde_json::from_slice(&text).map_err(|e| Error::Report {
        path: path.to_path_buf(),
        message: format!("{e}; is it a report written by `dedump --report`?"),
    })?;
    if report.schema_version > SCHEMA_VERSION {
        return Err(Error::Report {
            path: path.to_path_buf(),
            message: format!(
                "schema version {} is newer than this dedump understands ({SCHEMA_VERSION}); upgrade dedump",
                report.schema_version
            ),
        });
    }
    Ok(report)
}

/// Writes the original input to `out` from the cleaned text and the report of its run.
/// Errors on read and write are reported against `cleaned_name` and `out_name`.
pub fn restore<R: Read, W: Write + ?Sized>(
    cleaned: R,
    cleaned_name: &Path,
    report: &Report,
    out: &mut W,
    out_name: &Path,
) -> Result<(), Error> {
    let read_err = |source| Error::Read {
        path: cleaned_name.to_path_buf(),
        source,
    };
    let write_err = |source| Error::Write {
        path: out_name.to_path_buf(),
        source,
    };
    let mismatch = |message: String| Error::Mismatch { message };
    let mut cleaned = io::BufReader::with_capacity(256 * 1024, cleaned);
    let mut pos: u64 = 0;
    for r in &report.removals {
        if r.offset < pos {
            return Err(mismatch(format!(
                "removal of line {} overlaps the one before it",
                r.line
            )));
        }
        let want = r.offset - pos;
        let got = io::copy(&mut (&mut cleaned).take(want), out).map_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                write_err(e)
            } else {
                read_err(e)
            }
        })?;
        if got != want {
            return Err(mismatch(format!(
                "cleaned text ends {} bytes before removed line {}",
                want - got,
                r.line
            )));
        }
        let bytes = r.bytes().map_err(mismatch)?;
        out.write_all(&bytes).map_err(write_err)?;
        pos = r.offset + r.len;
    }
    let rest = io::copy(&mut cleaned, out).map_err(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            write_err(e)
        } else {
            read_err(e)
        }
    })?;
    let total = pos + rest;
    if total != report.summary.bytes_in {
        return Err(mismatch(format!(
            "restored {total} bytes but the report says the input had {}",
            report.summary.bytes_in
        )));
    }
    out.flush().map_err(write_err)?;
    Ok(())
}
