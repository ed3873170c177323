//! MicroPython 1.11's grammar (`py/grammar.h`, as mpy-cross 1.11 is configured) as a table.
//!
//! Every rule has a kind and a short argument list. The parser walks this table with an explicit
//! stack; the table's shape (not just the language it accepts) decides the parse tree, so each
//! entry mirrors the reference's: `or`, `and` (optionally collapsing to its single non-empty
//! child, or adding a trailing blank node), and the three list forms. Configuration branches
//! taken: async/await on, sets on, slices on.

use crate::rule::Rule;
use crate::token::TokenKind;

/// One argument of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Match this token.
    Tok(TokenKind),
    /// Match this rule.
    Rule(Rule),
    /// Match this rule or give an empty (`Null`) node.
    Opt(Rule),
}

/// How a rule combines its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The first argument that matches.
    Or,
    /// All arguments in order.
    And,
    /// `item item*`.
    OneOrMore,
    /// `item (sep item)*`.
    List,
    /// `item (sep item)* [sep]`.
    ListWithEnd,
    /// Not a grammar rule (`const_object`).
    None,
}

/// A rule of the grammar.
#[derive(Clone, Copy, Debug)]
pub struct RuleDef {
    pub rule: Rule,
    pub kind: Kind,
    /// An `and` rule with exactly one non-empty child is replaced by that child.
    pub ident: bool,
    /// An `and` rule gets an extra trailing `Null` child (the compiler keeps data there).
    pub blank: bool,
    pub args: &'static [Arg],
    /// How many results an `and` rule leaves when it matches: one per rule argument (an
    /// absent optional one leaves `Null`) and one per `NAME` token; other tokens leave none.
    pub pushed: u8,
}

/// [`RuleDef::pushed`] for an argument list.
const fn count_pushed(args: &[Arg]) -> u8 {
    let mut n = 0;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            Arg::Tok(TokenKind::Name) | Arg::Rule(_) | Arg::Opt(_) => n += 1,
            Arg::Tok(_) => {}
        }
        i += 1;
    }
    n
}

impl RuleDef {
    /// The reference's `n` for list rules: 1 list, 2 one-or-more, 3 list with end.
    #[inline]
    pub fn list_n(&self) -> usize {
        match self.kind {
            Kind::List => 1,
            Kind::OneOrMore => 2,
            Kind::ListWithEnd => 3,
            _ => 0,
        }
    }
}

/// The definition of `rule`.
#[inline]
pub fn def(rule: Rule) -> &'static RuleDef {
    &TABLE[rule as usize]
}

macro_rules! a {
    (tok $t:ident) => {
        Arg::Tok(TokenKind::$t)
    };
    (rule $r:ident) => {
        Arg::Rule(Rule::$r)
    };
    (opt $r:ident) => {
        Arg::Opt(Rule::$r)
    };
}

macro_rules! r {
    ($rule:ident, $kind:ident, $ident:expr, $blank:expr, [$($k:ident $v:ident),*]) => {
        {
            const ARGS: &[Arg] = &[$(a!($k $v)),*];
            RuleDef {
                rule: Rule::$rule,
                kind: Kind::$kind,
                ident: $ident,
                blank: $blank,
                args: ARGS,
                pushed: count_pushed(ARGS),
            }
        }
    };
}

macro_rules! or { ($rule:ident: $($k:ident $v:ident),*) => { r!($rule, Or, false, false, [$($k $v),*]) }; }
macro_rules! and { ($rule:ident: $($k:ident $v:ident),*) => { r!($rule, And, false, false, [$($k $v),*]) }; }
macro_rules! and_ident { ($rule:ident: $($k:ident $v:ident),*) => { r!($rule, And, true, false, [$($k $v),*]) }; }
macro_rules! and_blank { ($rule:ident: $($k:ident $v:ident),*) => { r!($rule, And, false, true, [$($k $v),*]) }; }
macro_rules! one_or_more { ($rule:ident: $($k:ident $v:ident),*) => { r!($rule, OneOrMore, false, false, [$($k $v),*]) }; }
macro_rules! list { ($rule:ident: $($k:ident $v:ident),*) => { r!($rule, List, false, false, [$($k $v),*]) }; }
/// An entry for a rule the release's grammar does not have: no rule refers to it.
macro_rules! unused {
    ($rule:ident) => {
        RuleDef {
            rule: Rule::$rule,
            kind: Kind::None,
            ident: false,
            blank: false,
            args: &[],
            pushed: 0,
        }
    };
}
macro_rules! list_with_end { ($rule:ident: $($k:ident $v:ident),*) => { r!($rule, ListWithEnd, false, false, [$($k $v),*]) }; }

