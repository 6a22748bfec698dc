//! End-to-end tests of crawl mode on a crawl generated here: two sites with shared menus,
//! footers and sidebars, per-page articles in English and Chinese, a JSON Lines dump with other
//! fields, a gzip file, and broken inputs.

mod util;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use util::{Scratch, dedump};

const EN_TOPICS: &[&str] = &[
    "ferry",
    "budget",
    "harbour wall",
    "library",
    "school roof",
    "night market",
    "cycle lane",
];
const ZH_TOPICS: &[&str] = &[
    "绿道",
    "图书馆",
    "老旧小区",
    "社区食堂",
    "夜市",
    "公交线路",
    "垃圾分类",
];

fn en_page(i: usize) -> String {
    let t = EN_TOPICS[i % EN_TOPICS.len()];
    format!(
        "Home\nNews\nSport\nContact us\n\nCouncil decides on the {t} plan, report {i}\n\n\
         The council met on day {i} to decide the future of the {t}, after months of debate among residents.\n\n\
         Supporters of the {t} plan number {n} households, according to a survey taken in week {i}.\n\n\
         Most read:\n• Tide tables for the coming week\n• Where to park during the festival\n• Letters to the editor\n• Story {i} of the week\n\n\
         © 2024 Harbour Gazette. All rights reserved.\nPrivacy policy | Terms of use\n\
         Harbour Gazette is printed at 12 Quay Street, Harbour Town.\n",
        n = 100 + i * 7
    )
}

fn zh_page(i: usize) -> String {
    let t = ZH_TOPICS[i % ZH_TOPICS.len()];
    format!(
        "首页\n本地新闻\n民生服务\n\n山溪镇{t}项目第{i}次协调会召开\n\n\
         第{i}次协调会上，居民代表就{t}项目的选址和工期提出了意见，镇里表示将在一周内答复。\n\n\
         据统计，已有{n}户居民参与了{t}项目的意见征集，比上一轮明显增加。\n\n\
         关于我们 | 联系方式 | 网站地图\n山溪日报社 主办\n",
        n = 200 + i * 3
    )
}

/// Lines unique to one page: they must all survive.
fn en_unique(i: usize) -> Vec<String> {
    let t = EN_TOPICS[i % EN_TOPICS.len()];
    vec![
        format!(
            "The council met on day {i} to decide the future of the {t}, after months of debate among residents."
        ),
        format!("Council decides on the {t} plan, report {i}"),
    ]
}

fn zh_unique(i: usize) -> Vec<String> {
    let t = ZH_TOPICS[i % ZH_TOPICS.len()];
    vec![format!(
        "第{i}次协调会上，居民代表就{t}项目的选址和工期提出了意见，镇里表示将在一周内答复。"
    )]
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2_writer();
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn flate2_writer() -> flate2::write::GzEncoder<Vec<u8>> {
    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default())
}

fn gunzip(bytes: &[u8]) -> String {
    let mut s = String::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_string(&mut s)
        .unwrap();
    s
}

struct Crawl {
    dir: Scratch,
    root: PathBuf,
}

fn make_crawl(with_broken: bool) -> Crawl {
    let dir = Scratch::new();
    let root = dir.path("crawl");
    for i in 0..6 {
        dir.write(&format!("crawl/harbour/page{i}.txt"), en_page(i).as_bytes());
        dir.write(&format!("crawl/shanxi/page{i}.txt"), zh_page(i).as_bytes());
    }
    dir.write(
        "crawl/harbour/archive/page6.txt.gz",
        &gzip(en_page(6).as_bytes()),
    );
    let mut jsonl = String::new();
    for i in 0..5 {
        let text = serde_json::to_string(&en_page(10 + i)).unwrap();
        jsonl.push_str(&format!(
            "{{\"id\": \"doc-{i}\", \"url\": \"https://harbour.example/{i}\", \"text\": {text}, \"meta\": {{\"lang\": \"en\", \"score\": 0.50}}}}\n"
        ));
    }
    if with_broken {
        jsonl.push_str("this line is not json\n");
        jsonl.push_str("{\"id\": \"no-text\", \"body\": \"x\"}\n");
        let truncated = gzip(en_page(20).as_bytes());
        dir.write(
            "crawl/harbour/broken.txt.gz",
            &truncated[..truncated.len() / 2],
        );
        dir.write("crawl/harbour/image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    }
    dir.write("crawl/dump/records.jsonl", jsonl.as_bytes());
    dir.write("crawl/.hidden/secret.txt", b"not to be read\n");
    Crawl { dir, root }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// `dedump INPUT -o OUT --report REPORT`, for more arguments and the assertion.
fn clean_with_report(
    input: impl AsRef<Path>,
    out: impl AsRef<Path>,
    report: impl AsRef<Path>,
) -> assert_cmd::Command {
    let mut c = dedump();
    c.arg(input.as_ref())
        .arg("-o")
        .arg(out.as_ref())
        .arg("--report")
        .arg(report.as_ref());
    c
}

/// The first removal matching `pick` in the report record of the document whose source ends
/// with `source_end`.
/// The report record of the document whose source ends with `source_end`.
fn document<'a>(lines: &'a [serde_json::Value], source_end: &str) -> &'a serde_json::Value {
    lines
        .iter()
        .find(|l| l["kind"] == "document" && l["source"].as_str().unwrap().ends_with(source_end))
        .unwrap_or_else(|| panic!("no document record for {source_end}"))
}

fn removal<'a>(
    lines: &'a [serde_json::Value],
    source_end: &str,
    pick: impl Fn(&serde_json::Value) -> bool,
) -> &'a serde_json::Value {
    document(lines, source_end)["removals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| pick(r))
        .unwrap_or_else(|| panic!("no such removal in {source_end}"))
}

