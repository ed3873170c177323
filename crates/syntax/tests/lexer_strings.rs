//! Unit tests of the lexer's string and bytes literals: prefixes, triple quotes, escapes (with
//! and without unicode), errors and joining, as `py/lexer.c` of MicroPython 1.11 produces them.

mod lexer_common;

use lexer_common::*;
use syntax::lexer::Lexer;
use syntax::TokenKind::{self, *};

// ----- string and bytes literals -----

#[test]
fn plain_strings() {
    assert_eq!(literal(b"'abc'"), (String, b"abc".to_vec()));
    assert_eq!(literal(b"\"abc\""), (String, b"abc".to_vec()));
    assert_eq!(literal(b"''"), (String, b"".to_vec()));
    assert_eq!(literal(b"'a\"b'"), (String, b"a\"b".to_vec()));
    assert_eq!(literal(b"\"a'b\""), (String, b"a'b".to_vec()));
    assert_eq!(
        literal(b"'\xc3\xa9\xff\t'"),
        (String, b"\xc3\xa9\xff\t".to_vec())
    );
    assert_eq!(literal(b"'a#b'"), (String, b"a#b".to_vec()));
}

#[test]
fn prefixes() {
    assert_eq!(literal(b"u'a'"), (String, b"a".to_vec()));
    assert_eq!(literal(b"r'\\a'"), (String, b"\\a".to_vec()));
    assert_eq!(literal(b"b'a'"), (Bytes, b"a".to_vec()));
    assert_eq!(literal(b"br'\\a'"), (Bytes, b"\\a".to_vec()));
    assert_eq!(literal(b"rb'\\a'"), (Bytes, b"\\a".to_vec()));
    assert_eq!(literal(b"b\"a\""), (Bytes, b"a".to_vec()));
    // Upper-case and other prefixes are names followed by a string.
    for src in [
        &b"R'a'"[..],
        b"U'a'",
        b"B'a'",
        b"f'a'",
        b"F'a'",
        b"ur'a'",
        b"Rb'a'",
        b"bR'a'",
    ] {
        let all = toks(&[b"x = ".as_slice(), src].concat());
        assert_eq!((all[2].0, all[3].0), (Name, String), "{}", show(src));
    }
    let all = toks(b"f'{x}'");
    assert_eq!(all[0], t(Name, 1, 1, b"f"));
    assert_eq!(all[1], t(String, 1, 2, b"{x}"));
    // "rb" / "br" without a quote after them are names.
    assert_eq!(toks(b"rb + br + r + u + b")[0], t(Name, 1, 1, b"rb"));
}

#[test]
fn triple_quoted_strings() {
    assert_eq!(literal(b"'''a\nb'''"), (String, b"a\nb".to_vec()));
    assert_eq!(
        literal(b"\"\"\"a'''\"b\"\"\""),
        (String, b"a'''\"b".to_vec())
    );
    assert_eq!(literal(b"''''''"), (String, b"".to_vec()));
    // The fourth quote opens a new (joined, unterminated) literal.
    assert_eq!(literal(b"'''a''''"), (LonelyStringOpen, b"a".to_vec()));
    assert_eq!(literal(b"'''a\r\nb\rc'''"), (String, b"a\nb\nc".to_vec()));
    // The token's line is where it starts; the next token is where it ended.
    let all = toks(b"x = '''a\n\nb''' + y\n");
    assert_eq!(all[2], t(String, 1, 5, b"a\n\nb"));
    assert_eq!(all[3], t(OpPlus, 3, 6, b""));
    assert_eq!(all[4], t(Name, 3, 8, b"y"));
    assert_eq!(all[5], t(Newline, 4, 1, b""));
}

#[test]
fn escapes() {
    let cases: &[(&[u8], &[u8])] = &[
        (b"'\\\\'", b"\\"),
        (b"'\\''", b"'"),
        (b"'\\\"'", b"\""),
        (b"'\\a\\b\\t\\n\\v\\f\\r'", b"\x07\x08\x09\x0a\x0b\x0c\x0d"),
        (b"'\\x41\\x4a\\x4A'", b"AJJ"),
        (b"'\\x00'", b"\x00"),
        (b"'\\xff'", b"\xc3\xbf"),
        (b"'\\u0041\\u00e9'", b"A\xc3\xa9"),
        (b"'\\u20ac'", b"\xe2\x82\xac"),
        (b"'\\ud800'", b"\xed\xa0\x80"),
        (b"'\\U0001F600'", b"\xf0\x9f\x98\x80"),
        (b"'\\U0010FFFF'", b"\xf4\x8f\xbf\xbf"),
        (b"'\\0'", b"\x00"),
        (b"'\\7'", b"\x07"),
        (b"'\\101'", b"A"),
        (b"'\\1012'", b"A2"),
        (b"'\\08'", b"\x008"),
        (b"'\\777'", "\u{1ff}".as_bytes()),
        (b"'\\400'", "\u{100}".as_bytes()),
        // Unknown escapes keep the backslash.
        (b"'\\8\\9\\q\\ \\{'", b"\\8\\9\\q\\ \\{"),
        (b"'\\\t'", b"\\\t"),
        // A backslash before a high byte: the byte is taken as a code point and UTF-8 encoded.
        (b"'\\\xc3\xa9'", b"\\\xc3\x83\xa9"),
        // Backslash-newline: nothing.
        (b"'a\\\nb'", b"ab"),
        (b"'a\\\r\nb'", b"ab"),
        (b"'''a\\\nb'''", b"ab"),
    ];
    for &(lit, want) in cases {
        assert_eq!(literal(lit), (String, want.to_vec()), "{}", show(lit));
    }
}

