//! Exception handling in native code: the stack of active handlers (`try`, `with`), the
//! global handler's nlr context around a scope that has handlers, `finally` blocks that finish
//! a jump out of them, and `with` cleanup.

use asm::Asm;

use super::funtable::Fun;
use super::{NativeEmitter, Place, Stop, VType, NLR_BUF_IDX_RET_VAL, R};
use crate::emit::{Label, BREAK_FROM_FOR};

/// What a `finally` block does after it ran (`unwind_label`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unwind {
    /// Nothing: fall through.
    Unused,
    /// Finish the jump whose target is saved in the unwind slot.
    Final,
    /// Go on to the next `finally` outwards.
    Label(usize),
}

/// One handler of the exception stack (`exc_stack_entry_t`).
#[derive(Clone, Copy, Debug)]
pub(super) struct ExcEntry {
    pub(super) label: usize,
    pub(super) is_finally: bool,
    pub(super) unwind: Unwind,
    pub(super) is_active: bool,
}

impl<A: Asm> NativeEmitter<A> {
    /// Frame word of the current handler's code address (`LOCAL_IDX_EXC_HANDLER_PC`).
    fn local_idx_exc_handler_pc(&self) -> usize {
        A::NLR_BUF_IDX_LOCAL_1
    }

    /// Frame word of a pending jump's target (`LOCAL_IDX_EXC_HANDLER_UNWIND`).
    fn local_idx_exc_handler_unwind(&self) -> usize {
        A::NLR_BUF_IDX_LOCAL_2
    }

    /// `n` labels of the emitter's own, numbered above every label the compiler uses in any
    /// scope (the reference borrows the compiler's next labels, which it then skips; only
    /// their uniqueness matters to the code).
    pub(super) fn private_labels(&mut self, n: usize) -> usize {
        let first = self.private_next;
        self.private_next += n;
        first
    }

    fn push_exc_stack(&mut self, label: usize, is_finally: bool) -> R {
        self.exc_stack.push(ExcEntry {
            label,
            is_finally,
            unwind: Unwind::Unused,
            is_active: true,
        });
        self.asm.mov_reg_pcrel(A::REG_RET, Self::label(label))?;
        Ok(self
            .asm
            .mov_local_reg(self.local_idx_exc_handler_pc(), A::REG_RET)?)
    }

    /// Deactivates the innermost handler and makes the next active one current.
    pub(super) fn leave_exc_stack(&mut self, start_of_handler: bool) -> R {
        let Some(top) = self.exc_stack.last_mut() else {
            return Err(Stop::Refused("this exception block shape"));
        };
        top.is_active = false;
        let below = self.exc_stack.len() - 1;
        let next = self.exc_stack[..below]
            .iter()
            .rev()
            .find(|e| e.is_active)
            .map(|e| e.label);
        match next {
            None if start_of_handler => return Ok(()),
            None => self.asm.xor_reg_reg(A::REG_RET, A::REG_RET)?,
            Some(l) => self.asm.mov_reg_pcrel(A::REG_RET, Self::label(l))?,
        }
        Ok(self
            .asm
            .mov_local_reg(self.local_idx_exc_handler_pc(), A::REG_RET)?)
    }

    fn pop_exc_stack(&mut self) -> R<ExcEntry> {
        self.exc_stack
            .pop()
            .ok_or(Stop::Refused("this exception block shape"))
    }

    /// A compiler label: at the start of a `finally` block, the value on top is the
    /// exception, kept in its slot, and the block's handler is left.
    pub(super) fn label_assign_(&mut self, l: usize) -> R {
        let is_finally = self
            .exc_stack
            .last()
            .is_some_and(|e| e.is_finally && e.label == l);
        if is_finally {
            self.pre_pop_reg(A::REG_TEMP0)?;
            self.asm.mov_local_reg(NLR_BUF_IDX_RET_VAL, A::REG_TEMP0)?;
        }
        self.last_emit_was_return_value = false;
        self.need_stack_settled()?;
        self.asm.label_assign(Self::label(l))?;
        if is_finally {
            self.leave_exc_stack(false)?;
        }
        Ok(())
    }

