//! Tokeniser with the behaviour of MicroPython 1.11's `py/lexer.c`, byte for byte.
//!
//! The reference reads the source through a three-character window in which CR and CR LF
//! become LF and a LF is appended when the input does not end with one (an empty input reads
//! as a single LF). We normalise the input once the same way (borrowing it when it needs no
//! change) and then scan the bytes directly. Token values go into one reused buffer (names,
//! numbers without `_` or `E` and single literals without escapes are served straight from the
//! source), so lexing allocates nothing per token.
//!
//! Quirks kept on purpose because the reference has them: no BOM handling (a UTF-8 BOM becomes
//! part of the first identifier), any byte >= 0x80 is an identifier character, the indentation
//! stack stores `u16` values, the bracket level wraps below zero, an unknown escape keeps its
//! backslash, and in a `str` the byte after such a backslash (or after a backslash in a raw
//! string) is stored as the code point of that byte, UTF-8 encoded, when unicode is on.
//!
//! One deliberate difference of interface: `__debug__` comes out as [`TokenKind::KwDebug`].
//! The reference's lexer turns it into `True` (at `-O0`) or `False` right away; here the
//! parser, which knows the optimisation level, does that.

use crate::PResult;
mod chars;
mod features;
mod fstring;
mod keyword;
mod public;
mod string;
mod tstring;

pub use features::Features;

pub use public::Lexer;

use std::borrow::Cow;
use std::marker::PhantomData;

use mpcore::{ExcKind, PyException, Release};

use crate::release::FrontEnd;
use crate::token::TokenKind;
use chars::{eq_bytes, ident_len, is, non_ident_bytes, skip_spaces, DIGIT, IDENT_HEAD};

/// Columns a tab advances to: the next multiple of 8, plus one.
const TAB_SIZE: usize = 8;

/// Settings of the reference that change what the lexer produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LexerConfig {
    /// mpy-cross's `-municode` (default) / `-mno-unicode`: with unicode, escapes in `str`
    /// literals store code points up to 0x10FFFF as UTF-8; without, only values below 0x100,
    /// each as a single byte.
    pub unicode: bool,
    /// The MicroPython release whose lexer to reproduce (see [`Features`]).
    pub release: Release,
}

impl Default for LexerConfig {
    fn default() -> Self {
        LexerConfig {
            unicode: true,
            release: Release::V1_11,
        }
    }
}

/// Where the scan is: the byte index of the current character (the reference's `chr0`) and
/// its line and column. The column is kept as `col_base + (pos - col_pos)`, re-anchored
/// whenever a LF or a tab is consumed, so runs of ordinary bytes advance it for free.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    pos: usize,
    line: usize,
    col_base: usize,
    col_pos: usize,
}

impl Cursor {
    #[inline(always)]
    fn column(&self) -> usize {
        self.col_base
            .wrapping_add(self.pos.wrapping_sub(self.col_pos))
    }

    /// The reference's `next_char`: consume the current character, updating line and column.
    #[inline(always)]
    fn next_char(&mut self, buf: &[u8]) {
        match buf.get(self.pos) {
            Some(b'\n') => {
                self.line = self.line.wrapping_add(1);
                self.col_base = 1;
                self.col_pos = self.pos + 1;
            }
            Some(b'\t') => {
                let col = self.column();
                self.col_base = (col.wrapping_sub(1).wrapping_add(TAB_SIZE) / TAB_SIZE)
                    .wrapping_mul(TAB_SIZE)
                    .wrapping_add(1);
                self.col_pos = self.pos + 1;
            }
            _ => {}
        }
        self.pos += 1;
    }

    /// Consume `buf[self.pos..to]` as [`Cursor::next_char`] would, a word at a time.
    #[inline]
    fn pass_over(&mut self, buf: &[u8], to: usize) {
        let start = self.pos;
        let seg = buf.get(start..to).unwrap_or_default();
        let mut words = seg.chunks_exact(8);
        let mut at = start;
        for chunk in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let x = u64::from_le_bytes(w);
            let lf = eq_bytes(x, b'\n');
            let tab = eq_bytes(x, b'\t');
            if lf | tab != 0 {
                self.pass_word(at, lf, tab);
            }
            at += 8;
        }
        for &b in words.remainder() {
            if b == b'\n' || b == b'\t' {
                self.pos = at;
                self.next_char(buf);
            }
            at += 1;
        }
        self.pos = to.max(start);
    }

    /// The LFs and tabs of the eight bytes at `at` (high bit of each flagged byte set).
    #[cold]
    fn pass_word(&mut self, at: usize, lf: u64, mut tab: u64) {
        if lf != 0 {
            self.line = self.line.wrapping_add(lf.count_ones() as usize);
            let last = 63 - lf.leading_zeros();
            self.col_base = 1;
            self.col_pos = at + (last / 8) as usize + 1;
            // Only tabs after the last LF count.
            tab &= (!0u64).checked_shl(last + 1).unwrap_or(0);
        }
        while tab != 0 {
            let t = at + (tab.trailing_zeros() / 8) as usize;
            let col = self.col_base.wrapping_add(t.wrapping_sub(self.col_pos));
            self.col_base = (col.wrapping_sub(1).wrapping_add(TAB_SIZE) / TAB_SIZE)
                .wrapping_mul(TAB_SIZE)
                .wrapping_add(1);
            self.col_pos = t + 1;
            tab &= tab - 1;
        }
    }
}

