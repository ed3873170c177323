//! The bytecode emitter of MicroPython 1.29 (`.mpy` v6.3): turns [`Emit`] calls into v6
//! bytecode, with qstrs and constants as indices into the module's tables.
//!
//! Follows `py/emitbc.c` of MicroPython 1.29 as mpy-cross builds it. Differences from the
//! 1.11 emitter ([`crate::emitbc`]) that decide bytes:
//! - opcodes are renumbered, qstr operands are qstr-table indices and object operands
//!   object-table indices (var-uints), both tables shared by the whole module and filled in
//!   the order first used, the scope pass included ([`tables`]);
//! - a raw code's children are numbered per scope, in order of `MAKE_FUNCTION`/`MAKE_CLOSURE`;
//! - code after an unconditional jump, `return` or `raise` is dropped until the next label;
//! - jumps take one or two offset bytes, found by replaying the reference's passes
//!   ([`layout`]);
//! - the prelude is a packed signature and size, then the simple name and argument names as
//!   qstr indices, the line-number table and the cell list.
//!
//! The emitter records one walk of a scope ([`Emit::single_walk`]) and lays it out at the end;
//! in the scope pass the compiler walks with its [`Numbering`] alone.

mod layout;
mod numbering;
pub mod op;
mod tables;

pub use layout::LayoutError;
pub use numbering::Numbering;
pub use tables::{ModuleTables, Obj};

use mpcore::Qstr;
use rawcode::{Const, RawCode};
use syntax::TokenKind;

use crate::emit::{
    AccessKind, BlockKind, BuildKind, Emit, GlobalKind, ImportKind, Label, LocalKind, Pass,
    YieldKind, BREAK_FROM_FOR,
};
use crate::runtime0 as rt;
use crate::scope::{IdKind, Scope, ScopeId, ScopeKind};
pub(crate) use layout::{encode_signature, encode_size, PreludeFacts};
use layout::{Item, Scratch};

/// Value-stack slots an iterator buffer takes on a 64-bit host.
const ITER_BUF_NSLOTS: i64 = 4;

/// Most labels one scope may use (far beyond what the reference's heap allows).
const MAX_LABELS: usize = 1 << 22;

/// Why a scope could not be emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmitFault {
    #[error(transparent)]
    Layout(#[from] LayoutError),
    /// A closed-over local with slot 255 or more (the cell list holds bytes).
    #[error("a closed-over variable has local slot 255 or more (mpy-cross 1.29 aborts on this input too)")]
    CellLocalTooLarge,
    #[error("too many labels")]
    TooManyLabels,
}

/// The v6 bytecode back end. One value serves every scope of a module; its [`Numbering`]
/// serves the scope pass (which numbers the module's qstrs and constants as they are first
/// used), the emitter itself the emit pass, the only code pass.
#[derive(Debug)]
pub struct BytecodeEmitterV6 {
    /// The module's qstr and object tables.
    pub num: Numbering,
    /// Whether line numbers are recorded (off at `-O3` and with `-X no-source-lines`).
    record_lines: bool,

    /// Code after an unconditional jump is dropped until the next label.
    suppress: bool,
    /// The last thing emitted was `RETURN_VALUE` (read when dead code is not dropped).
    last_return: bool,
    stack_size: i64,
    max_stack_size: i64,

    items: Vec<Item>,
    bytes: Vec<u8>,
    /// Where the code not yet in an item starts in `bytes` ([`Self::close_run`]).
    run_start: usize,
    n_labels: usize,
    /// Simple name then argument names, as qstr-table indices.
    names: Vec<u32>,
    children: Vec<ScopeId>,
    /// The layout's buffers, reused from scope to scope.
    layout_scratch: Scratch,

    fault: Option<EmitFault>,
}

/// The buffers of a [`BytecodeEmitterV6`] done with one module, kept for the next
/// ([`BytecodeEmitterV6::reusing`]); they hold nothing the next module sees.
#[derive(Debug, Default)]
pub struct Spare {
    num: Numbering,
    items: Vec<Item>,
    bytes: Vec<u8>,
    names: Vec<u32>,
    layout_scratch: Scratch,
}

impl BytecodeEmitterV6 {
    /// An emitter for a module whose source file is `source_file`; `record_lines` is false at
    /// `-O3` and above and with `-X no-source-lines`.
    pub fn new(source_file: Qstr, record_lines: bool) -> BytecodeEmitterV6 {
        BytecodeEmitterV6::reusing(Spare::default(), source_file, record_lines)
    }

