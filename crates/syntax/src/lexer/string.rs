//! String and bytes literals: prefixes, quotes, escapes, and joining of adjacent literals.

use crate::PResult;

use super::chars::{find_quote_or_backslash, find_string_stop, is, xdigit_value, XDIGIT};
use super::{unicode_name_escapes, Cursor, ReleaseLexer, ACTION, A_LF, A_SLOW, A_SPACE};
use crate::release::FrontEnd;
use crate::token::TokenKind;

/// Append code point `c` as UTF-8 the way the reference's `vstr_add_char` does (surrogates
/// included).
fn push_utf8(out: &mut Vec<u8>, c: u32) {
    if c < 0x80 {
        out.push(c as u8);
    } else if c < 0x800 {
        out.extend_from_slice(&[(c >> 6) as u8 | 0xc0, (c & 0x3f) as u8 | 0x80]);
    } else if c < 0x10000 {
        out.extend_from_slice(&[
            (c >> 12) as u8 | 0xe0,
            ((c >> 6) & 0x3f) as u8 | 0x80,
            (c & 0x3f) as u8 | 0x80,
        ]);
    } else {
        out.extend_from_slice(&[
            (c >> 18) as u8 | 0xf0,
            ((c >> 12) & 0x3f) as u8 | 0x80,
            ((c >> 6) & 0x3f) as u8 | 0x80,
            (c & 0x3f) as u8 | 0x80,
        ]);
    }
}

/// Read `n` hex digits after the current character; on a non-hex character, stop there and
/// return `None` (the reference's `get_hex`).
fn get_hex(buf: &[u8], cur: &mut Cursor, n: usize) -> Option<u32> {
    let mut num: u32 = 0;
    for _ in 0..n {
        cur.next_char(buf);
        let b = *buf.get(cur.pos)?;
        if !is(b, XDIGIT) {
            return None;
        }
        num = (num << 4) | xdigit_value(b);
    }
    Some(num)
}

