//! Training the boilerplate model ([`crate::model`]) on labelled pages.
//!
//! **Labelled pages** come in folders laid out as `pages/<id>.txt` (a page dump, one text block
//! a line) and `labels/<id>.txt` (one label a line: `C` content, `B` boilerplate, `?` unknown),
//! with an optional `manifest.tsv` (tab-separated, with a header naming at least `id`; a `url`
//! column gives each page's site, and rows whose `subset` is `synthetic` — hand-written
//! fixtures — are left out). Each folder is a *group*: the thresholds are chosen so that every
//! group keeps its share of content, not just all of them together.
//!
//! **Fitting**: both stages are L2-regularised logistic regressions over standardised inputs,
//! fitted by Newton's method (a few dozen inputs: the Hessian is small, and the fit is exact
//! and the same on every machine). Lines labelled `?`, blank lines and lines without a letter or
//! a digit are not fitted on. Pages of one site see each other as a crawl does, so the site
//! features learn from sites with several pages.
//!
//! **Thresholds**: for each level, the lowest probability at which every group still keeps
//! its target share of its distinct content texts (a text is kept while one copy stays, as
//! `score-pages.py` counts it).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::context::Surroundings;
use crate::detect::phrase::PhraseSet;
use crate::error::Error;
use crate::features::{LineView, ViewBuilder};
use crate::model::{self, Features, Linear, Model, Thresholds};
use crate::profile::counts_for_site;

/// A line's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Part of the page's main content.
    Content,
    /// Boilerplate.
    Boilerplate,
    /// Not known.
    Unknown,
}

/// One labelled page.
#[derive(Debug, Clone)]
pub struct LabelledPage {
    /// The folder it came from.
    pub group: String,
    /// Its site (the host of its URL; the page's own id when it has none).
    pub site: String,
    /// Its id.
    pub id: String,
    /// The page's text.
    pub text: String,
    /// One label per line.
    pub labels: Vec<Label>,
}

/// Content share each group must keep at the `conservative`, `balanced` and `aggressive`
/// levels.
pub const TARGETS: [f64; 3] = [0.998, 0.995, 0.99];
/// Strength of the L2 penalty on standardised weights: enough to keep weights of rare features
/// finite, too little to matter for common ones.
pub const L2: f64 = 1.0;
/// Newton steps at most; the fit usually settles in under ten.
pub const MAX_STEPS: usize = 30;

/// Reads a folder of labelled pages (see the module documentation).
pub fn load_folder(dir: &Path) -> Result<Vec<LabelledPage>, Error> {
    let group = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let mut sites = HashMap::new();
    let mut skip = HashSet::new();
    let manifest = dir.join("manifest.tsv");
    if manifest.is_file() {
        let text = String::from_utf8_lossy(&read(&manifest)?).into_owned();
        let mut rows = text.lines();
        let header: Vec<&str> = rows.next().unwrap_or("").split('\t').collect();
        let col = |name: &str| header.iter().position(|h| *h == name);
        let (id_col, url_col, subset_col) = (col("id"), col("url"), col("subset"));
        let Some(id_col) = id_col else {
            return Err(Error::Config(format!(
                "{}: no `id` column in its header",
                manifest.display()
            )));
        };
        for row in rows {
            let cells: Vec<&str> = row.split('\t').collect();
            let Some(id) = cells.get(id_col) else {
                continue;
            };
            if subset_col.and_then(|c| cells.get(c)) == Some(&"synthetic") {
                skip.insert(id.to_string());
            }
            if let Some(host) = url_col
                .and_then(|c| cells.get(c))
                .and_then(|u| url::Url::parse(u.trim()).ok())
                .and_then(|u| u.host_str().map(str::to_string))
            {
                sites.insert(id.to_string(), host);
            }
        }
    }
    let labels_dir = dir.join("labels");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&labels_dir)
        .map_err(|source| Error::Read {
            path: labels_dir.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let mut pages = Vec::new();
    for label_path in names {
        let id = label_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if skip.contains(&id) {
            continue;
        }
        let page_path = dir.join("pages").join(format!("{id}.txt"));
        let text = String::from_utf8_lossy(&read(&page_path)?).into_owned();
        let labels: Vec<Label> = String::from_utf8_lossy(&read(&label_path)?)
            .lines()
            .map(|l| match l.trim() {
                "C" => Label::Content,
                "B" => Label::Boilerplate,
                _ => Label::Unknown,
            })
            .collect();
        let site = sites
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("{group}/{id}"));
        pages.push(LabelledPage {
            group: group.clone(),
            site,
            id,
            text,
            labels,
        });
    }
    Ok(pages)
}