    /// [`BytecodeEmitterV6::new`] with the room of an earlier module's buffers.
    pub fn reusing(spare: Spare, source_file: Qstr, record_lines: bool) -> BytecodeEmitterV6 {
        let Spare {
            mut num,
            mut items,
            mut bytes,
            mut names,
            layout_scratch,
        } = spare;
        num.reset(source_file);
        items.clear();
        bytes.clear();
        names.clear();
        BytecodeEmitterV6 {
            num,
            record_lines,
            suppress: false,
            last_return: false,
            stack_size: 0,
            max_stack_size: 0,
            items,
            bytes,
            run_start: 0,
            n_labels: 0,
            names,
            children: Vec::new(),
            // Every pass of the layout clears the buffers it fills first.
            layout_scratch,
            fault: None,
        }
    }

    /// The buffers to keep for the next module.
    pub fn into_spare(self) -> Spare {
        Spare {
            num: self.num,
            items: self.items,
            bytes: self.bytes,
            names: self.names,
            layout_scratch: self.layout_scratch,
        }
    }

    /// The emitter of a release that writes unreachable code (1.19) when `drops_dead_code`
    /// is false.
    /// (From 1.20 code after an unconditional jump, `return` or `raise` is dropped; 1.19's
    /// compile walk asks [`Emit::last_emit_was_return_value`] instead.)
    pub fn dropping_dead_code(mut self, drops_dead_code: bool) -> BytecodeEmitterV6 {
        self.num.drops_dead_code = drops_dead_code;
        self
    }

    /// What follows is unreachable until the next label: dropped from 1.20 on.
    fn unreachable(&mut self) {
        self.suppress = self.num.drops_dead_code;
    }

    /// The first fault met, if any (that scope was left without raw code).
    pub fn fault(&self) -> Option<EmitFault> {
        self.fault
    }

    fn set_fault(&mut self, f: EmitFault) {
        if self.fault.is_none() {
            self.fault = Some(f);
        }
    }

    // ----- writing -----

    fn adjust(&mut self, delta: i64) {
        self.last_return = false;
        self.stack_size += delta;
        self.max_stack_size = self.max_stack_size.max(self.stack_size);
    }

    fn code(&mut self, b: &[u8]) {
        if self.suppress {
            return;
        }
        self.bytes.extend_from_slice(b);
    }

    /// Records the code written since the last item other than code as one code item (code
    /// is only appended to `bytes` as it comes; its item is made when something else follows).
    #[inline]
    fn close_run(&mut self) {
        let end = self.bytes.len();
        if end > self.run_start {
            self.items.push(Item::Code {
                start: self.run_start as u32,
                len: (end - self.run_start) as u32,
            });
        }
        self.run_start = end;
    }

    /// Records `item` (a jump, label or line) after the code before it, and makes its step
    /// of the stack-size pass.
    #[inline]
    fn record(&mut self, item: Item) {
        self.close_run();
        self.items.push(item);
        self.layout_scratch.stack.note(item, self.bytes.len());
    }

    fn byte(&mut self, adj: i64, op: u8) {
        self.adjust(adj);
        if self.suppress {
            return;
        }
        self.bytes.push(op);
    }

    fn byte_uint(&mut self, adj: i64, op: u8, val: u64) {
        self.adjust(adj);
        if self.suppress {
            return;
        }
        if val < 0x80 {
            self.bytes.extend_from_slice(&[op, val as u8]);
        } else {
            self.bytes.push(op);
            layout::push_uint(&mut self.bytes, val);
        }
    }

    fn byte_int(&mut self, adj: i64, op: u8, val: i64) {
        self.adjust(adj);
        let mut buf = [0u8; 12];
        buf[0] = op;
        let n = crate::emitbc::encode_int(&mut buf[1..], val);
        self.code(&buf[..=n]);
    }

    fn byte_qstr(&mut self, adj: i64, op: u8, q: Qstr) {
        let i = self.num.tables.use_qstr(q);
        self.byte_uint(adj, op, u64::from(i));
    }

    fn byte_obj(&mut self, adj: i64, op: u8, obj: Obj) {
        let i = self.num.tables.use_obj(obj);
        self.byte_uint(adj, op, u64::from(i));
    }

    fn byte_child(&mut self, adj: i64, op: u8, child: ScopeId) {
        let k = self.children.len() as u64;
        self.children.push(child);
        self.byte_uint(adj, op, k);
    }

