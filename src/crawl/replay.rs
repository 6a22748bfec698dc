//! Replaying the duplicate search's decisions in the cleaning pass: each document's engine
//! outcome is kept between the two (positions and reasons of its removed lines, not their
//! text), and the cleaning pass writes the input minus those ranges instead of running the
//! engine again — unless the text changed since, or a paragraph was taken out as a copy of a
//! document that was itself removed whole.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::engine::Outcome;
use crate::report::{Reason, Removal, Summary};

/// A document the duplicate search cleaned: its engine outcome without the removed lines' text
/// (read again from the input when it is replayed), kept so the cleaning pass can replay it
/// instead of running the engine again (see `JudgedDoc::replay`).
pub struct JudgedDoc {
    text_hash: u64,
    summary: Summary,
    oversized: Vec<u64>,
    kept_keys_hash: u64,
    site_keys: Vec<u64>,
    cuts: Vec<Cut>,
    /// The byte ranges (offset, length) the document loses when judged whole, when they are not
    /// the cuts: for a document with paragraphs out as duplicated content, and for one kept
    /// only to be viewed whole (see [`JudgedDoc::view_only`]).
    whole_view: Option<Vec<(u64, u64)>>,
    /// Whether the outcome is kept to be replayed (else only the view is).
    replayable: bool,
}

/// A removed line without its text: where it is and why it went.
struct Cut {
    line: u64,
    offset: u64,
    len: u64,
    eol_len: u8,
    reason: Reason,
}

impl JudgedDoc {
    /// The outcome of cleaning `text`. Its removals may come without their text
    /// ([`Removal::located`]): each line ending is read from `text`, as the engine reads it.
    pub(super) fn new(text: &[u8], outcome: Outcome, whole_view: Option<Vec<(u64, u64)>>) -> Self {
        // Built in a new vector: collecting in place would keep the removals' larger allocation.
        let mut cuts = Vec::with_capacity(outcome.removals.len());
        cuts.extend(outcome.removals.into_iter().map(|r| {
            let line = usize::try_from(r.offset)
                .ok()
                .and_then(|at| text.get(at..at + r.len as usize))
                .unwrap_or_default();
            let eol_len = if line.ends_with(b"\r\n") {
                2
            } else {
                u8::from(line.ends_with(b"\n"))
            };
            Cut {
                line: r.line,
                offset: r.offset,
                len: r.len,
                eol_len,
                reason: r.reason,
            }
        }));
        JudgedDoc {
            text_hash: xxhash_rust::xxh3::xxh3_64(text),
            summary: outcome.summary,
            oversized: outcome.oversized,
            kept_keys_hash: outcome.kept_keys_hash,
            site_keys: outcome.site_keys,
            cuts,
            whole_view,
            replayable: true,
        }
    }

    /// A document whose outcome will not be replayed (its file was written already, and a
    /// verdict that touches it has it cleaned again): only what viewing it whole takes — its
    /// text's hash and the ranges it loses — a few bytes per removed line instead of the
    /// removals, freed as soon as they are made.
    pub(super) fn view_only(
        text: &[u8],
        outcome: &Outcome,
        whole_view: Option<Vec<(u64, u64)>>,
    ) -> Self {
        let ranges = whole_view.unwrap_or_else(|| ranges_of(&outcome.removals).collect());
        JudgedDoc {
            text_hash: xxhash_rust::xxh3::xxh3_64(text),
            summary: Summary::default(),
            oversized: Vec::new(),
            kept_keys_hash: outcome.kept_keys_hash,
            site_keys: Vec::new(),
            cuts: Vec::new(),
            whole_view: Some(ranges),
            replayable: false,
        }
    }

    /// Whether the outcome still belongs to `text` (the file could have changed between passes).
    pub(super) fn matches(&self, text: &[u8]) -> bool {
        xxhash_rust::xxh3::xxh3_64(text) == self.text_hash
    }

    fn cut_ranges(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.cuts.iter().map(|c| (c.offset, c.len))
    }

    /// Appends the document as duplicate search compares it (see [`whole_document_config`]).
    pub(super) fn whole_view(&self, text: &[u8], view: &mut Vec<u8>) -> bool {
        match &self.whole_view {
            Some(ranges) => without_ranges(text, ranges.iter().copied(), view),
            None => without_ranges(text, self.cut_ranges(), view),
        }
    }

    /// The cleaning pass's result for `text`, writing its cleaned bytes into `cleaned`: the
    /// engine's outcome from the duplicate search, valid unless the text changed or one of its
    /// paragraphs was taken out as a copy of a document since removed whole (then that paragraph
    /// must stay, and the engine runs again). `None` asks for the engine.
    pub(super) fn replay(
        self,
        text: &[u8],
        removed: Option<&HashSet<u64>>,
        cleaned: &mut Vec<u8>,
    ) -> Option<Outcome> {
        let copy_of_removed = |c: &Cut| match c.reason {
            Reason::DuplicateContent { first_order, .. } => {
                removed.is_some_and(|set| set.contains(&first_order))
            }
            _ => false,
        };
        if !self.replayable
            || !self.matches(text)
            || self.cuts.iter().any(copy_of_removed)
            || !without_ranges(text, self.cut_ranges(), cleaned)
        {
            return None;
        }
        let removals = self
            .cuts
            .into_iter()
            .map(|c| {
                let bytes = &text[c.offset as usize..(c.offset + c.len) as usize];
                Removal::new(c.line, c.offset, bytes, usize::from(c.eol_len), c.reason)
            })
            .collect();
        Some(Outcome {
            summary: self.summary,
            removals,
            oversized: self.oversized,
            kept_keys_hash: self.kept_keys_hash,
            site_keys: self.site_keys,
        })
    }
}

