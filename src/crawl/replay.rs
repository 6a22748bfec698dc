//! What judging a document leaves for writing it: the engine's outcome without the removed
//! lines' text (where they are and why), so the writing phase writes the input minus those
//! ranges instead of running the engine again. The duplicate verdicts are laid over it: a
//! paragraph taken out as a copy of a document that was itself removed whole stays (with the
//! blank line tidied after it), or it would be lost from every kept document.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use super::DocId;
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
    pub(super) fn new(text: &[u8], outcome: Outcome) -> Self {
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
        }
    }

    /// The sequence hash of the kept lines' keys, as the engine gave it.
    pub(super) fn kept_keys_hash(&self) -> u64 {
        self.kept_keys_hash
    }

    /// Whether a line was too long to be analysed (then the kept keys' hash leaves it out).
    pub(super) fn has_oversized(&self) -> bool {
        !self.oversized.is_empty()
    }

    /// Whether the outcome still belongs to `text` (the file could have changed between passes).
    pub(super) fn matches(&self, text: &[u8]) -> bool {
        xxhash_rust::xxh3::xxh3_64(text) == self.text_hash
    }

    /// Appends the document as the duplicate search compares it: every cut applied but those of
    /// paragraphs taken out as copies of other documents — a republished article is judged on
    /// what it says, not on what little its paragraph dedup left of it. False if the cuts do not
    /// fit `text`.
    pub(super) fn whole_view(&self, text: &[u8], view: &mut Vec<u8>) -> bool {
        let own = self
            .cuts
            .iter()
            .filter(|c| !matches!(c.reason, Reason::DuplicateContent { .. }));
        without_ranges(text, own.map(|c| (c.offset, c.len)), view)
    }

    /// Whether any paragraph was taken out as a copy of another document.
    pub(super) fn lost_copies(&self) -> bool {
        self.cuts
            .iter()
            .any(|c| matches!(c.reason, Reason::DuplicateContent { .. }))
    }

    /// The outcome for `text` with the duplicate verdicts laid over it, its cleaned bytes
    /// written into `cleaned`: a paragraph taken out as a copy of a document in `removed` (order
    /// keys of documents removed whole) stays, and so does a blank line tidied away after it.
    /// `None` when `text` is not the text that was judged (a file changed between readings).
    pub(super) fn replay(
        self,
        text: &[u8],
        removed: Option<&HashSet<u64>>,
        cleaned: &mut Vec<u8>,
    ) -> Option<Outcome> {
        if !self.matches(text) {
            return None;
        }
        let mut summary = self.summary;
        let mut kept_lines: Vec<u64> = Vec::new();
        let mut cuts = Vec::with_capacity(self.cuts.len());
        for c in self.cuts {
            let stays = match &c.reason {
                Reason::DuplicateContent { first_order, .. } => {
                    removed.is_some_and(|set| set.contains(first_order))
                }
                Reason::BlankTidy { after_line } => kept_lines.contains(after_line),
                _ => false,
            };
            if stays {
                summary.uncount_removal(&c.reason, c.len);
                kept_lines.push(c.line);
            } else {
                cuts.push(c);
            }
        }
        if !without_ranges(text, cuts.iter().map(|c| (c.offset, c.len)), cleaned) {
            return None;
        }
        let removals = cuts
            .into_iter()
            .map(|c| {
                let bytes = &text[c.offset as usize..(c.offset + c.len) as usize];
                Removal::new(c.line, c.offset, bytes, usize::from(c.eol_len), c.reason)
            })
            .collect();
        Some(Outcome {
            summary,
            removals,
            oversized: self.oversized,
            kept_keys_hash: self.kept_keys_hash,
            site_keys: self.site_keys,
        })
    }
}

/// Documents judged, per file by record number (0 for a text file).
pub struct JudgedDocs(Vec<Mutex<HashMap<u64, JudgedDoc>>>);

impl JudgedDocs {
    /// The documents of each file, by record number, in file order.
    pub(super) fn new(files: Vec<HashMap<u64, JudgedDoc>>) -> Self {
        JudgedDocs(files.into_iter().map(Mutex::new).collect())
    }

