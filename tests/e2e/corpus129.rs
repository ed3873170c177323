//! The hand-written regression corpus (`tests/corpus/<topic>/*.py`) against mpy-cross 1.29,
//! and a sample of it against each of 1.12 to 1.28.
//!
//! Every corpus file is compiled under each of 1.29's flag sets ([`FLAG_SETS_129`]) by
//! mpy-cross 1.29 and by `mpyc compile --micropython 1.29`, both run from the repository root
//! with the same relative input path; they must agree on exit code, stdout, stderr and output
//! bytes, with the exceptions of `corpus::judge`: where the reference crashes or runs out of
//! heap mpyc must finish cleanly, and a file with native code (mpyc writes none for 1.29 yet)
//! may be refused with mpyc's "does not support" error.
//! `MPYC_CORPUS129_SAMPLE=N` compiles every N-th (file, flag set) pair only (a seeded CI
//! sample; the offset is `MPYC_DIFF_SEED` modulo N).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::corpus::{compile_with, corpus_files, judge, repo_root};
use std::path::Path;

use crate::support::{mpyc, oracle_129, oracle_release, TempDir};

/// 1.29's flag sets (those of `cargo xtask conformance --micropython 1.29`, bytecode only).
pub const FLAG_SETS_129: &[&[&str]] = &[
    &[],
    &["-O1"],
    &["-O2"],
    &["-O3"],
    &["-msmall-int-bits=15"],
    &["-msmall-int-bits=63"],
    &["-X", "no-source-lines"],
];

#[test]
fn corpus_agrees_with_mpy_cross_1_29() {
    let every = sample_every("MPYC_CORPUS129_SAMPLE", 1);
    corpus_agrees("1.29", &oracle_129(), FLAG_SETS_129, every);
}

/// 1.19 to 1.28: the corpus under each release's flag sets (1.29's but `-X no-source-lines`),
/// every 20th (file, flag set) pair per release (offset by `MPYC_DIFF_SEED`) unless
/// `MPYC_CORPUS_RELEASES_SAMPLE` says otherwise (1 runs them all).
#[test]
fn corpus_agrees_with_mpy_cross_1_19_to_1_28() {
    let every = sample_every("MPYC_CORPUS_RELEASES_SAMPLE", 20);
    let flag_sets = &FLAG_SETS_129[..FLAG_SETS_129.len() - 1];
    for release in [
        "1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27", "1.28",
    ] {
        corpus_agrees(release, &oracle_release(release), flag_sets, every);
    }
}

/// The `.mpy` v5 releases' flag sets for the corpus (`FLAG_SETS_V5` of `cargo xtask
/// conformance`: 1.29's bytecode sets but `-X no-source-lines`, and `-mno-unicode`).
const FLAG_SETS_V5: &[&[&str]] = &[
    &[],
    &["-O1"],
    &["-O2"],
    &["-O3"],
    &["-msmall-int-bits=15"],
    &["-msmall-int-bits=63"],
    &["-mno-unicode"],
];

/// 1.12 to 1.18 (`.mpy` v5): the corpus under their flag sets, sampled as
/// [`corpus_agrees_with_mpy_cross_1_19_to_1_28`].
#[test]
fn corpus_agrees_with_mpy_cross_v5_releases() {
    let every = sample_every("MPYC_CORPUS_RELEASES_SAMPLE", 20);
    for release in ["1.12", "1.13", "1.14", "1.15", "1.16", "1.17", "1.18"] {
        corpus_agrees(release, &oracle_release(release), FLAG_SETS_V5, every);
    }
}

/// Corpus files mpyc knowingly compiles differently from a release's mpy-cross
/// (`<release> <path>  # why`): they are left out of that release's comparison.
const KNOWN_DIFFER: &str = include_str!("corpus_releases_known_differ.txt");

/// The sampling step named by `var` (`default` when it is not set).
fn sample_every(var: &str, default: usize) -> usize {
    match std::env::var(var) {
        Ok(v) => v
            .trim()
            .parse::<usize>()
            .unwrap_or_else(|_| panic!("{var} must be a number"))
            .max(1),
        Err(_) => default,
    }
}

/// Compiles every `every`-th (corpus file, flag set) pair with `oracle_bin` and with
/// `mpyc compile --micropython release`; asserts that they agree (see `corpus::judge`).
fn corpus_agrees(release: &str, oracle_bin: &Path, flag_sets: &[&[&str]], every: usize) {
    let known: Vec<&str> = KNOWN_DIFFER
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .filter(|(r, _)| *r == release)
        .map(|(_, f)| f.split(" #").next().unwrap_or(f).trim())
        .collect();
    let root = repo_root();
    let files = corpus_files(&root.join("tests/corpus"));
    assert!(
        files.len() >= 300,
        "the corpus has shrunk to {} files",
        files.len()
    );
    let offset = match std::env::var("MPYC_DIFF_SEED") {
        Ok(v) => v.trim().parse::<usize>().unwrap_or(0) % every,
        Err(_) => 0,
    };
    let jobs: Vec<(&str, &[&str])> = files
        .iter()
        .filter(|f| !known.contains(&f.as_str()))
        .flat_map(|f| flag_sets.iter().map(move |fl| (f.as_str(), *fl)))
        .enumerate()
        .filter(|(i, _)| i % every == offset)
        .map(|(_, job)| job)
        .collect();
    let scratch = TempDir::new("corpus129");
    let mpyc_bin = mpyc();
    let next = AtomicUsize::new(0);
    let exact = AtomicUsize::new(0);
    let accepted = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for t in 0..2 {
            let (jobs, next, exact, accepted, failures) =
                (&jobs, &next, &exact, &accepted, &failures);
            let (root, mpyc_bin) = (&root, &mpyc_bin);
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
                    &["compile", "--micropython", release],
                    flags,
                    file,
                    root,
                    &out_m,
                );
                let source = std::fs::read(root.join(file)).unwrap_or_default();
                let native = file.contains("/native/")
                    || source.windows(12).any(|w| w == b"@micropython")
                    || source.windows(5).any(|w| w == b"emit=");
                match judge(native, &o, &m) {
                    Ok(true) => {
                        exact.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(false) => {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(why) => failures
                        .lock()
                        .expect("lock")
                        .push(format!("{file} [{}]: {why}", flags.join(" "))),
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("lock");
    failures.sort();
    eprintln!(
        "corpus ({release}): {} files x {} flag sets, {} runs (every {every}th); {} identical, {} accepted (native refusal or oracle crash), {} disagreements",
        files.len(),
        flag_sets.len(),
        jobs.len(),
        exact.load(Ordering::Relaxed),
        accepted.load(Ordering::Relaxed),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus runs disagree with mpy-cross {release}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
