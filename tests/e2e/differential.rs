//! Differential fuzzing: seeded random Python programs compiled by mpy-cross 1.11 and by mpyc.
//!
//! The generator writes syntactically plausible programs (every operator and literal kind, big
//! ints, nested defs/classes/lambdas/comprehensions, try/with/loops, global/nonlocal, star args,
//! MicroPython `const`) and, for a share of them, breaks them on purpose (a token dropped,
//! inserted or swapped, a line re-indented). Each program is compiled by both compilers under a
//! flag set chosen by the same generator; the runs must agree exactly (exit code, stdout, stderr,
//! output bytes), except that where the oracle dies by a signal or runs out of heap mpyc must
//! finish cleanly (the rules of `corpus::judge`). Some programs spell an identifier with bytes
//! that are not UTF-8, and some carry long runs of blank or comment lines.
//!
//! Functions are sometimes decorated `@micropython.native` or `@micropython.viper`, and a
//! share of the programs is compiled with `-X emit=native|viper` for x64, x86, armv6, armv7m
//! and xtensa (and plain `-march=` for the decorators); there mpyc's
//! clean "does not support" refusals are accepted too.
//!
//! `MPYC_DIFF_RELEASE=1.29` judges the programs by mpy-cross 1.29 (`MPYC_ORACLE_129`) and
//! `mpyc compile --micropython 1.29` instead, with 1.29's syntax added to them and its flag
//! sets ([`crate::differential129`], which also holds the 1.29 CI sample of 1,000).
//!
//! CI runs `MPYC_DIFF_COUNT` programs (default 1000, about 5 s) from seed `MPYC_DIFF_SEED`
//! (default 1); `MPYC_DIFF_ARCH=x64|x86|armv6|armv7m|xtensa` compiles every program for that
//! arch instead (a third each with `-X emit=native`, `-X emit=viper` and the decorators alone).
//! `MPYC_DIFF_SAVE=<dir>` keeps every disagreeing program there for minimisation
//! (`diff-<program seed>.py`, with its flags and the disagreement in `diff-<program seed>.txt`);
//! `MPYC_DIFF_DUMP=<dir>` keeps every program. `MPYC_DIFF_START=<n>` starts at the seed's
//! program `n` instead of 0 (a run in slices draws the same programs as one run).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::corpus::{compile_with, judge, FLAG_SETS};

/// Native-code flag sets the programs are also compiled under (the arches mpyc writes native
/// code for), besides the corpus's bytecode sets.
const NATIVE_FLAG_SETS: &[&[&str]] = &[
    &["-X", "emit=native", "-march=x64"],
    &["-X", "emit=viper", "-march=x64"],
    &["-X", "emit=native", "-march=x86"],
    &["-X", "emit=viper", "-march=x86"],
    &["-march=x86"],
    &["-X", "emit=native", "-march=armv6"],
    &["-X", "emit=viper", "-march=armv6"],
    &["-X", "emit=native", "-march=armv7m"],
    &["-X", "emit=viper", "-march=armv7m"],
    &["-X", "emit=native", "-march=xtensa"],
    &["-X", "emit=viper", "-march=xtensa"],
    &["-march=armv6"],
    &["-march=armv7m"],
];
use crate::support::{mpyc, oracle, TempDir};

pub use crate::differential129::DiffRelease;