/// Documents the duplicate search cleaned, per file by record number (0 for a text file).
pub struct JudgedDocs(Vec<Mutex<HashMap<u64, JudgedDoc>>>);

impl JudgedDocs {
    /// The documents of each file, by record number, in file order.
    pub(super) fn new(files: Vec<HashMap<u64, JudgedDoc>>) -> Self {
        JudgedDocs(files.into_iter().map(Mutex::new).collect())
    }

    /// Takes the documents of file `index` out (each file is cleaned once).
    pub(super) fn take(&self, index: usize) -> HashMap<u64, JudgedDoc> {
        self.0.get(index).map_or_else(HashMap::new, |m| {
            std::mem::take(&mut *m.lock().unwrap_or_else(|p| p.into_inner()))
        })
    }
}

/// The byte ranges (offset, length) of removed lines.
pub(super) fn ranges_of(removals: &[Removal]) -> impl Iterator<Item = (u64, u64)> + '_ {
    removals.iter().map(|r| (r.offset, r.len))
}

/// Appends `text` to `out` without the byte ranges (offset, length, in order): what the engine
/// wrote when it removed those lines, since kept lines are the input's own bytes. False (and
/// `out` unusable) if a range lies outside `text`.
pub(super) fn without_ranges(
    text: &[u8],
    ranges: impl Iterator<Item = (u64, u64)>,
    out: &mut Vec<u8>,
) -> bool {
    let mut at = 0usize;
    for (start, len) in ranges {
        let (start, len) = (start as usize, len as usize);
        let Some(kept) = text.get(at..start) else {
            return false;
        };
        out.extend_from_slice(kept);
        at = start + len;
    }
    match text.get(at..) {
        Some(rest) => out.extend_from_slice(rest),
        None => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::detect::phrase::PhraseSet;
    use crate::pipeline::clean_stream;

    #[test]
    fn a_replayed_outcome_writes_what_the_engine_wrote() {
        let cfg = Config::default();
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let text = "\u{feff}Home\r\nNews\r\nSport\nContact\r\nAbout us\r\n\r\n\
                    The council met on Tuesday and agreed, after a long debate, to rebuild it.\r\n\
                    Visits: 0\r\nThe council met on Tuesday and agreed, after a long debate, to \
                    rebuild it.\nThe end, in a sentence of its own, with a line ending.\nThe council met on \
                    Tuesday and agreed, after a long debate, to rebuild it.";
        let mut engine_out = Vec::new();
        let out = clean_stream(
            text.as_bytes(),
            Path::new("-"),
            &mut engine_out,
            Path::new("-"),
            &cfg,
            &phrases,
            None,
        )
        .unwrap();
        assert!(out.summary.lines_removed >= 2, "{:?}", out.summary);
        let judged = JudgedDoc::new(text.as_bytes(), out.clone(), None);
        let mut view = Vec::new();
        assert!(judged.whole_view(text.as_bytes(), &mut view));
        assert_eq!(view, engine_out);
        let mut replayed = Vec::new();
        let doc = judged.replay(text.as_bytes(), None, &mut replayed).unwrap();
        assert_eq!(replayed, engine_out);
        assert_eq!(doc.removals, out.removals);
        // An outcome whose removals came without their text (as the duplicate search keeps it)
        // replays to the same removals, line endings (CRLF, LF, none) read from the text.
        let mut buffers = crate::engine::Buffers::default();
        let located = crate::pipeline::clean_slice(
            text.as_bytes(),
            Path::new("-"),
            &mut Vec::new(),
            &cfg,
            &phrases,
            crate::pipeline::DocOptions {
                cross: None,
                without_removed_text: true,
            },
            &mut buffers,
        )
        .unwrap();
        assert!(located.removals.iter().all(|r| r.text.is_empty()));
        let endings: Vec<&str> = out.removals.iter().map(|r| r.eol.as_str()).collect();
        assert!(
            ["\r\n", "\n", ""].iter().all(|e| endings.contains(e)),
            "{endings:?}"
        );
        let judged = JudgedDoc::new(text.as_bytes(), located, None);
        let mut replayed = Vec::new();
        let doc = judged.replay(text.as_bytes(), None, &mut replayed).unwrap();
        assert_eq!(replayed, engine_out);
        assert_eq!(doc.removals, out.removals);
        // A document kept only to be viewed whole gives the same view, and is never replayed.
        let view_only = JudgedDoc::view_only(text.as_bytes(), &out, None);
        let mut only_view = Vec::new();
        assert!(view_only.whole_view(text.as_bytes(), &mut only_view));
        assert_eq!(only_view, engine_out);
        assert!(view_only.matches(text.as_bytes()));
        assert!(
            view_only
                .replay(text.as_bytes(), None, &mut Vec::new())
                .is_none()
        );
        // Changed text (a file rewritten between passes) is cleaned again, never patched.
        let judged = JudgedDoc::new(text.as_bytes(), out, None);
        assert!(
            judged
                .replay(b"Other text\n", None, &mut Vec::new())
                .is_none()
        );
    }

    #[test]
    fn ranges_outside_the_text_are_refused() {
        let mut out = Vec::new();
        assert!(without_ranges(
            b"abcdef",
            [(1, 2), (4, 1)].into_iter(),
            &mut out
        ));
        assert_eq!(out, b"adf");
        assert!(!without_ranges(
            b"abc",
            [(2, 5)].into_iter(),
            &mut Vec::new()
        ));
        assert!(!without_ranges(
            b"abc",
            [(1, 1), (0, 1)].into_iter(),
            &mut Vec::new()
        ));
    }
}
