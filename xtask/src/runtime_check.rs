//! `cargo xtask runtime-check --micropython BIN`: does mpyc's native code run?
//!
//! MicroPython v1.11's own tests are compiled by `mpyc compile` to `.mpy` files and imported
//! by a v1.11 unix build; each must print exactly what the same build prints running the
//! test from source. `tests/micropython/native_*.py` and `viper_*.py` are compiled as they
//! are (their decorators ask for native code); `tests/basics/*.py` with `-X emit=native`;
//! all with `-mcache-lookup-bc`, as the unix port's `run-tests --via-mpy` compiles them.
//! Tests the source run skips (`SKIP`) or that fail from source are left out; files mpyc
//! refuses (its `NotImplementedError`) are counted apart; with `$MPYC_ORACLE` set, a test
//! whose output differs is checked against the reference's own `.mpy` (identical bytes: the
//! reference's native code behaves the same). `--runner qemu-arm` runs an ARM build (static,
//! `-marm` for armv6 or `-mthumb` for armv7m) under qemu-user. Local only: the unix build and
//! its tests folder are not in the repository (CI cannot fetch them).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::util::build_mpyc_release;

/// A run longer than this counts as failed.
const TIME_LIMIT: Duration = Duration::from_secs(20);

struct Options {
    micropython: PathBuf,
    tests: PathBuf,
    march: String,
    /// A command that runs the binary (`qemu-arm` for an ARM build on another host), split on
    /// spaces; empty to run it directly.
    runner: Vec<String>,
    verbose: bool,
}

impl Options {
    /// A command that starts the MicroPython build (through the runner, when there is one).
    fn micropython(&self) -> Command {
        match self.runner.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(&self.micropython);
                c
            }
            None => Command::new(&self.micropython),
        }
    }
}

fn parse(args: &[OsString]) -> Result<Options> {
    let usage = "usage: cargo xtask runtime-check --micropython BIN [--tests DIR] [--march x64|x86|armv6|armv7m] [--runner CMD] [--verbose]";
    let mut micropython = None;
    let mut tests = None;
    let mut march = "x64".to_string();
    let mut verbose = false;
    let mut runner = Vec::new();
    let mut it = args.iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(a) = it.next() {
        match a.as_str() {
            "--micropython" => micropython = Some(PathBuf::from(it.next().context(usage)?)),
            "--tests" => tests = Some(PathBuf::from(it.next().context(usage)?)),
            "--march" => march = it.next().context(usage)?,
            "--runner" => {
                runner = it
                    .next()
                    .context(usage)?
                    .split_whitespace()
                    .map(str::to_string)
                    .collect()
            }
            "--verbose" | "-v" => verbose = true,
            other => bail!("unknown argument `{other}`\n{usage}"),
        }
    }
    let micropython = micropython.context(usage)?;
    let micropython = std::fs::canonicalize(&micropython)
        .with_context(|| format!("no MicroPython binary at {}", micropython.display()))?;
    // The binary lives in ports/unix/ of its source tree, beside tests/.
    let tests = match tests {
        Some(t) => t,
        None => micropython
            .parent()
            .and_then(Path::parent)
            .and_then(Path::parent)
            .map(|p| p.join("tests"))
            .context("cannot find the tests folder: give --tests DIR")?,
    };
    if !tests.join("basics").is_dir() {
        bail!(
            "{} has no basics/ folder: give --tests DIR",
            tests.display()
        );
    }
    Ok(Options {
        micropython,
        tests,
        march,
        runner,
        verbose,
    })
}

/// How one process ended, and what it printed.
struct Run {
    ok: bool,
    out: Vec<u8>,
}

fn run(cmd: &mut Command) -> Result<Run> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    let start = Instant::now();
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Run {
                ok: false,
                out: b"(timed out)".to_vec(),
            });
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let o = child.wait_with_output()?;
    let mut out = o.stdout;
    out.extend_from_slice(&o.stderr);
    Ok(Run {
        ok: o.status.success(),
        out,
    })
}

#[derive(Default)]
struct Counts {
    tests: usize,
    skipped: usize,
    refused: usize,
    compile_failed: usize,
    passed: usize,
    /// Output differs from the source run, but the reference's `.mpy` is byte-identical or
    /// prints the same (the reference's native code behaves so too).
    as_reference: Vec<String>,
    failed: Vec<String>,
}

