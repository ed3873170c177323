//! `mpyc freeze` and `mpyc build --freeze` end to end: the command line of mpy-tool.py 1.11
//! (as `mpyc freeze` and under the name `mpy-tool.py`), its messages and exit statuses, and the
//! frozen C against the golden outputs of crates/mpyfile/tests/fixtures/freeze.

use crate::build_support::{mpyc_in, tree};
use crate::corpus::repo_root;
use crate::support::{mpyc, run};
use std::ffi::OsStr;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    repo_root().join("crates/mpyfile/tests/fixtures/freeze")
}

fn expected(case: &str, ext: &str) -> String {
    std::fs::read_to_string(fixtures().join("expected").join(format!("{case}.{ext}"))).unwrap()
}

const TOOL_USAGE: &str = "usage: mpy-tool.py [-h] [-d] [-f] [-q QSTR_HEADER]
                   [-mlongint-impl {none,longlong,mpz}] [-mmpz-dig-size N]
                   files [files ...]
";

/// Runs the binary under the name `mpy-tool.py`, as a port Makefile's `MPY_TOOL` would.
fn tool(args: &[&str]) -> crate::support::Outcome {
    run(&mpyc(), Some(OsStr::new("mpy-tool.py")), args, &fixtures())
}

fn freeze(args: &[&str]) -> crate::support::Outcome {
    let mut all = vec!["freeze"];
    all.extend_from_slice(args);
    run(&mpyc(), None, &all, &fixtures())
}

#[test]
fn freezes_as_mpy_tool_both_ways() {
    let want = expected("names_unix", "c");
    let args = ["-q", "headers/unix.h", "mpy/extra/names.mpy"];
    let ours = freeze(&args);
    assert_eq!((ours.code, ours.stderr.as_str()), (0, ""));
    assert!(ours.stdout == want, "mpyc freeze output differs");
    let mut with_f = vec!["-f"];
    with_f.extend_from_slice(&args);
    let as_tool = tool(&with_f);
    assert_eq!((as_tool.code, as_tool.stderr.as_str()), (0, ""));
    assert!(as_tool.stdout == want, "mpy-tool.py -f output differs");
    // Without -f the reference reads the files and prints nothing.
    let no_f = tool(&args);
    assert_eq!(
        (no_f.code, no_f.stdout.as_str(), no_f.stderr.as_str()),
        (0, "", "")
    );
    // Long options with `=`, -o.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("frozen.c");
    let out_s = out.to_str().unwrap();
    let o = freeze(&[
        "--qstr-header=headers/unix.h",
        "-o",
        out_s,
        "mpy/extra/names.mpy",
    ]);
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
    assert!(std::fs::read_to_string(&out).unwrap() == want);
}

