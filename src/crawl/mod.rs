//! Crawl mode: many documents — files in a tree, JSON Lines records, compressed or not — cleaned
//! with what the whole crawl reveals.
//!
//! Two passes. The first ([`learn`]) reads every document once and builds a [`Profile`]: per
//! site, in how many documents each line occurs, and where each long paragraph first appears.
//! The second cleans each document with the single-document engine plus that profile as
//! cross-document evidence. With duplicate-document search on, the second pass is split in two:
//! [`find_duplicates`] cleans and sketches every document and keeps each engine outcome (without
//! the removed text), then [`clean`] writes the output, replaying those outcomes — the engine
//! runs again only for a document whose paragraphs were taken out as copies of a document since
//! removed whole. A plain-text file's output is written during the search already and only put
//! in place by the cleaning pass, unless a verdict touches it (module `written`). A stream
//! (stdin) cannot be read twice, so it gets cross-document cleaning from a profile learned
//! earlier (`--profile`).
//!
//! Files are the unit of parallel work: rayon spreads them over the threads, each file's output
//! and report lines are built by one worker, and the results are put back in input order. The
//! first pass folds per-thread profiles that merge by sums and minimums. So output files and the
//! report are the same byte for byte whatever the thread count.
//!
//! A bad file never stops a run: an unreadable file, a truncated gzip or zstd stream or a binary
//! file is reported with its path (and record, where known) and left unchanged in the output; a
//! JSON Lines record that is not JSON, lacks the text field, or whose text is not a string is
//! written back as it was and reported with its line number. `strict` stops at the first one.

mod emit;
mod replay;
pub mod source;
pub mod walk;
mod written;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::dedup::{DocSketch, DocVerdict, OnlineDedup, candidates, clusters, needing_sets};
use crate::detect::phrase::PhraseSet;
use crate::detect::site::CrossDoc;
use crate::engine::Buffers;
use crate::error::Error;
use crate::minhash::Shingler;
use crate::normalize::KeyBuilder;
use crate::pipeline::{DocOptions, clean_slice};
use crate::profile::{Profile, Scratch, SiteFrom, document_keys};
use crate::report::{Count, Reason, Removal, Summary, Tool};
use source::{Compressed, Record, compression_of, host_of, open, read_all};
use walk::{Compression, Format, InputFile};

pub use emit::{Collected, Sink};
use emit::{Early, EarlyStdout, Emitter};
pub use replay::{JudgedDoc, JudgedDocs};
use replay::{ranges_of, without_ranges};
pub use written::WrittenFiles;
use written::{Redo, Spill, Tallies, Written};

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
}

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            text_field: "text".into(),
            id_field: None,
            url_field: "url".into(),
            site_from: SiteFrom::Auto,
            strict: false,
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
    File(PathBuf),
    /// A tree mirroring the inputs, each file with its input's format and compression.
    Dir(PathBuf),
    /// Over the inputs themselves.
    InPlace,
}

/// How documents are ordered for "keep the first copy".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKeys {
    /// Input order: file index, then record number. Used within one run.
    InputOrder,
    /// A fixed hash of the document's path and record number: the same in every shard, so
    /// profiles learned apart agree on which copy is first.
    Identity,
}

/// A problem with one input, reported and skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The input.
    pub source: String,
    /// For a file copied to a mirrored tree unchanged, its place there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The JSON Lines line number, when the problem is one record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// What went wrong.
    pub message: String,
}

/// Which pass a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Counting.
    Learn,
    /// Looking for duplicate documents.
    Dedup,
    /// Cleaning.
    Clean,
}

/// Progress so far within a pass.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// The pass.
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

fn order_key(keys: OrderKeys, index: usize, file: &InputFile, record: u64) -> u64 {
    match keys {
        OrderKeys::InputOrder => ((index as u64) << 32) | record,
        OrderKeys::Identity => {
            let id = format!("{}\0{record}", file.rel.display());
            xxhash_rust::xxh3::xxh3_64(id.as_bytes())
        }
    }
}

/// A document's place in the input: file index, then record number. Dedup decisions are keyed
/// by it whatever order keys the cross-document evidence uses.
fn position(index: usize, record: u64) -> u64 {
    ((index as u64) << 32) | record
}

/// The name of the document at a position.
fn name_at(files: &[InputFile], pos: u64) -> Option<String> {
    let (fi, rec) = ((pos >> 32) as usize, pos & 0xFFFF_FFFF);
    files.get(fi).map(|f| {
        if rec == 0 {
            display(f)
        } else {
            format!("{}:{rec}", display(f))
        }
    })
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
    /// [`crate::engine::Outcome::kept_keys_hash`] for the text it kept, when no line was
    /// oversized.
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
    let from_url = || url.as_deref().and_then(host_of);
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

/// Like [`for_each_doc`], but `f` runs on the documents of a JSON Lines file in parallel, a
/// batch of records at a time, each worker with its own `init()` state; `sink` gets the results
/// in input order. A single big dump keeps both cores busy this way. A plain-text file's one
/// document uses the caller's `state`, so a worker reuses its buffers from file to file.
fn map_docs<S, T: Send>(
    file: &InputFile,
    opts: &CrawlOptions,
    cfg: &Config,
    state: &mut S,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, u64, &str, &[u8]) -> T + Sync + Send,
    mut sink: impl FnMut(T),
) -> io::Result<u64> {
    if file.format == Format::Text {
        return for_each_doc(file, opts, cfg, &|_| true, |record, site, text| {
            sink(f(state, record, site, text));
        });
    }
    let mut reader = open(file)?;
    let (mut n, mut total) = (0u64, 0u64);
    loop {
        let batch = read_batch(&mut reader, &mut n)?;
        if batch.is_empty() {
            return Ok(total);
        }
        total += batch.iter().map(|(_, line)| line.len() as u64).sum::<u64>();
        let results: Vec<Option<T>> = batch
            .par_iter()
            .map_init(&init, |state, (n, line)| {
                let body = trim_eol(line);
                if body.iter().all(u8::is_ascii_whitespace) {
                    return None;
                }
                let (rec, text) = Record::parse(body, &opts.text_field).ok()?;
                let site = site_for(opts, rec.field(&opts.url_field), file);
                Some(f(state, *n, &site, text.as_bytes()))
            })
            .collect();
        results.into_iter().flatten().for_each(&mut sink);
    }
}

/// Reads the documents of one file that `wants(record)` asks for (a JSON Lines record is not
/// parsed otherwise), calling `each(record, site, text)`. Records that cannot be used are
/// skipped here (the cleaning pass reports them).
fn for_each_doc(
    file: &InputFile,
    opts: &CrawlOptions,
    cfg: &Config,
    wants: &dyn Fn(u64) -> bool,
    mut each: impl FnMut(u64, &str, &[u8]),
) -> io::Result<u64> {
    match file.format {
        Format::Text if !wants(0) => Ok(0),
        Format::Text => {
            let bytes = read_all(file)?;
            if cfg.allow_binary || !looks_binary(&bytes) {
                each(0, &site_for(opts, None, file), &bytes);
            }
            Ok(bytes.len() as u64)
        }
        Format::Jsonl => {
            let mut reader = open(file)?;
            let (mut line, mut n, mut total) = (Vec::new(), 0u64, 0u64);
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line)? == 0 {
                    return Ok(total);
                }
                n += 1;
                total += line.len() as u64;
                let body = trim_eol(&line);
                if !wants(n) || body.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if let Ok((rec, text)) = Record::parse(body, &opts.text_field) {
                    let site = site_for(opts, rec.field(&opts.url_field), file);
                    each(n, &site, text.as_bytes());
                }
            }
        }
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// A whole crawl run: the first pass (unless a profile is given), the duplicate-document search,
/// and the cleaning pass — what `dedump clean` does with a crawl. Runs on the current rayon pool.
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