// After the macros, which it uses.
mod v1_12;
mod v1_29;
pub use v1_12::V1_12;
pub use v1_29::V1_29;

/// All rules, indexed by rule number (checked at compile time below); 1.12's grammar is this
/// table with two entries changed.
const TABLE_1_11: [RuleDef; Rule::COUNT] = [
    // Rules with a compile function, in rule-number order.
    and_ident!(FileInput: opt FileInput2),
    one_or_more!(FileInput2: rule FileInput3),
    and_ident!(Decorated: rule Decorators, rule DecoratedBody),
    and_blank!(Funcdef: tok KwDef, tok Name, tok DelParenOpen, opt Typedargslist, tok DelParenClose, opt Funcdefrettype, tok DelColon, rule Suite),
    list_with_end!(SimpleStmt2: rule SmallStmt, tok DelSemicolon),
    and!(ExprStmt: rule TestlistStarExpr, opt ExprStmt2),
    list_with_end!(TestlistStarExpr: rule TestlistStarExpr2, tok DelComma),
    and!(DelStmt: tok KwDel, rule Exprlist),
    and!(PassStmt: tok KwPass),
    and!(BreakStmt: tok KwBreak),
    and!(ContinueStmt: tok KwContinue),
    and!(ReturnStmt: tok KwReturn, opt Testlist),
    and!(YieldStmt: rule YieldExpr),
    and!(RaiseStmt: tok KwRaise, opt RaiseStmtArg),
    and!(ImportName: tok KwImport, rule DottedAsNames),
    and!(ImportFrom: tok KwFrom, rule ImportFrom2, tok KwImport, rule ImportFrom3),
    and!(GlobalStmt: tok KwGlobal, rule NameList),
    and!(NonlocalStmt: tok KwNonlocal, rule NameList),
    and!(AssertStmt: tok KwAssert, rule Test, opt AssertStmtExtra),
    and!(AsyncStmt: tok KwAsync, rule AsyncStmt2),
    and!(IfStmt: tok KwIf, rule Test, tok DelColon, rule Suite, opt IfStmtElifList, opt ElseStmt),
    and!(WhileStmt: tok KwWhile, rule Test, tok DelColon, rule Suite, opt ElseStmt),
    and!(ForStmt: tok KwFor, rule Exprlist, tok KwIn, rule Testlist, tok DelColon, rule Suite, opt ElseStmt),
    and!(TryStmt: tok KwTry, tok DelColon, rule Suite, rule TryStmt2),
    and!(WithStmt: tok KwWith, rule WithStmtList, tok DelColon, rule Suite),
    one_or_more!(SuiteBlockStmts: rule Stmt),
    and_ident!(TestIfExpr: rule OrTest, opt TestIfElse),
    and_blank!(Lambdef: tok KwLambda, opt Varargslist, tok DelColon, rule Test),
    and_blank!(LambdefNocond: tok KwLambda, opt Varargslist, tok DelColon, rule TestNocond),
    list!(OrTest: rule AndTest, tok KwOr),
    list!(AndTest: rule NotTest, tok KwAnd),
    and!(NotTest2: tok KwNot, rule NotTest),
    list!(Comparison: rule Expr, rule CompOp),
    and!(StarExpr: tok OpStar, rule Expr),
    list!(Expr: rule XorExpr, tok OpPipe),
    list!(XorExpr: rule AndExpr, tok OpCaret),
    list!(AndExpr: rule ShiftExpr, tok OpAmpersand),
    list!(ShiftExpr: rule ArithExpr, rule ShiftOp),
    list!(ArithExpr: rule Term, rule ArithOp),
    list!(Term: rule Factor, rule TermOp),
    and_ident!(Factor2: rule FactorOp, rule Factor),
    and_ident!(Power: rule AtomExpr, opt PowerDblStar),
    and!(AtomExprAwait: tok KwAwait, rule Atom, opt AtomExprTrailers),
    and_ident!(AtomExprNormal: rule Atom, opt AtomExprTrailers),
    and!(AtomParen: tok DelParenOpen, opt Atom2b, tok DelParenClose),
    and!(AtomBracket: tok DelBracketOpen, opt TestlistComp, tok DelBracketClose),
    and!(AtomBrace: tok DelBraceOpen, opt Dictorsetmaker, tok DelBraceClose),
    and!(TrailerParen: tok DelParenOpen, opt Arglist, tok DelParenClose),
    and!(TrailerBracket: tok DelBracketOpen, rule Subscriptlist, tok DelBracketClose),
    and!(TrailerPeriod: tok DelPeriod, tok Name),
    list_with_end!(Subscriptlist: rule Subscript, tok DelComma),
    and_ident!(Subscript2: rule Test, opt Subscript3),
    and!(Subscript3: tok DelColon, opt Subscript3b),
    list_with_end!(Testlist: rule Test, tok DelComma),
    and_ident!(DictorsetmakerItem: rule Test, opt DictorsetmakerColon),
    and_blank!(Classdef: tok KwClass, tok Name, opt Classdef2, tok DelColon, rule Suite),
    and!(YieldExpr: tok KwYield, opt YieldArg),
    // The constant-object node.
    RuleDef {
        rule: Rule::ConstObject,
        kind: Kind::None,
        ident: false,
        blank: false,
        args: &[],
        pushed: 0,
    },
    // Rules without a compile function, in rule-number order.
    or!(SingleInput: tok Newline, rule SimpleStmt, rule CompoundStmt),
    or!(FileInput3: tok Newline, rule Stmt),
    and_ident!(EvalInput: rule Testlist, opt EvalInput2),
    and!(EvalInput2: tok Newline),
    and!(Decorator: tok DelAt, rule DottedName, opt TrailerParen, tok Newline),
    one_or_more!(Decorators: rule Decorator),
    or!(DecoratedBody: rule Classdef, rule Funcdef, rule AsyncFuncdef),
    and!(AsyncFuncdef: tok KwAsync, rule Funcdef),
    and_ident!(Funcdefrettype: tok DelMinusMore, rule Test),
    list_with_end!(Typedargslist: rule TypedargslistItem, tok DelComma),
    or!(TypedargslistItem: rule TypedargslistName, rule TypedargslistStar, rule TypedargslistDblStar),
    and_ident!(TypedargslistName: tok Name, opt TypedargslistColon, opt TypedargslistEqual),
    and!(TypedargslistStar: tok OpStar, opt Tfpdef),
    and!(TypedargslistDblStar: tok OpDblStar, tok Name, opt TypedargslistColon),
    and_ident!(TypedargslistColon: tok DelColon, rule Test),
    and_ident!(TypedargslistEqual: tok DelEqual, rule Test),
    and!(Tfpdef: tok Name, opt TypedargslistColon),
    list_with_end!(Varargslist: rule VarargslistItem, tok DelComma),
    or!(VarargslistItem: rule VarargslistName, rule VarargslistStar, rule VarargslistDblStar),
    and_ident!(VarargslistName: tok Name, opt VarargslistEqual),
    and!(VarargslistStar: tok OpStar, opt Vfpdef),
    and!(VarargslistDblStar: tok OpDblStar, tok Name),
    and_ident!(VarargslistEqual: tok DelEqual, rule Test),
    and_ident!(Vfpdef: tok Name),
    or!(Stmt: rule CompoundStmt, rule SimpleStmt),
    and_ident!(SimpleStmt: rule SimpleStmt2, tok Newline),
    or!(SmallStmt: rule DelStmt, rule PassStmt, rule FlowStmt, rule ImportStmt, rule GlobalStmt, rule NonlocalStmt, rule AssertStmt, rule ExprStmt),
    or!(ExprStmt2: rule ExprStmtAugassign, rule ExprStmtAssignList),
    and_ident!(ExprStmtAugassign: rule Augassign, rule ExprStmt6),
    one_or_more!(ExprStmtAssignList: rule ExprStmtAssign),
    and_ident!(ExprStmtAssign: tok DelEqual, rule ExprStmt6),
    or!(ExprStmt6: rule YieldExpr, rule TestlistStarExpr),
    or!(TestlistStarExpr2: rule StarExpr, rule Test),
    or!(Augassign: tok DelPlusEqual, tok DelMinusEqual, tok DelStarEqual, tok DelSlashEqual, tok DelPercentEqual, tok DelAmpersandEqual, tok DelPipeEqual, tok DelCaretEqual, tok DelDblLessEqual, tok DelDblMoreEqual, tok DelDblStarEqual, tok DelDblSlashEqual),
    or!(FlowStmt: rule BreakStmt, rule ContinueStmt, rule ReturnStmt, rule RaiseStmt, rule YieldStmt),
    and_ident!(RaiseStmtArg: rule Test, opt RaiseStmtFrom),
    and_ident!(RaiseStmtFrom: tok KwFrom, rule Test),
    or!(ImportStmt: rule ImportName, rule ImportFrom),
    or!(ImportFrom2: rule DottedName, rule ImportFrom2b),
    and_ident!(ImportFrom2b: rule OneOrMorePeriodOrEllipsis, opt DottedName),
    or!(ImportFrom3: tok OpStar, rule ImportAsNamesParen, rule ImportAsNames),
    and_ident!(ImportAsNamesParen: tok DelParenOpen, rule ImportAsNames, tok DelParenClose),
    one_or_more!(OneOrMorePeriodOrEllipsis: rule PeriodOrEllipsis),
    or!(PeriodOrEllipsis: tok DelPeriod, tok Ellipsis),
    and!(ImportAsName: tok Name, opt AsName),
    and_ident!(DottedAsName: rule DottedName, opt AsName),
    and_ident!(AsName: tok KwAs, tok Name),
    list_with_end!(ImportAsNames: rule ImportAsName, tok DelComma),
    list!(DottedAsNames: rule DottedAsName, tok DelComma),
    list!(DottedName: tok Name, tok DelPeriod),
    list!(NameList: tok Name, tok DelComma),
    and_ident!(AssertStmtExtra: tok DelComma, rule Test),
    or!(CompoundStmt: rule IfStmt, rule WhileStmt, rule ForStmt, rule TryStmt, rule WithStmt, rule Funcdef, rule Classdef, rule Decorated, rule AsyncStmt),
    or!(AsyncStmt2: rule Funcdef, rule WithStmt, rule ForStmt),
    one_or_more!(IfStmtElifList: rule IfStmtElif),
    and!(IfStmtElif: tok KwElif, rule Test, tok DelColon, rule Suite),
    or!(TryStmt2: rule TryStmtExceptAndMore, rule TryStmtFinally),
    and_ident!(TryStmtExceptAndMore: rule TryStmtExceptList, opt ElseStmt, opt TryStmtFinally),
    and!(TryStmtExcept: tok KwExcept, opt TryStmtAsName, tok DelColon, rule Suite),
    and_ident!(TryStmtAsName: rule Test, opt AsName),
    one_or_more!(TryStmtExceptList: rule TryStmtExcept),
    and!(TryStmtFinally: tok KwFinally, tok DelColon, rule Suite),
    and_ident!(ElseStmt: tok KwElse, tok DelColon, rule Suite),
    list!(WithStmtList: rule WithItem, tok DelComma),
    and_ident!(WithItem: rule Test, opt WithItemAs),
    and_ident!(WithItemAs: tok KwAs, rule Expr),
    or!(Suite: rule SuiteBlock, rule SimpleStmt),
    and_ident!(SuiteBlock: tok Newline, tok Indent, rule SuiteBlockStmts, tok Dedent),
    or!(Test: rule Lambdef, rule TestIfExpr),
    and!(TestIfElse: tok KwIf, rule OrTest, tok KwElse, rule Test),
    or!(TestNocond: rule LambdefNocond, rule OrTest),
    or!(NotTest: rule NotTest2, rule Comparison),
    or!(CompOp: tok OpLess, tok OpMore, tok OpDblEqual, tok OpLessEqual, tok OpMoreEqual, tok OpNotEqual, tok KwIn, rule CompOpNotIn, rule CompOpIs),
    and!(CompOpNotIn: tok KwNot, tok KwIn),
    and!(CompOpIs: tok KwIs, opt CompOpIsNot),
    and!(CompOpIsNot: tok KwNot),
    or!(ShiftOp: tok OpDblLess, tok OpDblMore),
    or!(ArithOp: tok OpPlus, tok OpMinus),
    or!(TermOp: tok OpStar, tok OpSlash, tok OpPercent, tok OpDblSlash),
    or!(Factor: rule Factor2, rule Power),
    or!(FactorOp: tok OpPlus, tok OpMinus, tok OpTilde),
    or!(AtomExpr: rule AtomExprAwait, rule AtomExprNormal),
    one_or_more!(AtomExprTrailers: rule Trailer),
    and_ident!(PowerDblStar: tok OpDblStar, rule Factor),
    or!(Atom: tok Name, tok Integer, tok FloatOrImag, tok String, tok Bytes, tok Ellipsis, tok KwNone, tok KwTrue, tok KwFalse, rule AtomParen, rule AtomBracket, rule AtomBrace),
    or!(Atom2b: rule YieldExpr, rule TestlistComp),
    and_ident!(TestlistComp: rule TestlistComp2, opt TestlistComp3),
    or!(TestlistComp2: rule StarExpr, rule Test),
    or!(TestlistComp3: rule CompFor, rule TestlistComp3b),
    and_ident!(TestlistComp3b: tok DelComma, opt TestlistComp3c),
    list_with_end!(TestlistComp3c: rule TestlistComp2, tok DelComma),
    or!(Trailer: rule TrailerParen, rule TrailerBracket, rule TrailerPeriod),
    or!(Subscript: rule Subscript3, rule Subscript2),
    or!(Subscript3b: rule Subscript3c, rule Subscript3d),
    and!(Subscript3c: tok DelColon, opt Test),
    and_ident!(Subscript3d: rule Test, opt Sliceop),
    and!(Sliceop: tok DelColon, opt Test),
    list_with_end!(Exprlist: rule Exprlist2, tok DelComma),
    or!(Exprlist2: rule StarExpr, rule Expr),
    and_ident!(Dictorsetmaker: rule DictorsetmakerItem, opt DictorsetmakerTail),
    and_ident!(DictorsetmakerColon: tok DelColon, rule Test),
    or!(DictorsetmakerTail: rule CompFor, rule DictorsetmakerList),
    and!(DictorsetmakerList: tok DelComma, opt DictorsetmakerList2),
    list_with_end!(DictorsetmakerList2: rule DictorsetmakerItem, tok DelComma),
    and_ident!(Classdef2: tok DelParenOpen, opt Arglist, tok DelParenClose),
    list_with_end!(Arglist: rule Arglist2, tok DelComma),
    or!(Arglist2: rule ArglistStar, rule ArglistDblStar, rule Argument),
    and!(ArglistStar: tok OpStar, rule Test),
    and!(ArglistDblStar: tok OpDblStar, rule Test),
    and_ident!(Argument: rule Test, opt Argument2),
    or!(Argument2: rule CompFor, rule Argument3),
    and_ident!(Argument3: tok DelEqual, rule Test),
    or!(CompIter: rule CompFor, rule CompIf),
    and_blank!(CompFor: tok KwFor, rule Exprlist, tok KwIn, rule OrTest, opt CompIter),
    and!(CompIf: tok KwIf, rule TestNocond, opt CompIter),
    or!(YieldArg: rule YieldArgFrom, rule Testlist),
    and!(YieldArgFrom: tok KwFrom, rule Test),
    // Rules of 1.29 only: not in this grammar.
    unused!(GenericColonTest),
    unused!(GenericEqualTest),
    unused!(Annassign),
    unused!(NamedexprTest),
    unused!(NamedexprTest2),
];

