//! Bytes in and out of crawl files: decompression on read, the same compression on write,
//! JSON Lines records with their text field swapped and every other field kept as written.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use indexmap::IndexMap;
use serde_json::value::RawValue;

use super::walk::{Compression, InputFile, classify};

/// Opens an input for reading, decompressing it.
pub fn open(file: &InputFile) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = if file.path.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(&file.path)?)
    };
    Ok(match file.compression {
        Compression::None => Box::new(BufReader::with_capacity(256 * 1024, raw)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::read::MultiGzDecoder::new(BufReader::new(raw)),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            256 * 1024,
            zstd::stream::read::Decoder::new(raw)?,
        )),
    })
}

/// The whole (decompressed) content of a file, as [`open`] gives it. A plain file is read
/// straight into a vector: no 256 KiB read buffer and no size probe (`statx` and `lseek`) for
/// what are mostly pages of a few kilobytes, read once per pass.
pub fn read_all(file: &InputFile) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if file.compression == Compression::None && file.path.as_os_str() != "-" {
        // The size the walk saw, plus one byte to see the end without growing; `Take` reads
        // without `File`'s own size probe, and grows the vector if the file has grown.
        bytes.reserve(usize::try_from(file.size).unwrap_or(0).saturating_add(1));
        File::open(&file.path)?
            .take(u64::MAX)
            .read_to_end(&mut bytes)?;
    } else {
        open(file)?.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Compression for an output path: from its own extension.
pub fn compression_of(path: &Path) -> Compression {
    classify(path, None).1
}

/// A writer that compresses as asked; call [`Compressed::finish`] to complete the stream.
pub enum Compressed<W: Write> {
    /// Plain.
    Plain(W),
    /// gzip.
    Gzip(flate2::write::GzEncoder<W>),
    /// zstd.
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Compressed<W> {
    /// Wraps `inner`.
    pub fn new(inner: W, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Compressed::Plain(inner),
            Compression::Gzip => Compressed::Gzip(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Compressed::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    /// Ends the compressed stream and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Compressed::Plain(w) => Ok(w),
            Compressed::Gzip(g) => g.finish(),
            Compressed::Zstd(z) => z.finish(),
        }
    }
}

impl<W: Write> Write for Compressed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Compressed::Plain(w) => w.write(buf),
            Compressed::Gzip(w) => w.write(buf),
            Compressed::Zstd(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Compressed::Plain(w) => w.flush(),
            Compressed::Gzip(w) => w.flush(),
            Compressed::Zstd(w) => w.flush(),
        }
    }
}

/// One JSON Lines record, its fields in their original order and form.
pub struct Record {
    fields: IndexMap<String, Box<RawValue>>,
}

/// Why a JSON Lines line could not be used as a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordProblem {
    /// Not a JSON object.
    NotJson(String),
    /// The text field is missing.
    NoText(String),
    /// The text field is not a string.
    TextNotString(String),
}

impl std::fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordProblem::NotJson(e) => write!(f, "not a JSON object: {e}"),
            RecordProblem::NoText(field) => write!(
                f,
                "no {field:?} field; name the text field with --text-field"
            ),
            RecordProblem::TextNotString(field) => write!(f, "the {field:?} field is not a string"),
        }
    }
}

impl Record {
    /// Parses one line (ending excluded) and pulls out the document text.
    pub fn parse(line: &[u8], text_field: &str) -> Result<(Record, String), RecordProblem> {
        // Checked for UTF-8 the fast way first; serde's own check of bytes is then skipped (and
        // still gives its message for a line that is not UTF-8).
        let fields: IndexMap<String, Box<RawValue>> = match crate::input::utf8(line) {
            Some(text) => serde_json::from_str(text),
            None => serde_json::from_slice(line),
        }
        .map_err(|e| RecordProblem::NotJson(e.to_string()))?;
        let raw = fields
            .get(text_field)
            .ok_or_else(|| RecordProblem::NoText(text_field.to_string()))?;
        let text: String = serde_json::from_str(raw.get())
            .map_err(|_| RecordProblem::TextNotString(text_field.to_string()))?;
        Ok((Record { fields }, text))
    }