impl Run<'_> {
    /// Whether the files are learned from first: no profile given, all re-readable, site
    /// boilerplate on.
    fn learns(&self, files: &[InputFile]) -> bool {
        self.profile.is_none() && rereadable(files) && self.cfg.detectors.site
    }

    /// Whether duplicate documents are searched for in a pass of their own (the inputs can be
    /// read again; a stream is checked as it goes instead).
    fn searches_duplicates(&self, files: &[InputFile]) -> bool {
        self.cfg.dedup_docs && rereadable(files)
    }

    /// Passes over the input: the first pass (see `learns`), the duplicate search, and the
    /// cleaning pass, which always runs. Progress counts `passes × total_bytes`.
    pub fn passes(&self, files: &[InputFile]) -> u64 {
        1 + u64::from(self.learns(files)) + u64::from(self.searches_duplicates(files))
    }

    /// Runs the crawl; report lines and stdout bytes go to `sink` in input order as files are
    /// done. Returns the first problem as an error when `opts.strict` is set.
    pub fn execute(
        &self,
        files: &[InputFile],
        progress: ProgressFn<'_>,
        sink: &mut dyn Sink,
    ) -> Result<CrawlResult, Problem> {
        self.execute_writing(files, progress, sink, true)
    }

    /// [`Run::execute`]; `write_early` lets the duplicate search write plain-text files (see
    /// [`written`]), else every file is written by the cleaning pass.
    fn execute_writing(
        &self,
        files: &[InputFile],
        progress: ProgressFn<'_>,
        sink: &mut dyn Sink,
        write_early: bool,
    ) -> Result<CrawlResult, Problem> {
        let cfg = self.cfg;
        sink.report(&crate::report::Header::new(cfg, self.phrases.files()).line());
        for p in self.walk_problems {
            sink.report(&problem_line(p));
        }
        let online = Mutex::new(OnlineDedup::default());
        // Documents of the crawl a given profile was learned from: new ones are checked
        // against them.
        let earlier_docs = self
            .profile
            .filter(|p| cfg.dedup_docs && !p.documents.is_empty())
            .map(|p| crate::dedup::ProfileDocs::new(&p.documents));
        let learned;
        let (profile, keys) = match self.profile {
            Some(p) => (Some(p), OrderKeys::Identity),
            None if self.learns(files) => {
                learned = learn(files, cfg, self.opts, OrderKeys::InputOrder, progress, true).0;
                (Some(&learned), OrderKeys::InputOrder)
            }
            None => (None, OrderKeys::InputOrder),
        };
        let mut ctx = CleanContext {
            cfg,
            phrases: self.phrases,
            opts: self.opts,
            profile,
            keys,
            output: self.output,
            doc_verdicts: None,
            profile_docs: earlier_docs.as_ref(),
            removed_orders: None,
            judged: None,
            online: None,
            report_documents: sink.wants_documents(),
            written: None,
            new_tree: matches!(self.output, Output::Dir(d) if std::fs::symlink_metadata(d).is_err()),
        };
        // Each pass counts its bytes from zero; the bar adds the passes before it.
        let total = total_bytes(files);
        let mut offset = if self.learns(files) { total } else { 0 };
        let (found, removed);
        if self.searches_duplicates(files) {
            found = find_duplicates(files, &ctx, &shifted(progress, offset), write_early);
            offset += total;
            removed = orders_of(files, keys, found.verdicts.keys().copied());
            ctx.doc_verdicts = Some(&found.verdicts);
            ctx.removed_orders = Some(&removed);
            ctx.judged = Some(&found.judged);
            ctx.written = Some(&found.written);
        } else if cfg.dedup_docs {
            ctx.online = Some(&online);
        }
        clean(files, &ctx, &shifted(progress, offset), sink)
    }
}

/// `progress` for a pass that counts its bytes from zero after `offset` bytes of earlier passes.
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

/// The first pass: a profile of every document the files hold, and the files that could not be
/// read. The result does not depend on the thread count. `own_documents`: the profile is for
/// cleaning these same documents, so it is trimmed (see [`Profile::trim_for_own_documents`]).
pub fn learn(
    files: &[InputFile],
    cfg: &Config,
    opts: &CrawlOptions,
    keys: OrderKeys,
    progress: ProgressFn<'_>,
    own_documents: bool,
) -> (Profile, Vec<Problem>) {
    let bytes_done = AtomicU64::new(0);
    let docs_done = AtomicU64::new(0);
    // One profile per worker thread, each locked only while a document's keys go in (never
    // across the nested parallel reading of a JSON Lines file, whose jobs may run on the same
    // thread): one merge at the end instead of one per split of the work.
    type Learned = (Profile, Vec<(usize, Problem)>);
    let accumulators: Vec<Mutex<Learned>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new((Profile::new(opts.site_from), Vec::new())))
        .collect();
    let mine = || {
        let slot = rayon::current_thread_index().unwrap_or(0) % accumulators.len();
        accumulators[slot]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    files
        .par_iter()
        .enumerate()
        .for_each_init(Scratch::default, |scratch, (i, file)| {
            let mut docs = 0;
            let read = map_docs(
                file,
                opts,
                cfg,
                scratch,
                Scratch::default,
                |scratch, record, site, text| {
                    let order = order_key(keys, i, file, record);
                    (site.to_string(), order, document_keys(site, text, scratch))
                },
                |(site, order, doc_keys)| {
                    mine().0.add_keys(&site, order, &doc_keys);
                    docs += 1;
                },
            );
            match read {
                Ok(n) => {
                    let bytes = bytes_done.fetch_add(n, Ordering::Relaxed) + n;
                    let docs = docs_done.fetch_add(docs, Ordering::Relaxed) + docs;
                    progress(Progress {
                        phase: Phase::Learn,
                        bytes,
                        docs,
                    });
                }
                Err(e) => mine().1.push((
                    i,
                    Problem {
                        path: None,
                        source: display(file),
                        record: None,
                        message: e.to_string(),
                    },
                )),
            }
        });
    let (mut parts, mut problems) = (Vec::new(), Vec::new());
    for acc in accumulators {
        let (p, pr) = acc
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        parts.push(p);
        problems.extend(pr);
    }
    // Same settings in every part by construction, so neither merge can be refused.
    let profile = if own_documents {
        Profile::merged_for_own_documents(parts).unwrap_or_else(|_| Profile::new(opts.site_from))
    } else {
        let mut profile = Profile::new(opts.site_from);
        for p in parts {
            let _ = profile.merge(p);
        }
        profile
    };
    problems.sort_by_key(|(i, _)| *i);
    (profile, problems.into_iter().map(|(_, p)| p).collect())
}

/// What the duplicate search found: the documents that go, by position, and every document's
/// outcome for the cleaning pass to replay.
pub struct Duplicates {
    /// Verdicts of the documents that go, by position.
    pub verdicts: HashMap<u64, DocVerdict>,
    /// The cleaned documents.
    pub judged: JudgedDocs,
    /// Plain-text files cleaned and written out already, waiting for the verdicts.
    pub written: WrittenFiles,
}

