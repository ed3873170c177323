//! The differential fuzzer's MicroPython 1.29 side: the syntax 1.29 parses beyond 1.11's
//! (f-strings with nested fields, conversions and format specs, `=` fields, t-strings, `:=`,
//! several `*`/`**` arguments in one call, digit separators; positional-only parameters and
//! `!a`, which 1.29 refuses, in the programs broken on purpose),
//! the 1.29 flag sets, and the CI sample judged by mpy-cross 1.29
//! (`MPYC_DIFF_RELEASE=1.29` runs `MPYC_DIFF_COUNT` programs of this kind instead of 1.11's).

use crate::differential::{run_programs, Gen};

/// The flag sets the 1.29 programs are compiled under.
pub use crate::corpus129::FLAG_SETS_129;

/// Which reference the programs are judged by (`MPYC_DIFF_RELEASE`, default 1.11): 1.11, a
/// `.mpy` v5 release (1.12 to 1.18), whose programs are 1.11's and 1.29's kinds in turn, or a
/// later release (1.19 to 1.29), whose programs are 1.29's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffRelease {
    V1_11,
    V5(&'static str),
    Later(&'static str),
}

/// The `.mpy` v5 releases the fuzzer can be judged by.
const V5_RELEASES: [&str; 7] = ["1.12", "1.13", "1.14", "1.15", "1.16", "1.17", "1.18"];

/// The `.mpy` v6 releases the fuzzer can be judged by.
const LATER_RELEASES: [&str; 11] = [
    "1.19", "1.20", "1.21", "1.22", "1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29",
];

/// `-mno-unicode`, a flag set of the `.mpy` v5 releases only (1.19 dropped it).
const NO_UNICODE: &[&str] = &["-mno-unicode"];
/// `-mcache-lookup-bc`, a flag set of 1.12 to 1.17 only (1.18 dropped it).
const CACHE_LOOKUP_BC: &[&str] = &["-mcache-lookup-bc"];

impl DiffRelease {
    /// MicroPython 1.29.
    pub const V1_29: DiffRelease = DiffRelease::Later("1.29");

    pub(crate) fn from_env() -> DiffRelease {
        match std::env::var("MPYC_DIFF_RELEASE").as_deref() {
            Err(_) | Ok("1.11") => DiffRelease::V1_11,
            Ok(name) => match (
                V5_RELEASES.iter().find(|r| **r == name),
                LATER_RELEASES.iter().find(|r| **r == name),
            ) {
                (Some(r), _) => DiffRelease::V5(r),
                (None, Some(r)) => DiffRelease::Later(r),
                (None, None) => panic!(
                    "MPYC_DIFF_RELEASE must be 1.11 or one of {V5_RELEASES:?} {LATER_RELEASES:?}, not {name:?}"
                ),
            },
        }
    }

    /// The flag sets a release after 1.11 has its programs compiled under, as its conformance
    /// has them: 1.29's seven; 1.19 to 1.28 the same but `-X no-source-lines` (1.29's only);
    /// 1.18 those six and `-mno-unicode`; 1.12 to 1.17 also `-mcache-lookup-bc`. The six
    /// come first, so 1.19 to 1.28 draw the same sets for a seed as before 1.16 to 1.18
    /// were added.
    pub(crate) fn later_flag_sets(name: &str) -> Vec<&'static [&'static str]> {
        let mut sets: Vec<&'static [&'static str]> = FLAG_SETS_129.to_vec();
        if name != "1.29" {
            sets.pop();
        }
        if V5_RELEASES.contains(&name) {
            sets.push(NO_UNICODE);
        }
        if V5_RELEASES.contains(&name) && name != "1.18" {
            sets.push(CACHE_LOOKUP_BC);
        }
        sets
    }
}

/// Format specs, some with nested replacement fields (filled in by [`Gen::fstring`]).
const SPECS: &[&str] = &[
    "", ">10", "<{w}", "^{w}.{p}", ".{p}f", "x", "#x", "08.3f", "{w}", ",", "_", "+", " ", "=+8",
    "{w}{w}",
];

