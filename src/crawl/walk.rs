//! Which files a crawl run reads: inputs as given (files, directories, `-`), directories walked
//! recursively in sorted order so every run sees the same files in the same order. Hidden
//! entries and symlinks are skipped unless asked for; an unreadable directory is a reported
//! problem, not the end of the run.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How a file's documents are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One document per file.
    #[default]
    Text,
    /// One JSON object per line, the document in a text field.
    Jsonl,
}

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// Plain.
    #[default]
    None,
    /// gzip (`.gz`).
    Gzip,
    /// zstd (`.zst`).
    Zstd,
}

/// One input of a crawl run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Where to read it (`-` for stdin).
    pub path: PathBuf,
    /// Its path below the input root it was found under: where its output goes in a mirror.
    pub rel: PathBuf,
    /// Layout.
    pub format: Format,
    /// Compression.
    pub compression: Compression,
    /// The first directory level below the root, if the file is deeper than the root.
    pub top_dir: Option<String>,
    /// Its size in bytes when the walk found it (0 for stdin): what progress counts against.
    pub size: u64,
}

/// Walk options.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Read hidden files and directories (names starting with `.`).
    pub hidden: bool,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Layout of every file, instead of guessing from the extension.
    pub format: Option<Format>,
}

/// A path that could not be walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// The path.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// Compression and format from a file name: `x.jsonl.zst` is zstd-compressed JSON Lines.
pub fn classify(name: &Path, forced: Option<Format>) -> (Format, Compression) {
    let s = name.to_string_lossy().to_ascii_lowercase();
    let (stem, compression) = if let Some(stem) = s.strip_suffix(".gz") {
        (stem.to_string(), Compression::Gzip)
    } else if let Some(stem) = s.strip_suffix(".zst") {
        (stem.to_string(), Compression::Zstd)
    } else {
        (s, Compression::None)
    };
    let guessed = if stem.ends_with(".jsonl") || stem.ends_with(".ndjson") {
        Format::Jsonl
    } else {
        Format::Text
    };
    (forced.unwrap_or(guessed), compression)
}

/// Every file the inputs name, in a deterministic order, and the paths that could not be read.
pub fn collect(inputs: &[PathBuf], opts: WalkOptions) -> (Vec<InputFile>, Vec<WalkProblem>) {
    collect_skipping(inputs, opts, &[])
}

/// [`collect`], not entering the directories `skip` (canonical paths: an output tree inside an
/// input tree is no input).
pub fn collect_skipping(
    inputs: &[PathBuf],
    opts: WalkOptions,
    skip: &[PathBuf],
) -> (Vec<InputFile>, Vec<WalkProblem>) {
    let walk = Walk { opts, skip };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            let (format, compression) = (opts.format.unwrap_or_default(), Compression::None);
            files.push(InputFile {
                path: input.clone(),
                rel: PathBuf::from("-"),
                format,
                compression,
                top_dir: None,
                size: 0,
            });
            continue;
        }
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                let found = walk.tree(input, input, &Ancestors::default().with(&m));
                files.extend(found.files);
                problems.extend(found.problems);
            }
            Ok(m) => {
                let rel = PathBuf::from(input.file_name().unwrap_or(input.as_os_str()));
                let (format, compression) = classify(&rel, opts.format);
                files.push(InputFile {
                    path: input.clone(),
                    rel,
                    format,
                    compression,
                    top_dir: None,
                    size: m.len(),
                });
            }
            Err(e) => problems.push(WalkProblem {
                path: input.clone(),
                message: e.to_string(),
            }),
        }
    }
    (files, problems)
}

/// What walking part of a tree found, in order.
#[derive(Default)]
struct Found {
    files: Vec<InputFile>,
    problems: Vec<WalkProblem>,
}

impl Found {
    fn problem(path: PathBuf, e: &std::io::Error) -> Found {
        Found {
            files: Vec::new(),
            problems: vec![WalkProblem {
                path,
                message: e.to_string(),
            }],
        }
    }

    fn append(mut self, mut other: Found) -> Found {
        self.files.append(&mut other.files);
        self.problems.append(&mut other.problems);
        self
    }
}

/// A walk's settings.
struct Walk<'a> {
    opts: WalkOptions,
    skip: &'a [PathBuf],
}

/// The directories above the one being walked (device and inode), to tell a symbolic link that
/// leads back up the tree (walked, it would never end).
#[derive(Clone, Default)]
struct Ancestors(Vec<(u64, u64)>);

impl Ancestors {
    fn id(meta: &std::fs::Metadata) -> (u64, u64) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            (0, 0)
        }
    }

    fn contains(&self, meta: &std::fs::Metadata) -> bool {
        cfg!(unix) && self.0.contains(&Self::id(meta))
    }

    fn with(&self, meta: &std::fs::Metadata) -> Ancestors {
        let mut next = self.clone();
        next.0.push(Self::id(meta));
        next
    }
}