/// Finds duplicate and near-duplicate documents among re-readable inputs, between the first pass
/// and the cleaning pass. Each document is cleaned as the cleaning pass would (its outcome is
/// kept, so the engine runs once per document) and sketched as judged whole (see
/// `whole_document_config`: the engine runs a second time for a document with paragraphs
/// out as duplicated content); LSH candidates are then read again to get their exact shingle
/// sets, and verified pairs form clusters. With `write_early`, plain-text files are written out
/// as they are cleaned (module `written`). Does not depend on thread count.
pub fn find_duplicates(
    files: &[InputFile],
    ctx: &CleanContext<'_>,
    progress: ProgressFn<'_>,
    write_early: bool,
) -> Duplicates {
    let ctx = &CleanContext {
        doc_verdicts: None,
        removed_orders: None,
        judged: None,
        written: None,
        ..*ctx
    };
    let whole_cfg = whole_document_config(ctx.cfg);
    let whole = &ctx.judging_whole_documents(&whole_cfg);
    type Scratch = (Fingerprinter, Vec<u64>, Vec<u8>, Vec<u8>, Buffers);
    let (bytes_done, docs_done) = (AtomicU64::new(0), AtomicU64::new(0));
    // A plain-text file's output is written now, to be put in place after the verdicts, unless
    // it goes to stdout (in order, after the verdicts) or an earlier crawl's documents are
    // checked as it is written (see `doc_verdict`).
    let mut writes_now = write_early && *ctx.output != Output::Stdout && ctx.profile_docs.is_none();
    // Their report lines wait in a spill file; without one, files are written in the cleaning
    // pass as before.
    let spill = if writes_now && ctx.report_documents {
        Spill::new().ok()
    } else {
        None
    };
    writes_now &= spill.is_some() || !ctx.report_documents;
    let tallies = Tallies::new();
    // Gathered straight into one vector per part (the writing of such vectors splits over
    // the threads too).
    type PerFile = (
        Vec<Vec<DocSketch>>,
        (Vec<HashMap<u64, JudgedDoc>>, Vec<Mutex<Option<Written>>>),
    );
    let (per_file, (judged, written)): PerFile = files
        .par_iter()
        .enumerate()
        .map_init(Scratch::default, |scratch, (i, file)| {
            let source = display(file);
            let (mut sketches, mut judged, mut written) = (Vec::new(), HashMap::new(), None);
            let write = writes_now && file.format == Format::Text;
            let judge = |(fp, set, cleaned, view, buffers): &mut Scratch,
                         record,
                         site: &str,
                         text: &[u8]| {
                cleaned.clear();
                let order = order_key(ctx.keys, i, file, record);
                let at = DocRef {
                    text,
                    site,
                    order,
                    source: &source,
                    removed_text: write && (ctx.report_documents || ctx.profile.is_some()),
                };
                let doc = clean_doc(ctx, files, at, cleaned, buffers).ok()?;
                let paragraphs_out = doc
                    .removals
                    .iter()
                    .any(|r| matches!(r.reason, Reason::DuplicateContent { .. }));
                // Without paragraph dedup the engine decides exactly as it did: only a document
                // that lost paragraphs to it is cleaned again to be judged whole.
                let whole_doc = if paragraphs_out {
                    view.clear();
                    let at = DocRef {
                        removed_text: false,
                        ..at
                    };
                    Some(clean_doc(whole, files, at, view, buffers).ok()?)
                } else {
                    None
                };
                let (seen, judged_by) = match &whole_doc {
                    Some(w) => (view.as_slice(), w),
                    None => (cleaned.as_slice(), &doc),
                };
                fp.shingle_hashes(seen, set);
                // The engine hashed the kept lines' keys as it wrote them; only a document with
                // an oversized line (not analysed) needs them analysed again.
                let exact = if judged_by.oversized.is_empty() {
                    judged_by.kept_keys_hash
                } else {
                    fp.exact(seen)
                };
                let sketch = DocSketch::new(position(i, record), seen.len() as u64, exact, set);
                let written = write
                    .then(|| Written::new(ctx, &tallies, spill.as_ref(), file, at, &doc, cleaned))
                    .flatten();
                let ranges = whole_doc.map(|w| ranges_of(&w.removals).collect());
                // A written file's outcome is replayed only for a report (when its document
                // goes whole); without one, only its view is kept.
                let judged = if written.is_some() && !ctx.report_documents {
                    JudgedDoc::view_only(text, &doc, ranges)
                } else {
                    JudgedDoc::new(text, doc, ranges)
                };
                Some((record, sketch, judged, written))
            };
            let read = map_docs(
                file,
                ctx.opts,
                ctx.cfg,
                scratch,
                Default::default,
                judge,
                |s| {
                    if let Some((record, sketch, doc, w)) = s {
                        sketches.push(sketch);
                        judged.insert(record, doc);
                        written = w;
                    }
                },
            );
            let n = read.unwrap_or(0);
            let docs = judged.len() as u64;
            progress(Progress {
                phase: Phase::Dedup,
                bytes: bytes_done.fetch_add(n, Ordering::Relaxed) + n,
                docs: docs_done.fetch_add(docs, Ordering::Relaxed) + docs,
            });
            (sketches, (judged, Mutex::new(written)))
        })
        .unzip();
    let mut sketches = per_file.concat();
    sketches.sort_unstable_by_key(|s| s.order);
    let pairs = candidates(&sketches);
    let wanted: std::collections::HashSet<u64> = needing_sets(&sketches, &pairs)
        .into_iter()
        .map(|i| sketches[i].order)
        .collect();
    let wanted_files: std::collections::HashSet<usize> =
        wanted.iter().map(|p| (p >> 32) as usize).collect();
    let index_of: HashMap<u64, usize> = sketches
        .iter()
        .enumerate()
        .map(|(i, s)| (s.order, i))
        .collect();
    let sets: HashMap<usize, Vec<u64>> = files
        .par_iter()
        .enumerate()
        .filter(|(i, _)| wanted_files.contains(i))
        .flat_map_iter(|(i, file)| {
            let (mut fp, mut view, mut out) = (Fingerprinter::default(), Vec::new(), Vec::new());
            let wants = |record| wanted.contains(&position(i, record));
            let _ = for_each_doc(file, ctx.opts, ctx.cfg, &wants, |record, _, text| {
                let pos = position(i, record);
                let (Some(&idx), Some(doc)) = (index_of.get(&pos), judged[i].get(&record)) else {
                    return;
                };
                view.clear();
                if doc.matches(text) && doc.whole_view(text, &mut view) {
                    let mut set = Vec::new();
                    fp.shingles(&view, &mut set);
                    set.shrink_to_fit();
                    out.push((idx, set));
                }
            });
            out
        })
        .collect();
    let verdicts = clusters(&sketches, &pairs, &sets, ctx.cfg.similarity, ctx.cfg.keep)
        .into_iter()
        .map(|(i, v)| (sketches[i].order, v))
        .collect();
    Duplicates {
        verdicts,
        judged: JudgedDocs::new(judged),
        written: WrittenFiles::new(written, tallies, spill),
    }
}

/// The order keys (as `keys` computes them) of the documents at these positions.
pub fn orders_of(
    files: &[InputFile],
    keys: OrderKeys,
    positions: impl Iterator<Item = u64>,
) -> std::collections::HashSet<u64> {
    positions
        .filter_map(|pos| {
            let (fi, rec) = ((pos >> 32) as usize, pos & 0xFFFF_FFFF);
            files.get(fi).map(|f| order_key(keys, fi, f, rec))
        })
        .collect()
}

/// One document's record in the crawl report.
#[derive(Debug, Serialize)]
struct DocRecord<'a> {
    kind: &'static str,
    source: &'a str,
    path: String,
    format: Format,
    compression: Compression,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    site: &'a str,
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    oversized: &'a Vec<u64>,
    removals: &'a [Removal],
    #[serde(skip_serializing_if = "Option::is_none")]
    text_at: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    removed: Option<RemovedDoc>,
}

/// Where a document came from, as its report record says.
struct DocPlace<'a> {
    source: &'a str,
    file: &'a InputFile,
    record: Option<u64>,
    id: Option<String>,
    site: &'a str,
    order: u64,
    /// For a JSON Lines record: the record as read, and whether dedump writes its text's value
    /// as the line did (else the report keeps the line's form for `restore`).
    rec: Option<(&'a Record, bool)>,
    /// For a JSON Lines record: its line as read, ending included.
    line: Option<&'a [u8]>,
}

/// A document removed whole as a duplicate: why, and its full original text.
#[derive(Debug, Serialize)]
struct RemovedDoc {
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    of_document: Option<String>,
    similarity: f64,
    cluster: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    similarity_estimated: bool,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_base64: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line_base64: Option<String>,
}

/// Totals of one site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteTotals {
    /// Documents.
    pub docs: u64,
    /// Lines read.
    pub lines_in: u64,
    /// Lines removed.
    pub lines_removed: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes removed.
    pub bytes_removed: u64,
}

/// A site boilerplate line and how many of its site's documents had it removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopLine {
    /// The site.
    pub site: String,
    /// The line as first seen (in input order).
    pub text: String,
    /// Documents it was removed from.
    pub docs: u64,
}

/// The closing record of a crawl report.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// Always `"summary"`.
    pub kind: &'static str,
    /// Report layout version.
    pub schema_version: u32,
    /// Key scheme version.
    pub normalization_version: u32,
    /// The program.
    pub tool: Tool,
    /// Settings.
    pub config: Config,
    /// Files read.
    pub files: u64,
    /// Documents cleaned.
    pub documents: u64,
    /// Problems (skipped files and records).
    pub problems: u64,
    /// Documents removed whole as duplicates.
    pub documents_removed: u64,
    /// Bytes of those documents.
    pub document_bytes_removed: u64,
    /// Clusters of duplicate documents (each keeps one copy).
    pub duplicate_clusters: u64,
    /// Totals over all documents.
    pub totals: Summary,
    /// Totals per site.
    pub by_site: BTreeMap<String, SiteTotals>,
    /// The most frequent site boilerplate lines.
    pub top_boilerplate: Vec<TopLine>,
}

