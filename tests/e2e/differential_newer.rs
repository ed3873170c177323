//! The differential fuzzer's newer-syntax shapes (`MPYC_DIFF_NEWER=1`, releases after 1.11):
//! `*` unpacking in returns, yields, `for` iterables, assignments and subscripts; decorators
//! that are any expression; bracketed `with` items; `:=` in the places Python refuses it
//! (comprehension iterables, rebinding a comprehension variable, class bodies, statement
//! level, attributes); annotations; one-line compound statements and semicolons; digit
//! separators in every number kind; async comprehensions; relative imports. Off, the
//! generator draws no number for them, so the default programs of a seed stay as they were.

use crate::differential::Gen;

/// Templates of one expression: `A`, `B` and `C` become generated expressions, `N` and `M`
/// names.
const NEWER_EXPRS: &[&str] = &[
    "N[*A]",
    "N[A, *B]",
    "N[*A, *B]",
    "N[A:B, *C]",
    "N[...]",
    "N[..., A]",
    "(*A, B)",
    "(*A,)",
    "[*A, *B]",
    "{*A, *B}",
    "{**A, B: C}",
    "{**A, **B}",
    "[N := A, M := B]",
    "(N := A, B)",
    "N[(M := A)]",
    "N(M := A)",
    "N(M := A, B)",
    "N(x=(M := A))",
    "(lambda: (N := A))",
    "(lambda N=(M := A): N)",
    "[N for N in (M := A)]",
    "[N := A for N in B]",
    "[(N := A) for M in B]",
    "[M for M in B if (N := M)]",
    "{N: (M := A) for N in B}",
    "(N.M := A)",
    "(N[0] := A)",
    "((N) := A)",
    "N := A",
    "(N := M := A)",
    "(N := (M := A))",
    "[x async for x in A]",
    "(await A)",
    "(yield *A, B)",
    "f'{(N := A)}'",
    "f'{N!r:{M}>{A}}'",
    "f'{N:{M:{A}}}'",
    "0_0",
    "1e1_0",
    "1_0j",
    "1_0.0_1e-1_0",
    "0x_f_f",
    "0o_7",
    "0b_1_0",
    "1._5",
    "1_e5",
    "0_1",
    "br'\\d'",
    "Rb'x'",
    "rB'x'",
    "f''",
    "rf''",
    "b'\\xff' b'x'",
    "b'é'",
];

/// Templates of one statement (`P` is the indent, then as [`NEWER_EXPRS`]; `S` is a
/// simple statement).
const NEWER_STMTS: &[&str] = &[
    "Preturn *A, B",
    "Preturn *A,",
    "Pyield *A, B",
    "PN = *A, *B",
    "PN = *A,",
    "P*N, = A",
    "PN = *A",
    "PN[*A] = B",
    "Pdel (N, M)",
    "Pdel [N, M]",
    "Pdel (N)",
    "Pdel N,",
    "PN: int = A",
    "PN: A",
    "PN.M: int = A",
    "PN[0]: A = B",
    "P(N): int = A",
    "PN: int = yield",
    "PN, M: int = A",
    "PN: int += A",
    "PS; S",
    "PS; S;",
    "PS;;",
    "Pif A: S",
    "Pif A: S; S",
    "Pwhile A: break",
    "Pfor N in A: S",
    "Pfor N in *A, B: S",
    "Pclass K: S",
    "Pdef N(): return A",
    "Pdef N(M: int = 1, *a: A, b: B = C, **c: int) -> A: S",
    "Plambda: (yield)",
    "Ptry: S\nPexcept: S",
    "Ptry: S\nPfinally: S",
    "Pwith A: S",
    "Pwith (A as N, B as M): S",
    "Pwith (A, B): S",
    "Pwith (A as N): S",
    "Pwith (A): S",
    "Pwith A as (N, M): S",
    "Pwith A as N[0], B as M.x: S",
    "P@(A)\nPdef N(): S",
    "P@N[0]\nPdef N(): S",
    "P@N.M(A)[B]\nPdef N(): S",
    "P@lambda f: f\nPdef N(): S",
    "P@(N := A)\nPdef N(): S",
    "P@N or M\nPclass K: S",
    "P@A\nP@B\nPclass K: S",
    "Pfrom . import (N, M,)",
    "Pfrom . import (N as M)",
    "Pfrom .. import *",
    "Pfrom .N import M as K",
    "Pfrom ...N.M import K",
    "Pfrom N import *",
    "Pimport N.M.K",
    "Pimport N, M as K",
    "Pglobal N; N = A",
    "PN = A; global N",
    "Pnonlocal N; N = A",
    "Pclass K: x = [(N := A) for M in B]",
    "Pclass K: x = [N for N in (M := A)]",
    "Pdef N(M):\nP    return [(M := A) for x in B]",
    "Pdef N():\nP    [(M := x) for x in A]\nP    return M",
    "Pdef N():\nP    [(M := x) for x in A]\nP    global M",
    "Pdef N():\nP    global M\nP    [(M := x) for x in A]",
    "Pdef N():\nP    M = 1\nP    def K():\nP        nonlocal M\nP        [(M := x) for x in A]",
    "Pasync def N():\nP    return [x async for x in A]",
    "Pasync def N():\nP    return [await x for x in A]",
    "Pasync def N():\nP    return {x: y async for x, y in A}",
    "Pasync def N():\nP    async with A as M, B: S",
    "Passert (N := A), (M := B)",
    "Praise (N := A)",
    "Praise A from (N := B)",
    "Pif (N := A) and (M := B): S",
    "Pelse: S",
];

