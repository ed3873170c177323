//! The interface between code generation and an emitter back end (`emit_method_table_t`).
//!
//! Code generation walks each scope several times ([`Pass`]) and drives an [`Emit`]
//! implementation (a back end that needs fewer walks says so with [`Emit::single_walk`]); the
//! bytecode emitter is one back end, native emitters are others ([`crate::backend`] says
//! which compiles a scope). A back end reports errors through [`Emit::take_error`]. Method
//! semantics follow `py/emit.h` of MicroPython 1.11 one for one.

use mpcore::{Qstr, QstrPool};
use rawcode::Const;
use syntax::TokenKind;

use crate::compile::CompileError;
use crate::scope::{Scope, ScopeId, ScopeKind};

/// A jump target, allocated by code generation; resolved by the emitter.
pub type Label = u32;

/// The compiler's passes over a scope, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pass {
    /// Find names and make child scopes (no emitter involved).
    Scope = 1,
    /// Compute stack sizes.
    StackSize = 2,
    /// Compute code size and label offsets.
    CodeSize = 3,
    /// Write the final code.
    Emit = 4,
}

/// Set in the label of [`Emit::unwind_jump`] when breaking out of a `for` loop, as the reference
/// does (`MP_EMIT_BREAK_FROM_FOR`); the bytecode emitter also accepts it in `except_depth`.
pub const BREAK_FROM_FOR: u32 = 0x8000;
/// `call_function`/`call_method` star flag: a `*args` is present.
pub const STAR_FLAG_SINGLE: u32 = 0x01;
/// `call_function`/`call_method` star flag: a `**kwargs` is present.
pub const STAR_FLAG_DOUBLE: u32 = 0x02;

/// How a local is reached (`MP_EMIT_IDOP_LOCAL_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    Fast,
    Deref,
}

/// How a global is reached (`MP_EMIT_IDOP_GLOBAL_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalKind {
    Name,
    Global,
}

/// What an id operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdOp {
    Load,
    Store,
    Delete,
}

/// Import kinds (`MP_EMIT_IMPORT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Name,
    From,
    Star,
}

/// Subscript and attribute access kinds (`MP_EMIT_SUBSCR_*`, `MP_EMIT_ATTR_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKind {
    Load,
    Store,
    Delete,
}

/// Block kinds (`MP_EMIT_SETUP_BLOCK_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    With,
    Except,
    Finally,
}

/// Build kinds (`MP_EMIT_BUILD_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildKind {
    Tuple,
    List,
    Map,
    Set,
    Slice,
}

/// Yield kinds (`MP_EMIT_YIELD_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YieldKind {
    Value,
    From,
}

/// An emitter back end. One value compiles one scope per pass sequence; `start_pass` resets it.
pub trait Emit {
    fn start_pass(&mut self, pass: Pass, scope: &Scope);
    /// Ends a pass; after [`Pass::Emit`] the emitter stores its result in `scope`
    /// (stack sizes, and `raw_code` with children not yet linked).
    fn end_pass(&mut self, scope: &mut Scope);
    /// Whether this back end makes a scope's final code from one walk: the compiler then runs
    /// only [`Pass::Emit`] over each scope it compiles with it (after the scope pass), and the
    /// back end finds the stack depth, sizes and label offsets within that walk. Otherwise the
    /// compiler runs [`Pass::StackSize`], [`Pass::CodeSize`] and [`Pass::Emit`] in turn, as the
    /// reference does. Either way `end_pass` of the emit pass stores the result in the scope.
    fn single_walk(&self) -> bool {
        false
    }
    /// Whether this back end keeps what its stack-size pass did and can make the code-size
    /// and emit passes from it ([`Emit::replay_pass`]). The compiler then gives it the
    /// constants' objects in the stack-size pass already (the emit pass's walk may not come).
    fn replays_passes(&self) -> bool {
        false
    }
    /// Makes `pass` (code size or emit) of `scope` from what the back end kept of the scope's
    /// stack-size pass, without the compiler's walk; false if it cannot (the compiler walks
    /// the scope then, as for any back end).
    fn replay_pass(&mut self, pass: Pass, scope: &mut Scope) -> bool {
        let _ = (pass, scope);
        false
    }
    /// Whether an error this back end raised may not be the reference's: it came from a pass
    /// made without the assembler (see [`crate::CodegenOptions::exact_after_refusal`]).
    fn unsure(&self) -> bool {
        false
    }
    /// The error this back end raised since last asked, if any (the reference's emitters
    /// write it to the compiler's `compile_error` slot: viper type errors, refusals such as
    /// "native yield"). The compiler asks after each statement and pass; the error replaces
    /// any it raised itself, and its line is found as for the compiler's own errors.
    /// `pool` gives the text of the qstrs the message names.
    #[inline(always)]
    fn take_error(&mut self, pool: &QstrPool) -> Option<CompileError> {
        let _ = pool;
        None
    }
    /// An error the back end holds back, given once, when first raised: where the reference
    /// writes wrong code and compiles on (an operand its encoding cannot hold), the compiler
    /// notes the statement and raises this error only if the whole module compiles without
    /// another.
    #[inline(always)]
    fn take_held_error(&mut self, pool: &QstrPool) -> Option<CompileError> {
        let _ = pool;
        None
    }
    /// What of this back end the compiler drives through the scope pass (as the reference
    /// drives its bytecode emitter through it): 1.29's emitter numbers the module's qstrs and
    /// constants in the order the scope pass first uses them, and lends its numbering for
    /// that pass. `None` (a null emitter stands in) for the others.
    fn scope_pass_numbering(&mut self) -> Option<&mut crate::emitbc_v6::Numbering> {
        None
    }
    /// Loads the constant object the release's parser made (`id` in the tree's constants,
    /// `c`). A back end without a table keyed by it loads the object it stands for.
    fn load_const_parsed(&mut self, id: syntax::ConstId, c: &syntax::ConstObj) {
        let _ = id;
        self.load_const_folded(crate::compile::obj_of_const(c));
    }
    /// Loads a constant the 1.29 parser folds into one object (a tuple of constants). A back
    /// end without such objects builds it from its items.
    fn load_const_folded(&mut self, obj: crate::emitbc_v6::Obj) {
        use crate::emitbc_v6::Obj;
        match obj {
            Obj::None => self.load_const_tok(TokenKind::KwNone),
            Obj::False => self.load_const_tok(TokenKind::KwFalse),
            Obj::True => self.load_const_tok(TokenKind::KwTrue),
            Obj::Ellipsis => self.load_const_obj(Const::Ellipsis),
            Obj::Str(s) => self.load_const_obj(Const::Str(s)),
            Obj::Bytes(b) => self.load_const_obj(Const::Bytes(b)),
            Obj::Int(i) => self.load_const_obj(Const::Int(i)),
            Obj::Float(f) => self.load_const_obj(Const::Float(f)),
            Obj::Complex { real, imag } => self.load_const_obj(Const::Complex { real, imag }),
            Obj::Tuple(items) => {
                let n = items.len() as u32;
                for item in items {
                    self.load_const_folded(item);
                }
                self.build(n, BuildKind::Tuple);
            }
        }
    }
    fn last_emit_was_return_value(&self) -> bool;
    fn adjust_stack_size(&mut self, delta: i32);
    /// The source line of the code that follows. The compiler does not repeat the line it
    /// gave last in the same pass (the reference's emitters ignore a line that does not grow).
    fn set_source_line(&mut self, line: u32);

