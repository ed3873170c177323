//! The native emitter's answer to each [`Emit`] call (`emit_native_*` of `py/emitnative.c`).

use asm::Asm;
use mpcore::{Qstr, QstrPool};
use rawcode::Const;
use syntax::TokenKind;

use super::funtable::Fun;
use super::{label_of, NativeEmitter, Place, Stop, VType, ITER_BUF_NSLOTS, R};
use crate::compile::CompileError;
use crate::emit::{
    AccessKind, BlockKind, BuildKind, Emit, GlobalKind, ImportKind, Label, LocalKind, Pass,
    YieldKind,
};
use crate::runtime0::{
    BINARY_OP_IN, BINARY_OP_IS, BINARY_OP_IS_NOT, BINARY_OP_NOT_IN, UNARY_OP_NOT,
};
use crate::scope::{Scope, ScopeId, ScopeKind};

/// `MP_OBJ_SENTINEL` of the object representation the cross compiler uses.
const OBJ_SENTINEL: i64 = 4;

impl<A: Asm> NativeEmitter<A> {
    fn load_fast(&mut self, qst: Qstr, local: usize) -> R {
        let vtype = self
            .local_vtype
            .get(local)
            .copied()
            .unwrap_or(VType::Unbound);
        if vtype == VType::Unbound {
            self.viper_type_error(super::Pending::UsedBeforeType(qst));
        }
        self.last_emit_was_return_value = false;
        if local < A::REG_LOCAL_NUM && self.can_use_regs_for_locals() {
            self.post_push_reg(vtype, Self::reg_local(local));
        } else {
            self.need_reg_single(A::REG_TEMP0, 0)?;
            let slot = self.var_local(local);
            self.mov_reg_state(A::REG_TEMP0, slot)?;
            self.post_push_reg(vtype, A::REG_TEMP0);
        }
        Ok(())
    }

