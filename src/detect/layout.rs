//! Menu blocks: runs of short, link-like lines that lie outside the article's main text —
//! navigation menus, breadcrumbs, tag clouds, share rows, language lists, footer link farms.
//!
//! A naive page dump puts the site's chrome above and below the article: dozens of one- or
//! two-word lines. Being short is never enough to remove a line (a subheading, a caption or a
//! speaker label is short too); what this detector adds is *where* the line is:
//!
//! 1. **The main text** is the stretch from the first to the last running-text line
//!    ([`LineFeatures::is_body`]: long, with sentence punctuation — `。！？` for Chinese and
//!    Japanese, length counted in characters — and no line of HTML markup: [`is_markup`], a
//!    tracking pixel's `<img>` tag); the page's first line counts only if it ends
//!    a sentence (a title like `Why X? Y says - Site` does not), and a notice a phrase rule
//!    matches (a footer's legal sentence) does not end it when it lies just below the last
//!    other running-text line ([`Params::notice_reach`]). A page with fewer than
//!    [`Params::min_body_lines`] such lines (or [`Params::min_sparse_body_lines`], when no
//!    hard-wrapped prose lies around them) has no main text this detector can trust, and
//!    nothing on it is removed. Running text far above or below the article beyond site
//!    furniture (a stretch without running text holding notices such as a login box or a
//!    comment form's prompts) and much shorter than it does not start or extend it either
//!    ([`Params::furniture_gap`]): a teaser above the menus, a forum's activity feed, teasers
//!    under a comment form.
//! 2. **A menu item** is a short line (key weight at most [`Params::max_item_weight`]) that reads
//!    like a link label and not like content ([`is_menu_item`]): no sentence or clause
//!    punctuation (a full stop inside a word or after an initial ends no sentence: `Node.js`,
//!    `Timothy P. Carney`), no enumeration (`1.`, `(2)`, `一、`, `3.1` start an author's list or
//!    section), nothing code-like (`$`, `=`, braces, `://`), no `field: value` pair, not mostly
//!    digits, no Chinese or Japanese line ending like speech (`了`, `吗`, `ました`).
//! 3. **A menu block** is a run of at least [`Params::min_items`] consecutive menu items (blank
//!    lines ignored; longer link titles up to [`Params::max_link_weight`] may join it but do not
//!    count) lying wholly before the main text or wholly after it. A much longer run inside the
//!    main text ([`Params::inner_min_items`]: 30 short items at the `balanced` level, 15 at
//!    `aggressive`) goes too — a sidebar or a site menu printed between two stretches of the
//!    article — unless it reads like a table or a figure ([`looks_tabular`]: its cells repeat,
//!    or it is mostly single characters). The [`Params::margin`] lines of a run nearest the
//!    main text stay: captions, bylines, a photo credit or an infobox sit there. Below the main
//!    text the longer link titles count as items too ([`Params::links_count_after`]): a list of
//!    headlines under an article ("more from the site", a related list without its header) is
//!    a menu block though few of its lines are short. Headlines there that no item rule
//!    accepts for a comma, a colon or a `|` (`Rams top Bears, offenses struggle`) join such a
//!    run ([`Params::loose_max_weight`]), unless the stretch reads like a table (a thread's
//!    `Reply` under each post); above the text, shorter ones without a digit join too
//!    ([`Params::loose_before_max_weight`]). Below it, headlines too long for link titles join
//!    when they hold no digit ([`Params::long_loose_max_weight`]), and so do the notices a
//!    phrase rule removes anyway ([`Params::notices_join_after`]). A line without a letter or a
//!    digit (separator signs `›‹`, an icon `×`) breaks no run.
//! 4. **Timestamps** ([`crate::detect::timestamp`]) more than [`Params::timestamp_margin`]
//!    non-blank lines from the main text go when at least [`MIN_STAMPS`] lie on that side: a
//!    feed's dates. The article's dateline, nearer, stays.
//!
//! The page's first line (the `<title>` a dump starts with) and lines whose text is part of it
//! are never taken: the duplicated-title detector decides about those.

use serde::{Deserialize, Serialize};

use crate::normalize::{LineFeatures, Marker};

/// What the detector needs to know about one line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineShape {
    /// Blank lines are skipped: they neither join nor break a run. So are lines without a letter
    /// or a digit between the items of a menu (separator signs `›‹`, an icon `×`): the caller
    /// marks them blank.
    pub blank: bool,
    /// Running text: marks the main text.
    pub body: bool,
    /// Key weight of the line (a CJK character counts 2).
    pub weight: u32,
    /// Could be a menu item ([`is_menu_item`]).
    pub item: bool,
    /// Could be a link title: reads like an item but is longer (up to
    /// [`Params::max_link_weight`]). Joins a run, but does not count towards its length.
    pub link: bool,
    /// Never removed (the title line and copies of it), though it does not break a run.
    pub protected: bool,
    /// A field name or speaker label (`成员：`, `Members:`): the short lines under it are its
    /// values, not a menu.
    pub label: bool,
    /// A header after which the article is over (a comment section's, a related list's): the
    /// main text ends at the last running-text line above it, if at least as much running text
    /// lies above it as below.
    pub ends_text: bool,
    /// A full sentence too short to be running text (`Daring Fireball is written by John
    /// Gruber.`): a run right under it continues what the sentence began (a colophon's list of
    /// tools, the items a paragraph announces).
    pub sentence: bool,
    /// Matched by a phrase rule (a cookie or copyright notice, a subscription pitch): removed
    /// whatever its length, and no end of the main text when it is running text just below it
    /// (see [`Params::notice_reach`]). Below the text it joins a run of items
    /// ([`Params::notices_join_after`]).
    pub notice: bool,
    /// Hash of the line's key: repeated cells tell a table from a menu.
    pub hash: u64,
    /// A date or a time alone on the line ([`crate::detect::timestamp::is_timestamp`]).
    pub stamp: bool,
    /// Holds a digit.
    pub digits: bool,
    /// Reads like a headline or a furniture label though it is no menu item
    /// ([`is_loose_item`]: a comma, a colon, a `|`, spaced CJK words, or too long for an item):
    /// outside the main text it joins a run of menu items (see [`Params::loose_max_weight`],
    /// [`Params::long_loose_max_weight`] and [`Params::loose_before_max_weight`]).
    pub loose: bool,
}