impl Walk<'_> {
    /// Walks `dir`. The entries of a directory are looked at in parallel (on the current rayon
    /// pool) and gathered back in sorted order.
    fn tree(&self, root: &Path, dir: &Path, above: &Ancestors) -> Found {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return Found::problem(dir.to_path_buf(), &e),
        };
        let mut found = Found::default();
        let mut listed: Vec<(PathBuf, std::fs::DirEntry)> = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => listed.push((e.path(), e)),
                Err(e) => found = found.append(Found::problem(dir.to_path_buf(), &e)),
            }
        }
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        let parts: Vec<Found> = listed
            .into_par_iter()
            .map(|(path, entry)| self.entry(root, path, &entry, above))
            .collect();
        parts.into_iter().fold(found, Found::append)
    }

    fn entry(
        &self,
        root: &Path,
        path: PathBuf,
        entry: &std::fs::DirEntry,
        above: &Ancestors,
    ) -> Found {
        let opts = self.opts;
        if !opts.hidden && entry.file_name().as_encoded_bytes().starts_with(b".") {
            return Found::default();
        }
        // The entry's own metadata: looked up in its directory, not along the whole path.
        let meta = match entry.metadata() {
            Ok(m) if m.file_type().is_symlink() => {
                if !opts.follow_links {
                    return Found::default();
                }
                match std::fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => return Found::problem(path, &e),
                }
            }
            Ok(m) => m,
            Err(e) => return Found::problem(path, &e),
        };
        if meta.is_dir() {
            if above.contains(&meta) {
                return Found::problem(
                    path,
                    &std::io::Error::other("a symbolic link leads back to a directory above it"),
                );
            }
            if !self.skip.is_empty() && path.canonicalize().is_ok_and(|c| self.skip.contains(&c)) {
                return Found::default();
            }
            return self.tree(root, &path, &above.with(&meta));
        }
        if !meta.is_file() {
            return Found::default();
        }
        let rel = path
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.clone());
        let top_dir = if rel.components().count() > 1 {
            rel.components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
        } else {
            None
        };
        let (format, compression) = classify(&rel, opts.format);
        Found {
            files: vec![InputFile {
                path,
                rel,
                format,
                compression,
                top_dir,
                size: meta.len(),
            }],
            problems: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_format_and_compression() {
        assert_eq!(
            classify(Path::new("a.jsonl.zst"), None),
            (Format::Jsonl, Compression::Zstd)
        );
        assert_eq!(
            classify(Path::new("a.NDJSON.gz"), None),
            (Format::Jsonl, Compression::Gzip)
        );
        assert_eq!(
            classify(Path::new("page.txt"), None),
            (Format::Text, Compression::None)
        );
        assert_eq!(
            classify(Path::new("page.txt.gz"), Some(Format::Jsonl)),
            (Format::Jsonl, Compression::Gzip)
        );
    }

    #[test]
    fn walk_is_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for p in [
            "b/2.txt",
            "b/1.txt",
            "a.txt",
            ".hidden/x.txt",
            "b/.secret.txt",
            "c/d/e.jsonl",
        ] {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"x").unwrap();
        }
        let (files, problems) = collect(&[root.to_path_buf()], WalkOptions::default());
        assert!(problems.is_empty());
        let rels: Vec<_> = files
            .iter()
            .map(|f| f.rel.to_string_lossy().into_owned())
            .collect();
        assert_eq!(rels, ["a.txt", "b/1.txt", "b/2.txt", "c/d/e.jsonl"]);
        assert_eq!(files[1].top_dir.as_deref(), Some("b"));
        assert_eq!(files[0].top_dir, None);
        assert_eq!(files[3].format, Format::Jsonl);
        let (files, _) = collect(
            &[root.to_path_buf()],
            WalkOptions {
                hidden: true,
                ..WalkOptions::default()
            },
        );
        assert_eq!(files.len(), 6);
    }

    #[test]
    fn walk_order_and_problems_do_not_depend_on_the_thread_count() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in 0..12 {
            for f in 0..25 {
                let p = root.join(format!("site{d}/sub{}/page{f}.txt", f % 3));
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, "x".repeat(d * 100 + f)).unwrap();
            }
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("nowhere"), root.join("site3/broken")).unwrap();
            std::os::unix::fs::symlink(root.join("site0"), root.join("site9/link")).unwrap();
        }
        let walk = |threads: usize, follow_links: bool| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let opts = WalkOptions {
                follow_links,
                ..WalkOptions::default()
            };
            let (files, problems) = pool.install(|| collect(&[root.to_path_buf()], opts));
            let files: Vec<_> = files
                .into_iter()
                .map(|f| (f.rel, f.size, f.top_dir))
                .collect();
            (files, problems)
        };
        let (one, problems) = walk(1, false);
        assert_eq!(one.len(), 12 * 25, "symlinks are skipped");
        assert!(problems.is_empty());
        assert!(one.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        assert_eq!(
            one[0],
            ("site0/sub0/page0.txt".into(), 0, Some("site0".into()))
        );
        assert_eq!(walk(4, false), (one, problems));
        let (linked, problems) = walk(1, true);
        if cfg!(unix) {
            assert_eq!(linked.len(), 13 * 25, "the link to site0 is followed");
            assert_eq!(problems.len(), 1, "the broken link is a problem");
            assert!(problems[0].path.ends_with("site3/broken"));
        }
        assert_eq!(walk(3, true), (linked, problems));
    }

    #[test]
    fn missing_input_is_a_problem() {
        let (files, problems) = collect(&[PathBuf::from("/no/such/dir")], WalkOptions::default());
        assert!(files.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
