//! The page context of each line: where the article's main text lies and how a line stands to
//! it and to its neighbours.
//!
//! A naive page dump puts the site's chrome around the article: menus, breadcrumbs and teasers
//! above it, related lists, comment sections and footers below. Being short is never enough to
//! call a line boilerplate (a subheading, a caption or a byline is short too); what the context
//! adds is *where* the line is and *what surrounds it*:
//!
//! - **The main text** runs from the page's first to its last line of running text
//!   ([`LineView::is_body`]; the page's first line only if it ends a sentence), except that
//!   running-text notices just below the article (a footer's legal sentence) do not extend it,
//!   a header after which the article is over (a comment section's, a related list's) ends it
//!   when at least half the running text lies above, and running text set apart from the rest
//!   by site furniture ([`CLUSTER_GAP`] lines holding notices) and much shorter than the
//!   article ([`MAJOR_SHARE`]) neither starts nor ends it: a teaser above the menus, an
//!   activity feed under a login box. A page with fewer than [`MIN_BODY_LINES`] running-text
//!   lines has none.
//! - **Runs**: each stretch of lines without running text between two running-text lines (or
//!   the page's ends) is a run; how long it is, how many of its lines read like links or site
//!   furniture, whether it reads like a table (cells repeat) and whether a label or a sentence
//!   leads into it (`成员：` above a list of names) are what tell a menu from an author's list.
//! - **Announced lists**: under a header that announces a list of links (`Related articles`,
//!   `大家都在看`), the link titles, teasers and headlines that follow are its entries.
//!
//! Nothing here decides: the model ([`crate::model`]) weighs these facts with the line's own.

use std::collections::{HashMap, HashSet};

use nohash_hasher::BuildNoHashHasher;

use crate::features::LineView;
use crate::lexicon::STOP_LANGS;

/// Fewest running-text lines a page needs to have a main text…
pub const MIN_BODY_LINES: usize = 3;
/// …or this many, when at most [`MAX_WRAPPED_LINES`] long lines without sentence punctuation
/// (at least [`WRAPPED_WEIGHT`]) lie around them: prose hard-wrapped at a fixed width, which
/// cannot be told from running text line by line.
pub const MIN_SPARSE_BODY_LINES: usize = 2;
/// See [`MIN_SPARSE_BODY_LINES`].
pub const MAX_WRAPPED_LINES: usize = 10;
/// See [`MIN_SPARSE_BODY_LINES`].
pub const WRAPPED_WEIGHT: u32 = 50;
/// Running-text notices (a footer's legal sentence, a cookie pitch) this many non-blank lines or
/// fewer below the last other running text do not extend the main text.
pub const NOTICE_REACH: usize = 60;
/// Non-blank lines without running text, with at least [`FURNITURE_NOTICES`] notices among them,
/// that set two clusters of running text apart.
pub const CLUSTER_GAP: usize = 8;
/// See [`CLUSTER_GAP`].
pub const FURNITURE_NOTICES: usize = 2;
/// Share of the largest cluster's text a cluster needs to count as part of the article.
pub const MAJOR_SHARE: f64 = 0.1;
/// Non-blank lines on each side whose running text makes a line's text density.
pub const DENSITY_REACH: usize = 5;
/// Non-blank lines on each side looked at for menu names and notices.
pub const MENU_REACH: usize = 2;
/// Most entries of an announced list: a portal's "most read" column runs to a hundred
/// headlines and more, but no list goes on for ever.
pub const MAX_ANNOUNCED: usize = 200;

/// Where a line stands to the main text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// The page has no main text.
    #[default]
    Unknown,
    /// Above its first line.
    Before,
    /// From its first to its last line.
    Inside,
    /// Below its last line.
    After,
}

