//! `cargo xtask test`: the whole check CI runs: oracles (1.11 and 1.29), formatting, clippy and
//! every test.

use std::ffi::OsString;

use anyhow::{bail, Result};

use crate::util::{cargo, run_status};

/// Runs every step even after a failure, then fails if any step did.
pub fn cmd(extra: &[OsString]) -> Result<()> {
    let oracle = crate::oracle::ensure()?;
    let oracle_129 = crate::oracle::ensure_release(&crate::oracle::V1_29)?;
    let mut failed = Vec::new();

    let fmt = run_status(cargo().args(["fmt", "--all", "--", "--check"]))?;
    if !fmt.success() {
        failed.push("cargo fmt --all -- --check");
    }
    let clippy = run_status(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    if !clippy.success() {
        failed.push("cargo clippy --workspace --all-targets -- -D warnings");
    }
    let test = run_status(
        cargo()
            .args(["test", "--workspace"])
            .args(extra)
            .env("MPYC_ORACLE", &oracle)
            .env(crate::oracle::V1_29.env, &oracle_129),
    )?;
    if !test.success() {
        failed.push("cargo test --workspace");
    }

    if failed.is_empty() {
        eprintln!("xtask: all checks passed");
        Ok(())
    } else {
        bail!("failed: {}", failed.join("; "))
    }
}