impl Gen {
    /// One 1.29-only expression.
    pub(crate) fn expr_129(&mut self) -> String {
        if self.newer && self.rng.chance(30) {
            return self.expr_newer();
        }
        if self.extra && self.rng.chance(40) {
            return self.expr_129_extra();
        }
        match self.rng.below(9) {
            0..=2 => self.fstring(),
            3 => self.fstring().replacen('f', "t", 1),
            4 => format!("({} := {})", self.name(), self.expr()),
            5 => {
                let v = self.name();
                format!(
                    "[{v} for {} in {} if ({v} := {})]",
                    self.name(),
                    self.atom(),
                    self.expr()
                )
            }
            6 => {
                // Several starred and double-starred arguments, in any order 1.29 takes.
                let mut items = Vec::new();
                for _ in 0..1 + self.rng.below(4) {
                    items.push(match self.rng.below(4) {
                        0 => format!("*{}", self.atom()),
                        1 => self.expr(),
                        _ => format!("**{}", self.atom()),
                    });
                }
                format!("{}({})", self.name(), items.join(", "))
            }
            7 => self
                .rng
                .pick(&[
                    "1_000",
                    "0x_ff",
                    "0b_1010_1010",
                    "1_0.5",
                    "1_000_000_000_000_000_000",
                    "0o7_7",
                    "1__0",
                    "1_",
                ])
                .to_string(),
            _ => format!("{}({})", self.name(), self.args()),
        }
    }

    /// An f-string: literal text, `{{`/`}}`, fields with `!r`/`!s`/`!a`, `=`, and format
    /// specs holding nested fields; sometimes an f-string inside a field.
    fn fstring(&mut self) -> String {
        let (open, close) = match self.rng.below(4) {
            0 => ("f'", "'"),
            1 => ("f\"", "\""),
            2 => ("f'''", "'''"),
            _ => ("rf'", "'"),
        };
        let inner_quote = if open.contains('\'') { "\"" } else { "'" };
        let mut body = String::new();
        for _ in 0..1 + self.rng.below(3) {
            match self.rng.below(6) {
                0 => body.push_str(self.rng.pick(&["ab", " ", "{{", "}}", "x=", "\\n", "é"])),
                1 if self.rng.chance(30) => {
                    body.push_str(&format!("{{{inner_quote}s{inner_quote}}}"));
                }
                _ => {
                    let e = if self.rng.chance(20) {
                        let nested = self.fstring();
                        nested.replace('\'', inner_quote)
                    } else {
                        self.name()
                    };
                    let e = if self.rng.chance(30) {
                        format!("{e} + {}", self.literal())
                    } else {
                        e
                    };
                    let eq = if self.rng.chance(10) { "=" } else { "" };
                    // 1.29 has no `!a`; a bad program may try it, or an unknown one.
                    let conv = if self.bad && self.rng.chance(20) {
                        self.rng.pick(&["!a", "!x", "!"])
                    } else {
                        self.rng.pick(&["", "", "", "!r", "!s"])
                    };
                    let spec = self.rng.pick(SPECS);
                    let spec = spec
                        .replace("{w}", &format!("{{{}}}", self.name()))
                        .replace("{p}", &format!("{{{}}}", self.name()));
                    let spec = if spec.is_empty() {
                        spec
                    } else {
                        format!(":{spec}")
                    };
                    body.push_str(&format!("{{{e}{eq}{conv}{spec}}}"));
                }
            }
        }
        if self.bad && self.rng.chance(20) {
            body.push_str(
                self.rng
                    .pick(&["{", "}", "{x!}", "{:}", "{x!r:{y!r}}", "{}"]),
            );
        }
        format!("{open}{body}{close}")
    }

