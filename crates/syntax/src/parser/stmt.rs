//! Hand-written parsing of statements: simple statements, blocks, and the compound
//! statements that are most of a file (`if`, `while`, `for`, `def`, `class`), building the
//! frame machine's nodes in the same order (see [`super::fast`] for the contract). `try`,
//! `with`, decorators, `async` and the rarer small statements stay with the machine, which
//! hands their blocks back here.

use crate::PResult;

use super::fast::first;
use super::Parser;
use crate::grammar::Arg;
use crate::release::FrontEnd;
use crate::rule::Rule;
use crate::token::TokenKind;
use crate::tree::Node;

impl<R: FrontEnd> Parser<'_, '_, R> {
    /// `simple_stmt`: small statements separated by ';', then a newline.
    pub(super) fn simple_stmt(&mut self) -> PResult<()> {
        self.list_with_end(Rule::SimpleStmt2, Self::small_stmt)?;
        self.expect(TokenKind::Newline)
    }

    /// `small_stmt`: expression statements, `pass` and `return` by hand, the others by the
    /// machine.
    fn small_stmt(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        match self.tok() {
            TokenKind::KwPass => {
                self.advance()?;
                self.reduce(l, c, Rule::PassStmt)
            }
            TokenKind::KwReturn => {
                self.advance()?;
                if first::<R>(Rule::Testlist).contains(self.tok()) {
                    self.list_with_end(Rule::Testlist, |p| p.sub(Rule::Test))?;
                } else {
                    self.results.push(Node::Null);
                }
                self.reduce(l, c, Rule::ReturnStmt)
            }
            t if first::<R>(Rule::ExprStmt).contains(t) => self.expr_stmt(),
            _ => self.run_sub(Rule::SmallStmt),
        }
    }

    /// `expr_stmt`: targets or an expression, then an augmented assignment, `= ...` parts or
    /// nothing.
    fn expr_stmt(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.list_with_end(Rule::TestlistStarExpr, Self::testlist_star_expr2)?;
        let (l2, c2) = self.pos();
        match self.tok() {
            TokenKind::DelEqual => {
                // expr_stmt_assign_list: ('=' expr_stmt_6)+
                let mut n = 0;
                while self.tok() == TokenKind::DelEqual {
                    self.advance()?;
                    self.expr_stmt6()?;
                    n += 1;
                }
                if n != 1 {
                    self.push_struct(l2, c2, Rule::ExprStmtAssignList, n)?;
                }
            }
            t if first::<R>(Rule::Augassign).contains(t) => {
                self.push_token(Rule::Augassign)?;
                self.advance()?;
                self.expr_stmt6()?;
                self.reduce(l2, c2, Rule::ExprStmtAugassign)?;
            }
            // 1.29's `annassign`: ':' test ['=' expr_stmt_6].
            TokenKind::DelColon if first::<R>(Rule::ExprStmt2).contains(TokenKind::DelColon) => {
                self.advance()?;
                self.arg(Arg::Rule(Rule::Test))?;
                if self.tok() == TokenKind::DelEqual {
                    // expr_stmt_assign, an `and_ident` rule: the value alone.
                    self.advance()?;
                    self.expr_stmt6()?;
                } else {
                    self.results.push(Node::Null);
                }
                self.reduce(l2, c2, Rule::Annassign)?;
            }
            _ => self.results.push(Node::Null),
        }
        self.reduce_expr_stmt(l, c)
    }

    /// `expr_stmt_6`: a yield expression or targets/values, required here.
    fn expr_stmt6(&mut self) -> PResult<()> {
        match self.tok() {
            TokenKind::KwYield => self.run_sub(Rule::YieldExpr),
            t if first::<R>(Rule::TestlistStarExpr).contains(t) => {
                self.list_with_end(Rule::TestlistStarExpr, Self::testlist_star_expr2)
            }
            _ => Err(Box::new(self.syntax_error())),
        }
    }
}

