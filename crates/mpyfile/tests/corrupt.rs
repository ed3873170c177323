//! Corrupt input never panics: truncations at every length, seeded random mutations (flipped
//! bits, overwritten bytes, inserted huge var-uints, cut and repeated ranges) of oracle-written
//! files, and hand-made hostile files. Whatever the reader accepts, it writes back unchanged.

mod common;

use common::{compile, corpus_files, flag_sets, Outcome, Rng};
use mpyfile::{read, write, ReadError};
use rawcode::{Module, RawCode};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Oracle-written files to mutate: a few small ones from several flag sets.
fn seed_files() -> Vec<(String, Vec<u8>)> {
    let files = corpus_files();
    let wanted = [
        "default",
        "cache-lookup-bc",
        "native-x64",
        "native-armv7m",
        "viper-xtensa",
        "native-xtensa",
    ];
    let mut out = Vec::new();
    let mut rng = Rng(0x636f_7272);
    for set in flag_sets()
        .into_iter()
        .filter(|s| wanted.contains(&s.name.as_str()))
    {
        let mut got = 0;
        for _ in 0..200 {
            let rel = &files[rng.below(files.len())];
            if let Outcome::Compiled(bytes) = compile(&set, rel) {
                if bytes.len() < 6000 {
                    out.push((format!("{}:{}", set.name, rel.display()), bytes));
                    got += 1;
                    if got == 2 {
                        break;
                    }
                }
            }
        }
        assert!(got > 0, "{}: no small compiled file found", set.name);
    }
    out
}

/// Reads, dumps and (when accepted) rewrites `bytes`; returns whether it was accepted.
fn exercise(label: &str, bytes: &[u8]) -> bool {
    let r = catch_unwind(AssertUnwindSafe(|| {
        let dumped = mpyfile::dump::inspect(bytes).map(|d| (d.to_text(), d.to_json()));
        match read(bytes) {
            Ok(m) => {
                assert_eq!(
                    write(&m),
                    bytes,
                    "{label}: accepted input not written back unchanged"
                );
                assert!(
                    dumped.is_ok()
                        || matches!(dumped, Err(mpyfile::dump::DumpError::Bytecode { .. }))
                );
                true
            }
            Err(_) => {
                assert!(dumped.is_err(), "{label}: dump accepted what read refused");
                false
            }
        }
    }));
    match r {
        Ok(accepted) => accepted,
        Err(_) => panic!("{label}: panicked on input {:02x?}", bytes),
    }
}

#[test]
fn every_truncation_is_an_error() {
    for (label, bytes) in seed_files().iter().take(4) {
        assert!(
            exercise(label, bytes),
            "{label}: the intact file is refused"
        );
        for len in 0..bytes.len() {
            let cut = &bytes[..len];
            assert!(
                read(cut).is_err(),
                "{label}: truncation to {len} bytes accepted"
            );
            exercise(&format!("{label}[..{len}]"), cut);
        }
    }
}

#[test]
fn seeded_mutations_never_panic() {
    let mut rng = Rng(0x6d75_7461);
    let mut accepted = 0;
    let mut total = 0;
    for (label, bytes) in &seed_files() {
        for round in 0..600 {
            let mut m = bytes.clone();
            let n_edits = 1 + rng.below(3);
            for _ in 0..n_edits {
                let at = rng.below(m.len() + 1);
                match rng.below(6) {
                    0 if at < m.len() => m[at] ^= 1 << rng.below(8),
                    1 if at < m.len() => m[at] = rng.next_u64() as u8,
                    2 => {
                        let huge: &[u8] = match rng.below(3) {
                            0 => &[0xff; 12],
                            1 => &[0x8f, 0xff, 0xff, 0xff, 0x7f],
                            _ => &[0x81, 0x80, 0x80, 0x00],
                        };
                        m.splice(at..at, huge.iter().copied());
                    }
                    3 if at < m.len() => {
                        let end = (at + 1 + rng.below(16)).min(m.len());
                        m.drain(at..end);
                    }
                    4 if at < m.len() => {
                        let end = (at + 1 + rng.below(16)).min(m.len());
                        let piece: Vec<u8> = m[at..end].to_vec();
                        m.splice(at..at, piece);
                    }
                    _ => m.insert(at, rng.next_u64() as u8),
                }
            }
            total += 1;
            if exercise(&format!("{label} mutation {round}"), &m) {
                accepted += 1;
            }
        }
    }
    println!("mutations: {total} tried, {accepted} accepted (and written back unchanged)");
    assert!(total > 3000);
}

/// The header of a default bytecode file, qstr window size included.
const HEADER: [u8; 5] = [b'M', 4, 2, 31, 32];

