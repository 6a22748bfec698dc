//! Throughput of a whole crawl run — the first pass (cross-document counts), the
//! duplicate-document search and the cleaning pass, output mirrored to disk — on one thread and
//! on two, over a generated crawl of about 100 MB (`DEDUMP_BENCH_CRAWL_MB` changes the size):
//! 40 sites, each with its own menu, related-stories pool and footer, pages of English or
//! Chinese text, one in twenty republished with a small edit, and one JSON Lines file per site.
//! `two_pass` is `dedump clean CRAWL -o OUT` (no report); `two_pass_report` also builds every
//! document's report record, as `--report FILE` does (the lines are then dropped, not written).
//! Run with `cargo bench --bench crawl`; criterion reports MB/s ("Throughput: Bytes").

mod common;

/// The allocator the `dedump` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{EN, Rng, ZH, sentence};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dedump::Config;
use dedump::crawl::walk::{self, WalkOptions};
use dedump::crawl::{CrawlOptions, Output, Run};
use dedump::detect::phrase::PhraseSet;

const SITES: usize = 40;

/// One page of `site`: menu, title, heading, paragraphs, related stories, footer.
fn page(rng: &mut Rng, site: usize, n: usize) -> String {
    let zh = site.is_multiple_of(3);
    let words = if zh { ZH } else { EN };
    let mut p = String::new();
    let title = sentence(rng, zh, 8);
    let _ = writeln!(p, "{title} - Site {site}");
    for k in 0..12 {
        let _ = writeln!(p, "{} {site}-{k}", words[(site + k) % words.len()]);
    }
    let _ = writeln!(p, "\n{title}\nBy staff writer {n}\n");
    let paragraphs = 6 + (rng.next() % 12) as usize;
    for _ in 0..paragraphs {
        let words = 25 + (rng.next() % 50) as usize;
        let _ = writeln!(p, "{}\n", sentence(rng, zh, words));
    }
    p.push_str("Related stories\n");
    for _ in 0..6 {
        let pick = rng.next() % 50;
        let _ = writeln!(
            p,
            "Story {pick} from site {site}: {}",
            words[pick as usize % words.len()]
        );
    }
    let _ = writeln!(
        p,
        "© 2024 Site {site}. All rights reserved.\nAbout us | Contact | Privacy policy\n"
    );
    p
}

/// Writes the crawl under `root` and returns its size in bytes.
fn generate(root: &Path, size: usize) -> u64 {
    // Each page from its own generator, so a republished page can be made again.
    let seed = |n: usize| Rng(0x5EED ^ (n as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut total = 0;
    let mut n = 0;
    let mut jsonl: Vec<String> = vec![String::new(); SITES];
    while total < size {
        let site = n % SITES;
        // One page in twenty is the site's page of the round before, republished with one word
        // changed (a page of a round before is never itself a copy).
        let text = if n >= SITES && (n / SITES + site) % 20 == 19 {
            page(&mut seed(n - SITES), site, n - SITES).replacen("the", "a", 1)
        } else {
            page(&mut seed(n), site, n)
        };
        total += text.len();
        if (n / SITES) % 10 == 9 {
            let record = serde_json::json!({"id": n, "url": format!("https://site{site}.example/{n}"), "text": text});
            jsonl[site].push_str(&record.to_string());
            jsonl[site].push('\n');
        } else {
            let path = root.join(format!("site{site}/p{n}.txt"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        n += 1;
    }
    for (site, lines) in jsonl.iter().enumerate() {
        let dir = root.join(format!("site{site}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("records.jsonl"), lines).unwrap();
    }
    total as u64
}

fn bench_crawl(c: &mut Criterion) {
    let mb: usize = std::env::var("DEDUMP_BENCH_CRAWL_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    // DEDUMP_BENCH_CRAWL_DIR keeps the crawl there, to run the binary on.
    let root: PathBuf = std::env::var_os("DEDUMP_BENCH_CRAWL_DIR")
        .map_or_else(|| dir.path().join("crawl"), PathBuf::from);
    let bytes = generate(&root, mb << 20);
    let (files, problems) = walk::collect(std::slice::from_ref(&root), WalkOptions::default());
    assert!(problems.is_empty());
    let cfg = Config::default();
    let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
    let opts = CrawlOptions::default();
    let mut g = c.benchmark_group("crawl");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(40));
    let mut round = 0;
    for (threads, report) in [(1, false), (2, false), (2, true)] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let name = if report {
            "two_pass_report"
        } else {
            "two_pass"
        };
        g.bench_function(format!("{name}/{threads}-thread"), |b| {
            // A new output tree each time, as a real run writes (overwriting the last round's
            // files would time the file system's inode reuse instead); the last round's tree is
            // removed outside the timing, so trees do not pile up in the file system either.
            let setup = || {
                let _ = std::fs::remove_dir_all(dir.path().join(format!("out{round}")));
                round += 1;
                Output::Dir(dir.path().join(format!("out{round}")))
            };
            b.iter_batched(
                setup,
                |output| {
                    let run = Run {
                        walk_problems: &[],
                        cfg: &cfg,
                        phrases: &phrases,
                        opts: &opts,
                        output: &output,
                        profile: None,
                    };
                    // With `report`, every document's record is built and handed over as
                    // `dedump --report` does, then dropped.
                    let mut sink = Discard { report };
                    let result = pool
                        .install(|| run.execute(&files, &|_| {}, &mut sink))
                        .unwrap();
                    assert!(result.problems.is_empty());
                    // The republished pages go: the duplicate search has work to do.
                    assert!(result.summary.documents_removed * 25 > result.summary.documents);
                    result.summary.documents
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// Report lines and stdout bytes dropped as they come.
/// Drops what it is given; asks for document records only when `report` is set.
struct Discard {
    report: bool,
}

impl dedump::crawl::Sink for Discard {
    fn wants_documents(&self) -> bool {
        self.report
    }
    fn report(&mut self, line: &str) {
        std::hint::black_box(line);
    }
    fn stdout(&mut self, bytes: &[u8]) {
        std::hint::black_box(bytes);
    }
}

criterion_group!(benches, bench_crawl);
criterion_main!(benches);