#[test]
fn escapes_in_bytes() {
    let cases: &[(&[u8], &[u8])] = &[
        (b"b'\\x41\\xff\\x00'", b"A\xff\x00"),
        (b"b'\\101\\377\\0'", b"A\xff\x00"),
        (b"b'\\n\\t\\\\'", b"\n\t\\"),
        // \u and \U are not escapes in bytes.
        (b"b'\\u1234'", b"\\u1234"),
        (b"b'\\U00012345'", b"\\U00012345"),
        (b"b'\\q'", b"\\q"),
        // A high byte after a backslash stays one byte.
        (b"b'\\\xc3\xa9'", b"\\\xc3\xa9"),
        (b"b'\xff'", b"\xff"),
    ];
    for &(lit, want) in cases {
        assert_eq!(literal(lit), (Bytes, want.to_vec()), "{}", show(lit));
    }
}

#[test]
fn raw_literals_keep_backslashes() {
    let cases: &[(&[u8], TokenKind, &[u8])] = &[
        (b"r'\\n'", String, b"\\n"),
        (b"r'\\''", String, b"\\'"),
        (b"r'\\\\'", String, b"\\\\"),
        (b"r'\\\n'", String, b"\\\n"),
        (b"r'\\N{DASH}'", String, b"\\N{DASH}"),
        (b"r'\\x4'", String, b"\\x4"),
        (b"r'\\\xc3\xa9'", String, b"\\\xc3\x83\xa9"),
        (b"rb'\\\xc3\xa9'", Bytes, b"\\\xc3\xa9"),
        (b"br'\\u1234\\''", Bytes, b"\\u1234\\'"),
    ];
    for &(lit, kind, want) in cases {
        assert_eq!(literal(lit), (kind, want.to_vec()), "{}", show(lit));
    }
}

#[test]
fn escapes_without_unicode() {
    let nu = no_unicode();
    assert_eq!(literal_with(b"'\\xff'", nu), (String, b"\xff".to_vec()));
    assert_eq!(literal_with(b"'\\u00e9'", nu), (String, b"\xe9".to_vec()));
    assert_eq!(literal_with(b"'\\377'", nu), (String, b"\xff".to_vec()));
    assert_eq!(
        literal_with(b"'\\\xc3\xa9'", nu),
        (String, b"\\\xc3\xa9".to_vec())
    );
    assert_eq!(
        literal_with(b"r'\\\xc3\xa9'", nu),
        (String, b"\\\xc3\xa9".to_vec())
    );
    assert_eq!(literal_with(b"'\\u0100'", nu).0, Invalid);
    assert_eq!(literal_with(b"'\\777'", nu).0, Invalid);
    assert_eq!(literal_with(b"'\\U0001F600'", nu).0, Invalid);
    assert_eq!(
        literal_with(b"b'\\u1234'", nu),
        (Bytes, b"\\u1234".to_vec())
    );
}

#[test]
fn bad_escapes_are_invalid() {
    for lit in [
        &b"'\\x4z'"[..],
        b"'\\xg0'",
        b"'\\u123z'",
        b"'\\U0010FFFz'",
        b"'\\U00110000'",
        b"'\\UFFFFFFFF'",
        b"b'\\777'",
        b"b'\\400'",
        b"b'\\x4z'",
    ] {
        assert_eq!(literal(lit).0, Invalid, "{}", show(lit));
    }
    // The character that stopped the hex digits is swallowed: here the closing quote, so the
    // literal runs to the end of the line and is unterminated.
    assert_eq!(
        kinds(b"x = '\\x4'\n"),
        vec![Name, DelEqual, LonelyStringOpen, Newline, End]
    );
    // Here the quote after "\x4" is swallowed and the next one closes the literal.
    assert_eq!(
        kinds(b"x = '\\x4' 'a'\n"),
        vec![
            Name,
            DelEqual,
            Invalid,
            Name,
            LonelyStringOpen,
            Newline,
            End
        ]
    );
    assert_eq!(toks(b"x = '\\x4z' 'a'\n")[3], t(String, 1, 12, b"a"));
}

