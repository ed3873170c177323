//! MicroPython 1.29's f-string and t-string rewrites, checked two ways: mpy-cross 1.29
//! compiles each literal and its expected rewrite (`'a{}b'.format((x),)`,
//! `__template__(('a','b',),(x),'x',None,'',)`) to the same bytes, and our 1.29 lexer gives
//! the same tokens (kind and value) for both.

mod oracle129;

use std::process::Command;

use mpcore::Release;
use syntax::lexer::{Lexer, LexerConfig};
use syntax::TokenKind;

const CASES: &[(&str, &str)] = &[
    ("y = f'a{x}b'\n", "y = 'a{}b'.format((x),)\n"),
    (
        "y = f\"{x!r:>4}|{x}\"\n",
        "y = \"{!r:>4}|{}\".format((x),(x),)\n",
    ),
    ("y = f'{x=}'\n", "y = 'x={}'.format((x),)\n"),
    ("y = f'{x=!r:5}'\n", "y = 'x={!r:5}'.format((x),)\n"),
    ("y = f'{{{x}}}'\n", "y = '{{{}}}'.format((x),)\n"),
    (
        "y = f'{x}' 'a{' f'{x,x}'\n",
        "y = '{}a{{}'.format((x),(x,x),)\n",
    ),
    ("y = f'{x}'.upper()\n", "y = '{}'.format((x),).upper()\n"),
    ("y = f'{x[1:2]}'\n", "y = '{}'.format((x[1:2]),)\n"),
    ("y = f'{x!=x}'\n", "y = '{}'.format((x!=x),)\n"),
    ("y = rf'\\n{x}'\n", "y = r'\\n{}'.format((x),)\n"),
    ("y = f'\\x41{x}'\n", "y = '\\x41{}'.format((x),)\n"),
    ("y = f'{f\"{x}\"}'\n", "y = '{}'.format((f\"{x}\"),)\n"),
    (
        "y = t'a{x}b'\n",
        "y = __template__(('a','b',),(x),'x',None,'',)\n",
    ),
    (
        "y = t'{x!r:>4}'\n",
        "y = __template__(('','',),(x),'x','r','>4',)\n",
    ),
    (
        "y = t'{x=}'\n",
        "y = __template__(('x=','',),(x),'x','r','',)\n",
    ),
    (
        "y = t'{x:{x}}'\n",
        "y = __template__(('','',),(x),'x',None,f'{x}',)\n",
    ),
    (
        "y = t'{{a}}{x}'\n",
        "y = __template__(('{a}','',),(x),'x',None,'',)\n",
    ),
    ("y = t'a\\tb'\n", "y = __template__(('a\\tb',),)\n"),
];

/// Every token's kind and value (positions differ between a literal and its rewrite).
fn tokens(src: &str) -> Vec<(TokenKind, Vec<u8>)> {
    let config = LexerConfig {
        release: Release::V1_29,
        ..LexerConfig::default()
    };
    let mut lx = Lexer::with_config(src.as_bytes(), config).expect("lexes");
    let mut out = Vec::new();
    loop {
        out.push((lx.kind(), lx.value().to_vec()));
        if lx.kind() == TokenKind::End {
            return out;
        }
        lx.advance().expect("lexes");
    }
}

/// mpy-cross 1.29's output for `src`, compiled from one fixed path.
fn reference_bytes(dir: &std::path::Path, src: &str) -> Vec<u8> {
    let path = dir.join("m.py");
    let out = dir.join("m.mpy");
    std::fs::write(&path, format!("x = 1\n{src}")).expect("write the case");
    let status = Command::new(oracle129::oracle_129())
        .arg("-o")
        .arg(&out)
        .arg(&path)
        .status()
        .expect("run mpy-cross 1.29");
    assert!(status.success(), "mpy-cross 1.29 rejects {src:?}");
    std::fs::read(&out).expect("read the output")
}

#[test]
fn rewrites_match_mpy_cross_1_29_and_our_lexer() {
    let dir = testkit::workspace_root().join(format!(
        "target/oracle-cache/rewrite-1.29-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("make a scratch dir");
    for (literal, rewrite) in CASES {
        assert_eq!(
            reference_bytes(&dir, literal),
            reference_bytes(&dir, rewrite),
            "mpy-cross 1.29 does not compile {literal:?} as {rewrite:?}"
        );
        assert_eq!(
            tokens(literal),
            tokens(rewrite),
            "{literal:?} vs {rewrite:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every token's kind and line under `release`.
fn token_lines(release: Release, src: &str) -> Vec<(TokenKind, u32)> {
    let config = LexerConfig {
        release,
        ..LexerConfig::default()
    };
    let mut lx = Lexer::with_config(src.as_bytes(), config).expect("lexes");
    let mut out = Vec::new();
    loop {
        out.push((lx.kind(), lx.line()));
        if lx.kind() == TokenKind::End {
            return out;
        }
        lx.advance().expect("lexes");
    }
}

/// An f-string whose `.format(...)` is injected at the very end of the input (LFs inside
/// brackets, comments or a `\` skipped up to it) is followed by one more LF from 1.28 on,
/// none up to 1.27 (mpy-cross 1.29 reports `x = (f"{a}"` at line 3, 1.27 at line 2; a
/// `\` after a last f-string compiles from 1.28 on).
#[test]
fn an_fstring_call_at_the_end_of_input_gains_a_newline_from_1_28() {
    use TokenKind::*;
    let open = "x = (f\"{a}\"\n";
    let body = [
        (Name, 1),
        (DelEqual, 1),
        (DelParenOpen, 1),
        (String, 1),
        (DelPeriod, 2),
        (Name, 2),
        (DelParenOpen, 2),
        (DelParenOpen, 2),
        (Name, 2),
        (DelParenClose, 2),
        (DelComma, 2),
        (DelParenClose, 2),
    ];
    let mut new = body.to_vec();
    new.push((End, 3));
    let mut old = body.to_vec();
    old.push((End, 2));
    assert_eq!(token_lines(Release::V1_29, open), new);
    assert_eq!(token_lines(Release::V1_28, open), new);
    assert_eq!(token_lines(Release::V1_27, open), old);
    assert_eq!(token_lines(Release::V1_22, open), old);

    let continued = "x = f\"{a}\" \\\n";
    let last = |release| {
        let toks = token_lines(release, continued);
        toks[toks.len() - 2..].to_vec()
    };
    assert_eq!(last(Release::V1_29), [(Newline, 2), (End, 3)]);
    assert_eq!(last(Release::V1_28), [(Newline, 2), (End, 3)]);
    assert_eq!(last(Release::V1_27), [(DelParenClose, 2), (End, 2)]);
}
