//! The native emitter's tape: the assembler calls a scope's stack-size pass made, kept so
//! that its code-size and emit passes replay them instead of walking the tree again.
//!
//! The three passes make the same calls in the same order: the value model, the labels and
//! every decision of the emitter are the same in each. What differs is a handful of operands
//! made from values that change between passes (the frame size once the stack depth is known,
//! the prelude and resume offsets the previous pass measured, the const table's object count);
//! the emitter names each such operand as it makes it ([`Tape::operand_from`]) and the replay
//! computes it afresh. The assembler itself runs every pass, so its decisions (encoding sizes,
//! branch forms, label checks, Xtensa's literal table) are its own each time.

use asm::{Asm, AsmError, Cond, Label, MemSize, Reg};
use mpcore::Qstr;
use rawcode::QstrLink;

use super::{link_off, NativeEmitter};
use crate::emit::Pass;
use crate::scope::Scope;

/// A value of the emitter that changes between passes, which a taped operand was made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Var {
    /// `n_state`: locals plus the stack depth (0 in the stack-size pass).
    NState,
    /// Where the last pass put the prelude.
    PreludeOffset,
    /// Where the last pass put a generator's resume point.
    StartOffset,
    /// The const table's object count, as the last pass left it.
    NumObj,
}

/// A register-to-register operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RegOp {
    Lsl,
    Asr,
    Or,
    Xor,
    And,
    Add,
    Sub,
    Mul,
}

/// One taped assembler call, with its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    LabelAssign(Label),
    Data(usize, u64),
    Entry(usize),
    Exit,
    Jump(Label),
    JumpIfRegZero(Reg, Label, bool),
    JumpIfRegNonzero(Reg, Label, bool),
    JumpIfRegEq(Reg, Reg, Label),
    JumpReg(Reg),
    CallInd(usize, usize),
    CallInd4(usize),
    MovLocalReg(usize, Reg),
    MovRegImm(Reg, i64),
    /// A qstr number in a fixed-size form (its link is recorded in the emit pass).
    MovRegImmFixU16(Reg, u32),
    /// A qstr object in a fixed-size form (its link is recorded in the emit pass).
    MovRegImmFixWord(Reg, i64),
    MovRegLocal(Reg, usize),
    MovRegReg(Reg, Reg),
    MovRegLocalAddr(Reg, usize),
    MovRegPcrel(Reg, Label),
    MovRegArg(Reg, usize),
    RegReg(RegOp, Reg, Reg),
    SetRegCond(Cond, Reg, Reg, Reg),
    LoadRegRegOffset(Reg, Reg, usize),
    LoadSized(MemSize, Reg, Reg),
    StoreRegRegOffset(Reg, Reg, usize),
    StoreSized(MemSize, Reg, Reg),
    /// With the answer the first pass had (the emitter's next calls depend on it).
    TryLoadSizedImmIndex(MemSize, Reg, Reg, i64, bool),
    TryStoreSizedImmIndex(MemSize, Reg, Reg, i64, bool),
    StoreSizedIndexed(MemSize, Reg, Reg, Reg),
    /// A generator's resume point: the emitter keeps the code position here.
    MarkStart,
}

impl Op {
    /// The operand a [`Var`] can stand behind, if the call has one.
    fn operand(self) -> Option<i64> {
        Some(match self {
            Op::Data(_, v) => v as i64,
            Op::Entry(n) => n as i64,
            Op::MovLocalReg(l, _) | Op::MovRegLocal(_, l) => l as i64,
            Op::MovRegImm(_, imm) => imm,
            Op::LoadRegRegOffset(_, _, o) | Op::StoreRegRegOffset(_, _, o) => o as i64,
            _ => return None,
        })
    }

    /// This call with its variable operand set to `v`; `None` if `v` cannot be one.
    fn with_operand(self, v: i64) -> Option<Op> {
        let u = usize::try_from(v).ok();
        Some(match self {
            Op::Data(n, _) => Op::Data(n, v as u64),
            Op::Entry(_) => Op::Entry(u?),
            Op::MovLocalReg(_, r) => Op::MovLocalReg(u?, r),
            Op::MovRegLocal(r, _) => Op::MovRegLocal(r, u?),
            Op::MovRegImm(r, _) => Op::MovRegImm(r, v),
            Op::LoadRegRegOffset(d, b, _) => Op::LoadRegRegOffset(d, b, u?),
            Op::StoreRegRegOffset(s, b, _) => Op::StoreRegRegOffset(s, b, u?),
            _ => return None,
        })
    }
}

