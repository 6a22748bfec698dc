//! The command line: clap definitions and their conversion into library settings. No logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use dedump::Config;
use dedump::crawl::CrawlOptions;
use dedump::crawl::walk::{Format, WalkOptions};
use dedump::profile::SiteFrom;

/// Find and remove duplicate and boilerplate lines in scraped text, and report every removal.
///
/// `dedump [PATH...]` is short for `dedump clean [PATH...]`. With no PATH (or `-`), reads stdin.
/// One text file or stdin is cleaned as a stream to stdout (or -o FILE). Directories, several
/// files, JSON Lines and compressed files are cleaned as a crawl: a first pass learns what
/// recurs across each site's documents, a second cleans, -o DIR mirrors the input tree.
///
/// Exit codes: 0 success; 1 `check` found a limit exceeded; 2 bad usage, or an input/output
/// error that stopped the run; 3 the run finished but some input was skipped (each one is named
/// on stderr and in the report). Settings can also come from ./dedump.toml (or --config).
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
    /// Clean documents (the default command).
    Clean(CleanArgs),
    /// Rebuild the original input from what `clean` wrote (a file, a stream, a mirrored tree)
    /// and its report, byte for byte.
    Restore(RestoreArgs),
    /// Learn cross-document statistics from a crawl and save them as a profile.
    Learn(LearnArgs),
    /// Merge profiles learned from separate shards into one.
    MergeProfiles(MergeArgs),
    /// Check a data set against limits (for CI): exit 0 within limits, 1 over a limit, 2 on
    /// usage or input errors (a skipped file counts as one). Writes no cleaned output.
    Check(CheckArgs),
    /// Show a document with each removed line marked, its reason and evidence beside it.
    Explain(ExplainArgs),
    /// Train the boilerplate model on labelled pages and write it as JSON (use it with --model).
    Train(TrainArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

/// Detectors that can be switched off with --disable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Detector {
    /// Exact repeated lines.
    Exact,
    /// Near-repeated lines (edited copies).
    Near,
    /// Duplicated title near the top.
    Title,
    /// Lone counters, separator-only and invisible lines.
    Noise,
    /// Phrase rules: the built-in lists (evidence for the model) and --phrases files.
    Phrases,
    /// Generated list blocks (slogan lists, sidebars).
    Blocks,
    /// Tidying of blank lines left doubled by a removal.
    TidyBlanks,
    /// The boilerplate model: menus, breadcrumbs, footers, related lists, notices and feeds'
    /// dates, judged with the page around them.
    Boilerplate,
    /// Site boilerplate (crawls and profiles).
    Site,
    /// Long paragraphs whose first copy is in another document (crawls and profiles).
    DuplicateContent,
}

/// How much boilerplate the model takes from a page's own text (`--boilerplate`): which of its
/// thresholds applies. Each was chosen, when the model was trained, as the lowest score at which
/// every folder of the training pages still kept a share of its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BoilerplateLevel {
    /// Keeps 99.8 % of the training pages' content in every folder.
    Conservative,
    /// Keeps 99.5 % (the default).
    Balanced,
    /// Keeps 99 %: more boilerplate goes, and some lines of tables and lists with it.
    Aggressive,
}

impl BoilerplateLevel {
    /// The model's level.
    pub fn level(self) -> dedump::model::Level {
        match self {
            BoilerplateLevel::Conservative => dedump::model::Level::Conservative,
            BoilerplateLevel::Balanced => dedump::model::Level::Balanced,
            BoilerplateLevel::Aggressive => dedump::model::Level::Aggressive,
        }
    }
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Switch {
    /// Enabled.
    On,
    /// Disabled.
    Off,
}

/// Which copy of duplicate documents stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeepArg {
    /// The first in input order.
    First,
    /// The longest after line cleaning (ties: the first).
    Longest,
}

/// Document layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One document per file.
    Text,
    /// One JSON object per line.
    Jsonl,
}

/// Where sites come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteFromArg {
    /// The url field's host, else the first directory under the input root, else none.
    Auto,
    /// The url field's host.
    Url,
    /// The first directory level under the input root.
    Dir,
    /// The whole input is one site.
    None,
}

/// How crawl inputs are read (clean and learn).
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// JSON Lines field holding the document text.
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,
    /// JSON Lines field naming each document in the report.
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
    /// JSON Lines field holding the document URL (its host is the site).
    #[arg(long, default_value = "url", value_name = "FIELD")]
    pub url_field: String,
    /// Where a document's site comes from.
    #[arg(long, value_enum, default_value = "auto", value_name = "FROM")]
    pub site_from: SiteFromArg,
    /// Read hidden files and directories too.
    #[arg(long)]
    pub hidden: bool,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// The most bytes of one document read into memory (a file once decompressed, or one JSON
    /// Lines record); a file with a longer one is reported and copied unchanged.
    #[arg(long, value_name = "BYTES", default_value_t = dedump::crawl::MAX_DOC_BYTES)]
    pub max_doc_bytes: u64,
}

