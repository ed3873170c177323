//! Generators in native code: `yield` and `yield from` save the state, return to the
//! runtime and resume at a label of their own.

use asm::Asm;

use super::funtable::Fun;
use super::{
    NativeEmitter, Place, StackEntry, Stop, VType, CODE_STATE_SP, NLR_BUF_IDX_RET_VAL, R,
    VM_RETURN_YIELD,
};
use crate::emit::{Label, YieldKind};
use crate::runtime0::SCOPE_FLAG_GENERATOR;

impl<A: Asm> NativeEmitter<A> {
    pub(super) fn yield_value(&mut self, kind: YieldKind) -> R {
        if self.viper {
            // The reference raises this from inside its emitter.
            self.viper_type_error(super::Pending::Raised("native yield"));
            self.failed = true;
            return Ok(());
        }
        let from = kind == YieldKind::From;
        let slot = self.private_labels(if from { 3 } else { 1 });
        self.scope_flags |= SCOPE_FLAG_GENERATOR;
        self.need_stack_settled()?;
        if from {
            self.jump_(slot + 2)?;
            self.label_assign_(slot + 1)?;
        }
        self.stack_pointer_for_pop(A::REG_TEMP0, 1)?;
        self.mov_state_reg(CODE_STATE_SP, A::REG_TEMP0)?;
        self.asm.mov_reg_imm(A::REG_TEMP0, VM_RETURN_YIELD)?;
        self.asm
            .mov_local_reg(self.local_idx_ret_val(), A::REG_TEMP0)?;
        self.asm.mov_reg_pcrel(A::REG_TEMP0, Self::label(slot))?;
        self.mov_state_reg(self.code_state_start + 1, A::REG_TEMP0)?;
        self.asm.jump(Self::label(self.exit_label))?;
        self.asm.label_assign(Self::label(slot))?;
        // Every active handler is made current again, innermost first (the last one set,
        // the outermost, is the one that stays: as the reference does it).
        for i in (0..self.exc_stack.len()).rev() {
            if self.exc_stack[i].is_active {
                let l = self.exc_stack[i].label;
                self.asm.mov_reg_pcrel(A::REG_RET, Self::label(l))?;
                self.asm.mov_local_reg(A::NLR_BUF_IDX_LOCAL_1, A::REG_RET)?;
            }
        }
        self.adjust_stack_size_(1);
        if !from {
            self.asm.mov_reg_local(A::REG_ARG_1, NLR_BUF_IDX_RET_VAL)?;
            return self.call(Fun::NativeRaise);
        }
        self.label_assign_(slot + 2)?;
        self.pre_pop_reg(A::REG_ARG_2)?;
        self.access_stack(1, A::REG_ARG_1)?;
        self.asm.mov_reg_local(A::REG_ARG_3, NLR_BUF_IDX_RET_VAL)?;
        self.post_push_reg(VType::PyObj, A::REG_ARG_3);
        self.stack_pointer_for_pop(A::REG_ARG_3, 1)?;
        self.call(Fun::NativeYieldFrom)?;
        self.asm
            .jump_if_reg_nonzero(A::REG_RET, Self::label(slot + 1), true)?;
        self.adjust_stack_size_(1);
        self.fold_stack_top(A::REG_ARG_1)
    }

    /// Replaces the value below the top with the top (`emit_fold_stack_top`).
    pub(super) fn fold_stack_top(&mut self, reg: asm::Reg) -> R {
        if self.stack_size < 2 {
            return Err(Stop::Refused("this stack shape"));
        }
        let below = self.stack_size - 2;
        self.set_entry(below, self.stack[below + 1]);
        if self.stack[below].place == Place::Value {
            self.mov_reg_state(reg, self.stack_start + self.stack_size - 1)?;
            self.set_entry(
                below,
                StackEntry {
                    vtype: self.stack[below].vtype,
                    place: Place::Reg(reg),
                },
            );
        }
        self.adjust_stack(-1);
        Ok(())
    }

    /// `return` in a generator: the value stays on its stack for the runtime.
    pub(super) fn generator_return(&mut self) -> R {
        self.stack_pointer_for_pop(A::REG_TEMP0, 1)?;
        self.mov_state_reg(CODE_STATE_SP, A::REG_TEMP0)?;
        self.asm.mov_reg_imm(A::REG_TEMP0, 0)?;
        self.asm
            .mov_local_reg(self.local_idx_ret_val(), A::REG_TEMP0)?;
        let depth = self.exc_stack.len() as u32;
        self.unwind_jump_(self.exit_label as Label, depth)?;
        self.last_emit_was_return_value = true;
        Ok(())
    }
}
