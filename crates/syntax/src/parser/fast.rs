//! Hand-written parsing of expressions: the rules from `test` down to `atom` and its trailers,
//! building the very nodes the frame machine of [`super`] builds, in the same order.
//!
//! The frame machine pays a table dispatch per rule and token; expressions are most of a
//! file's tokens, so they get straight code here. The grammar below `test` is LL(1) once the
//! FIRST sets are known (a rule whose FIRST set holds the token either matches, consuming it,
//! or raises an error), so each rule is a function that looks at the current token and calls
//! the functions of its parts. Nodes go through the same result stack and
//! [`Parser::push_struct`] (simplification, folding) as the machine's, and tokens are taken
//! and interned at the same moments, so trees, qstr numbers and errors are the same.
//!
//! Rarer parts (`lambda`, `yield`, comprehensions) are handed back to
//! the machine with [`Parser::run_sub`], which parses one rule with frames. Recursion here is
//! bounded: past [`FAST_DEPTH`] nested sub-expressions the rest is parsed by the machine,
//! whose nesting costs heap, not stack.

use crate::PResult;

use super::Parser;
use crate::grammar::{Arg, TokenSet, LEVELS};
use crate::release::FrontEnd;
use crate::rule::{mark_rules, Rule};
use crate::token::TokenKind;
use crate::tree::Node;

/// How many sub-expressions may nest in hand-written code before the frame machine takes
/// over (a level takes about 2 KiB of stack in a release build and some 40 KiB in a debug
/// one, where 48 levels overflowed a test thread's 2 MiB stack: debug builds hand over at 24).
pub(super) const FAST_DEPTH: u32 = if cfg!(debug_assertions) { 24 } else { 48 };

/// The rules the machine hands to [`Parser::fast_enter`] when it is about to push them.
pub(super) static FAST_RULES: [bool; Rule::COUNT] = mark_rules(
    mark_rules([false; Rule::COUNT], &LEVELS),
    &[
        Rule::NotTest2,
        Rule::Factor2,
        Rule::AtomExprAwait,
        Rule::AtomParen,
        Rule::AtomBracket,
        Rule::SimpleStmt,
        Rule::SuiteBlock,
        Rule::IfStmt,
        Rule::WhileStmt,
        Rule::ForStmt,
        Rule::Funcdef,
        Rule::Classdef,
        Rule::NamedexprTest,
    ],
);

/// The tokens `rule` can start with in release `R`'s grammar.
#[inline(always)]
pub(super) fn first<R: FrontEnd>(rule: Rule) -> TokenSet {
    R::GRAMMAR.first[rule as usize]
}

/// Where level `k` of [`LEVELS`] sits in a bit mask of levels `k..=top`.
#[inline(always)]
fn level_mask(k: usize, top: usize) -> u32 {
    ((2u32 << top) - 1) & !((1u32 << k) - 1)
}

impl<R: FrontEnd> Parser<'_, '_, R> {
    #[inline(always)]
    pub(super) fn pos(&self) -> (u32, u32) {
        (self.lex.line(), self.lex.column())
    }

    /// Consume the current token, which must be `t`; otherwise the reference's syntax error
    /// (an `and` rule failing after its first argument).
    #[inline(always)]
    pub(super) fn expect(&mut self, t: TokenKind) -> PResult<()> {
        if self.tok() != t {
            return Err(Box::new(self.syntax_error()));
        }
        self.advance()
    }

    /// Parse `rule`, whose FIRST set holds the current token, when the machine was about to
    /// push it.
    #[inline]
    pub(super) fn fast_enter(&mut self, rule: Rule) -> PResult<()> {
        self.depth += 1;
        let r = self.fast_rule(rule);
        self.depth -= 1;
        r
    }

    /// Parse the expression level `k` of [`LEVELS`] from a plain atom token, when the machine
    /// was about to descend there.
    pub(super) fn fast_enter_level(&mut self, k: usize) -> PResult<()> {
        self.depth += 1;
        let r = self.expr_level(k);
        self.depth -= 1;
        r
    }

    /// Parse a part: `rule`, whose FIRST set holds the current token.
    #[inline]
    pub(super) fn sub(&mut self, rule: Rule) -> PResult<()> {
        if self.depth >= self.fast_limit {
            return self.run_sub(rule);
        }
        self.fast_enter(rule)
    }

