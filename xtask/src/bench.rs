//! `cargo xtask bench`: the reference as users run it today against `mpyc`, on CPython's stdlib.
//!
//! Cases: the whole tree (one `mpy-cross` per file, two at a time, by `xtask run-each`, against
//! `mpyc build -j2`, cold and with nothing changed; median of three runs each), one large file
//! and one small file (`mpy-cross` against `mpyc compile`), the tree for MicroPython 1.29 (`bench_129`; alone with `--only-1.29`),
//! and the front end's lex+parse throughput (`parse_bench`, one core). The `mpyc` timed is the
//! profile-guided build of `cargo xtask dist` (see `pgo`: trained on other Python than the
//! stdlib), or with `--no-pgo` the plain `cargo build --release`. Wall
//! time comes from the clock around each run; CPU time (user + system, children included) and
//! peak memory (maximum resident set size of the largest process) from `/usr/bin/time -v`.
//!
//! The whole-tree cases run twice: on the disk (`target/bench`) and, where `/dev/shm` exists,
//! in memory. On a journal-less ext4 (this project's development machine) the kernel's inode
//! allocator skips recently freed inodes (`recently_deleted` in `fs/ext4/ialloc.c`), so creating
//! files costs several times more kernel time for about half a minute (the write-back expiry,
//! 30 s by default, plus 5 s; measured here: cold builds 0.34 s at 3 and 15 s after deleting
//! 3,900 files, 0.14 s from 30 s on) after many files were deleted nearby (a test run's temp
//! folders, an earlier bench's clean-up). That cost falls on mpyc's cold build (1,288 new files
//! in 0.1 s) far more than on the reference (one process per file); the memory rows show both
//! without it. To cause as little of it as possible, each tool has its own copy of the tree (the
//! reference's outputs stay in its copy and are overwritten next time), mpyc builds into out
//! dirs that never existed, its out dirs are removed last, a bench started within [`SETTLE`]
//! of the previous one's clean-up waits out the rest before timing anything, and disk rows
//! that still show the slowdown (see [`disturbed`]) are measured again after [`SETTLE`].

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::util::{build_mpyc_release, cpython_stdlib, python_files, root, secs};

const TIME: &str = "/usr/bin/time";
/// The large single file: CPython's generated help topics (~750 kB of string literals).
const LARGE: &str = "pydoc_data/topics.py";
/// The small single file.
const SMALL: &str = "colorsys.py";
/// Runs of each whole-tree case (the median is reported).
pub const TREE_RUNS: usize = 3;

/// One measured run.
pub struct Measured {
    wall: Duration,
    /// Peak RSS in kB, when `/usr/bin/time` is there.
    rss_kb: Option<u64>,
    /// User + system CPU seconds, when `/usr/bin/time` is there.
    cpu: Option<f64>,
    exit: Option<i32>,
}

/// Runs `cmd` (wrapped in `/usr/bin/time -v` when available), capturing stderr.
pub fn measure(cmd: &[&std::ffi::OsStr], have_time: bool, scratch: &Path) -> Result<Measured> {
    let time_file = scratch.join("time.txt");
    let err_file = scratch.join("stderr.txt");
    let mut c = if have_time {
        let mut c = Command::new(TIME);
        c.arg("-v").arg("-o").arg(&time_file).args(cmd);
        c
    } else {
        let mut c = Command::new(cmd[0]);
        c.args(&cmd[1..]);
        c
    };
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_file)?);
    let start = Instant::now();
    let status = c
        .status()
        .with_context(|| format!("cannot run {:?}", cmd))?;
    let wall = start.elapsed();
    let report = if have_time {
        std::fs::read_to_string(&time_file).unwrap_or_default()
    } else {
        String::new()
    };
    let field = |name: &str| -> Option<f64> {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
    };
    let rss_kb = field("Maximum resident set size (kbytes): ").map(|k| k as u64);
    let cpu = match (
        field("User time (seconds): "),
        field("System time (seconds): "),
    ) {
        (Some(u), Some(s)) => Some(u + s),
        _ => None,
    };
    Ok(Measured {
        wall,
        rss_kb,
        cpu,
        exit: status.code(),
    })
}

