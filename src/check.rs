//! `dedump check`: limits on how much a data set loses to cleaning, and the summaries a person
//! reads in a CI log (plain text, colour on a terminal) or a workflow shows on a pull request
//! (GitHub annotations).
//!
//! Limits are shares of the input's bytes (`5%`, `0.05`) or of its lines (`5%lines`); the
//! duplicate-document limit is a count (`10`) or a share of the documents (`2%`). Each limit is
//! checked against the run's summary; a failed limit says by how much it was exceeded.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::report::{DocumentReport, REASON_CODES, Reason, RunSummary};

/// What a share is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Input bytes.
    Bytes,
    /// Input lines.
    Lines,
    /// Documents.
    Documents,
    /// A plain count of documents.
    Count,
}

/// A reason code as a limit names it: one of [`REASON_CODES`], or an error that lists them (a
/// limit on a reason that never occurs could never fail).
pub fn parse_reason(s: &str) -> Result<String, String> {
    let code = s.trim();
    if REASON_CODES.contains(&code) {
        return Ok(code.to_string());
    }
    let hint = code.replace('-', "_");
    let also = if REASON_CODES.contains(&hint.as_str()) {
        format!(" (did you mean {hint}?)")
    } else {
        String::new()
    };
    Err(format!(
        "unknown reason {code:?}{also}; reasons are {}",
        REASON_CODES.join(", ")
    ))
}

/// A limit value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Amount {
    /// The share (0..1) or the count.
    pub value: f64,
    /// What it measures.
    pub unit: Unit,
}

/// Parses `5%`, `0.05`, `5%lines` (a share of bytes unless `lines` follows).
pub fn parse_share(s: &str) -> Result<Amount, String> {
    let t = s.trim().to_ascii_lowercase();
    let (num, unit) = match t.strip_suffix("lines") {
        Some(rest) => (rest.trim(), Unit::Lines),
        None => (t.strip_suffix("bytes").unwrap_or(&t).trim(), Unit::Bytes),
    };
    let value = match num.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
        None => num.parse::<f64>(),
    }
    .map_err(|_| format!("{s:?} is not a share: write it as 5% or 0.05 (or 5%lines)"))?;
    if !(0.0..=1.0).contains(&value) {
        return Err(format!("{s:?} is not a share between 0% and 100%"));
    }
    Ok(Amount { value, unit })
}

/// Parses a document count (`10`) or a share of documents (`2%`, `0.02`).
pub fn parse_docs(s: &str) -> Result<Amount, String> {
    let t = s.trim();
    if !t.contains('%') && !t.contains('.') {
        return t
            .parse::<u64>()
            .map(|n| Amount {
                value: n as f64,
                unit: Unit::Count,
            })
            .map_err(|_| format!("{s:?} is not a count (10) or a share (2%)"));
    }
    parse_share(t).map(|a| Amount {
        unit: Unit::Documents,
        ..a
    })
}

/// The limits of a check.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Limits {
    /// Everything removed (lines and whole documents).
    pub max_removed: Option<Amount>,
    /// Duplicate documents removed.
    pub max_duplicate_docs: Option<Amount>,
    /// Everything but duplicates.
    pub max_boilerplate: Option<Amount>,
    /// Per reason code.
    pub max_reason: BTreeMap<String, Amount>,
}

/// One limit's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitResult {
    /// Which limit (`max_removed`, `max_reason.noise` …).
    pub name: String,
    /// The limit.
    pub limit: Amount,
    /// What the data set has.
    pub actual: f64,
    /// Whether it is over the limit.
    pub failed: bool,
}

/// Reason codes that count as duplicates rather than boilerplate.
const DUPLICATE_REASONS: &[&str] = &[
    "duplicate_line",
    "near_duplicate_line",
    "duplicate_content",
    "duplicate_title",
];

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}

