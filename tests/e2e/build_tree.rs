//! `mpyc build` on whole trees: byte identity with per-file oracle runs, determinism, incremental
//! rebuilds, removal of stale outputs, `--check`, safe output and prebuilt `.mpy` files.

use std::path::Path;

use crate::build_support::{files, hex, mpyc_in, oracle_mpy, tree, write};

/// CPython's stdlib folder, as `python3` reports it (the corpus the project tests against).
fn stdlib() -> std::path::PathBuf {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("python3 is needed to find the CPython stdlib");
    assert!(out.status.success(), "python3 could not report its stdlib");
    std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}
/// CPython 3.11 stdlib files the oracle compiles.
const STDLIB_FILES: &[&str] = &[
    "bisect.py",
    "colorsys.py",
    "keyword.py",
    "this.py",
    "heapq.py",
    "stat.py",
];

fn app_tree() -> tempfile::TempDir {
    let dir = tree(
        "app",
        &[
            ("main.py", "import blinky.led\nfrom blinky import timing\n\ndef main():\n    blinky.led.on()\n    timing.sleep_ms(500)\n"),
            ("blinky/__init__.py", "VERSION = '1.0'\n"),
            ("blinky/led.py", "from micropython import const\nPIN = const(2)\n_state = [0]\n\ndef on():\n    _state[0] = 1\n    return PIN\n"),
            ("blinky/timing.py", "import utime\n\ndef sleep_ms(ms):\n    utime.sleep_ms(ms)\n\nclass Timer:\n    def __init__(self, period=1000):\n        self.period = period\n"),
            ("lib/deep/er/mod.py", "x = [i * 2 for i in range(10)]\ny = lambda a: a + 1\n"),
            ("__pycache__/skip.py", "this is not python\n"),
            (".hidden/skip.py", "neither is this\n"),
            ("notes.txt", "not a module\n"),
        ],
    );
    let stdlib = stdlib();
    for f in STDLIB_FILES {
        let text = std::fs::read(stdlib.join(f)).expect("CPython stdlib file");
        write(&dir.path().join("app/stdlib").join(f), &text);
    }
    dir
}

/// The `.py` files of the app tree, relative to `app/`.
fn app_sources(dir: &Path) -> Vec<String> {
    files(&dir.join("app"))
        .into_keys()
        .filter(|k| k.ends_with(".py") && !k.starts_with("__pycache__/"))
        .collect()
}

