//! One module per command: each turns its flags into library calls and their results into
//! output and an exit code, and nothing more. What they share is here: loading settings, the
//! thread pool and progress bar, the walk of the inputs, and what a closed standard output means.

pub mod check;
pub mod clean;
pub mod explain;
pub mod interrupt;
pub mod learn;
pub mod restore;
mod sink;
pub mod train;

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use dedump::crawl::walk::{self, InputFile};
use dedump::crawl::{self, Output, Phase, Problem, Progress};
use dedump::detect::phrase::PhraseSet;
use dedump::profile::Profile;
use dedump::{Config, Error};

use crate::cli;
pub use sink::ReportSink;

/// Exit codes, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    LimitExceeded = 1,
    Error = 2,
    Skipped = 3,
}

/// Whether an error is standard output closed by its reader (`dedump big.txt | head`): the reader
/// has all it wanted, and the run ends as if it had finished. The one place that decides it.
pub fn is_closed_stdout(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Error>().is_some_and(Error::is_broken_pipe)
        || e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Writes a command's printed result to standard output. A closed stdout is not an error here:
/// the command's verdict (its exit code) still stands.
pub fn print(text: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "-".into(),
            source: e,
        }
        .into()),
        _ => Ok(()),
    }
}

pub fn is_stdio(p: &Path) -> bool {
    p.as_os_str() == "-"
}

pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Whether two paths name one place, whether or not a file is there yet: the same directory
/// (resolved) and the same name.
pub fn same_place(a: &Path, b: &Path) -> bool {
    if same_file(a, b) {
        return true;
    }
    let place = |p: &Path| {
        let dir = dedump::pipeline::parent_dir(p).canonicalize().ok()?;
        Some(dir.join(p.file_name()?))
    };
    matches!((place(a), place(b)), (Some(x), Some(y)) if x == y)
}

pub fn open_input(path: &Path) -> Result<Box<dyn io::Read>, Error> {
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
pub fn load_settings(
    s: &cli::SettingsArgs,
) -> anyhow::Result<(Config, PhraseSet, Option<Profile>)> {
    let cfg = s.config();
    cfg.validate()?;
    let phrases = load_phrases(&cfg, &s.phrase_files)?;
    let profile = s.profile.as_deref().map(load_profile).transpose()?;
    Ok((cfg, phrases, profile))
}

/// Colour only on a terminal, and never when NO_COLOR is set.
pub fn use_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn load_profile(path: &Path) -> anyhow::Result<Profile> {
    let mut f =
        File::open(path).with_context(|| format!("cannot read profile {}", path.display()))?;
    Profile::read(&mut f).map_err(|m| anyhow::anyhow!("cannot use profile {}: {m}", path.display()))
}

/// The most threads `--threads` takes: more only cost memory and start-up.
pub const MAX_THREADS: usize = 256;

pub fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 || n > MAX_THREADS {
            bail!("--threads must be between 1 and {MAX_THREADS}; got {n}");
        }
        b = b.num_threads(n);
    }
    Ok(b.build()?)
}

/// A progress bar on stderr when it is a terminal and the run is not quiet.
pub fn progress_bar(quiet: bool, total: u64) -> Option<ProgressBar> {
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

pub fn on_progress(bar: &Option<ProgressBar>) -> impl Fn(Progress) + Sync + '_ {
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

/// Says on stderr which inputs were skipped and why.
pub fn report_problems(problems: &[Problem]) {
    for p in problems {
        match p.record {
            Some(n) => note!("skipped {}:{n}: {}", p.source, p.message),
            None => note!("skipped {}: {}", p.source, p.message),
        }
    }
}

/// Walks the inputs (stdin when there are none), with `--threads` threads; the problems are
/// unreadable paths.
pub fn walk_inputs(
    inputs: &[PathBuf],
    read: &cli::ReadArgs,
    format: Option<cli::FormatArg>,
) -> anyhow::Result<(Vec<InputFile>, Vec<Problem>)> {
    walk_inputs_around(inputs, read, format, None)
}

/// [`walk_inputs`], never entering the directory `output` (an output tree inside an input tree
/// is no input: its files would be cleaned and written over by other files' output).
pub fn walk_inputs_around(
    inputs: &[PathBuf],
    read: &cli::ReadArgs,
    format: Option<cli::FormatArg>,
    output: Option<&Path>,
) -> anyhow::Result<(Vec<InputFile>, Vec<Problem>)> {
    // A path named on the command line that is not there is a mistake in the command, not a
    // file to skip.
    for input in inputs.iter().filter(|p| !is_stdio(p)) {
        if let Err(e) = std::fs::symlink_metadata(input)
            && e.kind() == io::ErrorKind::NotFound
        {
            bail!("{}: no such file or directory", input.display());
        }
    }
    let skip: Vec<PathBuf> = output
        .filter(|o| !is_stdio(o))
        .and_then(|o| o.canonicalize().ok())
        .into_iter()
        .collect();
    let inputs = if inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        inputs.to_vec()
    };
    let (files, problems) = thread_pool(read.threads)?
        .install(|| walk::collect_skipping(&inputs, read.walk(format), &skip));
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

/// A crawl to run: its files, where output goes, and how to read and report.
pub struct CrawlJob<'a> {
    pub files: Vec<InputFile>,
    pub walk_problems: Vec<Problem>,
    pub output: Output,
    pub read: &'a cli::ReadArgs,
    pub strict: bool,
    pub quiet: bool,
}

impl CrawlJob<'_> {
    /// Runs the crawl (learning first unless a profile is given), report events and stdout bytes
    /// going to `sink` as it goes, with a progress bar; the result and every problem, walk
    /// problems first.
    pub fn run(
        &self,
        cfg: &Config,
        phrases: &PhraseSet,
        profile: Option<&Profile>,
        sink: &mut dyn crawl::Sink,
    ) -> anyhow::Result<(crawl::CrawlResult, Vec<Problem>)> {
        if self.strict && !self.walk_problems.is_empty() {
            report_problems(&self.walk_problems[..1]);
            bail!("stopped at the first problem (--strict)");
        }
        let files = &self.files;
        let opts = self.read.crawl(self.strict);
        let pool = thread_pool(self.read.threads)?;
        let run = crawl::Run {
            cfg,
            phrases,
            opts: &opts,
            output: &self.output,
            profile,
            walk_problems: &self.walk_problems,
        };
        let bar = progress_bar(self.quiet, crawl::total_bytes(files) * run.passes(files));
        let progress = on_progress(&bar);
        let result = pool
            .install(|| run.execute(files, &progress, sink))
            .map_err(|stop| match stop {
                crawl::Stop::Problem(p) => {
                    report_problems(std::slice::from_ref(&p));
                    anyhow::anyhow!("stopped at the first problem (--strict)")
                }
                crawl::Stop::Write(e) => anyhow::Error::new(e),
            });
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let mut result = result?;
        let mut problems = self.walk_problems.clone();
        problems.append(&mut result.problems);
        Ok((result, problems))
    }
}
