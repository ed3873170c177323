//! Unit tests of the lexer: token kinds, values, lines and columns per construct, as
//! `py/lexer.c` of MicroPython 1.11 produces them (string and bytes literals are in
//! `lexer_strings.rs`).

mod lexer_common;

use lexer_common::*;
use syntax::lexer::Lexer;
use syntax::TokenKind::{self, *};

// ----- layout: newlines, end of file, indentation -----

#[test]
fn simple_assignment() {
    assert_eq!(
        toks(b"x = 1\n"),
        vec![
            t(Name, 1, 1, b"x"),
            t(DelEqual, 1, 3, b""),
            t(Integer, 1, 5, b"1"),
            t(Newline, 2, 1, b""),
            t(End, 2, 1, b""),
        ]
    );
}

#[test]
fn missing_final_newline_is_supplied() {
    assert_eq!(
        toks(b"x"),
        vec![
            t(Name, 1, 1, b"x"),
            t(Newline, 2, 1, b""),
            t(End, 2, 1, b"")
        ]
    );
}

#[test]
fn empty_file_reads_as_one_newline() {
    // The reference reads an empty file as a single LF: one NEWLINE on line 2.
    assert_eq!(toks(b""), vec![t(Newline, 2, 1, b""), t(End, 2, 1, b"")]);
    assert_eq!(toks(b"\n"), vec![t(Newline, 2, 1, b""), t(End, 2, 1, b"")]);
    assert_eq!(
        toks(b"\n\n# c\n"),
        vec![t(Newline, 4, 1, b""), t(End, 4, 1, b"")]
    );
}

#[test]
fn end_repeats() {
    let mut lx = Lexer::new(b"x\n").unwrap();
    for _ in 0..3 {
        lx.advance().unwrap();
    }
    assert_eq!(lx.kind(), End);
    lx.advance().unwrap();
    assert_eq!((lx.kind(), lx.line(), lx.column()), (End, 2, 1));
}

#[test]
fn cr_and_crlf_are_newlines() {
    let want = vec![
        t(Name, 1, 1, b"a"),
        t(Newline, 2, 1, b""),
        t(Name, 2, 1, b"b"),
        t(Newline, 3, 1, b""),
        t(Name, 3, 1, b"c"),
        t(Newline, 4, 1, b""),
        t(End, 4, 1, b""),
    ];
    assert_eq!(toks(b"a\nb\nc\n"), want);
    assert_eq!(toks(b"a\r\nb\r\nc\r\n"), want);
    assert_eq!(toks(b"a\rb\rc\r"), want);
    assert_eq!(toks(b"a\rb\r\nc"), want);
    // CR CR LF is two newlines.
    assert_eq!(kinds(b"a\r\r\nb"), vec![Name, Newline, Name, Newline, End]);
    assert_eq!(toks(b"a\r\r\nb")[2], t(Name, 3, 1, b"b"));
}

#[test]
fn indent_and_dedent() {
    assert_eq!(
        toks(b"if x:\n    y\n    if z:\n        w\nv\n"),
        vec![
            t(KwIf, 1, 1, b"if"),
            t(Name, 1, 4, b"x"),
            t(DelColon, 1, 5, b""),
            t(Newline, 2, 5, b""),
            t(Indent, 2, 5, b""),
            t(Name, 2, 5, b"y"),
            t(Newline, 3, 5, b""),
            t(KwIf, 3, 5, b"if"),
            t(Name, 3, 8, b"z"),
            t(DelColon, 3, 9, b""),
            t(Newline, 4, 9, b""),
            t(Indent, 4, 9, b""),
            t(Name, 4, 9, b"w"),
            t(Newline, 5, 1, b""),
            t(Dedent, 5, 1, b""),
            t(Dedent, 5, 1, b""),
            t(Name, 5, 1, b"v"),
            t(Newline, 6, 1, b""),
            t(End, 6, 1, b""),
        ]
    );
}

