//! Plain-text files written during the duplicate search. That pass cleans every document
//! anyway; a plain-text file's output goes to a temporary file beside its destination there and
//! then, its counts into the run's totals and its report lines aside to a spill file. Once the
//! verdicts are in, the cleaning pass puts each such file in place and passes its report lines
//! on in order — without reading it a third time — unless a verdict touches it: its document goes
//! whole, or lost a paragraph as a copy of a document that went. Those few are cleaned again as
//! before (their counts, already in, are not added twice).

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use super::{
    CleanContext, Counts, DocRef, FileOutcome, InputFile, destination, position, write_buffer_for,
    write_temp,
};
use crate::report::Reason;

/// One plain-text file cleaned and written out by the duplicate search.
pub(super) struct Written {
    /// Its output, closed, not yet in place (dropping it deletes it).
    tmp: Option<tempfile::TempPath>,
    bytes_in: u64,
    /// Its own outcome, for a file that may be cleaned again with other counts (see `copies`);
    /// `None` when its counts are in the run's already.
    own: Option<FileOutcome>,
    lines: Lines,
    /// Order keys of the documents whose paragraphs this one lost as duplicated content.
    copies: Vec<u64>,
}

/// Where a written file's report lines wait.
enum Lines {
    /// No report lines are wanted (or they are in the file's own outcome).
    None,
    /// In the spill file, at this offset and length.
    Spilled(u64, u64),
    /// They could not be set aside: the file is cleaned again.
    Lost,
}

/// A written file the cleaning pass must clean again; `counted` when its document's counts are
/// already in the run's totals (only what its cleaning adds besides — a document removed whole —
/// is still to count).
#[derive(Clone, Copy)]
pub(super) struct Redo {
    pub(super) counted: bool,
}

/// Everything the duplicate search wrote: files by index (each taken once), the counts of those
/// whose outcome is not kept with them, and their report lines.
pub struct WrittenFiles {
    files: Vec<Mutex<Option<Written>>>,
    counts: Mutex<Counts>,
    spill: Option<Spill>,
}

impl WrittenFiles {
    pub(super) fn new(
        files: Vec<Mutex<Option<Written>>>,
        tallies: Tallies,
        spill: Option<Spill>,
    ) -> Self {
        let mut counts = Counts::default();
        for t in tallies.0 {
            counts.absorb(t.into_inner().unwrap_or_else(|p| p.into_inner()).counts);
        }
        WrittenFiles {
            files,
            counts: Mutex::new(counts),
            spill,
        }
    }