/// Checks every limit against a run's summary.
pub fn evaluate(limits: &Limits, s: &RunSummary) -> Vec<LimitResult> {
    let t = &s.totals;
    let bytes_in = (t.bytes_in + s.document_bytes_removed) as f64;
    let lines_in = t.lines_in as f64;
    let reason = |code: &str| t.by_reason.get(code).copied().unwrap_or_default();
    let measure = |amount: &Amount, bytes: f64, lines: f64| match amount.unit {
        Unit::Lines => share(lines, lines_in),
        _ => share(bytes, bytes_in),
    };
    let mut out = Vec::new();
    let mut push = |name: String, limit: Amount, actual: f64| {
        out.push(LimitResult {
            name,
            limit,
            actual,
            failed: actual > limit.value + 1e-12,
        });
    };
    if let Some(a) = limits.max_removed {
        let bytes = (t.bytes_removed + s.document_bytes_removed) as f64;
        push(
            "max_removed".into(),
            a,
            measure(&a, bytes, t.lines_removed as f64),
        );
    }
    if let Some(a) = limits.max_duplicate_docs {
        let actual = match a.unit {
            Unit::Count => s.documents_removed as f64,
            _ => share(s.documents_removed as f64, s.documents as f64),
        };
        push("max_duplicate_docs".into(), a, actual);
    }
    if let Some(a) = limits.max_boilerplate {
        let (mut bytes, mut lines) = (0u64, 0u64);
        for (code, c) in &t.by_reason {
            if !DUPLICATE_REASONS.contains(&code.as_str()) {
                bytes += c.bytes;
                lines += c.lines;
            }
        }
        push(
            "max_boilerplate".into(),
            a,
            measure(&a, bytes as f64, lines as f64),
        );
    }
    for (code, a) in &limits.max_reason {
        let c = reason(code);
        push(
            format!("max_reason.{code}"),
            *a,
            measure(a, c.bytes as f64, c.lines as f64),
        );
    }
    out
}

/// A document that lost much, for the "worst files" table and annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct Offender {
    /// Its file.
    pub source: String,
    /// Its JSON Lines line number.
    pub record: Option<u64>,
    /// Share of its bytes removed.
    pub share: f64,
    /// Bytes removed.
    pub bytes_removed: u64,
    /// Its first removals: line (in the file), reason, text.
    pub lines: Vec<(u64, String, String)>,
}

/// The `n` documents that lost the largest share of their bytes, worst first (ties by name),
/// and a count per removed text, gathered one document at a time as a run hands them on.
#[derive(Debug, Default)]
pub struct Tally {
    keep: usize,
    worst: Vec<Offender>,
    counts: BTreeMap<String, u64>,
}

impl Tally {
    /// A tally keeping the `keep` worst documents.
    pub fn new(keep: usize) -> Self {
        Tally {
            keep,
            ..Tally::default()
        }
    }

    /// Counts one document.
    pub fn add(&mut self, doc: &DocumentReport) {
        for r in &doc.removals {
            if matches!(r.reason, Reason::BlankTidy { .. }) {
                continue;
            }
            let text = r.text.trim();
            if text.is_empty() {
                continue;
            }
            match self.counts.get_mut(text) {
                Some(c) => *c += 1,
                None => {
                    self.counts.insert(text.to_string(), 1);
                }
            }
        }
        if self.keep == 0 {
            return;
        }
        if let Some(o) = offender(doc) {
            let at = self.worst.partition_point(|w| ranks_before(w, &o));
            if at < self.keep {
                self.worst.insert(at, o);
                self.worst.truncate(self.keep);
            }
        }
    }

    /// The worst documents so far, worst first.
    pub fn worst(&self) -> &[Offender] {
        &self.worst
    }

    /// The `n` removed texts counted most often (more than once), most first, ties by text.
    pub fn most_repeated(&self, n: usize) -> Vec<(String, u64)> {
        let mut top: Vec<(String, u64)> = self
            .counts
            .iter()
            .filter(|(_, c)| **c > 1)
            .map(|(t, c)| (t.clone(), *c))
            .collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(n);
        top
    }
}

/// Whether `a` is worse than `b`: a larger share, then more bytes, then the name.
fn ranks_before(a: &Offender, b: &Offender) -> bool {
    b.share
        .total_cmp(&a.share)
        .then(b.bytes_removed.cmp(&a.bytes_removed))
        .then_with(|| (&a.source, a.record).cmp(&(&b.source, b.record)))
        .is_lt()
}