fn report_lines(p: &Path) -> Vec<serde_json::Value> {
    util::report_records(&read(p))
}

#[test]
fn site_boilerplate_goes_and_page_content_stays() {
    let c = make_crawl(false);
    let out = c.dir.path("out");
    let rep = c.dir.path("report.jsonl");
    clean_with_report(&c.root, &out, &rep).assert().success();
    for i in 0..6 {
        let en = read(&out.join(format!("harbour/page{i}.txt")));
        for gone in [
            "Home\n",
            "Contact us\n",
            "© 2024 Harbour Gazette",
            "Privacy policy",
            "Tide tables",
            "Letters to the editor",
            "12 Quay Street",
        ] {
            assert!(!en.contains(gone), "page{i} kept {gone:?}:\n{en}");
        }
        assert!(
            !en.contains(&format!("Story {i} of the week")),
            "the sidebar goes whole, its rare item too"
        );
        for keep in en_unique(i) {
            assert!(en.contains(&keep), "page{i} lost {keep:?}:\n{en}");
        }
        let zh = read(&out.join(format!("shanxi/page{i}.txt")));
        for gone in ["首页", "关于我们", "山溪日报社 主办"] {
            assert!(!zh.contains(gone), "zh page{i} kept {gone:?}:\n{zh}");
        }
        for keep in zh_unique(i) {
            assert!(zh.contains(&keep), "zh page{i} lost {keep:?}");
        }
    }
    assert!(!out.join(".hidden").exists(), "hidden files are skipped");
    let lines = report_lines(&rep);
    let summary = lines.last().unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["documents"], 6 + 6 + 1 + 5);
    assert!(
        summary["totals"]["by_reason"]["site_boilerplate"]["lines"]
            .as_u64()
            .unwrap()
            > 20
    );
    assert!(summary["by_site"]["harbour"]["docs"].as_u64().unwrap() >= 7);
    assert!(
        summary["by_site"]["harbour.example"]["docs"]
            .as_u64()
            .unwrap()
            == 5,
        "JSON Lines sites come from the url"
    );
    let top = summary["top_boilerplate"].as_array().unwrap();
    assert!(!top.is_empty());
    assert!(
        top.windows(2)
            .all(|w| w[0]["docs"].as_u64() >= w[1]["docs"].as_u64())
    );
    // Each top line counts the documents of its site that lost it (a line without digits is
    // its own masked key).
    for entry in top {
        let text = entry["text"].as_str().unwrap();
        if text.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let losing = lines
            .iter()
            .filter(|l| l["kind"] == "document" && l["site"] == entry["site"])
            .filter(|l| {
                l["removals"].as_array().unwrap().iter().any(|r| {
                    r["reason"] == "site_boilerplate" && r["text"].as_str().unwrap().trim() == text
                })
            })
            .count();
        assert_eq!(entry["docs"].as_u64(), Some(losing as u64), "{entry}");
    }
    let r = removal(&lines, "page0.txt", |r| r["reason"] == "site_boilerplate");
    assert!(r["evidence"]["docs"].as_u64().unwrap() >= 3);
    assert!(document(&lines, "page0.txt")["site_docs"].as_u64().unwrap() >= 6);
}

/// A page of a small site: a header, an article with a subheading and a sidebar of links every
/// page has, a dated byline, and a footer under a sentence (alone, no menu block).
const SIDEBAR: &str = "Elsewhere in town\nHarbour festival programme\nFerry timetable changes\n\
                       School fete photos\nMarket day stalls\nAllotment waiting list\n";

fn small_site_page(title: &str, paragraphs: [&str; 3], date: &str) -> String {
    let [a, b, c] = paragraphs;
    format!(
        "{title} - Tiny Town Chronicle\nTide charts\nFerry times\nCrossword\nBack issues\n\n\
         {title}\n{a}\nBackground\n{b}\n{SIDEBAR}{c}\nPublished {date}\n\
         Tiny Town Chronicle is run by volunteers.\nOur volunteers\nTip line\nBack issues\n"
    )
}

