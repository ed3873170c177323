//! Helpers shared by the lexer's unit-test files: every token of a source, and the single token
//! of a literal.
#![allow(dead_code)]

use syntax::lexer::{Lexer, LexerConfig};
use syntax::TokenKind::{self, *};

pub type Tok = (TokenKind, u32, u32, Vec<u8>);

/// Every token up to and including END: (kind, line, column, value).
pub fn toks_with(src: &[u8], config: LexerConfig) -> Vec<Tok> {
    let mut lx = Lexer::with_config(src, config).expect("lexer error");
    let mut out = Vec::new();
    loop {
        out.push((lx.kind(), lx.line(), lx.column(), lx.value().to_vec()));
        if lx.kind() == End {
            return out;
        }
        assert!(out.len() < 1_000_000, "lexer does not reach END");
        lx.advance().expect("lexer error");
    }
}

pub fn toks(src: &[u8]) -> Vec<Tok> {
    toks_with(src, LexerConfig::default())
}

pub fn kinds(src: &[u8]) -> Vec<TokenKind> {
    toks(src).into_iter().map(|t| t.0).collect()
}

pub fn t(kind: TokenKind, line: u32, column: u32, value: &[u8]) -> Tok {
    (kind, line, column, value.to_vec())
}

/// The single token of `x = <literal>` after the `=`: kind and value.
pub fn literal_with(lit: &[u8], config: LexerConfig) -> (TokenKind, Vec<u8>) {
    let src = [b"x = ".as_slice(), lit, b"\n"].concat();
    let all = toks_with(&src, config);
    (all[2].0, all[2].3.clone())
}

pub fn literal(lit: &[u8]) -> (TokenKind, Vec<u8>) {
    literal_with(lit, LexerConfig::default())
}

pub fn show(bytes: &[u8]) -> std::string::String {
    std::string::String::from_utf8_lossy(bytes).into_owned()
}

pub fn no_unicode() -> LexerConfig {
    LexerConfig {
        unicode: false,
        ..LexerConfig::default()
    }
}