/// Options of `dedump clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files, directories or `-` (stdin); nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// Where cleaned text goes: a file for one input, a directory mirroring the inputs for a
    /// crawl. Written atomically. Default: stdout (one input only).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Write the report here, JSON Lines: a header, a record per document with its removed
    /// lines and why, problems, a summary; the same for one file, a stream and a crawl, and what
    /// `restore` reads. `-` is stdout (then the cleaned text needs `-o`).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Layout of the inputs, instead of guessing from the extension (.jsonl/.ndjson are JSON
    /// Lines; .gz and .zst are decompressed either way).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Write cleaned files over the inputs.
    #[arg(long, conflicts_with = "output")]
    pub in_place: bool,
    /// Print each document with its removed lines marked, instead of cleaning (as `explain`).
    #[arg(long, conflicts_with_all = ["output", "in_place"])]
    pub annotate: bool,
    /// Stop at the first bad file or record instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing on stderr but errors (no summary, no progress bar).
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Detector settings shared by `clean`, `check` and `explain`; `dedump.toml` can set them too.
#[derive(Debug, Clone, Args)]
pub struct SettingsArgs {
    /// Read settings from this file instead of ./dedump.toml (flags override it).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Extra phrase rules (`line: …`, `start: …`, `contains: …`), added to the built-in list.
    #[arg(long = "phrases", value_name = "FILE")]
    pub phrase_files: Vec<PathBuf>,
    /// Switch detectors off (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "DETECTOR")]
    pub disable: Vec<Detector>,
    /// How much boilerplate the model takes from a page's own text (menus, breadcrumbs,
    /// footers, related lists, notices): which of its thresholds applies.
    #[arg(long, value_enum, default_value = "balanced", value_name = "LEVEL")]
    pub boilerplate: BoilerplateLevel,
    /// Use this model (written by `dedump train`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Similarity (Jaccard of character shingles) at which a line is a near repeat.
    #[arg(long, value_name = "0..1", default_value_t = Config::default().near_threshold)]
    pub near_threshold: f64,
    /// Lines longer than this many bytes are kept untouched and counted in the report.
    #[arg(long, value_name = "BYTES", default_value_t = Config::default().max_line_bytes)]
    pub max_line_bytes: usize,
    /// Non-blank lines read ahead before a line is decided.
    #[arg(long, value_name = "LINES", default_value_t = Config::default().lookahead)]
    pub lookahead: usize,
    /// Most lines of a document held for the page's judgement before lines start leaving
    /// (default: 16,384; 2,000 for text on stdin).
    #[arg(long, value_name = "LINES")]
    pub window: Option<usize>,
    /// Most bytes of a document held likewise (default: 16 MiB; 1 MiB for text on stdin).
    #[arg(long, value_name = "BYTES")]
    pub window_bytes: Option<usize>,
    /// Site boilerplate: fewest documents of a site a line must be in.
    #[arg(long, value_name = "N", default_value_t = Config::default().site_min_docs)]
    pub site_min_docs: u32,
    /// Site boilerplate: least share of the site's documents a line must be in…
    #[arg(long, value_name = "0..1", default_value_t = Config::default().site_min_share)]
    pub site_min_share: f64,
    /// …unless it is in at least this many of them.
    #[arg(long, value_name = "N", default_value_t = Config::default().site_always_docs)]
    pub site_always_docs: u32,
    /// Remove duplicate and near-duplicate documents (crawls and JSON Lines).
    #[arg(long, value_enum, default_value = "on", value_name = "ON|OFF")]
    pub dedup_docs: Switch,
    /// Exact Jaccard similarity (of 5-token shingles) at which two documents are near duplicates.
    #[arg(long, value_name = "0..1", default_value_t = Config::default().similarity)]
    pub similarity: f64,
    /// Which copy of duplicate documents stays.
    #[arg(long, value_enum, default_value = "first", value_name = "WHICH")]
    pub keep: KeepArg,
    /// Use cross-document statistics from `dedump learn` instead of a first pass (the way a
    /// stream gets them).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// The site of a single stream cleaned with --profile.
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
    /// Clean input that looks binary (has NUL bytes) instead of refusing it.
    #[arg(long)]
    pub binary: bool,
}

/// How `check` prints its summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SummaryFormat {
    /// A table for people (colour on a terminal unless NO_COLOR is set).
    Text,
    /// The report's summary record, as JSON.
    Json,
    /// GitHub Actions workflow annotations for the worst offenders, then the text summary.
    Github,
}