/// Tunables; [`Params::default`] is the `balanced` level, and a field left out of a settings
/// file or a report takes its value from there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Fewest menu items in a run outside the main text.
    pub min_items: usize,
    /// Fewest running-text lines a page needs before anything is removed.
    pub min_body_lines: usize,
    /// A page with fewer running-text lines than [`Params::min_body_lines`] but at least this
    /// many has a main text too (a short story under a wall of headlines), unless more than
    /// [`MAX_WRAPPED_LINES`] long lines without sentence punctuation lie around it: prose
    /// hard-wrapped at a fixed width, which this detector cannot see as running text. `None`:
    /// such pages keep every line.
    pub min_sparse_body_lines: Option<usize>,
    /// Heaviest menu item (key weight: a CJK character counts 2).
    pub max_item_weight: u32,
    /// Heaviest link title that may join a run of menu items (a "latest posts" headline).
    pub max_link_weight: u32,
    /// Fewest short items of a run inside the main text (a site menu or a sidebar printed
    /// between two stretches of the article); `None` leaves such runs alone. Runs that read like
    /// a table stay whatever their length.
    pub inner_min_items: Option<usize>,
    /// In a crawl: fewest consecutive link-like lines inside the main text, each also on
    /// another page of a small site, that go as site boilerplate; `None` leaves them alone.
    pub shared_inner_min_items: Option<usize>,
    /// Running text after the article: a cluster of running-text lines separated from the rest
    /// by more than this many non-blank lines, and holding less than [`Params::tail_share`] of
    /// the text of the largest cluster, ends no main text (a comment, a cookie notice, a
    /// teaser). `None` lets every running-text line count.
    pub tail_gap: Option<usize>,
    /// See [`Params::tail_gap`].
    pub tail_share: f64,
    /// The lines of a run this close to the main text (in non-blank lines) stay: captions,
    /// bylines, an infobox or a "Highlights" label sit there.
    pub margin: usize,
    /// Notices ([`LineShape::notice`]) that are running text — a footer's legal sentence, a
    /// cookie or newsletter pitch — and lie at most this many non-blank lines below the last
    /// other running-text line do not extend the main text, so the footer menus between them
    /// and the article lie after it. `None` lets them count like any running text.
    pub notice_reach: Option<usize>,
    /// Below the main text, link titles (lines up to [`Params::max_link_weight`] that read
    /// like items) count towards [`Params::min_items`] like short items, and go with them: a
    /// list of headlines under the article. `false` counts only short items everywhere.
    pub links_count_after: bool,
    /// Running text beyond site furniture: a cluster of running-text lines set apart from the
    /// next by at least this many non-blank lines without running text, among them at least
    /// [`Params::furniture_lines`] notices ([`LineShape::notice`]: a login box, a share row, a
    /// comment form's prompts), and holding less than [`Params::furniture_share`] of the text
    /// of the largest cluster, neither starts nor ends the main text: a teaser or a banner's
    /// sentence above the site's menus, a forum's activity feed under its login box, the
    /// teasers under a comment form. `None` lets such clusters count.
    pub furniture_gap: Option<usize>,
    /// See [`Params::furniture_gap`].
    pub furniture_lines: usize,
    /// See [`Params::furniture_gap`].
    pub furniture_share: f64,
    /// Timestamps ([`LineShape::stamp`]) more than this many non-blank lines away from the main
    /// text go, when at least [`MIN_STAMPS`] lie on the same side of it: a teaser list's or a
    /// feed's dates. Nearer, a date is the article's dateline and stays. `None` leaves every
    /// timestamp alone.
    pub timestamp_margin: Option<usize>,
    /// Below the main text, lines up to this key weight that read like headlines though they
    /// are no menu items ([`LineShape::loose`]: `Antonio Brown apologizes to Patriots, owner
    /// Robert Kraft`, `多乐 | 2024-01-10`) join a run of items and go with it; they do not count
    /// towards its length. Not where the run reads like a table ([`looks_tabular`]: a thread's
    /// `Reply` under each post). `None` lets them break runs.
    pub loose_max_weight: Option<u32>,
    /// Below the main text, headline-like lines longer than link titles
    /// ([`Params::max_link_weight`]) and without a digit join a run of items too, up to this key
    /// weight (`Why movies went from fifteen minutes to two hours long`): a list
    /// of teasers whose titles are too long for link titles. A figure keeps such a line out
    /// (`June 10 – Tampa, FL @ Amphitheatre`: a tour's dates are the article's). `None`: only
    /// [`Params::loose_max_weight`] applies.
    pub long_loose_max_weight: Option<u32>,
    /// Below the main text, a line a phrase rule matches ([`LineShape::notice`]: `We use
    /// cookies.`, `Your email address will not be published.`) joins a run of items instead of
    /// breaking it, unless it is running text or a header that ends the text. It goes anyway;
    /// the menus on either side of it go with it. `false` lets notices break runs.
    pub notices_join_after: bool,
    /// Above the main text, the same headline-like lines join a run up to this key weight when
    /// they hold no digit (a dateline, a score or an edition number belongs to the article's
    /// header). `None` lets them break runs there.
    pub loose_before_max_weight: Option<u32>,
    /// The run right under a field name or speaker label ([`LineShape::label`]) is its value
    /// list and stays, up to this many counted items; a longer one outside the main text is a
    /// menu under a header (`Channels:` over the site's sections, `Categories:` over a link
    /// farm). `None`: any length stays.
    pub max_label_values: Option<usize>,
    /// The run right under a short sentence ([`LineShape::sentence`]) continues it (a colophon's
    /// list of tools) and stays, up to this many counted items; a longer one outside the main
    /// text is a menu. `None`: any length stays.
    pub max_sentence_list: Option<usize>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            min_items: 5,
            min_body_lines: 3,
            min_sparse_body_lines: Some(2),
            max_item_weight: 30,
            max_link_weight: 60,
            inner_min_items: Some(30),
            shared_inner_min_items: None,
            tail_gap: None,
            tail_share: 0.25,
            margin: 2,
            notice_reach: Some(60),
            links_count_after: true,
            furniture_gap: Some(8),
            furniture_lines: 2,
            furniture_share: 0.1,
            timestamp_margin: Some(4),
            loose_max_weight: Some(50),
            long_loose_max_weight: Some(100),
            notices_join_after: true,
            loose_before_max_weight: Some(40),
            max_label_values: Some(5),
            max_sentence_list: Some(19),
        }
    }
}

/// Which side of the main text a block lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Above the first running-text line.
    Before,
    /// Below the last running-text line.
    After,
    /// Between running-text lines (a long run, `aggressive` level only).
    Inside,
}

/// The part of a run that goes, as indices into the slice given to [`find`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Index of the first item.
    pub first: usize,
    /// Index of the last item.
    pub last: usize,
    /// Non-blank lines that go (the run's lines nearest the main text stay).
    pub items: usize,
    /// Where it lies.
    pub side: Side,
}

/// The main text and the runs to remove: indices into `lines`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// First and last running-text line, when the page has enough of them.
    pub main_text: Option<(usize, usize)>,
    /// Menu blocks, in order.
    pub runs: Vec<Run>,
    /// Timestamps away from the main text, in order.
    pub stamps: Vec<usize>,
}

