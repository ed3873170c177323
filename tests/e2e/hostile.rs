//! Hostile inputs: each run of `mpyc` must end within a wall-clock and address-space ceiling
//! with its output or a clear error. The inputs are made here at run time (some are hundreds
//! of megabytes); the ceilings are about ten times what the debug binary needed when they
//! were set, so they catch a return to quadratic cost, not noise.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{mpyc, TempDir};

/// How one bounded run ended.
struct Bounded {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    elapsed: Duration,
}

/// Runs `mpyc args` in `dir` with its address space limited to `mem_mb` MiB (`ulimit -v`),
/// killing it after `secs` seconds; fails the test when the time runs out.
fn run_bounded(dir: &Path, args: &[&str], secs: u64, mem_mb: u64) -> Bounded {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v \"$1\" && shift && exec \"$@\"")
        .arg("sh")
        .arg((mem_mb * 1024).to_string())
        .arg(mpyc())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("cannot create the stdout file"))
        .stderr(File::create(&err_path).expect("cannot create the stderr file"))
        .spawn()
        .expect("cannot run sh");
    let deadline = Duration::from_secs(secs);
    let status = loop {
        if let Some(status) = child.try_wait().expect("cannot wait for mpyc") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mpyc {args:?} still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    eprintln!("mpyc {args:?}: {elapsed:?}, exit {:?}", status.code());
    let stderr =
        String::from_utf8_lossy(&std::fs::read(&err_path).unwrap_or_default()).into_owned();
    Bounded {
        code: status.code(),
        stdout: std::fs::read(&out_path).unwrap_or_default(),
        stderr,
        elapsed,
    }
}

/// Writes `path` from `write`, buffered.
fn make(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> PathBuf {
    let mut w = BufWriter::new(File::create(path).expect("cannot create an input"));
    write(&mut w).expect("cannot write an input");
    w.flush().expect("cannot write an input");
    path.to_path_buf()
}

/// `n` decimal digits, none of them a leading zero.
fn digits(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'1' + (i * 7 % 9) as u8).collect()
}

/// Asserts a run failed with exit 1 and a stderr starting with `prefix`.
fn assert_fails(run: &Bounded, what: &str, prefix: &str) {
    assert_eq!(run.code, Some(1), "{what}: stderr {}", run.stderr);
    assert!(
        run.stderr.starts_with(prefix),
        "{what}: stderr {:?} does not start with {prefix:?}",
        run.stderr
    );
}

#[test]
fn comment_only_source_of_450_mb_compiles() {
    let tmp = TempDir::new("hostile-comments");
    let line = format!("#{}\n", "c".repeat(98));
    make(&tmp.path().join("c.py"), |w| {
        for _ in 0..4_500_000 {
            w.write_all(line.as_bytes())?;
        }
        Ok(())
    });
    let run = run_bounded(tmp.path(), &["compile", "c.py"], 60, 1024);
    assert_eq!(run.code, Some(0), "stderr {}", run.stderr);
    let out = std::fs::read(tmp.path().join("c.mpy")).expect("no output");
    assert!(out.starts_with(b"M\x04"), "not a .mpy v4 file");
}

#[test]
fn nested_closures_end_at_once() {
    let tmp = TempDir::new("hostile-closures");
    for n in [5_000usize, 7_000] {
        let params: String = (0..n).map(|i| format!("lambda a{i}: ")).collect();
        let body: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
        let name = format!("l{n}.py");
        make(&tmp.path().join(&name), |w| {
            writeln!(w, "f = {params}{}", body.join("+"))
        });
        let run = run_bounded(tmp.path(), &["compile", &name], 20, 512);
        assert_fails(&run, &name, "MemoryError: memory allocation failed");
    }
    make(&tmp.path().join("defs.py"), |w| {
        let n = 4_000;
        for i in 0..n {
            writeln!(w, "{}def f{i}(a{i}):", " ".repeat(i))?;
        }
        let body: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
        writeln!(w, "{}return {}", " ".repeat(n), body.join("+"))
    });
    let run = run_bounded(tmp.path(), &["compile", "defs.py"], 30, 512);
    assert_fails(
        &run,
        "4,000 nested defs",
        "MemoryError: memory allocation failed",
    );
}

#[test]
fn huge_int_literals_convert_fast_or_fail_as_the_reference() {
    let tmp = TempDir::new("hostile-int");
    // Over a million digits the reference has run out of its heap.
    for n in [4_000_000usize, 8_000_000] {
        let name = format!("i{n}.py");
        make(&tmp.path().join(&name), |w| {
            w.write_all(b"x = ")?;
            w.write_all(&digits(n))?;
            w.write_all(b"\n")
        });
        let run = run_bounded(tmp.path(), &["compile", &name], 20, 512);
        assert_eq!(run.code, Some(1), "{name}");
        assert_eq!(
            run.stderr,
            format!("MemoryError: memory allocation failed, allocating {n} bytes\n")
        );
    }
    // Just under the limit: converted (both ways) in well under a second.
    let n = 1_000_000;
    make(&tmp.path().join("m.py"), |w| {
        w.write_all(b"x = -")?;
        w.write_all(&digits(n))?;
        w.write_all(b"\n")
    });
    let run = run_bounded(tmp.path(), &["compile", "m.py"], 30, 512);
    assert_eq!(run.code, Some(0), "stderr {}", run.stderr);
    let out = std::fs::read(tmp.path().join("m.mpy")).expect("no output");
    let mut text = b"-".to_vec();
    text.extend_from_slice(&digits(n));
    assert!(
        out.windows(text.len()).any(|w| w == text.as_slice()),
        "the decimal text of the literal is not in the output"
    );
    // And back: the dump shows it.
    let run = run_bounded(tmp.path(), &["dump", "m.mpy"], 30, 512);
    assert_eq!(run.code, Some(0), "stderr {}", run.stderr);
    assert!(run.stdout.windows(text.len()).any(|w| w == text.as_slice()));
}