    fn load_local(&mut self, qst: Qstr, local_num: u32, kind: LocalKind);
    fn load_global(&mut self, qst: Qstr, kind: GlobalKind);
    fn store_local(&mut self, qst: Qstr, local_num: u32, kind: LocalKind);
    fn store_global(&mut self, qst: Qstr, kind: GlobalKind);
    fn delete_local(&mut self, qst: Qstr, local_num: u32, kind: LocalKind);
    fn delete_global(&mut self, qst: Qstr, kind: GlobalKind);

    fn label_assign(&mut self, label: Label);
    fn import(&mut self, qst: Qstr, kind: ImportKind);
    /// `None`, `True`, `False` or `...` (`MP_TOKEN_ELLIPSIS`).
    fn load_const_tok(&mut self, tok: TokenKind);
    fn load_const_small_int(&mut self, value: i64);
    fn load_const_str(&mut self, qst: Qstr);
    fn load_const_obj(&mut self, obj: Const);
    fn load_null(&mut self);
    fn load_method(&mut self, qst: Qstr, is_super: bool);
    fn load_build_class(&mut self);
    fn subscr(&mut self, kind: AccessKind);
    fn attr(&mut self, qst: Qstr, kind: AccessKind);
    fn dup_top(&mut self);
    fn dup_top_two(&mut self);
    fn pop_top(&mut self);
    fn rot_two(&mut self);
    fn rot_three(&mut self);
    fn jump(&mut self, label: Label);
    fn pop_jump_if(&mut self, cond: bool, label: Label);
    fn jump_if_or_pop(&mut self, cond: bool, label: Label);
    fn unwind_jump(&mut self, label: Label, except_depth: u32);
    fn setup_block(&mut self, label: Label, kind: BlockKind);
    fn with_cleanup(&mut self, label: Label);
    fn end_finally(&mut self);
    fn get_iter(&mut self, use_stack: bool);
    fn for_iter(&mut self, label: Label);
    fn for_iter_end(&mut self);
    fn pop_except_jump(&mut self, label: Label, within_exc_handler: bool);
    /// `op` is an `UNARY_OP_*` number of [`crate::runtime0`].
    fn unary_op(&mut self, op: u8);
    /// `op` is a `BINARY_OP_*` number of [`crate::runtime0`].
    fn binary_op(&mut self, op: u8);
    fn build(&mut self, n_args: u32, kind: BuildKind);
    fn store_map(&mut self);
    fn store_comp(&mut self, kind: ScopeKind, set_stack_index: u32);
    fn unpack_sequence(&mut self, n_args: u32);
    fn unpack_ex(&mut self, n_left: u32, n_right: u32);
    /// `child` is the scope whose raw code the new function runs; `child_scope` gives its facts.
    fn make_function(
        &mut self,
        child: ScopeId,
        child_scope: &Scope,
        n_pos_defaults: u32,
        n_kw_defaults: u32,
    );
    fn make_closure(
        &mut self,
        child: ScopeId,
        child_scope: &Scope,
        n_closed_over: u32,
        n_pos_defaults: u32,
        n_kw_defaults: u32,
    );
    fn call_function(&mut self, n_positional: u32, n_keyword: u32, star_flags: u32);
    fn call_method(&mut self, n_positional: u32, n_keyword: u32, star_flags: u32);
    fn return_value(&mut self);
    fn raise_varargs(&mut self, n_args: u32);
    fn yield_(&mut self, kind: YieldKind);

    fn start_except_handler(&mut self);
    fn end_except_handler(&mut self);
}