#[test]
fn tree_build_matches_per_file_oracle_runs() {
    let dir = app_tree();
    let r = mpyc_in(
        dir.path(),
        &["build", "--profile", "unix", "--out-dir", "out", "app"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sources = app_sources(dir.path());
    assert_eq!(sources.len(), 5 + STDLIB_FILES.len());
    let built = files(&dir.path().join("out"));
    assert_eq!(
        built.len(),
        sources.len(),
        "outputs: {:?}",
        built.keys().collect::<Vec<_>>()
    );
    for rel in &sources {
        let want = oracle_mpy(dir.path(), "app", rel, &["-mcache-lookup-bc"]);
        let got = built
            .get(&rel.replace(".py", ".mpy"))
            .unwrap_or_else(|| panic!("no output for {rel}"));
        assert_eq!(hex(got), hex(&want), "{rel}");
    }
    assert!(
        r.stdout.contains(&format!(
            "compiled {}, up to date 0, failed 0",
            sources.len()
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn root_spelled_with_dot_and_trailing_slash() {
    // `mpyc build` in the tree itself: the root is `.`, so the path is `./<rel>` as a Makefile
    // with `FROZEN_MPY_DIR = .` would spell it; a trailing `/` on a root is dropped.
    let dir = app_tree();
    let app = dir.path().join("app");
    let r = mpyc_in(
        &app,
        &[
            "build",
            "-q",
            "--profile",
            "unix",
            "--out-dir",
            "../out-dot",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = mpyc_in(
        dir.path(),
        &[
            "build",
            "-q",
            "--profile",
            "unix",
            "--out-dir",
            "out-slash",
            "app/",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for rel in ["main.py", "blinky/led.py", "stdlib/heapq.py"] {
        let out = rel.replace(".py", ".mpy");
        let want_dot = oracle_mpy(&app, ".", rel, &["-mcache-lookup-bc"]);
        assert_eq!(
            hex(&std::fs::read(dir.path().join("out-dot").join(&out)).unwrap()),
            hex(&want_dot),
            "{rel}"
        );
        let want = oracle_mpy(dir.path(), "app", rel, &["-mcache-lookup-bc"]);
        assert_eq!(
            hex(&std::fs::read(dir.path().join("out-slash").join(&out)).unwrap()),
            hex(&want),
            "{rel}"
        );
    }
}

#[test]
fn jobs_do_not_change_the_bytes() {
    let dir = app_tree();
    let r1 = mpyc_in(
        dir.path(),
        &[
            "build",
            "-q",
            "-j1",
            "--profile",
            "esp8266",
            "--out-dir",
            "j1",
            "app",
        ],
    );
    let r2 = mpyc_in(
        dir.path(),
        &[
            "build",
            "-q",
            "-j2",
            "--profile",
            "esp8266",
            "--out-dir",
            "j2",
            "app",
        ],
    );
    assert_eq!((r1.code, r2.code), (0, 0), "{}{}", r1.stderr, r2.stderr);
    let (a, b) = (files(&dir.path().join("j1")), files(&dir.path().join("j2")));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn incremental_rebuild_touches_only_what_changed() {
    let dir = app_tree();
    let n = app_sources(dir.path()).len();
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mtime = |rel: &str| {
        std::fs::metadata(dir.path().join("out").join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before_main = mtime("main.mpy");
    let before_led = mtime("blinky/led.mpy");

    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout
            .contains(&format!("compiled 0, up to date {n}, failed 0")),
        "{}",
        r.stdout
    );

    std::thread::sleep(std::time::Duration::from_millis(20));
    write(&dir.path().join("app/blinky/led.py"), b"PIN = 3\n");
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout
            .contains(&format!("compiled 1, up to date {}, failed 0", n - 1)),
        "{}",
        r.stdout
    );
    assert_eq!(
        mtime("main.mpy"),
        before_main,
        "an unchanged output is not rewritten"
    );
    assert_ne!(mtime("blinky/led.mpy"), before_led);
    let want = oracle_mpy(dir.path(), "app", "blinky/led.py", &[]);
    assert_eq!(
        hex(&std::fs::read(dir.path().join("out/blinky/led.mpy")).unwrap()),
        hex(&want)
    );

    // Same bytes saved again (only the mtime moves): rebuilt but the output is left alone.
    let led = std::fs::read(dir.path().join("app/blinky/led.py")).unwrap();
    write(&dir.path().join("app/blinky/led.py"), &led);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout.contains(&format!("compiled 0, up to date {n}")),
        "{}",
        r.stdout
    );

    // A deleted output is made again; --force rebuilds everything.
    std::fs::remove_file(dir.path().join("out/main.mpy")).unwrap();
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(r.stdout.contains("compiled 1,"), "{}", r.stdout);
    let r = mpyc_in(dir.path(), &["build", "--force", "--out-dir", "out", "app"]);
    assert!(
        r.stdout.contains(&format!("compiled {n}, up to date 0")),
        "{}",
        r.stdout
    );

    // Another profile is another build.
    let r = mpyc_in(
        dir.path(),
        &["build", "--profile", "nrf", "--out-dir", "out", "app"],
    );
    assert!(
        r.stdout.contains(&format!("compiled {n}, up to date 0")),
        "{}",
        r.stdout
    );
}

#[test]
fn outputs_of_deleted_sources_are_removed() {
    let dir = app_tree();
    let r = mpyc_in(dir.path(), &["build", "-q", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("out/lib/deep/er/mod.mpy").exists());
    std::fs::remove_dir_all(dir.path().join("app/lib")).unwrap();
    write(&dir.path().join("out/keep.txt"), b"not ours");
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("removed 1"), "{}", r.stdout);
    assert!(
        !dir.path().join("out/lib").exists(),
        "emptied folders go too"
    );
    assert!(
        dir.path().join("out/keep.txt").exists(),
        "files mpyc did not make stay"
    );
    assert!(dir.path().join("out/main.mpy").exists());
}

#[test]
fn corrupt_state_means_a_full_rebuild() {
    let dir = app_tree();
    let n = app_sources(dir.path()).len();
    assert_eq!(
        mpyc_in(dir.path(), &["build", "-q", "--out-dir", "out", "app"]).code,
        0
    );
    let first = files(&dir.path().join("out"));
    write(
        &dir.path().join("out/.mpyc-state.json"),
        b"{\"format\": 1, \"entries\": [garbage",
    );
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("compiled {n}, up to date 0")),
        "{}",
        r.stdout
    );
    assert_eq!(files(&dir.path().join("out")), first);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout.contains(&format!("up to date {n}")),
        "the state is good again: {}",
        r.stdout
    );
}

#[test]
fn check_writes_nothing() {
    let dir = app_tree();
    write(&dir.path().join("app/bad.py"), b"def f(:\n    pass\n");
    let r = mpyc_in(dir.path(), &["build", "--check", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("app/bad.py:1"), "{}", r.stderr);
    assert!(r.stdout.contains("failed 1"), "{}", r.stdout);
    assert!(!dir.path().join("out").exists());
    std::fs::remove_file(dir.path().join("app/bad.py")).unwrap();
    let r = mpyc_in(dir.path(), &["build", "--check", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn unwritable_out_dir_is_a_clear_error() {
    let dir = app_tree();
    write(&dir.path().join("plainfile"), b"x");
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "plainfile/out", "app"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("error: cannot create the output folder `plainfile/out`"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "one clear line: {}", r.stderr);
}

#[test]
fn excludes_and_output_folder_are_skipped() {
    let dir = app_tree();
    let app = dir.path().join("app");
    // Out dir inside the tree: its files are never inputs.
    write(&app.join("build/default/old.py"), b"x = 1\n");
    let r = mpyc_in(
        &app,
        &["build", "--exclude", "stdlib", "--exclude", "lib/**/*.py"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got: Vec<String> = files(&app.join("build/default")).into_keys().collect();
    assert_eq!(
        got,
        [
            "blinky/__init__.mpy",
            "blinky/led.mpy",
            "blinky/timing.mpy",
            "main.mpy",
            "old.py"
        ]
    );
}

#[test]
fn prebuilt_mpy_is_checked_and_copied() {
    let dir = tree("src", &[("a.py", "x = 1\n")]);
    let unix_mpy = oracle_mpy(dir.path(), "src", "a.py", &["-mcache-lookup-bc"]);
    write(&dir.path().join("src/vendor/fast.mpy"), &unix_mpy);
    let r = mpyc_in(
        dir.path(),
        &["build", "--profile", "unix", "--out-dir", "out", "src"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(dir.path().join("out/vendor/fast.mpy")).unwrap(),
        unix_mpy
    );

    let r = mpyc_in(
        dir.path(),
        &["build", "--profile", "nrf", "--out-dir", "out-nrf", "src"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("src/vendor/fast.mpy: error: field `flags`"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out-nrf/vendor/fast.mpy").exists());
    assert!(
        dir.path().join("out-nrf/a.mpy").exists(),
        "the good module is still built"
    );

    write(&dir.path().join("src/a.mpy"), &unix_mpy);
    let r = mpyc_in(
        dir.path(),
        &["build", "--profile", "unix", "--out-dir", "out2", "src"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("its output `a.mpy` is also made from"),
        "{}",
        r.stderr
    );
}

#[test]
fn outputs_beside_the_sources() {
    // `--out-dir` = the root, as `mpy-cross` does by default: the .mpy files written there are
    // outputs on the next run, not prebuilt inputs.
    let dir = tree("src", &[("a.py", "x = 1\n"), ("pkg/b.py", "y = 2\n")]);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "src", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "src", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("compiled 0, up to date 2, failed 0;"),
        "{}",
        r.stdout
    );
    let want = oracle_mpy(dir.path(), "src", "pkg/b.py", &[]);
    assert_eq!(
        hex(&std::fs::read(dir.path().join("src/pkg/b.mpy")).unwrap()),
        hex(&want)
    );
}

/// Sets the mtime of every file under `dir` to `secs` seconds ago (so the build trusts their
/// stamps: sources modified within 2 s of a build are always hashed).
fn age_files(dir: &Path, secs: u64) {
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    for rel in files(dir).into_keys() {
        set_mtime(&dir.join(rel), when);
    }
}

fn set_mtime(path: &Path, when: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .expect("cannot set an mtime");
}

fn mtime_of(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

fn read_state(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("out/.mpyc-state.json")).unwrap())
        .expect("the state is JSON")
}

fn write_state(dir: &Path, state: &serde_json::Value) {
    write(
        &dir.join("out/.mpyc-state.json"),
        &serde_json::to_vec_pretty(state).unwrap(),
    );
}

#[test]
fn unchanged_stamps_skip_hashing_and_touches_rebuild_nothing() {
    let dir = app_tree();
    let n = app_sources(dir.path()).len();
    age_files(&dir.path().join("app"), 60);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(r.stdout.contains(&format!("compiled {n},")), "{}", r.stdout);
    let state = read_state(dir.path());
    assert_eq!(state["format"], 4);
    let entries = state["entries"].as_object().unwrap();
    assert_eq!(entries.len(), n);
    for (out, e) in entries {
        assert!(e["stamp"]["size"].is_u64(), "{out} has no stamp: {e}");
    }

    // A settled stamp is trusted: with a wrong hash recorded, the source is still not read.
    let mut state = state;
    state["entries"]["main.mpy"]["src"] = "00".repeat(32).into();
    write_state(dir.path(), &state);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout.contains(&format!("compiled 0, up to date {n}")),
        "{}",
        r.stdout
    );

    // (a) Touched (same bytes, new mtime): hashed, nothing rebuilt, the output left alone.
    let out_led = dir.path().join("out/blinky/led.mpy");
    let out_main = dir.path().join("out/main.mpy");
    let (led_before, main_before) = (mtime_of(&out_led), mtime_of(&out_main));
    std::thread::sleep(std::time::Duration::from_millis(20));
    set_mtime(
        &dir.path().join("app/blinky/led.py"),
        std::time::SystemTime::now(),
    );
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout
            .contains(&format!("compiled 0, up to date {n}, failed 0")),
        "{}",
        r.stdout
    );
    assert_eq!(mtime_of(&out_led), led_before, "a touch rewrites nothing");
    // Modified just now: no stamp kept, so the next build hashes it again (racy-write rule).
    assert!(read_state(dir.path())["entries"]["blinky/led.mpy"]
        .get("stamp")
        .is_none());

    // (b) New bytes with a new mtime: exactly that module is rebuilt.
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(
        &dir.path().join("app/blinky/timing.py"),
        b"import utime\n\ndef sleep_ms(ms):\n    utime.sleep_ms(ms + 1)\n",
    );
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout
            .contains(&format!("compiled 1, up to date {}, failed 0", n - 1)),
        "{}",
        r.stdout
    );
    assert_eq!(
        hex(&std::fs::read(dir.path().join("out/blinky/timing.mpy")).unwrap()),
        hex(&oracle_mpy(dir.path(), "app", "blinky/timing.py", &[]))
    );
    assert_eq!(mtime_of(&out_main), main_before);
    assert_eq!(mtime_of(&out_led), led_before);

    // Same size, new bytes, mtime put back: the status-change time still gives it away.
    #[cfg(unix)]
    {
        let src = dir.path().join("app/lib/deep/er/mod.py");
        let old_mtime = mtime_of(&src);
        let text = std::fs::read_to_string(&src).unwrap();
        let changed = text.replace("range(10)", "range(12)");
        assert_eq!(changed.len(), text.len());
        write(&src, changed.as_bytes());
        set_mtime(&src, old_mtime);
        let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
        assert!(r.stdout.contains("compiled 1,"), "{}", r.stdout);
        assert_eq!(
            hex(&std::fs::read(dir.path().join("out/lib/deep/er/mod.mpy")).unwrap()),
            hex(&oracle_mpy(dir.path(), "app", "lib/deep/er/mod.py", &[]))
        );
    }
}

#[test]
fn a_format_1_state_means_compiling_but_not_rewriting() {
    let dir = app_tree();
    let n = app_sources(dir.path()).len();
    age_files(&dir.path().join("app"), 60);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let outputs = files(&dir.path().join("out"));
    let main_before = mtime_of(&dir.path().join("out/main.mpy"));

    // The state as mpyc wrote it before stamps existed. It has no output hashes, so it vouches
    // for no output: all are compiled again, but files whose bytes are the same are left alone.
    let mut state = read_state(dir.path());
    state["format"] = 1.into();
    for e in state["entries"].as_object_mut().unwrap().values_mut() {
        e.as_object_mut().unwrap().remove("stamp");
    }
    write_state(dir.path(), &state);
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("compiled {n}, up to date 0")),
        "{}",
        r.stdout
    );
    assert_eq!(files(&dir.path().join("out")).len(), outputs.len());
    assert_eq!(mtime_of(&dir.path().join("out/main.mpy")), main_before);
    let state = read_state(dir.path());
    assert_eq!(state["format"], 4, "the state is upgraded");
    let r = mpyc_in(dir.path(), &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout.contains(&format!("compiled 0, up to date {n}")),
        "{}",
        r.stdout
    );
    assert!(state["entries"]["main.mpy"]["stamp"].is_object());

    // A format-1 state still notices a changed source.
    state_changed_source_rebuilds(dir.path(), n);
}

fn state_changed_source_rebuilds(dir: &Path, n: usize) {
    let mut state = read_state(dir);
    state["format"] = 1.into();
    for e in state["entries"].as_object_mut().unwrap().values_mut() {
        e.as_object_mut().unwrap().remove("stamp");
    }
    write_state(dir, &state);
    write(&dir.join("app/main.py"), b"print('changed')\n");
    let r = mpyc_in(dir, &["build", "--out-dir", "out", "app"]);
    assert!(
        r.stdout.contains(&format!("compiled {n}, up to date 0")),
        "{}",
        r.stdout
    );
    assert_eq!(
        hex(&std::fs::read(dir.join("out/main.mpy")).unwrap()),
        hex(&oracle_mpy(dir, "app", "main.py", &[]))
    );
}