/// Blocks and compound statements.
impl<R: FrontEnd> Parser<'_, '_, R> {
    /// `stmt`: a compound statement or a line of simple ones.
    pub(super) fn stmt(&mut self) -> PResult<()> {
        match self.tok() {
            TokenKind::KwIf => self.if_stmt(),
            TokenKind::KwWhile => self.while_stmt(),
            TokenKind::KwFor => self.for_stmt(),
            TokenKind::KwDef => self.funcdef(),
            TokenKind::KwClass => self.classdef(),
            t if first::<R>(Rule::CompoundStmt).contains(t) => self.run_sub(Rule::CompoundStmt),
            _ => self.simple_stmt(),
        }
    }

    /// `suite`: an indented block, or simple statements on the same line.
    pub(super) fn suite(&mut self) -> PResult<()> {
        if self.tok() == TokenKind::Newline {
            self.suite_block()
        } else {
            self.simple_stmt()
        }
    }

    /// `suite_block`: NEWLINE INDENT stmt+ DEDENT; more than one statement are gathered in a
    /// node.
    pub(super) fn suite_block(&mut self) -> PResult<()> {
        self.advance()?;
        self.expect(TokenKind::Indent)?;
        if !first::<R>(Rule::Stmt).contains(self.tok()) {
            return Err(Box::new(self.syntax_error()));
        }
        let (l, c) = self.pos();
        let mut n = 0;
        while first::<R>(Rule::Stmt).contains(self.tok()) {
            self.sub(Rule::Stmt)?;
            n += 1;
        }
        if n != 1 {
            self.push_struct(l, c, Rule::SuiteBlockStmts, n)?;
        }
        self.expect(TokenKind::Dedent)
    }

    /// `':' suite`, required.
    fn colon_suite(&mut self) -> PResult<()> {
        self.expect(TokenKind::DelColon)?;
        self.arg(Arg::Rule(Rule::Suite))
    }

    /// `[else_stmt]`: 'else' ':' suite (the suite alone), or `Null`.
    fn else_stmt(&mut self) -> PResult<()> {
        if self.tok() == TokenKind::KwElse {
            self.advance()?;
            self.colon_suite()
        } else {
            self.results.push(Node::Null);
            Ok(())
        }
    }

    /// `if_stmt`: 'if' test ':' suite elif* [else] (1.29: namedexpr_test for test, here
    /// and in `elif` and `while`).
    pub(super) fn if_stmt(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        self.arg(Self::arg_of(Rule::IfStmt, 1))?;
        self.colon_suite()?;
        if self.tok() == TokenKind::KwElif {
            let (el, ec) = self.pos();
            let mut n = 0;
            while self.tok() == TokenKind::KwElif {
                let (il, ic) = self.pos();
                self.advance()?;
                self.arg(Self::arg_of(Rule::IfStmtElif, 1))?;
                self.colon_suite()?;
                self.reduce(il, ic, Rule::IfStmtElif)?;
                n += 1;
            }
            if n != 1 {
                self.push_struct(el, ec, Rule::IfStmtElifList, n)?;
            }
        } else {
            self.results.push(Node::Null);
        }
        self.else_stmt()?;
        self.reduce(l, c, Rule::IfStmt)
    }

    /// `while_stmt`: 'while' test ':' suite [else].
    pub(super) fn while_stmt(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        self.arg(Self::arg_of(Rule::WhileStmt, 1))?;
        self.colon_suite()?;
        self.else_stmt()?;
        self.reduce(l, c, Rule::WhileStmt)
    }

