//! The README's examples are run, so they stay true: every `$ dedump …` line of its `console`
//! blocks runs in a scratch copy of `sample_data/`, with the built binary first on PATH, and must
//! exit as its trailing `# exit N` says (0 when it says nothing).

mod util;

use std::path::Path;
use std::process::Command;

use util::Scratch;

fn examples() -> Vec<(String, i32)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line.trim() == "```console";
            continue;
        }
        if let (true, Some(cmd)) = (in_console, line.strip_prefix("$ ")) {
            let (cmd, code) = match cmd.split_once("# exit ") {
                Some((c, n)) => (c.trim().to_string(), n.trim().parse().unwrap()),
                None => (cmd.trim().to_string(), 0),
            };
            out.push((cmd, code));
        }
    }
    out
}

#[test]
fn readme_examples_run() {
    let examples = examples();
    assert!(examples.len() >= 8, "the README lost its examples");
    let dir = Scratch::new();
    let data = dir.path("sample_data");
    std::fs::create_dir_all(&data).unwrap();
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, data.join(p.file_name().unwrap())).unwrap();
    }
    let bin_dir = util::bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (cmd, want) in examples {
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("set -o pipefail; {cmd}"))
            .current_dir(dir.root())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(want),
            "`{cmd}` exited {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
