//! The bytecode emitter: turns [`Emit`](crate::emit::Emit) calls into MicroPython 1.11 bytecode.
//!
//! Mirrors `py/emitbc.c` as mpy-cross 1.11 builds it (persistent code on, so qstrs are written
//! inline as their 16-bit numbers and objects and raw codes go through the const table). One
//! emitter serves every scope of a compilation; each scope is driven through the reference's
//! three passes: [`Pass::StackSize`] finds the maximum stack depth, [`Pass::CodeSize`] finds the
//! sizes of the code info and of the bytecode and the offsets of the labels, and [`Pass::Emit`]
//! writes the bytes, the const table and the argument names into a [`RawCode`] stored in the
//! scope. The code-size pass also finds the stack depth, so the compiler may skip the
//! stack-size pass: the only thing the depth changes before the emit pass is the length of the
//! `n_state` var-uint at the start of the code info, corrected when the code-size pass ends.
//!
//! The code info and the bytecode share one buffer (`code_base`), laid out exactly as the
//! reference lays them out in memory: the bytes of `fun_data` are that memory, including the
//! zero byte the reference leaves when the code-info size fits in one byte although two were
//! reserved for it.

mod ops;

use mpcore::Qstr;
use rawcode::{CodeKind, Const, RawCode};

use crate::emit::{Label, Pass};
use crate::scope::{IdKind, Scope, ScopeId, ID_FLAG_IS_PARAM};

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
    /// The code info outgrew the size found in the code-size pass (the reference aborts on an
    /// assertion: its code-info size field outgrew the two bytes reserved for it, which takes
    /// more than 16383 bytes of line-number table in one scope).
    #[error("code info of a scope too large (mpy-cross 1.11 aborts on this input too)")]
    CodeInfoOverflow,
    /// The bytecode outgrew the size found in the code-size pass.
    #[error("bytecode of a scope larger than its size pass found")]
    BytecodeOverflow,
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

/// The bytecode back end (`emit_t` of `py/emitbc.c`). Reuse one value for all the scopes of a
/// compilation: its buffers keep their capacity between scopes.
#[derive(Debug)]
pub struct BytecodeEmitter {
    /// `-mcache-lookup-bc`: a cache byte follows `LOAD_NAME`, `LOAD_GLOBAL`, `LOAD_ATTR` and
    /// `STORE_ATTR`.
    cache_lookup_bc: bool,
    /// The `-O` level; at 3 and above no line numbers are recorded.
    opt_level: u8,

    pass: Pass,
    last_emit_was_return_value: bool,
    /// Current value-stack depth.
    stack_size: i64,

    // Facts of the scope being emitted, copied at `start_pass`.
    /// Maximum stack depth so far (`scope->stack_size`, written back at `end_pass`).
    scope_stack_size: u16,
    /// Scope flags (`yield` adds the generator flag; written back at `end_pass`).
    scope_flags: u16,
    /// Number of argument names at the head of the const table.
    n_arg_names: u64,
    /// Number of argument names the reference's writer saves: the prelude's byte-sized counts.
    n_saved_arg_names: usize,

    last_source_line_offset: u64,
    last_source_line: u64,

    label_offsets: Vec<u64>,
    /// One past the highest label assigned since the offsets were last cleared: every entry
    /// from here on is unassigned, so clearing touches only the ones below.
    labels_assigned: usize,

    code_info_offset: u64,
    code_info_size: u64,
    /// Length of the `n_state` var-uint the code-size pass wrote (from the stack depth known
    /// when it began).
    sized_n_state_len: u64,
    bytecode_offset: u64,
    bytecode_size: u64,
    /// Code info followed by bytecode; allocated at the end of the code-size pass.
    code_base: Vec<u8>,

    /// Objects put in the const table so far in this pass.
    ct_cur_obj: u16,
    /// Objects in the const table, as counted by the previous pass (the reference does not
    /// reset it between scopes, so a stack-size pass sees the previous scope's count).
    ct_num_obj: u16,
    /// Raw codes put in the const table so far in this pass.
    ct_cur_raw_code: u16,
    /// The code-size pass just ended sized some raw-code index with an object count that was
    /// not the scope's (no stack-size pass counted them first): it must run again.
    size_again: bool,

    arg_names: Vec<Qstr>,
    consts: Vec<Const>,
    children: Vec<ScopeId>,

