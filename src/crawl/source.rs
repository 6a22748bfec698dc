//! Bytes in and out of crawl files: decompression on read, the same compression on write,
//! JSON Lines records with their text field swapped and every other field kept as written.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

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

/// The whole (decompressed) content of a file, as [`open`] gives it, up to `limit` bytes: a
/// longer one is an error, read no further (a small compressed file may hold gigabytes). A plain
/// file is read straight into a vector: no 256 KiB read buffer and no size probe (`statx` and
/// `lseek`) for what are mostly pages of a few kilobytes, read once per pass.
pub fn read_all(file: &InputFile, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let cap = limit.saturating_add(1);
    if file.compression == Compression::None && file.path.as_os_str() != "-" {
        // The size the walk saw, plus one byte to see the end without growing; `Take` reads
        // without `File`'s own size probe, and grows the vector if the file has grown.
        let expected = file.size.min(cap).saturating_add(1);
        bytes.reserve(usize::try_from(expected).unwrap_or(0));
        File::open(&file.path)?.take(cap).read_to_end(&mut bytes)?;
    } else {
        // Room for the most it may hold, reserved at once: only the pages written are ever
        // resident, and the vector is never copied as it grows (doubling would take twice the
        // limit for a document just over half of it).
        bytes.reserve_exact(usize::try_from(cap).unwrap_or(usize::MAX));
        open(file)?.take(cap).read_to_end(&mut bytes)?;
    }
    if bytes.len() as u64 > limit {
        return Err(too_long("the document", limit));
    }
    Ok(bytes)
}

/// Reads one line (its ending kept) into `line`, up to `limit` bytes: a longer one is an error.
/// The number of bytes read; 0 at the end.
pub fn read_line(reader: &mut dyn BufRead, line: &mut Vec<u8>, limit: u64) -> io::Result<usize> {
    let n = reader
        .take(limit.saturating_add(1))
        .read_until(b'\n', line)?;
    if n as u64 > limit {
        return Err(too_long("the record", limit));
    }
    Ok(n)
}

fn too_long(what: &str, limit: u64) -> io::Error {
    io::Error::other(format!(
        "{what} is longer than {limit} bytes (--max-doc-bytes); copied unchanged"
    ))
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

/// One JSON Lines record: its line as read, and where its fields' values lie in it. Writing it
/// back with a new text puts the new value where the old one stood and keeps every other byte —
/// field order, spacing, number forms, escapes — as it was.
pub struct Record {
    /// The line, ending excluded.
    line: Vec<u8>,
    /// Each field's name and the span of its value in `line`, in order.
    fields: Vec<(String, std::ops::Range<usize>)>,
    /// The span of the text field's value (its JSON string literal) in `line`.
    text: std::ops::Range<usize>,
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
    /// The text field appears twice: which one is the document is anyone's guess.
    TextTwice(String),
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
            RecordProblem::TextTwice(field) => {
                write!(f, "the {field:?} field appears twice; keep one of them")
            }
        }
    }
}

/// A JSON object's fields in order, each value borrowed raw from the line.
struct Fields<'a>(Vec<(std::borrow::Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Fields<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut m: M,
            ) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some(key) = m.next_key::<std::borrow::Cow<'de, str>>()? {
                    let value: &'de RawValue = m.next_value()?;
                    out.push((key, value));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Record {
    /// Parses one line (ending excluded; a leading byte-order mark is read past and kept) and
    /// pulls out the document text.
    pub fn parse(line: &[u8], text_field: &str) -> Result<(Record, String), RecordProblem> {
        let skip = if line.starts_with(BOM) { BOM.len() } else { 0 };
        let body = &line[skip..];
        let text = std::str::from_utf8(body).map_err(|e| {
            // serde's own message for bytes that are not UTF-8.
            RecordProblem::NotJson(
                serde_json::from_slice::<serde_json::Value>(body)
                    .err()
                    .map_or_else(|| e.to_string(), |e| e.to_string()),
            )
        })?;
        let parsed: Fields<'_> =
            serde_json::from_str(text).map_err(|e| RecordProblem::NotJson(e.to_string()))?;
        let base = text.as_ptr() as usize;
        let span = |raw: &RawValue| {
            let start = raw.get().as_ptr() as usize - base + skip;
            start..start + raw.get().len()
        };
        let mut text_span = None;
        let mut fields = Vec::with_capacity(parsed.0.len());
        for (name, raw) in &parsed.0 {
            if name == text_field {
                if text_span.is_some() {
                    return Err(RecordProblem::TextTwice(text_field.to_string()));
                }
                text_span = Some(span(raw));
            }
            fields.push((name.to_string(), span(raw)));
        }
        let text_span = text_span.ok_or_else(|| RecordProblem::NoText(text_field.to_string()))?;
        let value: String = serde_json::from_slice(&line[text_span.clone()])
            .map_err(|_| RecordProblem::TextNotString(text_field.to_string()))?;
        Ok((
            Record {
                line: line.to_vec(),
                fields,
                text: text_span,
            },
            value,
        ))
    }

    /// A field as a plain string: a JSON string's value, or any other value's JSON text. The
    /// first of two fields of one name.
    pub fn field(&self, name: &str) -> Option<String> {
        let (_, span) = self.fields.iter().find(|(n, _)| n == name)?;
        let raw = std::str::from_utf8(&self.line[span.clone()]).ok()?;
        Some(serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string()))
    }

    /// Where the text field's value starts in the line.
    pub fn text_at(&self) -> usize {
        self.text.start
    }

    /// The text field's value as the line writes it (a JSON string literal).
    pub fn text_literal(&self) -> &[u8] {
        &self.line[self.text.clone()]
    }

    /// Writes the record with `text` in place of the text field's value, every other byte as
    /// it was.
    pub fn write_with_text<W: Write + ?Sized>(&self, out: &mut W, text: &str) -> io::Result<()> {
        out.write_all(&self.line[..self.text.start])?;
        serde_json::to_writer(&mut *out, text)?;
        out.write_all(&self.line[self.text.end..])
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
        let (rec, text) = Record::parse(line, "text").unwrap();
        assert_eq!(text, "a\nb");
        assert_eq!(rec.field("id").as_deref(), Some("7"));
        assert_eq!(
            host_of(&rec.field("url").unwrap()).as_deref(),
            Some("news.example.com")
        );
        let mut out = Vec::new();
        rec.write_with_text(&mut out, "b").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"id": 7, "text": "b", "meta": {"x": [1, 2.50]}, "url": "https://News.Example.com/a"}"#,
            "every byte but the text's value as it was"
        );
        assert_eq!(rec.text_at(), 18);
        assert_eq!(rec.text_literal(), br#""a\nb""#);
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
        assert_eq!(
            Record::parse(br#"{"text": "a", "text": "b"}"#, "text").err(),
            Some(RecordProblem::TextTwice("text".into()))
        );
        // A byte-order mark before the first record is read past and written back.
        let bom = b"\xEF\xBB\xBF{\"text\": \"x\"}";
        let (rec, text) = Record::parse(bom, "text").unwrap();
        assert_eq!(text, "x");
        let mut out = Vec::new();
        rec.write_with_text(&mut out, "y").unwrap();
        assert_eq!(out, b"\xEF\xBB\xBF{\"text\": \"y\"}");
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