#[test]
fn dedents_at_end_of_file() {
    assert_eq!(
        kinds(b"if a:\n if b:\n  if c:\n   d"),
        vec![
            KwIf, Name, DelColon, Newline, Indent, KwIf, Name, DelColon, Newline, Indent, KwIf,
            Name, DelColon, Newline, Indent, Name, Newline, Dedent, Dedent, Dedent, End
        ]
    );
}

#[test]
fn tabs_advance_to_multiples_of_eight() {
    // A tab is worth up to 8 columns: "\t" and 8 spaces are the same indentation.
    assert_eq!(
        kinds(b"if x:\n\ty\n        z\n"),
        vec![KwIf, Name, DelColon, Newline, Indent, Name, Newline, Name, Newline, Dedent, End]
    );
    assert_eq!(toks(b"if x:\n\ty\n")[5], t(Name, 2, 9, b"y"));
    assert_eq!(toks(b"if x:\n   \ty\n")[5], t(Name, 2, 9, b"y"));
    assert_eq!(toks(b"if x:\n        \ty\n")[5], t(Name, 2, 17, b"y"));
    assert_eq!(toks(b"if x:\n \t y\n")[5], t(Name, 2, 10, b"y"));
    // Seven spaces after a tab block do not match: a DEDENT_MISMATCH token.
    let k = kinds(b"if x:\n\ty\n       z\n");
    assert_eq!(&k[6..8], &[DedentMismatch, Dedent]);
}

#[test]
fn form_feed_and_vertical_tab_count_one_column() {
    assert_eq!(toks(b"if x:\n\x0cy\n")[5], t(Name, 2, 2, b"y"));
    assert_eq!(toks(b"if x:\n\x0by\n")[4], t(Indent, 2, 2, b""));
}

#[test]
fn unindent_mismatch() {
    let all = toks(b"if x:\n    y\n  z\n");
    assert_eq!(all[6], t(DedentMismatch, 3, 3, b""));
    assert_eq!(all[7], t(Dedent, 3, 3, b""));
    assert_eq!(all[8], t(Name, 3, 3, b"z"));
}

#[test]
fn first_token_not_in_column_one_is_an_indent() {
    assert_eq!(toks(b"  x = 1\n")[0], t(Indent, 1, 3, b"x"));
    // A leading blank line: the NEWLINE token itself becomes INDENT, and the pending INDENT
    // follows it.
    assert_eq!(
        kinds(b"\n\n  x\n"),
        vec![Indent, Indent, Name, Newline, Dedent, End]
    );
    assert_eq!(toks(b"\n\n  x\n")[0], t(Indent, 3, 3, b""));
}

#[test]
fn blank_and_comment_lines_do_not_count() {
    assert_eq!(
        kinds(b"if x:\n    y\n\n  # c\n\t\t# d\n    z\n"),
        vec![KwIf, Name, DelColon, Newline, Indent, Name, Newline, Name, Newline, Dedent, End]
    );
    // A comment at the end of a line, and at the end of the file without a newline.
    assert_eq!(
        toks(b"x # c\ty\n# z"),
        vec![
            t(Name, 1, 1, b"x"),
            t(Newline, 3, 1, b""),
            t(End, 3, 1, b"")
        ]
    );
}

#[test]
fn backslash_continuation() {
    assert_eq!(
        toks(b"x = 1 + \\\n    2\n"),
        vec![
            t(Name, 1, 1, b"x"),
            t(DelEqual, 1, 3, b""),
            t(Integer, 1, 5, b"1"),
            t(OpPlus, 1, 7, b""),
            t(Integer, 2, 5, b"2"),
            t(Newline, 3, 1, b""),
            t(End, 3, 1, b""),
        ]
    );
    // A continuation at the end of the file: no NEWLINE before END.
    assert_eq!(kinds(b"x \\"), vec![Name, End]);
    assert_eq!(toks(b"x \\")[1], t(End, 2, 1, b""));
    // A backslash not followed by a newline is not a continuation.
    assert_eq!(kinds(b"x \\ \n"), vec![Name, Invalid, Newline, End]);
    // Continuation with CR LF.
    assert_eq!(kinds(b"x \\\r\n y\r\n"), vec![Name, Name, Newline, End]);
}

