//! The `dedump` binary: parse flags, build settings, call the library, show progress, map the
//! result to an exit code. All cleaning logic lives in the library.

mod cli;
mod cmd;
mod settings_file;

/// mimalloc: the cleaning path allocates a string or two per removed line, and glibc's
/// allocator spent a sixth of a crawl's time on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{CommandFactory, FromArgMatches};
use indicatif::{ProgressBar, ProgressStyle};

use cli::{
    CheckArgs, CleanArgs, Cli, Command, ExplainArgs, LearnArgs, MergeArgs, RestoreArgs,
    SummaryFormat,
};
use dedump::crawl::walk::{self, Compression, Format, InputFile};
use dedump::crawl::{self, CleanContext, OrderKeys, Output, Phase, Problem, Progress};
use dedump::detect::phrase::PhraseSet;
use dedump::detect::site::CrossDoc;
use dedump::profile::Profile;
use dedump::{Config, Error, pipeline, restore};
use settings_file::SettingsFile;
use tempfile::NamedTempFile;

/// Exit codes, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Ok = 0,
    LimitExceeded = 1,
    Error = 2,
    Skipped = 3,
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let result = dispatch(cli, &matches);
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            if e.downcast_ref::<Error>().is_some_and(Error::is_broken_pipe) {
                // `dedump big.txt | head`: the reader has all it wanted.
                return ExitCode::from(Exit::Ok as u8);
            }
            eprintln!("dedump: {}", describe(&e));
            ExitCode::from(Exit::Error as u8)
        }
    }
}

/// An error and its causes on one line, each cause once: our errors already print their I/O
/// cause (`cannot write out.txt: Permission denied`), so a cause the text so far holds is not
/// repeated.
fn describe(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// Applies ./dedump.toml (or --config) under the flags, then runs the command.
fn dispatch(cli: Cli, matches: &clap::ArgMatches) -> anyhow::Result<Exit> {
    let sub = matches.subcommand().map(|(_, m)| m).unwrap_or(matches);
    match cli.command {
        Some(Command::Clean(mut args)) => {
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(sub, &mut args.settings, Some(&mut args.read));
            }
            run_clean(&args)
        }
        None => {
            let mut args = cli.clean;
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(matches, &mut args.settings, Some(&mut args.read));
            }
            run_clean(&args)
        }
        Some(Command::Check(mut args)) => {
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(sub, &mut args.settings, Some(&mut args.read));
            }
            run_check(&args, file.as_ref())
        }
        Some(Command::Explain(mut args)) => {
            let file = SettingsFile::find(args.settings.config.as_deref())?;
            if let Some(f) = &file {
                f.apply(sub, &mut args.settings, None);
            }
            run_explain(&args)
        }
        Some(Command::Restore(args)) => run_restore(&args).map(|()| Exit::Ok),
        Some(Command::Learn(args)) => run_learn(&args),
        Some(Command::MergeProfiles(args)) => run_merge(&args).map(|()| Exit::Ok),
        Some(Command::Train(args)) => cmd::train::run(&args).map(|()| Exit::Ok),
        Some(Command::Completions(args)) => {
            let shell = match args.shell {
                cli::ShellArg::Bash => clap_complete::Shell::Bash,
                cli::ShellArg::Zsh => clap_complete::Shell::Zsh,
                cli::ShellArg::Fish => clap_complete::Shell::Fish,
                cli::ShellArg::Powershell => clap_complete::Shell::PowerShell,
            };
            clap_complete::generate(shell, &mut Cli::command(), "dedump", &mut io::stdout());
            Ok(Exit::Ok)
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(Exit::Ok)
        }
    }
}

fn is_stdio(p: &Path) -> bool {
    p.as_os_str() == "-"
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn open_input(path: &Path) -> Result<Box<dyn io::Read>, Error> {
    if is_stdio(path) {
        return Ok(Box::new(io::stdin().lock()));
    }
    let f = File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Box::new(f))
}