    /// The first fault since the emitter was made.
    fault: Option<EmitFault>,
    /// Whether the scope being emitted has faulted.
    scope_faulted: bool,
}

impl BytecodeEmitter {
    /// An emitter for `target`'s lookup-cache setting at optimisation level `opt_level`.
    pub fn new(cache_lookup_bc: bool, opt_level: u8) -> BytecodeEmitter {
        BytecodeEmitter {
            cache_lookup_bc,
            opt_level,
            pass: Pass::Scope,
            last_emit_was_return_value: false,
            stack_size: 0,
            scope_stack_size: 0,
            scope_flags: 0,
            n_arg_names: 0,
            n_saved_arg_names: 0,
            last_source_line_offset: 0,
            last_source_line: 1,
            label_offsets: Vec::new(),
            labels_assigned: 0,
            code_info_offset: 0,
            code_info_size: 0,
            sized_n_state_len: 0,
            bytecode_offset: 0,
            bytecode_size: 0,
            code_base: Vec::new(),
            ct_cur_obj: 0,
            ct_num_obj: 0,
            size_again: false,
            ct_cur_raw_code: 0,
            arg_names: Vec::new(),
            consts: Vec::new(),
            children: Vec::new(),
            fault: None,
            scope_faulted: false,
        }
    }

