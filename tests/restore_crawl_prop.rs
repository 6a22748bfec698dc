//! Property, on the real binary: any generated crawl (sites of plain text, JSON Lines, gzip and
//! zstd files; shared boilerplate, copied and edited paragraphs, whole copies of documents,
//! CRLF, byte-order marks, invalid UTF-8, a record that is not JSON) cleaned into a mirrored tree
//! gives the same tree and report on 1, 2 and 3 threads, and `restore` gives back every input
//! file byte for byte from that tree and its report (a compressed file's content).

mod util;

use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use util::{Scratch, dedump};

/// Lines every page of a site may carry.
const SHARED: [&str; 5] = [
    "Home | News | Sport | Contact",
    "© 2026 Harbour Gazette. All rights reserved.",
    "热门话题：",
    "  • 推动绿色发展，建设美丽家园。",
    "Visits: 0",
];

/// Paragraphs documents share, whole or edited: duplicate paragraphs and documents.
const PARAGRAPHS: [&str; 6] = [
    "The council approved the budget for the harbour after a long debate about the roads, the \
     pier and the ferry timetable for the coming winter.",
    "Fishermen said the new quay would let the larger boats land their catch at any tide, which \
     the old slipway never allowed in the storms of last year.",
    "经过三个月的调查，课题组走访了十二个社区，收集了四百多份问卷，整理出社区治理中最突出的五个问题。",
    "居民普遍反映，老旧小区的停车难、加装电梯难和物业服务不到位是日常生活中最常遇到的困难。",
    "A spokesman for the ferry company would not say when the evening sailing would return, but \
     promised a decision before the end of the month.",
    "调查组建议，街道应当建立议事协商机制，让居民代表、物业公司和业主委员会定期坐下来商量解决问题。",
];

#[derive(Debug, Clone)]
enum Line {
    Shared(usize),
    Paragraph(usize),
    /// A paragraph with one word changed.
    Edited(usize),
    Blank,
    Bytes(Vec<u8>),
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        3 => (0..SHARED.len()).prop_map(Line::Shared),
        4 => (0..PARAGRAPHS.len()).prop_map(Line::Paragraph),
        1 => (0..PARAGRAPHS.len()).prop_map(Line::Edited),
        2 => Just(Line::Blank),
        1 => prop_oneof![
            Just(b"bad \xff\xfe utf8".to_vec()),
            Just(b"\xEF\xBB\xBFinner mark".to_vec()),
            "[a-z ]{0,30}".prop_map(String::into_bytes),
            "[\u{4e00}-\u{4e40}，。]{1,20}".prop_map(String::into_bytes),
        ]
        .prop_map(Line::Bytes),
    ]
}

/// A document: an optional byte-order mark, lines, and their ending.
#[derive(Debug, Clone)]
struct Doc {
    bom: bool,
    crlf: bool,
    final_eol: bool,
    lines: Vec<Line>,
}

impl Doc {
    fn bytes(&self) -> Vec<u8> {
        let mut out = if self.bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        let eol: &[u8] = if self.crlf { b"\r\n" } else { b"\n" };
        for (i, l) in self.lines.iter().enumerate() {
            match l {
                Line::Shared(i) => out.extend_from_slice(SHARED[*i].as_bytes()),
                Line::Paragraph(i) => out.extend_from_slice(PARAGRAPHS[*i].as_bytes()),
                Line::Edited(i) => {
                    out.extend_from_slice(PARAGRAPHS[*i].replacen("the", "a", 1).as_bytes())
                }
                Line::Blank => {}
                Line::Bytes(b) => out.extend_from_slice(b),
            }
            if i + 1 < self.lines.len() || self.final_eol {
                out.extend_from_slice(eol);
            }
        }
        out
    }
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.9),
        prop::collection::vec(line(), 0..24),
    )
        .prop_map(|(bom, crlf, final_eol, lines)| Doc {
            bom,
            crlf,
            final_eol,
            lines,
        })
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Jsonl,
    Gzip,
    Zstd,
}

/// A file of the crawl: its site, its layout, its documents (one unless JSON Lines), or a copy
/// of an earlier file's first document.
#[derive(Debug, Clone)]
struct FileSpec {
    site: usize,
    kind: Kind,
    docs: Vec<Doc>,
    copy_of: Option<usize>,
}

