//! End-to-end tests: the real `dedump` binary on the texts in `sample_data/` and on inputs made
//! here. Reports are parsed, never compared as JSON text.

mod util;

use std::io::Write;
use std::process::Command;

use util::{Scratch, dedump, parse_report, read_report, removed_lines, sample};

/// Cleans a sample file, checks the report is consistent, restores it through the binary and
/// demands the original back. Returns (cleaned text, report).
fn clean_and_restore(name: &str) -> (String, serde_json::Value) {
    let dir = Scratch::new();
    let input = sample(name);
    let out = dir.path("clean.txt");
    let rep = dir.path("report.json");
    dedump()
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .assert()
        .success();
    let report = read_report(&rep);
    let cleaned = std::fs::read(&out).unwrap();
    let original = std::fs::read(&input).unwrap();
    let s = &report["summary"];
    assert_eq!(s["bytes_in"].as_u64().unwrap(), original.len() as u64);
    assert_eq!(
        s["bytes_in"].as_u64().unwrap() - s["bytes_removed"].as_u64().unwrap(),
        cleaned.len() as u64
    );
    let restored = dedump()
        .arg("restore")
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .output()
        .unwrap();
    assert!(restored.status.success());
    assert_eq!(
        restored.stdout, original,
        "restore must give back {name} byte for byte"
    );
    (String::from_utf8(cleaned).unwrap(), report)
}

