//! The [`Emit`] methods of the bytecode emitter: one opcode form and stack delta per method.

use mpcore::Qstr;

use rawcode::Const;
use syntax::TokenKind;

use super::{BytecodeEmitter, BytecodeForm, ITER_BUF_NSLOTS};
use crate::emit::{
    AccessKind, BlockKind, BuildKind, Emit, GlobalKind, IdOp, ImportKind, Label, LocalKind, Pass,
    YieldKind, BREAK_FROM_FOR,
};
use crate::runtime0::{
    BINARY_OP_IN, BINARY_OP_IS, BINARY_OP_IS_NOT, BINARY_OP_NOT_IN, UNARY_OP_NOT,
};
use crate::scope::{Scope, ScopeId, ScopeKind};

fn local_offset(kind: LocalKind) -> u8 {
    match kind {
        LocalKind::Fast => 0,
        LocalKind::Deref => 1,
    }
}

fn global_offset(kind: GlobalKind) -> u8 {
    match kind {
        GlobalKind::Name => 0,
        GlobalKind::Global => 1,
    }
}

impl BytecodeEmitter {
    #[inline]
    fn local_op(&mut self, which: IdOp, local_num: u32, kind: LocalKind) {
        let (multi, base) = match which {
            IdOp::Load => (self.op.LOAD_FAST_MULTI, self.op.LOAD_FAST_N),
            IdOp::Store => (self.op.STORE_FAST_MULTI, self.op.STORE_FAST_N),
            IdOp::Delete => (0, self.op.DELETE_FAST),
        };
        if which != IdOp::Delete && kind == LocalKind::Fast && local_num <= 15 {
            self.write_byte(multi + local_num as u8);
        } else {
            self.write_byte_uint(base + local_offset(kind), u64::from(local_num));
        }
    }

    fn cache_byte(&mut self) {
        if self.cache_lookup_bc {
            self.write_byte(0);
        }
    }

    #[inline]
    fn call_helper(
        &mut self,
        stack_adj: i64,
        base: u8,
        n_positional: u32,
        n_keyword: u32,
        star_flags: u32,
    ) {
        let n_pos = i64::from(n_positional);
        let n_kw = i64::from(n_keyword);
        let arg = (u64::from(n_keyword) << 8) | u64::from(n_positional);
        if star_flags != 0 {
            self.adjust_stack(stack_adj - n_pos - 2 * n_kw - 2);
            self.write_byte_uint(base + 1, arg);
        } else {
            self.adjust_stack(stack_adj - n_pos - 2 * n_kw);
            self.write_byte_uint(base, arg);
        }
    }
}

impl Emit for BytecodeEmitter {
    fn start_pass(&mut self, pass: Pass, scope: &Scope) {
        self.begin(pass, scope);
    }

    fn end_pass(&mut self, scope: &mut Scope) {
        self.finish(scope);
    }

    fn single_walk(&self) -> bool {
        self.single_walk
    }

    fn last_emit_was_return_value(&self) -> bool {
        self.last_emit_was_return_value
    }

    fn adjust_stack_size(&mut self, delta: i32) {
        self.adjust_stack(i64::from(delta));
    }

    fn set_source_line(&mut self, line: u32) {
        self.source_line(line);
    }

    fn load_local(&mut self, _qst: Qstr, local_num: u32, kind: LocalKind) {
        self.adjust_stack(1);
        self.local_op(IdOp::Load, local_num, kind);
    }

    fn load_global(&mut self, qst: Qstr, kind: GlobalKind) {
        self.adjust_stack(1);
        self.write_byte_qstr(self.op.LOAD_NAME + global_offset(kind), qst);
        self.cache_byte();
    }

    fn store_local(&mut self, _qst: Qstr, local_num: u32, kind: LocalKind) {
        self.adjust_stack(-1);
        self.local_op(IdOp::Store, local_num, kind);
    }

    fn store_global(&mut self, qst: Qstr, kind: GlobalKind) {
        self.adjust_stack(-1);
        self.write_byte_qstr(self.op.STORE_NAME + global_offset(kind), qst);
    }

    fn delete_local(&mut self, _qst: Qstr, local_num: u32, kind: LocalKind) {
        // No stack accounting here in 1.11 (so the return-value flag survives: `return` then
        // `del x` ends the function); 1.12 on account for every opcode, so the function
        // gets its closing `return None` (found by the differential fuzzer, 1.16 seed
        // 11160102).
        if self.form == BytecodeForm::V5 {
            self.adjust_stack(0);
        }
        self.local_op(IdOp::Delete, local_num, kind);
    }