    /// The rarer 1.29 shapes (`MPYC_DIFF_EXTRA=1` only): fields holding brackets, slices,
    /// calls, strings, lambdas or `:=`; `=` fields with spaces; triple-quoted literals with
    /// raw newlines; every prefix spelling; adjacent literals of mixed kinds; escapes next
    /// to braces; deeply nested specs; t-strings with more fields than one call takes.
    pub(crate) fn expr_129_extra(&mut self) -> String {
        let (a, b) = (self.name(), self.name());
        let fill = |t: &str| {
            t.replace('a', "\u{1}")
                .replace('b', &b)
                .replace('\u{1}', &a)
        };
        match self.rng.below(12) {
            0 => {
                let field = self.rng.pick(&[
                    "{a[1:2]}",
                    "{a[b]!r}",
                    "{ {a: b} }",
                    "{ {a, b} }",
                    "{[a, b][0]:>{b}}",
                    "{a(b)}",
                    "{a(b, c=1)!s:^9}",
                    "{(lambda: a)()}",
                    "{(a:=b)}",
                    "{a:=b}",
                    "{a if b else 1}",
                    "{a!=b}",
                    "{a != b!r}",
                    "{'}'}",
                    "{\"x\"}",
                    "{a['k']}",
                    "{a, b}",
                    "{*a, b}",
                    "{a}{b}{a}",
                    "{a:{b}.{b}}",
                    "{a:{b:{a}}}",
                    "{a!r:{b!s}}",
                    "{{}}{a}",
                    "{a}}}",
                    "{{{a}",
                    "{a:}",
                    "{ a }",
                    "{a;b}",
                    "{a#}",
                    "{yield}",
                    "{await a}",
                ]);
                let pre = self.rng.pick(&["f", "t", "rf", "F", "rt"]);
                let q = if field.contains('\'') { "\"" } else { "'" };
                format!("{pre}{q}{}{q}", fill(field))
            }
            1 => {
                let spaced = self.rng.pick(&[
                    "{a = }",
                    "{a=!r}",
                    "{a = :>4}",
                    "{a=:{b}}",
                    "{ a=}",
                    "{a =!s:^3}",
                ]);
                let pre = self.rng.pick(&["f", "t"]);
                format!("{pre}'{}'", fill(spaced))
            }
            2 => {
                // Triple-quoted, with raw newlines in the text and in a field.
                let body = self.rng.pick(&[
                    "a\n{a}\nb",
                    "{a\n}",
                    "{a:\n>4}",
                    "\n\n{a!r}\n",
                    "x\\\n{a}",
                    "{a\n+ b}",
                ]);
                let pre = self.rng.pick(&["f'''", "f\"\"\"", "t'''", "rf'''"]);
                let close = &pre[pre.len() - 3..];
                format!("{pre}{}{close}", fill(body))
            }
            3 => {
                let pre = self.rng.pick(&[
                    "f", "F", "rf", "Rf", "fr", "fR", "FR", "rF", "t", "T", "rt", "tr", "Rt", "tR",
                    "bf", "fb", "ft", "tf", "u", "ur", "br",
                ]);
                format!("{pre}'{{{a}}}'")
            }
            4 => {
                // Adjacent literals of mixed kinds.
                let mut parts = Vec::new();
                for _ in 0..2 + self.rng.below(3) {
                    let pre = self.rng.pick(&["", "f", "t", "b", "r", "rf", "rt"]);
                    let body = if pre.contains('f') || pre.contains('t') {
                        format!("{{{}}}", self.name())
                    } else {
                        "s".to_string()
                    };
                    parts.push(format!("{pre}'{body}'"));
                }
                parts.join(self.rng.pick(&[" ", "", " \\\n", "\n"]))
            }
            5 => {
                let body = self.rng.pick(&[
                    "\\{a}",
                    "\\\\{a}",
                    "{a}\\n",
                    "\\x7b{a}",
                    "\\N{a}",
                    "\\{{a}}",
                    "\\u007b{a}",
                    "{a}\\",
                    "\\'{a}",
                    "{a!r}\\t",
                ]);
                let pre = self.rng.pick(&["f", "rf", "t", "rt"]);
                format!("{pre}'{}'", fill(body))
            }
            6 => {
                // More fields than 255 call arguments hold (t-strings wrap them in a tuple).
                let n = *[62usize, 63, 64, 65, 70, 130, 300]
                    .get(self.rng.below(7))
                    .unwrap_or(&64);
                let pre = self.rng.pick(&["t", "f"]);
                format!("{pre}'{}'", format!("{{{a}}}").repeat(n))
            }
            7 => {
                let e = self.rng.pick(&[
                    "[a := 1, b]",
                    "print(a := 2)",
                    "(lambda: (a := 1))",
                    "a(b, a:=1)",
                    "(a := b := 1)",
                    "((a) := 1)",
                    "(a.b := 1)",
                    "(a[0] := 1)",
                    "[b for a in (a := b)]",
                    "[(a := b) for b in a]",
                    "{a := 1}",
                    "(a := (b := 1))",
                    "a[b := 1]",
                ]);
                fill(e)
            }
            8 => self
                .rng
                .pick(&[
                    "1_0.0_1e1_0",
                    "1_0j",
                    "1e_1",
                    "1_e1",
                    "0x_f_f",
                    "0_0",
                    "0_7",
                    "00_0",
                    "1_000.5",
                    "._5",
                    "1._5",
                    "0b1_",
                    "0o_",
                    "9_999_999_999_999_999_999",
                ])
                .to_string(),
            9 => {
                let e = self.rng.pick(&[
                    "a(*b, *a, **b, **a)",
                    "a(**b, c=1, **a)",
                    "a(*b, c=1, *a)",
                    "a(c=1, *b)",
                    "a(**b, *a)",
                    "a(b for b in a)",
                    "a(*b, b for b in a)",
                ]);
                fill(e)
            }
            10 => {
                // A field holding another f- or t-string, quoted the other way.
                let inner = self.rng.pick(&[
                    "{f\"{a}\"}",
                    "{f\"{a!r:{b}}\"!s}",
                    "{t\"{a}\"}",
                    "{f\"{f'{a}'}\"}",
                    "{f'{a}'}",
                    "{f\"{\"}",
                ]);
                let pre = self.rng.pick(&["f", "t"]);
                format!("{pre}'{}'", fill(inner))
            }
            _ => format!("{}({})", self.fstring(), self.fstring()),
        }
    }

