//! The parser: tokens to MicroPython 1.11's parse tree, with the reference's node shapes,
//! line numbers, qstr interning order and parse-time errors.
//!
//! Two walkers share one result stack and one node builder. The frame machine here runs,
//! like the reference, one loop over an explicit rule stack driven by [`crate::grammar`]'s
//! table, so nesting depth in the source only grows vectors. Expressions, simple statements,
//! blocks and the common compound statements are parsed by hand-written code ([`fast`],
//! [`stmt`]) that the machine calls when it is about to push one of their rules; that code
//! recurses, up to a fixed depth past which it hands the rest back to the machine. Both
//! serve every release: the hand-written code reads the release's grammar where it differs
//! (1.29's `namedexpr_test`, `annassign`, `argument_3`, `@`) and is told what the machine
//! reads off its rule stack (whether a display is parenthesised, for 1.29's constant tuples).
//! Reductions (node building, folding, `const`) are in this module and in [`crate::fold`].

use crate::PResult;
use std::collections::HashMap;

use mpcore::float::FloatLiteral;
use mpcore::{ExcKind, PyException, Qstr, QstrPool, Release, SourceLocation};

use crate::grammar::{
    self, chain_entry, Arg, Kind, ATOM_TOKENS, LEVELS, STEP_ATOM, STEP_NONE, STEP_TOKEN,
};
use crate::int::IntVal;
use crate::lexer::ReleaseLexer;
use crate::number::parse_integer_with;
use crate::release::FrontEnd;
use crate::rule::{mark_rules, Rule};
use crate::token::TokenKind;
use crate::tree::{ConstId, ConstObj, Node, ParseTree, StructId, StructNode};

mod fast;
mod features;
mod ints;
mod stmt;
use fast::{FAST_DEPTH, FAST_RULES};
pub(crate) use features::ParseFeatures;

/// Strings and bytes up to this length are always interned (`MICROPY_ALLOC_PARSE_INTERN_STRING_LEN`).
const INTERN_STRING_LEN: usize = 10;

/// Settings of the reference that change what the parser produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// mpy-cross's `-msmall-int-bits` (default 31). The parser folds with the host's 63-bit
    /// small ints whatever this is (the compiler checks the target's width), so it does not
    /// change the tree; it is carried for callers that build the options once.
    pub small_int_bits: u8,
    /// `-O<n>`: at 1 and above `__debug__` reads as `False`.
    pub opt_level: u8,
    /// `-municode` (default) / `-mno-unicode`, for the lexer.
    pub unicode: bool,
    /// The MicroPython release whose front end to reproduce: its lexer features and grammar
    /// ([`grammar::V1_11`], [`grammar::V1_29`]).
    pub release: Release,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            small_int_bits: 31,
            opt_level: 0,
            unicode: true,
            release: Release::V1_11,
        }
    }
}

/// The rules [`Parser::push_struct`] may simplify or fold (the parenthesised-expression rule
/// and those [`crate::fold`] handles); any other rule's node is built as it stands.
pub(crate) static SIMPLIFIES: [bool; Rule::COUNT] = mark_rules(
    [false; Rule::COUNT],
    &[
        Rule::AtomParen,
        Rule::OrTest,
        Rule::AndTest,
        Rule::NotTest2,
        Rule::Expr,
        Rule::XorExpr,
        Rule::AndExpr,
        Rule::ShiftExpr,
        Rule::ArithExpr,
        Rule::Term,
        Rule::Factor2,
        Rule::ExprStmt,
    ],
);

/// A saved rule: where it is in its arguments, and where it started.
#[derive(Clone, Copy, Debug)]
struct Frame {
    rule: Rule,
    i: u32,
    line: u32,
    column: u32,
}

/// The frame index of a chain frame covering levels `k..=m`.
#[inline(always)]
fn chain_span(k: usize, m: usize) -> usize {
    (k << 8) | m
}

/// Parse a whole file (`mp_parse` with `MP_PARSE_FILE_INPUT`).
///
/// Names and short strings are interned into `pool` in the order the reference interns them.
/// Errors carry the reference's text and line; the location's `file` is left empty for the
/// caller to fill in.
pub fn parse(
    source: &[u8],
    pool: &mut QstrPool,
    opts: &ParseOptions,
) -> Result<ParseTree, PyException> {
    parse_with_limit(source, pool, opts, FAST_DEPTH).map_err(|e| *e)
}

