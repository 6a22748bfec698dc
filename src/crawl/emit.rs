//! Passing a crawl's results on in input order while it runs: workers finish files in any
//! order, the [`Emitter`] hands each file's report events and stdout bytes to the [`Sink`] once
//! every file before it is done, and a JSON Lines file hands them on a batch at a time
//! ([`Early`]) so a big file is never held whole.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::sync::Mutex;

use super::write::{Counts, FileOutcome};
use super::{CrawlResult, Problem, RunSummary, Stop, TopLine};
use crate::config::Config;
use crate::report::{DocumentReport, Event, ReportWriter, SCHEMA_VERSION, Summary, Tool};

/// Where a crawl's report events and standard-output bytes go: in input order, each file's as
/// soon as every file before it is done, so neither the report nor a cleaned stream is ever
/// gathered whole in memory.
pub trait Sink: Send {
    /// One report event.
    fn event(&mut self, event: Event<'_>);
    /// Cleaned bytes bound for standard output.
    fn stdout(&mut self, bytes: &[u8]);
    /// True once a write failed (a closed pipe, a full disk): the run stops early.
    fn failed(&self) -> bool {
        false
    }
    /// Whether document reports are wanted at all. A sink that drops them (no `--report`) says
    /// so, and documents are counted for the summary without a report being built.
    fn wants_documents(&self) -> bool {
        true
    }
}

/// A [`Sink`] that keeps everything, for tests and small runs: the report as the JSON lines a
/// report file holds.
pub struct Collected {
    /// Report lines, the summary last.
    pub report: Vec<String>,
    /// Bytes for standard output.
    pub stdout: Vec<u8>,
    writer: ReportWriter<io::Sink>,
}

impl Default for Collected {
    fn default() -> Self {
        Collected {
            report: Vec::new(),
            stdout: Vec::new(),
            writer: ReportWriter::new(io::sink()),
        }
    }
}

impl Sink for Collected {
    fn event(&mut self, event: Event<'_>) {
        let mut line = Vec::new();
        self.writer.encode(event, &mut line);
        self.report
            .push(String::from_utf8_lossy(&line).into_owned());
    }
    fn stdout(&mut self, bytes: &[u8]) {
        self.stdout.extend_from_slice(bytes);
    }
}

/// An empty summary of a run over `files` files.
pub(super) fn summary_of(files: usize, cfg: &Config) -> RunSummary {
    RunSummary {
        kind: "summary",
        schema_version: SCHEMA_VERSION,
        normalization_version: crate::normalize::NORMALIZATION_VERSION,
        tool: Tool::default(),
        config: cfg.clone(),
        files: files as u64,
        documents: 0,
        problems: 0,
        documents_removed: 0,
        document_bytes_removed: 0,
        duplicate_clusters: 0,
        totals: Summary::default(),
        by_site: BTreeMap::new(),
        top_boilerplate: Vec::new(),
    }
}

/// Puts finished files back in input order and passes them on: report lines and stdout bytes
/// to the sink, counts into the summary.
pub(super) struct Emitter<'s> {
    next: usize,
    waiting: BTreeMap<usize, FileOutcome>,
    /// Document reports and stdout bytes of files not done yet, held until the files before
    /// are.
    early: BTreeMap<usize, (Vec<DocumentReport>, Vec<u8>)>,
    strict: bool,
    first_problem: Option<Problem>,
    /// The first output that could not be written.
    write_error: Option<crate::error::Error>,
    sink: &'s mut dyn Sink,
    problems: Vec<Problem>,
    summary: RunSummary,
    counts: Counts,
}

impl<'s> Emitter<'s> {
    pub(super) fn new(files: usize, cfg: &Config, strict: bool, sink: &'s mut dyn Sink) -> Self {
        Emitter {
            next: 0,
            waiting: BTreeMap::new(),
            early: BTreeMap::new(),
            strict,
            first_problem: None,
            write_error: None,
            sink,
            problems: Vec::new(),
            summary: summary_of(files, cfg),
            counts: Counts::default(),
        }
    }