impl<R: FrontEnd> ReleaseLexer<'_, R> {
    /// The token at `pos`, an opening `quote`: a one-line literal without escapes or tabs that
    /// nothing can join is finished here; anything else goes the general way.
    #[inline(never)]
    pub(super) fn quote_token(&mut self, pos: usize, quote: u8) -> PResult<()> {
        let buf: &[u8] = &self.buf;
        let body = pos + 1;
        let rest = buf.get(body..).unwrap_or_default();
        // A quote right after the opening one may start a triple-quoted literal; arguments
        // waiting to be injected may be read into it ([`ReleaseLexer::settle_appended`]).
        if rest.first() != Some(&quote) && !self.appended_pending() {
            let i = find_string_stop(rest, quote);
            if rest.get(i) == Some(&quote) {
                let end = body + i;
                // Whitespace, a comment or a continuation may lead to a literal to join; a
                // quote or a prefix may start one.
                let next = buf.get(end + 1).copied().unwrap_or(b'\n');
                if ACTION[next as usize] & (A_SPACE | A_LF | A_SLOW) == 0
                    && !matches!(next, b'\'' | b'"' | b'r' | b'u' | b'b')
                    && !(R::LEX.fstrings && matches!(next, b'f' | b't'))
                {
                    self.start_token(pos);
                    self.value_in_buf = true;
                    self.name_start = body;
                    self.name_end = end;
                    self.tok_kind = TokenKind::String;
                    self.cur.pos = end + 1;
                    return Ok(());
                }
            }
        }
        self.other_token(pos, quote)
    }

    /// One STRING or BYTES token: a literal plus any adjacent literals of the same kind
    /// (separated by whitespace, comments, continuations, or newlines inside brackets).
    ///
    /// The value of a single literal without escapes is served from the source like a name's;
    /// otherwise it is built in `vstr`.
    #[inline(never)]
    pub(super) fn string_literals(&mut self) -> PResult<()> {
        // End marks "no literal read yet".
        self.tok_kind = TokenKind::End;
        let mut had_tstring = false;
        loop {
            let c0 = self.peek(0);
            let c1 = self.peek(1);
            let fstrings = R::LEX.fstrings;
            if fstrings
                && !R::LEX.raw_fstrings
                && matches!(
                    (c0, c1),
                    (Some(b'r'), Some(b'f')) | (Some(b'f'), Some(b'r'))
                )
            {
                // 1.22/1.23: the whole token is FSTRING_RAW, the cursor left on the prefix.
                self.tok_kind = TokenKind::FstringRaw;
                break;
            }
            let (mut is_f, mut is_t) = (false, false);
            let (kind, is_raw, n_prefix) = match c0 {
                Some(b'r') if fstrings && matches!(c1, Some(b'f' | b't')) => {
                    is_f = c1 == Some(b'f');
                    is_t = !is_f;
                    (TokenKind::String, true, 2)
                }
                Some(p @ (b'f' | b't')) if fstrings => {
                    is_f = p == b'f';
                    is_t = !is_f;
                    let raw = c1 == Some(b'r');
                    (TokenKind::String, raw, 1 + usize::from(raw))
                }
                Some(b'u') => (TokenKind::String, false, 1),
                Some(b'b') if c1 == Some(b'r') => (TokenKind::Bytes, true, 2),
                Some(b'b') => (TokenKind::Bytes, false, 1),
                Some(b'r') if c1 == Some(b'b') => (TokenKind::Bytes, true, 2),
                Some(b'r') => (TokenKind::String, true, 1),
                _ => (TokenKind::String, false, 0),
            };
            let first = self.tok_kind == TokenKind::End;
            if first {
                self.tok_kind = kind;
            } else if self.tok_kind != kind {
                // str and bytes do not join: the next literal is a token of its own.
                break;
            } else if self.value_in_buf {
                // A second literal joins the first: the value moves into `vstr`.
                self.value_in_buf = false;
                let buf: &[u8] = &self.buf;
                self.vstr
                    .extend_from_slice(buf.get(self.name_start..self.name_end).unwrap_or_default());
            }
            self.cur.pos += n_prefix;
            if is_f {
                self.fstring_literal(is_raw)?;
            } else if is_t {
                had_tstring = true;
                self.tstring_literal(is_raw)?;
            } else {
                self.string_literal(is_raw, first)?;
            }
            self.skip_whitespace(true);
            if !self.is_string_or_bytes() {
                break;
            }
        }
        if had_tstring {
            self.finish_template();
        }
        if !self.fstring_args.is_empty() {
            self.inject_format_call();
        }
        Ok(())
    }

    /// One quoted literal, the current character being its opening quote. With `first` (the
    /// token's first literal) and no escape inside, the value is left in the source
    /// (`value_in_buf`); otherwise it is appended to `vstr`.
    fn string_literal(&mut self, is_raw: bool, first: bool) -> PResult<()> {
        if self.appended_pending() && self.cur.pos < self.inject_end {
            return self.string_literal_by_char(is_raw);
        }
        let widen = self.escape_widen();
        let buf: &[u8] = &self.buf;
        let cur = &mut self.cur;
        let vstr = &mut self.vstr;
        let quote = if buf.get(cur.pos) == Some(&b'"') {
            b'"'
        } else {
            b'\''
        };
        cur.pos += 1;
        let triple = buf.get(cur.pos) == Some(&quote) && buf.get(cur.pos + 1) == Some(&quote);
        if triple {
            cur.pos += 2;
        }

        // Contents are copied verbatim except for escapes, so the bytes since the last escape
        // (`run_start`..) are appended only when an escape or the end of the literal is met.
        let mut run_start = cur.pos;
        let mut escaped = false;
        let closed = loop {
            let rest = buf.get(cur.pos..).unwrap_or_default();
            let stop = if triple {
                // LF and tab are plain contents here: the cursor passes over them in bulk.
                let i = find_quote_or_backslash(rest, quote);
                cur.pass_over(buf, cur.pos + i);
                match rest.get(i) {
                    Some(&b) if b == quote => {
                        if buf.get(cur.pos + 1) == Some(&quote)
                            && buf.get(cur.pos + 2) == Some(&quote)
                        {
                            break true;
                        }
                        // A quote inside a triple-quoted literal is contents.
                        cur.pos += 1;
                        continue;
                    }
                    Some(_) => b'\\',
                    // The input ended inside the literal.
                    None => break false,
                }
            } else {
                let i = find_string_stop(rest, quote);
                cur.pos += i;
                match rest.get(i) {
                    Some(&b) if b == quote => break true,
                    // Unterminated: stop at the LF without consuming it.
                    Some(b'\n') => break false,
                    Some(b'\t') => {
                        cur.next_char(buf);
                        continue;
                    }
                    Some(_) => b'\\',
                    // Unreachable: the input always ends with a LF.
                    None => break false,
                }
            };
            debug_assert_eq!(stop, b'\\');
            // A backslash: flush the run and decode the escape.
            escaped = true;
            vstr.extend_from_slice(buf.get(run_start..cur.pos).unwrap_or_default());
            self.tok_kind = match escape(buf, cur, vstr, is_raw, self.tok_kind, widen) {
                Some(kind) => kind,
                None => return Err(Box::new(unicode_name_escapes())),
            };
            // Past the escaped character (the reference's final `next_char`).
            cur.next_char(buf);
            run_start = cur.pos;
        };
        let run = buf.get(run_start..cur.pos).unwrap_or_default();
        if first && !escaped {
            self.value_in_buf = true;
            self.name_start = run_start;
            self.name_end = cur.pos;
        } else {
            vstr.extend_from_slice(run);
        }
        if closed {
            // Closing quotes hold no tab or LF.
            cur.pos += if triple { 3 } else { 1 };
        } else {
            self.tok_kind = TokenKind::LonelyStringOpen;
        }
        Ok(())
    }

    /// The backslash escape at the cursor, decoded into the token's text (which may change
    /// the token's kind).
    pub(super) fn take_escape(&mut self, is_raw: bool) -> PResult<()> {
        let widen = self.escape_widen();
        let buf: &[u8] = &self.buf;
        self.tok_kind = match escape(
            buf,
            &mut self.cur,
            &mut self.vstr,
            is_raw,
            self.tok_kind,
            widen,
        ) {
            Some(kind) => kind,
            None => return Err(Box::new(unicode_name_escapes())),
        };
        Ok(())
    }

    /// How an escaped character reads here ([`Widen`]).
    #[inline(always)]
    fn escape_widen(&self) -> Widen {
        Widen {
            unicode: self.unicode,
            before: if R::LEX.injected_ff_reads_as_end {
                self.inject_end
            } else {
                0
            },
        }
    }

    /// [`ReleaseLexer::string_literal`] one character at a time, for a literal starting in
    /// injected text with arguments waiting behind it (before 1.28), which it reads as
    /// contents if it runs that far ([`ReleaseLexer::settle_appended`]).
    #[inline(never)]
    fn string_literal_by_char(&mut self, is_raw: bool) -> PResult<()> {
        let quote = if self.peek(0) == Some(b'"') {
            b'"'
        } else {
            b'\''
        };
        self.cur.pos += 1;
        let triple = self.peek(0) == Some(quote) && self.peek(1) == Some(quote);
        if triple {
            self.cur.pos += 2;
        }
        let closed = loop {
            self.settle_appended();
            let Some(c) = self.peek(0) else { break false };
            if c == quote
                && (!triple || (self.peek(1) == Some(quote) && self.peek(2) == Some(quote)))
            {
                break true;
            }
            if c == b'\n' && !triple {
                break false;
            }
            if c == b'\\' {
                self.take_escape(is_raw)?;
            } else {
                self.vstr.push(c);
            }
            self.cur.next_char(&self.buf);
        };
        if closed {
            self.cur.pos += if triple { 3 } else { 1 };
        } else {
            self.tok_kind = TokenKind::LonelyStringOpen;
        }
        Ok(())
    }
}