#[test]
fn dev_zero_gives_the_reference_syntax_error_at_once() {
    let tmp = TempDir::new("hostile-zero");
    let run = run_bounded(
        tmp.path(),
        &["compile", "-o", "z.mpy", "/dev/zero"],
        20,
        512,
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "Traceback (most recent call last):\n  File \"/dev/zero\", line 1\nSyntaxError: invalid syntax\n"
    );
    assert!(!tmp.path().join("z.mpy").exists());
}

/// `pass` compiled, without its empty const table (the last two bytes).
fn module_without_consts(dir: &Path) -> Vec<u8> {
    std::fs::write(dir.join("p.py"), "pass\n").expect("cannot write p.py");
    let run = run_bounded(dir, &["compile", "p.py"], 20, 512);
    assert_eq!(run.code, Some(0), "stderr {}", run.stderr);
    let mut bytes = std::fs::read(dir.join("p.mpy")).expect("no p.mpy");
    assert_eq!(bytes.split_off(bytes.len() - 2), [0, 0]);
    bytes
}

/// A var-uint as `.mpy` v4 writes it (7 bits a byte, most significant first).
fn uint(mut n: u64) -> Vec<u8> {
    let mut out = vec![(n & 0x7f) as u8];
    n >>= 7;
    while n > 0 {
        out.push(0x80 | (n & 0x7f) as u8);
        n >>= 7;
    }
    out.reverse();
    out
}

/// Writes `<head> n_obj 0 <objects>` as `name`.
fn mpy_with_consts(dir: &Path, name: &str, head: &[u8], n_obj: u64, objects: &[u8], repeat: usize) {
    make(&dir.join(name), |w| {
        w.write_all(head)?;
        w.write_all(&uint(n_obj))?;
        w.write_all(&uint(0))?;
        for _ in 0..repeat {
            w.write_all(objects)?;
        }
        Ok(())
    });
}

#[test]
fn dump_memory_stays_a_small_multiple_of_the_file() {
    let tmp = TempDir::new("hostile-dump");
    let head = module_without_consts(tmp.path());
    let dir = tmp.path();
    // 100 M constants declared, 100 MB of bytes that are none.
    mpy_with_consts(dir, "decl.mpy", &head, 100_000_000, &[b'x'; 1 << 20], 100);
    // 50 M and 10 M valid `...` constants: more than any mpy-cross 1.11 file holds.
    mpy_with_consts(dir, "e50m.mpy", &head, 50_000_000, &[b'e'; 1 << 20], 48);
    mpy_with_consts(dir, "e10m.mpy", &head, 10_000_000, &[b'e'; 1 << 20], 10);
    for name in ["decl.mpy", "e50m.mpy", "e10m.mpy"] {
        let run = run_bounded(dir, &["dump", name], 20, 512);
        assert_fails(&run, name, &format!("error: {name}: constant count"));
    }
    // A million of them are shown.
    mpy_with_consts(dir, "e1m.mpy", &head, 1 << 20, &[b'e'; 1 << 20], 1);
    let run = run_bounded(dir, &["dump", "e1m.mpy"], 60, 512);
    assert_eq!(run.code, Some(0), "stderr {}", run.stderr);
    let shown = run
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| l.ends_with(b"Ellipsis"))
        .count();
    assert_eq!(shown, 1 << 20);
    // An int of 8 M digits is refused; one of 2 M digits shown as saved.
    let mut obj = b"i".to_vec();
    obj.extend_from_slice(&uint(8_000_000));
    obj.extend_from_slice(&digits(8_000_000));
    mpy_with_consts(dir, "i8m.mpy", &head, 1, &obj, 1);
    let run = run_bounded(dir, &["dump", "i8m.mpy"], 20, 512);
    assert_fails(
        &run,
        "i8m.mpy",
        "error: i8m.mpy: int constant of 8000000 digits",
    );
    let n = 2_000_000;
    let mut obj = b"i".to_vec();
    obj.extend_from_slice(&uint(n as u64));
    obj.extend_from_slice(&digits(n));
    mpy_with_consts(dir, "i2m.mpy", &head, 1, &obj, 1);
    let run = run_bounded(dir, &["dump", "i2m.mpy"], 30, 512);
    assert_eq!(run.code, Some(0), "stderr {}", run.stderr);
    assert!(run.stdout.windows(n).any(|w| w == digits(n).as_slice()));
    eprintln!("dump of a 2 M digit int: {:?}", run.elapsed);
}