    fn jump_op(&mut self, adj: i64, op: u8, label: Label) {
        self.adjust(adj);
        if self.suppress {
            return;
        }
        self.note_label(label);
        self.record(Item::Jump { op, label });
    }

    fn note_label(&mut self, label: Label) {
        let l = label as usize;
        if l >= MAX_LABELS {
            self.set_fault(EmitFault::TooManyLabels);
            return;
        }
        self.n_labels = self.n_labels.max(l + 1);
    }

    /// Lays out the recorded walk and stores the raw code in `scope`.
    fn store_raw_code(&mut self, scope: &mut Scope) {
        self.close_run();
        let mut cells = Vec::new();
        for id in &scope.id_info {
            if id.kind == IdKind::Cell {
                if id.local_num > 255 {
                    self.set_fault(EmitFault::CellLocalTooLarge);
                    return;
                }
                cells.push(id.local_num as u8);
            }
        }
        let n_state = (u64::from(scope.num_locals) + self.max_stack_size.max(0) as u64).max(1);
        let facts = PreludeFacts {
            n_state,
            n_exc_stack: u64::from(scope.exc_stack_size),
            flags: u64::from(signature_flags(scope.scope_flags)),
            n_pos_args: u64::from(scope.num_pos_args),
            n_kwonly_args: u64::from(scope.num_kwonly_args),
            n_def_pos_args: u64::from(scope.num_def_pos_args),
            names: &self.names,
            cells: &cells,
            lines: self.record_lines,
        };
        match layout::layout(
            &self.items,
            &self.bytes,
            self.n_labels,
            &facts,
            &mut self.layout_scratch,
        ) {
            Ok(fun_data) => {
                scope.raw_code = Some(RawCode::bytecode(fun_data));
                scope.raw_code_children = std::mem::take(&mut self.children);
            }
            Err(e) => self.set_fault(e.into()),
        }
    }
}

/// The signature bits of 1.11-numbered scope flags, in 1.29's numbering (generator 0x01,
/// varkeywords 0x02, varargs 0x04, default keyword arguments 0x08).
pub(crate) fn signature_flags(flags: u16) -> u16 {
    let mut f = 0;
    if flags & rt::SCOPE_FLAG_GENERATOR != 0 {
        f |= 0x01;
    }
    if flags & rt::SCOPE_FLAG_VARKEYWORDS != 0 {
        f |= 0x02;
    }
    if flags & rt::SCOPE_FLAG_VARARGS != 0 {
        f |= 0x04;
    }
    if flags & rt::SCOPE_FLAG_DEFKWARGS != 0 {
        f |= 0x08;
    }
    f
}

/// The 1.29 number of a binary operator numbered as [`crate::runtime0`] (1.11) numbers it:
/// 1.29 adds `@` after `*` in both the in-place and the plain group.
pub(crate) fn binary_op_v6(op: u8) -> u8 {
    match op {
        rt::BINARY_OP_INPLACE_MAT_MULTIPLY => 17,
        rt::BINARY_OP_MAT_MULTIPLY => 30,
        0..=rt::BINARY_OP_INPLACE_MULTIPLY => op,
        rt::BINARY_OP_INPLACE_FLOOR_DIVIDE..=rt::BINARY_OP_MULTIPLY => op + 1,
        _ => op + 2,
    }
}

impl Emit for BytecodeEmitterV6 {
    fn start_pass(&mut self, _: Pass, scope: &Scope) {
        self.suppress = false;
        self.last_return = false;
        self.stack_size = 0;
        self.max_stack_size = 0;
        self.items.clear();
        self.bytes.clear();
        self.run_start = 0;
        self.layout_scratch.stack.clear();
        self.n_labels = 0;
        self.names.clear();
        self.children.clear();
        let names = &mut self.names;
        self.num.scope_names(scope, |i| names.push(i));
    }

    fn end_pass(&mut self, scope: &mut Scope) {
        self.store_raw_code(scope);
    }

    fn single_walk(&self) -> bool {
        true
    }

    fn scope_pass_numbering(&mut self) -> Option<&mut Numbering> {
        Some(&mut self.num)
    }

    fn last_emit_was_return_value(&self) -> bool {
        // From 1.20 the jump is always emitted and dropped as dead code instead.
        !self.num.drops_dead_code && self.last_return
    }

    fn adjust_stack_size(&mut self, delta: i32) {
        self.adjust(i64::from(delta));
    }

    fn set_source_line(&mut self, line: u32) {
        if self.record_lines {
            self.record(Item::Line(line));
        }
    }

