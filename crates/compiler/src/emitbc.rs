//! The bytecode emitter: turns [`Emit`](crate::emit::Emit) calls into MicroPython 1.11 bytecode
//! (`.mpy` v4), or into the bytecode of 1.12 to 1.18 (`.mpy` v5, [`BytecodeForm::V5`]).
//!
//! The v5 form keeps 1.11's layout (qstrs inline, objects and raw codes through the const
//! table, 16-bit jumps) with the opcode numbering 1.12 introduced (the one v6 kept,
//! [`opcodes`]), `RAISE_LAST + n` for `RAISE_VARARGS n`, the packed prelude signature and size
//! of 1.12's `py/bc.h` and the cell list at the end of the code info instead of at the head of
//! the bytecode.
//!
//! Mirrors `py/emitbc.c` as mpy-cross 1.11 builds it (persistent code on, so qstrs are written
//! inline as their 16-bit numbers and objects and raw codes go through the const table). One
//! emitter serves every scope of a compilation.
//!
//! The reference walks each scope three times (stack size, code size, emit) because it writes
//! into memory sized by the walk before. This emitter needs one walk: it appends the bytecode
//! as it is asked for it, with jump offsets left blank, raw-code indices written with a
//! provisional length and source lines kept as (offset, line) pairs, and when the walk ends
//! (module `layout`) it fills in the jumps, re-encodes any raw-code index whose length the final
//! object count changed, and writes the prelude and code info in front, byte for byte as the
//! reference's emit pass leaves its memory (including the zero byte left when the code-info
//! size fits in one byte although two were reserved for it). So [`Emit::single_walk`] is true
//! and the compiler runs only [`Pass::Emit`] over a bytecode scope; driven through all three
//! passes, the emitter records in each and stores the raw code at the end of the emit pass.
//!
//! [`Emit::single_walk`]: crate::emit::Emit::single_walk

mod layout;
mod opcodes;
mod ops;

use mpcore::Qstr;
use rawcode::Const;

use crate::emit::{Label, Pass};
use crate::scope::{IdKind, Scope, ScopeId};
use crate::CompileContext;
use opcodes::Opcodes;

/// The bytecode a generation writes through this emitter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BytecodeForm {
    /// `.mpy` v4: MicroPython 1.11.
    V4,
    /// `.mpy` v5: MicroPython 1.12 to 1.18.
    V5,
}

impl BytecodeForm {
    /// The form of `release`'s bytecode (v4 for any release not of the v5 generation).
    pub fn of(release: mpcore::Release) -> BytecodeForm {
        match release.generation() {
            mpcore::Generation::Mpy5 => BytecodeForm::V5,
            _ => BytecodeForm::V4,
        }
    }
}

/// The qstr `*`, used as the name of an argument slot with no parameter (`MP_QSTR__star_`).
const QSTR_STAR: Qstr = Qstr(5);

/// Value-stack slots an iterator buffer takes (`MP_OBJ_ITER_BUF_NSLOTS` on a 64-bit host).
pub(crate) const ITER_BUF_NSLOTS: i64 = 4;

/// Most labels one scope may use; beyond this the emitter refuses the scope (the reference
/// would have run out of its 2 MiB heap long before).
const MAX_LABELS: usize = 1 << 22;

/// Label offset of a label not assigned in the current pass (the reference fills its label
/// table with `-1` before each sizing pass).
const UNASSIGNED: u64 = u64::MAX;

/// Longest var-uint (`(64 + 6) / 7` bytes) plus an opcode byte.
const MAX_OP_BYTES: usize = 11;