fn load_phrases(cfg: &Config, files: &[PathBuf]) -> Result<PhraseSet, Error> {
    if cfg.detectors.phrases {
        PhraseSet::load(files)?.without(&dedump::model::Model::for_config(cfg).phrases_off)
    } else {
        Ok(PhraseSet::empty())
    }
}

/// The settings, phrase rules and profile the settings flags ask for, validated.
fn load_settings(s: &cli::SettingsArgs) -> anyhow::Result<(Config, PhraseSet, Option<Profile>)> {
    let cfg = s.config();
    cfg.validate()?;
    let phrases = load_phrases(&cfg, &s.phrase_files)?;
    let profile = s.profile.as_deref().map(load_profile).transpose()?;
    Ok((cfg, phrases, profile))
}

/// Colour only on a terminal, and never when NO_COLOR is set.
fn use_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn load_profile(path: &Path) -> anyhow::Result<Profile> {
    let mut f =
        File::open(path).with_context(|| format!("cannot read profile {}", path.display()))?;
    Profile::read(&mut f).map_err(|m| anyhow::anyhow!("cannot use profile {}: {m}", path.display()))
}

fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        b = b.num_threads(n);
    }
    Ok(b.build()?)
}

/// A progress bar on stderr when it is a terminal and the run is not quiet.
fn progress_bar(quiet: bool, total: u64) -> Option<ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total.max(1));
    let style = ProgressStyle::with_template(
        "{msg:8} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {prefix}",
    )
    .map(|s| s.progress_chars("=> "));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    Some(bar)
}

fn on_progress(bar: &Option<ProgressBar>) -> impl Fn(Progress) + Sync + '_ {
    move |p: Progress| {
        if let Some(bar) = bar {
            bar.set_message(match p.phase {
                Phase::Learn => "learning",
                Phase::Dedup => "finding duplicates",
                Phase::Clean => "cleaning",
            });
            bar.set_position(p.bytes);
            bar.set_prefix(format!("{} docs", p.docs));
        }
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

fn run_clean(args: &CleanArgs) -> anyhow::Result<Exit> {
    if args.report.as_deref().is_some_and(is_stdio)
        && !args.in_place
        && args.output.as_deref().is_none_or(is_stdio)
    {
        bail!(
            "--report - writes the report to stdout, which carries the cleaned text: add -o FILE"
        );
    }
    let (cfg, phrases, profile) = load_settings(&args.settings)?;
    if args.annotate {
        for input in if args.inputs.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            args.inputs.clone()
        } {
            let explain = ExplainArgs {
                input,
                removed_only: false,
                scores: false,
                settings: args.settings.clone(),
            };
            run_explain(&explain)?;
        }
        return Ok(Exit::Ok);
    }
    if is_single_stream(args) {
        run_single(args, &cfg, &phrases, profile.as_ref())
    } else {
        run_crawl(args, &cfg, &phrases, profile.as_ref())
    }
}

