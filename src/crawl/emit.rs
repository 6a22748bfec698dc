//! Passing a crawl's results on in input order while it runs: workers finish files in any
//! order, the [`Emitter`] hands each file's report lines and stdout bytes to the [`Sink`] once
//! every file before it is done, and a JSON Lines file hands them on a batch at a time
//! ([`Early`]) so a big file is never held whole.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::sync::Mutex;

use super::{Counts, CrawlResult, FileOutcome, Problem, RunSummary, TopLine, problem_line};
use crate::config::Config;
use crate::report::{SCHEMA_VERSION, Summary, Tool};

/// Where a crawl's report lines and standard-output bytes go: in input order, each file's as
/// soon as every file before it is done, so neither the report nor a cleaned stream is ever
/// gathered whole in memory.
pub trait Sink: Send {
    /// One report record: a JSON line, without its newline.
    fn report(&mut self, line: &str);
    /// Cleaned bytes bound for standard output.
    fn stdout(&mut self, bytes: &[u8]);
    /// True once a write failed (a closed pipe, a full disk): the run stops early.
    fn failed(&self) -> bool {
        false
    }
    /// Whether document records are wanted at all. A sink that drops them (no `--report`) says
    /// so, and documents are counted for the summary without being written out as JSON.
    fn wants_documents(&self) -> bool {
        true
    }
}

/// A [`Sink`] that keeps everything, for tests and small runs.
#[derive(Debug, Default)]
pub struct Collected {
    /// Report lines, the summary last.
    pub report: Vec<String>,
    /// Bytes for standard output.
    pub stdout: Vec<u8>,
}

impl Sink for Collected {
    fn report(&mut self, line: &str) {
        self.report.push(line.to_string());
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
    /// Report lines and stdout bytes of files not done yet, held until the files before are.
    early: BTreeMap<usize, (Vec<String>, Vec<u8>)>,
    strict: bool,
    first_problem: Option<Problem>,
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
            sink,
            problems: Vec::new(),
            summary: summary_of(files, cfg),
            counts: Counts::default(),
        }
    }

    /// File `index` is done: passes it on once every file before it has been. True when the
    /// run should stop (a problem under `strict`, or the sink failed).
    pub(super) fn finished(&mut self, index: usize, out: FileOutcome) -> bool {
        self.waiting.insert(index, out);
        while self.first_problem.is_none()
            && let Some(o) = self.waiting.remove(&self.next)
        {
            self.emit(o);
            self.next += 1;
            // The next file may be under way: what it has produced so far can go now.
            if !self.strict
                && let Some((lines, bytes)) = self.early.remove(&self.next)
            {
                self.pass_on(&lines, &bytes);
            }
        }
        self.first_problem.is_some() || self.sink.failed()
    }

    /// Report lines and stdout bytes of file `index`, produced before it is done: passed on at
    /// once when every file before it is done (never under `strict`, where a later problem in
    /// the file must leave nothing written), else held.
    fn early(&mut self, index: usize, lines: Vec<String>, bytes: Vec<u8>) {
        if index == self.next && !self.strict && self.first_problem.is_none() {
            self.pass_on(&lines, &bytes);
        } else {
            let e = self.early.entry(index).or_default();
            e.0.extend(lines);
            e.1.extend(bytes);
        }
    }

    fn pass_on(&mut self, lines: &[String], bytes: &[u8]) {
        for line in lines {
            self.sink.report(line);
        }
        if !bytes.is_empty() {
            self.sink.stdout(bytes);
        }
    }

    fn emit(&mut self, o: FileOutcome) {
        let (early_lines, early_bytes) = self.early.remove(&self.next).unwrap_or_default();
        if self.strict
            && let Some(p) = o.problems.first()
        {
            self.first_problem = Some(p.clone());
            return;
        }
        self.pass_on(&early_lines, &early_bytes);
        for line in &o.report_lines {
            self.sink.report(line);
        }
        for p in &o.problems {
            self.sink.report(&problem_line(p));
        }
        if !o.stdout.is_empty() {
            self.sink.stdout(&o.stdout);
        }
        self.problems.extend(o.problems);
        self.counts.absorb(o.counts);
    }

    /// Adds counts of documents whose report lines are passed on by [`Emitter::finished`]
    /// without them.
    pub(super) fn absorb(&mut self, counts: Counts) {
        self.counts.absorb(counts);
    }

    /// The closing summary (also the report's last line), or the first problem under `strict`.
    pub(super) fn finish(mut self) -> Result<CrawlResult, Problem> {
        if let Some(p) = self.first_problem {
            return Err(p);
        }
        let c = self.counts;
        let s = &mut self.summary;
        s.documents = c.docs;
        s.documents_removed = c.docs_removed;
        s.document_bytes_removed = c.doc_bytes_removed;
        s.totals = c.totals;
        s.by_site = c.sites;
        let mut top: Vec<TopLine> = c
            .top
            .into_values()
            .map(|t| TopLine {
                site: t.site,
                text: t.text,
                docs: t.docs,
            })
            .collect();
        top.sort_by(|a, b| {
            b.docs
                .cmp(&a.docs)
                .then_with(|| a.site.cmp(&b.site))
                .then_with(|| a.text.cmp(&b.text))
        });
        top.truncate(20);
        s.top_boilerplate = top;
        s.problems = self.problems.len() as u64;
        s.duplicate_clusters = c.clusters.iter().collect::<BTreeSet<_>>().len() as u64;
        self.sink
            .report(&serde_json::to_string(&self.summary).unwrap_or_default());
        Ok(CrawlResult {
            problems: self.problems,
            summary: self.summary,
        })
    }
}

