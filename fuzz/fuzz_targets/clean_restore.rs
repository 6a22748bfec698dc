//! Any bytes cleaned as a stream: the cleaned text is the input with whole lines taken out, and
//! the report (through its JSON Lines form) restores the input byte for byte.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use dedump::Config;
use dedump::detect::phrase::PhraseSet;
use dedump::report::{Event, Header, ReportReader, ReportWriter};
use libfuzzer_sys::fuzz_target;

/// The built-in phrase rules, compiled once (not per input).
static PHRASES: OnceLock<PhraseSet> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    let cfg = Config {
        allow_binary: true,
        max_line_bytes: 256,
        ..Config::default()
    };
    let phrases = PHRASES.get_or_init(|| PhraseSet::load(&[] as &[&str]).unwrap());
    let mut cleaned = Vec::new();
    let outcome = dedump::pipeline::clean_stream(
        input,
        Path::new("in"),
        &mut cleaned,
        Path::new("out"),
        &cfg,
        phrases,
        None,
    )
    .unwrap();
    assert_eq!(outcome.summary.bytes_out, cleaned.len() as u64);
    let doc = dedump::crawl::stream_document("in", "", outcome);
    let mut w = ReportWriter::new(Vec::new());
    w.write(Event::Header(&Header::new(&cfg, phrases.files())))
        .unwrap();
    w.write(Event::Document(&doc)).unwrap();
    w.write(Event::Summary(&dedump::crawl::stream_summary(&cfg, &doc)))
        .unwrap();
    let report = w.into_inner();
    let mut reader =
        ReportReader::from_reader(Path::new("r.jsonl"), Box::new(std::io::Cursor::new(report)))
            .unwrap();
    let mut restored = Vec::new();
    dedump::restore::restore_stream(
        &cleaned[..],
        Path::new("out"),
        &mut reader,
        &mut restored,
        Path::new("-"),
    )
    .unwrap();
    assert!(restored == input, "not restored byte for byte");
});
