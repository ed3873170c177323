//! `mpyc compile` and the binary invoked as `mpy-cross`, against the reference mpy-cross 1.11.
//!
//! Every case runs the oracle and mpyc on identical copies of a small directory with the same
//! arguments and the same relative paths, then asserts the same exit code, stdout, stderr and
//! files left behind (byte for byte). The usage text names the program by its `argv[0]`, so the
//! oracle runs with the `argv[0]` mpyc was given (`<path> compile`, or the symlink's path).

use std::ffi::OsString;
use std::path::Path;

use crate::support::{mpyc, oracle, run, snapshot, Outcome, TempDir};

/// The one-line module every byte-output case compiles.
const X1: &[u8] = b"x = 1\n";

type Snapshot = Vec<(String, Vec<u8>)>;

fn populate(dir: &Path, dirs: &[&str], files: &[(&str, &[u8])]) {
    std::fs::create_dir_all(dir).expect("scratch dir");
    for d in dirs {
        std::fs::create_dir_all(dir.join(d)).expect("scratch subdir");
    }
    for (name, body) in files {
        std::fs::write(dir.join(name), body).expect("scratch file");
    }
}

/// Runs the oracle and both mpyc entry points on copies of the same files; asserts they agree
/// and returns what the oracle did (for checks that the case exercises what it claims).
fn agree(dirs: &[&str], files: &[(&str, &[u8])], args: &[&str]) -> (Outcome, Snapshot) {
    let case = TempDir::new("compile");
    let bin = case.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin dir");
    let symlink = bin.join("mpy-cross");
    std::os::unix::fs::symlink(mpyc(), &symlink).expect("mpy-cross symlink");

    let mut compile_arg0 = OsString::from(mpyc());
    compile_arg0.push(" compile");
    let mut mpyc_args = vec!["compile"];
    mpyc_args.extend_from_slice(args);

    let (o1, m1, o2, m2) = ["oracle1", "mpyc", "oracle2", "symlink"]
        .map(|n| case.path().join(n))
        .into();
    for d in [&o1, &m1, &o2, &m2] {
        populate(d, dirs, files);
    }
    let oracle_out = run(&oracle(), Some(&compile_arg0), args, &o1);
    let mpyc_out = run(&mpyc(), None, &mpyc_args, &m1);
    let oracle_out2 = run(&oracle(), Some(symlink.as_os_str()), args, &o2);
    let symlink_out = run(&symlink, None, args, &m2);

    let oracle_files = snapshot(&o1);
    assert_eq!(
        mpyc_out,
        oracle_out,
        "`mpyc compile {}`: output differs from mpy-cross",
        args.join(" ")
    );
    assert_eq!(
        snapshot(&m1),
        oracle_files,
        "`mpyc compile {}`: files differ from mpy-cross",
        args.join(" ")
    );
    assert_eq!(
        symlink_out,
        oracle_out2,
        "`mpy-cross {}` (symlink): output differs",
        args.join(" ")
    );
    assert_eq!(
        snapshot(&m2),
        snapshot(&o2),
        "`mpy-cross {}` (symlink): files differ",
        args.join(" ")
    );
    (oracle_out, oracle_files)
}

/// `agree` on a single `a.py` holding `x = 1`.
fn agree_x1(args: &[&str]) -> (Outcome, Snapshot) {
    agree(&[], &[("a.py", X1)], args)
}

fn names(files: &Snapshot) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

/// Asserts the oracle printed its usage text and failed, and that mpyc did the same.
fn usage_case(args: &[&str]) {
    let (out, files) = agree_x1(args);
    assert_eq!(out.code, 1, "{args:?}");
    assert!(
        out.stdout.starts_with("usage: "),
        "{args:?}: {}",
        out.stdout
    );
    assert_eq!(out.stderr, "");
    assert_eq!(names(&files), ["a.py"]);
}

