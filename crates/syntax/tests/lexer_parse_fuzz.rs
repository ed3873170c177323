//! Random token soups through our lexer and parser, judged by the reference mpy-cross 1.11:
//! where it compiles the file (or fails only in its compiler) we must parse it; where it fails
//! while lexing or parsing, our error text must be byte for byte the same.
//!
//! The sources mix every literal form, operators, brackets, line joins, comments and odd
//! bytes, so this checks the lexer's tokens as the parser consumes them (the parts of the
//! lexer the reference's output shows: kinds, values, lines).

use std::path::Path;
use std::process::Command;

use mpcore::QstrPool;
use syntax::{parse, ParseOptions};
use testkit::oracle;

/// Exit status and stderr of the reference compiling `src` as `t.py` in `dir`.
fn run_oracle(dir: &Path, src: &[u8], args: &[&str]) -> (bool, String) {
    std::fs::write(dir.join("t.py"), src).expect("write source");
    let out = Command::new(oracle())
        .args(args)
        .args(["-o", "t.mpy", "t.py"])
        .current_dir(dir)
        .output()
        .expect("run the reference mpy-cross");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a [u8]]) -> &'a [u8] {
        items[self.below(items.len())]
    }
}

/// Atoms the reference accepts.
const ATOMS: &[&[u8]] = &[
    b"x",
    b"y1",
    b"_z",
    b"\xc3\xa9t\xc3\xa9",
    b"\xff",
    b"None",
    b"True",
    b"__debug__",
    b"0",
    b"7",
    b"123456789012345678901234567890",
    b"0x1F",
    b"0XfF",
    b"0o17",
    b"0b101",
    b"0B1",
    b"1_000",
    b"0x_1",
    b"1e5",
    b"1E-5",
    b"1.5",
    b".5",
    b"5.",
    b"2j",
    b"1.5e3J",
    b"00",
    b"'a'",
    b"\"b\"",
    b"''",
    b"'''t\nq'''",
    b"r'\\d'",
    b"b'\\x00'",
    b"rb'\\x'",
    b"br\"\\\"\"",
    b"u'\\u00e9'",
    b"'\\U0001F600'",
    b"'\\777'",
    b"'\\q'",
    b"'a' 'b'",
    b"b'a' b'b'",
    b"'\\\n'",
    b"...",
    b"[]",
    b"{}",
    b"()",
    b"'a'\\\n'b'",
    b"\"\"\"\\\r\n\"\"\"",
];

/// Atoms the reference rejects somewhere (lexer, number parser, parser).
const BAD_ATOMS: &[&[u8]] = &[
    b"0777",
    b"1if",
    b"0x",
    b"1__0",
    b"1e",
    b"1..2",
    b"0b2",
    b"b'\\777'",
    b"'\\x4'",
    b"'\\xzz'",
    b"f'x'",
    b"R'x'",
    b"'a' b'b'",
    b"'unterminated",
    b"'\\u0100'",
    b"1.5.x",
    b"0o8",
    b"09",
];

/// Operators the reference accepts.
const OPS: &[&[u8]] = &[
    b"+",
    b"-",
    b"*",
    b"**",
    b"/",
    b"//",
    b"%",
    b"<<",
    b">>",
    b"&",
    b"|",
    b"^",
    b"<",
    b">",
    b"<=",
    b">=",
    b"==",
    b"!=",
    b" and ",
    b" or ",
    b" if 1 else ",
    b" is ",
    b" in ",
    b" not in ",
];

/// Operators and characters the reference rejects.
const BAD_OPS: &[&[u8]] = &[b"@", b"<>", b"!", b"$", b"..", b"?", b"\x00", b"`"];

/// Between tokens anywhere.
const GLUE: &[&[u8]] = &[b" ", b" ", b"", b"\t", b" \\\n", b"\x0c", b" \\\r\n  "];

/// Between tokens inside brackets.
const BRACKET_GLUE: &[&[u8]] = &[b" ", b"\n", b"  # c\n", b"\r\n\t", b"\n\n  "];

