//! What `mpyc dump` shows of a `.mpy` file: a tree built from a read [`Module`], rendered as
//! text ([`DumpFile::to_text`]) or JSON ([`DumpFile::to_json`]).

pub(crate) mod text;

pub use text::{bytes_repr, str_repr};

use crate::error::ReadError;
use crate::number::{complex_text, float_text};
use mpcore::{Qstr, QstrPool};
use rawcode::disasm::DisasmError;
use rawcode::opcode::{self, BINARY_OP_NAMES, UNARY_OP_NAMES};
use rawcode::{
    CodeKind, Const, ConstEntry, Instr, InstrIter, Module, NativeKind, NativeType, Operand,
    Prelude, PreludeError, RawCode,
};
use serde::Serialize;
use thiserror::Error;

/// Why a file cannot be dumped.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DumpError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("raw code {name}: {error}")]
    Prelude { name: String, error: PreludeError },
    #[error("raw code {name}: {error}")]
    Bytecode { name: String, error: DisasmError },
}

/// A whole file: header and raw-code tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpFile {
    pub version: u8,
    /// The feature-flag bits of the header (bit 0 cache-lookup-bc, bit 1 unicode).
    pub flags: u8,
    pub cache_lookup_bc: bool,
    pub unicode: bool,
    pub small_int_bits: u8,
    /// Native architecture named by the header (`none` when the file has no native code).
    pub arch: String,
    pub raw_code: DumpRawCode,
}

/// One raw code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpRawCode {
    pub kind: &'static str,
    /// Size of `fun_data` (prelude and bytecode, or machine code).
    pub size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simple_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_file: Option<String>,
    pub arg_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prelude: Option<DumpPrelude>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bytecode: Vec<DumpInstr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub native: Option<DumpNative>,
    pub consts: Vec<DumpConst>,
    pub children: Vec<DumpRawCode>,
}

/// The decoded prelude.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpPrelude {
    pub n_state: u64,
    pub n_exc_stack: u64,
    pub scope_flags: u32,
    pub scope_flag_names: Vec<&'static str>,
    pub n_pos_args: u8,
    pub n_kwonly_args: u8,
    pub n_def_pos_args: u8,
    pub code_info_size: usize,
    /// The simple-name and source-file qstr numbers the code info holds (the writing
    /// process's numbering).
    pub code_info_qstrs: [u16; 2],
    /// (offset from the first opcode, line): from that offset on, the code is on that line.
    pub lines: Vec<(i64, u64)>,
    /// Locals turned into cells on entry.
    pub cells: Vec<u8>,
}

/// One instruction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpInstr {
    /// Offset from the first opcode.
    pub offset: usize,
    pub opcode: u8,
    pub name: &'static str,
    /// Operands as text: qstrs by text, jump targets as absolute offsets, const-table
    /// entries by value.
    pub args: String,
}

/// Native-code facts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpNative {
    pub arch: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prelude_offset: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_flags: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_pos_args: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_sig: Option<u32>,
    /// The return type the asm type signature names, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_type: Option<&'static str>,
    pub qstr_links: Vec<DumpQstrLink>,
    /// The machine code (with its const table and prelude), in lower-case hex.
    pub code_hex: String,
}

/// One native qstr link.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpQstrLink {
    /// Byte offset in the machine code.
    pub offset: u32,
    /// `qstr` (16-bit number), `qstr-arch` (architecture-specific number) or `qstr-obj`.
    pub kind: &'static str,
    pub qstr: String,
}

/// One constant object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpConst {
    /// Const-table index (what `LOAD_CONST_OBJ` names it by).
    pub index: usize,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Python-style repr.
    pub value: String,
}

/// Reads `bytes` and builds its dump.
pub fn inspect(bytes: &[u8]) -> Result<DumpFile, DumpError> {
    describe(&crate::read(bytes)?)
}

/// Builds the dump of a module.
pub fn describe(module: &Module) -> Result<DumpFile, DumpError> {
    let t = &module.target;
    let arch = if module.root.has_native() {
        t.arch.name()
    } else {
        "none"
    };
    Ok(DumpFile {
        version: crate::MPY_VERSION,
        flags: t.feature_flags(),
        cache_lookup_bc: t.cache_lookup_bc,
        unicode: t.unicode,
        small_int_bits: t.small_int_bits,
        arch: arch.to_string(),
        raw_code: describe_raw_code(module, &module.root)?,
    })
}

impl DumpFile {
    /// The text form.
    pub fn to_text(&self) -> String {
        text::render(self)
    }

