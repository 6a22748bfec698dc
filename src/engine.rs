//! The streaming engine: takes one document's lines in order, asks the detectors, and decides
//! each line — kept (written to the sink as its own bytes) or removed (recorded with its reason).
//!
//! Lines wait in a window until enough of what follows is known: `lookahead` non-blank lines
//! (so a title repeated a few lines below can be seen), or, for the first item of a list run,
//! the end of the run plus `title_span` lines (so the block detector sees the whole run and the
//! title after it). The window is capped at `max_pending_lines`; past that the front is decided
//! with the evidence at hand. Line bytes and keys live in two byte arenas that are compacted as
//! the window moves, so no line costs an allocation, and memory grows only with what the
//! detectors remember: one table entry per distinct kept line and a fixed near-repeat window.
//!
//! The order of questions for a non-blank line is: oversized (kept as is) → a verdict set
//! earlier by the block or title detector → noise → a list under an announcing header → phrase
//! → menu name → site boilerplate → repeated paragraph (crawl) → duplicated title → exact repeat
//! → near repeat → menu block → timestamp → small-site template → keep. Only kept lines are remembered, so nothing is ever removed as a repeat of a line the
//! reader no longer sees.
//!
//! *Body context* protects article text from the repeat detectors: a line is in body context
//! when it, or one of the [`BODY_CONTEXT`] non-blank lines on either side, is running text. A
//! later copy in body context is not removed as a repeat of a first copy that was not (the
//! article's heading stays when a menu named it first), and near repeats are only removed
//! outside body context: inside an article, two similar lines (captions of two photos, "What X
//! does well" and "What X doesn't do well") are two pieces of content. Near repeats also need
//! prose on both sides ([`LineFeatures::is_prose`]): similar lines of code, URLs and table rows
//! differ in exactly the characters that matter. And when the page's layout is known, a near
//! repeat inside its main text stays (a reply quoting the question), as does a separator-only
//! line there (a section break).

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Write};

use crate::config::Config;
use crate::detect::block::{self, BlockRef, RunItem};
use crate::detect::exact::ExactRepeats;
use crate::detect::layout::{self, LineShape};
use crate::detect::menu::{self, MENU_CONTEXT, MenuNames};
use crate::detect::near::NearRepeats;
use crate::detect::noise::{self, NUMERIC_CONTEXT, Shape};
use crate::detect::phrase::{PhraseSet, RuleKind};
use crate::detect::site::{CrossDoc, SiteRules, is_site_boilerplate};
use crate::detect::title::{self, Copy};
use crate::normalize::{KeyBuilder, LineFeatures};
use crate::profile::counts_for_site;
use crate::report::{Reason, Removal, Summary};

/// Link titles under an announcing header weigh at least this…
pub const MIN_LINK_TITLE_WEIGHT: u32 = 12;
/// …and at most this.
pub const MAX_LINK_TITLE_WEIGHT: u32 = 200;
/// At most this many lines go under one announcing header: a portal's "most read" column runs
/// to a hundred headlines and more, but no list goes on for ever.
pub const MAX_ANNOUNCED_ITEMS: usize = 200;

/// An open "Related articles" list.
#[derive(Debug)]
struct Announced {
    line: u64,
    phrase: String,
    left: usize,
    /// The header came after the article's first running-text line, so headlines that hold
    /// sentence punctuation count as entries (see [`is_list_entry`]).
    after_text: bool,
}

/// How many non-blank lines on either side make a line's body context.
pub const BODY_CONTEXT: usize = 1;

/// What cleaning one document produced besides the kept text.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Outcome {
    /// Totals.
    pub summary: Summary,
    /// Removed lines in input order.
    pub removals: Vec<Removal>,
    /// Line numbers of oversized lines.
    pub oversized: Vec<u64>,
    /// A hash of the sequence of the kept lines' keys (lines without a key left out): equal for
    /// documents whose kept text differs only in whitespace, case or markup. Oversized lines are
    /// not analysed, so they are left out too (see `oversized`).
    pub kept_keys_hash: u64,
    /// The masked key hash ([`crate::normalize::LineFeatures::masked_hash`]) of each line
    /// removed as site boilerplate, in the order of `removals`: what the crawl summary counts
    /// those lines by, without analysing them again.
    pub site_keys: Vec<u64>,
}

/// The start of [`Outcome::kept_keys_hash`].
pub const KEPT_KEYS_SEED: u64 = 0x9AE1_6A3B_2F90_404F;

/// Adds one line key's hash to a sequence hash started at [`KEPT_KEYS_SEED`].
pub fn mix_key_hash(h: u64, key_hash: u64) -> u64 {
    (h ^ key_hash)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(27)
}

/// Bytes of the window, addressed by absolute position so compaction never moves an address.
#[derive(Debug, Default)]
struct Arena {
    buf: Vec<u8>,
    base: u64,
}

impl Arena {
    fn push(&mut self, bytes: &[u8]) -> u64 {
        let at = self.base + self.buf.len() as u64;
        self.buf.extend_from_slice(bytes);
        at
    }

    fn get(&self, at: u64, len: usize) -> &[u8] {
        let start = (at - self.base) as usize;
        &self.buf[start..start + len]
    }

    /// Forgets everything before `at` once that is worth a copy ([`releasable`]).
    fn release_before(&mut self, at: u64) {
        if let Some(n) = releasable(self.base, self.buf.len(), at) {
            self.buf.drain(..n);
            self.base = at;
        }
    }
}

/// How many leading bytes an arena whose first byte has address `base` and which holds `len`
/// bytes drops to forget everything before `at` — only once that is worth the copy: at least
/// 64 KiB, and at least half of what it holds.
fn releasable(base: u64, len: usize, at: u64) -> Option<usize> {
    let n = (at - base) as usize;
    (n >= 1 << 16 && n * 2 >= len).then_some(n)
}

/// The keys of the lines in the window, addressed as in [`Arena`]. Keys are text, so they are
/// kept in a `String` and read back without checking their UTF-8 again.
#[derive(Debug, Default)]
struct KeyArena {
    buf: String,
    base: u64,
}

impl KeyArena {
    fn push(&mut self, key: &str) -> u64 {
        let at = self.base + self.buf.len() as u64;
        self.buf.push_str(key);
        at
    }

    fn get(&self, at: u64, len: usize) -> &str {
        let start = (at - self.base) as usize;
        &self.buf[start..start + len]
    }

    /// As [`Arena::release_before`].
    fn release_before(&mut self, at: u64) {
        if let Some(n) = releasable(self.base, self.buf.len(), at) {
            self.buf.drain(..n);
            self.base = at;
        }
    }
}

/// A verdict reached before a line's turn (by the block or title detector).
#[derive(Debug, Clone)]
enum Verdict {
    /// Boxed: verdicts are rare, and every line's slot holds room for one.
    Remove(Box<Reason>),
    KeepTitle,
}

#[derive(Debug)]
struct Slot {
    line: u64,
    offset: u64,
    at: u64,
    len: usize,
    eol_len: usize,
    key_at: u64,
    key_len: usize,
    feat: LineFeatures,
    oversized: bool,
    shape: Shape,
    /// Non-blank lines pushed up to and including this one.
    seq: u64,
    /// The phrase rule that matched, by index (`u32`: the slot stays small).
    phrase: Option<u32>,
    menu_name: bool,
    /// A menu printed on one line ([`MenuNames::menu_row`]): its items.
    menu_row: Option<u16>,
    verdict: Option<Verdict>,
    run_checked: bool,
    /// Part of a menu block, when the layout found one here: its index in `menu_blocks`.
    menu_block: Option<u32>,
    /// Part of a small site's template, found by the layout pass: documents holding it.
    shared_template: Option<u32>,
    /// A timestamp away from the main text, found by the layout pass.
    timestamp: bool,
}

impl Slot {
    /// The line's key, kept in the engine's key arena.
    fn key<'k>(&self, keys: &'k KeyArena) -> &'k str {
        keys.get(self.key_at, self.key_len)
    }
}

/// What an engine allocates as it goes — its key builder, arenas, window, repeat tables — handed
/// from one document's engine to the next ([`Engine::finish_reusing`], [`Engine::reusing`]), so
/// a worker cleaning many small documents does not grow the same tables again for each.
#[derive(Debug, Default)]
pub struct Buffers {
    kb: KeyBuilder,
    rows: RowCache,
    bytes: Vec<u8>,
    keys: String,
    pending: VecDeque<Slot>,
    closers: VecDeque<u64>,
    exact: Option<ExactRepeats>,
    near: Option<NearRepeats>,
    key_scratch: String,
}

/// Cleans one document fed line by line. Create one per document (from the last one's
/// [`Buffers`], where there was one); an engine is not reused.
pub struct Engine<'a> {
    cfg: &'a Config,
    phrases: &'a PhraseSet,
    cross: Option<CrossDoc<'a>>,
    site: &'a str,
    kb: KeyBuilder,
    rows: RowCache,
    bytes: Arena,
    keys: KeyArena,
    pending: VecDeque<Slot>,
    closers: VecDeque<u64>,
    next_line: u64,
    next_offset: u64,
    pushed_nonblank: u64,
    exact: ExactRepeats,
    near: NearRepeats,
    decided_nonblank: u64,
    body_started: bool,
    recent_numeric: VecDeque<bool>,
    recent_body: VecDeque<bool>,
    /// (menu or furniture, running text) of the last `MENU_CONTEXT` non-blank lines.
    recent_furniture: VecDeque<(bool, bool)>,
    doc_title: Option<u64>,
    announced: Option<Announced>,
    gap_removed: bool,
    gap_blank_kept: bool,
    any_kept: bool,
    last_removed: u64,
    key_scratch: String,
    /// The document's first non-blank line and its weight: in a page dump, its `<title>`. A
    /// later line that resembles it but is shorter by a site name (6 in weight) is the article's
    /// heading, never a near repeat to remove.
    first_text_line: Option<(u64, u32)>,
    /// The menu-block layout has been worked out (or given up on) for this document.
    layout_done: bool,
    /// `finish` has been called: the window holds the rest of the document.
    finishing: bool,
    /// The menu blocks found, as the reasons their lines carry.
    menu_blocks: Vec<Reason>,
    /// The main text's first and last line, once the layout pass found it.
    main_text: Option<[u64; 2]>,
    out: Outcome,
    /// Removals carry their text (see [`Engine::without_removed_text`]).
    removed_text: bool,
}

