//! `cargo xtask conformance`: every stdlib file through the oracle and `mpyc compile`, byte for byte.
//!
//! For each flag set and each `.py` file of CPython's stdlib, both compilers get the same
//! arguments and the same input path string; the outputs must be identical, or, where the oracle
//! fails, the stderr text and exit code must be. Oracle results are cached (keyed by the file's
//! content hash, the flags, the path and the oracle's path) under
//! `target/oracle-cache/`. Then the crates' own conformance tests run in full.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::flag_sets::FlagSet;
use crate::oracle::Oracle;
use crate::util::{
    build_mpyc_release, cargo, cpython_stdlib, digest, python_files, root, run_status,
};

/// How mpyc says it has no back end for a construct the reference compiles.
const REFUSAL: &str = "NotImplementedError: mpyc does not support ";

/// How many differing files are shown per flag set without `--verbose`.
const SHOWN_PER_SET: usize = 20;
/// A single compilation taking longer than this counts as a failure.
const TIME_LIMIT: Duration = Duration::from_secs(60);
const WORKERS: usize = 2;

/// How a compiler process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Exit(i32),
    Signal(i32),
    TimedOut,
}

impl Status {
    fn from_exit(s: ExitStatus) -> Status {
        match (s.code(), s.signal()) {
            (Some(c), _) => Status::Exit(c),
            (None, Some(sig)) => Status::Signal(sig),
            (None, None) => Status::Exit(-1),
        }
    }

    fn describe(&self) -> String {
        match self {
            Status::Exit(c) => format!("exit {c}"),
            Status::Signal(s) => format!("killed by signal {s}"),
            Status::TimedOut => format!("timed out after {}s", TIME_LIMIT.as_secs()),
        }
    }
}

/// Everything observable about one compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RunResult {
    status: Status,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// The bytes written to the output file, if one was written.
    output: Option<Vec<u8>>,
}

impl RunResult {
    /// Serialises for the oracle cache.
    fn encode(&self) -> Vec<u8> {
        let mut b = Vec::new();
        let head = match self.status {
            Status::Exit(c) => format!("exit {c}\n"),
            Status::Signal(s) => format!("signal {s}\n"),
            Status::TimedOut => "timeout\n".to_string(),
        };
        b.extend_from_slice(head.as_bytes());
        for (name, data) in [
            ("stdout", Some(&self.stdout)),
            ("stderr", Some(&self.stderr)),
            ("output", self.output.as_ref()),
        ] {
            match data {
                Some(d) => {
                    b.extend_from_slice(format!("{name} {}\n", d.len()).as_bytes());
                    b.extend_from_slice(d);
                }
                None => b.extend_from_slice(format!("{name} none\n").as_bytes()),
            }
        }
        b
    }

    /// Reads a cache entry; `None` when it is damaged.
    fn decode(mut b: &[u8]) -> Option<RunResult> {
        fn line<'a>(b: &mut &'a [u8]) -> Option<&'a str> {
            let end = b.iter().position(|&c| c == b'\n')?;
            let (l, rest) = b.split_at(end);
            *b = rest.get(1..)?;
            std::str::from_utf8(l).ok()
        }
        fn field(b: &mut &[u8], name: &str) -> Option<Option<Vec<u8>>> {
            let l = line(b)?;
            let value = l.strip_prefix(name)?.strip_prefix(' ')?;
            if value == "none" {
                return Some(None);
            }
            let n: usize = value.parse().ok()?;
            let data = b.get(..n)?.to_vec();
            *b = b.get(n..)?;
            Some(Some(data))
        }
        let head = line(&mut b)?;
        let status = if let Some(c) = head.strip_prefix("exit ") {
            Status::Exit(c.parse().ok()?)
        } else if let Some(s) = head.strip_prefix("signal ") {
            Status::Signal(s.parse().ok()?)
        } else {
            Status::TimedOut
        };
        let stdout = field(&mut b, "stdout")??;
        let stderr = field(&mut b, "stderr")??;
        let output = field(&mut b, "output")?;
        b.is_empty().then_some(RunResult {
            status,
            stdout,
            stderr,
            output,
        })
    }
}

