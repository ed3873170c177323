//! The `.mpy` writer: `mp_raw_code_save` of `py/persistentcode.c`, byte for byte.

use crate::error::WriteError;
use crate::number::{complex_text, float_text};
use crate::varint::put_uint;
use crate::window::Window;
use crate::{MPY_VERSION, QSTR_WINDOW_SIZE};
use mpcore::{Qstr, QstrPool};
use rawcode::{opcode_format, CodeKind, Const, Module, NativeInfo, OpFormat, Prelude, RawCode};

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
    let mut feature = target.feature_flags();
    if module.root.has_native() {
        feature |= target.arch.number() << 2;
    }
    out.reserve(size_hint(&module.root));
    out.extend_from_slice(&[b'M', MPY_VERSION, feature, target.small_int_bits]);
    put_uint(out, QSTR_WINDOW_SIZE as u64);

    let mut w = Writer {
        out,
        pool: &module.qstrs,
        window: Window::new(),
        cache: target.cache_lookup_bc,
        error: None,
    };
    // Depth-first, children after their parent's const table, without recursion.
    let mut stack: Vec<(&RawCode, usize)> = vec![(&module.root, 0)];
    w.raw_code(&module.root);
    while let Some(top) = stack.last_mut() {
        let (rc, next) = *top;
        if let Some(child) = rc.children.get(next) {
            top.1 += 1;
            w.raw_code(child);
            stack.push((child, 0));
        } else {
            stack.pop();
        }
    }
    match w.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Roughly how many bytes the file will take (code, constants, a little per raw code), so the
/// output grows once instead of many times.
fn size_hint(root: &RawCode) -> usize {
    let mut total = 8;
    let mut stack = vec![root];
    while let Some(rc) = stack.pop() {
        total += rc.fun_data.len() + 16 + 4 * rc.arg_names.len();
        for c in &rc.consts {
            total += 4 + match c {
                Const::Str(s) | Const::Bytes(s) => s.len(),
                _ => 24,
            };
        }
        stack.extend(rc.children.iter());
    }
    total
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
    pool: &'a QstrPool,
    window: Window,
    cache: bool,
    error: Option<WriteError>,
}

impl Writer<'_> {
    fn fail(&mut self, e: WriteError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    fn qstr(&mut self, q: Qstr) {
        if q.0 <= mpcore::qstr::LAST_STATIC {
            self.out.extend_from_slice(&[0, q.0 as u8]);
            return;
        }
        if let Some(pos) = self.window.insert(q) {
            put_uint(self.out, (pos as u64) << 1 | 1);
            return;
        }
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
            Const::Int(i) => number(b'i', self.out, i.to_string().as_bytes()),
            Const::Float(f) => match text {
                Some(t) => number(b'f', self.out, t),
                None => number(b'f', self.out, float_text(*f).as_bytes()),
            },
            Const::Complex { real, imag } => match text {
                Some(t) => number(b'c', self.out, t),
                None => number(b'c', self.out, complex_text(*real, *imag).as_bytes()),
            },
        }
    }

    /// Writes opcodes, replacing each inline qstr by its window encoding (`save_bytecode`).
    fn bytecode(&mut self, code: &[u8], start: usize) {
        let mut pos = start;
        let mut run = start;
        while pos < code.len() {
            let Some((f, size)) = opcode_format(&code[pos..], self.cache) else {
                self.fail(WriteError::Bytecode {
                    name: String::new(),
                    offset: pos,
                });
                break;
            };
            if f == OpFormat::Qstr {
                self.out.extend_from_slice(&code[run..=pos]);
                self.qstr(Qstr(
                    u16::from(code[pos + 1]) | (u16::from(code[pos + 2]) << 8),
                ));
                run = pos + 3;
            }
            pos += size;
        }
        self.out.extend_from_slice(&code[run..]);
    }

    /// Writes one raw code up to (not including) its children (`save_raw_code`).
    fn raw_code(&mut self, rc: &RawCode) {
        let err_before = self.error.is_some();
        let fun_data = &rc.fun_data[..];
        put_uint(
            self.out,
            (fun_data.len() as u64) << 2 | u64::from(rc.kind.number()),
        );
        let default_native = NativeInfo::default();
        let native = match (&rc.native, rc.kind) {
            (Some(n), _) => n,
            (None, CodeKind::Bytecode) => &default_native,
            (None, _) => {
                self.fail(WriteError::MissingNative {
                    name: String::new(),
                });
                &default_native
            }
        };
        let prelude = match rc.kind {
            CodeKind::Bytecode => Some(Prelude::decode(fun_data, 0)),
            CodeKind::NativePy => Some(Prelude::decode(fun_data, native.prelude_offset as usize)),
            _ => None,
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

        match rc.kind {
            CodeKind::Bytecode => match &prelude {
                Some(p) => {
                    self.out.extend_from_slice(&fun_data[..p.bytecode_start]);
                    self.bytecode(fun_data, p.bytecode_start);
                }
                None => self.out.extend_from_slice(fun_data),
            },
            _ => {
                self.out.extend_from_slice(fun_data);
                if matches!(rc.kind, CodeKind::NativePy | CodeKind::NativeViper) {
                    put_uint(self.out, native.qstr_links.len() as u64);
                    for link in &native.qstr_links {
                        put_uint(self.out, u64::from(link.off));
                        self.qstr(link.qstr);
                    }
                }
                if rc.kind == CodeKind::NativePy {
                    put_uint(self.out, u64::from(native.prelude_offset));
                } else {
                    put_uint(self.out, u64::from(native.scope_flags));
                    if rc.kind == CodeKind::NativeAsm {
                        put_uint(self.out, u64::from(native.n_pos_args));
                        put_uint(self.out, u64::from(native.type_sig));
                    }
                }
            }
        }

        if matches!(rc.kind, CodeKind::Bytecode | CodeKind::NativePy) {
            let (simple_name, source_file) = match (&rc.loaded, &prelude) {
                (Some(l), _) => (l.simple_name, l.source_file),
                (None, Some(p)) => (p.simple_name, p.source_file),
                (None, None) => (Qstr::NULL, Qstr::NULL),
            };
            self.qstr(simple_name);
            self.qstr(source_file);
        }

        if rc.kind != CodeKind::NativeAsm {
            put_uint(self.out, rc.consts.len() as u64);
            put_uint(self.out, rc.children.len() as u64);
            let expected = prelude.as_ref().map_or(0, Prelude::n_args);
            if rc.arg_names.len() != expected
                && (prelude.is_some() || rc.kind == CodeKind::NativeViper)
            {
                self.fail(WriteError::ArgNames {
                    name: String::new(),
                    found: rc.arg_names.len(),
                    expected,
                });
            }
            if rc.kind != CodeKind::NativeViper {
                for &q in &rc.arg_names {
                    self.qstr(q);
                }
            }
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

        if !err_before {
            if let Some(e) = &mut self.error {
                let name = match (&rc.loaded, &prelude) {
                    (Some(l), _) => self.pool.text(l.simple_name),
                    (None, Some(p)) => self.pool.text(p.simple_name),
                    _ => rc.kind.name().to_string(),
                };
                set_name(e, name);
            }
        }
    }
}

fn set_name(e: &mut WriteError, new: String) {
    match e {
        WriteError::Prelude { name, .. }
        | WriteError::Bytecode { name, .. }
        | WriteError::UnknownQstr { name, .. }
        | WriteError::ArgNames { name, .. }
        | WriteError::MissingNative { name } => *name = new,
    }
}
