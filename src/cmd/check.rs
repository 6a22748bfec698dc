//! `dedump check`: clean without writing, and judge the losses against limits (a CI gate).

use anyhow::bail;

use dedump::check;
use dedump::crawl::{self, Output};

use super::{CrawlJob, Exit, ReportSink, is_stdio};
use crate::cli::{CheckArgs, SummaryFormat};
use crate::settings_file::SettingsFile;

/// Documents named in the worst-documents table.
const WORST_SHOWN: usize = 5;
/// Removed texts named in the most-repeated table.
const REPEATED_SHOWN: usize = 10;

pub fn run(args: &CheckArgs, file: Option<&SettingsFile>) -> anyhow::Result<Exit> {
    if args.report.as_deref().is_some_and(is_stdio) {
        bail!("--report - is not available with check: stdout carries its summary; name a file");
    }
    let (cfg, phrases, profile) = super::load_settings(&args.settings)?;
    let limits = limits(args, file)?;
    let format = args
        .format
        .or(file.and_then(|f| f.check.as_ref()).and_then(|c| c.format))
        .unwrap_or(SummaryFormat::Text);
    let (files, walk_problems) = super::walk_inputs(&args.inputs, &args.read, args.input_format)?;
    super::clean::refuse_report_over_input(
        args.report.as_deref(),
        files.iter().map(|f| f.path.as_path()),
        None,
    )?;
    let job = CrawlJob {
        files,
        walk_problems,
        output: Output::Discard,
        read: &args.read,
        strict: args.strict,
        quiet: true,
    };
    if let Some(report) = &args.report {
        super::interrupt::watch_file(report);
    }
    let mut sink = ReportSink::new(args.report.as_deref(), false)?.with_tally(WORST_SHOWN);
    let ran = job.run(&cfg, &phrases, profile.as_ref(), &mut sink);
    let written = sink.finish();
    let (result, problems) = ran?;
    let tally = written?.unwrap_or_default();
    super::report_problems(&problems);
    let results = check::evaluate(&limits, &result.summary);
    let worst = tally.worst();
    let repeated = tally.most_repeated(REPEATED_SHOWN);
    let failed = results.iter().any(|r| r.failed);
    let color = super::use_color();
    let text = match format {
        SummaryFormat::Json => {
            #[derive(serde::Serialize)]
            struct CheckJson<'a> {
                #[serde(flatten)]
                summary: &'a crawl::RunSummary,
                limits: &'a [check::LimitResult],
                passed: bool,
            }
            let j = CheckJson {
                summary: &result.summary,
                limits: &results,
                passed: !failed,
            };
            let mut s = serde_json::to_string_pretty(&j)?;
            s.push('\n');
            s
        }
        SummaryFormat::Github => {
            let mut s = check::render_github(&results, worst);
            if !args.quiet {
                s += &check::render_text(&result.summary, &results, worst, &repeated, false);
            }
            s
        }
        SummaryFormat::Text if args.quiet => {
            check::render_text(&result.summary, &results, &[], &[], color)
                .lines()
                .filter(|l| l.contains("FAIL"))
                .map(|l| format!("{l}\n"))
                .collect()
        }
        SummaryFormat::Text => {
            check::render_text(&result.summary, &results, worst, &repeated, color)
        }
    };
    super::print(text.as_bytes())?;
    // For a CI gate, unreadable input is an error (2) before it is a verdict on limits.
    Ok(if !problems.is_empty() {
        Exit::Error
    } else if failed {
        Exit::LimitExceeded
    } else {
        Exit::Ok
    })
}

/// The limits given on the command line, over those of `dedump.toml`.
fn limits(args: &CheckArgs, file: Option<&SettingsFile>) -> anyhow::Result<check::Limits> {
    let from_file = file.and_then(|f| f.check.clone()).unwrap_or_default();
    let bad = |e: String| anyhow::anyhow!("invalid limit: {e}");
    let mut limits = check::Limits::default();
    if let Some(v) = args.max_removed.as_ref().or(from_file.max_removed.as_ref()) {
        limits.max_removed = Some(check::parse_share(v).map_err(bad)?);
    }
    if let Some(v) = args
        .max_duplicate_docs
        .as_ref()
        .or(from_file.max_duplicate_docs.as_ref())
    {
        limits.max_duplicate_docs = Some(check::parse_docs(v).map_err(bad)?);
    }
    if let Some(v) = args
        .max_boilerplate
        .as_ref()
        .or(from_file.max_boilerplate.as_ref())
    {
        limits.max_boilerplate = Some(check::parse_share(v).map_err(bad)?);
    }
    for (reason, v) in from_file.max_reason.clone().unwrap_or_default() {
        limits.max_reason.insert(
            check::parse_reason(&reason).map_err(bad)?,
            check::parse_share(&v).map_err(bad)?,
        );
    }
    for item in &args.max_reason {
        let Some((reason, v)) = item.split_once('=') else {
            bail!("--max-reason takes REASON=SHARE, as in noise=1%; got {item:?}");
        };
        limits.max_reason.insert(
            check::parse_reason(reason).map_err(bad)?,
            check::parse_share(v).map_err(bad)?,
        );
    }
    Ok(limits)
}
