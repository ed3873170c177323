//! What `mpyc dump` shows of a `.mpy` v6 file: header, the module's qstr and constant tables,
//! and the raw-code tree with decoded preludes and bytecode (machine code as hex).

use super::disasm::{
    decode_prelude, disassemble, DisasmError, Instr, Operand, BINARY_OPS, UNARY_OPS,
};
use crate::dump::{bytes_repr, str_repr, text, DumpConst, DumpInstr};
use rawcode::v6::{CodeKind, Module, Obj, RawCode};
use serde::Serialize;
use std::fmt::Write;

/// A whole v6 file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpV6 {
    pub version: u8,
    pub sub_version: u8,
    pub small_int_bits: u8,
    /// Native architecture named by the header (`none` when the file has no native code).
    pub arch: &'static str,
    pub arch_flags: u64,
    /// The qstr table, by index.
    pub qstrs: Vec<String>,
    /// The constant table, by index.
    pub consts: Vec<DumpConst>,
    pub raw_code: DumpRawCodeV6,
}

/// One raw code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpRawCodeV6 {
    pub kind: &'static str,
    /// Size of `fun_data`.
    pub size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simple_name: Option<String>,
    pub arg_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prelude: Option<DumpPreludeV6>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bytecode: Vec<DumpInstr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub native: Option<DumpNativeV6>,
    pub children: Vec<DumpRawCodeV6>,
}

/// A decoded prelude.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpPreludeV6 {
    pub n_state: u64,
    pub n_exc_stack: u64,
    pub scope_flags: u64,
    pub n_pos_args: u64,
    pub n_kwonly_args: u64,
    pub n_def_pos_args: u64,
    pub n_info: u64,
    /// (offset from the first opcode, line).
    pub lines: Vec<(u64, u64)>,
    pub cells: Vec<u8>,
}

/// The numbers native code carries after its machine code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpNativeV6 {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prelude_offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_flags: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_pos_args: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_sig: Option<u64>,
    /// Natmod extras: rodata size, bss size, relocation stream length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rodata_size: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bss_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relocation_bytes: Option<usize>,
    pub code_hex: String,
}

/// Builds the dump of a read module.
pub fn describe(m: &Module) -> Result<DumpV6, DisasmError> {
    let qstrs: Vec<String> = m.qstrs.iter().map(|q| str_repr(q)).collect();
    let consts = m
        .objs
        .iter()
        .enumerate()
        .map(|(index, o)| DumpConst {
            index,
            kind: obj_type(o),
            value: obj_repr(o),
        })
        .collect();
    Ok(DumpV6 {
        version: m.header.version,
        sub_version: m.header.sub_version,
        small_int_bits: m.header.small_int_bits,
        arch: m.header.arch.name(),
        arch_flags: m.header.arch_flags,
        raw_code: raw_code(m, &m.root)?,
        qstrs,
        consts,
    })
}

