//! Source bytes to MicroPython 1.11's parse tree: lexer, parser, constant folding.

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
pub mod grammar;
pub mod int;
pub mod number;
pub mod parser;

pub use parser::{parse, ParseOptions};
