//! Where bytes come from: one reader, split into lines that keep their own endings.
//!
//! Before the first line is framed, the first [`SNIFF_BYTES`] are looked at once: a UTF-8
//! byte-order mark is split off (the engine never sees it, the writer always keeps it), and a
//! NUL byte marks the input as binary, which is refused unless the caller allows it. Lines are
//! split on `\n` only; a `\r` before it belongs to the ending, a lone `\r` to the text.

use std::io::{self, BufRead, BufReader, Cursor, Read, Write};

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";
/// How many leading bytes are examined for a BOM and for NUL bytes.
pub const SNIFF_BYTES: usize = 8192;
/// Read buffer size.
pub const READ_BUFFER: usize = 256 * 1024;

/// `bytes` as text when they are valid UTF-8. Whole documents are checked this way once each
/// pass, so it is the SIMD check of `simdutf8` (several times the standard library's on
/// non-ASCII text such as Chinese); it only says yes or no, which is all these callers need.
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    simdutf8::basic::from_utf8(bytes).ok()
}

/// What the first bytes of an input showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniff {
    /// The input starts with a UTF-8 BOM.
    pub bom: bool,
    /// Offset of the first NUL byte among the first [`SNIFF_BYTES`], if any.
    pub nul_at: Option<u64>,
}

/// Looks at the first [`SNIFF_BYTES`] of an input (it may be shorter).
pub fn sniff(bytes: &[u8]) -> Sniff {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    Sniff {
        bom: head.starts_with(BOM),
        nul_at: memchr::memchr(0, head).map(|p| p as u64),
    }
}

/// A line reader over any byte source.
pub struct LineReader<R: Read> {
    inner: BufReader<io::Chain<Cursor<Vec<u8>>, R>>,
    sniff: Sniff,
}

impl<R: Read> LineReader<R> {
    /// Reads the first bytes of `source` to sniff them, then frames lines from the whole input.
    pub fn new(mut source: R) -> io::Result<Self> {
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut source)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)?;
        let sniff = sniff(&head);
        let skip = if sniff.bom { BOM.len() } else { 0 };
        let mut cursor = Cursor::new(head);
        cursor.set_position(skip as u64);
        Ok(LineReader {
            inner: BufReader::with_capacity(READ_BUFFER, cursor.chain(source)),
            sniff,
        })
    }

    /// What the first bytes showed.
    pub fn sniff(&self) -> Sniff {
        self.sniff
    }

    /// True when the next read has to wait on the source: the moment to flush output, so a
    /// slow pipe sees each cleaned chunk as soon as its input has been read.
    pub fn will_block(&self) -> bool {
        self.inner.buffer().is_empty()
    }

    /// Length of the next line (ending included) when it lies whole in the read buffer and is at
    /// most `limit` bytes: then [`LineReader::buffer`] holds it and [`LineReader::consume`] moves
    /// past it, with no copy. `None` means: use [`LineReader::next_line`].
    pub fn buffered_line(&mut self, limit: usize) -> io::Result<Option<usize>> {
        let avail = self.inner.fill_buf()?;
        let window = &avail[..avail.len().min(limit)];
        Ok(memchr::memchr(b'\n', window).map(|p| p + 1))
    }

    /// The read buffer (see [`LineReader::buffered_line`]).
    pub fn buffer(&self) -> &[u8] {
        self.inner.buffer()
    }

    /// Moves past `n` bytes of the read buffer.
    pub fn consume(&mut self, n: usize) {
        self.inner.consume(n);
    }

    /// Reads the next line, ending included, into `buf` (cleared first), but never more than
    /// `limit` bytes of it: a longer line comes back [`Framed::Truncated`] with its first `limit`
    /// bytes, and the caller streams the rest with [`LineReader::copy_rest_of_line`]. So memory
    /// is bounded by the limit, not by the longest line.
    pub fn next_line(&mut self, buf: &mut Vec<u8>, limit: usize) -> io::Result<Framed> {
        buf.clear();
        let n = (&mut self.inner)
            .take(limit as u64)
            .read_until(b'\n', buf)?;
        Ok(if n == 0 {
            Framed::End
        } else if buf.ends_with(b"\n") || n < limit {
            Framed::Line
        } else {
            Framed::Truncated
        })
    }

    /// Copies the rest of a truncated line, its `\n` included, to `out`; returns the bytes copied.
    pub fn copy_rest_of_line<W: Write + ?Sized>(&mut self, out: &mut W) -> Result<u64, CopyError> {
        let mut copied = 0u64;
        loop {
            let chunk = self.inner.fill_buf().map_err(CopyError::Read)?;
            if chunk.is_empty() {
                return Ok(copied);
            }
            let (n, done) = match memchr::memchr(b'\n', chunk) {
                Some(p) => (p + 1, true),
                None => (chunk.len(), false),
            };
            out.write_all(&chunk[..n]).map_err(CopyError::Write)?;
            self.inner.consume(n);
            copied += n as u64;
            if done {
                return Ok(copied);
            }
        }
    }
}