/// 1.11's rules, as the statics below and the hand-written parser read them.
static TABLE: [RuleDef; Rule::COUNT] = TABLE_1_11;

/// Each entry of `table` sits at its rule's number (checked at compile time for each table).
pub(crate) const fn check_table(table: &[RuleDef; Rule::COUNT]) {
    let mut i = 0;
    while i < Rule::COUNT {
        assert!(table[i].rule as usize == i);
        i += 1;
    }
}
const _: () = check_table(&TABLE);

/// One release's grammar: its rule table and the lookup tables derived from it, which the
/// table-driven parser reads. Per-release grammars differ in data only.
pub struct Grammar {
    pub table: &'static [RuleDef; Rule::COUNT],
    pub first: &'static [TokenSet; Rule::COUNT],
    pub or_rest: &'static [[TokenSet; 14]; Rule::COUNT],
    pub or_pick: &'static [[u8; 128]; Rule::COUNT],
    pub steps: &'static [[u16; 128]; Rule::COUNT],
    pub cont_levels: &'static [u16; 128],
}

impl Grammar {
    /// The definition of `rule` in this grammar.
    #[inline(always)]
    pub fn def(&self, rule: Rule) -> &'static RuleDef {
        &self.table[rule as usize]
    }
}

/// MicroPython 1.11's grammar (the statics above, which the hand-written parser reads too).
pub static V1_11: Grammar = Grammar {
    table: &TABLE,
    first: &FIRST,
    or_rest: &OR_REST,
    or_pick: &OR_PICK,
    steps: &STEPS,
    cont_levels: &CONT_LEVELS,
};

