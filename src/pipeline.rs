//! Wires the stages for one stream: reader → engine → writer, and the report around them.
//!
//! This is where I/O errors get their path: a failed read names the input, a failed write the
//! output, so the command line can say exactly what went wrong.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::detect::phrase::PhraseSet;
use crate::detect::site::CrossDoc;
use crate::engine::{Buffers, Engine, Outcome};
use crate::error::Error;
use crate::input::{BOM, CopyError, Framed, LineReader, Sniff, sniff};

/// Cleans one document from `reader` into `writer`. `input` and `output` name the two ends in
/// error messages (`-` for stdin/stdout).
pub fn clean_stream<R: Read, W: Write + ?Sized>(
    reader: R,
    input: &Path,
    writer: &mut W,
    output: &Path,
    cfg: &Config,
    phrases: &PhraseSet,
    cross: Option<(CrossDoc<'_>, &str)>,
) -> Result<Outcome, Error> {
    clean_stream_handing(reader, input, writer, output, cfg, phrases, cross, None)
}

/// [`clean_stream`], each removal handed to `removals` as it is decided instead of gathered in
/// the outcome (see [`Engine::handing_removals_to`]): memory stays flat on any length of input.
#[allow(clippy::too_many_arguments)]
pub fn clean_stream_handing<'a, R: Read, W: Write + ?Sized>(
    reader: R,
    input: &Path,
    writer: &mut W,
    output: &Path,
    cfg: &'a Config,
    phrases: &'a PhraseSet,
    cross: Option<(CrossDoc<'a>, &'a str)>,
    removals: Option<crate::engine::RemovalFn<'a>>,
) -> Result<Outcome, Error> {
    let read_err = |source| Error::Read {
        path: input.to_path_buf(),
        source,
    };
    let write_err = |source| Error::Write {
        path: output.to_path_buf(),
        source,
    };
    let mut lines = LineReader::new(reader).map_err(read_err)?;
    let sniff = lines.sniff();
    let mut engine = start(sniff, input, cfg, phrases, cross, Buffers::default())?;
    if let Some(f) = removals {
        engine = engine.handing_removals_to(f);
    }
    if sniff.bom {
        writer.write_all(BOM).map_err(write_err)?;
    }
    let mut buf = Vec::new();
    let limit = line_limit(cfg);
    loop {
        if lines.will_block() {
            writer.flush().map_err(write_err)?;
        }
        if let Some(n) = lines.buffered_line(limit).map_err(read_err)? {
            engine
                .push(&lines.buffer()[..n], writer)
                .map_err(write_err)?;
            lines.consume(n);
            continue;
        }
        match lines.next_line(&mut buf, limit).map_err(read_err)? {
            Framed::End => break,
            Framed::Line => engine.push(&buf, writer).map_err(write_err)?,
            Framed::Truncated => {
                engine.begin_passthrough(&buf, writer).map_err(write_err)?;
                let rest = lines.copy_rest_of_line(writer).map_err(|e| match e {
                    CopyError::Read(e) => read_err(e),
                    CopyError::Write(e) => write_err(e),
                })?;
                engine.end_passthrough(buf.len() as u64 + rest);
            }
        }
    }
    finish(engine, sniff, writer, output).map(|(outcome, _)| outcome)
}

/// What [`clean_slice`] is told about one document besides its text.
#[derive(Default)]
pub struct DocOptions<'a> {
    /// Cross-document evidence and the document's site (see [`Engine::with_cross`]).
    pub cross: Option<(CrossDoc<'a>, &'a str)>,
    /// Removals by place and reason only, without their text
    /// ([`Engine::without_removed_text`]).
    pub without_removed_text: bool,
}