    /// Parse a rule given as an argument: `Null` when it is optional and absent, a syntax
    /// error when it is required and absent.
    #[inline]
    pub(super) fn arg(&mut self, arg: Arg) -> PResult<()> {
        match arg {
            Arg::Rule(r) if first::<R>(r).contains(self.tok()) => self.sub(r),
            Arg::Opt(r) if first::<R>(r).contains(self.tok()) => self.sub(r),
            Arg::Opt(_) => {
                self.results.push(Node::Null);
                Ok(())
            }
            _ => Err(Box::new(self.syntax_error())),
        }
    }

    fn fast_rule(&mut self, rule: Rule) -> PResult<()> {
        match rule {
            Rule::Test => {
                if self.tok() == TokenKind::KwLambda {
                    self.run_sub(rule)
                } else {
                    self.expr_level(0)
                }
            }
            Rule::TestIfExpr => self.expr_level(0),
            Rule::OrTest => self.expr_level(1),
            Rule::AndTest => self.expr_level(2),
            Rule::NotTest => self.not_test(),
            Rule::NotTest2 => self.not_test2(),
            Rule::Comparison => self.expr_level(3),
            Rule::Expr => self.expr_level(4),
            Rule::XorExpr => self.expr_level(5),
            Rule::AndExpr => self.expr_level(6),
            Rule::ShiftExpr => self.expr_level(7),
            Rule::ArithExpr => self.expr_level(8),
            Rule::Term => self.expr_level(9),
            Rule::Factor => self.factor(),
            Rule::Factor2 => self.factor2(),
            Rule::Power => self.expr_level(10),
            Rule::AtomExpr => {
                if self.tok() == TokenKind::KwAwait {
                    self.atom_expr_await()
                } else {
                    self.expr_level(11)
                }
            }
            Rule::AtomExprNormal => self.expr_level(11),
            Rule::AtomExprAwait => self.atom_expr_await(),
            Rule::Atom | Rule::AtomParen | Rule::AtomBracket | Rule::AtomBrace => self.atom(),
            Rule::StarExpr => self.star_expr(),
            Rule::Subscript => self.subscript(),
            Rule::Arglist2 => self.arglist2(),
            Rule::TestlistComp2 => self.testlist_comp2(),
            Rule::NamedexprTest => self.namedexpr_test(),
            Rule::Dictorsetmaker => self.dictorsetmaker(),
            Rule::SimpleStmt => self.simple_stmt(),
            Rule::Stmt => self.stmt(),
            Rule::Suite => self.suite(),
            Rule::SuiteBlock => self.suite_block(),
            Rule::IfStmt => self.if_stmt(),
            Rule::WhileStmt => self.while_stmt(),
            Rule::ForStmt => self.for_stmt(),
            Rule::Funcdef => self.funcdef(),
            Rule::Classdef => self.classdef(),
            _ => self.run_sub(rule),
        }
    }

    /// Level `k` of [`LEVELS`] (`test_if_expr` ... `atom_expr_normal`): the first item is
    /// parsed down to its innermost rule, then each level that the next token continues
    /// takes its further items, innermost first; a level the token does not continue leaves
    /// the item alone, as a one-item list or a lone `and_ident` child does.
    fn expr_level(&mut self, k: usize) -> PResult<()> {
        let (line, column) = self.pos();
        // The innermost level whose first item has been parsed.
        let mut top = match self.tok() {
            TokenKind::KwNot if k <= 2 => {
                self.not_test2()?;
                2
            }
            TokenKind::OpPlus | TokenKind::OpMinus | TokenKind::OpTilde if k <= 9 => {
                self.factor2()?;
                9
            }
            TokenKind::KwAwait if k <= 10 => {
                self.atom_expr_await()?;
                10
            }
            _ => {
                self.atom()?;
                11
            }
        };
        loop {
            let levels =
                u32::from(R::GRAMMAR.cont_levels[self.tok() as usize & 127]) & level_mask(k, top);
            if levels == 0 {
                return Ok(());
            }
            let m = 31 - levels.leading_zeros() as usize;
            self.continue_level(m, line, column)?;
            if m == k {
                return Ok(());
            }
            top = m - 1;
        }
    }