/// Options of `dedump check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories or `-` (stdin).
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// Fail when more than this share of bytes is removed (`5%` or `0.05`; add `lines`, as in
    /// `5%lines`, to count lines instead).
    #[arg(long, value_name = "SHARE")]
    pub max_removed: Option<String>,
    /// Fail when more duplicate documents are removed than this: a count (`10`) or a share of
    /// the documents (`2%`).
    #[arg(long, value_name = "N|SHARE")]
    pub max_duplicate_docs: Option<String>,
    /// Fail when boilerplate (every reason but duplicates) is more than this share of bytes.
    #[arg(long, value_name = "SHARE")]
    pub max_boilerplate: Option<String>,
    /// Fail when one reason removes more than a share of bytes: `REASON=SHARE`, repeatable
    /// (e.g. `noise=1%`).
    #[arg(long = "max-reason", value_name = "REASON=SHARE")]
    pub max_reason: Vec<String>,
    /// Summary format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<SummaryFormat>,
    /// Layout of the inputs, instead of guessing from the extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<FormatArg>,
    /// Also write the full JSON Lines report here.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Stop at the first bad file or record (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but failed limits and errors.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Options of `dedump explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The file to explain; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    /// Show only removed lines (with a line of context on each side).
    #[arg(long)]
    pub removed_only: bool,
    /// Show the boilerplate model's score (0 to 1) beside every line it judges.
    #[arg(long)]
    pub scores: bool,
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Shells `completions` can write for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// Options of `dedump completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

/// Options of `dedump restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// What `clean` wrote: a file, `-` (stdin), or the directory of a mirrored tree.
    #[arg(value_name = "CLEANED")]
    pub cleaned: PathBuf,
    /// The report written when it was cleaned.
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// Write the restored input here (atomically) instead of stdout; for a tree, the directory
    /// to restore it into (required).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Options of `dedump learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// Files and directories to learn from.
    #[arg(value_name = "PATH", required = true)]
    pub inputs: Vec<PathBuf>,
    /// The profile to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Layout of the inputs, instead of guessing from the extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Learn from input that looks binary too.
    #[arg(long)]
    pub binary: bool,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// Options of `dedump train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Folders of labelled pages: `pages/<id>.txt`, `labels/<id>.txt` (a `C`, `B` or `?` per
    /// line) and optionally `manifest.tsv` (columns `id`, `url`: pages of one host are a site).
    /// Each folder is a group that must keep its share of content at every level.
    #[arg(value_name = "FOLDER", required = true)]
    pub folders: Vec<PathBuf>,
    /// The model to write (JSON); `-` for stdout.
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Also write every judged line's features, label and score as tab-separated values.
    #[arg(long, value_name = "FILE")]
    pub dump_features: Option<PathBuf>,
    /// Extra phrase rules, as for `clean`.
    #[arg(long, value_name = "FILE")]
    pub phrases: Vec<PathBuf>,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `dedump merge-profiles`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Profiles to merge (learned with the same settings).
    #[arg(value_name = "PROFILE", required = true, num_args = 1..)]
    pub profiles: Vec<PathBuf>,
    /// The merged profile to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

impl SettingsArgs {
    /// The settings these flags ask for (validated by the caller).
    pub fn config(&self) -> Config {
        let mut cfg = Config {
            near_threshold: self.near_threshold,
            max_line_bytes: self.max_line_bytes,
            lookahead: self.lookahead,
            max_pending_lines: self.window.unwrap_or(Config::default().max_pending_lines),
            max_pending_bytes: self
                .window_bytes
                .unwrap_or(Config::default().max_pending_bytes),
            site_min_docs: self.site_min_docs,
            site_min_share: self.site_min_share,
            site_always_docs: self.site_always_docs,
            allow_binary: self.binary,
            boilerplate: self.boilerplate.level(),
            model: self.model.clone(),
            dedup_docs: self.dedup_docs == Switch::On,
            similarity: self.similarity,
            keep: match self.keep {
                KeepArg::First => dedump::dedup::Keep::First,
                KeepArg::Longest => dedump::dedup::Keep::Longest,
            },
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
                Detector::Boilerplate => &mut cfg.detectors.boilerplate,
                Detector::Site => &mut cfg.detectors.site,
                Detector::DuplicateContent => &mut cfg.detectors.duplicate_content,
            };
            *flag = false;
        }
        cfg
    }
}

impl ReadArgs {
    /// How to walk the inputs, with the input layout if one was given.
    pub fn walk(&self, format: Option<FormatArg>) -> WalkOptions {
        WalkOptions {
            hidden: self.hidden,
            follow_links: self.follow_symlinks,
            format: format.map(|f| match f {
                FormatArg::Text => Format::Text,
                FormatArg::Jsonl => Format::Jsonl,
            }),
        }
    }

    /// How to read documents.
    pub fn crawl(&self, strict: bool) -> CrawlOptions {
        CrawlOptions {
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            url_field: self.url_field.clone(),
            site_from: match self.site_from {
                SiteFromArg::Auto => SiteFrom::Auto,
                SiteFromArg::Url => SiteFrom::Url,
                SiteFromArg::Dir => SiteFrom::Dir,
                SiteFromArg::None => SiteFrom::None,
            },
            strict,
            max_doc_bytes: self.max_doc_bytes,
        }
    }
}
