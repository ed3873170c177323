//! The end of a bytecode scope's walk: raw-code indices and jumps filled in, the prelude and
//! code info laid out in front of the bytecode, and the raw code stored in the scope.

use mpcore::Qstr;
use rawcode::{Body, RawCode};

use super::{
    encode_uint, n_state, uint_len, BytecodeEmitter, BytecodeForm, EmitFault, MAX_OP_BYTES,
    QSTR_STAR, UNASSIGNED,
};
use crate::emit::Label;
use crate::scope::{IdKind, Scope, ID_FLAG_IS_PARAM};

impl BytecodeEmitter {
    /// Finishes the scope the walk just compiled: `scope` has its final stack size and flags.
    pub(super) fn store_raw_code(&mut self, scope: &mut Scope) {
        self.collect_arg_names(scope);
        self.resolve_raw_code_refs();
        self.resolve_jumps();
        let mut fun_data = self.prelude_and_code_info(scope);
        if self.scope_faulted {
            scope.raw_code = None;
            scope.raw_code_children.clear();
            return;
        }
        let head = fun_data.len() as u32;
        fun_data.extend_from_slice(&self.code);
        let inline_qstr_ops = Some(self.qstr_ops.iter().map(|&at| head + at).collect());
        scope.raw_code = Some(RawCode {
            body: Body::Bytecode(fun_data),
            arg_names: std::mem::take(&mut self.arg_names),
            // Moved out at their exact size; the emitter keeps its buffer for the next scope.
            consts: if self.consts.is_empty() {
                Vec::new()
            } else {
                let mut consts = Vec::with_capacity(self.consts.len());
                consts.append(&mut self.consts);
                consts
            },
            children: Vec::new(),
            loaded: None,
            inline_qstr_ops,
        });
        scope.raw_code_children.clear();
        if !self.children.is_empty() {
            if scope.raw_code_children.capacity() == 0 {
                scope.raw_code_children = self.spare_child_lists.pop().unwrap_or_default();
            }
            scope.raw_code_children.extend_from_slice(&self.children);
        }
    }

    /// The names of the positional then keyword-only parameters by slot (`*` for a slot with
    /// no parameter), as many as the `.mpy` writer saves.
    fn collect_arg_names(&mut self, scope: &Scope) {
        let n_args = usize::from(scope.num_pos_args) + usize::from(scope.num_kwonly_args);
        // One walk over the names (free variables passed as arguments make `n_args` as large
        // as the name list): the first parameter in each slot names it.
        let mut by_slot: Vec<Option<Qstr>> = vec![None; n_args];
        for id in &scope.id_info {
            if id.flags & ID_FLAG_IS_PARAM != 0 {
                if let Some(slot @ None) = by_slot.get_mut(usize::from(id.local_num)) {
                    *slot = Some(id.qst);
                }
            }
        }
        self.arg_names = by_slot
            .into_iter()
            .map(|q| q.unwrap_or(QSTR_STAR))
            .collect();
        if self.arg_names.len() > self.n_saved_arg_names {
            // The writer saves only as many names as the prelude's count bytes say; with no
            // objects or children after them nothing else moves.
            if self.consts.is_empty() && self.children.is_empty() {
                self.arg_names.truncate(self.n_saved_arg_names);
            } else {
                self.set_fault(EmitFault::TooManyParameters);
            }
        }
    }

    /// Writes the raw-code indices, which come after all the scope's objects. When one needs a
    /// different length than it was written with, the bytecode is re-spaced.
    fn resolve_raw_code_refs(&mut self) {
        if self.raw_code_refs.is_empty() {
            return;
        }
        let base = self.n_arg_names + u64::from(self.ct_cur_obj);
        let same_lengths = self
            .raw_code_refs
            .iter()
            .all(|r| uint_len(base + u64::from(r.k)) == u64::from(r.len));
        if !same_lengths {
            self.respace(base);
            return;
        }
        let mut buf = [0u8; MAX_OP_BYTES];
        for r in &self.raw_code_refs {
            let n = encode_uint(&mut buf, base + u64::from(r.k));
            if let Some(dst) = self.code.get_mut(r.at..r.at + n) {
                dst.copy_from_slice(&buf[..n]);
            }
        }
    }