/// Simple statements for `S`.
const SIMPLE: &[&str] = &[
    "pass", "x = 1", "N += 1", "print(N)", "break", "return", "...",
];

impl Gen {
    /// A newer-syntax expression from [`NEWER_EXPRS`].
    pub(crate) fn expr_newer(&mut self) -> String {
        let template = self.rng.pick(NEWER_EXPRS);
        self.fill_newer(template, "")
    }

    /// Newer-syntax statement lines from [`NEWER_STMTS`] at `indent`.
    pub(crate) fn stmt_newer(&mut self, out: &mut Vec<String>, indent: usize) {
        let pad = " ".repeat(indent * 4);
        let template = self.rng.pick(NEWER_STMTS);
        let text = self.fill_newer(template, &pad);
        out.extend(text.lines().map(str::to_string));
    }

    /// `template` with its letters filled in (`P` at a line's start is the indent `pad`).
    fn fill_newer(&mut self, template: &str, pad: &str) -> String {
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        let mut prev_alnum = false;
        let mut line_start = true;
        while let Some(c) = chars.next() {
            if line_start && c == 'P' {
                out.push_str(pad);
                line_start = false;
                continue;
            }
            line_start = c == '\n';
            let next_alnum = chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_');
            // Only a lone capital is a slot: `K` in `class K` and `int` stay as they are.
            let slot = !prev_alnum && !next_alnum;
            match c {
                'A' | 'B' | 'C' if slot => out.push_str(&self.expr()),
                'N' | 'M' if slot => out.push_str(&self.name()),
                'S' if slot => {
                    let s = self.rng.pick(SIMPLE).replace('N', &self.name());
                    out.push_str(&s);
                }
                _ => out.push(c),
            }
            prev_alnum = c.is_ascii_alphanumeric() || c == '_';
        }
        out
    }
}

#[test]
fn newer_shapes_are_filled_in() {
    let mut text = String::new();
    for i in 0..400 {
        let mut gen = Gen::for_1_29(i);
        gen.newer = true;
        text.push_str(&String::from_utf8_lossy(&gen.program()));
    }
    for piece in [
        "return *",
        "with (",
        "@(",
        "class K: x = [",
        ": int = ",
        "; ",
        "async for",
        "[*",
        "from .. import *",
        "1e1_0",
    ] {
        assert!(text.contains(piece), "no {piece:?} in 400 newer programs");
    }
    // Every slot letter is filled: no template letter is left beside a space or bracket.
    for leftover in [" A ", "(A)", " N ", "[N]", "PN", "Preturn"] {
        assert!(!text.contains(leftover), "{leftover:?} left in a program");
    }
    // Off, the programs are those of the generator without these shapes.
    let plain: Vec<Vec<u8>> = (0..50).map(|i| Gen::for_1_29(i).program()).collect();
    let again: Vec<Vec<u8>> = (0..50)
        .map(|i| {
            let mut gen = Gen::for_1_29(i);
            gen.newer = false;
            gen.program()
        })
        .collect();
    assert_eq!(plain, again);
}
