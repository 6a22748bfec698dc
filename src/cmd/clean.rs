//! `dedump clean` (and `dedump` with no command): one text file or stdin as a stream, anything
//! else as a crawl.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use dedump::crawl::walk::{self, Compression, Format, InputFile};
use dedump::crawl::{self, Output, Sink as _};
use dedump::detect::phrase::PhraseSet;
use dedump::detect::site::CrossDoc;
use dedump::engine::RemovalFn;
use dedump::pipeline::Temps;
use dedump::profile::Profile;
use dedump::report::{Event, Header};
use dedump::{Config, pipeline};

use super::{CrawlJob, Exit, ReportSink, is_stdio, open_input, same_file, same_place};
use crate::cli::{self, CleanArgs, ExplainArgs};

pub fn run(args: &CleanArgs) -> anyhow::Result<Exit> {
    if args.report.as_deref().is_some_and(is_stdio)
        && !args.in_place
        && args.output.as_deref().is_none_or(is_stdio)
    {
        bail!(
            "--report - writes the report to stdout, which carries the cleaned text: add -o FILE"
        );
    }
    let (cfg, phrases, profile) = super::load_settings(&args.settings)?;
    if args.annotate {
        let inputs = if args.inputs.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            args.inputs.clone()
        };
        for input in inputs {
            let explain = ExplainArgs {
                input,
                removed_only: false,
                scores: false,
                settings: args.settings.clone(),
            };
            super::explain::run(&explain)?;
        }
        return Ok(Exit::Ok);
    }
    if is_single_stream(args) {
        single(args, &cfg, &phrases, profile.as_ref())
    } else {
        many(args, &cfg, &phrases, profile.as_ref())
    }
}

/// One plain text file or stdin, no crawl-only options: the streaming single-document path.
fn is_single_stream(args: &CleanArgs) -> bool {
    if args.inputs.len() > 1 || args.in_place {
        return false;
    }
    let Some(input) = args.inputs.first() else {
        return args.format != Some(cli::FormatArg::Jsonl);
    };
    if is_stdio(input) {
        return args.format != Some(cli::FormatArg::Jsonl);
    }
    let is_file = std::fs::metadata(input)
        .map(|m| m.is_file())
        .unwrap_or(true);
    let (format, compression) = walk::classify(input, args.read.walk(args.format).format);
    is_file && format == Format::Text && compression == Compression::None
}

/// Cleans one document as a stream: lines leave as soon as the window has judged them.
fn single(
    args: &CleanArgs,
    cfg: &Config,
    phrases: &PhraseSet,
    profile: Option<&Profile>,
) -> anyhow::Result<Exit> {
    let input = args
        .inputs
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("-"));
    if let Some(out) = &args.output
        && !is_stdio(out)
        && !is_stdio(&input)
        && same_file(&input, out)
    {
        bail!(
            "refusing to write over the input {}; choose another -o or pass --in-place",
            input.display()
        );
    }
    refuse_report_over_input(
        args.report.as_deref(),
        [input.as_path()],
        args.output.as_deref(),
    )?;
    for path in args.output.iter().chain(&args.report) {
        super::interrupt::watch_file(path);
    }
    let site = args.settings.site.clone().unwrap_or_default();
    let rel = PathBuf::from(input.file_name().unwrap_or(input.as_os_str()));
    let order = xxhash_rust::xxh3::xxh3_64(format!("{}\0{}", rel.display(), 0).as_bytes());
    let cross = profile.map(|p| {
        (
            CrossDoc::new(p, &site, order, cfg.site_rules()),
            site.as_str(),
        )
    });
    let reader = open_input(&input)?;
    // A pipe gets its first lines after a page's worth, unless a window was asked for.
    let stdin_cfg;
    let cfg = if is_stdio(&input)
        && args.settings.window.is_none()
        && args.settings.window_bytes.is_none()
    {
        stdin_cfg = cfg.clone().for_stdin();
        &stdin_cfg
    } else {
        cfg
    };
    // The report's header first; removed lines go to it as they are decided (to a spool on
    // disk), or are dropped: none is held for the end.
    let mut report = match &args.report {
        Some(path) => {
            let mut sink = ReportSink::new(Some(path), false)?;
            sink.event(Event::Header(&Header::new(cfg, phrases.files())));
            let spool = sink.spool()?;
            Some((sink, spool))
        }
        None => None,
    };
    let outcome = {
        let hand: RemovalFn<'_> = match &mut report {
            Some((_, Some(spool))) => Box::new(|r| spool.push(r)),
            _ => Box::new(|_| {}),
        };
        match &args.output {
            Some(out) if !is_stdio(out) => pipeline::write_atomic(out, |w| {
                pipeline::clean_stream_handing(
                    reader,
                    &input,
                    w,
                    out,
                    cfg,
                    phrases,
                    cross,
                    Some(hand),
                )
            })?,
            _ => {
                let mut out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
                pipeline::clean_stream_handing(
                    reader,
                    &input,
                    &mut out,
                    Path::new("-"),
                    cfg,
                    phrases,
                    cross,
                    Some(hand),
                )?
            }
        }
    };
    let summary = outcome.summary.clone();
    if let (Some((mut sink, spool)), Some(path)) = (report, &args.report) {
        let doc = crawl::stream_document(&input.display().to_string(), &site, outcome);
        if let Some(spool) = spool {
            sink.spooled_document(&doc, spool);
        }
        sink.event(Event::Summary(&crawl::stream_summary(cfg, &doc)));
        sink.finish()
            .with_context(|| format!("writing report {}", path.display()))?;
    }
    if !args.quiet {
        note!(
            "{}: kept {} of {} lines, removed {} ({} bytes){}",
            input.display(),
            summary.lines_out,
            summary.lines_in,
            summary.lines_removed,
            summary.bytes_removed,
            if summary.oversized_lines > 0 {
                format!(
                    "; {} oversized lines kept untouched",
                    summary.oversized_lines
                )
            } else {
                String::new()
            }
        );
    }
    Ok(Exit::Ok)
}