/// The cleaned text of a sample file, cleaned with `args`.
fn cleaned_with(name: &str, args: &[&str]) -> String {
    let out = dedump().arg(sample(name)).args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The report's removal record of `line`.
fn removal_at(report: &serde_json::Value, line: u64) -> &serde_json::Value {
    report["removals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["line"] == line)
        .unwrap_or_else(|| panic!("line {line} not removed"))
}

#[test]
fn chinese_hot_topics_dump_loses_its_junk_and_keeps_its_article() {
    let (cleaned, report) = clean_and_restore("zh-hot-topics.txt");
    let removed = removed_lines(&report);
    let want: Vec<(u64, &str)> = vec![
        (1, "boilerplate_block"),
        (5, "duplicate_line"),
        (8, "duplicate_line"),
        (11, "duplicate_title"),
        (15, "noise"),
        (17, "noise"),
        (47, "boilerplate_phrase"),
        (49, "boilerplate_phrase"),
    ];
    for (line, reason) in want {
        assert!(
            removed.contains(&(line, reason.to_string())),
            "line {line} should go as {reason}: {removed:?}"
        );
    }
    // The whole slogan list above the title goes.
    for line in 1..=11 {
        assert!(
            removed.iter().any(|(l, _)| *l == line),
            "slogan line {line} kept"
        );
    }
    // Every line of the article, byline and credits stays, and the title once.
    let original = std::fs::read_to_string(sample("zh-hot-topics.txt")).unwrap();
    for (n, line) in original.lines().enumerate().skip(11) {
        let n = n as u64 + 1;
        let t = line.trim_matches(|c: char| c.is_whitespace());
        if t.is_empty() || t == "0" || t == "Visits: 0" || t == "评论被关闭。" {
            continue;
        }
        assert!(cleaned.contains(line), "line {n} {line:?} lost");
    }
    assert_eq!(cleaned.matches("山溪镇社区治理创新实践调查").count(), 1);
    assert!(
        cleaned.starts_with("    山溪镇社区治理创新实践调查\n"),
        "no leading blank line left"
    );
    assert_eq!(report["totals"]["by_reason"]["duplicate_title"]["lines"], 1);
    // Evidence is there: the repeat names its first copy; the block names its extent.
    let r5 = removal_at(&report, 5);
    assert_eq!(r5["evidence"]["of_line"], 2);
    assert_eq!(r5["evidence"]["block"]["first_line"], 1);
    assert_eq!(r5["evidence"]["block"]["last_line"], 11);
    let r47 = removal_at(&report, 47);
    assert_eq!(r47["evidence"]["phrase"], "Visits: 0");
}

#[test]
fn english_hot_topics_dump_is_cleaned_the_same_way() {
    let (cleaned, report) = clean_and_restore("en-hot-topics.txt");
    let removed = removed_lines(&report);
    for line in 1..=9 {
        assert!(
            removed.iter().any(|(l, _)| *l == line),
            "slogan line {line} kept"
        );
    }
    assert!(removed.contains(&(13, "noise".into())));
    assert!(removed.contains(&(15, "noise".into())));
    assert!(removed.contains(&(33, "boilerplate_phrase".into())));
    assert!(removed.contains(&(35, "boilerplate_phrase".into())));
    assert_eq!(
        cleaned
            .matches("Harbour Town Votes to Rebuild Its Old Ferry Pier")
            .count(),
        1
    );
    for kept in [
        "By the Harbour Gazette staff",
        "What the plan includes",
        "Reporting by Ana Costa",
    ] {
        assert!(cleaned.contains(kept), "{kept} lost");
    }
}

#[test]
fn texts_without_junk_come_out_unchanged() {
    for name in [
        "en-article-with-list.txt",
        "zh-interview.txt",
        "en-interview.txt",
        "en-data-table.txt",
    ] {
        let (cleaned, report) = clean_and_restore(name);
        let original = std::fs::read_to_string(sample(name)).unwrap();
        assert_eq!(cleaned, original, "{name} changed");
        assert_eq!(report["removals"].as_array().unwrap().len(), 0, "{name}");
    }
}

#[test]
fn menus_go_but_lone_subheadings_stay() {
    let (cleaned, report) = clean_and_restore("en-menu-page.txt");
    let removed = removed_lines(&report);
    for line in 2..=8 {
        assert!(
            removed.iter().any(|(l, _)| *l == line),
            "menu line {line} kept"
        );
    }
    assert!(removed.contains(&(3, "boilerplate".into())), "{removed:?}");
    let r = removal_at(&report, 3);
    assert!(r["evidence"]["score"].as_f64().unwrap() > 0.9);
    assert!(!r["evidence"]["carried_by"].as_object().unwrap().is_empty());
    for kept in [
        "\nHealth\n",
        "\nMoney\n",
        "By Ana Costa",
        "island clinic lost its weekly delivery",
    ] {
        assert!(cleaned.contains(kept), "{kept:?} lost:\n{cleaned}");
    }
    assert!(!cleaned.contains("Privacy policy"));
    // A header announcing a list takes the link titles under it.
    assert!(removed.contains(&(24, "boilerplate_phrase".into())));
    for line in 25..=27 {
        assert!(
            removed.contains(&(line, "announced_block".into())),
            "link {line} kept: {removed:?}"
        );
    }
    let r = removal_at(&report, 26);
    assert_eq!(r["evidence"]["header_line"], 24);
}

#[test]
fn teasers_cut_short_go_but_an_ellipsis_in_the_article_stays() {
    for name in ["en-teaser-list.txt", "zh-teaser-list.txt"] {
        let (cleaned, report) = clean_and_restore(name);
        let removed = removed_lines(&report);
        for line in 15..=19 {
            assert!(
                removed.contains(&(line, "boilerplate_block".into())),
                "{name}: teaser {line} kept: {removed:?}"
            );
        }
        let r = removal_at(&report, 17);
        assert_eq!(r["evidence"]["block"]["truncated_items"], 5, "{name}");
        // The article's own lines that trail off with an ellipsis stay.
        for line in [9, 11] {
            assert!(
                !removed.iter().any(|(l, _)| *l == line),
                "{name}: line {line} removed"
            );
        }
        assert!(cleaned.contains("By Mira Okafor") || cleaned.contains("记者 林晓"));
    }
}

#[test]
fn a_most_read_list_of_headlines_goes_under_its_header_and_the_article_stays() {
    for name in ["en-most-read.txt", "zh-most-read.txt"] {
        let (cleaned, report) = clean_and_restore(name);
        let removed = removed_lines(&report);
        // Headlines with a question, a teaser cut short and a plain title go under the header,
        // which goes as a phrase; the cookie notice between them goes too and leaves the list
        // open.
        assert!(
            removed.contains(&(15, "boilerplate_phrase".into())),
            "{name}"
        );
        for line in [16, 17, 19, 20] {
            assert!(
                removed.contains(&(line, "announced_block".into())),
                "{name}: entry {line} kept: {removed:?}"
            );
            assert_eq!(removal_at(&report, line)["evidence"]["header_line"], 15);
        }
        assert!(removed.iter().any(|(l, _)| *l == 18), "{name}");
        // Every paragraph of the article and the footer's sentence stay.
        for line in [7, 9, 11, 13, 22] {
            assert!(
                !removed.iter().any(|(l, _)| *l == line),
                "{name}: line {line} removed"
            );
        }
        assert!(cleaned.contains("By Tomas Lind") || cleaned.contains("记者 林晓"));
    }
}

#[test]
fn a_sidebar_inside_the_article_goes_but_its_table_and_section_break_stay() {
    // (file, sidebar lines, table lines, section break, header separators)
    let cases = [
        (
            "en-sidebar-in-article.txt",
            25..=58,
            62..=99,
            21,
            [4, 6, 8, 10],
        ),
        (
            "zh-sidebar-in-article.txt",
            23..=54,
            58..=90,
            19,
            [4, 6, 8, 8],
        ),
    ];
    for (name, sidebar, table, section_break, separators) in cases {
        let (_, report) = clean_and_restore(name);
        let removed = removed_lines(&report);
        let reason = |line: u64| {
            removed
                .iter()
                .find(|(l, _)| *l == line)
                .map(|(_, r)| r.as_str())
        };
        // Most of a sidebar of section names goes as boilerplate, though it lies inside the
        // article. (A sidebar of unknown names inside the article is not taken: inside the main
        // text a long run of short lines is as often the article's own list or index.)
        if name.starts_with("en") {
            let total = sidebar.clone().count();
            let gone = sidebar.clone().filter(|&l| reason(l).is_some()).count();
            assert!(
                gone * 3 >= total * 2,
                "{name}: {gone} of {total} sidebar lines went"
            );
        }
        // The table's cells repeat: a table, not a menu; every line stays.
        for line in table {
            assert_eq!(reason(line), None, "{name}: table line {line}");
        }
        assert_eq!(
            reason(section_break),
            None,
            "{name}: the section break stays"
        );
        for line in separators {
            assert_eq!(
                reason(line),
                Some("noise"),
                "{name}: header separator {line}"
            );
        }
    }
}

#[test]
fn a_feed_of_dates_under_the_article_goes_but_the_dateline_stays() {
    for name in ["en-dated-feed.txt", "zh-dated-feed.txt"] {
        let (cleaned, report) = clean_and_restore(name);
        let removed = removed_lines(&report);
        for line in [19, 21, 23] {
            assert!(
                removed.contains(&(line, "timestamp".into())),
                "{name}: stamp {line} kept: {removed:?}"
            );
            assert!(report["main_text"][1].as_u64().unwrap() < line);
        }
        // The dateline under the byline, and the feed's first date (three lines from the
        // article), stay; so do the headlines.
        for line in [6, 17] {
            assert!(
                !removed.iter().any(|(l, _)| *l == line),
                "{name}: line {line} removed"
            );
        }
        assert!(cleaned.contains("June 3, 2024") || cleaned.contains("2024年6月3日"));
        // Switched off, every date stays.
        let off = cleaned_with(name, &["--disable", "boilerplate"]);
        assert!(off.contains("2024-05-28 18:40"), "{name}: {off}");
    }
}

#[test]
fn an_edited_slogan_is_a_near_repeat() {
    let (cleaned, report) = clean_and_restore("en-near-repeat.txt");
    let removals = report["removals"].as_array().unwrap();
    let r = removals.iter().find(|r| r["line"] == 13).unwrap();
    assert_eq!(r["reason"], "near_duplicate_line");
    assert_eq!(r["evidence"]["of_line"], 1);
    let sim = r["evidence"]["similarity"].as_f64().unwrap();
    assert!((0.8..1.0).contains(&sim), "{sim}");
    assert!(cleaned.contains("Tags: council, budget, roads"));
    assert!(cleaned.contains("Most of the extra spending will go to resurfacing the coast road"));
}

#[test]
fn stdin_to_stdout_is_the_default_command() {
    let input = std::fs::read(sample("zh-hot-topics.txt")).unwrap();
    let piped = dedump().write_stdin(input.clone()).output().unwrap();
    let named = dedump()
        .arg("clean")
        .arg(sample("zh-hot-topics.txt"))
        .output()
        .unwrap();
    let dash = dedump().arg("-").write_stdin(input).output().unwrap();
    assert!(piped.status.success());
    assert_eq!(piped.stdout, named.stdout);
    assert_eq!(piped.stdout, dash.stdout);
    assert!(
        piped.stdout.len()
            < std::fs::metadata(sample("zh-hot-topics.txt"))
                .unwrap()
                .len() as usize
    );
    let msg = String::from_utf8_lossy(&piped.stderr);
    assert!(msg.contains("removed"), "a summary line on stderr: {msg}");
    let quiet = dedump()
        .arg("-q")
        .arg(sample("zh-hot-topics.txt"))
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty());
}

#[test]
fn crlf_bom_invalid_utf8_and_no_final_newline_survive_a_round_trip() {
    let dir = Scratch::new();
    let mut input = b"\xEF\xBB\xBFTitle of the page here\r\n\r\n0\r\n".to_vec();
    input.extend_from_slice(b"A line with a bad byte \xff in it, long enough to count.\r\n");
    input.extend_from_slice(b"A line with a bad byte \xff in it, long enough to count.\r\n");
    input.extend_from_slice(b"lone\rcarriage return\r\nno newline at the end");
    let path = dir.write("odd.txt", &input);
    let out = dir.path("out.txt");
    let rep = dir.path("rep.json");
    dedump()
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .assert()
        .success();
    let cleaned = std::fs::read(&out).unwrap();
    assert!(
        cleaned.starts_with(b"\xEF\xBB\xBFTitle of the page here\r\n"),
        "BOM and CRLF kept"
    );
    assert!(cleaned.ends_with(b"no newline at the end"));
    let report = read_report(&rep);
    assert_eq!(report["summary"]["bom"], true);
    let raw = report["removals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reason"] == "duplicate_line")
        .unwrap();
    assert!(
        raw["raw_base64"].is_string(),
        "invalid UTF-8 is stored exactly"
    );
    assert_eq!(raw["eol"], "\r\n");
    let restored = dedump()
        .arg("restore")
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .output()
        .unwrap();
    assert_eq!(restored.stdout, input);
}

