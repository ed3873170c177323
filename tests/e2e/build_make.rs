//! `mpyc build` under make (issue 10, findings 5 and 10): the depfile replaces only a regular
//! file, escapes names for make and refuses those make cannot spell, has an empty rule per
//! prerequisite (a deleted module does not stop make), and is written after a failed build (dated
//! so make tries again) and under `--check`.

use std::path::Path;
use std::process::Command;

use crate::build_support::{files, mpyc_in, tree, write};

/// Copies `examples/blinky` (its sources and Makefile) into a new folder.
fn blinky_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/blinky");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut stack = vec![repo.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let rel = p.strip_prefix(&repo).expect("below");
            if rel.starts_with("build") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                write(&dir.path().join(rel), &std::fs::read(&p).expect("read"));
            }
        }
    }
    dir
}

fn make(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new("make")
        .args(args)
        .arg(format!("MPYC={}", crate::support::mpyc().display()))
        .current_dir(dir)
        .env_remove("MAKEFLAGS")
        .output()
        .expect("make");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn a_deleted_module_does_not_stop_make() {
    let dir = blinky_copy();
    let (code, text) = make(dir.path(), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(dir.path().join("build/esp8266/blinky/pattern.mpy").exists());
    std::fs::remove_file(dir.path().join("src/blinky/pattern.py")).unwrap();
    let (code, text) = make(dir.path(), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("No rule"), "{text}");
    assert!(!dir.path().join("build/esp8266/blinky/pattern.mpy").exists());
    let (code, text) = make(dir.path(), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("compiled"), "nothing left to do: {text}");
}

#[test]
fn a_failed_build_still_writes_the_depfile_and_make_retries() {
    let dir = blinky_copy();
    write(&dir.path().join("src/bad.py"), b"x = = 1\n");
    let (code, text) = make(dir.path(), &[]);
    assert_ne!(code, 0, "{text}");
    let dep = dir.path().join("build/esp8266/.frozen.d");
    let d = std::fs::read_to_string(&dep).expect("a depfile after the failure");
    assert!(d.contains("src/bad.py"), "{d}");
    assert_eq!(
        std::fs::metadata(&dep).unwrap().modified().unwrap(),
        std::time::UNIX_EPOCH,
        "dated so that make runs the build again"
    );
    let (code, text) = make(dir.path(), &[]);
    assert_ne!(code, 0, "{text}");
    // The Makefile builds `--quiet` (no summary): the error shows that the build ran again.
    assert!(
        text.contains("src/bad.py:"),
        "make ran the build again: {text}"
    );
    write(&dir.path().join("src/bad.py"), b"x = 1\n");
    let (code, text) = make(dir.path(), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(dir.path().join("build/esp8266/bad.mpy").exists());
}

#[test]
fn check_writes_the_depfile_too() {
    let dir = tree("src", &[("a.py", "x = 1\n")]);
    let r = mpyc_in(
        dir.path(),
        &["build", "--check", "--depfile", "deps.mk", "src"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = std::fs::read_to_string(dir.path().join("deps.mk")).expect("depfile");
    assert!(d.contains("build/default/a.mpy: src/a.py\n"), "{d}");
    assert!(
        !dir.path().join("build").exists(),
        "--check writes no outputs"
    );
}

#[cfg(unix)]
#[test]
fn the_depfile_replaces_only_a_regular_file() {
    let dir = tree("src", &[("a.py", "x = 1\n")]);
    let fifo = dir.path().join("deps.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let r = mpyc_in(
        dir.path(),
        &["build", "-o", "out", "--depfile", "deps.fifo", "src"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("cannot write the depfile `deps.fifo`: `deps.fifo` is not a regular file"),
        "{}",
        r.stderr
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // The outputs are built all the same.
    assert_eq!(files(&dir.path().join("out")).len(), 1);
}

#[test]
fn names_make_cannot_spell_are_refused_and_others_escaped() {
    let dir = tree(
        "src",
        &[("a b$c#d%e.py", "x = 1\n"), ("f*g?[h]:i.py", "y = 2\n")],
    );
    let mpyc = crate::support::mpyc();
    let makefile = format!(
        "deps.mk:\n\t{} build -o out --depfile $@ src\n-include deps.mk\n",
        mpyc.display()
    );
    write(&dir.path().join("Makefile"), makefile.as_bytes());
    let (code, text) = make(dir.path(), &[]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = make(dir.path(), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("compiled"), "nothing to do: {text}");
    // Each odd name is one prerequisite make finds: changing it makes the depfile out of date.
    for name in ["a b$c#d%e.py", "f*g?[h]:i.py"] {
        std::thread::sleep(std::time::Duration::from_millis(1100));
        write(&dir.path().join("src").join(name), b"z = 3\n");
        let (code, text) = make(dir.path(), &[]);
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("compiled 1, up to date 1"), "{name}: {text}");
    }
    // A newline in a name: the build says make cannot name it.
    write(&dir.path().join("src/n\nl.py"), b"z = 3\n");
    let r = mpyc_in(
        dir.path(),
        &["build", "-o", "out", "--depfile", "deps.mk", "src"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("make cannot name `out/n\\nl.mpy`"),
        "{}",
        r.stderr
    );
}

/// A tree of `n` small modules under `src`.
fn modules(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..n {
        let body = format!("X = {i}\ndef f(a):\n    return [a * k for k in range({i})]\n");
        write(&dir.path().join(format!("src/m{i:03}.py")), body.as_bytes());
    }
    dir
}

/// Runs make with `args` in `dir`, failing the test if it takes over `limit` (a deadlock).
fn make_bounded(dir: &Path, args: &[&str], limit: std::time::Duration) -> (i32, String) {
    let mut child = Command::new("make")
        .args(args)
        .current_dir(dir)
        .env_remove("MAKEFLAGS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("make");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("make {args:?} in {} hangs", dir.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// The seconds a build reports at the end of its summary line (`...; 0.12s`).
fn reported_seconds(summary: &str) -> f64 {
    let line = summary
        .lines()
        .find(|l| l.starts_with("compiled "))
        .expect("a summary line");
    let secs = line.rsplit("; ").next().expect("a time");
    secs.trim_end_matches('s').parse().expect("seconds")
}

#[test]
fn two_builds_under_make_j2_never_deadlock() {
    let dir = modules(80);
    let mpyc = crate::support::mpyc();
    let makefile = format!(
        "all: a b\na:\n\t+{m} build -q -o out-a src\nb:\n\t+{m} build -q --force -o out-b src\n\
         .PHONY: all a b\n",
        m = mpyc.display()
    );
    write(&dir.path().join("Makefile"), makefile.as_bytes());
    for run in 0..50 {
        let (code, text) = make_bounded(dir.path(), &["-j2"], std::time::Duration::from_secs(60));
        assert_eq!(code, 0, "run {run}: {text}");
    }
    assert_eq!(
        files(&dir.path().join("out-a")),
        files(&dir.path().join("out-b"))
    );
}

#[test]
fn beside_a_sleeping_job_the_build_uses_its_own_slot() {
    let dir = modules(60);
    let mpyc = crate::support::mpyc();
    let makefile = format!(
        "all: nap build\nnap:\n\tsleep 3\nbuild:\n\t+{} build -j2 -o out src\n.PHONY: all nap build\n",
        mpyc.display()
    );
    write(&dir.path().join("Makefile"), makefile.as_bytes());
    let (code, text) = make_bounded(dir.path(), &["-j2"], std::time::Duration::from_secs(60));
    assert_eq!(code, 0, "{text}");
    let secs = reported_seconds(&text);
    assert!(
        secs < 1.5,
        "the build waited for the sleeping job's slot: {text}"
    );
    assert_eq!(files(&dir.path().join("out")).len(), 60);
}

#[cfg(unix)]
#[test]
fn a_fifo_jobserver_with_no_tokens_still_builds() {
    let dir = modules(200);
    let fifo = dir.path().join("jobserver.fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = Command::new(crate::support::mpyc())
        .args(["build", "-q", "-j4", "-o", "out", "src"])
        .current_dir(dir.path())
        .env(
            "MAKEFLAGS",
            format!("-j4 --jobserver-auth=fifo:{}", fifo.display()),
        )
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("mpyc waits for a token it does not need");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(child.wait().unwrap().success());
    assert_eq!(files(&dir.path().join("out")).len(), 200);
}
