//! The top-level command line: help, one version string, completions, man pages, `dump` of many files.

use crate::support::{mpyc, oracle, run, TempDir};

const VERSION: &str = concat!(
    "mpyc ",
    env!("CARGO_PKG_VERSION"),
    ": MicroPython v1.11 compatible; mpy-cross emitting mpy v4\n"
);

#[test]
fn every_version_flag_prints_the_one_version_line() {
    let case = TempDir::new("top-version");
    for args in [
        &["--version"][..],
        &["-V"],
        &["compile", "--version"],
        &["dump", "--version"],
        &["build", "--version"],
        &["profiles", "--version"],
    ] {
        let out = run(&mpyc(), None, args, case.path());
        assert_eq!((out.code, out.stdout.as_str()), (0, VERSION), "{args:?}");
    }
}

#[test]
fn help_for_a_subcommand_is_that_subcommands_help() {
    let case = TempDir::new("top-help");
    let build = run(&mpyc(), None, &["help", "build"], case.path());
    assert_eq!(build.code, 0);
    assert!(
        build
            .stdout
            .contains("Usage: mpyc build [OPTIONS] [PATH]..."),
        "{}",
        build.stdout
    );
    assert!(build.stdout.contains("--depfile"), "{}", build.stdout);
    assert_eq!(
        build.stdout,
        run(&mpyc(), None, &["build", "--help"], case.path()).stdout
    );
    let dump = run(&mpyc(), None, &["help", "dump"], case.path());
    assert!(
        dump.stdout
            .contains("Usage: mpyc dump [OPTIONS] <FILE.mpy>..."),
        "{}",
        dump.stdout
    );
    // `compile --help` stays mpy-cross's own usage text (byte-exact, exit 0 as the reference).
    // The usage line names the program as invoked; the rest is the reference's text.
    let reference = run(&oracle(), None, &["--help"], case.path());
    let ours = run(&mpyc(), None, &["compile", "--help"], case.path());
    let tail = |s: &str| s.split_once('\n').map(|(_, t)| t.to_owned());
    assert_eq!(ours.code, reference.code);
    assert_eq!(tail(&ours.stdout), tail(&reference.stdout));
    let program = format!("usage: {} compile [<opts>]", mpyc().display());
    assert!(ours.stdout.starts_with(&program), "{}", ours.stdout);
    let unknown = run(&mpyc(), None, &["bogus"], case.path());
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unrecognized subcommand 'bogus'"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn bash_completion_script_loads_and_completes_subcommands() {
    let case = TempDir::new("top-complete");
    let out = run(&mpyc(), None, &["completions", "bash"], case.path());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let script = case.path().join("mpyc.bash");
    std::fs::write(&script, &out.stdout).expect("write script");
    // Load it in bash, complete `mpyc bu<TAB>` and `mpyc build --dep<TAB>`, print the candidates.
    let probe = format!(
        "source {s}; complete -p mpyc >/dev/null || exit 3; \
         COMP_WORDS=(mpyc bu); COMP_CWORD=1; COMP_LINE='mpyc bu'; COMP_POINT=7; _mpyc mpyc bu mpyc; \
         echo \"${{COMPREPLY[*]}}\"; \
         COMP_WORDS=(mpyc build --dep); COMP_CWORD=2; COMP_LINE='mpyc build --dep'; COMP_POINT=16; \
         _mpyc mpyc --dep build; echo \"${{COMPREPLY[*]}}\"",
        s = script.display()
    );
    let bash = run(
        std::path::Path::new("/bin/bash"),
        None,
        &["-c", &probe],
        case.path(),
    );
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    let lines: Vec<&str> = bash.stdout.lines().collect();
    assert_eq!(lines.first().copied(), Some("build"), "{}", bash.stdout);
    assert_eq!(lines.get(1).copied(), Some("--depfile"), "{}", bash.stdout);
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = run(&mpyc(), None, &["completions", shell], case.path());
        assert!(
            out.code == 0 && out.stdout.contains("mpyc"),
            "{shell}: {}",
            out.stderr
        );
    }
}

#[test]
fn man_pages_are_written_for_the_command_and_each_subcommand() {
    let case = TempDir::new("top-man");
    let dir = case.path().join("man");
    let out = run(
        &mpyc(),
        None,
        &[std::ffi::OsStr::new("man"), dir.as_os_str()],
        case.path(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for page in [
        "mpyc",
        "mpyc-compile",
        "mpyc-dump",
        "mpyc-build",
        "mpyc-profiles",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("{page}.1"))).expect(page);
        assert!(text.starts_with(".ie \\n(.g .ds Aq"), "{page}: {text}");
        assert!(text.contains(".TH "), "{page}");
    }
}

#[test]
fn dump_shows_several_files_and_reports_each_bad_one() {
    let case = TempDir::new("top-dump");
    std::fs::write(case.path().join("a.py"), "x = 1\n").expect("a.py");
    std::fs::write(case.path().join("b.py"), "def f():\n    return 2\n").expect("b.py");
    for f in ["a.py", "b.py"] {
        let out = run(&oracle(), None, &[f], case.path());
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    std::fs::write(case.path().join("bad.mpy"), b"M\x04").expect("bad.mpy");
    let both = run(&mpyc(), None, &["dump", "a.mpy", "b.mpy"], case.path());
    assert_eq!(both.code, 0, "{}", both.stderr);
    let a = run(&mpyc(), None, &["dump", "a.mpy"], case.path()).stdout;
    let b = run(&mpyc(), None, &["dump", "b.mpy"], case.path()).stdout;
    assert_eq!(
        both.stdout,
        format!("==> a.mpy <==\n{a}\n==> b.mpy <==\n{b}")
    );

    let json = run(
        &mpyc(),
        None,
        &["dump", "--json", "a.mpy", "b.mpy"],
        case.path(),
    );
    assert_eq!(json.code, 0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON array");
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    let one = run(&mpyc(), None, &["dump", "--json", "a.mpy"], case.path());
    let one: serde_json::Value = serde_json::from_str(&one.stdout).expect("JSON object");
    assert_eq!(v[0], one);

    let mixed = run(
        &mpyc(),
        None,
        &["dump", "a.mpy", "bad.mpy", "b.mpy"],
        case.path(),
    );
    assert_eq!(mixed.code, 1);
    assert!(mixed.stdout.contains("==> b.mpy <=="), "{}", mixed.stdout);
    assert!(
        mixed.stderr.starts_with("error: bad.mpy: "),
        "{}",
        mixed.stderr
    );
    assert_eq!(mixed.stderr.lines().count(), 1, "{}", mixed.stderr);
}
