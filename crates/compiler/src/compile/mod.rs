//! Code generation: the reference's passes over every scope, driving an [`Emit`] back end.
//!
//! The module scope is compiled first; each pass over a scope may create child scopes (in
//! the scope pass), which are appended to the scope list and compiled later in list order.
//! After the scope pass of every scope, local slots are numbered (module `ids`), then each scope
//! gets its code passes: only the emit pass when the back end makes the code from one walk, as
//! the bytecode emitter does ([`Emit::single_walk`]), else the reference's stack-size,
//! code-size and emit passes. Errors follow the reference: the first one is kept, compilation
//! of the current pass continues, later scopes are not compiled.

mod assign;
mod call;
mod compound;
mod const_tuple;
mod errors;
mod expr;
mod func;
mod ids;
mod inline;
mod namedexpr;
mod null_emit;
mod passes;
mod slots;
mod stmt;

use std::sync::OnceLock;

use mpcore::{ExcKind, Qstr, QstrPool};
use rawcode::Const;
use syntax::{Node, ParseTree, Rule, StructId, TokenKind};

pub use errors::CompileError;
use null_emit::NullEmit;

use crate::backend::BackEnd;
use crate::emit::{Emit, Label, Pass};
pub use crate::options::CodegenOptions;
use crate::options::DefaultEmit;
use crate::scope::{EmitOpt, IdKind, Scope, ScopeId, ScopeKind, ScopeSpares, ID_FLAG_ASSIGNED};
use crate::CompileContext;
pub(crate) use const_tuple::obj_of_const;
pub use errors::{MAX_DEPTH, MAX_SCOPE_DEPTH};
pub use passes::{compile_tree, CodegenError};

/// A list of nodes as `mp_parse_node_extract_list` gives it.
#[derive(Clone, Copy)]
pub(crate) enum NodeList<'a> {
    Slice(&'a [Node]),
    One(Node),
}

impl NodeList<'_> {
    pub(crate) fn as_slice(&self) -> &[Node] {
        match self {
            NodeList::Slice(s) => s,
            NodeList::One(n) => std::slice::from_ref(n),
        }
    }
}

/// Scopes room is made for up front (a stdlib module has about 24 on average).
const SCOPES_RESERVED: usize = 64;

/// Most names (parameters, locals, cells, frees, globals referred to) all scopes together may
/// hold. The reference keeps each in 16 bytes of its 2 MiB heap, so it has run out of memory
/// long before this many; nested closures can otherwise ask for a number of free variables
/// quadratic in the size of the source.
const MAX_NAMES: usize = 1 << 20;
/// The error for more than [`MAX_NAMES`] names.
const TOO_MANY_NAMES: &str = "memory allocation failed, more than 1048576 names in scopes";

/// `INVALID_LABEL`: no enclosing loop.
pub(crate) const INVALID_LABEL: Label = 0xffff;

/// The static qstrs code generation refers to by name.
#[derive(Clone, Copy)]
pub(crate) struct Names {
    pub(crate) empty: Qstr,
    pub(crate) star: Qstr,
    pub(crate) class: Qstr,
    pub(crate) name: Qstr,
    pub(crate) module: Qstr,
    pub(crate) qualname: Qstr,
    pub(crate) super_: Qstr,
    pub(crate) range: Qstr,
    pub(crate) micropython: Qstr,
    pub(crate) bytecode: Qstr,
    pub(crate) native: Qstr,
    pub(crate) viper: Qstr,
    pub(crate) asm_thumb: Qstr,
    pub(crate) asm_xtensa: Qstr,
    pub(crate) assertion_error: Qstr,
    pub(crate) stop_async_iteration: Qstr,
    pub(crate) base_exception: Qstr,
    pub(crate) aiter: Qstr,
    pub(crate) anext: Qstr,
    pub(crate) aenter: Qstr,
    pub(crate) aexit: Qstr,
    pub(crate) label: Qstr,
    pub(crate) align: Qstr,
    pub(crate) data: Qstr,
    pub(crate) object: Qstr,
    pub(crate) bool_: Qstr,
    pub(crate) int: Qstr,
    pub(crate) uint: Qstr,
}

