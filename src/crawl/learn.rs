//! The first phase: the cross-document [`Evidence`] every document is judged with — a profile
//! learned from the files (per site, in how many documents each line occurs, and where each long
//! paragraph first appears), or one given.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::read::{for_each_doc, map_docs};
use super::walk::InputFile;
use super::{
    CrawlOptions, DocId, Evidence, Fingerprinter, Held, OrderKeys, Phase, Problem, Progress,
    ProgressFn, display,
};
use crate::config::Config;
use crate::detect::phrase::PhraseSet;
use crate::engine::Buffers;
use crate::profile::{DocEntry, Profile, Scratch, document_keys};

impl<'a> Evidence<'a> {
    /// The evidence of a profile learned earlier: its order keys are fixed hashes of each
    /// document's identity (so shards agree), and its documents' fingerprints are checked
    /// against this run's.
    pub fn given(
        cfg: &'a Config,
        phrases: &'a PhraseSet,
        opts: &'a CrawlOptions,
        profile: &'a Profile,
    ) -> Self {
        let earlier = (cfg.dedup_docs && !profile.documents.is_empty())
            .then(|| crate::dedup::ProfileDocs::new(&profile.documents));
        Evidence {
            cfg,
            phrases,
            opts,
            profile: Held::Given(profile),
            keys: OrderKeys::Identity,
            earlier,
        }
    }

    /// The evidence learned from `files` themselves, in input order (see [`learn`]; files that
    /// cannot be read are reported when they are written).
    pub fn learned(
        cfg: &'a Config,
        phrases: &'a PhraseSet,
        opts: &'a CrawlOptions,
        files: &[InputFile],
        progress: ProgressFn<'_>,
    ) -> Self {
        let (profile, _) = learn(files, cfg, opts, OrderKeys::InputOrder, progress, true);
        Evidence {
            cfg,
            phrases,
            opts,
            profile: Held::Learned(profile),
            keys: OrderKeys::InputOrder,
            earlier: None,
        }
    }
}

/// A profile of every document the files hold, and the files that could not be read. The result
/// does not depend on the thread count. `own_documents`: the profile is for cleaning these same
/// documents, so it is trimmed (see [`Profile::trim_for_own_documents`]).
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
                    let order = DocId::new(i, record).order(keys, files);
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

/// Fingerprints of every document, for a profile: documents of a later crawl or stream are
/// checked against them. Each document is cleaned on its own (no cross-document evidence, so
/// shard profiles merge exactly) and judged whole (paragraph dedup off); order keys are fixed
/// hashes of each document's path under its input root.
pub fn fingerprint_documents(
    files: &[InputFile],
    cfg: &Config,
    phrases: &PhraseSet,
    opts: &CrawlOptions,
) -> Vec<DocEntry> {
    let mut whole = cfg.clone();
    whole.detectors.duplicate_content = false;
    let ev = &Evidence::single_documents(&whole, phrases, opts);
    files
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, file)| {
            let (mut fp, mut set, mut out) = (Fingerprinter::default(), Vec::new(), Vec::new());
            let (mut cleaned, mut buffers) = (Vec::new(), Buffers::default());
            let source = display(file);
            let _ = for_each_doc(file, opts, ev.cfg, &|_| true, |record, site, text| {
                let id = DocId::new(i, record);
                cleaned.clear();
                let doc = super::DocRef {
                    text,
                    site,
                    id,
                    source: &source,
                    removed_text: false,
                };
                if ev.clean(files, doc, &mut cleaned, &mut buffers).is_err() {
                    return;
                }
                let exact = fp.fingerprint(&cleaned, &mut set);
                if !set.is_empty() {
                    // The identity every shard agrees on: the path under the input root.
                    let rel = file.rel.display();
                    let name = match record {
                        0 => rel.to_string(),
                        n => format!("{rel}:{n}"),
                    };
                    out.push(DocEntry {
                        order: id.order(OrderKeys::Identity, files),
                        exact,
                        sig: crate::minhash::signature(&set),
                        name,
                    });
                }
            });
            out
        })
        .collect()
}
