//! Helpers for the `mpyc build` tests: scratch trees, running the binary, per-file oracle runs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{mpyc, oracle};

/// A scratch folder with these files (`path`, text) written under `<tmp>/<root>/`.
pub fn tree(root: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("mpyc-build-")
        .tempdir()
        .expect("cannot make a temp dir");
    for (rel, text) in files {
        write(&dir.path().join(root).join(rel), text.as_bytes());
    }
    dir
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

/// A finished `mpyc` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `mpyc <args>` in `dir` with no terminal and no make flags.
pub fn mpyc_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(mpyc())
        .args(args)
        .current_dir(dir)
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .output()
        .expect("cannot run mpyc");
    finish(out)
}

/// Runs the oracle as a firmware Makefile does: `mpy-cross -o <tmp> -s <rel> <flags> <root>/<rel>`
/// in `dir`; returns the bytes, or panics with its stderr.
pub fn oracle_mpy(dir: &Path, root: &str, rel: &str, flags: &[&str]) -> Vec<u8> {
    let out_file = tempfile::NamedTempFile::new().expect("temp file");
    let out = Command::new(oracle())
        .arg("-o")
        .arg(out_file.path())
        .args(["-s", rel])
        .args(flags)
        .arg(format!("{root}/{rel}"))
        .current_dir(dir)
        .output()
        .expect("cannot run the oracle");
    assert!(
        out.status.success(),
        "oracle failed on {root}/{rel}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(out_file.path()).expect("oracle output")
}

/// The oracle's stderr for a file it rejects (run like [`oracle_mpy`]).
pub fn oracle_error(dir: &Path, root: &str, rel: &str, flags: &[&str]) -> String {
    let out_file = tempfile::NamedTempFile::new().expect("temp file");
    let out = Command::new(oracle())
        .arg("-o")
        .arg(out_file.path())
        .args(["-s", rel])
        .args(flags)
        .arg(format!("{root}/{rel}"))
        .current_dir(dir)
        .output()
        .expect("cannot run the oracle");
    assert!(!out.status.success(), "the oracle accepted {root}/{rel}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every regular file under `dir` (relative `/` path -> bytes), hidden files and folders left out.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let e = e.expect("entry");
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Hex of the first bytes, for messages.
pub fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}