impl<'a> Engine<'a> {
    /// An engine for one document whose first line starts at byte `start_offset` (3 after a BOM).
    pub fn new(cfg: &'a Config, phrases: &'a PhraseSet, start_offset: u64) -> Self {
        Self::reusing(cfg, phrases, start_offset, Buffers::default())
    }

    /// [`Engine::new`] with the buffers an earlier engine gave back from
    /// [`Engine::finish_reusing`]: emptied, they keep what they had grown to.
    pub fn reusing(
        cfg: &'a Config,
        phrases: &'a PhraseSet,
        start_offset: u64,
        buffers: Buffers,
    ) -> Self {
        let Buffers {
            kb,
            rows,
            mut bytes,
            mut keys,
            mut pending,
            mut closers,
            exact,
            near,
            mut key_scratch,
        } = buffers;
        bytes.clear();
        keys.clear();
        pending.clear();
        closers.clear();
        key_scratch.clear();
        let exact = match exact {
            Some(mut table) => {
                table.reset(cfg.max_distinct_lines);
                table
            }
            None => ExactRepeats::new(cfg.max_distinct_lines),
        };
        let near = match near {
            Some(mut window) => {
                window.reset(cfg.near_window, cfg.near_threshold);
                window
            }
            None => NearRepeats::new(cfg.near_window, cfg.near_threshold),
        };
        Engine {
            cfg,
            phrases,
            cross: None,
            site: "",
            kb,
            rows,
            bytes: Arena {
                buf: bytes,
                base: 0,
            },
            keys: KeyArena { buf: keys, base: 0 },
            pending,
            closers,
            next_line: 1,
            next_offset: start_offset,
            pushed_nonblank: 0,
            exact,
            near,
            decided_nonblank: 0,
            body_started: false,
            recent_numeric: VecDeque::with_capacity(NUMERIC_CONTEXT + 1),
            recent_body: VecDeque::with_capacity(BODY_CONTEXT + 1),
            recent_furniture: VecDeque::with_capacity(MENU_CONTEXT + 1),
            doc_title: None,
            announced: None,
            gap_removed: false,
            gap_blank_kept: false,
            any_kept: false,
            last_removed: 0,
            key_scratch,
            first_text_line: None,
            removed_text: true,
            layout_done: !cfg.detectors.menu_blocks,
            finishing: false,
            menu_blocks: Vec::new(),
            main_text: None,
            out: Outcome {
                kept_keys_hash: KEPT_KEYS_SEED,
                ..Outcome::default()
            },
        }
    }

    /// Gives the engine cross-document evidence: the profile view of this document and the
    /// name of its site (for the report).
    pub fn with_cross(mut self, cross: CrossDoc<'a>, site: &'a str) -> Self {
        self.cross = Some(cross);
        self.site = site;
        self
    }

    /// Records removals by place and reason only ([`Removal::located`]), without their text: for
    /// a caller that replays them against the document later and would drop the text anyway.
    pub fn without_removed_text(mut self) -> Self {
        self.removed_text = false;
        self
    }

    /// Documents of the site holding this line, when that makes it site boilerplate.
    fn site_frequent(&self, f: &LineFeatures) -> Option<u32> {
        let cx = self.cross.as_ref()?;
        if !self.cfg.detectors.site || !counts_for_site(&f.key_features()) {
            return None;
        }
        cx.site_frequent(f.masked_hash)
    }

    /// Feeds one line, ending included (`\n`, `\r\n`, or none for the last line), and writes
    /// every line that can now be decided and is kept to `sink`.
    pub fn push<W: Write + ?Sized>(&mut self, line: &[u8], sink: &mut W) -> io::Result<()> {
        self.push_line(line, None, sink)
    }

    /// [`Engine::push`] for a line of a document already known to be text: its UTF-8 is not
    /// checked again.
    pub fn push_str<W: Write + ?Sized>(&mut self, line: &str, sink: &mut W) -> io::Result<()> {
        self.push_line(line.as_bytes(), Some(line), sink)
    }

    /// Feeds one line; `text` is the same line as text, when the caller has checked it.
    fn push_line<W: Write + ?Sized>(
        &mut self,
        line: &[u8],
        text: Option<&str>,
        sink: &mut W,
    ) -> io::Result<()> {
        let eol_len = if line.ends_with(b"\r\n") {
            2
        } else if line.ends_with(b"\n") {
            1
        } else {
            0
        };
        let content = &line[..line.len() - eol_len];
        let oversized = line.len() > self.cfg.max_line_bytes;
        let (feat, phrase, shape, menu_row) = if oversized {
            (LineFeatures::default(), None, Shape::Other, None)
        } else {
            // The line ending is ASCII: what is left of `text` is `content`.
            let text = match text {
                Some(t) => Cow::Borrowed(&t[..content.len()]),
                None => String::from_utf8_lossy(content),
            };
            let feat = self.kb.analyze_str(&text);
            let phrase = if self.cfg.detectors.phrases {
                self.phrases
                    .find(self.kb.key(), self.kb.masked(), &feat)
                    .and_then(|i| u32::try_from(i).ok())
            } else {
                None
            };
            let shape = if feat.is_empty_key() || feat.is_numeric() {
                noise::shape(text.trim())
            } else {
                Shape::Other
            };
            // Separators are punctuation: a line without two marks is no row.
            let menu_row = (self.cfg.detectors.menu && !feat.is_body() && feat.punct_chars >= 2)
                .then(|| self.rows.menu_row(&text, self.phrases))
                .flatten();
            (feat, phrase, shape, menu_row)
        };
        if !feat.blank {
            self.pushed_nonblank += 1;
            self.first_text_line
                .get_or_insert((self.next_line, feat.weight));
        }
        let at = self.bytes.push(line);
        let key_at = self.keys.push(self.kb.key());
        let key_len = if oversized { 0 } else { self.kb.key().len() };
        let slot = Slot {
            line: self.next_line,
            offset: self.next_offset,
            at,
            len: line.len(),
            eol_len,
            key_at,
            key_len,
            feat,
            oversized,
            shape,
            seq: self.pushed_nonblank,
            phrase,
            menu_name: self.cfg.detectors.menu
                && !oversized
                && (MenuNames::shared().is_menu_name(&feat) || menu_row.is_some()),
            menu_row,
            verdict: None,
            run_checked: false,
            menu_block: None,
            shared_template: None,
            timestamp: false,
        };
        if !slot.feat.blank && !self.is_list_item(&slot) {
            self.closers.push_back(slot.seq);
        }
        self.next_line += 1;
        self.next_offset += line.len() as u64;
        self.out.summary.lines_in += 1;
        self.out.summary.bytes_in += line.len() as u64;
        self.pending.push_back(slot);
        while self.front_ready() {
            self.decide_front(sink)?;
        }
        Ok(())
    }

    /// Starts streaming an oversized line straight through: decides every waiting line (with
    /// the lookahead there is) and writes `head`, the line's first bytes. The caller copies the
    /// rest of the line to the sink and then calls [`Engine::end_passthrough`].
    pub fn begin_passthrough<W: Write + ?Sized>(
        &mut self,
        head: &[u8],
        sink: &mut W,
    ) -> io::Result<()> {
        while !self.pending.is_empty() {
            self.decide_front(sink)?;
        }
        sink.write_all(head)
    }

    /// Accounts for an oversized line of `len` bytes that went straight through: kept untouched,
    /// counted in the report, and a non-blank, non-text neighbour for the lines around it.
    pub fn end_passthrough(&mut self, len: u64) {
        let line = self.next_line;
        self.next_line += 1;
        self.next_offset += len;
        self.pushed_nonblank += 1;
        let s = &mut self.out.summary;
        s.lines_in += 1;
        s.bytes_in += len;
        s.lines_out += 1;
        s.bytes_out += len;
        s.oversized_lines += 1;
        self.out.oversized.push(line);
        self.any_kept = true;
        self.gap_removed = false;
        self.gap_blank_kept = false;
        self.decided_nonblank += 1;
        push_bounded(&mut self.recent_numeric, false, NUMERIC_CONTEXT);
        push_bounded(&mut self.recent_body, false, BODY_CONTEXT);
        if self.recent_furniture.len() == MENU_CONTEXT {
            self.recent_furniture.pop_front();
        }
        self.recent_furniture.push_back((false, false));
    }

    /// Decides every line still waiting and returns what was removed.
    pub fn finish<W: Write + ?Sized>(self, sink: &mut W) -> io::Result<Outcome> {
        self.finish_reusing(sink).map(|(outcome, _)| outcome)
    }