/// [`parse`] with every rule walked by the table-driven frame machine, none by the
/// hand-written expression code: the two must give the same trees, qstrs and errors, which
/// tests check.
#[doc(hidden)]
pub fn parse_with_frames_only(
    source: &[u8],
    pool: &mut QstrPool,
    opts: &ParseOptions,
) -> Result<ParseTree, PyException> {
    parse_with_limit(source, pool, opts, 0).map_err(|e| *e)
}

/// [`parse`], with hand-written code nesting at most `fast_limit` deep.
fn parse_with_limit(
    source: &[u8],
    pool: &mut QstrPool,
    opts: &ParseOptions,
    fast_limit: u32,
) -> PResult<ParseTree> {
    // The release is decided here, once: each release's parser and lexer are compiled
    // apart (the hand-written code reads the release's grammar where it differs).
    crate::release::with_front_end!(opts.release, R => parse_release::<R>(source, pool, opts, fast_limit))
}

/// [`parse_with_limit`] for release `R`.
fn parse_release<R: FrontEnd>(
    source: &[u8],
    pool: &mut QstrPool,
    opts: &ParseOptions,
    fast_limit: u32,
) -> PResult<ParseTree> {
    let lexer = ReleaseLexer::<R>::open(source, opts.unicode)?;
    let mut p = Parser::new(lexer, pool, *opts, source.len());
    p.fast_limit = fast_limit;
    p.run()?;
    Ok(p.tree)
}

/// The value a `const()` binding gives its name: an int (1.11 allows only these) or, in 1.29,
/// any constant object.
#[derive(Clone, Debug)]
pub(crate) enum ConstVal {
    Int(IntVal),
    Obj(ConstObj),
}

/// The parser of release `R` ([`FrontEnd`]): its grammar is `R::GRAMMAR`, its other
/// switches `R::PARSE`.
pub(crate) struct Parser<'p, 'src, R> {
    lex: ReleaseLexer<'src, R>,
    pub(crate) pool: &'p mut QstrPool,
    /// The kind `__debug__` reads as.
    debug_kind: TokenKind,
    pub(crate) tree: ParseTree,
    pub(crate) results: Vec<Node>,
    rules: Vec<Frame>,
    /// Names bound by `NAME = const(value)`.
    pub(crate) consts: HashMap<Qstr, ConstVal>,
    pub(crate) qstr_const: Option<Qstr>,
    /// The current token's kind, with `__debug__` already turned into its value.
    cur: TokenKind,
    /// How deeply the hand-written expression code ([`fast`]) is nested.
    depth: u32,
    /// Nesting of the hand-written code beyond which the frame machine parses.
    fast_limit: u32,
    /// The target's small-int width (`-msmall-int-bits`), for [`ParseFeatures::target_int_objects`].
    pub(super) small_int_bits: u8,
    /// The constant objects holding a big int whose value would fit a host small int (a fold
    /// result the release leaves big: any, where [`ParseFeatures::big_results_stay_big`];
    /// a unary operation's, in every release): read back, they are big ints.
    pub(super) big_small_values: Vec<u32>,
}

/// Longest integer literal read. The reference (2 MiB heap) fails with a `MemoryError` on
/// decimal literals of 700,000 digits already (it holds the text, the number and then its
/// decimal text for the `.mpy` at once); beyond this mpyc does too, which bounds the cost of
/// converting the number to and from decimal.
const INT_LITERAL_MAX: usize = 1 << 20;

/// Most struct nodes and children reserved before parsing (the lists grow past it as needed).
const RESERVED_NODES_MAX: usize = 1 << 18;

impl<'p, 'src, R: FrontEnd> Parser<'p, 'src, R> {
    fn new(
        lex: ReleaseLexer<'src, R>,
        pool: &'p mut QstrPool,
        opts: ParseOptions,
        len: usize,
    ) -> Self {
        let qstr_const = pool.find(b"const");
        let debug_kind = if opts.opt_level == 0 {
            TokenKind::KwTrue
        } else {
            TokenKind::KwFalse
        };
        let cur = match lex.kind() {
            TokenKind::KwDebug => debug_kind,
            k => k,
        };
        // Room for what a typical source of this length needs, but never more than a few
        // megabytes up front: a long file of comments or blank lines needs almost nothing.
        let tree = ParseTree {
            structs: Vec::with_capacity((len / 4).min(RESERVED_NODES_MAX)),
            children: Vec::with_capacity((len / 3).min(RESERVED_NODES_MAX)),
            consts: Vec::new(),
            root: None,
        };
        Parser {
            lex,
            pool,
            debug_kind,
            tree,
            results: Vec::with_capacity(64),
            rules: Vec::with_capacity(64),
            consts: HashMap::new(),
            qstr_const,
            cur,
            depth: 0,
            fast_limit: FAST_DEPTH,
            small_int_bits: opts.small_int_bits,
            big_small_values: Vec::new(),
        }
    }