/// Runs a case `n` times; returns the median wall time and the largest RSS.
fn repeat(cmd: &[&std::ffi::OsStr], n: usize, have_time: bool, scratch: &Path) -> Result<Measured> {
    let mut runs = Vec::new();
    for _ in 0..n {
        runs.push(measure(cmd, have_time, scratch)?);
    }
    Ok(median(runs))
}

/// The run with the median wall time, with the median CPU time and the largest RSS of all.
pub fn median(mut runs: Vec<Measured>) -> Measured {
    let n = runs.len();
    runs.sort_by_key(|m| m.wall);
    let rss = runs.iter().filter_map(|m| m.rss_kb).max();
    let mut cpus: Vec<f64> = runs.iter().filter_map(|m| m.cpu).collect();
    cpus.sort_by(f64::total_cmp);
    let cpu = cpus.get(cpus.len() / 2).copied();
    let mid = runs.swap_remove(n / 2);
    Measured {
        rss_kb: rss,
        cpu,
        ..mid
    }
}

/// `/usr/bin/time` is there, or installed now (apt-get, as root), or absent.
fn ensure_time() -> bool {
    if Path::new(TIME).exists() {
        return true;
    }
    eprintln!("xtask: {TIME} is missing; trying `apt-get install -y time`");
    let _ = Command::new("apt-get")
        .args(["install", "-y", "-q", "time"])
        .status();
    Path::new(TIME).exists()
}

pub fn count_mpy(dir: &Path) -> usize {
    count_mpy_since(dir, std::time::SystemTime::UNIX_EPOCH)
}

/// The `.mpy` files under `dir` last written at `since` or later (the reference's copy of the
/// tree keeps the outputs of earlier rows, overwritten rather than deleted: see the module doc).
pub fn count_mpy_since(dir: &Path, since: std::time::SystemTime) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "mpy")
                && e.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t >= since)
            {
                n += 1;
            }
        }
    }
    n
}

fn remove_mpy(dir: &Path) -> Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "mpy") {
                std::fs::remove_file(&p)?;
            }
        }
    }
    Ok(())
}

/// Copies every stdlib `.py` file into `dest`, keeping the folder structure and each file's
/// modification time (as `cp -p` would: a tree that was just copied otherwise looks edited
/// this very second, and `mpyc build` rightly does not trust the size/mtime stamps of files
/// changed within the last two seconds, so its no-op builds would re-read and hash the whole
/// tree, which a tree at rest never asks of it). A complete copy left by an earlier run is kept
/// (recopying would delete thousands of files just before the timed runs).
fn copy_stdlib(dest: &Path) -> Result<usize> {
    let stdlib = cpython_stdlib()?;
    let files = python_files(&stdlib)?;
    let complete = dest.exists()
        && python_files(dest).is_ok_and(|have| have.len() == files.len())
        && files.iter().all(|f| {
            let to = f.strip_prefix(&stdlib).map(|rel| dest.join(rel));
            match (to, std::fs::read(f)) {
                (Ok(to), Ok(a)) => std::fs::read(to).is_ok_and(|b| a == b),
                _ => false,
            }
        });
    if complete {
        return Ok(files.len());
    }
    if dest.exists() {
        std::fs::remove_dir_all(dest)?;
    }
    for f in &files {
        let rel = f.strip_prefix(&stdlib)?;
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(f, &to).with_context(|| format!("cannot copy {}", f.display()))?;
        let mtime = std::fs::metadata(f)?.modified()?;
        std::fs::File::options()
            .write(true)
            .open(&to)?
            .set_modified(mtime)
            .with_context(|| format!("cannot set the modification time of {}", to.display()))?;
    }
    Ok(files.len())
}

