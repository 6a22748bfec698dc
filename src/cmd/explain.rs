//! `dedump explain`: a page with each removed line marked and its reason beside it.

use std::io::Read;
use std::path::Path;

use dedump::detect::site::CrossDoc;
use dedump::{Error, pipeline};

use super::Exit;
use crate::cli::ExplainArgs;

pub fn run(args: &ExplainArgs) -> anyhow::Result<Exit> {
    let (cfg, phrases, profile) = super::load_settings(&args.settings)?;
    let mut text = Vec::new();
    super::open_input(&args.input)?
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
        &mut std::io::sink(),
        Path::new("-"),
        &cfg,
        &phrases,
        cross,
    )?;
    let scores = args
        .scores
        .then(|| dedump::explain::page_scores(&text, &cfg, &phrases));
    let view = dedump::explain::View {
        color: super::use_color(),
        removed_only: args.removed_only,
        scores: scores.as_deref(),
    };
    let annotated = dedump::explain::annotate(&text, &outcome, view);
    super::print(annotated.as_bytes())?;
    Ok(Exit::Ok)
}
