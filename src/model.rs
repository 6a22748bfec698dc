//! The boilerplate model: one score per line from its features and its page context, smoothed
//! with its neighbours' scores, cut at a threshold per `--boilerplate` level.
//!
//! **Features** ([`FEATURES`]) are plain facts about a line — its weight, its punctuation, its
//! share of stop words, whether it reads like a link, whether a phrase rule or a menu name
//! matches it — and about where it stands ([`crate::context`]): above, inside or below the
//! article's main text and how far from it, in how long a run of link-like lines, under which
//! header, how often the site's other documents carry it.
//!
//! **Two stages**, both logistic regressions. The first scores each line from its own features
//! ([`Stage::One`]). The second adds what the first said of its neighbours ([`NEIGHBOUR_FEATURES`]:
//! the scores of the lines just above and below, the mean over a few lines on each side), so a
//! short line between two stretches of menu takes their class and a subheading between two
//! paragraphs takes theirs — jusText's context pass, learnt instead of written as rules.
//!
//! **Thresholds** per level ([`Thresholds`]) are chosen when the model is trained
//! ([`crate::train`]): the lowest score at which every group of training pages still keeps at
//! least the level's share of its distinct content lines (`conservative` 0.998, `balanced`
//! 0.995, `aggressive` 0.99). Weights and thresholds are data (`data/model.json`, or a file given
//! with `--model`), written by `dedump train`; every removal names the features that carried its
//! score.

use serde::{Deserialize, Serialize};

use crate::context::{LineContext, Page, Side};
use crate::error::Error;
use crate::features::LineView;

/// The built-in model, trained on the real pages of six public benchmarks (see
/// `docs/evaluation.md`).
pub const BUILTIN: &str = include_str!("../data/model.json");

/// Version of the feature set: a model trained on another is refused.
pub const FEATURE_VERSION: u32 = 1;

/// The features of a line, in the order of [`Features`], with what each measures.
pub const FEATURES: [(&str, &str); N] = [
    ("weight", "log2(1 + key weight); a CJK character weighs 2"),
    ("body", "running text: long, with sentence punctuation"),
    ("sentence_end", "ends with sentence punctuation"),
    ("sentence_marks", "sentence marks inside the line (up to 3)"),
    (
        "stop_words",
        "share of stop words (Chinese function characters, kana) in the page's language",
    ),
    ("capitalized", "share of capitalised words"),
    ("digits", "share of digits in the key"),
    ("punctuation", "share of punctuation and symbols"),
    ("bullet", "a bullet marker"),
    ("enumerated", "numbered: 1., (2), 一、, 3.1"),
    ("truncated", "cut short with an ellipsis"),
    ("label", "a short line ending with a colon"),
    ("item", "reads like a menu item"),
    ("link", "reads like a link title"),
    ("headline", "reads like a headline with clause punctuation"),
    (
        "content_marks",
        "a field, code, a spoken ending, mostly digits",
    ),
    ("phrase_line", "a whole-line phrase rule matches"),
    (
        "phrase_part",
        "a phrase rule matches the line's start or a part of a short line",
    ),
    ("list_header", "a header announcing a list of links"),
    ("end_header", "a header after which the article is over"),
    ("menu_name", "a menu section name"),
    ("menu_row", "a menu printed on one line"),
    ("timestamp", "a date or a time alone"),
    ("markup", "a line of HTML markup"),
    ("before", "above the main text"),
    ("after", "below the main text"),
    ("no_main_text", "the page has no main text"),
    ("distance", "log2(1 + non-blank lines to the main text)"),
    ("run", "log2(1 + lines of its run without running text)"),
    ("run_links", "log2(1 + link-like lines of that run)"),
    ("run_link_share", "share of link-like lines in that run"),
    (
        "outside_links",
        "log2(1 + link-like lines of its run), outside the main text",
    ),
    (
        "inside_links",
        "log2(1 + link-like lines of its run), inside the main text",
    ),
    (
        "menu_run_outside",
        "log2(1 + the count of its menu run), outside the main text",
    ),
    (
        "menu_run_inside",
        "log2(1 + the count of its menu run), inside the main text",
    ),
    ("tabular", "its run reads like a table"),
    ("under_label", "a label stands above it in its run"),
    ("after_sentence", "a sentence leads into its run"),
    (
        "announced",
        "an entry of a list under a header announcing one",
    ),
    (
        "below_end",
        "below a header after which the article is over",
    ),
    ("first_line", "the page's first line"),
    ("title_part", "part of the page's first line"),
    (
        "repeats",
        "log2(1 + other lines of the page with the same key)",
    ),
    ("text_near", "share of running text among the nearest lines"),
    (
        "menu_near",
        "menu names and notices among the nearest lines",
    ),
    (
        "far_stamp",
        "a timestamp away from the main text, one of several",
    ),
    (
        "site_share",
        "share of the site's other documents holding the line",
    ),
    ("site_shared", "another document of the site holds the line"),
];