#[test]
fn brackets_join_lines() {
    assert_eq!(
        toks(b"f(1,\n  2)\n"),
        vec![
            t(Name, 1, 1, b"f"),
            t(DelParenOpen, 1, 2, b""),
            t(Integer, 1, 3, b"1"),
            t(DelComma, 1, 4, b""),
            t(Integer, 2, 3, b"2"),
            t(DelParenClose, 2, 4, b""),
            t(Newline, 3, 1, b""),
            t(End, 3, 1, b""),
        ]
    );
    assert_eq!(
        kinds(b"[{(\n)}]\nx"),
        vec![
            DelBracketOpen,
            DelBraceOpen,
            DelParenOpen,
            DelParenClose,
            DelBraceClose,
            DelBracketClose,
            Newline,
            Name,
            Newline,
            End
        ]
    );
}

#[test]
fn bracket_level_wraps_below_zero() {
    // An unmatched closing bracket makes the level huge (the reference's size_t): newlines are
    // then ignored until an opening bracket brings it back to zero.
    assert_eq!(
        kinds(b")\na\n(\nb\n"),
        vec![
            DelParenClose,
            Name,
            DelParenOpen,
            Newline,
            Name,
            Newline,
            End
        ]
    );
}

#[test]
fn indentation_levels_are_stored_as_u16() {
    // 65537 columns are stored as 1, so the same indentation again is deeper still.
    let sp = vec![b' '; 65537];
    let src = [b"if x:\n".as_slice(), &sp, b"x\n", &sp, b"x\n"].concat();
    let k = kinds(&src);
    assert_eq!(
        &k[..8],
        &[KwIf, Name, DelColon, Newline, Indent, Name, Newline, Indent]
    );
    let sp = vec![b' '; 65535];
    let src = [b"if x:\n".as_slice(), &sp, b"x\n", &sp, b"x\n"].concat();
    assert_eq!(
        kinds(&src),
        vec![KwIf, Name, DelColon, Newline, Indent, Name, Newline, Name, Newline, Dedent, End]
    );
}

// ----- names and keywords -----

#[test]
fn keywords() {
    let words: &[(&[u8], TokenKind)] = &[
        (b"False", KwFalse),
        (b"None", KwNone),
        (b"True", KwTrue),
        (b"__debug__", KwDebug),
        (b"and", KwAnd),
        (b"as", KwAs),
        (b"assert", KwAssert),
        (b"async", KwAsync),
        (b"await", KwAwait),
        (b"break", KwBreak),
        (b"class", KwClass),
        (b"continue", KwContinue),
        (b"def", KwDef),
        (b"del", KwDel),
        (b"elif", KwElif),
        (b"else", KwElse),
        (b"except", KwExcept),
        (b"finally", KwFinally),
        (b"for", KwFor),
        (b"from", KwFrom),
        (b"global", KwGlobal),
        (b"if", KwIf),
        (b"import", KwImport),
        (b"in", KwIn),
        (b"is", KwIs),
        (b"lambda", KwLambda),
        (b"nonlocal", KwNonlocal),
        (b"not", KwNot),
        (b"or", KwOr),
        (b"pass", KwPass),
        (b"raise", KwRaise),
        (b"return", KwReturn),
        (b"try", KwTry),
        (b"while", KwWhile),
        (b"with", KwWith),
        (b"yield", KwYield),
    ];
    for &(word, kind) in words {
        let all = toks(word);
        assert_eq!(all[0], t(kind, 1, 1, word), "{}", show(word));
    }
    for word in [
        &b"print"[..],
        b"false",
        b"NONE",
        b"iff",
        b"_if",
        b"if_",
        b"if1",
        b"__debug",
        b"match",
        b"exec",
    ] {
        assert_eq!(toks(word)[0].0, Name, "{}", show(word));
    }
}