/// A set of token kinds (there are fewer than 128).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenSet(u128);

impl TokenSet {
    #[inline]
    pub fn contains(self, t: TokenKind) -> bool {
        // Two 64-bit halves: cheaper than a variable 128-bit shift.
        let t = t as u32;
        let half = if t >= 64 {
            (self.0 >> 64) as u64
        } else {
            self.0 as u64
        };
        (half >> (t & 63)) & 1 != 0
    }

    const fn with(self, t: TokenKind) -> TokenSet {
        TokenSet(self.0 | (1u128 << (t as u8)))
    }

    const fn union(self, o: TokenSet) -> TokenSet {
        TokenSet(self.0 | o.0)
    }
}

/// For each rule, the tokens a successful match of it can start with.
///
/// Every rule except `file_input` consumes at least one token when it matches, and a rule that
/// fails without consuming anything leaves no trace, so the parser may skip a child whose set
/// does not hold the current token: the outcome (tree, interning, errors) is the same as
/// trying it and backtracking.
pub static FIRST: [TokenSet; Rule::COUNT] = first_sets(&TABLE);

pub(crate) const fn first_sets(table: &[RuleDef; Rule::COUNT]) -> [TokenSet; Rule::COUNT] {
    let mut sets = [TokenSet(0); Rule::COUNT];
    let mut changed = true;
    while changed {
        changed = false;
        let mut r = 0;
        while r < Rule::COUNT {
            let d = &table[r];
            let mut set = sets[r];
            let mut j = 0;
            while j < d.args.len() {
                let s = match d.args[j] {
                    Arg::Tok(t) => TokenSet(0).with(t),
                    Arg::Rule(c) | Arg::Opt(c) => sets[c as usize],
                };
                set = set.union(s);
                // Only an `or` looks past its first argument; an optional first argument
                // (only `file_input`'s) lets the rule be empty, so its set is not used.
                if !matches!(d.kind, Kind::Or) {
                    break;
                }
                j += 1;
            }
            if set.0 != sets[r].0 {
                sets[r] = set;
                changed = true;
            }
            r += 1;
        }
    }
    sets
}