/// A document as an offender, when it lost anything.
fn offender(doc: &DocumentReport) -> Option<Offender> {
    let record = doc.record;
    let bytes_in = doc.summary.bytes_in;
    let (bytes_removed, lines) = match &doc.removed {
        Some(whole) => (
            bytes_in,
            vec![(record.unwrap_or(1), whole.reason.to_string(), String::new())],
        ),
        None => (
            doc.summary.bytes_removed,
            doc.removals
                .iter()
                .filter(|r| !matches!(r.reason, Reason::BlankTidy { .. }))
                .take(5)
                .map(|r| {
                    let line = record.unwrap_or(r.line);
                    (line, r.reason.code().to_string(), r.text.trim().to_string())
                })
                .collect(),
        ),
    };
    (bytes_removed > 0).then(|| Offender {
        source: doc.source.clone(),
        record,
        share: share(bytes_removed as f64, bytes_in as f64),
        bytes_removed,
        lines,
    })
}

fn pct(v: f64) -> String {
    format!("{:.2}%", v * 100.0)
}

fn amount(a: &Amount) -> String {
    match a.unit {
        Unit::Count => format!("{} documents", a.value),
        Unit::Documents => format!("{} of documents", pct(a.value)),
        Unit::Lines => format!("{} of lines", pct(a.value)),
        Unit::Bytes => format!("{} of bytes", pct(a.value)),
    }
}

fn actual(r: &LimitResult) -> String {
    match r.limit.unit {
        Unit::Count => format!("{}", r.actual),
        _ => pct(r.actual),
    }
}

