//! Helpers of the parser that are not about grammar: number literals and integer values.

pub mod dump;
pub mod int;
pub mod number;