#[test]
fn empty_input_gives_empty_output() {
    let dir = Scratch::new();
    let path = dir.write("empty.txt", b"");
    let rep = dir.path("rep.json");
    let out = dedump()
        .arg(&path)
        .arg("--report")
        .arg(&rep)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(read_report(&rep)["summary"]["lines_in"], 0);
}

#[test]
fn oversized_lines_are_kept_and_counted() {
    let dir = Scratch::new();
    let long = "x".repeat(5000);
    let path = dir.write(
        "long.txt",
        format!("{long}\n{long}\nshort line\n").as_bytes(),
    );
    let rep = dir.path("rep.json");
    let out = dedump()
        .arg(&path)
        .arg("--max-line-bytes")
        .arg("1000")
        .arg("--report")
        .arg(&rep)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        out.stdout,
        std::fs::read(&path).unwrap(),
        "never truncated, never removed"
    );
    let report = read_report(&rep);
    assert_eq!(report["summary"]["oversized_lines"], 2);
    assert_eq!(report["oversized"], serde_json::json!([1, 2]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 oversized lines"));
}

#[test]
fn a_huge_line_streams_through_untouched() {
    let dir = Scratch::new();
    let mut input = b"Title of the page here\n\n0\n\n".to_vec();
    input.extend(std::iter::repeat_n(b'z', 3 << 20));
    input.extend_from_slice(b"\nVisits: 0\nTitle of the page here\n");
    let path = dir.write("huge.txt", &input);
    let (out, rep) = (dir.path("o.txt"), dir.path("r.json"));
    dedump()
        .arg(&path)
        .args(["--max-line-bytes", "4096", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .assert()
        .success();
    let cleaned = std::fs::read(&out).unwrap();
    assert!(cleaned.windows(4).any(|w| w == b"zzzz"));
    assert_eq!(
        cleaned.iter().filter(|&&b| b == b'z').count(),
        3 << 20,
        "never truncated"
    );
    let report = read_report(&rep);
    assert_eq!(report["oversized"], serde_json::json!([5]));
    let removed = removed_lines(&report);
    assert!(removed.contains(&(6, "boilerplate_phrase".into())));
    assert!(removed.contains(&(7, "duplicate_line".into())));
    let restored = dedump()
        .arg("restore")
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .output()
        .unwrap();
    assert_eq!(restored.stdout, input);
}

#[test]
fn binary_input_is_refused_unless_forced() {
    let dir = Scratch::new();
    let data = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let path = dir.write("image.png", &data);
    let out = dedump().arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(
        msg.contains("image.png") && msg.contains("looks binary") && msg.contains("--binary"),
        "{msg}"
    );
    assert!(out.stdout.is_empty());
    let forced = dedump().arg("--binary").arg(&path).output().unwrap();
    assert!(forced.status.success());
    assert_eq!(forced.stdout, data);
}

#[test]
fn missing_input_names_the_file() {
    let out = dedump().arg("no/such/file.txt").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&out.stderr);
    assert!(msg.contains("no/such/file.txt"), "{msg}");
    let dir = Scratch::new();
    let out = dedump().arg(dir.root()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs -o DIR"));
    // Among several inputs of a crawl too: a mistake in the command, before anything is written.
    dir.write("in/page.txt", b"A page of its own.\n");
    let out = dedump()
        .arg("clean")
        .arg(dir.path("in"))
        .arg(dir.path("in/no-such.txt"))
        .arg("-o")
        .arg(dir.path("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such.txt: no such file"));
    assert!(!dir.path("out").exists());
}

#[test]
fn an_unwritable_output_is_named_once_with_its_cause() {
    let dir = Scratch::new();
    let page = dir.write("page.txt", b"Visits: 0\nsome text\n");
    let missing = dir.root().join("no-such-dir");
    for args in [
        vec![page.clone(), "-o".into(), missing.join("out.txt")],
        vec![
            page.clone(),
            "-o".into(),
            dir.root().join("out.txt"),
            "--report".into(),
            missing.join("report.json"),
        ],
    ] {
        let out = dedump().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let msg = String::from_utf8_lossy(&out.stderr);
        assert!(
            msg.contains("cannot write") && msg.contains("no-such-dir"),
            "{msg}"
        );
        // The cause once, and not the name of a temporary file the user never asked for.
        assert_eq!(msg.matches("(os error 2)").count(), 1, "{msg}");
        let outside_scratch = msg.replace(&dir.root().display().to_string(), "");
        assert!(!outside_scratch.contains(".tmp"), "{msg}");
    }
}

#[test]
fn refuses_to_write_over_its_input() {
    let dir = Scratch::new();
    let path = dir.write("page.txt", b"Visits: 0\nsome text\n");
    let out = dedump().arg(&path).arg("-o").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write over the input"));
    assert_eq!(std::fs::read(&path).unwrap(), b"Visits: 0\nsome text\n");
}

#[test]
fn bad_flags_stop_before_any_work() {
    let out = dedump()
        .arg("--near-threshold")
        .arg("1.5")
        .arg(sample("zh-hot-topics.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("threshold"));
    let out = dedump()
        .arg("--disable")
        .arg("everything")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn restore_refuses_a_cleaned_file_that_does_not_match() {
    let dir = Scratch::new();
    let rep = dir.path("rep.json");
    dedump()
        .arg(sample("zh-hot-topics.txt"))
        .arg("--report")
        .arg(&rep)
        .assert()
        .success();
    let wrong = dir.write("wrong.txt", b"something else entirely\n");
    let out = dedump()
        .arg("restore")
        .arg(&wrong)
        .arg("--report")
        .arg(&rep)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot restore"));
    let garbage = dir.write("garbage.json", b"{not json");
    let out = dedump()
        .arg("restore")
        .arg(&wrong)
        .arg("--report")
        .arg(&garbage)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("garbage.json"));
    // A report of an older schema (one JSON object, no header) is refused by its version.
    let old = dir.write(
        "old.json",
        br#"{"schema_version": 2, "summary": {}, "removals": []}"#,
    );
    let out = dedump()
        .arg("restore")
        .arg(&wrong)
        .arg("--report")
        .arg(&old)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("schema version 2 is older"), "{err}");
}

#[test]
fn restore_writes_to_a_file_too() {
    let dir = Scratch::new();
    let (out, rep, back) = (dir.path("c.txt"), dir.path("r.json"), dir.path("back.txt"));
    dedump()
        .arg(sample("en-hot-topics.txt"))
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .assert()
        .success();
    dedump()
        .arg("restore")
        .arg(&out)
        .arg("--report")
        .arg(&rep)
        .arg("-o")
        .arg(&back)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(back).unwrap(),
        std::fs::read(sample("en-hot-topics.txt")).unwrap()
    );
}

#[test]
fn extra_phrases_and_disabled_detectors() {
    let dir = Scratch::new();
    let rules = dir.write(
        "mine.txt",
        b"# house rules\nline: Subscribe to the Gazette\n",
    );
    let page = dir.write(
        "p.txt",
        b"Subscribe to the Gazette!\nThe pier opens in May.\nVisits: 0\n",
    );
    let out = dedump()
        .arg(&page)
        .arg("--phrases")
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "The pier opens in May.\n"
    );
    let out = dedump()
        .arg(&page)
        .arg("--disable")
        .arg("phrases")
        .output()
        .unwrap();
    assert_eq!(out.stdout, std::fs::read(&page).unwrap());
    let bad = dir.write("bad.txt", b"line: ok\nwhatever\n");
    let out = dedump()
        .arg(&page)
        .arg("--phrases")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.txt:2"));
}

#[test]
fn report_records_versions_and_config() {
    let dir = Scratch::new();
    let rep = dir.path("r.json");
    dedump()
        .arg(sample("en-hot-topics.txt"))
        .arg("--report")
        .arg(&rep)
        .arg("--disable")
        .arg("near")
        .assert()
        .success();
    let r = read_report(&rep);
    assert_eq!(r["schema_version"], 3);
    assert_eq!(r["normalization_version"], 1);
    assert_eq!(r["config"]["detectors"]["near"], false);
    assert_eq!(r["config"]["near_threshold"], 0.8);
    let summary = r["records"].as_array().unwrap().last().unwrap();
    assert_eq!(summary["kind"], "summary");
    let removed: u64 = summary["totals"]["by_reason"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["lines"].as_u64().unwrap())
        .sum();
    assert_eq!(removed, r["removals"].as_array().unwrap().len() as u64);
}

#[test]
fn help_describes_commands() {
    let out = dedump().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["clean", "restore", "--report", "--phrases", "Exit codes"] {
        assert!(text.contains(word), "--help lacks {word}");
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = Scratch::new();
    let mut big = String::new();
    for i in 0..200_000 {
        big.push_str(&format!(
            "distinct line number {i} of a large scraped page\n"
        ));
    }
    let path = dir.write("big.txt", big.as_bytes());
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' '{}' | head -n 2 >/dev/null",
            util::bin().display(),
            path.display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "exit {:?}", out.status.code());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Output of a stream on stdin starts before its input ends: past a page's worth (2,000 lines
/// by default, `--window` to change it), or at once with the boilerplate model off.
#[test]
fn output_starts_before_input_ends() {
    for (lines, args) in [
        (2_100, &["-q"][..]),
        (300, &["-q", "--window", "200"][..]),
        (200, &["-q", "--disable", "boilerplate"][..]),
    ] {
        let mut run = util::Streaming::spawn(args);
        let mut first = String::new();
        for i in 0..lines {
            first.push_str(&format!("line {i} of a page that is still arriving\n"));
        }
        run.stdin.write_all(first.as_bytes()).unwrap();
        run.stdin.flush().unwrap();
        let got = run.first_output();
        assert!(got.starts_with(b"line 0 of a page"), "{args:?}");
        assert!(run.finish().success());
    }
}

/// A news page: the menu above the article and the links below it go, as boilerplate or as
/// phrases; the heading, byline, subheading, the article's own short list and the caption all
/// stay.
#[test]
fn menus_around_a_news_page_go_and_its_short_lines_stay() {
    for (name, stays, goes) in [
        (
            "en-news-page.txt",
            &[
                "Ferry pier reopens after two-year rebuild\n",
                "By Mara Quint, harbour reporter",
                "What changed",
                "The new pier has:",
                "a covered waiting area",
                "a ramp suitable for wheelchairs and bicycles",
                "lighting along the whole length",
                "Photo: the first ferry leaves the rebuilt pier",
            ][..],
            &[
                "\nLocal\n",
                "Coast",
                "Obituaries",
                "Careers",
                "Terms of use",
            ][..],
        ),
        (
            "zh-news-page.txt",
            &[
                "滨江新区图书馆周末延长开放时间\n",
                "记者 林晓 通讯员 周航",
                "新增服务",
                "周末新增的活动包括：",
                "亲子绘本阅读会",
                "老年人智能手机课堂",
                "地方文献讲座",
                "图：读者在新开放的自习区学习",
            ][..],
            &["财经", "评论", "图片", "关于我们", "网站地图"][..],
        ),
    ] {
        let (cleaned, report) = clean_and_restore(name);
        for line in stays {
            assert!(cleaned.contains(line), "{name}: {line:?} removed");
        }
        // The model's scores move when it is trained again: most of the furniture goes.
        let gone = goes.iter().filter(|l| !cleaned.contains(*l)).count();
        assert!(
            gone * 5 >= goes.len() * 4,
            "{name}: {gone} of {goes:?} went:\n{cleaned}"
        );
        let removals = report["removals"].as_array().unwrap();
        let model: Vec<&serde_json::Value> = removals
            .iter()
            .filter(|r| r["reason"] == "boilerplate")
            .collect();
        assert!(model.len() >= 4, "{name}: {model:?}");
        for r in &model {
            // Each names its score and the features that carried it, and the menus lie outside
            // the main text.
            let e = &r["evidence"];
            let line = r["line"].as_u64().unwrap();
            assert!(e["score"].as_f64().unwrap() >= 0.5, "{r}");
            assert!(!e["carried_by"].as_object().unwrap().is_empty(), "{r}");
            // The main text is said once, on the document.
            let (first, last) = (
                report["main_text"][0].as_u64().unwrap(),
                report["main_text"][1].as_u64().unwrap(),
            );
            assert!(line < first || line > last, "{name}: {r}");
        }
        // Switched off, the lines the model took stay.
        let off = cleaned_with(name, &["--disable", "boilerplate"]);
        for r in &model {
            assert!(off.contains(r["text"].as_str().unwrap()), "{name}: {r}");
        }
    }
}

/// `--boilerplate` levels: conservative removes no more than balanced, aggressive no less.
#[test]
fn boilerplate_levels_are_ordered() {
    let dir = Scratch::new();
    let removed = |level: &str| {
        let rep = dir.path(&format!("{level}.json"));
        dedump()
            .arg(sample("en-news-page.txt"))
            .args(["--boilerplate", level, "-o"])
            .arg(dir.path(&format!("{level}.txt")))
            .arg("--report")
            .arg(&rep)
            .assert()
            .success();
        read_report(&rep)["summary"]["lines_removed"]
            .as_u64()
            .unwrap()
    };
    let (c, b, a) = (
        removed("conservative"),
        removed("balanced"),
        removed("aggressive"),
    );
    assert!(c <= b && b <= a, "{c} {b} {a}");
    assert!(c < a, "the levels differ on a news page: {c} {a}");
    dedump()
        .arg(sample("en-news-page.txt"))
        .args(["--boilerplate", "extreme"])
        .assert()
        .code(2);
}

/// `--report -` is stdout, never a file named `-`; it needs the cleaned text to go elsewhere.
#[test]
fn report_dash_is_stdout() {
    let dir = Scratch::new();
    let out = dedump()
        .current_dir(dir.path("."))
        .arg(sample("en-news-page.txt"))
        .args(["--report", "-", "-q", "-o", "clean.txt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = parse_report(&String::from_utf8(out.stdout).unwrap());
    assert!(report["summary"]["lines_removed"].as_u64().unwrap() > 0);
    assert!(!dir.path("-").exists());
    let out = dedump()
        .current_dir(dir.path("."))
        .arg(sample("en-news-page.txt"))
        .args(["--report", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add -o FILE"));
    assert!(out.stdout.is_empty());
    assert!(!dir.path("-").exists());
}

/// Output files get the permissions any newly created file gets here (0666 less the umask), not
/// the private 0600 of the temporary file they are written to before the rename.
#[cfg(unix)]
#[test]
fn outputs_get_the_permissions_of_a_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new();
    let input = dir.write(
        "in/site/page.txt",
        b"A line of text of its own.\nVisits: 0\n",
    );
    let reference = dir.write("reference.txt", b"x");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let want = mode(&reference);
    let single = dir.path("single.txt");
    dedump()
        .arg(&input)
        .arg("-o")
        .arg(&single)
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(mode(&single), want, "single document");
    let mirror = || {
        dedump()
            .arg("clean")
            .arg(dir.path("in"))
            .arg("-o")
            .arg(dir.path("out"))
            .arg("--quiet")
            .assert()
            .success();
    };
    mirror();
    assert_eq!(mode(&dir.path("out/site/page.txt")), want, "crawl mirror");
    // A second run into the same tree replaces its files, which keep their permissions (the
    // first run, into a tree that did not exist, had none to look up).
    let mirrored = dir.path("out/site/page.txt");
    std::fs::set_permissions(&mirrored, std::fs::Permissions::from_mode(0o600)).unwrap();
    mirror();
    assert_eq!(mode(&mirrored), 0o600, "crawl mirror run again");
    // A file cleaned in place keeps its own permissions, a private one included.
    std::fs::set_permissions(&input, std::fs::Permissions::from_mode(0o600)).unwrap();
    dedump()
        .arg("clean")
        .arg(&input)
        .arg("--in-place")
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(mode(&input), 0o600, "in place");
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "A line of text of its own.\n"
    );
}

/// Content shapes that stay wherever they stand: a label followed by any number of values (a
/// report's credits, `成 员：` over seven lines of names, `Authors:`), an ingredient list
/// (quantities with units, in English and German), a list of steps or findings; and around
/// them the page's furniture goes: a slogan list with its `热门话题：` header, a counter, a
/// site menu, a related list with its header, `Visits: 0`, `评论被关闭。`.
#[test]
fn labels_with_their_values_ingredients_and_steps_stay() {
    let (cleaned, report) = clean_and_restore("zh-report-credits.txt");
    let original = std::fs::read_to_string(sample("zh-report-credits.txt")).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    let removed = removed_lines(&report);
    // Everything from the authoring group to the writer stays, the credits included.
    for (n, line) in lines.iter().enumerate().take(51).skip(14) {
        assert!(
            line.trim().is_empty() || !removed.iter().any(|(l, _)| *l == n as u64 + 1),
            "line {} removed: {line}",
            n + 1
        );
    }
    for line in [
        "成 员：",
        "钱 程",
        "郑 好",
        "执 笔：李晓",
        "新区农业农村局 吴海燕",
    ] {
        assert!(cleaned.contains(line), "{line} lost");
    }
    // The slogan list and its header, the counter, the footer go; the title stays once.
    assert!(removed.contains(&(1, "list_header".into())), "{removed:?}");
    for n in 2..=9 {
        assert!(removed.iter().any(|(l, _)| *l == n), "slogan {n} kept");
    }
    for n in [13, 53, 55] {
        assert!(removed.iter().any(|(l, _)| *l == n), "line {n} kept");
    }
    assert_eq!(cleaned.matches("滨河新区乡村振兴调研报告之二").count(), 1);

    for name in ["en-recipe.txt", "de-rezept.txt"] {
        let (cleaned, _) = clean_and_restore(name);
        let original = std::fs::read_to_string(sample(name)).unwrap();
        let recipe: Vec<&str> = original
            .lines()
            .skip_while(|l| !l.ends_with(':'))
            .take_while(|l| !l.starts_with("The cake") && !l.starts_with("Der Kuchen"))
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(recipe.len() >= 14, "{name}: {recipe:?}");
        for line in recipe {
            assert!(cleaned.contains(line), "{name}: {line:?} lost:\n{cleaned}");
        }
    }
    let (cleaned, _) = clean_and_restore("en-recipe.txt");
    for gone in [
        "You might also like",
        "Rhubarb Crumble for a Crowd",
        "\nHome\n",
    ] {
        assert!(!cleaned.contains(gone), "{gone:?} kept");
    }
    // A findings list and eight authors under `Authors:`: nothing to take.
    let (cleaned, report) = clean_and_restore("en-report-authors.txt");
    assert_eq!(
        cleaned,
        std::fs::read_to_string(sample("en-report-authors.txt")).unwrap()
    );
    assert!(report["removals"].as_array().unwrap().is_empty());
}

/// When a teaser above the article quotes its lead, the copy in the article stays and the
/// teaser's goes.
#[test]
fn a_teaser_quoting_the_lead_goes_and_the_lead_stays() {
    let (cleaned, report) = clean_and_restore("en-teaser-quotes-lead.txt");
    let lead = "The ferry company will add a late sailing on Fridays from June";
    assert_eq!(cleaned.matches(lead).count(), 1);
    let r = removal_at(&report, 3);
    assert_eq!(r["reason"], "duplicate_line");
    assert_eq!(r["evidence"]["of_line"], 17);
    assert!(
        cleaned.contains(&format!("By Mara Quint\n\n{lead}")),
        "{cleaned}"
    );
}

/// The real scraped dump of `../shared/samples` comes out as its README asks, at the
/// conservative and balanced levels, alone and inside a crawl. Skipped where the folder is
/// absent (a fresh clone has only `sample_data/`).
#[test]
fn the_real_sample_comes_out_as_its_readme_asks() {
    let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples/000_5fb57f924af4f048.txt");
    let Ok(text) = std::fs::read_to_string(&real) else {
        eprintln!("skipped: {} not found", real.display());
        return;
    };
    let lines: Vec<&str> = text.lines().collect();
    let check = |out: &str, how: &str| {
        let kept: Vec<&str> = out.lines().collect();
        for n in (34..=90).step_by(2) {
            assert!(kept.contains(&lines[n - 1]), "{how}: line {n} lost");
        }
        for n in (1..=25).chain([30, 32, 92, 94]) {
            assert!(!kept.contains(&lines[n - 1]), "{how}: line {n} kept");
        }
        assert_eq!(
            out.matches(lines[27].trim()).count(),
            1,
            "{how}: the title once"
        );
    };
    for level in ["conservative", "balanced"] {
        let out = dedump()
            .args(["-q", "--boilerplate", level])
            .arg(&real)
            .output()
            .unwrap();
        check(&String::from_utf8(out.stdout).unwrap(), level);
    }
    let dir = Scratch::new();
    dir.write("crawl/site/sample.txt", text.as_bytes());
    for name in ["zh-news-page.txt", "zh-most-read.txt", "zh-interview.txt"] {
        let other = std::fs::read(sample(name)).unwrap();
        dir.write(&format!("crawl/site/{name}"), &other);
    }
    dedump()
        .arg(dir.path("crawl"))
        .arg("-o")
        .arg(dir.path("out"))
        .arg("-q")
        .assert()
        .success();
    let out = std::fs::read_to_string(dir.path("out/site/sample.txt")).unwrap();
    check(&out, "in a crawl");
}