/// splitmix64: small, seedable, the same stream on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "a",
    "b",
    "c",
    "x",
    "y",
    "z",
    "i",
    "n",
    "self",
    "print",
    "len",
    "range",
    "f",
    "g",
    "K",
    "_p",
    "__name__",
    "abcdefghijk",
    "NotImplementedError",
    "value",
    "const",
    "micropython",
    "super",
    "__class__",
    "None_",
    "lst",
    "dct",
];
const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "<", ">", "<=", ">=", "==",
    "!=", "is", "is not", "in", "not in", "and", "or",
];
const AUGOPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^=",
];
const UNOPS: &[&str] = &["-", "+", "~", "not "];
const INT_EDGES: &[&str] = &[
    "0",
    "1",
    "-1",
    "16383",
    "16384",
    "-16384",
    "-16385",
    "1073741823",
    "1073741824",
    "-1073741824",
    "-1073741825",
    "4611686018427387903",
    "4611686018427387904",
    "-4611686018427387904",
    "-4611686018427387905",
    "9223372036854775807",
    "9223372036854775808",
    "0x3fff",
    "0x4000",
    "0x3fffffff",
    "0x40000000",
    "0x3fffffffffffffff",
    "0x4000000000000000",
    "0b1",
    "0o777",
    "0xFFFFFFFFFFFFFFFFFFFFFFFF",
    "123456789012345678901234567890",
    "00",
    "1 << 30",
    "1 << 62",
    "2 ** 64",
    "-2 ** 62",
    "~0x3fffffff",
];
const FLOATS: &[&str] = &[
    "0.0",
    "1.5",
    "1e10",
    "1e-10",
    "1e308",
    "1e309",
    ".5",
    "5.",
    "3.141592653589793",
    "0.30000000000000004",
    "5e-324",
    "123456789.123456789",
    "1j",
    "2.5j",
    "1e400j",
    "0j",
];
const STRINGS: &[&str] = &[
    "''",
    "'a'",
    "\"0123456789\"",
    "\"0123456789a\"",
    "'__build_class__'",
    "'NotImplementedError'",
    "'abcdefghijk'",
    "b''",
    "b'abc'",
    "b'0123456789ab'",
    "'\\n\\t\\x41\\u00e9'",
    "r'\\d+'",
    "'''tri\nple'''",
    "'é'",
    "'日本'",
    "b'\\xff\\x00'",
    "'a' 'b'",
    "u'x'",
];
/// Pieces that the reference refuses (used rarely, so most programs still compile).
const BAD_BITS: &[&str] = &[
    "'\\N{BULLET}'",
    "'a' b'b'",
    "'\\x4'",
    "a @ b",
    "{**a}",
    "[*a]",
    "0123",
    "0b2",
    "x := 1",
    "f(**a, b)",
    "f(a=1, b)",
    "(yield)",
    "1 = 2",
    "lambda a, a: 0",
    "`x`",
    "print 'x'",
];