    /// The current token's kind, with `__debug__` already turned into its value.
    #[inline(always)]
    fn tok(&self) -> TokenKind {
        self.cur
    }

    #[inline(always)]
    fn push_rule(&mut self, rule: Rule, i: usize, line: u32, column: u32) {
        self.rules.push(Frame {
            rule,
            i: i as u32,
            line,
            column,
        });
    }

    /// Push a child rule, starting at the current token.
    ///
    /// Two shortcuts keep the reference's outcome with fewer frames: an `or` rule is resolved
    /// at once to the alternative the token can start, and when an expression rule meets a
    /// plain atom token, the descent through the expression levels is done at once (the atom
    /// is consumed; frames are made only for the levels the next token continues, see
    /// [`grammar::LEVELS`]).
    #[inline(always)]
    fn push_child(&mut self, rule: Rule) -> PResult<()> {
        // Most (child, token) pairs resolve the same way every time: look the outcome up.
        let step = R::GRAMMAR.steps[rule as usize][self.tok() as usize & 127];
        self.take_step(rule, step)
    }

    /// [`Self::push_child`] with the child's [`STEPS`] entry for the current token already
    /// looked up.
    #[inline(always)]
    fn take_step(&mut self, rule: Rule, step: u16) -> PResult<()> {
        let (line, column) = (self.lex.line(), self.lex.column());
        let n = usize::from(step & 0xff);
        if step & (STEP_TOKEN | STEP_ATOM) == 0 {
            // Expressions are parsed by hand-written code, up to a nesting depth.
            if FAST_RULES[n] && self.depth < self.fast_limit {
                return self.fast_enter(grammar::rule_at(n));
            }
            self.push_rule(grammar::rule_at(n), 0, line, column);
            Ok(())
        } else if step >= STEP_NONE {
            // STEP_SLOW, or STEP_NONE (callers check the FIRST set first; the walk copes).
            self.push_child_slow(rule, line, column)
        } else if step & STEP_ATOM != 0 {
            if self.depth < self.fast_limit {
                return self.fast_enter_level(n);
            }
            self.atom_chain(n, line, column)
        } else {
            self.push_token(grammar::rule_at(n))?;
            self.advance()
        }
    }

    /// [`Self::push_child`] when an `or` rule on the way keeps a frame to backtrack to.
    #[inline(never)]
    fn push_child_slow(&mut self, rule: Rule, line: u32, column: u32) -> PResult<()> {
        if let Some(k) = chain_entry(rule) {
            if ATOM_TOKENS.contains(self.tok()) {
                return self.atom_chain(k, line, column);
            }
        }
        let tok = self.tok();
        let mut rule = rule;
        // An `or` rule is resolved here rather than through a frame of its own: the first
        // alternative that can start with the token is taken (a frame to resume the `or` is
        // kept only if a later alternative could start with it too, for backtracking).
        while R::GRAMMAR.def(rule).kind == Kind::Or {
            let args = R::GRAMMAR.def(rule).args;
            let i = usize::from(R::GRAMMAR.or_pick[rule as usize][tok as usize & 127]);
            if i >= args.len() {
                break;
            }
            match args[i] {
                Arg::Tok(_) => {
                    self.push_token(rule)?;
                    return self.advance();
                }
                Arg::Rule(c) | Arg::Opt(c) => {
                    if R::GRAMMAR.or_rest[rule as usize][i + 1].contains(tok) {
                        self.push_rule(rule, i + 1, line, column);
                    }
                    if let Some(k) = chain_entry(c) {
                        if ATOM_TOKENS.contains(tok) {
                            return self.atom_chain(k, line, column);
                        }
                    }
                    rule = c;
                }
            }
        }
        self.push_rule(rule, 0, line, column);
        Ok(())
    }