/// For each `or` rule and position `i`, the tokens its alternatives from `i` on can start with.
/// Lets the parser skip saving an `or` rule whose remaining alternatives cannot match.
pub static OR_REST: [[TokenSet; 14]; Rule::COUNT] = or_rest_sets(&TABLE, &FIRST);

pub(crate) const fn or_rest_sets(
    table: &[RuleDef; Rule::COUNT],
    first: &[TokenSet; Rule::COUNT],
) -> [[TokenSet; 14]; Rule::COUNT] {
    let mut out = [[TokenSet(0); 14]; Rule::COUNT];
    let mut r = 0;
    while r < Rule::COUNT {
        let d = &table[r];
        if matches!(d.kind, Kind::Or) {
            let mut i = d.args.len();
            while i > 0 {
                i -= 1;
                let s = match d.args[i] {
                    Arg::Tok(t) => TokenSet(0).with(t),
                    Arg::Rule(c) | Arg::Opt(c) => first[c as usize],
                };
                out[r][i] = out[r][i + 1].union(s);
            }
        }
        r += 1;
    }
    out
}

/// For each `or` rule and token kind, the first alternative that can start with the token
/// (`u8::MAX` when none can, and for rules that are not `or` rules).
pub static OR_PICK: [[u8; 128]; Rule::COUNT] = or_pick(&TABLE, &FIRST);

