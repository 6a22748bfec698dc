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

use std::path::PathBuf;
use std::time::Duration;

use common::generate_crawl;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dedump::Config;
use dedump::crawl::walk::{self, WalkOptions};
use dedump::crawl::{CrawlOptions, Output, Run};
use dedump::detect::phrase::PhraseSet;

fn bench_crawl(c: &mut Criterion) {
    let mb: usize = std::env::var("DEDUMP_BENCH_CRAWL_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    // DEDUMP_BENCH_CRAWL_DIR keeps the crawl there, to run the binary on.
    let root: PathBuf = std::env::var_os("DEDUMP_BENCH_CRAWL_DIR")
        .map_or_else(|| dir.path().join("crawl"), PathBuf::from);
    let bytes = generate_crawl(&root, mb << 20);
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
                    let mut sink = Discard {
                        report: report.then(|| dedump::report::ReportWriter::new(std::io::sink())),
                    };
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

/// Encodes report events as a report file would hold them and drops them, and drops stdout
/// bytes; asks for document records only when `report` is set.
struct Discard {
    report: Option<dedump::report::ReportWriter<std::io::Sink>>,
}

impl dedump::crawl::Sink for Discard {
    fn wants_documents(&self) -> bool {
        self.report.is_some()
    }
    fn event(&mut self, event: dedump::report::Event<'_>) {
        if let Some(w) = &mut self.report {
            let _ = w.write(event);
        }
    }
    fn stdout(&mut self, bytes: &[u8]) {
        std::hint::black_box(bytes);
    }
}

criterion_group!(benches, bench_crawl);
criterion_main!(benches);