impl Names {
    fn new(pool: &mut QstrPool) -> Names {
        // All of these are in the reference's static pool, whose numbers every pool shares:
        // look them up once per process. Should one be missing, interning keeps the numbering
        // the reference would give.
        static STATIC: OnceLock<Option<Names>> = OnceLock::new();
        let found = STATIC.get_or_init(|| {
            let mut missing = false;
            let names = Names::with(|s| {
                mpcore::qstr::builtin(s).unwrap_or_else(|| {
                    missing = true;
                    Qstr::NULL
                })
            });
            (!missing).then_some(names)
        });
        match found {
            Some(names) => *names,
            None => Names::with(|s| pool.intern(s)),
        }
    }

    fn with(mut q: impl FnMut(&[u8]) -> Qstr) -> Names {
        Names {
            empty: Qstr::EMPTY,
            star: q(b"*"),
            class: q(b"__class__"),
            name: q(b"__name__"),
            module: q(b"__module__"),
            qualname: q(b"__qualname__"),
            super_: q(b"super"),
            range: q(b"range"),
            micropython: q(b"micropython"),
            bytecode: q(b"bytecode"),
            native: q(b"native"),
            viper: q(b"viper"),
            asm_thumb: q(b"asm_thumb"),
            asm_xtensa: q(b"asm_xtensa"),
            assertion_error: q(b"AssertionError"),
            stop_async_iteration: q(b"StopAsyncIteration"),
            base_exception: q(b"BaseException"),
            aiter: q(b"__aiter__"),
            anext: q(b"__anext__"),
            aenter: q(b"__aenter__"),
            aexit: q(b"__aexit__"),
            label: q(b"label"),
            align: q(b"align"),
            data: q(b"data"),
            object: q(b"object"),
            bool_: q(b"bool"),
            int: q(b"int"),
            uint: q(b"uint"),
        }
    }
}

/// The code generator's tables kept in a [`CompileContext`] between compilations.
#[derive(Default)]
pub(crate) struct CodegenSpares {
    /// The name table of the last compilation.
    name_slots: Option<slots::Slots>,
    /// The node-to-scope table of the last compilation.
    node_scopes: Option<slots::Slots>,
}

/// Code generation's own state (`compiler_t` without its emitter): the tree, the scopes and
/// what the walk of the current scope keeps. It outlives any one back end: the compiler hands
/// it from the scope pass's emitter (a null one, or the v6 table numbering) to the back end of
/// each scope in turn.
pub(crate) struct CodegenState<'a> {
    tree: &'a ParseTree,
    pool: &'a mut QstrPool,
    opts: CodegenOptions,
    q: Names,
    source_file: Qstr,
    pass: Pass,
    have_star: bool,
    num_dict_params: u16,
    num_default_params: u16,
    break_label: Label,
    continue_label: Label,
    cur_except_level: u16,
    break_continue_except_level: u16,
    next_label: Label,
    scopes: Vec<Scope>,
    /// Emptied name lists for new scopes (the compile context's).
    spares: &'a mut ScopeSpares,
    cur: usize,
    /// The scope made from a funcdef, classdef, lambdef or comp_for node.
    node_scope: slots::Slots,
    /// How deeply each scope is nested (the module is 0).
    scope_depth: Vec<u32>,
    error: Option<CompileError>,
    error_line: u32,
    /// A back end's held-back error (`Emit::take_held_error`): raised at the end unless
    /// another comes first; line 0 until noted at the statement that raised it.
    held_error: Option<CompileError>,
    depth: u32,
    /// Nesting allowed in this run (at most [`MAX_DEPTH`]).
    max_depth: u32,
    /// Set when `max_depth` (below [`MAX_DEPTH`]) was reached: the run is void.
    needs_deeper_stack: bool,
    /// The source line last handed to the emitter in this pass (0: none yet).
    last_line: u32,
    /// Where the current scope's names are in its `id_info`.
    names: ids::NameSlots,
    /// The most labels any scope numbered in the scope pass (a native back end's label
    /// table is this big, as the reference's is).
    max_num_labels: usize,
    /// Whether this pass makes constants' objects (see [`Compiler::real_consts`]).
    real_consts: bool,
}

