use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::*;
use crate::engine::{clean_lines, split_lines};
use crate::report::Event;

#[test]
fn the_engine_hashes_kept_keys_as_the_fingerprint_does() {
    let cfg = Config::default();
    let phrases = PhraseSet::empty();
    let text = "Home\nNews\nSport\nContact\nAbout us\n\nA heading for the page\n\
                The council met on Tuesday and agreed, after a long debate, to rebuild it.\n\
                \u{feff}Full-width ＡＢＣ and Ｃａｓｅ, then the same line again.\n\
                Full-width ＡＢＣ and Ｃａｓｅ, then the same line again.\n\
                Visits: 0\n\n2024-05-01\r\n— ✦ —\nThe end of the article, in a sentence of its own.";
    let (kept, out) = clean_lines(&cfg, &phrases, &split_lines(text.as_bytes()));
    assert!(out.summary.lines_removed > 0, "something was removed");
    assert!(out.oversized.is_empty());
    let mut fp = Fingerprinter::default();
    assert_eq!(out.kept_keys_hash, fp.exact(&kept));
    let (_, other) = clean_lines(&cfg, &phrases, &split_lines(b"Another text entirely.\n"));
    assert_ne!(out.kept_keys_hash, other.kept_keys_hash);
}

/// Settings for a test run: `cfg`, no phrase rules, default reading options.
struct Setup {
    cfg: Config,
    phrases: PhraseSet,
    opts: CrawlOptions,
}

impl Setup {
    fn new(cfg: Config) -> Self {
        Setup {
            cfg,
            phrases: PhraseSet::empty(),
            opts: CrawlOptions::default(),
        }
    }

    /// A run without a profile writing to `output`.
    fn run<'a>(&'a self, output: &'a Output) -> Run<'a> {
        Run {
            walk_problems: &[],
            cfg: &self.cfg,
            phrases: &self.phrases,
            opts: &self.opts,
            output,
            profile: None,
        }
    }
}

#[test]
fn progress_runs_through_every_pass_once() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..6 {
        let text = format!("Home\nNews\nA sentence that is page {i}'s own content, and long.\n");
        let site = dir.path().join(format!("site{}", i % 2));
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join(format!("p{i}.txt")), text).unwrap();
    }
    let (files, _) = walk::collect(&[dir.path().to_path_buf()], Default::default());
    let total = total_bytes(&files);
    for dedup in [true, false] {
        let setup = Setup::new(Config {
            dedup_docs: dedup,
            ..Config::default()
        });
        let run = setup.run(&Output::Discard);
        let seen = Mutex::new(Vec::new());
        let record = |p: Progress| seen.lock().unwrap().push((p.phase, p.bytes));
        // One thread, so reports arrive in the order they were counted.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        pool.install(|| run.execute(&files, &record, &mut Collected::default()))
            .unwrap();
        let seen = seen.into_inner().unwrap();
        let passes = run.passes(&files);
        assert_eq!(passes, if dedup { 3 } else { 2 });
        let phases: Vec<Phase> = seen.iter().map(|s| s.0).fold(Vec::new(), |mut v, p| {
            if v.last() != Some(&p) {
                v.push(p);
            }
            v
        });
        let expected: &[Phase] = if dedup {
            &[Phase::Learn, Phase::Dedup, Phase::Clean]
        } else {
            &[Phase::Learn, Phase::Clean]
        };
        assert_eq!(phases, expected);
        assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1), "{seen:?}");
        assert_eq!(seen.last().unwrap().1, passes * total, "the bar ends full");
    }
}

/// Keeps the report lines it is given, but declines document records.
#[derive(Default)]
struct SummaryOnly(Vec<String>);

impl Sink for SummaryOnly {
    fn event(&mut self, event: Event<'_>) {
        let mut line = Vec::new();
        crate::report::ReportWriter::new(std::io::sink()).encode(event, &mut line);
        self.0.push(String::from_utf8(line).unwrap());
    }
    fn stdout(&mut self, _: &[u8]) {}
    fn wants_documents(&self) -> bool {
        false
    }
}