    /// Level `m` has its first item and the current token continues it: parse the rest and
    /// build its node.
    fn continue_level(&mut self, m: usize, line: u32, column: u32) -> PResult<()> {
        match m {
            // atom_expr_normal: atom trailers
            11 => {
                self.trailers()?;
                self.reduce(line, column, Rule::AtomExprNormal)
            }
            // power: atom_expr '**' factor (`power_dbl_star` is the factor alone)
            10 => {
                self.advance()?;
                self.arg(Arg::Rule(Rule::Factor))?;
                self.reduce(line, column, Rule::Power)
            }
            // test_if_expr: or_test 'if' or_test 'else' test
            0 => {
                let (l, c) = self.pos();
                self.advance()?;
                self.arg(Arg::Rule(Rule::OrTest))?;
                self.expect(TokenKind::KwElse)?;
                self.arg(Arg::Rule(Rule::Test))?;
                self.reduce(l, c, Rule::TestIfElse)?;
                self.reduce(line, column, Rule::TestIfExpr)
            }
            // The lists: item (sep item)*, with separators that are tokens (not kept) or
            // operator rules (kept).
            _ => {
                let rule = LEVELS[m];
                let args = R::GRAMMAR.def(rule).args;
                let (Some(&Arg::Rule(item)), Some(&sep)) = (args.first(), args.get(1)) else {
                    return Err(Box::new(self.syntax_error()));
                };
                let mut n = 1;
                loop {
                    match sep {
                        Arg::Tok(t) => {
                            if self.tok() != t {
                                break;
                            }
                            self.advance()?;
                        }
                        Arg::Rule(op) | Arg::Opt(op) => {
                            if !first::<R>(op).contains(self.tok()) {
                                break;
                            }
                            if op == Rule::CompOp {
                                self.comp_op()?;
                            } else {
                                self.push_token(op)?;
                                self.advance()?;
                            }
                            n += 1;
                        }
                    }
                    self.arg(Arg::Rule(item))?;
                    n += 1;
                }
                self.push_struct(line, column, rule, n)
            }
        }
    }

    /// `comp_op`: a comparison token, `not in` or `is [not]`.
    fn comp_op(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        match self.tok() {
            TokenKind::KwNot => {
                self.advance()?;
                self.expect(TokenKind::KwIn)?;
                self.reduce(l, c, Rule::CompOpNotIn)
            }
            TokenKind::KwIs => {
                self.advance()?;
                if self.tok() == TokenKind::KwNot {
                    let (l2, c2) = self.pos();
                    self.advance()?;
                    self.reduce(l2, c2, Rule::CompOpIsNot)?;
                } else {
                    self.results.push(Node::Null);
                }
                self.reduce(l, c, Rule::CompOpIs)
            }
            _ => {
                self.push_token(Rule::CompOp)?;
                self.advance()
            }
        }
    }

    /// `not_test`: `not not_test` or a comparison.
    fn not_test(&mut self) -> PResult<()> {
        if self.tok() == TokenKind::KwNot {
            self.not_test2()
        } else {
            self.expr_level(3)
        }
    }

    /// `not_test_2`: 'not' not_test.
    fn not_test2(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        self.arg(Arg::Rule(Rule::NotTest))?;
        self.reduce(l, c, Rule::NotTest2)
    }

    /// `factor`: a unary operator and a factor, or a power.
    fn factor(&mut self) -> PResult<()> {
        match self.tok() {
            TokenKind::OpPlus | TokenKind::OpMinus | TokenKind::OpTilde => self.factor2(),
            _ => self.expr_level(10),
        }
    }

    /// `factor_2`: factor_op factor.
    fn factor2(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.push_token(Rule::FactorOp)?;
        self.advance()?;
        self.arg(Arg::Rule(Rule::Factor))?;
        self.reduce(l, c, Rule::Factor2)
    }

    /// `atom_expr_await`: 'await' atom [atom_expr_trailers].
    fn atom_expr_await(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        if !first::<R>(Rule::Atom).contains(self.tok()) {
            return Err(Box::new(self.syntax_error()));
        }
        self.atom()?;
        if first::<R>(Rule::Trailer).contains(self.tok()) {
            self.trailers()?;
        } else {
            self.results.push(Node::Null);
        }
        self.reduce(l, c, Rule::AtomExprAwait)
    }

