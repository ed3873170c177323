//! Laying out one scope's v6 bytecode: the reference's sizing passes replayed over the
//! recorded walk until the code stops shrinking, then the prelude written in front.
//!
//! Jumps take a one- or two-byte offset. The reference sizes every jump at two bytes in its
//! stack-size pass, then in each later pass picks the short form where the offset (to a label
//! placed earlier in this pass, or where the previous pass placed it) fits; it repeats the
//! emit pass until neither the code nor the code info changed size. Line-number entries
//! depend on the offsets, and the prelude's size field is the one measured by the pass
//! before, so both are replayed pass by pass as well.

use crate::emit::Label;

/// One recorded step of a scope's walk.
#[derive(Clone, Copy, Debug)]
pub(super) enum Item {
    /// `len` bytes of code starting at `start` in the recorded bytes.
    Code { start: u32, len: u32 },
    /// A jump opcode to a label.
    Jump { op: u8, label: Label },
    /// A label placed here.
    Label(Label),
    /// The source line of the code that follows.
    Line(u32),
}

/// What the prelude needs besides the code.
pub(crate) struct PreludeFacts<'a> {
    pub n_state: u64,
    pub n_exc_stack: u64,
    /// Scope flags in 1.29's numbering, signature bits only.
    pub flags: u64,
    pub n_pos_args: u64,
    pub n_kwonly_args: u64,
    pub n_def_pos_args: u64,
    /// The simple name and argument names, as qstr-table indices.
    pub names: &'a [u32],
    /// Local slots that become cells.
    pub cells: &'a [u8],
    /// Whether line numbers are recorded at all.
    pub lines: bool,
}

/// Why a scope's code cannot be laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// A jump offset beyond what two bytes hold (the reference raises this too).
    #[error("bytecode overflow")]
    Overflow,
    /// A jump to a label never placed (a compiler bug).
    #[error("jump to a label that was never placed")]
    UnplacedLabel,
}

/// Whether a jump opcode takes a signed offset (`UNWIND_JUMP`, `JUMP`, `POP_JUMP_IF_*`).
fn is_signed(op: u8) -> bool {
    op <= super::op::POP_JUMP_IF_FALSE
}

/// The result of one pass over the items.
struct PassResult {
    code_len: usize,
    info_len: usize,
    n_info: usize,
    overflow: bool,
}

/// Buffers the passes of [`layout`] fill, kept from one scope to the next (each pass starts
/// by clearing them, so no scope sees another's contents).
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// Where each label sits, by the latest pass that placed it.
    labels: Vec<usize>,
    /// The code a writing pass lays out.
    code: Vec<u8>,
    /// The line-number table of the pass.
    lines: Vec<u8>,
    /// The prelude of the pass: signature, size field, names, line table, cells.
    info: Vec<u8>,
    /// The stack-size pass, made as the walk is recorded.
    pub(super) stack: StackPass,
}

/// The reference's stack-size pass over a scope, made while the emitter records the walk
/// (in that pass every jump is long, so each place's offset is known as it is recorded):
/// where it puts each label, and its line-number table. [`layout`] starts from it instead of
/// replaying the items once more.
#[derive(Debug)]
pub(super) struct StackPass {
    /// Where each label sits (`usize::MAX`: not placed).
    labels: Vec<usize>,
    /// Jumps recorded so far (three bytes each in this pass).
    jumps: usize,
    lines: Vec<u8>,
    last_line_off: usize,
    last_line: u64,
}

impl Default for StackPass {
    fn default() -> StackPass {
        StackPass {
            labels: Vec::new(),
            jumps: 0,
            lines: Vec::new(),
            last_line_off: 0,
            last_line: 1,
        }
    }
}

impl StackPass {
    /// Empty, for a new pass over a scope.
    pub(super) fn clear(&mut self) {
        self.labels.clear();
        self.jumps = 0;
        self.lines.clear();
        self.last_line_off = 0;
        self.last_line = 1;
    }

    /// The offset of the next item, `code_len` bytes of code having been recorded.
    #[inline(always)]
    fn off(&self, code_len: usize) -> usize {
        code_len + 3 * self.jumps
    }

