//! Any bytes as a profile: refused or read, never a panic or a huge allocation.
#![no_main]

use dedump::profile::Profile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(p) = Profile::read(&mut &bytes[..]) {
        let mut again = Vec::new();
        p.write(&mut again).unwrap();
        assert!(Profile::read(&mut &again[..]).is_ok());
    }
});