    /// An emitter set up from the compile options (`target.cache_lookup_bc`, `opt_level`).
    pub fn from_options(opts: &crate::CompileOptions) -> BytecodeEmitter {
        BytecodeEmitter::new(opts.target.cache_lookup_bc, opts.opt_level)
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

    // ----- writing code info -----

    /// Reserves `n` bytes of code info; in the emit pass returns where they go in `code_base`.
    fn code_info_reserve(&mut self, n: u64) -> Option<usize> {
        let at = self.code_info_offset;
        self.code_info_offset += n;
        if self.pass < Pass::Emit {
            return None;
        }
        if self.code_info_offset > self.code_info_size {
            self.set_fault(EmitFault::CodeInfoOverflow);
            return None;
        }
        Some(at as usize)
    }

    fn write_code_info(&mut self, bytes: &[u8]) {
        if let Some(at) = self.code_info_reserve(bytes.len() as u64) {
            if let Some(dst) = self.code_base.get_mut(at..at + bytes.len()) {
                dst.copy_from_slice(bytes);
            }
        }
    }

    fn write_code_info_uint(&mut self, val: u64) {
        let mut buf = [0u8; MAX_OP_BYTES];
        let n = encode_uint(&mut buf, val);
        self.write_code_info(&buf[..n]);
    }

    fn write_code_info_qstr(&mut self, qst: Qstr) {
        self.write_code_info(&qst.0.to_le_bytes());
    }

    /// Appends (bytes, lines) deltas to the line-number table, split into the 1-byte form
    /// `0LLBBBBB` and the 2-byte form `1LLLBBBB LLLLLLLL` as the reference splits them.
    fn write_code_info_bytes_lines(&mut self, mut bytes_to_skip: u64, mut lines_to_skip: u64) {
        while bytes_to_skip > 0 || lines_to_skip > 0 {
            let (b, l);
            if lines_to_skip <= 6 || bytes_to_skip > 0xf {
                b = bytes_to_skip.min(0x1f);
                l = if b < bytes_to_skip {
                    0
                } else {
                    lines_to_skip.min(0x3)
                };
                self.write_code_info(&[(b | (l << 5)) as u8]);
            } else {
                b = bytes_to_skip.min(0xf);
                l = lines_to_skip.min(0x7ff);
                self.write_code_info(&[(0x80 | b | ((l >> 4) & 0x70)) as u8, l as u8]);
            }
            bytes_to_skip -= b;
            lines_to_skip -= l;
        }
    }

    // ----- writing bytecode -----

    fn write_bytecode(&mut self, bytes: &[u8]) {
        let at = self.bytecode_offset;
        self.bytecode_offset += bytes.len() as u64;
        if self.pass < Pass::Emit {
            return;
        }
        if self.bytecode_offset > self.bytecode_size {
            self.set_fault(EmitFault::BytecodeOverflow);
            return;
        }
        let start = (self.code_info_size + at) as usize;
        if let Some(dst) = self.code_base.get_mut(start..start + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
    }

    pub(crate) fn write_byte(&mut self, b: u8) {
        self.write_bytecode(&[b]);
    }

    pub(crate) fn write_byte_uint(&mut self, op: u8, val: u64) {
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

    pub(crate) fn write_byte_qstr(&mut self, op: u8, qst: Qstr) {
        let [lo, hi] = qst.0.to_le_bytes();
        self.write_bytecode(&[op, lo, hi]);
    }

    /// An opcode taking a const-table index of an object; the object joins the const table.
    pub(crate) fn write_byte_obj(&mut self, op: u8, obj: Const) {
        let index = self.n_arg_names + u64::from(self.ct_cur_obj);
        self.ct_cur_obj = self.ct_cur_obj.wrapping_add(1);
        if self.pass == Pass::Emit {
            self.consts.push(obj);
        }
        self.write_byte_uint(op, index);
    }

    /// An opcode taking a const-table index of a child's raw code.
    pub(crate) fn write_byte_raw_code(&mut self, op: u8, child: ScopeId) {
        let index = self.n_arg_names + u64::from(self.ct_num_obj) + u64::from(self.ct_cur_raw_code);
        self.ct_cur_raw_code = self.ct_cur_raw_code.wrapping_add(1);
        if self.pass == Pass::Emit {
            self.children.push(child);
        }
        self.write_byte_uint(op, index);
    }

    fn label_offset(&self, label: Label) -> u64 {
        self.label_offsets
            .get(label as usize)
            .copied()
            .unwrap_or(UNASSIGNED)
    }

    /// A jump relative to the end of this 3-byte instruction, unsigned 16 bits.
    pub(crate) fn write_byte_unsigned_label(&mut self, op: u8, label: Label) {
        let rel = if self.pass < Pass::Emit {
            0
        } else {
            self.label_offset(label)
                .wrapping_sub(self.bytecode_offset)
                .wrapping_sub(3)
        };
        self.write_bytecode(&[op, rel as u8, (rel >> 8) as u8]);
    }

    /// A jump relative to the end of this 3-byte instruction, signed 16 bits in excess 0x8000.
    pub(crate) fn write_byte_signed_label(&mut self, op: u8, label: Label) {
        let rel = if self.pass < Pass::Emit {
            0
        } else {
            self.label_offset(label)
                .wrapping_sub(self.bytecode_offset)
                .wrapping_sub(3)
                .wrapping_add(0x8000)
        };
        self.write_bytecode(&[op, rel as u8, (rel >> 8) as u8]);
    }

    // ----- stack accounting -----

    pub(crate) fn adjust_stack(&mut self, delta: i64) {
        if self.pass == Pass::Scope {
            return;
        }
        self.stack_size += delta;
        if self.stack_size > i64::from(self.scope_stack_size) {
            self.scope_stack_size = self.stack_size as u16;
        }
        self.last_emit_was_return_value = false;
    }

    pub(crate) fn assign_label(&mut self, label: Label) {
        self.adjust_stack(0);
        if self.pass == Pass::Scope || self.pass == Pass::Emit {
            // The emit pass keeps the offsets the code-size pass found (they are equal).
            return;
        }
        let l = label as usize;
        if l >= MAX_LABELS {
            self.set_fault(EmitFault::TooManyLabels);
            return;
        }
        if l >= self.label_offsets.len() {
            self.label_offsets.resize(l + 1, UNASSIGNED);
        }
        self.label_offsets[l] = self.bytecode_offset;
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
        self.scope_flags = scope.scope_flags;
        self.n_arg_names = u64::from(scope.num_pos_args) + u64::from(scope.num_kwonly_args);
        self.n_saved_arg_names =
            usize::from(scope.num_pos_args as u8) + usize::from(scope.num_kwonly_args as u8);
        self.last_source_line_offset = 0;
        self.last_source_line = 1;
        if pass < Pass::Emit {
            self.scope_faulted = false;
        }
        if pass < Pass::Emit {
            let used = self.labels_assigned.min(self.label_offsets.len());
            self.label_offsets[..used].fill(UNASSIGNED);
            self.labels_assigned = 0;
        }
        self.bytecode_offset = 0;
        self.code_info_offset = 0;

        // Prelude: n_state and n_exc_stack as var-uints.
        let n_state = n_state(scope);
        self.sized_n_state_len = uint_len(n_state);
        self.write_code_info_uint(n_state);
        self.write_code_info_uint(u64::from(scope.exc_stack_size));

        // Scope flags and argument counts, one byte each.
        self.write_code_info(&[
            scope.scope_flags as u8,
            scope.num_pos_args as u8,
            scope.num_kwonly_args as u8,
            scope.num_def_pos_args as u8,
        ]);

        // Size of the rest of the code info: two bytes reserved while sizing.
        if pass == Pass::Emit {
            let rest = self.code_info_size.wrapping_sub(self.code_info_offset);
            self.write_code_info_uint(rest);
        } else {
            self.code_info_reserve(2);
        }

        self.write_code_info_qstr(scope.simple_name);
        self.write_code_info_qstr(scope.source_file);

        // Bytecode prelude: the locals that become cells, then 255.
        for id in &scope.id_info {
            if id.kind == IdKind::Cell {
                if id.local_num >= 255 && pass != Pass::Scope {
                    self.set_fault(EmitFault::CellLocalTooLarge);
                }
                self.write_byte(id.local_num as u8);
            }
        }
        self.write_byte(255);

        self.ct_cur_obj = 0;
        self.ct_cur_raw_code = 0;

        if pass == Pass::Emit {
            self.arg_names.clear();
            self.consts.clear();
            self.children.clear();
            let n_args = usize::from(scope.num_pos_args) + usize::from(scope.num_kwonly_args);
            for i in 0..n_args {
                let qst = scope
                    .id_info
                    .iter()
                    .find(|id| id.flags & ID_FLAG_IS_PARAM != 0 && usize::from(id.local_num) == i)
                    .map_or(QSTR_STAR, |id| id.qst);
                self.arg_names.push(qst);
            }
        }
    }

    fn finish(&mut self, scope: &mut Scope) {
        scope.scope_flags |= self.scope_flags;
        if self.pass == Pass::Scope {
            return;
        }
        scope.stack_size = scope.stack_size.max(self.scope_stack_size);

        // End of the line-number table.
        self.write_code_info(&[0]);

        if self.pass == Pass::CodeSize {
            // Raw-code indices come after the objects; their var-uint lengths were found with
            // the count the previous pass left. Exact when every one has the same length with
            // this scope's own count.
            let base = self.n_arg_names;
            let (guess, actual) = (u64::from(self.ct_num_obj), u64::from(self.ct_cur_obj));
            self.size_again = guess != actual
                && (0..u64::from(self.ct_cur_raw_code))
                    .any(|k| uint_len(base + guess + k) != uint_len(base + actual + k));
        }
        self.ct_num_obj = self.ct_cur_obj;

        if self.pass == Pass::CodeSize {
            // Without a stack-size pass before, the prelude began with the depth known then;
            // only the length of `n_state` can differ from what the emit pass will write.
            self.code_info_size =
                self.code_info_offset - self.sized_n_state_len + uint_len(n_state(scope));
            self.bytecode_size = self.bytecode_offset;
            let total = (self.code_info_size + self.bytecode_size) as usize;
            self.code_base.clear();
            self.code_base.resize(total, 0);
        } else if self.pass == Pass::Emit {
            if self.arg_names.len() > self.n_saved_arg_names {
                // The writer saves only as many names as the prelude's count bytes say; with no
                // objects or children after them nothing else moves.
                if self.consts.is_empty() && self.children.is_empty() {
                    self.arg_names.truncate(self.n_saved_arg_names);
                } else {
                    self.set_fault(EmitFault::TooManyParameters);
                }
            }
            if self.scope_faulted {
                scope.raw_code = None;
                scope.raw_code_children.clear();
                return;
            }
            let fun_data = std::mem::take(&mut self.code_base);
            scope.raw_code = Some(RawCode {
                kind: CodeKind::Bytecode,
                fun_data,
                arg_names: std::mem::take(&mut self.arg_names),
                consts: std::mem::take(&mut self.consts),
                children: Vec::new(),
                native: None,
                loaded: None,
            });
            scope.raw_code_children.clear();
            scope.raw_code_children.extend_from_slice(&self.children);
        }
    }

    fn source_line(&mut self, line: u32) {
        if self.opt_level >= 3 {
            return;
        }
        let line = u64::from(line);
        if line > self.last_source_line {
            let bytes_to_skip = self.bytecode_offset - self.last_source_line_offset;
            let lines_to_skip = line - self.last_source_line;
            self.write_code_info_bytes_lines(bytes_to_skip, lines_to_skip);
            self.last_source_line_offset = self.bytecode_offset;
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
pub fn encode_uint(out: &mut [u8], mut val: u64) -> usize {
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