/// Fast-path dispatch on a token's first byte (see [`ACTION`]). The classes are single bits,
/// tested one after the other in order of frequency (a `match` becomes a jump table, which
/// costs more for the common names).
const A_OTHER: u8 = 0;
/// A name or keyword (or, for `r`, `u` and `b`, a string prefix).
const A_NAME: u8 = 1 << 0;
/// A one-byte delimiter whatever follows (see [`SINGLE`]).
const A_SINGLE: u8 = 1 << 1;
/// Whitespace other than a space, or a backslash: only [`ReleaseLexer::advance_slow`]
/// handles it.
const A_SLOW: u8 = 1 << 2;
/// A space.
const A_SPACE: u8 = 1 << 3;
/// A LF.
const A_LF: u8 = 1 << 4;
/// `=` or `.`, the commonest operator bytes after [`A_SINGLE`] ones (a `.` may also start a
/// number or an ellipsis).
const A_OP: u8 = 1 << 5;
/// A quote.
const A_QUOTE: u8 = 1 << 6;
/// A digit.
const A_DIGIT: u8 = 1 << 7;

const fn build_action() -> [u8; 256] {
    let mut t = [A_OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b == b' ' {
            A_SPACE
        } else if b == b'\n' {
            A_LF
        } else if matches!(b, b'\t' | 0x0b | 0x0c | b'#' | b'\\') {
            A_SLOW
        } else if b == b'=' || b == b'.' {
            A_OP
        } else if b == b'\'' || b == b'"' {
            A_QUOTE
        } else if b.is_ascii_digit() {
            A_DIGIT
        } else if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 {
            A_NAME
        } else if matches!(
            b,
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b':' | b';' | b'@' | b'~'
        ) {
            A_SINGLE
        } else {
            A_OTHER
        };
        i += 1;
    }
    t
}

/// The [`A_OTHER`]..[`A_DIGIT`] class of every byte.
static ACTION: [u8; 256] = build_action();

const fn build_single() -> [(TokenKind, isize); 256] {
    use TokenKind::*;
    let mut t = [(Invalid, 0isize); 256];
    t[b'(' as usize] = (DelParenOpen, 1);
    t[b')' as usize] = (DelParenClose, -1);
    t[b'[' as usize] = (DelBracketOpen, 1);
    t[b']' as usize] = (DelBracketClose, -1);
    t[b'{' as usize] = (DelBraceOpen, 1);
    t[b'}' as usize] = (DelBraceClose, -1);
    t[b',' as usize] = (DelComma, 0);
    t[b':' as usize] = (DelColon, 0);
    t[b';' as usize] = (DelSemicolon, 0);
    t[b'@' as usize] = (DelAt, 0);
    t[b'~' as usize] = (OpTilde, 0);
    t
}

const fn build_ops() -> [[TokenKind; 4]; 256] {
    use TokenKind::*;
    let mut t = [[End; 4]; 256];
    t[b'<' as usize] = [OpLess, OpLessEqual, OpDblLess, DelDblLessEqual];
    t[b'>' as usize] = [OpMore, OpMoreEqual, OpDblMore, DelDblMoreEqual];
    t[b'*' as usize] = [OpStar, DelStarEqual, OpDblStar, DelDblStarEqual];
    t[b'/' as usize] = [OpSlash, DelSlashEqual, OpDblSlash, DelDblSlashEqual];
    t[b'+' as usize] = [OpPlus, DelPlusEqual, End, End];
    t[b'&' as usize] = [OpAmpersand, DelAmpersandEqual, End, End];
    t[b'|' as usize] = [OpPipe, DelPipeEqual, End, End];
    t[b'%' as usize] = [OpPercent, DelPercentEqual, End, End];
    t[b'^' as usize] = [OpCaret, DelCaretEqual, End, End];
    t[b'=' as usize] = [DelEqual, OpDblEqual, End, End];
    t[b'!' as usize] = [Invalid, OpNotEqual, End, End];
    t[b'-' as usize] = [OpMinus, DelMinusEqual, End, End];
    t[b'.' as usize] = [DelPeriod, End, End, End];
    t
}