/// Why the emitter could not produce a scope's raw code (the reference would fail an assertion
/// in these cases). The scope is then left without a raw code, which linking reports, and
/// [`BytecodeEmitter::fault`] keeps the first such fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmitFault {
    /// The code-info size does not fit the two bytes the reference reserves for it (it aborts
    /// on an assertion then, which takes more than 16383 bytes of line-number table in one
    /// scope).
    #[error("code info of a scope too large (mpy-cross 1.11 aborts on this input too)")]
    CodeInfoOverflow,
    /// A label number too large to track.
    #[error("too many labels")]
    TooManyLabels,
    /// A local that becomes a cell has slot number 255 or more (the cell list holds bytes and
    /// ends with 255; the reference aborts on an assertion).
    #[error("a closed-over variable has local slot 255 or more (mpy-cross 1.11 aborts on this input too)")]
    CellLocalTooLarge,
    /// More than 255 positional or keyword-only parameters, and a const table with objects or
    /// children: the reference's prelude holds the counts as bytes and its `.mpy` writer then
    /// saves argument names in place of the objects (a corrupt file this emitter does not copy).
    #[error("more than 255 parameters in a function with constants (mpy-cross 1.11 writes a corrupt file here)")]
    TooManyParameters,
}

/// The growable buffers of an emitter, emptied: an emitter given back with
/// [`BytecodeEmitter::recycle`] leaves them in the [`CompileContext`] for the next one (one
/// compilation after another need not allocate them again).
#[derive(Debug)]
pub(crate) struct Buffers {
    lines: Vec<(usize, u64)>,
    line_table: Vec<u8>,
    label_offsets: Vec<u64>,
    code: Vec<u8>,
    jumps: Vec<Jump>,
    raw_code_refs: Vec<RawCodeRef>,
    qstr_ops: Vec<u32>,
    consts: Vec<Const>,
    children: Vec<ScopeId>,
}

impl Buffers {
    /// Buffers sized for a typical scope.
    fn new() -> Buffers {
        Buffers {
            lines: Vec::with_capacity(64),
            line_table: Vec::with_capacity(64),
            label_offsets: Vec::with_capacity(64),
            code: Vec::with_capacity(1024),
            jumps: Vec::with_capacity(32),
            raw_code_refs: Vec::with_capacity(16),
            qstr_ops: Vec::with_capacity(64),
            consts: Vec::with_capacity(16),
            children: Vec::with_capacity(16),
        }
    }
}

/// Buffers larger than this (in bytes of bytecode) are not kept for reuse.
const SPARE_CODE_MAX: usize = 1 << 20;

/// A jump whose 16-bit offset is filled in when the walk ends.
#[derive(Clone, Copy, Debug)]
struct Jump {
    /// Offset of the opcode in the bytecode.
    at: usize,
    label: Label,
    /// Signed (excess 0x8000) rather than unsigned offset.
    signed: bool,
}

/// A raw-code const-table index, written with a provisional length (the object count is only
/// known when the walk ends).
#[derive(Clone, Copy, Debug)]
struct RawCodeRef {
    /// Offset of the var-uint operand in the bytecode.
    at: usize,
    /// Its length as written.
    len: u8,
    /// Which raw code of the scope (`ct_cur_raw_code` when it was written).
    k: u16,
}

/// The bytecode back end (`emit_t` of `py/emitbc.c`). Reuse one value for all the scopes of a
/// compilation: its buffers keep their capacity between scopes.
#[derive(Debug)]
pub struct BytecodeEmitter {
    /// Which generation's bytecode is written.
    form: BytecodeForm,
    /// That generation's opcode numbers.
    op: &'static Opcodes,
    /// `-mcache-lookup-bc`: a cache byte follows `LOAD_NAME`, `LOAD_GLOBAL`, `LOAD_ATTR` and
    /// `STORE_ATTR`.
    cache_lookup_bc: bool,
    /// The `-O` level; at 3 and above no line numbers are recorded.
    opt_level: u8,
    /// What [`Emit::single_walk`](crate::emit::Emit::single_walk) answers (true unless set).
    single_walk: bool,

    pass: Pass,
    last_emit_was_return_value: bool,
    /// Current value-stack depth.
    stack_size: i64,

    // Facts of the scope being emitted, copied at `start_pass`.
    /// Maximum stack depth so far (`scope->stack_size`, written back at `end_pass`).
    scope_stack_size: u16,
    /// Scope flags the walk added (`yield` adds the generator flag; merged at `end_pass`).
    scope_flags: u16,
    /// Number of argument names at the head of the const table.
    n_arg_names: u64,
    /// Number of argument names the reference's writer saves: the prelude's byte-sized counts.
    n_saved_arg_names: usize,