/// [`clean_stream`] for a document already in memory (a crawl's file or record), written to
/// memory: the same framing, sniffing and outcome, but lines go to the engine straight from
/// `text`, without a read buffer to fill and copy into, and the engine starts from `buffers` (the
/// last document's, see [`Buffers`]) and leaves its own there.
pub fn clean_slice(
    text: &[u8],
    input: &Path,
    out: &mut Vec<u8>,
    cfg: &Config,
    phrases: &PhraseSet,
    doc: DocOptions<'_>,
    buffers: &mut Buffers,
) -> Result<Outcome, Error> {
    // Writing to a vector cannot fail: the engine's write results are ignored below.
    let sniff = sniff(text);
    let mut engine = start(
        sniff,
        input,
        cfg,
        phrases,
        doc.cross,
        std::mem::take(buffers),
    )?;
    if doc.without_removed_text {
        engine = engine.without_removed_text();
    }
    if sniff.bom {
        out.extend_from_slice(BOM);
    }
    let limit = line_limit(cfg);
    let body = if sniff.bom { &text[BOM.len()..] } else { text };
    // Checked as a whole once (most documents are text), not line by line in the engine.
    let as_text = crate::input::utf8(body);
    let mut at = 0;
    while at < body.len() {
        let rest = &body[at..];
        let window = &rest[..rest.len().min(limit)];
        let line_len = match memchr::memchr(b'\n', window) {
            Some(p) => p + 1,
            None if window.len() < limit => window.len(),
            None => {
                // Longer than the limit: its head is seen, the rest goes straight through.
                let _ = engine.begin_passthrough(window, out);
                let tail = &rest[limit..];
                let tail_len = memchr::memchr(b'\n', tail).map_or(tail.len(), |p| p + 1);
                out.extend_from_slice(&tail[..tail_len]);
                engine.end_passthrough((limit + tail_len) as u64);
                at += limit + tail_len;
                continue;
            }
        };
        // A line ends after a `\n` or at the end: on character boundaries of valid text.
        let _ = match as_text.and_then(|t| t.get(at..at + line_len)) {
            Some(line) => engine.push_str(line, out),
            None => engine.push(&rest[..line_len], out),
        };
        at += line_len;
    }
    let (outcome, used) = finish(engine, sniff, out, Path::new("-"))?;
    *buffers = used;
    Ok(outcome)
}

/// A line is framed whole up to one byte past the cap; longer lines stream straight through.
fn line_limit(cfg: &Config) -> usize {
    cfg.max_line_bytes.saturating_add(1)
}

/// Refuses binary input (unless allowed) and starts the engine, after the BOM when there is one
/// (the caller writes the BOM through).
fn start<'a>(
    sniff: Sniff,
    input: &Path,
    cfg: &'a Config,
    phrases: &'a PhraseSet,
    cross: Option<(CrossDoc<'a>, &'a str)>,
    buffers: Buffers,
) -> Result<Engine<'a>, Error> {
    if let (Some(offset), false) = (sniff.nul_at, cfg.allow_binary) {
        return Err(Error::Binary {
            path: input.to_path_buf(),
            offset,
        });
    }
    let start = if sniff.bom { BOM.len() as u64 } else { 0 };
    let mut engine = Engine::reusing(cfg, phrases, start, buffers);
    if let Some((cx, site)) = cross {
        engine = engine.with_cross(cx, site);
    }
    Ok(engine)
}

/// Decides the last lines and counts the BOM in the outcome; gives back the engine's buffers.
fn finish<W: Write + ?Sized>(
    engine: Engine<'_>,
    sniff: Sniff,
    writer: &mut W,
    output: &Path,
) -> Result<(Outcome, Buffers), Error> {
    let write_err = |source| Error::Write {
        path: output.to_path_buf(),
        source,
    };
    let (mut outcome, buffers) = engine.finish_reusing(writer).map_err(write_err)?;
    writer.flush().map_err(write_err)?;
    if sniff.bom {
        outcome.summary.bom = true;
        outcome.summary.bytes_in += BOM.len() as u64;
        outcome.summary.bytes_out += BOM.len() as u64;
    }
    Ok((outcome, buffers))
}

/// Writes to stdout when `path` is `-`, else to the file atomically ([`write_atomic`]).
pub fn write_to<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, Error>,
) -> Result<T, Error> {
    if path.as_os_str() != "-" {
        return write_atomic(path, write);
    }
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    let value = write(&mut w)?;
    w.flush().map_err(err)?;
    Ok(value)
}