/// Number of features.
pub const N: usize = 48;

/// A line's feature values, in the order of [`FEATURES`].
pub type Features = [f32; N];

/// What the second stage reads besides a line's own features: the first stage's scores around
/// it, over non-blank lines.
pub const NEIGHBOUR_FEATURES: [(&str, &str); NN] = [
    ("score", "the first stage's log-odds for the line"),
    ("prev", "the first stage's score of the line above"),
    ("next", "the first stage's score of the line below"),
    ("mean_before", "mean score of the 3 lines above"),
    ("mean_after", "mean score of the 3 lines below"),
    ("mean_around", "mean score of the 8 lines on either side"),
    ("min_side", "the lower of mean_before and mean_after"),
];

/// Number of neighbour features.
pub const NN: usize = 7;

/// Lines on each side that [`NEIGHBOUR_FEATURES`]' near means read…
pub const NEAR: usize = 3;
/// …and the wide mean.
pub const WIDE: usize = 8;

/// The features of one line.
pub fn features(v: &LineView, c: &LineContext, page: &Page) -> Features {
    let f = &v.feat;
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    let log = |x: u32| (1.0 + x as f32).log2();
    let outside = matches!(c.side, Side::Before | Side::After);
    let inside = c.side == Side::Inside;
    let run_links = log(c.run_links);
    [
        log(f.weight),
        b(v.is_body()),
        b(f.sentence_end),
        f.sentence_marks.min(3) as f32,
        v.stop_density(page.lang),
        f32::from(v.capitalized) / f32::from(v.words.max(1)),
        f.digits as f32 / f.key_chars.max(1) as f32,
        f.punct_chars as f32 / f.text_chars.max(1) as f32,
        b(f.marker == Some(crate::normalize::Marker::Bullet)),
        b(v.enumerated),
        b(f.truncated),
        b(f.label),
        b(v.item),
        b(v.link),
        b(v.loose),
        b(v.content_marks),
        b(v.phrase_kind == Some(crate::detect::phrase::RuleKind::Line)),
        b(matches!(
            v.phrase_kind,
            Some(
                crate::detect::phrase::RuleKind::Start | crate::detect::phrase::RuleKind::Contains
            )
        )),
        b(v.is_list_header()),
        b(v.is_end_header()),
        b(v.menu_name),
        b(v.menu_row.is_some()),
        b(v.stamp),
        b(v.markup),
        b(c.side == Side::Before),
        b(c.side == Side::After),
        b(c.side == Side::Unknown),
        log(c.dist),
        log(c.run_len),
        run_links,
        c.run_links as f32 / c.run_len.max(1) as f32,
        if outside { run_links } else { 0.0 },
        if inside { run_links } else { 0.0 },
        if outside { log(c.menu_run) } else { 0.0 },
        if inside { log(c.menu_run) } else { 0.0 },
        b(c.run_tabular),
        b(c.run_under_label),
        b(c.run_after_sentence),
        b(c.announced),
        b(c.below_end),
        b(c.first_line),
        b(c.title_part),
        log(c.repeats),
        c.text_near,
        c.menu_near as f32,
        b(c.far_stamp),
        c.site_share,
        b(c.site_shared),
    ]
}