pub(crate) const fn or_pick(
    table: &[RuleDef; Rule::COUNT],
    first: &[TokenSet; Rule::COUNT],
) -> [[u8; 128]; Rule::COUNT] {
    let mut out = [[u8::MAX; 128]; Rule::COUNT];
    let mut r = 0;
    while r < Rule::COUNT {
        let d = &table[r];
        if matches!(d.kind, Kind::Or) {
            let mut t = 0;
            while t < 128 {
                let mut i = 0;
                while i < d.args.len() {
                    let s = match d.args[i] {
                        Arg::Tok(k) => TokenSet(0).with(k),
                        Arg::Rule(c) | Arg::Opt(c) => first[c as usize],
                    };
                    if s.0 & (1u128 << t) != 0 {
                        out[r][t] = i as u8;
                        break;
                    }
                    i += 1;
                }
                t += 1;
            }
        }
        r += 1;
    }
    out
}

/// The expression rules from `test_if_expr` down to `atom_expr_normal` that a single atom
/// passes through, outermost first. Each of them, having matched its first item, continues
/// only if the next token is in its [`LEVEL_CONT`] set; otherwise it leaves the item alone
/// (a list of one item is not wrapped, an `and_ident` with one non-empty child is replaced
/// by it). The parser uses this to descend to an atom and climb back without a frame per level.
pub static LEVELS: [Rule; 12] = [
    Rule::TestIfExpr,
    Rule::OrTest,
    Rule::AndTest,
    Rule::Comparison,
    Rule::Expr,
    Rule::XorExpr,
    Rule::AndExpr,
    Rule::ShiftExpr,
    Rule::ArithExpr,
    Rule::Term,
    Rule::Power,
    Rule::AtomExprNormal,
];