    /// `for_stmt`: 'for' exprlist 'in' testlist ':' suite [else].
    pub(super) fn for_stmt(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        if !first::<R>(Rule::Exprlist).contains(self.tok()) {
            return Err(Box::new(self.syntax_error()));
        }
        self.list_with_end(Rule::Exprlist, |p| {
            if p.tok() == TokenKind::OpStar {
                p.star_expr()
            } else {
                p.sub(Rule::Expr)
            }
        })?;
        self.expect(TokenKind::KwIn)?;
        if !first::<R>(Rule::Testlist).contains(self.tok()) {
            return Err(Box::new(self.syntax_error()));
        }
        self.list_with_end(Rule::Testlist, |p| p.sub(Rule::Test))?;
        self.colon_suite()?;
        self.else_stmt()?;
        self.reduce(l, c, Rule::ForStmt)
    }

    /// A NAME token that an `and` rule requires (kept as a node).
    fn name(&mut self, rule: Rule) -> PResult<()> {
        if self.tok() != TokenKind::Name {
            return Err(Box::new(self.syntax_error()));
        }
        self.push_token(rule)?;
        self.advance()
    }

    /// `[':' test]` after a parameter name: the test alone, or `Null`.
    fn annotation(&mut self) -> PResult<()> {
        if self.tok() == TokenKind::DelColon {
            self.advance()?;
            self.arg(Arg::Rule(Rule::Test))
        } else {
            self.results.push(Node::Null);
            Ok(())
        }
    }

    /// `funcdef`: 'def' NAME '(' [typedargslist] ')' ['->' test] ':' suite, with the
    /// compiler's blank child.
    pub(super) fn funcdef(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        self.name(Rule::Funcdef)?;
        self.expect(TokenKind::DelParenOpen)?;
        if first::<R>(Rule::Typedargslist).contains(self.tok()) {
            self.list_with_end(Rule::Typedargslist, Self::typedargslist_item)?;
        } else {
            self.results.push(Node::Null);
        }
        self.expect(TokenKind::DelParenClose)?;
        if self.tok() == TokenKind::DelMinusMore {
            self.advance()?;
            self.arg(Arg::Rule(Rule::Test))?;
        } else {
            self.results.push(Node::Null);
        }
        self.colon_suite()?;
        self.reduce(l, c, Rule::Funcdef)
    }

    /// `typedargslist_item`: a name with optional annotation and default, `*[name]` or
    /// `**name`.
    fn typedargslist_item(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        match self.tok() {
            TokenKind::OpStar => {
                self.advance()?;
                if self.tok() == TokenKind::Name {
                    // tfpdef: NAME [':' test]
                    let (tl, tc) = self.pos();
                    self.name(Rule::Tfpdef)?;
                    self.annotation()?;
                    self.reduce(tl, tc, Rule::Tfpdef)?;
                } else {
                    self.results.push(Node::Null);
                }
                self.reduce(l, c, Rule::TypedargslistStar)
            }
            TokenKind::OpDblStar => {
                self.advance()?;
                self.name(Rule::TypedargslistDblStar)?;
                self.annotation()?;
                self.reduce(l, c, Rule::TypedargslistDblStar)
            }
            _ => {
                self.name(Rule::TypedargslistName)?;
                self.annotation()?;
                if self.tok() == TokenKind::DelEqual {
                    self.advance()?;
                    self.arg(Arg::Rule(Rule::Test))?;
                } else {
                    self.results.push(Node::Null);
                }
                self.reduce(l, c, Rule::TypedargslistName)
            }
        }
    }

    /// `classdef`: 'class' NAME ['(' [arglist] ')'] ':' suite, with the compiler's blank
    /// child.
    pub(super) fn classdef(&mut self) -> PResult<()> {
        let (l, c) = self.pos();
        self.advance()?;
        self.name(Rule::Classdef)?;
        if self.tok() == TokenKind::DelParenOpen {
            let (pl, pc) = self.pos();
            self.paren_arglist(pl, pc, Rule::Classdef2)?;
        } else {
            self.results.push(Node::Null);
        }
        self.colon_suite()?;
        self.reduce(l, c, Rule::Classdef)
    }
}
