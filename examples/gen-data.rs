//! Writes the generated data the benches use, to run the `dedump` binary on it as users do:
//!
//! ```sh
//! cargo run --release --example gen-data -- DIR [MB]
//! ```
//!
//! `DIR/crawl/` is the crawl of the crawl bench (about MB megabytes, default 100: 40 sites of
//! English or Chinese pages, one in twenty republished with a small edit, one JSON Lines file per
//! site); `DIR/stream.txt` is its documents one after another, and `DIR/stream.jsonl` the same
//! documents as JSON Lines records (`{"id", "url", "text"}`).

#[path = "../benches/common/mod.rs"]
mod common;

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: gen-data DIR [MB]");
        std::process::exit(2);
    };
    let mb: usize = match args.next().map(|a| a.to_string_lossy().parse()) {
        None => 100,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("gen-data: MB must be a whole number");
            std::process::exit(2);
        }
    };
    let crawl = dir.join("crawl");
    if crawl.exists() {
        std::fs::remove_dir_all(&crawl)?;
    }
    let bytes = common::generate_crawl(&crawl, mb << 20);
    let mut files = Vec::new();
    list(&crawl, &mut files)?;
    files.sort();
    let mut text = BufWriter::new(std::fs::File::create(dir.join("stream.txt"))?);
    let mut jsonl = BufWriter::new(std::fs::File::create(dir.join("stream.jsonl"))?);
    let mut n = 0u64;
    let mut record = |page: &str, url: &str| -> std::io::Result<()> {
        text.write_all(page.as_bytes())?;
        let line = serde_json::json!({"id": n, "url": url, "text": page});
        writeln!(jsonl, "{line}")?;
        n += 1;
        Ok(())
    };
    for f in &files {
        let site = f.parent().and_then(Path::file_name).unwrap_or_default();
        if f.extension().is_some_and(|e| e == "jsonl") {
            for line in std::io::BufReader::new(std::fs::File::open(f)?).lines() {
                let v: serde_json::Value = serde_json::from_str(&line?)?;
                record(
                    v["text"].as_str().unwrap_or_default(),
                    v["url"].as_str().unwrap_or_default(),
                )?;
            }
        } else {
            let page = std::fs::read_to_string(f)?;
            let page_name = f.file_stem().unwrap_or_default().to_string_lossy();
            let url = format!("https://{}.example/{page_name}", site.to_string_lossy());
            record(&page, &url)?;
        }
    }
    text.flush()?;
    jsonl.flush()?;
    eprintln!(
        "gen-data: {} ({:.1} MB of text in {} files), stream.txt, stream.jsonl ({n} documents)",
        crawl.display(),
        bytes as f64 / 1e6,
        files.len()
    );
    Ok(())
}

fn list(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            list(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}
