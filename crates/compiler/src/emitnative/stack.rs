//! The native emitter's model of the Python value stack: each entry in a register, an
//! immediate or its frame slot, settled into slots before jumps and calls, and pointers to
//! runs of slots for the runtime's calls.

use asm::{Asm, Reg};
use rawcode::Const;

use super::funtable::Fun;
use super::{NativeEmitter, Place, StackEntry, Stop, VType, FUN_BC_CONST_TABLE, R, UNBOUND_ENTRY};
use crate::emit::Pass;
use crate::scope::ScopeId;

impl<A: Asm> NativeEmitter<A> {
    pub(super) fn adjust_stack(&mut self, delta: isize) {
        self.stack_size = self.stack_size.saturating_add_signed(delta);
        if self.stack.len() < self.stack_size {
            self.stack.resize(self.stack_size, UNBOUND_ENTRY);
        }
        self.scope_stack_size = self.scope_stack_size.max(self.stack_size);
    }

    /// The entry `depth` below the top (0 is the top).
    pub(super) fn peek(&self, depth: usize) -> StackEntry {
        self.stack_size
            .checked_sub(1 + depth)
            .and_then(|i| self.stack.get(i).copied())
            .unwrap_or(UNBOUND_ENTRY)
    }

    pub(super) fn peek_vtype(&self, depth: usize) -> VType {
        if self.viper {
            self.peek(depth).vtype
        } else {
            VType::PyObj
        }
    }

    /// Writes entry `i` of the stack, keeping the spill loops' floors.
    pub(super) fn set_entry(&mut self, i: usize, e: StackEntry) {
        match e.place {
            Place::Reg(_) => self.reg_floor = self.reg_floor.min(i),
            Place::Imm(_) => self.imm_floor = self.imm_floor.min(i),
            Place::Value => {}
        }
        self.stack[i] = e;
    }

    /// Marks entry `i` as in its frame slot.
    fn settle_entry(&mut self, i: usize) {
        self.stack[i].place = Place::Value;
    }

    /// Spills every stack value held in `reg`, except the one at `skip_pos` from the top
    /// (1 is the top; 0 skips none), in stack order.
    pub(super) fn need_reg_single(&mut self, reg: Reg, skip_pos: usize) -> R {
        let skip = self.stack_size.wrapping_sub(skip_pos);
        let mut floor = self.stack_size;
        for i in self.reg_floor..self.stack_size {
            if let Place::Reg(r) = self.stack[i].place {
                if i != skip && r == reg {
                    self.settle_entry(i);
                    self.mov_state_reg(self.stack_start + i, reg)?;
                } else {
                    floor = floor.min(i);
                }
            }
        }
        self.reg_floor = self.reg_floor.max(floor);
        Ok(())
    }

    /// Spills every stack value held in a register, in stack order.
    pub(super) fn need_reg_all(&mut self) -> R {
        for i in self.reg_floor..self.stack_size {
            if let Place::Reg(r) = self.stack[i].place {
                self.settle_entry(i);
                self.mov_state_reg(self.stack_start + i, r)?;
            }
            self.reg_floor = i + 1;
        }
        Ok(())
    }

    /// Loads an immediate stack value, as an object unless viper keeps it native.
    pub(super) fn load_reg_stack_imm(&mut self, reg: Reg, e: StackEntry, to_obj: bool) -> R<VType> {
        let Place::Imm(imm) = e.place else {
            return Ok(e.vtype);
        };
        if !to_obj && self.viper {
            self.asm.mov_reg_imm(reg, imm)?;
            return Ok(e.vtype);
        }
        match e.vtype {
            VType::PyObj => self.asm.mov_reg_imm(reg, imm)?,
            VType::Bool => {
                let f = if imm == 0 {
                    Fun::ConstFalseObj
                } else {
                    Fun::ConstTrueObj
                };
                self.mov_reg_const(reg, f)?
            }
            VType::Int | VType::Uint => self.asm.mov_reg_imm(reg, (imm << 1) | 1)?,
            VType::PtrNone => self.mov_reg_const(reg, Fun::ConstNoneObj)?,
            _ => {
                // The reference raises this from inside its emitter.
                self.viper_type_error(super::Pending::Raised("conversion to object"));
                self.failed = true;
                return Ok(VType::PyObj);
            }
        }
        Ok(VType::PyObj)
    }

    pub(super) fn need_stack_settled(&mut self) -> R {
        self.need_reg_all()?;
        for i in self.imm_floor..self.stack_size {
            let e = self.stack[i];
            if let Place::Imm(_) = e.place {
                self.settle_entry(i);
                let vtype = self.load_reg_stack_imm(A::REG_TEMP0, e, false)?;
                self.stack[i].vtype = vtype;
                self.mov_state_reg(self.stack_start + i, A::REG_TEMP0)?;
            }
            self.imm_floor = i + 1;
        }
        Ok(())
    }

    /// Puts the value at `pos` from the top (1 is the top) into `reg`; gives its type.
    pub(super) fn access_stack(&mut self, pos: usize, reg: Reg) -> R<VType> {
        self.need_reg_single(reg, pos)?;
        let Some(i) = self.stack_size.checked_sub(pos) else {
            return Err(Stop::Refused("this stack shape"));
        };
        let e = self.stack[i];
        match e.place {
            Place::Value => {
                self.mov_reg_state(reg, self.stack_start + i)?;
                Ok(e.vtype)
            }
            Place::Reg(r) => {
                if r != reg {
                    self.asm.mov_reg_reg(reg, r)?;
                }
                Ok(e.vtype)
            }
            Place::Imm(_) => self.load_reg_stack_imm(reg, e, false),
        }
    }

