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
    /// Its grammar, which the table-driven parser walks and the hand-written one reads where
    /// releases differ (`test` or `namedexpr_test`, FIRST sets, `@`).
    const GRAMMAR: &'static Grammar;
}

/// MicroPython 1.11's front end.
pub(crate) struct V1_11;

impl FrontEnd for V1_11 {
    const RELEASE: Release = Release::V1_11;
    const GRAMMAR: &'static Grammar = &grammar::V1_11;
}

/// MicroPython 1.12's front end (`.mpy` v5): 1.11's lexer and parser with `@` and `@=`.
pub(crate) struct V1_12;

impl FrontEnd for V1_12 {
    const RELEASE: Release = Release::V1_12;
    const GRAMMAR: &'static Grammar = &grammar::V1_12;
}

/// Front ends of `.mpy` v5 (1.13 on) and v6 releases: each its own type (compiled apart, its switches as
/// constants), all walking 1.29's grammar.
macro_rules! v6_front_end {
    ($($ty:ident: $release:expr, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub(crate) struct $ty;

        impl FrontEnd for $ty {
            const RELEASE: Release = $release;
            const GRAMMAR: &'static Grammar = &grammar::V1_29;
        }
    )*};
}

v6_front_end! {
    V1_16: Release::V1_16, "MicroPython 1.13 to 1.16's front end (`.mpy` v5; their lexers and parsers are alike).";
    V1_17: Release::V1_17, "MicroPython 1.17's front end (`.mpy` v5).";
    V1_18: Release::V1_18, "MicroPython 1.18's front end (`.mpy` v5).";
    V1_19: Release::V1_19, "MicroPython 1.19's front end.";
    V1_20: Release::V1_20, "MicroPython 1.20's front end.";
    V1_21: Release::V1_21, "MicroPython 1.21's front end.";
    V1_22: Release::V1_22, "MicroPython 1.22's front end.";
    V1_23: Release::V1_23, "MicroPython 1.23's front end.";
    V1_24: Release::V1_24, "MicroPython 1.24's front end.";
    V1_25: Release::V1_25, "MicroPython 1.25's front end.";
    V1_26: Release::V1_26, "MicroPython 1.26's front end.";
    V1_27: Release::V1_27, "MicroPython 1.27's front end.";
    V1_28: Release::V1_28, "MicroPython 1.28's front end.";
    V1_29: Release::V1_29, "MicroPython 1.29's front end (and any newer release's, until one has its own).";
}

/// Runs `$body` with the type alias `$r` naming the front end of `$release` (a
/// [`mpcore::Release`]; releases newer than mpyc knows take 1.29's).
macro_rules! with_front_end {
    ($release:expr, $r:ident => $body:expr) => {{
        use mpcore::Release as Rel;
        use $crate::release as fe;
        match $release {
            Rel::V1_11 => {
                type $r = fe::V1_11;
                $body
            }
            Rel::V1_12 => {
                type $r = fe::V1_12;
                $body
            }
            // 1.13 to 1.15 parse as 1.16 does.
            Rel::V1_13 | Rel::V1_14 | Rel::V1_15 | Rel::V1_16 => {
                type $r = fe::V1_16;
                $body
            }
            Rel::V1_17 => {
                type $r = fe::V1_17;
                $body
            }
            Rel::V1_18 => {
                type $r = fe::V1_18;
                $body
            }
            Rel::V1_19 => {
                type $r = fe::V1_19;
                $body
            }
            Rel::V1_20 => {
                type $r = fe::V1_20;
                $body
            }
            Rel::V1_21 => {
                type $r = fe::V1_21;
                $body
            }
            Rel::V1_22 => {
                type $r = fe::V1_22;
                $body
            }
            Rel::V1_23 => {
                type $r = fe::V1_23;
                $body
            }
            Rel::V1_24 => {
                type $r = fe::V1_24;
                $body
            }
            Rel::V1_25 => {
                type $r = fe::V1_25;
                $body
            }
            Rel::V1_26 => {
                type $r = fe::V1_26;
                $body
            }
            Rel::V1_27 => {
                type $r = fe::V1_27;
                $body
            }
            Rel::V1_28 => {
                type $r = fe::V1_28;
                $body
            }
            _ => {
                type $r = fe::V1_29;
                $body
            }
        }
    }};
}
pub(crate) use with_front_end;