fn rss(m: &Measured) -> String {
    m.rss_kb
        .map(|k| format!("{:.1} MB", k as f64 / 1024.0))
        .unwrap_or_else(|| "n/a".into())
}

fn cpu(m: &Measured) -> String {
    m.cpu
        .map(|c| format!("{c:.2} s"))
        .unwrap_or_else(|| "n/a".into())
}

fn ratio(reference: &Measured, ours: &Measured) -> String {
    let o = ours.wall.as_secs_f64();
    if o > 0.0 {
        format!("{:.1}x", reference.wall.as_secs_f64() / o)
    } else {
        "-".into()
    }
}

pub type Row = (String, Option<Measured>, Option<Measured>, String);

/// The whole-tree cases in `base`: mpyc's tree `base/stdlib` (kept free of `.mpy` files, which
/// mpyc would take as prebuilt inputs) and the reference's own copy `base/stdlib-ref`, whose
/// outputs are left in place (the next run overwrites them: no mass deletion, see the module
/// doc). mpyc's out dirs are new for each cold run and removed by [`clean_out_dirs`].
fn tree_cases(
    where_: &str,
    base: &Path,
    mpyc: &Path,
    oracle: &Path,
    have_time: bool,
    scratch: &Path,
) -> Result<Vec<Row>> {
    let tree = base.join("stdlib");
    let ref_tree = base.join("stdlib-ref");
    std::fs::create_dir_all(base)?;
    let n_files = copy_stdlib(&tree)?;
    remove_mpy(&tree)?;
    copy_stdlib(&ref_tree)?;
    eprintln!("xtask: bench: {n_files} files in {}", tree.display());
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let out_dir = |k: usize| base.join(format!("out-{}-{stamp}-{k}", std::process::id()));

    // `mpyc build`, cold (each run into a new out dir) then with nothing changed.
    let build_args = |out: &Path| -> Vec<std::ffi::OsString> {
        vec![
            mpyc.as_os_str().to_owned(),
            "build".into(),
            "-j2".into(),
            tree.clone().into_os_string(),
            "--out-dir".into(),
            out.as_os_str().to_owned(),
        ]
    };
    let mut colds = Vec::new();
    for k in 0..TREE_RUNS {
        let args = build_args(&out_dir(k));
        let argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        colds.push(measure(&argv, have_time, scratch)?);
    }
    let cold = median(colds);
    let written = count_mpy(&out_dir(0));
    let args = build_args(&out_dir(TREE_RUNS - 1));
    let argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let noop = repeat(&argv, TREE_RUNS, have_time, scratch)?;

    // The whole tree, the way users drive the reference today: one process per file, two at
    // a time (`run-each`, as `find | xargs -P2 -n1 mpy-cross` without xargs' own stops).
    let ref_start = std::time::SystemTime::now();
    // The reference has no incremental mode: each run compiles (and writes) every file, so its
    // median serves both rows.
    let reference = reference_runs(&ref_tree, oracle, &[], have_time, scratch)?;
    let ref_written = count_mpy_since(&ref_tree, ref_start);
    let reference_again = Measured {
        wall: reference.wall,
        rss_kb: reference.rss_kb,
        cpu: reference.cpu,
        exit: reference.exit,
    };
    Ok(vec![
        (
            format!("stdlib tree ({n_files} files, {where_}), cold"),
            Some(reference),
            Some(cold),
            format!("median of {TREE_RUNS}; reference wrote {ref_written} .mpy, mpyc {written}"),
        ),
        (
            format!("stdlib tree ({where_}), nothing changed"),
            Some(reference_again),
            Some(noop),
            format!("median of {TREE_RUNS}; the reference recompiles everything"),
        ),
    ])
}