    /// Pops the top into a register: the one holding it if that is neither `not1` nor
    /// `not2`, else `reg`. Gives the type and the register.
    pub(super) fn pre_pop_reg_flexible(
        &mut self,
        reg: Reg,
        not1: Option<Reg>,
        not2: Option<Reg>,
    ) -> R<(VType, Reg)> {
        self.last_emit_was_return_value = false;
        let e = self.peek(0);
        let out = match e.place {
            Place::Reg(r) if Some(r) != not1 && Some(r) != not2 => {
                self.need_reg_single(r, 1)?;
                (e.vtype, r)
            }
            _ => (self.access_stack(1, reg)?, reg),
        };
        self.adjust_stack(-1);
        Ok(out)
    }

    pub(super) fn pre_pop_discard(&mut self) {
        self.last_emit_was_return_value = false;
        self.adjust_stack(-1);
    }

    pub(super) fn pre_pop_reg(&mut self, reg: Reg) -> R<VType> {
        self.last_emit_was_return_value = false;
        let vtype = self.access_stack(1, reg)?;
        self.adjust_stack(-1);
        Ok(vtype)
    }

    pub(super) fn post_push(&mut self, vtype: VType, place: Place) {
        if self.stack.len() <= self.stack_size {
            self.stack.resize(self.stack_size + 1, UNBOUND_ENTRY);
        }
        self.set_entry(self.stack_size, StackEntry { vtype, place });
        self.adjust_stack(1);
    }

    pub(super) fn post_push_reg(&mut self, vtype: VType, reg: Reg) {
        self.post_push(vtype, Place::Reg(reg));
    }

    /// Makes `n_pop` top values objects in their frame slots, pops them and points `reg` at
    /// the first of them.
    pub(super) fn stack_pointer_for_pop(&mut self, reg: Reg, n_pop: usize) -> R {
        self.need_reg_all()?;
        if n_pop > self.stack_size {
            return Err(Stop::Refused("this stack shape"));
        }
        for i in 0..n_pop {
            let at = self.stack_size - 1 - i;
            let e = self.stack[at];
            if let Place::Imm(_) = e.place {
                self.settle_entry(at);
                let vtype = self.load_reg_stack_imm(reg, e, true)?;
                self.stack[at].vtype = vtype;
                self.mov_state_reg(self.stack_start + at, reg)?;
            }
        }
        for i in 0..n_pop {
            let at = self.stack_size - 1 - i;
            let t = self.stack[at].vtype;
            if t != VType::PyObj {
                let local = self.stack_start + at;
                self.mov_reg_state(A::REG_ARG_1, local)?;
                self.call_with_imm_arg(Fun::ConvertNativeToObj, t.number(), A::REG_ARG_2)?;
                self.mov_state_reg(local, A::REG_RET)?;
                self.stack[at].vtype = VType::PyObj;
            }
        }
        self.adjust_stack(-(n_pop as isize));
        self.mov_reg_state_addr(reg, self.stack_start + self.stack_size)
    }

    /// Points `reg` at `n_push` new object slots on top of the stack.
    pub(super) fn stack_pointer_for_push(&mut self, reg: Reg, n_push: usize) -> R {
        self.need_reg_all()?;
        for i in 0..n_push {
            let at = self.stack_size + i;
            if self.stack.len() <= at {
                self.stack.resize(at + 1, UNBOUND_ENTRY);
            }
            self.set_entry(
                at,
                StackEntry {
                    vtype: VType::PyObj,
                    place: Place::Value,
                },
            );
        }
        self.mov_reg_state_addr(reg, self.stack_start + self.stack_size)?;
        self.adjust_stack(n_push as isize);
        Ok(())
    }

    /// Loads const-table entry `table_off` (counted after the argument names) into `reg`.
    /// (`after_objects`: an entry after the objects, whose place moves with their count.)
    pub(super) fn load_reg_with_table_entry(
        &mut self,
        reg: Reg,
        table_off: usize,
        after_objects: bool,
    ) -> R {
        let mut off = table_off;
        if !self.viper {
            off += self.num_pos_args + self.num_kwonly_args;
        }
        self.mov_reg_state(A::REG_TEMP0, self.local_idx_fun_obj())?;
        self.asm
            .load_reg_reg_offset(A::REG_TEMP0, A::REG_TEMP0, FUN_BC_CONST_TABLE)?;
        if after_objects {
            self.asm
                .operand_from(super::Var::NumObj, self.const_table_num_obj);
        }
        Ok(self.asm.load_reg_reg_offset(reg, A::REG_TEMP0, off)?)
    }

    pub(super) fn load_reg_with_object(&mut self, reg: Reg, obj: Const) -> R {
        let table_off = 1 + self.const_table_cur_obj;
        self.const_table_cur_obj += 1;
        // A taped pass keeps the objects for the emit pass it stands in for.
        if self.pass == Pass::Emit || self.asm.recording() {
            self.consts.push(obj);
        }
        self.load_reg_with_table_entry(reg, table_off, false)
    }

    pub(super) fn load_reg_with_raw_code(&mut self, reg: Reg, child: ScopeId) -> R {
        let table_off = 1 + self.const_table_num_obj + self.children.len();
        self.children.push(child);
        self.load_reg_with_table_entry(reg, table_off, true)
    }
}