/// Refuses a report path that names an input file or the output: writing the report would
/// replace it. (A device such as `/dev/null` is written to, never replaced: it may be both.)
pub fn refuse_report_over_input<'a>(
    report: Option<&Path>,
    inputs: impl IntoIterator<Item = &'a Path>,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let Some(report) = report.filter(|r| !is_stdio(r)) else {
        return Ok(());
    };
    let regular = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.is_file());
    if std::fs::metadata(report).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Ok(());
    }
    for input in inputs {
        if !is_stdio(input) && regular(input) && same_file(input, report) {
            bail!(
                "refusing to write the report over {}; choose another --report",
                input.display()
            );
        }
    }
    if let Some(out) = output.filter(|o| !is_stdio(o))
        && same_place(out, report)
    {
        bail!(
            "--report and -o both name {}; choose another --report",
            out.display()
        );
    }
    Ok(())
}

/// Where a crawl's output goes, checked against its inputs.
fn crawl_output(args: &CleanArgs, files: &[InputFile]) -> anyhow::Result<Output> {
    if args.in_place {
        return Ok(Output::InPlace);
    }
    let single = files.len() == 1
        && args.inputs.len() <= 1
        && !args.inputs.first().is_some_and(|p| p.is_dir());
    let Some(out) = &args.output else {
        if single {
            return Ok(Output::Stdout);
        }
        bail!("cleaning several files needs -o DIR to mirror them into (or --in-place)");
    };
    if is_stdio(out) {
        if single {
            return Ok(Output::Stdout);
        }
        bail!("cleaning several files needs -o DIR, not stdout");
    }
    if single && !out.is_dir() {
        if same_file(&files[0].path, out) {
            bail!(
                "refusing to write over the input {}; pass --in-place to do that",
                out.display()
            );
        }
        return Ok(Output::File(out.clone()));
    }
    for input in &args.inputs {
        if same_file(input, out) {
            bail!(
                "refusing to write over the input {}; choose another -o or pass --in-place",
                input.display()
            );
        }
    }
    Ok(Output::Dir(out.clone()))
}

/// Cleans a crawl: files, directories, compressed files, JSON Lines.
fn many(
    args: &CleanArgs,
    cfg: &Config,
    phrases: &PhraseSet,
    profile: Option<&Profile>,
) -> anyhow::Result<Exit> {
    let (files, walk_problems) = super::walk_inputs_around(
        &args.inputs,
        &args.read,
        args.format,
        args.output.as_deref(),
    )?;
    let output = crawl_output(args, &files)?;
    refuse_report_over_input(
        args.report.as_deref(),
        files.iter().map(|f| f.path.as_path()),
        args.output.as_deref(),
    )?;
    // Temporary files go beside each output: a tree's (where a killed run's are removed
    // first), an input's in place, a file's, the report's.
    match &output {
        Output::Dir(dir) => {
            pipeline::remove_temps(dir, Temps::Stale);
            super::interrupt::watch(dir);
        }
        Output::InPlace => {
            for input in &args.inputs {
                match input.is_dir() {
                    true => super::interrupt::watch(input),
                    false => super::interrupt::watch_file(input),
                }
            }
        }
        Output::File(path) => super::interrupt::watch_file(path),
        Output::Stdout | Output::Discard => {}
    }
    if let Some(report) = &args.report {
        super::interrupt::watch_file(report);
    }
    let job = CrawlJob {
        files,
        walk_problems,
        output,
        read: &args.read,
        strict: args.strict,
        quiet: args.quiet,
    };
    let mut sink = ReportSink::new(args.report.as_deref(), job.output == Output::Stdout)?;
    let ran = job.run(cfg, phrases, profile, &mut sink);
    // A write that failed stopped the run: it is the error to give (a closed stdout ends it
    // quietly).
    sink.finish()?;
    let (result, problems) = ran?;
    super::report_problems(&problems);
    if !args.quiet {
        let t = &result.summary.totals;
        note!(
            "{} files, {} documents: kept {} of {} lines, removed {} ({} bytes){}{}",
            result.summary.files,
            result.summary.documents,
            t.lines_out,
            t.lines_in,
            t.lines_removed,
            t.bytes_removed,
            if result.summary.documents_removed > 0 {
                format!(
                    "; {} duplicate documents removed",
                    result.summary.documents_removed
                )
            } else {
                String::new()
            },
            if problems.is_empty() {
                String::new()
            } else {
                format!("; {} skipped (see above)", problems.len())
            }
        );
    }
    Ok(if problems.is_empty() {
        Exit::Ok
    } else {
        Exit::Skipped
    })
}
