//! Accuracy of near-duplicate document detection on a generated corpus with controlled edits.
//!
//! Each family is an article and one edited copy: words (English) or characters (Chinese)
//! replaced, a paragraph dropped or added, at rates spread so the true Jaccard similarity of the
//! pair runs from 1.0 down to about 0.1. The true similarity is the exact Jaccard of the two
//! shingle sets. Detection runs the same steps as a crawl (sketch → LSH candidates → verify →
//! clusters) over all documents of one language at once, so articles of other families are
//! there to be confused with. Required, per language: precision ≥ 0.98 and recall ≥ 0.95 on pairs
//! with true similarity ≥ 0.8, and no pair below 0.5 ever flagged.

use std::collections::HashMap;

use dedump::dedup::{DocSketch, Keep, candidates, clusters};
use dedump::minhash::{Shingler, jaccard};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const EN_WORDS: usize = 3000;

fn en_token(rng: &mut Rng) -> String {
    format!("w{}", rng.below(EN_WORDS))
}

fn zh_token(rng: &mut Rng) -> String {
    // A pool of 2,500 common-range Han characters.
    char::from_u32(0x4E00 + rng.below(2500) as u32)
        .map(String::from)
        .unwrap_or_default()
}

/// An article: paragraphs of tokens. English tokens are joined by spaces, Chinese by nothing.
fn article(rng: &mut Rng, zh: bool) -> Vec<Vec<String>> {
    let paragraphs = 4 + rng.below(4);
    (0..paragraphs)
        .map(|_| {
            (0..60 + rng.below(80))
                .map(|_| if zh { zh_token(rng) } else { en_token(rng) })
                .collect()
        })
        .collect()
}

fn edit(rng: &mut Rng, doc: &[Vec<String>], zh: bool, rate: f64) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = doc.to_vec();
    for p in &mut out {
        for t in p.iter_mut() {
            if (rng.next() % 10_000) as f64 / 10_000.0 < rate {
                *t = if zh { zh_token(rng) } else { en_token(rng) };
            }
        }
    }
    match rng.below(4) {
        0 if out.len() > 3 => {
            let i = rng.below(out.len());
            out.remove(i);
        }
        1 => {
            let extra = (0..40)
                .map(|_| if zh { zh_token(rng) } else { en_token(rng) })
                .collect();
            out.push(extra);
        }
        _ => {}
    }
    out
}

fn render(doc: &[Vec<String>], zh: bool) -> String {
    doc.iter()
        .map(|p| p.join(if zh { "" } else { " " }) + if zh { "。" } else { "." })
        .collect::<Vec<_>>()
        .join("\n")
}

struct Scores {
    precision: f64,
    recall: f64,
    flagged_below_half: usize,
    positives: usize,
}

fn evaluate(zh: bool, seed: u64) -> Scores {
    let mut rng = Rng(seed);
    let families = 250;
    let mut texts = Vec::new();
    for f in 0..families {
        let base = article(&mut rng, zh);
        // Half the families 0–5 % of tokens replaced (true similarity about 1.0 down to 0.6,
        // dense around the 0.8 threshold), half 0–30 % (down to about 0.1).
        let span = if f % 2 == 0 { 0.05 } else { 0.30 };
        let rate = span * (f as f64 / families as f64);
        let copy = edit(&mut rng, &base, zh, rate);
        texts.push(render(&base, zh));
        texts.push(render(&copy, zh));
    }
    let mut shingler = Shingler::new();
    let mut sets = HashMap::new();
    let mut sketches = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let mut s = Vec::new();
        shingler.shingles(t, &mut s);
        sketches.push(DocSketch::new(
            i as u64,
            t.len() as u64,
            xxhash_rust::xxh3::xxh3_64(t.as_bytes()),
            &s,
        ));
        sets.insert(i, s);
    }
    let pairs = candidates(&sketches);
    // Exact shingle sets are only needed for candidates, as in a crawl.
    let verdicts = clusters(&sketches, &pairs, &sets, 0.8, Keep::First);
    let cluster_of = |i: usize| verdicts.get(&i).map(|v| v.kept as usize).unwrap_or(i);
    let (mut tp, mut fp, mut fnn, mut low) = (0usize, 0usize, 0usize, 0usize);
    // Every pair of documents: flagged when they end up with the same kept document.
    for a in 0..texts.len() {
        for b in a + 1..texts.len() {
            let flagged = cluster_of(a) == cluster_of(b);
            let same_family = a / 2 == b / 2;
            if !flagged && !same_family {
                continue;
            }
            let truth = jaccard(&sets[&a], &sets[&b]);
            match (flagged, truth >= 0.8) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fnn += 1,
                (false, false) => {}
            }
            if flagged && truth < 0.5 {
                low += 1;
            }
        }
    }
    Scores {
        precision: tp as f64 / (tp + fp).max(1) as f64,
        recall: tp as f64 / (tp + fnn).max(1) as f64,
        flagged_below_half: low,
        positives: tp + fnn,
    }
}

fn check(zh: bool) {
    for seed in [1, 2] {
        let s = evaluate(zh, 0x1234_5678 + seed);
        let lang = if zh { "Chinese" } else { "English" };
        eprintln!(
            "{lang} seed {seed}: precision {:.3} recall {:.3} over {} pairs ≥ 0.8; flagged below 0.5: {}",
            s.precision, s.recall, s.positives, s.flagged_below_half
        );
        assert!(
            s.positives >= 40,
            "the corpus must hold enough true near-duplicate pairs: {}",
            s.positives
        );
        assert!(s.precision >= 0.98, "{lang} precision {}", s.precision);
        assert!(s.recall >= 0.95, "{lang} recall {}", s.recall);
        assert_eq!(
            s.flagged_below_half, 0,
            "{lang}: a pair below 0.5 was flagged"
        );
    }
}

#[test]
fn english_near_duplicates() {
    check(false);
}

#[test]
fn chinese_near_duplicates() {
    check(true);
}