    /// The descent from level `k` to `atom` for a plain atom token: the atom is consumed, and
    /// the levels climbed back as far as the next token lets them go on.
    #[inline(always)]
    fn atom_chain(&mut self, k: usize, line: u32, column: u32) -> PResult<()> {
        self.push_token(Rule::Atom)?;
        self.advance()?;
        self.resume_chain(k, LEVELS.len() - 1, line, column);
        Ok(())
    }

    /// Levels `k..=m` have each matched one item (all started at `line`/`column`). Going from
    /// the innermost out, each level the current token cannot continue leaves its item alone;
    /// the first that can continue gets a real frame, with a chain frame for those above it.
    #[inline(always)]
    fn resume_chain(&mut self, k: usize, m: usize, line: u32, column: u32) {
        // The innermost level in k..=m that the token continues, if any.
        let levels = u32::from(R::GRAMMAR.cont_levels[self.tok() as usize & 127])
            & ((2u32 << m) - 1)
            & !((1u32 << k) - 1);
        if levels != 0 {
            let j = 31 - levels.leading_zeros() as usize;
            if j > k {
                self.push_rule(Rule::ConstObject, chain_span(k, j - 1), line, column);
            }
            self.push_rule(LEVELS[j], 1, line, column);
        }
    }

    /// The top frame goes on at argument `i` once the child about to be pushed is done.
    #[inline(always)]
    fn resume_at(&mut self, i: usize) {
        if let Some(f) = self.rules.last_mut() {
            f.i = i as u32;
        }
    }

    #[inline(always)]
    fn advance(&mut self) -> PResult<()> {
        self.lex.advance()?;
        let k = self.lex.kind();
        self.cur = if k == TokenKind::KwDebug {
            self.debug_kind
        } else {
            k
        };
        Ok(())
    }

    #[inline(always)]
    pub(crate) fn peek(&self, pos: usize) -> Node {
        self.results[self.results.len() - 1 - pos]
    }

    #[inline(always)]
    pub(crate) fn pop(&mut self) -> Node {
        self.results.pop().unwrap_or(Node::Null)
    }

    /// An exception located at `line` (the file name is filled in by the caller).
    pub(crate) fn error_at(kind: ExcKind, message: &str, line: u32, column: u32) -> PyException {
        PyException::new(kind, message).at(SourceLocation {
            file: Vec::new(),
            line,
            column,
            scope: None,
        })
    }

    /// The reference's parse failure at the current token.
    #[cold]
    #[inline(never)]
    fn syntax_error(&self) -> PyException {
        let (kind, msg) = match self.lex.kind() {
            TokenKind::Indent => (ExcKind::IndentationError, "unexpected indent"),
            TokenKind::DedentMismatch => (
                ExcKind::IndentationError,
                "unindent doesn't match any outer indent level",
            ),
            TokenKind::MalformedFstring => (ExcKind::SyntaxError, "malformed f-string"),
            TokenKind::FstringRaw => (ExcKind::SyntaxError, "raw f-strings are not supported"),
            _ => (ExcKind::SyntaxError, "invalid syntax"),
        };
        Self::error_at(kind, msg, self.lex.line(), self.lex.column())
    }

    /// A struct node holding a constant object (`make_node_const_object`).
    pub(crate) fn const_node(&mut self, obj: ConstObj, line: u32, column: u32) -> Node {
        let c = ConstId(self.tree.consts.len() as u32);
        self.tree.consts.push(obj);
        let id = StructId(self.tree.structs.len() as u32, Rule::ConstObject);
        self.tree.structs.push(StructNode {
            rule: Rule::ConstObject,
            line,
            column,
            first_child: self.tree.children.len() as u32,
            n_children: 0,
            constant: Some(c),
        });
        Node::Struct(id)
    }

    /// More distinct names and strings than 16-bit qstr numbers can name. (The reference runs
    /// out of its heap well before this: 40,000 distinct names already fail there.)
    fn too_many_qstrs() -> PyException {
        PyException::new(
            ExcKind::MemoryError,
            "memory allocation failed, more than 65535 qstrs",
        )
    }

    #[inline(always)]
    fn check_pool(&self) -> PResult<()> {
        if self.pool.is_full() {
            Err(Box::new(Self::too_many_qstrs()))
        } else {
            Ok(())
        }
    }