/// The lines of a text as the engine frames them, without their endings.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n')
        .map(|l| l.strip_suffix('\n').unwrap_or(l))
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// What training needs of one page: per judged line, its features, label and the text the
/// scorer matches on.
#[derive(Debug, Clone)]
pub struct PageData {
    /// The page's group.
    pub group: String,
    /// The page's id.
    pub id: String,
    /// Features of every line.
    pub x: Vec<Features>,
    /// Whether the model judges the line (not blank, letterless or oversized).
    pub present: Vec<bool>,
    /// Labels, one per line.
    pub labels: Vec<Label>,
    /// Per line, a hash of its text as the scorer compares it (NFKC, lower case, no
    /// whitespace); 0 for a line with none.
    pub text_hash: Vec<u64>,
}

/// The features of every labelled page, pages of a site seeing each other as in a crawl.
pub fn page_data(pages: &[LabelledPage], cfg: &Config, phrases: &PhraseSet) -> Vec<PageData> {
    let mut b = ViewBuilder::new();
    let views: Vec<(Vec<LineView>, Vec<String>)> = pages
        .iter()
        .map(|p| {
            let mut keys = Vec::new();
            let views = lines(&p.text)
                .map(|l| {
                    let v = b.view(l, l.len() + 1 > cfg.max_line_bytes, phrases);
                    keys.push(b.key().to_string());
                    v
                })
                .collect();
            (views, keys)
        })
        .collect();
    // Documents of each site holding each line key, counted as a crawl's profile counts them.
    let mut site_docs: HashMap<&str, u64> = HashMap::new();
    let mut key_docs: HashMap<(&str, u64), u32> = HashMap::new();
    for (p, (v, _)) in pages.iter().zip(&views) {
        *site_docs.entry(&p.site).or_default() += 1;
        let keys: HashSet<u64> = v
            .iter()
            .filter(|l| counts_for_site(&l.feat.key_features()))
            .map(|l| l.feat.hash)
            .collect();
        for k in keys {
            *key_docs.entry((&p.site, k)).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for (p, (v, keys)) in pages.iter().zip(&views) {
        let text_hash: Vec<u64> = lines(&p.text).map(scorer_hash).collect();
        let mut labels = p.labels.clone();
        labels.resize(v.len(), Label::Unknown);
        let docs: Vec<u32> = v
            .iter()
            .map(|l| {
                if counts_for_site(&l.feat.key_features()) {
                    key_docs
                        .get(&(p.site.as_str(), l.feat.hash))
                        .copied()
                        .unwrap_or(0)
                } else {
                    0
                }
            })
            .collect();
        let site_pages = site_docs[p.site.as_str()];
        // A page of a site with others is seen twice: in its crawl, and alone, as a stream
        // sees it, so the model learns to judge without the site's evidence too.
        let arounds = [
            (site_pages >= 2).then_some(Surroundings {
                site: Some((&docs, site_pages)),
                ..Surroundings::default()
            }),
            Some(Surroundings::default()),
        ];
        for around in arounds.into_iter().flatten() {
            let crawled = around.site.is_some();
            let j = model::page_features(v, |i| keys[i].as_str(), around);
            out.push(PageData {
                group: p.group.clone(),
                id: if crawled {
                    format!("{} (in its site)", p.id)
                } else {
                    p.id.clone()
                },
                x: j.x,
                present: j.present,
                labels: labels.clone(),
                text_hash: text_hash.clone(),
            });
        }
    }
    out
}

/// Built-in phrase rules that do not earn their place on these pages: a rule earns it when it
/// matches a line not labelled content on at least two sites, alone or together with the other
/// rules of its family. Returned as [`crate::detect::phrase::Rule::name`]s, sorted.
pub fn unsupported_phrases(pages: &[LabelledPage], phrases: &PhraseSet) -> Vec<String> {
    let mut kb = crate::normalize::KeyBuilder::new();
    let rules = phrases.rules();
    let mut sites: Vec<HashSet<&str>> = vec![HashSet::new(); rules.len()];
    for p in pages {
        for (line, label) in
            lines(&p.text).zip(p.labels.iter().chain(std::iter::repeat(&Label::Unknown)))
        {
            if *label == Label::Content {
                continue;
            }
            let f = kb.analyze_str(line);
            if let Some(i) = phrases.find(kb.key(), kb.masked(), &f) {
                sites[i].insert(&p.site);
            }
        }
    }
    let mut by_family: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (r, s) in rules.iter().zip(&sites) {
        if let Some(f) = &r.family {
            by_family.entry(f).or_default().extend(s);
        }
    }
    let mut off: Vec<String> = rules
        .iter()
        .zip(&sites)
        .filter(|(r, s)| {
            let support = match &r.family {
                Some(f) => by_family[f.as_str()].len(),
                None => s.len(),
            };
            r.is_builtin() && support < 2
        })
        .map(|(r, _)| r.name())
        .collect();
    off.sort();
    off.dedup();
    off
}

/// A hash of a line as the scorer compares lines: NFKC, lower case, whitespace removed.
fn scorer_hash(line: &str) -> u64 {
    let s: String = line
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        0
    } else {
        xxhash_rust::xxh3::xxh3_64(s.as_bytes())
    }
}

/// Trains a model on pre-computed page data; `phrases_off` are the built-in phrase rules the
/// data was computed without ([`unsupported_phrases`]).
pub fn train(data: &[PageData], trained_on: String, phrases_off: Vec<String>) -> Model {
    let mut rows: Vec<&[f32]> = Vec::new();
    let mut y = Vec::new();
    for p in data {
        for (i, x) in p.x.iter().enumerate() {
            if let (true, Some(b)) = (p.present[i], target(p.labels[i])) {
                rows.push(x);
                y.push(b);
            }
        }
    }
    let names1: Vec<String> = model::FEATURES.iter().map(|f| f.0.to_string()).collect();
    let stage1 = fit(&rows, &y, names1);
    let mut m = Model {
        feature_version: model::FEATURE_VERSION,
        trained_on,
        stage1,
        stage2: Linear {
            inputs: Vec::new(),
            weights: Vec::new(),
            bias: 0.0,
        },
        thresholds: Thresholds {
            conservative: 1.0,
            balanced: 1.0,
            aggressive: 1.0,
        },
        phrases_off,
    };
    let inputs2: Vec<Vec<Vec<f32>>> = data
        .iter()
        .map(|p| m.stage2_inputs(&p.x, &p.present))
        .collect();
    let mut rows2: Vec<&[f32]> = Vec::new();
    let mut y2 = Vec::new();
    for (p, inputs) in data.iter().zip(&inputs2) {
        let judged = (0..p.x.len()).filter(|&i| p.present[i]);
        for (i, x) in judged.zip(inputs) {
            if let Some(b) = target(p.labels[i]) {
                rows2.push(x);
                y2.push(b);
            }
        }
    }
    let names2: Vec<String> = model::stage2_inputs().map(str::to_string).collect();
    m.stage2 = fit(&rows2, &y2, names2);
    let scores: Vec<Vec<f64>> = data
        .iter()
        .map(|p| m.score_page(&p.x, &p.present))
        .collect();
    let t = |target: f64| threshold(data, &scores, target);
    m.thresholds = Thresholds {
        conservative: t(TARGETS[0]),
        balanced: t(TARGETS[1]),
        aggressive: t(TARGETS[2]),
    };
    m
}

fn target(l: Label) -> Option<bool> {
    match l {
        Label::Content => Some(false),
        Label::Boilerplate => Some(true),
        Label::Unknown => None,
    }
}

/// Candidate thresholds, from the strictest down: a grid in log-odds from 12 (p ≈ 0.999994) to 0
/// (p = 0.5), steps of 1/40.
fn candidates() -> impl Iterator<Item = f64> {
    (0..=480).rev().map(|k| model::sigmoid(f64::from(k) / 40.0))
}

/// The lowest threshold (rounded up to 4 decimals) at which every group keeps `target` of its
/// distinct content texts, lines going as [`model::smooth`] decides.
pub fn threshold(data: &[PageData], scores: &[Vec<f64>], target: f64) -> f64 {
    let mut best = 1.0;
    for t in candidates() {
        let t = ((t * 1e4).floor() + 1.0).min(1e4) / 1e4;
        if kept_share(data, scores, t).values().any(|&k| k < target) {
            break;
        }
        best = t;
    }
    best
}

/// Per group, the share of distinct content texts kept at threshold `t`. A text is kept while
/// one of its lines stays; a text that is also a boilerplate line's counts as content.
pub fn kept_share<'d>(data: &'d [PageData], scores: &[Vec<f64>], t: f64) -> BTreeMap<&'d str, f64> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (p, s) in data.iter().zip(scores) {
        let gone = model::smooth(s, &p.present, t);
        let mut texts: HashMap<u64, bool> = HashMap::new();
        for ((label, &hash), gone) in p.labels.iter().zip(&p.text_hash).zip(&gone) {
            if *label == Label::Content && hash != 0 {
                *texts.entry(hash).or_default() |= !gone;
            }
        }
        let c = counts.entry(&p.group).or_default();
        c.0 += texts.values().filter(|&&k| k).count();
        c.1 += texts.len();
    }
    counts
        .into_iter()
        .map(|(g, (kept, all))| (g, kept as f64 / all.max(1) as f64))
        .collect()
}