#[test]
fn names() {
    assert_eq!(
        toks(b"_a1 B_2 __x__\n"),
        vec![
            t(Name, 1, 1, b"_a1"),
            t(Name, 1, 5, b"B_2"),
            t(Name, 1, 9, b"__x__"),
            t(Newline, 2, 1, b""),
            t(End, 2, 1, b""),
        ]
    );
}

#[test]
fn high_bytes_are_identifier_characters() {
    // Valid UTF-8 or not, and also at the start of a name.
    assert_eq!(toks(b"\xff\xfe = 1")[0], t(Name, 1, 1, b"\xff\xfe"));
    assert_eq!(toks(b"caf\xc3\xa9 x")[1], t(Name, 1, 7, b"x"));
    assert_eq!(
        toks(b"\xc3\xa9t\xc3\xa9")[0],
        t(Name, 1, 1, b"\xc3\xa9t\xc3\xa9")
    );
    assert_eq!(toks(b"a\x80\x80b")[0], t(Name, 1, 1, b"a\x80\x80b"));
}

#[test]
fn a_byte_order_mark_is_part_of_the_first_name() {
    // mpy-cross 1.11 does not skip a UTF-8 BOM: it is read as identifier bytes.
    assert_eq!(
        toks(b"\xef\xbb\xbfx = 1\n")[0],
        t(Name, 1, 1, b"\xef\xbb\xbfx")
    );
    assert_eq!(toks(b"\xef\xbb\xbfx = 1\n")[1], t(DelEqual, 1, 6, b""));
    assert_eq!(
        toks(b"\xef\xbb\xbfimport os\n")[0],
        t(Name, 1, 1, b"\xef\xbb\xbfimport")
    );
    assert_eq!(
        toks(b"\xef\xbb\xbf# c\nx\n")[0],
        t(Name, 1, 1, b"\xef\xbb\xbf")
    );
}

// ----- numbers -----

#[test]
fn integers() {
    for (src, want) in [
        (&b"0"[..], &b"0"[..]),
        (b"123", b"123"),
        (b"1_000_000", b"1000000"),
        (b"0x1F", b"0x1F"),
        (b"0X1f", b"0X1f"),
        (b"0xE1", b"0xE1"),
        (b"0x_e_1", b"0xe1"),
        (b"0o17", b"0o17"),
        (b"0O17", b"0O17"),
        (b"0b101", b"0b101"),
        (b"0B1", b"0B1"),
        (b"0777", b"0777"),
        (b"00", b"00"),
        // Letters run on; the parser rejects the text later.
        (b"1if", b"1if"),
        (b"0xg", b"0xg"),
        (b"12L", b"12L"),
        (b"0x1e+1", b"0x1e"),
    ] {
        let all = toks(src);
        assert_eq!(
            (all[0].0, all[0].3.as_slice()),
            (Integer, want),
            "{}",
            show(src)
        );
    }
}

#[test]
fn floats_and_imaginary_numbers() {
    for (src, want) in [
        (&b"1.5"[..], &b"1.5"[..]),
        (b"1.", b"1."),
        (b".5", b".5"),
        (b"1e5", b"1e5"),
        (b"1E5", b"1e5"),
        (b"1e+5", b"1e+5"),
        (b"1E-5", b"1e-5"),
        (b"1.5e-3j", b"1.5e-3j"),
        (b"2j", b"2j"),
        (b"2J", b"2J"),
        (b"1_0.0_1e1_0", b"10.01e10"),
        (b"1e", b"1e"),
        (b"1..2", b"1..2"),
        (b"1.__class__", b"1.class"),
        (b"0x1.5", b"0x1.5"),
        (b"0b1j", b"0b1j"),
        (b"1e1e1", b"1e1e1"),
        (b"1.e", b"1.e"),
    ] {
        let all = toks(src);
        assert_eq!(
            (all[0].0, all[0].3.as_slice()),
            (FloatOrImag, want),
            "{}",
            show(src)
        );
    }
    assert_eq!(kinds(b"1.5.x"), vec![FloatOrImag, Newline, End]);
    assert_eq!(toks(b"1.5.x")[0].3, b"1.5.x".to_vec());
}

