//! The lexer checked against the reference mpy-cross 1.11 where its behaviour shows in the
//! reference's output: error texts and lines, and string/bytes values saved in the `.mpy`.
//!
//! The expected texts are fixed in the tests (they were obtained from the reference); each
//! test also runs the reference to confirm them, and fails if it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use syntax::lexer::{Lexer, LexerConfig};
use syntax::TokenKind;
use testkit::oracle;

/// A scratch directory of this test process.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mpyc-lexer-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// What the reference did with one source file.
struct Outcome {
    ok: bool,
    /// stderr and stdout together.
    text: String,
    mpy: Option<Vec<u8>>,
}

/// Compile `src` as `t.py` in `dir` with the reference.
fn run_oracle(dir: &Path, src: &[u8], args: &[&str]) -> Outcome {
    let py = dir.join("t.py");
    let mpy = dir.join("t.mpy");
    std::fs::write(&py, src).expect("write source");
    let _ = std::fs::remove_file(&mpy);
    let out = Command::new(oracle())
        .args(args)
        .arg("t.py")
        .current_dir(dir)
        .output()
        .expect("run the reference mpy-cross");
    let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stdout));
    Outcome {
        ok: out.status.success(),
        text,
        mpy: std::fs::read(&mpy).ok(),
    }
}

/// The reference's text for a syntax error at `line` of `t.py`.
fn syntax_error(line: u32, kind: &str, message: &str) -> String {
    format!("Traceback (most recent call last):\n  File \"t.py\", line {line}\n{kind}: {message}\n")
}

