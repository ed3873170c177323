//! Viper code: native types for locals and values, typed arguments, casts, integer
//! arithmetic and comparisons in registers, pointer loads and stores, and the reference's
//! viper type errors.

use asm::{Asm, Cond, MemSize, Reg};
use mpcore::Qstr;

use super::funtable::Fun;
use super::{NativeEmitter, Pending, Place, Stop, VType, FUN_BC_CONST_TABLE, R};
use crate::runtime0::*;
use crate::scope::{Scope, ID_FLAG_IS_PARAM, ID_FLAG_VIPER_TYPE_POS};

impl VType {
    /// The number the runtime's conversion functions take (`vtype_kind_t`'s value).
    pub(super) fn number(self) -> i64 {
        match self {
            VType::PyObj => 0,
            VType::Bool => 1,
            VType::Int => 2,
            VType::Uint => 3,
            VType::Ptr => 4,
            VType::Ptr8 => 5,
            VType::Ptr16 => 6,
            VType::Ptr32 => 7,
            VType::PtrNone => 0x54,
            VType::Unbound => 0x60,
            VType::BuiltinCast => 0x70,
        }
    }

    /// The type an `MP_NATIVE_TYPE_*` number names.
    pub(super) fn from_native(n: u32) -> VType {
        match n {
            1 => VType::Bool,
            2 => VType::Int,
            3 => VType::Uint,
            4 => VType::Ptr,
            5 => VType::Ptr8,
            6 => VType::Ptr16,
            7 => VType::Ptr32,
            _ => VType::PyObj,
        }
    }
}

/// A viper type error with its message.
fn type_error(message: String) -> Pending {
    Pending::Message(message)
}

impl<A: Asm> NativeEmitter<A> {
    fn need_fun_obj(&self) -> bool {
        self.exc_stack_size > 0
            || self.scope_flags & (SCOPE_FLAG_REFGLOBALS | SCOPE_FLAG_HASCONSTS) != 0
    }

    /// The entry of a viper function: a reduced frame, arguments checked and converted to
    /// their declared types.
    pub(super) fn viper_entry(&mut self, scope: &Scope) -> R {
        for id in &scope.id_info {
            if id.flags & ID_FLAG_IS_PARAM != 0 {
                let t = VType::from_native(u32::from(id.flags >> ID_FLAG_VIPER_TYPE_POS));
                if let Some(v) = self.local_vtype.get_mut(usize::from(id.local_num)) {
                    *v = t;
                }
            }
        }
        let n_pos = self.num_pos_args;
        let mut in_regs = 0;
        if self.can_use_regs_for_locals() {
            in_regs = self.num_locals.min(A::REG_LOCAL_NUM);
            if n_pos >= 4 {
                in_regs = in_regs.saturating_sub(1);
            }
        }
        self.stack_start = self.frame_stack_start();
        let frame = self.stack_start + self.n_state;
        if frame >= in_regs {
            self.asm.operand_from(super::Var::NState, self.n_state);
        } else {
            self.asm.poison();
        }
        self.asm.entry(frame.saturating_sub(in_regs))?;
        if !A::ARGS_IN_REGS {
            self.asm.mov_reg_arg(A::REG_ARG_1, 0)?;
        }
        self.asm
            .load_reg_reg_offset(A::REG_LOCAL_3, A::REG_ARG_1, FUN_BC_CONST_TABLE)?;
        self.asm
            .load_reg_reg_offset(A::REG_FUN_TABLE, A::REG_LOCAL_3, 0)?;
        if self.need_fun_obj() {
            self.asm
                .mov_local_reg(self.local_idx_fun_obj(), A::REG_ARG_1)?;
        }
        if A::ARGS_IN_REGS {
            self.asm.mov_reg_reg(A::REG_ARG_1, A::REG_ARG_2)?;
            self.asm.mov_reg_reg(A::REG_ARG_2, A::REG_ARG_3)?;
            self.asm.mov_reg_reg(A::REG_LOCAL_3, A::REG_ARG_4)?;
        } else {
            self.asm.mov_reg_arg(A::REG_ARG_1, 1)?;
            self.asm.mov_reg_arg(A::REG_ARG_2, 2)?;
            self.asm.mov_reg_arg(A::REG_LOCAL_3, 3)?;
        }
        self.asm
            .jump_if_reg_nonzero(A::REG_ARG_2, Self::label(4), true)?;
        self.asm.mov_reg_imm(A::REG_ARG_3, n_pos as i64)?;
        self.asm
            .jump_if_reg_eq(A::REG_ARG_1, A::REG_ARG_3, Self::label(5))?;
        self.asm.label_assign(Self::label(4))?;
        let sig = (n_pos as i64) << 17 | (n_pos as i64) << 1;
        self.asm.mov_reg_imm(A::REG_ARG_3, sig)?;
        let f = Fun::ArgCheckNumSig;
        self.asm.call_ind(f.index(), f.n_args())?;
        self.asm.label_assign(Self::label(5))?;
        for i in 0..n_pos {
            let mut r = A::REG_ARG_1;
            self.asm
                .load_reg_reg_offset(A::REG_ARG_1, A::REG_LOCAL_3, i)?;
            let t = self.local_vtype.get(i).copied().unwrap_or(VType::PyObj);
            if t != VType::PyObj {
                self.call_with_imm_arg(Fun::ConvertObjToNative, t.number(), A::REG_ARG_2)?;
                r = A::REG_RET;
            }
            if i < A::REG_LOCAL_NUM && self.can_use_regs_for_locals() && (i != 2 || n_pos == 3) {
                self.asm.mov_reg_reg(Self::reg_local(i), r)?;
            } else {
                let slot = self.var_local(i);
                self.mov_state_reg(slot, r)?;
            }
        }
        if n_pos >= 4 && self.can_use_regs_for_locals() {
            let slot = self.var_local(2);
            self.asm.mov_reg_local(A::REG_LOCAL_3, slot)?;
        }
        self.global_exc_entry()
    }

