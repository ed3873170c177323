//! The hand-written regression corpus (`tests/corpus/<topic>/*.py`) against mpy-cross 1.11.
//!
//! Every corpus file is compiled under each flag set of [`FLAG_SETS`] (files under `native/`
//! also under [`NATIVE_ARCH_FLAG_SETS`]) by the oracle and by
//! `mpyc compile`, both run from the repository root with the same relative input path and `-o`
//! into separate scratch files. They must agree on exit code, stdout, stderr and output bytes.
//! Two exceptions, both stated exactly:
//! - files under `native/` may instead be refused by mpyc: exit code 1, no output file, and a
//!   stderr that contains "not support" (inline assembler, and native code where the
//!   reference writes wrong code);
//! - where the oracle dies by a signal (its own assertion failures, e.g. a name of 256 bytes or
//!   more) or runs out of its 2 MiB heap (`MemoryError: memory allocation failed, ...`, or a
//!   bare `MemoryError: ` when even the message cannot be allocated), mpyc
//!   must finish cleanly: exit code 0 or 1, no panic, and an error text on failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::support::{escaped, mpyc, oracle, TempDir};

/// The flag sets every corpus file is compiled with.
pub const FLAG_SETS: &[&[&str]] = &[
    &[],
    &["-mcache-lookup-bc"],
    &["-msmall-int-bits=15"],
    &["-msmall-int-bits=63"],
    &["-O1"],
    &["-O2"],
    &["-O3"],
    &["-mno-unicode"],
];

/// The flag sets files under `native/` are also compiled with: their decorators and whole
/// modules on the ARM, Thumb and Xtensa back ends.
const NATIVE_ARCH_FLAG_SETS: &[&[&str]] = &[
    &["-march=armv6"],
    &["-march=armv7m"],
    &["-march=xtensa"],
    &["-X", "emit=viper", "-march=armv7m"],
    &["-X", "emit=native", "-march=xtensa"],
];

/// What one compiler run did: exit code (negative: killed by that signal), streams, output file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub output: Option<Vec<u8>>,
}

/// The repository root (the corpus paths are given relative to it).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// How long one compile may run before it is killed: 60 s, or `MPYC_RUN_LIMIT` seconds (a
/// fuzzing run may shorten it: mpy-cross 1.13 to 1.18 fold `2 ** 62 ** 238` until their heap
/// is exhausted, 20 s of CPU or more, which a run killed sooner judges alike).
fn run_limit() -> std::time::Duration {
    static LIMIT: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        let secs = std::env::var("MPYC_RUN_LIMIT").map_or(60, |v| {
            v.trim()
                .parse::<u64>()
                .unwrap_or_else(|_| panic!("MPYC_RUN_LIMIT must be a number of seconds, not {v:?}"))
        });
        std::time::Duration::from_secs(secs.max(1))
    })
}

/// Runs `program [prefix] flags -o out input` in `dir`, with a wall-clock guard.
pub fn compile_with(
    program: &Path,
    prefix: &[&str],
    flags: &[&str],
    input: &str,
    dir: &Path,
    out: &Path,
) -> Run {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let _ = std::fs::remove_file(out);
    let mut child = Command::new(program)
        .args(prefix)
        .args(flags)
        .arg("-o")
        .arg(out)
        .arg(input)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    // Drained on their own threads, so a chatty run cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    // The reference loops for ever on some programs (seen once in 300,000 differential
    // programs): a run past the limit is killed and counts as a crash (exit code -9).
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < run_limit() => {
                std::thread::sleep(std::time::Duration::from_micros(250))
            }
            _ => {
                let _ = child.kill();
                break child.wait().expect("waiting for a killed run");
            }
        }
    };
    Run {
        code: status
            .code()
            .unwrap_or_else(|| -status.signal().unwrap_or(0)),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        output: std::fs::read(out).ok(),
    }
}

