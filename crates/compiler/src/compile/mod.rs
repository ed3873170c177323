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
mod errors;
mod expr;
mod func;
mod ids;
mod inline;
mod null_emit;
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
use crate::scope::{EmitOpt, IdKind, Scope, ScopeId, ScopeKind, ScopeSpares};
use crate::CompileContext;
pub use errors::{MAX_DEPTH, MAX_SCOPE_DEPTH};

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
/// it from the scope pass's null emitter to the back end of each scope in turn.
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
}

/// Code generation driving the back end `E` (statically dispatched: the scope pass runs with
/// a [`NullEmit`], whose calls compile to nothing). Its state is reached through `Deref`, so
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

/// Compiles a parse tree into scopes whose `raw_code` the emitter has filled in.
///
/// `emit` is the bytecode back end, used for every scope compiled to bytecode; `ctx` lends
/// the tables and lists of earlier compilations. On success the scope list is returned in
/// creation order (index 0 is the module); give it back with [`CompileContext::recycle`].
pub fn compile_tree<E: Emit + ?Sized>(
    ctx: &mut CompileContext,
    tree: &ParseTree,
    pool: &mut QstrPool,
    source_file: Qstr,
    opts: CodegenOptions,
    emit: &mut E,
    max_depth: u32,
) -> Result<Vec<Scope>, CodegenError> {
    let CompileContext {
        scope_spares: spares,
        codegen_spares: codegen,
        ..
    } = ctx;
    let q = Names::new(pool);
    let names = ids::NameSlots::take(&mut codegen.name_slots, pool.len());
    let st = CodegenState {
        tree,
        pool,
        opts,
        q,
        source_file,
        pass: Pass::Scope,
        have_star: false,
        num_dict_params: 0,
        num_default_params: 0,
        break_label: INVALID_LABEL,
        continue_label: INVALID_LABEL,
        cur_except_level: 0,
        break_continue_except_level: 0,
        next_label: 0,
        scopes: spares.scope_list(SCOPES_RESERVED),
        spares,
        cur: 0,
        node_scope: slots::Slots::take(&mut codegen.node_scopes, tree.structs.len()),
        scope_depth: Vec::with_capacity(SCOPES_RESERVED),
        error: None,
        error_line: 0,
        held_error: None,
        depth: 0,
        max_depth: max_depth.min(MAX_DEPTH),
        needs_deeper_stack: false,
        last_line: 0,
        names,
        max_num_labels: 0,
    };
    // Nothing is emitted in the scope pass: the back ends wait while it runs.
    let mut comp = Compiler {
        st,
        emit: &mut NullEmit,
    };
    comp.scope_passes();
    let (st, result) = code_passes(comp.st, emit);
    let CodegenState {
        scopes,
        spares,
        names,
        node_scope,
        needs_deeper_stack,
        ..
    } = st;
    names.give_back(&mut codegen.name_slots);
    node_scope.give_back(&mut codegen.node_scopes);
    let failed = if needs_deeper_stack {
        CodegenError::NeedsDeeperStack
    } else {
        match result {
            Ok(()) => return Ok(scopes),
            Err(e) => CodegenError::Error(e),
        }
    };
    spares.recycle(scopes);
    Err(failed)
}

/// Why [`compile_tree`] gave no scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodegenError {
    /// The source is wrong: the reference's error.
    Error(CompileError),
    /// The tree nests deeper than the `max_depth` given, which is below [`MAX_DEPTH`]: compile
    /// again with a larger limit (on a stack that fits it).
    NeedsDeeperStack,
}

