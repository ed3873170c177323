//! What a release's parser does beyond MicroPython 1.11's, as data: the parser reads these
//! switches where its behaviour forks (the grammar itself is [`crate::grammar::Grammar`]).

use mpcore::Release;

use crate::rule::{mark_rules, Rule};

/// The rules 1.29's parser may simplify or fold: 1.11's, plus `power` (`**` folds),
/// `atom_expr_normal` (`math.pi`), the parenthesised-list rules it flattens and the rules it
/// builds constant tuples from.
static SIMPLIFIES_1_29: [bool; Rule::COUNT] = mark_rules(
    super::SIMPLIFIES,
    &[
        Rule::Power,
        Rule::AtomExprNormal,
        Rule::TestlistComp,
        Rule::TestlistComp3c,
        Rule::TestlistStarExpr,
        Rule::Testlist,
        Rule::Subscriptlist,
    ],
);

/// Per-release parser behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ParseFeatures {
    /// A decimal literal with a leading zero may hold only zeros (`0777` is `invalid syntax
    /// for integer with base 0`).
    pub zero_strict_ints: bool,
    /// 1.29's handling of constants ([`crate::simplify129`]): `NAME = const(x)` (or
    /// `NAME: T = const(x)`) takes any constant (a number, string, bytes, `None`, `True`,
    /// `False`, `...`, a tuple of constants) and otherwise fails with `not a constant` (1.11:
    /// integers only, `constant must be an integer`); folding over ints and floats where an
    /// operation that would raise is left unfolded ([`crate::fold129`]); any constant's
    /// truth value for `or`/`and`/`not`; constant tuples; flattened `testlist_comp`.
    pub const_any: bool,
    /// Bytes literals are never interned: each is a constant object.
    pub bytes_as_objects: bool,
    /// Float literals are read to the nearest double (1.29's reader; 1.11's loses precision,
    /// which `mpcore::float` reproduces). The texts accepted are the same.
    pub nearest_floats: bool,
    /// The rules whose nodes may vanish or fold when built (the others are built as they
    /// stand, without a look).
    pub simplifies: &'static [bool; Rule::COUNT],
}

impl ParseFeatures {
    /// The parser features of `release`.
    pub(crate) const fn of(release: Release) -> ParseFeatures {
        match release {
            Release::V1_11 => ParseFeatures {
                zero_strict_ints: false,
                const_any: false,
                bytes_as_objects: false,
                nearest_floats: false,
                simplifies: &super::SIMPLIFIES,
            },
            // 1.29, and any newer release until it has an entry of its own.
            _ => ParseFeatures {
                zero_strict_ints: true,
                const_any: true,
                bytes_as_objects: true,
                nearest_floats: true,
                simplifies: &SIMPLIFIES_1_29,
            },
        }
    }
}
