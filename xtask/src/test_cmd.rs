//! `cargo xtask test`: the whole check CI runs: oracles (1.11 and 1.12 to 1.29, one venv each),
//! formatting, clippy and every test.

use std::ffi::OsString;

use anyhow::{bail, Result};

use crate::util::{cargo, run_status};

/// Runs every step even after a failure, then fails if any step did.
pub fn cmd(extra: &[OsString]) -> Result<()> {
    let mut oracles = Vec::new();
    for o in crate::oracle::ALL {
        oracles.push((o.env, crate::oracle::ensure_release(o)?));
    }
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
            .envs(oracles.iter().map(|(env, path)| (env, path))),
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