/// The generator's state: the randomness and how deep it has gone (depth keeps programs small).
pub struct Gen {
    pub rng: Rng,
    depth: usize,
    /// This program may contain pieces the reference refuses.
    pub(crate) bad: bool,
    /// Also write MicroPython 1.29's syntax (`crate::differential129`); the 1.11 programs
    /// draw the same random numbers as before it existed.
    pub(crate) v129: bool,
    /// With `v129`: also the rarer 1.29 shapes of [`Gen::expr_129_extra`] and endings of
    /// [`Gen::end_129_extra`] (`MPYC_DIFF_EXTRA=1`); off, the programs are as before them.
    pub(crate) extra: bool,
    /// With `v129`: also the newer-syntax shapes of [`crate::differential_newer`]
    /// (`MPYC_DIFF_NEWER=1`); off, the programs are as before them.
    pub(crate) newer: bool,
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::new(seed),
            depth: 0,
            bad: false,
            v129: false,
            extra: false,
            newer: false,
        }
    }

    /// A generator for MicroPython 1.29's programs: 1.11's, plus its f-strings, t-strings,
    /// `:=` and the other syntax 1.29 parses.
    pub fn for_1_29(seed: u64) -> Gen {
        Gen {
            v129: true,
            ..Gen::new(seed)
        }
    }

    pub(crate) fn name(&mut self) -> String {
        self.rng.pick(NAMES).to_string()
    }

    pub(crate) fn literal(&mut self) -> String {
        match self.rng.below(10) {
            0..=3 => self.rng.pick(INT_EDGES).to_string(),
            4 => self.rng.pick(FLOATS).to_string(),
            5 | 6 => self.rng.pick(STRINGS).to_string(),
            7 => self
                .rng
                .pick(&["None", "True", "False", "...", "__debug__"])
                .to_string(),
            8 => {
                // A big int literal in a random base.
                let digits = 1 + self.rng.below(40);
                let (prefix, alphabet): (&str, &[u8]) = match self.rng.below(4) {
                    0 => ("0x", b"0123456789abcdefABCDEF"),
                    1 => ("0o", b"01234567"),
                    2 => ("0b", b"01"),
                    _ => ("", b"0123456789"),
                };
                let mut s = prefix.to_string();
                for k in 0..digits {
                    let mut ch = alphabet[self.rng.below(alphabet.len())];
                    if k == 0 && prefix.is_empty() && ch == b'0' {
                        ch = b'1';
                    }
                    s.push(ch as char);
                }
                s
            }
            _ => format!("{}", self.rng.below(300)),
        }
    }

    pub fn expr(&mut self) -> String {
        self.depth += 1;
        let e = if self.v129 && self.depth <= 3 && self.rng.chance(12) {
            self.expr_129()
        } else if self.bad && self.rng.chance(4) {
            self.rng.pick(BAD_BITS).to_string()
        } else if self.depth > 3 {
            if self.rng.chance(50) {
                self.name()
            } else {
                self.literal()
            }
        } else {
            match self.rng.below(22) {
                0..=2 => self.literal(),
                3 | 4 => self.name(),
                5..=7 => {
                    let op = self.rng.pick(BINOPS);
                    let (lhs, rhs) = (self.expr(), self.expr());
                    self.binop(lhs, op, rhs)
                }
                8 => format!("({}({}))", self.rng.pick(UNOPS), self.expr()),
                9 => format!("{}({})", self.name(), self.args()),
                10 => format!("{}.{}", self.atom(), self.name()),
                11 => format!("{}[{}]", self.atom(), self.subscript()),
                12 => format!("[{}]", self.list_items()),
                13 => match self.list_items() {
                    items if items.is_empty() => "()".to_string(),
                    items => format!("({items},)"),
                },
                14 => {
                    let k = self.expr();
                    let v = self.expr();
                    match self.rng.below(3) {
                        0 => format!("{{{k}: {v}}}"),
                        1 => format!("{{{k}: {v}, {}: {}}}", self.literal(), self.name()),
                        _ => format!("{{{k}, {v}}}"),
                    }
                }
                15 => format!("({} if {} else {})", self.expr(), self.expr(), self.expr()),
                16 => format!("(lambda {}: {})", self.params(), self.expr()),
                17 => self.comprehension(),
                18 => format!(
                    "{} {} {} {} {}",
                    self.atom(),
                    self.rng.pick(&["<", "<=", "=="]),
                    self.atom(),
                    self.rng.pick(&[">", "!=", "is", "in"]),
                    self.atom()
                ),
                19 => format!("({})", self.expr()),
                20 => format!("const({})", self.const_value()),
                _ => {
                    let lhs = self.literal();
                    let op = self.rng.pick(BINOPS);
                    let rhs = self.literal();
                    self.binop(lhs, op, rhs)
                }
            }
        };
        self.depth -= 1;
        e
    }

    /// `lhs op rhs`. For 1.29, whose parser folds `**` over big ints, a power's exponent is
    /// kept small: mpy-cross 1.29 works for minutes (past the run limit) on folding a big
    /// base to an exponent of 2^62. A base that is itself a power (`2 ** 64`, a literal of
    /// [`INT_EDGES`]) is bracketed, as `**` binds to the right: `2 ** 64 ** 50` would be 2 to
    /// the 300-bit power, which the release's mpy-cross folds until the run is killed.
    fn binop(&mut self, lhs: String, op: &str, rhs: String) -> String {
        if self.v129 && op == "**" {
            let exponent = self.rng.below(70);
            if lhs.contains("**") {
                format!("({lhs}) ** {exponent}")
            } else {
                format!("{lhs} ** {exponent}")
            }
        } else {
            format!("{lhs} {op} {rhs}")
        }
    }

    /// The argument of a `const(...)`: an integer nearly always (folded big ints are refused).
    fn const_value(&mut self) -> String {
        if self.rng.chance(10) {
            self.expr()
        } else {
            self.rng.pick(&INT_EDGES[..28]).to_string()
        }
    }

    pub(crate) fn atom(&mut self) -> String {
        if self.rng.chance(60) {
            self.name()
        } else {
            format!("({})", self.expr())
        }
    }

    fn subscript(&mut self) -> String {
        match self.rng.below(5) {
            0 => format!("{}:{}", self.expr(), self.expr()),
            1 => format!("::{}", self.expr()),
            2 => format!("{}, {}", self.expr(), self.expr()),
            3 => ":".to_string(),
            _ => self.expr(),
        }
    }

    fn list_items(&mut self) -> String {
        let n = self.rng.below(4);
        let mut items = Vec::new();
        for _ in 0..n {
            if self.rng.chance(3) {
                items.push(format!("*{}", self.name()));
            } else {
                items.push(self.expr());
            }
        }
        items.join(", ")
    }

    pub(crate) fn args(&mut self) -> String {
        let n = self.rng.below(5);
        let mut items = Vec::new();
        // 0: positional, 1: after *x, 2: after a keyword, 3: after **x (the order Python wants).
        let mut stage = 0;
        for _ in 0..n {
            let want = if self.bad {
                self.rng.below(4)
            } else {
                if stage >= 4 {
                    break;
                }
                stage + self.rng.below(4 - stage)
            };
            // One *x and one **x at most, as the reference's grammar allows.
            stage = match want {
                1 => 2,
                3 => 4,
                w => stage.max(w),
            };
            if stage > 4 {
                break;
            }
            items.push(match want {
                0 if n == 1 && self.rng.chance(20) => {
                    format!("{} for {} in {}", self.expr(), self.name(), self.atom())
                }
                0 => self.expr(),
                1 => format!("*{}", self.atom()),
                2 => format!("{}={}", self.name(), self.expr()),
                _ => format!("**{}", self.atom()),
            });
        }
        items.join(", ")
    }

    pub(crate) fn params(&mut self) -> String {
        let n = self.rng.below(5);
        let mut items = Vec::new();
        let (mut star, mut default) = (false, false);
        for k in 0..n {
            // Unique names in order, unless this program may be broken.
            let p = if self.bad {
                format!("p{}", self.rng.below(3))
            } else {
                format!("p{k}")
            };
            items.push(match self.rng.below(8) {
                0 if !star => {
                    star = true;
                    if self.rng.chance(30) && k + 1 < n {
                        "*".to_string()
                    } else {
                        format!("*{p}")
                    }
                }
                1 if k + 1 == n => format!("**{p}"),
                2 | 3 => {
                    default = true;
                    format!("{p}={}", self.literal())
                }
                _ if default && !star && !self.bad => format!("{p}=None"),
                _ => p,
            });
        }
        items.join(", ")
    }

    pub(crate) fn comprehension(&mut self) -> String {
        let v = self.name();
        let body = self.expr();
        let it = self.atom();
        let mut tail = format!("for {v} in {it}");
        if self.rng.chance(40) {
            tail.push_str(&format!(" if ({})", self.expr()));
        }
        if self.rng.chance(25) {
            tail.push_str(&format!(" for {} in {}", self.name(), self.atom()));
        }
        match self.rng.below(4) {
            0 => format!("[{body} {tail}]"),
            1 => format!("{{{body} {tail}}}"),
            2 => format!("{{{body}: {} {tail}}}", self.expr()),
            _ => format!("({body} {tail})"),
        }
    }

    fn target(&mut self) -> String {
        match self.rng.below(8) {
            0 => format!("{}.{}", self.name(), self.name()),
            1 => format!("{}[{}]", self.name(), self.expr()),
            2 => format!("{}, *{}", self.name(), self.name()),
            3 => format!("[{}, {}]", self.name(), self.name()),
            _ => self.name(),
        }
    }

    fn block(&mut self, out: &mut Vec<String>, indent: usize, in_func: bool, in_loop: bool) {
        let n = 1 + self.rng.below(3);
        for _ in 0..n {
            self.stmt(out, indent, in_func, in_loop);
        }
    }

    pub fn stmt(&mut self, out: &mut Vec<String>, indent: usize, in_func: bool, in_loop: bool) {
        let pad = " ".repeat(indent * 4);
        let deep = indent >= 4;
        if self.v129 && self.rng.chance(8) {
            self.stmt_129(out, indent, in_func, in_loop);
            return;
        }
        let pick = if deep {
            self.rng.below(9)
        } else {
            self.rng.below(30)
        };
        match pick {
            0 | 1 => out.push(format!("{pad}{} = {}", self.target(), self.expr())),
            2 => out.push(format!("{pad}{}", self.expr())),
            3 => out.push(format!(
                "{pad}{} {} {}",
                self.name(),
                self.rng.pick(AUGOPS),
                self.expr()
            )),
            4 => out.push(format!(
                "{pad}{} = const({})",
                self.name(),
                self.const_value()
            )),
            5 => out.push(format!(
                "{pad}{}",
                self.rng.pick(&[
                    "pass",
                    "del x",
                    "del a, b[0], c.d",
                    "assert x",
                    "assert x, 'm'"
                ])
            )),
            6 if in_func => out.push(format!(
                "{pad}{}",
                self.rng.pick(&[
                    "return",
                    "yield",
                    "yield x",
                    "yield from y",
                    "x = yield",
                    "return 1"
                ])
            )),
            7 if in_loop => out.push(format!("{pad}{}", self.rng.pick(&["break", "continue"]))),
            8 => out.push(format!(
                "{pad}{}",
                self.rng.pick(&[
                    "import micropython",
                    "from micropython import const",
                    "import a.b as c",
                    "from . import x"
                ])
            )),
            9 | 10 => {
                out.push(format!("{pad}if {}:", self.expr()));
                self.block(out, indent + 1, in_func, in_loop);
                if self.rng.chance(40) {
                    out.push(format!("{pad}elif {}:", self.expr()));
                    self.block(out, indent + 1, in_func, in_loop);
                }
                if self.rng.chance(40) {
                    out.push(format!("{pad}else:"));
                    self.block(out, indent + 1, in_func, in_loop);
                }
            }
            11 | 12 => {
                if self.rng.chance(50) {
                    out.push(format!("{pad}for {} in {}:", self.target(), self.expr()));
                } else {
                    out.push(format!("{pad}while {}:", self.expr()));
                }
                self.block(out, indent + 1, in_func, true);
                if self.rng.chance(30) {
                    out.push(format!("{pad}else:"));
                    self.block(out, indent + 1, in_func, in_loop);
                }
            }
            13 | 14 => {
                out.push(format!("{pad}try:"));
                self.block(out, indent + 1, in_func, in_loop);
                let handlers = self.rng.below(3);
                for h in 0..handlers {
                    let last = h + 1 == handlers;
                    match self.rng.below(3) {
                        2 if !last && !self.bad => {
                            out.push(format!("{pad}except {}:", self.name()))
                        }
                        0 => out.push(format!("{pad}except {}:", self.name())),
                        1 => out.push(format!(
                            "{pad}except ({}, {}) as e:",
                            self.name(),
                            self.name()
                        )),
                        _ => out.push(format!("{pad}except:")),
                    }
                    self.block(out, indent + 1, in_func, in_loop);
                }
                if handlers > 0 && self.rng.chance(30) {
                    out.push(format!("{pad}else:"));
                    self.block(out, indent + 1, in_func, in_loop);
                }
                if handlers == 0 || self.rng.chance(40) {
                    out.push(format!("{pad}finally:"));
                    self.block(out, indent + 1, in_func, in_loop);
                }
            }
            15 => {
                let items = if self.rng.chance(50) {
                    format!("{} as {}", self.expr(), self.name())
                } else {
                    format!("{}, {} as {}", self.atom(), self.atom(), self.name())
                };
                out.push(format!("{pad}with {items}:"));
                self.block(out, indent + 1, in_func, in_loop);
            }
            16..=18 => {
                let deco = self.rng.chance(20);
                if deco {
                    let d = self.rng.pick(&[
                        "@staticmethod",
                        "@micropython.bytecode",
                        "@dec(1, k=2)",
                        "@a.b.c",
                        "@micropython.native",
                        "@micropython.viper",
                    ]);
                    out.push(format!("{pad}{d}"));
                }
                let kw = if self.rng.chance(10) {
                    "async def"
                } else {
                    "def"
                };
                out.push(format!(
                    "{pad}{kw} f{}({}):",
                    self.rng.below(4),
                    self.params()
                ));
                if self.rng.chance(20) {
                    out.push(format!(
                        "{pad}    {}",
                        self.rng
                            .pick(&["global x, y", "nonlocal x", "nonlocal a", "global a"])
                    ));
                }
                if kw == "async def" && self.rng.chance(50) {
                    out.push(format!(
                        "{pad}    {}",
                        self.rng.pick(&[
                            "await x",
                            "async for i in x: pass",
                            "async with a as b: pass"
                        ])
                    ));
                }
                self.block(out, indent + 1, true, false);
            }
            19 => {
                out.push(format!(
                    "{pad}class K{}({}):",
                    self.rng.below(3),
                    self.args()
                ));
                if self.rng.chance(30) {
                    out.push(format!("{pad}    def m(self):"));
                    out.push(format!("{pad}        return super().m({})", self.expr()));
                }
                self.block(out, indent + 1, false, false);
            }
            20 => out.push(format!(
                "{pad}{}",
                self.rng.pick(&[
                    "global x",
                    "nonlocal x",
                    "global a, b",
                    "return",
                    "yield 1",
                    "await z",
                    "break",
                    "continue"
                ])
            )),
            21 => out.push(format!(
                "{pad}raise {}",
                self.rng.pick(&["", "E", "E(1)", "E from F"])
            )),
            22 => out.push(format!(
                "{pad}{} = {} = {}",
                self.target(),
                self.target(),
                self.expr()
            )),
            23 => out.push(format!("{pad}print({})", self.args())),
            _ => out.push(format!("{pad}{} = {}", self.name(), self.expr())),
        }
    }

    /// One program: a few statements at module level, sometimes broken on purpose.
    pub fn program(&mut self) -> Vec<u8> {
        let mut lines = Vec::new();
        self.bad = self.rng.chance(15);
        let n = 1 + self.rng.below(8);
        for _ in 0..n {
            self.stmt(&mut lines, 0, false, false);
        }
        // Blank lines, comments and line continuations stretch the line-number table.
        let mut text = String::new();
        for line in lines {
            text.push_str(&line);
            text.push('\n');
            match self.rng.below(40) {
                0 => text.push_str(&"\n".repeat(1 + self.rng.below(600))),
                1 => text.push_str("# a comment\n"),
                2 => text.push_str(&"#\n".repeat(3000 + self.rng.below(3000))),
                _ => {}
            }
        }
        let mut bytes = text.into_bytes();
        if self.rng.chance(5) {
            // Identifiers may hold any byte >= 0x80, valid UTF-8 or not.
            let spelling = *[&b"v\xc3\xa9"[..], b"v\xff\xfe", b"\xe6\x97\xa5x", b"z\x80"]
                .get(self.rng.below(4))
                .unwrap_or(&&b"v"[..]);
            bytes = replace_all(&bytes, b"value", spelling);
        }
        if self.rng.chance(12) {
            self.break_it(&mut bytes);
        }
        if self.extra {
            self.end_129_extra(&mut bytes);
        }
        bytes
    }

    fn break_it(&mut self, bytes: &mut Vec<u8>) {
        if bytes.is_empty() {
            return;
        }
        let at = self.rng.below(bytes.len());
        match self.rng.below(6) {
            0 => {
                bytes.remove(at);
            }
            1 => {
                let tok = self.rng.pick(&[
                    "(", ")", ":", "=", "*", "**", ",", "\\", "'", "\t", " ", "\n", "lambda",
                    "yield", "\r", "\u{0}",
                ]);
                bytes.splice(at..at, tok.bytes());
            }
            2 => {
                if let Some(b) = bytes.get(at).copied() {
                    let j = self.rng.below(bytes.len());
                    if let Some(c) = bytes.get(j).copied() {
                        bytes[at] = c;
                        bytes[j] = b;
                    }
                }
            }
            3 => bytes.truncate(at),
            4 => {
                bytes.splice(at..at, [0xff_u8, 0xc3]);
            }
            _ => {
                // Re-indent the line around `at`.
                let start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                let spaces = self.rng.below(3);
                bytes.splice(start..start, std::iter::repeat_n(b' ', spaces));
            }
        }
    }
}