/// What a crawl cleaning run produced besides what went to its [`Sink`].
#[derive(Debug)]
pub struct CrawlResult {
    /// Every problem, in input order.
    pub problems: Vec<Problem>,
    /// The closing summary.
    pub summary: RunSummary,
}

/// Settings for judging documents whole: a republished article's paragraphs are not taken out
/// first as duplicated content, or it would be judged on what little its paragraph dedup left.
fn whole_document_config(cfg: &Config) -> Config {
    let mut cfg = cfg.clone();
    cfg.detectors.duplicate_content = false;
    cfg
}

impl CleanContext<'_> {
    /// This context with `cfg` (see [`whole_document_config`]) and no verdicts of an earlier
    /// document pass: what fingerprinting and duplicate search see.
    fn judging_whole_documents<'b>(&'b self, cfg: &'b Config) -> CleanContext<'b> {
        CleanContext {
            cfg,
            doc_verdicts: None,
            removed_orders: None,
            judged: None,
            written: None,
            ..*self
        }
    }
}

/// What the cleaning pass needs besides the files.
pub struct CleanContext<'a> {
    /// Settings.
    pub cfg: &'a Config,
    /// Phrase rules.
    pub phrases: &'a PhraseSet,
    /// Reading options.
    pub opts: &'a CrawlOptions,
    /// Cross-document evidence.
    pub profile: Option<&'a Profile>,
    /// Which order keys the profile was built with.
    pub keys: OrderKeys,
    /// Where output goes.
    pub output: &'a Output,
    /// Documents found to duplicate others before this pass, by position.
    pub doc_verdicts: Option<&'a HashMap<u64, DocVerdict>>,
    /// Fingerprints of an earlier crawl's documents (from a profile).
    pub profile_docs: Option<&'a crate::dedup::ProfileDocs<'a>>,
    /// Order keys of the documents in `doc_verdicts`.
    pub removed_orders: Option<&'a std::collections::HashSet<u64>>,
    /// The duplicate search's outcomes, replayed instead of cleaning again.
    pub judged: Option<&'a JudgedDocs>,
    /// Dedup for inputs read only once (a stream): documents checked as they come, in order.
    pub online: Option<&'a Mutex<OnlineDedup>>,
    /// Whether each document's report record is written (see [`Sink::wants_documents`]); the
    /// summary counts every document either way.
    pub report_documents: bool,
    /// Plain-text files the duplicate search already cleaned and wrote out.
    pub written: Option<&'a WrittenFiles>,
    /// The output is a directory tree that did not exist when the run began: no file in it is
    /// replaced, so none is looked up for permissions to keep.
    pub new_tree: bool,
}

/// A site boilerplate line in the summary's top list: documents it was removed from, and its
/// text in the earliest of them. Keyed by site key and masked key hash.
#[derive(Debug)]
struct TopEntry {
    site: String,
    docs: u64,
    order: u64,
    text: String,
}

impl TopEntry {
    /// Counts `docs` more documents, the earliest at `order` with this text.
    fn add(&mut self, docs: u64, order: u64, text: impl FnOnce() -> String) {
        self.docs += docs;
        if order < self.order {
            self.order = order;
            self.text = text();
        }
    }
}

type TopLines = HashMap<(u64, u64), TopEntry>;

/// One file's results: its report lines, problems and stdout bytes, in the order they go out,
/// and its documents' [`Counts`].
#[derive(Default)]
struct FileOutcome {
    report_lines: Vec<String>,
    problems: Vec<Problem>,
    stdout: Vec<u8>,
    bytes_in: u64,
    counts: Counts,
}

/// What documents add to the run's summary: sums, and the earliest text of each site
/// boilerplate line — the same whatever order documents are added in.
#[derive(Default)]
struct Counts {
    docs: u64,
    totals: Summary,
    sites: BTreeMap<String, SiteTotals>,
    top: TopLines,
    docs_removed: u64,
    doc_bytes_removed: u64,
    clusters: Vec<u64>,
}

impl Counts {
    /// Only the counts of documents removed whole: what cleaning a file again adds when its
    /// documents were counted before (see [`written`]).
    fn removals_only(self) -> Counts {
        Counts {
            docs_removed: self.docs_removed,
            doc_bytes_removed: self.doc_bytes_removed,
            clusters: self.clusters,
            ..Counts::default()
        }
    }

    /// Counts a document of `bytes` removed whole, in duplicate cluster `cluster` (0: a copy of
    /// an earlier crawl's document, no cluster of this run).
    fn add_removed(&mut self, bytes: u64, cluster: u64) {
        self.docs_removed += 1;
        self.doc_bytes_removed += bytes;
        if cluster > 0 {
            self.clusters.push(cluster);
        }
    }

    /// Adds `other`'s counts.
    fn absorb(&mut self, other: Counts) {
        self.docs += other.docs;
        add_summary(&mut self.totals, &other.totals);
        for (site, t) in other.sites {
            let e = self.sites.entry(site).or_default();
            e.docs += t.docs;
            e.lines_in += t.lines_in;
            e.lines_removed += t.lines_removed;
            e.bytes_in += t.bytes_in;
            e.bytes_removed += t.bytes_removed;
        }
        for (k, t) in other.top {
            match self.top.entry(k) {
                Entry::Occupied(mut e) => e.get_mut().add(t.docs, t.order, || t.text),
                Entry::Vacant(v) => {
                    v.insert(t);
                }
            }
        }
        self.docs_removed += other.docs_removed;
        self.doc_bytes_removed += other.doc_bytes_removed;
        self.clusters.extend(other.clusters);
    }
}

/// A failure that leaves a whole file as it was.
struct FileFailure {
    record: Option<u64>,
    message: String,
}

impl From<io::Error> for FileFailure {
    fn from(e: io::Error) -> Self {
        FileFailure {
            record: None,
            message: e.to_string(),
        }
    }
}

/// The second pass: cleans every file into the output; report lines and stdout bytes go to
/// `sink` in input order as files are done. Workers take files in input order, so few finished
/// files wait for an earlier one. Returns the first problem as an error when `opts.strict` is
/// set.
pub fn clean(
    files: &[InputFile],
    ctx: &CleanContext<'_>,
    progress: ProgressFn<'_>,
    sink: &mut dyn Sink,
) -> Result<CrawlResult, Problem> {
    let stop = AtomicBool::new(false);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let bytes_done = AtomicU64::new(0);
    let docs_done = AtomicU64::new(0);
    let mut emitter = Emitter::new(files.len(), ctx.cfg, ctx.opts.strict, sink);
    if let Some(w) = ctx.written {
        emitter.absorb(w.take_counts());
    }
    let emitter = Mutex::new(emitter);
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= files.len() || stop.load(Ordering::Relaxed) {
                return;
            }
            let early = Early {
                index: i,
                emitter: &emitter,
            };
            let written = ctx.written.and_then(|w| Some((w.take(i)?, w.spill())));
            let out = match written.map(|(w, spill)| w.finish(i, &files[i], ctx, spill)) {
                Some(Ok(out)) => out,
                Some(Err(Redo { counted })) => {
                    let mut out = clean_file(i, &files[i], files, ctx, &early);
                    if counted {
                        out.counts = out.counts.removals_only();
                    }
                    out
                }
                None => clean_file(i, &files[i], files, ctx, &early),
            };
            let bytes = bytes_done.fetch_add(out.bytes_in, Ordering::Relaxed) + out.bytes_in;
            let docs = docs_done.fetch_add(out.counts.docs, Ordering::Relaxed) + out.counts.docs;
            progress(Progress {
                phase: Phase::Clean,
                bytes,
                docs,
            });
            let mut e = emitter.lock().unwrap_or_else(|p| p.into_inner());
            if e.finished(i, out) {
                stop.store(true, Ordering::Relaxed);
            }
        }
    };
    // Online dedup compares each document with the ones before it: that needs input order.
    if ctx.online.is_some() {
        worker();
    } else {
        rayon::broadcast(|_| worker());
    }
    emitter
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .finish()
}