fn raw_code(m: &Module, rc: &RawCode) -> Result<DumpRawCodeV6, DisasmError> {
    let name = |i: u64| {
        usize::try_from(i)
            .ok()
            .and_then(|i| m.qstrs.get(i))
            .map(|q| String::from_utf8_lossy(q).into_owned())
    };
    let prelude_at = match rc.kind {
        CodeKind::Bytecode => Some(0),
        CodeKind::Native { prelude_offset } => usize::try_from(prelude_offset).ok(),
        _ => None,
    };
    let prelude = match prelude_at {
        Some(at) => Some(decode_prelude(rc.fun_data.get(at..).unwrap_or_default())?),
        None => None,
    };
    let mut bytecode = Vec::new();
    if let (CodeKind::Bytecode, Some(p)) = (&rc.kind, &prelude) {
        let code = &rc.fun_data[p.code_start..];
        for i in disassemble(code, m.qstrs.len(), m.objs.len(), rc.children.len())? {
            bytecode.push(instr(&i, m));
        }
    }
    let native = match &rc.kind {
        CodeKind::Bytecode => None,
        kind => {
            let mut n = DumpNativeV6 {
                prelude_offset: None,
                scope_flags: None,
                n_pos_args: None,
                type_sig: None,
                rodata_size: None,
                bss_size: None,
                relocation_bytes: None,
                code_hex: rc.fun_data.iter().map(|b| format!("{b:02x}")).collect(),
            };
            match kind {
                CodeKind::Native { prelude_offset } => n.prelude_offset = Some(*prelude_offset),
                CodeKind::Viper {
                    scope_flags,
                    extras,
                }
                | CodeKind::Asm {
                    scope_flags,
                    extras,
                    ..
                } => {
                    n.scope_flags = Some(*scope_flags);
                    n.rodata_size = extras.rodata.as_ref().map(Vec::len);
                    n.bss_size = extras.bss_size;
                    n.relocation_bytes = extras.relocations.as_ref().map(Vec::len);
                    if let CodeKind::Asm {
                        n_pos_args,
                        type_sig,
                        ..
                    } = kind
                    {
                        n.n_pos_args = Some(*n_pos_args);
                        n.type_sig = Some(*type_sig);
                    }
                }
                CodeKind::Bytecode => {}
            }
            Some(n)
        }
    };
    let children = rc
        .children
        .iter()
        .map(|c| raw_code(m, c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DumpRawCodeV6 {
        kind: rc.kind.name(),
        size: rc.fun_data.len(),
        simple_name: prelude.as_ref().and_then(|p| name(p.simple_name)),
        arg_names: prelude
            .as_ref()
            .map(|p| p.arg_names.iter().filter_map(|&i| name(i)).collect())
            .unwrap_or_default(),
        prelude: prelude.map(|p| DumpPreludeV6 {
            n_state: p.n_state,
            n_exc_stack: p.n_exc_stack,
            scope_flags: p.scope_flags,
            n_pos_args: p.n_pos_args,
            n_kwonly_args: p.n_kwonly_args,
            n_def_pos_args: p.n_def_pos_args,
            n_info: p.n_info,
            lines: p.lines,
            cells: p.cells,
        }),
        bytecode,
        native,
        children,
    })
}

fn instr(i: &Instr, m: &Module) -> DumpInstr {
    let at = |i: u64| usize::try_from(i).unwrap_or(usize::MAX);
    let mut args = match i.operand {
        Operand::None => String::new(),
        Operand::Qstr(q) => m
            .qstrs
            .get(at(q))
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default(),
        Operand::Obj(o) => m.objs.get(at(o)).map(obj_repr).unwrap_or_default(),
        Operand::Child(c) => format!("child {c}"),
        Operand::Uint(n) if i.name == "UNARY_OP" => UNARY_OPS[at(n)].to_string(),
        Operand::Uint(n) if i.name == "BINARY_OP" => BINARY_OPS[at(n)].to_string(),
        Operand::Uint(n) => n.to_string(),
        Operand::Int(n) => n.to_string(),
        Operand::Target(t) => format!("-> {t}"),
    };
    if let Some(e) = i.extra {
        let _ = write!(args, " extra {e}");
    }
    DumpInstr {
        offset: i.offset,
        opcode: i.opcode,
        name: i.name,
        args,
    }
}

fn obj_type(o: &Obj) -> &'static str {
    match o {
        Obj::FunTable => "fun_table",
        Obj::None => "none",
        Obj::False | Obj::True => "bool",
        Obj::Ellipsis => "ellipsis",
        Obj::Str(_) => "str",
        Obj::Bytes(_) => "bytes",
        Obj::Int(_) => "int",
        Obj::Float(_) => "float",
        Obj::Complex(_) => "complex",
        Obj::Tuple(_) => "tuple",
    }
}

/// Python-style repr of a constant.
pub fn obj_repr(o: &Obj) -> String {
    match o {
        Obj::FunTable => "<fun_table>".into(),
        Obj::None => "None".into(),
        Obj::False => "False".into(),
        Obj::True => "True".into(),
        Obj::Ellipsis => "Ellipsis".into(),
        Obj::Str(s) => str_repr(s),
        Obj::Bytes(b) => bytes_repr(b),
        Obj::Int(v) => v.to_string(),
        Obj::Float(t) | Obj::Complex(t) => t.clone(),
        Obj::Tuple(items) => {
            let inner: Vec<String> = items.iter().map(obj_repr).collect();
            if inner.len() == 1 {
                format!("({},)", inner[0])
            } else {
                format!("({})", inner.join(", "))
            }
        }
    }
}