    /// `star_expr`: '*' expr.
    pub(super) fn star_expr(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        self.arg(Arg::Rule(Rule::Expr))?;
        self.reduce(l, c, Rule::StarExpr)
    }

    /// `atom`: a literal or name token, or a parenthesised, bracketed or braced display.
    fn atom(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        match self.tok() {
            TokenKind::DelParenOpen => {
                self.advance()?;
                match self.tok() {
                    TokenKind::KwYield => self.run_sub(Rule::YieldExpr)?,
                    t if first::<R>(Rule::TestlistComp).contains(t) => self.testlist_comp(true)?,
                    _ => self.results.push(Node::Null),
                }
                self.expect(TokenKind::DelParenClose)?;
                self.reduce(l, c, Rule::AtomParen)
            }
            TokenKind::DelBracketOpen => {
                self.advance()?;
                if first::<R>(Rule::TestlistComp).contains(self.tok()) {
                    self.testlist_comp(false)?;
                } else {
                    self.results.push(Node::Null);
                }
                self.expect(TokenKind::DelBracketClose)?;
                self.reduce(l, c, Rule::AtomBracket)
            }
            TokenKind::DelBraceOpen => {
                self.advance()?;
                self.arg(Arg::Opt(Rule::Dictorsetmaker))?;
                self.expect(TokenKind::DelBraceClose)?;
                self.reduce(l, c, Rule::AtomBrace)
            }
            t if crate::grammar::ATOM_TOKENS.contains(t) => {
                self.push_token(Rule::Atom)?;
                self.advance()
            }
            _ => Err(Box::new(self.syntax_error())),
        }
    }

    /// `testlist_comp` (in parentheses when `in_paren`, else in brackets): an item, then a
    /// comprehension or `, items`. Where the items go is the display's: 1.29's parser
    /// builds a constant tuple of a parenthesised one (the frame machine asks its rule
    /// stack; here the caller knows).
    fn testlist_comp(&mut self, in_paren: bool) -> PResult<()> {
        let (l, c) = self.pos();
        self.testlist_comp2()?;
        match self.tok() {
            TokenKind::KwFor => self.run_sub(Rule::CompFor)?,
            TokenKind::DelComma => {
                // testlist_comp_3b: ',' [testlist_comp_3c]
                let (l2, c2) = self.pos();
                self.advance()?;
                if first::<R>(Rule::TestlistComp3c).contains(self.tok()) {
                    let (l3, c3) = self.pos();
                    let (n, trailing) =
                        self.list_items(Rule::TestlistComp3c, Self::testlist_comp2)?;
                    if (n != 1 || trailing)
                        && self.push_struct_in(l3, c3, Rule::TestlistComp3c, n, in_paren)?
                    {
                        // A constant tuple of all the items, the first too: `testlist_comp_3b`
                        // and `testlist_comp` are done with.
                        return Ok(());
                    }
                } else {
                    self.results.push(Node::Null);
                }
                self.reduce(l2, c2, Rule::TestlistComp3b)?;
            }
            _ => return Ok(()),
        }
        // Both results are nodes (an item, and a comprehension or a comma rule's node), so
        // the `and_ident` rule is built.
        self.push_struct_in(l, c, Rule::TestlistComp, 2, in_paren)?;
        Ok(())
    }

    /// The body of a braced display (`dictorsetmaker`, an `and_ident` rule): an
    /// item, then a comprehension, or a comma rule `tail` (',' [more items]), or nothing
    /// (the item alone).
    fn display(
        &mut self,
        rule: Rule,
        item: fn(&mut Self) -> PResult<()>,
        tail: Rule,
    ) -> PResult<()> {
        let (l, c) = self.pos();
        item(self)?;
        match self.tok() {
            TokenKind::KwFor => self.run_sub(Rule::CompFor)?,
            TokenKind::DelComma => {
                let (l2, c2) = self.pos();
                self.advance()?;
                let list = match R::GRAMMAR.def(tail).args.get(1) {
                    Some(&Arg::Opt(r)) => r,
                    _ => return Err(Box::new(self.syntax_error())),
                };
                if first::<R>(list).contains(self.tok()) {
                    self.list_with_end(list, item)?;
                } else {
                    self.results.push(Node::Null);
                }
                self.reduce(l2, c2, tail)?;
            }
            _ => return Ok(()),
        }
        self.reduce(l, c, rule)
    }