fn add_summary(into: &mut Summary, from: &Summary) {
    into.lines_in += from.lines_in;
    into.bytes_in += from.bytes_in;
    into.lines_out += from.lines_out;
    into.bytes_out += from.bytes_out;
    into.lines_removed += from.lines_removed;
    into.bytes_removed += from.bytes_removed;
    into.oversized_lines += from.oversized_lines;
    into.history_full |= from.history_full;
    into.layout_skipped += from.layout_skipped;
    for (k, c) in &from.by_reason {
        let e: &mut Count = into.by_reason.entry(k.clone()).or_default();
        e.lines += c.lines;
        e.bytes += c.bytes;
    }
}

fn destination(file: &InputFile, output: &Output) -> Option<(PathBuf, Compression)> {
    match output {
        Output::Dir(d) => Some((d.join(&file.rel), file.compression)),
        Output::File(p) => Some((p.clone(), compression_of(p))),
        Output::InPlace => Some((file.path.clone(), file.compression)),
        Output::Stdout | Output::Discard => None,
    }
}

fn clean_file(
    index: usize,
    file: &InputFile,
    files: &[InputFile],
    ctx: &CleanContext<'_>,
    early: &Early<'_, '_>,
) -> FileOutcome {
    let mut out = FileOutcome::default();
    let dest = destination(file, ctx.output);
    let at = FileAt {
        ctx,
        files,
        index,
        source: &display(file),
    };
    let result = match &dest {
        Some((path, compression)) => {
            let capacity = write_buffer_for(file);
            write_file(path, *compression, capacity, !ctx.new_tree, |w| {
                clean_docs(&at, w, &mut out, early)
            })
        }
        None if *ctx.output == Output::Stdout => {
            let mut w = EarlyStdout {
                buf: Vec::new(),
                early,
            };
            let r = clean_docs(&at, &mut w, &mut out, early);
            out.stdout = w.buf;
            r.map(|_| ())
        }
        None => clean_docs(&at, &mut io::sink(), &mut out, early).map(|_| ()),
    };
    if let Err(f) = result {
        out.problems.push(Problem {
            path: matches!(ctx.output, Output::Dir(_)).then(|| file.rel.display().to_string()),
            source: display(file),
            record: f.record,
            message: f.message,
        });
        // Nothing lost: the file goes to the output exactly as it came in.
        if let Some((path, _)) = &dest
            && path != &file.path
        {
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            if let Err(e) = std::fs::copy(&file.path, path) {
                out.problems.push(Problem {
                    path: None,
                    source: display(file),
                    record: None,
                    message: format!("could not copy it unchanged to {}: {e}", path.display()),
                });
            }
        }
    }
    out
}

/// The write buffer for `file`'s output: [`WRITE_BUFFER`], or less for a small plain file, whose
/// output is never longer than its input — a crawl of small pages does not allocate a big
/// buffer per page.
fn write_buffer_for(file: &InputFile) -> usize {
    match (file.format, file.compression) {
        (Format::Text, Compression::None) => (file.size as usize).clamp(4096, WRITE_BUFFER),
        _ => WRITE_BUFFER,
    }
}

/// The most an output file's write buffer holds.
const WRITE_BUFFER: usize = 256 * 1024;

/// Writes through a temporary file beside `path` (buffering `capacity` bytes) and renames it into
/// place only on success, and only when `body` says the file is wanted (a removed duplicate
/// document leaves no file).
fn write_file(
    path: &Path,
    compression: Compression,
    capacity: usize,
    may_exist: bool,
    body: impl FnOnce(&mut dyn Write) -> Result<bool, FileFailure>,
) -> Result<(), FileFailure> {
    if let Some(tmp) = write_temp(path, compression, capacity, may_exist, body)? {
        tmp.persist(path).map_err(|e| FileFailure::from(e.error))?;
    }
    Ok(())
}

/// Writes `body` into a temporary file beside `path` and returns it, closed but not yet in place
/// (dropping it deletes it); `None` when `body` says the file is not wanted. `may_exist`: see
/// [`crate::pipeline::temp_file_for`].
fn write_temp(
    path: &Path,
    compression: Compression,
    capacity: usize,
    may_exist: bool,
    body: impl FnOnce(&mut dyn Write) -> Result<bool, FileFailure>,
) -> Result<Option<tempfile::TempPath>, FileFailure> {
    // Most files go where the one before went: make the directory only when it is missing.
    let mut tmp = match crate::pipeline::temp_file_for(path, may_exist) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(crate::pipeline::parent_dir(path))?;
            crate::pipeline::temp_file_for(path, may_exist)?
        }
        made => made?,
    };
    let keep = {
        let buffered = io::BufWriter::with_capacity(capacity, tmp.as_file_mut());
        let mut w = Compressed::new(buffered, compression)?;
        let keep = body(&mut w)?;
        w.finish()?.flush()?;
        keep
    };
    Ok(keep.then(|| tmp.into_temp_path()))
}

/// Cleans the documents of one file into `w`, filling in the report. A JSON Lines file hands
/// its report lines (and, to stdout, its output) to `early` after each batch.
fn clean_docs(
    at: &FileAt<'_>,
    w: &mut dyn Write,
    out: &mut FileOutcome,
    early: &Early<'_, '_>,
) -> Result<bool, FileFailure> {
    let FileAt {
        ctx,
        files,
        index,
        source,
    } = *at;
    let file = &files[index];
    let mut fp = Fingerprinter::default();
    let mut judged = ctx.judged.map(|j| j.take(index)).unwrap_or_default();
    match file.format {
        Format::Text => {
            let bytes = read_all(file)?;
            out.bytes_in += bytes.len() as u64;
            let site = site_for(ctx.opts, None, file);
            let order = order_key(ctx.keys, index, file, 0);
            let mut cleaned = Vec::new();
            let doc = at
                .clean(judged.remove(&0), &bytes, &site, order, &mut cleaned)
                .map_err(|e| FileFailure {
                    record: None,
                    message: e.to_string(),
                })?;
            let verdict = doc_verdict(ctx, files, position(index, 0), order, &bytes, &doc, &mut fp);
            let gone = verdict.is_some();
            let removed = verdict.map(|v| (v, bytes.as_slice()));
            let place = DocPlace {
                source,
                file,
                record: None,
                id: None,
                site: &site,
                order,
                rec: None,
                line: None,
            };
            out.add(place, &doc, removed, ctx);
            if gone {
                return Ok(false);
            }
            w.write_all(&cleaned)?;
        }
        Format::Jsonl => {
            // Records are read in batches, cleaned in parallel (unless dedup must see them in
            // order, as for a stream), and written and reported in input order.
            let in_order = ctx.online.is_some();
            let mut reader = open(file)?;
            let mut n = 0u64;
            loop {
                let batch = read_batch(&mut reader, &mut n).map_err(|e| FileFailure {
                    record: Some(n + 1),
                    message: e.to_string(),
                })?;
                if batch.is_empty() {
                    break;
                }
                let work: Vec<_> = batch
                    .iter()
                    .map(|(n, line)| (*n, line.as_slice(), judged.remove(n)))
                    .collect();
                let prepare = |fp: &mut Fingerprinter, (n, line, prior)| {
                    prepare_record(at, n, line, prior, fp)
                };
                let prepared: Vec<Prepared> = if in_order {
                    work.into_iter().map(|r| prepare(&mut fp, r)).collect()
                } else {
                    work.into_par_iter()
                        .map_init(Fingerprinter::default, prepare)
                        .collect()
                };
                for ((n, line), p) in batch.iter().zip(prepared) {
                    out.bytes_in += line.len() as u64;
                    match p {
                        Prepared::Blank => w.write_all(line)?,
                        Prepared::Skipped(message) => {
                            out.skip_record(w, line, source, *n, message)?
                        }
                        Prepared::Doc(d) => {
                            let eol = &line[trim_eol(line).len()..];
                            if d.verdict.is_some() {
                                // A removed document leaves no record; the report holds it whole.
                            } else if d.doc.removals.is_empty() {
                                w.write_all(line)?;
                            } else {
                                d.rec
                                    .write_with_text(w, &String::from_utf8_lossy(&d.cleaned))?;
                                w.write_all(eol)?;
                            }
                            let removed = d.verdict.map(|v| (v, d.text.as_bytes()));
                            let canonical = !d.doc.removals.is_empty()
                                && serde_json::to_vec(&d.text)
                                    .is_ok_and(|t| t == d.rec.text_literal());
                            let place = DocPlace {
                                source,
                                file,
                                record: Some(*n),
                                id: d.id,
                                site: &d.site,
                                order: d.order,
                                rec: Some((&d.rec, canonical)),
                                line: Some(line),
                            };
                            out.add(place, &d.doc, removed, ctx);
                        }
                    }
                }
                if *ctx.output == Output::Stdout {
                    w.flush()?;
                }
                early.pass(std::mem::take(&mut out.report_lines), Vec::new());
            }
        }
    }
    Ok(true)
}