impl Compiler<'_, '_, NullEmit> {
    /// The scope pass over every scope, including those made along the way.
    fn scope_passes(&mut self) {
        let module_emit = match self.opts.emit {
            DefaultEmit::Bytecode => EmitOpt::Bytecode,
            DefaultEmit::Native => EmitOpt::NativePython,
            DefaultEmit::Viper => EmitOpt::Viper,
        };
        let root = self.tree.root.unwrap_or(Node::Null);
        self.new_scope(ScopeKind::Module, root, module_emit, None);

        let mut i = 0;
        // Names in all scopes so far (see MAX_NAMES).
        let mut names = 0usize;
        while i < self.scopes.len() && self.error.is_none() {
            if matches!(
                self.scopes[i].emit_options,
                EmitOpt::AsmThumb | EmitOpt::AsmXtensa
            ) {
                self.compile_scope_inline_asm(i);
            } else {
                self.compile_scope(i, Pass::Scope);
                names += self.scopes[i].id_info.len();
                // Only a function within a function (or class) can close over anything: the
                // module binds no closed-over names.
                let parent = self.scopes[i].parent.map(|p| p.0 as usize);
                let grandparent = parent.and_then(|p| self.scopes[p].parent);
                let sid = ScopeId(i as u32);
                match (parent, grandparent) {
                    (Some(p), Some(g))
                        if self.scopes[p].kind == ScopeKind::Class
                            && self.scopes[g.0 as usize].parent.is_none() =>
                    {
                        // Directly in a class of the module: only the class is searched, and
                        // the only name such a class binds as a local (or cell) is `__class__`
                        // (its other names stay global, it takes no parameters, and names
                        // declared nonlocal there have no binding).
                        if let Some(j) = self.find_id(self.q.class) {
                            if self.scopes[i].id_info[j].kind == IdKind::GlobalImplicit {
                                names +=
                                    crate::scope::check_to_close_over(&mut self.scopes, sid, j);
                            }
                        }
                    }
                    (Some(_), Some(_)) => {
                        for j in 0..self.scopes[i].id_info.len() {
                            if self.scopes[i].id_info[j].kind == IdKind::GlobalImplicit {
                                names +=
                                    crate::scope::check_to_close_over(&mut self.scopes, sid, j);
                                if names > MAX_NAMES {
                                    break;
                                }
                            }
                        }
                    }
                    _ => {}
                }
                if names > MAX_NAMES {
                    let pn = self.scopes[i].pn;
                    self.raise(ExcKind::MemoryError, pn, TOO_MANY_NAMES);
                }
            }
            i += 1;
        }
    }
}

/// Numbers the slots of every scope, then runs the code passes one scope at a time, each
/// scope through the back end [`crate::backend::lookup`] gives for its emit kind and the
/// target's arch (`bytecode` for bytecode scopes; a native back end is made at its first
/// scope and reused, as the reference reuses its emitters); gives the first error of any pass.
fn code_passes<'a, E: Emit + ?Sized>(
    mut st: CodegenState<'a>,
    bytecode: &mut E,
) -> (CodegenState<'a>, Result<(), CompileError>) {
    if st.error.is_none() {
        for i in 0..st.scopes.len() {
            ids::compute_things(&mut st.scopes, i, st.pool, st.q.class);
        }
    }

    let mut native: Option<Box<dyn Emit>> = None;
    let mut inline_asm: Option<Option<Box<dyn crate::emitinline::InlineAsm>>> = None;
    let mut i = 0;
    while i < st.scopes.len() && st.error.is_none() {
        st.cur = i;
        let emit_options = st.scopes[i].emit_options;
        st = match crate::backend::lookup(emit_options, st.opts.arch) {
            Some(BackEnd::Bytecode) => Compiler { st, emit: bytecode }.scope_code_passes(i),
            Some(BackEnd::Native(make)) => {
                let emit = native.get_or_insert_with(|| make(&st.opts, st.max_num_labels));
                Compiler {
                    st,
                    emit: &mut **emit,
                }
                .scope_code_passes(i)
            }
            None if matches!(emit_options, EmitOpt::AsmThumb | EmitOpt::AsmXtensa) => {
                let max_num_labels = st.max_num_labels;
                let arch = st.opts.arch;
                match inline_asm
                    .get_or_insert_with(|| crate::emitinline::lookup(arch, max_num_labels))
                {
                    Some(asm) => inline::code_passes(st, i, &mut **asm),
                    None => {
                        let err = st.unsupported(i);
                        return (st, Err(err));
                    }
                }
            }
            None => {
                let err = st.unsupported(i);
                return (st, Err(err));
            }
        };
        i += 1;
    }

    if st.error.is_none() {
        if let Some(mut err) = st.held_error.take() {
            err.line = err.line.max(1);
            return (st, Err(err));
        }
    }
    if let Some(mut err) = st.error.take() {
        let pn = st.scopes[st.cur].pn;
        st.set_error_line(pn);
        err.line = st.error_line;
        err.scope_name = st.pool.get(st.scopes[st.cur].simple_name).to_vec();
        return (st, Err(err));
    }
    (st, Ok(()))
}

