//! MicroPython 1.29 bytecode against mpy-cross 1.29: each source below, compiled through
//! `release::v1_29::compile` and written by `mpyfile::v6::write`, gives the oracle's bytes
//! (or its error text). The oracle is found through `MPYC_ORACLE_129` (or the project's
//! set-up); the test fails when it is missing.

use std::path::Path;
use std::process::Command;

use compiler::options::{CompileOptions, SourceNames};

/// The oracle's output for `source` under `args`: the `.mpy` bytes, or its stderr.
fn oracle(dir: &Path, name: &str, source: &str, args: &[&str]) -> Result<Vec<u8>, String> {
    let py = dir.join(format!("{name}.py"));
    let mpy = dir.join(format!("{name}.mpy"));
    std::fs::write(&py, source).unwrap();
    let out = Command::new(testkit::oracle_129())
        .args(args)
        .arg("-o")
        .arg(&mpy)
        .arg(format!("{name}.py"))
        .current_dir(dir)
        .output()
        .expect("mpy-cross 1.29 runs");
    if out.status.success() {
        Ok(std::fs::read(&mpy).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn mine(name: &str, source: &str, opt_level: u8, source_lines: bool) -> Result<Vec<u8>, String> {
    mine_bits(name, source, opt_level, source_lines, 31)
}

fn mine_bits(
    name: &str,
    source: &str,
    opt_level: u8,
    source_lines: bool,
    small_int_bits: u8,
) -> Result<Vec<u8>, String> {
    let path = format!("{name}.py");
    let mut opts = CompileOptions::default();
    opts.target.release = mpcore::Release::V1_29;
    opts.target.small_int_bits = small_int_bits;
    opts.opt_level = opt_level;
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: None,
    };
    let m =
        compiler::release::v1_29::compile_with_lines(source.as_bytes(), names, &opts, source_lines)
            .map_err(|e| e.render())?;
    Ok(mpyfile::v6::write(&m).expect("the module writes"))
}

const SOURCES: &[(&str, &str)] = &[
    (
        "calls",
        "def f(*a, **k):\n    return g(1, *a, x=2, **k) + h(*a, *a) + m.n(**k)\n",
    ),
    (
        "try_finally",
        "def f():\n    try:\n        return g()\n    except E as e:\n        return e\n    finally:\n        h()\n",
    ),
    (
        "dead_code",
        "def f(x):\n    if x:\n        return 1\n    else:\n        return 2\n    y = 3\n    while 1:\n        break\n        z = 4\n    raise X\n    w = 5\n",
    ),
    (
        "const_tuples",
        "a = (1, 'x', None, (2, 3), ())\nb = 1, 2.5, b'z'\nfor i in 1, 2:\n    pass\nd[1, 2] = 3\nx, y = 1, 2\nif (1, 2):\n    pass\nwhile ():\n    pass\n(1, 2)\n",
    ),
    (
        "closures",
        "def f(a):\n    b = 1\n    def g(c=2):\n        nonlocal b\n        return a + b + c\n    class C:\n        b = 2\n        def m(self):\n            return super().m(a)\n    return g, C, lambda: a, [a for _ in b]\n",
    ),
    (
        "async_code",
        "async def f(s):\n    async for x in s:\n        await x\n    async with s as t:\n        pass\n",
    ),
    (
        "lines",
        "x = (\n    'a',\n    'b',\n)\nf = lambda: (\n  1)\ng = [i\n     for i in x]\n",
    ),
    (
        "walrus",
        "if (n := len(a)) > 10:\n    print(n)\ndef f(d):\n    global g\n    y = [g := x for x in d]\n    z = [w := x for x in d]\n    while (c := d.pop()):\n        f(c, v := 1)\n    return w, z, v\nclass C:\n    q = [(k := i) for i in range(3)]\n",
    ),
    (
        "annotations",
        "x: int = 1\ny: 'str'\ndef f(a: int, *b: str, c: float = 1.0) -> None:\n    z: list\n    w: int = a\n    return z\n",
    ),
    (
        "matmul_fstring",
        "def f(a, b, n):\n    a @= b\n    return a @ b, f'{n}-{a!r:>{n}}', 2 ** 10, 1 / 4, -2.5\nX = const(3)\nY = (X, b'raw', 1 << 40)\n",
    ),
    ("error_break", "break\n"),
    ("error_star", "f(**a, *b)\n"),
    ("error_import_star", "def f():\n    from m import *\n"),
    ("error_async", "def f():\n    async for x in y:\n        pass\n"),
];

/// A loop body long enough for two-byte jump offsets both ways.
fn long_jumps() -> String {
    let mut s = String::from("def f(a):\n    while a:\n        if a:\n");
    for i in 0..60 {
        s.push_str(&format!("            a = a + {i}\n"));
    }
    s.push_str("        else:\n            break\n    return a\n");
    s
}

#[test]
fn sources_compile_to_the_oracles_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let long = long_jumps();
    let all = SOURCES
        .iter()
        .copied()
        .chain([("long_jumps", long.as_str())]);
    for (name, source) in all {
        for (flags, opt, lines) in [
            (&[][..], 0u8, true),
            (&["-O3"][..], 3, true),
            (&["-X", "no-source-lines"][..], 0, false),
        ] {
            let want = oracle(dir.path(), name, source, flags);
            let got = mine(name, source, opt, lines);
            if want != got {
                failures.push(format!(
                    "{name} {flags:?}:\n  oracle {want:02x?}\n  mpyc   {got:02x?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn small_ints_deep_nesting_and_overflow_as_the_oracle() {
    let dir = tempfile::tempdir().unwrap();
    let args: Vec<String> = (0..20).map(|i| format!("a{i}")).collect();
    let many_args = format!("f({}, *b)\n", args.join(", "));
    let ints = "x = 40000\ny = (70000, 1)\nz = -70000\n";
    for (name, source) in [("many_args", many_args.as_str()), ("ints", ints)] {
        let want = oracle(dir.path(), name, source, &["-msmall-int-bits=16"]);
        assert_eq!(mine_bits(name, source, 0, true, 16), want, "{name}");
    }
    // 600 nested lists: deeper than the caller's stack budget, compiled on the big thread.
    let deep = format!("x = {}1{}\n", "[".repeat(600), "]".repeat(600));
    // A loop body too long for a two-byte backward jump.
    let mut overflow = String::from("def f(s):\n    while s:\n");
    for i in 0..3000 {
        overflow.push_str(&format!("        s = s + x{i}\n"));
    }
    for (name, source) in [("deep", deep.as_str()), ("overflow", overflow.as_str())] {
        let want = oracle(dir.path(), name, source, &[]);
        assert_eq!(mine(name, source, 0, true), want, "{name}");
    }
}

#[test]
fn native_code_is_refused_clearly() {
    let err = mine("n", "@micropython.native\ndef f():\n    pass\n", 0, true).unwrap_err();
    assert!(
        err.contains(
            "NotImplementedError: mpyc does not support native code for MicroPython 1.29 yet"
        ),
        "{err}"
    );
}