/// `haystack` with every `from` replaced by `to`.
fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// The flag sets of one arch for `MPYC_DIFF_ARCH`: the native and viper emitters and the plain
/// `-march=` (where only decorated functions are native), each a third of the programs.
fn arch_flag_sets(arch: &str) -> Vec<&'static [&'static str]> {
    let sets: Vec<&'static [&'static str]> = NATIVE_FLAG_SETS
        .iter()
        .copied()
        .filter(|f| f.last().and_then(|m| m.strip_prefix("-march=")) == Some(arch))
        .collect();
    assert!(
        !sets.is_empty(),
        "MPYC_DIFF_ARCH={arch:?} names no arch mpyc writes native code for"
    );
    let mut sets = sets;
    if !sets.iter().any(|f| f.len() == 1) {
        // x64 is the reference's default arch: the decorators alone need no flag.
        sets.push(&[]);
    }
    sets
}

#[test]
fn every_native_arch_has_three_flag_sets() {
    for arch in ["x64", "x86", "armv6", "armv7m", "xtensa"] {
        let sets = arch_flag_sets(arch);
        assert_eq!(sets.len(), 3, "{arch}: {sets:?}");
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}")),
        Err(_) => default,
    }
}

#[test]
fn generator_is_deterministic_and_varied() {
    let a: Vec<Vec<u8>> = (0..20).map(|i| Gen::new(i).program()).collect();
    let b: Vec<Vec<u8>> = (0..20).map(|i| Gen::new(i).program()).collect();
    assert_eq!(a, b);
    let mut distinct = a.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() >= 18, "the generator repeats itself");
}