    /// The last source line recorded.
    last_source_line: u64,
    /// (bytecode offset, line) each time the source line grew, in order.
    lines: Vec<(usize, u64)>,
    /// The line-number table made from `lines` (a buffer kept between scopes).
    line_table: Vec<u8>,

    label_offsets: Vec<u64>,
    /// One past the highest label assigned since the offsets were last cleared: every entry
    /// from here on is unassigned, so clearing touches only the ones below.
    labels_assigned: usize,

    /// The bytecode: the cell list, 255, then the opcodes.
    code: Vec<u8>,
    /// Jumps to fill in.
    jumps: Vec<Jump>,
    /// Raw-code indices to check (and re-encode if their length changed).
    raw_code_refs: Vec<RawCodeRef>,
    /// Where in `code` each opcode with an inline qstr operand starts, in order.
    qstr_ops: Vec<u32>,

    /// Objects put in the const table so far in this pass.
    ct_cur_obj: u16,
    /// Raw codes put in the const table so far in this pass.
    ct_cur_raw_code: u16,

    arg_names: Vec<Qstr>,
    consts: Vec<Const>,
    children: Vec<ScopeId>,
    /// Emptied lists for the raw-code children of scopes, lent by the compile context.
    spare_child_lists: Vec<Vec<ScopeId>>,

    /// The first fault since the emitter was made.
    fault: Option<EmitFault>,
    /// Whether the scope being emitted has faulted.
    scope_faulted: bool,
}

impl BytecodeEmitter {
    /// An emitter for `target`'s lookup-cache setting at optimisation level `opt_level`, with
    /// buffers sized for a typical scope.
    pub fn new(cache_lookup_bc: bool, opt_level: u8) -> BytecodeEmitter {
        BytecodeEmitter::with_buffers(cache_lookup_bc, opt_level, Buffers::new(), Vec::new())
    }

    /// An emitter set up from the compile options (`target.cache_lookup_bc`, `opt_level`).
    pub fn from_options(opts: &crate::options::CompileOptions) -> BytecodeEmitter {
        BytecodeEmitter::new(opts.target.cache_lookup_bc, opts.opt_level)
    }

    /// An emitter set up from the compile options, with the buffers and lists `ctx` kept from
    /// earlier compilations; give them back with [`BytecodeEmitter::recycle`].
    pub fn reusing(
        opts: &crate::options::CompileOptions,
        ctx: &mut CompileContext,
    ) -> BytecodeEmitter {
        let child_lists = std::mem::take(&mut ctx.scope_spares.child_lists);
        let b = ctx.emit_buffers.take().unwrap_or_else(Buffers::new);
        BytecodeEmitter::with_buffers(opts.target.cache_lookup_bc, opts.opt_level, b, child_lists)
            .with_form(BytecodeForm::of(opts.target.release))
    }

    /// The emitter writing `form`'s bytecode (v4 unless set).
    pub fn with_form(mut self, form: BytecodeForm) -> BytecodeEmitter {
        self.form = form;
        self.op = match form {
            BytecodeForm::V4 => &opcodes::V4,
            BytecodeForm::V5 => &opcodes::V5,
        };
        self
    }

    /// Leaves the emitter's buffers, emptied, in `ctx` for the next compilation (unless a huge
    /// input made them too large to be worth holding on to).
    pub fn recycle(self, ctx: &mut CompileContext) {
        ctx.scope_spares.child_lists = self.spare_child_lists;
        if self.code.capacity() > SPARE_CODE_MAX {
            return;
        }
        let mut b = Buffers {
            lines: self.lines,
            line_table: self.line_table,
            label_offsets: self.label_offsets,
            code: self.code,
            jumps: self.jumps,
            raw_code_refs: self.raw_code_refs,
            qstr_ops: self.qstr_ops,
            consts: self.consts,
            children: self.children,
        };
        // Empty, so that the next emitter starts as a new one would (no label assigned).
        b.lines.clear();
        b.line_table.clear();
        b.label_offsets.clear();
        b.code.clear();
        b.jumps.clear();
        b.raw_code_refs.clear();
        b.qstr_ops.clear();
        b.consts.clear();
        b.children.clear();
        ctx.emit_buffers = Some(b);
    }