/// For [`A_OP`] bytes: the token alone, followed by `=`, doubled, and doubled then `=`
/// ([`TokenKind::End`] where there is none).
static OPS: [[TokenKind; 4]; 256] = build_ops();

/// For [`A_SINGLE`] bytes: the token kind and the change of the bracket level.
static SINGLE: [(TokenKind, isize); 256] = build_single();

/// The tokeniser of release `R` ([`FrontEnd`]) over one source file; always holds a current
/// token. [`Lexer`] is the public face, which picks the release when it is made.
pub(crate) struct ReleaseLexer<'src, R> {
    buf: Cow<'src, [u8]>,
    cur: Cursor,
    unicode: bool,
    /// The release, as a type: its switches are `R::LEX`.
    release: PhantomData<fn() -> R>,
    /// Arguments of the f-string being read, `.format(` onwards (empty when there is none).
    fstring_args: Vec<u8>,
    /// Where the text injected last ends in `buf` (before 1.28: while the cursor is before
    /// it, an f-string's arguments go to `fstring_appended`).
    inject_end: usize,
    /// Arguments of f-strings read inside injected text, before 1.28: injected when the
    /// cursor reaches `inject_end` ([`Features::nested_fstrings`]).
    fstring_appended: Vec<u8>,
    /// The text injected last was cut at a NUL ([`Features::injected_nul_ends_text`]).
    inject_cut_at_nul: bool,
    /// The text injected last ends at a 0xFF read as the end of the input, with what the
    /// reference still holds behind that mark ([`Features::injected_ff_reads_as_end`]).
    ff_mark: Option<Box<fstring::FfMark>>,
    /// Line and column of the LF that ends the current logical line, once passed (for
    /// [`Features::newline_at_line_end`]).
    line_end: Option<(usize, usize)>,
    /// Pending INDENT (> 0) or DEDENT (< 0) tokens.
    emit_dent: isize,
    /// Open brackets; wraps below zero like the reference's `size_t`.
    nested_bracket_level: usize,
    /// Indentation stack; entries are `u16` as in the reference (wider values are truncated).
    indent_level: Vec<u16>,
    tok_kind: TokenKind,
    tok_line: usize,
    tok_column: usize,
    /// Decoded value of the current token (string contents, number text).
    vstr: Vec<u8>,
    /// The value is `buf[name_start..name_end]` instead of `vstr` (names, most numbers and
    /// string literals).
    value_in_buf: bool,
    name_start: usize,
    name_end: usize,
}

/// CR LF and lone CR become LF; a LF is appended unless the input already ends with one.
fn normalise(source: &[u8]) -> Cow<'_, [u8]> {
    let ends_with_newline = matches!(source.last(), Some(b'\n' | b'\r'));
    if ends_with_newline && memchr::memchr(b'\r', source).is_none() {
        return Cow::Borrowed(source);
    }
    let mut out = Vec::with_capacity(source.len() + 1);
    let mut rest = source;
    while let Some(i) = memchr::memchr(b'\r', rest) {
        out.extend_from_slice(&rest[..i]);
        out.push(b'\n');
        rest = &rest[i + 1..];
        if rest.first() == Some(&b'\n') {
            rest = &rest[1..];
        }
    }
    out.extend_from_slice(rest);
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    Cow::Owned(out)
}

impl<'src, R: FrontEnd> ReleaseLexer<'src, R> {
    /// Start lexing `source` as release `R` does and read the first token (the reference's
    /// `mp_lexer_new`); `unicode` is mpy-cross's `-municode`.
    pub(crate) fn open(source: &'src [u8], unicode: bool) -> PResult<Self> {
        let mut indent_level = Vec::with_capacity(16);
        indent_level.push(0);
        let feat = R::LEX;
        let mut buf = normalise(source);
        if feat.nul_reads_as_one && memchr::memchr(0, &buf).is_some() {
            for b in buf.to_mut().iter_mut().filter(|b| **b == 0) {
                *b = 1;
            }
        }
        let mut lex = ReleaseLexer {
            buf,
            cur: Cursor {
                pos: 0,
                line: 1,
                col_base: 1,
                col_pos: 0,
            },
            unicode: unicode || feat.always_unicode,
            release: PhantomData,
            fstring_args: Vec::new(),
            inject_end: 0,
            fstring_appended: Vec::new(),
            inject_cut_at_nul: false,
            ff_mark: None,
            line_end: None,
            emit_dent: 0,
            nested_bracket_level: 0,
            indent_level,
            tok_kind: TokenKind::End,
            tok_line: 1,
            tok_column: 1,
            vstr: Vec::with_capacity(32),
            value_in_buf: false,
            name_start: 0,
            name_end: 0,
        };
        lex.advance()?;
        // The first token must be in column 1; otherwise the parser is handed an INDENT.
        if lex.tok_column != 1 && !(feat.newline_at_line_end && lex.tok_kind == TokenKind::Newline)
        {
            lex.tok_kind = TokenKind::Indent;
        }
        Ok(lex)
    }

