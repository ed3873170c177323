//! Up to 1.27 the lexer reads injected f-string text through a signed `char`, so its bytes
//! of 0x80 or more widen. A 0xFF widens to the end-of-input mark (read as a LF unless a LF
//! comes before it); an f-string argument read inside that text stops at the mark, and the
//! f-string takes the mark itself as a byte of its text and reads on: the rest of the
//! injected text, the arguments appended behind it, then the source. Any other such byte
//! after a backslash in a string or bytes literal widens beyond every character, which makes
//! the literal INVALID. The tokens expected here are those of mpy-cross 1.27's lexer (traced
//! token by token: kind, line, column, value), which 1.24 to 1.26 share; mpy-cross compiles
//! or rejects the sources as `mpyc` does (`tests/corpus/releases/fstring_ff_mark_taken_as_text_*.py`,
//! `fstring_escaped_high_byte_*.py`).

use mpcore::Release;
use syntax::lexer::{Lexer, LexerConfig};
use syntax::TokenKind;

type Token = (TokenKind, u32, u32, Vec<u8>);

/// Every token's kind, line, column and value under `release`.
fn tokens(release: Release, src: &[u8]) -> Vec<Token> {
    let config = LexerConfig {
        release,
        ..LexerConfig::default()
    };
    let mut lx = Lexer::with_config(src, config).expect("lexes");
    let mut out = Vec::new();
    loop {
        out.push((lx.kind(), lx.line(), lx.column(), lx.value().to_vec()));
        if lx.kind() == TokenKind::End {
            return out;
        }
        lx.advance().expect("lexes");
    }
}

#[test]
fn an_fstring_reads_on_past_the_mark_that_ends_its_argument() {
    use TokenKind::*;
    // The inner f-string's arguments `a\n` and `c\n` each stop at a mark; each mark is taken
    // as text (0xFF), then `}b`, `}d` and the closing quotes; the arguments `(a\n),(c\n),`
    // appended behind the injected call follow it, as a call and a tuple.
    let src = b"x = f'''{f\"\"\"{a\n\xff}b{c\n\xff}d\"\"\"}'''\ny = 2\n";
    let t = |kind, line, column, value: &[u8]| (kind, line, column, value.to_vec());
    let expected = vec![
        t(Name, 1, 1, b"x"),
        t(DelEqual, 1, 3, b""),
        t(String, 1, 5, b"{}"),
        t(DelPeriod, 3, 11, b""),
        t(Name, 3, 12, b"format"),
        t(DelParenOpen, 3, 18, b""),
        t(DelParenOpen, 3, 19, b""),
        t(String, 3, 20, b"{\xff}b{\xff}d"),
        t(DelParenClose, 5, 7, b""),
        t(DelComma, 5, 8, b""),
        t(DelParenClose, 5, 9, b""),
        t(DelParenOpen, 5, 10, b""),
        t(Name, 5, 11, b"a"),
        t(DelParenClose, 6, 1, b""),
        t(DelComma, 6, 2, b""),
        t(DelParenOpen, 6, 3, b""),
        t(Name, 6, 4, b"c"),
        t(DelParenClose, 7, 1, b""),
        t(DelComma, 7, 2, b""),
        t(Newline, 7, 3, b""),
        t(Name, 8, 1, b"y"),
        t(DelEqual, 8, 3, b""),
        t(Integer, 8, 5, b"2"),
        t(Newline, 8, 6, b""),
        t(End, 9, 1, b""),
    ];
    for release in [
        Release::V1_24,
        Release::V1_25,
        Release::V1_26,
        Release::V1_27,
    ] {
        assert_eq!(tokens(release, src), expected, "{release:?}");
    }
}

#[test]
fn a_mark_after_the_last_argument_is_the_end_of_the_input() {
    use TokenKind::*;
    // No f-string reads the mark: the tokens stop there, the appended `(a),` unread.
    let src = b"x = f'''{f\"{a}\"\n\xff}'''\ny = 2\n";
    let kinds: Vec<(TokenKind, u32)> = tokens(Release::V1_27, src)
        .into_iter()
        .map(|(kind, line, ..)| (kind, line))
        .collect();
    assert_eq!(
        kinds,
        [
            (Name, 1),
            (DelEqual, 1),
            (String, 1),
            (DelPeriod, 2),
            (Name, 2),
            (DelParenOpen, 2),
            (DelParenOpen, 2),
            (String, 2),
            (End, 3)
        ]
    );
}

#[test]
fn an_escaped_high_byte_of_injected_text_is_invalid() {
    use TokenKind::*;
    let last = |release, src: &[u8]| tokens(release, src).into_iter().nth(7);
    // `f"{'\\\xc3\xa9'}"`: the escape's 0xC3 widens; the 0xA9 after it is kept.
    let src = b"x = f\"{'\\\xc3\xa9'}\"\ny = 2\n";
    assert_eq!(
        last(Release::V1_27, src),
        Some((Invalid, 1, 24, b"\\\xa9".to_vec()))
    );
    assert_eq!(
        last(Release::V1_22, src),
        Some((Invalid, 1, 24, b"\\\xa9".to_vec()))
    );
    // 1.28 reads bytes, so the escape is U+00C3 (as it is outside injected text).
    assert_eq!(
        last(Release::V1_28, src),
        Some((String, 1, 24, b"\\\xc3\x83\xa9".to_vec()))
    );
    // Raw literals and bytes literals alike.
    let raw = b"x = f\"{r'\\\xc3\xa9'}\"\ny = 2\n";
    assert_eq!(
        last(Release::V1_27, raw),
        Some((Invalid, 1, 25, b"\\\xa9".to_vec()))
    );
    let bytes = b"x = f\"{b'\\\xc3'}\"\ny = 2\n";
    assert_eq!(
        last(Release::V1_27, bytes),
        Some((Invalid, 1, 24, b"\\".to_vec()))
    );
}
