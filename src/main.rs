//! The `dedump` binary: parse flags, build a `Config`, call the library, map the result to an
//! exit code. All logic lives in the library.

mod cli;

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{CleanArgs, Cli, Command, RestoreArgs};
use dedump::detect::phrase::PhraseSet;
use dedump::{Error, pipeline, restore};

/// Exit codes, in one place.
#[derive(Debug, Clone, Copy)]
enum Exit {
    Ok = 0,
    Error = 2,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Clean(args)) => run_clean(&args),
        Some(Command::Restore(args)) => run_restore(&args),
        None => run_clean(&cli.clean),
    };
    match result {
        Ok(()) => ExitCode::from(Exit::Ok as u8),
        Err(e) => {
            if e.downcast_ref::<Error>().is_some_and(Error::is_broken_pipe) {
                // `dedump big.txt | head`: the reader has all it wanted.
                return ExitCode::from(Exit::Ok as u8);
            }
            eprintln!("dedump: {e:#}");
            ExitCode::from(Exit::Error as u8)
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
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::Read {
            path: path.to_path_buf(),
            source: io::Error::other(
                "is a directory; give a file (crawl directories are not supported yet)",
            ),
        });
    }
    Ok(Box::new(f))
}

fn run_clean(args: &CleanArgs) -> anyhow::Result<()> {
    let cfg = args.config();
    cfg.validate()?;
    let input = args.input.clone().unwrap_or_else(|| PathBuf::from("-"));
    if let Some(out) = &args.output
        && !is_stdio(out)
        && !is_stdio(&input)
        && same_file(&input, out)
    {
        anyhow::bail!(
            "refusing to write over the input {}; choose another -o",
            input.display()
        );
    }
    let phrases = if cfg.detectors.phrases {
        PhraseSet::load(&args.phrase_files)?
    } else {
        PhraseSet::empty()
    };
    let reader = open_input(&input)?;
    let outcome = match &args.output {
        Some(out) if !is_stdio(out) => pipeline::write_atomic(out, |w| {
            pipeline::clean_stream(reader, &input, w, out, &cfg, &phrases, None)
        })?,
        _ => {
            let mut out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
            pipeline::clean_stream(
                reader,
                &input,
                &mut out,
                Path::new("-"),
                &cfg,
                &phrases,
                None,
            )?
        }
    };
    let summary = outcome.summary.clone();
    if let Some(report_path) = &args.report {
        let report = pipeline::build_report(&input, &cfg, &args.phrase_files, outcome);
        pipeline::write_atomic(report_path, |w| {
            let err = |source| Error::Write {
                path: report_path.clone(),
                source,
            };
            serde_json::to_writer_pretty(&mut *w, &report).map_err(|e| err(e.into()))?;
            w.write_all(b"\n").map_err(err)
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
    Ok(())
}

fn run_restore(args: &RestoreArgs) -> anyhow::Result<()> {
    let report = restore::load_report(&args.report)?;
    let cleaned = open_input(&args.cleaned)?;
    match &args.output {
        Some(out) if !is_stdio(out) => pipeline::write_atomic(out, |w| {
            restore::restore(cleaned, &args.cleaned, &report, w, out)
        })?,
        _ => {
            let mut out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
            restore::restore(cleaned, &args.cleaned, &report, &mut out, Path::new("-"))?;
        }
    }
    Ok(())
}
