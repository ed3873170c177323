//! `mpyc build` is safe (issue 10): it never reports stale bytes as up to date, never leaves a
//! truncated output, never loses good outputs on a failed write, and never creates, changes or
//! deletes anything outside its out dir, whatever the state file says or links in the out dir
//! point to. Each test here failed on the build driver before these guarantees.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build_support::{files, mpyc_in, write};

/// A tree of `n` modules whose outputs are a few hundred bytes each.
fn module_tree(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..n {
        let body = format!(
            "X = {i}\ndef f(a, b={i}):\n    return [a * k + b for k in range({i})]\n\
             class C{i}:\n    def m(self):\n        return 'text {i}' * 3\n"
        );
        write(
            &dir.path().join(format!("src/p{}/m{i:03}.py", i % 4)),
            body.as_bytes(),
        );
    }
    dir
}

/// Every file under `dir` whose name starts with `.mpyc-` other than the state file: the
/// temporaries and leftovers of interrupted builds.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            let ty = e.file_type().expect("type");
            if ty.is_dir() {
                stack.push(p.clone());
            }
            let ours = name.starts_with(".mpyc-") || name.ends_with(".tmp");
            if ours && !ty.is_dir() && name != ".mpyc-state.json" {
                found.push(p);
            }
        }
    }
    found
}