#[test]
fn on_a_small_site_the_shared_template_goes() {
    let dir = Scratch::new();
    let pages = [
        small_site_page(
            "Bridge repairs start on Monday",
            [
                "Crews will close the east lane of the old bridge for three weeks while the deck is resurfaced.",
                "Drivers are asked to use the ring road, which the council says adds ten minutes at peak times.",
                "The bridge was last repaired in the spring, when the railings were replaced after a storm.",
            ],
            "3 May 2024",
        ),
        small_site_page(
            "Library opens on Sundays from June",
            [
                "The town library will open from noon to five on Sundays, a trial the trustees approved.",
                "Volunteers will staff the desk, and the reading room upstairs stays closed for now.",
                "The trial follows a petition signed by more than four hundred readers over the winter.",
            ],
            "17 May 2024",
        ),
    ];
    for (i, p) in pages.iter().enumerate() {
        dir.write(&format!("crawl/tiny/p{i}.txt"), p.as_bytes());
    }
    // Ten pages of a bigger site, two of which share a footer line: 2 of 10 is no template.
    for i in 0..10 {
        let footer = if i < 2 { "Tip line\n" } else { "" };
        let page = format!(
            "Notice {i}\nFerry times\n\n{}\nQuestions\nSee the office\nOpening hours\n{footer}",
            article_text(i, None)
        );
        dir.write(&format!("crawl/big/p{i}.txt"), page.as_bytes());
    }
    let out = dir.path("out");
    let rep = dir.path("report.jsonl");
    clean_with_report(dir.path("crawl"), &out, &rep)
        .assert()
        .success();
    for (i, page) in pages.iter().enumerate() {
        let text = read(&out.join(format!("tiny/p{i}.txt")));
        // The header's menu and the footer's links both pages carry go.
        for gone in ["Tide charts\n", "Crossword\n", "Tip line\n"] {
            assert!(!text.contains(gone), "p{i} kept {gone:?}:\n{text}");
        }
        // The article, its shared subheading, the dated byline (the line next to the text),
        // and the sidebar inside the text stay.
        let lines: Vec<&str> = page.lines().collect();
        let article = [&lines[6..10], &lines[16..18]].concat();
        for keep in article.iter().chain(&SIDEBAR.lines().collect::<Vec<_>>()) {
            assert!(text.contains(keep), "p{i} lost {keep:?}:\n{text}");
        }
        // Alone, the same page keeps its footer line: the evidence is the other page.
        let alone = dir.path(&format!("alone{i}.txt"));
        dedump()
            .arg(dir.path(&format!("crawl/tiny/p{i}.txt")))
            .arg("-o")
            .arg(&alone)
            .assert()
            .success();
        assert!(read(&alone).contains("Tip line\n"), "p{i} alone");
    }
    for i in 0..2 {
        let text = read(&out.join(format!("big/p{i}.txt")));
        assert!(text.contains("Tip line"), "big/p{i}:\n{text}");
    }
    // The model names the other page as its evidence.
    let lines = report_lines(&rep);
    let tip = removal(&lines, "tiny/p0.txt", |r| r["text"] == "Tip line");
    assert_eq!(tip["reason"], "boilerplate");
    let carried: Vec<&str> = tip["evidence"]["carried_by"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(carried.contains(&"site_shared"), "{tip}");
    let doc = document(&lines, "tiny/p0.txt");
    assert_eq!(doc["main_text"], serde_json::json!([8, 17]));
}

#[test]
fn jsonl_fields_survive_and_gzip_stays_gzip() {
    let c = make_crawl(false);
    let out = c.dir.path("out");
    dedump()
        .arg(&c.root)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    let cleaned = read(&out.join("dump/records.jsonl"));
    let records: Vec<serde_json::Value> = cleaned
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 5);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["id"], format!("doc-{i}"));
        assert_eq!(r["url"], format!("https://harbour.example/{i}"));
        let text = r["text"].as_str().unwrap();
        assert!(!text.contains("Privacy policy"), "{text}");
        assert!(text.contains(&en_unique(10 + i)[0]));
    }
    // Every byte but the text's value is kept: field order, spacing, the other values' text.
    let first = cleaned.lines().next().unwrap();
    assert!(
        first.starts_with(r#"{"id": "doc-0", "url": "https://harbour.example/0", "text": ""#),
        "{first}"
    );
    assert!(
        first.ends_with(r#", "meta": {"lang": "en", "score": 0.50}}"#),
        "{first}"
    );
    let gz = std::fs::read(out.join("harbour/archive/page6.txt.gz")).unwrap();
    let text = gunzip(&gz);
    assert!(text.contains(&en_unique(6)[0]));
    assert!(!text.contains("Privacy policy"));
}

#[test]
fn bad_inputs_are_reported_left_unchanged_and_the_run_goes_on() {
    let c = make_crawl(true);
    let out = c.dir.path("out");
    let rep = c.dir.path("report.jsonl");
    let run = clean_with_report(&c.root, &out, &rep).output().unwrap();
    assert_eq!(
        run.status.code(),
        Some(3),
        "skipped input has its own exit code"
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("broken.txt.gz"), "{err}");
    assert!(
        err.contains("records.jsonl:6") && err.contains("not a JSON object"),
        "{err}"
    );
    assert!(
        err.contains("records.jsonl:7") && err.contains("\"text\""),
        "{err}"
    );
    assert!(err.contains("image.txt") && err.contains("binary"), "{err}");
    // Nothing lost: broken files are copied as they were, bad records written back as they were.
    assert_eq!(
        std::fs::read(out.join("harbour/broken.txt.gz")).unwrap(),
        std::fs::read(c.root.join("harbour/broken.txt.gz")).unwrap()
    );
    assert_eq!(
        std::fs::read(out.join("harbour/image.txt")).unwrap(),
        std::fs::read(c.root.join("harbour/image.txt")).unwrap()
    );
    let cleaned = read(&out.join("dump/records.jsonl"));
    assert!(cleaned.contains("this line is not json\n"));
    assert!(cleaned.contains("{\"id\": \"no-text\", \"body\": \"x\"}\n"));
    // The good files were still cleaned.
    assert!(!read(&out.join("harbour/page0.txt")).contains("Privacy policy"));
    let problems: Vec<_> = report_lines(&rep)
        .into_iter()
        .filter(|l| l["kind"] == "problem")
        .collect();
    assert_eq!(problems.len(), 4);
    assert!(problems.iter().any(|p| p["record"] == 6));
    let strict = dedump()
        .arg(&c.root)
        .arg("-o")
        .arg(c.dir.path("out2"))
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let c = make_crawl(true);
    let mut runs = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = c.dir.path(&format!("out{threads}"));
        let rep = c.dir.path(&format!("rep{threads}.jsonl"));
        clean_with_report(&c.root, &out, &rep)
            .args(["--threads", threads, "-q"])
            .output()
            .unwrap();
        let mut files = Vec::new();
        collect(&out, &out, &mut files);
        runs.push((files, std::fs::read(&rep).unwrap()));
    }
    assert!(runs[0].0.len() >= 15);
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

#[test]
fn one_big_jsonl_file_is_cleaned_in_parallel_batches_and_stays_in_order() {
    // More records than one batch holds, with broken lines and republished pages among them.
    let dir = Scratch::new();
    let mut jsonl = String::new();
    for i in 0..700 {
        match i {
            300 => jsonl.push_str("not json at all\n"),
            301 => jsonl.push_str("{\"id\": 301, \"body\": \"no text field\"}\n"),
            302 => jsonl.push('\n'),
            _ => {
                let page = if i % 50 == 49 {
                    en_page(i - 1)
                } else {
                    en_page(i)
                };
                let text = serde_json::to_string(&page).unwrap();
                jsonl.push_str(&format!(
                    "{{\"id\": {i}, \"url\": \"https://harbour.example/{i}\", \"text\": {text}}}\n"
                ));
            }
        }
    }
    dir.write("dump.jsonl", jsonl.as_bytes());
    let mut runs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path(&format!("out{threads}.jsonl"));
        let rep = dir.path(&format!("rep{threads}.jsonl"));
        clean_with_report(dir.path("dump.jsonl"), &out, &rep)
            .args(["--threads", threads])
            .assert()
            .code(3);
        runs.push((std::fs::read(&out).unwrap(), std::fs::read(&rep).unwrap()));
    }
    assert_eq!(
        runs[0], runs[1],
        "thread count changed the output or the report"
    );
    let out = String::from_utf8(runs[0].0.clone()).unwrap();
    let ids: Vec<u64> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_u64())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "records out of order");
    assert!(
        ids.len() > 650 && !ids.contains(&99),
        "{} records",
        ids.len()
    );
    assert!(
        out.contains("not json at all\n"),
        "a broken line is written back"
    );
    let report = String::from_utf8(runs[0].1.clone()).unwrap();
    let problems: Vec<u64> = report
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "problem")
        .map(|v| v["record"].as_u64().unwrap())
        .collect();
    assert_eq!(problems, vec![301, 302]);
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(root, &p, out);
        } else {
            out.push((
                p.strip_prefix(root).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
}

#[test]
fn a_profile_gives_a_stream_cross_document_cleaning() {
    let c = make_crawl(false);
    let profile = c.dir.path("site.profile");
    dedump()
        .arg("learn")
        .arg(&c.root)
        .arg("-o")
        .arg(&profile)
        .arg("-q")
        .assert()
        .success();
    let new_page = en_page(99);
    let out = dedump()
        .args(["clean", "--site", "harbour", "--profile"])
        .arg(&profile)
        .write_stdin(new_page.clone())
        .output()
        .unwrap();
    assert!(out.status.success());
    let cleaned = String::from_utf8(out.stdout).unwrap();
    assert!(!cleaned.contains("Privacy policy"), "{cleaned}");
    assert!(
        !cleaned.contains("12 Quay Street"),
        "only site evidence can tell an address is a footer"
    );
    assert!(cleaned.contains(&en_unique(99)[0]));
    let without = dedump().write_stdin(new_page).output().unwrap();
    assert!(
        String::from_utf8(without.stdout)
            .unwrap()
            .contains("12 Quay Street"),
        "a single page alone cannot tell"
    );
}

#[test]
fn shard_profiles_merge_into_the_whole() {
    // Shards keep the crawl's layout (site directories under a root), as a split crawl does.
    let dir = Scratch::new();
    for i in 0..6 {
        let shard = if i % 2 == 0 { "shard-a" } else { "shard-b" };
        for root in ["whole", shard] {
            dir.write(
                &format!("{root}/harbour/page{i}.txt"),
                en_page(i).as_bytes(),
            );
            dir.write(&format!("{root}/shanxi/page{i}.txt"), zh_page(i).as_bytes());
        }
    }
    let learn = |root: &str, out: &str| {
        dedump()
            .arg("learn")
            .arg(dir.path(root))
            .arg("-o")
            .arg(dir.path(out))
            .arg("-q")
            .assert()
            .success();
    };
    learn("whole", "whole.p");
    learn("shard-a", "a.p");
    learn("shard-b", "b.p");
    dedump()
        .arg("merge-profiles")
        .arg(dir.path("a.p"))
        .arg(dir.path("b.p"))
        .arg("-o")
        .arg(dir.path("ab.p"))
        .assert()
        .success();
    dedump()
        .arg("merge-profiles")
        .arg(dir.path("b.p"))
        .arg(dir.path("a.p"))
        .arg("-o")
        .arg(dir.path("ba.p"))
        .assert()
        .success();
    let whole = std::fs::read(dir.path("whole.p")).unwrap();
    assert_eq!(
        std::fs::read(dir.path("ab.p")).unwrap(),
        whole,
        "merged shards equal one pass"
    );
    assert_eq!(
        std::fs::read(dir.path("ba.p")).unwrap(),
        whole,
        "whatever the merge order"
    );
    dedump()
        .arg("learn")
        .arg(dir.path("whole"))
        .args(["--site-from", "none", "-o"])
        .arg(dir.path("other.p"))
        .arg("-q")
        .assert()
        .success();
    let refused = dedump()
        .arg("merge-profiles")
        .arg(dir.path("a.p"))
        .arg(dir.path("other.p"))
        .arg("-o")
        .arg(dir.path("x.p"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("different settings"));
    let not_a_profile = dedump()
        .arg("merge-profiles")
        .arg(dir.path("whole/harbour/page0.txt"))
        .arg("-o")
        .arg(dir.path("y.p"))
        .output()
        .unwrap();
    assert_eq!(not_a_profile.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_a_profile.stderr).contains("not a dedump profile"));
}

/// Cleaned records of a JSON Lines stream come out a batch (256 records) at a time, while
/// stdin is still open: neither the output nor the report waits for the end of the stream.
#[test]
fn jsonl_records_come_out_before_the_stream_ends() {
    let dir = Scratch::new();
    let report = dir.path("r.jsonl");
    let args = ["clean", "--format", "jsonl", "-q", "--report"];
    let mut run = util::Streaming::spawn(&[&args[..], &[report.to_str().unwrap()]].concat());
    for i in 0..300 {
        let text = format!("Record {i} has a sentence of its own, unlike any other record.\n");
        let line = serde_json::json!({ "n": i, "text": text }).to_string();
        writeln!(run.stdin, "{line}").unwrap();
    }
    run.stdin.flush().unwrap();
    let got = run.first_output();
    assert!(
        got.starts_with(br#"{"n":0,"#),
        "{}",
        String::from_utf8_lossy(&got)
    );
    assert!(run.finish().success());
    let lines = report_lines(&report);
    assert_eq!(
        lines.len(),
        302,
        "the header, a record per document, then the summary"
    );
    assert_eq!(lines[0]["kind"], "header");
    assert_eq!(lines[300]["record"], 300);
    assert_eq!(lines[301]["kind"], "summary");
}

#[test]
fn jsonl_on_stdin_streams_to_stdout() {
    let mut input = String::new();
    for i in 0..3 {
        let text = serde_json::to_string(&format!(
            "Visits: 0\nA sentence of record {i} that is the content.\n"
        ))
        .unwrap();
        input.push_str(&format!("{{\"text\": {text}, \"n\": {i}}}\n"));
    }
    let out = dedump()
        .args(["clean", "--format", "jsonl", "-q"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let recs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[2]["n"], 2);
    assert_eq!(
        recs[1]["text"],
        "A sentence of record 1 that is the content.\n"
    );
}

#[test]
fn refuses_to_mirror_over_its_input() {
    let c = make_crawl(false);
    let out = dedump()
        .arg(&c.root)
        .arg("-o")
        .arg(&c.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write over"));
    let out = dedump().arg(&c.root).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs -o DIR"));
}

#[test]
fn in_place_rewrites_the_inputs() {
    let c = make_crawl(false);
    dedump()
        .arg(&c.root)
        .arg("--in-place")
        .arg("-q")
        .assert()
        .success();
    let page = read(&c.root.join("harbour/page1.txt"));
    assert!(!page.contains("Privacy policy"));
    assert!(page.contains(&en_unique(1)[0]));
}

#[test]
fn compressed_single_file_to_named_output() {
    let dir = Scratch::new();
    let mut jsonl = String::new();
    for i in 0..4 {
        let text = serde_json::to_string(&en_page(i)).unwrap();
        jsonl.push_str(&format!("{{\"text\": {text}}}\n"));
    }
    let input = dir.write("dump.jsonl.gz", &gzip(jsonl.as_bytes()));
    let out = dir.path("dump.clean.jsonl.zst");
    dedump()
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--site-from")
        .arg("none")
        .arg("-q")
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let mut text = String::new();
    zstd::stream::read::Decoder::new(&bytes[..])
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text.lines().count(), 4);
    assert!(!text.contains("Privacy policy"));
}

fn article_text(seed: usize, changed: Option<usize>) -> String {
    (0..12)
        .map(|p| {
            let words: Vec<String> = (0..25)
                .map(|w| {
                    if changed == Some(p * 25 + w) {
                        "altered".to_string()
                    } else {
                        format!("word{}", (seed * 977 + p * 31 + w * 7) % 1009)
                    }
                })
                .collect();
            format!("{}.\n", words.join(" "))
        })
        .collect()
}

/// Adds to a crawl's `harbour` site three pages from `en_page(first)` on: one with CRLF line
/// endings and a BOM, one with no final newline, one with a line that is not UTF-8.
fn add_awkward_files(c: &Crawl, first: usize) {
    let page = |i: usize| en_page(first + i);
    c.dir.write(
        "crawl/harbour/crlf.txt",
        format!("\u{feff}{}", page(0).replace('\n', "\r\n")).as_bytes(),
    );
    c.dir.write(
        "crawl/harbour/no-final-newline.txt",
        page(1).trim_end().as_bytes(),
    );
    let mut latin1 = page(2).into_bytes();
    latin1.extend_from_slice(b"Caf\xe9 au lait \xff\xfe, a line that is not UTF-8.\n");
    c.dir.write("crawl/harbour/latin1.txt", &latin1);
}

/// The cleaning pass replays the duplicate search's decisions instead of running the engine a
/// second time. On a crawl without duplicate documents, that must write exactly what cleaning
/// without the duplicate search writes: odd line endings, a BOM, invalid UTF-8, an oversized
/// line, JSON escapes and bad records included.
#[test]
fn replayed_cleaning_writes_what_the_engine_writes() {
    let c = make_crawl(true);
    let page = |i: usize| en_page(40 + i);
    add_awkward_files(&c, 40);
    let long = format!("{}\n{}", "x".repeat(5000), page(3));
    c.dir.write("crawl/harbour/long-line.txt", long.as_bytes());
    let cafe = format!("{}Café society meets on Fridays, the club said.\n", page(4));
    let escaped = serde_json::to_string(&cafe)
        .unwrap()
        .replace('é', "\\u00e9");
    assert!(escaped.contains("\\u00e9"));
    c.dir.write(
        "crawl/dump/escaped.jsonl",
        format!("{{\"text\": {escaped}}}\r\n\n{{\"text\": 7}}\n").as_bytes(),
    );
    let mut trees = Vec::new();
    for dedup in ["on", "off"] {
        let (out, rep) = (
            c.dir.path(&format!("out-{dedup}")),
            c.dir.path(&format!("r-{dedup}")),
        );
        clean_with_report(&c.root, &out, &rep)
            .args(["--dedup-docs", dedup, "--max-line-bytes", "1000", "-q"])
            .assert()
            .code(3);
        let mut files = Vec::new();
        collect(&out, &out, &mut files);
        let mut lines = report_lines(&rep);
        let header = lines.remove(0);
        assert_eq!(
            header["config"]["dedup_docs"],
            dedup == "on",
            "the header differs"
        );
        let summary = lines.pop().unwrap();
        assert_eq!(
            summary["documents_removed"], 0,
            "no duplicates in this crawl"
        );
        trees.push((files, lines));
    }
    assert!(trees[0].0.len() > 15, "{} files", trees[0].0.len());
    assert_eq!(trees[0], trees[1]);
}

#[test]
fn duplicate_documents_go_whole_and_the_report_keeps_them() {
    let dir = Scratch::new();
    let a = article_text(1, None);
    dir.write("crawl/a.txt", a.as_bytes());
    // Same content, other markup and spacing: an exact duplicate after normalization.
    let b: String = a
        .lines()
        .map(|l| format!("  • {}\r\n", l.to_uppercase()))
        .collect();
    dir.write("crawl/b.txt", b.as_bytes());
    dir.write("crawl/c.txt", article_text(1, Some(100)).as_bytes());
    dir.write("crawl/d.txt", article_text(2, None).as_bytes());
    let out = dir.path("out");
    let rep = dir.path("r.jsonl");
    clean_with_report(dir.path("crawl"), &out, &rep)
        .arg("-q")
        .assert()
        .success();
    assert!(out.join("a.txt").exists() && out.join("d.txt").exists());
    assert!(
        !out.join("b.txt").exists(),
        "an exact duplicate leaves no file"
    );
    assert!(
        !out.join("c.txt").exists(),
        "a near duplicate leaves no file"
    );
    let lines = report_lines(&rep);
    let removed: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l.get("removed").is_some())
        .collect();
    assert_eq!(removed.len(), 2);
    let b_rec = removed
        .iter()
        .find(|l| l["source"].as_str().unwrap().ends_with("b.txt"))
        .unwrap();
    assert_eq!(b_rec["removed"]["reason"], "duplicate_document");
    assert!(
        b_rec["removed"]["of_document"]
            .as_str()
            .unwrap()
            .ends_with("a.txt")
    );
    assert_eq!(
        b_rec["removed"]["text"], b,
        "the report holds the removed document whole"
    );
    let c_rec = removed
        .iter()
        .find(|l| l["source"].as_str().unwrap().ends_with("c.txt"))
        .unwrap();
    assert_eq!(c_rec["removed"]["reason"], "near_duplicate_document");
    let sim = c_rec["removed"]["similarity"].as_f64().unwrap();
    assert!((0.8..1.0).contains(&sim), "{sim}");
    assert_eq!(c_rec["removed"]["cluster"], b_rec["removed"]["cluster"]);
    let summary = lines.last().unwrap();
    assert_eq!(summary["documents_removed"], 2);
    assert_eq!(summary["duplicate_clusters"], 1);

    let all = dir.path("all");
    dedump()
        .arg(dir.path("crawl"))
        .arg("-o")
        .arg(&all)
        .args(["--dedup-docs", "off", "-q"])
        .assert()
        .success();
    assert!(all.join("b.txt").exists() && all.join("c.txt").exists());

    let longest = dir.path("longest");
    dedump()
        .arg(dir.path("crawl"))
        .arg("-o")
        .arg(&longest)
        .args(["--keep", "longest", "-q"])
        .assert()
        .success();
    assert!(
        longest.join("b.txt").exists(),
        "the bulleted copy is the longest"
    );
    assert!(!longest.join("a.txt").exists());
    let kept = read(&longest.join("b.txt"));
    assert_eq!(
        kept, b,
        "the kept copy loses no paragraph to a removed document's copy"
    );
}

#[test]
fn duplicate_records_in_a_stream_are_dropped() {
    let mut input = String::new();
    for (i, text) in [
        article_text(3, None),
        article_text(4, None),
        article_text(3, Some(40)),
        article_text(3, None),
    ]
    .iter()
    .enumerate()
    {
        input.push_str(&format!(
            "{{\"id\": {i}, \"text\": {}}}\n",
            serde_json::to_string(text).unwrap()
        ));
    }
    let dir = Scratch::new();
    let rep = dir.path("r.jsonl");
    let out = dedump()
        .args([
            "clean",
            "--format",
            "jsonl",
            "-q",
            "--id-field",
            "id",
            "--report",
        ])
        .arg(&rep)
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let ids: Vec<i64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, vec![0, 1], "records 2 and 3 repeat record 0");
    let lines = report_lines(&rep);
    let reasons: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["removed"]["reason"].as_str())
        .collect();
    assert_eq!(
        reasons,
        vec!["near_duplicate_document", "duplicate_document"]
    );
}

#[test]
fn a_stream_is_checked_against_an_earlier_crawl() {
    let dir = Scratch::new();
    for i in 0..4 {
        dir.write(
            &format!("old/site/a{i}.txt"),
            article_text(10 + i, None).as_bytes(),
        );
    }
    let profile = dir.path("old.profile");
    dedump()
        .arg("learn")
        .arg(dir.path("old"))
        .arg("-o")
        .arg(&profile)
        .arg("-q")
        .assert()
        .success();
    let mut input = String::new();
    for (i, text) in [article_text(11, Some(7)), article_text(99, None)]
        .iter()
        .enumerate()
    {
        input.push_str(&format!(
            "{{\"id\": {i}, \"text\": {}}}\n",
            serde_json::to_string(text).unwrap()
        ));
    }
    let rep = dir.path("r.jsonl");
    let out = dedump()
        .args(["clean", "--format", "jsonl", "-q", "--profile"])
        .arg(&profile)
        .arg("--report")
        .arg(&rep)
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let kept: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        kept.len(),
        1,
        "the copy of an old article goes, the new one stays"
    );
    assert_eq!(kept[0]["id"], 1);
    let removed = report_lines(&rep)
        .into_iter()
        .find(|l| l.get("removed").is_some())
        .unwrap();
    assert_eq!(removed["removed"]["reason"], "near_duplicate_document");
    assert_eq!(removed["removed"]["of_document"], "site/a1.txt");
    assert_eq!(removed["removed"]["similarity_estimated"], true);
    assert!(removed["removed"]["similarity"].as_f64().unwrap() >= 0.8);
}