    /// The JSON form (pretty-printed, ending in a newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Names of the scope flags set in `flags` (`py/runtime0.h`).
pub fn scope_flag_names(flags: u32) -> Vec<&'static str> {
    const NAMES: [(u32, &str); 6] = [
        (0x01, "VARARGS"),
        (0x02, "VARKEYWORDS"),
        (0x04, "GENERATOR"),
        (0x08, "DEFKWARGS"),
        (0x10, "REFGLOBALS"),
        (0x20, "HASCONSTS"),
    ];
    let mut v: Vec<&'static str> = NAMES
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    if flags & !0x3f != 0 {
        v.push("VIPERRET");
    }
    v
}

/// Bytes as lower-case hex, two digits each.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn qstr_text(pool: &QstrPool, q: Qstr) -> String {
    pool.text(q)
}

/// The simple name of a raw code, as the file saved it.
fn name_of(rc: &RawCode) -> Option<Qstr> {
    if !matches!(rc.kind(), CodeKind::Bytecode | CodeKind::NativePy) {
        return None;
    }
    match &rc.loaded {
        Some(l) => Some(l.simple_name),
        None => rc.prelude().ok().map(|p| p.simple_name),
    }
}

/// How a const-table entry names a child: `<kind name>`, or `<kind>` when it has no name.
fn child_label(module: &Module, rc: &RawCode) -> String {
    match name_of(rc) {
        Some(q) => format!("<{} {}>", rc.kind().name(), qstr_text(&module.qstrs, q)),
        None => format!("<{}>", rc.kind().name()),
    }
}

fn describe_raw_code(module: &Module, rc: &RawCode) -> Result<DumpRawCode, DumpError> {
    let pool = &module.qstrs;
    let name = child_label(module, rc);
    let prelude = match rc.kind() {
        CodeKind::Bytecode | CodeKind::NativePy => {
            Some(rc.prelude().map_err(|error| DumpError::Prelude {
                name: name.clone(),
                error,
            })?)
        }
        _ => None,
    };
    let (simple_name, source_file) = match (&rc.loaded, &prelude) {
        (Some(l), Some(_)) => (Some(l.simple_name), Some(l.source_file)),
        (None, Some(p)) => (Some(p.simple_name), Some(p.source_file)),
        _ => (None, None),
    };
    let mut bytecode = Vec::new();
    if let (CodeKind::Bytecode, Some(p)) = (rc.kind(), &prelude) {
        let code = rc.fun_data().get(p.bytecode_start..).unwrap_or(&[]);
        for instr in InstrIter::new(code, module.target.cache_lookup_bc) {
            let instr = instr.map_err(|error| DumpError::Bytecode {
                name: name.clone(),
                error,
            })?;
            bytecode.push(DumpInstr {
                offset: instr.offset,
                opcode: instr.opcode,
                name: instr.name(),
                args: operand_text(module, rc, &instr),
            });
        }
    }
    let native = rc.native().map(|n| {
        let (prelude_offset, scope_flags, asm) = match n.kind {
            NativeKind::Python { prelude_offset, .. } => (Some(prelude_offset), None, None),
            NativeKind::Viper { scope_flags, .. } => (None, Some(scope_flags), None),
            NativeKind::Asm {
                scope_flags,
                n_pos_args,
                type_sig,
            } => (None, Some(scope_flags), Some((n_pos_args, type_sig))),
        };
        DumpNative {
            arch: n.arch.name().to_string(),
            prelude_offset,
            scope_flags,
            n_pos_args: asm.map(|a| a.0),
            type_sig: asm.map(|a| a.1),
            return_type: asm
                .and_then(|a| NativeType::from_number(a.1))
                .map(NativeType::name),
            qstr_links: n
                .qstr_links()
                .iter()
                .map(|l| DumpQstrLink {
                    offset: l.offset(),
                    kind: match l.link_kind() {
                        0 => "qstr",
                        2 => "qstr-obj",
                        _ => "qstr-arch",
                    },
                    qstr: qstr_text(pool, l.qstr),
                })
                .collect(),
            code_hex: hex(&n.code),
        }
    });
    let consts = rc
        .consts
        .iter()
        .enumerate()
        .map(|(i, c)| DumpConst {
            index: rc.obj_index(i),
            kind: const_kind(c),
            value: const_repr(rc, i, c),
        })
        .collect();
    let mut children = Vec::with_capacity(rc.children.len());
    for child in &rc.children {
        children.push(describe_raw_code(module, child)?);
    }
    Ok(DumpRawCode {
        kind: rc.kind().name(),
        size: rc.fun_data().len(),
        simple_name: simple_name.map(|q| qstr_text(pool, q)),
        source_file: source_file.map(|q| qstr_text(pool, q)),
        arg_names: rc.arg_names.iter().map(|&q| qstr_text(pool, q)).collect(),
        prelude: prelude.map(|p| describe_prelude(rc.fun_data(), &p)),
        bytecode,
        native,
        consts,
        children,
    })
}

