//! The streaming engine: takes one document's lines in order and decides each — kept (written
//! to the sink as its own bytes) or removed (recorded with its reason).
//!
//! **Window** ([`window`]): lines wait until enough of what follows is known. The boilerplate
//! model ([`crate::model`]) judges a line against its whole page, so a document is held until
//! its end or until the window holds `max_pending_lines`; past that, the window is scored as a
//! page inside a longer document (nothing in it is above or below the main text) and its first
//! first seven eighths decided, and so on (the report counts such a document under
//! `layout_skipped`). Without
//! the model, a line waits only for `lookahead` non-blank lines (a title repeated a few lines
//! below), or for the end of its list run (the block detector judges a run whole).
//!
//! **Policy**: the one place a line's fate is decided (`Engine::judge`). Evidence first, each
//! detector with its own proof — a verdict set ahead (a generated list, a title copy, a teaser
//! quoting the article), noise, a line that is a known notice whole (or matches a rule of the
//! user's phrase files), a line on many of the site's pages, a paragraph first published elsewhere, a duplicated title, an exact or near repeat —
//! then the model's score, then keep. Only kept lines are remembered, so nothing is ever removed
//! as a repeat of a line the reader no longer sees.
//!
//! A line in a run that reads like a table is never a repeat: a table's cells repeat by nature.
//!
//! *Body context* protects article text from the repeat detectors: a line is in body context
//! when it, or one of the [`BODY_CONTEXT`] non-blank lines on either side, is running text. A
//! later copy in body context is not removed as a repeat of a first copy that was not (the
//! article's heading stays when a menu named it first), and near repeats are only removed
//! outside body context and outside the main text, between prose lines: similar lines of code,
//! URLs and table rows differ in exactly the characters that matter. A paragraph of the article
//! printed above it too (a teaser quoting the lead) goes above and stays in the article.

pub mod window;

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};

use nohash_hasher::BuildNoHashHasher;

use crate::config::Config;
use crate::context::{self, Side, Surroundings};
use crate::detect::block::{self, BlockRef, RunItem};
use crate::detect::exact::ExactRepeats;
use crate::detect::near::NearRepeats;
use crate::detect::noise::{self, NUMERIC_CONTEXT};
use crate::detect::phrase::{PhraseSet, RuleKind};
use crate::detect::site::CrossDoc;
use crate::detect::title::{self, Copy};
use crate::features::{LineView, ViewBuilder};
use crate::model::{self, Model};
use crate::normalize::LineFeatures;
use crate::profile::counts_for_site;
use crate::report::{Contribution, Reason, Removal, Summary};
use window::{Arena, KeyArena, Slot, Verdict};

/// How many non-blank lines on either side make a line's body context.
pub const BODY_CONTEXT: usize = 1;

/// Features named in a model removal's evidence.
pub const CARRIED_BY: usize = 3;

/// Fewest lines, all going, under a label that goes with them ([`Reason::ListHeader`]).
pub const MIN_HEADED_LIST: usize = 2;
/// Fewest lines, all going, under a short heading that goes with them.
pub const MIN_HEADED_MENU: usize = 5;

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
    /// The key hash of each line removed as site boilerplate, in the order of `removals`: what
    /// the crawl summary counts those lines by, without analysing them again.
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

/// What an engine allocates as it goes — its view builder, arenas, window, repeat tables —
/// handed from one document's engine to the next ([`Engine::finish_reusing`],
/// [`Engine::reusing`]), so a worker cleaning many small documents does not grow the same
/// tables again for each.
#[derive(Debug, Default)]
pub struct Buffers {
    views: ViewBuilder,
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
    model: &'a Model,
    threshold: f64,
    cross: Option<CrossDoc<'a>>,
    site: &'a str,
    views: ViewBuilder,
    bytes: Arena,
    keys: KeyArena,
    pending: VecDeque<Slot>,
    /// Bytes of the lines in `pending`.
    pending_bytes: usize,
    closers: VecDeque<u64>,
    next_line: u64,
    next_offset: u64,
    pushed_nonblank: u64,
    exact: ExactRepeats,
    near: NearRepeats,
    decided_nonblank: u64,
    /// A kept line of running text has been decided.
    body_started: bool,
    /// A line of running text has left the window: a later window lies inside the document.
    text_decided: bool,
    recent_numeric: VecDeque<bool>,
    recent_body: VecDeque<bool>,
    doc_title: Option<u64>,
    gap_removed: bool,
    gap_blank_kept: bool,
    any_kept: bool,
    last_removed: u64,
    key_scratch: String,
    /// The document's first non-blank line and its weight: in a page dump, its `<title>`. A
    /// later line that resembles it but is shorter by a site name (6 in weight) is the article's
    /// heading, never a near repeat to remove.
    first_text_line: Option<(u64, u32)>,
    /// Lines up to this number have their final score from the model (0: none yet).
    scored_upto: u64,
    /// `finish` has been called: the window holds the rest of the document.
    finishing: bool,
    /// The main text's first and last line, as the model's page context found it.
    main_text: Option<[u64; 2]>,
    out: Outcome,
    /// Removals carry their text (see [`Engine::without_removed_text`]).
    removed_text: bool,
    /// Where removals go as they are decided, instead of into the outcome
    /// ([`Engine::handing_removals_to`]).
    hand_off: Option<RemovalFn<'a>>,
}