#[test]
fn number_boundaries() {
    assert_eq!(
        toks(b"x=1+2-3e-1"),
        vec![
            t(Name, 1, 1, b"x"),
            t(DelEqual, 1, 2, b""),
            t(Integer, 1, 3, b"1"),
            t(OpPlus, 1, 4, b""),
            t(Integer, 1, 5, b"2"),
            t(OpMinus, 1, 6, b""),
            t(FloatOrImag, 1, 7, b"3e-1"),
            t(Newline, 2, 1, b""),
            t(End, 2, 1, b""),
        ]
    );
    // A high byte ends a number.
    assert_eq!(kinds(b"1\xc3\xa9"), vec![Integer, Name, Newline, End]);
    // "x.5" is a name then a float.
    assert_eq!(kinds(b"x.5"), vec![Name, FloatOrImag, Newline, End]);
}

// ----- operators and delimiters -----

#[test]
fn every_operator_and_delimiter() {
    let ops: &[(&[u8], TokenKind)] = &[
        (b"(", DelParenOpen),
        (b")", DelParenClose),
        (b"[", DelBracketOpen),
        (b"]", DelBracketClose),
        (b"{", DelBraceOpen),
        (b"}", DelBraceClose),
        (b",", DelComma),
        (b":", DelColon),
        (b";", DelSemicolon),
        (b"@", DelAt),
        (b"~", OpTilde),
        (b"<", OpLess),
        (b"<=", OpLessEqual),
        (b"<<", OpDblLess),
        (b"<<=", DelDblLessEqual),
        (b">", OpMore),
        (b">=", OpMoreEqual),
        (b">>", OpDblMore),
        (b">>=", DelDblMoreEqual),
        (b"*", OpStar),
        (b"*=", DelStarEqual),
        (b"**", OpDblStar),
        (b"**=", DelDblStarEqual),
        (b"+", OpPlus),
        (b"+=", DelPlusEqual),
        (b"-", OpMinus),
        (b"-=", DelMinusEqual),
        (b"->", DelMinusMore),
        (b"&", OpAmpersand),
        (b"&=", DelAmpersandEqual),
        (b"|", OpPipe),
        (b"|=", DelPipeEqual),
        (b"/", OpSlash),
        (b"/=", DelSlashEqual),
        (b"//", OpDblSlash),
        (b"//=", DelDblSlashEqual),
        (b"%", OpPercent),
        (b"%=", DelPercentEqual),
        (b"^", OpCaret),
        (b"^=", DelCaretEqual),
        (b"=", DelEqual),
        (b"==", OpDblEqual),
        (b"!=", OpNotEqual),
        (b".", DelPeriod),
        (b"...", Ellipsis),
    ];
    for &(op, kind) in ops {
        let src = [b"a ".as_slice(), op, b" b"].concat();
        let all = toks(&src);
        assert_eq!(all[1], t(kind, 1, 3, b""), "{}", show(op));
        let col = 4 + op.len() as u32;
        assert_eq!(all[2], t(Name, 1, col, b"b"), "{}", show(op));
    }
}

