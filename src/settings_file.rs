//! `dedump.toml`: settings a repository pins, read from the current directory or `--config`.
//!
//! Keys are the long flag names (`near-threshold = 0.85`, `disable = ["near"]`,
//! `phrases = ["my-phrases.txt"]`), plus a `[check]` table for the limits and the summary format.
//! Paths are relative to the file. A flag given on the command line wins over the file, which
//! wins over the built-in default. An unknown key is an error that names it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::ArgMatches;
use clap::parser::ValueSource;
use serde::Deserialize;

use crate::cli::{
    BoilerplateLevel, Detector, KeepArg, ReadArgs, SettingsArgs, SiteFromArg, SummaryFormat, Switch,
};

/// The file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SettingsFile {
    phrases: Option<Vec<PathBuf>>,
    disable: Option<Vec<Detector>>,
    boilerplate: Option<BoilerplateLevel>,
    near_threshold: Option<f64>,
    max_line_bytes: Option<usize>,
    lookahead: Option<usize>,
    window: Option<usize>,
    window_bytes: Option<usize>,
    model: Option<PathBuf>,
    site_min_docs: Option<u32>,
    site_min_share: Option<f64>,
    site_always_docs: Option<u32>,
    dedup_docs: Option<Switch>,
    similarity: Option<f64>,
    keep: Option<KeepArg>,
    profile: Option<PathBuf>,
    binary: Option<bool>,
    text_field: Option<String>,
    id_field: Option<String>,
    url_field: Option<String>,
    site_from: Option<SiteFromArg>,
    /// Limits and format of `dedump check`.
    pub check: Option<CheckSettings>,
    #[serde(skip)]
    dir: PathBuf,
}

/// The `[check]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSettings {
    /// As `--max-removed`.
    pub max_removed: Option<String>,
    /// As `--max-duplicate-docs`.
    pub max_duplicate_docs: Option<String>,
    /// As `--max-boilerplate`.
    pub max_boilerplate: Option<String>,
    /// As `--max-reason`, one key per reason.
    pub max_reason: Option<BTreeMap<String, String>>,
    /// As `--format`.
    pub format: Option<SummaryFormat>,
}

impl SettingsFile {
    /// `--config FILE` (which must exist), else `./dedump.toml` if there is one.
    pub fn find(explicit: Option<&Path>) -> anyhow::Result<Option<SettingsFile>> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from("dedump.toml");
                if !p.is_file() {
                    return Ok(None);
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let mut file: SettingsFile = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message()))?;
        file.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Some(file))
    }

    fn path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.dir.join(p)
        }
    }

    /// Fills in every setting the command line did not give.
    pub fn apply(&self, m: &ArgMatches, s: &mut SettingsArgs, r: Option<&mut ReadArgs>) {
        let unset = |id: &str| {
            m.try_get_raw(id).is_ok() && m.value_source(id) != Some(ValueSource::CommandLine)
        };
        macro_rules! take {
            ($field:ident, $id:literal, $target:expr) => {
                if let Some(v) = &self.$field
                    && unset($id)
                {
                    $target = v.clone();
                }
            };
        }
        if let Some(v) = &self.phrases
            && unset("phrase_files")
        {
            s.phrase_files = v.iter().map(|p| self.path(p)).collect();
        }
        take!(disable, "disable", s.disable);
        take!(boilerplate, "boilerplate", s.boilerplate);
        take!(near_threshold, "near_threshold", s.near_threshold);
        take!(max_line_bytes, "max_line_bytes", s.max_line_bytes);
        take!(lookahead, "lookahead", s.lookahead);
        if let Some(v) = self.window
            && unset("window")
        {
            s.window = Some(v);
        }
        if let Some(v) = self.window_bytes
            && unset("window_bytes")
        {
            s.window_bytes = Some(v);
        }
        if let Some(p) = &self.model
            && unset("model")
        {
            s.model = Some(self.path(p));
        }
        take!(site_min_docs, "site_min_docs", s.site_min_docs);
        take!(site_min_share, "site_min_share", s.site_min_share);
        take!(site_always_docs, "site_always_docs", s.site_always_docs);
        take!(dedup_docs, "dedup_docs", s.dedup_docs);
        take!(similarity, "similarity", s.similarity);
        take!(keep, "keep", s.keep);
        take!(binary, "binary", s.binary);
        if let Some(p) = &self.profile
            && unset("profile")
        {
            s.profile = Some(self.path(p));
        }
        if let Some(r) = r {
            take!(text_field, "text_field", r.text_field);
            take!(url_field, "url_field", r.url_field);
            take!(site_from, "site_from", r.site_from);
            if let Some(v) = &self.id_field
                && unset("id_field")
            {
                r.id_field = Some(v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_named() {
        let e = toml::from_str::<SettingsFile>("near-treshold = 0.9\n").unwrap_err();
        assert!(e.message().contains("near-treshold"), "{}", e.message());
        let e = toml::from_str::<SettingsFile>("[check]\nmax-removd = \"5%\"\n").unwrap_err();
        assert!(e.message().contains("max-removd"), "{}", e.message());
    }

    #[test]
    fn keys_parse() {
        let f: SettingsFile = toml::from_str(
            "disable = [\"near\", \"boilerplate\"]\nboilerplate = \"aggressive\"\nsimilarity = 0.9\nkeep = \"longest\"\n[check]\nmax-removed = \"5%\"\nformat = \"github\"\n[check.max-reason]\nnoise = \"1%\"\n",
        )
        .unwrap();
        assert_eq!(f.disable, Some(vec![Detector::Near, Detector::Boilerplate]));
        assert_eq!(f.boilerplate, Some(BoilerplateLevel::Aggressive));
        assert_eq!(f.check.unwrap().max_reason.unwrap()["noise"], "1%");
    }
}
