//! The deciding phase: duplicate and near-duplicate documents among the judged ones. LSH
//! candidates come from the sketches; the documents a pair needs are read again for their exact
//! shingle sets (as judged, seen whole); verified pairs form clusters, and one copy of each
//! stays ([`crate::dedup`]).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::judge::Judged;
use super::read::for_each_doc;
use super::replay::JudgedDocs;
use super::walk::InputFile;
use super::{DocId, Evidence, Fingerprinter};
use crate::dedup::{DocVerdict, candidates, clusters, needing_sets};

/// The judged documents and the verdicts on those that go.
pub(super) struct Decided {
    /// The judged documents, per file, taken as each file is written.
    pub(super) judged: JudgedDocs,
    /// Verdicts of the documents that go.
    pub(super) verdicts: HashMap<DocId, DocVerdict>,
    /// Order keys (under the evidence's keys) of the documents that go.
    pub(super) removed_orders: HashSet<u64>,
}

impl Judged {
    /// Finds the duplicates. Does not depend on the thread count.
    pub(super) fn decide(self, ev: &Evidence<'_>, files: &[InputFile]) -> Decided {
        let Judged { docs, sketches } = self;
        let pairs = candidates(&sketches);
        let wanted: HashSet<DocId> = needing_sets(&sketches, &pairs)
            .into_iter()
            .map(|i| DocId::from_input_order(sketches[i].order))
            .collect();
        let wanted_files: HashSet<u32> = wanted.iter().map(|id| id.file).collect();
        let index_of: HashMap<DocId, usize> = sketches
            .iter()
            .enumerate()
            .map(|(i, s)| (DocId::from_input_order(s.order), i))
            .collect();
        let sets: HashMap<usize, Vec<u64>> = files
            .par_iter()
            .enumerate()
            .filter(|(i, _)| wanted_files.contains(&(*i as u32)))
            .flat_map_iter(|(i, file)| {
                let (mut fp, mut view, mut out) =
                    (Fingerprinter::default(), Vec::new(), Vec::new());
                let wants = |record| wanted.contains(&DocId::new(i, record));
                let _ = for_each_doc(file, ev.opts, ev.cfg, &wants, |record, _, text| {
                    let id = DocId::new(i, record);
                    let Some(&idx) = index_of.get(&id) else {
                        return;
                    };
                    view.clear();
                    let seen = docs.with(id, |doc| {
                        doc.matches(text) && doc.whole_view(text, &mut view)
                    });
                    if seen == Some(true) {
                        let mut set = Vec::new();
                        fp.shingles(&view, &mut set);
                        set.shrink_to_fit();
                        out.push((idx, set));
                    }
                });
                out
            })
            .collect();
        let verdicts: HashMap<DocId, DocVerdict> =
            clusters(&sketches, &pairs, &sets, ev.cfg.similarity, ev.cfg.keep)
                .into_iter()
                .map(|(i, v)| (DocId::from_input_order(sketches[i].order), v))
                .collect();
        let removed_orders = verdicts.keys().map(|id| id.order(ev.keys, files)).collect();
        Decided {
            judged: docs,
            verdicts,
            removed_orders,
        }
    }
}