/// Finds the main text and the menu blocks around it.
pub fn find(lines: &[LineShape], p: &Params) -> Layout {
    let mut body = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.body && !l.blank)
        .map(|(i, _)| i);
    let Some(first_body) = body.next() else {
        return Layout::default();
    };
    let (count, last_body) = body.fold((1, first_body), |(n, _), i| (n + 1, i));
    if count < p.min_body_lines.max(1) {
        let wrapped = || {
            lines
                .iter()
                .filter(|l| {
                    // A headline longer than a link title may be a wrapped line all the same.
                    let headline = l.loose && l.weight <= p.max_link_weight;
                    let other = l.blank || l.body || l.item || l.link || headline;
                    !other && l.weight >= WRAPPED_WEIGHT
                })
                .count()
        };
        let sparse = p
            .min_sparse_body_lines
            .is_some_and(|m| count >= m.max(1) && wrapped() <= MAX_WRAPPED_LINES);
        if !sparse {
            return Layout::default();
        }
    }
    // Non-blank lines before each index, to measure distances to the main text.
    let mut nonblank_before = Vec::with_capacity(lines.len() + 1);
    let mut n = 0;
    for l in lines {
        nonblank_before.push(n);
        n += usize::from(!l.blank);
    }
    nonblank_before.push(n);
    let last_body = match p.notice_reach {
        Some(reach) => last_text_line(lines, &nonblank_before, last_body, reach),
        None => last_body,
    };
    let last_body = text_end_marker(lines, first_body, p.min_body_lines).unwrap_or(last_body);
    let last_body = match p.tail_gap {
        Some(gap) => main_text_end(lines, &nonblank_before, gap, p.tail_share),
        None => last_body,
    };
    let (first_body, last_body) = match p.furniture_gap {
        Some(gap) => {
            let (start, end) = text_within_furniture(
                lines,
                &nonblank_before,
                gap,
                p.furniture_lines,
                p.furniture_share,
            );
            let last = last_body.min(end);
            (first_body.max(start).min(last), last)
        }
        None => (first_body, last_body),
    };
    // Headline-like lines outside the main text, and notices below it, that join runs, unless
    // their stretch reads like a table (a thread's controls repeat under each post).
    let mut joiner: Vec<bool> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let below = i > last_body
                && (p.loose_max_weight.is_some_and(|w| l.weight <= w)
                    || (!l.digits
                        && l.weight > p.max_link_weight
                        && p.long_loose_max_weight.is_some_and(|w| l.weight <= w)));
            // Above the text a figure marks the article's own header matter (a dateline, a
            // score, an edition): only headlines without one join there.
            let above = i < first_body
                && !l.digits
                && p.loose_before_max_weight.is_some_and(|w| l.weight <= w);
            // A notice below the text goes whatever it is; the menus around it go with it.
            let notice =
                p.notices_join_after && i > last_body && l.notice && !l.body && !l.ends_text;
            (l.loose && (below || above)) || notice
        })
        .collect();
    let mut i = 0;
    let mut stretch = Vec::new();
    while i < lines.len() {
        stretch.clear();
        while i < lines.len() && (lines[i].blank || lines[i].item || lines[i].link || joiner[i]) {
            if !lines[i].blank {
                stretch.push(i);
            }
            i += 1;
        }
        if stretch.iter().any(|&m| joiner[m]) && looks_tabular(lines, &stretch) {
            for &m in &stretch {
                joiner[m] = false;
            }
        }
        i += 1;
    }
    let joins = |i: usize| lines[i].item || lines[i].link || joiner[i];
    let mut runs = Vec::new();
    let mut members = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].blank || !(lines[i].item || lines[i].link) {
            i += 1;
            continue;
        }
        // A run of items, blank lines skipped, unless it is the value list of a label or
        // follows a sentence (see `Params::max_label_values`). A notice (`© 2018 Example Inc.
        // All rights reserved.`) announces no list: the next menu often follows it.
        let prev = lines[..i].iter().rev().find(|l| !l.blank);
        let after_label = prev.is_some_and(|l| l.label);
        let after_sentence = prev.is_some_and(|l| l.sentence && !l.notice);
        members.clear();
        let mut short_items = 0;
        while i < lines.len() && (lines[i].blank || joins(i)) {
            if !lines[i].blank {
                members.push(i);
                short_items += usize::from(lines[i].item);
            }
            i += 1;
        }
        let (first, last, items) = (members[0], members[members.len() - 1], members.len());
        let side = if last < first_body {
            Side::Before
        } else if first > last_body {
            Side::After
        } else {
            Side::Inside
        };
        let needed = match side {
            Side::Before | Side::After => Some(p.min_items),
            Side::Inside => p.inner_min_items,
        };
        // Below the article, a list of headlines is a menu block too.
        let links_count = side == Side::After && p.links_count_after;
        let counted = if links_count { items } else { short_items };
        // Outside the main text a long run under a label or a sentence is a menu all the same
        // (`Channels:` over the site's sections).
        let within = |max: Option<usize>| side == Side::Inside || max.is_none_or(|m| counted <= m);
        let continues = (after_label && within(p.max_label_values))
            || (after_sentence && within(p.max_sentence_list));
        if continues || needed.is_none_or(|n| counted < n.max(2)) {
            continue;
        }
        // The lines nearest the main text stay: the `margin` nearest, and longer link titles
        // between the last counted item and the text (a heading, a caption).
        let short_at = |&i: &usize| lines[i].item || links_count;
        let taken = match side {
            Side::Before => {
                let gap = nonblank_before[first_body] - nonblank_before[last + 1];
                let end = items - p.margin.saturating_sub(gap).min(items);
                let end = members[..end]
                    .iter()
                    .rposition(short_at)
                    .map_or(0, |k| k + 1);
                &members[..end]
            }
            Side::After => {
                let gap = nonblank_before[first] - nonblank_before[last_body + 1];
                let start = p.margin.saturating_sub(gap).min(items);
                let start = members[start..]
                    .iter()
                    .position(short_at)
                    .map_or(items, |k| start + k);
                &members[start..]
            }
            Side::Inside => {
                if looks_tabular(lines, &members) {
                    continue;
                }
                &members[..]
            }
        };
        if let (Some(&first), Some(&last)) = (taken.first(), taken.last()) {
            runs.push(Run {
                first,
                last,
                items: taken.len(),
                side,
            });
        }
    }
    let stamps = match p.timestamp_margin {
        Some(margin) => {
            let near = |i: usize| {
                let (from, to) = if i < first_body {
                    (i + 1, first_body)
                } else {
                    (last_body + 1, i)
                };
                nonblank_before[to] - nonblank_before[from] < margin
            };
            let far: Vec<usize> = (0..lines.len())
                .filter(|&i| {
                    let l = &lines[i];
                    l.stamp && !l.protected && (i < first_body || i > last_body) && !near(i)
                })
                .collect();
            // A lone date far from the text may be a programme's heading; a feed stamps each
            // of its items.
            let before = far.iter().filter(|&&i| i < first_body).count();
            let after = far.len() - before;
            far.into_iter()
                .filter(|&i| {
                    let on_side = if i < first_body { before } else { after };
                    on_side >= MIN_STAMPS
                })
                .collect()
        }
        None => Vec::new(),
    };
    Layout {
        main_text: Some((first_body, last_body)),
        runs,
        stamps,
    }
}

/// The last running-text line before the first header that ends the article, when at least
/// `min_body` running-text lines and at least as much running text (by weight) lie above the
/// header as below it. A "Related" box early in a story does not end it.
fn text_end_marker(lines: &[LineShape], first_body: usize, min_body: usize) -> Option<usize> {
    let total: u64 = lines
        .iter()
        .filter(|l| l.body && !l.blank)
        .map(|l| u64::from(l.weight))
        .sum();
    let (mut above, mut count, mut last) = (0u64, 0usize, None);
    for (i, l) in lines.iter().enumerate().skip(first_body) {
        if l.ends_text && count >= min_body.max(1) && above * 2 >= total {
            return last;
        }
        if l.body && !l.blank {
            above += u64::from(l.weight);
            count += 1;
            last = Some(i);
        }
    }
    None
}