/// A file being cleaned, handing its report lines and stdout bytes on a batch at a time (see
/// [`Emitter::early`]), so one big JSON Lines file is never held whole.
pub(super) struct Early<'e, 's> {
    pub(super) index: usize,
    pub(super) emitter: &'e Mutex<Emitter<'s>>,
}

impl Early<'_, '_> {
    pub(super) fn pass(&self, lines: Vec<String>, bytes: Vec<u8>) {
        if lines.is_empty() && bytes.is_empty() {
            return;
        }
        let mut e = self.emitter.lock().unwrap_or_else(|p| p.into_inner());
        e.early(self.index, lines, bytes);
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

    fn outcome(line: &str, problem: bool) -> FileOutcome {
        FileOutcome {
            report_lines: vec![line.to_string()],
            stdout: line.as_bytes().to_vec(),
            counts: Counts {
                docs: 1,
                ..Counts::default()
            },
            problems: if problem {
                vec![Problem {
                    path: None,
                    source: line.to_string(),
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
        let mut sink = Collected::default();
        let mut e = Emitter::new(3, &cfg, false, &mut sink);
        assert!(!e.finished(2, outcome("c", false)));
        assert!(!e.finished(0, outcome("a", false)));
        assert!(!e.finished(1, outcome("b", true)));
        let result = e.finish().unwrap();
        assert_eq!(result.summary.documents, 3);
        assert_eq!(result.problems.len(), 1);
        assert_eq!(sink.stdout, b"abc");
        assert_eq!(&sink.report[..2], ["a", "b"]);
        assert!(
            sink.report[2].contains("\"kind\":\"problem\""),
            "{}",
            sink.report[2]
        );
        assert_eq!(sink.report[3], "c");
        assert!(sink.report[4].contains("\"kind\":\"summary\""));
    }

    #[test]
    fn a_file_under_way_passes_its_batches_on_once_the_files_before_it_are_done() {
        let cfg = Config::default();
        let mut sink = Collected::default();
        let mut e = Emitter::new(2, &cfg, false, &mut sink);
        let lines = |l: &str| vec![l.to_string()];
        e.early(1, lines("b1"), b"B1".to_vec());
        e.early(0, lines("a1"), b"A1".to_vec());
        e.early(1, lines("b2"), b"B2".to_vec());
        assert!(!e.finished(0, outcome("a2", false)));
        // File 1 is now first in line: its next batch goes straight through.
        e.early(1, lines("b3"), b"B3".to_vec());
        assert!(!e.finished(1, outcome("b4", false)));
        e.finish().unwrap();
        assert_eq!(&sink.report[..6], ["a1", "a2", "b1", "b2", "b3", "b4"]);
        assert_eq!(sink.stdout, b"A1a2B1B2B3b4");
    }

    #[test]
    fn under_strict_the_first_problem_in_input_order_stops_the_run() {
        let cfg = Config::default();
        let mut sink = Collected::default();
        let mut e = Emitter::new(3, &cfg, true, &mut sink);
        assert!(!e.finished(2, outcome("c", true)));
        assert!(!e.finished(0, outcome("a", false)));
        assert!(
            e.finished(1, outcome("b", true)),
            "file 1 has the first problem"
        );
        assert_eq!(e.finish().unwrap_err().source, "b");
        assert_eq!(
            sink.report,
            ["a"],
            "nothing after the problem, and no summary"
        );
    }
}