    /// Push the current token as a node (`push_result_token`); interns names and strings.
    #[inline(always)]
    fn push_token(&mut self, rule: Rule) -> PResult<()> {
        let kind = self.tok();
        if kind == TokenKind::Name && self.lex.value().len() > 255 && R::PARSE.name_too_long {
            return Err(Box::new(PyException::new(
                ExcKind::RuntimeError,
                "name too long",
            )));
        }
        if kind == TokenKind::Name && (rule != Rule::Atom || self.consts.is_empty()) {
            // The common case: a name that no `const` binding replaces.
            let q = self.pool.intern(self.lex.value());
            self.check_pool()?;
            self.results.push(Node::Id(q));
            return Ok(());
        }
        self.push_token_other(rule, kind)
    }

    /// [`Self::push_token`] for every token but a plain name.
    #[inline(never)]
    fn push_token_other(&mut self, rule: Rule, kind: TokenKind) -> PResult<()> {
        let node = match kind {
            TokenKind::Name => {
                let q = self.pool.intern(self.lex.value());
                self.check_pool()?;
                if rule == Rule::Atom && !self.consts.is_empty() {
                    let (line, col) = (self.lex.line(), self.lex.column());
                    match self.consts.get(&q).cloned() {
                        Some(ConstVal::Int(v)) => self.int_node(v, line, col),
                        Some(ConstVal::Obj(o)) => self.const_node(o, line, col),
                        None => Node::Id(q),
                    }
                } else {
                    Node::Id(q)
                }
            }
            TokenKind::Integer => {
                let (line, col) = (self.lex.line(), self.lex.column());
                let len = self.lex.value().len();
                if len > INT_LITERAL_MAX {
                    return Err(Box::new(PyException::new(
                        ExcKind::MemoryError,
                        format!("memory allocation failed, allocating {len} bytes"),
                    )));
                }
                let v = parse_integer_with(self.lex.value(), R::PARSE.zero_strict_ints)
                    .map_err(|m| Self::error_at(ExcKind::SyntaxError, &m, line, col))?;
                self.int_node(v, line, col)
            }
            TokenKind::FloatOrImag => {
                let (line, col) = (self.lex.line(), self.lex.column());
                let text = self.lex.value();
                let lit = (R::PARSE.float_literal)(text)
                    .map_err(|e| Self::error_at(ExcKind::SyntaxError, &e.to_string(), line, col))?;
                let obj = match lit {
                    FloatLiteral::Float(f) => ConstObj::Float(f),
                    FloatLiteral::Imag(f) => ConstObj::Complex(f),
                };
                self.const_node(obj, line, col)
            }
            TokenKind::Bytes if R::PARSE.bytes_as_objects => {
                let (line, col) = (self.lex.line(), self.lex.column());
                let obj = ConstObj::Bytes(self.lex.value().to_vec());
                self.const_node(obj, line, col)
            }
            TokenKind::String | TokenKind::Bytes => {
                let value = self.lex.value();
                let q = if value.len() <= INTERN_STRING_LEN {
                    let q = self.pool.intern(value);
                    if self.pool.is_full() {
                        return Err(Box::new(Self::too_many_qstrs()));
                    }
                    Some(q)
                } else if R::PARSE.long_pool_strings.contains(&value) {
                    Some(self.pool.intern(value))
                } else {
                    self.pool.find(value)
                };
                let is_str = kind == TokenKind::String;
                match q {
                    Some(q) if is_str => Node::Str(q),
                    Some(q) => Node::Bytes(q),
                    None => {
                        let bytes = value.to_vec();
                        let obj = if is_str {
                            ConstObj::Str(bytes)
                        } else {
                            ConstObj::Bytes(bytes)
                        };
                        let (line, col) = (self.lex.line(), self.lex.column());
                        self.const_node(obj, line, col)
                    }
                }
            }
            other => Node::Token(other),
        };
        self.results.push(node);
        Ok(())
    }

    /// How many rule frames are on the stack.
    #[inline]
    pub(crate) fn rules_len(&self) -> usize {
        self.rules.len()
    }

    /// The rule of frame `i` (from the bottom).
    #[inline]
    pub(crate) fn rule_at_depth(&self, i: usize) -> Rule {
        self.rules[i].rule
    }

    /// Drop the top `n` rule frames (their rules are finished by a simplification).
    pub(crate) fn drop_rules(&mut self, n: usize) {
        let len = self.rules.len().saturating_sub(n);
        self.rules.truncate(len);
    }

