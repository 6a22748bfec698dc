//! The writing phase: each file read once more and written to the output, its documents as they
//! were judged with the duplicate verdicts laid over them (see [`JudgedDoc::replay`]) — or, when
//! nothing was judged before (duplicate search off, or a stream read once), cleaned here by the
//! engine. Each file's report and counts are handed to the [`Emitter`], which passes them on in
//! input order.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::Stop;
use super::decide::Decided;
use super::emit::{Early, EarlyStdout, Emitter, Sink};
use super::read::read_batch;
use super::replay::JudgedDoc;
use super::source::{Compressed, Record, compression_of, open, read_all};
use super::walk::{Compression, Format, InputFile};
use super::{
    CrawlResult, DocId, DocRef, Evidence, Fingerprinter, Output, Phase, Problem, Progress,
    ProgressFn, SiteTotals, display, site_for, trim_eol,
};
use crate::dedup::{DocVerdict, OnlineDedup};
use crate::engine::{Buffers, Outcome};
use crate::error::Error;
use crate::pipeline::Destination;
use crate::report::{Count, DocumentReport, Reason, RemovedDoc, Summary};

/// What writing needs besides the files: the evidence, the verdicts (with the judged documents),
/// where output goes.
pub(super) struct Writing<'a> {
    /// What documents are judged with.
    pub(super) ev: &'a Evidence<'a>,
    /// The inputs.
    pub(super) files: &'a [InputFile],
    /// Where output goes.
    pub(super) output: &'a Output,
    /// The judged documents and the duplicate verdicts, when documents were judged apart.
    pub(super) decided: Option<&'a Decided>,
    /// Dedup for inputs read only once (a stream): documents checked as they come, in order.
    pub(super) online: Option<&'a Mutex<OnlineDedup>>,
    /// Whether each document's report is built (see [`Sink::wants_documents`]); the summary
    /// counts every document either way.
    pub(super) report_documents: bool,
    /// The output is a directory tree that did not exist when the run began: no file in it is
    /// replaced, so none is looked up for permissions to keep.
    pub(super) new_tree: bool,
}

