//! `mpyc build` with inputs handed to the workers while the walk goes on: outputs, diagnostics
//! and their order do not depend on the number of workers, an output two inputs make is owned
//! by the first one found, and an entry the walk cannot follow is one diagnostic.

use std::path::{Path, PathBuf};

use crate::build_support::{mpyc_in, write};

/// Every file under `dir` (relative path, bytes), sorted; unlike `build_support::files`, hidden
/// ones (the state file) included. The state's output stamps (inode and times of files in this
/// out dir) are left out of its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let mut bytes = std::fs::read(&p).expect("read");
                if p.ends_with(".mpyc-state.json") {
                    let mut state: serde_json::Value =
                        serde_json::from_slice(&bytes).expect("the state is JSON");
                    for e in state["entries"]
                        .as_object_mut()
                        .expect("entries")
                        .values_mut()
                    {
                        e.as_object_mut().expect("an entry").remove("out_stamp");
                    }
                    bytes = serde_json::to_vec(&state).expect("JSON");
                }
                out.push((p.strip_prefix(dir).expect("below").to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

/// A tree with good modules, modules failing at different places, and nesting.
fn mixed_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path().join("src");
    for i in 0..40 {
        let body = match i % 4 {
            0 => format!("x = {i}\ndef f(a):\n    return a + {i}\n"),
            1 => format!("y = {i}\nz = = 1\n"),
            2 => format!("class C{i}:\n    def m(self):\n        return [k for k in range({i})]\n"),
            _ => format!("def g():\n    nonlocal q{i}\n"),
        };
        write(&src.join(format!("p{}/m{i:02}.py", i % 3)), body.as_bytes());
    }
    write(&src.join("top.py"), b"import p0.m00\n");
    dir
}

#[test]
fn worker_count_changes_nothing() {
    let dir = mixed_tree();
    let one = mpyc_in(dir.path(), &["build", "-j1", "--out-dir", "o1", "src"]);
    let three = mpyc_in(dir.path(), &["build", "-j3", "--out-dir", "o3", "src"]);
    assert_eq!(one.code, 1, "{}", one.stderr);
    assert_eq!(three.code, 1);
    assert_eq!(one.stderr, three.stderr);
    assert!(
        one.stdout
            .starts_with("compiled 21, up to date 0, failed 20;"),
        "{}",
        one.stdout
    );
    assert_eq!(files(&dir.path().join("o1")), files(&dir.path().join("o3")));
    // Diagnostics come in walk order, one per failed module.
    let firsts: Vec<&str> = one
        .stderr
        .lines()
        .filter(|l| l.starts_with("src/"))
        .collect();
    assert_eq!(firsts.len(), 20);
    // The oracle says `SyntaxError: no binding for nonlocal found` at line 2, in g.
    assert_eq!(
        firsts[0],
        "src/p0/m03.py:2: SyntaxError: no binding for nonlocal found (in g)"
    );
    let mut sorted = firsts.clone();
    sorted.sort();
    assert_eq!(firsts, sorted);
    // The same with JSON diagnostics, and again into the existing out dir (no staging).
    let one = mpyc_in(
        dir.path(),
        &[
            "build",
            "-j1",
            "--message-format",
            "json",
            "--out-dir",
            "oj1",
            "src",
        ],
    );
    let three = mpyc_in(
        dir.path(),
        &[
            "build",
            "-j3",
            "--message-format",
            "json",
            "--out-dir",
            "oj3",
            "src",
        ],
    );
    let no_time = |s: &str| {
        s.split("\"seconds\"")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        no_time(&one.stdout),
        no_time(&three.stdout).replace("\"out_dir\":\"oj3\"", "\"out_dir\":\"oj1\"")
    );
    std::fs::remove_file(dir.path().join("src/top.py")).unwrap();
    let again = mpyc_in(dir.path(), &["build", "-j3", "--out-dir", "o1", "src"]);
    assert_eq!(again.stderr, one_stderr_without_top(&dir));
    assert!(
        again
            .stdout
            .starts_with("compiled 0, up to date 20, failed 20, removed 1;"),
        "{}",
        again.stdout
    );
}

/// The human diagnostics of a fresh -j1 build of the mixed tree as it is now.
fn one_stderr_without_top(dir: &tempfile::TempDir) -> String {
    mpyc_in(dir.path(), &["build", "-j1", "--out-dir", "ofresh", "src"]).stderr
}

#[test]
fn the_first_input_found_owns_a_shared_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("r1/x.py"), b"a = 1\n");
    write(&dir.path().join("r2/x.py"), b"a = 2\n");
    write(&dir.path().join("r2/lib/m.py"), b"b = 1\n");
    // `m.mpy` sorts before `m.py`: the prebuilt file is found first (and is not a .mpy).
    write(&dir.path().join("r2/lib/m.mpy"), b"not an mpy");
    for out in ["fresh", "fresh"] {
        let r = mpyc_in(dir.path(), &["build", "--out-dir", out, "r1", "r2/"]);
        assert_eq!(r.code, 1);
        assert_eq!(
            r.stderr,
            "r2/lib/m.mpy: error: not a .mpy file: starts with byte 0x6e, not `M`\n\
             r2/lib/m.py: error: its output `lib/m.mpy` is also made from `r2/lib/m.mpy`\n\
             r2/x.py: error: its output `x.mpy` is also made from `r1/x.py`\n",
            "into {out}"
        );
        assert!(dir.path().join("fresh/x.mpy").exists());
        assert!(!dir.path().join("fresh/lib/m.mpy").exists());
    }
}

