//! Helpers shared by the per-architecture encoder tests: run a closure through a compute pass
//! and the emit pass, and parse hex from oracle dumps.

#![allow(dead_code)] // each test binary uses a different subset of these helpers

use asm::{Asm, Pass, Result};

/// Runs `body` as mpy-cross 1.11 runs a native scope (compile.c: the stack-size and code-size
/// passes compute, then the emit pass) and returns the emitted machine code.
pub fn assemble<A: Asm>(labels: usize, body: impl Fn(&mut A) -> Result<()>) -> Result<Vec<u8>> {
    let mut a = A::new(labels);
    for pass in [Pass::Compute, Pass::Compute, Pass::Emit] {
        a.start_pass(pass);
        body(&mut a)?;
        a.end_pass()?;
    }
    Ok(a.code().to_vec())
}

/// Bytes of one instruction sequence emitted alone (no labels).
pub fn one<A: Asm>(body: impl Fn(&mut A) -> Result<()>) -> Vec<u8> {
    match assemble::<A>(4, body) {
        Ok(code) => code,
        Err(e) => panic!("assembling failed: {e}"),
    }
}

/// Hex text (spaces allowed) to bytes.
pub fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// The oracle's machine code for raw code `key` (e.g. `viper_ops.1`) in `<arch>.hex`.
pub fn oracle(file: &str, key: &str) -> Vec<u8> {
    for line in file.lines() {
        if let Some(rest) = line.strip_prefix(key) {
            if let Some((_, h)) = rest.strip_prefix(' ').and_then(|r| r.split_once(": ")) {
                return hex(h);
            }
        }
    }
    panic!("no raw code {key} in the oracle file");
}

/// Asserts that `bytes` (our encoding of one or a few instructions) occur in the oracle's
/// machine code for raw code `key`.
pub fn assert_in_oracle(file: &str, key: &str, bytes: &[u8]) {
    let code = oracle(file, key);
    assert!(
        code.windows(bytes.len()).any(|w| w == bytes),
        "{} not found in the oracle's {key}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
}

/// `body` assembles to `expected` (hex), and those bytes occur in the oracle's raw code `key`.
pub fn check<A: Asm>(file: &str, key: &str, expected: &str, body: impl Fn(&mut A) -> Result<()>) {
    let want = hex(expected);
    assert_eq!(
        one::<A>(body),
        want,
        "encoding differs from the oracle's {key} bytes {expected}"
    );
    assert_in_oracle(file, key, &want);
}
