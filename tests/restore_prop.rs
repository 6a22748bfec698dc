//! Property: for any input bytes, cleaning and then restoring from the cleaned text and the
//! report (through its JSON form) gives back the input byte for byte — and the cleaned text is
//! the input with whole lines taken out, in order. And cleaning text already in memory
//! (`clean_slice`, as a crawl does, with an engine's buffers left over from another document)
//! gives what cleaning it as a stream gives.

use std::path::Path;

use dedump::Config;
use dedump::detect::phrase::PhraseSet;
use dedump::engine::Buffers;
use dedump::pipeline::{DocOptions, clean_slice, clean_stream};
use dedump::report::{Event, Header, ReportReader, ReportWriter};
use dedump::restore::restore_stream;
use proptest::prelude::*;

/// Line bodies that exercise the detectors: repeats, markers, counters, phrases, CJK, invisible
/// spaces, invalid UTF-8 and NUL.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"".to_vec()),
        Just(b"  ".to_vec()),
        Just("  \u{a0}".as_bytes().to_vec()),
        Just(b"0".to_vec()),
        Just(b"Visits: 0".to_vec()),
        Just("评论被关闭。".as_bytes().to_vec()),
        Just(
            "  • 随着环保意识的提高，可持续消费成为新的消费趋势。"
                .as_bytes()
                .to_vec()
        ),
        Just(
            "  • 随着环保意识的提升，可持续消费成为新的消费趋势。"
                .as_bytes()
                .to_vec()
        ),
        Just("  • 塑造社会治理现代化新标杆".as_bytes().to_vec()),
        Just("塑造社会治理现代化新标杆".as_bytes().to_vec()),
        Just(b"- a short item".to_vec()),
        Just(
            b"The council approved the budget after a long debate about the roads and the pier."
                .to_vec()
        ),
        Just(b"Title of the page | Site".to_vec()),
        Just(b"Title of the page".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"bad \xff\xfe utf8".to_vec()),
        Just(b"nul\0byte".to_vec()),
        Just(b"|".to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
        "[a-z ]{0,30}".prop_map(String::into_bytes),
        "[\u{4e00}-\u{4e20}，。]{0,20}".prop_map(String::into_bytes),
    ]
}

fn ending() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        Just(&b"\n"[..]),
        Just(&b"\r\n"[..]),
        Just(&b"\r"[..]),
        Just(&b""[..])
    ]
}

fn document() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec((fragment(), ending()), 0..60),
    )
        .prop_map(|(bom, lines)| {
            let mut doc = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            for (body, end) in lines {
                doc.extend_from_slice(&body);
                doc.extend_from_slice(end);
            }
            doc
        })
}

fn round_trip(input: &[u8], cfg: &Config) {
    let phrases = PhraseSet::load(&[] as &[&str]).unwrap();
    let mut cleaned = Vec::new();
    let outcome = clean_stream(
        input,
        Path::new("in"),
        &mut cleaned,
        Path::new("out"),
        cfg,
        &phrases,
        None,
    )
    .unwrap();
    // Buffers left by a document with the lines the documents above are made of (a stale
    // table would take their first copies for repeats), a list and a long line.
    let mut buffers = Buffers::default();
    let earlier = "Title of the page\n- a short item\n塑造社会治理现代化新标杆\nVisits: 0\n\
                   The council approved the budget after a long debate about the roads and the \
                   pier.\n随着环保意识的提高，可持续消费成为新的消费趋势。\n"
        .repeat(40)
        + &"x".repeat(5000);
    let mut from_slice = |text: &[u8]| {
        let mut out = Vec::new();
        let at = Path::new("in");
        let outcome = clean_slice(
            text,
            at,
            &mut out,
            cfg,
            &phrases,
            DocOptions::default(),
            &mut buffers,
        );
        (out, outcome.unwrap())
    };
    from_slice(earlier.as_bytes());
    let (from_slice, slice_outcome) = from_slice(input);
    assert_eq!(from_slice, cleaned, "clean_slice wrote other text");
    assert_eq!(slice_outcome, outcome, "clean_slice found otherwise");
    assert_eq!(outcome.summary.bytes_in, input.len() as u64);
    assert_eq!(outcome.summary.bytes_out, cleaned.len() as u64);
    // Through the report's JSON Lines form, as `restore` reads it.
    let doc = dedump::crawl::stream_document("in", "", outcome);
    let mut w = ReportWriter::new(Vec::new());
    w.write(Event::Header(&Header::new(cfg, phrases.files())))
        .unwrap();
    w.write(Event::Document(&doc)).unwrap();
    w.write(Event::Summary(&dedump::crawl::stream_summary(cfg, &doc)))
        .unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), w.into_inner()).unwrap();
    let mut report = ReportReader::open(file.path()).unwrap();
    let mut restored = Vec::new();
    restore_stream(
        &cleaned[..],
        Path::new("out"),
        &mut report,
        &mut restored,
        Path::new("-"),
    )
    .unwrap();
    assert_eq!(restored, input);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn restore_gives_back_the_input(doc in document()) {
        round_trip(&doc, &Config { allow_binary: true, ..Config::default() });
    }

    #[test]
    fn restore_holds_with_tiny_caps(doc in document()) {
        let cfg = Config {
            allow_binary: true,
            max_line_bytes: 64,
            lookahead: 2,
            title_span: 2,
            max_pending_lines: 5,
            ..Config::default()
        };
        round_trip(&doc, &cfg);
    }

    #[test]
    fn arbitrary_bytes_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        round_trip(&bytes, &Config { allow_binary: true, ..Config::default() });
    }
}

#[test]
fn very_long_lines_round_trip() {
    let mut doc = vec![b'a'; 3 << 20];
    doc.push(b'\n');
    doc.extend_from_slice(&doc.clone());
    doc.extend_from_slice(b"Visits: 0");
    round_trip(&doc, &Config::default());
}
