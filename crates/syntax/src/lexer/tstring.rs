//! MicroPython 1.29's t-strings: the lexer rewrites `t'a{x!r:>4}b'` into the tokens of
//! `__template__(('a','b',),(x),'x','r','>4',)` (the strings, then for each interpolation its
//! value, its source text, its conversion or `None`, its format spec), as the reference does.
//!
//! Unlike an f-string's, a t-string's text is not decoded here: it is kept as source text
//! (escapes as written, a newline written `\n`) inside the rewritten call, to be lexed again.
//! The token itself becomes the NAME `__template__` unless it is an error token.

use crate::PResult;

use super::ReleaseLexer;
use crate::release::FrontEnd;
use crate::token::TokenKind;

/// Characters `unichar_isspace` takes for space (trailing ones are cut from an expression).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

impl<R: FrontEnd> ReleaseLexer<'_, R> {
    /// One t-string literal (the prefix already passed, the current character its opening
    /// quote): its text, rewritten, goes to `vstr`, its interpolations to `fstring_args`.
    pub(super) fn tstring_literal(&mut self, is_raw: bool) -> PResult<()> {
        let (quote, num_quotes) = self.open_interpolated_literal();
        let buf: &[u8] = &self.buf;
        let cur = &mut self.cur;
        let vstr = &mut self.vstr;
        let args = &mut self.fstring_args;
        let at = |cur: &super::Cursor, ahead: usize| buf.get(cur.pos + ahead).copied();
        let quotes = &[quote; 3][..num_quotes];
        if args.is_empty() {
            vstr.extend_from_slice(b"((");
            vstr.extend_from_slice(quotes);
        }

        let mut interpolations: usize = 0;
        let mut end_of_format = 0;
        let mut nested: usize = 0;
        let mut nested_needs_f = false;
        let mut n_closing = 0;
        while let Some(c) = at(cur, 0) {
            if (num_quotes == 1 && c == b'\n') || n_closing >= num_quotes {
                break;
            }
            if c == quote {
                n_closing += 1;
                vstr.push(c);
            } else if c == b'\n' {
                // A newline of a triple-quoted t-string, written as an escape.
                vstr.extend_from_slice(b"\\n");
            } else {
                n_closing = 0;
                if c == b'{' {
                    if nested > 0 {
                        // A `{` inside a format spec: kept, and the spec becomes an f-string.
                        nested += 1;
                    } else {
                        cur.next_char(buf);
                        if at(cur, 0) == Some(b'{') {
                            // `{{`: one `{` in the text.
                            cur.next_char(buf);
                        } else {
                            self.tok_kind =
                                interpolation(buf, cur, vstr, args, quote, quotes, self.tok_kind);
                            nested = 1;
                            end_of_format = vstr.len();
                        }
                        vstr.push(b'{');
                        continue;
                    }
                }
                if c == b'\\' {
                    // Kept as written, for the rewritten source to be lexed again.
                    vstr.push(b'\\');
                    if is_raw {
                        vstr.push(b'\\');
                    } else {
                        cur.next_char(buf);
                        vstr.push(at(cur, 0).unwrap_or(b'\n'));
                    }
                } else if nested > 0 && c == b'}' {
                    nested -= 1;
                    if nested > 0 {
                        nested_needs_f = true;
                        vstr.push(c);
                    } else {
                        // The interpolation is complete: its format spec moves to the arguments.
                        interpolations += 1;
                        if nested_needs_f {
                            args.push(b'f');
                            nested_needs_f = false;
                        }
                        args.push(quote);
                        args.extend_from_slice(vstr.get(end_of_format + 1..).unwrap_or_default());
                        vstr.truncate(end_of_format);
                        args.push(quote);
                        args.push(b',');
                    }
                } else {
                    vstr.push(c);
                    if c == b'}' {
                        if at(cur, 1) == Some(b'}') {
                            cur.next_char(buf);
                        } else {
                            self.tok_kind = TokenKind::MalformedFstring;
                        }
                    }
                }
            }
            cur.next_char(buf);
        }
        if n_closing < num_quotes {
            self.tok_kind = TokenKind::LonelyStringOpen;
        }
        if nested > 0 {
            self.tok_kind = TokenKind::MalformedFstring;
        }
        if 1 + interpolations * 4 > 255 {
            // Too many arguments for one call: the interpolations go in a tuple.
            args.insert(0, b'(');
            args.push(b')');
        }
        Ok(())
    }

    /// The t-string token is complete: its rewritten text goes before the interpolations,
    /// and the token becomes the name `__template__` (unless it is an error).
    pub(super) fn finish_template(&mut self) {
        self.vstr.extend_from_slice(b",),");
        let mut text = std::mem::take(&mut self.vstr);
        text.extend_from_slice(&self.fstring_args);
        self.fstring_args = text;
        if !matches!(
            self.tok_kind,
            TokenKind::End
                | TokenKind::Invalid
                | TokenKind::DedentMismatch
                | TokenKind::LonelyStringOpen
                | TokenKind::MalformedFstring
        ) {
            self.tok_kind = TokenKind::Name;
            self.vstr.extend_from_slice(b"__template__");
        }
    }
}