    fn with_buffers(
        cache_lookup_bc: bool,
        opt_level: u8,
        b: Buffers,
        spare_child_lists: Vec<Vec<ScopeId>>,
    ) -> BytecodeEmitter {
        BytecodeEmitter {
            form: BytecodeForm::V4,
            op: &opcodes::V4,
            cache_lookup_bc,
            opt_level,
            single_walk: true,
            pass: Pass::Scope,
            last_emit_was_return_value: false,
            stack_size: 0,
            scope_stack_size: 0,
            scope_flags: 0,
            n_arg_names: 0,
            n_saved_arg_names: 0,
            last_source_line: 1,
            lines: b.lines,
            line_table: b.line_table,
            label_offsets: b.label_offsets,
            labels_assigned: 0,
            code: b.code,
            jumps: b.jumps,
            raw_code_refs: b.raw_code_refs,
            qstr_ops: b.qstr_ops,
            ct_cur_obj: 0,
            ct_cur_raw_code: 0,
            arg_names: Vec::new(),
            consts: b.consts,
            children: b.children,
            spare_child_lists,
            fault: None,
            scope_faulted: false,
        }
    }

    /// Asks the compiler for the reference's three passes over each scope instead of one walk
    /// (`false`); the output is the same either way, as the tests check.
    pub fn set_single_walk(&mut self, single_walk: bool) {
        self.single_walk = single_walk;
    }

    /// The first fault met since the emitter was made, if any: some scope was then left
    /// without a raw code.
    pub fn fault(&self) -> Option<EmitFault> {
        self.fault
    }

    fn set_fault(&mut self, fault: EmitFault) {
        self.scope_faulted = true;
        if self.fault.is_none() {
            self.fault = Some(fault);
        }
    }

    // ----- writing bytecode -----

    #[inline]
    fn write_bytecode(&mut self, bytes: &[u8]) {
        self.code.extend_from_slice(bytes);
    }

    #[inline]
    pub(crate) fn write_byte(&mut self, b: u8) {
        self.code.push(b);
    }

    #[inline]
    pub(crate) fn write_byte_uint(&mut self, op: u8, val: u64) {
        if val < 0x80 {
            self.write_bytecode(&[op, val as u8]);
        } else {
            self.write_byte_long_uint(op, val);
        }
    }

    /// [`Self::write_byte_uint`] for an operand of more than one byte.
    #[inline(never)]
    fn write_byte_long_uint(&mut self, op: u8, val: u64) {
        let mut buf = [0u8; MAX_OP_BYTES];
        buf[0] = op;
        let n = encode_uint(&mut buf[1..], val);
        self.write_bytecode(&buf[..=n]);
    }

    pub(crate) fn write_byte_int(&mut self, op: u8, val: i64) {
        let mut buf = [0u8; MAX_OP_BYTES + 1];
        buf[0] = op;
        let n = encode_int(&mut buf[1..], val);
        self.write_bytecode(&buf[..=n]);
    }

    #[inline]
    pub(crate) fn write_byte_qstr(&mut self, op: u8, qst: Qstr) {
        self.qstr_ops.push(self.code.len() as u32);
        let [lo, hi] = qst.0.to_le_bytes();
        self.write_bytecode(&[op, lo, hi]);
    }

    /// An opcode taking a const-table index of an object; the object joins the const table.
    pub(crate) fn write_byte_obj(&mut self, op: u8, obj: Const) {
        let index = self.n_arg_names + u64::from(self.ct_cur_obj);
        self.ct_cur_obj = self.ct_cur_obj.wrapping_add(1);
        self.consts.push(obj);
        self.write_byte_uint(op, index);
    }