    /// [`Engine::finish`], giving back the engine's buffers for the next document's engine
    /// ([`Engine::reusing`]).
    pub fn finish_reusing<W: Write + ?Sized>(
        mut self,
        sink: &mut W,
    ) -> io::Result<(Outcome, Buffers)> {
        self.finishing = true;
        while !self.pending.is_empty() {
            self.decide_front(sink)?;
        }
        self.out.summary.history_full = self.exact.is_full();
        let buffers = Buffers {
            kb: self.kb,
            rows: self.rows,
            bytes: self.bytes.buf,
            keys: self.keys.buf,
            pending: self.pending,
            closers: self.closers,
            exact: Some(self.exact),
            near: Some(self.near),
            key_scratch: self.key_scratch,
        };
        Ok((self.out, buffers))
    }

    /// A line that can belong to a list run: it has a list marker, or is cut short with an
    /// ellipsis (teasers are printed without markers).
    fn is_list_item(&self, s: &Slot) -> bool {
        (s.feat.marker.is_some() || s.feat.truncated)
            && !s.oversized
            && s.feat.weight <= self.cfg.max_block_item_weight
    }

    fn front_ready(&mut self) -> bool {
        let Some(front) = self.pending.front() else {
            return false;
        };
        if self.pending.len() >= self.cfg.max_pending_lines {
            return true;
        }
        if !self.layout_done {
            // The menu-block layout needs the whole document.
            return false;
        }
        if self.cfg.detectors.blocks && self.is_list_item(front) && !front.run_checked {
            while self.closers.front().is_some_and(|&c| c <= front.seq) {
                self.closers.pop_front();
            }
            return match self.closers.front() {
                Some(&c) => self.pushed_nonblank - c >= self.cfg.title_span as u64,
                None => false,
            };
        }
        self.pushed_nonblank - front.seq >= self.cfg.lookahead as u64
    }

    fn key_of(&self, s: &Slot) -> &str {
        s.key(&self.keys)
    }

    fn decide_front<W: Write + ?Sized>(&mut self, sink: &mut W) -> io::Result<()> {
        if !self.layout_done {
            self.layout_done = true;
            if self.finishing {
                self.apply_layout();
            } else {
                self.out.summary.layout_skipped = 1;
            }
        }
        if let Some(front) = self.pending.front()
            && self.cfg.detectors.blocks
            && self.is_list_item(front)
            && !front.run_checked
        {
            self.evaluate_run();
        }
        let Some(mut slot) = self.pending.pop_front() else {
            return Ok(());
        };
        while self.closers.front().is_some_and(|&c| c <= slot.seq) {
            self.closers.pop_front();
        }
        let decision = self.judge(&mut slot);
        let bytes = self.bytes.get(slot.at, slot.len);
        match decision {
            None => {
                sink.write_all(bytes)?;
                self.out.summary.lines_out += 1;
                self.out.summary.bytes_out += slot.len as u64;
                if slot.feat.key_chars > 0 {
                    self.out.kept_keys_hash = mix_key_hash(self.out.kept_keys_hash, slot.feat.hash);
                }
                if slot.feat.blank {
                    self.gap_blank_kept = true;
                } else {
                    self.any_kept = true;
                    self.gap_removed = false;
                    self.gap_blank_kept = false;
                }
            }
            Some(reason) => {
                self.out.summary.count_removal(&reason, slot.len as u64);
                if matches!(reason, Reason::SiteBoilerplate { .. }) {
                    self.out.site_keys.push(slot.feat.masked_hash);
                }
                let removal = if self.removed_text {
                    Removal::new(slot.line, slot.offset, bytes, slot.eol_len, reason)
                } else {
                    Removal::located(slot.line, slot.offset, bytes.len() as u64, reason)
                };
                self.out.removals.push(removal);
                if !slot.feat.blank {
                    self.gap_removed = true;
                    self.last_removed = slot.line;
                }
            }
        }
        if !slot.feat.blank {
            self.decided_nonblank += 1;
            push_bounded(
                &mut self.recent_numeric,
                slot.feat.is_numeric(),
                NUMERIC_CONTEXT,
            );
            push_bounded(&mut self.recent_body, slot.feat.is_body(), BODY_CONTEXT);
            let kind = (slot.menu_name || slot.phrase.is_some(), slot.feat.is_body());
            if self.recent_furniture.len() == MENU_CONTEXT {
                self.recent_furniture.pop_front();
            }
            self.recent_furniture.push_back(kind);
        }
        self.bytes.release_before(slot.at + slot.len as u64);
        self.keys.release_before(slot.key_at + slot.key_len as u64);
        Ok(())
    }

    /// The one place a line's fate is decided: `None` keeps it.
    fn judge(&mut self, slot: &mut Slot) -> Option<Reason> {
        if slot.feat.blank {
            let tidy = self.cfg.detectors.tidy_blanks
                && self.gap_removed
                && (!self.any_kept || self.gap_blank_kept);
            return tidy.then_some(Reason::BlankTidy {
                after_line: self.last_removed,
            });
        }
        if slot.oversized {
            self.out.oversized.push(slot.line);
            self.out.summary.oversized_lines += 1;
            return None;
        }
        match slot.verdict.take() {
            Some(Verdict::Remove(reason)) => return Some(*reason),
            Some(Verdict::KeepTitle) => {
                self.remember(slot);
                return None;
            }
            None => {}
        }
        let mut key = std::mem::take(&mut self.key_scratch);
        key.clear();
        // Running text after the body has started needs no key text: repeats are found by hash,
        // and the title, noise and near-repeat detectors never look at it. Most lines are such.
        if !(slot.feat.is_body() && self.body_started) {
            key.push_str(self.key_of(slot));
        }
        let reason = self.detect(slot, &key);
        if reason.is_none() {
            self.remember_key(slot, &key);
        }
        self.key_scratch = key;
        reason
    }

    fn detect(&mut self, slot: &Slot, key: &str) -> Option<Reason> {
        let f = &slot.feat;
        let d = self.cfg.detectors;
        if d.noise {
            let ctx = noise::Context {
                in_header: !self.body_started,
                numbers_nearby: f.is_numeric() && self.numeric_nearby(),
                in_main_text: self.in_main_text(slot),
            };
            if let Some(kind) = noise::classify(f, key, slot.shape, ctx) {
                return Some(Reason::Noise { kind });
            }
        }
        if let Some(header) = &mut self.announced {
            // Under a "Related articles" header the entries go (see `is_list_entry`). Any other
            // line ends the list — unless it is a short line (a sub-header such as "Today", a
            // teaser's date) with an entry right after it, or a notice a phrase rule removes
            // anyway (`We use cookies.` between the headlines).
            let after_text = header.after_text;
            let short = !f.is_body() && f.weight < MIN_LINK_TITLE_WEIGHT && !f.label;
            let in_list = is_list_entry(f, after_text)
                || (short
                    && self
                        .pending
                        .iter()
                        .find(|s| !s.feat.blank)
                        .is_some_and(|s| is_list_entry(&s.feat, after_text)));
            if in_list && header.left > 0 {
                header.left -= 1;
                return Some(Reason::AnnouncedBlock {
                    header_line: header.line,
                    phrase: header.phrase.clone(),
                });
            }
            let notice = slot.phrase.is_some_and(|i| {
                matches!(
                    self.phrases.rule(i as usize).kind,
                    RuleKind::Line | RuleKind::Start | RuleKind::Contains
                )
            });
            if !notice {
                self.announced = None;
            }
        }
        if let Some(i) = slot.phrase {
            let rule = self.phrases.rule(i as usize);
            if rule.kind == RuleKind::Block {
                self.announced = Some(Announced {
                    line: slot.line,
                    phrase: rule.pattern.clone(),
                    left: MAX_ANNOUNCED_ITEMS,
                    after_text: self.body_started,
                });
            }
            return Some(Reason::BoilerplatePhrase {
                phrase: rule.pattern.clone(),
                rule: rule.kind,
                source: rule.source.clone(),
            });
        }
        if d.menu && slot.menu_name {
            // A menu is a run: running text on either side ends it.
            let before = self
                .recent_furniture
                .iter()
                .rev()
                .take_while(|(_, body)| !body)
                .filter(|(furniture, _)| *furniture)
                .count();
            let after = self
                .pending
                .iter()
                .filter(|s| !s.feat.blank)
                .take(MENU_CONTEXT)
                .take_while(|s| !s.feat.is_body())
                .filter(|s| s.menu_name || s.phrase.is_some())
                .count();
            let neighbours = before + after;
            let row_items = slot.menu_row.map(usize::from);
            if row_items.is_some() || menu::is_menu_line(true, neighbours) {
                return Some(Reason::Menu {
                    neighbours,
                    row_items,
                });
            }
        }
        if let Some(docs) = self.site_frequent(f) {
            return Some(Reason::SiteBoilerplate {
                site: self.site.to_string(),
                docs,
                site_docs: self.cross.map_or(0, |c| c.site_docs()),
                main_text_first_line: None,
                main_text_last_line: None,
            });
        }
        if d.duplicate_content
            && f.is_body()
            && let Some(first_order) = self.cross.and_then(|c| c.duplicate_of(f.hash))
        {
            return Some(Reason::DuplicateContent {
                of_document: None,
                first_order,
            });
        }
        if d.title
            && let Some(reason) = self.check_title(slot, key)
        {
            return reason;
        }
        let repeatable = f.weight >= self.cfg.min_repeat_weight && !f.label;
        if !repeatable {
            return self
                .menu_block_of(slot)
                .or_else(|| self.timestamp_of(slot))
                .or_else(|| self.shared_template_of(slot));
        }
        let in_body = self.in_body_context(slot);
        if d.exact
            && let Some(first) = self.exact.first_copy(exact_key(f))
            && (first.in_body || !in_body)
        {
            return Some(Reason::DuplicateLine {
                of_line: first.line,
                block: None,
            });
        }
        if d.near
            && !in_body
            && !self.in_main_text(slot)
            && f.is_prose()
            && f.weight >= self.cfg.near_min_weight
            && let Some(m) = self.near.find(key, f)
            && !self
                .first_text_line
                .is_some_and(|(line, weight)| m.line == line && f.weight + 6 <= weight)
        {
            return Some(Reason::NearDuplicateLine {
                of_line: m.line,
                similarity: m.similarity,
            });
        }
        // Last: a menu block takes what no more specific detector explained.
        self.menu_block_of(slot)
            .or_else(|| self.timestamp_of(slot))
            .or_else(|| self.shared_template_of(slot))
    }

