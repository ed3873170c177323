//! `mpyc compile --micropython 1.29` and the binary invoked as `mpy-cross-1.29`, against the
//! reference mpy-cross 1.29: the command line (usage, `--version`, every option error, the
//! order of its checks, open errors) agrees byte for byte, and `mpy-cross-1.11` / plain
//! `mpyc compile` stay mpy-cross 1.11.

use std::ffi::OsString;
use std::path::Path;

use crate::support::{mpyc, oracle, oracle_129, run, snapshot, Outcome, TempDir};

fn populate(dir: &Path) {
    std::fs::create_dir_all(dir.join("d.py")).expect("scratch dir");
    std::fs::write(dir.join("t.py"), b"x = 1\n").expect("scratch file");
}

/// Runs the oracle and both 1.29 entry points with `args`; asserts they agree.
fn agree(args: &[&str]) -> Outcome {
    let case = TempDir::new("compile129");
    let symlink = case.path().join("mpy-cross-1.29");
    std::os::unix::fs::symlink(mpyc(), &symlink).expect("symlink");
    let mut compile_arg0 = OsString::from(mpyc());
    compile_arg0.push(" compile");
    let mut mpyc_args = vec!["compile", "--micropython", "1.29"];
    mpyc_args.extend_from_slice(args);
    let dirs = ["o1", "m1", "o2", "m2"].map(|n| case.path().join(n));
    for d in &dirs {
        populate(d);
    }
    let o1 = run(&oracle_129(), Some(&compile_arg0), args, &dirs[0]);
    let m1 = run(&mpyc(), None, &mpyc_args, &dirs[1]);
    let o2 = run(&oracle_129(), Some(symlink.as_os_str()), args, &dirs[2]);
    let m2 = run(&symlink, None, args, &dirs[3]);
    assert_eq!(
        m1,
        o1,
        "`mpyc compile --micropython 1.29 {}`",
        args.join(" ")
    );
    assert_eq!(m2, o2, "`mpy-cross-1.29 {}`", args.join(" "));
    assert_eq!(
        snapshot(&dirs[1]),
        snapshot(&dirs[0]),
        "files: {}",
        args.join(" ")
    );
    o1
}

#[test]
fn command_line_texts_match_mpy_cross_1_29() {
    let version = agree(&["--version"]);
    assert_eq!(
        version.stdout,
        "MicroPython v1.29.0 on 2026-08-29; mpy-cross emitting mpy v6.3\n"
    );
    let usage = agree(&["-h"]);
    assert!(
        usage.stdout.contains("rv32imc, rv64imc, host, debug"),
        "{}",
        usage.stdout
    );
    assert_eq!(usage.code, 1);
    for args in [
        &[][..],
        &["-X"],
        &["-X", "foo", "t.py"],
        &["-X", "heapsize=3m", "-h"],
        &["-X", "heapsize=2wk", "-v", "-h"],
        &["-X", "no-source-lines", "-X", "bogus", "--version"],
        &["-X", "emit=native", "t.py"],
        &["-X", "emit=viper", "-march-flags=zba", "t.py"],
        &["-march=rv32imc", "-march-flags=bogus", "t.py"],
        &["-march=rv32imc", "-march-flags=4", "t.py"],
        &["-march=x64", "-march-flags=1", "t.py"],
        &["-march=foo", "t.py"],
        &["-march=none", "t.py"],
        &["-march=xtensawin-march-flags=1", "t.py"],
        &["-msmall-int-bits=x", "t.py"],
        &["-msmall-int-bits=0x1f", "a.py", "b.py"],
        &["nonexist.py"],
        &["sub\\nonexist.py"],
        &["d.py"],
        &["--", "-x.py"],
        &["-bogus"],
        &["-o"],
        &["-s"],
        &["-O", "--versionx"],
    ] {
        let out = agree(args);
        assert_ne!(out.code, 0, "{args:?} should fail");
    }
}

#[test]
fn compiling_for_1_29_writes_mpy_cross_1_29s_bytes() {
    for args in [
        &["t.py"][..],
        &["-O3", "t.py"],
        &["-X", "no-source-lines", "t.py"],
        &["-msmall-int-bits=63", "t.py"],
        &["-march=rv32imc", "-march-flags=zba", "t.py"],
        &["-march=xtensawin", "-o", "out.mpy", "-s", "name.py", "t.py"],
    ] {
        let out = agree(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let case = TempDir::new("compile129-native");
    populate(case.path());
    let out = run(
        &mpyc(),
        None,
        &[
            "compile",
            "--micropython=1.29",
            "-X",
            "emit=native",
            "-march=xtensawin",
            "t.py",
        ],
        case.path(),
    );
    assert_eq!(
        out.stderr,
        "NotImplementedError: mpyc does not support native code for MicroPython 1.29 yet\n"
    );
    let out = run(
        &mpyc(),
        None,
        &["compile", "--micropython", "1.2", "t.py"],
        case.path(),
    );
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            2,
            "error: unknown MicroPython release `1.2` (mpyc knows 1.11, 1.12, 1.13, 1.14, 1.15, 1.16, 1.17, 1.18, 1.19, 1.20, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29)\n"
        )
    );
}

#[test]
fn the_1_11_names_keep_mpy_cross_1_11() {
    let case = TempDir::new("compile111-names");
    populate(case.path());
    let symlink = case.path().join("mpy-cross-1.11");
    std::os::unix::fs::symlink(mpyc(), &symlink).expect("symlink");
    let oracle_out = run(&oracle(), Some(symlink.as_os_str()), &["-h"], case.path());
    assert_eq!(run(&symlink, None, &["-h"], case.path()), oracle_out);
    run(&symlink, None, &["-o", "a.mpy", "t.py"], case.path());
    run(
        &mpyc(),
        None,
        &["compile", "--micropython", "1.11", "-o", "b.mpy", "t.py"],
        case.path(),
    );
    run(&oracle(), None, &["-o", "c.mpy", "t.py"], case.path());
    let read = |n: &str| std::fs::read(case.path().join(n)).expect("written");
    assert_eq!(read("a.mpy"), read("c.mpy"));
    assert_eq!(read("b.mpy"), read("c.mpy"));
}