    fn load_deref(&mut self, qst: Qstr, local: usize) -> R {
        self.need_reg_single(A::REG_RET, 0)?;
        self.load_fast(qst, local)?;
        let (_, base) = self.pre_pop_reg_flexible(A::REG_RET, None, None)?;
        self.asm.load_reg_reg_offset(A::REG_RET, base, 1)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn store_fast(&mut self, qst: Qstr, local: usize) -> R {
        let vtype = if local < A::REG_LOCAL_NUM && self.can_use_regs_for_locals() {
            self.pre_pop_reg(Self::reg_local(local))?
        } else {
            let v = self.pre_pop_reg(A::REG_TEMP0)?;
            let slot = self.var_local(local);
            self.mov_state_reg(slot, A::REG_TEMP0)?;
            v
        };
        let Some(slot) = self.local_vtype.get_mut(local) else {
            return Err(Stop::Refused("this local"));
        };
        if *slot == VType::Unbound {
            *slot = vtype;
        } else if *slot != vtype {
            let had = *slot;
            self.viper_type_error(super::Pending::LocalType(qst, had, vtype));
        }
        Ok(())
    }

    fn store_deref(&mut self, qst: Qstr, local: usize) -> R {
        self.need_reg_single(A::REG_TEMP0, 0)?;
        self.need_reg_single(A::REG_TEMP1, 0)?;
        self.load_fast(qst, local)?;
        let (_, base) = self.pre_pop_reg_flexible(A::REG_TEMP0, None, None)?;
        let (_, src) = self.pre_pop_reg_flexible(A::REG_TEMP1, Some(base), Some(base))?;
        Ok(self.asm.store_reg_reg_offset(src, base, 1)?)
    }

    pub(super) fn jump_(&mut self, label: usize) -> R {
        self.last_emit_was_return_value = false;
        self.need_stack_settled()?;
        Ok(self.asm.jump(Self::label(label))?)
    }

    fn jump_helper(&mut self, cond: bool, label: usize, pop: bool) -> R {
        let vtype = self.peek_vtype(0);
        if vtype == VType::PyObj {
            self.pre_pop_reg(A::REG_ARG_1)?;
            if !pop {
                self.adjust_stack(1);
            }
            self.call(Fun::ObjIsTrue)?;
        } else {
            self.pre_pop_reg(A::REG_RET)?;
            if !pop {
                self.adjust_stack(1);
            }
            if !matches!(vtype, VType::Bool | VType::Int | VType::Uint) {
                self.viper_type_error(super::Pending::Message(format!(
                    "can't implicitly convert '{}' to 'bool'",
                    vtype.name()
                )));
            }
        }
        if !pop {
            self.saved_stack_vtype = vtype;
        }
        self.need_stack_settled()?;
        let bool_test = vtype == VType::PyObj;
        if cond {
            self.asm
                .jump_if_reg_nonzero(A::REG_RET, Self::label(label), bool_test)?;
        } else {
            self.asm
                .jump_if_reg_zero(A::REG_RET, Self::label(label), bool_test)?;
        }
        if !pop {
            self.adjust_stack(-1);
        }
        Ok(())
    }

    fn load_subscr(&mut self) -> R {
        if self.peek_vtype(1) != VType::PyObj {
            return self.viper_load_subscr();
        }
        let index_t = self.peek_vtype(0);
        if index_t == VType::PyObj {
            self.pre_pop_reg(A::REG_ARG_2)?;
        } else {
            self.pre_pop_reg(A::REG_ARG_1)?;
            self.convert_to_obj_into(index_t, A::REG_ARG_2)?;
        }
        self.pre_pop_reg(A::REG_ARG_1)?;
        self.call_with_imm_arg(Fun::ObjSubscr, OBJ_SENTINEL, A::REG_ARG_3)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn store_subscr(&mut self) -> R {
        if self.peek_vtype(1) != VType::PyObj {
            return self.viper_store_subscr();
        }
        if self.peek_vtype(0) != VType::PyObj || self.peek_vtype(2) != VType::PyObj {
            self.stack_pointer_for_pop(A::REG_ARG_1, 3)?;
            self.adjust_stack(3);
        }
        self.pre_pop_reg(A::REG_ARG_2)?;
        self.pre_pop_reg(A::REG_ARG_1)?;
        self.pre_pop_reg(A::REG_ARG_3)?;
        self.call(Fun::ObjSubscr)
    }

    fn delete_subscr(&mut self) -> R {
        self.objects_only(2, "del of a viper subscript")?;
        self.pre_pop_reg(A::REG_ARG_2)?;
        self.pre_pop_reg(A::REG_ARG_1)?;
        self.call_with_imm_arg(Fun::ObjSubscr, 0, A::REG_ARG_3)
    }

    /// Where the reference asserts that the top `n` values are objects (it aborts on a
    /// viper value there), refuses cleanly instead.
    fn objects_only(&self, n: usize, what: &'static str) -> R {
        if (0..n).any(|d| self.peek_vtype(d) != VType::PyObj) {
            return Err(Stop::Refused(what));
        }
        Ok(())
    }

    fn attr_(&mut self, qst: Qstr, kind: AccessKind) -> R {
        let n = if kind == AccessKind::Store { 2 } else { 1 };
        self.objects_only(n, "an attribute of or to a viper value")?;
        match kind {
            AccessKind::Load => {
                self.pre_pop_reg(A::REG_ARG_1)?;
                self.call_with_qstr_arg(Fun::LoadAttr, qst, A::REG_ARG_2)?;
                self.post_push_reg(VType::PyObj, A::REG_RET);
            }
            AccessKind::Store => {
                self.pre_pop_reg(A::REG_ARG_1)?;
                self.pre_pop_reg(A::REG_ARG_3)?;
                self.call_with_qstr_arg(Fun::StoreAttr, qst, A::REG_ARG_2)?;
            }
            AccessKind::Delete => {
                self.pre_pop_reg(A::REG_ARG_1)?;
                self.asm.xor_reg_reg(A::REG_ARG_3, A::REG_ARG_3)?;
                self.call_with_qstr_arg(Fun::StoreAttr, qst, A::REG_ARG_2)?;
            }
        }
        Ok(())
    }

    fn import_(&mut self, qst: Qstr, kind: ImportKind) -> R {
        match kind {
            ImportKind::Name => {
                // Both arguments become objects whatever the emitter's typing.
                let viper = self.viper;
                self.viper = false;
                let r = self
                    .pre_pop_reg(A::REG_ARG_2)
                    .and_then(|_| self.pre_pop_reg(A::REG_ARG_3));
                self.viper = viper;
                r?;
                self.call_with_qstr_arg(Fun::ImportName, qst, A::REG_ARG_1)?;
                self.post_push_reg(VType::PyObj, A::REG_RET);
            }
            ImportKind::From => {
                self.objects_only(1, "import from a viper value")?;
                self.last_emit_was_return_value = false;
                self.access_stack(1, A::REG_ARG_1)?;
                self.call_with_qstr_arg(Fun::ImportFrom, qst, A::REG_ARG_2)?;
                self.post_push_reg(VType::PyObj, A::REG_RET);
            }
            ImportKind::Star => {
                self.objects_only(1, "import from a viper value")?;
                self.pre_pop_reg(A::REG_ARG_1)?;
                self.call(Fun::ImportAll)?;
            }
        }
        Ok(())
    }

    fn load_const_obj_(&mut self, obj: Const) -> R {
        self.scope_flags |= crate::runtime0::SCOPE_FLAG_HASCONSTS;
        self.last_emit_was_return_value = false;
        self.need_reg_single(A::REG_RET, 0)?;
        self.load_reg_with_object(A::REG_RET, obj)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn binary_op_(&mut self, op: u8) -> R {
        let (lhs, rhs) = (self.peek_vtype(1), self.peek_vtype(0));
        if lhs != VType::PyObj || rhs != VType::PyObj {
            return self.viper_binary_op(op, lhs, rhs);
        }
        self.pre_pop_reg(A::REG_ARG_3)?;
        self.pre_pop_reg(A::REG_ARG_2)?;
        let (op, invert) = match op {
            BINARY_OP_NOT_IN => (BINARY_OP_IN, true),
            BINARY_OP_IS_NOT => (BINARY_OP_IS, true),
            _ => (op, false),
        };
        self.call_with_imm_arg(Fun::BinaryOp, i64::from(op), A::REG_ARG_1)?;
        if invert {
            self.asm.mov_reg_reg(A::REG_ARG_2, A::REG_RET)?;
            self.call_with_imm_arg(Fun::UnaryOp, i64::from(UNARY_OP_NOT), A::REG_ARG_1)?;
        }
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn build_(&mut self, n_args: u32, kind: BuildKind) -> R {
        let n = n_args as usize;
        let fun = match kind {
            BuildKind::Tuple => Fun::BuildTuple,
            BuildKind::List => Fun::BuildList,
            BuildKind::Map => Fun::BuildMap,
            BuildKind::Set => Fun::BuildSet,
            BuildKind::Slice => return self.build_slice(n),
        };
        self.last_emit_was_return_value = false;
        if kind != BuildKind::Map {
            self.stack_pointer_for_pop(A::REG_ARG_2, n)?;
        }
        self.call_with_imm_arg(fun, n as i64, A::REG_ARG_1)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn build_slice(&mut self, n_args: usize) -> R {
        self.objects_only(n_args, "a slice of viper values")?;
        if n_args == 2 {
            self.pre_pop_reg(A::REG_ARG_2)?;
            self.pre_pop_reg(A::REG_ARG_1)?;
            self.mov_reg_const(A::REG_ARG_3, Fun::ConstNoneObj)?;
        } else {
            self.pre_pop_reg(A::REG_ARG_3)?;
            self.pre_pop_reg(A::REG_ARG_2)?;
            self.pre_pop_reg(A::REG_ARG_1)?;
        }
        self.call(Fun::NewSlice)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn store_comp_(&mut self, kind: ScopeKind, collection_index: u32) -> R {
        let n = if kind == ScopeKind::DictComp { 2 } else { 1 };
        self.objects_only(n, "a viper value in a comprehension")?;
        let f = match kind {
            ScopeKind::ListComp => {
                self.pre_pop_reg(A::REG_ARG_2)?;
                Fun::ListAppend
            }
            ScopeKind::SetComp => {
                self.pre_pop_reg(A::REG_ARG_2)?;
                Fun::StoreSet
            }
            _ => {
                self.pre_pop_reg(A::REG_ARG_2)?;
                self.pre_pop_reg(A::REG_ARG_3)?;
                Fun::StoreMap
            }
        };
        self.access_stack(collection_index as usize, A::REG_ARG_1)?;
        self.call(f)
    }

    fn load_super_method(&mut self, qst: Qstr) -> R {
        self.stack_pointer_for_pop(A::REG_ARG_2, 3)?;
        self.stack_pointer_for_push(A::REG_ARG_2, 2)?;
        self.call_with_qstr_arg(Fun::LoadSuperMethod, qst, A::REG_ARG_1)
    }

    fn make_function_(&mut self, child: ScopeId, n_pos_defaults: u32, n_kw_defaults: u32) -> R {
        self.last_emit_was_return_value = false;
        if n_pos_defaults == 0 && n_kw_defaults == 0 {
            self.need_reg_all()?;
            self.asm.mov_reg_imm(A::REG_ARG_2, 0)?;
            self.asm.mov_reg_imm(A::REG_ARG_3, 0)?;
        } else {
            self.objects_only(2, "viper values as defaults")?;
            self.pre_pop_reg(A::REG_ARG_3)?;
            self.pre_pop_reg(A::REG_ARG_2)?;
            self.need_reg_all()?;
        }
        self.load_reg_with_raw_code(A::REG_ARG_1, child)?;
        let f = Fun::MakeFunctionFromRawCode;
        self.asm.call_ind(f.index(), f.n_args())?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn make_closure_(
        &mut self,
        child: ScopeId,
        n_closed_over: u32,
        n_pos_defaults: u32,
        n_kw_defaults: u32,
    ) -> R {
        self.last_emit_was_return_value = false;
        let n = n_closed_over as usize;
        if n_pos_defaults == 0 && n_kw_defaults == 0 {
            self.stack_pointer_for_pop(A::REG_ARG_3, n)?;
            self.asm.mov_reg_imm(A::REG_ARG_2, n as i64)?;
        } else {
            self.stack_pointer_for_pop(A::REG_ARG_3, n + 2)?;
            self.asm.mov_reg_imm(A::REG_ARG_2, 0x100 | n as i64)?;
        }
        self.load_reg_with_raw_code(A::REG_ARG_1, child)?;
        let f = Fun::MakeClosureFromRawCode;
        self.asm.call_ind(f.index(), f.n_args())?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn call_function_(&mut self, n_pos: u32, n_kw: u32, star_flags: u32) -> R {
        self.last_emit_was_return_value = false;
        let n_args = n_pos as usize + 2 * n_kw as usize;
        match self.peek_vtype(n_args) {
            VType::BuiltinCast => return self.viper_cast_call(n_pos, n_kw, star_flags),
            VType::PyObj => {}
            _ => return Err(Stop::Refused("a call of a viper value")),
        }
        let packed = i64::from(n_pos) | i64::from(n_kw) << 8;
        if star_flags != 0 {
            self.stack_pointer_for_pop(A::REG_ARG_3, n_args + 3)?;
            self.call_with_2_imm_args(
                Fun::CallMethodNKwVar,
                0,
                A::REG_ARG_1,
                packed,
                A::REG_ARG_2,
            )?;
            self.post_push_reg(VType::PyObj, A::REG_RET);
            return Ok(());
        }
        if n_args != 0 {
            self.stack_pointer_for_pop(A::REG_ARG_3, n_args)?;
        }
        self.pre_pop_reg(A::REG_ARG_1)?;
        self.call_with_imm_arg(Fun::NativeCallFunctionNKw, packed, A::REG_ARG_2)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn call_method_(&mut self, n_pos: u32, n_kw: u32, star_flags: u32) -> R {
        if star_flags != 0 {
            let n_args = n_pos as usize + 2 * n_kw as usize + 4;
            self.stack_pointer_for_pop(A::REG_ARG_3, n_args)?;
            let packed = i64::from(n_pos) | i64::from(n_kw) << 8;
            self.call_with_2_imm_args(
                Fun::CallMethodNKwVar,
                1,
                A::REG_ARG_1,
                packed,
                A::REG_ARG_2,
            )?;
            self.post_push_reg(VType::PyObj, A::REG_RET);
            return Ok(());
        }
        self.last_emit_was_return_value = false;
        let n_args = 2 + n_pos as usize + 2 * n_kw as usize;
        self.stack_pointer_for_pop(A::REG_ARG_3, n_args)?;
        self.call_with_2_imm_args(
            Fun::CallMethodNKw,
            i64::from(n_pos),
            A::REG_ARG_1,
            i64::from(n_kw),
            A::REG_ARG_2,
        )?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn return_value_(&mut self) -> R {
        if self.is_generator() {
            return self.generator_return();
        }
        if self.viper {
            self.viper_return()?;
        } else {
            self.pre_pop_reg(A::REG_RET)?;
        }
        if self.need_global_exc_handler() {
            self.asm
                .mov_local_reg(self.local_idx_ret_val(), A::REG_RET)?;
        }
        let depth = self.exc_stack.len() as u32;
        self.unwind_jump_(self.exit_label as Label, depth)?;
        self.last_emit_was_return_value = true;
        Ok(())
    }

    fn raise_varargs_(&mut self, n_args: u32) -> R {
        if n_args != 1 {
            // The reference asserts here (a bare `raise`, `raise X from Y`).
            return Err(Stop::Refused(if n_args == 0 {
                "a bare raise"
            } else {
                "raise ... from ..."
            }));
        }
        if self.pre_pop_reg(A::REG_ARG_1)? != VType::PyObj {
            self.viper_type_error(super::Pending::Message("must raise an object".to_string()));
        }
        self.call(Fun::NativeRaise)
    }

    fn get_iter_(&mut self, use_stack: bool) -> R {
        self.objects_only(1, "iterating over a viper value")?;
        self.pre_pop_reg(A::REG_ARG_1)?;
        if use_stack {
            self.stack_pointer_for_push(A::REG_ARG_2, ITER_BUF_NSLOTS)?;
            self.call(Fun::NativeGetiter)?;
        } else {
            self.asm.mov_reg_imm(A::REG_ARG_2, 0)?;
            self.call(Fun::NativeGetiter)?;
            self.post_push_reg(VType::PyObj, A::REG_RET);
        }
        Ok(())
    }

    fn for_iter_(&mut self, label: Label) -> R {
        self.last_emit_was_return_value = false;
        self.stack_pointer_for_pop(A::REG_ARG_1, ITER_BUF_NSLOTS)?;
        self.adjust_stack(ITER_BUF_NSLOTS as isize);
        self.call(Fun::NativeIternext)?;
        self.asm
            .jump_if_reg_zero(A::REG_RET, Self::label(label_of(label)), false)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        Ok(())
    }

    fn unpack_sequence_(&mut self, n_args: u32) -> R {
        self.objects_only(1, "unpacking a viper value")?;
        self.pre_pop_reg(A::REG_ARG_1)?;
        self.stack_pointer_for_push(A::REG_ARG_3, n_args as usize)?;
        self.call_with_imm_arg(Fun::UnpackSequence, i64::from(n_args), A::REG_ARG_2)
    }

    fn unpack_ex_(&mut self, n_left: u32, n_right: u32) -> R {
        self.objects_only(1, "unpacking a viper value")?;
        self.pre_pop_reg(A::REG_ARG_1)?;
        self.stack_pointer_for_push(A::REG_ARG_3, (n_left + n_right + 1) as usize)?;
        let packed = i64::from(n_left) | i64::from(n_right) << 8;
        self.call_with_imm_arg(Fun::UnpackEx, packed, A::REG_ARG_2)
    }

    pub(super) fn dup_top_(&mut self) -> R {
        let (vtype, reg) = self.pre_pop_reg_flexible(A::REG_TEMP0, None, None)?;
        self.post_push_reg(vtype, reg);
        self.post_push_reg(vtype, reg);
        Ok(())
    }

    fn dup_top_two_(&mut self) -> R {
        let v0 = self.pre_pop_reg(A::REG_TEMP0)?;
        let v1 = self.pre_pop_reg(A::REG_TEMP1)?;
        self.post_push_reg(v1, A::REG_TEMP1);
        self.post_push_reg(v0, A::REG_TEMP0);
        self.post_push_reg(v1, A::REG_TEMP1);
        self.post_push_reg(v0, A::REG_TEMP0);
        Ok(())
    }

    fn rot_two_(&mut self) -> R {
        let v0 = self.pre_pop_reg(A::REG_TEMP0)?;
        let v1 = self.pre_pop_reg(A::REG_TEMP1)?;
        self.post_push_reg(v0, A::REG_TEMP0);
        self.post_push_reg(v1, A::REG_TEMP1);
        Ok(())
    }

    fn rot_three_(&mut self) -> R {
        let v0 = self.pre_pop_reg(A::REG_TEMP0)?;
        let v1 = self.pre_pop_reg(A::REG_TEMP1)?;
        let v2 = self.pre_pop_reg(A::REG_TEMP2)?;
        self.post_push_reg(v0, A::REG_TEMP0);
        self.post_push_reg(v2, A::REG_TEMP2);
        self.post_push_reg(v1, A::REG_TEMP1);
        Ok(())
    }

    /// The compiler's stack adjustment at a jump target: new entries are values in their
    /// slots (the stack was settled before the jump), typed as the jump's condition was.
    pub(super) fn adjust_stack_size_(&mut self, delta: i32) {
        if delta <= 0 {
            self.adjust_stack(delta as isize);
            return;
        }
        let vtype = if delta == 1 {
            self.saved_stack_vtype
        } else {
            VType::PyObj
        };
        for _ in 0..delta {
            self.post_push(vtype, Place::Value);
        }
    }
}

/// Runs an operation unless the scope already failed, recording its outcome.
macro_rules! op {
    ($self:ident, $e:expr) => {{
        if !$self.failed && !$self.scanning {
            let r: R = $e;
            $self.check(r);
        }
    }};
}

impl<A: Asm> Emit for NativeEmitter<A> {
    fn take_error(&mut self, pool: &QstrPool) -> Option<CompileError> {
        let e = self.error.take()?;
        self.unsure |= self.asm.muted();
        Some(e.into_error(pool, A::ARCH))
    }

    fn unsure(&self) -> bool {
        self.unsure
    }

    fn take_held_error(&mut self, pool: &QstrPool) -> Option<CompileError> {
        if !std::mem::take(&mut self.held_fresh) {
            return None;
        }
        self.held.clone().map(|e| e.into_error(pool, A::ARCH))
    }

    fn start_pass(&mut self, pass: Pass, scope: &Scope) {
        let r = self.start(pass, scope);
        self.check(r);
    }

    fn end_pass(&mut self, scope: &mut Scope) {
        let r = self.end(scope);
        self.check(r);
    }

    fn replays_passes(&self) -> bool {
        true
    }

    fn replay_pass(&mut self, pass: Pass, scope: &mut Scope) -> bool {
        self.replay_pass_from_tape(pass, scope)
    }

    fn last_emit_was_return_value(&self) -> bool {
        self.last_emit_was_return_value
    }

    fn adjust_stack_size(&mut self, delta: i32) {
        if !self.failed && !self.scanning {
            self.adjust_stack_size_(delta);
        }
    }

    fn set_source_line(&mut self, _: u32) {}

    fn load_local(&mut self, qst: Qstr, local_num: u32, kind: LocalKind) {
        if self.scanning {
            return self.scan_load(qst, local_num);
        }
        op!(
            self,
            match kind {
                LocalKind::Fast => self.load_fast(qst, local_num as usize),
                LocalKind::Deref => self.load_deref(qst, local_num as usize),
            }
        )
    }

    fn load_global(&mut self, qst: Qstr, kind: GlobalKind) {
        op!(self, {
            self.last_emit_was_return_value = false;
            let f = match kind {
                GlobalKind::Name => Fun::LoadName,
                GlobalKind::Global => Fun::LoadGlobal,
            };
            let cast = match kind {
                GlobalKind::Global if self.viper => self.builtin_cast(qst),
                _ => None,
            };
            if let Some(t) = cast {
                self.post_push(VType::BuiltinCast, Place::Imm(t.number()));
                Ok(())
            } else {
                self.call_with_qstr_arg(f, qst, A::REG_ARG_1).map(|()| {
                    self.post_push_reg(VType::PyObj, A::REG_RET);
                })
            }
        })
    }

    fn store_local(&mut self, qst: Qstr, local_num: u32, kind: LocalKind) {
        if self.scanning {
            return self.scan_store(qst, local_num, kind);
        }
        op!(
            self,
            match kind {
                LocalKind::Fast => self.store_fast(qst, local_num as usize),
                LocalKind::Deref => self.store_deref(qst, local_num as usize),
            }
        )
    }

    fn store_global(&mut self, qst: Qstr, kind: GlobalKind) {
        op!(self, {
            let f = match kind {
                GlobalKind::Name => Fun::StoreName,
                GlobalKind::Global => Fun::StoreGlobal,
            };
            let t = self.peek_vtype(0);
            let r = match (kind, t) {
                (_, VType::PyObj) => self.pre_pop_reg(A::REG_ARG_2).map(|_| ()),
                // The reference asserts an object here.
                (GlobalKind::Name, _) => Err(Stop::Refused("a viper value stored as a global")),
                (GlobalKind::Global, _) => self
                    .pre_pop_reg(A::REG_ARG_1)
                    .and_then(|t| self.convert_to_obj_into(t, A::REG_ARG_2)),
            };
            r.and_then(|()| self.call_with_qstr_arg(f, qst, A::REG_ARG_1))
        })
    }

    fn delete_local(&mut self, qst: Qstr, local_num: u32, kind: LocalKind) {
        if self.scanning {
            return self.scan_delete(local_num, kind);
        }
        op!(
            self,
            match kind {
                LocalKind::Fast => {
                    self.last_emit_was_return_value = false;
                    self.post_push(VType::PtrNone, Place::Imm(0));
                    self.store_fast(qst, local_num as usize)
                }
                LocalKind::Deref => Ok(()),
            }
        )
    }

    fn delete_global(&mut self, qst: Qstr, kind: GlobalKind) {
        op!(self, {
            self.last_emit_was_return_value = false;
            let f = match kind {
                GlobalKind::Name => Fun::DeleteName,
                GlobalKind::Global => Fun::DeleteGlobal,
            };
            self.call_with_qstr_arg(f, qst, A::REG_ARG_1)
        })
    }

    fn label_assign(&mut self, label: Label) {
        op!(self, self.label_assign_(label_of(label)))
    }

    fn import(&mut self, qst: Qstr, kind: ImportKind) {
        op!(self, self.import_(qst, kind))
    }

    fn load_const_tok(&mut self, tok: TokenKind) {
        op!(self, {
            self.last_emit_was_return_value = false;
            match tok {
                TokenKind::Ellipsis => self.load_const_obj_(Const::Ellipsis),
                TokenKind::KwNone => {
                    self.post_push(VType::PtrNone, Place::Imm(0));
                    Ok(())
                }
                TokenKind::KwFalse => {
                    self.post_push(VType::Bool, Place::Imm(0));
                    Ok(())
                }
                _ => {
                    self.post_push(VType::Bool, Place::Imm(1));
                    Ok(())
                }
            }
        })
    }

    fn load_const_small_int(&mut self, value: i64) {
        op!(self, {
            self.last_emit_was_return_value = false;
            self.post_push(VType::Int, Place::Imm(value));
            Ok(())
        })
    }

    fn load_const_str(&mut self, qst: Qstr) {
        op!(self, {
            self.last_emit_was_return_value = false;
            self.need_reg_single(A::REG_TEMP0, 0)
                .and_then(|()| self.mov_reg_qstr_obj(A::REG_TEMP0, qst))
                .map(|()| self.post_push_reg(VType::PyObj, A::REG_TEMP0))
        })
    }

    fn load_const_obj(&mut self, obj: Const) {
        op!(self, self.load_const_obj_(obj))
    }

    fn load_null(&mut self) {
        op!(self, {
            self.last_emit_was_return_value = false;
            self.post_push(VType::PyObj, Place::Imm(0));
            Ok(())
        })
    }

    fn load_method(&mut self, qst: Qstr, is_super: bool) {
        op!(self, {
            if is_super {
                self.load_super_method(qst)
            } else if self.peek_vtype(0) != VType::PyObj {
                Err(Stop::Refused("a method of a viper value"))
            } else {
                self.pre_pop_reg(A::REG_ARG_1)
                    .and_then(|_| self.stack_pointer_for_push(A::REG_ARG_3, 2))
                    .and_then(|()| self.call_with_qstr_arg(Fun::LoadMethod, qst, A::REG_ARG_2))
            }
        })
    }

    fn load_build_class(&mut self) {
        op!(self, {
            self.last_emit_was_return_value = false;
            self.call(Fun::LoadBuildClass)
                .map(|()| self.post_push_reg(VType::PyObj, A::REG_RET))
        })
    }

    fn subscr(&mut self, kind: AccessKind) {
        op!(
            self,
            match kind {
                AccessKind::Load => self.load_subscr(),
                AccessKind::Store => self.store_subscr(),
                AccessKind::Delete => self.delete_subscr(),
            }
        )
    }

    fn attr(&mut self, qst: Qstr, kind: AccessKind) {
        op!(self, self.attr_(qst, kind))
    }

    fn dup_top(&mut self) {
        op!(self, self.dup_top_())
    }

    fn dup_top_two(&mut self) {
        op!(self, self.dup_top_two_())
    }

    fn pop_top(&mut self) {
        op!(self, {
            self.pre_pop_discard();
            Ok(())
        })
    }

    fn rot_two(&mut self) {
        op!(self, self.rot_two_())
    }

    fn rot_three(&mut self) {
        op!(self, self.rot_three_())
    }

    fn jump(&mut self, label: Label) {
        op!(self, self.jump_(label_of(label)))
    }

    fn pop_jump_if(&mut self, cond: bool, label: Label) {
        op!(self, self.jump_helper(cond, label_of(label), true))
    }

    fn jump_if_or_pop(&mut self, cond: bool, label: Label) {
        op!(self, self.jump_helper(cond, label_of(label), false))
    }

    fn unwind_jump(&mut self, label: Label, except_depth: u32) {
        op!(self, self.unwind_jump_(label, except_depth))
    }

    fn setup_block(&mut self, label: Label, kind: BlockKind) {
        op!(
            self,
            match kind {
                BlockKind::With => self.setup_with(label_of(label)),
                BlockKind::Except => self.setup_except_or_finally(label_of(label), false),
                BlockKind::Finally => self.setup_except_or_finally(label_of(label), true),
            }
        )
    }

    fn with_cleanup(&mut self, label: Label) {
        op!(self, self.with_cleanup_(label_of(label)))
    }

    fn end_finally(&mut self) {
        op!(self, self.end_finally_())
    }

    fn get_iter(&mut self, use_stack: bool) {
        op!(self, self.get_iter_(use_stack))
    }

    fn for_iter(&mut self, label: Label) {
        op!(self, self.for_iter_(label))
    }

    fn for_iter_end(&mut self) {
        op!(self, {
            self.last_emit_was_return_value = false;
            self.adjust_stack(-(ITER_BUF_NSLOTS as isize));
            Ok(())
        })
    }

    fn pop_except_jump(&mut self, label: Label, within_exc_handler: bool) {
        op!(
            self,
            self.pop_except_jump_(label_of(label), within_exc_handler)
        )
    }

    fn unary_op(&mut self, op: u8) {
        op!(self, {
            self.pre_pop_reg(A::REG_ARG_2).and_then(|vtype| {
                if vtype != VType::PyObj {
                    // The reference names the operator from a table that the cross
                    // compiler's build leaves empty for the unary operators.
                    self.adjust_stack(1);
                    self.viper_type_error(super::Pending::Message(
                        "unary op  not implemented".to_string(),
                    ));
                    return Ok(());
                }
                self.call_with_imm_arg(Fun::UnaryOp, i64::from(op), A::REG_ARG_1)
                    .map(|()| self.post_push_reg(VType::PyObj, A::REG_RET))
            })
        })
    }

    fn binary_op(&mut self, op: u8) {
        op!(self, self.binary_op_(op))
    }

    fn build(&mut self, n_args: u32, kind: BuildKind) {
        op!(self, self.build_(n_args, kind))
    }

    fn store_map(&mut self) {
        op!(self, {
            self.objects_only(3, "a viper value in a dict")
                .and_then(|()| self.pre_pop_reg(A::REG_ARG_2))
                .and_then(|_| self.pre_pop_reg(A::REG_ARG_3))
                .and_then(|_| self.pre_pop_reg(A::REG_ARG_1))
                .and_then(|_| self.call(Fun::StoreMap))
                .map(|()| self.post_push_reg(VType::PyObj, A::REG_RET))
        })
    }

    fn store_comp(&mut self, kind: ScopeKind, collection_index: u32) {
        op!(self, self.store_comp_(kind, collection_index))
    }

    fn unpack_sequence(&mut self, n_args: u32) {
        op!(self, self.unpack_sequence_(n_args))
    }

    fn unpack_ex(&mut self, n_left: u32, n_right: u32) {
        op!(self, self.unpack_ex_(n_left, n_right))
    }

    fn make_function(&mut self, child: ScopeId, _: &Scope, n_pos: u32, n_kw: u32) {
        op!(self, self.make_function_(child, n_pos, n_kw))
    }

    fn make_closure(&mut self, child: ScopeId, _: &Scope, n_closed: u32, n_pos: u32, n_kw: u32) {
        op!(self, self.make_closure_(child, n_closed, n_pos, n_kw))
    }

    fn call_function(&mut self, n_positional: u32, n_keyword: u32, star_flags: u32) {
        op!(
            self,
            self.call_function_(n_positional, n_keyword, star_flags)
        )
    }

    fn call_method(&mut self, n_positional: u32, n_keyword: u32, star_flags: u32) {
        op!(self, self.call_method_(n_positional, n_keyword, star_flags))
    }

    fn return_value(&mut self) {
        op!(self, self.return_value_())
    }

    fn raise_varargs(&mut self, n_args: u32) {
        op!(self, self.raise_varargs_(n_args))
    }

    fn yield_(&mut self, kind: YieldKind) {
        op!(self, self.yield_value(kind))
    }

    fn start_except_handler(&mut self) {
        op!(self, self.start_except_handler_())
    }

    fn end_except_handler(&mut self) {
        op!(self, {
            self.adjust_stack(-1);
            Ok(())
        })
    }
}
