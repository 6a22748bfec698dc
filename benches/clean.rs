//! Throughput of the hot paths on generated text: normalization of single lines, cleaning a
//! whole document (normalize → detect → write) in Chinese, English and mixed text, and cleaning
//! page-sized documents one by one with and without the menu-block detector (which holds each
//! page whole).
//! Run with `cargo bench`; criterion reports MB/s ("Throughput: Bytes").

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dedump::Config;
use dedump::detect::phrase::PhraseSet;
use dedump::normalize::KeyBuilder;
use dedump::pipeline::clean_stream;

mod common;

/// The allocator the `dedump` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use common::{EN, Rng, ZH, sentence};

/// A scraped-page-like document of about `size` bytes: slogan lists, titles, counters,
/// paragraphs, headings, repeats and footers, in the given language mix (share of Chinese).
fn document(size: usize, zh_share: u64, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut doc = String::new();
    let mut recent: Vec<String> = Vec::new();
    while doc.len() < size {
        let zh = rng.next() % 100 < zh_share;
        let line = match rng.next() % 20 {
            0..=9 => {
                let words = 30 + (rng.next() % 40) as usize;
                format!("    {}", sentence(&mut rng, zh, words))
            }
            10..=11 => format!("  • {}", sentence(&mut rng, zh, 8)),
            12 => format!(
                "    {}",
                sentence(&mut rng, zh, 5).trim_end_matches(['.', '。'])
            ),
            13 => "    Visits: 0".to_string(),
            14 => "    0".to_string(),
            15..=16 if !recent.is_empty() => {
                recent[(rng.next() % recent.len() as u64) as usize].clone()
            }
            _ => format!("    {}", sentence(&mut rng, zh, 12)),
        };
        if recent.len() < 64 {
            recent.push(line.clone());
        }
        doc.push_str(&line);
        doc.push_str("\n\n");
    }
    doc.into_bytes()
}

/// About `size` bytes of pages of ~8 KB, each a menu, a heading, paragraphs and a footer.
fn pages(size: usize, zh_share: u64, seed: u64) -> Vec<Vec<u8>> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    let mut total = 0;
    while total < size {
        let zh = rng.next() % 100 < zh_share;
        let mut page = sentence(&mut rng, zh, 8);
        page.push('\n');
        for _ in 0..12 {
            page.push_str(rng.pick(if zh { ZH } else { EN }));
            page.push_str("\n\n");
        }
        while page.len() < 7000 {
            let words = 20 + (rng.next() % 50) as usize;
            page.push_str(&sentence(&mut rng, zh, words));
            page.push_str("\n\n");
        }
        for _ in 0..10 {
            page.push_str(rng.pick(if zh { ZH } else { EN }));
            page.push('\n');
        }
        total += page.len();
        out.push(page.into_bytes());
    }
    out
}

/// Cleans one document into a sink; returns the lines removed.
fn clean(doc: &[u8], cfg: &Config, phrases: &PhraseSet) -> u64 {
    let mut sink = std::io::sink();
    let out = clean_stream(
        doc,
        Path::new("-"),
        &mut sink,
        Path::new("-"),
        cfg,
        phrases,
        None,
    )
    .unwrap();
    out.summary.lines_removed
}

fn bench(c: &mut Criterion) {
    let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
    let cfg = Config::default();
    let corpora = [
        ("english", document(4 << 20, 0, 7)),
        ("chinese", document(4 << 20, 100, 11)),
        ("mixed", document(4 << 20, 50, 13)),
    ];

    let mut g = c.benchmark_group("normalize");
    for (name, doc) in &corpora {
        let lines: Vec<&[u8]> = doc.split(|&b| b == b'\n').collect();
        g.throughput(Throughput::Bytes(doc.len() as u64));
        g.bench_function(*name, |b| {
            let mut kb = KeyBuilder::new();
            b.iter(|| {
                let mut acc = 0u64;
                for l in &lines {
                    acc ^= kb.analyze(l).hash;
                }
                black_box(acc)
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("clean_document");
    g.sample_size(20);
    for (name, doc) in &corpora {
        g.throughput(Throughput::Bytes(doc.len() as u64));
        g.bench_function(*name, |b| b.iter(|| black_box(clean(doc, &cfg, &phrases))));
    }
    g.finish();

    let mut g = c.benchmark_group("clean_pages");
    g.sample_size(20);
    let mut no_model = Config::default();
    no_model.detectors.boilerplate = false;
    for (name, zh) in [("english", 0), ("chinese", 100), ("mixed", 50)] {
        let docs = pages(4 << 20, zh, 17);
        g.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
        for (variant, cfg) in [("", &cfg), ("-no-model", &no_model)] {
            g.bench_function(format!("{name}{variant}"), |b| {
                b.iter(|| black_box(docs.iter().map(|d| clean(d, cfg, &phrases)).sum::<u64>()))
            });
        }
    }
    g.finish();
}

/// Signature + LSH band keys (tokens, shingles, MinHash, bands) over 2,000 documents of ~2 KB,
/// on one core and on two (rayon over documents).
fn bench_minhash(c: &mut Criterion) {
    use dedump::minhash::{Shingler, band_keys, signature};
    use rayon::prelude::*;
    let docs: Vec<(&str, Vec<String>)> = [("english", 0u64), ("chinese", 100)]
        .iter()
        .map(|&(name, zh)| {
            let doc = document(4 << 20, zh, 21 + zh);
            let text = String::from_utf8(doc).unwrap_or_default();
            let mut chunks = Vec::new();
            let mut cur = String::new();
            for line in text.lines() {
                cur.push_str(line);
                cur.push('\n');
                if cur.len() > 2048 {
                    chunks.push(std::mem::take(&mut cur));
                }
            }
            (name, chunks)
        })
        .collect();
    let sketch = |sh: &mut Shingler, set: &mut Vec<u64>, d: &str| {
        sh.shingles(d, set);
        band_keys(&signature(set))[0]
    };
    let mut g = c.benchmark_group("minhash_lsh");
    g.sample_size(20);
    for (name, chunks) in &docs {
        let bytes: usize = chunks.iter().map(String::len).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(format!("{name}/1-core"), |b| {
            let (mut sh, mut set) = (Shingler::new(), Vec::new());
            b.iter(|| {
                chunks
                    .iter()
                    .fold(0u64, |acc, d| acc ^ sketch(&mut sh, &mut set, d))
            })
        });
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        g.bench_function(format!("{name}/2-cores"), |b| {
            b.iter(|| {
                pool.install(|| {
                    chunks
                        .par_iter()
                        .map_init(
                            || (Shingler::new(), Vec::new()),
                            |(sh, set), d| sketch(sh, set, d),
                        )
                        .reduce(|| 0, |a, b| a ^ b)
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_minhash);
criterion_main!(benches);