/// The directory a file at `path` goes in (`.` for a bare file name): where its temporary file
/// is made, so the final rename stays on one file system.
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A new temporary file beside the file `path` will be (see [`parent_dir`]). A failure keeps
/// its kind and message without the temporary name `tempfile` appends (`… at path
/// "dir/.tmpX1y2"`): the user is told which file could not be written, not our scratch name.
/// `may_exist`: `path` may name a file already, whose permissions the new one then keeps;
/// false skips the look-up (a tree this run creates).
pub fn temp_file_for(path: &Path, may_exist: bool) -> std::io::Result<tempfile::NamedTempFile> {
    let stopped = STOPPED.read().unwrap_or_else(|p| p.into_inner());
    if *stopped {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "the run is being stopped",
        ));
    }
    let mut builder = tempfile::Builder::new();
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    builder.prefix(PREFIX.get_or_init(|| format!("{TEMP_PREFIX}{}-", std::process::id())));
    // Once renamed into place it is the output: it keeps the permissions of the file it
    // replaces (a private file cleaned in place stays private), and a new one gets what a newly
    // created file gets (0666 less the umask), not a temporary file's private 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let existing = may_exist.then(|| std::fs::metadata(path).ok()).flatten();
        let mode = existing.map_or(0o666, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    builder.tempfile_in(parent_dir(path)).map_err(|e| {
        let message = e.to_string();
        match message.rsplit_once(" at path ") {
            Some((cause, _)) => std::io::Error::new(e.kind(), cause.to_string()),
            None => e,
        }
    })
}

/// The prefix of every temporary file dedump makes beside an output, followed by the process id
/// and `-`: a run removes those its own process left when it is interrupted, and those of a
/// process that is gone (killed) from its output tree when it starts ([`remove_temps`]).
pub const TEMP_PREFIX: &str = ".dedump-tmp-";

/// Set once the run is being stopped (a signal): no temporary file is made after it. Made under
/// the read lock, so that once [`stop_temps`] returns, every temporary file there will be exists.
static STOPPED: std::sync::RwLock<bool> = std::sync::RwLock::new(false);

/// Makes [`temp_file_for`] refuse from now on; returns once no temporary file is being made, so
/// a [`remove_temps`] after it finds them all.
pub fn stop_temps() {
    let mut stopped = STOPPED.write().unwrap_or_else(|p| p.into_inner());
    *stopped = true;
}

/// Which temporary files [`remove_temps`] removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temps {
    /// This process's.
    Own,
    /// Those of processes no longer running (left by a run that was killed).
    Stale,
}

