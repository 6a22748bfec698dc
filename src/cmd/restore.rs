//! `dedump restore`: the input back, byte for byte, from what `clean` wrote and its report.

use std::io;
use std::path::Path;

use anyhow::bail;

use dedump::report::ReportReader;
use dedump::{pipeline, restore};

use super::{Exit, is_stdio, same_file};
use crate::cli::RestoreArgs;

pub fn run(args: &RestoreArgs) -> anyhow::Result<Exit> {
    let mut report = ReportReader::open(&args.report)?;
    if let Some(out) = &args.output {
        match args.cleaned.is_dir() {
            true => super::interrupt::watch(out),
            false => super::interrupt::watch_file(out),
        }
    }
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
        return Ok(Exit::Ok);
    }
    // One file: of a mirrored tree (found by its place in the tree) or of a one-input run.
    let input = if is_stdio(&args.cleaned) {
        None
    } else {
        restore::find_file(&args.cleaned, &args.report)?
    };
    if let Some(index) = input {
        let (cleaned, report) = (&args.cleaned, &args.report);
        match &args.output {
            Some(out) if !is_stdio(out) => pipeline::write_atomic(out, |w| {
                restore::restore_file(cleaned, report, index, w, out)
            })?,
            _ => {
                let mut out = io::BufWriter::with_capacity(256 * 1024, io::stdout().lock());
                restore::restore_file(cleaned, report, index, &mut out, Path::new("-"))?;
            }
        }
        return Ok(Exit::Ok);
    }
    let cleaned = super::open_input(&args.cleaned)?;
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
    Ok(Exit::Ok)
}