/// A site whose every article carries a byline and a dateline under its title in the same
/// format: each article's own byline and date stay, though two of the articles share a date.
#[test]
fn each_articles_dateline_and_byline_stay_in_a_crawl() {
    let dir = Scratch::new();
    let dates = ["March 03, 2026", "March 04, 2026", "March 04, 2026"];
    let titles = [
        "Harbour wall repairs begin next week",
        "New bus shelters for the old town",
        "School choir wins the county cup",
    ];
    let authors = ["By Ana Costa", "By Bo Chen", "By Carla Mendes"];
    for (i, (date, title)) in dates.iter().zip(titles).enumerate() {
        let page = format!(
            "{title} | Coast Courier\nHome\nNews\nSport\nWeather\nContact\n\n{title}\n\
             {}\n{date}\n\n{}\nShare this article\nAbout us\nPrivacy policy\n",
            authors[i],
            article_text(i + 40, None)
        );
        dir.write(&format!("crawl/courier/p{i}.txt"), page.as_bytes());
    }
    let out = dir.path("out");
    let rep = dir.path("report.jsonl");
    clean_with_report(dir.path("crawl"), &out, &rep)
        .assert()
        .success();
    for (i, (date, title)) in dates.iter().zip(titles).enumerate() {
        let text = read(&out.join(format!("courier/p{i}.txt")));
        for keep in [*date, title, authors[i]] {
            assert!(text.contains(keep), "p{i} lost {keep:?}:\n{text}");
        }
        assert!(!text.contains("Privacy policy"), "p{i}:\n{text}");
    }
}

