//! The `.mpy` v6 writer: the bytes `mp_raw_code_save` writes for a module.

use super::error::WriteError;
use super::read::relocation_stream_ok;
use super::static_qstrs::static_number;
use super::MPY_VERSION;
use crate::number::{parse_complex, parse_float, put_int_text};
use crate::varint::put_uint;
use rawcode::v6::{
    CodeKind, Header, Module, NativeExtras, Obj, RawCode, SCOPE_FLAG_VIPERBSS,
    SCOPE_FLAG_VIPERRELOC, SCOPE_FLAG_VIPERRODATA,
};

/// Writes `module` as a `.mpy` v6 file.
pub fn write(module: &Module) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::new();
    write_into(module, &mut out)?;
    Ok(out)
}

/// Appends `module` as a `.mpy` v6 file to `out` (left as it was on error).
pub fn write_into(module: &Module, out: &mut Vec<u8>) -> Result<(), WriteError> {
    let start = out.len();
    let result = write_all(module, out);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

fn write_all(module: &Module, out: &mut Vec<u8>) -> Result<(), WriteError> {
    let qstrs = module.qstrs.iter().map(Vec::as_slice);
    write_module_head(out, &module.header, qstrs, &module.objs)?;
    // Depth-first without recursion: each entry is a raw code, or the trailer of one whose
    // children are all written (its relocations).
    enum Step<'a> {
        Code(&'a RawCode),
        Trailer(&'a RawCode),
    }
    let mut stack = vec![Step::Code(&module.root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Code(rc) => {
                put_head(out, rc)?;
                stack.push(Step::Trailer(rc));
                stack.extend(rc.children.iter().rev().map(Step::Code));
            }
            Step::Trailer(rc) => {
                if let Some(relocs) = extras(&rc.kind).and_then(|e| e.relocations.as_ref()) {
                    out.extend_from_slice(relocs);
                    out.push(0xff);
                }
            }
        }
    }
    Ok(())
}

/// Appends the start of a `.mpy` v6 file: the header, then the qstr and object tables
/// (`qstrs` are the qstr table's texts, in order). The raw codes follow
/// ([`write_bytecode_head`] for each bytecode one, parents before children, in order).
///
/// With [`write_bytecode_head`] this writes a bytecode module without a [`Module`] value;
/// [`write`] writes the same bytes from one. On error `out` is left part-written.
pub fn write_module_head<'q>(
    out: &mut Vec<u8>,
    h: &Header,
    qstrs: impl ExactSizeIterator<Item = &'q [u8]>,
    objs: &[Obj],
) -> Result<(), WriteError> {
    let numbered = qstrs.map(|s| (s, static_number(s)));
    write_module_head_numbered(out, h, numbered, objs)
}

/// [`write_module_head`] with each qstr's static number (see [`static_number`]) given with
/// its text by a caller that knows it (a compiler, from the qstr's number in its pool)
/// instead of looked up from the text.
pub fn write_module_head_numbered<'q>(
    out: &mut Vec<u8>,
    h: &Header,
    qstrs: impl ExactSizeIterator<Item = (&'q [u8], Option<usize>)>,
    objs: &[Obj],
) -> Result<(), WriteError> {
    if h.version != MPY_VERSION {
        return Err(WriteError::Version(h.version));
    }
    if h.sub_version > 3 {
        return Err(WriteError::SubVersion(h.sub_version));
    }
    out.extend_from_slice(&[b'M', h.version, h.feature_byte(), h.small_int_bits]);
    if h.arch_flags != 0 {
        put_uint(out, h.arch_flags);
    }
    put_uint(out, qstrs.len() as u64);
    put_uint(out, objs.len() as u64);
    for (q, number) in qstrs {
        debug_assert_eq!(number, static_number(q), "static number of {q:?}");
        put_qstr(out, q, number);
    }
    for o in objs {
        put_obj(out, o)?;
    }
    Ok(())
}

/// Appends a bytecode raw code up to its children: kind and length, `fun_data`, and the
/// number of children when there are any (the children are written next, in order).
pub fn write_bytecode_head(out: &mut Vec<u8>, fun_data: &[u8], n_children: usize) {
    let has_children = u64::from(n_children != 0);
    let kind = u64::from(CodeKind::Bytecode.number());
    put_uint(out, (fun_data.len() as u64) << 3 | has_children << 2 | kind);
    out.extend_from_slice(fun_data);
    if n_children != 0 {
        put_uint(out, n_children as u64);
    }
}

fn extras(kind: &CodeKind) -> Option<&NativeExtras> {
    match kind {
        CodeKind::Viper { extras, .. } | CodeKind::Asm { extras, .. } => Some(extras),
        _ => None,
    }
}

/// A qstr table entry: static ones by number, others in full with a null byte.
pub(super) fn put_qstr(out: &mut Vec<u8>, s: &[u8], static_number: Option<usize>) {
    match static_number {
        Some(n) => put_uint(out, (n as u64) << 1 | 1),
        None => {
            put_uint(out, (s.len() as u64) << 1);
            out.extend_from_slice(s);
            out.push(0);
        }
    }
}

/// A constant object (`save_obj`); tuples nest without recursion limits of their own (the
/// reader bounds what it accepts).
fn put_obj(out: &mut Vec<u8>, o: &Obj) -> Result<(), WriteError> {
    out.push(o.type_byte());
    match o {
        Obj::FunTable | Obj::None | Obj::False | Obj::True | Obj::Ellipsis => {}
        Obj::Str(s) | Obj::Bytes(s) => {
            put_uint(out, s.len() as u64);
            out.extend_from_slice(s);
            out.push(0);
        }
        Obj::Int(v) => put_int_text(out, v),
        Obj::Float(text) | Obj::Complex(text) => {
            let ok = text.is_ascii()
                && match o {
                    Obj::Float(_) => parse_float(text.as_bytes()).is_some(),
                    _ => parse_complex(text.as_bytes()).is_some(),
                };
            if !ok {
                return Err(WriteError::Number(text.clone()));
            }
            put_uint(out, text.len() as u64);
            out.extend_from_slice(text.as_bytes());
        }
        Obj::Tuple(items) => {
            put_uint(out, items.len() as u64);
            for item in items {
                put_obj(out, item)?;
            }
        }
    }
    Ok(())
}

/// A raw code up to its children count: kind and length, code, the kind's numbers.
fn put_head(out: &mut Vec<u8>, rc: &RawCode) -> Result<(), WriteError> {
    if rc.kind == CodeKind::Bytecode {
        write_bytecode_head(out, &rc.fun_data, rc.children.len());
        return Ok(());
    }
    let has_children = u64::from(!rc.children.is_empty());
    put_uint(
        out,
        (rc.fun_data.len() as u64) << 3 | has_children << 2 | u64::from(rc.kind.number()),
    );
    out.extend_from_slice(&rc.fun_data);
    match &rc.kind {
        CodeKind::Bytecode => {}
        CodeKind::Native { prelude_offset } => put_uint(out, *prelude_offset),
        CodeKind::Viper {
            scope_flags,
            extras,
        } => {
            check_extras(*scope_flags, extras, true)?;
            put_uint(out, *scope_flags);
            if let Some(rodata) = &extras.rodata {
                put_uint(out, rodata.len() as u64);
            }
            if let Some(bss) = extras.bss_size {
                put_uint(out, bss);
            }
            if let Some(rodata) = &extras.rodata {
                out.extend_from_slice(rodata);
            }
        }
        CodeKind::Asm {
            scope_flags,
            n_pos_args,
            type_sig,
            extras,
        } => {
            check_extras(*scope_flags, extras, false)?;
            put_uint(out, *scope_flags);
            put_uint(out, *n_pos_args);
            put_uint(out, *type_sig);
        }
    }
    if !rc.children.is_empty() {
        put_uint(out, rc.children.len() as u64);
    }
    Ok(())
}

/// The extras must be present exactly when the scope flags announce them (rodata and bss are
/// read for viper code only).
fn check_extras(flags: u64, extras: &NativeExtras, viper: bool) -> Result<(), WriteError> {
    let wants = |bit: u64| flags & bit != 0;
    if extras.rodata.is_some() != (viper && wants(SCOPE_FLAG_VIPERRODATA)) {
        return Err(WriteError::Extras {
            what: "rodata",
            flags,
        });
    }
    if extras.bss_size.is_some() != (viper && wants(SCOPE_FLAG_VIPERBSS)) {
        return Err(WriteError::Extras { what: "bss", flags });
    }
    match &extras.relocations {
        Some(r) if !relocation_stream_ok(r) => Err(WriteError::Relocations),
        Some(_) if !wants(SCOPE_FLAG_VIPERRELOC) => Err(WriteError::Extras {
            what: "relocations",
            flags,
        }),
        None if wants(SCOPE_FLAG_VIPERRELOC) => Err(WriteError::Extras {
            what: "relocations",
            flags,
        }),
        _ => Ok(()),
    }
}