/// What the page context says about one line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineContext {
    /// Where the line stands to the main text.
    pub side: Side,
    /// Non-blank lines between the line and the main text (0 inside it).
    pub dist: u32,
    /// Non-blank lines of the run holding the line (0 for running text).
    pub run_len: u32,
    /// Lines of that run that read like links or furniture.
    pub run_links: u32,
    /// The count of the menu run holding this line, 0 outside one: consecutive menu items and
    /// link titles (and, outside the main text, headlines and notices joining them), counting
    /// short items, or below the main text every line.
    pub menu_run: u32,
    /// The run reads like a table: its cells repeat, or most are single characters.
    pub run_tabular: bool,
    /// A label (`成员：`, `Ingredients:`) stands above the line in its run, or right above the
    /// run: the line is one of its values.
    pub run_under_label: bool,
    /// A sentence or a line ending in a colon leads into the run.
    pub run_after_sentence: bool,
    /// An entry of a list under a header announcing one.
    pub announced: bool,
    /// That header's index in the page.
    pub header: u32,
    /// Below a header after which the article is over (a comment section's).
    pub below_end: bool,
    /// For running text, the weight of the running text of its cluster (see the module
    /// documentation): of two copies of a paragraph, the one in the larger cluster is the
    /// article's. 0 for other lines.
    pub cluster_weight: u64,
    /// The page's first line (in a dump, its `<title>`).
    pub first_line: bool,
    /// The line's text is part of the first line's (the heading, the site's name).
    pub title_part: bool,
    /// Other lines of the page with the same key.
    pub repeats: u32,
    /// Share of running text among the nearest non-blank lines.
    pub text_near: f32,
    /// Menu names and notices among the nearest non-blank lines, up to running text.
    pub menu_near: u32,
    /// A timestamp away from the main text, with another one on the same side: a feed's.
    pub far_stamp: bool,
    /// Share of the site's other documents that hold this line (crawl), 0 without a crawl.
    pub site_share: f32,
    /// Another document of the site holds this line.
    pub site_shared: bool,
}

/// The page-level facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    /// The main text's first and last line, as indices into the page.
    pub main: Option<(usize, usize)>,
    /// The language whose stop words the page's words hit most (an index into
    /// [`STOP_LANGS`]).
    pub lang: usize,
}

/// What a page is beyond its lines: where it sits in a longer document, and what the crawl
/// knows of its lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Surroundings<'a> {
    /// Running text came before the first of these lines (the window is inside a longer
    /// document): nothing here is above the main text.
    pub text_before: bool,
    /// The document goes on after the last of these lines: nothing here is below the main
    /// text.
    pub more_after: bool,
    /// Per line, the documents of the site that hold it, and the site's documents.
    pub site: Option<(&'a [u32], u64)>,
}

/// The context of every line of a page. `key(i)` is line `i`'s key.
pub fn analyze<'k>(
    lines: &[LineView],
    key: impl Fn(usize) -> &'k str,
    around: Surroundings<'_>,
) -> (Page, Vec<LineContext>) {
    let n = lines.len();
    let mut ctx = vec![LineContext::default(); n];
    let (main, clusters) = main_text(lines, around);
    let page = Page {
        main,
        lang: language(lines),
    };
    let first_line = lines.iter().position(|l| !l.blank());
    for &(a, b, w) in &clusters {
        for i in a..=b {
            if !skipped(&lines[i]) && main_body(&lines[i], i, first_line) {
                ctx[i].cluster_weight = w;
            }
        }
    }
    // Non-blank lines before each index, to measure distances.
    let mut before = Vec::with_capacity(n + 1);
    let mut seen = 0u32;
    for l in lines {
        before.push(seen);
        seen += u32::from(!skipped(l));
    }
    before.push(seen);
    let first = lines.iter().position(|l| !l.blank());
    let first_key = first.map_or("", &key);
    let mut counts: HashMap<u64, u32, BuildNoHashHasher<u64>> = HashMap::default();
    for l in lines.iter().filter(|l| l.feat.key_chars > 0) {
        *counts.entry(l.feat.hash).or_default() += 1;
    }
    for (i, l) in lines.iter().enumerate() {
        let c = &mut ctx[i];
        if l.blank() {
            continue;
        }
        c.first_line = Some(i) == first;
        c.title_part = !c.first_line && is_title_part(key(i), first_key);
        c.repeats = counts.get(&l.feat.hash).map_or(0, |n| n - 1);
        (c.side, c.dist) = match page.main {
            None => (Side::Unknown, 0),
            Some((a, _)) if i < a => (Side::Before, before[a] - before[i + 1]),
            Some((_, b)) if i > b => (Side::After, before[i] - before[b + 1]),
            Some(_) => (Side::Inside, 0),
        };
        if let Some((docs, site_docs)) = around.site
            && site_docs >= 2
            && l.feat.key_chars > 0
        {
            let d = docs[i];
            c.site_shared = d >= 2;
            c.site_share = d.saturating_sub(1) as f32 / (site_docs - 1) as f32;
        }
    }
    mark_runs(lines, &key, &mut ctx);
    mark_menu_runs(lines, page, &key, &mut ctx);
    mark_neighbourhood(lines, &mut ctx);
    mark_announced(lines, page, &mut ctx);
    mark_stamps(lines, &mut ctx);
    (page, ctx)
}

