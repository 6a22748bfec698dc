//! Helpers shared by the integration tests: the binary, sample paths, scratch directories and
//! report parsing.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Path of the built `dedump` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dedump"))
}

/// A command for the binary, with colour and progress off.
pub fn dedump() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(bin());
    c.env("NO_COLOR", "1");
    c
}

/// Path of a file in `sample_data/`.
pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
}

/// Parses the report of one document (JSON Lines: header, document, summary) into one object:
/// the header's fields (`schema_version`, `config` …), the document's (`source`, `summary`,
/// `removals` as [`report_records`] spreads them …), the summary's `totals`, and every record
/// under `records`.
pub fn read_report(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_report(&text)
}

/// [`read_report`] on report text already in hand (for example `--report -` on stdout).
pub fn parse_report(text: &str) -> serde_json::Value {
    let records = report_records(text);
    assert_eq!(
        records[0]["kind"], "header",
        "a report starts with its header"
    );
    let mut merged = records[0].clone();
    let docs: Vec<&serde_json::Value> =
        records.iter().filter(|r| r["kind"] == "document").collect();
    if let [doc] = docs[..] {
        for (k, v) in doc.as_object().unwrap() {
            merged[k] = v.clone();
        }
    }
    if let Some(summary) = records.iter().find(|r| r["kind"] == "summary") {
        merged["totals"] = summary["totals"].clone();
    }
    merged["records"] = serde_json::Value::Array(records);
    merged
}

/// Every record of a report, each document's runs of removed lines spread out to one entry per
/// line (`line`, `reason`, `evidence`, `text` without its ending, `eol`, `raw_base64`), texts
/// given by `text_id` filled in.
pub fn report_records(text: &str) -> Vec<serde_json::Value> {
    let mut texts: Vec<serde_json::Value> = Vec::new();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut r: serde_json::Value = serde_json::from_str(l).unwrap();
            if r["kind"] == "document" && r.get("removals").is_none() {
                r["removals"] = serde_json::json!([]);
            }
            if let Some(runs) = r["removals"].as_array() {
                let mut lines = Vec::new();
                for run in runs {
                    let mut run = run.clone();
                    if let Some(id) = run["text_id"].as_u64() {
                        match run.get("text") {
                            Some(t) => {
                                assert_eq!(id as usize, texts.len(), "text ids in order");
                                texts.push(t.clone());
                            }
                            None => run["text"] = texts[id as usize].clone(),
                        }
                    }
                    lines.extend(spread(&run));
                }
                r["removals"] = serde_json::Value::Array(lines);
            }
            r
        })
        .collect()
}

/// One run of removed lines as one entry per line.
fn spread(run: &serde_json::Value) -> Vec<serde_json::Value> {
    let first = run["line"].as_u64().unwrap();
    let count = run["lines"].as_u64().unwrap_or(1);
    let text = run["text"].as_str().unwrap();
    let parts: Vec<&str> = text.split_inclusive('\n').collect();
    assert_eq!(
        parts.len() as u64,
        count,
        "a run's text holds its lines: {run}"
    );
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let (body, eol) = if let Some(b) = part.strip_suffix("\r\n") {
                (b, "\r\n")
            } else if let Some(b) = part.strip_suffix('\n') {
                (b, "\n")
            } else {
                (*part, "")
            };
            let mut one = serde_json::json!({
                "line": first + i as u64,
                "reason": run["reason"],
                "text": body,
                "eol": eol,
            });
            if let Some(e) = run.get("evidence") {
                one["evidence"] = e.clone();
            }
            if let Some(b) = run.get("raw_base64") {
                one["raw_base64"] = b.clone();
            }
            one
        })
        .collect()
}

/// (line, reason) of every removal in a report.
pub fn removed_lines(report: &serde_json::Value) -> Vec<(u64, String)> {
    report["removals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A temporary directory that goes away with the test.
pub struct Scratch(tempfile::TempDir);

impl Scratch {
    pub fn new() -> Self {
        Scratch(tempfile::tempdir().unwrap())
    }

    pub fn root(&self) -> &Path {
        self.0.path()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

/// The binary run with stdin and stdout piped: its first output is read on a thread of its own,
/// the rest drained, so neither pipe fills up while the test writes stdin.
pub struct Streaming {
    child: Child,
    /// The binary's standard input, open until [`Streaming::finish`].
    pub stdin: ChildStdin,
    first: mpsc::Receiver<Vec<u8>>,
}

impl Streaming {
    /// Starts the binary with these arguments.
    pub fn spawn<S: AsRef<OsStr>>(args: &[S]) -> Self {
        let mut child = Command::new(bin())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let (tx, first) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            let n = stdout.read(&mut buf).unwrap_or(0);
            let _ = tx.send(buf[..n].to_vec());
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        });
        Streaming {
            child,
            stdin,
            first,
        }
    }

    /// The first bytes the binary wrote. Waits at most a minute: a guard against a hang, not a
    /// timing assertion (streamed output arrives at once).
    pub fn first_output(&self) -> Vec<u8> {
        self.first
            .recv_timeout(Duration::from_secs(60))
            .expect("no output while stdin was still open")
    }

    /// Closes stdin and waits for the binary to end.
    pub fn finish(mut self) -> ExitStatus {
        drop(self.stdin);
        self.child.wait().unwrap()
    }
}

/// Runs `cmd` (its stdout and stderr to files, read back) and gives its exit status, stderr and
/// peak resident memory in KiB, from the kernel's account of that one child (`wait4`).
#[cfg(unix)]
pub fn run_measured(mut cmd: Command) -> (ExitStatus, String, u64) {
    use std::os::unix::process::ExitStatusExt;
    let err = tempfile::NamedTempFile::new().unwrap();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 writes into both out-parameters.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; the pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    // The child is reaped: `Child` must not wait for it again.
    std::mem::forget(child);
    let stderr = std::fs::read_to_string(err.path()).unwrap_or_default();
    (
        ExitStatus::from_raw(status),
        stderr,
        usage.ru_maxrss.max(0) as u64,
    )
}

/// What a file holds, by its name: a `.gz` or `.zst` file's content decompressed (a compressor's
/// bytes may differ from run to run; what they hold must not), any other file, and a compressed
/// one that does not decompress (copied as it was), as they are.
pub fn content(name: &Path, bytes: &[u8]) -> Vec<u8> {
    let name = name.to_string_lossy();
    let mut out = Vec::new();
    let decoded = if name.ends_with(".gz") {
        flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out)
    } else if name.ends_with(".zst") {
        zstd::stream::read::Decoder::new(bytes).and_then(|mut d| d.read_to_end(&mut out))
    } else {
        return bytes.to_vec();
    };
    if decoded.is_ok() { out } else { bytes.to_vec() }
}