fn varint(mut n: usize) -> Vec<u8> {
    let mut out = vec![(n & 0x7f) as u8];
    n >>= 7;
    while n != 0 {
        out.push(0x80 | (n & 0x7f) as u8);
        n >>= 7;
    }
    out.reverse();
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// What a token sequence means to the parser, for sources made of `x = <literal>` followed
/// by lines holding one atom each (what a literal that ends early leaves behind).
enum Verdict {
    /// Parses; the value of the first statement's literal and whether it is bytes.
    Ok(TokenKind, Vec<u8>),
    /// The reference's error text.
    Error(String),
    /// A number on a later line: its text is the number parser's business, not checked here.
    Unknown,
}

/// Lex `src` the way the parser pulls tokens, stopping at the first token the parser rejects.
fn verdict(src: &[u8], config: LexerConfig) -> Verdict {
    use TokenKind::*;
    let mut lx = match Lexer::with_config(src, config) {
        Ok(lx) => lx,
        Err(e) => return Verdict::Error(e.render()),
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Want {
        Target,
        Equal,
        LiteralOrParen,
        LiteralInParens,
        Close,
        EndOfStatement,
        LineStart,
        AfterAtom,
    }
    let literal = |k: TokenKind| k == String || k == Bytes;
    let mut want = Want::Target;
    let mut value = (End, Vec::new());
    loop {
        let k = lx.kind();
        let next = match want {
            Want::Target if k == Name => Some(Want::Equal),
            Want::Equal if k == DelEqual => Some(Want::LiteralOrParen),
            Want::LiteralOrParen if k == DelParenOpen => Some(Want::LiteralInParens),
            Want::LiteralOrParen | Want::LiteralInParens if literal(k) => {
                value = (k, lx.value().to_vec());
                Some(if want == Want::LiteralOrParen {
                    Want::EndOfStatement
                } else {
                    Want::Close
                })
            }
            // A name where the literal should be (e.g. the `f` of `f'..'`) is an atom too.
            Want::LiteralOrParen if k == Name => Some(Want::EndOfStatement),
            Want::LiteralInParens if k == Name => Some(Want::Close),
            Want::Close if k == DelParenClose => Some(Want::EndOfStatement),
            Want::EndOfStatement | Want::AfterAtom if k == Newline => Some(Want::LineStart),
            Want::LineStart if k == End => return Verdict::Ok(value.0, value.1),
            Want::LineStart if k == Name || literal(k) => Some(Want::AfterAtom),
            Want::LineStart if k == Integer || k == FloatOrImag => return Verdict::Unknown,
            _ => None,
        };
        let ok = next.is_some();
        if !ok {
            let line = lx.line();
            return Verdict::Error(match k {
                Indent => syntax_error(line, "IndentationError", "unexpected indent"),
                DedentMismatch => syntax_error(
                    line,
                    "IndentationError",
                    "unindent doesn't match any outer indent level",
                ),
                _ => syntax_error(line, "SyntaxError", "invalid syntax"),
            });
        }
        want = next.unwrap_or(want);
        if let Err(e) = lx.advance() {
            return Verdict::Error(e.render());
        }
    }
}

/// Compare the reference's handling of `src` with what our tokens imply.
/// `Ok(true)` when a value was compared, `Ok(false)` when only the outcome was.
fn check_assignment(
    dir: &Path,
    src: &[u8],
    args: &[&str],
    config: LexerConfig,
) -> Result<bool, String> {
    let got = run_oracle(dir, src, args);
    let show = || {
        format!(
            "source {:?} args {args:?}: reference said {:?}",
            String::from_utf8_lossy(src),
            got.text
        )
    };
    match verdict(src, config) {
        Verdict::Unknown => Ok(false),
        Verdict::Error(want) => {
            if got.text == want && !got.ok {
                Ok(false)
            } else {
                Err(format!("{}; we expected {want:?}", show()))
            }
        }
        Verdict::Ok(kind, value) => {
            let Some(mpy) = got.mpy.filter(|_| got.ok) else {
                return Err(format!("{}; we expected success", show()));
            };
            // str values of up to 10 bytes are qstrs written inline; longer ones (and all
            // bytes) are constant objects. Skip values the pool or the file already holds.
            if kind == TokenKind::End
                || mpcore::qstr::builtin(&value).is_some()
                || value == b"t.py"
                || value == b"x"
            {
                return Ok(false);
            }
            let blob = match kind {
                TokenKind::String if value.len() <= 10 => {
                    [varint(value.len() << 1), value.clone()].concat()
                }
                TokenKind::String => [b"s".to_vec(), varint(value.len()), value.clone()].concat(),
                _ => [b"b".to_vec(), varint(value.len()), value.clone()].concat(),
            };
            if contains(&mpy, &blob) {
                Ok(true)
            } else {
                Err(format!(
                    "{}; our value {:?} is not in the .mpy {:02x?}",
                    show(),
                    String::from_utf8_lossy(&value),
                    mpy
                ))
            }
        }
    }
}

/// The generator's seed: `$MPYC_LEXER_SEED` when set (for longer local runs), else `default`.
fn seed(default: u64) -> u64 {
    std::env::var("MPYC_LEXER_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        let r = self.next() % n;
        r == 0
    }

    fn pick<'a>(&mut self, items: &[&'a [u8]]) -> &'a [u8] {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// One random literal (sometimes two adjacent ones, sometimes in brackets).
fn random_literal(rng: &mut Rng) -> Vec<u8> {
    const PREFIXES: &[&[u8]] = &[
        b"", b"", b"", b"r", b"b", b"u", b"rb", b"br", b"R", b"B", b"f",
    ];
    const QUOTES: &[&[u8]] = &[b"'", b"\"", b"'''", b"\"\"\""];
    const BODY: &[&[u8]] = &[
        b"a",
        b"Z",
        b"\\",
        b"\\",
        b"\\",
        b"'",
        b"\"",
        b"x",
        b"u",
        b"U",
        b"0",
        b"7",
        b"3",
        b"8",
        b"f",
        b"F",
        b"1",
        b"N",
        b"\n",
        b"\t",
        b"\xc3\xa9",
        b"\xff",
        b" ",
        b"{",
        b"n",
        b"\\\n",
        b"\r\n",
        b"\r",
    ];
    let one = |rng: &mut Rng| {
        let q = rng.pick(QUOTES);
        let mut lit = rng.pick(PREFIXES).to_vec();
        lit.extend_from_slice(q);
        for _ in 0..rng.next() % 9 {
            lit.extend_from_slice(rng.pick(BODY));
        }
        if !rng.one_in(8) {
            lit.extend_from_slice(q);
        }
        lit
    };
    let mut lit = one(rng);
    if rng.one_in(3) {
        lit.extend_from_slice(rng.pick(&[b" ", b"\\\n", b"  # c\n "]));
        lit.extend(one(rng));
    }
    if rng.one_in(4) {
        lit = [b"(".as_slice(), &lit, b"\n)"].concat();
    }
    lit
}

#[test]
fn random_literals_match_the_reference() {
    let dir = scratch("random");
    let count: usize = std::env::var("MPYC_LEXER_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let mut rng = Rng(seed(0x5eed_1e7e));
    let mut failures = Vec::new();
    let mut checked_values = 0;
    for i in 0..count {
        let lit = random_literal(&mut rng);
        let src = [b"x = ".as_slice(), &lit, b"\n"].concat();
        let (args, config): (&[&str], _) = if i % 3 == 2 {
            (
                &["-mno-unicode"],
                LexerConfig {
                    unicode: false,
                    ..LexerConfig::default()
                },
            )
        } else {
            (&[], LexerConfig::default())
        };
        match check_assignment(&dir, &src, args, config) {
            Ok(true) => checked_values += 1,
            Ok(false) => {}
            Err(e) => failures.push(e),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{count} literals, {checked_values} values found in the reference's output");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked_values * 4 > count,
        "too few values checked: {checked_values}"
    );
}

/// The reference's verdict on a program of `NAME` statements and `if NAME:` blocks, from our
/// tokens (a tiny parser of that grammar): `None` when it parses, else the error text.
fn block_verdict(src: &[u8]) -> Option<String> {
    use TokenKind::*;
    let mut lx = match Lexer::new(src) {
        Ok(lx) => lx,
        Err(e) => return Some(e.render()),
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Want {
        StmtOrNewline,
        Newline,
        IfName,
        IfColon,
        IfBody,
        Indent,
        Stmt,
        /// Inside `( NAME )`: the name, then `)`, then the state after the atom.
        ParenName(&'static Want),
        ParenClose(&'static Want),
    }
    let mut want = Want::StmtOrNewline;
    let mut depth = 0usize;
    loop {
        let k = lx.kind();
        let next = match want {
            Want::StmtOrNewline | Want::Stmt if k == Name || k == String => Some(Want::Newline),
            Want::Newline if k == DelSemicolon => Some(Want::Newline),
            // A call: `x (x)`, e.g. after a backslash continuation.
            Want::Newline if k == DelParenOpen => Some(Want::ParenName(&Want::Newline)),
            Want::StmtOrNewline | Want::Stmt if k == DelParenOpen => {
                Some(Want::ParenName(&Want::Newline))
            }
            Want::IfName if k == DelParenOpen => Some(Want::ParenName(&Want::IfColon)),
            Want::ParenName(after) if k == Name => Some(Want::ParenClose(after)),
            Want::ParenClose(after) if k == DelParenClose => Some(*after),
            Want::StmtOrNewline | Want::Stmt if k == KwIf => Some(Want::IfName),
            Want::StmtOrNewline if k == Newline && depth == 0 => Some(Want::StmtOrNewline),
            Want::StmtOrNewline if k == Dedent && depth > 0 => {
                depth -= 1;
                Some(Want::StmtOrNewline)
            }
            Want::StmtOrNewline if k == End && depth == 0 => return None,
            Want::Newline if k == Newline => Some(Want::StmtOrNewline),
            Want::IfName if k == Name => Some(Want::IfColon),
            Want::IfColon if k == DelColon => Some(Want::IfBody),
            Want::IfBody if k == Name => Some(Want::Newline),
            Want::IfBody if k == Newline => Some(Want::Indent),
            Want::Indent if k == Indent => {
                depth += 1;
                Some(Want::Stmt)
            }
            _ => None,
        };
        match next {
            Some(n) => want = n,
            None => {
                let line = lx.line();
                return Some(match k {
                    Indent => syntax_error(line, "IndentationError", "unexpected indent"),
                    DedentMismatch => syntax_error(
                        line,
                        "IndentationError",
                        "unindent doesn't match any outer indent level",
                    ),
                    _ => syntax_error(line, "SyntaxError", "invalid syntax"),
                });
            }
        }
        if let Err(e) = lx.advance() {
            return Some(e.render());
        }
    }
}

/// A random program of names and `if` blocks: mostly consistent indentation (spaces, tabs,
/// form feeds, mixed), sometimes random, with blank lines, comments, continuations, brackets
/// and all line endings.
fn random_blocks(rng: &mut Rng) -> Vec<u8> {
    const UNIT: &[&[u8]] = &[
        b" ", b"  ", b"    ", b"\t", b" \t", b"\x0c ", b"\x0b", b"\t\t",
    ];
    const INDENT: &[&[u8]] = &[
        b"",
        b" ",
        b"  ",
        b"    ",
        b"\t",
        b" \t",
        b"\t ",
        b"\x0c",
        b"\x0b",
        b"        ",
        b"       ",
    ];
    const LINE: &[&[u8]] = &[
        b"x",
        b"x",
        b"yy",
        b"if x: y",
        b"# c",
        b"",
        b"x # c\t",
        b"x \\",
        b"\\",
        b"z\t",
        b"if x :",
        b"\xc3\xa9",
        b"(\n x)",
        b"x;",
        b"'a'",
        b"if (x):",
        b"'''a\n\n'''",
        b"x  \\\n  ",
    ];
    const EOL: &[&[u8]] = &[b"\n", b"\n", b"\n", b"\r\n", b"\r"];
    let unit = rng.pick(UNIT);
    let mut depth = 0;
    let mut src = Vec::new();
    for _ in 0..1 + rng.next() % 10 {
        if rng.one_in(6) {
            for _ in 0..rng.next() % 3 {
                src.extend_from_slice(rng.pick(INDENT));
            }
        } else {
            for _ in 0..depth {
                src.extend_from_slice(unit);
            }
        }
        if rng.one_in(3) {
            src.extend_from_slice(b"if x:");
            depth += 1;
        } else {
            src.extend_from_slice(rng.pick(LINE));
            if depth > 0 && rng.one_in(3) {
                depth -= 1 + rng.next() as usize % depth;
            }
        }
        src.extend_from_slice(rng.pick(EOL));
    }
    if rng.one_in(5) {
        src.pop();
    }
    src
}

#[test]
fn random_indentation_matches_the_reference() {
    let dir = scratch("blocks");
    let count: usize = std::env::var("MPYC_LEXER_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let mut rng = Rng(seed(0xb10c_5eed));
    let mut failures = Vec::new();
    let mut compiled = 0;
    for _ in 0..count {
        let src = random_blocks(&mut rng);
        let got = run_oracle(&dir, &src, &[]);
        match block_verdict(&src) {
            None if got.ok => compiled += 1,
            Some(want) if !got.ok && got.text == want => {}
            want => failures.push(format!(
                "source {:?}: reference said {:?} (ok {}); we expected {want:?}",
                String::from_utf8_lossy(&src),
                got.text,
                got.ok
            )),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{count} programs, {compiled} compiled");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        compiled * 10 > count,
        "too few programs compiled: {compiled}"
    );
}

/// Lexer-made errors as the reference prints them (texts obtained from mpy-cross 1.11), with
/// the token our lexer produces where the parser stops: (source, reference flags, expected
/// output, our token kind and line there; `None` for exceptions the lexer raises itself).
type Pinned = (
    &'static [u8],
    &'static [&'static str],
    &'static str,
    Option<(TokenKind, u32)>,
);

const PINNED: &[Pinned] = &[
    (
        b"x = '\\N{DASH}'\n",
        &[],
        "NotImplementedError: unicode name escapes\n",
        None,
    ),
    (
        b"  x = 1\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nIndentationError: unexpected indent\n",
        Some((TokenKind::Indent, 1)),
    ),
    (
        b"\n\n  x\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nIndentationError: unexpected indent\n",
        Some((TokenKind::Indent, 3)),
    ),
    (
        b"x = 1\n  # c\n\ty\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nIndentationError: unexpected indent\n",
        Some((TokenKind::Indent, 3)),
    ),
    (
        b"if x:\n    y\n  z\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nIndentationError: unindent doesn't match any outer indent level\n",
        Some((TokenKind::DedentMismatch, 3)),
    ),
    (
        b"if x:\r    y\r  z\r",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nIndentationError: unindent doesn't match any outer indent level\n",
        Some((TokenKind::DedentMismatch, 3)),
    ),
    (
        b"if x:\r\n    y\r\n  z\r\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nIndentationError: unindent doesn't match any outer indent level\n",
        Some((TokenKind::DedentMismatch, 3)),
    ),
    (
        b"if x:\n\ty\n       z\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nIndentationError: unindent doesn't match any outer indent level\n",
        Some((TokenKind::DedentMismatch, 3)),
    ),
    (
        b"x = 'abc\ny = 2\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::LonelyStringOpen, 1)),
    ),
    (
        b"x = 1\ny = '''abc\n\nz\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 2\nSyntaxError: invalid syntax\n",
        Some((TokenKind::LonelyStringOpen, 2)),
    ),
    (
        b"x = '\\x4z'\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 1)),
    ),
    (
        b"x = '\\U00110000'\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 1)),
    ),
    (
        b"x = '\\u0100'\n",
        &["-mno-unicode"],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 1)),
    ),
    (
        b"x = b'\\777'\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 1)),
    ),
    (
        b"x = 'a' b'b'\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Bytes, 1)),
    ),
    (
        b"x = f'a'\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::String, 1)),
    ),
    (
        b"x = 1 ! 2\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 1)),
    ),
    (
        b"x = 1 $ 2\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 1)),
    ),
    (
        b"x = 1\x00\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 1\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 1)),
    ),
    (
        b"x = 1 \\",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 2\nSyntaxError: invalid syntax\n",
        Some((TokenKind::End, 2)),
    ),
    (
        b"x = \"\"\"a\r\n\r\nb\"\"\" + $\n",
        &[],
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nSyntaxError: invalid syntax\n",
        Some((TokenKind::Invalid, 3)),
    ),
];

#[test]
fn pinned_errors_match_the_reference() {
    let dir = scratch("pinned");
    for &(src, args, want, token) in PINNED {
        let got = run_oracle(&dir, src, args);
        assert_eq!(
            got.text,
            want,
            "reference on {:?}",
            String::from_utf8_lossy(src)
        );
        assert!(!got.ok);
        let config = LexerConfig {
            unicode: !args.contains(&"-mno-unicode"),
            ..LexerConfig::default()
        };
        // Walk our tokens to the expected one (on its line), or to the lexer's exception.
        let mut found = None;
        match Lexer::with_config(src, config) {
            Err(e) => found = Some(Err(e.render())),
            Ok(mut lx) => loop {
                if Some((lx.kind(), lx.line())) == token {
                    found = Some(Ok((lx.kind(), lx.line())));
                    break;
                }
                if lx.kind() == TokenKind::End {
                    break;
                }
                if let Err(e) = lx.advance() {
                    found = Some(Err(e.render()));
                    break;
                }
            },
        }
        match token {
            Some(tok) => assert_eq!(found, Some(Ok(tok)), "{:?}", String::from_utf8_lossy(src)),
            None => assert_eq!(
                found,
                Some(Err(want.to_string())),
                "{:?}",
                String::from_utf8_lossy(src)
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Indentation is stored as 16-bit numbers: 65537 columns read as 1, so the same indentation
/// again opens another level.
#[test]
fn indentation_wraps_at_16_bits_like_the_reference() {
    let dir = scratch("u16");
    let sp = vec![b' '; 65537];
    let src = [b"if x:\n".as_slice(), &sp, b"x\n", &sp, b"x\n"].concat();
    let got = run_oracle(&dir, &src, &[]);
    assert_eq!(
        got.text,
        "Traceback (most recent call last):\n  File \"t.py\", line 3\nIndentationError: unexpected indent\n"
    );
    assert_eq!(block_verdict(&src), Some(got.text));
    let sp = vec![b' '; 65535];
    let src = [b"if x:\n".as_slice(), &sp, b"x\n", &sp, b"x\n"].concat();
    let got = run_oracle(&dir, &src, &[]);
    assert!(got.ok, "{}", got.text);
    assert_eq!(block_verdict(&src), None);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A byte order mark is not skipped: it becomes part of the first name, which the reference
/// stores in the `.mpy` (`08 ef bb bf 78`: the 4-byte qstr "\xef\xbb\xbfx").
#[test]
fn bom_is_part_of_the_name_in_the_reference() {
    let dir = scratch("bom");
    let src = b"\xef\xbb\xbfx = 1\n";
    let got = run_oracle(&dir, src, &[]);
    assert!(got.ok, "{}", got.text);
    assert!(contains(&got.mpy.unwrap_or_default(), b"\x08\xef\xbb\xbfx"));
    let lx = Lexer::new(src).unwrap();
    assert_eq!(
        (lx.kind(), lx.value()),
        (TokenKind::Name, &b"\xef\xbb\xbfx"[..])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