    /// The global handler of a scope with exception handlers: an nlr context that resumes at
    /// the active handler (labels 1 to 3 of the scope are its).
    pub(super) fn global_exc_entry_with_handlers(&mut self) -> R {
        let (nlr_label, start_label, except_label) = (1, 2, 3);
        self.asm.xor_reg_reg(A::REG_TEMP0, A::REG_TEMP0)?;
        self.asm
            .mov_local_reg(self.local_idx_exc_handler_unwind(), A::REG_TEMP0)?;
        self.asm
            .mov_reg_pcrel(A::REG_LOCAL_1, Self::label(start_label))?;
        self.label_assign_(nlr_label)?;
        self.asm
            .mov_reg_local(A::REG_LOCAL_2, self.local_idx_exc_handler_unwind())?;
        self.asm.mov_reg_local_addr(A::REG_ARG_1, 0)?;
        self.call(Fun::NlrPush)?;
        self.asm
            .mov_local_reg(self.local_idx_exc_handler_unwind(), A::REG_LOCAL_2)?;
        self.asm
            .jump_if_reg_nonzero(A::REG_RET, Self::label(except_label), true)?;
        self.asm.xor_reg_reg(A::REG_TEMP0, A::REG_TEMP0)?;
        self.asm
            .mov_local_reg(self.local_idx_exc_handler_pc(), A::REG_TEMP0)?;
        self.asm.jump_reg(A::REG_LOCAL_1)?;
        self.label_assign_(except_label)?;
        self.asm
            .mov_reg_local(A::REG_LOCAL_1, self.local_idx_exc_handler_pc())?;
        self.asm
            .jump_if_reg_nonzero(A::REG_LOCAL_1, Self::label(nlr_label), false)?;
        Ok(())
    }

    pub(super) fn setup_except_or_finally(&mut self, label: usize, is_finally: bool) -> R {
        self.last_emit_was_return_value = false;
        self.need_stack_settled()?;
        self.push_exc_stack(label, is_finally)
    }

    pub(super) fn setup_with(&mut self, label: usize) -> R {
        let exit = mpcore::qstr::builtin(b"__exit__").ok_or(Stop::Refused("with"))?;
        let enter = mpcore::qstr::builtin(b"__enter__").ok_or(Stop::Refused("with"))?;
        self.access_stack(1, A::REG_ARG_1)?;
        self.stack_pointer_for_push(A::REG_ARG_3, 2)?;
        self.call_with_qstr_arg(Fun::LoadMethod, exit, A::REG_ARG_2)?;
        let vtype = self.pre_pop_reg(A::REG_ARG_3)?;
        self.pre_pop_reg(A::REG_ARG_2)?;
        self.pre_pop_reg(A::REG_ARG_1)?;
        self.post_push_reg(vtype, A::REG_ARG_2);
        self.post_push_reg(vtype, A::REG_ARG_3);
        self.stack_pointer_for_push(A::REG_ARG_3, 2)?;
        self.call_with_qstr_arg(Fun::LoadMethod, enter, A::REG_ARG_2)?;
        self.stack_pointer_for_pop(A::REG_ARG_3, 2)?;
        self.call_with_2_imm_args(Fun::CallMethodNKw, 0, A::REG_ARG_1, 0, A::REG_ARG_2)?;
        self.post_push_reg(VType::PyObj, A::REG_RET);
        self.need_stack_settled()?;
        self.push_exc_stack(label, true)?;
        self.dup_top_()
    }

    pub(super) fn with_cleanup_(&mut self, label: usize) -> R {
        let p = self.private_labels(3);
        self.last_emit_was_return_value = false;
        self.leave_exc_stack(false)?;
        self.adjust_stack(-1);
        self.label_assign_(p + 2)?;
        for _ in 0..3 {
            self.post_push(VType::PtrNone, Place::Imm(0));
        }
        self.stack_pointer_for_pop(A::REG_ARG_3, 5)?;
        self.call_with_2_imm_args(Fun::CallMethodNKw, 3, A::REG_ARG_1, 0, A::REG_ARG_2)?;
        self.jump_(p)?;
        // The handler's entry: not a compiler label, so no `finally` bookkeeping.
        self.asm.label_assign(Self::label(label))?;
        self.leave_exc_stack(true)?;
        self.adjust_stack_size_(2);
        self.asm.mov_reg_local(A::REG_ARG_1, NLR_BUF_IDX_RET_VAL)?;
        self.mov_reg_const(A::REG_ARG_2, Fun::ConstNoneObj)?;
        self.asm
            .jump_if_reg_eq(A::REG_ARG_1, A::REG_ARG_2, Self::label(p + 2))?;
        self.asm
            .load_reg_reg_offset(A::REG_ARG_2, A::REG_ARG_1, 0)?;
        self.post_push_reg(VType::PyObj, A::REG_ARG_2);
        self.post_push_reg(VType::PyObj, A::REG_ARG_1);
        self.post_push(VType::PtrNone, Place::Imm(0));
        self.stack_pointer_for_pop(A::REG_ARG_3, 5)?;
        self.call_with_2_imm_args(Fun::CallMethodNKw, 3, A::REG_ARG_1, 0, A::REG_ARG_2)?;
        if A::REG_ARG_1 != A::REG_RET {
            self.asm.mov_reg_reg(A::REG_ARG_1, A::REG_RET)?;
        }
        self.call(Fun::ObjIsTrue)?;
        self.asm
            .jump_if_reg_zero(A::REG_RET, Self::label(p + 1), true)?;
        self.label_assign_(p)?;
        self.mov_reg_const(A::REG_TEMP0, Fun::ConstNoneObj)?;
        self.asm.mov_local_reg(NLR_BUF_IDX_RET_VAL, A::REG_TEMP0)?;
        self.label_assign_(p + 1)
    }