fn describe_prelude(fun_data: &[u8], p: &Prelude) -> DumpPrelude {
    DumpPrelude {
        n_state: p.n_state,
        n_exc_stack: p.n_exc_stack,
        scope_flags: u32::from(p.scope_flags),
        scope_flag_names: scope_flag_names(u32::from(p.scope_flags)),
        n_pos_args: p.n_pos_args,
        n_kwonly_args: p.n_kwonly_args,
        n_def_pos_args: p.n_def_pos_args,
        code_info_size: p.code_info_size,
        code_info_qstrs: [p.simple_name.0, p.source_file.0],
        lines: p
            .lines(fun_data)
            .iter()
            .map(|e| (e.offset, e.line))
            .collect(),
        cells: p.cell_locals(fun_data).to_vec(),
    }
}

fn const_kind(c: &Const) -> &'static str {
    match c {
        Const::Str(_) => "str",
        Const::Bytes(_) => "bytes",
        Const::Int(_) => "int",
        Const::Float(_) => "float",
        Const::Complex { .. } => "complex",
        Const::Ellipsis => "ellipsis",
    }
}

/// The repr of constant `i` of `rc` (floats and complexes by their saved text if any).
fn const_repr(rc: &RawCode, i: usize, c: &Const) -> String {
    let saved = rc
        .loaded
        .as_ref()
        .and_then(|l| l.number_texts.get(i))
        .and_then(|t| t.as_deref());
    match c {
        Const::Str(s) => text::str_repr(s),
        Const::Bytes(b) => text::bytes_repr(b),
        Const::Int(n) => saved
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .unwrap_or_else(|| mpcore::decimal::to_decimal(n)),
        Const::Float(f) => saved
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .unwrap_or_else(|| float_text(*f)),
        Const::Complex { real, imag } => saved
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .unwrap_or_else(|| complex_text(*real, *imag)),
        Const::Ellipsis => "Ellipsis".to_string(),
    }
}

/// A const-table entry by value.
fn entry_text(module: &Module, rc: &RawCode, index: u64) -> String {
    let entry = usize::try_from(index)
        .ok()
        .and_then(|i| rc.const_entry(i).map(|e| (i, e)));
    match entry {
        Some((_, ConstEntry::ArgName(q))) => {
            format!("{index} = arg {}", qstr_text(&module.qstrs, q))
        }
        Some((i, ConstEntry::Obj(c))) => {
            let obj = i - rc.arg_names.len();
            format!("{index} = {}", const_repr(rc, obj, c))
        }
        Some((_, ConstEntry::Child(child))) => format!("{index} = {}", child_label(module, child)),
        None => format!("{index} = <out of range>"),
    }
}

fn operand_text(module: &Module, rc: &RawCode, instr: &Instr) -> String {
    let pool = &module.qstrs;
    match instr.operand {
        Operand::None => String::new(),
        Operand::Qstr { qstr, cache } => {
            let mut s = match instr.opcode {
                opcode::LOAD_CONST_STRING | opcode::IMPORT_NAME | opcode::IMPORT_FROM => {
                    text::str_repr(pool.get(qstr))
                }
                _ => qstr_text(pool, qstr),
            };
            if let Some(c) = cache {
                s.push_str(&format!(" (cache={c})"));
            }
            s
        }
        Operand::Uint(n) => n.to_string(),
        Operand::Int(n) => n.to_string(),
        Operand::Local(n) => n.to_string(),
        Operand::Const(i) => entry_text(module, rc, i),
        Operand::Closure { index, n_closed } => {
            format!("{} closed={n_closed}", entry_text(module, rc, index))
        }
        Operand::Call { n_pos, n_kw } => format!("n={n_pos} nkw={n_kw}"),
        Operand::Jump(t) => t.to_string(),
        Operand::UnwindJump { target, unwind } => {
            let from_for = if unwind & 0x80 != 0 { " from-for" } else { "" };
            format!("{target} unwind={}{from_for}", unwind & 0x7f)
        }
        Operand::Byte(b) => b.to_string(),
        Operand::UnaryOp(n) => {
            format!("{n} {}", UNARY_OP_NAMES.get(usize::from(n)).unwrap_or(&"?"))
        }
        Operand::BinaryOp(n) => format!(
            "{n} {}",
            BINARY_OP_NAMES.get(usize::from(n)).unwrap_or(&"?")
        ),
    }
}