/// Code generation driving the back end `E` (statically dispatched: the scope pass runs with
/// a [`NullEmit`], whose calls compile to nothing, or for `.mpy` v6 with the emitter's table
/// numbering alone). Its state is reached through `Deref`, so
/// the compile functions read `self.scopes`, `self.pool`, … as fields.
pub(crate) struct Compiler<'a, 'e, E: Emit + ?Sized> {
    st: CodegenState<'a>,
    /// The back end of the scope being compiled.
    emit: &'e mut E,
}

impl<'a, E: Emit + ?Sized> std::ops::Deref for Compiler<'a, '_, E> {
    type Target = CodegenState<'a>;
    #[inline(always)]
    fn deref(&self) -> &CodegenState<'a> {
        &self.st
    }
}

impl<'a, E: Emit + ?Sized> std::ops::DerefMut for Compiler<'a, '_, E> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut CodegenState<'a> {
        &mut self.st
    }
}

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    // ----- emitter access -----

    /// The emitter for the current pass (in the scope pass a [`NullEmit`], or the v6 table
    /// numbering).
    #[inline]
    fn e(&mut self) -> &mut E {
        &mut *self.emit
    }

    fn scope(&self) -> &Scope {
        &self.scopes[self.cur]
    }

    fn scope_mut(&mut self) -> &mut Scope {
        &mut self.st.scopes[self.st.cur]
    }

    /// Labels the native emitters use internally are taken from the same numbering
    /// (`reserve_labels_for_native`); bytecode scopes reserve none.
    fn reserve_labels_for_native(&mut self, n: Label) {
        if self.scope().emit_options != EmitOpt::Bytecode {
            self.next_label += n;
        }
    }

    fn next_label(&mut self) -> Label {
        let l = self.next_label;
        self.next_label += 1;
        l
    }

    // ----- parse-tree access -----

    /// Child `i` of a struct node, or `Null` past its end.
    #[inline(always)]
    fn kid(&self, id: StructId, i: usize) -> Node {
        let tree: &'a ParseTree = self.tree;
        let s = &tree.structs[id.0 as usize];
        if i < s.n_children as usize {
            tree.children
                .get(s.first_child as usize + i)
                .copied()
                .unwrap_or(Node::Null)
        } else {
            Node::Null
        }
    }

    /// The children of a struct node (`ParseTree::children`, inlined: this is the hottest
    /// access of the code generator).
    #[inline(always)]
    fn kids(&self, id: StructId) -> &'a [Node] {
        let tree: &'a ParseTree = self.tree;
        let s = &tree.structs[id.0 as usize];
        let start = s.first_child as usize;
        &tree.children[start..start + s.n_children as usize]
    }

    #[inline]
    fn rule_of(&self, id: StructId) -> Rule {
        id.1
    }

    #[inline]
    fn is_kind(&self, pn: Node, rule: Rule) -> bool {
        self.tree.is_struct_kind(pn, rule)
    }

    /// The struct id of `pn` if it is a struct of `rule`.
    #[inline]
    fn as_kind(&self, pn: Node, rule: Rule) -> Option<StructId> {
        match pn {
            Node::Struct(id) if id.1 == rule => Some(id),
            _ => None,
        }
    }

    /// `mp_parse_node_extract_list`: the children of `pn` if it is a `rule` struct, else `pn`
    /// itself (or nothing when null).
    fn extract_list(&self, pn: Node, rule: Rule) -> NodeList<'a> {
        match pn {
            Node::Null => NodeList::Slice(&[]),
            Node::Struct(id) if id.1 == rule => NodeList::Slice(self.kids(id)),
            _ => NodeList::One(pn),
        }
    }

    /// The qstr of an id leaf (`MP_PARSE_NODE_LEAF_ARG`), or null for anything else.
    fn leaf_qstr(pn: Node) -> Qstr {
        match pn {
            Node::Id(q) | Node::Str(q) | Node::Bytes(q) => q,
            _ => Qstr::NULL,
        }
    }

    /// Tells the emitter the source line of the code that follows, once per change.
    fn note_source_line(&mut self, line: u32) {
        if self.pass != Pass::Scope && line != self.last_line {
            self.last_line = line;
            self.emit.set_source_line(line);
        }
    }

    /// For releases where lambdas and comprehensions start their code at their own line:
    /// sets it at the start of scope `pn`'s body.
    fn scope_start_line(&mut self, pn: Node) {
        if let (true, Node::Struct(id)) = (self.opts.rules.scope_start_line, pn) {
            let line = self.tree.get(id).line;
            self.note_source_line(line);
        }
    }

    /// Whether constants are made as objects in this pass (else a placeholder stands in):
    /// in the emit pass, in every pass where the release's parser makes them, and in the
    /// stack-size pass of a back end that replays it for the emit pass.
    fn real_consts(&self) -> bool {
        self.real_consts
    }

    fn is_const_false(&self, pn: Node) -> bool {
        if self.opts.rules.parser_constants && self.opts.rules.truth_of_any_const {
            return self.const_truth(pn) == Some(false);
        }
        matches!(pn, Node::Token(TokenKind::KwFalse) | Node::SmallInt(0))
    }

    fn is_const_true(&self, pn: Node) -> bool {
        if self.opts.rules.parser_constants && self.opts.rules.truth_of_any_const {
            return self.const_truth(pn) == Some(true);
        }
        matches!(pn, Node::Token(TokenKind::KwTrue)) || matches!(pn, Node::SmallInt(v) if v != 0)
    }

    // ----- errors -----

    fn raise(&mut self, kind: ExcKind, pn: Node, msg: &str) {
        if self.error.is_none() {
            self.error = Some(CompileError {
                kind,
                message: msg.to_string(),
                line: 0,
                scope_name: Vec::new(),
                raw_message: None,
            });
            self.set_error_line(pn);
        }
    }

    fn syntax_error(&mut self, pn: Node, msg: &str) {
        self.raise(ExcKind::SyntaxError, pn, msg);
    }

    // ----- scopes -----

    fn new_scope(
        &mut self,
        kind: ScopeKind,
        pn: Node,
        emit_options: EmitOpt,
        parent: Option<ScopeId>,
    ) -> ScopeId {
        let mut s = Scope::new(kind, pn, self.source_file, emit_options);
        s.id_info = self.spares.id_list();
        s.parent = parent;
        s.simple_name = match kind.anonymous_name() {
            Some(name) => self.pool.intern(name),
            None => match pn {
                Node::Struct(id) => Self::leaf_qstr(self.kid(id, 0)),
                _ => Qstr::NULL,
            },
        };
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(s);
        let depth = parent.map_or(0, |p| self.scope_depth[p.0 as usize] + 1);
        self.scope_depth.push(depth);
        if depth > MAX_SCOPE_DEPTH {
            self.raise(
                ExcKind::RuntimeError,
                pn,
                "maximum recursion depth exceeded",
            );
        }
        id
    }

    /// `scope_new_and_link` for a child of the current scope, remembered against `key`.
    fn new_child_scope(
        &mut self,
        kind: ScopeKind,
        pn: Node,
        key: StructId,
        emit_options: EmitOpt,
    ) -> ScopeId {
        let parent = Some(ScopeId(self.cur as u32));
        let id = self.new_scope(kind, pn, emit_options, parent);
        self.node_scope.set(key.0 as usize, id.0);
        id
    }

    /// The scope made from `key` in the scope pass.
    fn scope_for(&self, key: StructId) -> Option<ScopeId> {
        self.node_scope.get(key.0 as usize).map(ScopeId)
    }

    fn compile_scope(&mut self, sid: usize, pass: Pass) {
        self.pass = pass;
        self.cur = sid;
        self.next_label = 0;
        self.last_line = 0;
        self.st.names.start(&self.st.scopes[sid].id_info);
        self.real_consts = pass == Pass::Emit
            || self.opts.rules.parser_constants
            || (pass == Pass::StackSize && self.emit.replays_passes());
        self.emit.start_pass(pass, &self.st.scopes[sid]);
        self.reserve_labels_for_native(6);
        if pass == Pass::Scope {
            self.scopes[sid].stack_size = 0;
            self.scopes[sid].exc_stack_size = 0;
        }
        let pn = self.scopes[sid].pn;
        match self.scopes[sid].kind {
            ScopeKind::Module => {
                self.compile_node(pn);
                self.e().load_const_tok(TokenKind::KwNone);
                self.e().return_value();
            }
            ScopeKind::Function => self.compile_scope_function(pn),
            ScopeKind::Lambda => self.compile_scope_lambda(pn),
            ScopeKind::ListComp | ScopeKind::DictComp | ScopeKind::SetComp | ScopeKind::GenExpr => {
                self.compile_scope_comprehension(pn)
            }
            ScopeKind::Class => self.compile_scope_class(pn),
        }
        self.emit.end_pass(&mut self.st.scopes[sid]);
        if pass == Pass::Scope {
            self.max_num_labels = self.max_num_labels.max(self.next_label as usize);
        }
    }

    // ----- the dispatcher -----

    /// Compiles any node; inlined into callers so that names and leaves skip a call.
    #[inline(always)]
    fn compile_node(&mut self, pn: Node) {
        match pn {
            Node::Struct(id) => self.compile_struct_node(id),
            Node::Id(q) => self.load_id(q),
            Node::Null | Node::Token(TokenKind::Newline) => {}
            _ => self.compile_leaf(pn),
        }
    }

    /// [`Self::compile_node`] where the node is likely an expression statement or an atom
    /// expression (a call, an attribute): those go to their compiler without the general
    /// dispatch.
    #[inline(always)]
    fn compile_node_hot(&mut self, pn: Node) {
        if let Node::Struct(id) = pn {
            let rule = self.rule_of(id);
            if rule == Rule::AtomExprNormal || rule == Rule::ExprStmt {
                if self.begin_struct(id) {
                    if rule == Rule::AtomExprNormal {
                        self.compile_atom_expr_normal(id);
                    } else {
                        self.compile_expr_stmt(id);
                    }
                    self.leave();
                }
                return;
            }
        }
        self.compile_node(pn);
    }

    /// Constants and tokens (any node is handled, as by [`Self::compile_node`]).
    #[inline(never)]
    fn compile_leaf(&mut self, pn: Node) {
        match pn {
            Node::SmallInt(v) => self.load_small_int(v),
            Node::Str(q) => self.e().load_const_str(q),
            Node::Bytes(q) => {
                let obj = if self.real_consts() {
                    Const::Bytes(self.pool.get(q).to_vec())
                } else {
                    Const::Ellipsis
                };
                self.e().load_const_obj(obj);
            }
            Node::Token(TokenKind::Newline) | Node::Null => {}
            Node::Token(t) => self.e().load_const_tok(t),
            Node::Id(q) => self.load_id(q),
            Node::Struct(id) => self.compile_struct_node(id),
        }
    }

    /// A struct node: the nesting check, its source line, then its rule's compiler.
    #[inline(never)]
    fn compile_struct_node(&mut self, id: StructId) {
        if self.begin_struct(id) {
            self.compile_struct(id);
            self.leave();
        }
    }

    /// What compiling any struct node starts with: the nesting check (false, with the error
    /// raised, when too deep; else [`Self::leave`] must follow), then its source line.
    #[inline(always)]
    fn begin_struct(&mut self, id: StructId) -> bool {
        if !self.enter(Node::Struct(id)) {
            return false;
        }
        if self.pass != Pass::Scope {
            // Most nodes start on their parent's line: the emitter hears each change once.
            let line = self.tree.get(id).line;
            if line != self.last_line {
                self.last_line = line;
                self.emit.set_source_line(line);
            }
        }
        true
    }

    fn compile_struct(&mut self, id: StructId) {
        match self.rule_of(id) {
            Rule::FileInput
            | Rule::FileInput2
            | Rule::SimpleStmt2
            | Rule::PassStmt
            | Rule::SuiteBlockStmts => self.compile_generic_all_nodes(id),
            Rule::Decorated => self.compile_decorated(id),
            Rule::Funcdef => self.compile_funcdef(id),
            Rule::ExprStmt => self.compile_expr_stmt(id),
            Rule::TestlistStarExpr | Rule::Subscriptlist | Rule::Testlist => {
                self.compile_generic_tuple(id)
            }
            Rule::DelStmt => self.compile_del_stmt(id),
            Rule::BreakStmt | Rule::ContinueStmt => self.compile_break_cont_stmt(id),
            Rule::ReturnStmt => self.compile_return_stmt(id),
            Rule::YieldStmt => {
                self.compile_node(self.kid(id, 0));
                self.e().pop_top();
            }
            Rule::RaiseStmt => self.compile_raise_stmt(id),
            Rule::ImportName => self.compile_import_name(id),
            Rule::ImportFrom => self.compile_import_from(id),
            Rule::GlobalStmt | Rule::NonlocalStmt => self.compile_global_nonlocal_stmt(id),
            Rule::AssertStmt => self.compile_assert_stmt(id),
            Rule::AsyncStmt => self.compile_async_stmt(id),
            Rule::IfStmt => self.compile_if_stmt(id),
            Rule::WhileStmt => self.compile_while_stmt(id),
            Rule::ForStmt => self.compile_for_stmt(id),
            Rule::TryStmt => self.compile_try_stmt(id),
            Rule::WithStmt => self.compile_with_stmt(id),
            Rule::TestIfExpr => self.compile_test_if_expr(id),
            Rule::Lambdef | Rule::LambdefNocond => self.compile_lambdef(id),
            Rule::OrTest | Rule::AndTest => self.compile_or_and_test(id),
            Rule::NotTest2 => {
                self.compile_node(self.kid(id, 0));
                self.e().unary_op(crate::runtime0::UNARY_OP_NOT);
            }
            Rule::Comparison => self.compile_comparison(id),
            Rule::NamedexprTest => self.compile_namedexpr_helper(self.kid(id, 0), self.kid(id, 1)),
            Rule::StarExpr => self.syntax_error(Node::Struct(id), "*x must be assignment target"),
            Rule::Expr | Rule::XorExpr | Rule::AndExpr => self.compile_binary_op(id),
            Rule::ShiftExpr | Rule::ArithExpr | Rule::Term => self.compile_term(id),
            Rule::Factor2 => self.compile_factor_2(id),
            Rule::Power => {
                self.compile_generic_all_nodes(id);
                self.e().binary_op(crate::runtime0::BINARY_OP_POWER);
            }
            Rule::AtomExprAwait => self.compile_atom_expr_await(id),
            Rule::AtomExprNormal => self.compile_atom_expr_normal(id),
            Rule::AtomParen => self.compile_atom_paren(id),
            Rule::AtomBracket => self.compile_atom_bracket(id),
            Rule::AtomBrace => self.compile_atom_brace_helper(id, true),
            Rule::TrailerParen => self.compile_trailer_paren_helper(self.kid(id, 0), false, 0),
            Rule::TrailerBracket => {
                self.compile_node(self.kid(id, 0));
                self.e().subscr(crate::emit::AccessKind::Load);
            }
            Rule::TrailerPeriod => {
                let q = Self::leaf_qstr(self.kid(id, 0));
                self.e().attr(q, crate::emit::AccessKind::Load);
            }
            Rule::Subscript2 | Rule::Subscript3 => self.compile_subscript(id),
            Rule::DictorsetmakerItem => {
                self.compile_node(self.kid(id, 1));
                self.compile_node(self.kid(id, 0));
            }
            Rule::Classdef => self.compile_classdef(id),
            Rule::YieldExpr => self.compile_yield_expr(id),
            Rule::ConstObject => self.compile_const_object(id),
            other => {
                let msg = format!(
                    "mpyc internal error: unexpected parse node {}",
                    other.name()
                );
                self.raise(ExcKind::RuntimeError, Node::Struct(id), &msg);
            }
        }
    }

    fn compile_generic_all_nodes(&mut self, id: StructId) {
        for &pn in self.kids(id) {
            self.compile_node_hot(pn);
            if self.failed() {
                self.set_error_line(pn);
                return;
            }
            self.note_held_error_line(pn);
        }
    }

    /// A small int leaf: inline if it fits the target's small int, else an int object.
    fn load_small_int(&mut self, v: i64) {
        let bits = self.opts.small_int_bits.clamp(1, 64) as u32;
        let sign_mask: u64 = (!0u64) << (bits - 1);
        let a = v as u64;
        if a & sign_mask == 0 || a & sign_mask == sign_mask {
            self.e().load_const_small_int(v);
        } else {
            let obj = if self.real_consts() {
                Const::Int(v.into())
            } else {
                Const::Ellipsis
            };
            self.e().load_const_obj(obj);
        }
    }

    fn compile_const_object(&mut self, id: StructId) {
        use syntax::ConstObj;
        if self.opts.rules.parser_constants {
            // The release's parser made this object; it is the same in every pass.
            if let Some(cid) = self.tree.get(id).constant {
                let tree = self.tree;
                self.e()
                    .load_const_parsed(cid, &tree.consts[cid.0 as usize]);
            }
            return;
        }
        let obj = if !self.real_consts() {
            Const::Ellipsis
        } else {
            match self.tree.constant(id) {
                Some(ConstObj::Int(i)) => Const::Int(i.clone()),
                Some(ConstObj::Float(f)) => Const::Float(*f),
                Some(ConstObj::Complex(f)) => Const::Complex {
                    real: 0.0,
                    imag: *f,
                },
                Some(ConstObj::Str(s)) => Const::Str(s.clone()),
                Some(ConstObj::Bytes(b)) => Const::Bytes(b.clone()),
                // Only MicroPython 1.29's front end makes these (`const()` values).
                Some(
                    ConstObj::None
                    | ConstObj::True
                    | ConstObj::False
                    | ConstObj::Ellipsis
                    | ConstObj::Tuple(_),
                ) => {
                    self.raise(
                        ExcKind::NotImplementedError,
                        Node::Struct(id),
                        "a MicroPython 1.29 constant in a 1.11 compile",
                    );
                    Const::Ellipsis
                }
                None => Const::Ellipsis,
            }
        };
        self.e().load_const_obj(obj);
    }

    /// Enters a recursive helper that does not go through [`Self::compile_node`]; false (with
    /// the error raised) when the nesting is too deep.
    #[inline]
    fn enter(&mut self, pn: Node) -> bool {
        if self.depth >= self.max_depth {
            self.too_deep(pn);
            return false;
        }
        self.depth += 1;
        true
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&mut self, pn: Node) {
        if self.max_depth < MAX_DEPTH {
            // Too deep for this run's stack: stop everything; the caller runs again.
            self.needs_deeper_stack = true;
            self.raise(ExcKind::RuntimeError, pn, "needs a deeper stack");
        } else {
            self.raise(
                ExcKind::RuntimeError,
                pn,
                "maximum recursion depth exceeded",
            );
        }
    }

    #[inline]
    fn leave(&mut self) {
        self.depth -= 1;
    }
}