    /// `return` in viper code: the value converted from the declared return type.
    pub(super) fn viper_return(&mut self) -> R {
        let ret = VType::from_native(u32::from(self.scope_flags >> SCOPE_FLAG_VIPERRET_POS));
        if self.peek_vtype(0) == VType::PtrNone {
            self.pre_pop_discard();
            if ret == VType::PyObj {
                self.mov_reg_const(A::REG_RET, Fun::ConstNoneObj)?;
            } else {
                self.asm.mov_reg_imm(A::REG_ARG_1, 0)?;
            }
        } else {
            let reg = if ret == VType::PyObj {
                A::REG_RET
            } else {
                A::REG_ARG_1
            };
            let vtype = self.pre_pop_reg(reg)?;
            if vtype != ret {
                self.viper_type_error(type_error(format!(
                    "return expected '{}' but got '{}'",
                    ret.name(),
                    vtype.name()
                )));
            }
        }
        if ret != VType::PyObj {
            self.call_with_imm_arg(Fun::ConvertNativeToObj, ret.number(), A::REG_ARG_2)?;
        }
        Ok(())
    }

    /// The viper cast a global name is (`int`, `uint`, `bool`, `ptr…`), if any.
    pub(super) fn builtin_cast(&self, q: Qstr) -> Option<VType> {
        self.cast_names
            .iter()
            .find(|(name, _)| *name == q)
            .map(|&(_, t)| t)
    }

    /// A call of a viper cast: `int(x)` and the like.
    pub(super) fn viper_cast_call(&mut self, n_pos: u32, n_kw: u32, star_flags: u32) -> R {
        if n_pos != 1 || n_kw != 0 || star_flags != 0 {
            return Err(Stop::Refused("a viper cast with other than one argument"));
        }
        let Place::Imm(cast) = self.peek(1).place else {
            return Err(Stop::Refused("this viper cast"));
        };
        let cast = VType::from_native(cast as u32);
        match self.peek_vtype(0) {
            VType::PyObj => {
                self.pre_pop_reg(A::REG_ARG_1)?;
                self.pre_pop_discard();
                self.call_with_imm_arg(Fun::ConvertObjToNative, cast.number(), A::REG_ARG_2)?;
                self.post_push_reg(cast, A::REG_RET);
            }
            VType::Bool
            | VType::Int
            | VType::Uint
            | VType::Ptr
            | VType::Ptr8
            | VType::Ptr16
            | VType::Ptr32
            | VType::PtrNone => {
                self.fold_stack_top(A::REG_ARG_1)?;
                if self.stack_size > 0 {
                    let top = self.stack_size - 1;
                    self.stack[top].vtype = cast;
                }
            }
            _ => {
                // The reference raises this from inside its emitter.
                self.viper_type_error(Pending::Raised("casting"));
                self.failed = true;
            }
        }
        Ok(())
    }