/// Lines that neither join nor break anything: blank, or without a letter or a digit
/// (separator signs between menu items, an icon such as `×`).
fn skipped(l: &LineView) -> bool {
    l.blank() || (!l.oversized && l.feat.is_letterless())
}

/// A line of a run that reads like a link or site furniture.
fn link_like(l: &LineView) -> bool {
    l.item
        || l.link
        || l.loose
        || l.phrase.is_some()
        || l.menu_name
        || l.menu_row.is_some()
        || l.stamp
}

/// Whether a line is running text for the main text's sake: the page's first line (a dump's
/// `<title>`) only if it ends a sentence, as a title with a question in it and a site name after
/// does not.
fn main_body(l: &LineView, i: usize, first: Option<usize>) -> bool {
    l.is_body() && (Some(i) != first || l.feat.sentence_end)
}

/// Clusters of running text: first and last line, and the running text's weight.
type Clusters = Vec<(usize, usize, u64)>;

/// The first and last line of the main text (see the module documentation), and the clusters
/// of running text it was cut from.
fn main_text(lines: &[LineView], around: Surroundings<'_>) -> (Option<(usize, usize)>, Clusters) {
    let mut clusters = Clusters::new();
    let main = main_span(lines, around, &mut clusters);
    (main, clusters)
}

fn main_span(
    lines: &[LineView],
    around: Surroundings<'_>,
    clusters: &mut Clusters,
) -> Option<(usize, usize)> {
    let first_line = lines.iter().position(|l| !l.blank());
    let body = |i: usize| !skipped(&lines[i]) && main_body(&lines[i], i, first_line);
    let bodies: Vec<usize> = (0..lines.len()).filter(|&i| body(i)).collect();
    let (&first, &last) = (bodies.first()?, bodies.last()?);
    let edges = around.text_before || around.more_after;
    if bodies.len() < MIN_BODY_LINES && !edges {
        // Two lines of running text are a main text only without hard-wrapped prose around
        // them, which this cannot see as running text.
        let wrapped = lines
            .iter()
            .enumerate()
            .filter(|&(i, l)| {
                let headline = l.loose && l.feat.weight <= crate::features::MAX_LINK_WEIGHT;
                !(skipped(l) || body(i) || l.item || l.link || headline)
                    && l.feat.weight >= WRAPPED_WEIGHT
            })
            .count();
        if bodies.len() < MIN_SPARSE_BODY_LINES || wrapped > MAX_WRAPPED_LINES {
            return None;
        }
    }
    let mut nonblank = Vec::with_capacity(lines.len() + 1);
    let mut n = 0;
    for l in lines {
        nonblank.push(n);
        n += usize::from(!skipped(l));
    }
    nonblank.push(n);
    // Notices among the last running-text lines (a footer's legal sentence) do not extend it.
    let last_plain = bodies
        .iter()
        .rev()
        .copied()
        .find(|&i| lines[i].phrase.is_none());
    let mut last = match last_plain {
        Some(plain) => bodies
            .iter()
            .rev()
            .copied()
            .take_while(|&i| i > plain)
            .find(|&i| nonblank[i] - nonblank[plain] > NOTICE_REACH)
            .unwrap_or(plain),
        None => last,
    };
    // A header after which the article is over ends it, when enough running text lies above.
    let weight = |i: usize| u64::from(lines[i].feat.weight.min(400));
    let total: u64 = bodies.iter().map(|&i| weight(i)).sum();
    let (mut above, mut count) = (0u64, 0usize);
    for (i, l) in lines.iter().enumerate().skip(first) {
        if (l.is_end_header() || l.is_list_header())
            && count >= MIN_BODY_LINES
            && above * 2 >= total
        {
            last = last.min((first..i).rev().find(|&j| body(j)).unwrap_or(first));
            break;
        }
        if body(i) {
            above += weight(i);
            count += 1;
        }
    }
    // Running text set apart from the rest by site furniture (a stretch without running text
    // holding notices) and much shorter than the article neither starts nor ends it.
    let mut notices = 0;
    for (n, &i) in bodies.iter().enumerate() {
        match clusters.last_mut() {
            Some((_, end, w))
                if notices < FURNITURE_NOTICES
                    || nonblank[i] - nonblank[*end + 1] < CLUSTER_GAP =>
            {
                *end = i;
                *w += weight(i);
            }
            _ => clusters.push((i, i, weight(i))),
        }
        let next = bodies.get(n + 1).copied().unwrap_or(lines.len());
        notices = (i + 1..next).filter(|&j| lines[j].phrase.is_some()).count();
    }
    let largest = clusters.iter().map(|c| c.2).max().unwrap_or(0);
    let major = |c: &&(usize, usize, u64)| c.2 as f64 >= MAJOR_SHARE * largest as f64;
    let start = clusters.iter().find(major).map_or(0, |c| c.0);
    let end = clusters
        .iter()
        .rev()
        .find(major)
        .map_or(usize::MAX, |c| c.1);
    let last = last.min(end);
    let mut first = first.max(start).min(last);
    let mut last = last;
    // Inside a longer document, the window's edges are not the article's.
    if around.text_before {
        first = 0;
    }
    if around.more_after {
        last = lines.len().saturating_sub(1);
    }
    Some((first, last))
}