/// mpyc's cold `build -j2 -q --profile PROFILE TREE`, [`TREE_RUNS`] times, each into an out
/// dir that never existed (`out_dir(k)`, removed first should an earlier bench have left it);
/// the median run.
pub fn cold_builds(
    mpyc: &Path,
    profile: &Path,
    tree: &Path,
    out_dir: impl Fn(usize) -> std::path::PathBuf,
    have_time: bool,
    scratch: &Path,
) -> Result<Measured> {
    let mut colds = Vec::new();
    for k in 0..TREE_RUNS {
        let out = out_dir(k);
        let _ = std::fs::remove_dir_all(&out);
        let args: Vec<std::ffi::OsString> = vec![
            mpyc.as_os_str().to_owned(),
            "build".into(),
            "-j2".into(),
            "-q".into(),
            "--profile".into(),
            profile.as_os_str().to_owned(),
            tree.as_os_str().to_owned(),
            "--out-dir".into(),
            out.into_os_string(),
        ];
        let argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        colds.push(measure(&argv, have_time, scratch)?);
    }
    Ok(median(colds))
}

/// The reference run once per `.py` file of `ref_tree` with `flags`, two at a time (`xtask
/// run-each`), [`TREE_RUNS`] times; the median run.
pub fn reference_runs(
    ref_tree: &Path,
    oracle: &Path,
    flags: &[&str],
    have_time: bool,
    scratch: &Path,
) -> Result<Measured> {
    let exe = std::env::current_exe().context("cannot find the xtask binary")?;
    let args = crate::each::argv(&exe, 2, ref_tree, oracle, flags);
    let argv: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let mut refs = Vec::new();
    for _ in 0..TREE_RUNS {
        refs.push(measure(&argv, have_time, scratch)?);
    }
    Ok(median(refs))
}

/// Removes mpyc's out dirs in `base` (made by [`tree_cases`]).
fn clean_out_dirs(base: &Path) -> Result<()> {
    for e in std::fs::read_dir(base)?.flatten() {
        if e.file_name().to_string_lossy().starts_with("out") {
            std::fs::remove_dir_all(e.path())?;
        }
    }
    std::fs::write(base.join(CLEANED), b"")?;
    Ok(())
}

/// How long file creation stays slow on the disk after a mass deletion (see the module doc).
const SETTLE: Duration = Duration::from_secs(40);

/// Marker file whose mtime says when the last bench removed its out dirs.
const CLEANED: &str = "last-clean-up";

/// Waits until [`SETTLE`] has passed since the previous bench's clean-up, if it was recent.
fn settle_after_last_clean_up(base: &Path) {
    let since = std::fs::metadata(base.join(CLEANED))
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    if let Some(wait) = since.and_then(|s| SETTLE.checked_sub(s)) {
        eprintln!(
            "xtask: bench: the previous bench deleted its out dirs {:.0} s ago; waiting {:.0} s \
             for the file system's inode allocator to settle (see `xtask/src/bench.rs`)",
            since.map_or(0.0, |s| s.as_secs_f64()),
            wait.as_secs_f64()
        );
        std::thread::sleep(wait);
    }
}

/// mpyc's cold-build CPU seconds on the disk (in `disk_rows`) and in memory (in `mem_rows`),
/// when the disk one is over twice the other. The work is the same; that much more (kernel)
/// time on the disk means its file creation was still slowed by a mass deletion (module doc).
fn disturbed(disk_rows: &[Row], mem_rows: &[Row]) -> Option<(f64, f64)> {
    let cold_cpu = |rows: &[Row], place: &str| {
        rows.iter()
            .find(|(name, ..)| name.contains(place) && name.ends_with("cold"))
            .and_then(|(_, _, m, _)| m.as_ref()?.cpu)
    };
    let disk = cold_cpu(disk_rows, "disk")?;
    let mem = cold_cpu(mem_rows, "memory")?;
    (disk > 2.0 * mem).then_some((disk, mem))
}