/// One logistic regression: `score = bias + Σ weight · value`, probability `1 / (1 + e^-score)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linear {
    /// Names of the inputs, in order (checked against the code's when a model is loaded).
    pub inputs: Vec<String>,
    /// One weight per input.
    pub weights: Vec<f64>,
    /// The intercept.
    pub bias: f64,
}

impl Linear {
    /// The log-odds for `x`.
    pub fn score(&self, x: &[f32]) -> f64 {
        self.bias
            + self
                .weights
                .iter()
                .zip(x)
                .map(|(w, &v)| w * f64::from(v))
                .sum::<f64>()
    }
}

/// The score at or above which a line goes, per level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// `conservative`: chosen to keep 0.998 of the training pages' content.
    pub conservative: f64,
    /// `balanced` (the default): 0.995.
    pub balanced: f64,
    /// `aggressive`: 0.99.
    pub aggressive: f64,
}

/// How much boilerplate to take (`--boilerplate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Take only what the model is surest of.
    Conservative,
    /// The default.
    #[default]
    Balanced,
    /// Take more, at some cost in content.
    Aggressive,
}

/// Which stage of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The line's own features.
    One,
    /// With its neighbours' first-stage scores.
    Two,
}

/// A trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// [`FEATURE_VERSION`] of the features it was trained on.
    pub feature_version: u32,
    /// What it was trained on (folders, pages, lines), for the record.
    pub trained_on: String,
    /// The first stage: a line's own features.
    pub stage1: Linear,
    /// The second stage: the line's features and its neighbours' first-stage scores.
    pub stage2: Linear,
    /// Probability thresholds of the second stage, per level.
    pub thresholds: Thresholds,
    /// Built-in phrase rules (`KIND: PATTERN`) left out because they did not earn their place on
    /// the training pages (see [`crate::train::unsupported_phrases`]): a run with this model
    /// leaves them out too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrases_off: Vec<String>,
}

