//! The `.mpy` writer: `mp_raw_code_save` of `py/persistentcode.c`, byte for byte: v4
//! (MicroPython 1.11) and v5 (1.12 to 1.18, chosen by the module's release).

use crate::error::WriteError;
use crate::number::{complex_text, put_float_text, put_int_text};
use crate::varint::put_uint;
use crate::window::SaveWindow;
use crate::{MPY_VERSION, QSTR_WINDOW_SIZE};
use mpcore::Arch;
use mpcore::{Qstr, QstrPool};
use rawcode::opcode::{format_of, has_cache_byte, has_extra_byte};
use rawcode::{
    Body, CodeKind, Const, Module, NativeKind, OpFormat, Prelude, PreludeError, RawCode,
};

/// Writes `module` as a `.mpy` file.
///
/// A malformed raw code (undecodable prelude, truncated opcode, qstr outside the pool) is
/// written as well as it can be; use [`try_write`] to have such problems reported.
pub fn write(module: &Module) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = write_into(module, &mut out);
    out
}

/// Writes `module`, failing on the first raw code the reference could not have produced.
pub fn try_write(module: &Module) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::new();
    write_into(module, &mut out)?;
    Ok(out)
}

/// Appends the `.mpy` bytes of `module` to `out`. All bytes are written even on error; the
/// first problem met is returned.
pub fn write_into(module: &Module, out: &mut Vec<u8>) -> Result<(), WriteError> {
    let target = &module.target;
    // One stack serves both walks of the tree (deep enough for most modules at once).
    let mut stack: Vec<(&RawCode, usize)> = Vec::with_capacity(16);
    out.reserve(size_hint(module, &mut stack));
    let header = out.len();
    let v5 = target.release.generation() == mpcore::Generation::Mpy5;
    out.extend_from_slice(&[
        b'M',
        if v5 { 5 } else { MPY_VERSION },
        target.feature_flags(),
        target.small_int_bits,
    ]);
    put_uint(out, QSTR_WINDOW_SIZE as u64);

    let mut w = Writer {
        out,
        pool: &module.qstrs,
        window: SaveWindow::new(module.qstrs.len()),
        cache: target.cache_lookup_bc,
        v5,
        arch: target.arch,
        error: None,
    };
    // Depth-first, children after their parent's const table, without recursion.
    let mut has_native = module.root.kind().is_native();
    stack.push((&module.root, 0));
    w.raw_code(&module.root);
    while let Some(top) = stack.last_mut() {
        let (rc, next) = *top;
        if let Some(child) = rc.children.get(next) {
            top.1 += 1;
            has_native |= child.kind().is_native();
            w.raw_code(child);
            stack.push((child, 0));
        } else {
            stack.pop();
        }
    }
    let error = w.error;
    // The header names the arch only if some raw code is native.
    if has_native {
        if let Some(feature) = out.get_mut(header + 2) {
            *feature |= target.arch.number() << 2;
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Roughly how many bytes the file will take (code, constants, a little per raw code and per
/// qstr), so the output rarely grows.
fn size_hint<'a>(module: &'a Module, stack: &mut Vec<(&'a RawCode, usize)>) -> usize {
    let mut total = 8;
    stack.push((&module.root, 0));
    while let Some((rc, _)) = stack.pop() {
        total += rc.fun_data().len() + 16 + 4 * rc.arg_names.len();
        for c in &rc.consts {
            total += 4 + match c {
                Const::Str(s) | Const::Bytes(s) => s.len(),
                _ => 24,
            };
        }
        stack.extend(rc.children.iter().map(|c| (c, 0)));
    }
    // Qstr operands written in full take more room than their numbers: about 12 bytes per
    // qstr the module added to the pool covers all but a few percent of the corpus.
    let added = module.qstrs.len().saturating_sub(mpcore::qstr::POOL_LEN);
    total + total / 4 + 12 * added
}

/// In an [`OpTable`] entry: the opcode is followed by a 16-bit qstr number.
const OP_QSTR: u8 = 0x80;
/// In an [`OpTable`] entry: the opcode is followed by a var-uint (counted apart).
const OP_VAR_UINT: u8 = 0x40;

/// Per opcode, how `mp_opcode_format` walks it: the low bits give its size in bytes (for a
/// var-uint opcode, without the var-uint), the flags say whether a qstr or var-uint follows;
/// an entry below [`OP_VAR_UINT`] is just the size. No opcode is both.
type OpTable = [u8; 256];

const fn op_table(cache_lookup_bc: bool) -> OpTable {
    let mut t = [0; 256];
    let mut op = 0;
    while op < 256 {
        let o = op as u8;
        let extra = has_extra_byte(o) as u8;
        t[op] = match format_of(o) {
            OpFormat::Byte => 1 + extra,
            OpFormat::Qstr => OP_QSTR | (3 + has_cache_byte(o, cache_lookup_bc) as u8),
            OpFormat::VarUint => OP_VAR_UINT | (1 + extra),
            OpFormat::Offset => 3 + extra,
        };
        op += 1;
    }
    t
}

static OPS: OpTable = op_table(false);
static OPS_CACHE: OpTable = op_table(true);

/// The table of `.mpy` v5 (1.12 to 1.18): the format is in the opcode's high nibble (qstr
/// for 0x1_, var-uint for 0x2_ and 0x3_, a 16-bit offset for 0x4_, else none) and an opcode
/// with none of the bits 0x9e set takes one byte more (`MAKE_CLOSURE*`, `UNWIND_JUMP`).
///
/// With `cache_lookup_bc` (1.17 and older), a cache byte follows `LOAD_NAME` (0x11),
/// `LOAD_GLOBAL` (0x12), `LOAD_ATTR` (0x13) and `STORE_ATTR` (0x18).
const fn op_table_v5(cache_lookup_bc: bool) -> OpTable {
    let mut t = [0; 256];
    let mut op = 0;
    while op < 256 {
        let o = op as u8;
        let extra = (o & 0x9e == 0) as u8;
        let cache = (cache_lookup_bc && matches!(o, 0x11 | 0x12 | 0x13 | 0x18)) as u8;
        t[op] = match o >> 4 {
            1 => OP_QSTR | (3 + cache),
            2 | 3 => OP_VAR_UINT | (1 + extra),
            4 => 3 + extra,
            _ => 1 + extra,
        };
        op += 1;
    }
    t
}

static OPS_V5: OpTable = op_table_v5(false);
static OPS_V5_CACHE: OpTable = op_table_v5(true);

struct Writer<'a> {
    out: &'a mut Vec<u8>,
    pool: &'a QstrPool,
    window: SaveWindow,
    cache: bool,
    /// `.mpy` v5: 1.12's opcode formats and packed prelude, whose names are saved before
    /// the rest of the code info ([`Writer::raw_code_v5`]).
    v5: bool,
    /// The module's arch: the header names it, so native code must be for it.
    arch: Arch,
    error: Option<WriteError>,
}

impl Writer<'_> {
    fn fail(&mut self, e: WriteError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    #[inline]
    fn qstr(&mut self, q: Qstr) {
        if q.0 <= mpcore::qstr::LAST_STATIC {
            self.out.extend_from_slice(&[0, q.0 as u8]);
        } else if let Some(pos) = self.window.save(q.0) {
            // Positions are below 32, so the var-uint is one byte.
            self.out.push((pos as u8) << 1 | 1);
        } else {
            self.qstr_text(q);
        }
    }

    /// Writes a qstr in full (its length, then its bytes).
    #[inline(never)]
    fn qstr_text(&mut self, q: Qstr) {
        if (q.0 as usize) >= self.pool.len() {
            self.fail(WriteError::UnknownQstr {
                name: String::new(),
                number: q.0,
            });
        }
        let s = self.pool.get(q);
        put_uint(self.out, (s.len() as u64) << 1);
        self.out.extend_from_slice(s);
    }

    fn obj(&mut self, obj: &Const, text: Option<&[u8]>) {
        let number = |tag: u8, out: &mut Vec<u8>, t: &[u8]| {
            out.push(tag);
            put_uint(out, t.len() as u64);
            out.extend_from_slice(t);
        };
        match obj {
            Const::Str(s) => number(b's', self.out, s),
            Const::Bytes(b) => number(b'b', self.out, b),
            Const::Ellipsis => self.out.push(b'e'),
            Const::Int(i) => match text {
                Some(t) => number(b'i', self.out, t),
                None => {
                    self.out.push(b'i');
                    put_int_text(self.out, i);
                }
            },
            Const::Float(f) => match text {
                Some(t) => number(b'f', self.out, t),
                None => {
                    self.out.push(b'f');
                    put_float_text(self.out, *f);
                }
            },
            Const::Complex { real, imag } => match text {
                Some(t) => number(b'c', self.out, t),
                None => number(b'c', self.out, complex_text(*real, *imag).as_bytes()),
            },
        }
    }

    /// Writes a native raw code's qstr link table.
    fn qstr_links(&mut self, links: &[rawcode::QstrLink]) {
        put_uint(self.out, links.len() as u64);
        for link in links {
            put_uint(self.out, u64::from(link.off));
            self.qstr(link.qstr);
        }
    }

    /// [`Self::bytecode`], taking the qstr operands where the compiler says they are (`ops`,
    /// see [`RawCode::inline_qstr_ops`]) instead of decoding each opcode, when each offset is
    /// past the last one's operand, inside `code` and at an opcode that takes a qstr;
    /// otherwise decoding. (Decoding branches on every opcode, which the processor mostly
    /// fails to predict: in a stdlib build it took 5% of the time for 1.5% of the
    /// instructions.)
    fn bytecode_or_known(&mut self, code: &[u8], start: usize, ops: Option<&[u32]>) {
        let Some(ops) = ops else {
            return self.bytecode(code, start);
        };
        let table = self.op_table();
        let mut next = start;
        let fits = ops.iter().all(|&at| {
            let at = at as usize;
            let ok = at >= next && at + 3 <= code.len() && table[usize::from(code[at])] >= OP_QSTR;
            next = at + 3;
            ok
        });
        // The compiler's offsets always fit (tests build in debug, where this holds them to
        // it); a release build that met one that did not would still write the right bytes.
        debug_assert!(
            fits,
            "the compiler's inline qstr offsets do not fit its bytecode"
        );
        if !fits {
            return self.bytecode(code, start);
        }
        let mut run = start;
        for &at in ops {
            let at = at as usize;
            copy_run(self.out, code, run, at + 1);
            self.qstr(Qstr(u16::from_le_bytes([code[at + 1], code[at + 2]])));
            run = at + 3;
        }
        self.out.extend_from_slice(&code[run..]);
    }

    /// The opcode table of this file's bytecode form and lookup-cache setting.
    fn op_table(&self) -> &'static OpTable {
        if self.v5 && self.cache {
            &OPS_V5_CACHE
        } else if self.v5 {
            &OPS_V5
        } else if self.cache {
            &OPS_CACHE
        } else {
            &OPS
        }
    }

    /// Writes opcodes, replacing each inline qstr by its window encoding (`save_bytecode`).
    /// The bytes between qstr operands are copied through in runs.
    #[inline(never)]
    fn bytecode(&mut self, code: &[u8], start: usize) {
        let ops = self.op_table();
        let mut pos = start;
        let mut run = start;
        let truncated = loop {
            let Some(&op) = code.get(pos) else {
                // Past the end: the last instruction did not fit.
                break pos > code.len();
            };
            let entry = ops[usize::from(op)];
            if entry < OP_VAR_UINT {
                pos += usize::from(entry);
            } else if entry < OP_QSTR {
                match code.get(pos + 1) {
                    Some(&b) if b < 0x80 => pos += usize::from(entry & 7) + 1,
                    _ => {
                        let operand = code.get(pos + 1..).unwrap_or_default();
                        match operand.iter().position(|b| b & 0x80 == 0) {
                            Some(n) => pos += usize::from(entry & 7) + n + 1,
                            None => break true,
                        }
                    }
                }
            } else {
                let size = usize::from(entry & 7);
                let Some(&[_, lo, hi]) = code.get(pos..pos + 3) else {
                    break true;
                };
                if pos + size > code.len() {
                    break true;
                }
                if run == pos {
                    // Nothing since the last qstr but this opcode (44% of the corpus's runs).
                    self.out.push(op);
                } else {
                    copy_run(self.out, code, run, pos + 1);
                }
                self.qstr(Qstr(u16::from_le_bytes([lo, hi])));
                run = pos + 3;
                pos += size;
            }
        };
        if truncated {
            self.fail(WriteError::Bytecode {
                name: String::new(),
                offset: last_fitting(code, start, ops),
            });
        }
        self.out.extend_from_slice(&code[run..]);
    }

    /// Writes one raw code up to (not including) its children (`save_raw_code`).
    fn raw_code(&mut self, rc: &RawCode) {
        if self.v5 {
            self.raw_code_v5(rc);
            return;
        }
        let err_before = self.error.is_some();
        let kind = rc.kind();
        let fun_data = rc.fun_data();
        put_uint(
            self.out,
            (fun_data.len() as u64) << 2 | u64::from(kind.number()),
        );
        let prelude = match &rc.body {
            Body::Bytecode(code) => Some(Prelude::decode(code, 0)),
            Body::Native(n) => match n.kind {
                NativeKind::Python { prelude_offset, .. } => {
                    Some(Prelude::decode(&n.code, prelude_offset as usize))
                }
                _ => None,
            },
        };
        let prelude = match prelude {
            Some(Ok(p)) => Some(p),
            Some(Err(error)) => {
                self.fail(WriteError::Prelude {
                    name: String::new(),
                    error,
                });
                None
            }
            None => None,
        };

        match &rc.body {
            Body::Bytecode(code) => match &prelude {
                Some(p) => {
                    self.out.extend_from_slice(&code[..p.bytecode_start]);
                    let ops = rc.inline_qstr_ops.as_deref();
                    self.bytecode_or_known(code, p.bytecode_start, ops);
                }
                None => self.out.extend_from_slice(code),
            },
            Body::Native(n) => {
                if n.arch != self.arch {
                    self.fail(WriteError::ArchMismatch {
                        name: String::new(),
                        code_arch: n.arch.name(),
                        module_arch: self.arch.name(),
                    });
                }
                self.out.extend_from_slice(&n.code);
                match &n.kind {
                    NativeKind::Python {
                        qstr_links,
                        prelude_offset,
                    } => {
                        self.qstr_links(qstr_links);
                        put_uint(self.out, u64::from(*prelude_offset));
                    }
                    NativeKind::Viper {
                        qstr_links,
                        scope_flags,
                    } => {
                        self.qstr_links(qstr_links);
                        put_uint(self.out, u64::from(*scope_flags));
                    }
                    NativeKind::Asm {
                        scope_flags,
                        n_pos_args,
                        type_sig,
                    } => {
                        put_uint(self.out, u64::from(*scope_flags));
                        put_uint(self.out, u64::from(*n_pos_args));
                        put_uint(self.out, u64::from(*type_sig));
                    }
                }
            }
        }

        if matches!(kind, CodeKind::Bytecode | CodeKind::NativePy) {
            let (simple_name, source_file) = match (&rc.loaded, &prelude) {
                (Some(l), _) => (l.simple_name, l.source_file),
                (None, Some(p)) => (p.simple_name, p.source_file),
                (None, None) => (Qstr::NULL, Qstr::NULL),
            };
            self.qstr(simple_name);
            self.qstr(source_file);
        }

        if kind != CodeKind::NativeAsm {
            put_uint(self.out, rc.consts.len() as u64);
            put_uint(self.out, rc.children.len() as u64);
            let expected = prelude.as_ref().map_or(0, |p| p.n_args());
            if rc.arg_names.len() != expected
                && (prelude.is_some() || kind == CodeKind::NativeViper)
            {
                self.fail(WriteError::ArgNames {
                    name: String::new(),
                    found: rc.arg_names.len(),
                    expected,
                });
            }
            if kind != CodeKind::NativeViper {
                for &q in &rc.arg_names {
                    self.qstr(q);
                }
            }
            self.consts(rc);
        }

        self.name_error(err_before, rc, prelude.as_ref().map(|p| p.simple_name));
    }

    /// Writes one raw code of a v5 file up to its children: the packed prelude, the simple
    /// name and source file (saved qstrs), the rest of the code info (line numbers, cells),
    /// the opcodes with their qstrs saved, then the const table as v4 has it.
    fn raw_code_v5(&mut self, rc: &RawCode) {
        let err_before = self.error.is_some();
        let fun_data = rc.fun_data();
        put_uint(
            self.out,
            (fun_data.len() as u64) << 2 | u64::from(rc.kind().number()),
        );
        let mut simple_name = None;
        let mut n_args = 0;
        let layout = match &rc.body {
            Body::Bytecode(code) => prelude_v5(code).ok_or(PreludeError::Truncated),
            Body::Native(_) => Err(PreludeError::NoPrelude),
        };
        match layout {
            Ok(p) => {
                let qstr_at =
                    |at: usize| Qstr(u16::from_le_bytes([fun_data[at], fun_data[at + 1]]));
                let (name, file) = (qstr_at(p.info), qstr_at(p.info + 2));
                self.out.extend_from_slice(&fun_data[..p.info]);
                self.qstr(name);
                self.qstr(file);
                self.out
                    .extend_from_slice(&fun_data[p.info + 4..p.bytecode_start]);
                let ops = rc.inline_qstr_ops.as_deref();
                self.bytecode_or_known(fun_data, p.bytecode_start, ops);
                simple_name = Some(name);
                n_args = p.n_args;
            }
            Err(error) => {
                self.fail(WriteError::Prelude {
                    name: String::new(),
                    error,
                });
                self.out.extend_from_slice(fun_data);
            }
        }
        put_uint(self.out, rc.consts.len() as u64);
        put_uint(self.out, rc.children.len() as u64);
        if rc.arg_names.len() != n_args && simple_name.is_some() {
            self.fail(WriteError::ArgNames {
                name: String::new(),
                found: rc.arg_names.len(),
                expected: n_args,
            });
        }
        for &q in &rc.arg_names {
            self.qstr(q);
        }
        self.consts(rc);
        self.name_error(err_before, rc, simple_name);
    }

    /// The const table's objects, each with the text its number was read from, if any.
    fn consts(&mut self, rc: &RawCode) {
        let texts = rc
            .loaded
            .as_ref()
            .map(|l| &l.number_texts[..])
            .unwrap_or(&[]);
        for (i, obj) in rc.consts.iter().enumerate() {
            let text = texts.get(i).and_then(|t| t.as_deref());
            self.obj(obj, text);
        }
    }

    /// Names the raw code in the first error it caused (if there was none before it).
    fn name_error(&mut self, err_before: bool, rc: &RawCode, simple_name: Option<Qstr>) {
        let kind = rc.kind();
        if !err_before {
            if let Some(e) = &mut self.error {
                let name = match (&rc.loaded, simple_name) {
                    (Some(l), _) => self.pool.text(l.simple_name),
                    (None, Some(q)) => self.pool.text(q),
                    _ => kind.name().to_string(),
                };
                set_name(e, name);
            }
        }
    }
}

/// Where a v5 bytecode's parts start: its code info (which opens with the simple name and
/// source file) and its opcodes; and how many argument names its const table opens with.
struct LayoutV5 {
    info: usize,
    bytecode_start: usize,
    n_args: usize,
}

/// The layout of a v5 bytecode from its packed prelude; `None` if the prelude does not fit
/// the code or its code info cannot hold the two names.
fn prelude_v5(code: &[u8]) -> Option<LayoutV5> {
    let (sig, (n_info, n_cells), info) = crate::v6::disasm::decode_signature_and_sizes(code)?;
    let n_info = usize::try_from(n_info).ok()?;
    let bytecode_start = info
        .checked_add(n_info)?
        .checked_add(usize::try_from(n_cells).ok()?)?;
    if n_info < 4 || bytecode_start > code.len() {
        return None;
    }
    let n_args = usize::try_from(sig.n_pos_args.checked_add(sig.n_kwonly_args)?).ok()?;
    Some(LayoutV5 {
        info,
        bytecode_start,
        n_args,
    })
}

/// Where the instruction that runs past the end of `code` starts (the walk of
/// [`Writer::bytecode`] again, for its error).
#[cold]
fn last_fitting(code: &[u8], start: usize, ops: &OpTable) -> usize {
    let mut pos = start;
    while let Some(&op) = code.get(pos) {
        let entry = ops[usize::from(op)];
        let mut size = usize::from(entry & 7);
        if entry & OP_VAR_UINT != 0 {
            let operand = code.get(pos + 1..).unwrap_or_default();
            match operand.iter().position(|b| b & 0x80 == 0) {
                Some(n) => size += n + 1,
                None => break,
            }
        }
        if pos + size > code.len() {
            break;
        }
        pos += size;
    }
    pos
}

/// Appends `code[from..to]`. A short run is copied as one 16-byte block and cut back to
/// size, which compiles to two moves rather than a `memcpy` call.
#[inline]
fn copy_run(out: &mut Vec<u8>, code: &[u8], from: usize, to: usize) {
    let block = code.get(from..).and_then(<[u8]>::first_chunk::<16>);
    match block {
        Some(block) if to - from <= 16 => {
            let len = out.len();
            out.extend_from_slice(block);
            out.truncate(len + (to - from));
        }
        _ => out.extend_from_slice(&code[from..to]),
    }
}

fn set_name(e: &mut WriteError, new: String) {
    match e {
        WriteError::Prelude { name, .. }
        | WriteError::Bytecode { name, .. }
        | WriteError::UnknownQstr { name, .. }
        | WriteError::ArgNames { name, .. }
        | WriteError::ArchMismatch { name, .. } => *name = new,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawcode::opcode_format;

    /// The walk as `save_bytecode` does it, one `opcode_format` call per opcode: what the
    /// table-driven walk must reproduce byte for byte, errors included.
    fn bytecode_by_format(w: &mut Writer, code: &[u8], start: usize) {
        let mut pos = start;
        let mut run = start;
        while pos < code.len() {
            let Some((f, size)) = opcode_format(&code[pos..], w.cache) else {
                w.fail(WriteError::Bytecode {
                    name: String::new(),
                    offset: pos,
                });
                break;
            };
            if f == OpFormat::Qstr {
                w.out.extend_from_slice(&code[run..=pos]);
                w.qstr(Qstr(
                    u16::from(code[pos + 1]) | (u16::from(code[pos + 2]) << 8),
                ));
                run = pos + 3;
            }
            pos += size;
        }
        w.out.extend_from_slice(&code[run..]);
    }

    type Walk = fn(&mut Writer, &[u8], usize);

    fn walk(pool: &QstrPool, code: &[u8], cache: bool, f: Walk) -> (Vec<u8>, Option<WriteError>) {
        let mut out = Vec::new();
        let mut w = Writer {
            out: &mut out,
            pool,
            window: SaveWindow::new(pool.len()),
            cache,
            v5: false,
            arch: Arch::None,
            error: None,
        };
        f(&mut w, code, 0);
        let error = w.error;
        (out, error)
    }

    fn check(pool: &QstrPool, code: &[u8]) {
        for cache in [false, true] {
            assert_eq!(
                walk(pool, code, cache, |w, c, s| w.bytecode(c, s)),
                walk(pool, code, cache, bytecode_by_format),
                "code {code:02x?}, cache {cache}"
            );
        }
    }

    fn pool() -> QstrPool {
        let mut pool = QstrPool::new();
        for i in 0..40 {
            pool.intern(format!("name{i}").as_bytes());
        }
        pool
    }

    #[test]
    fn every_opcode_alone_and_cut_short() {
        let pool = pool();
        // Each opcode with a full operand (a qstr of the pool, a two-byte var-uint, an extra
        // and a cache byte), then cut at every length.
        for op in 0..=255u8 {
            let code = [op, 0x55, 0x81, 0x01, 0x11, 0x5b];
            for end in 0..=code.len() {
                check(&pool, &code[..end]);
            }
        }
    }

    #[test]
    fn random_code_walks_alike() {
        let pool = pool();
        let mut x = 0x9e37_79b9_u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        for _ in 0..3000 {
            let len = (next() % 48) as usize;
            let code: Vec<u8> = (0..len)
                .map(|_| match next() % 8 {
                    // Qstr opcodes with numbers in and out of the pool, static or not.
                    0 => [0x16, 0x1b, 0x1c, 0x1d, 0x26, 0x68][(next() % 6) as usize],
                    1 => (next() % 4) as u8,
                    2 => 0x01,
                    3 => 0x80 | next() as u8,
                    _ => next() as u8,
                })
                .collect();
            check(&pool, &code);
        }
    }
}