/// `cargo xtask bench`.
pub fn cmd() -> Result<()> {
    let oracle = crate::oracle::ensure()?;
    let mpyc = if std::env::args().any(|a| a == "--no-pgo") {
        build_mpyc_release()?
    } else {
        crate::pgo::build()?
    };
    eprintln!("xtask: bench: mpyc is {}", mpyc.display());
    let have_time = ensure_time();
    let bench = root().join("target/bench");
    let scratch = bench.join("scratch");
    std::fs::create_dir_all(&scratch)?;
    let tree = bench.join("stdlib");

    // `cargo xtask bench --freeze-only`: the freezing rows alone.
    if std::env::args().any(|a| a == "--freeze-only") {
        copy_stdlib(&tree)?;
        remove_mpy(&tree)?;
        let rows = crate::bench_freeze::rows(&bench, &tree, &mpyc, &oracle, have_time, &scratch)?;
        print_rows(&rows, have_time);
        return Ok(());
    }
    // `cargo xtask bench --only-1.29`: the MicroPython 1.29 row alone; `--only-releases`: the
    // rows of every release after 1.11.
    let only_129 = std::env::args().any(|a| a == "--only-1.29");
    let only_releases = std::env::args().any(|a| a == "--only-releases");
    if only_129 || only_releases {
        copy_stdlib(&tree)?;
        remove_mpy(&tree)?;
        let ref_tree = bench.join("stdlib-ref");
        copy_stdlib(&ref_tree)?;
        settle_after_last_clean_up(&bench);
        let mut rows = Vec::new();
        let releases: Vec<&crate::oracle::Oracle> = if only_releases {
            crate::bench_release::all().collect()
        } else {
            vec![&crate::oracle::V1_29]
        };
        for o in releases {
            let row =
                crate::bench_release::row(o, &bench, &tree, &ref_tree, &mpyc, have_time, &scratch);
            rows.push(row?);
        }
        print_rows(&rows, have_time);
        clean_out_dirs(&bench)?;
        return Ok(());
    }
    settle_after_last_clean_up(&bench);
    let mut rows: Vec<Row> = tree_cases("disk", &bench, &mpyc, &oracle, have_time, &scratch)?;
    let memory = crate::util::memory_dir("mpyc-bench");
    if let Some(mem) = &memory {
        let mem_rows = tree_cases("memory", mem, &mpyc, &oracle, have_time, &scratch);
        let _ = std::fs::remove_dir_all(mem);
        let mem_rows = mem_rows?;
        // A disk run slowed by someone else's recent mass deletion (a test run just before,
        // say) is measured again once the file system has settled, at most twice.
        for _ in 0..2 {
            let Some((disk, in_memory)) = disturbed(&rows, &mem_rows) else {
                break;
            };
            eprintln!(
                "xtask: bench: mpyc's cold build took {disk:.2} s of CPU on the disk against \
                 {in_memory:.2} s in memory: file creation there is still slowed by a recent \
                 mass deletion; measuring the disk rows again in {} s",
                SETTLE.as_secs()
            );
            std::thread::sleep(SETTLE);
            rows = tree_cases("disk", &bench, &mpyc, &oracle, have_time, &scratch)?;
        }
        rows.extend(mem_rows);
    }

    // Native code: the tree under `-X emit=native` for each arch, cold.
    rows.extend(crate::bench_native::rows(
        &bench,
        &tree,
        &bench.join("stdlib-ref"),
        &mpyc,
        &oracle,
        have_time,
        &scratch,
    )?);

    // Releases after 1.11: 1.29's tree as `.mpy` v6, cold; with `--releases`, every release's.
    let every = std::env::args().any(|a| a == "--releases");
    let releases: Vec<&crate::oracle::Oracle> = if every {
        crate::bench_release::all().collect()
    } else {
        vec![&crate::oracle::V1_29]
    };
    for o in releases {
        rows.push(crate::bench_release::row(
            o,
            &bench,
            &tree,
            &bench.join("stdlib-ref"),
            &mpyc,
            have_time,
            &scratch,
        )?);
    }

    // Freezing: mpy-cross + mpy-tool.py against `mpyc build --freeze` (needs MPY_TOOL).
    rows.extend(crate::bench_freeze::rows(
        &bench, &tree, &mpyc, &oracle, have_time, &scratch,
    )?);

    // Single files through both compilers.
    for (name, n) in [(LARGE, 5), (SMALL, 30)] {
        let input = tree.join(name);
        let (ro, mo) = (
            scratch.join("single.ref.mpy"),
            scratch.join("single.mpyc.mpy"),
        );
        let r = repeat(
            &[
                oracle.as_os_str(),
                "-o".as_ref(),
                ro.as_os_str(),
                input.as_os_str(),
            ],
            n,
            have_time,
            &scratch,
        )?;
        let m = repeat(
            &[
                mpyc.as_os_str(),
                "compile".as_ref(),
                "-o".as_ref(),
                mo.as_os_str(),
                input.as_os_str(),
            ],
            n,
            have_time,
            &scratch,
        )?;
        let same = match (std::fs::read(&ro), std::fs::read(&mo)) {
            (Ok(a), Ok(b)) if a == b => "identical output".to_string(),
            (Ok(_), Ok(_)) => "OUTPUT DIFFERS".to_string(),
            _ => format!("reference exit {:?}, mpyc exit {:?}", r.exit, m.exit),
        };
        rows.push((format!("{name} (median of {n})"), Some(r), Some(m), same));
    }

    print_rows(&rows, have_time);
    if let Some((disk, mem)) = disturbed(&rows, &rows) {
        println!(
            "(the disk rows are disturbed: mpyc's cold build took {disk:.2} s of CPU there \
             against {mem:.2} s in memory, the kernel's file creation still slowed by a \
             recent mass deletion; run the bench again in a minute)"
        );
    }

    // The front end alone: lex+parse throughput on one core over the same tree.
    let front = Command::new("cargo")
        .current_dir(root())
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "syntax",
            "--example",
            "parse_bench",
            "--",
        ])
        .arg(&tree)
        .arg("5")
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run the parse_bench example")?;
    let text = String::from_utf8_lossy(&front.stdout);
    match text.lines().last() {
        Some(line) if front.status.success() => println!("front end (lex+parse, one core): {line}"),
        _ => anyhow::bail!("parse_bench failed: {}", front.status),
    }

    // Clean-up last: mpyc's out dirs on the disk (the reference's outputs stay in its copy).
    clean_out_dirs(&bench)?;
    Ok(())
}