/// Why a whole document goes.
#[derive(Debug, Clone, PartialEq)]
struct DocRemoval {
    exact: bool,
    of_document: Option<String>,
    similarity: f64,
    /// Cluster number within this run; 0 for a copy of an earlier crawl's document.
    cluster: u64,
    estimated: bool,
}

/// Whether the document at `pos` (order key `order`) goes as a duplicate: of an earlier
/// crawl's document (profile), of a document decided before this pass, or — for a stream — of
/// one before it.
fn doc_verdict(
    ctx: &CleanContext<'_>,
    files: &[InputFile],
    pos: u64,
    order: u64,
    original: &[u8],
    doc: &crate::engine::Outcome,
    fp: &mut Fingerprinter,
) -> Option<DocRemoval> {
    if !ctx.cfg.dedup_docs {
        return None;
    }
    let from_cluster = |v: DocVerdict| DocRemoval {
        exact: v.exact,
        of_document: name_at(files, v.kept),
        similarity: v.similarity,
        cluster: v.cluster,
        estimated: false,
    };
    let needs_set =
        ctx.profile_docs.is_some() || (ctx.doc_verdicts.is_none() && ctx.online.is_some());
    let mut set = Vec::new();
    let exact = if needs_set {
        let mut view = Vec::with_capacity(original.len());
        whole_document_view(original, doc, &mut view);
        fp.fingerprint(&view, &mut set)
    } else {
        0
    };
    if let Some(docs) = ctx.profile_docs
        && let Some(m) = docs.check(
            order,
            exact,
            &crate::minhash::signature(&set),
            ctx.cfg.similarity,
        )
    {
        return Some(DocRemoval {
            exact: m.exact,
            of_document: Some(m.name),
            similarity: m.similarity,
            cluster: 0,
            estimated: !m.exact,
        });
    }
    if let Some(v) = ctx.doc_verdicts {
        return v.get(&pos).copied().map(from_cluster);
    }
    let online = ctx.online?;
    let mut guard = online
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    guard
        .check(pos, exact, set, ctx.cfg.similarity)
        .map(from_cluster)
}

/// A cleaned document as document dedup must see it, appended to `view`: every removal
/// applied except paragraphs removed as duplicated content, or a republished article would be
/// judged on what little its paragraph dedup left of it.
fn whole_document_view(original: &[u8], doc: &crate::engine::Outcome, view: &mut Vec<u8>) {
    let not_copied = doc
        .removals
        .iter()
        .filter(|r| !matches!(r.reason, Reason::DuplicateContent { .. }));
    // The outcome is the engine's for exactly this text, so every range lies inside it.
    let _ = without_ranges(original, not_copied.map(|r| (r.offset, r.len)), view);
}

/// Cleans every document of the files (the evidence of `ctx`, without paragraph dedup) and
/// calls `each(position, order, cleaned)` for those `want` asks for. Unusable records are skipped.
fn for_each_cleaned(
    files: &[InputFile],
    ctx: &CleanContext<'_>,
    i: usize,
    want: &dyn Fn(u64) -> bool,
    each: &mut dyn FnMut(u64, u64, &[u8]),
) {
    let file = &files[i];
    let (mut cleaned, mut buffers) = (Vec::new(), Buffers::default());
    let source = display(file);
    let wants = |record| want(position(i, record));
    let _ = for_each_doc(file, ctx.opts, ctx.cfg, &wants, |record, site, text| {
        let pos = position(i, record);
        cleaned.clear();
        let order = order_key(ctx.keys, i, file, record);
        let at = DocRef {
            text,
            site,
            order,
            source: &source,
            removed_text: false,
        };
        if clean_doc(ctx, files, at, &mut cleaned, &mut buffers).is_ok() {
            each(pos, order, &cleaned);
        }
    });
}

/// Fingerprints of every document, for a profile: later documents are checked against them.
/// Give a context without a profile to make them depend on each document alone (as `learn`
/// does, so shard profiles merge exactly).
pub fn fingerprint_documents(
    files: &[InputFile],
    ctx: &CleanContext<'_>,
) -> Vec<crate::profile::DocEntry> {
    let cfg = whole_document_config(ctx.cfg);
    let ctx = &ctx.judging_whole_documents(&cfg);
    files
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, _)| {
            let (mut fp, mut set, mut out) = (Fingerprinter::default(), Vec::new(), Vec::new());
            for_each_cleaned(files, ctx, i, &|_| true, &mut |pos, order, cleaned| {
                let exact = fp.fingerprint(cleaned, &mut set);
                if !set.is_empty() {
                    let sig = crate::minhash::signature(&set);
                    // The identity every shard agrees on: the path under the input root.
                    let (file, record) = (&files[(pos >> 32) as usize], pos & 0xFFFF_FFFF);
                    let rel = file.rel.display();
                    let name = if record == 0 {
                        rel.to_string()
                    } else {
                        format!("{rel}:{record}")
                    };
                    out.push(crate::profile::DocEntry {
                        order,
                        exact,
                        sig,
                        name,
                    });
                }
            });
            out
        })
        .collect()
}

impl FileAt<'_> {
    /// Cleans a document of this file into `cleaned`: the duplicate search's outcome (`prior`)
    /// replayed where it still holds, else the engine.
    fn clean(
        &self,
        prior: Option<JudgedDoc>,
        text: &[u8],
        site: &str,
        order: u64,
        cleaned: &mut Vec<u8>,
    ) -> Result<crate::engine::Outcome, Error> {
        let ctx = self.ctx;
        if let Some(doc) = prior.and_then(|p| p.replay(text, ctx.removed_orders, cleaned)) {
            return Ok(doc);
        }
        cleaned.clear();
        let at = DocRef {
            text,
            site,
            order,
            source: self.source,
            removed_text: true,
        };
        clean_doc(ctx, self.files, at, cleaned, &mut Buffers::default())
    }
}

/// One document to clean: its text, site, order key, its name for error messages, and whether
/// its removals need their text (only for a report; see [`Removal::located`]).
#[derive(Clone, Copy)]
struct DocRef<'d> {
    text: &'d [u8],
    site: &'d str,
    order: u64,
    source: &'d str,
    removed_text: bool,
}

/// Cleans one document into `cleaned` with the engine and the context's cross-document evidence,
/// reusing `buffers` (see [`Buffers`]).
fn clean_doc(
    ctx: &CleanContext<'_>,
    files: &[InputFile],
    doc: DocRef<'_>,
    cleaned: &mut Vec<u8>,
    buffers: &mut Buffers,
) -> Result<crate::engine::Outcome, Error> {
    let DocRef {
        text,
        site,
        order,
        source,
        removed_text,
    } = doc;
    let cross = ctx.profile.map(|p| {
        let cx =
            CrossDoc::new(p, site, order, ctx.cfg.site_rules()).with_removed(ctx.removed_orders);
        (cx, site)
    });
    let options = DocOptions {
        cross,
        without_removed_text: !removed_text,
    };
    let (cfg, phrases, at) = (ctx.cfg, ctx.phrases, Path::new(source));
    let mut doc = clean_slice(text, at, cleaned, cfg, phrases, options, buffers)?;
    if ctx.keys == OrderKeys::InputOrder {
        for r in &mut doc.removals {
            if let Reason::DuplicateContent {
                of_document,
                first_order,
            } = &mut r.reason
            {
                *of_document = name_at(files, *first_order);
            }
        }
    }
    Ok(doc)
}

/// JSON Lines records read and cleaned together; a batch's results are written in order.
const RECORD_BATCH: usize = 256;

/// Reads up to [`RECORD_BATCH`] lines (endings kept), numbered on from `n`, which ends as the
/// number of the last line read. Empty at the end of the input.
fn read_batch(reader: &mut dyn BufRead, n: &mut u64) -> io::Result<Vec<(u64, Vec<u8>)>> {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while batch.len() < RECORD_BATCH {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        *n += 1;
        batch.push((*n, line));
    }
    Ok(batch)
}

