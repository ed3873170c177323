//! String and bytes literals: prefixes, quotes, escapes, and joining of adjacent literals.

use mpcore::PyException;

use super::chars::{find_any, is, xdigit_value, XDIGIT};
use super::{unicode_name_escapes, Cursor, Lexer};
use crate::token::TokenKind;

/// Bytes that end a run of plain literal contents.
#[inline(always)]
fn is_special(b: u8, quote: u8) -> bool {
    b == quote || b == b'\\' || b == b'\n' || b == b'\t'
}

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

impl Lexer<'_> {
    /// One STRING or BYTES token: a literal plus any adjacent literals of the same kind
    /// (separated by whitespace, comments, continuations, or newlines inside brackets).
    #[inline(never)]
    pub(super) fn string_literals(&mut self) -> Result<(), PyException> {
        // End marks "no literal read yet".
        self.tok_kind = TokenKind::End;
        loop {
            let c0 = self.peek(0);
            let c1 = self.peek(1);
            let (kind, is_raw, n_prefix) = match c0 {
                Some(b'u') => (TokenKind::String, false, 1),
                Some(b'b') if c1 == Some(b'r') => (TokenKind::Bytes, true, 2),
                Some(b'b') => (TokenKind::Bytes, false, 1),
                Some(b'r') if c1 == Some(b'b') => (TokenKind::Bytes, true, 2),
                Some(b'r') => (TokenKind::String, true, 1),
                _ => (TokenKind::String, false, 0),
            };
            if self.tok_kind == TokenKind::End {
                self.tok_kind = kind;
            } else if self.tok_kind != kind {
                // str and bytes do not join: the next literal is a token of its own.
                break;
            }
            self.cur.pos += n_prefix;
            self.string_literal(is_raw)?;
            self.skip_whitespace(true);
            if !self.is_string_or_bytes() {
                break;
            }
        }
        Ok(())
    }

    /// One quoted literal, the current character being its opening quote.
    fn string_literal(&mut self, is_raw: bool) -> Result<(), PyException> {
        let buf: &[u8] = &self.buf;
        let cur = &mut self.cur;
        let vstr = &mut self.vstr;
        let quote = if buf.get(cur.pos) == Some(&b'"') {
            b'"'
        } else {
            b'\''
        };
        cur.pos += 1;
        let num_quotes = if buf.get(cur.pos) == Some(&quote) && buf.get(cur.pos + 1) == Some(&quote)
        {
            cur.pos += 2;
            3
        } else {
            1
        };

        let mut n_closing = 0;
        while let Some(&b) = buf.get(cur.pos) {
            if (num_quotes == 1 && b == b'\n') || n_closing >= num_quotes {
                break;
            }
            if !is_special(b, quote) {
                // A run of plain bytes, copied as they are (no LF or tab inside).
                let rest = &buf[cur.pos..];
                let len = find_any(rest, [quote, b'\\', b'\n', b'\t']);
                vstr.extend_from_slice(&rest[..len]);
                cur.pos += len;
                n_closing = 0;
                continue;
            }
            if b == quote {
                n_closing += 1;
                vstr.push(quote);
            } else {
                n_closing = 0;
                if b == b'\\' {
                    cur.next_char(buf);
                    // A backslash is never last: the input always ends with a LF.
                    let Some(&e) = buf.get(cur.pos) else { break };
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
                            b'u' | b'U' if self.tok_kind == TokenKind::Bytes => {
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
                                        self.tok_kind = TokenKind::Invalid;
                                        0
                                    }
                                });
                            }
                            b'N' => return Err(unicode_name_escapes()),
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
                    if let Some(c) = c {
                        if self.unicode {
                            if c < 0x11_0000 && self.tok_kind == TokenKind::String {
                                push_utf8(vstr, c);
                            } else if c < 0x100 && self.tok_kind == TokenKind::Bytes {
                                vstr.push(c as u8);
                            } else {
                                // Out of range (or the literal is already INVALID).
                                self.tok_kind = TokenKind::Invalid;
                            }
                        } else if c < 0x100 {
                            vstr.push(c as u8);
                        } else {
                            self.tok_kind = TokenKind::Invalid;
                        }
                    }
                } else {
                    // LF (inside triple quotes) or tab: kept as it is.
                    vstr.push(b);
                }
            }
            cur.next_char(buf);
        }

        if n_closing < num_quotes {
            self.tok_kind = TokenKind::LonelyStringOpen;
        }
        vstr.truncate(vstr.len().saturating_sub(n_closing));
        Ok(())
    }
}