/// How the two runs differ, in words (None: they agree).
pub fn difference(oracle: &Run, ours: &Run) -> Option<String> {
    if oracle == ours {
        return None;
    }
    let mut why = Vec::new();
    if oracle.code != ours.code {
        why.push(format!(
            "exit code: oracle {} vs mpyc {}",
            oracle.code, ours.code
        ));
    }
    for (name, a, b) in [
        ("stdout", &oracle.stdout, &ours.stdout),
        ("stderr", &oracle.stderr, &ours.stderr),
    ] {
        if a != b {
            why.push(format!(
                "{name}: oracle {:?} vs mpyc {:?}",
                escaped(a),
                escaped(b)
            ));
        }
    }
    match (&oracle.output, &ours.output) {
        (Some(a), Some(b)) if a != b => {
            let at = a
                .iter()
                .zip(b.iter())
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            why.push(format!(
                "output: first differing byte at offset {at} (oracle {} vs mpyc {}; lengths {} vs {})",
                a.get(at).map_or("end".to_string(), |x| format!("{x:#04x}")),
                b.get(at).map_or("end".to_string(), |x| format!("{x:#04x}")),
                a.len(),
                b.len()
            ));
        }
        (Some(_), None) => why.push("output: oracle wrote a file, mpyc did not".into()),
        (None, Some(_)) => why.push("output: mpyc wrote a file, the oracle did not".into()),
        _ => {}
    }
    Some(why.join("; "))
}

/// The verdict on one (file, flags) pair: Ok(true) agreed exactly, Ok(false) accepted under one of
/// the two stated exceptions, Err(reason) a real disagreement.
pub fn judge(native: bool, oracle: &Run, ours: &Run) -> Result<bool, String> {
    let Some(diff) = difference(oracle, ours) else {
        return Ok(true);
    };
    let ours_err = String::from_utf8_lossy(&ours.stderr);
    let oracle_err = String::from_utf8_lossy(&oracle.stderr);
    // Out of heap: the usual message, or the bare form printed when even the message cannot be
    // allocated.
    let oracle_oom = oracle.code == 1
        && (oracle_err.starts_with("MemoryError: memory allocation failed")
            || oracle_err == "MemoryError: \n");
    if oracle.code < 0 || oracle_oom {
        // The reference crashed or ran out of its 2 MiB heap: mpyc owes a clean result or a
        // clean error.
        let clean = (ours.code == 0 && ours.output.is_some())
            || (ours.code == 1 && !ours.stderr.is_empty() && ours.output.is_none());
        if clean && !ours_err.contains("panicked") {
            return Ok(false);
        }
        return Err(format!(
            "the oracle died (exit code {}), and mpyc did not finish cleanly: {diff}",
            oracle.code
        ));
    }
    if native && ours.code == 1 && ours.output.is_none() && ours_err.contains("not support") {
        return Ok(false);
    }
    Err(diff)
}

