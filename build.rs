//! Compiles the language data under `data/<lang>/` into the binary: every `phrases.txt` and
//! `menu.txt` found there is listed in `$OUT_DIR/lexicon.rs`, so adding a language is adding
//! its files (see `data/README.md`).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=data");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut langs: Vec<_> = std::fs::read_dir(&root)
        .expect("data/ is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    langs.sort();
    let mut out = String::from("&[\n");
    for lang in &langs {
        println!("cargo:rerun-if-changed=data/{lang}");
        for (file, kind) in [("phrases.txt", "Phrases"), ("menu.txt", "Menu")] {
            let path = root.join(lang).join(file);
            if path.is_file() {
                writeln!(
                    out,
                    "    BuiltinFile {{ lang: {lang:?}, kind: FileKind::{kind}, name: \"{lang}/{file}\", text: include_str!({:?}) }},",
                    path.display().to_string()
                )
                .expect("writing to a string");
            }
        }
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lexicon.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
