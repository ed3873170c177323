//! Helpers shared by the per-architecture encoder tests: run a closure through a compute pass
//! and the emit pass, and parse hex from oracle dumps.

use asm::{Asm, Pass, Result};

/// Runs `body` as the reference's emitter would (one compute pass, then the emit pass) and
/// returns the emitted machine code.
pub fn assemble<A: Asm>(labels: usize, body: impl Fn(&mut A) -> Result<()>) -> Result<Vec<u8>> {
    let mut a = A::new(labels);
    for pass in [Pass::Compute, Pass::Emit] {
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
