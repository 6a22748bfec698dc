//! Crawl mode: many documents — files in a tree, JSON Lines records, compressed or not — cleaned
//! with what the whole crawl reveals.
//!
//! A run is one line of phases, each a type made from the one before:
//!
//! ```text
//! walk ─▶ Evidence ─▶ Judged ─▶ Decided ─▶ write
//!         (learn)     (judge)   (decide)
//! ```
//!
//! - **[`Evidence`]** (module `learn`): what every document is judged with — the settings, and
//!   per site how many documents hold each line and where each long paragraph first appears: a
//!   [`Profile`] learned from the files in a first reading, or one given (`--profile`).
//! - **`Judged`** (module `judge`): every document cleaned once, by the engine, against that
//!   evidence; what is kept of each is where its removed lines are and why (not their text) and a
//!   sketch for the duplicate search.
//! - **`Decided`** (module `decide`): duplicate and near-duplicate documents found among the
//!   sketches (their candidates' exact shingle sets read again), and which copy of each stays.
//! - **write** (module `write`): each file read once more and written: every document as it was
//!   judged, with the verdicts laid over it — a document that goes leaves nothing, a paragraph
//!   taken out as a copy of a document that went stays. The engine does not run again. Report
//!   events go to the [`Sink`] in input order as files are done.
//!
//! With duplicate-document search off, judging and writing are one step (each document is
//! cleaned as it is written). A stream (stdin) cannot be read twice: it is cleaned and written
//! in one reading, against a profile learned earlier (`--profile`), its duplicates found as it
//! goes (each document against the ones before it).
//!
//! Files are the unit of parallel work: rayon spreads them over the threads, each file's output
//! and report are built by one worker, and the results are put back in input order. Learning
//! folds per-thread profiles that merge by sums and minimums. So output files and the report are
//! the same byte for byte whatever the thread count.
//!
//! A bad file never stops a run: an unreadable file, a truncated gzip or zstd stream or a binary
//! file is reported with its path (and record, where known) and left unchanged in the output; a
//! JSON Lines record that is not JSON, lacks the text field, or whose text is not a string is
//! written back as it was and reported with its line number. `strict` stops at the first one.

mod decide;
mod emit;
mod judge;
mod learn;
mod read;
mod replay;
pub mod source;
pub mod walk;
mod write;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use crate::config::Config;
use crate::dedup::OnlineDedup;
use crate::detect::phrase::PhraseSet;
use crate::detect::site::CrossDoc;
use crate::engine::{Buffers, Outcome};
use crate::error::Error;
use crate::minhash::Shingler;
use crate::normalize::KeyBuilder;
use crate::pipeline::{DocOptions, clean_slice};
use crate::profile::{Profile, SiteFrom};
use crate::report::{DocumentReport, Event, Header, Reason};
pub use crate::report::{Problem, RunSummary, SiteTotals, TopLine};
use source::compression_of;
use walk::{Format, InputFile};

pub use emit::{Collected, Sink};
pub use learn::{fingerprint_documents, learn};

/// How documents are read out of crawl files.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// JSON Lines field holding the text.
    pub text_field: String,
    /// JSON Lines field naming the document in the report.
    pub id_field: Option<String>,
    /// JSON Lines field holding the document's URL.
    pub url_field: String,
    /// Where sites come from.
    pub site_from: SiteFrom,
    /// Stop at the first problem.
    pub strict: bool,
    /// The most bytes of one document (a file's content once decompressed, or one JSON Lines
    /// record) read into memory: a file with a longer one is reported and copied unchanged,
    /// never read whole.
    pub max_doc_bytes: u64,
}

/// Default of [`CrawlOptions::max_doc_bytes`]: far above any page, far below the machine.
pub const MAX_DOC_BYTES: u64 = 64 << 20;

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            text_field: "text".into(),
            id_field: None,
            url_field: "url".into(),
            site_from: SiteFrom::Auto,
            strict: false,
            max_doc_bytes: MAX_DOC_BYTES,
        }
    }
}

/// Where cleaned documents go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Nowhere (a dry run).
    Discard,
    /// Standard output, files one after another.
    Stdout,
    /// One file (one input), compressed as its name says.
    File(std::path::PathBuf),
    /// A tree mirroring the inputs, each file with its input's format and compression.
    Dir(std::path::PathBuf),
    /// Over the inputs themselves.
    InPlace,
}

/// How documents are ordered for "keep the first copy".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKeys {
    /// Input order ([`DocId::input_order`]). Used within one run.
    InputOrder,
    /// A fixed hash of the document's path and record number: the same in every shard, so
    /// profiles learned apart agree on which copy is first.
    Identity,
}