    /// The current token's kind.
    #[inline]
    pub(crate) fn kind(&self) -> TokenKind {
        self.tok_kind
    }

    /// The current token's line (1-based).
    #[inline]
    pub(crate) fn line(&self) -> u32 {
        u32::try_from(self.tok_line).unwrap_or(u32::MAX)
    }

    /// The current token's column (1-based; a tab advances to the next multiple of 8, plus one;
    /// every other byte, including each byte of a UTF-8 sequence, counts one).
    #[inline]
    pub(crate) fn column(&self) -> u32 {
        u32::try_from(self.tok_column).unwrap_or(u32::MAX)
    }

    /// The current token's value: a name's bytes, the decoded contents of a string or bytes
    /// literal (adjacent literals already joined), or a number's text (underscores removed,
    /// `E` written `e`). Empty for other tokens.
    #[inline]
    pub(crate) fn value(&self) -> &[u8] {
        if self.value_in_buf {
            &self.buf[self.name_start..self.name_end]
        } else {
            &self.vstr
        }
    }

    /// Move to the next token (the reference's `mp_lexer_to_next`). Once at
    /// [`TokenKind::End`], stays there. After an `Err` the lexer is mid-token: stop using it,
    /// as the reference does (its exception ends the compilation).
    ///
    /// The common case (no pending INDENT/DEDENT, at most one space before the token) is
    /// handled here; everything else goes through the functions [`ReleaseLexer::dispatch`]
    /// names.
    pub(crate) fn advance(&mut self) -> PResult<()> {
        if R::LEX.fstrings
            && !R::LEX.nested_fstrings
            && !self.fstring_appended.is_empty()
            && self.cur.pos == self.inject_end
        {
            self.inject_appended();
        }
        let buf: &[u8] = &self.buf;
        let pos = self.cur.pos;
        match buf.get(pos) {
            Some(&b' ') if self.emit_dent == 0 => match buf.get(pos + 1) {
                Some(&c) if c != b' ' => self.dispatch(pos + 1, c),
                _ => self.after_spaces(pos),
            },
            Some(&c) if self.emit_dent == 0 => self.dispatch(pos, c),
            // Pending INDENT/DEDENTs follow a NEWLINE, which left the cursor past whitespace.
            Some(&c) if ACTION[c as usize] & (A_SPACE | A_LF | A_SLOW) == 0 => self.dent(),
            None => self.dent(),
            _ => self.advance_slow(false),
        }
    }

    /// One pending INDENT or DEDENT token, at the cursor (not at whitespace: nothing to skip).
    #[inline(never)]
    fn dent(&mut self) -> PResult<()> {
        if self.emit_dent == 0 {
            return self.advance_slow(false);
        }
        self.vstr.clear();
        self.value_in_buf = false;
        self.tok_line = self.cur.line;
        self.tok_column = self.cur.column();
        if self.emit_dent < 0 {
            self.tok_kind = TokenKind::Dedent;
            self.emit_dent += 1;
        } else {
            self.tok_kind = TokenKind::Indent;
            self.emit_dent -= 1;
        }
        Ok(())
    }