    /// The pass's step for `item`, recorded after `code_len` bytes of code (code items
    /// themselves are counted in `code_len`). A label past the emitter's limit, which faults
    /// the scope, is not placed.
    #[inline]
    pub(super) fn note(&mut self, item: Item, code_len: usize) {
        match item {
            Item::Code { .. } => {}
            Item::Jump { .. } => self.jumps += 1,
            Item::Label(l) => {
                let l = l as usize;
                if l >= super::MAX_LABELS {
                    return;
                }
                if l >= self.labels.len() {
                    self.labels.resize(l + 1, usize::MAX);
                }
                self.labels[l] = self.off(code_len);
            }
            Item::Line(line) => self.line(line, code_len),
        }
    }

    /// Source line `line` starting after `code_len` bytes of code (lines recorded).
    #[inline]
    fn line(&mut self, line: u32, code_len: usize) {
        let line = u64::from(line);
        if line > self.last_line {
            let off = self.off(code_len);
            encode_lines(
                &mut self.lines,
                (off - self.last_line_off) as u64,
                line - self.last_line,
            );
            self.last_line_off = off;
            self.last_line = line;
        }
    }
}

impl Scratch {
    /// The prelude of the last pass followed by `code`, as one raw code's `fun_data`.
    fn fun_data(&self, code: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.info.len() + code.len());
        out.extend_from_slice(&self.info);
        out.extend_from_slice(code);
        out
    }
}

/// The prelude's size field in a pass.
#[derive(Clone, Copy, Debug)]
enum SizeField {
    /// None: the stack-size pass, in which every jump is long.
    Absent,
    /// The code-info size the pass before measured.
    Given(usize),
    /// This pass's own code-info size (right only when every pass measures the same).
    Own,
}

/// Lays out a scope: returns `fun_data` (prelude, names, line info, cells, then the code).
/// `scratch.stack` holds the stack-size pass the emitter made as it recorded `items`.
pub(super) fn layout(
    items: &[Item],
    bytes: &[u8],
    n_labels: usize,
    facts: &PreludeFacts<'_>,
    scratch: &mut Scratch,
) -> Result<Vec<u8>, LayoutError> {
    if scratch.stack.jumps == 0 {
        // Without jumps every pass places the code alike, so the line table and the size
        // field's value are the same in all of them: the reference's last pass is the
        // recorded stack-size pass with a size field holding its own code-info size. Its
        // code is the recorded bytes as they stand (the code items cover them in order, with
        // nothing between). A debug build replays that pass and compares.
        let Scratch { info, stack, .. } = scratch;
        info.clear();
        write_info(
            info,
            facts,
            Some(names_len(facts) + stack.lines.len()),
            &stack.lines,
        );
        if cfg!(debug_assertions) {
            let recorded = scratch.info.clone();
            scratch.labels.clear();
            scratch.labels.resize(n_labels, usize::MAX);
            run_pass(items, bytes, scratch, facts, SizeField::Own, false)?;
            assert_eq!(scratch.info, recorded, "the recorded pass's prelude");
        }
        return Ok(scratch.fun_data(bytes));
    }
    layout_by_passes(items, bytes, n_labels, facts, scratch)
}

/// [`layout`] through the reference's passes, for code with jumps (`scratch.stack` holds the
/// stack-size pass over `items`).
fn layout_by_passes(
    items: &[Item],
    bytes: &[u8],
    n_labels: usize,
    facts: &PreludeFacts<'_>,
    scratch: &mut Scratch,
) -> Result<Vec<u8>, LayoutError> {
    // Stack-size pass: every jump long, no size field. The emitter made it as it recorded
    // the walk; a debug build makes it again here and compares.
    let stack = &scratch.stack;
    let stack_n_info = names_len(facts) + stack.lines.len();
    scratch.labels.clear();
    scratch.labels.extend_from_slice(&stack.labels);
    scratch.labels.resize(n_labels, usize::MAX);
    if cfg!(debug_assertions) {
        let recorded = scratch.labels.clone();
        scratch.labels.fill(usize::MAX);
        let replayed = run_pass(items, bytes, scratch, facts, SizeField::Absent, false)?;
        assert_eq!(
            replayed.n_info, stack_n_info,
            "the recorded stack-size pass's code info"
        );
        assert_eq!(
            scratch.labels, recorded,
            "the recorded stack-size pass's labels"
        );
    }
    // Code-size pass, then emit passes until nothing changes.
    let n_info = SizeField::Given(stack_n_info);
    let mut sizes = run_pass(items, bytes, scratch, facts, n_info, false)?;
    let mut rounds = 0usize;
    loop {
        let n_info = SizeField::Given(sizes.n_info);
        let this = run_pass(items, bytes, scratch, facts, n_info, true)?;
        if this.code_len == sizes.code_len && this.info_len == sizes.info_len {
            if this.overflow {
                return Err(LayoutError::Overflow);
            }
            return Ok(scratch.fun_data(&scratch.code));
        }
        sizes = this;
        rounds += 1;
        // Code only shrinks, so this ends; the bound guards against a bug looping forever.
        if rounds > items.len() + 2 {
            return Err(LayoutError::Overflow);
        }
    }
}

