//! Any line as a JSON Lines record: parsing never panics, and a parsed record written back with
//! its own text is the line byte for byte.
#![no_main]

use dedump::crawl::source::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &[u8]| {
    if let Ok((record, text)) = Record::parse(line, "text") {
        let mut back = Vec::new();
        record.write_with_text(&mut back, &text).unwrap();
        // The same value may be written otherwise (escapes): it must say the same text.
        let (again, text_again) = Record::parse(&back, "text").unwrap();
        assert_eq!(text_again, text);
        let mut twice = Vec::new();
        again.write_with_text(&mut twice, &text).unwrap();
        assert_eq!(twice, back, "writing back is stable");
    }
});
