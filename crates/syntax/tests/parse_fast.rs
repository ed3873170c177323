//! The hand-written expression parser against the table-driven frame machine.
//!
//! `parse` hands expressions to hand-written code; `parse_with_frames_only` walks every rule
//! with the frame machine, whose trees were checked node for node against the reference's
//! parser. The two must agree exactly — struct nodes in the same order with the same lines,
//! children, constants, the same qstrs interned in the same order, and the same exception
//! where the source is bad — on the standard library, on mutated pieces of it, on generated
//! expressions, and on nesting deep enough to pass from one to the other. Each case runs
//! under 1.11's front end and under `.mpy` v6 releases' (1.29's grammar: `:=`, annotated
//! assignments, `@`; constant tuples; the release's folding).

use mpcore::{QstrPool, Release};
use syntax::parser::parse_with_frames_only;
use syntax::{parse, ConstObj, ParseOptions};
use testkit::Rng;

/// Whether two constants are the same object: floats bit for bit (a folded `nan` is not
/// equal to itself as a number).
fn same_const(a: &ConstObj, b: &ConstObj) -> bool {
    match (a, b) {
        (ConstObj::Float(x), ConstObj::Float(y)) | (ConstObj::Complex(x), ConstObj::Complex(y)) => {
            x.to_bits() == y.to_bits()
        }
        (ConstObj::Tuple(x), ConstObj::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_const(p, q))
        }
        _ => a == b,
    }
}

/// How both parsers read `src` (true: a tree, false: an error), or the first difference.
fn compare(src: &[u8], opts: &ParseOptions) -> Result<bool, String> {
    let mut fast_pool = QstrPool::new();
    let fast = parse(src, &mut fast_pool, opts);
    let mut frames_pool = QstrPool::new();
    let frames = parse_with_frames_only(src, &mut frames_pool, opts);
    match (fast, frames) {
        (Ok(a), Ok(b)) => {
            if a.root != b.root {
                return Err(format!("roots differ: {:?} vs {:?}", a.root, b.root));
            }
            if let Some(i) = (0..a.structs.len().max(b.structs.len()))
                .find(|&i| a.structs.get(i) != b.structs.get(i))
            {
                return Err(format!(
                    "struct {i} differs: {:?} vs {:?}",
                    a.structs.get(i),
                    b.structs.get(i)
                ));
            }
            if a.children != b.children {
                return Err("children differ".into());
            }
            if a.consts.len() != b.consts.len()
                || a.consts
                    .iter()
                    .zip(&b.consts)
                    .any(|(x, y)| !same_const(x, y))
            {
                let i = (0..a.consts.len().max(b.consts.len())).find(|&i| {
                    !matches!((a.consts.get(i), b.consts.get(i)), (Some(x), Some(y)) if same_const(x, y))
                });
                return Err(format!(
                    "constants differ at {i:?}: {:?} vs {:?}",
                    i.and_then(|i| a.consts.get(i)),
                    i.and_then(|i| b.consts.get(i))
                ));
            }
            if fast_pool.len() != frames_pool.len() {
                return Err(format!(
                    "qstr counts differ: {} vs {}",
                    fast_pool.len(),
                    frames_pool.len()
                ));
            }
            for n in 0..fast_pool.len() {
                let q = mpcore::Qstr(n as u16);
                if fast_pool.get(q) != frames_pool.get(q) {
                    return Err(format!("qstr {n} differs"));
                }
            }
            Ok(true)
        }
        (Err(a), Err(b)) if a == b => Ok(false),
        (a, b) => Err(format!(
            "outcomes differ: {:?} vs {:?}",
            a.map(|_| "tree"),
            b.map(|_| "tree")
        )),
    }
}

/// The releases each case runs under: 1.11, 1.12 (1.11's grammar with `@`), v5 releases, and
/// v6 releases whose front ends differ (1.19: big results stay big, no `0777` check, no float
/// folding; 1.24: small results again; 1.29: float folding, annotated `const`, t-strings).
const RELEASES: [Release; 7] = [
    Release::V1_11,
    Release::V1_12,
    Release::V1_16,
    Release::V1_18,
    Release::V1_19,
    Release::V1_24,
    Release::V1_29,
];