    fn timestamp_of(&self, slot: &Slot) -> Option<Reason> {
        let [first, last] = self.main_text?;
        slot.timestamp.then_some(Reason::Timestamp {
            main_text_first_line: first,
            main_text_last_line: last,
        })
    }

    fn shared_template_of(&self, slot: &Slot) -> Option<Reason> {
        slot.shared_template.map(|docs| Reason::SiteBoilerplate {
            site: self.site.to_string(),
            docs,
            site_docs: self.cross.map_or(0, |c| c.site_docs()),
            main_text_first_line: self.main_text.map(|t| t[0]),
            main_text_last_line: self.main_text.map(|t| t[1]),
        })
    }

    fn menu_block_of(&self, slot: &Slot) -> Option<Reason> {
        slot.menu_block
            .and_then(|i| self.menu_blocks.get(i as usize).cloned())
    }

    /// Works out the main text and the menu blocks of the whole document in the window and
    /// marks their lines. The page's first line, and lines whose text is part of it, are the
    /// title detector's business and are left alone.
    fn apply_layout(&mut self) {
        let first = self.pending.iter().find(|s| !s.feat.blank);
        let first_line = first.map(|s| s.line);
        let first_key = first.map_or("", |s| self.key_of(s));
        let p = &self.cfg.menu_blocks;
        let stamps = self.cfg.detectors.timestamps && p.timestamp_margin.is_some();
        let max_loose_weight = p.max_link_weight.max(p.long_loose_max_weight.unwrap_or(0));
        let shapes: Vec<LineShape> = self
            .pending
            .iter()
            .map(|s| {
                let line = self.bytes.get(s.at, s.len - s.eol_len);
                // Only short lines can be items or headlines: the text checks run on those alone.
                let text = (!s.oversized && !s.feat.blank && s.feat.weight <= max_loose_weight)
                    .then(|| std::str::from_utf8(line).ok())
                    .flatten();
                let item_like =
                    text.is_some_and(|t| layout::is_menu_item(t, &s.feat, p.max_link_weight));
                let loose = !item_like
                    && !s.feat.is_body()
                    && text.is_some_and(|t| layout::is_loose_item(t, &s.feat, max_loose_weight));
                let stamp = stamps
                    && s.feat.digits > 0
                    && text.is_some_and(crate::detect::timestamp::is_timestamp);
                LineShape {
                    // A line without a letter or a digit between a menu's items — separator
                    // signs (`›‹`, `|`), an icon (`×`, `☰`), invisible characters — breaks no
                    // run.
                    blank: s.feat.blank || s.feat.is_letterless(),
                    // The title line is running text only if it ends a sentence: a page title
                    // with a question in it and a site name after is no paragraph.
                    body: !s.oversized
                        && s.feat.is_body()
                        && !layout::is_markup(line)
                        && (Some(s.line) != first_line || s.feat.sentence_end),
                    weight: s.feat.weight,
                    item: item_like && s.feat.weight <= p.max_item_weight,
                    link: item_like && s.feat.weight > p.max_item_weight,
                    // The title line, and any part of it given alone (the heading, the site's
                    // name): in doubt, the line stays.
                    protected: Some(s.line) == first_line
                        || ((item_like || loose) && is_title_part(self.key_of(s), first_key)),
                    label: s.feat.label,
                    ends_text: s.phrase.is_some_and(|i| {
                        matches!(
                            self.phrases.rule(i as usize).kind,
                            RuleKind::End | RuleKind::Block
                        )
                    }),
                    sentence: !s.oversized && layout::is_short_sentence(&s.feat),
                    notice: s.phrase.is_some(),
                    hash: s.feat.hash,
                    stamp,
                    loose,
                    digits: s.feat.digits > 0,
                }
            })
            .collect();
        let found = layout::find(&shapes, &self.cfg.menu_blocks);
        let Some((text_first, text_last)) = found.main_text else {
            return;
        };
        if let Some(cx) = self.cross.filter(|_| self.cfg.detectors.site) {
            let first_key = first_key.to_string();
            self.mark_shared_template(cx, &shapes, &first_key, text_first, text_last);
        }
        let main_text_first_line = self.pending[text_first].line;
        let main_text_last_line = self.pending[text_last].line;
        self.main_text = Some([main_text_first_line, main_text_last_line]);
        for run in &found.runs {
            let index = self.menu_blocks.len() as u32;
            self.menu_blocks.push(Reason::MenuBlock {
                first_line: self.pending[run.first].line,
                last_line: self.pending[run.last].line,
                items: run.items,
                side: run.side,
                main_text_first_line,
                main_text_last_line,
            });
            let slots = self.pending.range_mut(run.first..=run.last);
            for (slot, shape) in slots.zip(&shapes[run.first..=run.last]) {
                if !shape.blank && !shape.protected {
                    slot.menu_block = Some(index);
                }
            }
        }
        for &i in &found.stamps {
            self.pending[i].timestamp = true;
        }
    }

    /// Marks the lines of a small site's template: lines outside the main text that another
    /// document of the site holds too (2 documents, at the site rule's share), which no article
    /// sentence is. The [`SHARED_MARGIN`] lines nearest the text stay, as do lines with digits
    /// (dates, counts: their masked key matches any other date), the title line and its parts.
    /// With [`layout::Params::shared_inner_min_items`], long enough runs of such link-like
    /// lines inside the text go too.
    fn mark_shared_template(
        &mut self,
        cx: CrossDoc<'_>,
        shapes: &[LineShape],
        title_key: &str,
        first: usize,
        last: usize,
    ) {
        let rules = SiteRules {
            min_docs: 2,
            ..self.cfg.site_rules()
        };
        let keys = &self.keys;
        let shared = |slot: &Slot, shape: &LineShape| {
            if shape.protected
                || slot.feat.digits > 0
                || !counts_for_site(&slot.feat.key_features())
            {
                return None;
            }
            let docs = cx.line_docs(slot.feat.masked_hash);
            // Any part of the title line stays, item or not (checked only for shared lines).
            let key = slot.key(keys);
            (is_site_boilerplate(docs, cx.site_docs(), rules) && !is_title_part(key, title_key))
                .then_some(docs)
        };
        let outward = [
            (0..first).rev().collect::<Vec<_>>(),
            (last + 1..self.pending.len()).collect(),
        ];
        for side in outward {
            let nonblank = side.into_iter().filter(|&i| !self.pending[i].feat.blank);
            for i in nonblank.collect::<Vec<_>>().into_iter().skip(SHARED_MARGIN) {
                if let Some(docs) = shared(&self.pending[i], &shapes[i]) {
                    self.pending[i].shared_template = Some(docs);
                }
            }
        }
        let Some(min_items) = self.cfg.menu_blocks.shared_inner_min_items else {
            return;
        };
        // Runs of shared link-like lines inside the text; blank lines neither join nor break.
        let flush = |pending: &mut VecDeque<Slot>, run: &mut Vec<(usize, u32)>| {
            if run.len() >= min_items {
                for &(i, docs) in run.iter() {
                    pending[i].shared_template = Some(docs);
                }
            }
            run.clear();
        };
        let mut run = Vec::new();
        for (i, shape) in shapes.iter().enumerate().take(last + 1).skip(first) {
            let slot = &self.pending[i];
            if slot.feat.blank {
                continue;
            }
            match shared(slot, shape).filter(|_| shape.item || shape.link) {
                Some(docs) => run.push((i, docs)),
                None => flush(&mut self.pending, &mut run),
            }
        }
        flush(&mut self.pending, &mut run);
    }

    fn remember(&mut self, slot: &Slot) {
        let mut key = std::mem::take(&mut self.key_scratch);
        key.clear();
        key.push_str(self.key_of(slot));
        self.remember_key(slot, &key);
        self.key_scratch = key;
    }

    fn remember_key(&mut self, slot: &Slot, key: &str) {
        let f = &slot.feat;
        if f.is_body() {
            self.body_started = true;
        }
        if f.key_chars == 0 {
            return;
        }
        let in_body = self.in_body_context(slot);
        self.exact.remember(exact_key(f), slot.line, in_body);
        if self.cfg.detectors.near
            && !in_body
            && f.is_prose()
            && f.weight >= self.cfg.near_min_weight
            && !f.label
        {
            self.near.remember(key, f, slot.line);
        }
    }

    /// The line, or one of `BODY_CONTEXT` non-blank lines on either side, is running text.
    /// Whether the line lies between the first and last line of the main text (when the
    /// document's layout was worked out).
    fn in_main_text(&self, slot: &Slot) -> bool {
        self.main_text
            .is_some_and(|[first, last]| (first..=last).contains(&slot.line))
    }

