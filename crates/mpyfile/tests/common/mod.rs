//! Shared by the mpyfile integration tests: the oracle (genuine mpy-cross 1.11), the public
//! corpus, flag sets, a compile cache under `target/oracle-cache/` and a seeded sampler.

#![allow(dead_code)]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root exists")
}

/// The oracle: `MPYC_ORACLE`, else the venv the project installs. Fails loudly if missing.
pub use testkit::oracle;

/// The public corpus: CPython 3.11's stdlib (`MPYC_CORPUS` overrides), site-packages excluded.
pub fn corpus_root() -> PathBuf {
    let root = std::env::var_os("MPYC_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(testkit::stdlib_dir);
    assert!(
        root.is_dir(),
        "the corpus is missing at {} (set MPYC_CORPUS)",
        root.display()
    );
    root
}

/// Every `.py` of the corpus, as paths relative to its root, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let root = corpus_root();
    testkit::python_files(&root)
        .into_iter()
        .map(|p| p.strip_prefix(&root).expect("under root").to_path_buf())
        .collect()
}

/// One set of mpy-cross options the round trip is checked under.
#[derive(Clone, Debug)]
pub struct FlagSet {
    pub name: String,
    pub args: Vec<String>,
    /// True for `-X emit=native|viper` sets (the reference aborts on some files there).
    pub native: bool,
}

/// The flag sets of the round-trip check.
pub fn flag_sets() -> Vec<FlagSet> {
    let plain = |name: &str, args: &[&str]| FlagSet {
        name: name.to_string(),
        args: args.iter().map(|s| s.to_string()).collect(),
        native: false,
    };
    let mut v = vec![
        plain("default", &[]),
        plain("cache-lookup-bc", &["-mcache-lookup-bc"]),
        plain("small-int-bits-15", &["-msmall-int-bits=15"]),
        plain("small-int-bits-63", &["-msmall-int-bits=63"]),
        plain("no-unicode", &["-mno-unicode"]),
        plain("O3", &["-O3"]),
    ];
    for emit in ["native", "viper"] {
        for arch in ["x86", "x64", "armv6", "armv7m", "xtensa"] {
            v.push(FlagSet {
                name: format!("{emit}-{arch}"),
                args: vec![
                    "-X".into(),
                    format!("emit={emit}"),
                    format!("-march={arch}"),
                ],
                native: true,
            });
        }
    }
    v
}

/// What the oracle made of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Compiled(Vec<u8>),
    /// A clean compile error (exit 1 with a message): not a `.mpy` to check.
    CompileError,
    /// The oracle aborted or crashed (signal, assertion): skipped and counted.
    Crashed,
}

/// Compiles `rel` (relative to the corpus root) with the oracle under `flags`, through a cache
/// keyed by the source bytes, the embedded name and the flags.
pub fn compile(flags: &FlagSet, rel: &Path) -> Outcome {
    compile_with(&oracle(), "", flags, rel)
}

/// [`compile`] with another oracle (another release's mpy-cross): its cache lives under
/// `target/oracle-cache/<cache_tag>/` and its key also covers the oracle binary's path, size
/// and modification time.
pub fn compile_with(oracle: &Path, cache_tag: &str, flags: &FlagSet, rel: &Path) -> Outcome {
    let root = corpus_root();
    let source = std::fs::read(root.join(rel)).expect("corpus file readable");
    let rel_text = rel.to_string_lossy().into_owned();
    let mut h = DefaultHasher::new();
    source.hash(&mut h);
    rel_text.hash(&mut h);
    flags.args.hash(&mut h);
    if !cache_tag.is_empty() {
        oracle.hash(&mut h);
        let meta = std::fs::metadata(oracle).expect("the oracle exists");
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
    }
    let key = format!("{:016x}", h.finish());
    let dir = workspace_root()
        .join("target/oracle-cache")
        .join(cache_tag)
        .join(&flags.name);
    std::fs::create_dir_all(&dir).expect("cache dir");
    let mpy = dir.join(format!("{key}.mpy"));
    let status = dir.join(format!("{key}.status"));
    if let Ok(s) = std::fs::read_to_string(&status) {
        match s.trim() {
            "ok" => {
                if let Ok(bytes) = std::fs::read(&mpy) {
                    return Outcome::Compiled(bytes);
                }
            }
            "error" => return Outcome::CompileError,
            "crash" => return Outcome::Crashed,
            _ => {}
        }
    }
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let unique = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp_out = dir.join(format!("{key}.{}.{unique}.tmp", std::process::id()));
    let out = testkit::output_retrying(
        Command::new(oracle)
            .args(&flags.args)
            .arg("-s")
            .arg(&rel_text)
            .arg("-o")
            .arg(&tmp_out)
            .arg(root.join(rel)),
    )
    .expect("the oracle runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let outcome = match out.status.code() {
        Some(0) => Outcome::Compiled(std::fs::read(&tmp_out).expect("the oracle wrote its output")),
        Some(1) if !stderr.contains("Assertion") && !stderr.is_empty() => Outcome::CompileError,
        _ => Outcome::Crashed,
    };
    let _ = std::fs::remove_file(&tmp_out);
    let tag = match &outcome {
        Outcome::Compiled(bytes) => {
            // Write then rename, so a concurrent reader never sees half a file.
            let tmp_mpy = dir.join(format!("{key}.{}.{unique}.part", std::process::id()));
            std::fs::write(&tmp_mpy, bytes).expect("cache write");
            std::fs::rename(&tmp_mpy, &mpy).expect("cache rename");
            "ok"
        }
        Outcome::CompileError => "error",
        Outcome::Crashed => "crash",
    };
    let tmp_status = dir.join(format!("{key}.{}.{unique}.stpart", std::process::id()));
    std::fs::write(&tmp_status, tag).expect("cache write");
    std::fs::rename(&tmp_status, &status).expect("cache rename");
    outcome
}

/// True when `MPYC_CONFORMANCE_FULL=1`: every corpus file instead of a sample.
pub fn full_run() -> bool {
    std::env::var("MPYC_CONFORMANCE_FULL").is_ok_and(|v| v == "1")
}

/// The deterministic generator samples and mutations are drawn from (reproducible).
pub use testkit::Rng;

/// `n` files of `files` chosen with a fixed seed (all of them on a full run).
pub fn sample(files: &[PathBuf], n: usize, seed: u64) -> Vec<PathBuf> {
    if full_run() || files.len() <= n {
        return files.to_vec();
    }
    let mut idx: Vec<usize> = (0..files.len()).collect();
    let mut rng = Rng(seed);
    for i in 0..n {
        let j = i + rng.below(idx.len() - i);
        idx.swap(i, j);
    }
    let mut chosen: Vec<PathBuf> = idx[..n].iter().map(|&i| files[i].clone()).collect();
    chosen.sort();
    chosen
}

/// Runs `f` over `items` on two threads (the machine has two cores), keeping input order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = 2;
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(|| c.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker thread"))
            .collect()
    })
}