#[test]
fn outputs_rewritten_behind_the_state_are_never_up_to_date() {
    // What an interrupted build with another profile leaves: outputs with the other profile's
    // bytes (here of the same sizes) under a state that still names the first profile.
    let dir = module_tree(12);
    let r = mpyc_in(dir.path(), &["build", "-p", "default", "-o", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clean = files(&dir.path().join("out"));
    // `nrf` differs from `default` in the header's unicode flag only.
    let r = mpyc_in(dir.path(), &["build", "-p", "nrf", "-o", "other", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let other = files(&dir.path().join("other"));
    assert_ne!(clean, other);
    for rel in other.keys() {
        assert_eq!(clean[rel].len(), other[rel].len(), "{rel}: same size");
        std::fs::rename(
            dir.path().join("other").join(rel),
            dir.path().join("out").join(rel),
        )
        .expect("rename");
    }
    for _ in 0..2 {
        let r = mpyc_in(dir.path(), &["build", "-p", "default", "-o", "out", "src"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(files(&dir.path().join("out")), clean, "{}", r.stdout);
    }
    // Changed in place, same size and even the same times: its bytes no longer hash the same.
    let one = dir.path().join("out/p1/m001.mpy");
    let mtime = std::fs::metadata(&one).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&one).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&one, &bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&one)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let r = mpyc_in(dir.path(), &["build", "-p", "default", "-o", "out", "src"]);
    assert!(
        r.stdout.starts_with("compiled 1, up to date 11"),
        "{}",
        r.stdout
    );
    assert_eq!(files(&dir.path().join("out")), clean);
}

#[test]
fn an_interrupted_profile_switch_leaves_a_true_state() {
    let dir = module_tree(60);
    let r = mpyc_in(dir.path(), &["build", "-o", "clean", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clean = files(&dir.path().join("clean"));
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (i, delay_ms) in [5u64, 20, 40, 80, 150].into_iter().enumerate() {
        let profile = if i % 2 == 0 { "nrf" } else { "esp8266" };
        let mut child = Command::new(crate::support::mpyc())
            .args(["build", "-j1", "-q", "-p", profile, "-o", "out", "src"])
            .current_dir(dir.path())
            .env_remove("MAKEFLAGS")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            files(&dir.path().join("out")),
            clean,
            "killed after {delay_ms} ms: {}",
            r.stdout
        );
        assert_eq!(temporaries(&dir.path().join("out")), Vec::<PathBuf>::new());
    }
}

/// A size-limited file system mounted for a test (tmpfs, so only as root), unmounted when
/// dropped; `None` where mounting is not allowed.
struct SmallFs {
    dir: tempfile::TempDir,
}

impl SmallFs {
    fn mount(size: &str) -> Option<SmallFs> {
        let dir = tempfile::tempdir().expect("temp dir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallFs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Runs `mpyc build` into `out` on a full disk: a small tmpfs where this may mount one, else
/// the test hook that fails writes past a byte budget.
fn build_on_small_disk(dir: &Path, out: &Path, budget: usize, extra: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(crate::support::mpyc());
    cmd.args(["build", "-q", "-o"])
        .arg(out)
        .arg("src")
        .args(extra)
        .current_dir(dir)
        .env_remove("MAKEFLAGS");
    if budget > 0 {
        cmd.env("MPYC_TEST_WRITE_LIMIT", budget.to_string());
    }
    let o = cmd.output().expect("run mpyc");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

/// Fills the file system holding `dir` (a tmpfs) until a write fails.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("filler")).expect("filler");
    let block = vec![0u8; 4096];
    while f.write_all(&block).is_ok() {}
    let _ = f.flush();
}

#[test]
fn a_full_disk_truncates_nothing_and_loses_nothing() {
    let dir = module_tree(200);
    let r = mpyc_in(dir.path(), &["build", "-o", "clean", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clean = files(&dir.path().join("clean"));
    let small = SmallFs::mount("256k");
    let (disk, budget) = match &small {
        Some(fs) => (fs.path().to_path_buf(), 0),
        None => (dir.path().join("disk"), 60_000),
    };
    std::fs::create_dir_all(&disk).unwrap();

    // A cold build that runs out of space: what is there is whole, the rest is missing.
    let out = disk.join("out");
    let (code, text) = build_on_small_disk(dir.path(), &out, budget, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    let got = files(&out);
    assert!(!got.is_empty() && got.len() < clean.len(), "{}", got.len());
    for (rel, bytes) in &got {
        assert_eq!(bytes, &clean[rel], "{rel} is truncated");
    }
    assert_eq!(temporaries(&disk), Vec::<PathBuf>::new());
    std::fs::remove_dir_all(&out).unwrap();

    // A finished build, then every source changed while the disk is full: every output that
    // was there stays, and the next build with room mends everything.
    let few = module_tree(24);
    let (code, text) = build_on_small_disk(few.path(), &out, 0, &[]);
    assert_eq!(code, 0, "{text}");
    let before = files(&out);
    assert_eq!(before.len(), 24);
    for (i, src) in files(&few.path().join("src")).keys().enumerate() {
        write(
            &few.path().join("src").join(src),
            format!("Y = {i}\n").as_bytes(),
        );
    }
    let budget = if small.is_some() {
        fill(&disk);
        0
    } else {
        1
    };
    let (code, text) = build_on_small_disk(few.path(), &out, budget, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(!text.contains("removed"), "{text}");
    assert_eq!(files(&out), before, "no output lost");
    let _ = std::fs::remove_file(disk.join("filler"));
    let (code, text) = build_on_small_disk(few.path(), &out, 0, &[]);
    assert_eq!(code, 0, "{text}");
    let r = mpyc_in(few.path(), &["build", "-o", "fresh", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(files(&out), files(&few.path().join("fresh")));
    assert_eq!(temporaries(&disk), Vec::<PathBuf>::new());
}

#[cfg(unix)]
#[test]
fn nothing_outside_the_out_dir_is_written_or_deleted() {
    use std::os::unix::fs::symlink;
    let dir = module_tree(4);
    let outside = dir.path().join("outside");
    write(&outside.join("secret.txt"), b"keep me");
    write(&outside.join("p1/m001.mpy"), b"not mpyc's");
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A state entry for a file behind a link in the out dir.
    symlink(&outside, dir.path().join("out/lnk")).unwrap();
    let state_path = dir.path().join("out/.mpyc-state.json");
    let mut state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state_path).unwrap()).unwrap();
    let entry = state["entries"]["p0/m000.mpy"].clone();
    state["entries"]["lnk/secret.txt"] = entry.clone();
    state["entries"]["../outside/secret.txt"] = entry;
    // Format 3 (before output hashes): its entries only list outputs, as the oldest readable.
    state["format"] = 3.into();
    std::fs::write(&state_path, serde_json::to_vec(&state).unwrap()).unwrap();
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("removed"), "{}", r.stdout);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(outside.join("secret.txt")).unwrap(),
        b"keep me"
    );

    // A linked folder where outputs go: refused, and nothing written through it.
    std::fs::remove_dir_all(dir.path().join("out/p1")).unwrap();
    symlink(outside.join("p1"), dir.path().join("out/p1")).unwrap();
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("out/p1` is a symbolic link"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(outside.join("p1/m001.mpy")).unwrap(),
        b"not mpyc's"
    );
    let names: Vec<_> = std::fs::read_dir(&outside)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(
        std::fs::read_dir(outside.join("p1")).unwrap().count(),
        1,
        "nothing new behind the link"
    );
}

#[test]
fn a_second_build_into_a_locked_out_dir_says_so_and_waits() {
    let dir = module_tree(8);
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    write(&dir.path().join("src/p0/m000.py"), b"changed = 1\n");
    // Held as a running build holds it.
    let held = std::fs::File::open(dir.path().join("out")).unwrap();
    held.lock().unwrap();
    let child = Command::new(crate::support::mpyc())
        .args(["build", "-o", "out", "src"])
        .current_dir(dir.path())
        .env_remove("MAKEFLAGS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let before = std::fs::read(dir.path().join("out/p0/m000.mpy")).unwrap();
    drop(held);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr,
        "mpyc: another build is writing into `out`; waiting for it to finish\n"
    );
    assert_ne!(
        before,
        std::fs::read(dir.path().join("out/p0/m000.mpy")).unwrap(),
        "nothing was written while the lock was held, all of it after"
    );
}

#[test]
fn concurrent_builds_into_a_new_out_dir_both_finish_it() {
    let dir = module_tree(80);
    let r = mpyc_in(dir.path(), &["build", "-o", "clean", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clean = files(&dir.path().join("clean"));
    for round in 0..10 {
        let out = format!("out{round}");
        let spawn = || {
            Command::new(crate::support::mpyc())
                .args(["build", "-q", "-o", &out, "src"])
                .current_dir(dir.path())
                .env_remove("MAKEFLAGS")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        assert_eq!(files(&dir.path().join(&out)), clean, "round {round}");
        assert_eq!(temporaries(dir.path()), Vec::<PathBuf>::new());
        assert!(!dir.path().join(format!(".{out}.mpyc-partial")).exists());
    }
}

/// Runs `mpyc <args>` in `dir`, failing the test if it takes more than 30 s (a hang).
fn mpyc_bounded(dir: &Path, args: &[&str]) -> crate::build_support::Run {
    let mut child = Command::new(crate::support::mpyc())
        .args(args)
        .current_dir(dir)
        .env_remove("MAKEFLAGS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("mpyc {args:?} hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = child.wait_with_output().expect("output");
    crate::build_support::Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_not_read() {
    use std::os::unix::fs::symlink;
    let dir = module_tree(2);
    let mkfifo = |p: &Path| assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
    mkfifo(&dir.path().join("src/fifo.py"));
    symlink("/dev/zero", dir.path().join("src/zero.py")).unwrap();
    let r = mpyc_bounded(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "src/fifo.py: error: cannot read: not a regular file (mpyc reads only regular files)\n\
         src/zero.py: error: cannot read: not a regular file (mpyc reads only regular files)\n"
    );
    assert!(
        r.stdout.starts_with("compiled 2, up to date 0, failed 2"),
        "{}",
        r.stdout
    );
    std::fs::remove_file(dir.path().join("src/fifo.py")).unwrap();
    std::fs::remove_file(dir.path().join("src/zero.py")).unwrap();

    // The state file as a FIFO or a link to /dev/zero: ignored with a warning.
    let state = dir.path().join("out/.mpyc-state.json");
    for make_it in [0, 1] {
        std::fs::remove_file(&state).unwrap();
        if make_it == 0 {
            mkfifo(&state);
        } else {
            symlink("/dev/zero", &state).unwrap();
        }
        let r = mpyc_bounded(dir.path(), &["build", "-o", "out", "src"]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(
            r.stderr.starts_with(
                "warning: ignoring the build state `out/.mpyc-state.json`: not a regular file"
            ),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("is not a regular file: mpyc only replaces regular files"),
            "{}",
            r.stderr
        );
    }
    std::fs::remove_file(&state).unwrap();

    // A profile that is a FIFO or /dev/zero: a clear error, at once.
    mkfifo(&dir.path().join("board.toml"));
    symlink("/dev/zero", dir.path().join("zero.toml")).unwrap();
    for p in ["board.toml", "zero.toml"] {
        let r = mpyc_bounded(dir.path(), &["build", "-o", "out", "-p", p, "src"]);
        assert_eq!(r.code, 2);
        assert!(
            r.stderr.contains("cannot read: not a regular file"),
            "{}",
            r.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn names_are_kept_as_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    for name in [&b"\xff\xfe.py"[..], b"\xfe\xff.py"] {
        std::fs::write(src.join(std::ffi::OsStr::from_bytes(name)), b"x = 1\n").unwrap();
    }
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("compiled 2,"), "{}", r.stdout);
    let mut outs: Vec<Vec<u8>> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().as_bytes().to_vec())
        .filter(|n| n.ends_with(b".mpy"))
        .collect();
    outs.sort();
    assert_eq!(outs, [&b"\xfe\xff.mpy"[..], b"\xff\xfe.mpy"]);
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert!(
        r.stdout.starts_with("compiled 0, up to date 2,"),
        "{}",
        r.stdout
    );
    std::fs::remove_file(src.join(std::ffi::OsStr::from_bytes(b"\xff\xfe.py"))).unwrap();
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert!(r.stdout.contains("removed 1"), "{}", r.stdout);
    assert!(dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"out/\xfe\xff.mpy"))
        .exists());
}

#[test]
fn a_source_root_inside_the_out_dir_is_refused() {
    let dir = module_tree(2);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::rename(dir.path().join("src"), dir.path().join("out/src")).unwrap();
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "out/src"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: the source root `out/src` is inside the output folder `out`: outputs would be \
         written among the sources; choose an output folder outside it\n"
    );
    assert_eq!(files(&dir.path().join("out")).len(), 2, "only the sources");
}