    /// How the program ends (`MPYC_DIFF_EXTRA=1` only): sometimes without its last LF, after a
    /// `\`, inside an open bracket, after a comment, or with CR LF line ends.
    pub(crate) fn end_129_extra(&mut self, bytes: &mut Vec<u8>) {
        match self.rng.below(20) {
            0 => {
                bytes.pop();
            }
            1 => bytes.extend_from_slice(b"x = f'{a}' \\\n"),
            2 => bytes.extend_from_slice(b"x = (f'{a}'\n"),
            3 => bytes.extend_from_slice(b"x = [t'{a}'  # c"),
            4 | 5 => {
                let mut crlf = Vec::with_capacity(bytes.len() * 2);
                for &c in bytes.iter() {
                    if c == b'\n' {
                        crlf.push(b'\r');
                    }
                    crlf.push(c);
                }
                *bytes = crlf;
            }
            6 => bytes.extend_from_slice(b"print(f'{a}' \\"),
            _ => {}
        }
    }

    /// One 1.29-only statement.
    pub(crate) fn stmt_129(
        &mut self,
        out: &mut Vec<String>,
        indent: usize,
        in_func: bool,
        in_loop: bool,
    ) {
        if self.newer && self.rng.chance(40) {
            self.stmt_newer(out, indent);
            return;
        }
        let pad = " ".repeat(indent * 4);
        match self.rng.below(5) {
            0 => {
                // 1.29 has no positional-only parameters: a bad program may try them.
                let params = self.params();
                let sep = match (self.bad, params.is_empty()) {
                    (true, true) => "p9, /",
                    (true, false) => "p9, /,",
                    (false, true) => "p9",
                    (false, false) => "p9,",
                };
                out.push(format!("{pad}def {}({sep} {params}):", self.name()));
                let mut body = Vec::new();
                self.stmt(&mut body, indent + 1, true, false);
                out.extend(body);
            }
            1 => {
                out.push(format!("{pad}while ({} := {}):", self.name(), self.expr()));
                let mut body = Vec::new();
                self.stmt(&mut body, indent + 1, in_func, true);
                out.extend(body);
            }
            2 => out.push(format!("{pad}print({})", self.fstring())),
            3 => out.push(format!("{pad}{} = {}", self.name(), self.fstring())),
            _ => {
                let _ = in_loop;
                out.push(format!("{pad}{}", self.expr_129()));
            }
        }
    }
}