/// One JSON Lines record, cleaned but not yet written or reported.
enum Prepared {
    /// A blank line: written back as it is.
    Blank,
    /// A record that cannot be cleaned (not JSON, no text field…): written back, reported.
    Skipped(String),
    /// A cleaned document.
    Doc(Box<PreparedDoc>),
}

struct PreparedDoc {
    rec: Record,
    text: String,
    site: String,
    id: Option<String>,
    order: u64,
    cleaned: Vec<u8>,
    doc: crate::engine::Outcome,
    verdict: Option<DocRemoval>,
}

/// The file being cleaned: its place among the files and its name in the report.
struct FileAt<'a> {
    ctx: &'a CleanContext<'a>,
    files: &'a [InputFile],
    index: usize,
    source: &'a str,
}

/// Parses and cleans record `n` (`line`, its line ending included) of a JSON Lines file,
/// replaying `prior` (the duplicate search's outcome) where it still holds.
fn prepare_record(
    at: &FileAt<'_>,
    n: u64,
    line: &[u8],
    prior: Option<JudgedDoc>,
    fp: &mut Fingerprinter,
) -> Prepared {
    let FileAt {
        ctx, files, index, ..
    } = *at;
    let file = &files[index];
    let body = trim_eol(line);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Prepared::Blank;
    }
    let (rec, text) = match Record::parse(body, &ctx.opts.text_field) {
        Ok(x) => x,
        Err(problem) => return Prepared::Skipped(problem.to_string()),
    };
    let site = site_for(ctx.opts, rec.field(&ctx.opts.url_field), file);
    let id = ctx.opts.id_field.as_deref().and_then(|f| rec.field(f));
    let order = order_key(ctx.keys, index, file, n);
    let mut cleaned = Vec::new();
    let doc = match at.clean(prior, text.as_bytes(), &site, order, &mut cleaned) {
        Ok(d) => d,
        Err(e) => return Prepared::Skipped(e.to_string()),
    };
    let verdict = doc_verdict(
        ctx,
        files,
        position(index, n),
        order,
        text.as_bytes(),
        &doc,
        fp,
    );
    Prepared::Doc(Box::new(PreparedDoc {
        rec,
        text,
        site,
        id,
        order,
        cleaned,
        doc,
        verdict,
    }))
}

impl FileOutcome {
    /// A record that cannot be cleaned: written back as it was, and reported with its line.
    fn skip_record(
        &mut self,
        w: &mut dyn Write,
        line: &[u8],
        source: &str,
        n: u64,
        message: String,
    ) -> io::Result<()> {
        w.write_all(line)?;
        self.problems.push(Problem {
            path: None,
            source: source.to_string(),
            record: Some(n),
            message,
        });
        Ok(())
    }

    fn add(
        &mut self,
        place: DocPlace<'_>,
        doc: &crate::engine::Outcome,
        removed: Option<(DocRemoval, &[u8])>,
        ctx: &CleanContext<'_>,
    ) {
        let DocPlace {
            source,
            file,
            record,
            id,
            site,
            order,
            rec,
            line,
        } = place;
        let counts = &mut self.counts;
        counts.docs += 1;
        let removed_doc = removed.map(|(v, original)| {
            counts.add_removed(original.len() as u64, v.cluster);
            let (text, raw_base64) = crate::report::text_and_base64(original);
            let (line, line_base64) = match line.map(crate::report::text_and_base64) {
                Some((l, b)) => (Some(l), b),
                None => (None, None),
            };
            RemovedDoc {
                reason: if v.exact {
                    "duplicate_document"
                } else {
                    "near_duplicate_document"
                },
                of_document: v.of_document,
                similarity: v.similarity,
                cluster: v.cluster,
                similarity_estimated: v.estimated,
                text,
                raw_base64,
                line,
                line_base64,
            }
        });
        add_summary(&mut counts.totals, &doc.summary);
        // Looked up by `&str` first: a new `String` only for a site not seen yet.
        if !counts.sites.contains_key(site) {
            counts.sites.insert(site.to_string(), SiteTotals::default());
        }
        if let Some(s) = counts.sites.get_mut(site) {
            s.docs += 1;
            s.lines_in += doc.summary.lines_in;
            s.lines_removed += doc.summary.lines_removed;
            s.bytes_in += doc.summary.bytes_in;
            s.bytes_removed += doc.summary.bytes_removed;
        }
        if ctx.profile.is_some() {
            let sk = crate::profile::site_key(site);
            let site_removals = doc
                .removals
                .iter()
                .filter(|r| matches!(r.reason, Reason::SiteBoilerplate { .. }));
            for (r, &masked_hash) in site_removals.zip(&doc.site_keys) {
                let text = || r.text.trim().to_string();
                match counts.top.entry((sk, masked_hash)) {
                    Entry::Occupied(mut e) => e.get_mut().add(1, order, text),
                    Entry::Vacant(v) => {
                        v.insert(TopEntry {
                            site: site.to_string(),
                            docs: 1,
                            order,
                            text: text(),
                        });
                    }
                }
            }
        }
        if !ctx.report_documents {
            return;
        }
        // A changed record's text: where its value stands in the line, and its form when
        // dedump would write it otherwise (an escape the input used, a `\/`), for `restore`.
        let changed = removed_doc.is_none() && !doc.removals.is_empty();
        let text_at = rec.filter(|_| changed).map(|(r, _)| r.text_at());
        let raw_text = rec
            .filter(|(_, canonical)| changed && !canonical)
            .map(|(r, _)| String::from_utf8_lossy(r.text_literal()).into_owned());
        let rec = DocRecord {
            kind: "document",
            source,
            path: file.rel.display().to_string(),
            format: file.format,
            compression: file.compression,
            record,
            id,
            site,
            summary: &doc.summary,
            oversized: &doc.oversized,
            removals: &doc.removals,
            text_at,
            raw_text,
            removed: removed_doc,
        };
        self.report_lines
            .push(serde_json::to_string(&rec).unwrap_or_default());
    }
}

/// The report of one document cleaned as a stream (`dedump page.txt --report r.jsonl`): the
/// same records as a crawl's — the header, the document, the summary — so one reader (`restore`,
/// `check`) takes both.
pub fn stream_report(
    source: &str,
    cfg: &Config,
    phrases: &PhraseSet,
    site: &str,
    doc: &crate::engine::Outcome,
) -> Vec<String> {
    let path = Path::new(source)
        .file_name()
        .map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned());
    let record = DocRecord {
        kind: "document",
        source,
        path,
        format: Format::Text,
        compression: compression_of(Path::new(source)),
        record: None,
        id: None,
        site,
        summary: &doc.summary,
        oversized: &doc.oversized,
        removals: &doc.removals,
        text_at: None,
        raw_text: None,
        removed: None,
    };
    let mut summary = emit::summary_of(1, cfg);
    summary.documents = 1;
    summary.totals = doc.summary.clone();
    summary.by_site.insert(
        site.to_string(),
        SiteTotals {
            docs: 1,
            lines_in: doc.summary.lines_in,
            lines_removed: doc.summary.lines_removed,
            bytes_in: doc.summary.bytes_in,
            bytes_removed: doc.summary.bytes_removed,
        },
    );
    vec![
        crate::report::Header::new(cfg, phrases.files()).line(),
        serde_json::to_string(&record).unwrap_or_default(),
        serde_json::to_string(&summary).unwrap_or_default(),
    ]
}