impl Model {
    /// The built-in model.
    pub fn builtin() -> &'static Model {
        static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| {
            Model::parse(BUILTIN, "builtin model").expect("the built-in model is valid")
        })
    }

    /// The model a run uses: the file `path`, read once per process, or the built-in one.
    /// Loading errors surface here, before any input is read ([`crate::Config::validate`]).
    pub fn resolve(path: Option<&std::path::Path>) -> Result<&'static Model, Error> {
        use std::collections::HashMap;
        use std::sync::Mutex;
        static LOADED: Mutex<Option<HashMap<std::path::PathBuf, &'static Model>>> =
            Mutex::new(None);
        let Some(path) = path else {
            return Ok(Model::builtin());
        };
        let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
        let map = loaded.get_or_insert_with(HashMap::new);
        if let Some(m) = map.get(path) {
            return Ok(m);
        }
        // A run loads a handful of models at most: leaking them keeps `&'static` simple.
        let m: &'static Model = Box::leak(Box::new(Model::load(path)?));
        map.insert(path.to_path_buf(), m);
        Ok(m)
    }

    /// The model of a validated configuration (the built-in one if its file cannot be read,
    /// which [`crate::Config::validate`] has ruled out).
    pub fn for_config(cfg: &crate::Config) -> &'static Model {
        Model::resolve(cfg.model.as_deref()).unwrap_or_else(|_| Model::builtin())
    }

    /// Reads a model written by `dedump train`; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Model, Error> {
        let m: Model = serde_json::from_str(text)
            .map_err(|e| Error::Config(format!("cannot read model {origin}: {e}")))?;
        m.check(origin)?;
        Ok(m)
    }

    /// Reads a model file.
    pub fn load(path: &std::path::Path) -> Result<Model, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Model::parse(&text, &path.display().to_string())
    }

    fn check(&self, origin: &str) -> Result<(), Error> {
        let bad = |msg: String| Err(Error::Config(format!("model {origin}: {msg}")));
        if self.feature_version != FEATURE_VERSION {
            return bad(format!(
                "trained on features version {}, this dedump computes version {FEATURE_VERSION}: train it again",
                self.feature_version
            ));
        }
        let want1: Vec<&str> = FEATURES.iter().map(|f| f.0).collect();
        let want2: Vec<&str> = stage2_inputs().collect();
        for (stage, lin, want) in [
            ("stage1", &self.stage1, want1),
            ("stage2", &self.stage2, want2),
        ] {
            if lin.inputs != want || lin.weights.len() != want.len() {
                return bad(format!("{stage} inputs differ from this dedump's features"));
            }
            if !lin.bias.is_finite() || lin.weights.iter().any(|w| !w.is_finite()) {
                return bad(format!("{stage} has a weight that is not a number"));
            }
        }
        let t = self.thresholds;
        if !(0.0..=1.0).contains(&t.conservative)
            || !(0.0..=1.0).contains(&t.balanced)
            || !(0.0..=1.0).contains(&t.aggressive)
        {
            return bad("thresholds must lie in [0, 1]".into());
        }
        Ok(())
    }

    /// The threshold of a level.
    pub fn threshold(&self, level: Level) -> f64 {
        match level {
            Level::Conservative => self.thresholds.conservative,
            Level::Balanced => self.thresholds.balanced,
            Level::Aggressive => self.thresholds.aggressive,
        }
    }

    /// Second-stage probabilities of a page's lines; `present[i]` is false for lines the model
    /// does not judge (blank, letterless, oversized): they are skipped as neighbours too, and
    /// get 0.
    pub fn score_page(&self, x: &[Features], present: &[bool]) -> Vec<f64> {
        self.score_stages(x, present).0
    }

    /// [`Model::score_page`], with the first stage's probabilities of the judged lines, in
    /// order (what [`Model::carried_by`] reads).
    pub fn score_stages(&self, x: &[Features], present: &[bool]) -> (Vec<f64>, Vec<f64>) {
        let idx: Vec<usize> = (0..x.len()).filter(|&i| present[i]).collect();
        let p1: Vec<f64> = idx
            .iter()
            .map(|&i| sigmoid(self.stage1.score(&x[i])))
            .collect();
        let mut out = vec![0.0; x.len()];
        let mut input = Vec::with_capacity(N + NN);
        for (k, &i) in idx.iter().enumerate() {
            input.clear();
            input.extend_from_slice(&x[i]);
            input.extend(neighbours(&p1, k).map(|v| v as f32));
            out[i] = sigmoid(self.stage2.score(&input));
        }
        (out, p1)
    }

    /// The second stage's inputs for every judged line of a page (for training).
    pub fn stage2_inputs(&self, x: &[Features], present: &[bool]) -> Vec<Vec<f32>> {
        let idx: Vec<usize> = (0..x.len()).filter(|&i| present[i]).collect();
        let p1: Vec<f64> = idx
            .iter()
            .map(|&i| sigmoid(self.stage1.score(&x[i])))
            .collect();
        idx.iter()
            .enumerate()
            .map(|(k, &i)| {
                let mut v = x[i].to_vec();
                v.extend(neighbours(&p1, k).map(|v| v as f32));
                v
            })
            .collect()
    }

    /// The inputs that carried a line's second-stage score most towards removal, with their
    /// contributions (weight · value), largest first: `x` is the line's features, `p1` the first
    /// stage's probabilities of the page's judged lines ([`Model::score_stages`]) and `k` the
    /// line's place among them.
    pub fn carried_by(
        &self,
        x: &Features,
        p1: &[f64],
        k: usize,
        top: usize,
    ) -> Vec<(&'static str, f64)> {
        let mut parts: Vec<(&'static str, f64)> = stage2_inputs()
            .zip(x.iter().map(|&v| f64::from(v)).chain(neighbours(p1, k)))
            .zip(&self.stage2.weights)
            .map(|((name, v), w)| (name, w * v))
            .filter(|(_, c)| *c > 0.0)
            .collect();
        parts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        parts.truncate(top);
        parts
    }
}