/// Fits one logistic regression (see the module documentation).
fn fit(rows: &[&[f32]], y: &[bool], inputs: Vec<String>) -> Linear {
    let d = inputs.len();
    let n = rows.len().max(1) as f64;
    // Standardise: mean and spread of each input.
    let mut mean = vec![0.0; d];
    let mut sd = vec![0.0; d];
    for r in rows {
        for (j, &v) in r.iter().enumerate() {
            mean[j] += f64::from(v);
        }
    }
    mean.iter_mut().for_each(|m| *m /= n);
    for r in rows {
        for (j, &v) in r.iter().enumerate() {
            sd[j] += (f64::from(v) - mean[j]).powi(2);
        }
    }
    for s in &mut sd {
        *s = (*s / n).sqrt();
        if *s < 1e-9 {
            *s = 1.0;
        }
    }
    // Weights of standardised inputs, the intercept last.
    let mut w = vec![0.0; d + 1];
    let mut z = vec![0.0; d + 1];
    for _ in 0..MAX_STEPS {
        let mut grad = vec![0.0; d + 1];
        let mut hess = vec![0.0; (d + 1) * (d + 1)];
        for (r, &t) in rows.iter().zip(y) {
            for (j, &v) in r.iter().enumerate() {
                z[j] = (f64::from(v) - mean[j]) / sd[j];
            }
            z[d] = 1.0;
            let s: f64 = w.iter().zip(&z).map(|(a, b)| a * b).sum();
            let p = model::sigmoid(s);
            let err = f64::from(u8::from(t)) - p;
            let q = (p * (1.0 - p)).max(1e-12);
            for a in 0..=d {
                grad[a] += err * z[a];
                let row = &mut hess[a * (d + 1)..(a + 1) * (d + 1)];
                for b in 0..=a {
                    row[b] += q * z[a] * z[b];
                }
            }
        }
        for a in 0..d {
            grad[a] -= L2 * w[a];
            hess[a * (d + 1) + a] += L2;
        }
        for a in 0..=d {
            for b in 0..a {
                hess[b * (d + 1) + a] = hess[a * (d + 1) + b];
            }
        }
        let Some(step) = solve(&mut hess, &grad, d + 1) else {
            break;
        };
        let size: f64 = step.iter().map(|s| s.abs()).fold(0.0, f64::max);
        for (wa, sa) in w.iter_mut().zip(&step) {
            *wa += sa;
        }
        if size < 1e-6 {
            break;
        }
    }
    // Back to raw inputs: w_raw = w / sd, bias = w_d - Σ w_j mean_j / sd_j. Rounded, so the
    // model file reads well and diffs stay small.
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let weights: Vec<f64> = (0..d).map(|j| round(w[j] / sd[j])).collect();
    let bias = round(w[d] - (0..d).map(|j| w[j] * mean[j] / sd[j]).sum::<f64>());
    Linear {
        inputs,
        weights,
        bias,
    }
}