/// How the character after a backslash reads.
#[derive(Clone, Copy)]
pub(super) struct Widen {
    /// The lexer's `-municode` mode.
    unicode: bool,
    /// Up to 1.27 ([`Features::injected_ff_reads_as_end`]), injected text ends here: its bytes
    /// are read through a signed `char`, so one of 0x80 or more widens beyond any character
    /// and the literal is INVALID (raw or not: it is checked as a character all the same).
    before: usize,
}

/// Decode the escape whose backslash is the current character, leaving the cursor on its
/// last character; returns the token kind, which becomes INVALID for a bad escape, or `None`
/// for `\N{...}`, which the reference rejects (see [`unicode_name_escapes`]).
///
/// `widen` says how the character after the backslash reads: see [`Widen`].
pub(super) fn escape(
    buf: &[u8],
    cur: &mut Cursor,
    vstr: &mut Vec<u8>,
    is_raw: bool,
    mut tok_kind: TokenKind,
    widen: Widen,
) -> Option<TokenKind> {
    let unicode = widen.unicode;
    cur.next_char(buf);
    // A backslash is never last: the input always ends with a LF.
    let Some(&e) = buf.get(cur.pos) else {
        return Some(tok_kind);
    };
    let mut c = Some(u32::from(e));
    if is_raw {
        // Raw literals keep the backslash and the character after it.
        vstr.push(b'\\');
    } else {
        match e {
            b'\n' => c = None, // backslash-newline: nothing
            b'\\' | b'\'' | b'"' => {}
            b'a' => c = Some(0x07),
            b'b' => c = Some(0x08),
            b't' => c = Some(0x09),
            b'n' => c = Some(0x0a),
            b'v' => c = Some(0x0b),
            b'f' => c = Some(0x0c),
            b'r' => c = Some(0x0d),
            b'u' | b'U' if tok_kind == TokenKind::Bytes => {
                // b'\u1234' is b'\\u1234'
                vstr.push(b'\\');
            }
            b'x' | b'u' | b'U' => {
                let n = match e {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                c = Some(match get_hex(buf, cur, n) {
                    Some(num) => num,
                    None => {
                        tok_kind = TokenKind::Invalid;
                        0
                    }
                });
            }
            b'N' => return None,
            b'0'..=b'7' => {
                let mut num = u32::from(e - b'0');
                let mut digits = 3;
                while let Some(&d @ b'0'..=b'7') = buf.get(cur.pos + 1) {
                    digits -= 1;
                    if digits == 0 {
                        break;
                    }
                    cur.next_char(buf);
                    num = num * 8 + u32::from(d - b'0');
                }
                c = Some(num);
            }
            // Unknown escape: kept verbatim, backslash included.
            _ => vstr.push(b'\\'),
        }
    }
    if e >= 0x80 && cur.pos < widen.before {
        // Read through a signed `char`: far out of range.
        c = Some(0xffff_ff00 | u32::from(e));
    }
    if let Some(c) = c {
        if unicode {
            if c < 0x11_0000 && tok_kind == TokenKind::String {
                push_utf8(vstr, c);
            } else if c < 0x100 && tok_kind == TokenKind::Bytes {
                vstr.push(c as u8);
            } else {
                // Out of range (or the literal is already INVALID).
                tok_kind = TokenKind::Invalid;
            }
        } else if c < 0x100 {
            vstr.push(c as u8);
        } else {
            tok_kind = TokenKind::Invalid;
        }
    }
    Some(tok_kind)
}

#[cfg(test)]
mod tests {
    use crate::lexer::Lexer;
    use crate::token::TokenKind::{self, *};

    fn toks(src: &[u8]) -> Vec<(TokenKind, u32, u32, Vec<u8>)> {
        let mut lx = Lexer::new(src).expect("lexer error");
        let mut out = Vec::new();
        loop {
            out.push((lx.kind(), lx.line(), lx.column(), lx.value().to_vec()));
            if lx.kind() == End {
                return out;
            }
            lx.advance().expect("lexer error");
        }
    }

    /// Tabs inside literals move the column to the next multiple of 8, plus one, as every
    /// character read by the reference's `next_char` does; a LF inside resets it. (Expected
    /// tokens as the byte-at-a-time lexer gave them, which the oracle tests pin down.)
    #[test]
    fn tabs_and_newlines_inside_literals_keep_columns() {
        let t = toks(b"\"a\tb\" + c\n");
        assert_eq!(t[0], (String, 1, 1, b"a\tb".to_vec()));
        assert_eq!((t[1].0, t[1].1, t[1].2), (OpPlus, 1, 12));
        assert_eq!((t[2].0, t[2].1, t[2].2), (Name, 1, 14));
        let t = toks(b"x = '''a\tb\n\t\ty\t''' ; z\n");
        assert_eq!(t[2], (String, 1, 5, b"a\tb\n\t\ty\t".to_vec()));
        assert_eq!((t[3].0, t[3].1, t[3].2), (DelSemicolon, 2, 29));
        assert_eq!((t[4].0, t[4].1, t[4].2), (Name, 2, 31));
        // A tab right after an escape, and a long run holding a tab past its first 16 bytes.
        let t = toks(b"'\\x41\tq' ; '0123456789abcdefghij\tk' ; r\n");
        assert_eq!(t[0], (String, 1, 1, b"A\tq".to_vec()));
        assert_eq!((t[1].0, t[1].2), (DelSemicolon, 12));
        assert_eq!(t[2].3, b"0123456789abcdefghij\tk".to_vec());
        assert_eq!((t[3].0, t[3].2), (DelSemicolon, 44));
    }

    /// Adjacent literals join whether or not the first one held an escape; str and bytes do
    /// not join; an unterminated literal keeps what it read. (Checked the same way.)
    #[test]
    fn joined_and_unterminated_literals() {
        let t = toks(b"('a' 'b\\n'\n \"c\")\n");
        assert_eq!(t[1], (String, 1, 2, b"ab\nc".to_vec()));
        assert_eq!(t[2].0, DelParenClose);
        let t = toks(b"'x\\ty' 'z'\n");
        assert_eq!(t[0].3, b"x\tyz".to_vec());
        let t = toks(b"'a' b'c'\n");
        assert_eq!((t[0].0, t[0].3.as_slice()), (String, &b"a"[..]));
        assert_eq!((t[1].0, t[1].3.as_slice()), (Bytes, &b"c"[..]));
        let t = toks(b"'abc\n");
        assert_eq!(t[0], (LonelyStringOpen, 1, 1, b"abc".to_vec()));
        let t = toks(b"'''ab'c\n");
        assert_eq!(t[0], (LonelyStringOpen, 1, 1, b"ab'c\n".to_vec()));
        // The fourth quote opens an adjacent literal, which the LF leaves unterminated.
        let t = toks(b"'''a''''\n");
        assert_eq!(t[0], (LonelyStringOpen, 1, 1, b"a".to_vec()));
    }
}