/// [`check_all_in`] under each of [`RELEASES`] (default options otherwise).
fn check_all(cases: &[Vec<u8>]) {
    for release in RELEASES {
        eprint!("{release}: ");
        let opts = ParseOptions {
            release,
            ..ParseOptions::default()
        };
        check_all_in(cases, &opts);
    }
}

fn check_all_in(cases: &[Vec<u8>], opts: &ParseOptions) {
    let (mut failed, mut trees) = (0, 0);
    for src in cases {
        match compare(src, opts) {
            Ok(tree) => trees += usize::from(tree),
            Err(why) => {
                failed += 1;
                if failed <= 5 {
                    eprintln!(
                        "--- source:\n{}\n--- {why}",
                        String::from_utf8_lossy(&src[..src.len().min(2000)])
                    );
                }
            }
        }
    }
    eprintln!(
        "{} sources: {trees} trees, {} errors, {failed} differ",
        cases.len(),
        cases.len() - trees - failed
    );
    assert_eq!(failed, 0, "{failed} of {} sources differ", cases.len());
}

/// `$name` when set (for longer local runs), else `default`.
fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn stdlib_sources() -> Vec<Vec<u8>> {
    testkit::stdlib_files()
        .iter()
        .map(|p| std::fs::read(p).expect("read a stdlib file"))
        .collect()
}

/// Every `.py` file below `$MPYC_FAST_DIR`, when it is set (for longer local runs on other
/// corpora, e.g. site-packages), else none.
fn extra_sources() -> Vec<Vec<u8>> {
    let Ok(dir) = std::env::var("MPYC_FAST_DIR") else {
        return Vec::new();
    };
    testkit::python_files(std::path::Path::new(&dir))
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .collect()
}

#[test]
fn stdlib_parses_the_same() {
    let mut sources = stdlib_sources();
    assert!(sources.len() > 1000, "the stdlib corpus is missing");
    sources.extend(extra_sources());
    check_all(&sources);
    let o1 = ParseOptions {
        opt_level: 1,
        unicode: false,
        release: Release::V1_11,
        ..ParseOptions::default()
    };
    check_all_in(&sources[..200], &o1);
    let o1 = ParseOptions {
        opt_level: 1,
        small_int_bits: 14,
        release: Release::V1_29,
        ..ParseOptions::default()
    };
    check_all_in(&sources[..200], &o1);
}

/// Pieces of expressions and statements to splice into real code.
const SNIPPETS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ";",
    ".",
    "=",
    "*",
    "**",
    "-",
    "+",
    "~",
    " not ",
    " is ",
    " in ",
    " not in ",
    " is not ",
    " and ",
    " or ",
    " if ",
    " else ",
    " for x in y",
    " lambda x: ",
    " lambda: ",
    "yield ",
    "yield from ",
    "await ",
    " async ",
    "@",
    "->",
    "\n",
    "    ",
    "\\\n",
    "'s'",
    "b'b'",
    "1",
    "0x1f",
    "1.5",
    "2j",
    "...",
    "None",
    "True",
    "False",
    "__debug__",
    "const(3)",
    "a.b",
    "f(x)",
    "x[1:2:3]",
    "x[:]",
    "x[::]",
    "*a",
    "**k",
    "k=1",
    "(x for x in y)",
    "[x for x in y if z]",
    "{a: b}",
    "{a, b}",
    "{**a}",
    "(yield)",
    "a if b else c",
    " < ",
    " <= ",
    " == ",
    " != ",
    " >> ",
    " << ",
    " // ",
    " % ",
    " / ",
    " @ ",
    " & ",
    " | ",
    " ^ ",
    "#c\n",
    "\"\"\"d\"\"\"",
    "\t",
    "global",
    "del ",
    "return ",
    "pass",
    "X = const(1)\n",
    " := ",
    "@=",
    ": int",
    ": int = ",
    "(a := 1)",
    "f'{x}'",
    "(1, 2)",
    "(1, 'a', None)",
    "(1,)",
    "[1, 2, 3]",
];

