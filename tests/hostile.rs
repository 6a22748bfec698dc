//! The binary against a hostile or unlucky user: outputs that would land on inputs, links,
//! devices, loops, absurd flags, a signal mid-run, a closed stderr, leftovers of a killed run.
//! Each case checks that no input is touched and the exit code says what happened.

mod util;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::{Scratch, bin, dedump};

/// A small site: four pages sharing a header, each with a sentence of its own.
fn site(dir: &Scratch, root: &str) {
    for i in 0..4 {
        dir.write(
            &format!("{root}/site/p{i}.txt"),
            format!("Home\nNews\nPage {i} has a sentence of its own, long enough to keep.\n")
                .as_bytes(),
        );
    }
}

/// Every file below `dir`, by path, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// `dedump clean IN -o OUT` run by bash after `setup` (`2>&-`, limits): its output.
#[cfg(unix)]
fn clean_in_shell(setup: &str, dir: &Scratch, flags: &str, redirect: &str) -> std::process::Output {
    Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{setup} '{}' clean {flags} '{}' -o '{}' {redirect}",
            bin().display(),
            dir.path("in").display(),
            dir.path("out").display()
        ))
        .output()
        .unwrap()
}

fn temps(dir: &Path) -> Vec<String> {
    files(dir)
        .into_iter()
        .map(|f| f.0)
        .filter(|n| n.contains(".dedump-tmp-"))
        .collect()
}

#[test]
fn an_output_tree_inside_the_input_tree_is_not_read_as_input() {
    let dir = Scratch::new();
    site(&dir, "in");
    let before = files(&dir.path("in"));
    for _ in 0..2 {
        dedump()
            .args(["clean", "-q", "-o"])
            .arg(dir.path("in/out"))
            .arg(dir.path("in"))
            .assert()
            .success();
    }
    let after = files(&dir.path("in"));
    let inputs: Vec<_> = after.iter().filter(|f| !f.0.starts_with("out")).collect();
    assert_eq!(inputs.len(), before.len());
    for (a, b) in inputs.iter().zip(&before) {
        assert_eq!(**a, *b, "input {} changed", b.0);
    }
    assert!(
        !dir.path("in/out/out").exists(),
        "the output was cleaned into itself"
    );
    assert_eq!(files(&dir.path("in/out")).len(), 4);
}