/// The page's language: the one whose stop words its words hit most (English when none).
fn language(lines: &[LineView]) -> usize {
    let mut hits = [0u32; STOP_LANGS.len()];
    for l in lines {
        for (h, n) in hits.iter_mut().zip(l.stop_hits) {
            *h += u32::from(n);
        }
    }
    // The first language wins ties, so the result is the same whatever the order of lines.
    let mut best = 0;
    for (i, &h) in hits.iter().enumerate() {
        if h > hits[best] {
            best = i;
        }
    }
    best
}

/// Runs: stretches of non-blank lines without running text.
fn mark_runs<'k>(lines: &[LineView], key: &impl Fn(usize) -> &'k str, ctx: &mut [LineContext]) {
    let mut i = 0;
    let mut members = Vec::new();
    while i < lines.len() {
        if skipped(&lines[i]) || lines[i].is_body() {
            i += 1;
            continue;
        }
        let lead = lines[..i].iter().rev().find(|l| !skipped(l));
        members.clear();
        while i < lines.len() && !lines[i].is_body() {
            if !skipped(&lines[i]) {
                members.push(i);
            }
            i += 1;
        }
        let links = members.iter().filter(|&&m| link_like(&lines[m])).count() as u32;
        let tabular = looks_tabular(lines, &members, key);
        // A label above the run, or one inside it above the line: the line is one of its values
        // (`成员：` over a list of names, `Ingredients:` over a recipe's), however many.
        let mut under_label = lead.is_some_and(|l| l.feat.label);
        let after_sentence = lead.is_some_and(|l| {
            (l.feat.colon_end && !l.feat.label) || (l.feat.period_end && l.phrase.is_none())
        });
        for &m in &members {
            let c = &mut ctx[m];
            c.run_len = members.len() as u32;
            c.run_links = links;
            c.run_tabular = tabular;
            c.run_under_label = under_label;
            c.run_after_sentence = after_sentence;
            under_label |= lines[m].feat.label;
        }
    }
}

/// Below the main text, headline-like lines up to this weight join a run of link-like lines…
pub const JOIN_BELOW_WEIGHT: u32 = 50;
/// …and up to this weight when they hold no digit (a figure marks the article's own matter)…
pub const JOIN_BELOW_NO_DIGIT_WEIGHT: u32 = 100;
/// …and above it, up to this weight, when they hold no digit.
pub const JOIN_ABOVE_WEIGHT: u32 = 40;