/// `src` with one to three random edits: a deleted, doubled or replaced stretch of bytes, or
/// a snippet put in.
fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut out = src.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len() + 1);
        let len = 1 + rng.below(12);
        let end = (at + len).min(out.len());
        match rng.below(5) {
            0 => {
                out.drain(at..end);
            }
            1 => {
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            2 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
                out.splice(at..end, s.iter().copied());
            }
            _ => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
                out.splice(at..at, s.iter().copied());
            }
        }
    }
    out
}

#[test]
fn mutated_stdlib_parses_the_same() {
    let sources = stdlib_sources();
    let mut rng = Rng(env_count("MPYC_FAST_SEED", 7) as u64);
    let n = env_count("MPYC_FAST_CASES", 20_000);
    let mut cases = Vec::with_capacity(n);
    for _ in 0..n {
        let src = &sources[rng.below(sources.len())];
        // A window of up to 60 lines from a top-level line keeps each case small (and
        // does not start it with an indentation error).
        let lines: Vec<&[u8]> = src.split_inclusive(|&b| b == b'\n').collect();
        let tops: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].first().is_some_and(|b| b.is_ascii_alphabetic()))
            .collect();
        let start = tops.get(rng.below(tops.len().max(1))).copied().unwrap_or(0);
        let take = 1 + rng.below(60);
        let piece: Vec<u8> = lines
            .iter()
            .skip(start)
            .take(take)
            .flat_map(|l| l.iter().copied())
            .collect();
        cases.push(mutate(&mut rng, &piece));
    }
    check_all(&cases);
}

/// A random expression of at most `depth` nesting, mostly well formed.
fn expression(rng: &mut Rng, depth: usize, out: &mut String) {
    const ATOMS: &[&str] = &[
        "x",
        "y",
        "1",
        "0",
        "-1",
        "2.5",
        "'s'",
        "b'b'",
        "None",
        "True",
        "False",
        "...",
        "C",
        "__debug__",
        "12345678901234567890",
        "'a long string constant'",
    ];
    const BINARY: &[&str] = &[
        " + ", " - ", " * ", " / ", " // ", " % ", " ** ", " << ", " >> ", " & ", " | ", " ^ ",
        " < ", " > ", " == ", " != ", " <= ", " >= ", " in ", " not in ", " is ", " is not ",
        " and ", " or ", " @ ",
    ];
    if depth == 0 {
        out.push_str(ATOMS[rng.below(ATOMS.len())]);
        return;
    }
    let d = depth - 1;
    match rng.below(23) {
        0..=5 => {
            expression(rng, d, out);
            out.push_str(BINARY[rng.below(BINARY.len())]);
            expression(rng, d, out);
        }
        6 => {
            out.push_str(["-", "+", "~", "not "][rng.below(4)]);
            expression(rng, d, out);
        }
        7 => {
            out.push('(');
            expression(rng, d, out);
            out.push(')');
        }
        8 => {
            out.push('(');
            for _ in 0..rng.below(4) {
                expression(rng, d, out);
                out.push_str(", ");
            }
            if rng.below(2) == 0 {
                expression(rng, d, out);
            }
            out.push(')');
        }
        9 => {
            out.push('[');
            for _ in 0..rng.below(4) {
                if rng.below(5) == 0 {
                    out.push('*');
                }
                expression(rng, d, out);
                out.push_str(", ");
            }
            out.push(']');
        }
        10 => {
            expression(rng, d, out);
            out.push_str(" if ");
            expression(rng, d, out);
            out.push_str(" else ");
            expression(rng, d, out);
        }
        11 => {
            expression(rng, d, out);
            out.push('(');
            for k in 0..rng.below(4) {
                match rng.below(5) {
                    0 => out.push('*'),
                    1 => out.push_str("**"),
                    2 => out.push_str(&format!("k{k}=")),
                    _ => {}
                }
                expression(rng, d, out);
                out.push_str(", ");
            }
            out.push(')');
        }
        12 => {
            expression(rng, d, out);
            out.push('[');
            for _ in 0..1 + rng.below(2) {
                match rng.below(6) {
                    0 => out.push(':'),
                    1 => out.push_str("::"),
                    2 => {
                        expression(rng, d, out);
                        out.push(':');
                        expression(rng, d, out);
                    }
                    3 => {
                        out.push(':');
                        expression(rng, d, out);
                        out.push(':');
                        expression(rng, d, out);
                    }
                    _ => expression(rng, d, out),
                }
                out.push(',');
            }
            out.push(']');
        }
        13 => {
            expression(rng, d, out);
            out.push_str(".attr");
        }
        14 => {
            out.push_str("lambda a, b=1: ");
            expression(rng, d, out);
        }
        15 => {
            out.push('[');
            expression(rng, d, out);
            out.push_str(" for v in ");
            expression(rng, d, out);
            out.push_str(" if ");
            expression(rng, d, out);
            out.push(']');
        }
        16 => {
            out.push('{');
            expression(rng, d, out);
            out.push_str(": ");
            expression(rng, d, out);
            out.push('}');
        }
        17 => {
            out.push_str("await ");
            expression(rng, d, out);
        }
        18 => {
            out.push_str("(yield ");
            expression(rng, d, out);
            out.push(')');
        }
        19 => {
            expression(rng, d, out);
            out.push_str(["(", ")", ",", ":", "=", " for ", " if "][rng.below(7)]);
            expression(rng, d, out);
        }
        20 => {
            out.push_str("(v := ");
            expression(rng, d, out);
            out.push(')');
        }
        _ => out.push_str(ATOMS[rng.below(ATOMS.len())]),
    }
}