/// Removes dedump's temporary files below `dir` (recursively, links not followed); how many.
pub fn remove_temps(dir: &Path, which: Temps) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let own = std::process::id();
    let mut removed = 0;
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            removed += remove_temps(&entry.path(), which);
            continue;
        }
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let remove = match which {
            Temps::Own => pid == own,
            Temps::Stale => pid != own && !process_alive(pid),
        };
        if remove && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` is running (where that cannot be told, it is taken to be).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Where a write to a named output really goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A regular file (new or existing), written through a temporary file renamed into place.
    /// For a symbolic link, the file it points to: the link stays a link.
    File(PathBuf),
    /// Something that is not a regular file — a device, a FIFO — written to directly, as a
    /// stream: renaming a file over it would replace it.
    Stream(PathBuf),
}

impl Destination {
    /// Where writing to `path` goes.
    pub fn of(path: &Path) -> Destination {
        let mut path = path.to_path_buf();
        // A chain of links, followed to its end (a loop stops after a few hops; the last link
        // is then replaced, as a file path that cannot be resolved is).
        for _ in 0..40 {
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&path) {
                    Ok(target) => path = parent_dir(&path).join(target),
                    Err(_) => break,
                },
                Ok(m) if !m.is_file() && !m.is_dir() => return Destination::Stream(path),
                _ => break,
            }
        }
        Destination::File(path)
    }
}

/// Runs `write` against a temporary file beside `path`, then renames it into place, so a reader
/// never sees half a file and a failed run leaves any old file untouched: the data is flushed and
/// synced to disk before the rename. `write` returns the caller's result; the file is kept only
/// when it succeeds. A symbolic link is written through to its target, a device or a FIFO
/// written to directly ([`Destination`]).
pub fn write_atomic<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, Error>,
) -> Result<T, Error> {
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = match Destination::of(path) {
        Destination::File(target) => target,
        Destination::Stream(device) => {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&device)
                .map_err(err)?;
            let mut w = std::io::BufWriter::with_capacity(256 * 1024, f);
            let value = write(&mut w)?;
            w.flush().map_err(err)?;
            return Ok(value);
        }
    };
    let mut tmp = temp_file_for(&target, true).map_err(err)?;
    let value = {
        let mut w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
        let value = write(&mut w)?;
        w.flush().map_err(err)?;
        value
    };
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(&target).map_err(|e| err(e.error))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_of_this_and_of_gone_processes_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("site");
        std::fs::create_dir(&sub).unwrap();
        let own = temp_file_for(&sub.join("page.txt"), false).unwrap();
        // A process id no system hands out (above the Linux maximum of 2^22).
        let gone = sub.join(format!("{TEMP_PREFIX}4294967290-abc"));
        std::fs::write(&gone, b"half a file").unwrap();
        let other = sub.join(".dedump-notes");
        std::fs::write(&other, b"kept").unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(remove_temps(dir.path(), Temps::Stale), 1);
            assert!(!gone.exists());
        }
        assert!(own.path().exists(), "a running process's file stays");
        assert_eq!(remove_temps(dir.path(), Temps::Own), 1);
        assert!(!own.path().exists());
        assert!(other.exists());
    }

    #[test]
    fn bom_is_kept_and_counted() {
        let cfg = Config::default();
        let phrases = PhraseSet::empty();
        let input = b"\xEF\xBB\xBFline one of text\nline one of text\n";
        let mut out = Vec::new();
        let o = clean_stream(
            &input[..],
            Path::new("-"),
            &mut out,
            Path::new("-"),
            &cfg,
            &phrases,
            None,
        )
        .unwrap();
        assert_eq!(out, b"\xEF\xBB\xBFline one of text\n");
        assert!(o.summary.bom);
        assert_eq!(o.summary.bytes_in, input.len() as u64);
        assert_eq!(o.removals[0].offset, 3 + 17);
    }

    #[test]
    fn a_slice_frames_lines_at_the_cap_as_a_stream_does() {
        let cfg = Config {
            max_line_bytes: 8,
            ..Config::default()
        };
        let phrases = PhraseSet::empty();
        // Around the cap (lines over 8 bytes, ending included, are oversized; up to 9 are framed
        // whole), with and without a final line ending.
        for len in [7, 8, 9, 10, 20] {
            for end in ["", "\n", "\r\n"] {
                let body = "x".repeat(len);
                let input = format!("short\n{body}{end}");
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let (p, d) = (Path::new("in"), Path::new("-"));
                let from_stream =
                    clean_stream(input.as_bytes(), p, &mut a, d, &cfg, &phrases, None).unwrap();
                let mut buffers = Buffers::default();
                let from_slice = clean_slice(
                    input.as_bytes(),
                    p,
                    &mut b,
                    &cfg,
                    &phrases,
                    DocOptions::default(),
                    &mut buffers,
                )
                .unwrap();
                assert_eq!(a, b, "{len} {end:?}");
                assert_eq!(from_stream, from_slice, "{len} {end:?}");
                assert_eq!(a, input.as_bytes());
                assert_eq!(
                    from_slice.oversized.len(),
                    usize::from(len + end.len() > cfg.max_line_bytes),
                    "{len} {end:?}"
                );
            }
        }
    }

    #[test]
    fn binary_is_refused_unless_allowed() {
        let phrases = PhraseSet::empty();
        let input = b"PK\x03\x04\0\0binary";
        let e = clean_stream(
            &input[..],
            Path::new("x.zip"),
            &mut Vec::new(),
            Path::new("-"),
            &Config::default(),
            &phrases,
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("x.zip looks binary"), "{e}");
        let cfg = Config {
            allow_binary: true,
            ..Config::default()
        };
        let mut out = Vec::new();
        clean_stream(
            &input[..],
            Path::new("x.zip"),
            &mut out,
            Path::new("-"),
            &cfg,
            &phrases,
            None,
        )
        .unwrap();
        assert_eq!(out, input);
    }
}
