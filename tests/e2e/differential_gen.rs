//! The differential fuzzer's program generator: a seedable random stream ([`Rng`]) and
//! [`Gen`], which writes random MicroPython programs (1.11's kind, or 1.29's with its newer
//! syntax) from tables of names, operators, literals and statement shapes. The runner is
//! [`crate::differential`].

/// The seedable stream programs are drawn from (splitmix64: the same on every machine).
pub use testkit::Rng;

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