    fn in_body_context(&self, slot: &Slot) -> bool {
        slot.feat.is_body()
            || self.recent_body.iter().any(|&b| b)
            || self
                .pending
                .iter()
                .filter(|s| !s.feat.blank)
                .take(BODY_CONTEXT)
                .any(|s| s.feat.is_body())
    }

    /// Another number-only line within `NUMERIC_CONTEXT` non-blank lines on either side.
    fn numeric_nearby(&self) -> bool {
        self.recent_numeric.iter().any(|&n| n)
            || self
                .pending
                .iter()
                .filter(|s| !s.feat.blank)
                .take(NUMERIC_CONTEXT)
                .any(|s| s.feat.is_numeric())
    }

    fn in_title_zone(&self) -> bool {
        !self.body_started && (self.decided_nonblank as usize) < self.cfg.title_zone
    }

    /// Looks ahead for another copy of this title-like line. `Some(None)` keeps this line as the
    /// title (its copy ahead is marked for removal); `Some(Some(r))` removes it.
    fn check_title(&mut self, slot: &Slot, key: &str) -> Option<Option<Reason>> {
        // A line of a menu block is a menu label, not a title, even when it is printed twice.
        if !self.in_title_zone() || !title::is_title_like(&slot.feat) || slot.menu_block.is_some() {
            return None;
        }
        let (rel, line_j) = self
            .find_title_copy(slot, key, 0)
            .or_else(|| self.find_heading_of_page_title(slot, key))?;
        let idx = self.pending.iter().position(|s| s.line == line_j)?;
        let other_feat = self.pending[idx].feat;
        match title::copy_to_remove(&slot.feat, &other_feat, rel) {
            Copy::First => {
                self.pending[idx].verdict = Some(Verdict::KeepTitle);
                self.doc_title = Some(other_feat.hash);
                Some(Some(Reason::DuplicateTitle {
                    kept_line: line_j,
                    relation: rel,
                    block: None,
                }))
            }
            Copy::Second => {
                self.pending[idx].verdict =
                    Some(Verdict::Remove(Box::new(Reason::DuplicateTitle {
                        kept_line: slot.line,
                        relation: rel,
                        block: None,
                    })));
                self.doc_title = Some(slot.feat.hash);
                Some(None)
            }
        }
    }

    /// The first title-like line in the window from index `from` on, within `title_span`
    /// non-blank lines and before running text, that is a copy of `slot`'s title.
    fn find_title_copy(
        &self,
        slot: &Slot,
        key: &str,
        from: usize,
    ) -> Option<(title::TitleRelation, u64)> {
        let mut seen = 0;
        for s in self.pending.iter().skip(from) {
            if s.feat.blank {
                continue;
            }
            seen += 1;
            if seen > self.cfg.title_span || s.feat.is_body() {
                return None;
            }
            // Two list items are not a title and its heading; two bullets repeating is for
            // the repeat detectors, with their stricter evidence.
            let both_items = slot.feat.marker.is_some() && s.feat.marker.is_some();
            if both_items
                || s.verdict.is_some()
                || s.menu_block.is_some()
                || s.oversized
                || !title::is_title_like(&s.feat)
            {
                continue;
            }
            if let Some(rel) = title::relation(key, &slot.feat, self.key_of(s), &s.feat) {
                return Some((rel, s.line));
            }
        }
        None
    }

    /// For the page's title line (`Headline | Site`, the document's first line) when the window
    /// holds the whole document: the article's heading, the same title without the site's name,
    /// anywhere in the title zone. Menus often stand between the two, past `title_span`. The
    /// title line goes and the heading stays ([`Copy::First`]).
    fn find_heading_of_page_title(
        &self,
        slot: &Slot,
        key: &str,
    ) -> Option<(title::TitleRelation, u64)> {
        let first_line = self.first_text_line.is_some_and(|(l, _)| l == slot.line);
        if !(self.finishing && first_line) {
            return None;
        }
        self.pending
            .iter()
            .filter(|s| !s.feat.blank)
            .take(self.cfg.title_zone)
            .filter(|s| s.verdict.is_none() && !s.oversized && title::is_title_like(&s.feat))
            .find_map(|s| {
                let rel = title::relation(key, &slot.feat, self.key_of(s), &s.feat)?;
                (rel == title::TitleRelation::SiteAffix && s.feat.weight < slot.feat.weight)
                    .then_some((rel, s.line))
            })
    }

    /// Judges the list run starting at the front of the window as one block.
    fn evaluate_run(&mut self) {
        let mut members = Vec::new();
        let mut blanks = 0;
        for (i, s) in self.pending.iter().enumerate() {
            if s.feat.blank {
                blanks += 1;
                if blanks > 1 {
                    break;
                }
                continue;
            }
            blanks = 0;
            if !self.is_list_item(s) || s.run_checked {
                break;
            }
            members.push(i);
        }
        for &i in &members {
            self.pending[i].run_checked = true;
        }
        if members.len() < self.cfg.min_block_items {
            return;
        }
        let after = members.last().map_or(0, |&i| i + 1);
        let title_zone = self.in_title_zone();
        let mut items = Vec::with_capacity(members.len());
        let mut title_copies = Vec::new();
        for &i in &members {
            let s = &self.pending[i];
            let key = self.key_of(s);
            let mut is_title = self.doc_title == Some(s.feat.hash) && !key.is_empty();
            if !is_title
                && title_zone
                && title::is_title_like(&s.feat)
                && let Some((rel, line)) = self.find_title_copy(s, key, after)
            {
                is_title = true;
                title_copies.push((i, rel, line));
            }
            items.push(RunItem {
                line: s.line,
                hash: s.feat.hash,
                repeatable: s.feat.weight >= self.cfg.min_repeat_weight && !s.feat.label,
                is_title,
                site_frequent: self.site_frequent(&s.feat).is_some(),
                truncated: s.feat.truncated,
            });
        }
        let Some(verdict) = block::evaluate(&items, self.cfg.min_block_items) else {
            return;
        };
        let blk: BlockRef = verdict.block;
        for (n, &i) in members.iter().enumerate() {
            let reason =
                if let Some(&(_, relation, kept_line)) = title_copies.iter().find(|t| t.0 == i) {
                    Reason::DuplicateTitle {
                        kept_line,
                        relation,
                        block: Some(blk),
                    }
                } else if let Some(of_line) = verdict.repeats[n] {
                    Reason::DuplicateLine {
                        of_line,
                        block: Some(blk),
                    }
                } else {
                    Reason::BoilerplateBlock { block: blk }
                };
            self.pending[i].verdict = Some(Verdict::Remove(Box::new(reason)));
        }
        for &(_, _, kept_line) in &title_copies {
            if let Some(s) = self.pending.iter_mut().find(|s| s.line == kept_line)
                && s.verdict.is_none()
            {
                s.verdict = Some(Verdict::KeepTitle);
                self.doc_title = Some(s.feat.hash);
            }
        }
    }
}

/// A line's key that is part of the title line's (4 characters at least): the heading, the
/// site's name. In doubt, such a line stays.
fn is_title_part(key: &str, title_key: &str) -> bool {
    key.chars().nth(3).is_some() && title_key.contains(key)
}

/// Lines of a small site's template this close to the main text (in non-blank lines) stay: a
/// byline or a caption both pages carry. One, not the menu blocks' two: the template is shown
/// by the other page, not guessed from the line's shape (measured: one more line taken per
/// side loses no content on the real pages, see docs/evaluation.md).
const SHARED_MARGIN: usize = 1;

fn push_bounded(q: &mut VecDeque<bool>, v: bool, cap: usize) {
    if q.len() == cap {
        q.pop_front();
    }
    q.push_back(v);
}

