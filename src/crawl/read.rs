//! Reading the documents out of a crawl's files: a plain-text file is one document, a JSON Lines
//! file one per record (its text field), read in batches so a big dump is never held whole.

use std::io::{self, BufRead};

use rayon::prelude::*;

use super::source::{Record, open, read_all, read_line};
use super::walk::{Format, InputFile};
use super::{CrawlOptions, looks_binary, site_for, trim_eol};
use crate::config::Config;

/// Like [`for_each_doc`], but `f` runs on the documents of a JSON Lines file in parallel, a
/// batch of records at a time, each worker with its own `init()` state; `sink` gets the results
/// in input order. A single big dump keeps both cores busy this way. A plain-text file's one
/// document uses the caller's `state`, so a worker reuses its buffers from file to file.
pub(super) fn map_docs<S, T: Send>(
    file: &InputFile,
    opts: &CrawlOptions,
    cfg: &Config,
    state: &mut S,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, u64, &str, &[u8]) -> T + Sync + Send,
    mut sink: impl FnMut(T),
) -> io::Result<u64> {
    if file.format == Format::Text {
        return for_each_doc(file, opts, cfg, &|_| true, |record, site, text| {
            sink(f(state, record, site, text));
        });
    }
    let mut reader = open(file)?;
    let (mut n, mut total) = (0u64, 0u64);
    loop {
        let batch = read_batch(&mut reader, &mut n, opts.max_doc_bytes)?;
        if batch.is_empty() {
            return Ok(total);
        }
        total += batch.iter().map(|(_, line)| line.len() as u64).sum::<u64>();
        let results: Vec<Option<T>> = batch
            .par_iter()
            .map_init(&init, |state, (n, line)| {
                let body = trim_eol(line);
                if body.iter().all(u8::is_ascii_whitespace) {
                    return None;
                }
                let (rec, text) = Record::parse(body, &opts.text_field).ok()?;
                let site = site_for(opts, rec.field(&opts.url_field), file);
                Some(f(state, *n, &site, text.as_bytes()))
            })
            .collect();
        results.into_iter().flatten().for_each(&mut sink);
    }
}

/// Reads the documents of one file that `wants(record)` asks for (a JSON Lines record is not
/// parsed otherwise), calling `each(record, site, text)`. Records that cannot be used are
/// skipped here (the cleaning pass reports them).
pub(super) fn for_each_doc(
    file: &InputFile,
    opts: &CrawlOptions,
    cfg: &Config,
    wants: &dyn Fn(u64) -> bool,
    mut each: impl FnMut(u64, &str, &[u8]),
) -> io::Result<u64> {
    match file.format {
        Format::Text if !wants(0) => Ok(0),
        Format::Text => {
            let bytes = read_all(file, opts.max_doc_bytes)?;
            if cfg.allow_binary || !looks_binary(&bytes) {
                each(0, &site_for(opts, None, file), &bytes);
            }
            Ok(bytes.len() as u64)
        }
        Format::Jsonl => {
            let mut reader = open(file)?;
            let (mut line, mut n, mut total) = (Vec::new(), 0u64, 0u64);
            loop {
                line.clear();
                if read_line(&mut reader, &mut line, opts.max_doc_bytes)? == 0 {
                    return Ok(total);
                }
                n += 1;
                total += line.len() as u64;
                let body = trim_eol(&line);
                if !wants(n) || body.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if let Ok((rec, text)) = Record::parse(body, &opts.text_field) {
                    let site = site_for(opts, rec.field(&opts.url_field), file);
                    each(n, &site, text.as_bytes());
                }
            }
        }
    }
}

/// JSON Lines records read and cleaned together; a batch's results are written in order.
pub(super) const RECORD_BATCH: usize = 256;

/// Reads up to [`RECORD_BATCH`] lines (endings kept), numbered on from `n`, which ends as the
/// number of the last line read. Empty at the end of the input.
pub(super) fn read_batch(
    reader: &mut dyn BufRead,
    n: &mut u64,
    limit: u64,
) -> io::Result<Vec<(u64, Vec<u8>)>> {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while batch.len() < RECORD_BATCH {
        let mut line = Vec::new();
        if read_line(reader, &mut line, limit)? == 0 {
            break;
        }
        *n += 1;
        batch.push((*n, line));
    }
    Ok(batch)
}