/// A document's place among a run's inputs: its file's index, and its line number in a JSON
/// Lines file (0 for a plain-text file's one document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId {
    /// Index of its file among the inputs.
    pub file: u32,
    /// Its record's line number (0: the file is the document).
    pub record: u32,
}

impl DocId {
    /// The document at line `record` of file `file`.
    pub fn new(file: usize, record: u64) -> DocId {
        DocId {
            file: file as u32,
            record: record as u32,
        }
    }

    /// Its order key in input order: the file, then the record. The one place a document's
    /// place is packed into an integer (profiles and sketches keep order keys as `u64`).
    pub fn input_order(self) -> u64 {
        (u64::from(self.file) << 32) | u64::from(self.record)
    }

    /// The document whose input-order key is `order`.
    pub fn from_input_order(order: u64) -> DocId {
        DocId {
            file: (order >> 32) as u32,
            record: order as u32,
        }
    }

    /// Its order key under `keys`.
    fn order(self, keys: OrderKeys, files: &[InputFile]) -> u64 {
        match keys {
            OrderKeys::InputOrder => self.input_order(),
            OrderKeys::Identity => {
                let file = &files[self.file as usize];
                let id = format!("{}\0{}", file.rel.display(), self.record);
                xxhash_rust::xxh3::xxh3_64(id.as_bytes())
            }
        }
    }

    /// Its name in messages and reports: its file, and `:record` for a JSON Lines record.
    fn name(self, files: &[InputFile]) -> Option<String> {
        files.get(self.file as usize).map(|f| match self.record {
            0 => display(f),
            n => format!("{}:{n}", display(f)),
        })
    }
}

/// Which phase a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Learning the cross-document evidence.
    Learn,
    /// Judging every document and looking for duplicates.
    Dedup,
    /// Writing the output.
    Clean,
}

/// Progress so far within a phase.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// The phase.
    pub phase: Phase,
    /// Input bytes done.
    pub bytes: u64,
    /// Documents done.
    pub docs: u64,
}

/// Called from worker threads as files finish.
pub type ProgressFn<'a> = &'a (dyn Fn(Progress) + Sync);

/// Total size of the inputs as the walk found them, for a progress bar (stdin counts 0).
pub fn total_bytes(files: &[InputFile]) -> u64 {
    files.iter().map(|f| f.size).sum()
}

/// What every document of a run is judged with: the settings, and the cross-document evidence —
/// a profile (learned from the files or given) with the order keys it was built with, and the
/// fingerprints of an earlier crawl's documents that a given profile carries.
pub struct Evidence<'a> {
    /// Settings.
    pub cfg: &'a Config,
    /// Phrase rules.
    pub phrases: &'a PhraseSet,
    /// Reading options.
    pub opts: &'a CrawlOptions,
    profile: Held<'a>,
    /// Which order keys the profile was built with.
    pub keys: OrderKeys,
    /// Fingerprints of an earlier crawl's documents (from a given profile).
    earlier: Option<crate::dedup::ProfileDocs<'a>>,
}

/// The profile of a run: none, given, or learned from the files.
enum Held<'a> {
    None,
    Given(&'a Profile),
    Learned(Profile),
}

impl<'a> Evidence<'a> {
    /// Each document on its own: no cross-document evidence.
    pub fn single_documents(
        cfg: &'a Config,
        phrases: &'a PhraseSet,
        opts: &'a CrawlOptions,
    ) -> Self {
        Evidence {
            cfg,
            phrases,
            opts,
            profile: Held::None,
            keys: OrderKeys::InputOrder,
            earlier: None,
        }
    }

    /// The profile, if any.
    pub fn profile(&self) -> Option<&Profile> {
        match &self.profile {
            Held::None => None,
            Held::Given(p) => Some(p),
            Held::Learned(p) => Some(p),
        }
    }

