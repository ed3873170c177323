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

use crate::PResult;

use super::ReleaseLexer;
use crate::release::FrontEnd;
use crate::token::TokenKind;

/// How many bytes an f-string argument may read again past the end of injected text
/// before it is cut short: the reference runs out of heap well before (its argument text
/// doubles in a heap of a few MiB), and any clean result stands against its MemoryError.
const REPLAY_LIMIT: usize = 1 << 20;

/// Up to 1.27: a 0xFF of injected text that reads as the end of the input
/// ([`Features::injected_ff_reads_as_end`]) ends the input for whatever stops there, but the
/// reference's buffers still hold what follows, which an f-string that takes the mark as text
/// reads on.
pub(super) struct FfMark {
    /// The injected text after the mark (the arguments appended to it come after).
    rest: Vec<u8>,
    /// The input after the injected text.
    source: Vec<u8>,
}

/// What comes before injected text ([`ReleaseLexer::inject`]).
#[derive(Clone, Copy)]
enum Lead {
    /// Nothing: a `.format(...)` call of its own.
    OwnCall,
    /// The rest of injected text with arguments behind it, after this byte.
    After(Option<u8>),
    /// Such text after an end-of-input mark, a byte for which comes first.
    Mark,
}

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
    ///
    /// Before 1.28 an f-string read inside injected text adds its arguments to that text, so
    /// a literal that runs past the end of the injected text reads them as its own text
    /// first ([`ReleaseLexer::settle_appended`]); past that end, the reference has dropped
    /// the injected text, and the literal's further arguments start a call of their own,
    /// injected after the token (without `.format(` where adjacent f-strings join, as the
    /// text was not empty when the literal began).
    pub(super) fn fstring_literal(&mut self, is_raw: bool) -> PResult<()> {
        let (quote, num_quotes) = self.open_interpolated_literal();
        let in_injected = |lex: &Self| !R::LEX.nested_fstrings && lex.cur.pos < lex.inject_end;
        // The reference adds `.format(` where its text of arguments is empty, or always
        // where adjacent f-strings do not join; the text being injected is never empty.
        if !R::LEX.adjacent_fstrings_join {
            self.arg_text(in_injected(self))
                .extend_from_slice(b".format(");
        } else if self.fstring_args.is_empty() && !in_injected(self) {
            self.fstring_args.extend_from_slice(b".format(");
        }

        let mut n_closing = 0;
        loop {
            self.settle_appended();
            let Some(mut c) = self.peek(0) else { break };
            if (num_quotes == 1 && c == b'\n') || n_closing >= num_quotes {
                break;
            }
            if c == quote {
                n_closing += 1;
                self.vstr.push(c);
            } else {
                n_closing = 0;
                if c == b'{' {
                    self.cur.next_char(&self.buf);
                    if self.peek(0) == Some(b'{') {
                        // `{{` stays as it is, for `str.format`.
                        self.vstr.push(b'{');
                        self.cur.next_char(&self.buf);
                    } else {
                        self.fstring_arg();
                    }
                    // The `{` (or the second of `{{`) goes in; the character after it is
                    // looked at afresh (1.28 on). Up to 1.27 only a further `{` is: any
                    // other character is taken as text, even a quote or a newline.
                    self.vstr.push(b'{');
                    match self.peek(0) {
                        Some(next)
                            if !R::LEX.fstring_text_after_brace_rechecked && next != b'{' =>
                        {
                            c = next
                        }
                        // Up to 1.27 that character may be the end-of-input mark a 0xFF of
                        // injected text reads as: taken as text too, the reading goes on.
                        None if !R::LEX.fstring_text_after_brace_rechecked
                            && self.ff_mark.is_some() =>
                        {
                            self.pass_ff_mark();
                            c = 0xff;
                        }
                        _ => continue,
                    }
                }
                if c == b'\\' {
                    self.take_escape(is_raw)?;
                } else {
                    self.vstr.push(c);
                }
            }
            self.cur.next_char(&self.buf);
        }
        if n_closing < num_quotes {
            self.tok_kind = TokenKind::LonelyStringOpen;
        }
        self.vstr.truncate(self.vstr.len() - n_closing);
        Ok(())
    }

    /// Where an f-string's arguments go: the text being injected (`fstring_appended`) while
    /// the cursor is inside it before 1.28, else `fstring_args`.
    fn arg_text(&mut self, in_injected: bool) -> &mut Vec<u8> {
        if in_injected {
            &mut self.fstring_appended
        } else {
            &mut self.fstring_args
        }
    }

    /// One f-string argument, the cursor just past its `{`: its raw bytes up to a `:` or `}`,
    /// or a `!r`/`!s` before one, at bracket depth zero.
    fn fstring_arg(&mut self) {
        let mut in_injected = !R::LEX.nested_fstrings && self.cur.pos < self.inject_end;
        let args = self.arg_text(in_injected);
        if R::LEX.fstring_args_parenthesised {
            args.push(b'(');
        }
        let mut start = args.len();
        // Bracket depth of the argument, wrapping as the reference's does.
        let mut depth: u32 = 0;
        // Bytes of the argument read again past the end of injected text.
        let mut replayed = 0usize;
        while let Some(b) = self.peek(0) {
            if depth == 0 {
                let conversion = R::LEX.fstring_conversions
                    && b == b'!'
                    && matches!(self.peek(1), Some(b'r' | b's'))
                    && matches!(self.peek(2), Some(b':' | b'}'));
                if b == b':' || b == b'}' || conversion {
                    break;
                }
            }
            // 1.17 does not nest: every `:` or `}` ends the argument.
            match b {
                b'[' | b'{' if R::LEX.fstring_brackets_nest => depth = depth.wrapping_add(1),
                b']' | b'}' if R::LEX.fstring_brackets_nest => depth = depth.wrapping_sub(1),
                _ => {}
            }
            self.arg_text(in_injected).push(b);
            self.cur.next_char(&self.buf);
            if in_injected
                && self.cur.pos + 2 == self.inject_end
                && !self.fstring_appended.is_empty()
                && !self.appended_out_of_reach()
            {
                // The reference's look-ahead reaches the end of the injected text while
                // bytes are added behind it: it reads on into them, this argument's own
                // start included, which grows as it is read (a cycle that ends where the
                // depth comes back to zero at a `:` or `}`, or in MemoryError).
                replayed += self.fstring_appended.len();
                if replayed > REPLAY_LIMIT {
                    break;
                }
                self.inject_mid_token();
                start = 0;
            }
            if in_injected && self.cur.pos >= self.inject_end && self.ff_mark.is_none() {
                // The argument runs past the injected text, which the reference then drops
                // with the argument's start; the rest goes to a text of its own. (At an
                // end-of-input mark it stops there, still inside that text.)
                self.fstring_appended.clear();
                in_injected = false;
                start = start.min(self.fstring_args.len());
            }
        }
        let args = if in_injected {
            &mut self.fstring_appended
        } else {
            &mut self.fstring_args
        };
        if args.last() == Some(&b'=') {
            let from = start.min(args.len());
            self.vstr.extend_from_slice(&args[from..]);
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
        self.fstring_args = self.inject(text, Lead::OwnCall);
    }

    /// The text injected last is read to its end, or nearly (a scan inside a token): the
    /// arguments appended to it (before 1.28) follow, as they are. The rest of the injected
    /// text and they are injected again together at the cursor.
    #[inline(never)]
    pub(super) fn inject_appended(&mut self) {
        if self.ff_mark.is_some() {
            // An end-of-input mark stands between the cursor and them.
            return;
        }
        if self.inject_cut_at_nul {
            // The text ends at a NUL, where the reference drops the arguments behind it.
            self.fstring_appended.clear();
            return;
        }
        let mut text = std::mem::take(&mut self.fstring_appended);
        let column = self.cur.column();
        let pos = self.cur.pos;
        if pos < self.inject_end {
            // The rest of the injected text moves in front of them.
            let rest = self.buf.get(pos..self.inject_end).unwrap_or_default();
            text.splice(0..0, rest.iter().copied());
            self.cur.pos = self.inject_end;
        }
        let before = self.buf.get(pos.wrapping_sub(1)).copied();
        self.fstring_appended = self.inject(text, Lead::After(before));
        self.cur.col_base = column;
        self.cur.col_pos = self.cur.pos;
    }

    /// Whether the arguments appended to the injected text cannot be read: a NUL or an
    /// end-of-input mark comes first.
    #[inline(always)]
    fn appended_out_of_reach(&self) -> bool {
        self.inject_cut_at_nul || self.ff_mark.is_some()
    }

    /// The cursor is at an end-of-input mark ([`FfMark`]) which an f-string takes as text
    /// (up to 1.27): the input comes back behind the injected text, and the rest of that
    /// text, with the arguments appended to it (unless a NUL ends it first), is injected at
    /// the cursor behind a byte standing for the mark, where the cursor is left.
    #[cold]
    #[inline(never)]
    fn pass_ff_mark(&mut self) {
        let Some(mark) = self.ff_mark.take() else {
            return;
        };
        let FfMark { rest, source } = *mark;
        let cut_at_nul = self.inject_cut_at_nul;
        let mut text = Vec::with_capacity(1 + rest.len() + self.fstring_appended.len());
        text.push(0xff);
        text.extend_from_slice(&rest);
        if cut_at_nul {
            self.fstring_appended.clear();
        } else {
            text.append(&mut self.fstring_appended);
        }
        let buf = self.buf.to_mut();
        buf.truncate(self.cur.pos);
        buf.extend_from_slice(&source);
        self.fstring_appended = self.inject(text, Lead::Mark);
        self.inject_cut_at_nul |= cut_at_nul;
    }

    /// Before 1.28: whether arguments of f-strings read inside injected text wait to be
    /// injected after it.
    #[inline(always)]
    pub(super) fn appended_pending(&self) -> bool {
        R::LEX.fstrings && !R::LEX.nested_fstrings && !self.fstring_appended.is_empty()
    }

    /// The reference appends those arguments to the text it injects at once, so a scan
    /// that comes within its look-ahead (two characters) of the end of the injected text
    /// reads them next: put them in now.
    #[inline(always)]
    pub(super) fn settle_appended(&mut self) {
        if self.appended_pending()
            && self.cur.pos + 2 >= self.inject_end
            && self.cur.pos <= self.inject_end
        {
            self.inject_mid_token();
        }
    }

    /// [`ReleaseLexer::inject_appended`] inside a token: the token's value so far, if it is
    /// still in the source, moves to `vstr` first, as the bytes before the cursor may be
    /// written over.
    #[inline(never)]
    pub(super) fn inject_mid_token(&mut self) {
        if self.value_in_buf {
            self.value_in_buf = false;
            let buf: &[u8] = &self.buf;
            self.vstr
                .extend_from_slice(buf.get(self.name_start..self.name_end).unwrap_or_default());
        }
        self.inject_appended();
    }

    /// Puts `text` into the source at the cursor; gives `text`'s buffer back, emptied.
    ///
    /// `lead` says what is read just before `text`; it decides what a 0xFF byte reads as
    /// ([`Features::injected_ff_reads_as_end`]). Where one reads as the end of the input,
    /// the text is cut there and the input ends behind it: what follows is kept in
    /// `ff_mark`, for an f-string that takes the mark as text.
    fn inject(&mut self, mut text: Vec<u8>, lead: Lead) -> Vec<u8> {
        let (from, before) = match lead {
            // The first three bytes of a call of its own are loaded as they are.
            Lead::OwnCall => (3, None),
            Lead::After(before) => (0, before),
            // The first byte stands for the mark, which a 0xFF right after leaves as it is.
            Lead::Mark => (1, None),
        };
        self.inject_cut_at_nul = R::LEX.injected_nul_ends_text
            && nul_ends_text(&mut text, matches!(lead, Lead::OwnCall));
        let mark_at = if R::LEX.injected_ff_reads_as_end {
            ff_reads_as_end(&mut text, from, before)
        } else {
            None
        };
        let pos = self.cur.pos;
        let column = self.cur.column();
        let buf = self.buf.to_mut();
        if let Some(at) = mark_at {
            let rest = text.split_off(at + 1);
            text.truncate(at);
            let source = buf.split_off(pos);
            self.ff_mark = Some(Box::new(FfMark { rest, source }));
        }
        let n = text.len();
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

/// Up to 1.27, injected text ends at its first NUL, which reads as the end of that text:
/// cuts `text` there. The first byte of a call of its own is loaded as it is, not checked.
/// Returns whether it was cut.
fn nul_ends_text(text: &mut Vec<u8>, own_call: bool) -> bool {
    let from = usize::from(own_call);
    match text.iter().skip(from).position(|&b| b == 0) {
        Some(at) => {
            text.truncate(from + at);
            true
        }
        None => false,
    }
}

/// Up to 1.27, a 0xFF byte of injected text widens to the end-of-input mark, which is read
/// as a LF unless the byte before it is a LF (or such a mark): rewrites `text` so from
/// `from` on (`before` being the byte read before `text`). Gives where a 0xFF stays the
/// mark, if one does.
fn ff_reads_as_end(text: &mut [u8], from: usize, before: Option<u8>) -> Option<usize> {
    let first = text.iter().skip(from).position(|&b| b == 0xff)? + from;
    for i in first..text.len() {
        if text[i] != 0xff {
            continue;
        }
        let prev = if i == 0 { before } else { Some(text[i - 1]) };
        if matches!(prev, Some(b'\n' | 0xff)) {
            return Some(i);
        }
        text[i] = b'\n';
    }
    None
}
