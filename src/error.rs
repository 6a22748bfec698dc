//! The library's one error type. Variants carry the path (and position where one exists) so a
//! message can name what went wrong and where; messages are lowercase and say what to do.

use std::io;
use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading an input failed.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The input (`-` for stdin).
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// Writing an output failed (not a closed pipe: that is a normal end, see [`Error::is_broken_pipe`]).
    #[error("cannot write {path}: {source}")]
    Write {
        /// The output (`-` for stdout).
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The input has NUL bytes near its start.
    #[error("{path} looks binary (NUL byte at offset {offset}); pass --binary to clean it anyway")]
    Binary {
        /// The input.
        path: PathBuf,
        /// Offset of the first NUL byte.
        offset: u64,
    },
    /// A phrase file has a line that is not a rule.
    #[error("{path}:{line}: {message}")]
    Phrases {
        /// The phrase file (`builtin` for the built-in list).
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong and how to write it.
        message: String,
    },
    /// A report could not be parsed.
    #[error("cannot use report {path}: {message}")]
    Report {
        /// The report file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The cleaned text and the report do not fit together.
    #[error("cannot restore: {message}; give the cleaned file that was written with this report")]
    Mismatch {
        /// Where they disagree.
        message: String,
    },
    /// A setting is out of range.
    #[error("invalid setting: {0}")]
    Config(String),
}

impl Error {
    /// True when the error is a write to a pipe whose reader has gone (`dedump big.txt | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}