    fn load_local(&mut self, _: Qstr, local_num: u32, kind: LocalKind) {
        match kind {
            LocalKind::Fast if local_num <= 15 => {
                self.byte(1, op::LOAD_FAST_MULTI + local_num as u8)
            }
            LocalKind::Fast => self.byte_uint(1, op::LOAD_FAST_N, u64::from(local_num)),
            LocalKind::Deref => self.byte_uint(1, op::LOAD_DEREF, u64::from(local_num)),
        }
    }

    fn load_global(&mut self, qst: Qstr, kind: GlobalKind) {
        let o = match kind {
            GlobalKind::Name => op::LOAD_NAME,
            GlobalKind::Global => op::LOAD_GLOBAL,
        };
        self.byte_qstr(1, o, qst);
    }

    fn store_local(&mut self, _: Qstr, local_num: u32, kind: LocalKind) {
        match kind {
            LocalKind::Fast if local_num <= 15 => {
                self.byte(-1, op::STORE_FAST_MULTI + local_num as u8)
            }
            LocalKind::Fast => self.byte_uint(-1, op::STORE_FAST_N, u64::from(local_num)),
            LocalKind::Deref => self.byte_uint(-1, op::STORE_DEREF, u64::from(local_num)),
        }
    }

    fn store_global(&mut self, qst: Qstr, kind: GlobalKind) {
        let o = match kind {
            GlobalKind::Name => op::STORE_NAME,
            GlobalKind::Global => op::STORE_GLOBAL,
        };
        self.byte_qstr(-1, o, qst);
    }

    fn delete_local(&mut self, _: Qstr, local_num: u32, kind: LocalKind) {
        let o = match kind {
            LocalKind::Fast => op::DELETE_FAST,
            LocalKind::Deref => op::DELETE_DEREF,
        };
        self.byte_uint(0, o, u64::from(local_num));
    }

    fn delete_global(&mut self, qst: Qstr, kind: GlobalKind) {
        let o = match kind {
            GlobalKind::Name => op::DELETE_NAME,
            GlobalKind::Global => op::DELETE_GLOBAL,
        };
        self.byte_qstr(0, o, qst);
    }

    fn label_assign(&mut self, label: Label) {
        self.suppress = false;
        self.adjust(0);
        self.note_label(label);
        self.record(Item::Label(label));
    }

    fn import(&mut self, qst: Qstr, kind: ImportKind) {
        match kind {
            ImportKind::Name => self.byte_qstr(-1, op::IMPORT_NAME, qst),
            ImportKind::From => self.byte_qstr(1, op::IMPORT_FROM, qst),
            ImportKind::Star => self.byte(-1, op::IMPORT_STAR),
        }
    }

    fn load_const_tok(&mut self, tok: TokenKind) {
        match tok {
            TokenKind::KwFalse => self.byte(1, op::LOAD_CONST_FALSE),
            TokenKind::KwTrue => self.byte(1, op::LOAD_CONST_TRUE),
            TokenKind::Ellipsis => self.byte_obj(1, op::LOAD_CONST_OBJ, Obj::Ellipsis),
            _ => self.byte(1, op::LOAD_CONST_NONE),
        }
    }

    fn load_const_small_int(&mut self, value: i64) {
        if (-16..48).contains(&value) {
            self.byte(
                1,
                (i64::from(op::LOAD_CONST_SMALL_INT_MULTI) + 16 + value) as u8,
            );
        } else {
            self.byte_int(1, op::LOAD_CONST_SMALL_INT, value);
        }
    }

    fn load_const_str(&mut self, qst: Qstr) {
        self.byte_qstr(1, op::LOAD_CONST_STRING, qst);
    }

    fn load_const_obj(&mut self, obj: Const) {
        self.byte_obj(1, op::LOAD_CONST_OBJ, Obj::from_const(obj));
    }

    fn load_const_folded(&mut self, obj: Obj) {
        self.byte_obj(1, op::LOAD_CONST_OBJ, obj);
    }

    fn load_const_parsed(&mut self, id: syntax::ConstId, c: &syntax::ConstObj) {
        let i = self.num.parsed_const(id, c);
        self.byte_uint(1, op::LOAD_CONST_OBJ, u64::from(i));
    }

    fn load_null(&mut self) {
        self.byte(1, op::LOAD_NULL);
    }

    fn load_method(&mut self, qst: Qstr, is_super: bool) {
        if is_super {
            self.byte_qstr(-1, op::LOAD_SUPER_METHOD, qst);
        } else {
            self.byte_qstr(1, op::LOAD_METHOD, qst);
        }
    }