    /// Build a struct node from the top `n` results (`push_result_rule`), after the
    /// reference's simplifications: parentheses around one expression vanish, and constant
    /// expressions fold.
    #[inline(always)]
    pub(crate) fn push_struct(
        &mut self,
        line: u32,
        column: u32,
        rule: Rule,
        n: usize,
    ) -> PResult<()> {
        // Only a few rules can vanish or fold; the rest are built at once, inline.
        if R::PARSE.simplifies[rule as usize] {
            if R::PARSE.const_any {
                if self.may_simplify_1_29(rule, n) {
                    return self.push_struct_1_29(line, column, rule, n);
                }
                self.build_struct(line, column, rule, n);
                return Ok(());
            }
            return self.push_struct_simplified(line, column, rule, n);
        }
        self.build_struct(line, column, rule, n);
        Ok(())
    }

    /// [`Self::push_struct`] for `testlist_comp` and `testlist_comp_3c` from hand-written
    /// code, which knows whether the display is parenthesised (`in_paren`): true when 1.29's
    /// parser made a constant tuple of a `testlist_comp_3c` and the first item before it,
    /// which ends the display's `testlist_comp` too.
    #[inline]
    pub(crate) fn push_struct_in(
        &mut self,
        line: u32,
        column: u32,
        rule: Rule,
        n: usize,
        in_paren: bool,
    ) -> PResult<bool> {
        if R::PARSE.simplifies[rule as usize] && R::PARSE.const_any {
            return self.push_struct_1_29_in(line, column, rule, n, in_paren);
        }
        self.push_struct(line, column, rule, n)?;
        Ok(false)
    }

    /// [`Self::push_struct`] for the rules that may vanish or fold.
    #[inline(never)]
    fn push_struct_simplified(
        &mut self,
        line: u32,
        column: u32,
        rule: Rule,
        mut n: usize,
    ) -> PResult<()> {
        if rule == Rule::AtomParen {
            let pn = self.peek(0);
            if !matches!(pn, Node::Null) && !self.tree.is_struct_kind(pn, Rule::TestlistComp) {
                return Ok(());
            }
        }
        if self.fold_logical(rule, &mut n) {
            return Ok(());
        }
        if self.fold_constants(rule, n)? {
            return Ok(());
        }
        self.build_struct(line, column, rule, n);
        Ok(())
    }

    /// Move the top `n` results into a new struct node and push it.
    #[inline(always)]
    pub(crate) fn build_struct(&mut self, line: u32, column: u32, rule: Rule, n: usize) {
        let first_child = self.tree.children.len() as u32;
        let start = self.results.len() - n;
        // Fixed-size copies for the usual few children (a `memcpy` call costs more).
        let children = &mut self.tree.children;
        match self.results[start..] {
            [] => {}
            [a] => children.push(a),
            [a, b] => children.extend_from_slice(&[a, b]),
            [a, b, c] => children.extend_from_slice(&[a, b, c]),
            [a, b, c, d] => children.extend_from_slice(&[a, b, c, d]),
            ref more => children.extend_from_slice(more),
        }
        self.results.truncate(start);
        let id = StructId(self.tree.structs.len() as u32, rule);
        self.tree.structs.push(StructNode {
            rule,
            line,
            column,
            first_child,
            n_children: n as u32,
            constant: None,
        });
        self.results.push(Node::Struct(id));
    }

    /// The main loop (`mp_parse`).
    fn run(&mut self) -> PResult<()> {
        self.push_rule(Rule::FileInput, 0, self.lex.line(), self.lex.column());
        self.run_until(0)?;
        if self.lex.kind() != TokenKind::End || self.results.is_empty() {
            return Err(Box::new(self.syntax_error()));
        }
        self.tree.root = self.results.first().copied();
        Ok(())
    }

    /// Parse `rule`, whose FIRST set holds the current token, with frames (for the
    /// hand-written code: the parts it leaves to the machine, and deep nesting).
    #[inline(never)]
    fn run_sub(&mut self, rule: Rule) -> PResult<()> {
        let base = self.rules.len();
        self.push_child(rule)?;
        if self.run_until(base)? {
            Ok(())
        } else {
            // A rule whose FIRST set holds the token consumes it or raises an error, so it
            // cannot fail quietly; should it, the caller's rule could not go on either.
            Err(Box::new(self.syntax_error()))
        }
    }

