//! The public lexer: the tokeniser of the release a [`LexerConfig`] names, picked once when
//! the lexer is made (each release's tokeniser is compiled on its own, see
//! [`crate::release`]).

use crate::PResult;
use mpcore::{PyException, Release};

use super::{LexerConfig, ReleaseLexer};
use crate::release::{
    V1_11, V1_12, V1_16, V1_17, V1_18, V1_19, V1_20, V1_21, V1_22, V1_23, V1_24, V1_25, V1_26,
    V1_27, V1_28, V1_29,
};
use crate::token::TokenKind;

/// A tokeniser over one source file, as MicroPython's `py/lexer.c` of the configured release;
/// always holds a current token.
pub struct Lexer<'src>(Inner<'src>);

/// The release's tokeniser.
enum Inner<'src> {
    V1_11(ReleaseLexer<'src, V1_11>),
    V1_12(ReleaseLexer<'src, V1_12>),
    /// 1.13 to 1.16 (their lexers are alike).
    V1_16(ReleaseLexer<'src, V1_16>),
    V1_17(ReleaseLexer<'src, V1_17>),
    V1_18(ReleaseLexer<'src, V1_18>),
    V1_19(ReleaseLexer<'src, V1_19>),
    V1_20(ReleaseLexer<'src, V1_20>),
    V1_21(ReleaseLexer<'src, V1_21>),
    V1_22(ReleaseLexer<'src, V1_22>),
    V1_23(ReleaseLexer<'src, V1_23>),
    V1_24(ReleaseLexer<'src, V1_24>),
    V1_25(ReleaseLexer<'src, V1_25>),
    V1_26(ReleaseLexer<'src, V1_26>),
    V1_27(ReleaseLexer<'src, V1_27>),
    V1_28(ReleaseLexer<'src, V1_28>),
    V1_29(ReleaseLexer<'src, V1_29>),
}

/// Runs `$body` with `$lex` bound to the release's tokeniser.
macro_rules! each {
    ($self:expr, $lex:ident => $body:expr) => {
        match $self {
            Inner::V1_11($lex) => $body,
            Inner::V1_12($lex) => $body,
            Inner::V1_16($lex) => $body,
            Inner::V1_17($lex) => $body,
            Inner::V1_18($lex) => $body,
            Inner::V1_19($lex) => $body,
            Inner::V1_20($lex) => $body,
            Inner::V1_21($lex) => $body,
            Inner::V1_22($lex) => $body,
            Inner::V1_23($lex) => $body,
            Inner::V1_24($lex) => $body,
            Inner::V1_25($lex) => $body,
            Inner::V1_26($lex) => $body,
            Inner::V1_27($lex) => $body,
            Inner::V1_28($lex) => $body,
            Inner::V1_29($lex) => $body,
        }
    };
}

impl<'src> Lexer<'src> {
    /// Start lexing `source` with mpy-cross's default settings and read the first token
    /// (the reference's `mp_lexer_new`).
    pub fn new(source: &'src [u8]) -> Result<Lexer<'src>, PyException> {
        Self::with_config(source, LexerConfig::default())
    }

    /// Like [`Lexer::new`] with explicit settings.
    pub fn with_config(
        source: &'src [u8],
        config: LexerConfig,
    ) -> Result<Lexer<'src>, PyException> {
        Self::open(source, config).map_err(|e| *e)
    }

    fn open(source: &'src [u8], config: LexerConfig) -> PResult<Lexer<'src>> {
        let (source, unicode) = (source, config.unicode);
        Ok(Lexer(match config.release {
            Release::V1_11 => Inner::V1_11(ReleaseLexer::open(source, unicode)?),
            Release::V1_12 => Inner::V1_12(ReleaseLexer::open(source, unicode)?),
            Release::V1_13 | Release::V1_14 | Release::V1_15 | Release::V1_16 => {
                Inner::V1_16(ReleaseLexer::open(source, unicode)?)
            }
            Release::V1_17 => Inner::V1_17(ReleaseLexer::open(source, unicode)?),
            Release::V1_18 => Inner::V1_18(ReleaseLexer::open(source, unicode)?),
            Release::V1_19 => Inner::V1_19(ReleaseLexer::open(source, unicode)?),
            Release::V1_20 => Inner::V1_20(ReleaseLexer::open(source, unicode)?),
            Release::V1_21 => Inner::V1_21(ReleaseLexer::open(source, unicode)?),
            Release::V1_22 => Inner::V1_22(ReleaseLexer::open(source, unicode)?),
            Release::V1_23 => Inner::V1_23(ReleaseLexer::open(source, unicode)?),
            Release::V1_24 => Inner::V1_24(ReleaseLexer::open(source, unicode)?),
            Release::V1_25 => Inner::V1_25(ReleaseLexer::open(source, unicode)?),
            Release::V1_26 => Inner::V1_26(ReleaseLexer::open(source, unicode)?),
            Release::V1_27 => Inner::V1_27(ReleaseLexer::open(source, unicode)?),
            Release::V1_28 => Inner::V1_28(ReleaseLexer::open(source, unicode)?),
            // 1.29, and any newer release until it has a front end of its own.
            _ => Inner::V1_29(ReleaseLexer::open(source, unicode)?),
        }))
    }

    /// The current token's kind.
    pub fn kind(&self) -> TokenKind {
        each!(&self.0, lex => lex.kind())
    }

    /// The current token's line (1-based).
    pub fn line(&self) -> u32 {
        each!(&self.0, lex => lex.line())
    }

    /// The current token's column (1-based; a tab advances to the next multiple of 8, plus one;
    /// every other byte, including each byte of a UTF-8 sequence, counts one).
    pub fn column(&self) -> u32 {
        each!(&self.0, lex => lex.column())
    }

    /// The current token's value: a name's bytes, the decoded contents of a string or bytes
    /// literal (adjacent literals already joined), or a number's text (underscores removed,
    /// `E` written `e`). Empty for other tokens.
    pub fn value(&self) -> &[u8] {
        each!(&self.0, lex => lex.value())
    }

    /// Move to the next token (the reference's `mp_lexer_to_next`). Once at
    /// [`TokenKind::End`], stays there. After an `Err` the lexer is mid-token: stop using it,
    /// as the reference does (its exception ends the compilation).
    pub fn advance(&mut self) -> Result<(), PyException> {
        each!(&mut self.0, lex => lex.advance()).map_err(|e| *e)
    }
}