    /// Cleans one document into `cleaned` with the engine and this evidence, reusing `buffers`
    /// (see [`Buffers`]).
    fn clean(
        &self,
        files: &[InputFile],
        doc: DocRef<'_>,
        cleaned: &mut Vec<u8>,
        buffers: &mut Buffers,
    ) -> Result<Outcome, Error> {
        let cross = self.profile().map(|p| {
            let order = doc.id.order(self.keys, files);
            (
                CrossDoc::new(p, doc.site, order, self.cfg.site_rules()),
                doc.site,
            )
        });
        let options = DocOptions {
            cross,
            without_removed_text: !doc.removed_text,
        };
        let at = Path::new(doc.source);
        let mut out = clean_slice(
            doc.text,
            at,
            cleaned,
            self.cfg,
            self.phrases,
            options,
            buffers,
        )?;
        if self.keys == OrderKeys::InputOrder {
            for r in &mut out.removals {
                if let Reason::DuplicateContent {
                    of_document,
                    first_order,
                } = &mut r.reason
                {
                    *of_document = DocId::from_input_order(*first_order).name(files);
                }
            }
        }
        Ok(out)
    }
}

/// One document to clean: its text, site, place, its name for error messages, and whether its
/// removals need their text (only for a report; see [`crate::report::Removal::located`]).
#[derive(Clone, Copy)]
struct DocRef<'d> {
    text: &'d [u8],
    site: &'d str,
    id: DocId,
    source: &'d str,
    removed_text: bool,
}

/// A whole crawl run — the evidence (learned unless a profile is given), the judging of every
/// document and the duplicate search, and the writing — what `dedump clean` does with a crawl.
/// Runs on the current rayon pool.
pub struct Run<'a> {
    /// Settings.
    pub cfg: &'a Config,
    /// Phrase rules.
    pub phrases: &'a PhraseSet,
    /// Reading options.
    pub opts: &'a CrawlOptions,
    /// Where output goes.
    pub output: &'a Output,
    /// Cross-document evidence learned earlier; `None` learns it from the files.
    pub profile: Option<&'a Profile>,
    /// Inputs that could not be walked: reported right after the report's header.
    pub walk_problems: &'a [Problem],
}

/// Why a crawl stopped before its end.
#[derive(Debug)]
pub enum Stop {
    /// The first problem with an input, under `strict`.
    Problem(Problem),
    /// An output could not be written (a full disk, a read-only directory): nothing more is
    /// written, the file that failed is left as it was, and the report holds the files done
    /// before it.
    Write(crate::error::Error),
}

/// What a crawl cleaning run produced besides what went to its [`Sink`].
#[derive(Debug)]
pub struct CrawlResult {
    /// Every problem, in input order.
    pub problems: Vec<Problem>,
    /// The closing summary.
    pub summary: RunSummary,
}

impl Run<'_> {
    /// Whether the files are learned from first: no profile given, all re-readable, site
    /// boilerplate on.
    fn learns(&self, files: &[InputFile]) -> bool {
        self.profile.is_none() && rereadable(files) && self.cfg.detectors.site
    }

    /// Whether documents are judged in a reading of their own, for the duplicate search (the
    /// inputs can be read again; a stream is checked as it goes instead).
    fn judges_apart(&self, files: &[InputFile]) -> bool {
        self.cfg.dedup_docs && rereadable(files)
    }

    /// Readings of the input: learning (see `learns`), judging (see `judges_apart`), and
    /// writing, which always runs. Progress counts `passes × total_bytes`.
    pub fn passes(&self, files: &[InputFile]) -> u64 {
        1 + u64::from(self.learns(files)) + u64::from(self.judges_apart(files))
    }

    /// Runs the crawl; report events and stdout bytes go to `sink` in input order as files are
    /// done. Stops at an output that cannot be written, and at the first problem when
    /// `opts.strict` is set.
    pub fn execute(
        &self,
        files: &[InputFile],
        progress: ProgressFn<'_>,
        sink: &mut dyn Sink,
    ) -> Result<CrawlResult, Stop> {
        let cfg = self.cfg;
        sink.event(Event::Header(&Header::new(cfg, self.phrases.files())));
        for p in self.walk_problems {
            sink.event(Event::Problem(p));
        }
        let total = total_bytes(files);
        let evidence = match self.profile {
            Some(p) => Evidence::given(cfg, self.phrases, self.opts, p),
            None if self.learns(files) => {
                Evidence::learned(cfg, self.phrases, self.opts, files, progress)
            }
            None => Evidence::single_documents(cfg, self.phrases, self.opts),
        };
        let mut offset = if self.learns(files) { total } else { 0 };
        let decided = self.judges_apart(files).then(|| {
            let judged = judge::Judged::run(&evidence, files, &shifted(progress, offset));
            offset += total;
            judged.decide(&evidence, files)
        });
        let online = Mutex::new(OnlineDedup::default());
        let writing = write::Writing {
            ev: &evidence,
            files,
            output: self.output,
            decided: decided.as_ref(),
            online: (cfg.dedup_docs && decided.is_none()).then_some(&online),
            report_documents: sink.wants_documents(),
            new_tree: matches!(self.output, Output::Dir(d) if std::fs::symlink_metadata(d).is_err()),
        };
        writing.run(&shifted(progress, offset), sink)
    }
}