    fn delete_global(&mut self, qst: Qstr, kind: GlobalKind) {
        self.adjust_stack(0);
        self.write_byte_qstr(self.op.DELETE_NAME + global_offset(kind), qst);
    }

    fn label_assign(&mut self, label: Label) {
        self.assign_label(label);
    }

    fn import(&mut self, qst: Qstr, kind: ImportKind) {
        if kind == ImportKind::From {
            self.adjust_stack(1);
        } else {
            self.adjust_stack(-1);
        }
        match kind {
            ImportKind::Star => self.write_byte(self.op.IMPORT_STAR),
            ImportKind::Name => self.write_byte_qstr(self.op.IMPORT_NAME, qst),
            ImportKind::From => self.write_byte_qstr(self.op.IMPORT_FROM, qst),
        }
    }

    fn load_const_tok(&mut self, tok: TokenKind) {
        self.adjust_stack(1);
        match tok {
            TokenKind::KwFalse => self.write_byte(self.op.LOAD_CONST_FALSE),
            TokenKind::KwNone => self.write_byte(self.op.LOAD_CONST_NONE),
            TokenKind::KwTrue => self.write_byte(self.op.LOAD_CONST_TRUE),
            _ => self.write_byte_obj(self.op.LOAD_CONST_OBJ, Const::Ellipsis),
        }
    }

    fn load_const_small_int(&mut self, value: i64) {
        self.adjust_stack(1);
        if (-16..=47).contains(&value) {
            self.write_byte((i64::from(self.op.LOAD_CONST_SMALL_INT_MULTI) + 16 + value) as u8);
        } else {
            self.write_byte_int(self.op.LOAD_CONST_SMALL_INT, value);
        }
    }

    fn load_const_str(&mut self, qst: Qstr) {
        self.adjust_stack(1);
        self.write_byte_qstr(self.op.LOAD_CONST_STRING, qst);
    }

    fn load_const_obj(&mut self, obj: Const) {
        self.adjust_stack(1);
        self.write_byte_obj(self.op.LOAD_CONST_OBJ, obj);
    }

    fn load_null(&mut self) {
        self.adjust_stack(1);
        self.write_byte(self.op.LOAD_NULL);
    }

    fn load_method(&mut self, qst: Qstr, is_super: bool) {
        self.adjust_stack(if is_super { -1 } else { 1 });
        self.write_byte_qstr(
            if is_super {
                self.op.LOAD_SUPER_METHOD
            } else {
                self.op.LOAD_METHOD
            },
            qst,
        );
    }

    fn load_build_class(&mut self) {
        self.adjust_stack(1);
        self.write_byte(self.op.LOAD_BUILD_CLASS);
    }

    fn subscr(&mut self, kind: AccessKind) {
        if kind == AccessKind::Load {
            self.adjust_stack(-1);
            self.write_byte(self.op.LOAD_SUBSCR);
        } else {
            if kind == AccessKind::Delete {
                self.load_null();
                self.rot_three();
            }
            self.adjust_stack(-3);
            self.write_byte(self.op.STORE_SUBSCR);
        }
    }

    fn attr(&mut self, qst: Qstr, kind: AccessKind) {
        if kind == AccessKind::Load {
            self.adjust_stack(0);
            self.write_byte_qstr(self.op.LOAD_ATTR, qst);
        } else {
            if kind == AccessKind::Delete {
                self.load_null();
                self.rot_two();
            }
            self.adjust_stack(-2);
            self.write_byte_qstr(self.op.STORE_ATTR, qst);
        }
        self.cache_byte();
    }

    fn dup_top(&mut self) {
        self.adjust_stack(1);
        self.write_byte(self.op.DUP_TOP);
    }

    fn dup_top_two(&mut self) {
        self.adjust_stack(2);
        self.write_byte(self.op.DUP_TOP_TWO);
    }

    fn pop_top(&mut self) {
        self.adjust_stack(-1);
        self.write_byte(self.op.POP_TOP);
    }

    fn rot_two(&mut self) {
        self.adjust_stack(0);
        self.write_byte(self.op.ROT_TWO);
    }

    fn rot_three(&mut self) {
        self.adjust_stack(0);
        self.write_byte(self.op.ROT_THREE);
    }

    fn jump(&mut self, label: Label) {
        self.adjust_stack(0);
        self.write_byte_signed_label(self.op.JUMP, label);
    }