/// What [`LineReader::next_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framed {
    /// No more input.
    End,
    /// A whole line.
    Line,
    /// The first `limit` bytes of a longer line.
    Truncated,
}

/// A failure while streaming a long line through: which side failed.
#[derive(Debug)]
pub enum CopyError {
    /// Reading the input.
    Read(io::Error),
    /// Writing the output.
    Write(io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_says_what_the_standard_check_says() {
        let long = "山溪镇绿道项目，第三次协调会。".repeat(40);
        let cases: [&[u8]; 6] = [
            b"",
            "plain ASCII line\n".as_bytes(),
            long.as_bytes(),
            b"Caf\xe9 au lait",
            b"\xe5\xb1\xb1\xe6",
            b"\xed\xa0\x80 a surrogate",
        ];
        for bytes in cases {
            assert_eq!(utf8(bytes), std::str::from_utf8(bytes).ok());
        }
    }

    fn lines(bytes: &[u8]) -> (Sniff, Vec<Vec<u8>>) {
        let mut r = LineReader::new(bytes).unwrap();
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while r.next_line(&mut buf, usize::MAX).unwrap() != Framed::End {
            out.push(buf.clone());
        }
        (r.sniff(), out)
    }

    #[test]
    fn empty_input_has_no_lines() {
        let (s, l) = lines(b"");
        assert!(l.is_empty());
        assert!(!s.bom);
    }

    #[test]
    fn endings_stay_with_their_lines() {
        let (_, l) = lines(b"a\r\nb\nc\rd\ne");
        assert_eq!(
            l,
            vec![
                b"a\r\n".to_vec(),
                b"b\n".to_vec(),
                b"c\rd\n".to_vec(),
                b"e".to_vec()
            ]
        );
    }

    #[test]
    fn bom_is_split_off_and_nul_is_found() {
        let (s, l) = lines(b"\xEF\xBB\xBFhi\n");
        assert!(s.bom);
        assert_eq!(l, vec![b"hi\n".to_vec()]);
        let (s, _) = lines(b"ab\0cd");
        assert_eq!(s.nul_at, Some(2));
    }

    #[test]
    fn buffered_lines_need_no_copy() {
        let mut r = LineReader::new(&b"one\ntwo\nlast"[..]).unwrap();
        assert_eq!(r.buffered_line(100).unwrap(), Some(4));
        assert_eq!(&r.buffer()[..4], b"one\n");
        r.consume(4);
        assert_eq!(r.buffered_line(3).unwrap(), None, "longer than the limit");
        assert_eq!(r.buffered_line(100).unwrap(), Some(4));
        r.consume(4);
        assert_eq!(
            r.buffered_line(100).unwrap(),
            None,
            "no newline: the slow path frames it"
        );
        let mut buf = Vec::new();
        assert_eq!(r.next_line(&mut buf, 100).unwrap(), Framed::Line);
        assert_eq!(buf, b"last");
    }

    #[test]
    fn a_line_over_the_limit_is_framed_in_two_parts() {
        let mut input = vec![b'y'; 100];
        input.extend_from_slice(b"\nnext\n");
        let mut r = LineReader::new(&input[..]).unwrap();
        let mut buf = Vec::new();
        assert_eq!(r.next_line(&mut buf, 10).unwrap(), Framed::Truncated);
        assert_eq!(buf.len(), 10);
        let mut rest = Vec::new();
        assert_eq!(r.copy_rest_of_line(&mut rest).unwrap(), 91);
        assert_eq!(rest.len(), 91);
        assert!(rest.ends_with(b"y\n"));
        assert_eq!(r.next_line(&mut buf, 10).unwrap(), Framed::Line);
        assert_eq!(buf, b"next\n");
        assert_eq!(r.next_line(&mut buf, 10).unwrap(), Framed::End);
    }

    #[test]
    fn a_line_longer_than_the_buffers_is_whole() {
        let mut big = vec![b'x'; READ_BUFFER * 2 + 17];
        big.push(b'\n');
        big.extend_from_slice(b"tail");
        let (_, l) = lines(&big);
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].len(), READ_BUFFER * 2 + 18);
    }
}