#[test]
fn unicode_name_escapes_raise() {
    for src in [
        &b"x = '\\N{DASH}'\n"[..],
        b"x = '\\N'",
        b"x = b'\\N{x}'",
        b"x = '''\\N'''",
    ] {
        let mut lx = Lexer::new(b"x = 1\n").unwrap();
        while lx.kind() != End {
            lx.advance().unwrap();
        }
        let err = {
            let mut lx = Lexer::new(src).unwrap();
            lx.advance().unwrap();
            lx.advance().expect_err("\\N raises")
        };
        assert_eq!(err.render(), "NotImplementedError: unicode name escapes\n");
        assert_eq!(err.location, None);
    }
    // Raised by the constructor when the literal is the first token.
    let err = Lexer::new(b"'\\N{DASH}'").err().expect("\\N raises");
    assert_eq!(err.render(), "NotImplementedError: unicode name escapes\n");
}

#[test]
fn unterminated_literals() {
    assert_eq!(
        toks(b"x = 'abc\ny\n"),
        vec![
            t(Name, 1, 1, b"x"),
            t(DelEqual, 1, 3, b""),
            t(LonelyStringOpen, 1, 5, b"abc"),
            t(Newline, 2, 1, b""),
            t(Name, 2, 1, b"y"),
            t(Newline, 3, 1, b""),
            t(End, 3, 1, b""),
        ]
    );
    assert_eq!(
        kinds(b"x = '''abc\n\ny"),
        vec![Name, DelEqual, LonelyStringOpen, End]
    );
    assert_eq!(
        toks(b"x = '''abc''")[2],
        t(LonelyStringOpen, 1, 5, b"abc''\n")
    );

    assert_eq!(
        kinds(b"x = \""),
        vec![Name, DelEqual, LonelyStringOpen, Newline, End]
    );
    assert_eq!(kinds(b"'"), vec![LonelyStringOpen, Newline, End]);
    // A backslash-newline keeps a single-quoted literal open.
    assert_eq!(toks(b"x = 'a\\\nb'")[2], t(String, 1, 5, b"ab"));
    assert_eq!(toks(b"x = 'a\\\n")[2].0, LonelyStringOpen);
}

#[test]
fn adjacent_literals_are_joined() {
    assert_eq!(literal(b"'a' 'b'"), (String, b"ab".to_vec()));
    assert_eq!(
        literal(b"'a' \"b\" '''c''' u'd' r'\\e'"),
        (String, b"abcd\\e".to_vec())
    );
    assert_eq!(
        literal(b"b'a' b'b' br'\\c' rb'\\d'"),
        (Bytes, b"ab\\c\\d".to_vec())
    );
    assert_eq!(literal(b"'a'  # c\n"), (String, b"a".to_vec()));
    assert_eq!(literal(b"'a'\\\n  'b'"), (String, b"ab".to_vec()));
    assert_eq!(literal(b"('a'\n  # c\n  'b'\n)").0, DelParenOpen);
    let all = toks(b"x = ('a'\n  # c\n  'b'\n)\n");
    assert_eq!(all[3], t(String, 1, 6, b"ab"));
    assert_eq!(all[4], t(DelParenClose, 4, 1, b""));
    // Outside brackets a newline ends the joining.
    assert_eq!(
        kinds(b"'a'\n'b'"),
        vec![String, Newline, String, Newline, End]
    );
    // str and bytes do not join: two tokens.
    let all = toks(b"x = 'a' b'b' 'c'\n");
    assert_eq!(all[2], t(String, 1, 5, b"a"));
    assert_eq!(all[3], t(Bytes, 1, 9, b"b"));
    assert_eq!(all[4], t(String, 1, 14, b"c"));
    let all = toks(b"x = b'a' 'b'\n");
    assert_eq!(all[2], t(Bytes, 1, 5, b"a"));
    assert_eq!(all[3], t(String, 1, 10, b"b"));
    // A name-prefixed literal is not joined with the one before.
    assert_eq!(kinds(b"'a' f'b'"), vec![String, Name, String, Newline, End]);
}

#[test]
fn columns_after_tabs_and_multibyte_characters() {
    // Columns count bytes; a tab moves to the next multiple of 8, plus one.
    let all = toks(b"x\t= '\xc3\xa9\t' ;y\n");
    assert_eq!(all[1], t(DelEqual, 1, 9, b""));
    assert_eq!(all[2], t(String, 1, 11, b"\xc3\xa9\t"));
    assert_eq!(all[3], t(DelSemicolon, 1, 19, b""));
    assert_eq!(all[4], t(Name, 1, 20, b"y"));
    // A tab escaped in a string literal counts too.
    assert_eq!(toks(b"'\\\t'x")[1], t(Name, 1, 10, b"x"));
    // After a comment with a tab, the next line starts at column 1 again.
    assert_eq!(toks(b"x #\tc\ny")[2], t(Name, 2, 1, b"y"));
}