    /// Run the frames above the first `base` until they are all done; false if the last
    /// one failed without consuming anything.
    #[inline(never)]
    fn run_until(&mut self, base: usize) -> PResult<bool> {
        let mut backtrack = false;

        // The frame on top stays on the stack while its rule goes on to a child (its argument
        // index is updated in place); it is popped when the rule is done or fails.
        while self.rules.len() > base {
            let Some(&frame) = self.rules.last() else {
                break;
            };
            let rule = frame.rule;
            let def = R::GRAMMAR.def(rule);
            let args = def.args;
            let n = args.len();
            let mut i = frame.i as usize;

            match def.kind {
                Kind::Or => {
                    self.rules.pop();
                    if i > 0 && !backtrack {
                        // An alternative matched.
                        continue;
                    }
                    backtrack = false;
                    let tok = self.tok();
                    let mut matched = false;
                    while i < n {
                        match args[i] {
                            Arg::Tok(t) => {
                                if tok == t {
                                    self.push_token(rule)?;
                                    self.advance()?;
                                    matched = true;
                                    break;
                                }
                            }
                            Arg::Rule(c) | Arg::Opt(c) => {
                                if R::GRAMMAR.first[c as usize].contains(tok) {
                                    if R::GRAMMAR.or_rest[rule as usize][i + 1].contains(tok) {
                                        self.push_rule(rule, i + 1, frame.line, frame.column);
                                    }
                                    self.push_child(c)?;
                                    matched = true;
                                    break;
                                }
                            }
                        }
                        i += 1;
                    }
                    if !matched {
                        backtrack = true;
                    }
                }

                Kind::And => {
                    if backtrack {
                        // The child at i - 1 failed without consuming anything.
                        if matches!(args[i - 1], Arg::Opt(_)) {
                            self.results.push(Node::Null);
                            backtrack = false;
                        } else if i > 1 {
                            return Err(Box::new(self.syntax_error()));
                        } else {
                            self.rules.pop();
                            continue;
                        }
                    }
                    let mut descended = false;
                    while i < n {
                        match args[i] {
                            Arg::Tok(t) => {
                                if self.tok() == t {
                                    if t == TokenKind::Name {
                                        self.push_token(rule)?;
                                    }
                                    self.advance()?;
                                } else if i > 0 {
                                    return Err(Box::new(self.syntax_error()));
                                } else {
                                    self.rules.pop();
                                    backtrack = true;
                                    descended = true;
                                    break;
                                }
                            }
                            Arg::Rule(c) | Arg::Opt(c) => {
                                let step = R::GRAMMAR.steps[c as usize][self.tok() as usize & 127];
                                if step != STEP_NONE {
                                    self.resume_at(i + 1);
                                    self.take_step(c, step)?;
                                    descended = true;
                                    break;
                                }
                                // Not there: an optional child is `Null`; a required one is
                                // an error, unless it is the first (the rule did not match).
                                if matches!(args[i], Arg::Opt(_)) {
                                    self.results.push(Node::Null);
                                } else if i > 0 {
                                    return Err(Box::new(self.syntax_error()));
                                } else {
                                    self.rules.pop();
                                    backtrack = true;
                                    descended = true;
                                    break;
                                }
                            }
                        }
                        i += 1;
                    }
                    if descended {
                        continue;
                    }
                    self.rules.pop();
                    self.reduce_and(frame, def)?;
                }

                Kind::OneOrMore | Kind::List | Kind::ListWithEnd => {
                    let ln = def.list_n();
                    let mut had_trailing_sep = false;
                    let mut finished = false;
                    if !backtrack {
                        loop {
                            let arg = args[i & 1 & ln];
                            let sep = i & 1 & ln != 0;
                            let tok = self.tok();
                            match arg {
                                Arg::Tok(t) => {
                                    if tok == t {
                                        if !sep {
                                            self.push_token(rule)?;
                                        }
                                        self.advance()?;
                                        i += 1;
                                    } else {
                                        i += 1;
                                        backtrack = true;
                                        break;
                                    }
                                }
                                Arg::Rule(c) | Arg::Opt(c) => {
                                    let step = R::GRAMMAR.steps[c as usize][tok as usize & 127];
                                    if step != STEP_NONE {
                                        self.resume_at(i + 1);
                                        self.take_step(c, step)?;
                                        finished = true;
                                        break;
                                    }
                                    i += 1;
                                    backtrack = true;
                                    break;
                                }
                            }
                        }
                        if finished {
                            continue;
                        }
                    }
                    // A child (item or separator) at i - 1 failed: the list ends here.
                    self.rules.pop();
                    if ln == 2 {
                        if i == 1 {
                            continue;
                        }
                        backtrack = false;
                    } else if i == 1 {
                        continue;
                    } else if i & 1 == 1 {
                        if ln == 3 {
                            had_trailing_sep = true;
                            backtrack = false;
                        } else {
                            return Err(Box::new(self.syntax_error()));
                        }
                    } else {
                        backtrack = false;
                    }

                    let mut count = i - 1;
                    if ln & 1 == 1 && matches!(args[1], Arg::Tok(_)) {
                        count = count.div_ceil(2);
                    }
                    if count != 1 || had_trailing_sep {
                        self.push_struct(frame.line, frame.column, rule, count)?;
                    }
                }

                Kind::None => {
                    // A chain frame: levels k..=m have each matched one item.
                    self.rules.pop();
                    let (k, m) = (frame.i as usize >> 8, frame.i as usize & 0xff);
                    self.resume_chain(k, m, frame.line, frame.column);
                }
            }
        }

        Ok(!backtrack)
    }

