//! `dedump train`: fit the boilerplate model on folders of labelled pages.

use std::io::Write;

use anyhow::Context;
use dedump::Config;
use dedump::detect::phrase::PhraseSet;
use dedump::model::{self, Model};
use dedump::train::{self, Label};

use crate::cli::TrainArgs;

pub fn run(args: &TrainArgs) -> anyhow::Result<()> {
    let cfg = Config::default();
    let phrases = PhraseSet::load(&args.phrases)?;
    let mut pages = Vec::new();
    for dir in &args.folders {
        pages.extend(train::load_folder(dir)?);
    }
    if pages.is_empty() {
        anyhow::bail!(
            "no labelled pages found: each folder needs labels/<id>.txt beside pages/<id>.txt"
        );
    }
    // Built-in phrases that do not earn their place on these pages are left out, of the
    // features and of the runs that use this model.
    let phrases_off = train::unsupported_phrases(&pages, &phrases);
    let phrases = phrases.without(&phrases_off)?;
    let data = train::page_data(&pages, &cfg, &phrases);
    let groups: Vec<String> = args
        .folders
        .iter()
        .map(|d| {
            d.file_name().map_or_else(
                || d.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let lines: usize = data
        .iter()
        .map(|p| {
            p.labels
                .iter()
                .zip(&p.present)
                .filter(|(l, j)| **j && **l != Label::Unknown)
                .count()
        })
        .sum();
    let trained_on = format!(
        "{} ({} pages, {lines} labelled lines)",
        groups.join(", "),
        pages.len()
    );
    let m = train::train(&data, trained_on, phrases_off);
    if let Some(path) = &args.dump_features {
        dump(path, &m, &data).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let json = serde_json::to_string_pretty(&m)? + "\n";
    if args.output.as_os_str() == "-" {
        std::io::stdout().write_all(json.as_bytes())?;
    } else {
        std::fs::write(&args.output, json)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
    }
    if !args.quiet {
        let t = m.thresholds;
        note!(
            "trained on {}; thresholds conservative {} balanced {} aggressive {}; {} built-in phrase rules left out",
            m.trained_on,
            t.conservative,
            t.balanced,
            t.aggressive,
            m.phrases_off.len()
        );
    }
    Ok(())
}

/// Every judged line's group, page, line number, label, scorer hash, second-stage probability
/// and features, tab-separated with a header.
fn dump(path: &std::path::Path, m: &Model, data: &[train::PageData]) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(out, "group\tpage\tline\tlabel\ttext\tscore")?;
    for name in model::stage2_inputs() {
        write!(out, "\t{name}")?;
    }
    writeln!(out)?;
    for p in data {
        let scores = m.score_page(&p.x, &p.present);
        let inputs = m.stage2_inputs(&p.x, &p.present);
        let judged = (0..p.x.len()).filter(|&i| p.present[i]);
        for (i, x) in judged.zip(&inputs) {
            let label = match p.labels[i] {
                Label::Content => "C",
                Label::Boilerplate => "B",
                Label::Unknown => "?",
            };
            write!(
                out,
                "{}\t{}\t{}\t{label}\t{:016x}\t{:.5}",
                p.group,
                p.id,
                i + 1,
                p.text_hash[i],
                scores[i]
            )?;
            for v in x {
                write!(out, "\t{v}")?;
            }
            writeln!(out)?;
        }
    }
    out.flush()
}