/// Waits for a child, killing it after the time limit.
fn wait_limited(child: &mut Child) -> Result<Option<ExitStatus>> {
    let start = Instant::now();
    let mut nap = Duration::from_micros(300);
    loop {
        if let Some(s) = child.try_wait()? {
            return Ok(Some(s));
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
}

/// Runs one compiler (`prefix` then the flags, `-o OUT` and the input) in a worker's scratch dir.
fn run_compiler(
    program: &Path,
    prefix: &[&str],
    flags: &[&str],
    input: &Path,
    work: &Path,
) -> Result<RunResult> {
    let out = work.join("out.mpy");
    let stdout_path = work.join("stdout");
    let stderr_path = work.join("stderr");
    let _ = std::fs::remove_file(&out);
    let mut child = Command::new(program)
        .args(prefix)
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(input)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path)?)
        .stderr(std::fs::File::create(&stderr_path)?)
        .spawn()
        .with_context(|| format!("cannot start {}", program.display()))?;
    let status = match wait_limited(&mut child)? {
        Some(s) => Status::from_exit(s),
        None => Status::TimedOut,
    };
    Ok(RunResult {
        status,
        stdout: std::fs::read(&stdout_path)?,
        stderr: std::fs::read(&stderr_path)?,
        output: std::fs::read(&out).ok(),
    })
}

/// How one comparison came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// The same bytes, or the same error text and exit status.
    Agree,
    /// The reference crashed (its own assertion failures, a signal, a time-out) and mpyc gave
    /// output or a clean error, without a panic: what we owe there.
    OracleCrashedMpycClean,
    /// The reference wrote code and mpyc refused cleanly with its `NotImplementedError`
    /// (a native back end it does not have yet): a known gap, not a disagreement.
    Refused,
    Differ,
}

/// The verdict for one (flag set, file) pair.
#[derive(Debug)]
struct Outcome {
    oracle: RunResult,
    mpyc: RunResult,
    verdict: Verdict,
}

impl Outcome {
    fn judge(oracle: RunResult, mpyc: RunResult) -> Outcome {
        let clean = matches!(mpyc.status, Status::Exit(0) | Status::Exit(1))
            && !String::from_utf8_lossy(&mpyc.stderr).contains("panicked");
        let refused = mpyc.status == Status::Exit(1)
            && String::from_utf8_lossy(&mpyc.stderr)
                .lines()
                .last()
                .is_some_and(|l| l.starts_with(REFUSAL));
        let verdict = match oracle.status {
            Status::Signal(_) | Status::TimedOut if clean => Verdict::OracleCrashedMpycClean,
            Status::Signal(_) | Status::TimedOut => Verdict::Differ,
            Status::Exit(0) if oracle == mpyc => Verdict::Agree,
            Status::Exit(0) if refused => Verdict::Refused,
            Status::Exit(0) => Verdict::Differ,
            Status::Exit(_) if oracle.status == mpyc.status && oracle.stderr == mpyc.stderr => {
                Verdict::Agree
            }
            Status::Exit(_) => Verdict::Differ,
        };
        Outcome {
            oracle,
            mpyc,
            verdict,
        }
    }
}

/// Parsed `cargo xtask conformance` arguments.
struct Options {
    /// The release compared (`--micropython V`): its oracle, flag sets and mpyc's option.
    release: &'static Oracle,
    full: bool,
    /// Skip the crates' own conformance tests (`--skip-crate-tests`).
    skip_crate_tests: bool,
    /// Compare the profile-guided build of `cargo xtask dist` (`--pgo`), the one the bench times.
    pgo: bool,
    verbose: bool,
    flag_names: Vec<String>,
    filter: Option<String>,
}

fn parse_options(args: &[OsString]) -> Result<Options> {
    let mut o = Options {
        release: &crate::oracle::V1_11,
        full: false,
        skip_crate_tests: false,
        pgo: false,
        verbose: false,
        flag_names: Vec::new(),
        filter: None,
    };
    let mut it = args.iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = it.next() {
        match a.as_str() {
            "--full" => o.full = true,
            "--micropython" => {
                let v = it.next().context("--micropython needs a release")?;
                o.release = crate::oracle::for_release(&v)?;
            }
            "--skip-crate-tests" => o.skip_crate_tests = true,
            "--pgo" => o.pgo = true,
            "--verbose" | "-v" => o.verbose = true,
            "--flags" => o.flag_names.push(it.next().context("--flags needs a flag-set name")?),
            "--filter" => o.filter = Some(it.next().context("--filter needs a substring")?),
            other => bail!(
                "unknown argument `{other}`\nusage: cargo xtask conformance [--micropython V] [--full] [--flags NAME]... [--filter SUBSTR] [--skip-crate-tests] [--verbose]"
            ),
        }
    }
    Ok(o)
}