/// Documents are compared by the text the judgement keeps, not by the page: the same article
/// on three pages of a site with different menus and sidebars is one document, kept once; two
/// articles sharing a heavy template stay two.
#[test]
fn duplicate_documents_are_found_by_their_main_text() {
    let dir = Scratch::new();
    let chrome = |page: usize, n: usize, what: &str| -> String {
        (0..n)
            .map(|k| format!("{what} headline number {k} on page {page} of the site\n"))
            .collect()
    };
    let menu = |page: usize| -> String {
        [
            "Home", "News", "Sport", "Business", "Opinion", "Culture", "Travel", "Weather",
        ]
        .iter()
        .map(|m| format!("{m}\n"))
        .chain((0..12).map(|k| format!("Section {page}-{k}\n")))
        .collect()
    };
    for (page, changed) in [(0, None), (1, Some(40)), (2, Some(130))] {
        let text = format!(
            "The harbour story | Courier\n{}\nThe harbour story\n{}\nRelated stories\n{}",
            menu(page),
            article_text(7, changed),
            chrome(page, 60, "Sidebar")
        );
        dir.write(&format!("crawl/courier/p{page}.txt"), text.as_bytes());
    }
    // Two different articles in one heavy template: the same menu and the same long footer.
    for (page, seed) in [(0, 8), (1, 9)] {
        let text = format!(
            "A story | Gazette\n{}\nA story\n{}\nMore from the Gazette\n{}",
            menu(9),
            article_text(seed, None),
            chrome(9, 60, "Footer")
        );
        dir.write(&format!("crawl/gazette/p{page}.txt"), text.as_bytes());
    }
    let out = dir.path("out");
    let rep = dir.path("r.jsonl");
    clean_with_report(dir.path("crawl"), &out, &rep)
        .arg("-q")
        .assert()
        .success();
    assert!(out.join("courier/p0.txt").exists());
    for page in [1, 2] {
        assert!(
            !out.join(format!("courier/p{page}.txt")).exists(),
            "courier p{page} is the same article"
        );
    }
    for page in [0, 1] {
        assert!(
            out.join(format!("gazette/p{page}.txt")).exists(),
            "gazette p{page} is an article of its own"
        );
    }
    let lines = report_lines(&rep);
    let removed: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l.get("removed").is_some())
        .collect();
    assert_eq!(removed.len(), 2, "{removed:?}");
    for r in removed {
        assert!(
            r["removed"]["of_document"]
                .as_str()
                .unwrap()
                .ends_with("courier/p0.txt")
        );
    }
}