/// `progress` for a phase that counts its bytes from zero after `offset` bytes of earlier ones.
fn shifted(progress: ProgressFn<'_>, offset: u64) -> impl Fn(Progress) + Sync + '_ {
    move |p: Progress| {
        progress(Progress {
            bytes: p.bytes + offset,
            ..p
        })
    }
}

/// Whether every input can be read twice (stdin cannot).
fn rereadable(files: &[InputFile]) -> bool {
    files.iter().all(|f| f.path.as_os_str() != "-")
}

/// Reusable buffers for document fingerprints.
#[derive(Default)]
struct Fingerprinter {
    kb: KeyBuilder,
    shingler: Shingler,
}

impl Fingerprinter {
    /// The hash of a cleaned document's sequence of line keys (equal for documents that differ
    /// only in whitespace, markup or removed boilerplate) and its shingle set.
    fn fingerprint(&mut self, cleaned: &[u8], set: &mut Vec<u64>) -> u64 {
        self.shingles(cleaned, set);
        self.exact(cleaned)
    }

    /// The sequence hash of the keys of `cleaned`'s lines: what the engine gives as
    /// [`Outcome::kept_keys_hash`] for the text it kept, when no line was oversized.
    fn exact(&mut self, cleaned: &[u8]) -> u64 {
        let mut h = crate::engine::KEPT_KEYS_SEED;
        for line in crate::engine::split_lines(cleaned) {
            let f = self.kb.analyze(trim_eol(line));
            if f.key_chars > 0 {
                h = crate::engine::mix_key_hash(h, f.hash);
            }
        }
        h
    }

    /// The shingle set of a cleaned document.
    fn shingles(&mut self, cleaned: &[u8], set: &mut Vec<u64>) {
        self.shingler.shingles(&text_of(cleaned), set);
    }

    /// The shingles of a cleaned document, unsorted and with repeats: what a signature needs.
    fn shingle_hashes(&mut self, cleaned: &[u8], out: &mut Vec<u64>) {
        self.shingler.shingle_hashes(&text_of(cleaned), out);
    }
}

/// `bytes` as text, invalid UTF-8 as U+FFFD (checked first the fast way: it is rare).
fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match crate::input::utf8(bytes) {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => String::from_utf8_lossy(bytes),
    }
}

fn site_for(opts: &CrawlOptions, url: Option<String>, file: &InputFile) -> String {
    let from_url = || url.as_deref().and_then(source::host_of);
    match opts.site_from {
        SiteFrom::Auto => from_url()
            .or_else(|| file.top_dir.clone())
            .unwrap_or_default(),
        SiteFrom::Url => from_url().unwrap_or_default(),
        SiteFrom::Dir => file.top_dir.clone().unwrap_or_default(),
        SiteFrom::None => String::new(),
    }
}

fn display(file: &InputFile) -> String {
    file.path.display().to_string()
}

fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(crate::input::SNIFF_BYTES)]).is_some()
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// A document cleaned as a stream (`dedump page.txt --report r.jsonl`) as the report events of a
/// crawl of that one document: its record, and the summary.
pub fn stream_document(source: &str, site: &str, doc: Outcome) -> DocumentReport {
    let path = Path::new(source)
        .file_name()
        .map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned());
    DocumentReport {
        source: source.to_string(),
        path,
        format: Format::Text,
        compression: compression_of(Path::new(source)),
        record: None,
        id: None,
        site: site.to_string(),
        summary: doc.summary,
        oversized: doc.oversized,
        removals: doc.removals,
        text_at: None,
        raw_text: None,
        removed: None,
    }
}

/// The summary record of a run that cleaned the one document `doc` as a stream.
pub fn stream_summary(cfg: &Config, doc: &DocumentReport) -> RunSummary {
    let mut summary = emit::summary_of(1, cfg);
    summary.documents = 1;
    summary.totals = doc.summary.clone();
    let s = &doc.summary;
    summary.by_site = BTreeMap::from([(
        doc.site.clone(),
        SiteTotals {
            docs: 1,
            lines_in: s.lines_in,
            lines_removed: s.lines_removed,
            bytes_in: s.bytes_in,
            bytes_removed: s.bytes_removed,
        },
    )]);
    summary
}

#[cfg(test)]
mod tests;