/// Solves `a · x = b` for a symmetric positive definite `a` (n × n, row-major) by Cholesky
/// decomposition, in place; `None` when `a` is not positive definite.
fn solve(a: &mut [f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut s = a[j * n + j];
        for k in 0..j {
            s -= a[j * n + k] * a[j * n + k];
        }
        if s <= 0.0 {
            return None;
        }
        let d = s.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    let mut x = b.to_vec();
    for i in 0..n {
        for k in 0..i {
            x[i] -= a[i * n + k] * x[k];
        }
        x[i] /= a[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            x[i] -= a[k * n + i] * x[k];
        }
        x[i] /= a[i * n + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let x = solve(&mut a, &[6.0, 5.0], 2).unwrap();
        assert!(
            (x[0] - 1.0).abs() < 1e-12 && (x[1] - 1.0).abs() < 1e-12,
            "{x:?}"
        );
        let mut singular = vec![1.0, 1.0, 1.0, 1.0];
        assert!(solve(&mut singular, &[1.0, 1.0], 2).is_none());
    }

    #[test]
    fn a_fit_separates_what_one_input_tells_apart() {
        let rows: Vec<Vec<f32>> = (0..200)
            .map(|i| vec![(i % 2) as f32, (i % 7) as f32])
            .collect();
        let y: Vec<bool> = (0..200).map(|i| i % 2 == 1).collect();
        let refs: Vec<&[f32]> = rows.iter().map(Vec::as_slice).collect();
        let lin = fit(&refs, &y, vec!["a".into(), "b".into()]);
        assert!(lin.weights[0] > 3.0, "{lin:?}");
        assert!(lin.weights[1].abs() < 0.5, "{lin:?}");
        assert!(lin.score(&[1.0, 3.0]) > 0.0 && lin.score(&[0.0, 3.0]) < 0.0);
    }

    #[test]
    fn thresholds_keep_the_target_share_of_every_group() {
        let page = |group: &str, scores: &[f64]| {
            let n = scores.len();
            (
                PageData {
                    group: group.into(),
                    id: "p".into(),
                    x: vec![[0.0; model::N]; n],
                    present: vec![true; n],
                    labels: vec![Label::Content; n],
                    text_hash: (1..=n as u64).collect(),
                },
                scores.to_vec(),
            )
        };
        // 10 content texts per group, far apart in score; at 0.9 each group may lose one.
        let (a, sa) = page("a", &[0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.99]);
        let (b, sb) = page("b", &[0.1; 10]);
        let t = threshold(&[a.clone(), b.clone()], &[sa.clone(), sb.clone()], 0.9);
        assert!(t > 0.2 && t <= 0.99, "{t}");
        assert_eq!(
            kept_share(std::slice::from_ref(&a), std::slice::from_ref(&sa), t)["a"],
            0.9
        );
        let t = threshold(&[a, b], &[sa, sb], 1.0);
        assert!(t > 0.99, "{t}");
    }

    #[test]
    fn lines_drop_their_endings() {
        let v: Vec<&str> = lines("a\r\nb\n\nc").collect();
        assert_eq!(v, ["a", "b", "", "c"]);
    }
}