/// The last running-text line of the main text, `last_body` being the page's: notices among
/// the last running-text lines are looked past while they lie within `reach` non-blank lines of
/// the last other one (see [`Params::notice_reach`]).
fn last_text_line(
    lines: &[LineShape],
    nonblank_before: &[usize],
    last_body: usize,
    reach: usize,
) -> usize {
    let text = |i: &usize| lines[*i].body && !lines[*i].blank;
    let Some(last_plain) = (0..=last_body)
        .rev()
        .filter(text)
        .find(|&i| !lines[i].notice)
    else {
        return last_body;
    };
    (last_plain + 1..=last_body)
        .rev()
        .filter(text)
        .find(|&i| nonblank_before[i] - nonblank_before[last_plain] > reach)
        .unwrap_or(last_plain)
}

/// Clusters of running text as (first line, last line, weight), in order: a cluster ends where
/// at least `gap` non-blank lines without running text, `notices` of them notices, lie before
/// the next running-text line.
fn body_clusters(
    lines: &[LineShape],
    nonblank_before: &[usize],
    gap: usize,
    notices: usize,
) -> Vec<(usize, usize, u64)> {
    let mut clusters: Vec<(usize, usize, u64)> = Vec::new();
    let mut notices_since = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.blank {
            continue;
        }
        if !l.body {
            notices_since += usize::from(l.notice);
            continue;
        }
        let w = u64::from(l.weight.min(400));
        match clusters.last_mut() {
            Some((_, last, weight))
                if notices_since < notices
                    || nonblank_before[i] - nonblank_before[*last + 1] < gap =>
            {
                *last = i;
                *weight += w;
            }
            _ => clusters.push((i, i, w)),
        }
        notices_since = 0;
    }
    clusters
}

/// The first line of the first cluster holding at least `share` of the text of the largest,
/// and the last line of the last such cluster.
fn major_span(clusters: &[(usize, usize, u64)], share: f64) -> Option<(usize, usize)> {
    let largest = clusters.iter().map(|c| c.2).max()?;
    let major = |c: &&(usize, usize, u64)| c.2 as f64 >= share * largest as f64;
    let first = clusters.iter().find(major)?;
    let last = clusters.iter().rev().find(major)?;
    Some((first.0, last.1))
}

/// The last line of the last cluster of running text that is not a minor one (see
/// [`Params::tail_gap`]).
fn main_text_end(lines: &[LineShape], nonblank_before: &[usize], gap: usize, share: f64) -> usize {
    major_span(&body_clusters(lines, nonblank_before, gap, 0), share).map_or(0, |s| s.1)
}

/// The first and last running-text lines of the clusters that are not minor ones, clusters being
/// split only where notices lie between (see [`Params::furniture_gap`]).
fn text_within_furniture(
    lines: &[LineShape],
    nonblank_before: &[usize],
    gap: usize,
    notices: usize,
    share: f64,
) -> (usize, usize) {
    let clusters = body_clusters(lines, nonblank_before, gap, notices.max(1));
    major_span(&clusters, share).unwrap_or((0, usize::MAX))
}

/// Whether a line is HTML markup a scraper left in (`<img src="…/pixel.gif" width="1">`, a
/// `<div>` with an ad's script): it starts with `<` and ends with `>`. Its dots and question
/// marks end no sentence, so it is no running text, whatever its length. `line` is the line
/// without its ending.
pub fn is_markup(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    t.len() > 2 && t.starts_with(b"<") && t.ends_with(b">")
}

/// Whether a line reads like a menu item: short, and none of the marks of content.
/// `text` is the line without its ending.
pub fn is_menu_item(text: &str, f: &LineFeatures, max_weight: u32) -> bool {
    if f.blank || f.key_chars == 0 || f.weight > max_weight {
        return false;
    }
    let t = text.trim();
    if f.sentence_marks > 0 && (ends_a_sentence(t) || numbered_section(t)) {
        return false;
    }
    // Clause punctuation, a `field: value` pair, CJK words with spaces between (a list of
    // names): no link label, though a headline may carry them ([`is_loose_item`]).
    let clause = t.contains(['，', '、', '；', ';', '|'])
        || t.contains(", ")
        || has_field_colon(t)
        || (f.cjk_chars > 0 && spaced_cjk(t));
    !(clause || has_content_marks(t, f))
}

/// Whether a line that [`is_menu_item`] refuses still reads like a headline or a label of site
/// furniture: refused only for a comma, a colon, a `|` or spaced CJK words, with no sentence end
/// and none of the content marks an item may not carry either (an enumeration, a field name,
/// mostly digits, code, a spoken ending). Such lines join a run of items outside the main text
/// ([`Params::loose_max_weight`]).
pub fn is_loose_item(text: &str, f: &LineFeatures, max_weight: u32) -> bool {
    if f.blank || f.key_chars == 0 || f.weight > max_weight || f.sentence_end {
        return false;
    }
    !has_content_marks(text.trim(), f)
}

/// Marks of content that no link label carries, whatever its punctuation: an enumeration
/// (`1.`, `(2)`, `一、`), a field name, mostly digits (a date, a count, a table cell: the noise
/// detector's business), something code-like (`$`, `=`, braces, `://`, a leading `#`, `//` or
/// `--`), or a Chinese or Japanese line ending like speech. `t` is the trimmed line.
fn has_content_marks(t: &str, f: &LineFeatures) -> bool {
    f.marker == Some(Marker::Number)
        || f.label
        || f.digits * 2 >= f.text_chars
        || t.contains(['$', '=', '{', '}', '<', '>', '\\'])
        || t.contains("://")
        || t.starts_with('#')
        || t.starts_with("//")
        || t.starts_with("--")
        || (f.cjk_chars > 0 && spoken_ending(t))
}

/// Whether a sentence mark in `t` ends a sentence: `!`, `?`, `。`, `…`, or a full stop at the end
/// of a word before a space or the line's end. A full stop inside a word (`Node.js`,
/// `example.com`, `3.5`) or after an initial (`Timothy P. Carney`, `U.S.`) ends none: a name or
/// a domain is still a link label.
fn ends_a_sentence(t: &str) -> bool {
    let mut prev = [' ', ' '];
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        let ends = match c {
            '.' | '．' => {
                let at_break = chars.peek().is_none_or(|n| n.is_whitespace());
                let initial = prev[1].is_alphabetic() && !prev[0].is_alphanumeric();
                at_break && !initial
            }
            '!' | '?' | ';' | '。' | '！' | '？' | '；' | '…' => true,
            _ => false,
        };
        if ends {
            return true;
        }
        prev = [prev[1], c];
    }
    false
}

/// A heading numbered by section (`3.1 Foreign relations`, `2.4.1 Limits`): a table of contents
/// or the article's own structure, not a menu.
fn numbered_section(t: &str) -> bool {
    let number = t.split_whitespace().next().unwrap_or("");
    let mut parts = number.trim_end_matches('.').split('.');
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    parts.next().is_some_and(digits) && parts.next().is_some_and(digits) && parts.all(digits)
}