/// One pass: `size_field` says what the size field holds (it is absent in the stack-size
/// pass, which sizes every jump long); when `writing`, the pass lays the code out in `scratch.code` (the prelude is always built, in
/// `scratch.info`).
fn run_pass(
    items: &[Item],
    bytes: &[u8],
    scratch: &mut Scratch,
    facts: &PreludeFacts<'_>,
    size_field: SizeField,
    writing: bool,
) -> Result<PassResult, LayoutError> {
    let sizing = matches!(size_field, SizeField::Absent);
    let Scratch {
        labels,
        code,
        lines,
        info,
        ..
    } = scratch;
    code.clear();
    lines.clear();
    info.clear();
    let mut off = 0usize;
    let mut last_line_off = 0usize;
    let mut last_line = 1u64;
    let mut overflow = false;
    for item in items {
        match *item {
            Item::Code { start, len } => {
                if writing {
                    code.extend_from_slice(&bytes[start as usize..(start + len) as usize]);
                }
                off += len as usize;
            }
            Item::Label(l) => match labels.get_mut(l as usize) {
                Some(slot) => *slot = off,
                None => return Err(LayoutError::UnplacedLabel),
            },
            Item::Line(line) => {
                let line = u64::from(line);
                if facts.lines && line > last_line {
                    encode_lines(lines, (off - last_line_off) as u64, line - last_line);
                    last_line_off = off;
                    last_line = line;
                }
            }
            Item::Jump { op, label } => {
                if sizing {
                    if writing {
                        code.extend_from_slice(&[op, 0, 0]);
                    }
                    off += 3;
                    continue;
                }
                let target = labels.get(label as usize).copied().unwrap_or(usize::MAX);
                if target == usize::MAX {
                    return Err(LayoutError::UnplacedLabel);
                }
                let signed = is_signed(op);
                let mut rel = target as i64 - off as i64 - 2;
                let short = if signed {
                    (-64..=63).contains(&rel)
                } else {
                    (0..=127).contains(&rel)
                };
                if short {
                    if signed {
                        rel += 0x40;
                    }
                    if writing {
                        code.extend_from_slice(&[op, rel as u8]);
                    }
                    off += 2;
                } else {
                    rel -= 1;
                    if signed {
                        rel += 0x4000;
                    }
                    if !(0..=0x7fff).contains(&rel) {
                        overflow = true;
                    }
                    if writing {
                        code.extend_from_slice(&[op, 0x80 | (rel & 0x7f) as u8, (rel >> 7) as u8]);
                    }
                    off += 3;
                }
            }
        }
    }
    let size = match size_field {
        SizeField::Absent => None,
        SizeField::Given(n) => Some(n),
        SizeField::Own => Some(names_len(facts) + lines.len()),
    };
    let n_info = write_info(info, facts, size, lines);
    Ok(PassResult {
        code_len: off,
        info_len: info.len(),
        n_info,
        overflow,
    })
}

/// Appends the prelude to `info`: the signature, the size field holding `size` (absent in
/// the stack-size pass), the names, the line-number table `lines` and the cells. Gives the
/// code-info size (names and line table).
fn write_info(
    info: &mut Vec<u8>,
    facts: &PreludeFacts<'_>,
    size: Option<usize>,
    lines: &[u8],
) -> usize {
    encode_signature(info, facts);
    if let Some(n) = size {
        encode_size(info, n as u64, facts.cells.len() as u64);
    }
    let names_start = info.len();
    for &n in facts.names {
        push_uint(info, u64::from(n));
    }
    info.extend_from_slice(lines);
    let n_info = info.len() - names_start;
    info.extend_from_slice(facts.cells);
    n_info
}

/// Appends `val` as a var-uint (7 bits a byte, most significant first, the high bit set on
/// all but the last), byte by byte: the emitter's hot path, without a slice copy per operand
/// (a test holds it to [`crate::emitbc::encode_uint`]'s bytes).
#[inline]
pub(super) fn push_uint(out: &mut Vec<u8>, val: u64) {
    let n = (64 - val.leading_zeros()).div_ceil(7).max(1);
    for i in (1..n).rev() {
        out.push(0x80 | ((val >> (7 * i)) & 0x7f) as u8);
    }
    out.push((val & 0x7f) as u8);
}

