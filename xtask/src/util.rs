//! Small shared pieces: workspace paths, running commands, hashing and the CPython corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use anyhow::{bail, Context, Result};

/// The workspace root (the folder holding the top-level Cargo.toml).
pub fn root() -> PathBuf {
    let xtask = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().map(Path::to_path_buf).unwrap_or(xtask)
}

/// The `cargo` that runs us (so toolchain overrides carry through).
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs a command with inherited output, reporting it first; returns its status.
pub fn run_status(cmd: &mut Command) -> Result<ExitStatus> {
    eprintln!("xtask: running {}", describe(cmd));
    cmd.status()
        .with_context(|| format!("cannot start {}", describe(cmd)))
}

/// Runs a command with inherited output and fails unless it succeeds.
pub fn run_checked(cmd: &mut Command) -> Result<()> {
    let status = run_status(cmd)?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

/// A command as a shell-like line, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set, else `target/` in the workspace.
/// (The oracle venv and the caches always live in the workspace's own `target/`.)
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => root().join(d),
        None => root().join("target"),
    }
}

/// A folder `NAME-<pid>` in `/dev/shm` when that is there: a memory file system, where creating
/// and removing files costs the same whatever happened on the disk before (see the bench's
/// module doc).
pub fn memory_dir(name: &str) -> Option<PathBuf> {
    let shm = Path::new("/dev/shm");
    shm.is_dir()
        .then(|| shm.join(format!("{name}-{}", std::process::id())))
}

/// Builds the `mpyc` binary in release mode and returns its path.
pub fn build_mpyc_release() -> Result<PathBuf> {
    run_checked(cargo().args(["build", "--release", "-p", "mpyc"]))?;
    let bin = target_dir().join("release/mpyc");
    if !bin.exists() {
        bail!("cargo built mpyc but {} is missing", bin.display());
    }
    Ok(bin)
}

/// CPython's stdlib folder, as `python3` reports it.
pub fn cpython_stdlib() -> Result<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .context("cannot run python3 to locate the stdlib")?;
    if !out.status.success() {
        bail!("python3 could not report its stdlib path");
    }
    let text = String::from_utf8(out.stdout).context("stdlib path is not UTF-8")?;
    Ok(PathBuf::from(text.trim()))
}

/// Every `.py` file under `dir` (recursive, sorted by path), skipping `site-packages`
/// (third-party code installed into the interpreter, not part of the stdlib).
pub fn python_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))?;
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if entry.file_name() != "site-packages" && entry.file_name() != "__pycache__" {
                    stack.push(path);
                }
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "py") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// A 128-bit FNV-1a digest in hex: stable across runs and machines (cache keys).
pub fn digest(parts: &[&[u8]]) -> String {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x6c62_272e_07bb_0142;
    for part in parts {
        for &byte in part.iter().chain((part.len() as u64).to_le_bytes().iter()) {
            a = (a ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
            b = (b ^ u64::from(byte))
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(5);
        }
    }
    format!("{a:016x}{b:016x}")
}

/// Seconds as text with sensible precision.
pub fn secs(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}