fn file() -> impl Strategy<Value = FileSpec> {
    (
        0..2usize,
        prop_oneof![
            6 => Just(Kind::Text),
            2 => Just(Kind::Jsonl),
            1 => Just(Kind::Gzip),
            1 => Just(Kind::Zstd),
        ],
        prop::collection::vec(doc(), 1..4),
        prop::option::weighted(0.35, 0..8usize),
    )
        .prop_map(|(site, kind, docs, copy_of)| FileSpec {
            site,
            kind,
            docs,
            copy_of,
        })
}

/// Writes the crawl under `root`.
fn write_crawl(root: &Path, files: &[FileSpec]) {
    let mut firsts: Vec<Vec<u8>> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let first = match f.copy_of.filter(|&c| c < firsts.len()) {
            Some(c) => firsts[c].clone(),
            None => f.docs[0].bytes(),
        };
        firsts.push(first.clone());
        let dir = root.join(format!("site{}", f.site));
        std::fs::create_dir_all(&dir).unwrap();
        let (name, bytes) = match f.kind {
            Kind::Text => (format!("p{i}.txt"), first),
            Kind::Gzip => {
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), Default::default());
                gz.write_all(&first).unwrap();
                (format!("p{i}.txt.gz"), gz.finish().unwrap())
            }
            Kind::Zstd => (
                format!("p{i}.txt.zst"),
                zstd::encode_all(&first[..], 3).unwrap(),
            ),
            Kind::Jsonl => {
                let mut out = Vec::new();
                let texts = std::iter::once(first).chain(f.docs[1..].iter().map(Doc::bytes));
                for (n, text) in texts.enumerate() {
                    let text = String::from_utf8_lossy(&text);
                    let record = serde_json::json!({"id": n, "text": text});
                    out.extend_from_slice(record.to_string().as_bytes());
                    out.push(b'\n');
                }
                if i % 3 == 0 {
                    out.extend_from_slice(b"not json\n");
                }
                (format!("r{i}.jsonl"), out)
            }
        };
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Every file below `dir` with its bytes, by path; with `plain`, a compressed file's content.
/// (A compressed file comes back with its content byte for byte, compressed again: the
/// compressor's settings that made the original bytes are not known.)
fn tree_of(dir: &Path, plain: bool) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let bytes = if plain {
                util::content(&p, &bytes)
            } else {
                bytes
            };
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    tree_of(dir, false)
}

fn check(files: &[FileSpec]) {
    let dir = Scratch::new();
    let crawl = dir.path("crawl");
    write_crawl(&crawl, files);
    let mut runs = Vec::new();
    for threads in [1, 2, 3] {
        let out = dir.path(&format!("out{threads}"));
        let report = dir.path(&format!("r{threads}.jsonl"));
        let status = dedump()
            .arg("clean")
            .arg(&crawl)
            .arg("-o")
            .arg(&out)
            .arg("--report")
            .arg(&report)
            .arg("--threads")
            .arg(threads.to_string())
            .arg("-q")
            .output()
            .unwrap();
        // 3: a record that is not JSON was skipped (and copied as it was).
        assert!(
            matches!(status.status.code(), Some(0 | 3)),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        runs.push((tree(&out), std::fs::read(&report).unwrap()));
    }
    assert!(runs[0] == runs[1], "1 and 2 threads differ");
    assert!(runs[0] == runs[2], "1 and 3 threads differ");
    let back = dir.path("back");
    let restored = dedump()
        .arg("restore")
        .arg(dir.path("out1"))
        .arg("--report")
        .arg(dir.path("r1.jsonl"))
        .arg("-o")
        .arg(&back)
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let (want, got) = (tree_of(&crawl, true), tree_of(&back, true));
    assert_eq!(
        want.iter().map(|f| &f.0).collect::<Vec<_>>(),
        got.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "the restored tree holds other files"
    );
    for ((path, a), (_, b)) in want.iter().zip(&got) {
        assert!(a == b, "{} is not restored byte for byte", path.display());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_cleaned_crawl_restores_whatever_the_threads(
        files in prop::collection::vec(file(), 1..10)
    ) {
        check(&files);
    }
}