/// Everything the model works out about one page.
#[derive(Debug, Clone, Default)]
pub struct PageJudgement {
    /// The page-level facts (main text, language).
    pub page: Page,
    /// Each line's context.
    pub ctx: Vec<LineContext>,
    /// Each line's features.
    pub x: Vec<Features>,
    /// Whether the model judges each line (see [`judged`]).
    pub present: Vec<bool>,
    /// Each line's second-stage probability (0 for lines not judged).
    pub scores: Vec<f64>,
    /// The first stage's probability of each judged line, in order.
    pub first_stage: Vec<f64>,
}

/// Whether the model judges a line: not blank, not oversized, with a letter or a digit.
pub fn judged(l: &LineView) -> bool {
    !l.blank() && !l.oversized && !l.feat.is_letterless()
}

/// The features of a page's lines: their views, `key(i)` each line's key, and what lies around
/// the page. Scores are left empty.
pub fn page_features<'k>(
    views: &[LineView],
    key: impl Fn(usize) -> &'k str,
    around: crate::context::Surroundings<'_>,
) -> PageJudgement {
    let (page, ctx) = crate::context::analyze(views, key, around);
    let x: Vec<Features> = views
        .iter()
        .zip(&ctx)
        .map(|(v, c)| features(v, c, &page))
        .collect();
    let present: Vec<bool> = views.iter().map(judged).collect();
    PageJudgement {
        page,
        ctx,
        x,
        present,
        scores: Vec::new(),
        first_stage: Vec::new(),
    }
}

/// Judges a page: [`page_features`] and the model's scores.
pub fn judge_page<'k>(
    model: &Model,
    views: &[LineView],
    key: impl Fn(usize) -> &'k str,
    around: crate::context::Surroundings<'_>,
) -> PageJudgement {
    let mut j = page_features(views, key, around);
    (j.scores, j.first_stage) = model.score_stages(&j.x, &j.present);
    j
}

/// How far below the threshold (in log-odds) a line's score may lie and still take the class of
/// its neighbours ([`smooth`]): about a factor of three in odds. Measured on the training pages:
/// it takes the unnamed items of a menu whose named ones go, and leaves a heading or a byline
/// next to the article, which have a kept neighbour.
pub const NEAR_MARGIN: f64 = 1.0;

/// The class of each line at a threshold, smoothed as jusText's context pass does: a line at or
/// above the threshold goes; a *near* line (within [`NEAR_MARGIN`] below it), alone or in a
/// stretch of near lines, goes when the nearest judged lines on both sides of the stretch go
/// (or one side is the page's edge and the other goes). Lines further below always stay. Lines
/// not judged are skipped, neither near nor deciding.
pub fn smooth(scores: &[f64], present: &[bool], threshold: f64) -> Vec<bool> {
    let logit = |p: f64| {
        let p = p.clamp(1e-9, 1.0 - 1e-9);
        (p / (1.0 - p)).ln()
    };
    let near_from = sigmoid(logit(threshold) - NEAR_MARGIN);
    let idx: Vec<usize> = (0..scores.len()).filter(|&i| present[i]).collect();
    let bad: Vec<bool> = idx.iter().map(|&i| scores[i] >= threshold).collect();
    let near: Vec<bool> = idx
        .iter()
        .map(|&i| scores[i] >= near_from && scores[i] < threshold)
        .collect();
    let mut out = vec![false; scores.len()];
    let mut k = 0;
    while k < idx.len() {
        if bad[k] {
            out[idx[k]] = true;
            k += 1;
            continue;
        }
        if !near[k] {
            k += 1;
            continue;
        }
        let start = k;
        while k < idx.len() && near[k] {
            k += 1;
        }
        let before = start.checked_sub(1).map(|j| bad[j]);
        let after = (k < idx.len()).then(|| bad[k]);
        let goes = match (before, after) {
            (Some(b), Some(a)) => b && a,
            (Some(b), None) => b,
            (None, Some(a)) => a,
            (None, None) => false,
        };
        if goes {
            for &i in &idx[start..k] {
                out[i] = true;
            }
        }
    }
    out
}