    fn load_build_class(&mut self) {
        self.byte(1, op::LOAD_BUILD_CLASS);
    }

    fn subscr(&mut self, kind: AccessKind) {
        match kind {
            AccessKind::Load => self.byte(-1, op::LOAD_SUBSCR),
            AccessKind::Store => self.byte(-3, op::STORE_SUBSCR),
            AccessKind::Delete => {
                self.load_null();
                self.rot_three();
                self.byte(-3, op::STORE_SUBSCR);
            }
        }
    }

    fn attr(&mut self, qst: Qstr, kind: AccessKind) {
        match kind {
            AccessKind::Load => self.byte_qstr(0, op::LOAD_ATTR, qst),
            AccessKind::Store => self.byte_qstr(-2, op::STORE_ATTR, qst),
            AccessKind::Delete => {
                self.load_null();
                self.rot_two();
                self.byte_qstr(-2, op::STORE_ATTR, qst);
            }
        }
    }

    fn dup_top(&mut self) {
        self.byte(1, op::DUP_TOP);
    }

    fn dup_top_two(&mut self) {
        self.byte(2, op::DUP_TOP_TWO);
    }

    fn pop_top(&mut self) {
        self.byte(-1, op::POP_TOP);
    }

    fn rot_two(&mut self) {
        self.byte(0, op::ROT_TWO);
    }

    fn rot_three(&mut self) {
        self.byte(0, op::ROT_THREE);
    }

    fn jump(&mut self, label: Label) {
        self.jump_op(0, op::JUMP, label);
        self.unreachable();
    }

    fn pop_jump_if(&mut self, cond: bool, label: Label) {
        let o = if cond {
            op::POP_JUMP_IF_TRUE
        } else {
            op::POP_JUMP_IF_FALSE
        };
        self.jump_op(-1, o, label);
    }

    fn jump_if_or_pop(&mut self, cond: bool, label: Label) {
        let o = if cond {
            op::JUMP_IF_TRUE_OR_POP
        } else {
            op::JUMP_IF_FALSE_OR_POP
        };
        self.jump_op(-1, o, label);
    }

    fn unwind_jump(&mut self, label: Label, except_depth: u32) {
        let target = label & !BREAK_FROM_FOR;
        if except_depth == 0 {
            if label & BREAK_FROM_FOR != 0 {
                // The iterator and the rest of its buffer.
                for _ in 0..ITER_BUF_NSLOTS {
                    self.code(&[op::POP_TOP]);
                }
            }
            self.jump_op(0, op::JUMP, target);
        } else {
            self.jump_op(0, op::UNWIND_JUMP, target);
            let from_for = if label & BREAK_FROM_FOR != 0 { 0x80 } else { 0 };
            self.code(&[from_for | except_depth as u8]);
        }
        self.unreachable();
    }

    fn setup_block(&mut self, label: Label, kind: BlockKind) {
        match kind {
            BlockKind::With => self.jump_op(2, op::SETUP_WITH, label),
            BlockKind::Except => self.jump_op(0, op::SETUP_EXCEPT, label),
            BlockKind::Finally => self.jump_op(0, op::SETUP_FINALLY, label),
        }
    }

    fn with_cleanup(&mut self, label: Label) {
        self.load_const_tok(TokenKind::KwNone);
        self.label_assign(label);
        self.byte(2, op::WITH_CLEANUP);
        self.adjust(-4);
    }

    fn end_finally(&mut self) {
        self.byte(-1, op::END_FINALLY);
    }

    fn get_iter(&mut self, use_stack: bool) {
        if use_stack {
            self.byte(ITER_BUF_NSLOTS - 1, op::GET_ITER_STACK);
        } else {
            self.byte(0, op::GET_ITER);
        }
    }

    fn for_iter(&mut self, label: Label) {
        self.jump_op(1, op::FOR_ITER, label);
    }

    fn for_iter_end(&mut self) {
        self.adjust(-ITER_BUF_NSLOTS);
    }

    fn pop_except_jump(&mut self, label: Label, _within_exc_handler: bool) {
        self.jump_op(0, op::POP_EXCEPT_JUMP, label);
        self.unreachable();
    }

    fn unary_op(&mut self, o: u8) {
        self.byte(0, op::UNARY_OP_MULTI + o);
    }