#[test]
fn generated_expressions_parse_the_same() {
    let mut rng = Rng(env_count("MPYC_FAST_SEED", 11) as u64);
    let n = env_count("MPYC_FAST_CASES", 20_000);
    let mut cases = Vec::with_capacity(n);
    for k in 0..n {
        let mut s = String::from("C = const(7)\n");
        let stmt = ["x = ", "", "return ", "f(", "async def g():\n    y = "][k % 5];
        s.push_str(stmt);
        let depth = 1 + rng.below(6);
        expression(&mut rng, depth, &mut s);
        if stmt == "f(" {
            s.push(')');
        }
        s.push('\n');
        cases.push(s.into_bytes());
    }
    check_all(&cases);
}

#[test]
fn deep_nesting_passes_between_the_parsers() {
    let mut cases = Vec::new();
    // Both hand-over depths: 24 (debug builds) and 48 (release builds).
    for n in [10, 23, 24, 25, 47, 48, 49, 50, 450, 3000] {
        let wrap = |open: &str, inner: &str, close: &str| {
            format!("x = {}{inner}{}\n", open.repeat(n), close.repeat(n)).into_bytes()
        };
        cases.push(wrap("(", "1", ")"));
        cases.push(wrap("[", "a", "]"));
        cases.push(wrap("f(", "a", ")"));
        cases.push(wrap("-", "1", ""));
        cases.push(wrap("not ", "a", ""));
        cases.push(wrap("a ** ", "2", ""));
        cases.push(wrap("(1 + ", "a", ")"));
        cases.push(wrap("a[", "0", "]"));
        cases.push(wrap("lambda: ", "0", ""));
        cases.push(wrap("{1: ", "0", "}"));
        cases.push(wrap("(a if b else ", "c", ")"));
        cases.push(wrap("(", "1", ""));
        cases.push(wrap("(", "1 +", ")"));
        cases.push(format!("x = {}\n", "a + ".repeat(n * 10) + "1").into_bytes());
        // Nested blocks, each kind of compound statement in turn.
        let heads = [
            "if a:",
            "while b:",
            "for x in y:",
            "def f(a, *b, c=1, **d):",
            "class C(B):",
            "try:",
            "with a as b:",
            "if c:",
        ];
        let mut block = String::new();
        for depth in 0..n.min(400) {
            block.push_str(&" ".repeat(depth));
            block.push_str(heads[depth % heads.len()]);
            block.push('\n');
        }
        let last = n.min(400);
        block.push_str(&" ".repeat(last));
        block.push_str("x = 1\n");
        cases.push(block.clone().into_bytes());
        block.push_str("else:\n    pass\n");
        cases.push(block.into_bytes());
    }
    check_all(&cases);
}

