//! Float and imaginary literals against mpy-cross 1.22, 1.23, 1.24 and 1.25: for each literal,
//! the text the release's oracle saves in its `.mpy` must be what `mpcore::float122` reads
//! (1.22 to 1.24's reader, or 1.25's) and prints, and the whole file compiled by
//! `release::v1_29::compile` for that release must be the oracle's bytes. Each oracle is
//! found through `MPYC_ORACLE_12x` (or the venv `cargo xtask oracle --micropython 1.2x`
//! installs); the test fails when one is missing.
//!
//! Each literal goes into its own constant tuple, `x = (<literal>, '<n>')`, so the oracle's
//! object table maps every literal to its saved text even where two literals read as the same
//! double (equal floats share one table entry).

use std::path::Path;
use std::process::Command;

use compiler::options::{CompileOptions, SourceNames};
use float_literals::{edge_literals, random_literal};
use mpcore::float::{FloatLiteral, InvalidNumber};
use mpcore::{float122, Release};
use rawcode::v6::Obj;
use testkit::Rng;

mod float_literals;

/// The releases checked here, each with its literal reader.
type Reader = fn(&[u8]) -> Result<FloatLiteral, InvalidNumber>;
const RELEASES: [(Release, Reader); 4] = [
    (Release::V1_22, float122::parse_literal_1_22),
    (Release::V1_23, float122::parse_literal_1_22),
    (Release::V1_24, float122::parse_literal_1_22),
    (Release::V1_25, float122::parse_literal_1_25),
];

/// The oracle's saved object for each literal of a batch (kind byte and text); also checks
/// that our whole file is the oracle's.
fn oracle_texts(
    release: Release,
    dir: &Path,
    name: &str,
    source: &str,
    count: usize,
) -> Vec<(u8, String)> {
    let py = dir.join(format!("{name}.py"));
    let mpy = dir.join(format!("{name}.mpy"));
    std::fs::write(&py, source).expect("write the batch");
    let out = Command::new(testkit::oracle_release(release.name()))
        .arg("-o")
        .arg(&mpy)
        .arg(format!("{name}.py"))
        .current_dir(dir)
        .output()
        .expect("the oracle runs");
    assert!(
        out.status.success(),
        "mpy-cross {release} fails on {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&mpy).expect("read the oracle's output");
    let module = mpyfile::v6::read(&bytes).expect("the oracle's file reads");
    let mut texts = vec![(b'?', String::new()); count];
    for obj in module.objs {
        let Obj::Tuple(items) = obj else { continue };
        let [number, Obj::Str(tag)] = items.as_slice() else {
            continue;
        };
        let Some(i) = std::str::from_utf8(tag)
            .ok()
            .and_then(|t| t.strip_prefix('k'))
            .and_then(|t| t.parse::<usize>().ok())
        else {
            continue;
        };
        let saved = match number {
            Obj::Float(t) => (b'f', t.clone()),
            Obj::Complex(t) => (b'c', t.clone()),
            other => (b'?', format!("{other:?}")),
        };
        if let Some(slot) = texts.get_mut(i) {
            *slot = saved;
        }
    }
    let mut opts = CompileOptions::default();
    opts.target.release = release;
    let path = format!("{name}.py");
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: None,
    };
    let ours = compiler::release::v1_29::compile(source.as_bytes(), names, &opts)
        .map(|m| mpyfile::v6::write(&m).expect("the module writes"));
    assert!(
        ours.as_deref() == Ok(bytes.as_slice()),
        "{name}: our .mpy differs from mpy-cross {release}'s"
    );
    texts
}

/// What we save for a literal token: the lexer drops `_`, the release's reader and the
/// 1.22 to 1.25 printer do the rest.
fn ours(reader: Reader, literal: &str) -> (u8, String) {
    let token: String = literal.chars().filter(|&c| c != '_').collect();
    match reader(token.as_bytes()) {
        Ok(lit) => float122::const_text(lit),
        Err(e) => (b'?', e.to_string()),
    }
}

/// Checks `literals` in batches of 1,000 against one release; returns the oracle's texts and
/// the differences.
fn check(
    (release, reader): (Release, Reader),
    dir: &Path,
    prefix: &str,
    literals: &[String],
) -> (Vec<(u8, String)>, Vec<String>) {
    let mut saved_all = Vec::with_capacity(literals.len());
    let mut mismatches = Vec::new();
    for (b, chunk) in literals.chunks(1000).enumerate() {
        let mut source = String::new();
        for (i, lit) in chunk.iter().enumerate() {
            source.push_str(&format!("x = ({lit}, 'k{i}')\n"));
        }
        let saved = oracle_texts(release, dir, &format!("{prefix}{b}"), &source, chunk.len());
        for (lit, want) in chunk.iter().zip(saved) {
            let got = ours(reader, lit);
            if got != want {
                mismatches.push(format!(
                    "{release} {lit}: oracle {}{:?}, ours {}{:?}",
                    char::from(want.0),
                    want.1,
                    char::from(got.0),
                    got.1
                ));
            }
            saved_all.push(want);
        }
    }
    (saved_all, mismatches)
}

#[test]
fn literals_match_mpy_cross_1_22_to_1_25() {
    let dir = tempfile::tempdir().expect("a scratch dir");
    let mut literals = edge_literals();
    // MPYC_FLOAT122_LITERALS scales the random part up for a longer run (default 2,000 per
    // release).
    let random: usize = std::env::var("MPYC_FLOAT122_LITERALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let mut rng = Rng(0xF10A_7122);
    let text_target = literals.len() + random * 7 / 10;
    while literals.len() < text_target {
        literals.push(random_literal(&mut rng));
    }
    // Doubles from random bit patterns in Rust's shortest text: the printer over the whole
    // range, subnormals included.
    let bits_target = literals.len() + random * 3 / 10;
    while literals.len() < bits_target {
        let value = f64::from_bits(rng.next_u64() >> 1);
        if value.is_finite() {
            literals.push(format!("{value:e}"));
        }
    }
    let mut mismatches = Vec::new();
    let mut reread = 0;
    for entry in RELEASES {
        let prefix = format!("lit{}_", entry.0.name().replace('.', ""));
        let (saved, more) = check(entry, dir.path(), &prefix, &literals);
        mismatches.extend(more);
        // The saved texts read back as literals: the reader on the printer's own output.
        let again: Vec<String> = saved
            .iter()
            .map(|(_, t)| t.clone())
            .filter(|t| !t.contains('n') && !t.starts_with('('))
            .collect();
        reread += again.len();
        let prefix = format!("again{}_", entry.0.name().replace('.', ""));
        let (_, more) = check(entry, dir.path(), &prefix, &again);
        mismatches.extend(more);
    }
    eprintln!(
        "float literals checked against mpy-cross 1.22 to 1.25: {} literals per release, {} saved texts re-read",
        literals.len(),
        reread
    );
    assert!(
        mismatches.is_empty(),
        "{} differ:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