    fn pop_jump_if(&mut self, cond: bool, label: Label) {
        self.adjust_stack(-1);
        let opcode = if cond {
            self.op.POP_JUMP_IF_TRUE
        } else {
            self.op.POP_JUMP_IF_FALSE
        };
        self.write_byte_signed_label(opcode, label);
    }

    fn jump_if_or_pop(&mut self, cond: bool, label: Label) {
        self.adjust_stack(-1);
        let opcode = if cond {
            self.op.JUMP_IF_TRUE_OR_POP
        } else {
            self.op.JUMP_IF_FALSE_OR_POP
        };
        self.write_byte_signed_label(opcode, label);
    }

    fn unwind_jump(&mut self, label: Label, except_depth: u32) {
        // The reference carries the break-from-for flag in the label; accept it in either.
        let from_for = (label | except_depth) & BREAK_FROM_FOR != 0;
        let label = label & !BREAK_FROM_FOR;
        let except_depth = except_depth & !BREAK_FROM_FOR;
        if except_depth == 0 {
            self.adjust_stack(0);
            if from_for {
                // Pop the iterator and its iter_buf slots.
                for _ in 0..ITER_BUF_NSLOTS {
                    self.write_byte(self.op.POP_TOP);
                }
            }
            self.write_byte_signed_label(self.op.JUMP, label);
        } else {
            self.write_byte_signed_label(self.op.UNWIND_JUMP, label);
            self.write_byte((if from_for { 0x80 } else { 0 }) | except_depth as u8);
        }
    }

    fn setup_block(&mut self, label: Label, kind: BlockKind) {
        let opcode = match kind {
            BlockKind::With => {
                // SETUP_WITH pops the context manager and pushes __exit__, it and the value.
                self.adjust_stack(2);
                self.op.SETUP_WITH
            }
            BlockKind::Except => {
                self.adjust_stack(0);
                self.op.SETUP_EXCEPT
            }
            BlockKind::Finally => {
                self.adjust_stack(0);
                self.op.SETUP_FINALLY
            }
        };
        self.write_byte_unsigned_label(opcode, label);
    }

    fn with_cleanup(&mut self, label: Label) {
        self.load_const_tok(TokenKind::KwNone);
        self.label_assign(label);
        // Room to call __exit__, then cancel it and the 2 of SETUP_WITH.
        self.adjust_stack(2);
        self.write_byte(self.op.WITH_CLEANUP);
        self.adjust_stack(-4);
    }

    fn end_finally(&mut self) {
        self.adjust_stack(-1);
        self.write_byte(self.op.END_FINALLY);
    }

    fn get_iter(&mut self, use_stack: bool) {
        self.adjust_stack(if use_stack { ITER_BUF_NSLOTS - 1 } else { 0 });
        self.write_byte(if use_stack {
            self.op.GET_ITER_STACK
        } else {
            self.op.GET_ITER
        });
    }

    fn for_iter(&mut self, label: Label) {
        self.adjust_stack(1);
        self.write_byte_unsigned_label(self.op.FOR_ITER, label);
    }

    fn for_iter_end(&mut self) {
        self.adjust_stack(-ITER_BUF_NSLOTS);
    }

    fn pop_except_jump(&mut self, label: Label, _within_exc_handler: bool) {
        self.adjust_stack(0);
        self.write_byte_unsigned_label(self.op.POP_EXCEPT_JUMP, label);
    }

    fn unary_op(&mut self, unop: u8) {
        self.adjust_stack(0);
        self.write_byte(self.op.UNARY_OP_MULTI.wrapping_add(unop));
    }

    fn binary_op(&mut self, binop: u8) {
        let (binop, invert) = match binop {
            BINARY_OP_NOT_IN => (BINARY_OP_IN, true),
            BINARY_OP_IS_NOT => (BINARY_OP_IS, true),
            other => (other, false),
        };
        self.adjust_stack(-1);
        let binop = match self.form {
            BytecodeForm::V4 => binop,
            BytecodeForm::V5 => crate::emitbc_v6::binary_op_v6(binop),
        };
        self.write_byte(self.op.BINARY_OP_MULTI.wrapping_add(binop));
        if invert {
            self.adjust_stack(0);
            self.write_byte(self.op.UNARY_OP_MULTI + UNARY_OP_NOT);
        }
    }