#[test]
fn a_bad_walk_entry_is_one_diagnostic_and_removes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("src/a.py"), b"x = 1\n");
    write(&dir.path().join("src/b/c.py"), b"y = 2\n");
    write(&dir.path().join("src/z.py"), b"z = 3\n");
    let r = mpyc_in(dir.path(), &["build", "-j2", "--out-dir", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A folder linking to its parent (a loop) and a dangling link; `z.py` gone meanwhile.
    std::os::unix::fs::symlink("..", dir.path().join("src/b/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join("src/b/gone.py")).unwrap();
    std::fs::remove_file(dir.path().join("src/z.py")).unwrap();
    write(&dir.path().join("src/a.py"), b"x = 2\n");
    let r = mpyc_in(dir.path(), &["build", "-j2", "--out-dir", "out", "src"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "src/b/gone.py: error: cannot read: No such file or directory (os error 2)\n\
         src/b/loop: error: not followed: a link to `src`, a folder it is already in\n",
    );
    assert!(
        r.stdout.starts_with("compiled 1, up to date 1, failed 0;"),
        "{}",
        r.stdout
    );
    // With part of the tree unseen, no output is taken for stale.
    assert!(dir.path().join("out/z.mpy").exists());
    std::fs::remove_file(dir.path().join("src/b/loop")).unwrap();
    std::fs::remove_file(dir.path().join("src/b/gone.py")).unwrap();
    let r = mpyc_in(dir.path(), &["build", "-j2", "--out-dir", "out", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("removed 1"), "{}", r.stdout);
    assert!(!dir.path().join("out/z.mpy").exists());
}

#[test]
fn an_unreadable_folder_is_one_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    write(&dir.path().join("src/a.py"), b"x = 1\n");
    write(&dir.path().join("src/locked/b.py"), b"y = 2\n");
    let perm = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod")
    };
    // Root reads any folder: then the build runs as `nobody` (setpriv), in a tree it may use.
    let as_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    for p in [dir.path(), &dir.path().join("src")] {
        perm(p, 0o777);
    }
    perm(&dir.path().join("src/locked"), 0o000);
    let mut cmd = if as_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(crate::support::mpyc());
        c
    } else {
        std::process::Command::new(crate::support::mpyc())
    };
    let out = cmd
        .args(["build", "-o", "out", "src"])
        .current_dir(dir.path())
        .env_remove("MAKEFLAGS")
        .output()
        .expect("run mpyc");
    perm(&dir.path().join("src/locked"), 0o755);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "src/locked: error: cannot read: Permission denied (os error 13)\n"
    );
    assert!(dir.path().join("out/a.mpy").exists());
}