#[test]
fn a_report_or_output_naming_an_input_is_refused() {
    let dir = Scratch::new();
    site(&dir, "in");
    let page = dir.path("in/site/p0.txt");
    let before = std::fs::read(&page).unwrap();
    let out = dedump()
        .args(["clean", "-q", "-o"])
        .arg(dir.path("out"))
        .arg("--report")
        .arg(&page)
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to write the report"));
    let out = dedump()
        .arg(&page)
        .arg("-o")
        .arg(dir.path("clean.txt"))
        .arg("--report")
        .arg(&page)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = dedump()
        .arg(&page)
        .arg("-o")
        .arg(dir.path("r.jsonl"))
        .arg("--report")
        .arg(dir.path("r.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the report over the output");
    assert_eq!(std::fs::read(&page).unwrap(), before);
}

#[cfg(unix)]
#[test]
fn a_link_is_written_through_and_a_fifo_written_to() {
    let dir = Scratch::new();
    site(&dir, "in");
    let page = dir.path("in/site/p0.txt");
    let link = dir.path("link.txt");
    std::os::unix::fs::symlink("target.txt", &link).unwrap();
    let report_link = dir.path("report-link.jsonl");
    std::os::unix::fs::symlink("report.jsonl", &report_link).unwrap();
    dedump()
        .arg(&page)
        .arg("-o")
        .arg(&link)
        .arg("--report")
        .arg(&report_link)
        .arg("-q")
        .assert()
        .success();
    for (l, target) in [(&link, "target.txt"), (&report_link, "report.jsonl")] {
        let meta = std::fs::symlink_metadata(l).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "{} was replaced",
            l.display()
        );
        assert!(std::fs::metadata(dir.path(target)).unwrap().len() > 0);
    }
    assert_eq!(
        std::fs::read(dir.path("target.txt")).unwrap(),
        std::fs::read(&page).unwrap()
    );
    // A FIFO stays a FIFO: what is written to it is read at its other end.
    let fifo = dir.path("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    dedump()
        .arg(&page)
        .arg("-o")
        .arg(&fifo)
        .arg("-q")
        .assert()
        .success();
    assert_eq!(reader.join().unwrap(), std::fs::read(&page).unwrap());
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[cfg(unix)]
#[test]
fn a_link_loop_is_reported_and_the_walk_ends() {
    let dir = Scratch::new();
    site(&dir, "in");
    std::os::unix::fs::symlink("..", dir.path("in/site/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.path("in/site/here")).unwrap();
    let out = dedump()
        .args(["clean", "--follow-symlinks", "-o"])
        .arg(dir.path("out"))
        .arg(dir.path("in"))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "skipped, and said so");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("leads back to a directory above it"),
        "{stderr}"
    );
    assert_eq!(files(&dir.path("out")).len(), 4);
}

#[test]
fn absurd_thread_counts_and_unknown_reasons_are_usage_errors() {
    let dir = Scratch::new();
    site(&dir, "in");
    for threads in ["0", "100000"] {
        let out = dedump()
            .args(["clean", "-q", "--threads", threads, "-o"])
            .arg(dir.path("out"))
            .arg(dir.path("in"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--threads {threads}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("between 1 and"));
    }
    let out = dedump()
        .args(["check", "--max-reason", "menu-block=0%"])
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a limit that could never fail");
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown reason"));
}

#[test]
fn documents_removed_whole_leave_no_file_in_place_or_from_an_earlier_run() {
    let dir = Scratch::new();
    let article = "The council approved the budget for the harbour after a long debate about \
                   the roads and the pier.\nFishermen said the new quay would let the larger \
                   boats land at any tide, which the old slipway never allowed.\n";
    dir.write("in/a.txt", article.as_bytes());
    dir.write(
        "in/b.txt",
        b"Another page with a sentence of its own, quite unlike the rest.\n",
    );
    // A first run without the copy, then the copy appears: its output from before is stale.
    dedump()
        .args(["clean", "-q", "-o"])
        .arg(dir.path("out"))
        .arg(dir.path("in"))
        .assert()
        .success();
    dir.write("in/c.txt", article.as_bytes());
    std::fs::write(dir.path("out/c.txt"), b"left by an earlier run\n").unwrap();
    dedump()
        .args(["clean", "-q", "-o"])
        .arg(dir.path("out"))
        .arg(dir.path("in"))
        .assert()
        .success();
    assert!(
        !dir.path("out/c.txt").exists(),
        "the duplicate's old output stays"
    );
    // In place: the copy goes, as the summary says, and comes back from the report.
    let out = dedump()
        .args(["clean", "--in-place", "--report"])
        .arg(dir.path("r.jsonl"))
        .arg(dir.path("in"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 duplicate documents removed"));
    assert!(!dir.path("in/c.txt").exists());
    dedump()
        .arg("restore")
        .arg(dir.path("in"))
        .arg("--report")
        .arg(dir.path("r.jsonl"))
        .arg("-o")
        .arg(dir.path("back"))
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path("back/c.txt")).unwrap(),
        article
    );
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next() {
    let dir = Scratch::new();
    site(&dir, "in");
    // Named as a process that is gone would have named it (above any Linux process id).
    let stale = dir.write("out/site/.dedump-tmp-4294967290-AbC123", b"half a file");
    dedump()
        .args(["clean", "-q", "-o"])
        .arg(dir.path("out"))
        .arg(dir.path("in"))
        .assert()
        .success();
    if cfg!(target_os = "linux") {
        assert!(!stale.exists());
    }
    assert_eq!(files(&dir.path("out")).len(), 4);
}

#[cfg(unix)]
#[test]
fn a_signal_mid_run_removes_the_temporary_files_and_exits_128_plus_its_number() {
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let dir = Scratch::new();
        let mut child = Command::new(bin())
            .arg("-o")
            .arg(dir.path("clean.txt"))
            .arg("--report")
            .arg(dir.path("r.jsonl"))
            .stdin(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The input stays open: the run is under way, its output and report in temporary files.
        let mut stdin = child.stdin.take().unwrap();
        std::io::Write::write_all(&mut stdin, b"Home\nA line of the page.\nHome\n").unwrap();
        let started = Instant::now();
        while temps(dir.root()).len() < 2 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no temporary files"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let killed = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        drop(stdin);
        assert_eq!(status.code(), Some(code), "SIG{signal}");
        assert_eq!(temps(dir.root()), Vec::<String>::new(), "SIG{signal}");
        assert!(!dir.path("clean.txt").exists() && !dir.path("r.jsonl").exists());
    }
}

#[cfg(unix)]
#[test]
fn a_closed_stderr_does_not_fail_a_run_that_did_its_work() {
    let dir = Scratch::new();
    site(&dir, "in");
    let out = clean_in_shell("", &dir, "", "2>&-");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(files(&dir.path("out")).len(), 4);
}

/// A write that fails (here a file-size limit, as a full disk would) stops the run with exit 2
/// and a message naming the file; no file is left truncated under its final name.
#[cfg(unix)]
#[test]
fn a_failed_write_stops_the_run_and_leaves_no_truncated_file() {
    let dir = Scratch::new();
    site(&dir, "in");
    let big: String = (0..400)
        .map(|i| format!("Line {i} of a long page, each one a sentence of its own text.\n"))
        .collect();
    dir.write("in/site/p9-big.txt", big.as_bytes());
    // Writes past 8 KiB fail (EFBIG) instead of killing the process (SIGXFSZ ignored).
    let out = clean_in_shell(
        "trap '' XFSZ; ulimit -f 8; exec",
        &dir,
        "-q --threads 1",
        "",
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write") && stderr.contains("p9-big.txt"),
        "{stderr}"
    );
    assert!(!dir.path("out/site/p9-big.txt").exists());
    assert_eq!(temps(&dir.path("out")), Vec::<String>::new());
    for (name, bytes) in files(&dir.path("out")) {
        let input = std::fs::read(dir.path("in").join(&name)).unwrap();
        assert!(!bytes.is_empty() && bytes.len() <= input.len(), "{name}");
    }
}

/// A compressed file that expands past `--max-doc-bytes` is reported and copied unchanged after
/// reading no more than that; memory stays far below what it would expand to.
#[cfg(unix)]
#[test]
fn a_decompression_bomb_is_copied_unchanged_without_being_read_whole() {
    use std::io::Write;
    let dir = Scratch::new();
    site(&dir, "in");
    // 256 MiB of zeros in a few hundred kilobytes, and of one text line repeated.
    let zeros = vec![0u8; 1 << 20];
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..256 {
        gz.write_all(&zeros).unwrap();
    }
    let gz = dir.write("in/site/zeros.txt.gz", &gz.finish().unwrap());
    let line = b"the same line again and again\n".repeat(1 << 15);
    let mut zst = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
    for _ in 0..256 {
        zst.write_all(&line).unwrap();
    }
    let zst = dir.write("in/site/lines.txt.zst", &zst.finish().unwrap());
    let mut cmd = Command::new(bin());
    cmd.args(["clean", "-q", "--max-doc-bytes", "8000000", "-o"])
        .arg(dir.path("out"))
        .arg(dir.path("in"));
    let (status, stderr, peak_kib) = util::run_measured(cmd);
    assert_eq!(status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.matches("--max-doc-bytes").count(), 2, "{stderr}");
    for input in [&gz, &zst] {
        let copied = dir.path("out/site").join(input.file_name().unwrap());
        assert_eq!(
            std::fs::read(copied).unwrap(),
            std::fs::read(input).unwrap()
        );
    }
    assert!(
        peak_kib < 150 * 1024,
        "peak {peak_kib} KiB for 8 MB documents"
    );
}

/// A profile with one byte changed, or cut short, is refused by `clean --profile` (exit 2),
/// never used.
#[test]
fn a_damaged_profile_is_refused() {
    let dir = Scratch::new();
    site(&dir, "in");
    let profile = dir.path("site.profile");
    dedump()
        .args(["learn", "-q", "-o"])
        .arg(&profile)
        .arg(dir.path("in"))
        .assert()
        .success();
    let good = std::fs::read(&profile).unwrap();
    let mut flipped = good.clone();
    let at = good.len() - 20;
    flipped[at] ^= 0x01;
    for (name, bytes) in [
        ("flipped", flipped),
        ("cut", good[..good.len() - 4].to_vec()),
    ] {
        let bad = dir.write(&format!("{name}.profile"), &bytes);
        let out = dedump()
            .arg("clean")
            .arg("--profile")
            .arg(&bad)
            .arg(dir.path("in/site/p0.txt"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot use profile"), "{name}: {stderr}");
    }
}
