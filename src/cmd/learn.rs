//! `dedump learn` and `dedump merge-profiles`: a crawl's site statistics and document
//! fingerprints as a profile, and profiles of shards merged into one.

use anyhow::{Context, bail};

use dedump::crawl::{self, OrderKeys};
use dedump::detect::phrase::PhraseSet;
use dedump::profile::Profile;
use dedump::{Config, Error, pipeline};

use super::{Exit, is_stdio};
use crate::cli::{LearnArgs, MergeArgs};

pub fn run(args: &LearnArgs) -> anyhow::Result<Exit> {
    let cfg = Config {
        allow_binary: args.binary,
        ..Config::default()
    };
    if args.inputs.iter().any(|p| is_stdio(p)) {
        bail!(
            "learn reads its inputs once per run and cannot take stdin; give files or directories"
        );
    }
    let (files, walk_problems) = super::walk_inputs(&args.inputs, &args.read, args.format)?;
    super::interrupt::watch_file(&args.output);
    let opts = args.read.crawl(false);
    let pool = super::thread_pool(args.read.threads)?;
    let bar = super::progress_bar(args.quiet, crawl::total_bytes(&files));
    let progress = super::on_progress(&bar);
    let (profile, problems) = pool.install(|| {
        let (mut profile, problems) =
            crawl::learn(&files, &cfg, &opts, OrderKeys::Identity, &progress, false);
        // Fingerprints of the documents, so documents of a later crawl or stream can be checked
        // against this one. Taken after single-document cleaning only: fingerprints that used
        // the shard's own site statistics would differ between a shard and the whole crawl,
        // and shard profiles could no longer merge into exactly the profile of one pass.
        let phrases = PhraseSet::load(&[] as &[&str]).unwrap_or_else(|_| PhraseSet::empty());
        let docs = crawl::fingerprint_documents(&files, &cfg, &phrases, &opts);
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
    super::report_problems(&all);
    if !args.quiet {
        note!(
            "learned {} documents of {} sites ({} line keys) into {}",
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

pub fn merge(args: &MergeArgs) -> anyhow::Result<Exit> {
    let mut merged: Option<Profile> = None;
    for path in &args.profiles {
        let p = super::load_profile(path)?;
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
    Ok(Exit::Ok)
}