    /// An opcode taking a const-table index of a child's raw code. The index counts all the
    /// scope's objects, so its length is provisional (the objects so far) until the walk ends.
    pub(crate) fn write_byte_raw_code(&mut self, op: u8, child: ScopeId) {
        let k = self.ct_cur_raw_code;
        self.ct_cur_raw_code = self.ct_cur_raw_code.wrapping_add(1);
        self.children.push(child);
        let provisional = self.n_arg_names + u64::from(self.ct_cur_obj) + u64::from(k);
        self.write_byte(op);
        let at = self.code.len();
        let mut buf = [0u8; MAX_OP_BYTES];
        let n = encode_uint(&mut buf, provisional);
        self.write_bytecode(&buf[..n]);
        self.raw_code_refs.push(RawCodeRef {
            at,
            len: n as u8,
            k,
        });
    }

    /// A jump relative to the end of this 3-byte instruction, unsigned 16 bits.
    pub(crate) fn write_byte_unsigned_label(&mut self, op: u8, label: Label) {
        self.write_jump(op, label, false);
    }

    /// A jump relative to the end of this 3-byte instruction, signed 16 bits in excess 0x8000.
    pub(crate) fn write_byte_signed_label(&mut self, op: u8, label: Label) {
        self.write_jump(op, label, true);
    }

    #[inline]
    fn write_jump(&mut self, op: u8, label: Label, signed: bool) {
        let at = self.code.len();
        self.jumps.push(Jump { at, label, signed });
        self.write_bytecode(&[op, 0, 0]);
    }

    // ----- stack accounting -----

    #[inline]
    pub(crate) fn adjust_stack(&mut self, delta: i64) {
        self.stack_size += delta;
        if self.stack_size > i64::from(self.scope_stack_size) {
            self.scope_stack_size = self.stack_size as u16;
        }
        self.last_emit_was_return_value = false;
    }

    pub(crate) fn assign_label(&mut self, label: Label) {
        self.adjust_stack(0);
        let l = label as usize;
        if l >= MAX_LABELS {
            self.set_fault(EmitFault::TooManyLabels);
            return;
        }
        if l >= self.label_offsets.len() {
            self.label_offsets.resize(l + 1, UNASSIGNED);
        }
        self.label_offsets[l] = self.code.len() as u64;
        self.labels_assigned = self.labels_assigned.max(l + 1);
    }

    pub(crate) fn set_generator_flag(&mut self) {
        self.scope_flags |= crate::runtime0::SCOPE_FLAG_GENERATOR;
    }

    pub(crate) fn set_last_emit_was_return_value(&mut self) {
        self.last_emit_was_return_value = true;
    }

    // ----- passes -----

    fn begin(&mut self, pass: Pass, scope: &Scope) {
        self.pass = pass;
        self.stack_size = 0;
        self.last_emit_was_return_value = false;
        self.scope_stack_size = scope.stack_size;
        self.scope_flags = 0;
        self.n_arg_names = u64::from(scope.num_pos_args) + u64::from(scope.num_kwonly_args);
        // v4's prelude holds the counts as bytes (the writer saves that many names); v5's
        // packed signature holds them in full.
        self.n_saved_arg_names = match self.form {
            BytecodeForm::V4 => {
                usize::from(scope.num_pos_args as u8) + usize::from(scope.num_kwonly_args as u8)
            }
            BytecodeForm::V5 => {
                usize::from(scope.num_pos_args) + usize::from(scope.num_kwonly_args)
            }
        };
        self.last_source_line = 1;
        self.lines.clear();
        self.scope_faulted = false;
        let used = self.labels_assigned.min(self.label_offsets.len());
        self.label_offsets[..used].fill(UNASSIGNED);
        self.labels_assigned = 0;
        self.code.clear();
        self.jumps.clear();
        self.raw_code_refs.clear();
        self.qstr_ops.clear();
        self.ct_cur_obj = 0;
        self.ct_cur_raw_code = 0;
        self.consts.clear();
        self.children.clear();

        if self.form == BytecodeForm::V5 {
            // The cell list goes at the end of the code info.
            return;
        }
        // Bytecode prelude: the locals that become cells, then 255.
        for id in &scope.id_info {
            if id.kind == IdKind::Cell {
                if id.local_num >= 255 {
                    self.set_fault(EmitFault::CellLocalTooLarge);
                }
                self.write_byte(id.local_num as u8);
            }
        }
        self.write_byte(255);
    }