/// Menu runs: consecutive menu items and link titles (blank and letterless lines neither join
/// nor break them), which headline-like lines outside the main text and notices below it join
/// unless their stretch reads like a table. A run's *count* is its short items, or below the
/// main text all its lines (a list of headlines under an article is a menu as much as a list
/// of section names).
fn mark_menu_runs<'k>(
    lines: &[LineView],
    page: Page,
    key: &impl Fn(usize) -> &'k str,
    ctx: &mut [LineContext],
) {
    let (first_body, last_body) = page.main.unwrap_or((usize::MAX, usize::MAX));
    let below = |i: usize| page.main.is_some() && i > last_body;
    let above = |i: usize| page.main.is_some() && i < first_body;
    let mut joiner: Vec<bool> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let w = l.feat.weight;
            let digits = l.feat.digits > 0;
            let loose_below = below(i)
                && (w <= JOIN_BELOW_WEIGHT
                    || (!digits
                        && w > crate::features::MAX_LINK_WEIGHT
                        && w <= JOIN_BELOW_NO_DIGIT_WEIGHT));
            let loose_above = above(i) && !digits && w <= JOIN_ABOVE_WEIGHT;
            let notice = below(i) && l.phrase.is_some() && !l.is_body() && !l.is_end_header();
            (l.loose && (loose_below || loose_above)) || notice
        })
        .collect();
    let item = |i: usize| lines[i].item || lines[i].link;
    // A stretch of items and joiners that reads like a table keeps its joiners out.
    let mut i = 0;
    let mut stretch = Vec::new();
    while i < lines.len() {
        stretch.clear();
        while i < lines.len() && (skipped(&lines[i]) || item(i) || joiner[i]) {
            if !skipped(&lines[i]) {
                stretch.push(i);
            }
            i += 1;
        }
        if stretch.iter().any(|&m| joiner[m]) && looks_tabular(lines, &stretch, key) {
            for &m in &stretch {
                joiner[m] = false;
            }
        }
        i += 1;
    }
    let mut i = 0;
    let mut members = Vec::new();
    while i < lines.len() {
        if skipped(&lines[i]) || !item(i) {
            i += 1;
            continue;
        }
        members.clear();
        let mut short = 0u32;
        while i < lines.len() && (skipped(&lines[i]) || item(i) || joiner[i]) {
            if !skipped(&lines[i]) {
                members.push(i);
                short += u32::from(lines[i].item);
            }
            i += 1;
        }
        let (first, last) = (members[0], members[members.len() - 1]);
        let after = page.main.is_some() && first > last_body;
        let inside = page.main.is_some() && first <= last_body && last >= first_body;
        let count = if after { members.len() as u32 } else { short };
        if inside && looks_tabular(lines, &members, key) {
            continue;
        }
        for &m in &members {
            ctx[m].menu_run = count;
        }
    }
}

/// Fewest lines of a run that reads like a table: two rows of three cells.
pub const MIN_TABLE_CELLS: usize = 6;

/// Fewest items of a run that repeat an earlier item, as a share of the run, that make it a
/// table rather than a menu.
pub const TABLE_REPEAT_SHARE: f64 = 0.2;

/// A run made mostly of short lines ([`is_cell`]), whose cells repeat (`Won`, `N/A` down a
/// column) or are mostly single characters (text set vertically, a diagram's labels): a table
/// or a figure, not a menu. Menus name each place once.
fn looks_tabular<'k>(
    lines: &[LineView],
    members: &[usize],
    key: &impl Fn(usize) -> &'k str,
) -> bool {
    let cells: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&i| is_cell(&lines[i]))
        .collect();
    if cells.len() < MIN_TABLE_CELLS || cells.len() * 2 < members.len() {
        return false;
    }
    let mut seen: HashSet<u64, BuildNoHashHasher<u64>> =
        HashSet::with_capacity_and_hasher(cells.len(), BuildNoHashHasher::default());
    let repeats = cells
        .iter()
        .filter(|&&i| !seen.insert(lines[i].feat.hash))
        .count();
    let tiny = cells
        .iter()
        .filter(|&&i| key(i).chars().count() <= 1)
        .count();
    repeats as f64 >= TABLE_REPEAT_SHARE * cells.len() as f64 || tiny * 2 >= cells.len()
}

/// A line that can be a table's cell: short, and no sentence.
pub fn is_cell(l: &LineView) -> bool {
    !l.feat.sentence_end && l.feat.weight <= crate::features::MAX_LINK_WEIGHT
}

