//! A seeded sample of `cargo xtask conformance --micropython 1.29` for CI: CPython's standard
//! library files (`sysconfig`'s `stdlib`, `site-packages` left out), 30 per flag set of
//! [`FLAG_SETS_129`], compiled by mpy-cross 1.29 and by `mpyc compile --micropython 1.29`
//! with the same arguments and input path; they must agree as the corpus runs must
//! (`corpus::judge`). The sample is drawn from `MPYC_CONFORMANCE129_SEED` (default 1), a
//! different draw per flag set; `MPYC_CONFORMANCE129_FILES=N` takes N files per set.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::corpus::{compile_with, judge};
use crate::corpus129::FLAG_SETS_129;
use crate::differential::Rng;
use crate::support::{mpyc, oracle_129, TempDir};

/// CPython's standard library folder, as the conformance run finds it.
fn stdlib() -> PathBuf {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("run python3 to find the standard library");
    assert!(out.status.success(), "python3 could not name its stdlib");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// Every `.py` under `dir` (relative paths, sorted), `site-packages` left out.
fn stdlib_files(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && entry.file_name() != "site-packages" {
                stack.push(p);
            } else if kind.is_file() && p.extension().is_some_and(|e| e == "py") {
                if let Ok(rel) = p.strip_prefix(dir) {
                    found.push(rel.to_string_lossy().into_owned());
                }
            }
        }
    }
    found.sort();
    found
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}"))
        })
        .unwrap_or(default)
}

#[test]
fn stdlib_sample_agrees_with_mpy_cross_1_29() {
    let seed = env_number("MPYC_CONFORMANCE129_SEED", 1);
    let per_set = env_number("MPYC_CONFORMANCE129_FILES", 30) as usize;
    let root = stdlib();
    let files = stdlib_files(&root);
    assert!(
        files.len() > 1000,
        "only {} files in the stdlib at {}",
        files.len(),
        root.display()
    );
    let mut jobs: Vec<(String, &[&str])> = Vec::new();
    for (k, flags) in FLAG_SETS_129.iter().enumerate() {
        let mut rng = Rng::new(seed.wrapping_mul(0x9e37).wrapping_add(k as u64));
        for _ in 0..per_set {
            jobs.push((files[rng.below(files.len())].clone(), *flags));
        }
    }
    let scratch = TempDir::new("conformance129");
    let (oracle_bin, mpyc_bin) = (oracle_129(), mpyc());
    let next = AtomicUsize::new(0);
    let exact = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for t in 0..2 {
            let (jobs, next, exact, failures) = (&jobs, &next, &exact, &failures);
            let (root, oracle_bin, mpyc_bin) = (&root, &oracle_bin, &mpyc_bin);
            let out_o = scratch.path().join(format!("oracle-{t}.mpy"));
            let out_m = scratch.path().join(format!("mpyc-{t}.mpy"));
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((file, flags)) = jobs.get(i) else {
                    break;
                };
                let o = compile_with(oracle_bin, &[], flags, file, root, &out_o);
                let m = compile_with(
                    mpyc_bin,
                    &["compile", "--micropython", "1.29"],
                    flags,
                    file,
                    root,
                    &out_m,
                );
                match judge(false, &o, &m) {
                    Ok(true) => {
                        exact.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(false) => {}
                    Err(why) => failures
                        .lock()
                        .expect("lock")
                        .push(format!("{file} [{}]: {why}", flags.join(" "))),
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    eprintln!(
        "conformance sample (1.29, seed {seed}): {} runs over {} flag sets; {} identical, {} disagreements",
        jobs.len(),
        FLAG_SETS_129.len(),
        exact.load(Ordering::Relaxed),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} stdlib runs disagree with mpy-cross 1.29:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