/// Takes each removal as the engine decides it.
pub type RemovalFn<'a> = Box<dyn FnMut(Removal) + 'a>;

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
            views,
            bytes,
            keys,
            mut pending,
            mut closers,
            exact,
            near,
            mut key_scratch,
        } = buffers;
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
            Some(mut ring) => {
                ring.reset(cfg.near_window, cfg.near_threshold);
                ring
            }
            None => NearRepeats::new(cfg.near_window, cfg.near_threshold),
        };
        let model = Model::for_config(cfg);
        Engine {
            cfg,
            phrases,
            model,
            threshold: model.threshold(cfg.boilerplate),
            cross: None,
            site: "",
            views,
            bytes: Arena::reusing(bytes),
            keys: KeyArena::reusing(keys),
            pending,
            pending_bytes: 0,
            closers,
            next_line: 1,
            next_offset: start_offset,
            pushed_nonblank: 0,
            exact,
            near,
            decided_nonblank: 0,
            body_started: false,
            text_decided: false,
            recent_numeric: VecDeque::with_capacity(NUMERIC_CONTEXT + 1),
            recent_body: VecDeque::with_capacity(BODY_CONTEXT + 1),
            doc_title: None,
            gap_removed: false,
            gap_blank_kept: false,
            any_kept: false,
            last_removed: 0,
            key_scratch,
            first_text_line: None,
            scored_upto: 0,
            finishing: false,
            main_text: None,
            out: Outcome {
                kept_keys_hash: KEPT_KEYS_SEED,
                ..Outcome::default()
            },
            removed_text: true,
            hand_off: None,
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

    /// Hands each removal to `f` as soon as it is decided instead of keeping it in the
    /// [`Outcome`] (whose `removals` then stay empty; its summary still counts them): a stream's
    /// removals are written or dropped as they come, never gathered.
    pub fn handing_removals_to(mut self, f: RemovalFn<'a>) -> Self {
        self.hand_off = Some(f);
        self
    }

    fn model_on(&self) -> bool {
        self.cfg.detectors.boilerplate
    }

    /// Documents of the site holding this line, when that makes it site boilerplate.
    fn site_frequent(&self, f: &LineFeatures) -> Option<u32> {
        let cx = self.cross.as_ref()?;
        if !self.cfg.detectors.site || !counts_for_site(&f.key_features()) {
            return None;
        }
        cx.site_frequent(f.hash)
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
        let phrases = if self.cfg.detectors.phrases {
            self.phrases
        } else {
            PhraseSet::none()
        };
        let view = if oversized {
            self.views.view("", true, phrases)
        } else {
            // The line ending is ASCII: what is left of `text` is `content`.
            match text {
                Some(t) => self.views.view(&t[..content.len()], false, phrases),
                // Checked the fast way first: invalid UTF-8 is rare.
                None => match crate::input::utf8(content) {
                    Some(t) => self.views.view(t, false, phrases),
                    None => {
                        let t = String::from_utf8_lossy(content);
                        self.views.view(&t, false, phrases)
                    }
                },
            }
        };
        if !view.blank() {
            self.pushed_nonblank += 1;
            self.first_text_line
                .get_or_insert((self.next_line, view.feat.weight));
        }
        let at = self.bytes.push(line);
        let key_at = self.keys.push(self.views.key());
        let key_len = if oversized { 0 } else { self.views.key().len() };
        let slot = Slot {
            line: self.next_line,
            offset: self.next_offset,
            at,
            len: line.len(),
            eol_len,
            key_at,
            key_len,
            view,
            seq: self.pushed_nonblank,
            verdict: None,
            run_checked: false,
            side: Side::Unknown,
            tabular: false,
            model: None,
        };
        if !view.blank() && !self.is_list_item(&slot) {
            self.closers.push_back(slot.seq);
        }
        self.next_line += 1;
        self.next_offset += line.len() as u64;
        self.out.summary.lines_in += 1;
        self.out.summary.bytes_in += line.len() as u64;
        self.pending_bytes += slot.len;
        self.pending.push_back(slot);
        while self.front_ready() {
            self.decide_front(sink)?;
        }
        Ok(())
    }

    /// Starts streaming an oversized line straight through: decides every waiting line (with
    /// the context there is) and writes `head`, the line's first bytes. The caller copies the
    /// rest of the line to the sink and then calls [`Engine::end_passthrough`].
    pub fn begin_passthrough<W: Write + ?Sized>(
        &mut self,
        head: &[u8],
        sink: &mut W,
    ) -> io::Result<()> {
        if self.model_on() && !self.pending.is_empty() {
            self.score_window(self.pending.len());
        }
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
        self.scored_upto = line;
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
        if self.model_on() && !self.pending.is_empty() {
            self.score_window(self.pending.len());
        }
        while !self.pending.is_empty() {
            self.decide_front(sink)?;
        }
        self.out.summary.history_full = self.exact.is_full();
        let buffers = Buffers {
            views: self.views,
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
        let f = &s.view.feat;
        (f.marker.is_some() || f.truncated)
            && !s.view.oversized
            && f.weight <= self.cfg.max_block_item_weight
    }

    /// The window holds as many lines or bytes as it may.
    fn window_full(&self) -> bool {
        self.pending.len() >= self.cfg.max_pending_lines
            || self.pending_bytes >= self.cfg.max_pending_bytes
    }

    fn front_ready(&mut self) -> bool {
        let Some(front) = self.pending.front() else {
            return false;
        };
        if self.model_on() && front.line > self.scored_upto {
            if !self.window_full() {
                // The model needs the whole page.
                return false;
            }
            if self.out.summary.layout_skipped == 0 {
                self.out.summary.layout_skipped = 1;
            }
            // Judged as a stretch of a longer document: all but its last eighth are settled,
            // each with at least that much of what follows in view.
            let n = self.pending.len();
            self.score_window(n - n / 8);
            return true;
        }
        if self.window_full() {
            return true;
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

    /// Scores the window as a page with the model and settles the first `upto` lines' scores:
    /// a removal for those at or above the level's threshold, and the verdicts that need the
    /// main text (a copy of an article paragraph above the article).
    fn score_window(&mut self, upto: usize) {
        let n = self.pending.len();
        let upto = upto.clamp(1, n);
        let views: Vec<LineView> = self.pending.iter().map(|s| s.view).collect();
        let docs: Option<Vec<u32>> = self.cross.filter(|_| self.cfg.detectors.site).map(|cx| {
            views
                .iter()
                .map(|v| {
                    if counts_for_site(&v.feat.key_features()) {
                        cx.line_docs(v.feat.hash)
                    } else {
                        0
                    }
                })
                .collect()
        });
        let around = Surroundings {
            text_before: self.text_decided,
            more_after: !self.finishing,
            site: docs.as_deref().zip(self.cross.map(|c| c.site_docs())),
        };
        let pending = &self.pending;
        let keys = &self.keys;
        let model::PageJudgement {
            page,
            ctx,
            x,
            present,
            scores,
            first_stage,
        } = model::judge_page(self.model, &views, |i| pending[i].key(keys), around);
        self.main_text = page
            .main
            .map(|(a, b)| [self.pending[a].line, self.pending[b].line]);
        // The article's own lines, by key, for copies of them above it: a line of the main
        // text, and of two copies of a paragraph the one in the larger cluster of running text.
        let mut inside: HashMap<u64, u64, BuildNoHashHasher<u64>> = HashMap::default();
        let mut best: HashMap<u64, (u64, u64), BuildNoHashHasher<u64>> = HashMap::default();
        for (s, c) in self.pending.iter().zip(&ctx) {
            if s.view.feat.key_chars == 0 {
                continue;
            }
            let k = exact_key(&s.view.feat);
            if c.side == Side::Inside {
                inside.entry(k).or_insert(s.line);
            }
            if c.cluster_weight > 0 {
                let e = best.entry(k).or_insert((c.cluster_weight, s.line));
                if c.cluster_weight > e.0 {
                    *e = (c.cluster_weight, s.line);
                }
            }
        }
        let main_text = self.main_text;
        let gone = model::smooth(&scores, &present, self.threshold);
        // Each line's place among the judged lines, for the first stage's scores around it.
        let mut judged_rank = vec![0usize; n];
        let mut k = 0;
        for (i, &p) in present.iter().enumerate() {
            judged_rank[i] = k;
            k += usize::from(p);
        }
        for i in 0..n {
            let slot = &mut self.pending[i];
            slot.side = ctx[i].side;
            slot.tabular = ctx[i].run_tabular && context::is_cell(&slot.view);
            if i >= upto || slot.line <= self.scored_upto {
                continue;
            }
            // Structure near-certain on its own (99.6 % or more of such lines are boilerplate
            // on the labelled pages): an entry under a list's header, a feed's far timestamps,
            // a menu printed on one line.
            let header = ctx[i].header as usize;
            let structural = if ctx[i].announced {
                let h = &self.pending[header];
                Some(Reason::AnnouncedBlock {
                    header_line: h.line,
                    phrase: h
                        .view
                        .phrase
                        .map(|r| self.phrases.rule(r as usize).pattern.clone())
                        .unwrap_or_default(),
                })
            } else if let (true, Some([first, last])) = (ctx[i].far_stamp, main_text) {
                Some(Reason::Timestamp {
                    main_text_first_line: first,
                    main_text_last_line: last,
                })
            } else {
                self.pending[i].view.menu_row.map(|n| Reason::Menu {
                    row_items: usize::from(n),
                })
            };
            let slot = &mut self.pending[i];
            if slot.verdict.is_none()
                && let Some(reason) = structural
            {
                slot.verdict = Some(Verdict::Remove(Box::new(reason)));
            }
            let f = &slot.view.feat;
            let k = exact_key(f);
            let article_copy = match best.get(&k) {
                // A paragraph printed in a smaller cluster first (a teaser quoting the lead).
                Some(&(w, line)) if ctx[i].cluster_weight > 0 => {
                    (w > ctx[i].cluster_weight && line > slot.line).then_some(line)
                }
                // Any other line above the main text that the main text holds too.
                _ => (ctx[i].side == Side::Before)
                    .then(|| inside.get(&k).copied())
                    .flatten(),
            };
            if slot.verdict.is_none()
                && f.weight >= self.cfg.min_repeat_weight
                && !f.label
                && self.cfg.detectors.exact
                && let Some(of_line) = article_copy
            {
                slot.verdict = Some(Verdict::Remove(Box::new(Reason::DuplicateLine {
                    of_line,
                    block: None,
                })));
            }
            if gone[i] {
                let carried_by = self
                    .model
                    .carried_by(&x[i], &first_stage, judged_rank[i], CARRIED_BY)
                    .into_iter()
                    .map(|(feature, value)| Contribution {
                        feature: feature.to_string(),
                        value: round(value, 3),
                    })
                    .collect();
                let rule = slot.view.phrase.map(|r| self.phrases.rule(r as usize));
                slot.model = Some(Box::new(Reason::Boilerplate {
                    score: round(scores[i], 4),
                    carried_by,
                    phrase: rule.map(|r| r.pattern.clone()),
                    source: rule.map(|r| r.source.clone()),
                    main_text_first_line: main_text.map(|t| t[0]),
                    main_text_last_line: main_text.map(|t| t[1]),
                }));
            } else {
                slot.model = None;
            }
        }
        self.scored_upto = self.pending[upto - 1].line;
    }

    fn decide_front<W: Write + ?Sized>(&mut self, sink: &mut W) -> io::Result<()> {
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
        self.pending_bytes -= slot.len;
        while self.closers.front().is_some_and(|&c| c <= slot.seq) {
            self.closers.pop_front();
        }
        let decision = self.judge(&mut slot);
        let bytes = self.bytes.get(slot.at, slot.len);
        let f = slot.view.feat;
        match decision {
            None => {
                sink.write_all(bytes)?;
                self.out.summary.lines_out += 1;
                self.out.summary.bytes_out += slot.len as u64;
                if f.key_chars > 0 {
                    self.out.kept_keys_hash = mix_key_hash(self.out.kept_keys_hash, f.hash);
                }
                if f.blank {
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
                    self.out.site_keys.push(f.hash);
                }
                let removal = if self.removed_text {
                    Removal::new(slot.line, slot.offset, bytes, slot.eol_len, reason)
                } else {
                    Removal::located(slot.line, slot.offset, bytes.len() as u64, reason)
                };
                match &mut self.hand_off {
                    Some(f) => f(removal),
                    None => self.out.removals.push(removal),
                }
                if !f.blank {
                    self.gap_removed = true;
                    self.last_removed = slot.line;
                }
            }
        }
        if !f.blank {
            self.decided_nonblank += 1;
            self.text_decided |= slot.view.is_body();
            push_bounded(&mut self.recent_numeric, f.is_numeric(), NUMERIC_CONTEXT);
            push_bounded(&mut self.recent_body, f.is_body(), BODY_CONTEXT);
        }
        self.bytes.release_before(slot.at + slot.len as u64);
        self.keys.release_before(slot.key_at + slot.key_len as u64);
        Ok(())
    }

    /// The one place a line's fate is decided: `None` keeps it.
    fn judge(&mut self, slot: &mut Slot) -> Option<Reason> {
        if slot.view.blank() {
            let tidy = self.cfg.detectors.tidy_blanks
                && self.gap_removed
                && (!self.any_kept || self.gap_blank_kept);
            return tidy.then_some(Reason::BlankTidy {
                after_line: self.last_removed,
            });
        }
        if slot.view.oversized {
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
        if !(slot.view.is_body() && self.body_started) {
            key.push_str(slot.key(&self.keys));
        }
        let reason = self.detect(slot, &key);
        if reason.is_none() {
            self.remember_key(slot, &key);
        }
        self.key_scratch = key;
        reason
    }

    fn detect(&mut self, slot: &mut Slot, key: &str) -> Option<Reason> {
        let f = slot.view.feat;
        let d = self.cfg.detectors;
        if d.noise {
            let ctx = noise::Context {
                in_header: !self.body_started,
                numbers_nearby: f.is_numeric() && self.numeric_nearby(),
                in_main_text: slot.side == Side::Inside,
            };
            if let Some(kind) = noise::classify(&f, key, slot.view.shape, ctx) {
                return Some(Reason::Noise { kind });
            }
        }
        // A line that is nothing but a known notice (`Visits: 0`, `评论被关闭。`) or a list's
        // header (`Related articles`) is that, wherever it stands; the user's own rules are
        // orders. Partial matches and a comment section's header are evidence the model weighs
        // with the page.
        if let Some(i) = slot.view.phrase {
            let rule = self.phrases.rule(i as usize);
            if !rule.is_builtin() || matches!(rule.kind, RuleKind::Line | RuleKind::Block) {
                return Some(Reason::BoilerplatePhrase {
                    phrase: rule.pattern.clone(),
                    rule: rule.kind,
                    source: rule.source.clone(),
                });
            }
        }
        if let Some(docs) = self.site_frequent(&f) {
            return Some(Reason::SiteBoilerplate {
                site: self.site.to_string(),
                docs,
                site_docs: self.cross.map_or(0, |c| c.site_docs()),
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
            && slot.model.is_none()
            && let Some(reason) = self.check_title(slot, key)
        {
            return reason;
        }
        // A table's cells repeat by nature (`获奖` down a column): no cell of one is a repeat.
        let repeatable = f.weight >= self.cfg.min_repeat_weight && !f.label && !slot.tabular;
        if repeatable {
            let in_body = self.in_body_context(slot);
            if d.exact
                && let Some(first) = self.exact.first_copy(exact_key(&f))
                && (first.in_body || !in_body)
            {
                return Some(Reason::DuplicateLine {
                    of_line: first.line,
                    block: None,
                });
            }
            if d.near
                && !in_body
                && slot.side != Side::Inside
                && f.is_prose()
                && f.weight >= self.cfg.near_min_weight
                && let Some(m) = self.near.find(key, &f)
                && !self
                    .first_text_line
                    .is_some_and(|(line, weight)| m.line == line && f.weight + 6 <= weight)
            {
                return Some(Reason::NearDuplicateLine {
                    of_line: m.line,
                    similarity: m.similarity,
                });
            }
        }
        if let Some(reason) = slot.model.take() {
            return Some(*reason);
        }
        self.header_of_removed_list(slot)
    }

    /// A list's header whose whole list goes: a label (`Hot topics:`, `热门话题：`) over at least
    /// [`MIN_HEADED_LIST`] lines that all go, or a short heading (`Sections`) over at least
    /// [`MIN_HEADED_MENU`] — up to the next line that stays. Alone, it heads nothing.
    fn header_of_removed_list(&mut self, slot: &Slot) -> Option<Reason> {
        let v = &slot.view;
        let label = v.feat.colon_end && !v.is_body();
        if !(label || v.item) {
            return None;
        }
        let start = self.pending.iter().position(|s| !s.view.blank())?;
        if self.cfg.detectors.blocks
            && self.is_list_item(&self.pending[start])
            && !self.pending[start].run_checked
        {
            self.evaluate_run_at(start);
        }
        let removed: Vec<u64> = self
            .pending
            .iter()
            .filter(|s| !s.view.blank())
            .take_while(|s| matches!(s.verdict, Some(Verdict::Remove(_))) || s.model.is_some())
            .map(|s| s.line)
            .collect();
        let needed = if label {
            MIN_HEADED_LIST
        } else {
            MIN_HEADED_MENU
        };
        // The list must end before the window does: a line that stays follows it.
        let ends = self
            .pending
            .iter()
            .filter(|s| !s.view.blank())
            .nth(removed.len())
            .is_some();
        (removed.len() >= needed && (ends || self.finishing)).then(|| Reason::ListHeader {
            list_first_line: removed[0],
            list_last_line: removed[removed.len() - 1],
        })
    }

    fn remember(&mut self, slot: &Slot) {
        let mut key = std::mem::take(&mut self.key_scratch);
        key.clear();
        key.push_str(slot.key(&self.keys));
        self.remember_key(slot, &key);
        self.key_scratch = key;
    }

    fn remember_key(&mut self, slot: &Slot, key: &str) {
        let f = &slot.view.feat;
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
    fn in_body_context(&self, slot: &Slot) -> bool {
        slot.view.feat.is_body()
            || self.recent_body.iter().any(|&b| b)
            || self
                .pending
                .iter()
                .filter(|s| !s.view.blank())
                .take(BODY_CONTEXT)
                .any(|s| s.view.feat.is_body())
    }

    /// Another number-only line within `NUMERIC_CONTEXT` non-blank lines on either side.
    fn numeric_nearby(&self) -> bool {
        self.recent_numeric.iter().any(|&n| n)
            || self
                .pending
                .iter()
                .filter(|s| !s.view.blank())
                .take(NUMERIC_CONTEXT)
                .any(|s| s.view.feat.is_numeric())
    }

    fn in_title_zone(&self) -> bool {
        !self.body_started && (self.decided_nonblank as usize) < self.cfg.title_zone
    }

    /// Looks ahead for another copy of this title-like line. `Some(None)` keeps this line as the
    /// title (its copy ahead is marked for removal); `Some(Some(r))` removes it.
    fn check_title(&mut self, slot: &Slot, key: &str) -> Option<Option<Reason>> {
        if !self.in_title_zone() || !title::is_title_like(&slot.view.feat) {
            return None;
        }
        let (rel, line_j) = self
            .find_title_copy(slot, key, 0)
            .or_else(|| self.find_heading_of_page_title(slot, key))?;
        let idx = self.pending.iter().position(|s| s.line == line_j)?;
        let other = self.pending[idx].view.feat;
        match title::copy_to_remove(&slot.view.feat, &other, rel) {
            Copy::First => {
                self.pending[idx].verdict = Some(Verdict::KeepTitle);
                self.doc_title = Some(other.hash);
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
                self.doc_title = Some(slot.view.feat.hash);
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
            if s.view.blank() {
                continue;
            }
            seen += 1;
            if seen > self.cfg.title_span || s.view.feat.is_body() {
                return None;
            }
            // Two list items are not a title and its heading; two bullets repeating is for
            // the repeat detectors, with their stricter evidence. A line the model removes is
            // a menu's label, not a heading.
            let both_items = slot.view.feat.marker.is_some() && s.view.feat.marker.is_some();
            if both_items
                || s.verdict.is_some()
                || s.model.is_some()
                || s.view.oversized
                || !title::is_title_like(&s.view.feat)
            {
                continue;
            }
            if let Some(rel) =
                title::relation(key, &slot.view.feat, s.key(&self.keys), &s.view.feat)
            {
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
            .filter(|s| !s.view.blank())
            .take(self.cfg.title_zone)
            .filter(|s| {
                s.verdict.is_none()
                    && s.model.is_none()
                    && !s.view.oversized
                    && title::is_title_like(&s.view.feat)
            })
            .find_map(|s| {
                let rel = title::relation(key, &slot.view.feat, s.key(&self.keys), &s.view.feat)?;
                (rel == title::TitleRelation::SiteAffix
                    && s.view.feat.weight < slot.view.feat.weight)
                    .then_some((rel, s.line))
            })
    }

    /// Judges the list run starting at the front of the window as one block.
    fn evaluate_run(&mut self) {
        self.evaluate_run_at(0);
    }

    /// Judges the list run starting at index `start` of the window as one block.
    fn evaluate_run_at(&mut self, start: usize) {
        let mut members = Vec::new();
        let mut blanks = 0;
        for (i, s) in self.pending.iter().enumerate().skip(start) {
            if s.view.blank() {
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
            let key = s.key(&self.keys);
            let f = &s.view.feat;
            let mut is_title = self.doc_title == Some(f.hash) && !key.is_empty();
            if !is_title
                && title_zone
                && title::is_title_like(f)
                && let Some((rel, line)) = self.find_title_copy(s, key, after)
            {
                is_title = true;
                title_copies.push((i, rel, line));
            }
            items.push(RunItem {
                line: s.line,
                hash: f.hash,
                repeatable: f.weight >= self.cfg.min_repeat_weight && !f.label,
                is_title,
                site_frequent: self.site_frequent(f).is_some(),
                truncated: f.truncated,
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
                self.doc_title = Some(s.view.feat.hash);
            }
        }
    }
}

fn round(v: f64, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (v * m).round() / m
}

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

    const BODY: &str = "The council met on Tuesday and agreed, after a long debate, to rebuild \
                        the old bridge over the river before the winter floods arrive.";

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
        for s in [
            "智能设备正在改变家庭生活的方式。",
            "海洋污染问题引起了广泛关注。",
            "移动支付正在改变人们的习惯。",
            "可持续消费成为新的消费趋势。",
            "海洋污染问题引起了广泛关注。",
            "数据隐私成为最受关注的问题。",
        ] {
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
    fn without_the_model_a_line_waits_only_for_its_lookahead() {
        let mut cfg = Config::default();
        cfg.detectors.boilerplate = false;
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
    fn a_page_is_held_whole_up_to_the_cap_then_judged_a_window_at_a_time() {
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

    #[test]
    fn the_window_holds_no_more_bytes_than_it_may() {
        let cfg = Config {
            max_pending_bytes: 1 << 16,
            ..Config::default()
        };
        let phrases = PhraseSet::empty();
        let mut engine = Engine::new(&cfg, &phrases, 0);
        let mut sink = Vec::new();
        let line = format!("{}\n", "a long line of page text, ".repeat(40));
        for _ in 0..200 {
            engine.push(line.as_bytes(), &mut sink).unwrap();
            assert!(engine.pending_bytes < (1 << 16) + line.len());
        }
        assert!(!sink.is_empty(), "lines left before the input ended");
        let out = engine.finish(&mut sink).unwrap();
        assert_eq!(out.summary.lines_in, 200);
    }

    #[test]
    fn a_paragraph_quoted_above_the_article_goes_there_and_stays_in_it() {
        let lead = "The ferry company will add a late sailing on Fridays from June, after a \
                    summer of full boats and a petition from the island's pubs.";
        // A teaser box quotes the lead above the site's menu; the article follows.
        let mut text = format!("Ferry adds a late sailing\n{lead}\n");
        for item in [
            "Log in",
            "Subscribe",
            "Home",
            "News",
            "Sport",
            "Weather",
            "Culture",
            "Travel",
        ] {
            text.push_str(item);
            text.push('\n');
        }
        text.push_str(&format!("Ferry adds a late sailing\n{lead}\n"));
        for n in 1..=12 {
            text.push_str(&format!("{BODY} That was the {n} point.\n"));
        }
        let (kept, out) = run(&text);
        let r = out
            .removals
            .iter()
            .find(|r| r.line == 2)
            .unwrap_or_else(|| panic!("teaser copy kept: {:?}", reasons(&out)));
        assert!(
            matches!(r.reason, Reason::DuplicateLine { of_line: 12, .. }),
            "{:?}",
            r.reason
        );
        assert_eq!(kept.matches(lead).count(), 1);
        assert!(kept.contains(&format!("{lead}\n{BODY}")), "{kept}");
    }

    #[test]
    fn the_cells_of_a_table_are_no_repeats() {
        let mut text = format!("{BODY}\n{BODY} Once more.\n");
        for (year, prize, result) in [
            ("2019", "City Book Prize", "Won"),
            ("2020", "City Book Prize", "Shortlisted"),
            ("2021", "Essay Prize", "Won"),
            ("2022", "City Book Prize", "Won"),
        ] {
            text.push_str(&format!("{year}\n{prize}\n{result}\n"));
        }
        text.push_str(&format!("{BODY} Last.\n"));
        let (kept, out) = run(&text);
        assert_eq!(
            kept.matches("City Book Prize").count(),
            3,
            "{:?}",
            reasons(&out)
        );
    }

    #[test]
    fn an_announced_list_goes_with_its_header() {
        let text = format!(
            "Bridge to be rebuilt\n{BODY}\n{BODY} Twice.\n{BODY} Thrice.\nRelated articles\n\
             Ferry timetable changes for the winter season\n\
             New cycle lanes open along the old railway line\n"
        );
        let (kept, out) = run(&text);
        let codes = reasons(&out);
        assert!(codes.contains(&(5, "boilerplate_phrase")), "{codes:?}");
        assert!(codes.contains(&(6, "announced_block")), "{codes:?}");
        assert!(codes.contains(&(7, "announced_block")), "{codes:?}");
        assert!(matches!(
            out.removals.iter().find(|r| r.line == 6).unwrap().reason,
            Reason::AnnouncedBlock { header_line: 5, .. }
        ));
        assert!(kept.ends_with("Thrice.\n"), "{kept}");
    }

    #[test]
    fn a_menu_on_one_line_goes_but_a_table_row_stays() {
        let text = format!(
            "{BODY}\n\nName | Age | City\n\n{BODY} Again.\n\n{BODY} Last.\n\n\
             About Us | Contact | Privacy Policy | Careers\n"
        );
        let (kept, out) = run(&text);
        assert!(kept.contains("Name | Age | City"), "{kept}");
        assert!(!kept.contains("About Us"), "{kept}");
        assert!(
            out.removals
                .iter()
                .any(|r| matches!(r.reason, Reason::Menu { row_items: 4 }))
        );
    }

    #[test]
    fn a_menu_above_the_article_goes_with_the_features_that_carried_it() {
        let mut text = String::from("Town News\n");
        for item in [
            "Home", "News", "Sport", "Business", "Opinion", "Weather", "Culture", "Travel",
        ] {
            text.push_str(item);
            text.push('\n');
        }
        text.push_str("Bridge to be rebuilt before the floods\n");
        for n in ["first", "second", "third", "fourth"] {
            text.push_str(&format!("{BODY} That was the {n} point.\n"));
        }
        let (kept, out) = run(&text);
        assert!(
            kept.contains("Bridge to be rebuilt before the floods\n"),
            "{kept}"
        );
        for n in ["first", "second", "third", "fourth"] {
            assert!(kept.contains(&format!("the {n} point")), "{kept}");
        }
        let menu: Vec<&Removal> = out
            .removals
            .iter()
            .filter(|r| (2..=9).contains(&r.line))
            .collect();
        assert!(menu.len() >= 6, "{:?}", reasons(&out));
        let model = menu
            .iter()
            .find_map(|r| match &r.reason {
                Reason::Boilerplate {
                    score,
                    carried_by,
                    main_text_first_line,
                    ..
                } => Some((*score, carried_by.len(), *main_text_first_line)),
                _ => None,
            })
            .expect("a removal by the model");
        assert!(model.0 > 0.5 && model.1 > 0, "{model:?}");
        assert_eq!(model.2, Some(11));
        // Without the model, the menu stays.
        let mut cfg = Config::default();
        cfg.detectors.boilerplate = false;
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let (kept, _) = clean_lines(&cfg, &phrases, &split_lines(text.as_bytes()));
        assert!(String::from_utf8(kept).unwrap().contains("\nWeather\n"));
    }

    #[test]
    fn the_title_line_goes_for_its_heading_past_the_menus() {
        let mut text = String::from("Floods close the old river bridge again | Town News\n");
        for i in 0..20 {
            text.push_str(&format!("Town guide part {i}\n"));
        }
        text.push_str("Floods close the old river bridge again\n");
        for n in ["first", "second", "third"] {
            text.push_str(&format!("{BODY} That was the {n} point.\n"));
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
        assert!(
            matches!(
                title.reason,
                Reason::DuplicateTitle { kept_line: 22, .. } | Reason::Boilerplate { .. }
            ),
            "{:?}",
            title.reason
        );
    }

    #[test]
    fn an_edited_copy_inside_the_main_text_stays() {
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
        text.push_str(question);
        text += &para("third");
        // A later reply quotes the question: part of the thread.
        text.push_str("Posted by Ann\n");
        text.push_str(quoted);
        text += &para("fourth");
        text += &para("fifth");
        let (kept, out) = run(&text);
        assert!(kept.contains(quoted), "{kept}");
        assert!(
            out.removals
                .iter()
                .all(|r| r.reason.code() != "near_duplicate_line"),
            "{:?}",
            reasons(&out)
        );
    }
}