impl Writing<'_> {
    /// Writes every file; report events and stdout bytes go to `sink` in input order as files
    /// are done. Workers take files in input order, so few finished files wait for an earlier
    /// one. Returns the first problem as an error when the run is strict.
    pub(super) fn run(
        &self,
        progress: ProgressFn<'_>,
        sink: &mut dyn Sink,
    ) -> Result<CrawlResult, Stop> {
        let files = self.files;
        let stop = AtomicBool::new(false);
        let next = AtomicUsize::new(0);
        let (bytes_done, docs_done) = (AtomicU64::new(0), AtomicU64::new(0));
        let emitter = Mutex::new(Emitter::new(
            files.len(),
            self.ev.cfg,
            self.ev.opts.strict,
            sink,
        ));
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
                let out = self.file(i, &early);
                let bytes = bytes_done.fetch_add(out.bytes_in, Ordering::Relaxed) + out.bytes_in;
                let docs =
                    docs_done.fetch_add(out.counts.docs, Ordering::Relaxed) + out.counts.docs;
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
        if self.online.is_some() {
            worker();
        } else {
            rayon::broadcast(|_| worker());
        }
        emitter
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .finish()
    }

    /// Writes file `index` to its destination; a file that cannot be cleaned is copied there
    /// unchanged and reported.
    fn file(&self, index: usize, early: &Early<'_, '_>) -> FileOutcome {
        let file = &self.files[index];
        let mut out = FileOutcome::default();
        let dest = destination(file, self.output);
        let at = FileAt {
            w: self,
            index,
            source: &display(file),
        };
        let result = match &dest {
            Some((path, compression)) => {
                let capacity = write_buffer_for(file);
                write_file(path, *compression, capacity, !self.new_tree, |w| {
                    at.documents(w, &mut out, early)
                })
            }
            None if *self.output == Output::Stdout => {
                let mut w = EarlyStdout {
                    buf: Vec::new(),
                    early,
                };
                let r = at.documents(&mut w, &mut out, early);
                out.stdout = w.buf;
                r.map(|_| ())
            }
            None => at.documents(&mut io::sink(), &mut out, early).map(|_| ()),
        };
        if let Err(f) = result {
            if let (Some(source), Some((path, _))) = (f.output, &dest) {
                // The output side failed: the run stops here; the input is no problem.
                out.write_error = Some(Error::Write {
                    path: path.clone(),
                    source,
                });
                return out;
            }
            out.problems.push(Problem {
                path: matches!(self.output, Output::Dir(_)).then(|| file.rel.display().to_string()),
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

    /// Whether the document `id` (order key `order`) goes as a duplicate: of an earlier crawl's
    /// document (a given profile's), of a document decided before writing, or — for a stream —
    /// of one before it. `doc` is its outcome for `original`.
    fn verdict(
        &self,
        id: DocId,
        original: &[u8],
        doc: &Outcome,
        fp: &mut Fingerprinter,
    ) -> Option<DocRemoval> {
        let (ev, files) = (self.ev, self.files);
        if !ev.cfg.dedup_docs {
            return None;
        }
        let from_cluster = |v: DocVerdict| DocRemoval {
            exact: v.exact,
            of_document: DocId::from_input_order(v.kept).name(files),
            similarity: v.similarity,
            cluster: v.cluster,
            estimated: false,
        };
        let needs_set = ev.earlier.is_some() || (self.decided.is_none() && self.online.is_some());
        let mut set = Vec::new();
        let exact = if needs_set {
            let mut view = Vec::with_capacity(original.len());
            whole_document_view(original, doc, &mut view);
            fp.fingerprint(&view, &mut set)
        } else {
            0
        };
        if let Some(docs) = &ev.earlier
            && let Some(m) = docs.check(
                id.order(ev.keys, files),
                exact,
                &crate::minhash::signature(&set),
                ev.cfg.similarity,
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
        if let Some(d) = self.decided {
            return d.verdicts.get(&id).copied().map(from_cluster);
        }
        let mut online = self.online?.lock().unwrap_or_else(|p| p.into_inner());
        online
            .check(id.input_order(), exact, set, ev.cfg.similarity)
            .map(from_cluster)
    }
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

/// A cleaned document as document dedup must see it, appended to `view`: every removal
/// applied except paragraphs removed as duplicated content, or a republished article would be
/// judged on what little its paragraph dedup left of it.
fn whole_document_view(original: &[u8], doc: &Outcome, view: &mut Vec<u8>) {
    let own = doc
        .removals
        .iter()
        .filter(|r| !matches!(r.reason, Reason::DuplicateContent { .. }));
    // The outcome is the engine's for exactly this text, so every range lies inside it.
    let _ = super::replay::without_ranges(original, own.map(|r| (r.offset, r.len)), view);
}

/// The file being written: its place among the files and its name in the report.
struct FileAt<'a> {
    w: &'a Writing<'a>,
    index: usize,
    source: &'a str,
}

impl FileAt<'_> {
    /// A document of this file, cleaned into `cleaned`: as it was judged (`prior`), verdicts laid
    /// over it, or by the engine when it was not judged (or its text changed since).
    fn clean(
        &self,
        prior: Option<JudgedDoc>,
        text: &[u8],
        site: &str,
        id: DocId,
        cleaned: &mut Vec<u8>,
    ) -> Result<Outcome, Error> {
        let removed = self.w.decided.map(|d| &d.removed_orders);
        if let Some(doc) = prior.and_then(|p| p.replay(text, removed, cleaned)) {
            return Ok(doc);
        }
        cleaned.clear();
        let at = DocRef {
            text,
            site,
            id,
            source: self.source,
            removed_text: true,
        };
        self.w
            .ev
            .clean(self.w.files, at, cleaned, &mut Buffers::default())
    }

    /// Writes the documents of this file into `w`, filling in `out`. A JSON Lines file hands its
    /// reports (and, to stdout, its output) to `early` after each batch. False when nothing is
    /// to be written (its one document went whole).
    fn documents(
        &self,
        w: &mut dyn Write,
        out: &mut FileOutcome,
        early: &Early<'_, '_>,
    ) -> Result<bool, FileFailure> {
        let (writing, index, source) = (self.w, self.index, self.source);
        let file = &writing.files[index];
        let mut fp = Fingerprinter::default();
        let mut judged = writing
            .decided
            .map(|d| d.judged.take(index))
            .unwrap_or_default();
        match file.format {
            Format::Text => {
                let bytes = read_all(file, writing.ev.opts.max_doc_bytes)?;
                out.bytes_in += bytes.len() as u64;
                let site = site_for(writing.ev.opts, None, file);
                let id = DocId::new(index, 0);
                let mut cleaned = Vec::new();
                let doc = self
                    .clean(judged.remove(&0), &bytes, &site, id, &mut cleaned)
                    .map_err(|e| FileFailure {
                        record: None,
                        message: e.to_string(),
                        output: None,
                    })?;
                let verdict = writing.verdict(id, &bytes, &doc, &mut fp);
                let gone = verdict.is_some();
                let place = DocPlace {
                    source,
                    file,
                    record: None,
                    id: None,
                    site: &site,
                    order: id.order(writing.ev.keys, writing.files),
                    rec: None,
                    line: None,
                };
                out.add(place, doc, verdict.map(|v| (v, bytes.as_slice())), writing);
                if gone {
                    return Ok(false);
                }
                w.write_all(&cleaned)?;
            }
            Format::Jsonl => {
                // Records are read in batches, cleaned in parallel (unless dedup must see them in
                // order, as for a stream), and written and reported in input order.
                let in_order = writing.online.is_some();
                let mut reader = open(file)?;
                let mut n = 0u64;
                loop {
                    let batch = read_batch(&mut reader, &mut n, writing.ev.opts.max_doc_bytes)
                        .map_err(|e| FileFailure {
                            record: Some(n + 1),
                            message: e.to_string(),
                            output: None,
                        })?;
                    if batch.is_empty() {
                        break;
                    }
                    let work: Vec<_> = batch
                        .iter()
                        .map(|(n, line)| (*n, line.as_slice(), judged.remove(n)))
                        .collect();
                    let prepare =
                        |fp: &mut Fingerprinter, (n, line, prior)| self.record(n, line, prior, fp);
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
                            Prepared::Doc(d) => out.record(w, *n, line, *d, self)?,
                        }
                    }
                    if *writing.output == Output::Stdout {
                        w.flush()?;
                    }
                    early.pass(std::mem::take(&mut out.documents), Vec::new());
                }
            }
        }
        Ok(true)
    }

    /// Parses and cleans record `n` (`line`, its line ending included) of a JSON Lines file,
    /// as it was judged (`prior`) where it was.
    fn record(
        &self,
        n: u64,
        line: &[u8],
        prior: Option<JudgedDoc>,
        fp: &mut Fingerprinter,
    ) -> Prepared {
        let writing = self.w;
        let (ev, file) = (writing.ev, &writing.files[self.index]);
        let body = trim_eol(line);
        if body.iter().all(u8::is_ascii_whitespace) {
            return Prepared::Blank;
        }
        let (rec, text) = match Record::parse(body, &ev.opts.text_field) {
            Ok(x) => x,
            Err(problem) => return Prepared::Skipped(problem.to_string()),
        };
        let site = site_for(ev.opts, rec.field(&ev.opts.url_field), file);
        let doc_id = ev.opts.id_field.as_deref().and_then(|f| rec.field(f));
        let id = DocId::new(self.index, n);
        let mut cleaned = Vec::new();
        let doc = match self.clean(prior, text.as_bytes(), &site, id, &mut cleaned) {
            Ok(d) => d,
            Err(e) => return Prepared::Skipped(e.to_string()),
        };
        let verdict = writing.verdict(id, text.as_bytes(), &doc, fp);
        Prepared::Doc(Box::new(PreparedDoc {
            rec,
            text,
            site,
            id: doc_id,
            order: id.order(ev.keys, writing.files),
            cleaned,
            doc,
            verdict,
        }))
    }
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
    doc: Outcome,
    verdict: Option<DocRemoval>,
}

/// Where a document came from, as its report says.
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

/// One file's results: its documents' reports, problems and stdout bytes, in the order they go
/// out, and its documents' [`Counts`].
#[derive(Default)]
pub(super) struct FileOutcome {
    pub(super) documents: Vec<DocumentReport>,
    pub(super) problems: Vec<Problem>,
    pub(super) stdout: Vec<u8>,
    pub(super) bytes_in: u64,
    pub(super) counts: Counts,
    /// Its output could not be written: the run stops.
    pub(super) write_error: Option<Error>,
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

    /// Writes a cleaned JSON Lines record (nothing for one removed whole, the line as it was
    /// when nothing was removed, else the line with its text replaced) and adds it.
    fn record(
        &mut self,
        w: &mut dyn Write,
        n: u64,
        line: &[u8],
        d: PreparedDoc,
        at: &FileAt<'_>,
    ) -> io::Result<()> {
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
        let canonical = !d.doc.removals.is_empty()
            && serde_json::to_vec(&d.text).is_ok_and(|t| t == d.rec.text_literal());
        let place = DocPlace {
            source: at.source,
            file: &at.w.files[at.index],
            record: Some(n),
            id: d.id,
            site: &d.site,
            order: d.order,
            rec: Some((&d.rec, canonical)),
            line: Some(line),
        };
        let removed = d.verdict.map(|v| (v, d.text.as_bytes()));
        self.add(place, d.doc, removed, at.w);
        Ok(())
    }

    /// Counts a document and, when reports are wanted, builds its report.
    fn add(
        &mut self,
        place: DocPlace<'_>,
        doc: Outcome,
        removed: Option<(DocRemoval, &[u8])>,
        writing: &Writing<'_>,
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
        if let Some((v, original)) = &removed {
            counts.add_removed(original.len() as u64, v.cluster);
        }
        counts.add_document(site, &doc.summary);
        if writing.ev.profile().is_some() {
            counts.add_site_lines(site, order, &doc);
        }
        if !writing.report_documents {
            return;
        }
        let removed_doc = removed.map(|(v, original)| {
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
        // A changed record's text: where its value stands in the line, and its form when
        // dedump would write it otherwise (an escape the input used, a `\/`), for `restore`.
        let changed = removed_doc.is_none() && !doc.removals.is_empty();
        let text_at = rec.filter(|_| changed).map(|(r, _)| r.text_at());
        let raw_text = rec
            .filter(|(_, canonical)| changed && !canonical)
            .map(|(r, _)| String::from_utf8_lossy(r.text_literal()).into_owned());
        self.documents.push(DocumentReport {
            source: source.to_string(),
            path: file.rel.display().to_string(),
            format: file.format,
            compression: file.compression,
            record,
            id,
            site: site.to_string(),
            summary: doc.summary,
            oversized: doc.oversized,
            removals: doc.removals,
            text_at,
            raw_text,
            removed: removed_doc,
        });
    }
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

/// What documents add to the run's summary: sums, and the earliest text of each site
/// boilerplate line — the same whatever order documents are added in.
#[derive(Default)]
pub(super) struct Counts {
    pub(super) docs: u64,
    pub(super) totals: Summary,
    pub(super) sites: BTreeMap<String, SiteTotals>,
    top: HashMap<(u64, u64), TopEntry>,
    pub(super) docs_removed: u64,
    pub(super) doc_bytes_removed: u64,
    pub(super) clusters: Vec<u64>,
}

impl Counts {
    /// Counts a document of `bytes` removed whole, in duplicate cluster `cluster` (0: a copy of
    /// an earlier crawl's document, no cluster of this run).
    fn add_removed(&mut self, bytes: u64, cluster: u64) {
        self.docs_removed += 1;
        self.doc_bytes_removed += bytes;
        if cluster > 0 {
            self.clusters.push(cluster);
        }
    }

    /// Adds a document's totals to the run's and its site's.
    fn add_document(&mut self, site: &str, s: &Summary) {
        add_summary(&mut self.totals, s);
        // Looked up by `&str` first: a new `String` only for a site not seen yet.
        if !self.sites.contains_key(site) {
            self.sites.insert(site.to_string(), SiteTotals::default());
        }
        if let Some(t) = self.sites.get_mut(site) {
            t.docs += 1;
            t.lines_in += s.lines_in;
            t.lines_removed += s.lines_removed;
            t.bytes_in += s.bytes_in;
            t.bytes_removed += s.bytes_removed;
        }
    }

    /// Counts the site boilerplate lines of a document at `order` for the top list.
    fn add_site_lines(&mut self, site: &str, order: u64, doc: &Outcome) {
        let sk = crate::profile::site_key(site);
        let site_removals = doc
            .removals
            .iter()
            .filter(|r| matches!(r.reason, Reason::SiteBoilerplate { .. }));
        for (r, &masked_hash) in site_removals.zip(&doc.site_keys) {
            let text = || r.text.trim().to_string();
            match self.top.entry((sk, masked_hash)) {
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

    /// Adds `other`'s counts.
    pub(super) fn absorb(&mut self, other: Counts) {
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

    /// The `n` site boilerplate lines removed from the most documents: (site, text, documents),
    /// most first, ties by site and text.
    pub(super) fn top_lines(&mut self, n: usize) -> Vec<(String, String, u64)> {
        let mut top: Vec<(String, String, u64)> = std::mem::take(&mut self.top)
            .into_values()
            .map(|t| (t.site, t.text, t.docs))
            .collect();
        top.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
        top.truncate(n);
        top
    }
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

/// A failure that leaves a whole file as it was: of its input (it is copied unchanged and
/// reported), or of its output (`output`: the run stops).
struct FileFailure {
    record: Option<u64>,
    message: String,
    output: Option<io::Error>,
}

impl From<io::Error> for FileFailure {
    fn from(e: io::Error) -> Self {
        FileFailure {
            record: None,
            message: e.to_string(),
            output: None,
        }
    }
}

impl FileFailure {
    fn output(e: io::Error) -> Self {
        FileFailure {
            record: None,
            message: e.to_string(),
            output: Some(e),
        }
    }
}

/// Runs `body` against `out` (buffered, compressed); whether it wants the file kept. A failure
/// the writer saw is the output's ([`FileFailure::output`]), any other the input's.
fn write_watched<W: Write>(
    out: W,
    compression: Compression,
    capacity: usize,
    body: impl FnOnce(&mut dyn Write) -> Result<bool, FileFailure>,
) -> Result<bool, FileFailure> {
    let mut watched = Watched::new(out);
    let written = (|| {
        let buffered = io::BufWriter::with_capacity(capacity, &mut watched);
        let mut w = Compressed::new(buffered, compression)?;
        let keep = body(&mut w)?;
        w.finish()?.flush()?;
        Ok(keep)
    })();
    match (written, watched.error) {
        (Err(_), Some(e)) => Err(FileFailure::output(e)),
        (r, _) => r,
    }
}

/// A writer that keeps the first error of the one it wraps: tells a failed write to the output
/// from a failed read of the input when both surface as the same `io::Error`.
struct Watched<W> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> Watched<W> {
    fn new(inner: W) -> Self {
        Watched { inner, error: None }
    }

    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r
            && self.error.is_none()
        {
            self.error = Some(io::Error::new(e.kind(), e.to_string()));
        }
        r
    }
}

impl<W: Write> Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
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
/// document leaves no file, and removes one that is there). `may_exist`: see
/// [`crate::pipeline::temp_file_for`].
fn write_file(
    path: &Path,
    compression: Compression,
    capacity: usize,
    may_exist: bool,
    body: impl FnOnce(&mut dyn Write) -> Result<bool, FileFailure>,
) -> Result<(), FileFailure> {
    // A named output file may be a link (written through) or a device (written to directly);
    // a tree this run creates holds neither.
    let target = match may_exist.then(|| Destination::of(path)) {
        Some(Destination::Stream(device)) => {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(device)
                .map_err(FileFailure::output)?;
            return write_watched(f, compression, capacity, body).map(|_| ());
        }
        Some(Destination::File(target)) => target,
        None => path.to_path_buf(),
    };
    let path = target.as_path();
    // Most files go where the one before went: make the directory only when it is missing.
    let mut tmp = match crate::pipeline::temp_file_for(path, may_exist) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(crate::pipeline::parent_dir(path))
                .map_err(FileFailure::output)?;
            crate::pipeline::temp_file_for(path, may_exist).map_err(FileFailure::output)?
        }
        made => made.map_err(FileFailure::output)?,
    };
    let keep = write_watched(tmp.as_file_mut(), compression, capacity, body)?;
    if keep {
        tmp.as_file().sync_data().map_err(FileFailure::output)?;
        tmp.persist(path)
            .map_err(|e| FileFailure::output(e.error))?;
    } else if may_exist {
        // The document went whole: a file of it from an earlier run (or, cleaned in place, the
        // input itself, whose text the report holds) goes too, as the summary says.
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(FileFailure::output(e)),
            _ => {}
        }
    }
    Ok(())
}