    /// The token at `pos`, whose byte is `c`, with no INDENT/DEDENT pending. The common
    /// tokens are finished here without a stack frame; the others are tail calls.
    #[inline(always)]
    fn dispatch(&mut self, pos: usize, c: u8) -> PResult<()> {
        let action = ACTION[c as usize];
        if action & A_NAME != 0 {
            let buf: &[u8] = &self.buf;
            let Some(chunk) = buf.get(pos..).and_then(|r| r.first_chunk::<8>()) else {
                return self.other_token(pos, c);
            };
            let word = u64::from_le_bytes(*chunk);
            let stops = non_ident_bytes(word);
            if stops == 0 {
                return self.long_name(pos, word);
            }
            // The first byte is an identifier byte, so 1 <= len <= 7.
            let len = (stops.trailing_zeros() / 8) as usize;
            if len <= 2
                && (matches!(c, b'r' | b'u' | b'b')
                    || (R::LEX.fstrings && matches!(c, b'f' | b't')))
            {
                // `r'`, `b"`, `rb'`... start a string: the full test decides.
                let stop = (word >> (8 * len)) as u8;
                if stop == b'\'' || stop == b'"' {
                    return self.other_token(pos, c);
                }
            }
            self.start_token(pos);
            self.cur.pos = pos + len;
            self.name_start = pos;
            self.name_end = pos + len;
            self.value_in_buf = true;
            self.tok_kind = keyword::kind_of_word(word & ((1u64 << (8 * len)) - 1));
            Ok(())
        } else if action & A_SINGLE != 0 {
            // `:=` and `@=`, where the release has them, are two-byte operators.
            if ((R::LEX.walrus && c == b':') || (R::LEX.at_equal && c == b'@'))
                && self.buf.get(pos + 1) == Some(&b'=')
            {
                return self.other_token(pos, c);
            }
            self.start_token(pos);
            let (kind, delta) = SINGLE[c as usize];
            self.vstr.clear();
            self.value_in_buf = false;
            self.tok_kind = kind;
            self.nested_bracket_level = self.nested_bracket_level.wrapping_add(delta as usize);
            self.cur.pos = pos + 1;
            Ok(())
        } else if action & A_OP != 0 {
            self.equal_or_period(pos, c)
        } else if action & A_LF != 0 {
            self.newline(pos)
        } else if action & A_SPACE != 0 {
            self.after_spaces(pos)
        } else if action & A_QUOTE != 0 {
            self.quote_token(pos, c)
        } else if action & A_DIGIT != 0 {
            self.number_token(pos, c)
        } else {
            self.other_token(pos, c)
        }
    }

    /// Records where the token starting at `pos` is (no LF or tab since the cursor).
    #[inline(always)]
    fn start_token(&mut self, pos: usize) {
        self.cur.pos = pos;
        self.tok_line = self.cur.line;
        self.tok_column = self.cur.column();
    }

    /// [`ReleaseLexer::advance`] at a space: skip the run of spaces, then dispatch.
    #[inline(never)]
    fn after_spaces(&mut self, pos: usize) -> PResult<()> {
        let buf: &[u8] = &self.buf;
        let mut pos = pos + 1;
        if buf.get(pos) == Some(&b' ') {
            pos += skip_spaces(buf.get(pos..).unwrap_or_default());
        }
        match buf.get(pos) {
            Some(&c) if c != b' ' => self.dispatch(pos, c),
            _ => {
                self.cur.pos = pos;
                self.advance_slow(false)
            }
        }
    }

    /// A name of eight bytes or more at `pos`, whose first eight bytes form `first`.
    #[inline(never)]
    fn long_name(&mut self, pos: usize, first: u64) -> PResult<()> {
        let buf: &[u8] = &self.buf;
        let rest = buf.get(pos..).unwrap_or_default();
        let len = ident_len(rest, 8);
        let kind = match len {
            8 => keyword::kind_of_word(first),
            9 if rest.get(..9) == Some(b"__debug__") => TokenKind::KwDebug,
            _ => TokenKind::Name,
        };
        self.start_token(pos);
        self.cur.pos = pos + len;
        self.name_start = pos;
        self.name_end = pos + len;
        self.value_in_buf = true;
        self.tok_kind = kind;
        Ok(())
    }

    /// [`ReleaseLexer::advance`] at a LF: outside brackets, a LF and spaces before a token
    /// make a NEWLINE token here; anything else goes on in [`ReleaseLexer::advance_slow`].
    #[inline(never)]
    fn newline(&mut self, pos: usize) -> PResult<()> {
        let buf: &[u8] = &self.buf;
        let mut p = pos + 1;
        if R::LEX.newline_at_line_end && self.nested_bracket_level == 0 {
            self.cur.pos = pos;
            self.line_end = Some((self.cur.line, self.cur.column()));
        }
        self.cur.line = self.cur.line.wrapping_add(1);
        self.cur.col_base = 1;
        self.cur.col_pos = p;
        if buf.get(p) == Some(&b' ') {
            p += skip_spaces(buf.get(p..).unwrap_or_default());
        }
        if self.nested_bracket_level != 0 {
            // Inside brackets a LF is whitespace: the next token follows.
            return match buf.get(p) {
                Some(&c) if ACTION[c as usize] & (A_SLOW | A_LF) == 0 => self.other_token(p, c),
                _ => {
                    self.cur.pos = p;
                    self.advance_slow(false)
                }
            };
        }
        self.cur.pos = p;
        match buf.get(p) {
            Some(&c) if !matches!(ACTION[c as usize], A_SLOW | A_LF) => {
                self.vstr.clear();
                self.value_in_buf = false;
                self.tok_line = self.cur.line;
                self.tok_column = self.cur.column();
                self.tok_kind = TokenKind::Newline;
                // Most lines keep the indentation: nothing to compare further then.
                let top = self.indent_level.last().map_or(0, |&v| usize::from(v));
                if self.tok_column.wrapping_sub(1) != top {
                    self.indentation();
                }
                self.place_newline();
                Ok(())
            }
            _ => self.advance_slow(true),
        }
    }