#[test]
fn statements_parse_the_same() {
    const STATEMENTS: &[&str] = &[
        "if a:\n    b\nelif c:\n    d\nelif e: f\nelse:\n    g\n",
        "if a: b\nelse: c\n",
        "while a:\n    pass\nelse:\n    b = 1\n",
        "for a, *b in c, d:\n    e\nelse: f\n",
        "for (a, b) in c:\n    continue\n",
        "def f(): pass\n",
        "def f(a, b: int, c=1, d: str = 'x', *e, f, **g) -> int:\n    return a\n",
        "def f(*, a): return\n",
        "def f(*a: int, **b: str): return 1, 2\n",
        "def f(a,): return (yield)\n",
        "class C: pass\n",
        "class C(): pass\n",
        "class C(A, metaclass=M, *b, **c):\n    x = 1\n    def m(self): pass\n",
        "@d\ndef f(): pass\n",
        "@d.e(1)\nclass C: pass\n",
        "async def f():\n    async with a as b:\n        await c\n    async for x in y: pass\n",
        "try:\n    a\nexcept E as e:\n    b\nexcept:\n    c\nelse:\n    d\nfinally:\n    e\n",
        "with a, b as c: pass\n",
        "x = y = z = 1; a += 2; b: int\n",
        "x = yield\n",
        "x = yield 1\n",
        "x = yield from y\n",
        "return\n",
        "return 1,\n",
        "del a, b\n",
        "global a, b\n",
        "nonlocal a\n",
        "assert a, b\n",
        "raise E from F\n",
        "import a.b as c, d\n",
        "from . import (a, b,)\n",
        "from .. a import *\n",
        "'doc'\n",
        "1\n",
        "X = const(2)\n_Y = const(X + 1)\nz = _Y\n",
        "x = {}\n",
        "x = {1}\n",
        "x = {1: 2}\n",
        "x = {1: 2,}\n",
        "x = {1, 2,}\n",
        "x = {a: b for a in c}\n",
        "x = {a for a in c}\n",
        "x = {1: 2, 3}\n",
        "x = {**a}\n",
        "if a:\nb\n",
        "if a:\n    b\n  c\n",
        "def f(a b): pass\n",
        "class C(: pass\n",
        "for x y: pass\n",
        "for x in: pass\n",
        "while: pass\n",
        "if a\n",
        "def f(**a, b): pass\n",
        "def (): pass\n",
        "class: pass\n",
        "x = \n",
        "x += \n",
        "x = 1 = \n",
        "def f(*): pass\n",
        // 1.29's grammar and its constant tuples (errors under 1.11's).
        "if (n := len(a)) > 10: pass\nelif m := 2:\n    pass\n",
        "while chunk := f.read(): pass\n",
        "x: int = 1\ny: int\nz: int = yield\nw: str = a, b\n",
        "X: int = const(1)\n_Y: int = const((1, 2))\n",
        "f(a := 1, b=2)\nf(x for x in y)\nf(a := b := 1)\n",
        "x = [y := 1, y ** 2, (z := 3)]\n",
        "a @= b @ c\n",
        "x = (1, 2, 'a', b'c', None, True, ..., 1.5)\n",
        "x = (1, (2, 3), ())\ny = ((1, 2), a)\n",
        "x = (1, 2,)\ny = (1,)\nz = (a,)\nw = (a, b, c)\nv = (1, a)\n",
        "x = [1, 2, 3]\ny = [1,]\nz = [1, 2]\n",
        "x = 1, 2\ny = 1,\nfor x in 1, 2: pass\nz[1, 2]\nz[1:2, 3]\n",
        "x = (1 + 2, 3 * 4, -5, 2 ** 10, 1 / 2, 7 // 2, math.pi)\n",
        "x = (1 if a else 2, not 1, 1 and 2, 0 or 3)\n",
        "print(f'{x!r:>{w}}', f'a{b}c{d}e')\n",
        "x = (x := 1, 2)\n",
        "x = (yield a, 1)\n",
        "x := 1\n",
        "x = a := 1\n",
        "f(a = b := 1)\n",
        "x: = 1\n",
        "x: int = \n",
    ];
    let cases: Vec<Vec<u8>> = STATEMENTS.iter().map(|s| s.as_bytes().to_vec()).collect();
    check_all(&cases);
}
