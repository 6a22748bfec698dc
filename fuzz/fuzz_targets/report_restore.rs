//! Any bytes as a report, with any cleaned text: reading it and restoring from it fail cleanly
//! or succeed, never panic. The input is split at its first NUL: report, then cleaned text.
#![no_main]

use std::path::Path;

use dedump::report::ReportReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let at = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (report, cleaned) = (&data[..at], data.get(at + 1..).unwrap_or(&[]));
    let open = || {
        ReportReader::from_reader(
            Path::new("r.jsonl"),
            Box::new(std::io::Cursor::new(report.to_vec())),
        )
    };
    if let Ok(mut reader) = open() {
        while let Ok(Some(_)) = reader.next_record() {}
    }
    if let Ok(mut reader) = open() {
        let mut out = Vec::new();
        let _ = dedump::restore::restore_stream(
            cleaned,
            Path::new("cleaned"),
            &mut reader,
            &mut out,
            Path::new("-"),
        );
    }
});