/// The flag sets selected by the options.
fn selected_sets(o: &Options) -> Result<Vec<&'static FlagSet>> {
    let (plain, full) = (o.release.flag_sets, o.release.full_flag_sets);
    let all: Vec<&FlagSet> = plain.iter().chain(full).collect();
    if o.flag_names.is_empty() {
        let n = if o.full { all.len() } else { plain.len() };
        return Ok(all.into_iter().take(n).collect());
    }
    let mut chosen = Vec::new();
    for name in &o.flag_names {
        let want = name.trim_start_matches('-');
        match all.iter().find(|s| s.name.trim_start_matches('-') == want) {
            Some(s) => chosen.push(*s),
            None => {
                let names: Vec<&str> = all.iter().map(|s| s.name).collect();
                bail!("no flag set `{name}`; known: {}", names.join(", "))
            }
        }
    }
    Ok(chosen)
}

/// Writes a cache entry whole: to a temporary beside it, then renamed over it, so a reader
/// never sees part of one and a killed run leaves none.
fn write_entry(entry: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = entry.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, entry)?;
    Ok(())
}

/// `cargo xtask conformance [--micropython V] [--full] [--flags NAME]... [--filter SUBSTR] [--skip-crate-tests] [--verbose]`.
pub fn cmd(args: &[OsString]) -> Result<()> {
    let opts = parse_options(args)?;
    let sets = selected_sets(&opts)?;
    let oracle = crate::oracle::ensure_release(opts.release)?;
    // Releases other than 1.11 also key the cache by the oracle binary's bytes (1.11 keeps its
    // keys, by the oracle's path, so existing caches stay valid).
    let oracle_key = if opts.release.release == "1.11" {
        String::new()
    } else {
        let bytes =
            std::fs::read(&oracle).with_context(|| format!("cannot read {}", oracle.display()))?;
        digest(&[&bytes])
    };
    let mpyc_prefix: Vec<&str> = if opts.release.release == "1.11" {
        // The reference's exact bytes: its host-sized nlr buffer in native frames (mpyc's
        // default sizes it for the board; see README).
        vec!["compile", "--reference-nlr-buf"]
    } else {
        vec!["compile", "--micropython", opts.release.release]
    };
    let mpyc = if opts.pgo {
        crate::pgo::build()?
    } else {
        build_mpyc_release()?
    };
    let stdlib = cpython_stdlib()?;
    let mut files = python_files(&stdlib)?;
    if let Some(f) = &opts.filter {
        files.retain(|p| p.to_string_lossy().contains(f.as_str()));
    }
    if files.is_empty() {
        bail!("no .py files found under {}", stdlib.display());
    }
    let file_hashes: Vec<String> = files
        .iter()
        .map(|p| {
            std::fs::read(p)
                .map(|b| digest(&[&b]))
                .with_context(|| format!("cannot read {}", p.display()))
        })
        .collect::<Result<_>>()?;

    let base = root().join("target");
    let cache = base.join("oracle-cache");
    std::fs::create_dir_all(&cache)?;
    let report_dir = base.join("conformance");
    let _ = std::fs::remove_dir_all(report_dir.join("diffs"));
    std::fs::create_dir_all(&report_dir)?;

    let jobs: Vec<(usize, usize)> = (0..sets.len())
        .flat_map(|s| (0..files.len()).map(move |f| (s, f)))
        .collect();
    eprintln!(
        "xtask: conformance: MicroPython {}: {} files x {} flag sets = {} comparisons, {WORKERS} workers",
        opts.release.release,
        files.len(),
        sets.len(),
        jobs.len()
    );
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let first_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for w in 0..WORKERS {
            let (jobs, files, file_hashes, sets) = (&jobs, &files, &file_hashes, &sets);
            let (next, results, first_error) = (&next, &results, &first_error);
            let (oracle, mpyc, cache, report_dir) = (&oracle, &mpyc, &cache, &report_dir);
            let (oracle_key, mpyc_prefix) = (&oracle_key, &mpyc_prefix);
            scope.spawn(move || {
                // Per process as well as per worker: two runs at once must not read each
                // other's outputs (they once wrote such mixed results into the cache).
                let work = report_dir.join(format!("work-{}-{w}", std::process::id()));
                let run = || -> Result<()> {
                    std::fs::create_dir_all(&work)?;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(s, f)) = jobs.get(i) else {
                            return Ok(());
                        };
                        let (set, path) = (sets[s], &files[f]);
                        let args_key = set.args.join("\0");
                        let mut parts: Vec<&[u8]> = vec![
                            file_hashes[f].as_bytes(),
                            args_key.as_bytes(),
                            path.as_os_str().as_encoded_bytes(),
                            oracle.as_os_str().as_encoded_bytes(),
                        ];
                        if !oracle_key.is_empty() {
                            parts.push(oracle_key.as_bytes());
                        }
                        let key = digest(&parts);
                        let entry = cache.join(format!("{key}.res"));
                        let cached = std::fs::read(&entry)
                            .ok()
                            .and_then(|b| RunResult::decode(&b));
                        let run_oracle = || -> Result<RunResult> {
                            let r = run_compiler(oracle, &[], set.args, path, &work)?;
                            if r.status != Status::TimedOut {
                                write_entry(&entry, &r.encode())?;
                            }
                            Ok(r)
                        };
                        let from_cache = cached.is_some();
                        let oracle_result = match cached {
                            Some(r) => r,
                            None => run_oracle()?,
                        };
                        let mpyc_result = run_compiler(mpyc, mpyc_prefix, set.args, path, &work)?;
                        let mut outcome = Outcome::judge(oracle_result, mpyc_result);
                        if outcome.verdict == Verdict::Differ && from_cache {
                            // A cached result is trusted only while it agrees: a difference is
                            // judged again against a fresh run of the oracle (which replaces
                            // the entry), so a damaged entry cannot make one.
                            let fresh = run_oracle()?;
                            if fresh != outcome.oracle {
                                eprintln!(
                                    "xtask: conformance: the cached oracle result for {} [{}] was stale; replaced",
                                    path.display(),
                                    set.name
                                );
                                outcome = Outcome::judge(fresh, outcome.mpyc);
                            }
                        }
                        if let Ok(mut r) = results.lock() {
                            r[i] = Some(outcome);
                        }
                        if (i + 1) % 1000 == 0 {
                            eprintln!("xtask: conformance: {}/{} done", i + 1, jobs.len());
                        }
                    }
                };
                let result = run();
                let _ = std::fs::remove_dir_all(&work);
                if let Err(e) = result {
                    next.store(usize::MAX / 2, Ordering::Relaxed);
                    if let Ok(mut slot) = first_error.lock() {
                        slot.get_or_insert(e);
                    }
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().ok().flatten() {
        return Err(e.context("conformance run aborted"));
    }
    let results: Vec<Outcome> = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a worker panicked"))?
        .into_iter()
        .flatten()
        .collect();
    if results.len() != jobs.len() {
        bail!(
            "only {} of {} comparisons finished",
            results.len(),
            jobs.len()
        );
    }
    eprintln!(
        "xtask: conformance: compared in {}",
        crate::util::secs(started.elapsed())
    );

    let total_differ = report(
        &opts,
        &sets,
        &files,
        &stdlib,
        &jobs,
        &results,
        &mpyc,
        &report_dir,
    )?;

    // The crates' own conformance and round-trip tests, in full: all of them for 1.11; the
    // .mpy v6 round trip and dump tests for 1.29.
    let mut crate_tests = cargo();
    crate_tests.args(["test", "--release", "-p", "mpyfile"]);
    if opts.release.release == "1.11" {
        crate_tests.args(["-p", "compiler", "-p", "syntax"]);
    } else {
        crate_tests.args([
            "--test",
            "v6_roundtrip",
            "--test",
            "v6_golden",
            "--test",
            "v5_v6_dump",
        ]);
    }
    let tests_ok = opts.skip_crate_tests
        || run_status(
            crate_tests
                .env("MPYC_CONFORMANCE_FULL", "1")
                .env(opts.release.env, &oracle),
        )?
        .success();

    match (total_differ, tests_ok) {
        (0, true) => {
            println!("conformance: every comparison agrees and the full crate tests pass");
            Ok(())
        }
        (n, ok) => bail!(
            "{n} comparison(s) differ{}",
            if ok {
                ""
            } else {
                "; the full crate conformance tests failed"
            }
        ),
    }
}

/// Prints the table and the differing files; returns how many comparisons differ.
#[allow(clippy::too_many_arguments)]
fn report(
    opts: &Options,
    sets: &[&FlagSet],
    files: &[PathBuf],
    stdlib: &Path,
    jobs: &[(usize, usize)],
    results: &[Outcome],
    mpyc: &Path,
    report_dir: &Path,
) -> Result<usize> {
    let mut table = String::new();
    let width = sets.iter().map(|s| s.name.len()).max().unwrap_or(8).max(8);
    let _ = writeln!(
        table,
        "{:<width$} | {:>6} | {:>9} | {:>11} | {:>6} | {:>6} | {:>12} | {:>7}",
        "flag set",
        "files",
        "oracle ok",
        "oracle fail",
        "agree",
        "differ",
        "oracle crash",
        "refused"
    );
    let _ = writeln!(table, "{}", "-".repeat(width + 79));
    let mut details = String::new();
    let mut listing = String::new();
    let mut refusals = String::new();
    let mut total_differ = 0;
    for (s, set) in sets.iter().enumerate() {
        let mine: Vec<(usize, &Outcome)> = jobs
            .iter()
            .zip(results)
            .filter(|((js, _), _)| *js == s)
            .map(|((_, f), o)| (*f, o))
            .collect();
        let ok = mine
            .iter()
            .filter(|(_, o)| o.oracle.status == Status::Exit(0))
            .count();
        let count = |v: Verdict| mine.iter().filter(|(_, o)| o.verdict == v).count();
        let differ = count(Verdict::Differ);
        total_differ += differ;
        let _ = writeln!(
            table,
            "{:<width$} | {:>6} | {:>9} | {:>11} | {:>6} | {:>6} | {:>12} | {:>7}",
            set.name,
            mine.len(),
            ok,
            mine.len() - ok,
            count(Verdict::Agree),
            differ,
            count(Verdict::OracleCrashedMpycClean),
            count(Verdict::Refused),
        );
        for (f, _) in mine.iter().filter(|(_, o)| o.verdict == Verdict::Refused) {
            let rel = files[*f].strip_prefix(stdlib).unwrap_or(&files[*f]);
            let _ = writeln!(refusals, "{}\t{}", set.name, rel.display());
        }
        let differing = mine.iter().filter(|(_, o)| o.verdict == Verdict::Differ);
        for (shown, (f, o)) in differing.enumerate() {
            let rel = files[*f]
                .strip_prefix(stdlib)
                .unwrap_or(&files[*f])
                .display()
                .to_string();
            let _ = writeln!(listing, "{}\t{}\t{}", set.name, rel, short_reason(o));
            if shown < SHOWN_PER_SET || opts.verbose {
                let _ = writeln!(details, "\n=== [{}] {}", set.name, files[*f].display());
                explain(&mut details, set, &rel, o, mpyc, report_dir);
            } else if shown == SHOWN_PER_SET {
                let _ = writeln!(
                    details,
                    "\n... [{}] more differing files: see target/conformance/differ.txt",
                    set.name
                );
            }
        }
    }
    std::fs::write(report_dir.join("differ.txt"), &listing)?;
    std::fs::write(report_dir.join("refused.txt"), &refusals)?;
    print!("{details}");
    println!("\n{table}");
    println!(
        "(`oracle crash`: the reference crashed and mpyc gave output or a clean error; \
         `refused`: the reference wrote code and mpyc stopped with its NotImplementedError, \
         listed in target/conformance/refused.txt; neither counts as differing)"
    );
    Ok(total_differ)
}

/// One line for the listing file.
fn short_reason(o: &Outcome) -> String {
    match (
        &o.oracle.output,
        &o.mpyc.output,
        o.oracle.status == Status::Exit(0),
    ) {
        (Some(a), Some(b), true) if o.mpyc.status == Status::Exit(0) => {
            format!("bytes differ at offset {}", first_difference(a, b))
        }
        (_, _, true) => format!("oracle ok; mpyc {}", o.mpyc.status.describe()),
        (_, _, false) => format!(
            "oracle {}; mpyc {}",
            o.oracle.status.describe(),
            o.mpyc.status.describe()
        ),
    }
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

/// First lines of a message, indented.
fn excerpt(bytes: &[u8], lines: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s: String = text
        .lines()
        .take(lines)
        .map(|l| format!("    {l}\n"))
        .collect();
    if text.lines().count() > lines {
        s.push_str("    ...\n");
    }
    if s.is_empty() {
        s.push_str("    (empty)\n");
    }
    s
}

/// Writes the details of one differing comparison.
fn explain(
    out: &mut String,
    set: &FlagSet,
    rel: &str,
    o: &Outcome,
    mpyc: &Path,
    report_dir: &Path,
) {
    let both_ok = o.oracle.status == Status::Exit(0) && o.mpyc.status == Status::Exit(0);
    match (&o.oracle.output, &o.mpyc.output) {
        (Some(a), Some(b)) if both_ok && a != b => {
            let at = first_difference(a, b);
            let _ = writeln!(
                out,
                "output differs at byte {at} (oracle {} bytes, mpyc {} bytes)",
                a.len(),
                b.len()
            );
            let _ = writeln!(out, "  oracle: {}", hex_window(a, at));
            let _ = writeln!(out, "  mpyc:   {}", hex_window(b, at));
            let slug: String = format!("{}/{}", set.name, rel)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let dir = report_dir.join("diffs");
            let (pa, pb) = (
                dir.join(format!("{slug}.oracle.mpy")),
                dir.join(format!("{slug}.mpyc.mpy")),
            );
            let saved = std::fs::create_dir_all(&dir)
                .and_then(|_| std::fs::write(&pa, a))
                .and_then(|_| std::fs::write(&pb, b));
            if saved.is_err() {
                return;
            }
            let _ = writeln!(out, "  saved: {} and {}", pa.display(), pb.display());
            match (dump(mpyc, &pa), dump(mpyc, &pb)) {
                (Ok(da), Ok(db)) => {
                    let (la, lb): (Vec<&str>, Vec<&str>) =
                        (da.lines().collect(), db.lines().collect());
                    let line = la
                        .iter()
                        .zip(&lb)
                        .position(|(x, y)| x != y)
                        .unwrap_or(la.len().min(lb.len()));
                    let from = line.saturating_sub(4);
                    let _ = writeln!(
                        out,
                        "  mpyc dump, from line {} (first difference at line {}):",
                        from + 1,
                        line + 1
                    );
                    for (name, lines) in [("oracle", &la), ("mpyc", &lb)] {
                        for l in lines.iter().skip(from).take(10) {
                            let _ = writeln!(out, "    {name:<6} | {l}");
                        }
                    }
                }
                (Err(e), _) | (_, Err(e)) => {
                    let _ = writeln!(out, "  (no disassembly: {e})");
                }
            }
        }
        _ => {
            let _ = writeln!(
                out,
                "oracle {}; stderr:\n{}",
                o.oracle.status.describe(),
                excerpt(&o.oracle.stderr, 6)
            );
            let _ = writeln!(
                out,
                "mpyc {}; stderr:\n{}",
                o.mpyc.status.describe(),
                excerpt(&o.mpyc.stderr, 6)
            );
            if o.oracle.status == Status::Exit(0) && o.mpyc.status == Status::Exit(0) {
                let _ = writeln!(
                    out,
                    "(outputs: oracle {:?} bytes, mpyc {:?} bytes)",
                    o.oracle.output.as_ref().map(Vec::len),
                    o.mpyc.output.as_ref().map(Vec::len)
                );
            }
        }
    }
}

/// 16 bytes either side of `at`, with the byte at `at` bracketed.
fn hex_window(bytes: &[u8], at: usize) -> String {
    let from = at.saturating_sub(16);
    let to = (at + 17).min(bytes.len());
    let mut s = format!("@{from}: ");
    for (i, b) in bytes.iter().enumerate().take(to).skip(from) {
        if i == at {
            let _ = write!(s, "[{b:02x}] ");
        } else {
            let _ = write!(s, "{b:02x} ");
        }
    }
    if at >= bytes.len() {
        s.push_str("[end]");
    }
    s
}

/// `mpyc dump FILE`, or why it is not available.
fn dump(mpyc: &Path, file: &Path) -> Result<String, String> {
    let out = Command::new(mpyc)
        .arg("dump")
        .arg(file)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(format!(
            "`mpyc dump` failed: {}",
            err.lines().next().unwrap_or("no message")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_entries_round_trip() {
        let r = RunResult {
            status: Status::Exit(1),
            stdout: Vec::new(),
            stderr: b"Traceback\nSyntaxError: invalid syntax\n".to_vec(),
            output: None,
        };
        assert_eq!(RunResult::decode(&r.encode()), Some(r));
        let r = RunResult {
            status: Status::Signal(6),
            stdout: b"x".to_vec(),
            stderr: Vec::new(),
            output: Some(vec![0, 10, 255]),
        };
        assert_eq!(RunResult::decode(&r.encode()), Some(r));
        assert_eq!(RunResult::decode(b"exit 0\nstdout 5\nab"), None);
    }

    #[test]
    fn differences_are_located() {
        assert_eq!(first_difference(b"abc", b"abd"), 2);
        assert_eq!(first_difference(b"ab", b"abc"), 2);
        assert_eq!(hex_window(&[1, 2, 3], 1), "@0: 01 [02] 03 ");
    }
}
