//! The command line: clap definitions and their conversion into a [`Config`]. No logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use dedump::Config;

/// Find and remove duplicate and boilerplate lines in scraped text, and report every removal.
///
/// `dedump [FILE]` is short for `dedump clean [FILE]`. With no FILE (or `-`), reads stdin.
/// Cleaned text goes to stdout unless -o is given; messages go to stderr.
///
/// Exit codes: 0 success, 2 bad usage or an input/output error.
#[derive(Debug, Parser)]
#[command(
    name = "dedump",
    version,
    args_conflicts_with_subcommands = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub clean: CleanArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean one document (the default command).
    Clean(CleanArgs),
    /// Rebuild the original input from a cleaned file and its report, byte for byte.
    Restore(RestoreArgs),
}

/// Detectors that can be switched off with --disable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Detector {
    /// Exact repeated lines.
    Exact,
    /// Near-repeated lines (edited copies).
    Near,
    /// Duplicated title near the top.
    Title,
    /// Lone counters, punctuation-only and invisible lines.
    Noise,
    /// Boilerplate phrases (built-in list and --phrases files).
    Phrases,
    /// Generated list blocks (slogan lists, sidebars).
    Blocks,
    /// Tidying of blank lines left doubled by a removal.
    TidyBlanks,
}

/// Options of `dedump clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Input file; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Write the cleaned text here (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a JSON report of every removal here (`-` for stderr is not supported; give a file).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Extra phrase rules (`line: …`, `start: …`, `contains: …`), added to the built-in list.
    #[arg(long = "phrases", value_name = "FILE")]
    pub phrase_files: Vec<PathBuf>,
    /// Switch detectors off (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "DETECTOR")]
    pub disable: Vec<Detector>,
    /// Similarity (Jaccard of character shingles) at which a line is a near repeat.
    #[arg(long, value_name = "0..1", default_value_t = Config::default().near_threshold)]
    pub near_threshold: f64,
    /// Lines longer than this many bytes are kept untouched and counted in the report.
    #[arg(long, value_name = "BYTES", default_value_t = Config::default().max_line_bytes)]
    pub max_line_bytes: usize,
    /// Non-blank lines read ahead before a line is decided.
    #[arg(long, value_name = "LINES", default_value_t = Config::default().lookahead)]
    pub lookahead: usize,
    /// Clean input that looks binary (has NUL bytes) instead of refusing it.
    #[arg(long)]
    pub binary: bool,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `dedump restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The cleaned file; `-` reads stdin.
    #[arg(value_name = "CLEANED")]
    pub cleaned: PathBuf,
    /// The report written when it was cleaned.
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// Write the restored input here (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl CleanArgs {
    /// The settings these flags ask for (validated by the caller).
    pub fn config(&self) -> Config {
        let mut cfg = Config {
            near_threshold: self.near_threshold,
            max_line_bytes: self.max_line_bytes,
            lookahead: self.lookahead,
            allow_binary: self.binary,
            ..Config::default()
        };
        for d in &self.disable {
            let flag = match d {
                Detector::Exact => &mut cfg.detectors.exact,
                Detector::Near => &mut cfg.detectors.near,
                Detector::Title => &mut cfg.detectors.title,
                Detector::Noise => &mut cfg.detectors.noise,
                Detector::Phrases => &mut cfg.detectors.phrases,
                Detector::Blocks => &mut cfg.detectors.blocks,
                Detector::TidyBlanks => &mut cfg.detectors.tidy_blanks,
            };
            *flag = false;
        }
        cfg
    }
}