    /// `=`, `==` or `.` (`.5` and `...` go on to [`ReleaseLexer::other_token`]).
    #[inline(never)]
    fn equal_or_period(&mut self, pos: usize, c: u8) -> PResult<()> {
        let next = self.buf.get(pos + 1).copied();
        let (kind, len) = if c == b'=' {
            if next == Some(b'=') {
                (TokenKind::OpDblEqual, 2)
            } else {
                (TokenKind::DelEqual, 1)
            }
        } else if next.is_some_and(|b| b == b'.' || b.is_ascii_digit()) {
            return self.other_token(pos, c);
        } else {
            (TokenKind::DelPeriod, 1)
        };
        self.start_token(pos);
        self.vstr.clear();
        self.value_in_buf = false;
        self.tok_kind = kind;
        self.cur.pos = pos + len;
        Ok(())
    }

    /// A number starting with digit `c` at `pos`.
    #[inline(never)]
    fn number_token(&mut self, pos: usize, c: u8) -> PResult<()> {
        self.start_token(pos);
        self.vstr.clear();
        self.value_in_buf = false;
        self.number(c);
        Ok(())
    }

    /// Every token [`ReleaseLexer::dispatch`] does not finish itself.
    #[inline(never)]
    fn other_token(&mut self, pos: usize, c: u8) -> PResult<()> {
        self.cur.pos = pos;
        if ACTION[c as usize] == A_SLOW {
            return self.advance_slow(false);
        }
        self.start_token(pos);
        self.vstr.clear();
        self.value_in_buf = false;
        self.token(c)
    }

    /// [`ReleaseLexer::advance`] in full: whitespace with newlines, tabs, comments or
    /// continuations, pending INDENT/DEDENT tokens, NEWLINE and END.
    ///
    /// `had_newline` says whether a LF was already passed since the last token.
    #[inline(never)]
    fn advance_slow(&mut self, had_newline: bool) -> PResult<()> {
        self.vstr.clear();
        self.value_in_buf = false;
        if R::LEX.newline_at_line_end && !had_newline {
            self.line_end = None;
        }

        let had_physical_newline = self.skip_whitespace(false) | had_newline;

        self.tok_line = self.cur.line;
        self.tok_column = self.cur.column();

        if self.emit_dent < 0 {
            self.tok_kind = TokenKind::Dedent;
            self.emit_dent += 1;
        } else if self.emit_dent > 0 {
            self.tok_kind = TokenKind::Indent;
            self.emit_dent -= 1;
        } else if had_physical_newline && self.nested_bracket_level == 0 {
            self.tok_kind = TokenKind::Newline;
            self.indentation();
            self.place_newline();
        } else {
            let Some(&c) = self.buf.get(self.cur.pos) else {
                self.tok_kind = TokenKind::End;
                return Ok(());
            };
            self.token(c)?;
        }
        Ok(())
    }

    /// The token starting with byte `c` at the current position (the value is already empty).
    #[inline(always)]
    fn token(&mut self, c: u8) -> PResult<()> {
        match c {
            b'\'' | b'"' => return self.string_literals(),
            b'r' | b'u' | b'b' if self.is_string_or_bytes() => return self.string_literals(),
            b'f' | b't' if R::LEX.fstrings && self.is_string_or_bytes() => {
                return self.string_literals()
            }
            _ if is(c, IDENT_HEAD) => self.name(),
            _ if is(c, DIGIT) || (c == b'.' && self.byte_is(1, DIGIT)) => self.number(c),
            _ => self.operator(c),
        }
        Ok(())
    }