/// An interpolation `{expr[!c][:spec]}` of a t-string, the cursor past its `{`: the value and
/// its source text go to `args`, the string part so far is closed in `vstr`, and the
/// conversion (or `None`) is added. Returns the token kind (MALFORMED_FSTRING for an empty
/// expression).
fn interpolation(
    buf: &[u8],
    cur: &mut super::Cursor,
    vstr: &mut Vec<u8>,
    args: &mut Vec<u8>,
    quote: u8,
    quotes: &[u8],
    mut kind: TokenKind,
) -> TokenKind {
    let at = |cur: &super::Cursor, ahead: usize| buf.get(cur.pos + ahead).copied();
    args.push(b'(');
    let start = args.len();
    let mut depth: u32 = 0;
    while let Some(b) = at(cur, 0) {
        if depth == 0 {
            let conversion = b == b'!'
                && matches!(at(cur, 1), Some(b'r' | b's'))
                && matches!(at(cur, 2), Some(b':' | b'}'));
            if b == b':' || b == b'}' || conversion {
                break;
            }
        }
        match b {
            b'[' | b'{' => depth = depth.wrapping_add(1),
            b']' | b'}' => depth = depth.wrapping_sub(1),
            _ => {}
        }
        args.push(b);
        cur.next_char(buf);
    }
    let mut debug = false;
    if args.last() == Some(&b'=') {
        vstr.extend_from_slice(&args[start..]);
        args.pop();
        debug = true;
    }
    while args.len() > start && args.last().is_some_and(|&b| is_space(b)) {
        args.pop();
    }
    if args.len() == start {
        kind = TokenKind::MalformedFstring;
    }
    args.extend_from_slice(b"),");
    // The expression's source text, as a string.
    args.push(quote);
    let text_end = args.len() - 3;
    for j in start..text_end {
        let b = args[j];
        if b == quote || b == b'\\' {
            args.push(b'\\');
        }
        args.push(b);
    }
    args.push(quote);
    args.push(b',');
    // The next part of the text is a new string.
    vstr.extend_from_slice(quotes);
    vstr.push(b',');
    vstr.extend_from_slice(quotes);
    if at(cur, 0) == Some(b'!') {
        cur.next_char(buf);
        args.push(quote);
        args.push(at(cur, 0).unwrap_or(b'\n'));
        cur.next_char(buf);
        args.push(quote);
        args.push(b',');
    } else if debug && at(cur, 0) != Some(b':') {
        args.extend_from_slice(b"'r',");
    } else {
        args.extend_from_slice(b"None,");
    }
    if at(cur, 0) == Some(b':') {
        cur.next_char(buf);
    }
    kind
}
