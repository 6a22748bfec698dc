//! The annotated view (`dedump explain`, `clean --annotate`): the document with each removed
//! line marked and its reason and evidence beside it, so a person can judge the decisions at a
//! glance:
//!
//! ```text
//!   L4     │   • Recycling at home starts with one extra bin.
//! - L5     │   • Recycling at home starts with one extra bin.   ← duplicate_line of L2, block L1–L9
//! ```

use std::fmt::Write as _;

use crate::engine::{Outcome, split_lines};
use crate::report::Reason;

/// A short account of a reason's evidence.
pub fn describe(reason: &Reason) -> String {
    let block =
        |b: &crate::detect::block::BlockRef| format!("block L{}–L{}", b.first_line, b.last_line);
    match reason {
        Reason::DuplicateLine { of_line, block: b } => match b {
            Some(b) => format!("duplicate_line of L{of_line}, {}", block(b)),
            None => format!("duplicate_line of L{of_line}"),
        },
        Reason::NearDuplicateLine {
            of_line,
            similarity,
        } => {
            format!("near_duplicate_line of L{of_line} (similarity {similarity:.2})")
        }
        Reason::DuplicateTitle {
            kept_line,
            relation,
            block: b,
        } => {
            let rel = serde_json::to_value(relation)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            match b {
                Some(b) => format!("duplicate_title, kept L{kept_line} ({rel}), {}", block(b)),
                None => format!("duplicate_title, kept L{kept_line} ({rel})"),
            }
        }
        Reason::Noise { kind } => {
            let k = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            format!("noise ({k})")
        }
        Reason::BoilerplatePhrase { phrase, source, .. } => {
            format!("boilerplate_phrase {phrase:?} ({source})")
        }
        Reason::BoilerplateBlock { block: b } => format!(
            "boilerplate_block {} ({} items: {} repeated, {} title, {} site-wide, {} cut short)",
            block(b),
            b.items,
            b.repeated_items,
            b.title_items,
            b.site_items,
            b.truncated_items
        ),
        Reason::AnnouncedBlock {
            header_line,
            phrase,
        } => format!("announced_block under L{header_line} ({phrase:?})"),
        Reason::Menu { row_items } => format!("menu (a menu of {row_items} items on one line)"),
        Reason::Timestamp {
            main_text_first_line,
            main_text_last_line,
        } => format!(
            "timestamp (a date alone on a line, away from the main text \
             L{main_text_first_line}–L{main_text_last_line})"
        ),
        Reason::ListHeader {
            list_first_line,
            list_last_line,
        } => format!("list_header (its list L{list_first_line}–L{list_last_line} went whole)"),
        Reason::Boilerplate {
            score,
            carried_by,
            phrase,
            main_text_first_line,
            main_text_last_line,
            ..
        } => {
            let mut s = format!("boilerplate (score {score:.3}");
            if !carried_by.is_empty() {
                let parts: Vec<String> = carried_by
                    .iter()
                    .map(|c| format!("{} +{:.2}", c.feature, c.value))
                    .collect();
                s.push_str(&format!(": {}", parts.join(", ")));
            }
            if let Some(p) = phrase {
                s.push_str(&format!("; phrase {p:?}"));
            }
            if let (Some(first), Some(last)) = (main_text_first_line, main_text_last_line) {
                s.push_str(&format!("; main text L{first}–L{last}"));
            }
            s.push(')');
            s
        }
        Reason::SiteBoilerplate {
            site,
            docs,
            site_docs,
        } => format!("site_boilerplate (in {docs} of {site_docs} documents of site {site:?})"),
        Reason::DuplicateContent { of_document, .. } => match of_document {
            Some(d) => format!("duplicate_content (first copy in {d})"),
            None => "duplicate_content (first copy in an earlier document)".to_string(),
        },
        Reason::BlankTidy { after_line } => format!("blank_tidy (after L{after_line})"),
    }
}

/// How the annotated view is drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct View<'s> {
    /// ANSI colours.
    pub color: bool,
    /// Kept lines only next to a removed one.
    pub removed_only: bool,
    /// The model's score of each line (0-based), shown beside it.
    pub scores: Option<&'s [f64]>,
}

