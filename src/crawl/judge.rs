//! The judging phase: every document cleaned once, by the engine, against the run's evidence.
//! What is kept of each is its outcome without the removed lines' text ([`JudgedDoc`]: where
//! they are and why) and a sketch for the duplicate search, taken of the document as it reads
//! with every removal but its paragraphs copied from other documents.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::read::map_docs;
use super::replay::{JudgedDoc, JudgedDocs};
use super::walk::InputFile;
use super::{DocId, DocRef, Evidence, Fingerprinter, Phase, Progress, ProgressFn, display};
use crate::dedup::DocSketch;
use crate::engine::Buffers;

/// Every document judged, and its sketch.
pub(super) struct Judged {
    /// The judged documents, per file.
    pub(super) docs: JudgedDocs,
    /// One sketch per document with text, in input order.
    pub(super) sketches: Vec<DocSketch>,
}

impl Judged {
    /// Judges every document of `files`. Unreadable files and unusable records are skipped
    /// here: writing reports them. Does not depend on the thread count.
    pub(super) fn run(ev: &Evidence<'_>, files: &[InputFile], progress: ProgressFn<'_>) -> Judged {
        type Scratch = (Fingerprinter, Vec<u64>, Vec<u8>, Vec<u8>, Buffers);
        let (bytes_done, docs_done) = (AtomicU64::new(0), AtomicU64::new(0));
        let (per_file, judged): (Vec<Vec<DocSketch>>, Vec<HashMap<u64, JudgedDoc>>) = files
            .par_iter()
            .enumerate()
            .map_init(Scratch::default, |scratch, (i, file)| {
                let source = display(file);
                let (mut sketches, mut judged) = (Vec::new(), HashMap::new());
                let judge = |(fp, set, cleaned, view, buffers): &mut Scratch,
                             record,
                             site: &str,
                             text: &[u8]| {
                    cleaned.clear();
                    let id = DocId::new(i, record);
                    let at = DocRef {
                        text,
                        site,
                        id,
                        source: &source,
                        removed_text: false,
                    };
                    let outcome = ev.clean(files, at, cleaned, buffers).ok()?;
                    let doc = JudgedDoc::new(text, outcome);
                    // Seen whole: its paragraphs copied from other documents put back.
                    let seen = if doc.lost_copies() {
                        view.clear();
                        doc.whole_view(text, view).then_some(view.as_slice())?
                    } else {
                        cleaned.as_slice()
                    };
                    fp.shingle_hashes(seen, set);
                    // The engine hashed the kept lines' keys as it wrote them; a document seen
                    // with other lines, or with an oversized line (not analysed), is hashed here.
                    let exact = if seen.len() == cleaned.len() && !doc.has_oversized() {
                        doc.kept_keys_hash()
                    } else {
                        fp.exact(seen)
                    };
                    let sketch = DocSketch::new(id.input_order(), seen.len() as u64, exact, set);
                    Some((record, sketch, doc))
                };
                let read = map_docs(
                    file,
                    ev.opts,
                    ev.cfg,
                    scratch,
                    Default::default,
                    judge,
                    |s| {
                        if let Some((record, sketch, doc)) = s {
                            sketches.push(sketch);
                            judged.insert(record, doc);
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
                (sketches, judged)
            })
            .unzip();
        let mut sketches = per_file.concat();
        sketches.sort_unstable_by_key(|s| s.order);
        Judged {
            docs: JudgedDocs::new(judged),
            sketches,
        }
    }
}