/// Whether the reference (`$MPYC_ORACLE`, when set) behaves as `mpy` does for this test:
/// it writes the same bytes, or its `.mpy` prints the same as mpyc's (`ours`) in this build
/// (on ARM, where mpyc's frames hold the board's nlr buffer, the bytes differ).
fn same_as_reference(
    o: &Options,
    mpy: &Path,
    dir: &Path,
    name: &std::ffi::OsStr,
    flags: &[&str],
    march: &str,
    ours: &[u8],
) -> Result<bool> {
    let Some(oracle) = std::env::var_os("MPYC_ORACLE") else {
        return Ok(false);
    };
    let theirs_dir = mpy.with_extension("oracle");
    let _ = std::fs::remove_dir_all(&theirs_dir);
    std::fs::create_dir_all(&theirs_dir)?;
    let theirs = theirs_dir.join("rt_mod.mpy");
    let r = run(Command::new(oracle)
        .current_dir(dir)
        .arg("-mcache-lookup-bc")
        .args(flags)
        .arg(march)
        .arg("-o")
        .arg(&theirs)
        .arg(name))?;
    if !r.ok {
        return Ok(false);
    }
    if std::fs::read(&theirs).ok() == std::fs::read(mpy).ok() {
        return Ok(true);
    }
    let imported = run(o
        .micropython()
        .current_dir(dir)
        .arg("-c")
        .arg(import_script(&theirs_dir)))?;
    Ok(imported.out == ours)
}

/// The `-c` program that imports `rt_mod` from `dir`.
fn import_script(dir: &Path) -> String {
    format!(
        "import sys\nsys.path.insert(0, '{}')\nimport rt_mod\n",
        dir.display()
    )
}

/// `cargo xtask runtime-check`.
pub fn cmd(args: &[OsString]) -> Result<()> {
    let o = parse(args)?;
    let mpyc = build_mpyc_release()?;
    let work = crate::util::target_dir().join("runtime-check");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;

    let mut groups: Vec<(&str, Vec<PathBuf>, Vec<&str>)> = Vec::new();
    let listed = |dir: &str, keep: &dyn Fn(&str) -> bool| -> Result<Vec<PathBuf>> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(o.tests.join(dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                name.is_some_and(|n| n.ends_with(".py") && keep(&n))
            })
            .collect();
        v.sort();
        Ok(v)
    };
    groups.push((
        "micropython/native_*, viper_*",
        listed("micropython", &|n| {
            n.starts_with("native_") || n.starts_with("viper_")
        })?,
        vec![],
    ));
    groups.push((
        "basics -X emit=native",
        listed("basics", &|_| true)?,
        vec!["-X", "emit=native"],
    ));

    let march = format!("-march={}", o.march);
    let mut report = String::new();
    for (title, files, flags) in &groups {
        let mut c = Counts::default();
        for file in files {
            let dir = file.parent().context("test without a folder")?;
            let name = file.file_name().context("test without a name")?;
            c.tests += 1;
            // From source, as MicroPython's run-tests runs it: in the test's folder.
            let source = run(o.micropython().current_dir(dir).arg(name))?;
            if !source.ok || source.out.starts_with(b"SKIP") {
                c.skipped += 1;
                continue;
            }
            let mpy = work.join("rt_mod.mpy");
            let _ = std::fs::remove_file(&mpy);
            let compiled = run(Command::new(&mpyc)
                .current_dir(dir)
                .arg("compile")
                // As MicroPython's run-tests --via-mpy: the unix port caches map lookups.
                .arg("-mcache-lookup-bc")
                .args(flags)
                .arg(&march)
                .arg("-o")
                .arg(&mpy)
                .arg(name))?;
            if !compiled.ok {
                let text = String::from_utf8_lossy(&compiled.out);
                if text.contains("NotImplementedError: mpyc does not support") {
                    c.refused += 1;
                } else {
                    c.compile_failed += 1;
                    c.failed.push(format!(
                        "{}: mpyc failed: {}",
                        file.display(),
                        text.lines().last().unwrap_or("")
                    ));
                }
                continue;
            }
            let imported = run(o
                .micropython()
                .current_dir(dir)
                .arg("-c")
                .arg(import_script(&work)))?;
            if imported.out == source.out {
                c.passed += 1;
            } else if same_as_reference(&o, &mpy, dir, name, flags, &march, &imported.out)? {
                c.as_reference.push(format!("{}", file.display()));
            } else {
                c.failed.push(format!("{}: output differs", file.display()));
                if o.verbose {
                    eprintln!(
                        "=== {}\n--- source\n{}--- mpyc .mpy\n{}",
                        file.display(),
                        String::from_utf8_lossy(&source.out),
                        String::from_utf8_lossy(&imported.out)
                    );
                }
            }
        }
        report.push_str(&format!(
            "{title:<32} tests {:>4}  skipped/failing from source {:>4}  refused by mpyc {:>4}  mpyc error {:>3}  ran and matched {:>4}  differ as the reference's .mpy {:>3}  differ {:>3}\n",
            c.tests,
            c.skipped,
            c.refused,
            c.compile_failed,
            c.passed,
            c.as_reference.len(),
            c.failed.len() - c.compile_failed,
        ));
        for f in &c.as_reference {
            report.push_str(&format!(
                "  {f}: output differs from source, as the reference's .mpy does\n"
            ));
        }
        for f in &c.failed {
            report.push_str(&format!("  {f}\n"));
        }
    }
    println!(
        "runtime-check with {} ({}):\n{report}",
        o.micropython.display(),
        march
    );
    Ok(())
}
