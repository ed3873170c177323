//! The v6 emitter's part in the scope pass: numbering the module's tables.
//!
//! The reference drives its bytecode emitter through the scope pass, where it writes no code
//! but does number every qstr and constant object it is given (`mp_emit_common_use_qstr`,
//! `mp_emit_common_use_const_obj`), so the tables are in the order the scope pass first
//! uses them. [`Numbering`] is what of the emitter that pass needs: every call that names a
//! qstr or an object enters it, every other call does nothing. The compiler walks the scope
//! pass with it (its own monomorphised walk), then the emit pass with the full emitter, which
//! goes on numbering through the same tables.

use mpcore::Qstr;
use rawcode::Const;
use syntax::{ConstId, ConstObj, TokenKind};

use super::tables::{ModuleTables, Obj};
use crate::emit::{
    AccessKind, BlockKind, BuildKind, Emit, GlobalKind, ImportKind, Label, LocalKind, Pass,
    YieldKind,
};
use crate::scope::{Scope, ScopeId, ScopeKind, ID_FLAG_IS_PARAM};

/// The qstr `*`, the name of an argument slot with no parameter.
const QSTR_STAR: Qstr = Qstr(5);

/// No object-table entry noted yet for a parser-made constant.
const UNSEEN: u32 = u32::MAX;

/// The module's tables and what the scope pass reads back of the emitter.
#[derive(Debug, Default)]
pub struct Numbering {
    /// The module's qstr and object tables.
    pub tables: ModuleTables,
    /// Whether the release drops unreachable code (see
    /// [`BytecodeEmitterV6::dropping_dead_code`](super::BytecodeEmitterV6::dropping_dead_code)).
    pub(super) drops_dead_code: bool,
    /// A `RETURN_VALUE` was given in this scope's scope pass. The reference's emitter leaves
    /// its flag set for the rest of that pass (it returns before clearing it there).
    last_return: bool,
    /// The object-table index of each parser-made constant ([`ConstId`]) already entered, or
    /// [`UNSEEN`]: the emit pass loads the same constants again, and an entry found once is the
    /// first strictly equal one for good (entries are never removed or moved).
    const_index: Vec<u32>,
}

impl Numbering {
    /// Tables whose qstr table starts with `source_file`.
    pub fn new(source_file: Qstr) -> Numbering {
        Numbering {
            tables: ModuleTables::new(source_file),
            drops_dead_code: true,
            last_return: false,
            const_index: Vec::new(),
        }
    }

    /// Empties the numbering for another module, as [`Numbering::new`] makes it, keeping the
    /// tables' room.
    pub(super) fn reset(&mut self, source_file: Qstr) {
        self.tables.reset(source_file);
        self.drops_dead_code = true;
        self.last_return = false;
        self.const_index.clear();
    }

    /// The table index of the constant the parser made as `id` (`c`), entering it if new.
    pub(super) fn parsed_const(&mut self, id: ConstId, c: &ConstObj) -> u32 {
        let k = id.0 as usize;
        if let Some(&i) = self.const_index.get(k) {
            if i != UNSEEN {
                return i;
            }
        }
        let i = self.tables.use_obj(crate::compile::obj_of_const(c));
        if self.const_index.len() <= k {
            self.const_index.resize(k + 64, UNSEEN);
        }
        self.const_index[k] = i;
        i
    }

    /// Enters the scope's simple name and argument names (positional, then keyword-only; `*`
    /// for a slot without a parameter), giving each table index to `each`.
    pub(super) fn scope_names(&mut self, scope: &Scope, mut each: impl FnMut(u32)) {
        each(self.tables.use_qstr(scope.simple_name));
        let n_args = usize::from(scope.num_pos_args) + usize::from(scope.num_kwonly_args);
        for i in 0..n_args {
            let q = scope
                .id_info
                .iter()
                .find(|id| id.flags & ID_FLAG_IS_PARAM != 0 && usize::from(id.local_num) == i)
                .map_or(QSTR_STAR, |id| id.qst);
            each(self.tables.use_qstr(q));
        }
    }

    fn qstr(&mut self, q: Qstr) {
        self.tables.use_qstr(q);
    }