#[test]
fn no_input_file() {
    let (out, _) = agree_x1(&[]);
    assert_eq!((out.code, out.stderr.as_str()), (1, "no input file\n"));
    let (out, _) = agree_x1(&["-v", "-O2"]);
    assert_eq!((out.code, out.stderr.as_str()), (1, "no input file\n"));
}

#[test]
fn multiple_input_files() {
    let (out, files) = agree(&[], &[("a.py", X1), ("b.py", X1)], &["a.py", "b.py"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "multiple input files\n")
    );
    assert_eq!(names(&files), ["a.py", "b.py"]);
    // Checked before `--version` is reached.
    let (out, _) = agree(
        &[],
        &[("a.py", X1), ("b.py", X1)],
        &["a.py", "b.py", "--version"],
    );
    assert_eq!(out.stderr, "multiple input files\n");
}

#[test]
fn unreadable_inputs_are_os_errors() {
    let (out, _) = agree_x1(&["nofile.py"]);
    assert_eq!((out.code, out.stderr.as_str()), (1, "OSError: 2\n"));
    let (out, _) = agree_x1(&[""]);
    assert_eq!((out.code, out.stderr.as_str()), (1, "OSError: 2\n"));
    let (out, files) = agree(&["sub"], &[("a.py", X1)], &["sub"]);
    assert_eq!((out.code, out.stderr.as_str()), (1, "OSError: 21\n"));
    assert_eq!(names(&files), ["a.py"]);
    // `-o` takes `-X` as its value, so `emit=native` becomes the (missing) input file.
    let (out, _) = agree_x1(&["-o", "-X", "emit=native"]);
    assert_eq!(out.stderr, "OSError: 2\n");
}

#[test]
fn bad_arguments_print_the_usage_text() {
    for args in [
        &["-X"][..],
        &["-X", "foo", "a.py"],
        &["-X", "emit=Native", "a.py"],
        &["-Xemit=native", "a.py"],
        &["-X", "emit=native", "-X"],
        &["-q", "a.py"],
        &["-", "a.py"],
        &["--versionx"],
        &["--version", "-X", "bad"],
        &["-o"],
        &["a.py", "-o"],
        &["-s"],
        &["-march=foo", "a.py"],
        &["-march=armv6m", "a.py"],
        &["-march=", "a.py"],
        &["-msmall-int-bits=0x1fz", "a.py"],
        &["-msmall-int-bits=08", "a.py"],
        &["-msmall-int-bits=0x", "a.py"],
        &["-msmall-int-bits= ", "a.py"],
        &["-msmall-int-bits=+", "a.py"],
        &["-mfoo", "a.py"],
        &["a.py", "-municode=1"],
    ] {
        usage_case(args);
    }
}

#[test]
fn usage_shows_the_heap_size_given_before_it() {
    usage_case(&["-X", "heapsize=5k", "-X", "bad"]);
    usage_case(&["-X", "heapsize=1wk", "-Y"]);
    usage_case(&["-X", "heapsize=0x10M", "a.py", "-bad"]);
    let (out, _) = agree_x1(&["-X", "heapsize=5k", "-X", "bad"]);
    assert!(out.stdout.ends_with("(default 5120)\n"), "{}", out.stdout);
}

#[test]
fn version_names_mpyc_and_mpy_v4() {
    let case = TempDir::new("version");
    let symlink = case.path().join("mpy-cross");
    std::os::unix::fs::symlink(mpyc(), &symlink).expect("mpy-cross symlink");
    let want = format!(
        "mpyc {}: MicroPython v1.11 compatible; mpy-cross emitting mpy v4\n",
        env!("CARGO_PKG_VERSION")
    );
    for args in [
        &["--version"][..],
        &["a.py", "--version"],
        &["-v", "--version", "b.py", "c.py"],
    ] {
        let reference = run(&oracle(), None, args, case.path());
        assert_eq!(reference.code, 0);
        assert!(reference.stdout.contains("mpy v4"), "{}", reference.stdout);
        let mut compile_args = vec!["compile"];
        compile_args.extend_from_slice(args);
        for out in [
            run(&mpyc(), None, &compile_args, case.path()),
            run(&symlink, None, args, case.path()),
        ] {
            assert_eq!(
                out,
                Outcome {
                    code: 0,
                    stdout: want.clone(),
                    stderr: String::new()
                },
                "{args:?}"
            );
        }
    }
}