    /// `testlist_comp_2`: star_expr, or test (1.11) or namedexpr_test (1.29): the grammar's
    /// second alternative.
    pub(super) fn testlist_comp2(&mut self) -> PResult<()> {
        if self.tok() == TokenKind::OpStar {
            self.star_expr()
        } else {
            match Self::arg_of(Rule::TestlistComp2, 1) {
                Arg::Rule(r) | Arg::Opt(r) => self.sub(r),
                Arg::Tok(_) => Err(Box::new(self.syntax_error())),
            }
        }
    }

    /// `testlist_star_expr_2`: star_expr or test.
    pub(super) fn testlist_star_expr2(&mut self) -> PResult<()> {
        if self.tok() == TokenKind::OpStar {
            self.star_expr()
        } else {
            self.sub(Rule::Test)
        }
    }

    /// `namedexpr_test` (1.29): test [':=' test]; with the `:=` part, a node of both.
    fn namedexpr_test(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.sub(Rule::Test)?;
        if self.tok() == TokenKind::OpAssign {
            let (l2, c2) = self.pos();
            self.advance()?;
            self.arg(Arg::Rule(Rule::Test))?;
            self.reduce(l2, c2, Rule::NamedexprTest2)?;
        } else {
            self.results.push(Node::Null);
        }
        self.reduce(l, c, Rule::NamedexprTest)
    }

    /// Argument `i` of `rule` in release `R`'s grammar, where the hand-written code follows
    /// the grammar's choice (`test` or `namedexpr_test`). The tables are checked at compile
    /// time; a missing argument would read as `test`.
    #[inline(always)]
    pub(super) fn arg_of(rule: Rule, i: usize) -> Arg {
        R::GRAMMAR
            .def(rule)
            .args
            .get(i)
            .copied()
            .unwrap_or(Arg::Rule(Rule::Test))
    }

    /// A `list_with_end` rule: item (sep item)* [sep], where the current token starts an
    /// item. A single item without a trailing separator stands alone.
    pub(super) fn list_with_end(
        &mut self,
        rule: Rule,
        item: fn(&mut Self) -> PResult<()>,
    ) -> PResult<()> {
        let (l, c) = self.pos();
        let (n, trailing) = self.list_items(rule, item)?;
        if n != 1 || trailing {
            self.push_struct(l, c, rule, n)?;
        }
        Ok(())
    }

    /// The items of a `list_with_end` rule (see [`Self::list_with_end`]), without its node:
    /// how many, and whether a separator ends them.
    #[inline(always)]
    fn list_items(
        &mut self,
        rule: Rule,
        item: fn(&mut Self) -> PResult<()>,
    ) -> PResult<(usize, bool)> {
        let args = R::GRAMMAR.def(rule).args;
        let (Some(&Arg::Rule(item_rule)), Some(&Arg::Tok(sep))) = (args.first(), args.get(1))
        else {
            return Err(Box::new(self.syntax_error()));
        };
        let item_first = first::<R>(item_rule);
        item(self)?;
        let mut n = 1;
        let mut trailing = false;
        while self.tok() == sep {
            self.advance()?;
            if !item_first.contains(self.tok()) {
                trailing = true;
                break;
            }
            item(self)?;
            n += 1;
        }
        Ok((n, trailing))
    }

    /// `atom_expr_trailers`: one or more trailers; more than one are gathered in a node.
    fn trailers(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        let mut n = 0;
        loop {
            let (tl, tc) = self.pos();
            match self.tok() {
                TokenKind::DelParenOpen => self.paren_arglist(tl, tc, Rule::TrailerParen)?,
                TokenKind::DelBracketOpen => {
                    self.advance()?;
                    if !first::<R>(Rule::Subscriptlist).contains(self.tok()) {
                        return Err(Box::new(self.syntax_error()));
                    }
                    self.list_with_end(Rule::Subscriptlist, Self::subscript)?;
                    self.expect(TokenKind::DelBracketClose)?;
                    self.reduce(tl, tc, Rule::TrailerBracket)?;
                }
                TokenKind::DelPeriod => {
                    self.advance()?;
                    if self.tok() != TokenKind::Name {
                        return Err(Box::new(self.syntax_error()));
                    }
                    self.push_token(Rule::TrailerPeriod)?;
                    self.advance()?;
                    self.reduce(tl, tc, Rule::TrailerPeriod)?;
                }
                _ => break,
            }
            n += 1;
        }
        if n != 1 {
            self.push_struct(l, c, Rule::AtomExprTrailers, n)?;
        }
        Ok(())
    }