fn run_single(
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
    let outcome = match &args.output {
        Some(out) if !is_stdio(out) => pipeline::write_atomic(out, |w| {
            pipeline::clean_stream(reader, &input, w, out, cfg, phrases, cross)
        })?,
        _ => {
            let mut out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
            pipeline::clean_stream(
                reader,
                &input,
                &mut out,
                Path::new("-"),
                cfg,
                phrases,
                cross,
            )?
        }
    };
    let summary = outcome.summary.clone();
    if let Some(report_path) = &args.report {
        let lines =
            crawl::stream_report(&input.display().to_string(), cfg, phrases, &site, &outcome);
        pipeline::write_to(report_path, |w| {
            let err = |source| Error::Write {
                path: report_path.clone(),
                source,
            };
            for line in &lines {
                w.write_all(line.as_bytes()).map_err(err)?;
                w.write_all(b"\n").map_err(err)?;
            }
            Ok(())
        })
        .with_context(|| format!("writing report {}", report_path.display()))?;
    }
    if !args.quiet {
        eprintln!(
            "dedump: {}: kept {} of {} lines, removed {} ({} bytes){}",
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

fn report_problems(problems: &[Problem]) {
    for p in problems {
        match p.record {
            Some(n) => eprintln!("dedump: skipped {}:{n}: {}", p.source, p.message),
            None => eprintln!("dedump: skipped {}: {}", p.source, p.message),
        }
    }
}

/// A crawl to run: its files, where output goes, and how to read and report.
struct CrawlJob<'a> {
    files: Vec<InputFile>,
    walk_problems: Vec<Problem>,
    output: Output,
    read: &'a cli::ReadArgs,
    strict: bool,
    quiet: bool,
}

/// Walks the inputs (stdin when there are none), with `--threads` threads; the problems are
/// unreadable paths.
fn walk_inputs(
    inputs: &[PathBuf],
    read: &cli::ReadArgs,
    format: Option<cli::FormatArg>,
) -> anyhow::Result<(Vec<InputFile>, Vec<Problem>)> {
    let inputs = if inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        inputs.to_vec()
    };
    let (files, problems) =
        thread_pool(read.threads)?.install(|| walk::collect(&inputs, read.walk(format)));
    let problems = problems
        .into_iter()
        .map(|w| Problem {
            path: None,
            source: w.path.display().to_string(),
            record: None,
            message: w.message,
        })
        .collect();
    Ok((files, problems))
}

/// Runs both passes (or one, with a profile or a stream), report lines and stdout bytes going
/// to `sink` as it goes, and returns the result and every problem, walk problems first.
fn execute_crawl(
    job: &CrawlJob<'_>,
    cfg: &Config,
    phrases: &PhraseSet,
    profile: Option<&Profile>,
    sink: &mut dyn crawl::Sink,
) -> anyhow::Result<(crawl::CrawlResult, Vec<Problem>)> {
    if job.strict && !job.walk_problems.is_empty() {
        report_problems(&job.walk_problems[..1]);
        bail!("stopped at the first problem (--strict)");
    }
    let files = &job.files;
    let opts = job.read.crawl(job.strict);
    let pool = thread_pool(job.read.threads)?;
    let run = crawl::Run {
        cfg,
        phrases,
        opts: &opts,
        output: &job.output,
        profile,
        walk_problems: &job.walk_problems,
    };
    let bar = progress_bar(job.quiet, crawl::total_bytes(files) * run.passes(files));
    let progress = on_progress(&bar);
    let result = pool
        .install(|| run.execute(files, &progress, sink))
        .map_err(|p| {
            report_problems(std::slice::from_ref(&p));
            anyhow::anyhow!("stopped at the first problem (--strict)")
        });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut result = result?;
    let mut problems = job.walk_problems.clone();
    problems.append(&mut result.problems);
    Ok((result, problems))
}

/// Where a crawl's report and cleaned stream go while it runs: the report through a temporary
/// file renamed into place at the end (or stdout), cleaned text to stdout, and optionally a
/// tally of the report for `check`. The first write error stops the run.
#[derive(Default)]
struct StreamSink {
    report: Option<ReportOut>,
    stdout: Option<io::BufWriter<io::Stdout>>,
    tally: Option<dedump::check::Tally>,
    error: Option<Error>,
}

/// The report being written, and the path it is for.
struct ReportOut {
    path: PathBuf,
    w: ReportWriter,
}

/// Where report lines go: stdout, or a temporary file beside the report's path, renamed into
/// place when the run ends well.
enum ReportWriter {
    Stdout(io::BufWriter<io::Stdout>),
    File(io::BufWriter<NamedTempFile>),
}

impl ReportWriter {
    fn write_line(&mut self, line: &str) -> io::Result<()> {
        let w: &mut dyn Write = match self {
            ReportWriter::Stdout(w) => w,
            ReportWriter::File(w) => w,
        };
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")
    }

    /// Flushes; a temporary file is then renamed to `path` if `keep`, else deleted.
    fn finish(self, path: &Path, keep: bool) -> io::Result<()> {
        match self {
            ReportWriter::Stdout(mut w) => w.flush(),
            ReportWriter::File(w) => {
                let tmp = w.into_inner().map_err(io::IntoInnerError::into_error)?;
                if keep {
                    tmp.persist(path).map_err(|e| e.error)?;
                }
                Ok(())
            }
        }
    }
}

impl StreamSink {
    /// A sink writing the report to `report` (`-`: stdout) and cleaned text to stdout when
    /// `stdout` is set.
    fn new(report: Option<&Path>, stdout: bool) -> anyhow::Result<Self> {
        let report = match report {
            None => None,
            Some(path) if is_stdio(path) => Some(ReportOut {
                path: path.to_path_buf(),
                w: ReportWriter::Stdout(io::BufWriter::new(io::stdout())),
            }),
            Some(path) => {
                let tmp = pipeline::temp_file_for(path, true).map_err(|source| Error::Write {
                    path: path.to_path_buf(),
                    source,
                })?;
                Some(ReportOut {
                    path: path.to_path_buf(),
                    w: ReportWriter::File(io::BufWriter::with_capacity(256 * 1024, tmp)),
                })
            }
        };
        Ok(StreamSink {
            report,
            stdout: stdout.then(|| io::BufWriter::with_capacity(256 * 1024, io::stdout())),
            ..StreamSink::default()
        })
    }

    fn fail(&mut self, path: &Path, source: io::Error) {
        if self.error.is_none() {
            self.error = Some(Error::Write {
                path: path.to_path_buf(),
                source,
            });
        }
    }

    /// Flushes the stream and puts the report in place; the first write error, if any.
    fn finish(mut self) -> Result<Option<dedump::check::Tally>, Error> {
        if let Some(w) = &mut self.stdout
            && let Err(e) = w.flush()
        {
            self.fail(Path::new("-"), e);
        }
        if let Some(r) = self.report.take() {
            let keep = self.error.is_none();
            if let Err(e) = r.w.finish(&r.path, keep) {
                self.fail(&r.path, e);
            }
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.tally),
        }
    }
}