    /// A binary operation with a viper int on either side.
    pub(super) fn viper_binary_op(&mut self, op: u8, lhs: VType, rhs: VType) -> R {
        if lhs != VType::Int || rhs != VType::Int {
            self.adjust_stack(-1);
            self.viper_type_error(type_error(format!(
                "can't do binary op between '{}' and '{}'",
                lhs.name(),
                rhs.name()
            )));
            return Ok(());
        }
        let mut op = op;
        if (BINARY_OP_INPLACE_OR..=BINARY_OP_INPLACE_POWER).contains(&op) {
            op += BINARY_OP_OR - BINARY_OP_INPLACE_OR;
        }
        if let (Some(count), BINARY_OP_LSHIFT | BINARY_OP_RSHIFT) = (A::SHIFT_COUNT_REG, op) {
            self.pre_pop_reg(count)?;
            self.pre_pop_reg(A::REG_RET)?;
            if op == BINARY_OP_LSHIFT {
                self.asm.lsl_reg_reg(A::REG_RET, count)?;
            } else {
                self.asm.asr_reg_reg(A::REG_RET, count)?;
            }
            self.post_push_reg(VType::Int, A::REG_RET);
            return Ok(());
        }
        if op == BINARY_OP_FLOOR_DIVIDE || op == BINARY_OP_MODULO {
            self.pre_pop_reg(A::REG_ARG_2)?;
            self.pre_pop_reg(A::REG_ARG_1)?;
            self.call(if op == BINARY_OP_FLOOR_DIVIDE {
                Fun::SmallIntFloorDivide
            } else {
                Fun::SmallIntModulo
            })?;
            self.post_push_reg(VType::Int, A::REG_RET);
            return Ok(());
        }
        let (_, rhs_reg) =
            self.pre_pop_reg_flexible(A::REG_ARG_3, Some(A::REG_RET), Some(A::REG_ARG_2))?;
        self.pre_pop_reg(A::REG_ARG_2)?;
        let lhs_reg = A::REG_ARG_2;
        match op {
            BINARY_OP_LSHIFT => self.asm.lsl_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_RSHIFT => self.asm.asr_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_OR => self.asm.or_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_XOR => self.asm.xor_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_AND => self.asm.and_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_ADD => self.asm.add_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_SUBTRACT => self.asm.sub_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_MULTIPLY => self.asm.mul_reg_reg(lhs_reg, rhs_reg)?,
            BINARY_OP_LESS..=BINARY_OP_NOT_EQUAL => {
                self.need_reg_single(A::REG_RET, 0)?;
                let cond = [Cond::Lt, Cond::Gt, Cond::Eq, Cond::Le, Cond::Ge, Cond::Ne]
                    [usize::from(op - BINARY_OP_LESS)];
                self.asm.set_reg_cond(cond, A::REG_RET, lhs_reg, rhs_reg)?;
                self.post_push_reg(VType::Bool, A::REG_RET);
                return Ok(());
            }
            _ => {
                // The reference names the operator from a table that the cross compiler's
                // build leaves empty for every operator that gets here.
                self.adjust_stack(1);
                self.viper_type_error(type_error("binary op  not implemented".to_string()));
                return Ok(());
            }
        }
        self.post_push_reg(VType::Int, lhs_reg);
        Ok(())
    }

    /// `base[index]` with a viper pointer base.
    pub(super) fn viper_load_subscr(&mut self) -> R {
        let top = self.peek(0);
        if let (VType::Int, Place::Imm(index)) = (top.vtype, top.place) {
            self.pre_pop_discard();
            let (base_t, mut base) =
                self.pre_pop_reg_flexible(A::REG_ARG_1, Some(A::REG_ARG_2), Some(A::REG_ARG_2))?;
            let index_reg = A::REG_ARG_2;
            let (size, shift) = match base_t {
                VType::Ptr8 => (MemSize::B8, 0),
                VType::Ptr16 => (MemSize::B16, 1),
                VType::Ptr32 => (MemSize::B32, 2),
                other => {
                    self.viper_type_error(type_error(format!(
                        "can't load from '{}'",
                        other.name()
                    )));
                    self.post_push_reg(VType::Int, A::REG_RET);
                    return Ok(());
                }
            };
            if index != 0 {
                if self
                    .asm
                    .try_load_sized_imm_index(size, A::REG_RET, base, index)?
                {
                    self.post_push_reg(VType::Int, A::REG_RET);
                    return Ok(());
                }
                self.asm.mov_reg_imm(index_reg, index << shift)?;
                self.asm.add_reg_reg(index_reg, base)?;
                base = index_reg;
            }
            self.asm.load_sized(size, A::REG_RET, base)?;
        } else {
            let (index_t, index_reg) =
                self.pre_pop_reg_flexible(A::REG_ARG_2, Some(A::REG_ARG_1), Some(A::REG_ARG_1))?;
            let base_t = self.pre_pop_reg(A::REG_ARG_1)?;
            if index_t != VType::Int && index_t != VType::Uint {
                self.viper_type_error(type_error(format!(
                    "can't load with '{}' index",
                    index_t.name()
                )));
            }
            let (size, adds) = match base_t {
                VType::Ptr8 => (MemSize::B8, 1),
                VType::Ptr16 => (MemSize::B16, 2),
                VType::Ptr32 => (MemSize::B32, 4),
                other => {
                    self.viper_type_error(type_error(format!(
                        "can't load from '{}'",
                        other.name()
                    )));
                    self.post_push_reg(VType::Int, A::REG_RET);
                    return Ok(());
                }
            };
            for _ in 0..adds {
                self.asm.add_reg_reg(A::REG_ARG_1, index_reg)?;
            }
            self.asm.load_sized(size, A::REG_RET, A::REG_ARG_1)?;
        }
        self.post_push_reg(VType::Int, A::REG_RET);
        Ok(())
    }