/// The plain-text summary; `color` adds ANSI colours for a terminal.
pub fn render_text(
    s: &RunSummary,
    results: &[LimitResult],
    worst: &[Offender],
    repeated: &[(String, u64)],
    color: bool,
) -> String {
    let (red, green, bold, dim, reset) = if color {
        ("\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    let t = &s.totals;
    let bytes_in = t.bytes_in + s.document_bytes_removed;
    let removed = t.bytes_removed + s.document_bytes_removed;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{bold}dedump check{reset}: {} files, {} documents, {} lines, {} bytes",
        s.files, s.documents, t.lines_in, bytes_in
    );
    let _ = writeln!(
        o,
        "removed {} lines and {} whole documents: {} bytes ({})",
        t.lines_removed,
        s.documents_removed,
        removed,
        pct(share(removed as f64, bytes_in as f64))
    );
    if s.problems > 0 {
        let _ = writeln!(o, "{red}{} inputs skipped{reset} (see above)", s.problems);
    }
    let _ = writeln!(
        o,
        "\n{bold}{:<24} {:>10} {:>12} {:>9}{reset}",
        "reason", "lines", "bytes", "share"
    );
    let mut rows: Vec<(String, u64, u64)> = t
        .by_reason
        .iter()
        .map(|(k, c)| (k.clone(), c.lines, c.bytes))
        .collect();
    if s.documents_removed > 0 {
        rows.push((
            "duplicate documents".into(),
            s.documents_removed,
            s.document_bytes_removed,
        ));
    }
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    for (k, lines, bytes) in rows {
        let _ = writeln!(
            o,
            "{k:<24} {lines:>10} {bytes:>12} {:>9}",
            pct(share(bytes as f64, bytes_in as f64))
        );
    }
    if !repeated.is_empty() {
        let _ = writeln!(o, "\n{bold}most repeated removed lines{reset}");
        for (text, n) in repeated {
            let _ = writeln!(o, "{n:>6}x  {}", clip(text, 70));
        }
    }
    if !s.top_boilerplate.is_empty() {
        let _ = writeln!(o, "\n{bold}most frequent site boilerplate{reset}");
        for l in s.top_boilerplate.iter().take(10) {
            let _ = writeln!(
                o,
                "{:>6} docs  {dim}[{}]{reset} {}",
                l.docs,
                l.site,
                clip(&l.text, 70)
            );
        }
    }
    if !worst.is_empty() {
        let _ = writeln!(o, "\n{bold}worst files{reset}");
        for w in worst {
            let name = match w.record {
                Some(r) => format!("{}:{r}", w.source),
                None => w.source.clone(),
            };
            let _ = writeln!(
                o,
                "{:>8}  {} bytes  {}",
                pct(w.share),
                w.bytes_removed,
                name
            );
        }
    }
    if !results.is_empty() {
        let _ = writeln!(o, "\n{bold}limits{reset}");
        for r in results {
            if r.failed {
                let _ = writeln!(
                    o,
                    "{red}FAIL{reset} {}: {} is over the limit of {} by {}",
                    r.name,
                    actual(r),
                    amount(&r.limit),
                    over(r)
                );
            } else {
                let _ = writeln!(
                    o,
                    "{green}ok{reset}   {}: {} within {}",
                    r.name,
                    actual(r),
                    amount(&r.limit)
                );
            }
        }
    }
    o
}

fn over(r: &LimitResult) -> String {
    match r.limit.unit {
        Unit::Count => format!("{}", r.actual - r.limit.value),
        _ => format!("{:.2} points", (r.actual - r.limit.value) * 100.0),
    }
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// Escapes a GitHub workflow-command message or property.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// GitHub Actions annotations: a warning per removed line of the worst documents, an error per
/// failed limit.
pub fn render_github(results: &[LimitResult], worst: &[Offender]) -> String {
    let mut o = String::new();
    for w in worst {
        for (line, reason, text) in &w.lines {
            let _ = writeln!(
                o,
                "::warning file={},line={line}::{}",
                gh_escape(&w.source, true),
                gh_escape(&format!("dedump {reason}: {}", clip(text, 120)), false)
            );
        }
    }
    for r in results.iter().filter(|r| r.failed) {
        let _ = writeln!(
            o,
            "::error::{}",
            gh_escape(
                &format!(
                    "dedump check: {} {} is over the limit of {}",
                    r.name,
                    actual(r),
                    amount(&r.limit)
                ),
                false
            )
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Removal;

    fn doc(source: &str, bytes_in: u64, removed: u64, text: &str) -> DocumentReport {
        DocumentReport {
            source: source.into(),
            path: source.into(),
            format: Default::default(),
            compression: Default::default(),
            record: None,
            id: None,
            site: String::new(),
            summary: crate::report::Summary {
                bytes_in,
                bytes_removed: removed,
                ..Default::default()
            },
            oversized: Vec::new(),
            removals: vec![Removal::new(
                1,
                0,
                format!("{text}\n").as_bytes(),
                1,
                Reason::SiteBoilerplate {
                    site: String::new(),
                    docs: 3,
                    site_docs: 4,
                },
            )],
            text_at: None,
            raw_text: None,
            removed: None,
        }
    }

    #[test]
    fn the_tally_keeps_the_worst_documents_whatever_their_order() {
        let docs = [
            doc("b.txt", 100, 50, "Menu"),
            doc("a.txt", 100, 90, "Menu"),
            doc("c.txt", 100, 50, "Footer"),
            doc("d.txt", 100, 10, "Menu"),
        ];
        let mut tally = Tally::new(3);
        for d in docs.iter().rev() {
            tally.add(d);
        }
        let names: Vec<&str> = tally.worst().iter().map(|o| o.source.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt", "c.txt"], "ties by name");
        assert_eq!(tally.most_repeated(5), [("Menu".to_string(), 3)]);
        let mut forward = Tally::new(3);
        docs.iter().for_each(|d| forward.add(d));
        assert_eq!(forward.worst(), tally.worst());
    }

    #[test]
    fn shares_and_counts_parse() {
        assert_eq!(
            parse_share("5%").unwrap(),
            Amount {
                value: 0.05,
                unit: Unit::Bytes
            }
        );
        assert_eq!(parse_share("0.2").unwrap().value, 0.2);
        assert_eq!(parse_share("5%lines").unwrap().unit, Unit::Lines);
        assert!(parse_share("150%").is_err());
        assert!(parse_share("lots").unwrap_err().contains("5%"));
        assert_eq!(
            parse_docs("10").unwrap(),
            Amount {
                value: 10.0,
                unit: Unit::Count
            }
        );
        assert_eq!(parse_docs("2%").unwrap().unit, Unit::Documents);
    }

    #[test]
    fn a_limit_names_a_known_reason() {
        assert_eq!(parse_reason(" list_header ").unwrap(), "list_header");
        let e = parse_reason("announced-block").unwrap_err();
        assert!(e.contains("did you mean announced_block"), "{e}");
        assert!(
            parse_reason("nosuch")
                .unwrap_err()
                .contains("duplicate_line")
        );
    }

    #[test]
    fn github_messages_are_escaped() {
        assert_eq!(gh_escape("a,b:c%\n", true), "a%2Cb%3Ac%25%0A");
        assert_eq!(gh_escape("a,b", false), "a,b");
    }
}
