//! Source bytes to MicroPython 1.11's parse tree (or 1.29's): lexer, parser, constant folding.
//!
//! `ParseOptions::release` picks the front end. MicroPython 1.29's differs in data, kept in
//! per-release places: [`lexer::Features`] (f-strings and t-strings rewritten into
//! `'...'.format(...)` / `__template__(...)` calls, `:=` and `@=` tokens, NEWLINE tokens at the
//! end of their line, NUL read as byte 1, unicode always on), [`grammar::V1_29`] (its rule
//! table), `parser::ParseFeatures` (`0777` refused, constants of any type, folding and
//! constant tuples). Each release's lexer and parser are compiled apart, with those switches
//! as constants (`release::FrontEnd`), so one release's checks cost the other nothing.
//! What a 1.29 tree holds that a 1.11 tree never does, for its compiler:
//! - [`Rule::NamedexprTest`] nodes `[target, value]` (`x := v`; in an argument list,
//!   `argument[name, argument_3[value]]`), [`Rule::Annassign`] as `expr_stmt`'s second child
//!   (`[annotation, value or Null]`), `DelAt` (`@`) in `term` and `DelAtEqual` in `augassign`;
//! - constant objects [`ConstObj::Tuple`], `None`, `True`, `False`, `Ellipsis` (tuples of
//!   constants, `const()` values), bytes always as constant objects, floats from folding;
//! - flattened `testlist_comp` nodes (see `simplify129`).

pub mod lexer;
pub mod rule;
pub mod token;
pub mod tree;

pub use lexer::{Lexer, LexerConfig};
pub use rule::Rule;
pub use token::TokenKind;
pub use tree::{ConstId, ConstObj, Node, ParseTree, StructId, StructNode};
pub mod dump;
mod fold;
mod fold129;
pub mod grammar;
pub mod int;
pub mod number;
pub mod parser;
mod release;
mod simplify129;

pub use parser::{parse, ParseOptions};

/// The lexer's and parser's own result: the exception boxed, so that a result is one word,
/// returned in a register through the deep chains of calls a parse makes (a bare
/// `PyException` is over 100 bytes, returned through memory at every call).
pub(crate) type PResult<T> = Result<T, Box<mpcore::PyException>>;
