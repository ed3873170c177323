//! Fuzz target: `mpyfile::read` (and the dump built on it) on arbitrary bytes.
//!
//! Beyond "no panic, no overflow, no huge allocation", it checks the reader's contract: any
//! input it accepts is written back byte for byte.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(module) = mpyfile::read(data) {
        assert_eq!(
            mpyfile::write(&module),
            data,
            "accepted input not written back unchanged"
        );
    }
    if let Ok(dump) = mpyfile::dump::inspect(data) {
        let _ = dump.to_text();
        let _ = dump.to_json();
    }
});