    fn finish(&mut self, scope: &mut Scope) {
        scope.scope_flags |= self.scope_flags;
        scope.stack_size = scope.stack_size.max(self.scope_stack_size);
        if self.pass == Pass::Emit {
            self.store_raw_code(scope);
        }
    }

    fn source_line(&mut self, line: u32) {
        if self.opt_level >= 3 {
            return;
        }
        let line = u64::from(line);
        if line > self.last_source_line {
            self.lines.push((self.code.len(), line));
            self.last_source_line = line;
        }
    }
}

/// `n_state` of a scope's prelude: its locals and its stack, at least one slot.
fn n_state(scope: &Scope) -> u64 {
    (u64::from(scope.num_locals) + u64::from(scope.stack_size)).max(1)
}

/// The number of bytes [`encode_uint`] writes for `val`.
fn uint_len(val: u64) -> u64 {
    let bits = 64 - u64::from(val.leading_zeros());
    bits.div_ceil(7).max(1)
}

/// Writes `val` as a var-uint (7 bits a byte, most significant first, high bit set on all but
/// the last byte) at the start of `out`; returns the number of bytes written.
#[inline]
pub fn encode_uint(out: &mut [u8], mut val: u64) -> usize {
    if val < 0x80 {
        if let Some(b) = out.first_mut() {
            *b = val as u8;
            return 1;
        }
    }
    let mut tmp = [0u8; 10];
    let mut p = tmp.len();
    loop {
        p -= 1;
        tmp[p] = (val & 0x7f) as u8;
        val >>= 7;
        if val == 0 {
            break;
        }
    }
    copy_groups(out, &tmp[p..])
}

/// Writes `val` as a signed var-int (like [`encode_uint`], with the top data bit of the first
/// byte giving the sign, plus a sign byte when needed); returns the number of bytes written.
pub fn encode_int(out: &mut [u8], mut val: i64) -> usize {
    let mut tmp = [0u8; 11];
    let mut p = tmp.len();
    loop {
        p -= 1;
        tmp[p] = (val & 0x7f) as u8;
        val >>= 7;
        if val == 0 || val == -1 {
            break;
        }
    }
    if val == -1 && tmp[p] & 0x40 == 0 {
        p -= 1;
        tmp[p] = 0x7f;
    } else if val == 0 && tmp[p] & 0x40 != 0 {
        p -= 1;
        tmp[p] = 0;
    }
    copy_groups(out, &tmp[p..])
}

fn copy_groups(out: &mut [u8], groups: &[u8]) -> usize {
    let n = groups.len().min(out.len());
    for (i, (dst, g)) in out.iter_mut().zip(groups).enumerate() {
        *dst = if i + 1 < n { g | 0x80 } else { *g };
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uint(v: u64) -> Vec<u8> {
        let mut b = [0u8; 10];
        let n = encode_uint(&mut b, v);
        b[..n].to_vec()
    }

    fn int(v: i64) -> Vec<u8> {
        let mut b = [0u8; 11];
        let n = encode_int(&mut b, v);
        b[..n].to_vec()
    }

    #[test]
    fn var_uint() {
        assert_eq!(uint(0), [0]);
        assert_eq!(uint(0x7f), [0x7f]);
        assert_eq!(uint(0x80), [0x81, 0x00]);
        assert_eq!(uint(0x3fff), [0xff, 0x7f]);
        assert_eq!(uint(0x4000), [0x81, 0x80, 0x00]);
        assert_eq!(uint(u64::MAX).len(), 10);
    }

    #[test]
    fn var_uint_length_without_writing() {
        for v in [0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 1 << 35, u64::MAX] {
            assert_eq!(uint_len(v), uint(v).len() as u64, "{v:#x}");
        }
    }

    #[test]
    fn var_int() {
        assert_eq!(int(0), [0]);
        assert_eq!(int(63), [0x3f]);
        assert_eq!(int(64), [0x80, 0x40]);
        assert_eq!(int(-1), [0x7f]);
        assert_eq!(int(-64), [0x40]);
        assert_eq!(int(-65), [0xff, 0x3f]);
        assert_eq!(int(i64::MIN).len(), 10);
        assert_eq!(int(i64::MAX).len(), 10);
    }
}