/// The boilerplate model's score of every line of one document, judged as a whole page (as
/// [`crate::engine::Engine`] judges a document that fits its window); 0 for lines it does not
/// judge.
pub fn page_scores(
    text: &[u8],
    cfg: &crate::Config,
    phrases: &crate::detect::phrase::PhraseSet,
) -> Vec<f64> {
    let body = text.strip_prefix(crate::input::BOM).unwrap_or(text);
    let mut b = crate::features::ViewBuilder::new();
    let mut keys = Vec::new();
    let views: Vec<_> = split_lines(body)
        .iter()
        .map(|raw| {
            let line = String::from_utf8_lossy(raw);
            let content = line.trim_end_matches(['\n', '\r']);
            let v = b.view(content, raw.len() > cfg.max_line_bytes, phrases);
            keys.push(b.key().to_string());
            v
        })
        .collect();
    let model = crate::model::Model::for_config(cfg);
    crate::model::judge_page(model, &views, |i| keys[i].as_str(), Default::default()).scores
}

/// The annotated text of a document and its cleaning outcome.
pub fn annotate(text: &[u8], outcome: &Outcome, view: View<'_>) -> String {
    let View {
        color,
        removed_only,
        scores,
    } = view;
    let (red, dim, reset) = if color {
        ("\x1b[31m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let body = text.strip_prefix(crate::input::BOM).unwrap_or(text);
    let lines = split_lines(body);
    let removed: std::collections::HashMap<u64, &Reason> = outcome
        .removals
        .iter()
        .map(|r| (r.line, &r.reason))
        .collect();
    let near_removal = |n: u64| {
        removed.contains_key(&n)
            || removed.contains_key(&(n + 1))
            || (n > 1 && removed.contains_key(&(n - 1)))
    };
    let mut out = String::new();
    let mut skipped = false;
    for (i, raw) in lines.iter().enumerate() {
        let n = i as u64 + 1;
        let content = String::from_utf8_lossy(raw);
        let content = content.trim_end_matches(['\n', '\r']);
        if removed_only && !near_removal(n) {
            skipped = true;
            continue;
        }
        if skipped {
            let _ = writeln!(out, "{dim}  …{reset}");
            skipped = false;
        }
        if let Some(s) = scores {
            match s.get(i) {
                Some(&v) if v > 0.0 => {
                    let _ = write!(out, "{dim}{v:.3}{reset} ");
                }
                _ => out.push_str("      "),
            }
        }
        match removed.get(&n) {
            Some(reason) => {
                let _ = writeln!(
                    out,
                    "{red}- L{n:<6}│ {content}   ← {}{reset}",
                    describe(reason)
                );
            }
            None => {
                let _ = writeln!(out, "  L{n:<6}│ {content}");
            }
        }
    }
    if skipped {
        let _ = writeln!(out, "{dim}  …{reset}");
    }
    let s = &outcome.summary;
    let _ = writeln!(
        out,
        "{dim}-- removed {} of {} lines ({} of {} bytes){reset}",
        s.lines_removed, s.lines_in, s.bytes_removed, s.bytes_in
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::detect::phrase::PhraseSet;
    use crate::engine::clean_lines;

    #[test]
    fn removed_lines_are_marked_with_their_reason() {
        let text = "Harbour Bridge Reopens After Repairs\n\nThe bridge reopened on Monday.\nVisits: 0\nThe bridge reopened on Monday.\n";
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
        let (_, outcome) = clean_lines(&Config::default(), &phrases, &split_lines(text.as_bytes()));
        let view = annotate(text.as_bytes(), &outcome, View::default());
        assert!(
            view.contains("  L1     │ Harbour Bridge Reopens After Repairs\n"),
            "{view}"
        );
        assert!(
            view.contains("- L4     │ Visits: 0   ← boilerplate_phrase \"Visits: 0\" (builtin:"),
            "{view}"
        );
        assert!(
            view.contains("- L5     │ The bridge reopened on Monday.   ← duplicate_line of L3"),
            "{view}"
        );
        let only = annotate(
            text.as_bytes(),
            &outcome,
            View {
                removed_only: true,
                ..View::default()
            },
        );
        assert!(!only.contains("L1 "), "{only}");
        assert!(only.contains("  …"));
    }
}