/// Names of the second stage's inputs: the features, then the neighbour features.
pub fn stage2_inputs() -> impl Iterator<Item = &'static str> {
    FEATURES
        .iter()
        .map(|f| f.0)
        .chain(NEIGHBOUR_FEATURES.iter().map(|f| f.0))
}

/// The logistic function.
pub fn sigmoid(s: f64) -> f64 {
    1.0 / (1.0 + (-s).exp())
}

/// The neighbour features of the `k`-th judged line, from the first stage's probabilities.
pub fn neighbours(p1: &[f64], k: usize) -> impl Iterator<Item = f64> {
    let n = p1.len();
    let mean = |lo: usize, hi: usize| {
        if hi > lo {
            p1[lo..hi].iter().sum::<f64>() / (hi - lo) as f64
        } else {
            0.5
        }
    };
    let logit = {
        let p = p1[k].clamp(1e-6, 1.0 - 1e-6);
        (p / (1.0 - p)).ln()
    };
    let prev = if k > 0 { p1[k - 1] } else { 0.5 };
    let next = if k + 1 < n { p1[k + 1] } else { 0.5 };
    let before = mean(k.saturating_sub(NEAR), k);
    let after = mean(k + 1, (k + 1 + NEAR).min(n));
    let lo = k.saturating_sub(WIDE);
    let hi = (k + 1 + WIDE).min(n);
    let around = if hi - lo > 1 {
        (p1[lo..hi].iter().sum::<f64>() - p1[k]) / (hi - lo - 1) as f64
    } else {
        0.5
    };
    [logit, prev, next, before, after, around, before.min(after)].into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_counts_agree() {
        assert_eq!(FEATURES.len(), N);
        assert_eq!(NEIGHBOUR_FEATURES.len(), NN);
        let mut names: Vec<&str> = stage2_inputs().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), N + NN, "feature names are unique");
    }

    #[test]
    fn the_builtin_model_loads() {
        let m = Model::builtin();
        assert_eq!(m.stage1.weights.len(), N);
        assert_eq!(m.stage2.weights.len(), N + NN);
        assert!(m.thresholds.conservative >= m.thresholds.balanced);
        assert!(m.thresholds.balanced >= m.thresholds.aggressive);
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let mut m = Model::builtin().clone();
        m.feature_version += 1;
        let e = Model::parse(&serde_json::to_string(&m).unwrap(), "m.json").unwrap_err();
        assert!(e.to_string().contains("train it again"), "{e}");
        let mut m = Model::builtin().clone();
        m.stage1.inputs.swap(0, 1);
        let e = Model::parse(&serde_json::to_string(&m).unwrap(), "m.json").unwrap_err();
        assert!(e.to_string().contains("inputs differ"), "{e}");
    }

    #[test]
    fn near_lines_take_the_class_of_their_neighbours() {
        let t = 0.9;
        let near = 0.8; // within the margin below 0.9
        let far = 0.3;
        let all = [true; 7];
        // A stretch of near lines between two that go goes with them.
        let s = [0.95, near, near, 0.99, far, near, 0.1];
        assert_eq!(
            smooth(&s, &all, t),
            [true, true, true, true, false, false, false]
        );
        // At the page's edge one side decides; lines not judged are looked past.
        let s = [near, 0.0, 0.95];
        assert_eq!(smooth(&s, &[true, false, true], t), [true, false, true]);
        let s = [near, far];
        assert_eq!(smooth(&s, &[true, true], t), [false, false]);
    }

    #[test]
    fn neighbour_means_look_past_the_page_edges() {
        let p = [0.9, 0.1, 0.9];
        let v: Vec<f64> = neighbours(&p, 0).collect();
        assert_eq!(v[1], 0.5, "no line above");
        assert_eq!(v[2], 0.1);
        assert_eq!(v[3], 0.5);
        assert!((v[4] - 0.5).abs() < 1e-9, "mean of 0.1 and 0.9");
        let mid: Vec<f64> = neighbours(&p, 1).collect();
        assert!((mid[5] - 0.9).abs() < 1e-9);
        assert!(mid[0] < 0.0, "log-odds of 0.1");
    }
}
