//! Float and imaginary literals against mpy-cross 1.29: for each literal, the text the oracle
//! saves in its `.mpy` must be what `mpcore::float129` reads and prints, and the whole file
//! compiled by `release::v1_29` must be the oracle's bytes. The oracle is found through
//! `MPYC_ORACLE_129` (or the project's set-up); the test fails when it is missing.
//!
//! Each literal goes into its own constant tuple, `x = (<literal>, '<n>')`, so the oracle's
//! object table maps every literal to its saved text even where two literals read as the same
//! double (equal floats share one table entry).

use std::path::Path;
use std::process::Command;

use compiler::options::{CompileOptions, SourceNames};
use float_literals::{edge_literals, random_literal};
use mpcore::float129;
use rawcode::v6::Obj;
use testkit::Rng;

mod float_literals;

/// The oracle's saved object for each literal of `batch` (kind byte and text).
fn oracle_texts(dir: &Path, name: &str, source: &str, count: usize) -> Vec<(u8, String)> {
    let py = dir.join(format!("{name}.py"));
    let mpy = dir.join(format!("{name}.mpy"));
    std::fs::write(&py, source).expect("write the batch");
    let out = Command::new(testkit::oracle_129())
        .arg("-o")
        .arg(&mpy)
        .arg(format!("{name}.py"))
        .current_dir(dir)
        .output()
        .expect("mpy-cross 1.29 runs");
    assert!(
        out.status.success(),
        "mpy-cross 1.29 fails on {name}: {}",
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
    // The whole file, compiled by us, is the oracle's.
    let mut opts = CompileOptions::default();
    opts.target.release = mpcore::Release::V1_29;
    let path = format!("{name}.py");
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: None,
    };
    let ours = compiler::release::v1_29::compile(source.as_bytes(), names, &opts)
        .map(|m| mpyfile::v6::write(&m).expect("the module writes"));
    assert!(
        ours.as_deref() == Ok(bytes.as_slice()),
        "{name}: our .mpy differs from mpy-cross 1.29's"
    );
    texts
}

/// What we save for a literal token: the lexer drops `_`, the 1.29 reader and printer do the
/// rest.
fn ours(literal: &str) -> (u8, String) {
    let token: String = literal.chars().filter(|&c| c != '_').collect();
    match float129::parse_literal(token.as_bytes()) {
        Ok(lit) => float129::const_text(lit),
        Err(e) => (b'?', e.to_string()),
    }
}

/// Checks `literals` in batches of 1,000; returns the oracle's texts and the differences.
fn check(dir: &Path, prefix: &str, literals: &[String]) -> (Vec<(u8, String)>, Vec<String>) {
    let mut saved_all = Vec::with_capacity(literals.len());
    let mut mismatches = Vec::new();
    for (b, chunk) in literals.chunks(1000).enumerate() {
        let mut source = String::new();
        for (i, lit) in chunk.iter().enumerate() {
            source.push_str(&format!("x = ({lit}, 'k{i}')\n"));
        }
        let saved = oracle_texts(dir, &format!("{prefix}{b}"), &source, chunk.len());
        for (lit, want) in chunk.iter().zip(saved) {
            let got = ours(lit);
            if got != want {
                mismatches.push(format!(
                    "{lit}: oracle {}{:?}, ours {}{:?}",
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
fn literals_match_mpy_cross_1_29() {
    let dir = tempfile::tempdir().expect("a scratch dir");
    let mut literals = edge_literals();
    // MPYC_FLOAT129_LITERALS scales the random part up for a longer run (default 6,000).
    let random: usize = std::env::var("MPYC_FLOAT129_LITERALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6_000);
    let mut rng = Rng(0xF10A_7129);
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
    let (saved, mut mismatches) = check(dir.path(), "lit", &literals);

    // The saved texts read back as literals: the reader on the printer's own output
    // (`0.999988867182683e-320` and the like).
    let again: Vec<String> = saved
        .iter()
        .map(|(_, t)| t.clone())
        .filter(|t| !t.contains('n') && !t.starts_with('('))
        .collect();
    let (_, more) = check(dir.path(), "again", &again);
    mismatches.extend(more);
    eprintln!(
        "float literals checked against mpy-cross 1.29: {} literals, {} saved texts re-read",
        literals.len(),
        again.len()
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

/// Number tokens the lexer hands over that may be malformed, and constant expressions over
/// floats and complex numbers the parser folds: the oracle either writes a file (ours must be
/// its bytes) or fails (ours must fail with its last line, `SyntaxError: invalid syntax for
/// number` for the bad tokens).
#[test]
fn odd_tokens_and_folded_floats_match_mpy_cross_1_29() {
    let dir = tempfile::tempdir().expect("a scratch dir");
    let cases = [
        "1e",
        "1e+",
        "0e",
        "1.5e",
        "1.5jx",
        "1..5",
        "1.5j5",
        "1.5ej",
        "1.5e5j",
        "1.5x",
        "1.5e5e",
        "1.5E-j",
        "1.jj",
        "1.5_j",
        "1.e+5j",
        "1e5.5",
        "1_e5",
        "1e_5",
        ".5e-_3",
        "1e5_",
        "1__0.5",
        "00.5",
        "0777.5",
        "-0.0",
        "-(0.0)",
        "1.5*2",
        "2**0.5",
        "1/3",
        "1+2j",
        "-0.0+1j",
        "(1+2j)*(3-4j)",
        "1e400-1e400",
        "1e400*0",
        "-1e400",
        "0.1+0.2",
        "2.0**-1074",
        "1e308*10",
        "7.0//2",
        "-7.5%2",
        "1j*1j",
        "-(1j)",
        "0j*-1",
        "math.pi",
        "-math.inf",
    ];
    let mut mismatches = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = format!("odd{i}");
        let source = format!("import math\nx = {case}\n");
        let py = dir.path().join(format!("{name}.py"));
        let mpy = dir.path().join(format!("{name}.mpy"));
        std::fs::write(&py, &source).expect("write the case");
        let out = Command::new(testkit::oracle_129())
            .arg("-o")
            .arg(&mpy)
            .arg(format!("{name}.py"))
            .current_dir(dir.path())
            .output()
            .expect("mpy-cross 1.29 runs");
        let theirs = if out.status.success() {
            Ok(std::fs::read(&mpy).expect("read the oracle's output"))
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            Err(stderr.lines().last().unwrap_or_default().to_string())
        };
        let mut opts = CompileOptions::default();
        opts.target.release = mpcore::Release::V1_29;
        let path = format!("{name}.py");
        let names = SourceNames {
            path: path.as_bytes(),
            source_name: None,
        };
        let ours = compiler::release::v1_29::compile(source.as_bytes(), names, &opts)
            .map(|m| mpyfile::v6::write(&m).expect("the module writes"))
            .map_err(|e| e.render().lines().last().unwrap_or_default().to_string());
        if ours != theirs {
            mismatches.push(format!(
                "{case}: oracle {:?}, ours {:?}",
                theirs.as_ref().map(Vec::len),
                ours.as_ref().map(Vec::len)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