    fn build(&mut self, n_args: u32, kind: BuildKind) {
        let opcode = match kind {
            BuildKind::Tuple => self.op.BUILD_TUPLE,
            BuildKind::List => self.op.BUILD_LIST,
            BuildKind::Map => self.op.BUILD_MAP,
            BuildKind::Set => self.op.BUILD_SET,
            BuildKind::Slice => self.op.BUILD_SLICE,
        };
        if kind == BuildKind::Map {
            self.adjust_stack(1);
        } else {
            self.adjust_stack(1 - i64::from(n_args));
        }
        self.write_byte_uint(opcode, u64::from(n_args));
    }

    fn store_map(&mut self) {
        self.adjust_stack(-2);
        self.write_byte(self.op.STORE_MAP);
    }

    fn store_comp(&mut self, kind: ScopeKind, set_stack_index: u32) {
        let (n, t) = match kind {
            ScopeKind::ListComp => (0, 0),
            ScopeKind::DictComp => (1, 1),
            _ => (0, 2),
        };
        self.adjust_stack(-1 - n as i64);
        self.write_byte_uint(
            self.op.STORE_COMP,
            ((u64::from(set_stack_index) + n) << 2) | t,
        );
    }

    fn unpack_sequence(&mut self, n_args: u32) {
        self.adjust_stack(-1 + i64::from(n_args));
        self.write_byte_uint(self.op.UNPACK_SEQUENCE, u64::from(n_args));
    }

    fn unpack_ex(&mut self, n_left: u32, n_right: u32) {
        self.adjust_stack(-1 + i64::from(n_left) + i64::from(n_right) + 1);
        self.write_byte_uint(
            self.op.UNPACK_EX,
            u64::from(n_left) | (u64::from(n_right) << 8),
        );
    }

    fn make_function(
        &mut self,
        child: ScopeId,
        _child_scope: &Scope,
        n_pos_defaults: u32,
        n_kw_defaults: u32,
    ) {
        if n_pos_defaults == 0 && n_kw_defaults == 0 {
            self.adjust_stack(1);
            self.write_byte_raw_code(self.op.MAKE_FUNCTION, child);
        } else {
            self.adjust_stack(-1);
            self.write_byte_raw_code(self.op.MAKE_FUNCTION_DEFARGS, child);
        }
    }

    fn make_closure(
        &mut self,
        child: ScopeId,
        _child_scope: &Scope,
        n_closed_over: u32,
        n_pos_defaults: u32,
        n_kw_defaults: u32,
    ) {
        let n = i64::from(n_closed_over);
        if n_pos_defaults == 0 && n_kw_defaults == 0 {
            self.adjust_stack(-n + 1);
            self.write_byte_raw_code(self.op.MAKE_CLOSURE, child);
        } else {
            self.adjust_stack(-2 - n + 1);
            self.write_byte_raw_code(self.op.MAKE_CLOSURE_DEFARGS, child);
        }
        self.write_byte(n_closed_over as u8);
    }

    fn call_function(&mut self, n_positional: u32, n_keyword: u32, star_flags: u32) {
        self.call_helper(
            0,
            self.op.CALL_FUNCTION,
            n_positional,
            n_keyword,
            star_flags,
        );
    }

    fn call_method(&mut self, n_positional: u32, n_keyword: u32, star_flags: u32) {
        self.call_helper(-1, self.op.CALL_METHOD, n_positional, n_keyword, star_flags);
    }

    fn return_value(&mut self) {
        self.adjust_stack(-1);
        self.set_last_emit_was_return_value();
        self.write_byte(self.op.RETURN_VALUE);
    }

    fn raise_varargs(&mut self, n_args: u32) {
        self.adjust_stack(-i64::from(n_args));
        if self.op.raise_count_byte {
            self.write_bytecode(&[self.op.RAISE, n_args as u8]);
        } else {
            self.write_byte(self.op.RAISE + n_args as u8);
        }
    }

    fn yield_(&mut self, kind: YieldKind) {
        let (delta, opcode) = match kind {
            YieldKind::Value => (0, self.op.YIELD_VALUE),
            YieldKind::From => (-1, self.op.YIELD_FROM),
        };
        self.adjust_stack(delta);
        self.set_generator_flag();
        self.write_byte(opcode);
    }

    fn start_except_handler(&mut self) {
        // The exception instance, plus 3 for a possible UNWIND_JUMP's state.
        self.adjust_stack(4);
    }

    fn end_except_handler(&mut self) {
        self.adjust_stack(-3);
    }
}
