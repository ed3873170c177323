//! What a release's parser does beyond MicroPython 1.11's, as data: the parser reads these
//! switches where its behaviour forks (the grammar itself is [`crate::grammar::Grammar`]).

use mpcore::float::{FloatLiteral, InvalidNumber};
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

/// 1.29's parser (and, by default, that of any `.mpy` v6 release without an entry of its own).
const FEATURES_1_29: ParseFeatures = ParseFeatures {
    zero_strict_ints: true,
    const_any: true,
    bytes_as_objects: true,
    float_literal: mpcore::float129::parse_literal,
    float_folding: true,
    simplifies: &SIMPLIFIES_1_29,
};

/// Per-release parser behaviour.
#[derive(Clone, Copy, Debug)]
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
    /// The release's reader of float and imaginary literal tokens (`mpcore::float` for 1.11,
    /// `mpcore::float129` for 1.29: each reproduces its binary's arithmetic; 1.22 to 1.25
    /// have older readers of their own, which mpyc does not reproduce yet and reads as
    /// 1.29). The texts accepted are the same.
    pub float_literal: fn(&[u8]) -> Result<FloatLiteral, InvalidNumber>,
    /// Folding takes floats too (`MICROPY_COMP_CONST_FLOAT`, 1.26 on): `/`, `**` to a
    /// negative power, float operands and `math.<constant>` fold (before, only ints do).
    pub float_folding: bool,
    /// The rules whose nodes may vanish or fold when built (the others are built as they
    /// stand, without a look).
    pub simplifies: &'static [bool; Rule::COUNT],
}

impl ParseFeatures {
    /// The parser features of `release`.
    pub(crate) fn of(release: Release) -> ParseFeatures {
        match release {
            Release::V1_11 => ParseFeatures {
                zero_strict_ints: false,
                const_any: false,
                bytes_as_objects: false,
                float_literal: mpcore::float::parse_literal,
                float_folding: false,
                simplifies: &super::SIMPLIFIES,
            },
            // 1.25 refused `0777`; 1.26 added float folding.
            Release::V1_22 | Release::V1_23 | Release::V1_24 => ParseFeatures {
                zero_strict_ints: false,
                float_folding: false,
                ..FEATURES_1_29
            },
            Release::V1_25 => ParseFeatures {
                float_folding: false,
                ..FEATURES_1_29
            },
            _ => FEATURES_1_29,
        }
    }
}