/// The files of a tree with compressed ones decompressed (a compressor's bytes may differ from
/// run to run; what they hold must not). Hidden entries are left out, as a crawl leaves them.
fn tree_contents(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    collect(root, root, &mut files);
    files
        .into_iter()
        .filter(|(p, _)| {
            !p.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
        .map(|(p, bytes)| {
            let plain = util::content(&p, &bytes);
            (p, plain)
        })
        .collect()
}

/// `restore` on a mirrored tree and its report gives back every file the crawl read: text
/// cleaned line by line, JSON Lines with changed, removed and malformed records, duplicate
/// documents removed whole, gzip and zstd, CRLF with a BOM, bytes that are not UTF-8, an empty
/// file, and files that could not be cleaned — whatever the thread count.
#[test]
fn a_cleaned_tree_restores_to_the_crawl() {
    let c = make_crawl(true);
    let page = |i: usize| en_page(30 + i);
    add_awkward_files(&c, 30);
    c.dir.write("crawl/harbour/empty.txt", b"");
    c.dir.write(
        "crawl/harbour/zst/page.txt.zst",
        &zstd::encode_all(page(3).as_bytes(), 3).unwrap(),
    );
    // A republished article, once as a file and once as a record of a dump.
    c.dir
        .write("crawl/mirror/copy.txt", article_text(5, None).as_bytes());
    c.dir.write(
        "crawl/mirror/orig.txt",
        article_text(5, Some(40)).as_bytes(),
    );
    let copy = serde_json::to_string(&article_text(5, Some(90))).unwrap();
    c.dir.write(
        "crawl/dump/more.jsonl",
        format!("{{\"id\": 1, \"text\": {copy}}}\n{{\"text\": 7}}\nnot json\n").as_bytes(),
    );
    let original = tree_contents(&c.root);
    for threads in ["1", "2"] {
        let (out, rep, back) = (
            c.dir.path(&format!("out-{threads}")),
            c.dir.path(&format!("r-{threads}.jsonl")),
            c.dir.path(&format!("back-{threads}")),
        );
        clean_with_report(&c.root, &out, &rep)
            .args(["--threads", threads, "-q"])
            .assert()
            .code(3);
        let lines = report_lines(&rep);
        assert_eq!(
            lines.last().unwrap()["documents_removed"],
            2,
            "the copies of the article go"
        );
        dedump()
            .arg("restore")
            .arg(&out)
            .arg("--report")
            .arg(&rep)
            .arg("-o")
            .arg(&back)
            .assert()
            .success();
        let restored = tree_contents(&back);
        let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&restored), names(&original));
        for (got, want) in restored.iter().zip(&original) {
            assert!(
                got.1 == want.1,
                "{} is not restored byte for byte ({threads} threads)",
                want.0.display()
            );
        }
        // Each written file alone, found in the report by its place in the tree.
        let written = tree_contents(&out);
        assert!(written.len() > 10);
        for (rel, _) in &written {
            let one = c.dir.path("one");
            dedump()
                .arg("restore")
                .arg(out.join(rel))
                .arg("--report")
                .arg(&rep)
                .arg("-o")
                .arg(&one)
                .assert()
                .success();
            let want = original.iter().find(|f| f.0 == *rel).unwrap();
            let got = util::content(rel, &std::fs::read(&one).unwrap());
            assert!(got == want.1, "{} alone is not restored", rel.display());
        }
    }
}

