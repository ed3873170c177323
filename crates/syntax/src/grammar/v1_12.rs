//! MicroPython 1.12's grammar: 1.11's (no annotated assignments, no `:=`) with the matrix
//! product, `@` as a `term` operator and `@=` as an augmented assignment, which 1.12 added.

use super::{
    check_table, cont_levels, count_pushed, first_sets, level_cont, or_pick, or_rest_sets, steps,
    Arg, Grammar, Kind, RuleDef, TokenSet, TABLE_1_11,
};
use crate::rule::Rule;
use crate::token::TokenKind;

/// 1.11's table with `@` in `term_op` (after `*`) and `@=` in `augassign` (after `*=`), in
/// the places 1.12's `py/grammar.h` puts them (the order decides nothing but the table).
const fn with_matrix_product(mut table: [RuleDef; Rule::COUNT]) -> [RuleDef; Rule::COUNT] {
    table[Rule::TermOp as usize] =
        or!(TermOp: tok OpStar, tok DelAt, tok OpSlash, tok OpPercent, tok OpDblSlash);
    table[Rule::Augassign as usize] = or!(Augassign: tok DelPlusEqual, tok DelMinusEqual, tok DelStarEqual, tok DelAtEqual, tok DelSlashEqual, tok DelPercentEqual, tok DelAmpersandEqual, tok DelPipeEqual, tok DelCaretEqual, tok DelDblLessEqual, tok DelDblMoreEqual, tok DelDblStarEqual, tok DelDblSlashEqual);
    table
}

/// All rules, indexed by rule number.
static TABLE: [RuleDef; Rule::COUNT] = with_matrix_product(TABLE_1_11);

const _: () = check_table(&TABLE);

static FIRST: [TokenSet; Rule::COUNT] = first_sets(&TABLE);
static OR_REST: [[TokenSet; 14]; Rule::COUNT] = or_rest_sets(&TABLE, &FIRST);
static OR_PICK: [[u8; 128]; Rule::COUNT] = or_pick(&TABLE, &FIRST);
static LEVEL_CONT: [TokenSet; 12] = level_cont(&TABLE, &FIRST);
static CONT_LEVELS: [u16; 128] = cont_levels(&LEVEL_CONT);
static STEPS: [[u16; 128]; Rule::COUNT] = steps(&TABLE, &FIRST, &OR_PICK, &OR_REST);

/// MicroPython 1.12's grammar.
pub static V1_12: Grammar = Grammar {
    table: &TABLE,
    first: &FIRST,
    or_rest: &OR_REST,
    or_pick: &OR_PICK,
    steps: &STEPS,
    cont_levels: &CONT_LEVELS,
};
