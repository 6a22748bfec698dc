//! `dedump` as a CI gate and in a person's hands: `check` exit codes and formats, the annotated
//! view, `dedump.toml` and its precedence, completions, the man page, the pre-commit hook.

mod util;

use util::{Scratch, dedump, sample};

fn copy_samples(dir: &Scratch) -> std::path::PathBuf {
    let root = dir.path("data");
    std::fs::create_dir_all(&root).unwrap();
    for e in std::fs::read_dir(sample("")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, root.join(p.file_name().unwrap())).unwrap();
    }
    root
}

#[test]
fn check_passes_and_fails_on_its_limits() {
    let dir = Scratch::new();
    let data = copy_samples(&dir);
    let pass = dedump()
        .arg("check")
        .arg(&data)
        .args(["--max-removed", "50%"])
        .output()
        .unwrap();
    assert_eq!(
        pass.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&pass.stdout)
    );
    let text = String::from_utf8(pass.stdout).unwrap();
    assert!(text.contains("ok   max_removed"), "{text}");
    for part in ["reason", "boilerplate_block", "worst files", "teaser-list"] {
        assert!(text.contains(part), "summary lacks {part}: {text}");
    }
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    let fail = dedump()
        .arg("check")
        .arg(&data)
        .args(["--max-removed", "5%", "--max-reason", "noise=50%"])
        .output()
        .unwrap();
    assert_eq!(fail.status.code(), Some(1));
    let text = String::from_utf8(fail.stdout).unwrap();
    assert!(
        text.contains("FAIL max_removed") && text.contains("over the limit of 5.00% of bytes by"),
        "{text}"
    );
    assert!(text.contains("ok   max_reason.noise"), "{text}");
    let lines = dedump()
        .arg("check")
        .arg(&data)
        .args(["--max-removed", "99%lines", "--max-duplicate-docs", "0"])
        .output()
        .unwrap();
    assert_eq!(lines.status.code(), Some(0));
}

#[test]
fn check_usage_and_input_errors_exit_2() {
    let dir = Scratch::new();
    let data = copy_samples(&dir);
    let bad = dedump()
        .arg("check")
        .arg(&data)
        .args(["--max-removed", "lots"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid limit"));
    let missing = dedump().args(["check", "no/such/dir"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/dir"));
    let flag = dedump().args(["check", "--no-such-flag"]).output().unwrap();
    assert_eq!(flag.status.code(), Some(2));
    let report = dedump()
        .current_dir(dir.path("."))
        .arg("check")
        .arg(&data)
        .args(["--report", "-"])
        .output()
        .unwrap();
    assert_eq!(report.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&report.stderr).contains("name a file"));
    assert!(!dir.path("-").exists());
}

#[test]
fn check_json_is_the_report_summary_with_limits() {
    let dir = Scratch::new();
    let data = copy_samples(&dir);
    let out = dedump()
        .arg("check")
        .arg(&data)
        .args(["--format", "json", "--max-boilerplate", "1%"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["kind"], "summary");
    assert_eq!(j["passed"], false);
    assert_eq!(j["limits"][0]["name"], "max_boilerplate");
    assert_eq!(j["limits"][0]["failed"], true);
    assert!(
        j["totals"]["by_reason"]["boilerplate_block"]["lines"]
            .as_u64()
            .unwrap()
            > 0
    );
}

#[test]
fn check_github_annotates_the_worst_offenders() {
    let dir = Scratch::new();
    let data = copy_samples(&dir);
    let out = dedump()
        .arg("check")
        .arg(&data)
        .args(["--format", "github", "--max-removed", "1%"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let warnings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("::warning file="))
        .collect();
    assert!(warnings.iter().all(|w| w.contains("::dedump ")), "{text}");
    // The teaser-list samples (nearly half their bytes go) are among the worst offenders.
    assert!(
        warnings.iter().any(|w| w.contains("teaser-list.txt,line=")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error::dedump check: max_removed")),
        "{text}"
    );
}

#[test]
fn explain_marks_each_removed_line_with_its_evidence() {
    let out = dedump()
        .arg("explain")
        .arg(sample("zh-hot-topics.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("- L5     │   • 垃圾分类正在成为社区生活的新习惯。   ← duplicate_line of L2, block L1–L11"), "{text}");
    assert!(
        text.contains(
            "- L11    │   • 山溪镇社区治理创新实践调查   ← duplicate_title, kept L13 (same_text)"
        ),
        "{text}"
    );
    assert!(
        text.contains("  L13    │     山溪镇社区治理创新实践调查\n"),
        "{text}"
    );
    assert!(
        text.contains("← boilerplate_phrase \"Visits: 0\""),
        "{text}"
    );
    let annotated = dedump()
        .args(["clean", "--annotate"])
        .arg(sample("zh-hot-topics.txt"))
        .output()
        .unwrap();
    assert_eq!(annotated.stdout, text.as_bytes());
    let only = dedump()
        .args(["explain", "--removed-only"])
        .arg(sample("zh-hot-topics.txt"))
        .output()
        .unwrap();
    let only = String::from_utf8(only.stdout).unwrap();
    assert!(
        !only.contains("社会治理是推进") && only.contains("  …"),
        "{only}"
    );
}

#[test]
fn config_file_sets_defaults_and_flags_win() {
    let dir = Scratch::new();
    let page = dir.write(
        "p.txt",
        b"Visits: 0\nThe pier opens in May after two years of work.\n",
    );
    dir.write(
        "dedump.toml",
        b"disable = [\"phrases\"]\n[check]\nmax-removed = \"50%\"\n",
    );
    let from_file = dedump()
        .current_dir(dir.root())
        .arg("p.txt")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&from_file.stdout).contains("Visits: 0"),
        "the file switched phrases off"
    );
    let flag_wins = dedump()
        .current_dir(dir.root())
        .args(["p.txt", "--disable", "noise"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&flag_wins.stdout).contains("Visits: 0"),
        "the flag replaces the file's list"
    );
    let check = dedump()
        .current_dir(dir.root())
        .args(["check", "p.txt"])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "limit from the file: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let check = dedump()
        .current_dir(dir.root())
        .args(["check", "p.txt", "--max-removed", "0%"])
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "phrases are off, so nothing is removed"
    );
    let other = dir.write("strict.toml", b"[check]\nmax-removed = \"0%\"\n");
    let check = dedump()
        .arg("check")
        .arg(&page)
        .arg("--config")
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "--config names another file");
    let typo = dir.write("typo.toml", b"near-treshold = 0.9\n");
    let out = dedump()
        .arg(&page)
        .arg("--config")
        .arg(&typo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("near-treshold"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = dedump().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("dedump") && text.contains("check"), "{shell}");
    }
    let man = dedump().arg("man").output().unwrap();
    assert!(man.status.success());
    let text = String::from_utf8(man.stdout).unwrap();
    assert!(
        text.contains(".TH dedump") && text.contains("restore"),
        "{text}"
    );
}

#[test]
fn pre_commit_hook_runs_check() {
    let hooks = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    assert!(hooks.contains("id: dedump-check") && hooks.contains("entry: dedump check"));
}