/// Text density and menu neighbours.
fn mark_neighbourhood(lines: &[LineView], ctx: &mut [LineContext]) {
    let idx: Vec<usize> = (0..lines.len()).filter(|&i| !skipped(&lines[i])).collect();
    let body: Vec<bool> = idx.iter().map(|&i| lines[i].is_body()).collect();
    let furniture: Vec<bool> = idx
        .iter()
        .map(|&i| lines[i].menu_name || lines[i].is_notice() || lines[i].menu_row.is_some())
        .collect();
    let mut prefix = vec![0u32; idx.len() + 1];
    for (k, &b) in body.iter().enumerate() {
        prefix[k + 1] = prefix[k] + u32::from(b);
    }
    for (k, &i) in idx.iter().enumerate() {
        let lo = k.saturating_sub(DENSITY_REACH);
        let hi = (k + DENSITY_REACH + 1).min(idx.len());
        let others = (hi - lo - 1).max(1) as f32;
        ctx[i].text_near = (prefix[hi] - prefix[lo] - u32::from(body[k])) as f32 / others;
        let up = (lo.max(k.saturating_sub(MENU_REACH))..k)
            .rev()
            .take_while(|&j| !body[j])
            .filter(|&j| furniture[j])
            .count();
        let down = (k + 1..(k + 1 + MENU_REACH).min(idx.len()))
            .take_while(|&j| !body[j])
            .filter(|&j| furniture[j])
            .count();
        ctx[i].menu_near = (up + down) as u32;
    }
}

/// Link titles shorter than this (in key weight) are no entries of an announced list…
pub const MIN_ENTRY_WEIGHT: u32 = 12;
/// …nor are lines heavier than this.
pub const MAX_ENTRY_WEIGHT: u32 = 200;

/// Entries of lists under a header that announces one.
fn mark_announced(lines: &[LineView], page: Page, ctx: &mut [LineContext]) {
    // (entries left, header below the text's start, header's index)
    let mut open: Option<(usize, bool, usize)> = None;
    let mut below_end = false;
    for i in 0..lines.len() {
        let l = &lines[i];
        if skipped(l) {
            continue;
        }
        ctx[i].below_end = below_end;
        if let Some((left, after_text, header)) = open {
            let next = lines[i + 1..].iter().find(|n| !skipped(n));
            let short = !l.is_body() && l.feat.weight < MIN_ENTRY_WEIGHT && !l.feat.label;
            let entry =
                is_entry(l, after_text) || (short && next.is_some_and(|n| is_entry(n, after_text)));
            if entry && left > 0 {
                ctx[i].announced = true;
                ctx[i].header = header as u32;
                open = Some((left - 1, after_text, header));
                continue;
            }
            if !l.is_notice() {
                open = None;
            }
        }
        if l.is_list_header() {
            let after_text = page.main.is_some_and(|(a, _)| i > a);
            open = Some((MAX_ANNOUNCED, after_text, i));
        }
        if l.is_end_header() && page.main.is_some_and(|(a, _)| i > a) {
            below_end = true;
        }
    }
}

/// A line that reads as an entry of a list of links: a link title (no running text, no closing
/// period), a teaser cut short with an ellipsis, and, once the article has begun, a headline:
/// running text that ends as no sentence does.
fn is_entry(l: &LineView, after_text: bool) -> bool {
    let f = &l.feat;
    if f.label || !(MIN_ENTRY_WEIGHT..=MAX_ENTRY_WEIGHT).contains(&f.weight) {
        return false;
    }
    if f.truncated {
        return true;
    }
    if !l.is_body() {
        return !f.period_end;
    }
    after_text && (!(f.sentence_end || f.colon_end) || (!f.period_end && f.sentence_marks == 1))
}

/// Non-blank lines that must lie between a timestamp and the main text for it to be a feed's.
pub const STAMP_MARGIN: u32 = 4;

/// Timestamps away from the main text, with another on the same side.
fn mark_stamps(lines: &[LineView], ctx: &mut [LineContext]) {
    for side in [Side::Before, Side::After] {
        let on_side: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].stamp && ctx[i].side == side && ctx[i].dist >= STAMP_MARGIN)
            .collect();
        if on_side.len() >= 2 {
            for i in on_side {
                ctx[i].far_stamp = true;
            }
        }
    }
}