#[test]
fn a_sink_that_declines_documents_gets_problems_and_the_same_summary() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    for i in 0..4 {
        let text = format!("Home\nNews\nPage {i} has a sentence of its own, long enough.\n");
        std::fs::write(site.join(format!("p{i}.txt")), text).unwrap();
    }
    std::fs::write(site.join("bad.jsonl"), "{\"text\": 3}\n").unwrap();
    let (files, _) = walk::collect(&[dir.path().to_path_buf()], Default::default());
    let setup = Setup::new(Config::default());
    let run = setup.run(&Output::Discard);
    let mut all = Collected::default();
    run.execute(&files, &|_| {}, &mut all).unwrap();
    let mut declined = SummaryOnly::default();
    run.execute(&files, &|_| {}, &mut declined).unwrap();
    let kinds = |lines: &[String]| -> Vec<String> {
        let kind =
            |l: &String| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].to_string();
        lines.iter().map(kind).collect()
    };
    assert_eq!(
        kinds(&all.report)
            .iter()
            .filter(|k| k.contains("document"))
            .count(),
        4
    );
    assert_eq!(
        kinds(&declined.0),
        ["\"header\"", "\"problem\"", "\"summary\""]
    );
    assert_eq!(declined.0.last(), all.report.last(), "the same summary");
}

/// A paragraph-rich article; `changed` alters one word.
fn article(seed: usize, changed: Option<usize>) -> String {
    (0..10)
        .map(|p| {
            let words: Vec<String> = (0..25)
                .map(|w| match changed == Some(p * 25 + w) {
                    true => "altered".to_string(),
                    false => format!("word{}", (seed * 977 + p * 31 + w * 7) % 1009),
                })
                .collect();
            format!("{}.\n", words.join(" "))
        })
        .collect()
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir_files(dir);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn walkdir_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A crawl with duplicate documents and paragraphs gives the same tree, report and summary on
/// any number of threads, and the same tree and summary when no document records are wanted. A
/// paragraph cut as a copy of one in a document that then goes whole is put back.
#[test]
fn verdicts_apply_the_same_whatever_the_threads_or_the_sink() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join("crawl").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    for i in 0..6 {
        write(
            &format!("harbour/p{i}.txt"),
            &format!(
                "Home\nNews\nSport\nPage {i} tells of the ferry, in a sentence of its own.\n\
                 © 2024 Harbour Gazette. All rights reserved.\n"
            ),
        );
    }
    write(
        "harbour/records.jsonl",
        "{\"text\": \"Home\\nNews\\nA record.\\n\"}\nnot json\n",
    );
    // b goes whole as a near copy of a; c lost a paragraph to a (kept), d one to b (which
    // went, so d keeps it).
    let (a, b) = (article(1, None), article(1, Some(100)));
    let para = |t: &str, n: usize| t.lines().nth(n).unwrap().to_string();
    write("news/a.txt", &a);
    write("news/b.txt", &b);
    write(
        "news/c.txt",
        &format!("{}{}\n", article(2, None), para(&a, 8)),
    );
    write(
        "news/d.txt",
        &format!("{}{}\n", article(3, None), para(&b, 4)),
    );
    // Without sentence marks no paragraph is running text: f goes whole as a copy of e.
    write("news/e.txt", &article(4, None).replace('.', ""));
    write("news/f.txt", &article(4, Some(60)).replace('.', ""));
    let (files, _) = walk::collect(&[dir.path().join("crawl")], Default::default());
    let setup = Setup::new(Config::default());
    let mut runs = Vec::new();
    for threads in [1, 2, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let out = dir.path().join(format!("out-{threads}"));
        let output = Output::Dir(out.clone());
        let run = setup.run(&output);
        let mut sink = Collected::default();
        let result = pool
            .install(|| run.execute(&files, &|_| {}, &mut sink))
            .unwrap();
        assert_eq!(result.summary.documents_removed, 2);
        assert_eq!(result.problems.len(), 1, "the line that is not JSON");
        let summary_only = dir.path().join(format!("summary-only-{threads}"));
        let output = Output::Dir(summary_only.clone());
        let run = setup.run(&output);
        let mut declined = SummaryOnly::default();
        pool.install(|| run.execute(&files, &|_| {}, &mut declined))
            .unwrap();
        assert_eq!(declined.0.last(), sink.report.last(), "the same summary");
        assert_eq!(tree(&summary_only), tree(&out));
        runs.push((tree(&out), sink.report));
    }
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
    let out = dir.path().join("out-1");
    assert!(!out.join("news/b.txt").exists() && !out.join("news/f.txt").exists());
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    assert!(!read("news/c.txt").contains(&para(&a, 8)));
    assert!(read("news/d.txt").contains(&para(&b, 4)));
    assert!(!read("harbour/p0.txt").contains("Harbour Gazette"));
}