    pub(super) fn end_finally_(&mut self) -> R {
        let p = self.private_labels(1);
        self.last_emit_was_return_value = false;
        self.asm.mov_reg_local(A::REG_ARG_1, NLR_BUF_IDX_RET_VAL)?;
        self.call(Fun::NativeRaise)?;
        let e = self.pop_exc_stack()?;
        if e.unwind != Unwind::Unused {
            self.asm
                .mov_reg_local(A::REG_RET, self.local_idx_exc_handler_unwind())?;
            self.asm
                .jump_if_reg_zero(A::REG_RET, Self::label(p), false)?;
            match e.unwind {
                Unwind::Label(l) => self.jump_(l)?,
                _ => self.asm.jump_reg(A::REG_RET)?,
            }
            self.label_assign_(p)?;
        }
        Ok(())
    }

    pub(super) fn start_except_handler_(&mut self) -> R {
        self.leave_exc_stack(true)?;
        self.asm.mov_reg_local(A::REG_TEMP0, NLR_BUF_IDX_RET_VAL)?;
        self.post_push_reg(VType::PyObj, A::REG_TEMP0);
        Ok(())
    }

    pub(super) fn pop_except_jump_(&mut self, label: usize, within_exc_handler: bool) -> R {
        if within_exc_handler {
            self.mov_reg_const(A::REG_TEMP0, Fun::ConstNoneObj)?;
            self.asm.mov_local_reg(NLR_BUF_IDX_RET_VAL, A::REG_TEMP0)?;
        } else {
            self.leave_exc_stack(false)?;
        }
        self.jump_(label)
    }

    /// A jump out of `except_depth` handlers: straight there, or through the `finally`
    /// blocks in between, which finish it.
    pub(super) fn unwind_jump_(&mut self, label: Label, except_depth: u32) -> R {
        let target = (label & !BREAK_FROM_FOR) as usize;
        let mut jump_to = target;
        if except_depth > 0 {
            let depth = except_depth as usize;
            if depth > self.exc_stack.len() {
                return Err(Stop::Refused("this exception block shape"));
            }
            let mut first_finally = None;
            let mut prev_finally: Option<usize> = None;
            let top = self.exc_stack.len() - 1;
            for i in (top + 1 - depth..=top).rev() {
                let e = self.exc_stack[i];
                if e.is_finally && e.is_active {
                    first_finally.get_or_insert(i);
                    if let Some(p) = prev_finally {
                        self.exc_stack[p].unwind = Unwind::Label(e.label);
                    }
                    prev_finally = Some(i);
                }
            }
            // The handler below the ones jumped out of, if any.
            let below = (top + 1 - depth).checked_sub(1);
            match (prev_finally, first_finally) {
                (Some(p), Some(f)) => {
                    self.exc_stack[p].unwind = Unwind::Final;
                    self.asm.mov_reg_pcrel(A::REG_RET, Self::label(target))?;
                    self.asm
                        .mov_local_reg(self.local_idx_exc_handler_unwind(), A::REG_RET)?;
                    self.mov_reg_const(A::REG_RET, Fun::ConstNoneObj)?;
                    self.asm.mov_local_reg(NLR_BUF_IDX_RET_VAL, A::REG_RET)?;
                    jump_to = self.exc_stack[f].label;
                }
                _ => {
                    match below {
                        None => self.asm.xor_reg_reg(A::REG_RET, A::REG_RET)?,
                        Some(b) => {
                            let l = self.exc_stack[b].label;
                            self.asm.mov_reg_pcrel(A::REG_RET, Self::label(l))?
                        }
                    }
                    self.asm
                        .mov_local_reg(self.local_idx_exc_handler_pc(), A::REG_RET)?;
                }
            }
        }
        self.jump_(jump_to)
    }
}
