//! The pass driver: the scope pass over every scope, slot numbering, then each scope's code
//! passes through the back end [`crate::backend::lookup`] gives it; errors and their lines.

use super::*;

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
        real_consts: false,
    };
    // Most back ends emit nothing in the scope pass and wait while it runs; one that numbers
    // module-wide tables as names are first used (1.29's) lends its numbering to it.
    let st = if let Some(numbering) = emit.scope_pass_numbering() {
        let mut comp = Compiler {
            st,
            emit: numbering,
        };
        comp.scope_passes();
        comp.st
    } else {
        let mut comp = Compiler {
            st,
            emit: &mut NullEmit,
        };
        comp.scope_passes();
        comp.st
    };
    let (st, result, needs_exact) = code_passes(st, emit);
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
            Err(_) if needs_exact => CodegenError::NeedsExactPasses,
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
    /// The error came from a pass made without the assembler after a held refusal (see
    /// [`CodegenOptions::exact_after_refusal`]): compile again with every pass made in full.
    NeedsExactPasses,
}

impl<E: Emit + ?Sized> Compiler<'_, '_, E> {
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
                EmitOpt::AsmThumb | EmitOpt::AsmXtensa | EmitOpt::AsmRv32
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
                            if self.scopes[i].id_info[j].kind == IdKind::GlobalImplicit
                                && self.scopes[i].id_info[j].flags & ID_FLAG_ASSIGNED == 0
                            {
                                names +=
                                    crate::scope::check_to_close_over(&mut self.scopes, sid, j);
                            }
                        }
                    }
                    (Some(_), Some(_)) => {
                        for j in 0..self.scopes[i].id_info.len() {
                            if self.scopes[i].id_info[j].kind == IdKind::GlobalImplicit
                                && self.scopes[i].id_info[j].flags & ID_FLAG_ASSIGNED == 0
                            {
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
///
/// Also gives whether a native back end made a pass whose error is not to be trusted
/// ([`CodegenOptions::exact_after_refusal`]).
fn code_passes<'a, E: Emit + ?Sized>(
    st: CodegenState<'a>,
    bytecode: &mut E,
) -> (CodegenState<'a>, Result<(), CompileError>, bool) {
    let mut native: Option<Box<dyn Emit>> = None;
    let (st, result) = code_passes_with(st, bytecode, &mut native);
    let unsure = native.as_ref().is_some_and(|n| n.unsure());
    (st, result, unsure)
}

fn code_passes_with<'a, E: Emit + ?Sized>(
    mut st: CodegenState<'a>,
    bytecode: &mut E,
    native: &mut Option<Box<dyn Emit>>,
) -> (CodegenState<'a>, Result<(), CompileError>) {
    if st.error.is_none() {
        for i in 0..st.scopes.len() {
            ids::compute_things(&mut st.scopes, i, st.pool, st.q.class);
        }
    }

    let mut inline_asm: Option<Option<Box<dyn crate::emitinline::InlineAsm>>> = None;
    let mut i = 0;
    // Which of the two shared back ends scope `i` goes to: the bytecode emitter (`false`) or
    // the module's one native back end (`true`).
    let native_back_end = |st: &CodegenState<'_>, i: usize| match crate::backend::lookup(
        st.scopes[i].emit_options,
        st.opts.arch,
    ) {
        Some(BackEnd::Bytecode) => Some(false),
        Some(BackEnd::Native(_)) => Some(true),
        None => None,
    };
    while i < st.scopes.len() && st.error.is_none() {
        st.cur = i;
        let emit_options = st.scopes[i].emit_options;
        st = match crate::backend::lookup(emit_options, st.opts.arch) {
            Some(BackEnd::Bytecode) => {
                let mut comp = Compiler { st, emit: bytecode };
                comp.run_code_passes(&mut i, |st, j| native_back_end(st, j) == Some(false));
                comp.st
            }
            Some(BackEnd::Native(make)) => {
                let emit = native.get_or_insert_with(|| make(&st.opts, st.max_num_labels));
                let mut comp = Compiler {
                    st,
                    emit: &mut **emit,
                };
                comp.run_code_passes(&mut i, |st, j| native_back_end(st, j) == Some(true));
                comp.st
            }
            None if matches!(
                emit_options,
                EmitOpt::AsmThumb | EmitOpt::AsmXtensa | EmitOpt::AsmRv32
            ) =>
            {
                let max_num_labels = st.max_num_labels;
                let arch = st.opts.arch;
                let thumb_by_arch = st.opts.rules.thumb_ops_by_arch;
                match inline_asm.get_or_insert_with(|| {
                    crate::emitinline::lookup(arch, max_num_labels, thumb_by_arch)
                }) {
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
            (EmitOpt::AsmRv32, _) => "@micropython.asm_rv32",
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
            raw_message: None,
        }
    }

    /// Gives a held-back error without a line the line of `pn` (the innermost statement
    /// compiled when the back end raised it) and the current scope's name.
    pub(super) fn note_held_error_line(&mut self, pn: Node) {
        if let (Node::Struct(id), Some(err)) = (pn, self.held_error.as_mut()) {
            if err.line == 0 {
                err.line = self.tree.get(id).line;
                err.scope_name = self.pool.get(self.scopes[self.cur].simple_name).to_vec();
            }
        }
    }

    pub(super) fn set_error_line(&mut self, pn: Node) {
        if self.error_line == 0 {
            if let Node::Struct(id) = pn {
                self.error_line = self.tree.get(id).line;
            }
        }
    }
}

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    /// The code passes of scope `*i` and of the scopes after it that go to the same back end
    /// (`same` says which), until an error: one compiler for the run, so the state moves in
    /// and out once per run, not once per scope. Leaves `*i` at the last scope compiled.
    fn run_code_passes(&mut self, i: &mut usize, same: impl Fn(&CodegenState<'_>, usize) -> bool) {
        self.scope_code_passes(*i);
        while *i + 1 < self.scopes.len() && self.error.is_none() && same(&self.st, *i + 1) {
            *i += 1;
            self.cur = *i;
            self.scope_code_passes(*i);
        }
    }

    /// The code passes of scope `i` with this back end: only the emit pass when it makes a
    /// scope's code from one walk (the bytecode emitter does), else the reference's three (a
    /// pass after an error would not change the first error, so none runs).
    ///
    /// Once a back end holds a refusal back (`held_error`), the module can only fail: with
    /// that refusal, or with an error raised later that replaces it. For a native Python
    /// scope only the stack-size pass runs then. No compiler error is left for the other
    /// passes (the scope pass met every error of the walk; the one raised in the emit pass
    /// alone needs a 1.29 tree under 1.11 rules). A native emitter holding a refusal raises
    /// only the type errors of its value model (`local 'x' used before type known`), which
    /// sees the same calls in every pass, so they come in the first; the code the other
    /// passes would size and write is never saved. What a pass carries to the next scope
    /// (Xtensa's literal count, the prelude offset) then comes from a stack-size pass: it
    /// sizes code only, and could decide an assembler error (and so whether a later type
    /// error is trusted) only in functions of over 128 KiB. Half the stdlib files xtensa
    /// refuses were compiled to their end three times over for nothing. Viper scopes keep
    /// their three passes.
    fn scope_code_passes(&mut self, i: usize) {
        if self.emit.single_walk() {
            self.compile_scope(i, Pass::Emit);
        } else {
            for pass in [Pass::StackSize, Pass::CodeSize, Pass::Emit] {
                if self.failed() {
                    break;
                }
                let moot = pass != Pass::StackSize
                    && self.held_error.is_some()
                    && self.scope().emit_options == EmitOpt::NativePython;
                if moot {
                    break;
                }
                if pass != Pass::StackSize && self.emit.replay_pass(pass, &mut self.st.scopes[i]) {
                    continue;
                }
                self.compile_scope(i, pass);
            }
        }
        self.failed();
        // Raised outside any statement (entry, exit, prelude): the scope's own line.
        let pn = self.scope().pn;
        self.note_held_error_line(pn);
    }

    /// Whether an error was raised, by the compiler or by the back end. The back end's error
    /// replaces any earlier one, as the reference's emitters overwrite `compile_error`
    /// through their error slot (free for back ends that raise none: inlined to a load).
    #[inline(always)]
    pub(super) fn failed(&mut self) -> bool {
        if let Some(err) = self.emit.take_error(self.st.pool) {
            self.error = Some(err);
        }
        if let Some(err) = self.emit.take_held_error(self.st.pool) {
            self.held_error.get_or_insert(err);
        }
        self.error.is_some()
    }
}