/// An expression: atoms joined by operators, sometimes in brackets or called.
fn expr(rng: &mut Rng, depth: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..1 + rng.below(4) {
        if i > 0 {
            let glue = if depth > 0 && rng.below(2) == 0 {
                BRACKET_GLUE
            } else {
                GLUE
            };
            out.extend_from_slice(rng.pick(glue));
            let ops = if rng.below(20) == 0 { BAD_OPS } else { OPS };
            out.extend_from_slice(rng.pick(ops));
            out.extend_from_slice(rng.pick(GLUE));
        }
        if rng.below(5) == 0 {
            out.extend_from_slice(rng.pick(&[b"-", b"~", b"+"]));
        }
        if depth < 3 && rng.below(5) == 0 {
            let (open, close) = [(b'(', b')'), (b'[', b']'), (b'{', b'}')][rng.below(3)];
            out.push(open);
            out.extend_from_slice(rng.pick(&[b"", b"\n", b"\n  "]));
            out.extend(expr(rng, depth + 1));
            out.extend_from_slice(rng.pick(&[b"", b",", b"\n", b", 1"]));
            out.push(close);
        } else {
            let atoms = if rng.below(20) == 0 { BAD_ATOMS } else { ATOMS };
            out.extend_from_slice(rng.pick(atoms));
        }
        if rng.below(8) == 0 {
            // A trailer; after a number ".real" runs into the number's text, as in the reference.
            let trailers: &[&[u8]] = if rng.below(10) == 0 {
                &[b".__debug__", b".real", b"..x"]
            } else {
                &[b" .real", b"(1)", b"[0]", b"(x, *y)"]
            };
            out.extend_from_slice(rng.pick(trailers));
        }
    }
    out
}

/// A program of assignments and expression statements, some inside `if` blocks.
fn program(rng: &mut Rng) -> Vec<u8> {
    let mut src = Vec::new();
    let mut indent = 0;
    for _ in 0..1 + rng.below(5) {
        src.extend_from_slice(&b"    ".repeat(indent));
        match rng.below(6) {
            0 => {
                src.extend_from_slice(b"if ");
                src.extend(expr(rng, 0));
                src.extend_from_slice(b":");
                indent += 1;
            }
            1 => {
                src.extend_from_slice(b"x ");
                src.extend_from_slice(
                    rng.pick(&[b"+=", b"-=", b"**=", b"//=", b">>=", b"|=", b"%="]),
                );
                src.push(b' ');
                src.extend(expr(rng, 0));
            }
            2 => src.extend(expr(rng, 0)),
            _ => {
                src.extend_from_slice(b"x = ");
                src.extend(expr(rng, 0));
            }
        }
        if indent > 0 && rng.below(3) == 0 {
            indent -= 1;
        }
        src.extend_from_slice(rng.pick(&[b"\n", b"\n", b"\r\n", b"\r", b";\n", b"  # end\n"]));
    }
    if indent > 0 {
        src.extend_from_slice(&b"    ".repeat(indent));
        src.extend_from_slice(b"pass\n");
    }
    src
}

#[test]
fn random_programs_parse_like_the_reference() {
    let dir = std::env::temp_dir().join(format!("mpyc-lexer-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let count: usize = std::env::var("MPYC_LEXER_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let mut rng = Rng(seed(0x0dd5_0a15));
    let mut failures = Vec::new();
    let (mut parsed, mut errors) = (0, 0);
    let mut reasons = std::collections::BTreeMap::new();
    for i in 0..count {
        let src = program(&mut rng);
        let unicode = i % 4 != 3;
        let args: &[&str] = if unicode { &[] } else { &["-mno-unicode"] };
        let (ok, stderr) = run_oracle(&dir, &src, args);
        if stderr.starts_with("MemoryError") {
            continue;
        }
        let opts = ParseOptions {
            unicode,
            release: mpcore::Release::V1_11,
            ..ParseOptions::default()
        };
        let mut pool = QstrPool::new();
        pool.intern(b"t.py");
        let ours = parse(&src, &mut pool, &opts);
        let compile_error = stderr
            .lines()
            .any(|l| l.starts_with("  File ") && l.contains(", in "));
        let show = String::from_utf8_lossy(&src);
        match ours {
            Ok(_) if ok || compile_error => parsed += 1,
            Ok(_) => failures.push(format!(
                "{show:?}: reference fails ({stderr:?}), we parse it"
            )),
            Err(e) if ok || compile_error => failures.push(format!(
                "{show:?}: reference parses it, we fail: {:?}",
                e.render()
            )),
            Err(mut e) => {
                if let Some(loc) = e.location.as_mut() {
                    loc.file = b"t.py".to_vec();
                }
                if e.render() == stderr {
                    errors += 1;
                    let last = stderr.lines().last().unwrap_or("").to_string();
                    *reasons.entry(last).or_insert(0) += 1;
                } else {
                    failures.push(format!(
                        "{show:?}: error differs\n  reference: {stderr:?}\n  ours:      {:?}",
                        e.render()
                    ));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{count} programs: {parsed} parsed by both, {errors} identical errors");
    for (text, n) in &reasons {
        println!("{n:6} {text:?}");
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(parsed * 5 > count, "too few programs parse: {parsed}");
}