impl crawl::Sink for StreamSink {
    fn report(&mut self, line: &str) {
        if self.error.is_some() {
            return;
        }
        if let Some(t) = &mut self.tally {
            t.add(line);
        }
        if let Some(r) = &mut self.report
            && let Err(e) = r.w.write_line(line)
        {
            let path = r.path.clone();
            self.fail(&path, e);
        }
    }

    fn stdout(&mut self, bytes: &[u8]) {
        if self.error.is_some() {
            return;
        }
        // A batch of records at a time: flushed, so a reader downstream gets it now.
        if let Some(w) = &mut self.stdout
            && let Err(e) = w.write_all(bytes).and_then(|()| w.flush())
        {
            self.fail(Path::new("-"), e);
        }
    }

    fn failed(&self) -> bool {
        self.error.is_some()
    }

    fn wants_documents(&self) -> bool {
        self.report.is_some() || self.tally.is_some()
    }
}

/// Whether an error is stdout closed by its reader (`dedump … | head`): a normal end.
fn is_closed_stdout(e: &Error) -> bool {
    matches!(e, Error::Write { path, source } if is_stdio(path) && source.kind() == io::ErrorKind::BrokenPipe)
}

fn run_crawl(
    args: &CleanArgs,
    cfg: &Config,
    phrases: &PhraseSet,
    profile: Option<&Profile>,
) -> anyhow::Result<Exit> {
    let (files, walk_problems) = walk_inputs(&args.inputs, &args.read, args.format)?;
    let output = crawl_output(args, &files)?;
    let job = CrawlJob {
        files,
        walk_problems,
        output,
        read: &args.read,
        strict: args.strict,
        quiet: args.quiet,
    };
    let mut sink = StreamSink::new(args.report.as_deref(), job.output == Output::Stdout)?;
    let ran = execute_crawl(&job, cfg, phrases, profile, &mut sink);
    let written = sink.finish();
    if let Err(e) = &written
        && is_closed_stdout(e)
    {
        return Ok(Exit::Ok);
    }
    let (result, problems) = ran?;
    written?;
    report_problems(&problems);
    if !args.quiet {
        let t = &result.summary.totals;
        eprintln!(
            "dedump: {} files, {} documents: kept {} of {} lines, removed {} ({} bytes){}{}",
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

fn run_check(args: &CheckArgs, file: Option<&SettingsFile>) -> anyhow::Result<Exit> {
    use dedump::check;
    if args.report.as_deref().is_some_and(is_stdio) {
        bail!("--report - is not available with check: stdout carries its summary; name a file");
    }
    let (cfg, phrases, profile) = load_settings(&args.settings)?;
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
        limits
            .max_reason
            .insert(reason, check::parse_share(&v).map_err(bad)?);
    }
    for item in &args.max_reason {
        let Some((reason, v)) = item.split_once('=') else {
            bail!("--max-reason takes REASON=SHARE, as in noise=1%; got {item:?}");
        };
        limits.max_reason.insert(
            reason.trim().to_string(),
            check::parse_share(v).map_err(bad)?,
        );
    }
    let format = args
        .format
        .or(from_file.format)
        .unwrap_or(SummaryFormat::Text);
    let (files, walk_problems) = walk_inputs(&args.inputs, &args.read, args.input_format)?;
    let job = CrawlJob {
        files,
        walk_problems,
        output: Output::Discard,
        read: &args.read,
        strict: args.strict,
        quiet: true,
    };
    let mut sink = StreamSink::new(args.report.as_deref(), false)?;
    sink.tally = Some(check::Tally::new(5));
    let ran = execute_crawl(&job, &cfg, &phrases, profile.as_ref(), &mut sink);
    let written = sink.finish();
    let (result, problems) = ran?;
    let tally = written?.unwrap_or_default();
    report_problems(&problems);
    let results = check::evaluate(&limits, &result.summary);
    let worst = tally.worst().to_vec();
    let repeated = tally.most_repeated(10);
    let failed = results.iter().any(|r| r.failed);
    let color = use_color();
    let mut out = io::stdout().lock();
    let printed = match format {
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
            serde_json::to_writer_pretty(&mut out, &j)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
        }
        SummaryFormat::Github => write!(out, "{}", check::render_github(&results, &worst))
            .and_then(|()| {
                if args.quiet {
                    Ok(())
                } else {
                    write!(
                        out,
                        "{}",
                        check::render_text(&result.summary, &results, &worst, &repeated, false)
                    )
                }
            }),
        SummaryFormat::Text if args.quiet => {
            write!(
                out,
                "{}",
                check::render_text(&result.summary, &results, &[], &[], color)
                    .lines()
                    .filter(|l| l.contains("FAIL"))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            )
        }
        SummaryFormat::Text => write!(
            out,
            "{}",
            check::render_text(&result.summary, &results, &worst, &repeated, color)
        ),
    };
    if let Err(e) = printed
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        return Err(Error::Write {
            path: "-".into(),
            source: e,
        }
        .into());
    }
    // For a CI gate, unreadable input is an error (2) before it is a verdict on limits.
    Ok(if !problems.is_empty() {
        Exit::Error
    } else if failed {
        Exit::LimitExceeded
    } else {
        Exit::Ok
    })
}