/// A JSON Lines stream cleaned from stdin restores from its report too: changed records, a
/// duplicate record removed whole and a line that is not JSON all come back where they were.
#[test]
fn a_cleaned_jsonl_stream_restores() {
    let dir = Scratch::new();
    let mut input = String::new();
    for i in 0..4 {
        let text = serde_json::to_string(&format!("Visits: 0\n{}", article_text(i, None))).unwrap();
        input.push_str(&format!("{{\"n\": {i}, \"text\": {text}}}\n"));
    }
    let copy = serde_json::to_string(&article_text(2, None)).unwrap();
    input.push_str(&format!("{{\"n\": 9,  \"text\": {copy}}}\r\nnot json\n"));
    let report = dir.path("r.jsonl");
    let cleaned = dedump()
        .args(["clean", "--format", "jsonl", "-q", "--report"])
        .arg(&report)
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert_eq!(
        cleaned.status.code(),
        Some(3),
        "the line that is not JSON is skipped"
    );
    let text = String::from_utf8(cleaned.stdout).unwrap();
    assert!(!text.contains("Visits: 0"));
    assert_eq!(
        text.lines().count(),
        5,
        "four records and the line that is not JSON"
    );
    let lines = report_lines(&report);
    assert_eq!(lines.last().unwrap()["documents_removed"], 1);
    let restored = dedump()
        .arg("restore")
        .arg("-")
        .arg("--report")
        .arg(&report)
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert_eq!(String::from_utf8(restored.stdout).unwrap(), input);
}