/// A taped operand made from a [`Var`]: the operand of call `at` is the variable plus `add`.
/// The call started at code offset `pos` in the taped pass.
#[derive(Clone, Copy, Debug)]
struct VarOperand {
    at: usize,
    var: Var,
    add: i64,
    pos: usize,
}

/// The frame facts a tape was made under; a replay needs the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(super) struct Layout {
    pub(super) frame_flags: u16,
    pub(super) exc_stack_size: usize,
    pub(super) num_locals: usize,
    pub(super) viper: bool,
    pub(super) stack_start: usize,
    pub(super) code_state_start: usize,
}

/// What replaying one call gives the emitter.
enum Replayed {
    Done,
    /// A generator's resume point.
    Start,
    /// The code offset of a fixed-size immediate (a qstr link's place).
    Fixed(usize),
    /// The answer of a `try_*` call differed from the first pass's.
    Diverged,
}

/// The assembler, with the tape of the calls the emitter made in this scope's first pass.
pub(super) struct Tape<A: Asm> {
    pub(super) asm: A,
    ops: Vec<Op>,
    vars: Vec<VarOperand>,
    /// The frame the taped pass laid out (set by the emitter after its entry code).
    pub(super) layout: Layout,
    recording: bool,
    /// The next call's variable operand: its variable and the variable's value now.
    pending: Option<(Var, i64)>,
    /// The tape holds the whole first pass of the scope being compiled.
    whole: bool,
    /// The pass runs without the assembler: calls do nothing (see `NativeEmitter::start`).
    muted: bool,
    /// The tape holds a generator's resume point.
    marked_start: bool,
    /// Where the taped pass assigned its first label.
    first_label: Option<usize>,
    /// A second assembler of the same architecture, which measures single calls.
    probe: A,
    /// How the code-size pass would move the taped pass's layout (see `plan_early`).
    moves: Vec<(usize, isize)>,
}

