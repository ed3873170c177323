//! `mpyc build`'s command line as a user meets it (issue 16): carets under the right character,
//! diagnostics as files finish, the summary and `-q`/`-qq`, single files, `--explain`, the
//! no-unicode message, and watch mode.

use crate::build_support::{mpyc_in, oracle_error, oracle_mpy, tree, write};

#[test]
fn carets_land_under_the_character_with_tabs_and_non_ascii() {
    let dir = tree(
        "src",
        &[
            ("tabs.py", "a = 1\nif a:\n\t\ty = = 2\n"),
            ("wide.py", "s = \"h\u{e9}llo w\u{f6}rld\" ; x = = 1\n"),
            ("cjk.py", "s = '\u{4e2d}\u{6587}' + = 1\n"),
            ("mixed.py", "if 1:\n\tt = '\u{4e2d}'\t= = 1\n"),
        ],
    );
    let r = mpyc_in(dir.path(), &["build", "-j1", "--check", "src"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // MicroPython's column (tabs to 8, bytes) in the headline; the caret under the second `=`.
    assert!(
        r.stderr.contains(
            "src/tabs.py:3:21: SyntaxError: invalid syntax\n  |\n3 |         y = = 2\n  |             ^\n"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "src/wide.py:1:27: SyntaxError: invalid syntax\n  |\n1 | s = \"h\u{e9}llo w\u{f6}rld\" ; x = = 1\n  |                         ^\n"
        ),
        "{}",
        r.stderr
    );
    // Wide characters take two cells; a tab after them shows as four spaces.
    assert!(
        r.stderr.contains(
            "src/cjk.py:1:16: SyntaxError: invalid syntax\n  |\n1 | s = '\u{4e2d}\u{6587}' + = 1\n  |              ^\n"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "src/mixed.py:2:27: SyntaxError: invalid syntax\n  |\n2 |     t = '\u{4e2d}'    = = 1\n  |                   ^\n"
        ),
        "{}",
        r.stderr
    );
    let r = mpyc_in(
        dir.path(),
        &["build", "-j1", "--check", "--message-format", "json", "src"],
    );
    let objs: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let tabs = objs
        .iter()
        .find(|o| o["file"] == "src/tabs.py")
        .expect("tabs");
    assert_eq!(tabs["column"], 21);
    assert_eq!(tabs["byte_offset"], 12 + 6);
    assert_eq!(tabs["char_column"], 7);
    let wide = objs
        .iter()
        .find(|o| o["file"] == "src/wide.py")
        .expect("wide");
    assert_eq!(wide["column"], 27);
    assert_eq!(wide["byte_offset"], 26);
    assert_eq!(wide["char_column"], 25);
    let cjk = objs
        .iter()
        .find(|o| o["file"] == "src/cjk.py")
        .expect("cjk");
    assert_eq!(cjk["column"], 16);
    assert_eq!(cjk["byte_offset"], 15);
    assert_eq!(cjk["char_column"], 12);
    let mixed = objs
        .iter()
        .find(|o| o["file"] == "src/mixed.py")
        .expect("mixed");
    assert_eq!(mixed["column"], 27);
    assert_eq!(mixed["byte_offset"], 6 + 13);
    assert_eq!(mixed["char_column"], 12);
}

#[test]
fn summary_names_profile_and_out_dir_and_quiet_levels() {
    let dir = tree("src", &[("a.py", "x = 1\n"), ("b_bad.py", "x = = 1\n")]);
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "src"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("; profile default (no -p and no mpyc.toml: the default), out out; "),
        "{}",
        r.stdout
    );
    let r = mpyc_in(dir.path(), &["build", "-p", "esp32", "-o", "out2", "src"]);
    assert!(
        r.stdout.contains("; profile esp32, out out2; "),
        "{}",
        r.stdout
    );
    let r = mpyc_in(dir.path(), &["build", "-p", "esp32", "--check", "src"]);
    assert!(r.stdout.contains("; profile esp32; "), "{}", r.stdout);
    // -q: no summary; the error is still shown.
    let r = mpyc_in(dir.path(), &["build", "-q", "--force", "-o", "out", "src"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(
        r.stderr.starts_with("src/b_bad.py:1:5: SyntaxError"),
        "{}",
        r.stderr
    );
    // -qq: only errors, not even the warning about an unusable state.
    std::fs::write(dir.path().join("out/.mpyc-state.json"), "{not json").unwrap();
    let r = mpyc_in(dir.path(), &["build", "-qq", "-o", "out", "src"]);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("src/b_bad.py:1:5: SyntaxError") && !r.stderr.contains("warning"),
        "{}",
        r.stderr
    );
    std::fs::write(dir.path().join("out/.mpyc-state.json"), "{not json").unwrap();
    let r = mpyc_in(dir.path(), &["build", "-q", "-o", "out", "src"]);
    assert!(
        r.stderr.starts_with("warning: ignoring the build state"),
        "{}",
        r.stderr
    );
    let j = mpyc_in(
        dir.path(),
        &["build", "--message-format", "json", "-o", "out", "src"],
    );
    let last: serde_json::Value =
        serde_json::from_str(j.stdout.lines().last().unwrap_or_default()).unwrap();
    assert_eq!(last["type"], "summary");
    assert_eq!(last["profile"], "default");
    assert_eq!(last["profile_defaulted"], true);
    assert_eq!(last["out_dir"], "out");
}

#[test]
fn a_single_file_is_a_root_named_by_its_file_name() {
    let text = "def f(x):\n    return x + 1\n";
    let dir = tree("d", &[("sub/m.py", text), ("sub/other.py", "y = 2\n")]);
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "d/sub/m.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("compiled 1, up to date 0"),
        "{}",
        r.stdout
    );
    let got: Vec<String> = crate::build_support::files(&dir.path().join("out"))
        .into_keys()
        .collect();
    assert_eq!(got, ["m.mpy"]);
    // As a Makefile rule `mpy-cross -s $(notdir $<) $<` gives it.
    let want = oracle_mpy(dir.path(), "d/sub", "m.py", &[]);
    assert_eq!(std::fs::read(dir.path().join("out/m.mpy")).unwrap(), want);
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "d/sub/m.py"]);
    assert!(
        r.stdout.starts_with("compiled 0, up to date 1"),
        "{}",
        r.stdout
    );
    // A bare file name is compiled under that name.
    let r = mpyc_in(
        &dir.path().join("d/sub"),
        &["build", "-o", "../../out3", "other.py"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The reference given the same spelling: `mpy-cross -s other.py other.py` (the path is
    // interned, so `./other.py` would give other bytes).
    let out = std::process::Command::new(crate::support::oracle())
        .args(["-o", "../../want.mpy", "-s", "other.py", "other.py"])
        .current_dir(dir.path().join("d/sub"))
        .output()
        .expect("cannot run the oracle");
    assert!(out.status.success());
    let want = std::fs::read(dir.path().join("want.mpy")).unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("out3/other.mpy")).unwrap(),
        want
    );
    write(&dir.path().join("notes.txt"), b"hi\n");
    let r = mpyc_in(dir.path(), &["build", "-o", "out", "notes.txt"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("neither a .py source nor a prebuilt .mpy"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_says_why_each_file_was_rebuilt() {
    let files = [
        ("a.py", "a = 1\n"),
        ("b.py", "b = 2\n"),
        ("c.py", "c = 3\n"),
        ("d.py", "d = 4\n"),
    ];
    let dir = tree("src", &files);
    let r = mpyc_in(dir.path(), &["build", "-v", "-o", "out", "src"]);
    assert_eq!(
        r.stderr,
        "rebuilt src/a.py: new\nrebuilt src/b.py: new\nrebuilt src/c.py: new\nrebuilt src/d.py: new\n"
    );
    write(&dir.path().join("src/a.py"), b"a = 10\n");
    std::fs::remove_file(dir.path().join("out/b.mpy")).unwrap();
    write(&dir.path().join("out/c.mpy"), b"not an mpy\n");
    write(&dir.path().join("src/e.py"), b"e = 5\n");
    let r = mpyc_in(dir.path(), &["build", "--explain", "-o", "out", "src"]);
    assert_eq!(
        r.stderr,
        "rebuilt src/a.py: source changed\nrebuilt src/b.py: output missing\n\
         rebuilt src/c.py: output altered\nrebuilt src/e.py: new\n"
    );
    assert!(
        r.stdout.starts_with("compiled 4, up to date 1"),
        "{}",
        r.stdout
    );
    let r = mpyc_in(dir.path(), &["build", "-v", "-o", "out", "src"]);
    assert_eq!(r.stderr, "");
    let r = mpyc_in(
        dir.path(),
        &["build", "-v", "-p", "nrf", "-o", "out", "src"],
    );
    assert_eq!(r.stderr.lines().count(), 5, "{}", r.stderr);
    assert!(
        r.stderr.lines().all(|l| l.ends_with(": profile changed")),
        "{}",
        r.stderr
    );
    let r = mpyc_in(
        dir.path(),
        &["build", "-v", "--force", "-p", "nrf", "-o", "out", "src"],
    );
    assert!(
        r.stderr.starts_with("rebuilt src/a.py: forced (--force)\n"),
        "{}",
        r.stderr
    );
    let j = mpyc_in(
        dir.path(),
        &[
            "build",
            "-v",
            "--message-format",
            "json",
            "-o",
            "out",
            "src",
        ],
    );
    assert_eq!(j.stderr, "");
    let objs: Vec<serde_json::Value> = j
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(objs.len(), 1 + 5, "{}", j.stdout);
    for (o, f) in objs.iter().zip(["a", "b", "c", "d", "e"]) {
        assert_eq!(o["type"], "rebuilt");
        assert_eq!(o["file"], format!("src/{f}.py"));
        assert_eq!(o["why"], "profile changed");
    }
    assert_eq!(objs[5]["type"], "summary");
}

#[test]
fn no_unicode_profiles_say_why_a_wide_escape_fails() {
    let dir = tree("src", &[("u.py", "a = 1\nx = \"\\u0102\"\n")]);
    let r = mpyc_in(dir.path(), &["build", "-p", "nrf", "--check", "src"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(
            "src/u.py:2:5: SyntaxError: invalid syntax: the escape `\\u0102` is above \\xff, \
             and this profile has no unicode strings (-mno-unicode)\n"
        ),
        "{}",
        r.stderr
    );
    // With unicode it compiles.
    let r = mpyc_in(dir.path(), &["build", "-p", "esp32", "--check", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // `mpyc compile` keeps the reference's text by default...
    let want = oracle_error(dir.path(), "src", "u.py", &["-mno-unicode"]);
    let r = mpyc_in(
        dir.path(),
        &[
            "compile",
            "-o",
            "u.mpy",
            "-s",
            "u.py",
            "-mno-unicode",
            "src/u.py",
        ],
    );
    assert_eq!((r.code, r.stderr.as_str()), (1, want.as_str()));
    // ...and shows the source line and caret only when asked.
    let r = mpyc_in(
        dir.path(),
        &[
            "compile",
            "--message-format",
            "human",
            "-mno-unicode",
            "src/u.py",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.ends_with("\n2 | x = \"\\u0102\"\n  |     ^\n")
            && r.stderr
                .starts_with("src/u.py:2:5: SyntaxError: invalid syntax: the escape"),
        "{}",
        r.stderr
    );
}

#[test]
fn compile_human_format_points_at_the_column() {
    let dir = tree("src", &[("t.py", "a = 1\nif a:\n\t\ty = = 2\n")]);
    let r = mpyc_in(
        dir.path(),
        &[
            "compile",
            "--message-format=human",
            "-s",
            "t.py",
            "src/t.py",
        ],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "src/t.py:3:21: SyntaxError: invalid syntax\n  |\n3 |         y = = 2\n  |             ^\n"
    );
    let r = mpyc_in(dir.path(), &["compile", "-s", "t.py", "src/t.py"]);
    assert_eq!(r.stderr, oracle_error(dir.path(), "src", "t.py", &[]));
    let r = mpyc_in(
        dir.path(),
        &["compile", "--message-format", "xml", "src/t.py"],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("usage: "), "{}", r.stdout);
}

/// Diagnostics come out while the build goes on (walk order), not only at its end.
#[test]
fn diagnostics_stream_in_walk_order_before_the_build_ends() {
    use std::io::BufRead;
    let body: String = (0..400)
        .map(|i| format!("def f{i}(a, b):\n    return a * {i} + b\n"))
        .collect();
    let mut files: Vec<(String, String)> = vec![("a_bad.py".into(), "x = (1,\n".into())];
    for i in 0..600 {
        files.push((format!("m{i:04}.py"), body.clone()));
    }
    files.push(("z_bad.py".into(), "y = = 2\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = tree("src", &refs);
    let mut child = std::process::Command::new(crate::support::mpyc())
        .args(["build", "-j2", "--check", "--message-format", "json", "src"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let still_running = child.try_wait().expect("try_wait").is_none();
    let rest: Vec<String> = lines.map(|l| l.expect("utf-8")).collect();
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
    assert!(first.contains("\"file\":\"src/a_bad.py\""), "{first}");
    assert!(
        still_running,
        "the first diagnostic came only when the build ended"
    );
    assert_eq!(rest.len(), 2, "{rest:?}");
    assert!(rest[0].contains("\"file\":\"src/z_bad.py\""), "{}", rest[0]);
    assert!(rest[1].contains("\"type\":\"summary\""), "{}", rest[1]);
}

/// Forwards each line of a child's pipe into a channel (bounded waits on the test's side).
fn lines_of(pipe: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Kills the watcher however the test ends.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn watch_rebuilds_exactly_the_edited_module() {
    use std::time::Duration;
    let dir = tree(
        "src",
        &[
            ("a.py", "a = 1\n"),
            ("pkg/b.py", "b = 1\n"),
            ("pkg/c.py", "c = 1\n"),
        ],
    );
    let mut child = std::process::Command::new(crate::support::mpyc())
        .args(["build", "--watch", "-v", "-o", "out", "src"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = lines_of(child.stdout.take().expect("stdout"));
    let err = lines_of(child.stderr.take().expect("stderr"));
    let _child = Killed(child);
    let wait = Duration::from_secs(30);
    let first = out.recv_timeout(wait).expect("the first build's summary");
    assert!(
        first.starts_with("compiled 3, up to date 0, failed 0"),
        "{first}"
    );
    let mut said = Vec::new();
    loop {
        let line = err.recv_timeout(wait).expect("the watch to start");
        if line.starts_with("mpyc: watching") {
            break;
        }
        said.push(line);
    }
    assert_eq!(said.len(), 3, "{said:?}");
    write(&dir.path().join("src/pkg/b.py"), b"b = 2\n");
    let summary = out.recv_timeout(wait).expect("a rebuild after the edit");
    assert!(
        summary.starts_with("compiled 1, up to date 2, failed 0"),
        "{summary}"
    );
    let why = err.recv_timeout(wait).expect("why it was rebuilt");
    assert_eq!(why, "rebuilt src/pkg/b.py: source changed");
    // Its own reads and writes start no other build.
    assert!(out.recv_timeout(Duration::from_secs(1)).is_err());
    assert!(err.try_recv().is_err());
    let new = crate::build_support::files(&dir.path().join("out"));
    let want = oracle_mpy(dir.path(), "src", "pkg/b.py", &[]);
    assert_eq!(new.get("pkg/b.mpy"), Some(&want));
}

/// Ctrl-C while the progress bar shows (on a terminal, given by `script`): the bar's line is
/// cleared and the build stops with status 130.
#[test]
fn ctrl_c_leaves_a_clean_line() {
    let body: String = (0..400)
        .map(|i| format!("def f{i}(a, b):\n    return a * {i} + b\n"))
        .collect();
    let names: Vec<String> = (0..600).map(|i| format!("m{i:04}.py")).collect();
    let files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), body.as_str())).collect();
    let dir = tree("src", &files);
    let shell = format!(
        "'{}' build -j1 -o out src & pid=$!; sleep 0.8; kill -INT $pid; wait $pid; echo \"rc=$?\"",
        crate::support::mpyc().display()
    );
    let out = std::process::Command::new("script")
        .args(["-qfec", &shell, "/dev/null"])
        .current_dir(dir.path())
        .output()
        .expect("`script` (util-linux) runs the build on a terminal");
    let text = String::from_utf8_lossy(&out.stdout);
    let at = text
        .rfind("/600 files")
        .unwrap_or_else(|| panic!("no progress bar was drawn: {text:?}"));
    let tail = &text[at..];
    assert!(tail.ends_with("\r\x1b[2Krc=130\r\n"), "{tail:?}");
}

/// Each watch rebuild reads `mpyc.toml` and the profile again, and the watch follows them: a
/// root added to the project file is watched from then on, and so is a profile file it names.
#[test]
fn watch_follows_the_project_file_and_profile() {
    use std::time::Duration;
    let profile = |opt: u8| {
        format!(
            "description = \"test\"\nmpy_version = 4\narch = \"x64\"\nsmall_int_bits = 31\n\
             unicode = true\ncache_lookup_bc = false\nopt_level = {opt}\nemit = \"bytecode\"\n"
        )
    };
    let dir = tree("a", &[("x.py", "assert x\n")]);
    let root = dir.path();
    write(&root.join("b/y.py"), b"y = 1\n");
    write(&root.join("p.toml"), profile(1).as_bytes());
    write(
        &root.join("mpyc.toml"),
        b"roots = [\"a\"]\nout_dir = \"out\"\n",
    );
    let mut child = std::process::Command::new(crate::support::mpyc())
        .args(["build", "--watch", "-v"])
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = lines_of(child.stdout.take().expect("stdout"));
    let err = lines_of(child.stderr.take().expect("stderr"));
    let _child = Killed(child);
    let wait = Duration::from_secs(30);
    let summary = out.recv_timeout(wait).expect("the first build's summary");
    assert!(summary.starts_with("compiled 1, up to date 0"), "{summary}");
    while !err
        .recv_timeout(wait)
        .expect("the watch to start")
        .starts_with("mpyc: watching")
    {}
    // The next build's summary, and why each module was rebuilt (in any order).
    let next_build = |summary_starts: &str, reasons: &[&str]| {
        let summary = out.recv_timeout(wait).expect("a rebuild");
        assert!(summary.starts_with(summary_starts), "{summary}");
        let mut why: Vec<String> = reasons
            .iter()
            .map(|_| err.recv_timeout(wait).expect("why a module was rebuilt"))
            .collect();
        why.sort();
        assert_eq!(why, reasons);
    };

    // A second root and a profile file: both modules are built under the new profile (the
    // state of the old one is dropped whole).
    write(
        &root.join("mpyc.toml"),
        b"roots = [\"a\", \"b\"]\nout_dir = \"out\"\nprofile = \"p.toml\"\n",
    );
    next_build(
        "compiled 2, up to date 0, failed 0",
        &[
            "rebuilt a/x.py: profile changed",
            "rebuilt b/y.py: profile changed",
        ],
    );
    // The new root is watched...
    write(&root.join("b/y.py"), b"y = 2\n");
    next_build(
        "compiled 1, up to date 1, failed 0",
        &["rebuilt b/y.py: source changed"],
    );
    // ...and so is the profile file (at -O2 the assert goes).
    write(&root.join("p.toml"), profile(2).as_bytes());
    next_build(
        "compiled 2, up to date 0, failed 0",
        &[
            "rebuilt a/x.py: profile changed",
            "rebuilt b/y.py: profile changed",
        ],
    );
    assert!(err.recv_timeout(Duration::from_secs(1)).is_err());
    let outputs = crate::build_support::files(&root.join("out"));
    assert_eq!(
        outputs.get("x.mpy"),
        Some(&oracle_mpy(root, "a", "x.py", &["-O2"]))
    );
    assert_eq!(
        outputs.get("y.mpy"),
        Some(&oracle_mpy(root, "b", "y.py", &["-O2"]))
    );
}