/// Prints the table of `rows`.
fn print_rows(rows: &[Row], have_time: bool) {
    println!(
        "{:<40} | {:>10} | {:>10} | {:>9} | {:>9} | {:>9} | {:>9} | {:>9} | notes",
        "case", "reference", "mpyc", "ref/mpyc", "ref CPU", "mpyc CPU", "ref RSS", "mpyc RSS"
    );
    println!("{}", "-".repeat(140));
    for (name, r, m, note) in rows {
        let cell = |x: &Option<Measured>| {
            x.as_ref()
                .map(|m| secs(m.wall))
                .unwrap_or_else(|| "-".into())
        };
        let mem = |x: &Option<Measured>| x.as_ref().map(rss).unwrap_or_else(|| "-".into());
        let cpu = |x: &Option<Measured>| x.as_ref().map(cpu).unwrap_or_else(|| "-".into());
        let rat = match (r, m) {
            (Some(r), Some(m)) => ratio(r, m),
            _ => "-".into(),
        };
        println!(
            "{name:<40} | {:>10} | {:>10} | {rat:>9} | {:>9} | {:>9} | {:>9} | {:>9} | {note}",
            cell(r),
            cell(m),
            cpu(r),
            cpu(m),
            mem(r),
            mem(m)
        );
    }
    if !have_time {
        println!("(CPU time and peak memory not measured: {TIME} is not installed)");
    }
}