/// A line's key that is part of the title line's (4 characters at least): the heading, the
/// site's name.
pub fn is_title_part(key: &str, title_key: &str) -> bool {
    key.chars().nth(3).is_some() && title_key.contains(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::phrase::PhraseSet;
    use crate::features::ViewBuilder;

    const BODY: &str =
        "This is a long paragraph of running text, the kind of line that an article is made of.";

    fn page(texts: &[&str]) -> (Page, Vec<LineContext>) {
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let mut b = ViewBuilder::new();
        let mut keys = Vec::new();
        let views: Vec<LineView> = texts
            .iter()
            .map(|t| {
                let v = b.view(t, false, &phrases);
                keys.push(b.key().to_string());
                v
            })
            .collect();
        analyze(&views, |i| keys[i].as_str(), Surroundings::default())
    }

    #[test]
    fn the_main_text_runs_from_the_first_to_the_last_paragraph() {
        let (p, c) = page(&[
            "Home",
            "News",
            "Sport",
            "Headline",
            BODY,
            "A subheading",
            BODY,
            BODY,
            "About us",
            "Careers",
            "Privacy",
        ]);
        assert_eq!(p.main, Some((4, 7)));
        assert_eq!((c[0].side, c[0].dist), (Side::Before, 3));
        assert_eq!(
            (c[3].side, c[3].dist),
            (Side::Before, 0),
            "right above the text"
        );
        assert_eq!(c[5].side, Side::Inside);
        assert_eq!((c[10].side, c[10].dist), (Side::After, 2));
        assert_eq!((c[0].run_len, c[0].run_links), (4, 4));
        assert_eq!(c[5].run_len, 1);
        assert!(c[0].first_line && !c[1].first_line);
    }

    #[test]
    fn a_page_with_too_little_running_text_has_no_main_text() {
        let (p, c) = page(&["Home", "News", BODY, "About"]);
        assert_eq!(p.main, None);
        assert!(c.iter().all(|c| c.side == Side::Unknown));
    }

    #[test]
    fn a_comment_header_ends_the_main_text() {
        let (p, c) = page(&["Headline", BODY, BODY, BODY, "Comments", BODY, "Reply"]);
        assert_eq!(p.main, Some((1, 3)));
        assert!(c[5].below_end && !c[3].below_end);
        assert_eq!(c[5].side, Side::After);
    }

    #[test]
    fn a_label_or_a_sentence_leads_into_its_run() {
        let (_, c) = page(&[BODY, "Members:", "Ann Lee", "Bo Chen", BODY, BODY]);
        assert!(c[2].run_under_label || c[1].run_under_label);
        assert!(!c[0].run_under_label);
        let (_, c) = page(&[BODY, "You will need:", "Flour", "Eggs", BODY]);
        assert!(c[2].run_after_sentence);
    }

    #[test]
    fn a_table_is_no_menu() {
        let (_, c) = page(&[
            BODY,
            "Best film",
            "Won",
            "Best actor",
            "Won",
            "Best song",
            "Won",
            BODY,
        ]);
        assert!(c[2].run_tabular);
        let (_, c) = page(&[BODY, "World", "Politics", "Business", "Sport", BODY]);
        assert!(!c[2].run_tabular);
    }

    #[test]
    fn an_announced_list_takes_its_entries() {
        let (_, c) = page(&[
            "Headline",
            BODY,
            BODY,
            "Related articles",
            "Council approves the budget for the new harbour bridge",
            "Local bakery wins the regional prize for its rye bread",
            "Five things to do in town this weekend…",
            BODY,
        ]);
        assert!(c[4].announced && c[5].announced && c[6].announced);
        assert!(!c[3].announced && !c[2].announced);
    }

    #[test]
    fn a_feeds_stamps_are_far_the_datelines_near() {
        let (_, c) = page(&[
            "May 28, 2024",
            "Headline",
            BODY,
            BODY,
            "Share",
            "Story one",
            "May 27, 2024",
            "Story two",
            "May 26, 2024",
            "Story three",
            "2 days ago",
        ]);
        assert!(!c[0].far_stamp);
        assert!(!c[6].far_stamp, "2 lines between it and the text");
        assert!(c[8].far_stamp && c[10].far_stamp);
    }

    #[test]
    fn inside_a_long_document_the_window_edges_are_not_the_articles() {
        let phrases = PhraseSet::empty();
        let mut b = ViewBuilder::new();
        let views: Vec<LineView> = ["Home", BODY, BODY, "More"]
            .iter()
            .map(|t| b.view(t, false, &phrases))
            .collect();
        let around = Surroundings {
            text_before: true,
            more_after: true,
            site: None,
        };
        let (p, c) = analyze(&views, |_| "", around);
        assert_eq!(p.main, Some((0, 3)));
        assert!(c.iter().all(|c| c.side == Side::Inside));
    }
}