/// Whether a program holds a float or imaginary literal (disagreements there are counted
/// apart: float constants' text is another piece of work).
pub fn has_float_literal(source: &[u8]) -> bool {
    let mut i = 0;
    while i < source.len() {
        let c = source[i];
        let starts_number = c.is_ascii_digit()
            || (c == b'.' && source.get(i + 1).is_some_and(|d| d.is_ascii_digit()));
        let after_ident = i > 0
            && (source[i - 1].is_ascii_alphanumeric()
                || source[i - 1] == b'_'
                || source[i - 1] >= 0x80);
        if starts_number && !after_ident {
            let mut j = i;
            while j < source.len()
                && (source[j].is_ascii_alphanumeric() || source[j] == b'_' || source[j] == b'.')
            {
                j += 1;
            }
            let tok = &source[i..j];
            let radix = tok.len() > 1
                && tok[0] == b'0'
                && matches!(tok[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B');
            if !radix
                && tok
                    .iter()
                    .any(|b| matches!(b, b'.' | b'e' | b'E' | b'j' | b'J'))
            {
                return true;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    false
}

#[test]
fn later_releases_have_their_flag_sets() {
    assert_eq!(DiffRelease::later_flag_sets("1.29"), FLAG_SETS_129);
    assert_eq!(
        DiffRelease::later_flag_sets("1.22"),
        &FLAG_SETS_129[..FLAG_SETS_129.len() - 1]
    );
    let v5 = DiffRelease::later_flag_sets("1.18");
    assert_eq!(v5.len(), 7);
    assert_eq!(v5[6], NO_UNICODE);
    let cache = DiffRelease::later_flag_sets("1.16");
    assert_eq!(cache.len(), 8);
    assert_eq!(cache[7], CACHE_LOOKUP_BC);
    assert_eq!(DiffRelease::later_flag_sets("1.17"), cache);
    assert_eq!(DiffRelease::later_flag_sets("1.12"), cache);
}

#[test]
fn float_literals_are_recognised() {
    assert!(has_float_literal(b"x = 1.5\n"));
    assert!(has_float_literal(b"x = .5\n"));
    assert!(has_float_literal(b"x = 1e10\n"));
    assert!(has_float_literal(b"x = 2j\n"));
    assert!(!has_float_literal(b"x = 0xe5 + a1.b\n"));
    assert!(!has_float_literal(b"x = 15 + y.e\n"));
}

#[test]
fn the_1_29_generator_writes_1_29_syntax() {
    let text: String = (0..300)
        .map(|i| String::from_utf8_lossy(&Gen::for_1_29(i).program()).into_owned())
        .collect();
    for piece in [
        ":=", "f'", "f\"", "t'", "t\"", "!r", "1_000", ":{", "=}", "**",
    ] {
        assert!(text.contains(piece), "no {piece:?} in 300 programs");
    }
    // The extra shapes are off unless asked for.
    assert!(!text.contains("\r\n"));
    // No power towers over a literal power (`2 ** 64 ** 50` folds for minutes).
    let more: String = (300..3000)
        .map(|i| String::from_utf8_lossy(&Gen::for_1_29(i).program()).into_owned())
        .collect();
    assert!(more.contains("(2 ** 64) ** ") || more.contains("(-2 ** 62) ** "));
    for tower in ["2 ** 64 ** ", "2 ** 62 ** "] {
        assert!(!more.contains(tower), "{tower:?} in 3000 programs");
    }
    let extra: String = (0..300)
        .map(|i| {
            let mut gen = Gen::for_1_29(i);
            gen.extra = true;
            String::from_utf8_lossy(&gen.program()).into_owned()
        })
        .collect();
    for piece in ["'''", "rt'", "\r\n", " = }", ":= 1"] {
        assert!(extra.contains(piece), "no {piece:?} in 300 extra programs");
    }
}

/// The CI sample: 1,000 programs from `MPYC_DIFF_SEED` judged by mpy-cross 1.29.
#[test]
fn random_programs_agree_with_mpy_cross_1_29() {
    let seed = match std::env::var("MPYC_DIFF_SEED") {
        Ok(v) => v.trim().parse().expect("MPYC_DIFF_SEED must be a number"),
        Err(_) => 1,
    };
    run_programs(DiffRelease::V1_29, 1000, seed);
}
