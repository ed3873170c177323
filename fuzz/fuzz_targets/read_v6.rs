//! Fuzz target: the `.mpy` v6 reader and writer, the v6 dump and the v5 reader on arbitrary
//! bytes: no panic, no overflow, no huge allocation, and any v6 input the reader accepts is
//! written back byte for byte.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(module) = mpyfile::v6::read(data) {
        assert_eq!(
            mpyfile::v6::write(&module).expect("an accepted module writes"),
            data,
            "accepted input not written back unchanged"
        );
        if let Ok(dump) = mpyfile::v6::describe(&module) {
            let _ = dump.to_text();
            let _ = dump.to_json();
        }
    }
    if let Ok(dump) = mpyfile::v5::inspect(data) {
        let _ = dump.to_text();
        let _ = dump.to_json();
    }
});