    /// `base[index] = value` with a viper pointer base.
    ///
    /// Where the assembler has an indexed store ([`Asm::HAS_INDEXED_STORE`]), a register
    /// index goes through it for every width, and a constant index for bytes and words (the
    /// index loaded unscaled); halfwords at a constant index add the scaled index as
    /// elsewhere, as the reference does.
    pub(super) fn viper_store_subscr(&mut self) -> R {
        let top = self.peek(0);
        let value_ok = |t: VType| matches!(t, VType::Bool | VType::Int | VType::Uint);
        if let (VType::Int, Place::Imm(index)) = (top.vtype, top.place) {
            self.pre_pop_discard();
            let (index_reg, value_reg) = (A::REG_ARG_2, A::REG_ARG_3);
            let (base_t, mut base) =
                self.pre_pop_reg_flexible(A::REG_ARG_1, Some(index_reg), Some(value_reg))?;
            let (value_t, value) = if A::STORE_VALUE_REG_FIXED {
                (self.pre_pop_reg(value_reg)?, value_reg)
            } else {
                self.pre_pop_reg_flexible(value_reg, Some(base), Some(index_reg))?
            };
            if !value_ok(value_t) {
                self.viper_type_error(type_error(format!("can't store '{}'", value_t.name())));
            }
            let (size, shift) = match base_t {
                VType::Ptr8 => (MemSize::B8, 0),
                VType::Ptr16 => (MemSize::B16, 1),
                VType::Ptr32 => (MemSize::B32, 2),
                other => {
                    self.viper_type_error(type_error(format!("can't store to '{}'", other.name())));
                    return Ok(());
                }
            };
            if index != 0 {
                if self
                    .asm
                    .try_store_sized_imm_index(size, value, base, index)?
                {
                    return Ok(());
                }
                if A::HAS_INDEXED_STORE && size != MemSize::B16 {
                    self.asm.mov_reg_imm(index_reg, index)?;
                    return Ok(self.asm.store_sized_indexed(size, value, base, index_reg)?);
                }
                self.asm.mov_reg_imm(index_reg, index << shift)?;
                self.asm.add_reg_reg(index_reg, base)?;
                base = index_reg;
            }
            self.asm.store_sized(size, value, base)?;
        } else {
            let value_reg = A::REG_ARG_3;
            let (index_t, index_reg) =
                self.pre_pop_reg_flexible(A::REG_ARG_2, Some(A::REG_ARG_1), Some(value_reg))?;
            let base_t = self.pre_pop_reg(A::REG_ARG_1)?;
            if index_t != VType::Int && index_t != VType::Uint {
                self.viper_type_error(type_error(format!(
                    "can't store with '{}' index",
                    index_t.name()
                )));
            }
            let (value_t, value) = if A::STORE_VALUE_REG_FIXED {
                (self.pre_pop_reg(value_reg)?, value_reg)
            } else {
                self.pre_pop_reg_flexible(value_reg, Some(A::REG_ARG_1), Some(index_reg))?
            };
            if !value_ok(value_t) {
                self.viper_type_error(type_error(format!("can't store '{}'", value_t.name())));
            }
            let (size, adds) = match base_t {
                VType::Ptr8 => (MemSize::B8, 1),
                VType::Ptr16 => (MemSize::B16, 2),
                VType::Ptr32 => (MemSize::B32, 4),
                other => {
                    self.viper_type_error(type_error(format!("can't store to '{}'", other.name())));
                    return Ok(());
                }
            };
            if A::HAS_INDEXED_STORE {
                return Ok(self
                    .asm
                    .store_sized_indexed(size, value, A::REG_ARG_1, index_reg)?);
            }
            for _ in 0..adds {
                self.asm.add_reg_reg(A::REG_ARG_1, index_reg)?;
            }
            self.asm.store_sized(size, value, A::REG_ARG_1)?;
        }
        Ok(())
    }

    /// Converts the viper value now in `reg` (of type `t`) to an object in `REG_ARG_2`...
    /// as `store_global` and subscripts of objects need it.
    pub(super) fn convert_to_obj_into(&mut self, t: VType, dest: Reg) -> R {
        self.call_with_imm_arg(Fun::ConvertNativeToObj, t.number(), A::REG_ARG_2)?;
        Ok(self.asm.mov_reg_reg(dest, A::REG_RET)?)
    }
}