macro_rules! taped {
    ($(#[$m:meta])* $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty = $op:expr) => {
        $(#[$m])*
        #[inline]
        pub(super) fn $name(&mut self, $($arg: $ty),*) -> Result<$ret, AsmError> {
            if self.muted {
                return Ok(Default::default());
            }
            if self.recording {
                self.push($op);
            }
            self.asm.$name($($arg),*)
        }
    };
}

impl<A: Asm> Tape<A> {
    pub(super) fn new(asm: A) -> Self {
        Tape {
            asm,
            ops: Vec::new(),
            vars: Vec::new(),
            layout: Layout::default(),
            recording: false,
            pending: None,
            whole: false,
            muted: false,
            marked_start: false,
            first_label: None,
            probe: A::new(1),
            moves: Vec::new(),
        }
    }

    /// Starts taping a first pass made under `layout` (`record`), or stops taping and
    /// forgets the tape (a pass walked again: the tape no longer matches what it sets up).
    pub(super) fn begin(&mut self, record: bool) {
        self.ops.clear();
        self.vars.clear();
        self.pending = None;
        self.whole = false;
        self.marked_start = false;
        self.first_label = None;
        self.recording = record;
    }

    /// Runs the coming pass without the assembler (`on`), or with it.
    pub(super) fn mute(&mut self, on: bool) {
        self.muted = on;
        if on {
            self.recording = false;
        }
    }

    pub(super) fn muted(&self) -> bool {
        self.muted
    }

    /// Ends taping: the tape holds the whole pass.
    pub(super) fn seal(&mut self) {
        if self.recording {
            self.recording = false;
            self.whole = true;
        }
    }

    /// Stops taping: this pass made a call the tape cannot replay.
    pub(super) fn poison(&mut self) {
        self.recording = false;
    }

    /// Forgets the tape (a replay could not follow it).
    pub(super) fn discard(&mut self) {
        self.begin(false);
    }

    pub(super) fn recording(&self) -> bool {
        self.recording
    }

    pub(super) fn whole(&self) -> bool {
        self.whole
    }

    /// Says that the next call's operand is `var` (worth `now` in this pass) plus a constant.
    #[inline]
    pub(super) fn operand_from(&mut self, var: Var, now: usize) {
        if self.recording {
            self.pending = Some((var, now as i64));
        }
    }

    /// Tapes `op`, with the variable operand announced for it.
    fn push(&mut self, op: Op) {
        if let Some((var, now)) = self.pending.take() {
            match op.operand() {
                Some(v) => self.vars.push(VarOperand {
                    at: self.ops.len(),
                    var,
                    add: v.wrapping_sub(now),
                    pos: self.asm.code_pos(),
                }),
                // The emitter announced an operand for a call without one: no replay.
                None => self.recording = false,
            }
        }
        if let (Op::LabelAssign(_), None) = (op, self.first_label) {
            self.first_label = Some(self.asm.code_pos());
        }
        self.ops.push(op);
    }

    /// Marks a generator's resume point; gives the code position.
    pub(super) fn mark_start(&mut self) -> usize {
        if self.muted {
            return 0;
        }
        if self.recording {
            self.push(Op::MarkStart);
            self.marked_start = true;
        }
        self.asm.code_pos()
    }

    taped!(label_assign(label: Label) -> () = Op::LabelAssign(label));
    taped!(data(bytesize: usize, val: u64) -> () = Op::Data(bytesize, val));
    taped!(entry(num_locals: usize) -> () = Op::Entry(num_locals));
    taped!(exit() -> () = Op::Exit);
    taped!(jump(label: Label) -> () = Op::Jump(label));
    taped!(jump_if_reg_zero(reg: Reg, label: Label, bool_test: bool) -> ()
        = Op::JumpIfRegZero(reg, label, bool_test));
    taped!(jump_if_reg_nonzero(reg: Reg, label: Label, bool_test: bool) -> ()
        = Op::JumpIfRegNonzero(reg, label, bool_test));
    taped!(jump_if_reg_eq(reg1: Reg, reg2: Reg, label: Label) -> ()
        = Op::JumpIfRegEq(reg1, reg2, label));
    taped!(jump_reg(reg: Reg) -> () = Op::JumpReg(reg));
    taped!(call_ind(fun_id: usize, n_args: usize) -> () = Op::CallInd(fun_id, n_args));
    taped!(call_ind_4_args(fun_id: usize) -> () = Op::CallInd4(fun_id));
    taped!(mov_local_reg(local: usize, src: Reg) -> () = Op::MovLocalReg(local, src));
    taped!(mov_reg_imm(dest: Reg, imm: i64) -> () = Op::MovRegImm(dest, imm));
    taped!(mov_reg_imm_fix_u16(dest: Reg, imm: u32) -> usize = Op::MovRegImmFixU16(dest, imm));
    taped!(mov_reg_imm_fix_word(dest: Reg, imm: i64) -> usize = Op::MovRegImmFixWord(dest, imm));
    taped!(mov_reg_local(dest: Reg, local: usize) -> () = Op::MovRegLocal(dest, local));
    taped!(mov_reg_reg(dest: Reg, src: Reg) -> () = Op::MovRegReg(dest, src));
    taped!(mov_reg_local_addr(dest: Reg, local: usize) -> () = Op::MovRegLocalAddr(dest, local));
    taped!(mov_reg_pcrel(dest: Reg, label: Label) -> () = Op::MovRegPcrel(dest, label));
    taped!(mov_reg_arg(dest: Reg, arg: usize) -> () = Op::MovRegArg(dest, arg));
    taped!(lsl_reg_reg(dest: Reg, shift: Reg) -> () = Op::RegReg(RegOp::Lsl, dest, shift));
    taped!(asr_reg_reg(dest: Reg, shift: Reg) -> () = Op::RegReg(RegOp::Asr, dest, shift));
    taped!(or_reg_reg(dest: Reg, src: Reg) -> () = Op::RegReg(RegOp::Or, dest, src));
    taped!(xor_reg_reg(dest: Reg, src: Reg) -> () = Op::RegReg(RegOp::Xor, dest, src));
    taped!(and_reg_reg(dest: Reg, src: Reg) -> () = Op::RegReg(RegOp::And, dest, src));
    taped!(add_reg_reg(dest: Reg, src: Reg) -> () = Op::RegReg(RegOp::Add, dest, src));
    taped!(sub_reg_reg(dest: Reg, src: Reg) -> () = Op::RegReg(RegOp::Sub, dest, src));
    taped!(mul_reg_reg(dest: Reg, src: Reg) -> () = Op::RegReg(RegOp::Mul, dest, src));
    taped!(set_reg_cond(cond: Cond, dest: Reg, lhs: Reg, rhs: Reg) -> ()
        = Op::SetRegCond(cond, dest, lhs, rhs));
    taped!(load_reg_reg_offset(dest: Reg, base: Reg, word_offset: usize) -> ()
        = Op::LoadRegRegOffset(dest, base, word_offset));
    taped!(load_sized(size: MemSize, dest: Reg, base: Reg) -> () = Op::LoadSized(size, dest, base));
    taped!(store_reg_reg_offset(src: Reg, base: Reg, word_offset: usize) -> ()
        = Op::StoreRegRegOffset(src, base, word_offset));
    taped!(store_sized(size: MemSize, src: Reg, base: Reg) -> () = Op::StoreSized(size, src, base));
    taped!(store_sized_indexed(size: MemSize, src: Reg, base: Reg, index: Reg) -> ()
        = Op::StoreSizedIndexed(size, src, base, index));

    /// Starts a compute pass of the probe assembler for [`Tape::probe_size`], after an
    /// entry (where Xtensa sets up its literal table). Whoever starts it abandons it after.
    fn probe_begin(&mut self) {
        self.probe.start_pass(asm::Pass::Compute);
        if self.probe.entry(0).is_err() {
            self.probe.abort_pass();
        }
    }

    /// The bytes call `op` takes, measured on the probe assembler in the pass
    /// [`Tape::probe_begin`] started; `None` where the probe cannot make the call.
    fn probe_size(&mut self, op: Op) -> Option<usize> {
        let p = &mut self.probe;
        let from = p.code_pos();
        match replay_call(p, op) {
            Ok(Replayed::Done) => p.code_pos().checked_sub(from),
            _ => None,
        }
    }

    /// Whether calls `a` and `b` take as many bytes and leave the assembler's carried state
    /// alike (Xtensa: as many literals), so that either makes the same layout.
    fn probe_alike(&mut self, a: Op, b: Op) -> bool {
        self.probe_begin();
        let size_a = self.probe_size(a);
        let carried = size_a.is_some() && self.probe.end_pass().is_ok();
        self.probe_begin();
        let alike = carried && self.probe_size(b) == size_a && self.probe.repeats_last_pass();
        self.probe.take_refusal();
        self.probe.abort_pass();
        alike
    }

    pub(super) fn try_load_sized_imm_index(
        &mut self,
        size: MemSize,
        dest: Reg,
        base: Reg,
        index: i64,
    ) -> Result<bool, AsmError> {
        if self.muted {
            return Ok(false);
        }
        let done = self.asm.try_load_sized_imm_index(size, dest, base, index)?;
        if self.recording {
            self.push(Op::TryLoadSizedImmIndex(size, dest, base, index, done));
        }
        Ok(done)
    }

    pub(super) fn try_store_sized_imm_index(
        &mut self,
        size: MemSize,
        src: Reg,
        base: Reg,
        index: i64,
    ) -> Result<bool, AsmError> {
        if self.muted {
            return Ok(false);
        }
        let done = self.asm.try_store_sized_imm_index(size, src, base, index)?;
        if self.recording {
            self.push(Op::TryStoreSizedImmIndex(size, src, base, index, done));
        }
        Ok(done)
    }
}

/// Call `op` of a tape with its variable operand made from `value`, the variable's value now.
fn resolve(op: Op, var: &VarOperand, value: usize) -> Option<Op> {
    op.with_operand((value as i64).wrapping_add(var.add))
}

/// Makes call `op` on `asm` again.
#[inline(always)]
fn replay_call<A: Asm>(asm: &mut A, op: Op) -> Result<Replayed, AsmError> {
    match op {
        Op::LabelAssign(l) => asm.label_assign(l)?,
        Op::Data(n, v) => asm.data(n, v)?,
        Op::Entry(n) => asm.entry(n)?,
        Op::Exit => asm.exit()?,
        Op::Jump(l) => asm.jump(l)?,
        Op::JumpIfRegZero(r, l, b) => asm.jump_if_reg_zero(r, l, b)?,
        Op::JumpIfRegNonzero(r, l, b) => asm.jump_if_reg_nonzero(r, l, b)?,
        Op::JumpIfRegEq(a, b, l) => asm.jump_if_reg_eq(a, b, l)?,
        Op::JumpReg(r) => asm.jump_reg(r)?,
        Op::CallInd(f, n) => asm.call_ind(f, n)?,
        Op::CallInd4(f) => asm.call_ind_4_args(f)?,
        Op::MovLocalReg(l, r) => asm.mov_local_reg(l, r)?,
        Op::MovRegImm(r, imm) => asm.mov_reg_imm(r, imm)?,
        Op::MovRegImmFixU16(r, imm) => {
            return Ok(Replayed::Fixed(asm.mov_reg_imm_fix_u16(r, imm)?))
        }
        Op::MovRegImmFixWord(r, imm) => {
            return Ok(Replayed::Fixed(asm.mov_reg_imm_fix_word(r, imm)?))
        }
        Op::MovRegLocal(r, l) => asm.mov_reg_local(r, l)?,
        Op::MovRegReg(d, s) => asm.mov_reg_reg(d, s)?,
        Op::MovRegLocalAddr(r, l) => asm.mov_reg_local_addr(r, l)?,
        Op::MovRegPcrel(r, l) => asm.mov_reg_pcrel(r, l)?,
        Op::MovRegArg(r, a) => asm.mov_reg_arg(r, a)?,
        Op::RegReg(op, d, s) => match op {
            RegOp::Lsl => asm.lsl_reg_reg(d, s)?,
            RegOp::Asr => asm.asr_reg_reg(d, s)?,
            RegOp::Or => asm.or_reg_reg(d, s)?,
            RegOp::Xor => asm.xor_reg_reg(d, s)?,
            RegOp::And => asm.and_reg_reg(d, s)?,
            RegOp::Add => asm.add_reg_reg(d, s)?,
            RegOp::Sub => asm.sub_reg_reg(d, s)?,
            RegOp::Mul => asm.mul_reg_reg(d, s)?,
        },
        Op::SetRegCond(c, d, l, r) => asm.set_reg_cond(c, d, l, r)?,
        Op::LoadRegRegOffset(d, b, o) => asm.load_reg_reg_offset(d, b, o)?,
        Op::LoadSized(s, d, b) => asm.load_sized(s, d, b)?,
        Op::StoreRegRegOffset(s, b, o) => asm.store_reg_reg_offset(s, b, o)?,
        Op::StoreSized(sz, s, b) => asm.store_sized(sz, s, b)?,
        Op::TryLoadSizedImmIndex(sz, d, b, i, done) => {
            if asm.try_load_sized_imm_index(sz, d, b, i)? != done {
                return Ok(Replayed::Diverged);
            }
        }
        Op::TryStoreSizedImmIndex(sz, s, b, i, done) => {
            if asm.try_store_sized_imm_index(sz, s, b, i)? != done {
                return Ok(Replayed::Diverged);
            }
        }
        Op::StoreSizedIndexed(sz, s, b, i) => asm.store_sized_indexed(sz, s, b, i)?,
        Op::MarkStart => return Ok(Replayed::Start),
    }
    Ok(Replayed::Done)
}

impl<A: Asm> NativeEmitter<A> {
    /// Runs `pass` (code size or emit) of the scope from the tape of its first pass instead
    /// of a walk. Gives false where the tape cannot stand in for the walk: none was made
    /// whole, the frame is laid out otherwise now, or the assembler stops or notes a refusal
    /// (the walk then finds the statement whose line the error needs). Nothing is left
    /// changed then that the walk's own start does not set again.
    ///
    /// Most often the code-size pass would lay the code out as the stack-size pass did, or
    /// moved only by calls before the first label whose operands changed size (the prelude
    /// offset's load, the frame size, Xtensa's literal table): `plan_early` works that layout
    /// out, and the emit pass is made at once, in place of the code-size pass, and checked to
    /// land every label, the prelude, the resume point, the end and the assembler's own
    /// carried count where the plan put them. That emit pass makes the calls the code-size
    /// pass would make, in encodings of the same sizes, so that pass would have laid the code
    /// out the same, and the real emit pass, given the same offsets, makes the same calls
    /// again: its bytes are these. Otherwise the code-size pass is replayed and the emit pass
    /// after it.
    pub(super) fn replay_pass_from_tape(&mut self, pass: Pass, scope: &mut Scope) -> bool {
        if pass == Pass::Emit && std::mem::take(&mut self.emitted_early) {
            return true;
        }
        if !self.asm.whole() || self.failed || self.error.is_some() || self.held_in_scope {
            return false;
        }
        if pass == Pass::CodeSize {
            if let Some(offsets) = self.plan_early(scope) {
                if self.replay_pass_as(Pass::Emit, scope, Some(offsets)) {
                    self.emitted_early = true;
                    return true;
                }
            }
        }
        if self.replay_pass_as(pass, scope, None) {
            return true;
        }
        self.asm.discard();
        false
    }

    /// Where the code-size pass would lay the code out, worked out from the stack-size pass's
    /// layout without making it: the calls before the first label whose variable operands
    /// change size (the prelude's offset, the frame's size) move every label past them (each
    /// size measured on the probe assembler), and the assembler's label table is moved so. Gives the prelude and resume offsets the code-size pass would
    /// measure, which the emit pass takes as operands; `None` (nothing moved) where that pass
    /// could not be followed so: a call the probe cannot make, one past the first label that
    /// changes size (branches across it could change form), or one whose operand from those
    /// offsets would take another size, or leave other literals, than the code-size pass's
    /// own operand from the stack-size pass's offsets. The emit pass made early then checks
    /// every label, and both offsets, against this plan, so a plan that is wrong costs time,
    /// never bytes.
    fn plan_early(&mut self, scope: &Scope) -> Option<(usize, usize)> {
        let (prelude, start) = (self.prelude_offset, self.start_offset);
        let mut moves = std::mem::take(&mut self.asm.moves);
        moves.clear();
        // The coming pass's `n_state`, as `begin` will set it from the scope.
        let n_state = usize::from(scope.num_locals) + usize::from(scope.stack_size);
        let plan = self.plan_moves(&mut moves, n_state, prelude, start);
        self.asm.moves = moves;
        let (to_prelude, to_start) = plan?;
        if self.asm.moves.is_empty() {
            return Some((to_prelude, to_start));
        }
        let moved = self.asm.asm.base_mut().shift_layout(&self.asm.moves);
        moved.then_some((to_prelude, to_start))
    }

    /// The moves of `plan_early` and the offsets the code-size pass would measure.
    fn plan_moves(
        &mut self,
        moves: &mut Vec<(usize, isize)>,
        n_state: usize,
        prelude: usize,
        start: usize,
    ) -> Option<(usize, usize)> {
        let first_label = self.asm.first_label.unwrap_or(usize::MAX);
        let mut probing = false;
        let mut sized = true;
        for i in 0..self.asm.vars.len() {
            let v = self.asm.vars[i];
            let op = *self.asm.ops.get(v.at)?;
            let value = self.var_value(v.var, n_state, prelude, start);
            if op.operand() == Some((value as i64).wrapping_add(v.add)) {
                continue;
            }
            let now = resolve(op, &v, value)?;
            if !probing {
                probing = true;
                self.asm.probe_begin();
            }
            let sizes = self.asm.probe_size(op).zip(self.asm.probe_size(now));
            match sizes {
                Some((was, is)) if was > 0 => {
                    if is != was {
                        // A call that moves the labels after some label would change the
                        // distances of branches across it, and so perhaps their forms.
                        if v.pos >= first_label {
                            sized = false;
                            break;
                        }
                        moves.push((v.pos, is as isize - was as isize));
                    }
                }
                _ => {
                    sized = false;
                    break;
                }
            }
        }
        if probing {
            self.asm.probe.take_refusal();
            self.asm.probe.abort_pass();
        }
        if !sized {
            return None;
        }
        if let Some((at, by)) = self.asm.asm.carried_move() {
            if by != 0 {
                let k = moves.partition_point(|&(pos, _)| pos <= at);
                moves.insert(k, (at, by));
            }
        }
        if moves.last().is_some_and(|&(at, _)| at >= first_label) {
            return None;
        }
        let mut shift = 0isize;
        for m in moves.iter_mut() {
            shift = shift.checked_add(m.1)?;
            m.1 = shift;
        }
        let moved = |o: usize| asm::shifted(moves, o);
        // Viper writes no prelude here, and only a generator marks where it resumes: their
        // offsets stay as they are.
        let to_prelude = if self.viper { prelude } else { moved(prelude)? };
        let to_start = if self.asm.marked_start {
            moved(start)?
        } else {
            start
        };
        if (to_prelude, to_start) != (prelude, start) {
            for i in 0..self.asm.vars.len() {
                let v = self.asm.vars[i];
                if !matches!(v.var, Var::PreludeOffset | Var::StartOffset) {
                    continue;
                }
                let op = *self.asm.ops.get(v.at)?;
                let then = resolve(op, &v, self.var_value(v.var, n_state, prelude, start))?;
                let now = resolve(op, &v, self.var_value(v.var, n_state, to_prelude, to_start))?;
                if then != now && !self.asm.probe_alike(then, now) {
                    return None;
                }
            }
        }
        Some((to_prelude, to_start))
    }

    /// The value of `var` for a pass, with the `n_state`, prelude and resume offsets given.
    fn var_value(&self, var: Var, n_state: usize, prelude: usize, start: usize) -> usize {
        match var {
            Var::NState => n_state,
            Var::PreludeOffset => prelude,
            Var::StartOffset => start,
            Var::NumObj => self.const_table_num_obj,
        }
    }

    /// Replays the tape as `pass`; `early`: as the emit pass in place of the code-size pass,
    /// with the prelude and resume offsets `plan_early` gave, which must find its layout
    /// again. False, with the assembler's pass abandoned and the offsets of the last pass
    /// kept, where it could not.
    fn replay_pass_as(
        &mut self,
        pass: Pass,
        scope: &mut Scope,
        early: Option<(usize, usize)>,
    ) -> bool {
        let (prelude_offset, start_offset) = (self.prelude_offset, self.start_offset);
        if let Some((to_prelude, to_start)) = early {
            self.prelude_offset = to_prelude;
            self.start_offset = to_start;
        }
        self.begin(pass, scope, true);
        let layout = self.layout();
        let mut whole = layout == self.asm.layout;
        if whole {
            self.stack_start = layout.stack_start;
            let ops = std::mem::take(&mut self.asm.ops);
            let vars = std::mem::take(&mut self.asm.vars);
            whole = self.replay_ops(&ops, &vars)
                && (self.viper || self.write_prelude().is_ok())
                && self.asm.asm.take_refusal().is_none();
            self.asm.ops = ops;
            self.asm.vars = vars;
            if let Some((to_prelude, to_start)) = early {
                whole = whole
                    && self.prelude_offset == to_prelude
                    && self.start_offset == to_start
                    && self.asm.asm.code_pos() == self.asm.asm.code().len()
                    && self.asm.asm.repeats_last_pass();
            }
        }
        if !whole {
            self.prelude_offset = prelude_offset;
            self.start_offset = start_offset;
            self.asm.asm.abort_pass();
            return false;
        }
        scope.stack_size = self.scope_stack_size.min(usize::from(u16::MAX)) as u16;
        scope.scope_flags = self.scope_flags;
        let r = self.close(scope);
        self.check(r);
        true
    }

    /// Replays the taped calls; false at the first the assembler stops at, notes a refusal
    /// for or answers otherwise.
    fn replay_ops(&mut self, ops: &[Op], vars: &[VarOperand]) -> bool {
        let mut from = 0;
        for v in vars.iter().map(Some).chain(std::iter::once(None)) {
            let to = v.map_or(ops.len(), |v| v.at);
            for &op in ops.get(from..to).unwrap_or(&[]) {
                if !self.replay_op(op) {
                    return false;
                }
            }
            let Some(v) = v else { break };
            let value = self.var_value(v.var, self.n_state, self.prelude_offset, self.start_offset);
            match ops.get(to).and_then(|&op| resolve(op, v, value)) {
                Some(op) if self.replay_op(op) => {}
                _ => return false,
            }
            from = to + 1;
        }
        true
    }

    /// Replays one call; false where the replay cannot follow the tape.
    #[inline(always)]
    fn replay_op(&mut self, op: Op) -> bool {
        match replay_call(&mut self.asm.asm, op) {
            Ok(Replayed::Done) => {}
            Ok(Replayed::Start) => self.start_offset = self.asm.asm.code_pos(),
            Ok(Replayed::Fixed(loc)) => {
                if self.pass == Pass::Emit {
                    let (kind, qstr) = match op {
                        Op::MovRegImmFixWord(_, obj) => (2, (obj >> 2) as u16),
                        Op::MovRegImmFixU16(_, q) => (1, q as u16),
                        _ => return false,
                    };
                    self.qstr_links.push(QstrLink {
                        off: link_off(loc, kind),
                        qstr: Qstr(qstr),
                    });
                }
            }
            Ok(Replayed::Diverged) | Err(_) => return false,
        }
        self.asm.asm.take_refusal().is_none()
    }
}