    /// File `index` is done: passes it on once every file before it has been. True when the
    /// run should stop (a problem under `strict`, or the sink failed).
    pub(super) fn finished(&mut self, index: usize, mut out: FileOutcome) -> bool {
        if let Some(e) = out.write_error.take() {
            self.write_error.get_or_insert(e);
        }
        if self.write_error.is_some() {
            return true;
        }
        self.waiting.insert(index, out);
        while self.first_problem.is_none()
            && let Some(o) = self.waiting.remove(&self.next)
        {
            self.emit(o);
            self.next += 1;
            // The next file may be under way: what it has produced so far can go now.
            if !self.strict
                && let Some((docs, bytes)) = self.early.remove(&self.next)
            {
                self.pass_on(&docs, &bytes);
            }
        }
        self.first_problem.is_some() || self.sink.failed()
    }

    /// Document reports and stdout bytes of file `index`, produced before it is done: passed on
    /// at once when every file before it is done (never under `strict`, where a later problem
    /// in the file must leave nothing written), else held.
    fn early(&mut self, index: usize, docs: Vec<DocumentReport>, bytes: Vec<u8>) {
        if index == self.next && !self.strict && self.first_problem.is_none() {
            self.pass_on(&docs, &bytes);
        } else {
            let e = self.early.entry(index).or_default();
            e.0.extend(docs);
            e.1.extend(bytes);
        }
    }

    fn pass_on(&mut self, docs: &[DocumentReport], bytes: &[u8]) {
        for doc in docs {
            self.sink.event(Event::Document(doc));
        }
        if !bytes.is_empty() {
            self.sink.stdout(bytes);
        }
    }

    fn emit(&mut self, o: FileOutcome) {
        let (early_docs, early_bytes) = self.early.remove(&self.next).unwrap_or_default();
        if self.strict
            && let Some(p) = o.problems.first()
        {
            self.first_problem = Some(p.clone());
            return;
        }
        self.pass_on(&early_docs, &early_bytes);
        for doc in &o.documents {
            self.sink.event(Event::Document(doc));
        }
        for p in &o.problems {
            self.sink.event(Event::Problem(p));
        }
        if !o.stdout.is_empty() {
            self.sink.stdout(&o.stdout);
        }
        self.problems.extend(o.problems);
        self.counts.absorb(o.counts);
    }

    /// The closing summary (also the report's last line), or why the run stopped.
    pub(super) fn finish(mut self) -> Result<CrawlResult, Stop> {
        if let Some(e) = self.write_error {
            return Err(Stop::Write(e));
        }
        if let Some(p) = self.first_problem {
            return Err(Stop::Problem(p));
        }
        let mut c = self.counts;
        let s = &mut self.summary;
        s.top_boilerplate = c
            .top_lines(20)
            .into_iter()
            .map(|(site, text, docs)| TopLine { site, text, docs })
            .collect();
        s.documents = c.docs;
        s.documents_removed = c.docs_removed;
        s.document_bytes_removed = c.doc_bytes_removed;
        s.duplicate_clusters = c.clusters.iter().collect::<BTreeSet<_>>().len() as u64;
        s.totals = c.totals;
        s.by_site = c.sites;
        s.problems = self.problems.len() as u64;
        self.sink.event(Event::Summary(&self.summary));
        Ok(CrawlResult {
            problems: self.problems,
            summary: self.summary,
        })
    }
}

/// A file being written, handing its document reports and stdout bytes on a batch at a time
/// (see [`Emitter::early`]), so one big JSON Lines file is never held whole.
pub(super) struct Early<'e, 's> {
    pub(super) index: usize,
    pub(super) emitter: &'e Mutex<Emitter<'s>>,
}

impl Early<'_, '_> {
    pub(super) fn pass(&self, docs: Vec<DocumentReport>, bytes: Vec<u8>) {
        if docs.is_empty() && bytes.is_empty() {
            return;
        }
        let mut e = self.emitter.lock().unwrap_or_else(|p| p.into_inner());
        e.early(self.index, docs, bytes);
    }
}

/// Standard output of one file: bytes gathered until `flush`, which hands them on.
pub(super) struct EarlyStdout<'a, 'e, 's> {
    pub(super) buf: Vec<u8>,
    pub(super) early: &'a Early<'e, 's>,
}