    /// A field as a plain string: a JSON string's value, or any other value's JSON text.
    pub fn field(&self, name: &str) -> Option<String> {
        let raw = self.fields.get(name)?;
        Some(serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| raw.get().to_string()))
    }

    /// Writes the record with `text` in place of the text field, every other field as it was.
    pub fn write_with_text<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        text_field: &str,
        text: &str,
    ) -> io::Result<()> {
        let value = RawValue::from_string(serde_json::to_string(text)?)?;
        if let Some(slot) = self.fields.get_mut(text_field) {
            *slot = value;
        }
        serde_json::to_writer(&mut *out, &self.fields)?;
        Ok(())
    }
}

/// Host of a URL, lowercased, for telling sites apart. A Wayback Machine copy
/// (`https://web.archive.org/web/2019…/https://example.com/a`) counts as the site it archived.
pub fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    if host == "web.archive.org"
        && let Some(rest) = parsed.path().strip_prefix("/web/")
        && let Some((_, original)) = rest.split_once('/')
        && let Some(inner) = host_of(original)
    {
        return Some(inner);
    }
    Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_keeps_other_fields_in_order_and_form() {
        let line = br#"{"id": 7, "text": "a\nb", "meta": {"x": [1, 2.50]}, "url": "https://News.Example.com/a"}"#;
        let (mut rec, text) = Record::parse(line, "text").unwrap();
        assert_eq!(text, "a\nb");
        assert_eq!(rec.field("id").as_deref(), Some("7"));
        assert_eq!(
            host_of(&rec.field("url").unwrap()).as_deref(),
            Some("news.example.com")
        );
        let mut out = Vec::new();
        rec.write_with_text(&mut out, "text", "b").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"id":7,"text":"b","meta":{"x": [1, 2.50]},"url":"https://News.Example.com/a"}"#
        );
    }

    #[test]
    fn archived_pages_belong_to_their_own_site() {
        assert_eq!(
            host_of("https://web.archive.org/web/20190101000000/https://www.Example.org/a/b")
                .as_deref(),
            Some("www.example.org")
        );
        assert_eq!(
            host_of("https://web.archive.org/about").as_deref(),
            Some("web.archive.org")
        );
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn record_problems_say_what_is_wrong() {
        assert!(matches!(
            Record::parse(b"not json", "text"),
            Err(RecordProblem::NotJson(_))
        ));
        assert_eq!(
            Record::parse(br#"{"body": "x"}"#, "text").err(),
            Some(RecordProblem::NoText("text".into()))
        );
        assert_eq!(
            Record::parse(br#"{"text": 5}"#, "text").err(),
            Some(RecordProblem::TextNotString("text".into()))
        );
        match Record::parse(b"{\"text\": \"caf\xe9\"}", "text") {
            Err(RecordProblem::NotJson(m)) => assert!(m.contains("unicode"), "{m}"),
            other => panic!("{:?}", other.err()),
        }
        let (rec, text) =
            Record::parse("{\"text\": \"山溪\", \"n\": 1}".as_bytes(), "text").unwrap();
        assert_eq!(
            (text.as_str(), rec.field("n").as_deref()),
            ("山溪", Some("1"))
        );
    }

    #[test]
    fn compression_round_trips() {
        for c in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let mut w = Compressed::new(Vec::new(), c).unwrap();
            w.write_all(b"hello\n").unwrap();
            let bytes = w.finish().unwrap();
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("f");
            std::fs::write(&p, &bytes).unwrap();
            let f = InputFile {
                path: p.clone(),
                rel: "f".into(),
                format: super::super::walk::Format::Text,
                compression: c,
                top_dir: None,
                size: bytes.len() as u64,
            };
            let mut s = String::new();
            open(&f).unwrap().read_to_string(&mut s).unwrap();
            assert_eq!(s, "hello\n");
        }
    }
}