    /// Rewrites the bytecode with every raw-code index at its final length, moving the labels,
    /// jumps and line entries that come after each changed one.
    fn respace(&mut self, base: u64) {
        let old = std::mem::take(&mut self.code);
        let mut code = Vec::with_capacity(old.len() + self.raw_code_refs.len());
        // (operand offset in `old`, total change in length up to and including it)
        let mut shifts: Vec<(usize, i64)> = Vec::with_capacity(self.raw_code_refs.len());
        let mut prev = 0;
        let mut delta = 0i64;
        let mut buf = [0u8; MAX_OP_BYTES];
        for r in &self.raw_code_refs {
            code.extend_from_slice(old.get(prev..r.at).unwrap_or_default());
            let n = encode_uint(&mut buf, base + u64::from(r.k));
            code.extend_from_slice(&buf[..n]);
            prev = r.at + usize::from(r.len);
            delta += n as i64 - i64::from(r.len);
            shifts.push((r.at, delta));
        }
        code.extend_from_slice(old.get(prev..).unwrap_or_default());
        // Labels, jumps and line entries sit between instructions, never inside an operand.
        let moved = |p: usize| -> usize {
            match shifts.partition_point(|&(at, _)| at < p) {
                0 => p,
                i => (p as i64 + shifts[i - 1].1) as usize,
            }
        };
        let assigned = self.labels_assigned.min(self.label_offsets.len());
        for off in &mut self.label_offsets[..assigned] {
            if *off != UNASSIGNED {
                *off = moved(*off as usize) as u64;
            }
        }
        for j in &mut self.jumps {
            j.at = moved(j.at);
        }
        for (off, _) in &mut self.lines {
            *off = moved(*off);
        }
        for r in &mut self.raw_code_refs {
            r.at = moved(r.at);
        }
        for at in &mut self.qstr_ops {
            *at = moved(*at as usize) as u32;
        }
        self.code = code;
    }

    fn label_offset(&self, label: Label) -> u64 {
        self.label_offsets
            .get(label as usize)
            .copied()
            .unwrap_or(UNASSIGNED)
    }

    /// Fills in every jump's 16-bit offset, relative to the end of its 3-byte instruction.
    fn resolve_jumps(&mut self) {
        for i in 0..self.jumps.len() {
            let j = self.jumps[i];
            let mut rel = self
                .label_offset(j.label)
                .wrapping_sub(j.at as u64)
                .wrapping_sub(3);
            if j.signed {
                rel = rel.wrapping_add(0x8000);
            }
            if let Some(dst) = self.code.get_mut(j.at + 1..j.at + 3) {
                dst.copy_from_slice(&[rel as u8, (rel >> 8) as u8]);
            }
        }
    }

    /// The prelude and code info (`n_state`, `n_exc_stack`, flags and argument counts, the
    /// code-info size, the names, the line-number table), with room for the bytecode after.
    fn prelude_and_code_info(&mut self, scope: &Scope) -> Vec<u8> {
        if self.form == BytecodeForm::V5 {
            return self.prelude_and_code_info_v5(scope);
        }
        let mut lines = std::mem::take(&mut self.line_table);
        self.write_line_table(&mut lines);
        let mut out = Vec::with_capacity(16 + lines.len() + self.code.len());
        let mut buf = [0u8; MAX_OP_BYTES];
        let n = encode_uint(&mut buf, n_state(scope));
        out.extend_from_slice(&buf[..n]);
        let n = encode_uint(&mut buf, u64::from(scope.exc_stack_size));
        out.extend_from_slice(&buf[..n]);
        out.extend_from_slice(&[
            scope.scope_flags as u8,
            scope.num_pos_args as u8,
            scope.num_kwonly_args as u8,
            scope.num_def_pos_args as u8,
        ]);
        // The size of the rest of the code info, counting the two bytes the reference reserves
        // for this field while sizing; a one-byte size leaves the second as a zero at the end.
        let rest = 2 + 4 + lines.len() as u64 + 1;
        let size_len = uint_len(rest);
        if size_len > 2 {
            self.set_fault(EmitFault::CodeInfoOverflow);
        }
        let n = encode_uint(&mut buf, rest);
        out.extend_from_slice(&buf[..n]);
        out.extend_from_slice(&scope.simple_name.0.to_le_bytes());
        out.extend_from_slice(&scope.source_file.0.to_le_bytes());
        out.extend_from_slice(&lines);
        out.push(0);
        if size_len == 1 {
            out.push(0);
        }
        self.line_table = lines;
        out
    }