#[test]
fn random_programs_agree_with_oracle() {
    let count = env_number("MPYC_DIFF_COUNT", 1000) as usize;
    let seed = env_number("MPYC_DIFF_SEED", 1);
    run_programs(DiffRelease::from_env(), count, seed);
}

/// Compiles `count` programs from `seed` with the release's reference and with mpyc, and
/// fails with the disagreements.
pub fn run_programs(release: DiffRelease, count: usize, seed: u64) {
    let save = std::env::var_os("MPYC_DIFF_SAVE").map(std::path::PathBuf::from);
    let start = env_number("MPYC_DIFF_START", 0) as usize;
    let arch_sets = std::env::var("MPYC_DIFF_ARCH")
        .ok()
        .map(|a| arch_flag_sets(&a));
    assert!(
        arch_sets.is_none() || release == DiffRelease::V1_11,
        "MPYC_DIFF_ARCH: mpyc writes no native code for MicroPython 1.29 yet"
    );
    let arch_sets = arch_sets.as_deref();
    let scratch = TempDir::new("differential");
    let (oracle_bin, mpyc_bin) = match release {
        DiffRelease::V1_11 => (oracle(), mpyc()),
        DiffRelease::V5(name) | DiffRelease::Later(name) => {
            (crate::support::oracle_release(name), mpyc())
        }
    };
    let mpyc_prefix: Vec<&str> = match release {
        DiffRelease::V1_11 => vec!["compile", "--reference-nlr-buf"],
        DiffRelease::V5(name) | DiffRelease::Later(name) => {
            vec!["compile", "--micropython", name]
        }
    };
    let mpyc_prefix = mpyc_prefix.as_slice();
    let extra = release != DiffRelease::V1_11 && env_number("MPYC_DIFF_EXTRA", 0) != 0;
    let newer = release != DiffRelease::V1_11 && env_number("MPYC_DIFF_NEWER", 0) != 0;
    let next = AtomicUsize::new(0);
    let rejected = AtomicUsize::new(0);
    let with_floats = AtomicUsize::new(0);
    let excused = AtomicUsize::new(0);
    let reasons = Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for t in 0..2 {
            let dir = scratch.path().join(format!("t{t}"));
            std::fs::create_dir_all(&dir).expect("scratch dir");
            let (next, rejected, reasons, failures) = (&next, &rejected, &reasons, &failures);
            let (with_floats, excused) = (&with_floats, &excused);
            let (oracle_bin, mpyc_bin, save) = (&oracle_bin, &mpyc_bin, &save);
            s.spawn(move || loop {
                let i = start + next.fetch_add(1, Ordering::Relaxed);
                if i >= start + count {
                    break;
                }
                let program_seed = seed.wrapping_mul(1_000_003).wrapping_add(i as u64);
                let (source, flags): (Vec<u8>, &[&str]) = match release {
                    DiffRelease::V1_11 => {
                        let mut gen = Gen::new(program_seed);
                        let source = gen.program();
                        let pick = gen.rng.below(FLAG_SETS.len() + NATIVE_FLAG_SETS.len());
                        let flags: &[&str] = match (arch_sets, FLAG_SETS.get(pick)) {
                            (Some(sets), _) => sets[pick % sets.len()],
                            (None, Some(f)) => f,
                            (None, None) => NATIVE_FLAG_SETS[pick - FLAG_SETS.len()],
                        };
                        (source, flags)
                    }
                    DiffRelease::V5(name) => {
                        // 1.11's programs and 1.29's in turn: v5 parses the first as 1.11
                        // does (plus `@`), and some of the second (`:=` from 1.13, f-strings
                        // from 1.17).
                        let mut gen = if program_seed.is_multiple_of(2) {
                            Gen::new(program_seed)
                        } else {
                            let mut gen = Gen::for_1_29(program_seed);
                            gen.extra = extra;
                            gen.newer = newer;
                            gen
                        };
                        let source = gen.program();
                        let sets = DiffRelease::later_flag_sets(name);
                        (source, sets[gen.rng.below(sets.len())])
                    }
                    DiffRelease::Later(name) => {
                        let mut gen = Gen::for_1_29(program_seed);
                        gen.extra = extra;
                        gen.newer = newer;
                        let source = gen.program();
                        let sets = DiffRelease::later_flag_sets(name);
                        (source, sets[gen.rng.below(sets.len())])
                    }
                };
                std::fs::write(dir.join("prog.py"), &source).expect("scratch file");
                if let Some(d) = std::env::var_os("MPYC_DIFF_DUMP") {
                    let d = std::path::PathBuf::from(d);
                    let _ = std::fs::create_dir_all(&d);
                    let _ = std::fs::write(d.join(format!("p{program_seed}.py")), &source);
                }
                let o = compile_with(oracle_bin, &[], flags, "prog.py", &dir, &dir.join("o.mpy"));
                let m = compile_with(
                    mpyc_bin,
                    mpyc_prefix,
                    flags,
                    "prog.py",
                    &dir,
                    &dir.join("m.mpy"),
                );
                if o.code != 0 {
                    rejected.fetch_add(1, Ordering::Relaxed);
                    let text = String::from_utf8_lossy(&o.stderr);
                    let last = text.lines().last().unwrap_or("").to_string();
                    *reasons.lock().expect("lock").entry(last).or_default() += 1;
                }
                // mpyc's "does not support" refusals are accepted for native code only (every
                // release: mpyc writes none after 1.11, and 1.19's decorators compile without
                // `-march=`).
                let native = source.windows(12).any(|w| w == b"@micropython")
                    || flags.iter().any(|f| f.starts_with("emit="));
                let verdict = judge(native, &o, &m);
                if verdict == Ok(false) {
                    excused.fetch_add(1, Ordering::Relaxed);
                }
                if let Err(why) = verdict {
                    if let Some(d) = save {
                        let _ = std::fs::create_dir_all(d);
                        let _ = std::fs::write(d.join(format!("diff-{program_seed}.py")), &source);
                        let _ = std::fs::write(
                            d.join(format!("diff-{program_seed}.txt")),
                            format!("[{}]\n{why}\n", flags.join(" ")),
                        );
                    }
                    if crate::differential129::has_float_literal(&source) {
                        with_floats.fetch_add(1, Ordering::Relaxed);
                    }
                    failures.lock().expect("lock").push(format!(
                        "program seed {program_seed} [{}]: {why}\n--- source ---\n{}",
                        flags.join(" "),
                        String::from_utf8_lossy(&source)
                    ));
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    let mut reasons: Vec<(usize, String)> = reasons
        .into_inner()
        .expect("lock")
        .into_iter()
        .map(|(k, v)| (v, k))
        .collect();
    reasons.sort_by(|a, b| b.cmp(a));
    for (n, why) in reasons.iter().take(12) {
        eprintln!("differential: oracle rejection {n:>6} x {why}");
    }
    let reference = match release {
        DiffRelease::V1_11 => "mpy-cross 1.11".to_string(),
        DiffRelease::V5(name) | DiffRelease::Later(name) => format!("mpy-cross {name}"),
    };
    eprintln!(
        "differential ({reference}): {count} programs from seed {seed} (from program {start}); {} rejected by the oracle; {} excused (mpyc's native-code refusals, oracle crashes); {} disagreements ({} of them in programs with a float literal)",
        rejected.load(Ordering::Relaxed),
        excused.load(Ordering::Relaxed),
        failures.len(),
        with_floats.load(Ordering::Relaxed)
    );
    assert!(
        failures.is_empty(),
        "{} of {count} random programs disagree with {reference}:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