    /// `f` of the document `id`, if it was judged.
    pub(super) fn with<T>(&self, id: DocId, f: impl FnOnce(&JudgedDoc) -> T) -> Option<T> {
        let file = self.0.get(id.file as usize)?;
        let docs = file.lock().unwrap_or_else(|p| p.into_inner());
        docs.get(&u64::from(id.record)).map(f)
    }

    /// Takes the documents of file `index` out (each file is written once).
    pub(super) fn take(&self, index: usize) -> HashMap<u64, JudgedDoc> {
        self.0.get(index).map_or_else(HashMap::new, |m| {
            std::mem::take(&mut *m.lock().unwrap_or_else(|p| p.into_inner()))
        })
    }
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
        let judged = JudgedDoc::new(text.as_bytes(), out.clone());
        let mut view = Vec::new();
        assert!(judged.whole_view(text.as_bytes(), &mut view));
        assert_eq!(view, engine_out);
        let mut replayed = Vec::new();
        let doc = judged.replay(text.as_bytes(), None, &mut replayed).unwrap();
        assert_eq!(replayed, engine_out);
        assert_eq!(doc.removals, out.removals);
        assert_eq!(doc.summary, out.summary);
        // An outcome whose removals came without their text (as judging keeps it) replays to
        // the same removals, line endings (CRLF, LF, none) read from the text.
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
        let judged = JudgedDoc::new(text.as_bytes(), located);
        let mut replayed = Vec::new();
        let doc = judged.replay(text.as_bytes(), None, &mut replayed).unwrap();
        assert_eq!(replayed, engine_out);
        assert_eq!(doc.removals, out.removals);
        // Changed text (a file rewritten between readings) is cleaned again, never patched.
        let judged = JudgedDoc::new(text.as_bytes(), out);
        assert!(
            judged
                .replay(b"Other text\n", None, &mut Vec::new())
                .is_none()
        );
    }

    /// A paragraph taken out as a copy of a document that went whole comes back, with the blank
    /// line tidied away after it; copies of documents that stay remain out.
    #[test]
    fn copies_of_removed_documents_stay() {
        use crate::report::Summary;
        let text = b"Kept line.\nA copied paragraph.\n\nAnother copy.\n\nThe end.\n";
        let copy = |line: u64, offset: u64, len: u64, first_order: u64| {
            let reason = Reason::DuplicateContent {
                of_document: None,
                first_order,
            };
            Removal::located(line, offset, len, reason)
        };
        let blank = |line: u64, offset: u64, after_line: u64| {
            Removal::located(line, offset, 1, Reason::BlankTidy { after_line })
        };
        let removals = vec![
            copy(2, 11, 20, 7),
            blank(3, 31, 2),
            copy(4, 32, 14, 9),
            blank(5, 46, 4),
        ];
        let mut summary = Summary {
            lines_in: 6,
            bytes_in: text.len() as u64,
            lines_out: 2,
            bytes_out: 20,
            ..Summary::default()
        };
        for r in &removals {
            summary.count_removal(&r.reason, r.len);
        }
        let outcome = Outcome {
            summary,
            removals,
            oversized: Vec::new(),
            kept_keys_hash: 0,
            site_keys: Vec::new(),
        };
        let judged = JudgedDoc::new(text, outcome);
        let mut cleaned = Vec::new();
        let removed = HashSet::from([7]);
        let doc = judged.replay(text, Some(&removed), &mut cleaned).unwrap();
        assert_eq!(cleaned, b"Kept line.\nA copied paragraph.\n\nThe end.\n");
        assert_eq!(doc.removals.len(), 2);
        assert_eq!(doc.removals[0].text, "Another copy.");
        assert_eq!(doc.summary.lines_removed, 2);
        assert_eq!(doc.summary.bytes_removed, 15);
        assert_eq!(doc.summary.lines_out, 4);
        assert_eq!(doc.summary.by_reason["duplicate_content"].lines, 1);
        assert_eq!(doc.summary.by_reason["blank_tidy"].bytes, 1);
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