    /// The byte `ahead` places after the current one, if there is one.
    #[inline(always)]
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.buf.get(self.cur.pos + ahead).copied()
    }

    #[inline(always)]
    fn byte_is(&self, ahead: usize, mask: u8) -> bool {
        self.peek(ahead).is_some_and(|b| is(b, mask))
    }

    /// Skip spaces, comments and backslash continuations; returns whether a LF was passed.
    /// With `stop_at_newline`, stops at a LF outside brackets.
    #[inline(always)]
    fn skip_whitespace(&mut self, stop_at_newline: bool) -> bool {
        let mut had_physical_newline = false;
        loop {
            if !self.skip_whitespace_part(stop_at_newline, &mut had_physical_newline) {
                return had_physical_newline;
            }
            self.comment_over_appended();
        }
    }

    /// [`ReleaseLexer::skip_whitespace`] up to its end, or (returning true) to the end of
    /// the injected text inside a comment, with arguments waiting behind it (before 1.28).
    #[inline(always)]
    fn skip_whitespace_part(
        &mut self,
        stop_at_newline: bool,
        had_physical_newline: &mut bool,
    ) -> bool {
        let buf: &[u8] = &self.buf;
        let cur = &mut self.cur;
        let mut comment_reaches_appended = false;
        loop {
            // Runs of spaces (indentation) first, then a quick exit at anything that is not
            // whitespace, a comment or a backslash.
            if buf.get(cur.pos) == Some(&b' ') {
                cur.pos += 1;
                if buf.get(cur.pos) == Some(&b' ') {
                    cur.pos += skip_spaces(&buf[cur.pos..]);
                }
            }
            let Some(&b) = buf.get(cur.pos) else { break };
            if b > b' ' && b != b'#' && b != b'\\' {
                break;
            }
            match b {
                0x0b | 0x0c => cur.pos += 1,
                b'\n' => {
                    if self.nested_bracket_level == 0 {
                        if stop_at_newline {
                            break;
                        }
                        if R::LEX.newline_at_line_end && self.line_end.is_none() {
                            self.line_end = Some((cur.line, cur.column()));
                        }
                    }
                    *had_physical_newline = true;
                    cur.next_char(buf);
                }
                b'\t' => cur.next_char(buf),
                b'#' => {
                    // Up to (not past) the LF that ends the comment; there always is one. The
                    // column is not tracked inside the comment: the LF resets it.
                    let rest = &buf[cur.pos..];
                    let end = cur.pos + memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                    if R::LEX.fstrings
                        && !R::LEX.nested_fstrings
                        && !self.fstring_appended.is_empty()
                        && cur.pos < self.inject_end
                        && end >= self.inject_end
                    {
                        cur.pos = self.inject_end;
                        comment_reaches_appended = true;
                        break;
                    }
                    cur.pos = end;
                }
                b'\\' if buf.get(cur.pos + 1) == Some(&b'\n') => {
                    cur.pos += 1;
                    cur.next_char(buf);
                }
                _ => break,
            }
        }
        comment_reaches_appended
    }

    /// A comment reaches the end of the injected text with arguments waiting behind it:
    /// the reference reads them into the comment ([`ReleaseLexer::settle_appended`]).
    #[cold]
    #[inline(never)]
    fn comment_over_appended(&mut self) {
        self.inject_mid_token();
        let rest = self.buf.get(self.cur.pos..).unwrap_or_default();
        self.cur.pos += memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    }

    /// With [`Features::newline_at_line_end`], a NEWLINE token (its indentation already
    /// measured) moves to the LF that ended its line.
    #[inline(always)]
    fn place_newline(&mut self) {
        if !R::LEX.newline_at_line_end {
            return;
        }
        if let Some((line, column)) = self.line_end.take() {
            self.tok_line = line;
            self.tok_column = column;
        }
    }

    /// A NEWLINE token: compare the new line's indentation with the stack.
    #[inline(never)]
    fn indentation(&mut self) {
        let num_spaces = self.tok_column.wrapping_sub(1);
        let top = |lex: &Self| lex.indent_level.last().map_or(0, |&v| usize::from(v));
        if num_spaces == top(self) {
        } else if num_spaces > top(self) {
            // Stored as u16, as the reference does.
            self.indent_level.push(num_spaces as u16);
            self.emit_dent += 1;
        } else {
            while num_spaces < top(self) {
                self.indent_level.pop();
                self.emit_dent -= 1;
            }
            if num_spaces != top(self) {
                self.tok_kind = TokenKind::DedentMismatch;
            }
        }
    }

    /// Whether a string or bytes literal starts here: a quote, or `r`/`u`/`b`, `rb`/`br`
    /// directly followed by a quote.
    #[inline]
    fn is_string_or_bytes(&self) -> bool {
        let quote = |b: Option<u8>| matches!(b, Some(b'\'' | b'"'));
        match self.peek(0) {
            Some(b'\'' | b'"') => true,
            Some(c @ (b'r' | b'u' | b'b')) => {
                let c1 = self.peek(1);
                quote(c1)
                    || (((c == b'r' && c1 == Some(b'b')) || (c == b'b' && c1 == Some(b'r')))
                        && quote(self.peek(2)))
                    || (R::LEX.fstrings
                        && c == b'r'
                        && (c1 == Some(b'f') || (R::LEX.tstrings && c1 == Some(b't')))
                        && quote(self.peek(2)))
            }
            Some(p @ (b'f' | b't')) if R::LEX.fstrings && (p == b'f' || R::LEX.tstrings) => {
                let c1 = self.peek(1);
                quote(c1) || (c1 == Some(b'r') && quote(self.peek(2)))
            }
            _ => false,
        }
    }

    /// A name or keyword. Names never contain LF or tab, so the column follows the position.
    /// Scans eight bytes at a time; the first word also decides the keyword test.
    #[inline(always)]
    fn name(&mut self) {
        let buf: &[u8] = &self.buf;
        let start = self.cur.pos;
        let rest = buf.get(start..).unwrap_or_default();
        let len = ident_len(rest, 0);
        // The first eight bytes as a word, when there are eight (0 otherwise).
        let first = rest
            .first_chunk::<8>()
            .map_or(0, |c| u64::from_le_bytes(*c));
        self.cur.pos = start + len;
        self.name_start = start;
        self.name_end = start + len;
        self.value_in_buf = true;
        self.tok_kind = if len <= 8 && first != 0 {
            // Keep the name's own bytes only (zero-padded).
            let keep = if len == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * len)) - 1
            };
            keyword::kind_of_word(first & keep)
        } else {
            keyword::kind_of_name(rest.get(..len).unwrap_or_default())
        };
    }

    /// An integer, float or imaginary literal; the value is its text as the reference keeps it.
    #[inline(never)]
    fn number(&mut self, first: u8) {
        let buf: &[u8] = &self.buf;
        let start = self.cur.pos;
        let mut kind = if first == b'.' {
            TokenKind::FloatOrImag
        } else {
            TokenKind::Integer
        };
        let forced_integer = first == b'0'
            && buf
                .get(start + 1)
                .is_some_and(|&b| matches!(b | 0x20, b'b' | b'o' | b'x'));
        // Whether the value is the text as it stands (no `_` to drop, no `E` to lower).
        let mut verbatim = true;
        let mut pos = start + 1;
        while let Some(&b) = buf.get(pos) {
            if !forced_integer && (b == b'e' || b == b'E') {
                kind = TokenKind::FloatOrImag;
                verbatim &= b == b'e';
                pos += 1;
                if let Some(b'+' | b'-') = buf.get(pos) {
                    pos += 1;
                }
            } else if b.is_ascii_alphanumeric() || b == b'.' {
                if matches!(b, b'.' | b'j' | b'J') {
                    kind = TokenKind::FloatOrImag;
                }
                pos += 1;
            } else if b == b'_' {
                verbatim = false;
                pos += 1;
            } else {
                break;
            }
        }
        self.tok_kind = kind;
        self.cur.pos = pos;
        if verbatim {
            self.value_in_buf = true;
            self.name_start = start;
            self.name_end = pos;
        } else {
            for &b in buf.get(start..pos).unwrap_or_default() {
                match b {
                    b'_' => {}
                    b'E' if !forced_integer => self.vstr.push(b'e'),
                    _ => self.vstr.push(b),
                }
            }
        }
    }

    /// An operator or delimiter (longest match), or INVALID for a byte that starts none.
    #[inline(always)]
    fn operator(&mut self, c: u8) {
        use TokenKind::*;
        let c1 = self.peek(1).unwrap_or(0);
        let [single, with_eq, double, double_eq] = OPS[c as usize];
        let (kind, len) = if c1 == b'=' && with_eq != End {
            (with_eq, 2)
        } else if c1 == c && double != End {
            if self.peek(2) == Some(b'=') {
                (double_eq, 3)
            } else {
                (double, 2)
            }
        } else if c == b'-' && c1 == b'>' {
            (DelMinusMore, 2)
        } else if c1 == b'=' && ((R::LEX.walrus && c == b':') || (R::LEX.at_equal && c == b'@')) {
            (if c == b':' { OpAssign } else { DelAtEqual }, 2)
        } else if c == b'.' && c1 == b'.' && self.peek(2) == Some(b'.') {
            // ".." is not an operator: it is two periods.
            (Ellipsis, 3)
        } else if single != End {
            // A lone "!" is INVALID, having consumed the "!".
            (single, 1)
        } else {
            let (kind, delta) = SINGLE[c as usize];
            self.nested_bracket_level = self.nested_bracket_level.wrapping_add(delta as usize);
            // INVALID for a byte that starts no token.
            (kind, 1)
        };
        // None of these bytes is a LF; a tab lands here only as INVALID (it is whitespace,
        // so it never does), but keep the column rule exact anyway.
        if len == 1 {
            self.cur.next_char(&self.buf);
        } else {
            self.cur.pos += len;
        }
        self.tok_kind = kind;
    }
}

/// The exception the reference raises for `\N{...}` escapes (printed without a traceback).
fn unicode_name_escapes() -> PyException {
    PyException::new(ExcKind::NotImplementedError, "unicode name escapes")
}