/// Every `.py` file under `dir`, as paths relative to the repository root, sorted.
pub fn corpus_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display()));
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "py") {
                let rel = p
                    .strip_prefix(repo_root())
                    .expect("corpus file under the repository root");
                found.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn corpus_agrees_with_oracle() {
    let root = repo_root();
    // `MPYC_CORPUS_DIR=tests/corpus-known-failing` checks the cases set aside (by hand, not in CI).
    let chosen = std::env::var("MPYC_CORPUS_DIR").ok();
    let dir = chosen.clone().unwrap_or_else(|| "tests/corpus".to_string());
    let files = corpus_files(&root.join(&dir));
    assert!(
        files.len() >= 200 || (chosen.is_some() && !files.is_empty()),
        "the corpus under {dir} has shrunk to {} files",
        files.len()
    );
    let jobs: Vec<(&str, &[&str])> = files
        .iter()
        .flat_map(|f| {
            let arches = if f.contains("/native/") {
                NATIVE_ARCH_FLAG_SETS
            } else {
                &[]
            };
            FLAG_SETS
                .iter()
                .chain(arches)
                .map(move |fl| (f.as_str(), *fl))
        })
        .collect();
    let scratch = TempDir::new("corpus");
    let oracle_bin = oracle();
    let mpyc_bin = mpyc();
    let next = AtomicUsize::new(0);
    let exact = AtomicUsize::new(0);
    let accepted = Mutex::new(Vec::new());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for t in 0..2 {
            let (jobs, next, exact, accepted, failures) =
                (&jobs, &next, &exact, &accepted, &failures);
            let (root, oracle_bin, mpyc_bin) = (&root, &oracle_bin, &mpyc_bin);
            let out_o = scratch.path().join(format!("oracle-{t}.mpy"));
            let out_m = scratch.path().join(format!("mpyc-{t}.mpy"));
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(file, flags)) = jobs.get(i) else {
                    break;
                };
                let o = compile_with(oracle_bin, &[], flags, file, root, &out_o);
                let m = compile_with(
                    mpyc_bin,
                    &["compile", "--reference-nlr-buf"],
                    flags,
                    file,
                    root,
                    &out_m,
                );
                let native = file.contains("/native/");
                match judge(native, &o, &m) {
                    Ok(true) => {
                        exact.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(false) => accepted
                        .lock()
                        .expect("lock")
                        .push(format!("{file} [{}]", flags.join(" "))),
                    Err(why) => failures
                        .lock()
                        .expect("lock")
                        .push(format!("{file} [{}]: {why}", flags.join(" "))),
                }
            });
        }
    });
    let mut accepted = accepted.into_inner().expect("lock");
    accepted.sort();
    for case in &accepted {
        eprintln!("corpus: accepted without an exact match: {case}");
    }
    let mut failures = failures.into_inner().expect("lock");
    failures.sort();
    eprintln!(
        "corpus: {} files x {} flag sets (+{} for native/) = {} runs; {} identical, {} accepted (native refusal or oracle crash), {} disagreements",
        files.len(),
        FLAG_SETS.len(),
        NATIVE_ARCH_FLAG_SETS.len(),
        jobs.len(),
        exact.load(Ordering::Relaxed),
        accepted.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus runs disagree with mpy-cross 1.11:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn judge_refuses_real_differences() {
    let ok = Run {
        code: 0,
        stdout: Vec::new(),
        stderr: Vec::new(),
        output: Some(vec![0x4d, 4, 0, 31]),
    };
    let other = Run {
        output: Some(vec![0x4d, 4, 2, 31]),
        ..ok.clone()
    };
    let why = judge(false, &ok, &other).expect_err("bytes differ");
    assert!(why.contains("offset 2"), "{why}");
    let refusal = Run {
        code: 1,
        stdout: Vec::new(),
        stderr: b"NotImplementedError: mpyc does not support @micropython.native yet\n".to_vec(),
        output: None,
    };
    // A refusal is only accepted for files of the native topic.
    assert_eq!(judge(true, &ok, &refusal), Ok(false));
    assert!(judge(false, &ok, &refusal).is_err());
    // An oracle crash needs a clean mpyc result; a panic is not one.
    let crash = Run {
        code: -6,
        stdout: Vec::new(),
        stderr: b"mpy-cross: assertion failed\n".to_vec(),
        output: None,
    };
    assert_eq!(judge(false, &crash, &ok), Ok(false));
    let panic = Run {
        code: 101,
        stdout: Vec::new(),
        stderr: b"thread 'main' panicked".to_vec(),
        output: None,
    };
    assert!(judge(false, &crash, &panic).is_err());
    let oom = Run {
        code: 1,
        stdout: Vec::new(),
        stderr: b"MemoryError: memory allocation failed, allocating 527256 bytes\n".to_vec(),
        output: None,
    };
    assert_eq!(judge(false, &oom, &ok), Ok(false));
    assert!(judge(false, &oom, &panic).is_err());
    let bare_oom = Run {
        stderr: b"MemoryError: \n".to_vec(),
        ..oom.clone()
    };
    assert_eq!(judge(false, &bare_oom, &ok), Ok(false));
    // Any other error of the oracle's must be matched exactly.
    let syntax = Run {
        stderr: b"SyntaxError: invalid syntax\n".to_vec(),
        ..oom.clone()
    };
    assert!(judge(false, &syntax, &ok).is_err());
}
