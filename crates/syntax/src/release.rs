//! Each front-end release as a type: the lexer and the parser are compiled once per release,
//! with that release's switches as constants, so the 1.11 front end's hot paths test no
//! release at run time (the release is decided once, when a lexer or parse starts).

use mpcore::Release;

use crate::grammar::{self, Grammar};
use crate::lexer::Features;
use crate::parser::ParseFeatures;

/// A release's front end: its lexer switches, parser switches and grammar.
pub(crate) trait FrontEnd: 'static {
    /// The release.
    const RELEASE: Release;
    /// Its lexer's switches.
    const LEX: Features = Features::of(Self::RELEASE);
    /// Its parser's switches.
    const PARSE: ParseFeatures = ParseFeatures::of(Self::RELEASE);
    /// Its grammar, which the table-driven parser walks.
    const GRAMMAR: &'static Grammar;
}

/// MicroPython 1.11's front end.
pub(crate) struct V1_11;

impl FrontEnd for V1_11 {
    const RELEASE: Release = Release::V1_11;
    const GRAMMAR: &'static Grammar = &grammar::V1_11;
}

/// MicroPython 1.29's front end (and any newer release's, until one has its own).
pub(crate) struct V1_29;

impl FrontEnd for V1_29 {
    const RELEASE: Release = Release::V1_29;
    const GRAMMAR: &'static Grammar = &grammar::V1_29;
}