    fn obj(&mut self, o: Obj) {
        self.tables.use_obj(o);
    }
}

#[rustfmt::skip]
impl Emit for Numbering {
    fn start_pass(&mut self, _: Pass, scope: &Scope) {
        self.last_return = false;
        self.scope_names(scope, |_| {});
    }
    fn end_pass(&mut self, _: &mut Scope) {}
    fn last_emit_was_return_value(&self) -> bool {
        !self.drops_dead_code && self.last_return
    }
    fn load_const_parsed(&mut self, id: ConstId, c: &ConstObj) {
        self.parsed_const(id, c);
    }
    fn load_const_folded(&mut self, obj: Obj) { self.obj(obj); }
    fn adjust_stack_size(&mut self, _: i32) {}
    fn set_source_line(&mut self, _: u32) {}
    fn load_local(&mut self, _: Qstr, _: u32, _: LocalKind) {}
    fn load_global(&mut self, q: Qstr, _: GlobalKind) { self.qstr(q); }
    fn store_local(&mut self, _: Qstr, _: u32, _: LocalKind) {}
    fn store_global(&mut self, q: Qstr, _: GlobalKind) { self.qstr(q); }
    fn delete_local(&mut self, _: Qstr, _: u32, _: LocalKind) {}
    fn delete_global(&mut self, q: Qstr, _: GlobalKind) { self.qstr(q); }
    fn label_assign(&mut self, _: Label) {}
    fn import(&mut self, q: Qstr, kind: ImportKind) {
        if kind != ImportKind::Star {
            self.qstr(q);
        }
    }
    fn load_const_tok(&mut self, tok: TokenKind) {
        if tok == TokenKind::Ellipsis {
            self.obj(Obj::Ellipsis);
        }
    }
    fn load_const_small_int(&mut self, _: i64) {}
    fn load_const_str(&mut self, q: Qstr) { self.qstr(q); }
    fn load_const_obj(&mut self, c: Const) { self.obj(Obj::from_const(c)); }
    fn load_null(&mut self) {}
    fn load_method(&mut self, q: Qstr, _: bool) { self.qstr(q); }
    fn load_build_class(&mut self) {}
    fn subscr(&mut self, _: AccessKind) {}
    fn attr(&mut self, q: Qstr, _: AccessKind) { self.qstr(q); }
    fn dup_top(&mut self) {}
    fn dup_top_two(&mut self) {}
    fn pop_top(&mut self) {}
    fn rot_two(&mut self) {}
    fn rot_three(&mut self) {}
    fn jump(&mut self, _: Label) {}
    fn pop_jump_if(&mut self, _: bool, _: Label) {}
    fn jump_if_or_pop(&mut self, _: bool, _: Label) {}
    fn unwind_jump(&mut self, _: Label, _: u32) {}
    fn setup_block(&mut self, _: Label, _: BlockKind) {}
    fn with_cleanup(&mut self, _: Label) {}
    fn end_finally(&mut self) {}
    fn get_iter(&mut self, _: bool) {}
    fn for_iter(&mut self, _: Label) {}
    fn for_iter_end(&mut self) {}
    fn pop_except_jump(&mut self, _: Label, _: bool) {}
    fn unary_op(&mut self, _: u8) {}
    fn binary_op(&mut self, _: u8) {}
    fn build(&mut self, _: u32, _: BuildKind) {}
    fn store_map(&mut self) {}
    fn store_comp(&mut self, _: ScopeKind, _: u32) {}
    fn unpack_sequence(&mut self, _: u32) {}
    fn unpack_ex(&mut self, _: u32, _: u32) {}
    fn make_function(&mut self, _: ScopeId, _: &Scope, _: u32, _: u32) {}
    fn make_closure(&mut self, _: ScopeId, _: &Scope, _: u32, _: u32, _: u32) {}
    fn call_function(&mut self, _: u32, _: u32, _: u32) {}
    fn call_method(&mut self, _: u32, _: u32, _: u32) {}
    fn return_value(&mut self) { self.last_return = true; }
    fn raise_varargs(&mut self, _: u32) {}
    fn yield_(&mut self, _: YieldKind) {}
    fn start_except_handler(&mut self) {}
    fn end_except_handler(&mut self) {}
}