#[test]
fn argument_errors_as_argparse() {
    let cases: &[(&[&str], &str)] = &[
        (&["-f"], "the following arguments are required: files"),
        (
            &["-f", "-mlongint-impl=foo", "x.mpy"],
            "argument -mlongint-impl: invalid choice: 'foo' (choose from 'none', 'longlong', 'mpz')",
        ),
        (&["-f", "-mmpz-dig-size=x", "x.mpy"], "argument -mmpz-dig-size: invalid int value: 'x'"),
        (&["-f", "--bogus", "x.mpy"], "unrecognized arguments: --bogus"),
        (&["-f", "x.mpy", "-q"], "argument -q/--qstr-header: expected one argument"),
    ];
    for (args, message) in cases {
        let r = tool(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stdout, "");
        assert_eq!(
            r.stderr,
            format!("{TOOL_USAGE}mpy-tool.py: error: {message}\n"),
            "{args:?}"
        );
    }
    let help = tool(&["-h"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.starts_with(TOOL_USAGE), "{}", help.stdout);
}

#[test]
fn errors_as_the_reference() {
    // (arguments, case whose partial stdout is expected, last stderr line)
    let missing = tool(&["-f", "nope.mpy"]);
    assert_eq!(
        (missing.code, missing.stderr.as_str()),
        (
            1,
            "FileNotFoundError: [Errno 2] No such file or directory: 'nope.mpy'\n"
        )
    );
    for (args, case) in [
        (&["bad/notmpy.mpy"][..], "bad_notmpy"),
        (
            &["-q", "headers/noqcfg.h", "mpy/extra/names.mpy"][..],
            "header_noqcfg",
        ),
        (
            &["-q", "headers/unix.h", "mpy/extra/hugefloat.mpy"][..],
            "hugefloat",
        ),
    ] {
        let r = freeze(args);
        assert_eq!(r.code, 1, "{case}");
        assert!(
            r.stdout == expected(case, "c"),
            "{case}: partial stdout differs"
        );
        assert_eq!(r.stderr, expected(case, "err"), "{case}");
    }
    // mpy-tool.py's own error names the file by a Python object address; mpyc by its name.
    let r = freeze(&["-mlongint-impl=none", "mpy/small15/smallint/literals.mpy"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("error while freezing smallint/")
            && r.stderr.ends_with(": target does not support long int\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn build_freeze_matches_freeze_and_regenerates_only_changes() {
    let dir = tree(
        "src",
        &[
            (
                "a.py",
                "import b\nX = 10 ** 30\ndef f(x):\n    return x * 2.5\n",
            ),
            (
                "b.py",
                "s = 'a string longer than ten bytes'\nclass K:\n    pass\n",
            ),
            ("pkg/__init__.py", "from . import c\n"),
            ("pkg/c.py", "def g():\n    return (1j, b'\\x00', ...)\n"),
        ],
    );
    let d = dir.path();
    let build = |extra: &[&str]| {
        let mut args = vec![
            "build",
            "src",
            "--profile",
            "unix",
            "--out-dir",
            "out",
            "--freeze",
            "frozen.c",
        ];
        args.extend_from_slice(extra);
        mpyc_in(d, &args)
    };
    let header = fixtures().join("headers/unix.h");
    let header = header.to_str().unwrap();
    let first = build(&["--freeze-qstr-header", header]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first
            .stderr
            .contains("froze 4 modules into `frozen.c` (4 regenerated"),
        "{}",
        first.stderr
    );
    let one_pass = |d: &std::path::Path| {
        let r = mpyc_in(
            d,
            &[
                "freeze",
                "-q",
                header,
                "out/a.mpy",
                "out/b.mpy",
                "out/pkg/__init__.mpy",
                "out/pkg/c.mpy",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    assert_eq!(
        std::fs::read_to_string(d.join("frozen.c")).unwrap(),
        one_pass(d)
    );
    std::fs::write(d.join("src/b.py"), "s = 'another string longer than ten'\n").unwrap();
    let second = build(&["--freeze-qstr-header", header]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("(1 regenerated"),
        "{}",
        second.stderr
    );
    assert_eq!(
        std::fs::read_to_string(d.join("frozen.c")).unwrap(),
        one_pass(d)
    );
    // Fragments of the replaced module are dropped.
    assert_eq!(
        std::fs::read_dir(d.join("out/.mpyc-freeze"))
            .unwrap()
            .count(),
        4
    );
}

#[test]
fn project_freeze_table() {
    let header = std::fs::read(fixtures().join("headers/wide.h")).unwrap();
    let dir = tree(
        "proj",
        &[
            (
                "src/m.py",
                "BIG = 1180591620717411303424\ndef f():\n    return 'a string longer than ten bytes'\n",
            ),
            (
                "mpyc.toml",
                "profile = \"unix\"\nroots = [\"src\"]\n[freeze]\noutput = \"frozen.c\"\n\
                 qstr_header = \"q.h\"\nmpz_dig_size = 8\n",
            ),
        ],
    );
    let d = dir.path();
    std::fs::write(d.join("proj/q.h"), header).unwrap();
    let built = mpyc_in(d, &["build", "proj"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let frozen = std::fs::read_to_string(d.join("proj/frozen.c")).unwrap();
    let one_pass = mpyc_in(
        d,
        &[
            "freeze",
            "-q",
            "proj/q.h",
            "-mmpz-dig-size=8",
            "proj/build/unix/m.mpy",
        ],
    );
    assert_eq!(one_pass.code, 0, "{}", one_pass.stderr);
    assert_eq!(frozen, one_pass.stdout);
    assert!(
        frozen.contains(".dig=(uint8_t*)"),
        "digit size from mpyc.toml"
    );
    // The command line wins over the table.
    let again = mpyc_in(d, &["build", "proj", "--freeze-mpz-dig-size", "16"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let frozen = std::fs::read_to_string(d.join("proj/frozen.c")).unwrap();
    assert!(frozen.contains(".dig=(uint16_t*)"));
    // Options without anywhere to write are an error.
    let lone = mpyc_in(
        d,
        &[
            "build",
            "proj/src",
            "--out-dir",
            "o2",
            "--freeze-mpz-dig-size",
            "8",
        ],
    );
    assert_eq!(lone.code, 1);
    assert!(
        lone.stderr
            .contains("--freeze-* options need --freeze FILE"),
        "{}",
        lone.stderr
    );
}