impl CodegenState<'_> {
    /// The error for scope `i`, whose emitter mpyc does not have (yet): names the decorator
    /// or `-X emit=` option that asked for it.
    fn unsupported(&self, i: usize) -> CompileError {
        let scope = &self.scopes[i];
        let what = match (scope.emit_options, self.opts.emit) {
            (EmitOpt::NativePython, DefaultEmit::Native) => "-X emit=native",
            (EmitOpt::Viper, DefaultEmit::Viper) => "-X emit=viper",
            (EmitOpt::NativePython, _) => "@micropython.native",
            (EmitOpt::Viper, _) => "@micropython.viper",
            (EmitOpt::AsmXtensa, _) => "@micropython.asm_xtensa",
            _ => "@micropython.asm_thumb",
        };
        let line = match scope.pn {
            Node::Struct(id) => self.tree.get(id).line,
            _ => 1,
        };
        CompileError {
            kind: ExcKind::NotImplementedError,
            message: errors::unsupported_message(what),
            line,
            scope_name: self.pool.get(scope.simple_name).to_vec(),
        }
    }

    /// Gives a held-back error without a line the line of `pn` (the innermost statement
    /// compiled when the back end raised it) and the current scope's name.
    fn note_held_error_line(&mut self, pn: Node) {
        if let (Node::Struct(id), Some(err)) = (pn, self.held_error.as_mut()) {
            if err.line == 0 {
                err.line = self.tree.get(id).line;
                err.scope_name = self.pool.get(self.scopes[self.cur].simple_name).to_vec();
            }
        }
    }

    fn set_error_line(&mut self, pn: Node) {
        if self.error_line == 0 {
            if let Node::Struct(id) = pn {
                self.error_line = self.tree.get(id).line;
            }
        }
    }
}

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    /// The code passes of scope `i` with this back end: only the emit pass when it makes a
    /// scope's code from one walk (the bytecode emitter does), else the reference's three (a
    /// pass after an error would not change the first error, so none runs). Gives the state
    /// back for the next scope.
    fn scope_code_passes(mut self, i: usize) -> CodegenState<'a> {
        if self.emit.single_walk() {
            self.compile_scope(i, Pass::Emit);
        } else {
            for pass in [Pass::StackSize, Pass::CodeSize, Pass::Emit] {
                if !self.failed() {
                    self.compile_scope(i, pass);
                }
            }
        }
        self.failed();
        // Raised outside any statement (entry, exit, prelude): the scope's own line.
        let pn = self.scope().pn;
        self.note_held_error_line(pn);
        self.st
    }

    /// Whether an error was raised, by the compiler or by the back end. The back end's error
    /// replaces any earlier one, as the reference's emitters overwrite `compile_error`
    /// through their error slot (free for back ends that raise none: inlined to a load).
    #[inline(always)]
    fn failed(&mut self) -> bool {
        if let Some(err) = self.emit.take_error(self.st.pool) {
            self.error = Some(err);
        }
        if let Some(err) = self.emit.take_held_error(self.st.pool) {
            self.held_error.get_or_insert(err);
        }
        self.error.is_some()
    }

    // ----- emitter access -----

    /// The emitter for the current pass (a [`NullEmit`] in the scope pass).
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
        self.tree.get(id).rule
    }

    #[inline]
    fn is_kind(&self, pn: Node, rule: Rule) -> bool {
        self.tree.is_struct_kind(pn, rule)
    }

    /// The struct id of `pn` if it is a struct of `rule`.
    #[inline]
    fn as_kind(&self, pn: Node, rule: Rule) -> Option<StructId> {
        match pn {
            Node::Struct(id) if self.tree.get(id).rule == rule => Some(id),
            _ => None,
        }
    }

    /// `mp_parse_node_extract_list`: the children of `pn` if it is a `rule` struct, else `pn`
    /// itself (or nothing when null).
    fn extract_list(&self, pn: Node, rule: Rule) -> NodeList<'a> {
        match pn {
            Node::Null => NodeList::Slice(&[]),
            Node::Struct(id) if self.tree.get(id).rule == rule => NodeList::Slice(self.kids(id)),
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

    fn is_const_false(pn: Node) -> bool {
        matches!(pn, Node::Token(TokenKind::KwFalse) | Node::SmallInt(0))
    }

    fn is_const_true(pn: Node) -> bool {
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
        if pass != Pass::Scope {
            self.emit.start_pass(pass, &self.st.scopes[sid]);
        }
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
        if pass != Pass::Scope {
            self.emit.end_pass(&mut self.st.scopes[sid]);
        } else {
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
                let obj = if self.pass == Pass::Emit {
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
            let obj = if self.pass == Pass::Emit {
                Const::Int(v.into())
            } else {
                Const::Ellipsis
            };
            self.e().load_const_obj(obj);
        }
    }

    fn compile_const_object(&mut self, id: StructId) {
        use syntax::ConstObj;
        let obj = if self.pass != Pass::Emit {
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