/// A problem's report line.
pub fn problem_line(p: &Problem) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        kind: &'static str,
        #[serde(flatten)]
        problem: &'a Problem,
    }
    serde_json::to_string(&Line {
        kind: "problem",
        problem: p,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{clean_lines, split_lines};

    #[test]
    fn the_engine_hashes_kept_keys_as_the_fingerprint_does() {
        let cfg = Config::default();
        let phrases = PhraseSet::empty();
        let text = "Home\nNews\nSport\nContact\nAbout us\n\nA heading for the page\n\
                    The council met on Tuesday and agreed, after a long debate, to rebuild it.\n\
                    \u{feff}Full-width ＡＢＣ and Ｃａｓｅ, then the same line again.\n\
                    Full-width ＡＢＣ and Ｃａｓｅ, then the same line again.\n\
                    Visits: 0\n\n2024-05-01\r\n— ✦ —\nThe end of the article, in a sentence of its own.";
        let (kept, out) = clean_lines(&cfg, &phrases, &split_lines(text.as_bytes()));
        assert!(out.summary.lines_removed > 0, "something was removed");
        assert!(out.oversized.is_empty());
        let mut fp = Fingerprinter::default();
        assert_eq!(out.kept_keys_hash, fp.exact(&kept));
        let (_, other) = clean_lines(&cfg, &phrases, &split_lines(b"Another text entirely.\n"));
        assert_ne!(out.kept_keys_hash, other.kept_keys_hash);
    }

    /// Settings for a test run: `cfg`, no phrase rules, default reading options.
    struct Setup {
        cfg: Config,
        phrases: PhraseSet,
        opts: CrawlOptions,
    }

    impl Setup {
        fn new(cfg: Config) -> Self {
            Setup {
                cfg,
                phrases: PhraseSet::empty(),
                opts: CrawlOptions::default(),
            }
        }

        /// A run without a profile writing to `output`.
        fn run<'a>(&'a self, output: &'a Output) -> Run<'a> {
            Run {
                walk_problems: &[],
                cfg: &self.cfg,
                phrases: &self.phrases,
                opts: &self.opts,
                output,
                profile: None,
            }
        }
    }

    #[test]
    fn progress_runs_through_every_pass_once() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..6 {
            let text =
                format!("Home\nNews\nA sentence that is page {i}'s own content, and long.\n");
            let site = dir.path().join(format!("site{}", i % 2));
            std::fs::create_dir_all(&site).unwrap();
            std::fs::write(site.join(format!("p{i}.txt")), text).unwrap();
        }
        let (files, _) = walk::collect(&[dir.path().to_path_buf()], Default::default());
        let total = total_bytes(&files);
        for dedup in [true, false] {
            let setup = Setup::new(Config {
                dedup_docs: dedup,
                ..Config::default()
            });
            let run = setup.run(&Output::Discard);
            let seen = Mutex::new(Vec::new());
            let record = |p: Progress| seen.lock().unwrap().push((p.phase, p.bytes));
            // One thread, so reports arrive in the order they were counted.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            pool.install(|| run.execute(&files, &record, &mut Collected::default()))
                .unwrap();
            let seen = seen.into_inner().unwrap();
            let passes = run.passes(&files);
            assert_eq!(passes, if dedup { 3 } else { 2 });
            let phases: Vec<Phase> = seen.iter().map(|s| s.0).fold(Vec::new(), |mut v, p| {
                if v.last() != Some(&p) {
                    v.push(p);
                }
                v
            });
            let expected: &[Phase] = if dedup {
                &[Phase::Learn, Phase::Dedup, Phase::Clean]
            } else {
                &[Phase::Learn, Phase::Clean]
            };
            assert_eq!(phases, expected);
            assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1), "{seen:?}");
            assert_eq!(seen.last().unwrap().1, passes * total, "the bar ends full");
        }
    }

    /// Keeps the report lines it is given, but declines document records.
    #[derive(Default)]
    struct SummaryOnly(Vec<String>);

    impl Sink for SummaryOnly {
        fn report(&mut self, line: &str) {
            self.0.push(line.to_string());
        }
        fn stdout(&mut self, _: &[u8]) {}
        fn wants_documents(&self) -> bool {
            false
        }
    }

    #[test]
    fn a_sink_that_declines_documents_gets_problems_and_the_same_summary() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        for i in 0..4 {
            let text = format!("Home\nNews\nPage {i} has a sentence of its own, long enough.\n");
            std::fs::write(site.join(format!("p{i}.txt")), text).unwrap();
        }
        std::fs::write(site.join("bad.jsonl"), "{\"text\": 3}\n").unwrap();
        let (files, _) = walk::collect(&[dir.path().to_path_buf()], Default::default());
        let setup = Setup::new(Config::default());
        let run = setup.run(&Output::Discard);
        let mut all = Collected::default();
        run.execute(&files, &|_| {}, &mut all).unwrap();
        let mut declined = SummaryOnly::default();
        run.execute(&files, &|_| {}, &mut declined).unwrap();
        let kinds = |lines: &[String]| -> Vec<String> {
            let kind = |l: &String| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].to_string()
            };
            lines.iter().map(kind).collect()
        };
        assert_eq!(
            kinds(&all.report)
                .iter()
                .filter(|k| k.contains("document"))
                .count(),
            4
        );
        assert_eq!(
            kinds(&declined.0),
            ["\"header\"", "\"problem\"", "\"summary\""]
        );
        assert_eq!(declined.0.last(), all.report.last(), "the same summary");
    }

    /// A paragraph-rich article; `changed` alters one word.
    fn article(seed: usize, changed: Option<usize>) -> String {
        (0..10)
            .map(|p| {
                let words: Vec<String> = (0..25)
                    .map(|w| match changed == Some(p * 25 + w) {
                        true => "altered".to_string(),
                        false => format!("word{}", (seed * 977 + p * 31 + w * 7) % 1009),
                    })
                    .collect();
                format!("{}.\n", words.join(" "))
            })
            .collect()
    }

    fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = walkdir_files(dir);
        files.sort();
        files
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect()
    }

    fn walkdir_files(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walkdir_files(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    /// Plain-text files written during the duplicate search and put in place after it (those a
    /// verdict touches cleaned again) give exactly what writing every file in the last pass does:
    /// outputs, report lines and summary.
    #[test]
    fn files_written_before_the_verdicts_match_the_last_pass() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let p = dir.path().join("crawl").join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        for i in 0..6 {
            write(
                &format!("harbour/p{i}.txt"),
                &format!(
                    "Home\nNews\nSport\nPage {i} tells of the ferry, in a sentence of its own.\n\
                     © 2024 Harbour Gazette. All rights reserved.\n"
                ),
            );
        }
        write(
            "harbour/records.jsonl",
            "{\"text\": \"Home\\nNews\\nA record.\\n\"}\nnot json\n",
        );
        // b goes whole as a near copy of a; c lost a paragraph to a (kept), d one to b (which
        // went, so d keeps it and is cleaned again).
        let (a, b) = (article(1, None), article(1, Some(100)));
        let para = |t: &str, n: usize| t.lines().nth(n).unwrap().to_string();
        write("news/a.txt", &a);
        write("news/b.txt", &b);
        write(
            "news/c.txt",
            &format!("{}{}\n", article(2, None), para(&a, 8)),
        );
        write(
            "news/d.txt",
            &format!("{}{}\n", article(3, None), para(&b, 4)),
        );
        // Without sentence marks no paragraph is running text: f goes whole, though it lost
        // nothing to e before the verdicts.
        write("news/e.txt", &article(4, None).replace('.', ""));
        write("news/f.txt", &article(4, Some(60)).replace('.', ""));
        let (files, _) = walk::collect(&[dir.path().join("crawl")], Default::default());
        let setup = Setup::new(Config::default());
        let mut runs = Vec::new();
        for early in [true, false] {
            let out = dir.path().join(format!("out-{early}"));
            let output = Output::Dir(out.clone());
            let run = setup.run(&output);
            let mut sink = Collected::default();
            let result = run
                .execute_writing(&files, &|_| {}, &mut sink, early)
                .unwrap();
            assert_eq!(result.summary.documents_removed, 2);
            assert_eq!(result.problems.len(), 1, "the line that is not JSON");
            // Without document records, a file that goes whole is not read again.
            let summary_only = dir.path().join(format!("summary-only-{early}"));
            let output = Output::Dir(summary_only.clone());
            let run = setup.run(&output);
            let mut declined = SummaryOnly::default();
            run.execute_writing(&files, &|_| {}, &mut declined, early)
                .unwrap();
            assert_eq!(declined.0.last(), sink.report.last(), "the same summary");
            assert_eq!(tree(&summary_only), tree(&out));
            runs.push((tree(&out), sink.report));
        }
        assert_eq!(runs[0], runs[1]);
        let out = dir.path().join("out-true");
        assert!(!out.join("news/b.txt").exists() && !out.join("news/f.txt").exists());
        let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
        assert!(!read("news/c.txt").contains(&para(&a, 8)));
        assert!(read("news/d.txt").contains(&para(&b, 4)));
        assert!(!read("harbour/p0.txt").contains("Harbour Gazette"));
    }
}