/// The bytes the prelude's names take.
fn names_len(facts: &PreludeFacts<'_>) -> usize {
    facts.names.iter().map(|&n| uint_len(u64::from(n))).sum()
}

/// The length of [`push_uint`]'s encoding of `val`.
fn uint_len(val: u64) -> usize {
    let bits = 64 - val.leading_zeros() as usize;
    bits.div_ceil(7).max(1)
}

/// Line-number entries for `bytes` of code and `lines` lines (`0b0LLBBBBB` or
/// `0b1LLLBBBB 0bLLLLLLLL`).
#[inline(always)]
fn encode_lines(out: &mut Vec<u8>, bytes: u64, lines: u64) {
    // The usual step: one entry of the short form.
    if bytes <= 0x1f && (1..=3).contains(&lines) {
        out.push((bytes | (lines << 5)) as u8);
    } else {
        encode_lines_long(out, bytes, lines);
    }
}

/// [`encode_lines`] for any step.
#[inline(never)]
fn encode_lines_long(out: &mut Vec<u8>, mut bytes: u64, mut lines: u64) {
    while bytes > 0 || lines > 0 {
        let (b, l);
        if lines <= 6 || bytes > 0xf {
            b = bytes.min(0x1f);
            l = if b < bytes { 0 } else { lines.min(0x3) };
            out.push((b | (l << 5)) as u8);
        } else {
            b = bytes.min(0xf);
            l = lines.min(0x7ff);
            out.push((0x80 | b | ((l >> 4) & 0x70)) as u8);
            out.push(l as u8);
        }
        bytes -= b;
        lines -= l;
    }
}

/// The packed signature: state size, exception depth, flags and argument counts
/// (`MP_BC_PRELUDE_SIG_ENCODE`).
pub(crate) fn encode_signature(out: &mut Vec<u8>, f: &PreludeFacts<'_>) {
    let mut s = f.n_state - 1;
    let mut e = f.n_exc_stack;
    let mut fl = f.flags;
    let mut a = f.n_pos_args;
    let mut k = f.n_kwonly_args;
    let mut d = f.n_def_pos_args;
    let mut z = ((s & 0xf) << 3 | (e & 1) << 2 | (a & 3)) as u8;
    s >>= 4;
    e >>= 1;
    a >>= 2;
    while s | e | fl | a | k | d != 0 {
        out.push(0x80 | z);
        z = ((fl & 1) << 6 | (s & 3) << 4 | (k & 1) << 3 | (a & 1) << 2 | (e & 1) << 1 | (d & 1))
            as u8;
        s >>= 2;
        e >>= 1;
        fl >>= 1;
        a >>= 1;
        k >>= 1;
        d >>= 1;
    }
    out.push(z);
}