impl DumpV6 {
    /// The text form `mpyc dump` prints.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        // The sub-version is in the header only with native code (mpy-cross writes 0 else).
        if self.arch == "none" && self.sub_version == 0 {
            let _ = writeln!(out, "mpy version {}", self.version);
        } else {
            let _ = writeln!(out, "mpy version {}.{}", self.version, self.sub_version);
        }
        let _ = writeln!(out, "small int bits {}", self.small_int_bits);
        if self.arch_flags != 0 {
            let _ = writeln!(out, "arch {} (flags {:#x})", self.arch, self.arch_flags);
        } else {
            let _ = writeln!(out, "arch {}", self.arch);
        }
        let _ = writeln!(out, "qstrs {}", self.qstrs.len());
        for (i, q) in self.qstrs.iter().enumerate() {
            let _ = writeln!(out, "  {i:>5} {q}");
        }
        let _ = writeln!(out, "constants {}", self.consts.len());
        for c in &self.consts {
            let _ = writeln!(out, "  {:>5} {} {}", c.index, c.kind, c.value);
        }
        raw_code_text(&mut out, &self.raw_code, 0);
        out
    }

    /// The JSON form (`mpyc dump --json`), pretty-printed with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

fn raw_code_text(out: &mut String, rc: &DumpRawCodeV6, depth: usize) {
    let pad = text::raw_code_heading(out, depth, rc.simple_name.as_deref(), rc.kind, rc.size);
    if !rc.arg_names.is_empty() {
        let _ = writeln!(out, "{pad}arg names {}", rc.arg_names.join(" "));
    }
    if let Some(p) = &rc.prelude {
        prelude_text(out, &pad, p, "source info");
    }
    if let Some(n) = &rc.native {
        native_header_text(
            out,
            &pad,
            n.prelude_offset,
            n.scope_flags,
            n.n_pos_args,
            n.type_sig,
        );
        if let Some(r) = n.rodata_size {
            let _ = writeln!(out, "{pad}rodata {r} bytes");
        }
        if let Some(b) = n.bss_size {
            let _ = writeln!(out, "{pad}bss {b} bytes");
        }
        if let Some(r) = n.relocation_bytes {
            let _ = writeln!(out, "{pad}relocations {r} bytes");
        }
        text::machine_code(out, &pad, &n.code_hex);
    }
    text::bytecode(out, &pad, &rc.bytecode);
    for child in &rc.children {
        raw_code_text(out, child, depth + 1);
    }
}

/// A bytecode prelude's lines (v5 and v6 dumps; `info` names the line-info section).
pub(crate) fn prelude_text(out: &mut String, pad: &str, p: &DumpPreludeV6, info: &str) {
    let _ = writeln!(
        out,
        "{pad}n_state {} n_exc_stack {} scope flags {:#04x}",
        p.n_state, p.n_exc_stack, p.scope_flags
    );
    let _ = writeln!(
        out,
        "{pad}n_pos_args {} n_kwonly_args {} n_def_pos_args {}",
        p.n_pos_args, p.n_kwonly_args, p.n_def_pos_args
    );
    let lines = text::line_table(&p.lines);
    let _ = writeln!(out, "{pad}{info} {} bytes, lines {lines}", p.n_info);
    if !p.cells.is_empty() {
        let cells: Vec<String> = p.cells.iter().map(u8::to_string).collect();
        let _ = writeln!(out, "{pad}cells {}", cells.join(" "));
    }
}

/// The lines a native raw code's saved prelude fields give (v5 and v6 dumps).
pub(crate) fn native_header_text(
    out: &mut String,
    pad: &str,
    prelude_offset: Option<u64>,
    scope_flags: Option<u64>,
    n_pos_args: Option<u64>,
    type_sig: Option<u64>,
) {
    if let Some(po) = prelude_offset {
        let _ = writeln!(out, "{pad}prelude offset {po}");
    }
    if let Some(sf) = scope_flags {
        let _ = writeln!(out, "{pad}scope flags {sf:#04x}");
    }
    if let (Some(np), Some(ts)) = (n_pos_args, type_sig) {
        let _ = writeln!(out, "{pad}n_pos_args {np} type_sig {ts:#x}");
    }
}