#[test]
fn default_output_replaces_the_last_two_bytes() {
    let (out, files) = agree_x1(&["a.py"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(names(&files), ["a.mpy", "a.py"]);
    let (_, files) = agree(&["d.ir"], &[("d.ir/noext", X1)], &["d.ir/noext"]);
    assert_eq!(names(&files), ["d.ir/noempy", "d.ir/noext"]);
    let (_, files) = agree(&[], &[("x", X1)], &["x"]);
    assert_eq!(names(&files), ["mpy", "x"]);
    let (_, files) = agree(&[], &[("m.txt", X1)], &["m.txt"]);
    assert_eq!(names(&files), ["m.tmpy", "m.txt"]);
    let (_, files) = agree(&["pkg"], &[("pkg/mod.py", X1)], &["./pkg/../pkg/mod.py"]);
    assert_eq!(names(&files), ["pkg/mod.mpy", "pkg/mod.py"]);
}

#[test]
fn output_and_source_names() {
    let (_, files) = agree_x1(&["-o", "out.bin", "a.py"]);
    assert_eq!(names(&files), ["a.py", "out.bin"]);
    agree_x1(&["a.py", "-o", "first.mpy", "-o", "second.mpy"]);
    agree_x1(&["-s", "other.py", "a.py"]);
    agree_x1(&["-s", "a.py", "a.py"]);
    agree_x1(&["-s", "", "a.py"]);
    agree(&["lib"], &[("lib/a.py", X1)], &["-s", "a.py", "lib/a.py"]);
    agree_x1(&["-s", "one.py", "-s", "two.py", "a.py"]);
    // An existing output is truncated and rewritten; the input itself can be the output.
    let (_, files) = agree(&[], &[("a.py", X1), ("a.mpy", &[0x55; 300])], &["a.py"]);
    assert_eq!(names(&files), ["a.mpy", "a.py"]);
    assert!(files[0].1.len() < 300 && files[0].1.starts_with(b"M\x04"));
    let (_, files) = agree_x1(&["-o", "a.py", "a.py"]);
    assert!(files[0].1.starts_with(b"M\x04"));
    let (out, files) = agree(&[], &[("e.py", b"")], &["e.py"]);
    assert_eq!((out.code, names(&files)), (0, vec!["e.mpy", "e.py"]));
}

#[test]
fn verbose_prints_nothing() {
    let (out, files) = agree_x1(&["-v", "a.py"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(names(&files), ["a.mpy", "a.py"]);
    agree_x1(&["-v", "-v", "-v", "a.py"]);
}

#[test]
fn optimisation_levels() {
    let src: &[u8] = b"assert x\nprint(__debug__)\n";
    for opt in [
        "-O",
        "-O0",
        "-O1",
        "-O2",
        "-O3",
        "-O9",
        "-O3x",
        "-OO",
        "-OOO",
        "-Ox",
        "-OOOOOOOOOOOO",
    ] {
        let (out, _) = agree(&[], &[("a.py", src)], &[opt, "a.py"]);
        assert_eq!(out.code, 0, "{opt}");
    }
}

#[test]
fn small_int_bits() {
    for bits in ["15", "31", "63", "0x1f", "010", "287", "-0x1", " 16", "+16"] {
        let arg = format!("-msmall-int-bits={bits}");
        let (out, _) = agree_x1(&[&arg, "a.py"]);
        assert_eq!(out.code, 0, "{arg}");
    }
}

#[test]
fn target_flags() {
    for flags in [
        &["-mno-unicode"][..],
        &["-municode"],
        &["-mno-unicode", "-municode"],
        &["-mcache-lookup-bc"],
        &["-mcache-lookup-bc", "-mno-cache-lookup-bc"],
        &["-march=x86"],
        &["-march=x64"],
        &["-march=armv6"],
        &["-march=armv7m"],
        &["-march=xtensa"],
        &["-X", "emit=bytecode"],
        &["-X", "heapsize=4m"],
        &["-X", "heapsize=2097152"],
        &["-X", "heapsize=0x400wk"],
    ] {
        let mut args = flags.to_vec();
        args.push("a.py");
        let (out, files) = agree_x1(&args);
        assert_eq!(out.code, 0, "{flags:?}");
        assert_eq!(names(&files), ["a.mpy", "a.py"]);
    }
}

#[test]
fn compile_errors_print_the_traceback() {
    let bad: &[u8] = b"x = 1\ny = (\n";
    let (out, files) = agree(&[], &[("bad.py", bad)], &["bad.py"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Traceback (most recent call last):\n  File \"bad.py\", line 3\nSyntaxError: invalid syntax\n"
    );
    assert_eq!(names(&files), ["bad.py"], "nothing is written");
    // Parse errors name the input path, even with `-s`.
    let (out, _) = agree(
        &[],
        &[("bad.py", bad)],
        &["-s", "lib/named.py", "-o", "out.mpy", "bad.py"],
    );
    assert!(
        out.stderr.contains("File \"bad.py\", line 3\n"),
        "{}",
        out.stderr
    );
    // Compile errors name the `-s` source name and the scope.
    let (out, _) = agree(
        &[],
        &[("r.py", b"return 1\n")],
        &["-s", "lib/named.py", "r.py"],
    );
    assert_eq!(
        out.stderr,
        "Traceback (most recent call last):\n  File \"lib/named.py\", line 1, in <module>\nSyntaxError: 'return' outside function\n"
    );
    let (out, _) = agree(&[], &[("r.py", b"return 1\n")], &["r.py"]);
    assert!(
        out.stderr
            .ends_with("SyntaxError: 'return' outside function\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn unwritable_output_is_silent() {
    let (out, files) = agree_x1(&["-o", "missing/dir/a.mpy", "a.py"]);
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    assert_eq!(names(&files), ["a.py"]);
    let (out, files) = agree(&["sub"], &[("a.py", X1)], &["-o", "sub", "a.py"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert_eq!(names(&files), ["a.py"]);
}

#[test]
fn names_that_are_not_utf8_are_kept_byte_for_byte() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let case = TempDir::new("rawnames");
    // (file name, source, flags before it)
    type Case<'a> = (&'a [u8], &'a [u8], &'a [&'a [u8]]);
    let cases: [Case; 3] = [
        (b"bad\xff.py", b"x = (\n", &[]),
        (b"ok\xfe.py", X1, &[]),
        (b"r.py", b"return 1\n", &[b"-s", b"n\xfe.py"]),
    ];
    for (i, (name, body, flags)) in cases.into_iter().enumerate() {
        let mut outcomes = Vec::new();
        for who in ["oracle", "mpyc"] {
            let dir = case.path().join(format!("{who}{i}"));
            std::fs::create_dir_all(&dir).expect("scratch dir");
            std::fs::write(dir.join(OsStr::from_bytes(name)), body).expect("scratch file");
            let mut args: Vec<&OsStr> = flags.iter().map(|f| OsStr::from_bytes(f)).collect();
            args.push(OsStr::from_bytes(name));
            let out = if who == "oracle" {
                run(&oracle(), None, &args, &dir)
            } else {
                args.insert(0, OsStr::new("compile"));
                run(&mpyc(), None, &args, &dir)
            };
            outcomes.push((out, snapshot(&dir)));
        }
        assert_eq!(outcomes[1], outcomes[0], "case {i}");
    }
}