fn run_explain(args: &ExplainArgs) -> anyhow::Result<Exit> {
    let (cfg, phrases, profile) = load_settings(&args.settings)?;
    let mut text = Vec::new();
    open_input(&args.input)?
        .read_to_end(&mut text)
        .map_err(|source| Error::Read {
            path: args.input.clone(),
            source,
        })?;
    let site = args.settings.site.clone().unwrap_or_default();
    let cross = profile
        .as_ref()
        .map(|p| (CrossDoc::new(p, &site, 0, cfg.site_rules()), site.as_str()));
    let outcome = pipeline::clean_stream(
        &text[..],
        &args.input,
        &mut io::sink(),
        Path::new("-"),
        &cfg,
        &phrases,
        cross,
    )?;
    let scores = args
        .scores
        .then(|| dedump::explain::page_scores(&text, &cfg, &phrases));
    let view = dedump::explain::View {
        color: use_color(),
        removed_only: args.removed_only,
        scores: scores.as_deref(),
    };
    let annotated = dedump::explain::annotate(&text, &outcome, view);
    let mut out = io::stdout().lock();
    match out.write_all(annotated.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "-".into(),
            source: e,
        }
        .into()),
        _ => Ok(Exit::Ok),
    }
}

fn run_learn(args: &LearnArgs) -> anyhow::Result<Exit> {
    let cfg = Config {
        allow_binary: args.binary,
        ..Config::default()
    };
    if args.inputs.iter().any(|p| is_stdio(p)) {
        bail!(
            "learn reads its inputs once per run and cannot take stdin; give files or directories"
        );
    }
    let (files, walk_problems) = walk_inputs(&args.inputs, &args.read, args.format)?;
    let opts = args.read.crawl(false);
    let pool = thread_pool(args.read.threads)?;
    let bar = progress_bar(args.quiet, crawl::total_bytes(&files));
    let progress = on_progress(&bar);
    let (profile, problems) = pool.install(|| {
        let (mut profile, problems) =
            crawl::learn(&files, &cfg, &opts, OrderKeys::Identity, &progress, false);
        // Fingerprints of the documents, so documents of a later crawl or stream can be checked
        // against this one. Taken after single-document cleaning only: fingerprints that used
        // the shard's own site statistics would differ between a shard and the whole crawl,
        // and shard profiles could no longer merge into exactly the profile of one pass.
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap_or_else(|_| PhraseSet::empty());
        let ctx = CleanContext {
            cfg: &cfg,
            phrases: &phrases,
            opts: &opts,
            profile: None,
            keys: OrderKeys::Identity,
            output: &Output::Discard,
            doc_verdicts: None,
            profile_docs: None,
            removed_orders: None,
            judged: None,
            online: None,
            report_documents: false,
            written: None,
            new_tree: false,
        };
        let docs = crawl::fingerprint_documents(&files, &ctx);
        profile.add_documents(docs);
        (profile, problems)
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    pipeline::write_atomic(&args.output, |w| {
        profile.write(w).map_err(|source| Error::Write {
            path: args.output.clone(),
            source,
        })
    })?;
    let mut all = walk_problems;
    all.extend(problems);
    report_problems(&all);
    if !args.quiet {
        eprintln!(
            "dedump: learned {} documents of {} sites ({} line keys) into {}",
            profile.docs,
            profile.sites.len(),
            profile.line_entries(),
            args.output.display()
        );
    }
    Ok(if all.is_empty() {
        Exit::Ok
    } else {
        Exit::Skipped
    })
}

fn run_merge(args: &MergeArgs) -> anyhow::Result<()> {
    let mut merged: Option<Profile> = None;
    for path in &args.profiles {
        let p = load_profile(path)?;
        match &mut merged {
            None => merged = Some(p),
            Some(m) => m
                .merge(p)
                .with_context(|| format!("merging {}", path.display()))?,
        }
    }
    let Some(merged) = merged else {
        bail!("give at least one profile")
    };
    pipeline::write_atomic(&args.output, |w| {
        merged.write(w).map_err(|source| Error::Write {
            path: args.output.clone(),
            source,
        })
    })?;
    Ok(())
}

fn run_restore(args: &RestoreArgs) -> anyhow::Result<()> {
    let mut report = restore::ReportReader::open(&args.report)?;
    if args.cleaned.is_dir() {
        let Some(out) = args.output.as_ref().filter(|o| !is_stdio(o)) else {
            bail!(
                "{} is a directory: restore it into another with -o DIR",
                args.cleaned.display()
            );
        };
        if same_file(&args.cleaned, out) {
            bail!(
                "refusing to restore {} over itself; choose another -o",
                out.display()
            );
        }
        restore::restore_tree(&args.cleaned, &mut report, out)?;
        return Ok(());
    }
    let cleaned = open_input(&args.cleaned)?;
    match &args.output {
        Some(out) if !is_stdio(out) => pipeline::write_atomic(out, |w| {
            restore::restore_stream(cleaned, &args.cleaned, &mut report, w, out)
        })?,
        _ => {
            let mut out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
            restore::restore_stream(
                cleaned,
                &args.cleaned,
                &mut report,
                &mut out,
                Path::new("-"),
            )?;
        }
    }
    Ok(())
}
