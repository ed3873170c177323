//! MicroPython 1.29's f-strings: the lexer rewrites `f'a{x}b{y!r:>4}'` into the tokens of
//! `'a{}b{!r:>4}'.format((x),(y),)`, as the reference does.
//!
//! The reference reads an f-string's text character by character: a `{` not doubled starts an
//! argument, whose raw source bytes (whatever they are: quotes and newlines included) are
//! copied up to a `:` or `}`, or a `!r`/`!s` before one, at bracket depth zero; the format
//! string keeps `{` and what follows. An argument ending in `=` is also copied, `=` included,
//! into the string (`f'{a=}'` is `'a={}'.format((a),)`); an empty argument makes the token
//! MALFORMED_FSTRING. Once the whole (possibly joined) literal is read, `.format(` + the
//! arguments + `)` is injected into the source at the cursor and lexed as ordinary text.

use mpcore::PyException;

use super::string::escape;
use super::{unicode_name_escapes, ReleaseLexer};
use crate::release::FrontEnd;
use crate::token::TokenKind;

impl<R: FrontEnd> ReleaseLexer<'_, R> {
    /// The start shared by f- and t-string literals: the text read so far goes to `vstr`,
    /// and the opening quote is passed. Gives the quote character and how many (1 or 3).
    pub(super) fn open_interpolated_literal(&mut self) -> (u8, usize) {
        if self.value_in_buf {
            self.value_in_buf = false;
            let buf: &[u8] = &self.buf;
            self.vstr
                .extend_from_slice(buf.get(self.name_start..self.name_end).unwrap_or_default());
        }
        let buf: &[u8] = &self.buf;
        let cur = &mut self.cur;
        let at = |cur: &super::Cursor, ahead: usize| buf.get(cur.pos + ahead).copied();
        let quote = if at(cur, 0) == Some(b'"') {
            b'"'
        } else {
            b'\''
        };
        cur.next_char(buf);
        let num_quotes = if at(cur, 0) == Some(quote) && at(cur, 1) == Some(quote) {
            cur.next_char(buf);
            cur.next_char(buf);
            3
        } else {
            1
        };
        (quote, num_quotes)
    }

    /// One f-string literal (the prefix already passed, the current character its opening
    /// quote); its text goes to `vstr`, its arguments to `fstring_args`.
    pub(super) fn fstring_literal(&mut self, is_raw: bool) -> Result<(), PyException> {
        let (quote, num_quotes) = self.open_interpolated_literal();
        // Before 1.28, an f-string read inside injected text adds its arguments to the end of
        // that text (where the reference keeps the text it injects).
        let appended = !R::LEX.nested_fstrings && self.cur.pos < self.inject_end;
        let buf: &[u8] = &self.buf;
        let cur = &mut self.cur;
        let vstr = &mut self.vstr;
        let args = if appended {
            &mut self.fstring_appended
        } else {
            &mut self.fstring_args
        };
        let at = |cur: &super::Cursor, ahead: usize| buf.get(cur.pos + ahead).copied();
        // The reference adds `.format(` where its text of arguments is empty, or always
        // where adjacent f-strings do not join; the text being injected is never empty.
        if !R::LEX.adjacent_fstrings_join || (args.is_empty() && !appended) {
            args.extend_from_slice(b".format(");
        }

        let mut n_closing = 0;
        while let Some(mut c) = at(cur, 0) {
            if (num_quotes == 1 && c == b'\n') || n_closing >= num_quotes {
                break;
            }
            if c == quote {
                n_closing += 1;
                vstr.push(c);
            } else {
                n_closing = 0;
                if c == b'{' {
                    cur.next_char(buf);
                    if at(cur, 0) == Some(b'{') {
                        // `{{` stays as it is, for `str.format`.
                        vstr.push(b'{');
                        cur.next_char(buf);
                    } else {
                        if R::LEX.fstring_args_parenthesised {
                            args.push(b'(');
                        }
                        let start = args.len();
                        // Bracket depth of the argument, wrapping as the reference's does.
                        let mut depth: u32 = 0;
                        while let Some(b) = at(cur, 0) {
                            if depth == 0 {
                                let conversion = R::LEX.fstring_conversions
                                    && b == b'!'
                                    && matches!(at(cur, 1), Some(b'r' | b's'))
                                    && matches!(at(cur, 2), Some(b':' | b'}'));
                                if b == b':' || b == b'}' || conversion {
                                    break;
                                }
                            }
                            // 1.17 does not nest: every `:` or `}` ends the argument.
                            match b {
                                b'[' | b'{' if R::LEX.fstring_brackets_nest => {
                                    depth = depth.wrapping_add(1)
                                }
                                b']' | b'}' if R::LEX.fstring_brackets_nest => {
                                    depth = depth.wrapping_sub(1)
                                }
                                _ => {}
                            }
                            args.push(b);
                            cur.next_char(buf);
                        }
                        if args.last() == Some(&b'=') {
                            vstr.extend_from_slice(&args[start..]);
                            args.pop();
                        }
                        if args.len() == start && R::LEX.empty_fstring_arg_malformed {
                            self.tok_kind = TokenKind::MalformedFstring;
                        }
                        if R::LEX.fstring_args_parenthesised {
                            args.push(b')');
                        }
                        args.push(b',');
                    }
                    // The `{` (or the second of `{{`) goes in; the character after it is
                    // looked at afresh (1.28 on). Up to 1.27 only a further `{` is: any
                    // other character is taken as text, even a quote or a newline.
                    vstr.push(b'{');
                    match at(cur, 0) {
                        Some(next)
                            if !R::LEX.fstring_text_after_brace_rechecked && next != b'{' =>
                        {
                            c = next
                        }
                        _ => continue,
                    }
                }
                if c == b'\\' {
                    self.tok_kind =
                        match escape(buf, cur, vstr, is_raw, self.tok_kind, self.unicode) {
                            Some(kind) => kind,
                            None => return Err(unicode_name_escapes()),
                        };
                } else {
                    vstr.push(c);
                }
            }
            cur.next_char(buf);
        }
        if n_closing < num_quotes {
            self.tok_kind = TokenKind::LonelyStringOpen;
        }
        vstr.truncate(vstr.len() - n_closing);
        Ok(())
    }

    /// The f-string token is complete: put `.format(<arguments>)` into the source at the
    /// cursor, to be lexed next.
    ///
    /// At the end of the input (whitespace, comments and LFs inside brackets or after a `\`
    /// skipped up to it) a LF follows the call from 1.28 on: the reference saves its three look-ahead
    /// characters, all end-of-input there, as bytes behind the injected text and reads the
    /// first one back as a missing final newline. So `x = (f"{a}"` ends a line later than its
    /// last LF, and `x = f"{a}" \` at the end compiles.
    ///
    /// The bytes before the cursor are consumed (the token's value is in `vstr`), so the
    /// text is written over them when there is room; otherwise the rest of the source moves
    /// to a new buffer with as much room again in front, so that a source full of f-strings
    /// is copied a bounded number of times.
    pub(super) fn inject_format_call(&mut self) {
        self.fstring_args.push(b')');
        let text = std::mem::take(&mut self.fstring_args);
        self.fstring_args = self.inject(text);
    }

    /// The text injected last is read to its end: the arguments appended to it (before
    /// 1.28) follow, as they are.
    #[inline(never)]
    pub(super) fn inject_appended(&mut self) {
        let text = std::mem::take(&mut self.fstring_appended);
        self.fstring_appended = self.inject(text);
    }

    /// Puts `text` into the source at the cursor; gives `text`'s buffer back, emptied.
    fn inject(&mut self, mut text: Vec<u8>) -> Vec<u8> {
        let n = text.len();
        let pos = self.cur.pos;
        let column = self.cur.column();
        let buf = self.buf.to_mut();
        if R::LEX.fstring_call_at_end_gets_newline && pos >= buf.len() {
            buf.push(b'\n');
        }
        let start = if pos >= n {
            buf[pos - n..pos].copy_from_slice(&text);
            pos - n
        } else {
            let rest = buf.get(pos..).unwrap_or_default();
            let room = rest.len().max(n) + n;
            let mut fresh = Vec::with_capacity(room + rest.len());
            fresh.resize(room - n, b' ');
            fresh.extend_from_slice(&text);
            fresh.extend_from_slice(rest);
            *buf = fresh;
            room - n
        };
        self.cur.pos = start;
        self.cur.col_base = column;
        self.cur.col_pos = start;
        self.inject_end = start + n;
        text.clear();
        text
    }
}