    /// File `index`, if it was written (once).
    pub(super) fn take(&self, index: usize) -> Option<Written> {
        let slot = self.files.get(index)?;
        slot.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// The report lines' spill file, if any.
    pub(super) fn spill(&self) -> Option<&Spill> {
        self.spill.as_ref()
    }

    /// The counts of written files that do not keep their own outcome (once).
    pub(super) fn take_counts(&self) -> Counts {
        std::mem::take(&mut *self.counts.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Per-thread accumulators of the written files' counts (see [`Counts`]: they add up the same
/// whatever thread took which file).
pub(super) struct Tallies(Vec<Mutex<FileOutcome>>);

impl Tallies {
    pub(super) fn new() -> Self {
        Tallies(
            (0..rayon::current_num_threads().max(1))
                .map(|_| Mutex::default())
                .collect(),
        )
    }

    fn with<R>(&self, f: impl FnOnce(&mut FileOutcome) -> R) -> R {
        let i = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        f(&mut self.0[i].lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Written {
    /// Writes the cleaned document `cleaned` of plain-text `file` (outcome `doc`) to a temporary
    /// file and counts it; `None` if it cannot be written (the cleaning pass then cleans the
    /// file again and reports what went wrong).
    pub(super) fn new(
        ctx: &CleanContext<'_>,
        tallies: &Tallies,
        spill: Option<&Spill>,
        file: &InputFile,
        at: DocRef<'_>,
        doc: &crate::engine::Outcome,
        cleaned: &[u8],
    ) -> Option<Written> {
        let tmp = match destination(file, ctx.output) {
            Some((path, compression)) => {
                let capacity = write_buffer_for(file);
                write_temp(&path, compression, capacity, !ctx.new_tree, |w| {
                    w.write_all(cleaned)?;
                    Ok(true)
                })
                .ok()?
            }
            None => None,
        };
        let bytes_in = at.text.len() as u64;
        let copies: Vec<u64> = doc
            .removals
            .iter()
            .filter_map(|r| match r.reason {
                Reason::DuplicateContent { first_order, .. } => Some(first_order),
                _ => None,
            })
            .collect();
        let add = |out: &mut FileOutcome| {
            let place = super::DocPlace {
                source: at.source,
                file,
                record: None,
                id: None,
                site: at.site,
                order: at.order,
                rec: None,
                line: None,
            };
            out.add(place, doc, None, ctx);
        };
        if !copies.is_empty() {
            // Cleaned again if one of those documents goes, perhaps with other counts: they
            // wait with the file.
            let mut out = FileOutcome {
                bytes_in,
                ..FileOutcome::default()
            };
            add(&mut out);
            return Some(Written {
                tmp,
                bytes_in,
                own: Some(out),
                lines: Lines::None,
                copies,
            });
        }
        let lines = tallies.with(|t| {
            add(t);
            std::mem::take(&mut t.report_lines)
        });
        let lines = match spill {
            _ if lines.is_empty() => Lines::None,
            Some(spill) => spill
                .put(&lines)
                .map_or(Lines::Lost, |(at, len)| Lines::Spilled(at, len)),
            None => Lines::Lost,
        };
        Some(Written {
            tmp,
            bytes_in,
            own: None,
            lines,
            copies,
        })
    }

    /// The outcome of file `index` with its output put in place, or [`Redo`] when the verdicts
    /// touch it or its output or report lines cannot be had.
    pub(super) fn finish(
        self,
        index: usize,
        file: &InputFile,
        ctx: &CleanContext<'_>,
        spill: Option<&Spill>,
    ) -> Result<FileOutcome, Redo> {
        let redo = Redo {
            counted: self.own.is_none(),
        };
        // Not cleaned again: the duplicate search's outcome of this file is not replayed.
        let done = |out: FileOutcome| {
            if let Some(judged) = ctx.judged {
                judged.take(index);
            }
            Ok(out)
        };
        let verdict = ctx.doc_verdicts.and_then(|v| v.get(&position(index, 0)));
        if let Some(v) = verdict
            && redo.counted
            && !ctx.report_documents
        {
            // It goes whole and no report wants its text: nothing to read again. Its output
            // (dropped here) is never put in place; its document counts as removed.
            let mut counts = Counts::default();
            counts.add_removed(self.bytes_in, v.cluster);
            return done(FileOutcome {
                bytes_in: self.bytes_in,
                counts,
                ..FileOutcome::default()
            });
        }
        let went = |o: &u64| ctx.removed_orders.is_some_and(|r| r.contains(o));
        if verdict.is_some() || self.copies.iter().any(went) {
            return Err(redo);
        }
        let report_lines = match (self.lines, spill) {
            (Lines::None, _) => Vec::new(),
            (Lines::Spilled(at, len), Some(spill)) => spill.get(at, len).map_err(|_| redo)?,
            _ => return Err(redo),
        };
        if let (Some(tmp), Some((path, _))) = (self.tmp, destination(file, ctx.output)) {
            tmp.persist(&path).map_err(|_| redo)?;
        }
        done(match self.own {
            Some(out) => out,
            None => FileOutcome {
                report_lines,
                bytes_in: self.bytes_in,
                ..FileOutcome::default()
            },
        })
    }
}

/// Report lines set aside in an unnamed temporary file while their files wait for the verdicts
/// (a crawl's report is far too big to hold), read back as files are put in place.
pub(super) struct Spill(Mutex<(BufWriter<File>, u64)>);

impl Spill {
    /// A spill file in the temporary directory.
    pub(super) fn new() -> io::Result<Spill> {
        let file = tempfile::tempfile()?;
        Ok(Spill(Mutex::new((
            BufWriter::with_capacity(1 << 20, file),
            0,
        ))))
    }

    /// Appends `lines`, each with a newline; where they went (offset, length).
    fn put(&self, lines: &[String]) -> io::Result<(u64, u64)> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (w, end) = &mut *guard;
        let at = *end;
        for line in lines {
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
            *end += line.len() as u64 + 1;
        }
        Ok((at, *end - at))
    }

    /// The lines stored at `at` (`len` bytes).
    fn get(&self, at: u64, len: u64) -> io::Result<Vec<String>> {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (w, end) = &mut *guard;
        w.flush()?;
        let file = w.get_mut();
        file.seek(SeekFrom::Start(at))?;
        let mut text = String::with_capacity(len as usize);
        Read::by_ref(file).take(len).read_to_string(&mut text)?;
        file.seek(SeekFrom::Start(*end))?;
        if text.len() as u64 != len {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(text.lines().map(str::to_string).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_lines_come_back_by_their_range_in_any_order() {
        let spill = Spill::new().unwrap();
        let a = spill.put(&["one".into(), "two".into()]).unwrap();
        let b = spill.put(&["{\"x\": \"drei\"}".into()]).unwrap();
        assert_eq!(spill.get(b.0, b.1).unwrap(), ["{\"x\": \"drei\"}"]);
        assert_eq!(spill.get(a.0, a.1).unwrap(), ["one", "two"]);
        // Writing goes on at the end after a read.
        let c = spill.put(&["four".into()]).unwrap();
        assert_eq!(spill.get(c.0, c.1).unwrap(), ["four"]);
        assert_eq!(spill.get(b.0, b.1).unwrap(), ["{\"x\": \"drei\"}"]);
        assert!(spill.get(c.0, c.1 + 5).is_err(), "past the end");
    }
}