#[test]
fn hostile_files_are_refused_with_reasons() {
    let with = |body: &[u8]| [&HEADER[..], body].concat();
    assert_eq!(read(b"").err(), Some(ReadError::Truncated { offset: 0 }));
    assert_eq!(read(b"X").err(), Some(ReadError::NotMpy));
    assert_eq!(
        read(b"M\x03\x02\x1f\x20").err(),
        Some(ReadError::Version(3))
    );
    assert_eq!(
        read(b"M\x04\x02\x1f\x10\x00").err(),
        Some(ReadError::WindowSize(16))
    );
    assert_eq!(
        read(b"M\x04\xfe\x1f\x20\x00").err(),
        Some(ReadError::UnknownArch(63))
    );
    // A kind/length var-uint of 12 bytes of 0xff never ends within 64 bits.
    assert_eq!(
        read(&with(&[0xff; 12])).err(),
        Some(ReadError::VarUintOverflow { offset: 5 })
    );
    // A code length far beyond the file.
    assert!(matches!(
        read(&with(&[0x8f, 0xff, 0xff, 0xff, 0x7c])),
        Err(ReadError::TooLarge {
            what: "code length",
            ..
        })
    ));
    // Non-canonical var-uint.
    assert_eq!(
        read(&with(&[0x80, 0x00])).err(),
        Some(ReadError::NonCanonicalUint { offset: 5 })
    );
    // A constant count larger than the rest of the file: smallest module `None` body, then
    // n_obj = 2^40.
    let module_prelude = [
        0x38, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0xff, 0x11, 0x5b,
    ];
    let mut body = module_prelude.to_vec();
    body.extend_from_slice(&[0x00, 0x07, 0x00, 0x07]); // names: <module>, <module>
    body.extend_from_slice(&[0xa0, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00]);
    assert!(matches!(
        read(&with(&body)),
        Err(ReadError::TooLarge {
            what: "constant count",
            ..
        })
    ));
    // A bytecode-only file whose header names an arch (the writer would not).
    let mut x86 = with(&ok_body(&module_prelude));
    x86[2] |= 1 << 2;
    assert_eq!(read(&x86).err(), Some(ReadError::ArchWithoutNative(1)));
    // The same with sane counts is a valid file, and trailing bytes are refused.
    let mut ok = module_prelude.to_vec();
    ok.extend_from_slice(&[0x00, 0x07, 0x00, 0x07, 0x00, 0x00]);
    let file = with(&ok);
    let m = read(&file).expect("minimal module reads");
    assert_eq!(write(&m), file);
    assert_eq!(
        read(&[&file[..], &[0]].concat()).err(),
        Some(ReadError::TrailingBytes {
            offset: file.len(),
            count: 1
        })
    );
    // A window reference to an empty window slot, in place of the simple name.
    let mut bad = module_prelude.to_vec();
    bad.extend_from_slice(&[0x01]);
    assert_eq!(
        read(&with(&bad)).err(),
        Some(ReadError::WindowRef {
            offset: 20,
            index: 0
        })
    );
    // A static qstr number beyond the static range.
    let mut bad = module_prelude.to_vec();
    bad.extend_from_slice(&[0x00, 0xa6]);
    assert_eq!(
        read(&with(&bad)).err(),
        Some(ReadError::StaticQstr {
            offset: 20,
            number: 0xa6
        })
    );
}

/// `prelude_and_code` followed by the names `<module>`, `<module>` and an empty const table.
fn ok_body(prelude_and_code: &[u8]) -> Vec<u8> {
    [prelude_and_code, &[0x00, 0x07, 0x00, 0x07, 0x00, 0x00]].concat()
}

/// A chain of `depth` nested raw codes, each the minimal `return None` function.
fn chain(depth: usize) -> Module {
    let leaf = || {
        // n_state 1, no exc stack, no flags/args, code info 5 (names <module> and ""), no cells.
        RawCode::bytecode(vec![
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x07, 0x00, 0x01, 0x00, 0xff, 0x11, 0x5b,
        ])
    };
    let mut rc = leaf();
    for _ in 1..depth {
        let mut parent = leaf();
        parent.children.push(rc);
        rc = parent;
    }
    Module {
        target: mpcore::Target::default(),
        qstrs: mpcore::QstrPool::new(),
        root: rc,
    }
}

#[test]
fn nesting_is_bounded() {
    let ok = write(&chain(mpyfile::MAX_DEPTH));
    let m = read(&ok).expect("nesting at the limit reads");
    assert_eq!(write(&m), ok);
    // The dump of the deepest accepted file renders within a test thread's stack.
    let d = mpyfile::dump::inspect(&ok).expect("dump at the limit");
    assert_eq!(
        d.to_text().matches("raw code <module>").count(),
        mpyfile::MAX_DEPTH
    );
    assert!(d.to_json().len() > 1000);
    let deep = write(&chain(mpyfile::MAX_DEPTH + 1));
    assert_eq!(
        read(&deep).err(),
        Some(ReadError::TooDeep(mpyfile::MAX_DEPTH))
    );
    assert!(mpyfile::dump::inspect(&deep).is_err());
}
