//! Where a run's report and cleaned stream go while it runs: the report through a temporary file
//! renamed into place at the end (or to stdout), cleaned text to stdout, and optionally a tally
//! of the documents for `check`. The first write error stops the run.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use dedump::check::Tally;
use dedump::pipeline::Destination;
use dedump::report::{DocumentReport, Event, ReportWriter, RunSpool};
use dedump::{Error, crawl, pipeline};
use tempfile::NamedTempFile;

use super::is_stdio;

/// A report's destination: stdout, or a temporary file beside the report's path, renamed into
/// place when the run ends well.
enum ReportFile {
    Stdout(io::BufWriter<io::Stdout>),
    /// A device or a FIFO, written to directly.
    Stream(io::BufWriter<std::fs::File>),
    /// A temporary file, and the file it becomes (a symbolic link's target).
    File(io::BufWriter<NamedTempFile>, PathBuf),
}

impl Write for ReportFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            ReportFile::Stdout(w) => w.write(buf),
            ReportFile::Stream(w) => w.write(buf),
            ReportFile::File(w, _) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            ReportFile::Stdout(w) => w.write_all(buf),
            ReportFile::Stream(w) => w.write_all(buf),
            ReportFile::File(w, _) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            ReportFile::Stdout(w) => w.flush(),
            ReportFile::Stream(w) => w.flush(),
            ReportFile::File(w, _) => w.flush(),
        }
    }
}

impl ReportFile {
    /// Flushes; a temporary file is then synced and renamed into place if `keep`, else
    /// deleted.
    fn finish(self, keep: bool) -> io::Result<()> {
        match self {
            ReportFile::Stdout(mut w) => w.flush(),
            ReportFile::Stream(mut w) => w.flush(),
            ReportFile::File(w, target) => {
                let tmp = w.into_inner().map_err(io::IntoInnerError::into_error)?;
                if keep {
                    tmp.as_file().sync_all()?;
                    tmp.persist(target).map_err(|e| e.error)?;
                }
                Ok(())
            }
        }
    }
}

/// The report being written, and the path it is for.
struct ReportOut {
    path: PathBuf,
    w: ReportWriter<ReportFile>,
}

/// A [`crawl::Sink`] writing the report and cleaned text where the command line says.
#[derive(Default)]
pub struct ReportSink {
    report: Option<ReportOut>,
    stdout: Option<io::BufWriter<io::Stdout>>,
    tally: Option<Tally>,
    error: Option<Error>,
}

impl ReportSink {
    /// A sink writing the report to `report` (`-`: stdout) and cleaned text to stdout when
    /// `stdout` is set.
    pub fn new(report: Option<&Path>, stdout: bool) -> anyhow::Result<Self> {
        let report = match report {
            None => None,
            Some(path) if is_stdio(path) => Some(ReportOut {
                path: path.to_path_buf(),
                w: ReportWriter::new(ReportFile::Stdout(io::BufWriter::new(io::stdout()))),
            }),
            Some(path) => {
                let err = |source| Error::Write {
                    path: path.to_path_buf(),
                    source,
                };
                let file = match Destination::of(path) {
                    Destination::Stream(device) => ReportFile::Stream(io::BufWriter::new(
                        std::fs::OpenOptions::new()
                            .write(true)
                            .open(device)
                            .map_err(err)?,
                    )),
                    Destination::File(target) => {
                        let tmp = pipeline::temp_file_for(&target, true).map_err(err)?;
                        ReportFile::File(io::BufWriter::with_capacity(256 * 1024, tmp), target)
                    }
                };
                Some(ReportOut {
                    path: path.to_path_buf(),
                    w: ReportWriter::new(file),
                })
            }
        };
        Ok(ReportSink {
            report,
            stdout: stdout.then(|| io::BufWriter::with_capacity(256 * 1024, io::stdout())),
            ..ReportSink::default()
        })
    }

    /// Also tallies the documents (`check`'s worst documents and most repeated lines), keeping
    /// the `keep` worst.
    pub fn with_tally(mut self, keep: usize) -> Self {
        self.tally = Some(Tally::new(keep));
        self
    }

    /// A spool for the removals of one long document, when a report is written: the document
    /// is then written with [`ReportSink::spooled_document`].
    pub fn spool(&mut self) -> Result<Option<RunSpool>, Error> {
        let Some(r) = &mut self.report else {
            return Ok(None);
        };
        r.w.spool().map(Some).map_err(|source| Error::Write {
            path: r.path.clone(),
            source,
        })
    }

    /// Writes a document whose removals `spool` holds.
    pub fn spooled_document(&mut self, doc: &DocumentReport, spool: RunSpool) {
        if self.error.is_some() {
            return;
        }
        if let Some(r) = &mut self.report
            && let Err(e) = r.w.write_spooled(doc, spool)
        {
            let path = r.path.clone();
            self.fail(&path, e);
        }
    }

    fn fail(&mut self, path: &Path, source: io::Error) {
        if self.error.is_none() {
            self.error = Some(Error::Write {
                path: path.to_path_buf(),
                source,
            });
        }
    }

    /// Flushes the stream and puts the report in place; the tally, or the first write error.
    pub fn finish(mut self) -> Result<Option<Tally>, Error> {
        if let Some(w) = &mut self.stdout
            && let Err(e) = w.flush()
        {
            self.fail(Path::new("-"), e);
        }
        if let Some(r) = self.report.take() {
            let keep = self.error.is_none();
            if let Err(e) = r.w.into_inner().finish(keep) {
                self.fail(&r.path, e);
            }
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.tally),
        }
    }
}

impl crawl::Sink for ReportSink {
    fn event(&mut self, event: Event<'_>) {
        if self.error.is_some() {
            return;
        }
        if let (Some(t), Event::Document(doc)) = (&mut self.tally, event) {
            t.add(doc);
        }
        if let Some(r) = &mut self.report
            && let Err(e) = r.w.write(event)
        {
            let path = r.path.clone();
            self.fail(&path, e);
        }
    }

    fn stdout(&mut self, bytes: &[u8]) {
        if self.error.is_some() {
            return;
        }
        // A batch of records at a time: flushed, so a reader downstream gets it now.
        if let Some(w) = &mut self.stdout
            && let Err(e) = w.write_all(bytes).and_then(|()| w.flush())
        {
            self.fail(Path::new("-"), e);
        }
    }

    fn failed(&self) -> bool {
        self.error.is_some()
    }

    fn wants_documents(&self) -> bool {
        self.report.is_some() || self.tally.is_some()
    }
}