/// For each of [`LEVELS`], the tokens with which it goes on after its first item.
pub static LEVEL_CONT: [TokenSet; 12] = level_cont(&TABLE, &FIRST);

pub(crate) const fn level_cont(
    table: &[RuleDef; Rule::COUNT],
    first: &[TokenSet; Rule::COUNT],
) -> [TokenSet; 12] {
    let mut out = [TokenSet(0); 12];
    let mut j = 0;
    while j < LEVELS.len() {
        out[j] = match table[LEVELS[j] as usize].args[1] {
            Arg::Tok(t) => TokenSet(0).with(t),
            Arg::Rule(c) | Arg::Opt(c) => first[c as usize],
        };
        j += 1;
    }
    out
}

/// For each token kind, the levels it continues: bit `j` is set when [`LEVEL_CONT`]`[j]` holds
/// the token. Lets the parser find the innermost level a token continues in one step.
pub static CONT_LEVELS: [u16; 128] = cont_levels(&LEVEL_CONT);

pub(crate) const fn cont_levels(level_cont: &[TokenSet; 12]) -> [u16; 128] {
    let mut out = [0u16; 128];
    let mut t = 0;
    while t < 128 {
        let mut j = 0;
        while j < LEVELS.len() {
            if level_cont[j].0 & (1u128 << t) != 0 {
                out[t] |= 1 << j;
            }
            j += 1;
        }
        t += 1;
    }
    out
}