/// A Chinese or Japanese line ending the way speech does — a sentence-final particle (`了`,
/// `吗`, `吧`…) or a polite verb ending (`です`, `ました`…): a short reply or remark, which
/// link labels (noun phrases) are not. Trailing punctuation and emoji are looked past.
fn spoken_ending(t: &str) -> bool {
    const PARTICLES: &[char] = &['了', '吗', '呢', '吧', '啊', '呀', '哦', '嘛', '啦'];
    const POLITE: &[&str] = &["です", "ます", "ました", "ません", "でした", "ください"];
    let end = t.trim_end_matches(|c: char| !crate::normalize::is_cjk(c) && !c.is_alphanumeric());
    end.ends_with(PARTICLES) || POLITE.iter().any(|p| end.ends_with(p))
}

/// CJK words with spaces between them (`吴 江 卢爱国`): a list of names, a credit line. Menus
/// in Chinese and Japanese write their items without spaces.
fn spaced_cjk(t: &str) -> bool {
    let mut prev_cjk = false;
    let mut gap = false;
    for c in t.chars() {
        if c.is_whitespace() || c == '\u{3000}' {
            gap = true;
            continue;
        }
        let cjk = crate::normalize::is_cjk(c);
        if cjk && prev_cjk && gap {
            return true;
        }
        prev_cjk = cjk;
        gap = false;
    }
    false
}

/// Most long lines without sentence punctuation (at least [`WRAPPED_WEIGHT`], no item or link
/// title) a page with few running-text lines may hold and still have a main text (see
/// [`Params::min_sparse_body_lines`]).
pub const MAX_WRAPPED_LINES: usize = 10;

/// Least key weight of a line of hard-wrapped prose (see [`MAX_WRAPPED_LINES`]).
pub const WRAPPED_WEIGHT: u32 = 50;

/// Fewest timestamps on one side of the main text that go (see [`Params::timestamp_margin`]).
pub const MIN_STAMPS: usize = 2;

/// Fewest items of a run that repeat an earlier item, as a share of the run, that make it a
/// table rather than a menu (see [`looks_tabular`]).
pub const TABLE_REPEAT_SHARE: f64 = 0.2;

/// A run whose cells repeat (`Won`, `N/A` down a column: at least [`TABLE_REPEAT_SHARE`] of
/// its items repeat an earlier one) or that is mostly single characters (text set vertically,
/// a diagram's labels): a table or a figure of the article, not a menu. Menus name each place
/// once.
pub fn looks_tabular(lines: &[LineShape], members: &[usize]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    let repeats = members
        .iter()
        .filter(|&&i| !seen.insert(lines[i].hash))
        .count();
    let tiny = members.iter().filter(|&&i| lines[i].weight <= 2).count();
    repeats as f64 >= TABLE_REPEAT_SHARE * members.len() as f64 || tiny * 2 >= members.len()
}

/// A full sentence (ending in a full stop, at least 40 in key weight) that is not running text.
pub fn is_short_sentence(f: &LineFeatures) -> bool {
    f.period_end && f.weight >= 40 && !f.is_body()
}