#[test]
fn longest_match_and_special_cases() {
    assert_eq!(
        kinds(b"a<>b"),
        vec![Name, OpLess, OpMore, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a<<=>>=b"),
        vec![Name, DelDblLessEqual, DelDblMoreEqual, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a***b"),
        vec![Name, OpDblStar, OpStar, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a===b"),
        vec![Name, OpDblEqual, DelEqual, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a->=b"),
        vec![Name, DelMinusMore, DelEqual, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a-->b"),
        vec![Name, OpMinus, DelMinusMore, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a..b"),
        vec![Name, DelPeriod, DelPeriod, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a....b"),
        vec![Name, Ellipsis, DelPeriod, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a!==b"),
        vec![Name, OpNotEqual, DelEqual, Name, Newline, End]
    );
    assert_eq!(
        kinds(b"a//=/b"),
        vec![Name, DelDblSlashEqual, OpSlash, Name, Newline, End]
    );
}

#[test]
fn invalid_characters() {
    // "!" alone, "$", "?", "`", NUL and other control bytes are INVALID, one byte each.
    assert_eq!(toks(b"a ! b")[1], t(Invalid, 1, 3, b""));
    assert_eq!(toks(b"a ! b")[2], t(Name, 1, 5, b"b"));
    assert_eq!(kinds(b"$?`"), vec![Invalid, Invalid, Invalid, Newline, End]);
    assert_eq!(kinds(b"x\x00y"), vec![Name, Invalid, Name, Newline, End]);
    assert_eq!(
        kinds(b"x\x01\x7f"),
        vec![Name, Invalid, Invalid, Newline, End]
    );
    assert_eq!(kinds(b"1!"), vec![Integer, Invalid, Newline, End]);
}

// ----- size and depth -----

#[test]
fn a_one_megabyte_string_literal() {
    let body = vec![b'a'; 1 << 20];
    let src = [b"x = '".as_slice(), &body, b"'\n"].concat();
    let all = toks(&src);
    assert_eq!(all[2].0, String);
    assert_eq!(all[2].3.len(), 1 << 20);
    assert_eq!(all[3], t(Newline, 2, 1, b""));
    let src = [b"x = '''".as_slice(), &body, b"\n", &body, b"'''+y"].concat();
    let all = toks(&src);
    assert_eq!(all[2].3.len(), (2 << 20) + 1);
    assert_eq!(all[3], t(OpPlus, 2, (1 << 20) + 4, b""));
}

#[test]
fn deep_brackets() {
    let n = 100_000;
    let src = [vec![b'('; n], vec![b'\n'; 3], vec![b')'; n]].concat();
    let k = kinds(&src);
    assert_eq!(k.len(), 2 * n + 2);
    assert_eq!(k[n - 1], DelParenOpen);
    assert_eq!(k[n], DelParenClose);
    assert_eq!(&k[2 * n..], &[Newline, End]);
}

#[test]
fn deep_indentation() {
    let depth = 2000;
    let mut src = Vec::new();
    for i in 0..depth {
        src.extend_from_slice(&vec![b' '; i]);
        src.extend_from_slice(b"if x:\n");
    }
    src.extend_from_slice(&vec![b' '; depth]);
    src.extend_from_slice(b"y\n");
    let k = kinds(&src);
    assert_eq!(k.iter().filter(|&&k| k == Indent).count(), depth);
    assert_eq!(k.iter().filter(|&&k| k == Dedent).count(), depth);
    assert_eq!(k.last(), Some(&End));
}

#[test]
fn long_lines_and_many_lines() {
    let src = b"x = 1\n".repeat(100_000);
    let all = toks(&src);
    assert_eq!(all.len(), 400_001);
    assert_eq!(all[399_996], t(Name, 100_000, 1, b"x"));
    let src = [b"x = ".as_slice(), &b"1 + ".repeat(50_000), b"1"].concat();
    let all = toks(&src);
    assert_eq!(all[all.len() - 3], t(Integer, 1, 200_005, b"1"));
}

#[test]
fn any_bytes_terminate() {
    // A small deterministic stream of awkward bytes: the lexer must reach END or raise.
    let alphabet: &[u8] = b" \t\n\r\x0c\\'\"#()[]{}rbuNx0179.eE_+-=!<>*/\xc3\xa9\xff\x00a";
    let mut state = 0x1234_5678_9abc_def0u64;
    for _ in 0..2000 {
        let mut src = Vec::new();
        for _ in 0..(state % 40) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            src.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        state = state.wrapping_add(0x9e37_79b9);
        let Ok(mut lx) = Lexer::new(&src) else {
            continue;
        };
        let mut n = 0;
        while lx.kind() != End {
            if lx.advance().is_err() {
                break;
            }
            n += 1;
            assert!(n < 1000, "no END for {src:?}");
        }
    }
}