    fn binary_op(&mut self, o: u8) {
        let (o, invert) = match o {
            rt::BINARY_OP_NOT_IN => (rt::BINARY_OP_IN, true),
            rt::BINARY_OP_IS_NOT => (rt::BINARY_OP_IS, true),
            _ => (o, false),
        };
        self.byte(-1, op::BINARY_OP_MULTI + binary_op_v6(o));
        if invert {
            self.byte(0, op::UNARY_OP_MULTI + rt::UNARY_OP_NOT);
        }
    }

    fn build(&mut self, n_args: u32, kind: BuildKind) {
        let n = i64::from(n_args);
        let (o, adj) = match kind {
            BuildKind::Tuple => (op::BUILD_TUPLE, 1 - n),
            BuildKind::List => (op::BUILD_LIST, 1 - n),
            BuildKind::Map => (op::BUILD_MAP, 1),
            BuildKind::Set => (op::BUILD_SET, 1 - n),
            BuildKind::Slice => (op::BUILD_SLICE, 1 - n),
        };
        self.byte_uint(adj, o, u64::from(n_args));
    }

    fn store_map(&mut self) {
        self.byte(-2, op::STORE_MAP);
    }

    fn store_comp(&mut self, kind: ScopeKind, set_stack_index: u32) {
        let (n, t) = match kind {
            ScopeKind::ListComp => (0u64, 0u64),
            ScopeKind::DictComp => (1, 1),
            _ => (0, 2),
        };
        let arg = ((u64::from(set_stack_index) + n) << 2) | t;
        self.byte_uint(-1 - n as i64, op::STORE_COMP, arg);
    }

    fn unpack_sequence(&mut self, n_args: u32) {
        self.byte_uint(
            i64::from(n_args) - 1,
            op::UNPACK_SEQUENCE,
            u64::from(n_args),
        );
    }

    fn unpack_ex(&mut self, n_left: u32, n_right: u32) {
        let adj = i64::from(n_left) + i64::from(n_right);
        let arg = u64::from(n_left) | (u64::from(n_right) << 8);
        self.byte_uint(adj, op::UNPACK_EX, arg);
    }

    fn make_function(&mut self, child: ScopeId, _: &Scope, n_pos: u32, n_kw: u32) {
        if n_pos == 0 && n_kw == 0 {
            self.byte_child(1, op::MAKE_FUNCTION, child);
        } else {
            self.byte_child(-1, op::MAKE_FUNCTION_DEFARGS, child);
        }
    }

    fn make_closure(&mut self, child: ScopeId, _: &Scope, n_closed: u32, n_pos: u32, n_kw: u32) {
        let n = i64::from(n_closed);
        if n_pos == 0 && n_kw == 0 {
            self.byte_child(1 - n, op::MAKE_CLOSURE, child);
        } else {
            self.byte_child(-1 - n, op::MAKE_CLOSURE_DEFARGS, child);
        }
        self.code(&[n_closed as u8]);
    }

    fn call_function(&mut self, n_pos: u32, n_kw: u32, star_flags: u32) {
        self.call(0, op::CALL_FUNCTION, n_pos, n_kw, star_flags);
    }

    fn call_method(&mut self, n_pos: u32, n_kw: u32, star_flags: u32) {
        self.call(-1, op::CALL_METHOD, n_pos, n_kw, star_flags);
    }

    fn return_value(&mut self) {
        self.byte(-1, op::RETURN_VALUE);
        self.last_return = true;
        self.unreachable();
    }

    fn raise_varargs(&mut self, n_args: u32) {
        self.byte(-i64::from(n_args), op::RAISE_LAST + n_args as u8);
        self.unreachable();
    }

    fn yield_(&mut self, kind: YieldKind) {
        match kind {
            YieldKind::Value => self.byte(0, op::YIELD_VALUE),
            YieldKind::From => self.byte(-1, op::YIELD_FROM),
        }
    }

    fn start_except_handler(&mut self) {
        self.adjust(4);
    }

    fn end_except_handler(&mut self) {
        self.adjust(-3);
    }
}

impl BytecodeEmitterV6 {
    fn call(&mut self, base_adj: i64, base: u8, n_pos: u32, n_kw: u32, star_flags: u32) {
        let args = i64::from(n_pos) + 2 * i64::from(n_kw);
        let arg = (u64::from(n_kw) << 8) | u64::from(n_pos);
        if star_flags != 0 {
            self.byte_uint(base_adj - args - 1, base + 1, arg);
        } else {
            self.byte_uint(base_adj - args, base, arg);
        }
    }
}