    /// `expr_stmt` has its two results: build its node. Lonely expression statements that
    /// are constants (doc strings among them) vanish.
    fn reduce_expr_stmt(&mut self, line: u32, column: u32) -> PResult<()> {
        if matches!(self.peek(0), Node::Null) {
            let lonely_const = match self.peek(1) {
                Node::Null | Node::Id(_) => false,
                Node::Struct(id) => id.1 == Rule::ConstObject,
                _ => true,
            };
            if lonely_const {
                self.pop();
                self.pop();
                return self.reduce(line, column, Rule::PassStmt);
            }
        }
        self.reduce(line, column, Rule::ExprStmt)
    }

    /// An `and` rule matched all its arguments: build its node.
    fn reduce_and(&mut self, frame: Frame, def: &grammar::RuleDef) -> PResult<()> {
        if frame.rule == Rule::ExprStmt {
            return self.reduce_expr_stmt(frame.line, frame.column);
        }
        self.reduce_and_rule(frame.line, frame.column, def)
    }

    /// The node of `and` rule `rule` (started at `line`/`column`) from the results its
    /// matching code left on top of the stack, shaped by the grammar table alone: how many
    /// results it takes, whether a lone non-empty one stands for the rule (`and_ident`), and
    /// whether a blank child is added (`and_blank`). The hand-written paths build every fixed
    /// `and` rule through here, so they decide no shape of their own; with `rule` known where
    /// it is inlined, the table lookups fold away.
    #[inline(always)]
    pub(crate) fn reduce(&mut self, line: u32, column: u32, rule: Rule) -> PResult<()> {
        let def = R::GRAMMAR.def(rule);
        if def.ident && !def.blank && def.pushed == 2 {
            // The usual `and_ident` case, inline: exactly one of two results non-empty.
            let n = self.results.len();
            let (a, b) = (self.results[n - 2], self.results[n - 1]);
            if (matches!(a, Node::Null)) != (matches!(b, Node::Null)) {
                self.results.truncate(n - 2);
                self.results
                    .push(if matches!(a, Node::Null) { b } else { a });
                return Ok(());
            }
            return self.push_struct(line, column, rule, 2);
        }
        if def.ident || def.blank {
            return self.reduce_and_rule(line, column, def);
        }
        self.push_struct(line, column, rule, usize::from(def.pushed))
    }

    /// The node of `and` rule `def` (started at `line`/`column`) from its results on top of
    /// the stack: one per rule argument (`Null` when an optional one is absent) and one per
    /// NAME token. An `and_ident` rule with exactly one non-empty result is that result; an
    /// `and_blank` rule gets a trailing `Null` child.
    #[inline]
    pub(crate) fn reduce_and_rule(
        &mut self,
        line: u32,
        column: u32,
        def: &grammar::RuleDef,
    ) -> PResult<()> {
        let mut pushed = usize::from(def.pushed);
        let start = self.results.len() - pushed;
        if def.ident {
            let mut non_null = self.results[start..]
                .iter()
                .filter(|n| !matches!(n, Node::Null));
            if let (Some(&keep), None) = (non_null.next(), non_null.next()) {
                self.results.truncate(start);
                self.results.push(keep);
                return Ok(());
            }
        }
        if def.blank {
            self.results.push(Node::Null);
            pushed += 1;
        }
        self.push_struct(line, column, def.rule, pushed)
    }
}