/// `name: value` or `名称：值` — a colon with text on both sides.
fn has_field_colon(t: &str) -> bool {
    t.char_indices().any(|(i, c)| {
        (c == ':' || c == '：')
            && i > 0
            && t[i + c.len_utf8()..].trim_start().chars().next().is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::KeyBuilder;

    fn shape(text: &str) -> LineShape {
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(text.as_bytes());
        let p = Params::default();
        let item = is_menu_item(text, &f, p.max_item_weight);
        let link = !item && is_menu_item(text, &f, p.max_link_weight);
        LineShape {
            blank: f.blank,
            body: f.is_body(),
            weight: f.weight,
            item,
            link,
            protected: false,
            label: f.label,
            ends_text: false,
            sentence: is_short_sentence(&f),
            notice: false,
            hash: f.hash,
            stamp: crate::detect::timestamp::is_timestamp(text),
            digits: f.digits > 0,
            loose: !item
                && !link
                && !f.is_body()
                && is_loose_item(
                    text,
                    &f,
                    p.max_link_weight.max(p.long_loose_max_weight.unwrap_or(0)),
                ),
        }
    }

    fn lines(texts: &[&str]) -> Vec<LineShape> {
        texts.iter().map(|t| shape(t)).collect()
    }

    const BODY: &str =
        "This is a long paragraph of running text, the kind of line that an article is made of.";
    const BODY_ZH: &str = "这是一段很长的正文，文章就是由这样的段落组成的，每句话都以句号结束。";

    #[test]
    fn menu_items_and_content_lines() {
        for item in [
            "Home",
            "World News",
            "Sign in",
            "首页",
            "国际新闻",
            "了解更多",
            "お問い合わせ",
            "Español",
            "Timothy P. Carney",
            "W. James Antle III",
            "U.S. Politics",
            "Node.js",
            "MoreBikes.com",
        ] {
            assert!(shape(item).item, "{item} should be a menu item");
        }
        for content in [
            "1. Preheat the oven",
            "一、培养目标",
            "Q:",
            "地 点：南开大学",
            "Time: 7:30",
            "2023-02-28 17:31",
            "echo $PATH",
            "x = 1",
            "# install",
            "He stopped.",
            "深夜看书须尽欢，",
            "apples, pears",
            "吴 江 卢爱国",
            "直接执行命令就可以了",
            "你试过了吗？",
            "ありがとうございました♡",
            "3.1 Foreign relations",
            "2.4.1 Limits",
            "Stop. Look. Listen",
            "Read more…",
            "Was it worth it? Yes",
            "Go on!",
            BODY,
            "",
        ] {
            assert!(
                !shape(content).item,
                "{content:?} should not be a menu item"
            );
        }
    }

    #[test]
    fn runs_before_and_after_the_main_text_go() {
        let page = lines(&[
            "Home",
            "News",
            "Sport",
            "",
            "Weather",
            "Contact",
            "Headline of the story",
            BODY,
            BODY,
            BODY,
            "About us",
            "Careers",
            "Privacy",
            "Terms",
            "Cookies",
            "Sitemap",
        ]);
        let l = find(&page, &Params::default());
        assert_eq!(l.main_text, Some((7, 9)));
        assert_eq!(
            l.runs,
            vec![
                Run {
                    first: 0,
                    last: 4,
                    items: 4,
                    side: Side::Before
                },
                Run {
                    first: 12,
                    last: 15,
                    items: 4,
                    side: Side::After
                }
            ]
        );
    }

    #[test]
    fn a_list_of_headlines_below_the_article_goes() {
        const HEADLINES: [&str; 5] = [
            "Council approves the budget for the new harbour bridge",
            "Local bakery wins the regional prize for its rye bread",
            "Five things to do in town this weekend with the family",
            "港口大桥维修工程下周一正式开工建设",
            "Library extends its opening hours over the summer",
        ];
        let page = |n: usize| {
            let mut texts = vec!["Headline of the story", BODY, BODY, BODY, "More news"];
            texts.extend(&HEADLINES[..n]);
            lines(&texts)
        };
        assert!(page(5)[5..].iter().all(|l| l.link && !l.item));
        let l = find(&page(5), &Params::default());
        assert_eq!(
            l.runs,
            vec![Run {
                first: 6,
                last: 9,
                items: 4,
                side: Side::After
            }],
            "the two lines nearest the text stay (the margin)"
        );
        // Four lines are too few; above the article, or counting short items only, they stay.
        assert!(find(&page(3), &Params::default()).runs.is_empty());
        let only_short = Params {
            links_count_after: false,
            ..Params::default()
        };
        assert!(find(&page(5), &only_short).runs.is_empty());
        let mut above = page(5)[4..].to_vec();
        above.extend(lines(&[BODY, BODY, BODY]));
        assert!(find(&above, &Params::default()).runs.is_empty());
    }

    #[test]
    fn a_notice_just_below_the_article_does_not_extend_it() {
        const NOTICE: &str = "This website uses cookies to improve your experience, and by \
                              browsing on you accept them as our policy describes.";
        let page = |gap: usize| {
            let mut texts = vec!["Headline of the story", BODY, BODY, BODY];
            texts.extend([
                "About us", "Careers", "Privacy", "Terms", "Cookies", "Sitemap",
            ]);
            texts.extend(std::iter::repeat_n("A line of the page's own", gap));
            texts.push(NOTICE);
            let mut shapes = lines(&texts);
            shapes.last_mut().unwrap().notice = true;
            shapes
        };
        let p = Params::default();
        let l = find(&page(0), &p);
        assert_eq!(
            l.main_text,
            Some((1, 3)),
            "the article ends at its last paragraph"
        );
        assert_eq!((l.runs.len(), l.runs[0].side), (1, Side::After));
        // The two lines nearest the text stay (the margin).
        assert_eq!((l.runs[0].first, l.runs[0].last), (6, 9));
        // Not a notice, the same sentence is running text: the footer lies inside the text.
        let mut plain = page(0);
        plain.last_mut().unwrap().notice = false;
        assert_eq!(find(&plain, &p).main_text, Some((1, 10)));
        assert!(find(&plain, &p).runs.is_empty());
        // Far below the article, a notice is a part of the page of its own and counts.
        let far = page(p.notice_reach.unwrap());
        assert_eq!(find(&far, &p).main_text.map(|t| t.1), Some(far.len() - 1));
        let off = Params {
            notice_reach: None,
            ..Params::default()
        };
        assert_eq!(find(&page(0), &off).main_text, Some((1, 10)));
    }

    #[test]
    fn running_text_above_site_furniture_starts_no_main_text() {
        const TEASER: &str = "Sign up today and get the best stories of the week in your \
                              inbox every Friday morning, for free.";
        // A banner's sentence, a login box and the site's menu, then the article.
        let mut texts = vec!["Headline of the story", TEASER];
        texts.extend([
            "Log in", "Register", "Home", "News", "Sport", "Weather", "Culture", "Travel", "Video",
        ]);
        texts.extend(std::iter::repeat_n(BODY, 12));
        let mut shapes = lines(&texts);
        shapes[2].notice = true;
        shapes[3].notice = true;
        let l = find(&shapes, &Params::default());
        assert_eq!(
            l.main_text,
            Some((11, 22)),
            "the article starts at its first paragraph"
        );
        assert_eq!((l.runs.len(), l.runs[0].side), (1, Side::Before));
        // Without notices between, the sentence starts the text and the menu lies inside it.
        shapes[2].notice = false;
        let l = find(&shapes, &Params::default());
        assert_eq!(l.main_text, Some((1, 22)));
        assert!(l.runs.is_empty());
    }

    #[test]
    fn running_text_behind_site_furniture_ends_no_main_text() {
        const FEED: &str = "Kenny wrote a new post about the magic convention a week ago, \
                            and everyone is invited to read it.";
        // An article, a login box and the site's menu, then one line of an activity feed.
        let page = |feed: usize| {
            let mut texts = vec!["Headline of the story"];
            texts.extend(std::iter::repeat_n(BODY, 12));
            texts.extend([
                "Log in", "Username", "Password", "Register", "Forums", "Blogs", "Groups",
                "Profile", "Members",
            ]);
            texts.extend(std::iter::repeat_n(FEED, feed));
            let mut shapes = lines(&texts);
            shapes[13].notice = true;
            shapes[16].notice = true;
            shapes
        };
        let p = Params::default();
        let l = find(&page(1), &p);
        assert_eq!(
            l.main_text,
            Some((1, 12)),
            "the article ends at its last paragraph"
        );
        assert_eq!((l.runs.len(), l.runs[0].side), (1, Side::After));
        assert_eq!((l.runs[0].first, l.runs[0].last), (15, 21));
        // Without notices among them, the lines between are the page's own: the feed counts.
        let mut plain = page(1);
        plain[13].notice = false;
        assert_eq!(find(&plain, &p).main_text, Some((1, 22)));
        // A trailing cluster with a tenth of the article's text or more counts too.
        assert_eq!(find(&page(2), &p).main_text, Some((1, 23)));
        // Fewer lines between than the gap: one stretch of text.
        let near = Params {
            furniture_gap: Some(10),
            ..Params::default()
        };
        assert_eq!(find(&page(1), &near).main_text, Some((1, 22)));
        let off = Params {
            furniture_gap: None,
            ..Params::default()
        };
        assert_eq!(find(&page(1), &off).main_text, Some((1, 22)));
    }

    #[test]
    fn short_runs_and_pages_without_main_text_stay() {
        // Four items are a byline block, not a menu.
        let page = lines(&["Home", "News", "By Jane Doe", "Photo", BODY, BODY, BODY]);
        assert!(find(&page, &Params::default()).runs.is_empty());
        // A page of short lines only (a poem, a programme, a table): no main text, no removal.
        let page = lines(&[
            "Home", "News", "Sport", "Weather", "Contact", "Rain", "Snow",
        ]);
        let l = find(&page, &Params::default());
        assert_eq!(l.main_text, None);
        assert!(l.runs.is_empty());
        // One running-text line is not enough to trust, nor two without the sparse setting.
        let page = lines(&["a", "b", "c", "d", "e", BODY_ZH]);
        assert!(find(&page, &Params::default()).runs.is_empty());
        let page = lines(&["a", "b", "c", "d", "e", BODY_ZH, BODY_ZH]);
        let strict = Params {
            min_sparse_body_lines: None,
            ..Params::default()
        };
        assert!(find(&page, &strict).runs.is_empty());
    }

    #[test]
    fn short_lists_inside_the_main_text_stay_unless_aggressive() {
        let mut texts = vec![BODY_ZH];
        texts.extend(["苹果", "香蕉", "橘子", "葡萄", "西瓜", "草莓"]);
        texts.extend([BODY_ZH, BODY_ZH]);
        let page = lines(&texts);
        assert!(find(&page, &Params::default()).runs.is_empty());
        let aggressive = Params {
            inner_min_items: Some(6),
            ..Params::default()
        };
        let l = find(&page, &aggressive);
        assert_eq!(l.runs.len(), 1);
        assert_eq!(l.runs[0].side, Side::Inside);
    }

    /// Thirty-odd distinct section names, as a site menu prints them.
    const SECTIONS: &[&str] = &[
        "World",
        "Politics",
        "Business",
        "Markets",
        "Technology",
        "Science",
        "Health",
        "Education",
        "Sport",
        "Football",
        "Tennis",
        "Golf",
        "Culture",
        "Books",
        "Music",
        "Film",
        "Television",
        "Theatre",
        "Travel",
        "Food",
        "Style",
        "Property",
        "Motoring",
        "Weather",
        "Opinion",
        "Letters",
        "Obituaries",
        "Puzzles",
        "Podcasts",
        "Video",
        "Newsletters",
        "Archive",
    ];

    #[test]
    fn a_long_menu_inside_the_main_text_goes() {
        let mut texts = vec![BODY, BODY];
        texts.extend(&SECTIONS[..30]);
        texts.extend([BODY, BODY]);
        let l = find(&lines(&texts), &Params::default());
        assert_eq!(l.runs.len(), 1);
        assert_eq!(l.runs[0].side, Side::Inside);
        assert_eq!(
            (l.runs[0].first, l.runs[0].last, l.runs[0].items),
            (2, 31, 30)
        );
        // One item fewer: a long list of the article's own, it stays.
        let mut texts = vec![BODY, BODY];
        texts.extend(&SECTIONS[..29]);
        texts.extend([BODY, BODY]);
        assert!(find(&lines(&texts), &Params::default()).runs.is_empty());
    }

    #[test]
    fn a_table_or_a_figure_inside_the_main_text_stays() {
        // An awards table: its cells repeat down the columns.
        let mut texts = vec![BODY, BODY];
        for award in &SECTIONS[..16] {
            texts.extend([*award, "Won"]);
        }
        texts.extend([BODY, BODY]);
        assert!(find(&lines(&texts), &Params::default()).runs.is_empty());
        // The same count of distinct names is a menu.
        let mut texts = vec![BODY, BODY];
        texts.extend(&SECTIONS[..32]);
        texts.extend([BODY, BODY]);
        assert_eq!(find(&lines(&texts), &Params::default()).runs.len(), 1);
        // Text set vertically, one character a line.
        let mut texts = vec![BODY_ZH, BODY_ZH];
        texts.extend(
            "环境的带领肢体劝告行动机心中负担自己能力后果其它引导方向和目标"
                .split("")
                .filter(|c| !c.is_empty()),
        );
        texts.extend([BODY_ZH, BODY_ZH]);
        assert!(texts.len() >= 34, "at least 30 characters");
        assert!(find(&lines(&texts), &Params::default()).runs.is_empty());
    }

    #[test]
    fn a_feed_of_dates_far_from_the_text_goes_but_the_dateline_stays() {
        let mut texts = vec!["May 28, 2024", "By Ann Lee", BODY, BODY, BODY];
        // Under the article: a byline, a share prompt, then a feed of headlines with dates.
        texts.extend(["Ann Lee is a reporter.", "Share this story"]);
        for (title, date) in [
            ("Bridge closes for repairs", "May 27, 2024"),
            ("Market hall reopens", "3 days ago"),
            ("Ferry timetable changes", "2024-05-20 17:45"),
        ] {
            texts.extend([title, date]);
        }
        let page = lines(&texts);
        let l = find(&page, &Params::default());
        assert_eq!(l.main_text, Some((2, 4)));
        // The dateline above the text is within the margin; the feed's first date (index 8) is
        // three lines from the text, the others further.
        assert_eq!(l.stamps, [10, 12]);
        let off = Params {
            timestamp_margin: None,
            ..Params::default()
        };
        assert!(find(&page, &off).stamps.is_empty());
        // One date alone far from the text may be a programme's heading: it stays.
        let mut lone = texts.clone();
        lone.truncate(11);
        assert!(find(&lines(&lone), &Params::default()).stamps.is_empty());
    }

    #[test]
    fn the_values_under_a_label_are_no_menu() {
        let page = lines(&[
            "Members:", "Ann Lee", "Bo Chen", "Cy Diaz", "Di Ewe", "Ed Fox", BODY, BODY, BODY,
        ]);
        assert!(find(&page, &Params::default()).runs.is_empty());
    }

    #[test]
    fn a_run_under_a_short_sentence_continues_it() {
        let page = lines(&[
            "These are the tools and the services that this site is made with.",
            "BBEdit",
            "Acorn",
            "MarsEdit",
            "Transmit",
            "WebKit",
            "Napkin",
            BODY,
            BODY,
            BODY,
        ]);
        assert!(find(&page, &Params::default()).runs.is_empty());
        // A notice is no sentence a list continues: a footer's copyright line, then a menu.
        let mut page = page;
        page[0] = LineShape {
            notice: true,
            ..page[0]
        };
        let l = find(&page, &Params::default());
        assert_eq!(l.runs.len(), 1, "{l:?}");
        assert_eq!((l.runs[0].first, l.runs[0].side), (1, Side::Before));
    }

    #[test]
    fn a_short_text_far_below_the_article_ends_no_main_text_when_asked() {
        let mut texts = vec![BODY; 8];
        texts.extend(["Popular", "Latest", "Sport", "Weather", "Travel", "Money"]);
        texts.extend(["Navigation", "More", "Help"].iter().cycle().take(40));
        texts.push(BODY_ZH); // one comment or notice far below
        let page = lines(&texts);
        // By default the notice is running text: the runs lie inside the main text and stay.
        assert!(find(&page, &Params::default()).runs.is_empty());
        let tail = Params {
            tail_gap: Some(20),
            ..Params::default()
        };
        let l = find(&page, &tail);
        assert_eq!(l.main_text, Some((0, 7)));
        assert_eq!(l.runs.len(), 1);
        assert_eq!(l.runs[0].side, Side::After);
        // A second long stretch of article text far below is part of the main text.
        let mut texts2 = texts.clone();
        texts2.extend([BODY; 6]);
        let l = find(&lines(&texts2), &tail);
        assert_eq!(l.main_text, Some((0, texts2.len() - 1)));
        assert!(l.runs.is_empty());
    }

    #[test]
    fn a_heading_or_caption_between_the_menu_and_the_text_stays() {
        let page = lines(&[
            "Design",
            "Transport",
            "Environment",
            "Equity",
            "Life",
            "The old cabaret at night, photographed by a reader",
            "Why the old neon signs still matter in cities",
            "Sara Archer",
            "1:39 PM",
            BODY,
            BODY,
            BODY,
        ]);
        let l = find(&page, &Params::default());
        assert_eq!(l.runs.len(), 1);
        assert_eq!((l.runs[0].first, l.runs[0].last), (0, 4));
    }

    #[test]
    fn content_lines_break_a_run() {
        let page = lines(&[
            "Home",
            "News",
            "1. First step",
            "Sport",
            "Weather",
            BODY,
            BODY,
            BODY,
        ]);
        assert!(find(&page, &Params::default()).runs.is_empty());
    }

    fn is_loose(text: &str) -> bool {
        let mut kb = KeyBuilder::new();
        let f = kb.analyze(text.as_bytes());
        is_loose_item(text, &f, 60)
    }

    #[test]
    fn loose_items_read_like_headlines_but_not_like_sentences() {
        for loose in [
            "Antonio Brown apologizes to Patriots, owner Robert Kraft",
            "Spring sale: two weeks only",
            "Travel | Food | Weather",
            "日本の軽トラ 米で人気の背景",
            "广东男子嫌夜班太累，想辞职被妻子拒绝",
        ] {
            assert!(!shape(loose).item, "{loose} is an item");
            assert!(is_loose(loose), "{loose} should be loose");
        }
        for not_loose in [
            "Whose truth is it, anyway?",
            "1、同上",
            "x = 1, y = 2",
            "2023-02-28 17:31",
            "直接使用 TUN 就好了",
            "Members:",
        ] {
            assert!(!is_loose(not_loose), "{not_loose} is no headline");
        }
    }

    #[test]
    fn headlines_with_commas_join_runs_outside_the_article() {
        let related = [
            "More from the site",
            "Rams top Bears, offenses struggle",
            "Weather",
            "Council votes: bridge to reopen in May",
            "Sport",
            "Markets fall, oil rises",
            "Travel",
            "Music",
        ];
        let mut texts = vec![BODY; 4];
        texts.extend(related);
        let page = lines(&texts);
        let l = find(&page, &Params::default());
        assert_eq!(l.runs.len(), 1, "{l:?}");
        assert_eq!((l.runs[0].side, l.runs[0].last), (Side::After, 11));
        // Without the loose lines the short items are too few to be a run.
        let strict = Params {
            loose_max_weight: None,
            links_count_after: false,
            ..Params::default()
        };
        assert!(find(&page, &strict).runs.is_empty());
        // Above the article they join too, unless they hold a figure (a score, a dateline).
        let mut texts: Vec<&str> = related.to_vec();
        texts.extend([BODY; 4]);
        let before = Params {
            links_count_after: false,
            ..Params::default()
        };
        assert_eq!(find(&lines(&texts), &before).runs.len(), 1);
        let no_loose_before = Params {
            loose_before_max_weight: None,
            ..before
        };
        assert!(find(&lines(&texts), &no_loose_before).runs.is_empty());
        texts[1] = "Rams top Bears 24-10, offenses struggle";
        texts[3] = "Council votes: bridge to reopen on 1 May";
        assert!(find(&lines(&texts), &before).runs.is_empty());
        // A thread's controls under each reply: a table, and the replies stay.
        let mut texts = vec![BODY; 4];
        for reply in [
            "Great point, thanks",
            "Same here: works now",
            "Not for me, sadly",
        ] {
            texts.extend(["Reply", "Report", reply]);
        }
        let l = find(&lines(&texts), &Params::default());
        assert!(l.runs.iter().all(|r| r.last < 5), "{l:?}");
    }

    #[test]
    fn markup_lines_are_tags_from_end_to_end() {
        for markup in [
            "<img src=\"https://pixel.example.com/t.gif?id=7\" width=\"1\" height=\"1\">",
            "  <div class=\"ad\"><script>load();</script></div>\t",
            "<br>",
        ] {
            assert!(is_markup(markup.as_bytes()), "{markup}");
        }
        for text in [
            "Use <b>bold</b> for the names of keys.",
            "<p>The council met on Tuesday.",
            "a < b and c > d",
            "<>",
            "",
        ] {
            assert!(!is_markup(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn long_headlines_and_notices_join_runs_below_the_article() {
        const TEASER: &str =
            "Why the films of our childhood went from fifteen minutes to two whole hours on screen";
        let teaser = shape(TEASER);
        assert!(teaser.loose && !teaser.link && !teaser.body, "{teaser:?}");
        let p = Params::default();
        assert!(teaser.weight > p.max_link_weight && teaser.weight <= 100);
        let mut cookies = shape("We use cookies.");
        cookies.notice = true;
        let below = |middle: &[LineShape]| {
            let mut page = lines(&[BODY, BODY, BODY, BODY, "Sport", "Weather", "Travel"]);
            page.extend_from_slice(middle);
            page.extend(lines(&["Music", "Books", "Film"]));
            page
        };
        let whole_run = |page: &[LineShape], p: &Params| {
            let l = find(page, p);
            l.runs.len() == 1 && l.runs[0].last == page.len() - 1
        };
        let page = below(&[teaser, cookies]);
        assert!(whole_run(&page, &p), "{:?}", find(&page, &p));
        // Either line alone breaks the run in two halves too short to go when it may not join.
        let no_long = Params {
            long_loose_max_weight: None,
            ..p
        };
        assert!(find(&below(&[teaser]), &no_long).runs.is_empty());
        let no_notices = Params {
            notices_join_after: false,
            ..p
        };
        assert!(find(&below(&[cookies]), &no_notices).runs.is_empty());
        // A figure keeps a long line out (a tour's dates), as does running text.
        let dated =
            shape("The autumn tour of the band reaches the old harbour town on 14 October at last");
        assert!(dated.loose && dated.weight > p.max_link_weight);
        assert!(find(&below(&[dated]), &p).runs.is_empty());
        let mut notice_text = shape(BODY);
        notice_text.notice = true;
        assert!(!whole_run(&below(&[notice_text]), &p));
        // Above the article neither joins.
        let mut above = vec![cookies, teaser];
        above.extend(lines(&["Sport", "Weather", "Travel", BODY, BODY, BODY]));
        assert!(find(&above, &p).runs.is_empty());
    }

    #[test]
    fn a_long_run_under_a_label_or_a_sentence_outside_the_text_is_a_menu() {
        let sections = [
            "News",
            "Sport",
            "Weather",
            "Travel",
            "Money",
            "Health",
            "Music",
            "Books",
            "Film",
            "Food",
            "Cars",
            "Homes",
            "Jobs",
            "Dating",
            "Puzzles",
            "Letters",
            "Obituaries",
            "Gardening",
            "Schools",
            "Courts",
            "Council",
            "Events",
        ];
        for header in [
            "Channels:",
            "Our sections cover the whole of the town and the county.",
        ] {
            let mut texts = vec![BODY; 4];
            texts.push(header);
            texts.extend(sections);
            let l = find(&lines(&texts), &Params::default());
            assert_eq!(l.runs.len(), 1, "{header}: {l:?}");
            // Short, it is the label's values or the list the sentence announces, and stays.
            let short = Params {
                max_label_values: Some(30),
                max_sentence_list: Some(30),
                ..Params::default()
            };
            assert!(find(&lines(&texts), &short).runs.is_empty(), "{header}");
            let no_limit = Params {
                max_label_values: None,
                max_sentence_list: None,
                ..Params::default()
            };
            assert!(find(&lines(&texts), &no_limit).runs.is_empty(), "{header}");
        }
    }

    #[test]
    fn two_running_text_lines_make_a_main_text_unless_wrapped_prose_lies_around() {
        let menu = ["Home", "World", "Sport", "Weather", "Travel", "Money"];
        let mut texts: Vec<&str> = menu.to_vec();
        texts.extend([BODY, BODY]);
        let l = find(&lines(&texts), &Params::default());
        assert_eq!(l.main_text, Some((6, 7)));
        assert_eq!(l.runs.len(), 1, "{l:?}");
        let strict = Params {
            min_sparse_body_lines: None,
            ..Params::default()
        };
        assert_eq!(find(&lines(&texts), &strict), Layout::default());
        // Prose hard-wrapped at a fixed width has few lines with a sentence mark and a long
        // line's weight: the two that do are no main text to measure the rest against.
        let wrapped =
            "the server stores data in nodes that form a tree structure and it should be able to";
        let mut texts: Vec<&str> = menu.to_vec();
        texts.extend([BODY, BODY]);
        texts.extend([wrapped; 11]);
        assert_eq!(find(&lines(&texts), &Params::default()), Layout::default());
        texts.truncate(texts.len() - 1);
        assert!(find(&lines(&texts), &Params::default()).main_text.is_some());
    }
}