    /// The v5 prelude and code info: the packed signature (`n_state`, `n_exc_stack`, the
    /// signature flags and argument counts), the packed size (code-info bytes, cell count),
    /// the simple name and source file as 16-bit qstr numbers, the line-number table, its end
    /// mark and the cell list.
    fn prelude_and_code_info_v5(&mut self, scope: &Scope) -> Vec<u8> {
        let mut lines = std::mem::take(&mut self.line_table);
        self.write_line_table(&mut lines);
        let mut cells = Vec::new();
        for id in &scope.id_info {
            if id.kind == IdKind::Cell {
                if id.local_num > 255 {
                    self.set_fault(EmitFault::CellLocalTooLarge);
                }
                cells.push(id.local_num as u8);
            }
        }
        let mut out = Vec::with_capacity(16 + lines.len() + cells.len() + self.code.len());
        let facts = crate::emitbc_v6::PreludeFacts {
            n_state: n_state(scope),
            n_exc_stack: u64::from(scope.exc_stack_size),
            flags: u64::from(crate::emitbc_v6::signature_flags(scope.scope_flags)),
            n_pos_args: u64::from(scope.num_pos_args),
            n_kwonly_args: u64::from(scope.num_kwonly_args),
            n_def_pos_args: u64::from(scope.num_def_pos_args),
            names: &[],
            cells: &cells,
            lines: true,
        };
        crate::emitbc_v6::encode_signature(&mut out, &facts);
        let n_info = 4 + lines.len() as u64 + 1;
        crate::emitbc_v6::encode_size(&mut out, n_info, cells.len() as u64);
        out.extend_from_slice(&scope.simple_name.0.to_le_bytes());
        out.extend_from_slice(&scope.source_file.0.to_le_bytes());
        out.extend_from_slice(&lines);
        out.push(0);
        out.extend_from_slice(&cells);
        self.line_table = lines;
        out
    }

    /// The line-number table from the recorded (offset, line) pairs: (bytes, lines) deltas
    /// split into the 1-byte form `0LLBBBBB` and the 2-byte form `1LLLBBBB LLLLLLLL` as the
    /// reference splits them.
    fn write_line_table(&self, out: &mut Vec<u8>) {
        out.clear();
        out.reserve(self.lines.len());
        let (mut last_offset, mut last_line) = (0usize, 1u64);
        for &(offset, line) in &self.lines {
            let mut bytes_to_skip = offset.wrapping_sub(last_offset) as u64;
            let mut lines_to_skip = line.wrapping_sub(last_line);
            last_offset = offset;
            last_line = line;
            if bytes_to_skip <= 0x1f && lines_to_skip <= 0x3 {
                // The usual entry: one byte (none when nothing moved).
                if bytes_to_skip | lines_to_skip != 0 {
                    out.push((bytes_to_skip | (lines_to_skip << 5)) as u8);
                }
                continue;
            }
            while bytes_to_skip > 0 || lines_to_skip > 0 {
                let (b, l);
                if lines_to_skip <= 6 || bytes_to_skip > 0xf {
                    b = bytes_to_skip.min(0x1f);
                    l = if b < bytes_to_skip {
                        0
                    } else {
                        lines_to_skip.min(0x3)
                    };
                    out.push((b | (l << 5)) as u8);
                } else {
                    b = bytes_to_skip.min(0xf);
                    l = lines_to_skip.min(0x7ff);
                    out.extend_from_slice(&[(0x80 | b | ((l >> 4) & 0x70)) as u8, l as u8]);
                }
                bytes_to_skip -= b;
                lines_to_skip -= l;
            }
        }
    }
}