/// The exact-repeat table's key: key hash and surface hash together.
fn exact_key(f: &LineFeatures) -> u64 {
    f.hash
        ^ f.surface_hash
            .rotate_left(32)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Cleans a document given as a list of lines (each with its ending, if any) and returns the
/// kept bytes and the outcome. A convenience for tests and callers that already hold the text.
pub fn clean_lines(cfg: &Config, phrases: &PhraseSet, lines: &[&[u8]]) -> (Vec<u8>, Outcome) {
    let mut kept = Vec::new();
    let mut engine = Engine::new(cfg, phrases, 0);
    for l in lines {
        // Writing to a Vec cannot fail.
        let _ = engine.push(l, &mut kept);
    }
    let outcome = engine.finish(&mut kept).unwrap_or_default();
    (kept, outcome)
}

/// Splits text into lines that keep their endings (`\n`, `\r\n`), the last one possibly without.
pub fn split_lines(text: &[u8]) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text) {
        lines.push(&text[start..=nl]);
        start = nl + 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Which lines are menus printed on one line ([`MenuNames::menu_row`]), remembered by their
/// text's hash: a site prints the same footer row on every page, and a worker's engines hand
/// the cache on from document to document. A pure function's memo: it changes no result, as
/// long as the engines it passes between share their phrase rules (a run's engines do).
#[derive(Debug, Default)]
struct RowCache {
    kb: KeyBuilder,
    seen: std::collections::HashMap<u64, Option<u16>>,
}

impl RowCache {
    /// Lines remembered at most; the memo starts afresh beyond.
    const CAPACITY: usize = 4096;

    fn menu_row(&mut self, text: &str, phrases: &PhraseSet) -> Option<u16> {
        if !MenuNames::may_be_row(text) {
            return None;
        }
        let key = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        if let Some(&rows) = self.seen.get(&key) {
            return rows;
        }
        let rows = MenuNames::shared()
            .row_items(text, phrases, &mut self.kb)
            .map(|n| u16::try_from(n).unwrap_or(u16::MAX));
        if self.seen.len() >= Self::CAPACITY {
            self.seen.clear();
        }
        self.seen.insert(key, rows);
        rows
    }
}

/// A line that reads as an entry of a list of links, of a title's weight and no label:
/// - a link title: no running text, without a closing period;
/// - a teaser cut short with an ellipsis (`Rescue crews hunt for tourists trapped…`), whatever
///   punctuation it holds;
/// - once the article has begun (`after_text`), a headline: running text that ends as no
///   sentence does — without closing punctuation or a colon (`Has the curse struck again? The
///   star's ex is out of the club`), or with a `?` or `!` as its only sentence mark (`Will
///   she wear a tiara?`).
///   Above the article, the first running text is taken for its start: a lead or a standfirst
///   without a full stop under a menu's header is the article's.
fn is_list_entry(f: &LineFeatures, after_text: bool) -> bool {
    if f.label || !(MIN_LINK_TITLE_WEIGHT..=MAX_LINK_TITLE_WEIGHT).contains(&f.weight) {
        return false;
    }
    if f.truncated {
        return true;
    }
    if !f.is_body() {
        return !f.period_end;
    }
    after_text && !f.colon_end && !f.period_end && (!f.sentence_end || f.sentence_marks <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, Outcome) {
        let cfg = Config::default();
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let (kept, out) = clean_lines(&cfg, &phrases, &split_lines(text.as_bytes()));
        (String::from_utf8(kept).unwrap(), out)
    }

    fn reasons(out: &Outcome) -> Vec<(u64, &'static str)> {
        out.removals
            .iter()
            .map(|r| (r.line, r.reason.code()))
            .collect()
    }

    #[test]
    fn exact_repeat_keeps_first_copy() {
        let (kept, out) = run(
            "The harbour bridge reopened today.\nOther news.\nThe harbour bridge reopened today.\n",
        );
        assert_eq!(kept, "The harbour bridge reopened today.\nOther news.\n");
        assert_eq!(reasons(&out), vec![(3, "duplicate_line")]);
    }

    #[test]
    fn speaker_labels_are_not_repeats() {
        let text = "记者：\n这次调研持续了多久？\n张明：\n一共三个月。\n记者：\n最大的收获是什么？\nQ:\nWhy?\nQ:\nHow?\n";
        let (kept, out) = run(text);
        assert_eq!(kept, text);
        assert!(out.removals.is_empty());
    }

    #[test]
    fn blank_lines_doubled_by_a_removal_are_tidied() {
        let (kept, out) =
            run("A first paragraph of text.\n\nVisits: 0\n\nA second paragraph of text.\n");
        assert_eq!(
            kept,
            "A first paragraph of text.\n\nA second paragraph of text.\n"
        );
        assert_eq!(
            reasons(&out),
            vec![(3, "boilerplate_phrase"), (4, "blank_tidy")]
        );
    }

    #[test]
    fn own_double_blanks_without_removal_stay() {
        let text = "One.\n\n\nTwo.\n";
        assert_eq!(run(text).0, text);
    }

    #[test]
    fn crlf_and_missing_final_newline_survive() {
        let (kept, _) = run("Line one here\r\nLine two here\r\nLine one here");
        assert_eq!(kept, "Line one here\r\nLine two here\r\n");
    }

    #[test]
    fn an_announced_list_goes_on_past_its_sub_headers_and_dates() {
        let article =
            "The council approved the new harbour budget after a long debate on Monday.\n\n";
        let list = "Related articles\nToday\nFerry timetable changes for the winter season\n\
                    12.03.2024\nNew cycle lanes open along the old railway line\n";
        let (kept, out) = run(&format!("{article}{list}"));
        assert_eq!(kept, article);
        assert_eq!(
            reasons(&out),
            vec![
                (3, "boilerplate_phrase"),
                (4, "announced_block"),
                (5, "announced_block"),
                (6, "announced_block"),
                (7, "announced_block"),
            ]
        );
        // A short line that no link title follows ends the list, and stays.
        let text = format!(
            "{article}Related articles\nFerry timetable changes for the winter season\nStaffing\n\n\
             Doctors in the valley asked for more staff at the clinic, the report says.\n"
        );
        let (kept, out) = run(&text);
        assert!(kept.contains("\nStaffing\n"), "{kept}");
        assert_eq!(reasons(&out).len(), 2, "{:?}", reasons(&out));
    }

    fn features(text: &str) -> LineFeatures {
        KeyBuilder::new().analyze_str(text)
    }

    #[test]
    fn list_entries_are_titles_teasers_and_headlines_below_the_text() {
        let entry = |text: &str, after_text: bool| is_list_entry(&features(text), after_text);
        // Link titles, and a teaser cut short whatever punctuation it holds.
        for after_text in [false, true] {
            assert!(entry("Ferry timetable changes for the winter", after_text));
            assert!(entry(
                "Rescue crews search the harbour after the storm. The mayor says more help is…",
                after_text
            ));
            assert!(!entry("Sport:", after_text));
            assert!(!entry("The ferry left at noon.", after_text));
        }
        // Running text that ends as no sentence does: a headline, once the article has begun.
        let headlines = [
            "Ferry strike: what it means for your trip? The unions answer the questions of travellers",
            "Will the old lighthouse on the northern pier reopen to visitors before the summer?",
            "新的轮渡时刻表今天公布，冬季航班将减少一半。市民们最关心的几个问题都有哪些",
        ];
        for h in headlines {
            assert!(features(h).is_body(), "{h}");
            assert!(entry(h, true), "{h}");
            assert!(!entry(h, false), "{h}");
        }
        // Prose: a closing full stop, a colon leading on, or more than one sentence.
        for prose in [
            "Doctors in the valley asked for more staff at the clinic, the report on Monday says.",
            "Here is what the council decided on Monday. These are the new fees for the harbour:",
            "Is the ferry late again? Nobody at the harbour office could say when it would leave!",
        ] {
            assert!(features(prose).is_body(), "{prose}");
            assert!(!entry(prose, true), "{prose}");
        }
    }

    #[test]
    fn an_announced_list_takes_teasers_headlines_and_notices_below_the_text() {
        let article =
            "The council approved the new harbour budget after a long debate on Monday.\n\n";
        let list = "Most read\n\
                    Ferry strike: what it means for your trip? The unions answer the questions of travellers\n\
                    Will the old lighthouse on the northern pier reopen to visitors before the summer?\n\
                    We use cookies.\n\
                    Rescue crews search the harbour after the storm. The mayor says more help is…\n";
        let after =
            "\nDoctors in the valley asked for more staff at the clinic, the report says.\n";
        let (kept, out) = run(&format!("{article}{list}{after}"));
        // The blank line the list leaves doubled is tidied.
        assert_eq!(kept, format!("{article}{}", &after[1..]));
        assert_eq!(
            reasons(&out),
            vec![
                (3, "boilerplate_phrase"),
                (4, "announced_block"),
                (5, "announced_block"),
                (6, "boilerplate_phrase"),
                (7, "announced_block"),
                (8, "blank_tidy"),
            ]
        );
        // Above the article the same headline is taken for its lead, and stays.
        let lead = "Ferry strike: what it means for your trip? The unions answer the questions of travellers\n";
        let (kept, _) = run(&format!("Most read\n{lead}{article}"));
        assert!(kept.contains(lead), "{kept}");
    }

    #[test]
    fn a_long_announced_list_goes_whole() {
        let article =
            "The council approved the new harbour budget after a long debate on Monday.\n\n";
        let mut list = String::from("Most read\n");
        for n in 1..=MAX_ANNOUNCED_ITEMS + 5 {
            list.push_str(&format!(
                "Harbour story number {n} about the winter ferries\n"
            ));
        }
        let (kept, out) = run(&format!("{article}{list}"));
        let announced = reasons(&out)
            .iter()
            .filter(|(_, r)| *r == "announced_block")
            .count();
        assert_eq!(announced, MAX_ANNOUNCED_ITEMS);
        assert!(kept.contains(&format!("number {} about", MAX_ANNOUNCED_ITEMS + 1)));
        assert!(!kept.contains("number 31 about"), "{kept}");
    }

    #[test]
    fn a_menu_on_one_line_goes_but_a_table_row_stays() {
        let text = "The council approved the new harbour budget after a long debate on Monday.\n\n\
                    Name | Age | City\n\n\
                    The ferry will run every forty minutes from next week, the operator said.\n\n\
                    About Us | Contact | Privacy Policy | Careers\n";
        let (kept, out) = run(text);
        assert!(kept.contains("Name | Age | City"), "{kept}");
        assert!(!kept.contains("About Us"), "{kept}");
        assert_eq!(out.removals.len(), 1, "{:?}", reasons(&out));
        assert!(matches!(
            out.removals[0].reason,
            Reason::Menu {
                row_items: Some(4),
                ..
            }
        ));
    }

    #[test]
    fn counter_between_title_and_text_goes_but_table_numbers_stay() {
        let (kept, out) = run(
            "Bridge Reopens After Repairs\n\n0\n\nThe bridge reopened on Monday after two years of work on its deck.\n",
        );
        assert!(!kept.contains("\n0\n"));
        assert!(reasons(&out).contains(&(3, "noise")));
        let table = "Revenue\n1,204\nCosts\n877\nProfit\n327\n";
        assert_eq!(run(table).0, table);
    }

    #[test]
    fn title_as_bullet_and_heading_keeps_heading() {
        let text = "• 港口大桥修复后重新开放\n\n港口大桥修复后重新开放\n\n山谷日报记者\n\n经过两年的维修，港口大桥于周一重新开放，市民纷纷前来参观，交通压力明显缓解。\n";
        let (kept, out) = run(text);
        assert!(kept.starts_with("港口大桥修复后重新开放\n"), "{kept}");
        assert_eq!(out.removals[0].line, 1);
        assert_eq!(out.removals[0].reason.code(), "duplicate_title");
    }

    #[test]
    fn slogan_block_with_repeats_and_title_goes_whole() {
        let mut text = String::new();
        let slogans = [
            "智能设备正在改变家庭生活的方式。",
            "海洋污染问题引起了广泛关注。",
            "移动支付正在改变人们的习惯。",
            "可持续消费成为新的消费趋势。",
            "海洋污染问题引起了广泛关注。",
            "数据隐私成为最受关注的问题。",
        ];
        for s in slogans {
            text.push_str(&format!("  • {s}\n"));
        }
        text.push_str("  • 江北新区高质量发展调研报告\n\n江北新区高质量发展调研报告\n\n");
        text.push_str(
            "近年来，江北新区不断推进社会治理创新，走出了一条具有自身特色的发展新路，成效显著。\n",
        );
        let (kept, out) = run(&text);
        assert!(kept.starts_with("江北新区高质量发展调研报告\n"), "{kept}");
        let codes = reasons(&out);
        assert_eq!(
            codes.iter().filter(|c| c.1 == "boilerplate_block").count(),
            5
        );
        assert!(codes.contains(&(5, "duplicate_line")));
        assert!(codes.contains(&(7, "duplicate_title")));
        assert!(codes.contains(&(8, "blank_tidy")));
    }

    #[test]
    fn author_bullet_list_stays() {
        let text = "How to repot a fern\n\nYou will need:\n- a pot one size larger\n- fresh peat-free compost\n- a watering can\n- gloves\n\nWater the fern the day before you start.\n";
        let (kept, out) = run(text);
        assert_eq!(kept, text);
        assert!(out.removals.is_empty());
    }

    #[test]
    fn oversized_lines_are_kept_and_counted() {
        let cfg = Config {
            max_line_bytes: 64,
            ..Config::default()
        };
        let phrases = PhraseSet::empty();
        let long = format!("{}\n", "x".repeat(100));
        let lines: Vec<&[u8]> = vec![long.as_bytes(), long.as_bytes(), b"Visits: 0\n"];
        let (kept, out) = clean_lines(&cfg, &phrases, &lines);
        assert_eq!(kept.len(), 202 + 10);
        assert_eq!(out.oversized, vec![1, 2]);
        assert_eq!(out.summary.oversized_lines, 2);
    }

    #[test]
    fn long_run_of_lines_streams_with_bounded_window() {
        // Without the menu-block layout, which holds a whole document, a line waits only
        // for its lookahead.
        let mut cfg = Config::default();
        cfg.detectors.menu_blocks = false;
        let phrases = PhraseSet::empty();
        let mut engine = Engine::new(&cfg, &phrases, 0);
        let mut sink = Vec::new();
        for i in 0..1000 {
            engine
                .push(
                    format!("distinct line number {i} of the stream\n").as_bytes(),
                    &mut sink,
                )
                .unwrap();
            assert!(engine.pending.len() <= cfg.lookahead + 1);
        }
        assert!(
            !sink.is_empty(),
            "early lines are written before the input ends"
        );
        engine.finish(&mut sink).unwrap();
    }

    #[test]
    fn layout_holds_a_document_up_to_the_cap_then_streams() {
        let cfg = Config {
            max_pending_lines: 100,
            ..Config::default()
        };
        let phrases = PhraseSet::empty();
        let mut engine = Engine::new(&cfg, &phrases, 0);
        let mut sink = Vec::new();
        for i in 0..99 {
            engine
                .push(format!("line {i} of a long page\n").as_bytes(), &mut sink)
                .unwrap();
        }
        assert!(sink.is_empty(), "a page is held whole while it fits");
        for i in 99..1000 {
            engine
                .push(format!("line {i} of a long page\n").as_bytes(), &mut sink)
                .unwrap();
            assert!(engine.pending.len() <= cfg.max_pending_lines);
        }
        assert!(!sink.is_empty());
        let out = engine.finish(&mut sink).unwrap();
        assert_eq!(out.summary.layout_skipped, 1);
        assert_eq!(out.summary.lines_out, 1000);
    }

    /// A page: `first`, five short menu items, `heading` if any, three paragraphs, `footer`.
    fn page_with_menu(first: &str, heading: Option<&str>, footer: &[&str]) -> String {
        let body = "The council met on Tuesday and agreed, after a long debate, to rebuild the old \
                    bridge over the river before the winter floods arrive.";
        let mut text = format!("{first}\n");
        let items = [
            "Gardening Corner",
            "Local Heroes",
            "River Walks",
            "Market Days",
            "Old Photos",
        ];
        for line in items.iter().chain(heading.as_slice()) {
            text.push_str(line);
            text.push('\n');
        }
        for n in ["first", "second", "third"] {
            text.push_str(&format!("{body} That was the {n} point.\n"));
        }
        for line in footer {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    #[test]
    fn a_title_line_that_ends_no_sentence_does_not_start_the_main_text() {
        let cfg = Config::default();
        let phrases = PhraseSet::empty();
        // Long, with a question in it, and the site's name after: a title, not a paragraph.
        let title = page_with_menu(
            "Will the old bridge be rebuilt before winter? What the council decided - Town News",
            None,
            &[],
        );
        let (kept, _) = clean_lines(&cfg, &phrases, &split_lines(title.as_bytes()));
        let kept = String::from_utf8(kept).unwrap();
        assert!(!kept.contains("Gardening Corner"), "{kept}");
        assert!(kept.starts_with("Will the old bridge"), "{kept}");
        // The same length of text ending a sentence is the article's first paragraph: the list
        // after it is inside the text and stays.
        let paragraph = page_with_menu(
            "Will the old bridge be rebuilt before winter? The council decided on it this week.",
            None,
            &[],
        );
        let (kept, out) = clean_lines(&cfg, &phrases, &split_lines(paragraph.as_bytes()));
        assert_eq!(
            String::from_utf8(kept).unwrap(),
            paragraph,
            "{:?}",
            out.removals
        );
    }

    #[test]
    fn a_cookie_notice_below_the_footer_leaves_the_footer_after_the_text() {
        let notice = "This website uses cookies to give you the best experience, and by going on \
                      you agree to them as our policy describes.";
        let footer = [
            "About us", "Careers", "Privacy", "Terms", "Sitemap", "Contact", notice,
        ];
        let text = page_with_menu("Bridge to be rebuilt | Town News", None, &footer);
        let cfg = Config::default();
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let (kept, out) = clean_lines(&cfg, &phrases, &split_lines(text.as_bytes()));
        let kept = String::from_utf8(kept).unwrap();
        assert!(kept.trim_end().ends_with("third point."), "{kept}");
        let reason_of = |line: u64| {
            out.removals
                .iter()
                .find(|r| r.line == line)
                .map(|r| r.reason.code())
        };
        assert_eq!(reason_of(16), Some("boilerplate_phrase"));
        assert_eq!(reason_of(13), Some("menu_block"), "{:?}", out.removals);
        // Without phrase rules the notice is running text like any other: the footer is inside
        // the text and stays.
        let (kept, _) = clean_lines(&cfg, &PhraseSet::empty(), &split_lines(text.as_bytes()));
        assert!(String::from_utf8(kept).unwrap().contains("Careers"));
    }

    #[test]
    fn a_tracking_pixel_above_the_menus_starts_no_main_text() {
        let pixel = "<img src=\"https://pixel.example.com/t.gif?id=7&p=news.story\" \
                     style=\"display:none\" width=\"1\" height=\"1\" alt=\"Tracking. Pixel.\">";
        let mut text = String::from("Bridge to be rebuilt | Town News\n");
        text.push_str(pixel);
        text.push('\n');
        let body = "The council met on Tuesday and agreed, after a long debate, to rebuild the old \
                    bridge over the river before the winter floods arrive.";
        for item in [
            "Gardening Corner",
            "Local Heroes",
            "River Walks",
            "Market Days",
            "Old Photos",
            "Harbour Lights",
        ] {
            text.push_str(item);
            text.push('\n');
        }
        for n in ["first", "second", "third"] {
            text.push_str(&format!("{body} That was the {n} point.\n"));
        }
        let cfg = Config::default();
        let (kept, out) = clean_lines(&cfg, &PhraseSet::empty(), &split_lines(text.as_bytes()));
        let kept = String::from_utf8(kept).unwrap();
        // The tag is no running text: the menu lies above the main text and goes, the tag stays.
        let main_text_start = out.removals.iter().find_map(|r| match r.reason {
            Reason::MenuBlock {
                main_text_first_line,
                ..
            } => Some(main_text_first_line),
            _ => None,
        });
        assert_eq!(main_text_start, Some(9), "{kept}");
        assert!(kept.contains(pixel) && kept.contains("Old Photos\nHarbour Lights\n"));
        for gone in ["Gardening", "Local Heroes", "River Walks", "Market Days"] {
            assert!(!kept.contains(gone), "{gone} should go: {kept}");
        }
    }

    #[test]
    fn separators_and_icons_between_menu_items_break_no_run() {
        let footer = [
            "About us", "›‹", "Careers", "|", "Privacy", "×", "Terms", "»", "Sitemap", "☰",
            "Contact",
        ];
        let text = page_with_menu("Bridge to be rebuilt | Town News", None, &footer);
        let cfg = Config::default();
        let (kept, out) = clean_lines(&cfg, &PhraseSet::empty(), &split_lines(text.as_bytes()));
        let kept = String::from_utf8(kept).unwrap();
        let reason_of = |item: &str| {
            let line = text.lines().position(|l| l == item).unwrap() as u64 + 1;
            out.removals
                .iter()
                .find(|r| r.line == line)
                .map(|r| r.reason.code())
        };
        // One item at a time between separators and icons would be no run; as one they are a
        // menu. The two nearest the text stay (the margin).
        for gone in ["Privacy", "Terms", "Sitemap", "Contact"] {
            assert!(!kept.contains(gone), "{gone} should go: {kept}");
            assert_eq!(reason_of(gone), Some("menu_block"), "{gone}");
        }
        assert!(
            kept.contains("About us\n") && kept.contains("Careers\n"),
            "{kept}"
        );
    }

    #[test]
    fn menu_blocks_around_the_main_text_go_with_their_evidence() {
        let text = page_with_menu(
            "Bridge to be rebuilt | Town News",
            Some("Bridge to be rebuilt"),
            &["About us", "Careers", "Privacy", "Terms", "Sitemap"],
        );
        let cfg = Config::default();
        let phrases = PhraseSet::empty();
        let lines = split_lines(text.as_bytes());
        let (kept, out) = clean_lines(&cfg, &phrases, &lines);
        let kept = String::from_utf8(kept).unwrap();
        // The title detector keeps the heading and drops the title with its site suffix; the
        // item next to the heading stays (the margin).
        assert!(
            kept.starts_with("Old Photos\nBridge to be rebuilt\nThe council"),
            "{kept}"
        );
        assert_eq!(kept.matches("The council met").count(), 3);
        for gone in ["Gardening", "Market Days", "Privacy", "Sitemap"] {
            assert!(!kept.contains(gone), "{gone} should go: {kept}");
        }
        // Lines no more specific detector explains carry the block as their reason.
        let first = out
            .removals
            .iter()
            .find(|r| r.line < 8 && r.reason.code() == "menu_block")
            .expect("a menu-block removal above the main text");
        assert_eq!(
            first.reason,
            Reason::MenuBlock {
                // The heading joins the run but, as a copy of the title, stays, and so does
                // the item next to it (the margin).
                first_line: 2,
                last_line: 5,
                items: 4,
                side: layout::Side::Before,
                main_text_first_line: 8,
                main_text_last_line: 10,
            }
        );
        // Switched off, nothing of that goes.
        let mut off = Config::default();
        off.detectors.menu_blocks = false;
        let (kept, out) = clean_lines(&off, &phrases, &lines);
        let kept = String::from_utf8(kept).unwrap();
        assert!(out.removals.iter().all(|r| r.reason.code() != "menu_block"));
        for stays in ["Gardening Corner", "Old Photos", "Careers", "Sitemap"] {
            assert!(kept.contains(stays), "{stays} stays with the detector off");
        }
    }

    #[test]
    fn a_heading_like_the_title_line_is_no_near_repeat() {
        let mut text =
            String::from("Floods close the old river bridge again after heavy rain | Town News\n");
        for i in 0..20 {
            text.push_str(&format!("Section {i} of the town guide\n"));
        }
        text.push_str("Floods close the old river bridge again after heavy rain\n");
        text.push_str("The same line again, far below: Floods close the old river bridge again!\n");
        let cfg = Config::default();
        let phrases = PhraseSet::empty();
        let (kept, out) = clean_lines(&cfg, &phrases, &split_lines(text.as_bytes()));
        let kept = String::from_utf8(kept).unwrap();
        assert!(kept.contains("again after heavy rain\n"), "{kept}");
        assert!(
            out.removals
                .iter()
                .all(|r| r.reason.code() != "near_duplicate_line"),
            "{:?}",
            out.removals
        );
    }

    #[test]
    fn the_title_line_goes_for_its_heading_past_the_menus() {
        let mut text = String::from("Floods close the old river bridge again | Town News\n");
        for i in 0..20 {
            text.push_str(&format!("Town guide part {i}\n"));
        }
        text.push_str("Floods close the old river bridge again\n");
        let body = "The council met on Tuesday and agreed, after a long debate, to rebuild the old \
                    bridge over the river before the winter floods arrive.";
        for n in ["first", "second", "third"] {
            text.push_str(&format!("{body} That was the {n} point.\n"));
        }
        let (kept, out) = run(&text);
        assert!(
            kept.contains("\nFloods close the old river bridge again\n"),
            "{kept}"
        );
        assert!(!kept.contains("| Town News"), "{kept}");
        let title = out
            .removals
            .iter()
            .find(|r| r.line == 1)
            .expect("title line");
        assert_eq!(title.reason.code(), "duplicate_title");
        assert!(
            matches!(title.reason, Reason::DuplicateTitle { kept_line: 22, .. }),
            "{:?}",
            title.reason
        );
        // A streamed document (the window never holds it whole) keeps its title line: its
        // heading lies past `title_span`.
        let cfg = Config {
            max_pending_lines: 40,
            lookahead: 16,
            ..Config::default()
        };
        let long = format!("{text}{}", "More text.\n".repeat(60));
        let (kept, _) = clean_lines(&cfg, &PhraseSet::empty(), &split_lines(long.as_bytes()));
        assert!(
            String::from_utf8(kept)
                .unwrap()
                .starts_with("Floods close the old river bridge again | Town News\n")
        );
    }

    #[test]
    fn a_menu_label_printed_twice_is_no_title_and_goes_with_its_menu() {
        let text = page_with_menu(
            "Bridge to be rebuilt before winter | Town News",
            Some("Bridge to be rebuilt before winter"),
            &[],
        );
        // The menu gains a label printed twice, as a search box and its button print it.
        let text = text.replacen("Local Heroes\n", "Search the site\nSearch the site\n", 1);
        let (kept, out) = run(&text);
        assert!(
            !kept.contains("Search the site"),
            "{kept}\n{:?}",
            out.removals
        );
        assert!(
            kept.contains("\nBridge to be rebuilt before winter\n"),
            "{kept}"
        );
        assert!(
            out.removals
                .iter()
                .all(|r| !(r.reason.code() == "duplicate_title" && r.line == 4)),
            "{:?}",
            out.removals
        );
    }

    #[test]
    fn an_edited_copy_inside_the_main_text_stays_but_one_outside_it_goes() {
        let para = |n: &str| {
            format!(
                "The {n} reply in the thread explains how the coil picks up small nuggets, in a \
                 sentence long enough to be running text.\n"
            )
        };
        let question = "Which metal detector finds more gold in wet sand\n";
        let quoted = "Which metal detector finds more gold in wet sand?\n";
        let mut text = String::from("Metal detectors for gold | Prospectors Forum\n");
        text += &para("first");
        text += &para("second");
        text.push_str("Coil size\nBattery life\nWeight\n");
        text.push_str(question);
        text.push_str("Ground balance\nPrice\nWarranty\n");
        text += &para("third");
        // A later reply quotes the question: part of the thread.
        text.push_str("Posted by Ann\nSee below\n");
        text.push_str(quoted);
        text.push_str("Coil size matters\nBattery too\n");
        text += &para("fourth");
        text += &para("fifth");
        // Under the thread, a teaser repeats it: no article text.
        text.push_str("More threads\nContact\n");
        text.push_str("Which metal detector finds more gold in wet sand?!\n");
        let (kept, out) = run(&text);
        let near: Vec<(u64, u64)> = out
            .removals
            .iter()
            .filter_map(|r| match r.reason {
                Reason::NearDuplicateLine { of_line, .. } => Some((r.line, of_line)),
                _ => None,
            })
            .collect();
        assert_eq!(near, [(21, 14)], "{:?}", out.removals);
        assert!(kept.contains(quoted), "{kept}");
    }

    #[test]
    fn a_comment_header_ends_the_main_text() {
        let para = |n: &str| {
            format!(
                "The {n} paragraph of the story says what happened at the harbour, in a \
                 sentence long enough to be running text.\n"
            )
        };
        let mut text = String::from("Harbour news\n");
        for n in ["first", "second", "third", "fourth"] {
            text.push_str(&para(n));
        }
        text.push_str("Comments\n");
        for item in [
            "Gardening Corner",
            "River Walks",
            "Market Days",
            "Boat Club",
            "Fairs",
        ] {
            text.push_str(item);
            text.push('\n');
        }
        text.push_str(&para("reader's"));
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let lines = split_lines(text.as_bytes());
        let (kept, out) = clean_lines(&Config::default(), &phrases, &lines);
        let kept = String::from_utf8(kept).unwrap();
        assert!(!kept.contains("River Walks"), "{kept}");
        let r = out
            .removals
            .iter()
            .find(|r| r.text == "River Walks")
            .unwrap();
        assert!(
            matches!(
                r.reason,
                Reason::MenuBlock {
                    side: layout::Side::After,
                    main_text_last_line: 5,
                    ..
                }
            ),
            "{:?}",
            r.reason
        );
        // Without the header, the list lies between running text and stays.
        let text = text.replace("Comments\n", "");
        let lines = split_lines(text.as_bytes());
        let (kept, _) = clean_lines(&Config::default(), &phrases, &lines);
        assert!(String::from_utf8(kept).unwrap().contains("River Walks"));
    }
}