impl Write for EarlyStdout<'_, '_, '_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.early.pass(Vec::new(), std::mem::take(&mut self.buf));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names the events it is given: a document by its source, a problem as `problem:SOURCE`,
    /// the summary as `summary`.
    #[derive(Default)]
    struct Names {
        events: Vec<String>,
        stdout: Vec<u8>,
    }

    impl Sink for Names {
        fn event(&mut self, event: Event<'_>) {
            self.events.push(match event {
                Event::Header(_) => "header".into(),
                Event::Document(d) => d.source.clone(),
                Event::Problem(p) => format!("problem:{}", p.source),
                Event::Summary(_) => "summary".into(),
            });
        }
        fn stdout(&mut self, bytes: &[u8]) {
            self.stdout.extend_from_slice(bytes);
        }
    }

    fn doc(source: &str) -> DocumentReport {
        DocumentReport {
            source: source.to_string(),
            path: source.to_string(),
            format: super::super::walk::Format::Text,
            compression: super::super::walk::Compression::None,
            record: None,
            id: None,
            site: String::new(),
            summary: Summary::default(),
            oversized: Vec::new(),
            removals: Vec::new(),
            text_at: None,
            raw_text: None,
            removed: None,
        }
    }

    fn outcome(name: &str, problem: bool) -> FileOutcome {
        FileOutcome {
            documents: vec![doc(name)],
            stdout: name.as_bytes().to_vec(),
            counts: {
                let mut c = Counts::default();
                c.docs = 1;
                c
            },
            problems: if problem {
                vec![Problem {
                    path: None,
                    source: name.to_string(),
                    record: None,
                    message: "bad".to_string(),
                }]
            } else {
                Vec::new()
            },
            ..FileOutcome::default()
        }
    }

    #[test]
    fn files_finished_out_of_order_are_passed_on_in_input_order() {
        let cfg = Config::default();
        let mut sink = Names::default();
        let mut e = Emitter::new(3, &cfg, false, &mut sink);
        assert!(!e.finished(2, outcome("c", false)));
        assert!(!e.finished(0, outcome("a", false)));
        assert!(!e.finished(1, outcome("b", true)));
        let result = e.finish().unwrap();
        assert_eq!(result.summary.documents, 3);
        assert_eq!(result.problems.len(), 1);
        assert_eq!(sink.stdout, b"abc");
        assert_eq!(sink.events, ["a", "b", "problem:b", "c", "summary"]);
    }

    #[test]
    fn a_file_under_way_passes_its_batches_on_once_the_files_before_it_are_done() {
        let cfg = Config::default();
        let mut sink = Names::default();
        let mut e = Emitter::new(2, &cfg, false, &mut sink);
        let docs = |l: &str| vec![doc(l)];
        e.early(1, docs("b1"), b"B1".to_vec());
        e.early(0, docs("a1"), b"A1".to_vec());
        e.early(1, docs("b2"), b"B2".to_vec());
        assert!(!e.finished(0, outcome("a2", false)));
        // File 1 is now first in line: its next batch goes straight through.
        e.early(1, docs("b3"), b"B3".to_vec());
        assert!(!e.finished(1, outcome("b4", false)));
        e.finish().unwrap();
        assert_eq!(sink.events, ["a1", "a2", "b1", "b2", "b3", "b4", "summary"]);
        assert_eq!(sink.stdout, b"A1a2B1B2B3b4");
    }

    #[test]
    fn under_strict_the_first_problem_in_input_order_stops_the_run() {
        let cfg = Config::default();
        let mut sink = Names::default();
        let mut e = Emitter::new(3, &cfg, true, &mut sink);
        assert!(!e.finished(2, outcome("c", true)));
        assert!(!e.finished(0, outcome("a", false)));
        assert!(
            e.finished(1, outcome("b", true)),
            "file 1 has the first problem"
        );
        match e.finish() {
            Err(Stop::Problem(p)) => assert_eq!(p.source, "b"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            sink.events,
            ["a"],
            "nothing after the problem, and no summary"
        );
    }
}