/// The size field: code-info bytes and cell count (`MP_BC_PRELUDE_SIZE_ENCODE`).
pub(crate) fn encode_size(out: &mut Vec<u8>, mut i: u64, mut c: u64) {
    loop {
        let mut z = ((i & 0x3f) << 1 | (c & 1)) as u8;
        c >>= 1;
        i >>= 6;
        if c | i != 0 {
            z |= 0x80;
        }
        out.push(z);
        if c | i == 0 {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl StackPass {
        /// The stack-size pass as the emitter makes it, from a recorded walk.
        pub(in super::super) fn recorded(items: &[Item]) -> StackPass {
            let mut stack = StackPass::default();
            let mut code_len = 0;
            for &item in items {
                if let Item::Code { len, .. } = item {
                    code_len += len as usize;
                }
                stack.note(item, code_len);
            }
            stack
        }
    }

    #[test]
    fn var_uints_are_the_shared_encoders_bytes() {
        for v in [
            0,
            1,
            0x7f,
            0x80,
            0x3fff,
            0x4000,
            0x1f_ffff,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut buf = [0u8; 10];
            let n = crate::emitbc::encode_uint(&mut buf, v);
            let mut out = vec![0xaa];
            push_uint(&mut out, v);
            assert_eq!(&out[1..], &buf[..n], "{v:#x}");
        }
    }

    #[test]
    fn uint_len_is_the_encoded_length() {
        for v in [0, 1, 127, 128, 16383, 16384, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            push_uint(&mut out, v);
            assert_eq!(uint_len(v), out.len(), "{v}");
        }
    }

    #[test]
    fn code_without_jumps_takes_one_pass_with_the_same_bytes() {
        let bytes: Vec<u8> = (0..200u32).map(|i| (i % 251) as u8).collect();
        let mut items = Vec::new();
        for k in 0..20u32 {
            items.push(Item::Line(1 + k * 3));
            items.push(Item::Code {
                start: k * 10,
                len: 10,
            });
        }
        let names = [3, 200, 5];
        let facts = PreludeFacts {
            n_state: 3,
            n_exc_stack: 0,
            flags: 0,
            n_pos_args: 2,
            n_kwonly_args: 0,
            n_def_pos_args: 0,
            names: &names,
            cells: &[1],
            lines: true,
        };
        let mut scratch = Scratch {
            stack: StackPass::recorded(&items),
            ..Default::default()
        };
        let one = layout(&items, &bytes, 0, &facts, &mut scratch).unwrap();
        let passes = layout_by_passes(&items, &bytes, 0, &facts, &mut scratch).unwrap();
        assert_eq!(one, passes);
        assert!(one.ends_with(&bytes));
    }

    #[test]
    fn the_recorded_stack_pass_is_the_replayed_one() {
        // Jumps back and forth over code of varied length, with lines between; a debug build's
        // layout replays the stack-size pass and compares it with the recorded one.
        let mut items = Vec::new();
        let mut start = 0;
        let mut line = 1;
        for k in 0..60u32 {
            let len = 1 + (k * 37) % 90;
            items.push(Item::Line(line));
            line += 1 + k % 9;
            items.push(Item::Code { start, len });
            start += len;
            items.push(Item::Label(k));
            items.push(Item::Jump {
                op: 0x42,
                label: (k * 7) % 60,
            });
        }
        let bytes = vec![0x51; start as usize];
        let facts = PreludeFacts {
            n_state: 3,
            n_exc_stack: 0,
            flags: 0,
            n_pos_args: 0,
            n_kwonly_args: 0,
            n_def_pos_args: 0,
            names: &[1],
            cells: &[],
            lines: true,
        };
        let mut scratch = Scratch {
            stack: StackPass::recorded(&items),
            ..Default::default()
        };
        let stack = &scratch.stack;
        assert_eq!(stack.labels[3], 1 + 38 + 75 + 22 + 3 * 3);
        let mut replayed = Scratch::default();
        replayed.labels.resize(60, usize::MAX);
        let pass = run_pass(
            &items,
            &bytes,
            &mut replayed,
            &facts,
            SizeField::Absent,
            false,
        )
        .unwrap();
        assert_eq!(replayed.labels, stack.labels);
        assert_eq!(pass.n_info, names_len(&facts) + stack.lines.len());
        assert_eq!(replayed.lines, stack.lines);
        layout_by_passes(&items, &bytes, 60, &facts, &mut scratch).unwrap();
    }

    #[test]
    fn the_short_line_entry_is_the_general_loops() {
        for bytes in 0..40 {
            for lines in 0..10 {
                let (mut short, mut long) = (Vec::new(), Vec::new());
                encode_lines(&mut short, bytes, lines);
                encode_lines_long(&mut long, bytes, lines);
                assert_eq!(short, long, "{bytes} bytes, {lines} lines");
            }
        }
    }

    #[test]
    fn line_entries_match_the_reference_forms() {
        let mut v = Vec::new();
        encode_lines(&mut v, 0, 3);
        assert_eq!(v, [0x60]);
        v.clear();
        encode_lines(&mut v, 2, 7);
        assert_eq!(v, [0x82, 0x07]);
        v.clear();
        encode_lines(&mut v, 40, 1);
        assert_eq!(v, [0x1f, 0x29]);
    }

    #[test]
    fn signature_of_a_function_with_all_argument_kinds() {
        // def f(a, b=2, *c, d, **e): 8 state slots, varargs and varkeywords.
        let facts = PreludeFacts {
            n_state: 8,
            n_exc_stack: 0,
            flags: 0x06,
            n_pos_args: 2,
            n_kwonly_args: 1,
            n_def_pos_args: 1,
            names: &[],
            cells: &[],
            lines: true,
        };
        let mut v = Vec::new();
        encode_signature(&mut v, &facts);
        assert_eq!(v, [0xba, 0x89, 0xc0, 0x40]);
        v.clear();
        encode_size(&mut v, 5, 0);
        assert_eq!(v, [0x0a]);
    }
}
