//! Unit tests of the lexer: token kinds, values, lines and columns per construct.

use syntax::lexer::{Lexer, LexerConfig};
use syntax::TokenKind::{self, *};

/// Every token up to and including END: (kind, line, column, value).
fn toks_with(src: &[u8], config: LexerConfig) -> Vec<(TokenKind, u32, u32, Vec<u8>)> {
    let mut lx = Lexer::with_config(src, config).expect("lexer error");
    let mut out = Vec::new();
    loop {
        out.push((lx.kind(), lx.line(), lx.column(), lx.value().to_vec()));
        if lx.kind() == End {
            return out;
        }
        assert!(out.len() < 100_000, "lexer does not reach END");
        lx.advance().expect("lexer error");
    }
}

fn toks(src: &[u8]) -> Vec<(TokenKind, u32, u32, Vec<u8>)> {
    toks_with(src, LexerConfig::default())
}

fn kinds(src: &[u8]) -> Vec<TokenKind> {
    toks(src).into_iter().map(|t| t.0).collect()
}

#[test]
fn simple_assignment() {
    assert_eq!(
        toks(b"x = 1\n"),
        vec![
            (Name, 1, 1, b"x".to_vec()),
            (DelEqual, 1, 3, vec![]),
            (Integer, 1, 5, b"1".to_vec()),
            (Newline, 2, 1, vec![]),
            (End, 2, 1, vec![]),
        ]
    );
}

#[test]
fn indentation_with_tabs() {
    assert_eq!(
        kinds(b"if x:\n\ty\n"),
        vec![KwIf, Name, DelColon, Newline, Indent, Name, Newline, Dedent, End]
    );
}