    /// `'(' [arglist] ')'` at the current `(` (started at `line`/`column`): the node of
    /// `rule` (`trailer_paren`, `classdef_2`), whose only argument is the list.
    #[inline(always)]
    pub(super) fn paren_arglist(&mut self, line: u32, column: u32, rule: Rule) -> PResult<()> {
        self.advance()?;
        if first::<R>(Rule::Arglist).contains(self.tok()) {
            self.list_with_end(Rule::Arglist, Self::arglist2)?;
        } else {
            self.results.push(Node::Null);
        }
        self.expect(TokenKind::DelParenClose)?;
        self.reduce(line, column, rule)
    }

    /// `arglist_2`: '*' test, '**' test, or an argument (test, `test=test` or a generator).
    pub(super) fn arglist2(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        let star = match self.tok() {
            TokenKind::OpStar => Some(Rule::ArglistStar),
            TokenKind::OpDblStar => Some(Rule::ArglistDblStar),
            _ => None,
        };
        if let Some(rule) = star {
            self.advance()?;
            self.arg(Arg::Rule(Rule::Test))?;
            return self.reduce(l, c, rule);
        }
        self.sub(Rule::Test)?;
        match self.tok() {
            TokenKind::KwFor => self.run_sub(Rule::CompFor)?,
            // `argument_3` (1.11) or `generic_equal_test` (1.29): the value alone.
            TokenKind::DelEqual => {
                self.advance()?;
                self.arg(Arg::Rule(Rule::Test))?;
            }
            // 1.29's `argument_3`: ':=' test, a node of its own.
            t if first::<R>(Rule::Argument2).contains(t) => {
                let (l3, c3) = self.pos();
                self.advance()?;
                self.arg(Arg::Rule(Rule::Test))?;
                self.reduce(l3, c3, Rule::Argument3)?;
            }
            _ => return Ok(()),
        }
        self.reduce(l, c, Rule::Argument)
    }

    /// `subscript`: a slice starting with ':', or a test that may start one.
    fn subscript(&mut self) -> PResult<()> {
        if self.tok() == TokenKind::DelColon {
            return self.subscript3();
        }
        let (l, c) = self.pos();
        self.sub(Rule::Test)?;
        if self.tok() == TokenKind::DelColon {
            self.subscript3()?;
            self.reduce(l, c, Rule::Subscript2)?;
        }
        Ok(())
    }

    /// `subscript_3`: ':' [subscript_3b].
    fn subscript3(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        match self.tok() {
            TokenKind::DelColon => {
                // subscript_3c: ':' [test]
                let (l2, c2) = self.pos();
                self.advance()?;
                self.arg(Arg::Opt(Rule::Test))?;
                self.reduce(l2, c2, Rule::Subscript3c)?;
            }
            t if first::<R>(Rule::Test).contains(t) => {
                // subscript_3d: test [sliceop]
                let (l2, c2) = self.pos();
                self.sub(Rule::Test)?;
                if self.tok() == TokenKind::DelColon {
                    let (l3, c3) = self.pos();
                    self.advance()?;
                    self.arg(Arg::Opt(Rule::Test))?;
                    self.reduce(l3, c3, Rule::Sliceop)?;
                    self.reduce(l2, c2, Rule::Subscript3d)?;
                }
            }
            _ => self.results.push(Node::Null),
        }
        self.reduce(l, c, Rule::Subscript3)
    }

    /// `dictorsetmaker`: an item, then a comprehension or `, items`.
    fn dictorsetmaker(&mut self) -> PResult<()> {
        self.display(
            Rule::Dictorsetmaker,
            Self::dict_item,
            Rule::DictorsetmakerList,
        )
    }

    /// `dictorsetmaker_item`: test [':' test].
    fn dict_item(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.sub(Rule::Test)?;
        if self.tok() == TokenKind::DelColon {
            self.advance()?;
            self.arg(Arg::Rule(Rule::Test))?;
            self.reduce(l, c, Rule::DictorsetmakerItem)?;
        }
        Ok(())
    }
}