/// The level (index into [`LEVELS`]) at which a child rule starts, when the current token is
/// a plain atom token (a name, number, string, `...`, `None`, `True`, `False`): from such a
/// token each of these rules descends through fixed levels to `atom`.
#[inline]
pub const fn chain_entry(rule: Rule) -> Option<usize> {
    Some(match rule {
        Rule::Test | Rule::TestIfExpr => 0,
        Rule::OrTest => 1,
        Rule::AndTest => 2,
        Rule::NotTest | Rule::Comparison => 3,
        Rule::Expr => 4,
        Rule::XorExpr => 5,
        Rule::AndExpr => 6,
        Rule::ShiftExpr => 7,
        Rule::ArithExpr => 8,
        Rule::Term => 9,
        Rule::Factor | Rule::Power => 10,
        Rule::AtomExpr | Rule::AtomExprNormal => 11,
        _ => return None,
    })
}

/// Tokens that `atom` matches directly.
pub static ATOM_TOKENS: TokenSet = TokenSet(0)
    .with(TokenKind::Name)
    .with(TokenKind::Integer)
    .with(TokenKind::FloatOrImag)
    .with(TokenKind::String)
    .with(TokenKind::Bytes)
    .with(TokenKind::Ellipsis)
    .with(TokenKind::KwNone)
    .with(TokenKind::KwTrue)
    .with(TokenKind::KwFalse);

/// The rule with number `i` (`i < Rule::COUNT`).
#[inline]
pub fn rule_at(i: usize) -> Rule {
    TABLE[i].rule
}

/// [`STEPS`]: the child cannot be resolved ahead (an `or` on the way keeps a frame to
/// backtrack to); walk the `or` rules one by one.
pub const STEP_SLOW: u16 = 0xffff;
/// [`STEPS`]: the child cannot start with the token (it is not in the child's [`FIRST`] set).
pub const STEP_NONE: u16 = 0xfffe;
/// [`STEPS`] flag: the `or` rule in the low byte matches the token itself.
pub const STEP_TOKEN: u16 = 0x8000;
/// [`STEPS`] flag: a plain atom token entering the expression levels at the level in the
/// low byte.
pub const STEP_ATOM: u16 = 0x4000;

/// For each child rule and token kind, what pushing the child comes to once the `or` rules
/// on the way are resolved: a rule to push (its number), [`STEP_TOKEN`] or [`STEP_ATOM`]
/// with a number, [`STEP_SLOW`], or [`STEP_NONE`].
pub static STEPS: [[u16; 128]; Rule::COUNT] = steps(&TABLE, &FIRST, &OR_PICK, &OR_REST);

pub(crate) const fn steps(
    table: &[RuleDef; Rule::COUNT],
    first: &[TokenSet; Rule::COUNT],
    or_pick: &[[u8; 128]; Rule::COUNT],
    or_rest: &[[TokenSet; 14]; Rule::COUNT],
) -> [[u16; 128]; Rule::COUNT] {
    let mut out = [[STEP_SLOW; 128]; Rule::COUNT];
    let mut r0 = 0;
    while r0 < Rule::COUNT {
        let mut t = 0;
        while t < 128 {
            let atom = ATOM_TOKENS.0 & (1u128 << t) != 0;
            let mut r = table[r0].rule;
            let step;
            loop {
                if first[r0].0 & (1u128 << t) == 0 {
                    step = STEP_NONE;
                    break;
                }
                if atom {
                    if let Some(k) = chain_entry(r) {
                        step = STEP_ATOM | k as u16;
                        break;
                    }
                }
                let d = &table[r as usize];
                if !matches!(d.kind, Kind::Or) {
                    step = r as u16;
                    break;
                }
                let i = or_pick[r as usize][t] as usize;
                if i >= d.args.len() {
                    step = r as u16;
                    break;
                }
                match d.args[i] {
                    Arg::Tok(_) => {
                        step = STEP_TOKEN | r as u16;
                        break;
                    }
                    Arg::Rule(c) | Arg::Opt(c) => {
                        if or_rest[r as usize][i + 1].0 & (1u128 << t) != 0 {
                            step = STEP_SLOW;
                            break;
                        }
                        r = c;
                    }
                }
            }
            out[r0][t] = step;
            t += 1;
        }
        r0 += 1;
    }
    out
}
