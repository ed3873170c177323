//! Raw code as `py/persistentcode.c` of MicroPython 1.11 sees it: the hand-over from emitters.
//!
//! A bytecode raw code is its `fun_data` (prelude, code info, cell list and opcodes, with qstrs
//! inline as this compilation's 16-bit numbers) plus its const table; native raw codes carry
//! machine code and a qstr link table instead. A [`Module`] ties the tree to the qstr pool that
//! numbers its qstrs and to the target it was made for.

pub mod builder;
pub mod disasm;
pub mod opcode;
pub mod prelude;
pub mod v6;

pub use builder::RawCodeBuilder;
pub use disasm::{Instr, InstrIter, Operand};
pub use opcode::{opcode_format, OpFormat};
pub use prelude::{LineEntry, Prelude, PreludeError};

use mpcore::{Arch, Qstr, QstrPool, Target};
use num_bigint::BigInt;

/// The kind of a raw code, numbered as the file encodes it (`kind - MP_CODE_BYTECODE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum CodeKind {
    #[default]
    Bytecode = 0,
    NativePy = 1,
    NativeViper = 2,
    NativeAsm = 3,
}

impl CodeKind {
    /// The kind with this file number (the low two bits of the kind/length var-uint).
    pub fn from_number(n: u8) -> Option<CodeKind> {
        match n {
            0 => Some(CodeKind::Bytecode),
            1 => Some(CodeKind::NativePy),
            2 => Some(CodeKind::NativeViper),
            3 => Some(CodeKind::NativeAsm),
            _ => None,
        }
    }

    /// The file number (`kind - MP_CODE_BYTECODE`).
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The name a dump shows.
    pub fn name(self) -> &'static str {
        match self {
            CodeKind::Bytecode => "bytecode",
            CodeKind::NativePy => "native",
            CodeKind::NativeViper => "viper",
            CodeKind::NativeAsm => "asm",
        }
    }

    /// True for the kinds whose `fun_data` is machine code.
    pub fn is_native(self) -> bool {
        self != CodeKind::Bytecode
    }
}

/// A constant object in a const table (`save_obj`).
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Str(Vec<u8>),
    Bytes(Vec<u8>),
    Int(BigInt),
    Float(f64),
    Complex { real: f64, imag: f64 },
    Ellipsis,
}

/// One entry of a native raw code's qstr link table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QstrLink {
    /// The `off` value as saved: byte offset into the machine code shifted left 2, with the
    /// link kind in the low two bits.
    pub off: u32,
    pub qstr: Qstr,
}

impl QstrLink {
    /// Byte offset into the machine code where the link is patched.
    pub fn offset(&self) -> u32 {
        self.off >> 2
    }

    /// Link kind: 0 = 16-bit qstr number, 1 = architecture-specific qstr number,
    /// 2 = architecture-specific qstr object.
    pub fn link_kind(&self) -> u8 {
        (self.off & 3) as u8
    }
}

/// A native type of viper code and of inline-assembler return values
/// (`MP_NATIVE_TYPE_*` of `py/runtime0.h`, the low bits of the native emitter's value types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum NativeType {
    #[default]
    Obj = 0,
    Bool = 1,
    Int = 2,
    Uint = 3,
    Ptr = 4,
    Ptr8 = 5,
    Ptr16 = 6,
    Ptr32 = 7,
}

impl NativeType {
    /// The type with this number (`MP_NATIVE_TYPE_*`).
    pub fn from_number(n: u32) -> Option<NativeType> {
        Some(match n {
            0 => NativeType::Obj,
            1 => NativeType::Bool,
            2 => NativeType::Int,
            3 => NativeType::Uint,
            4 => NativeType::Ptr,
            5 => NativeType::Ptr8,
            6 => NativeType::Ptr16,
            7 => NativeType::Ptr32,
            _ => return None,
        })
    }

    /// The type an annotation names (`object`, `bool`, `int`, `uint`, `ptr`, `ptr8`, `ptr16`,
    /// `ptr32`), as viper's `compile_viper_type_annotation` knows them.
    pub fn from_annotation(name: &[u8]) -> Option<NativeType> {
        Some(match name {
            b"object" => NativeType::Obj,
            b"bool" => NativeType::Bool,
            b"int" => NativeType::Int,
            b"uint" => NativeType::Uint,
            b"ptr" => NativeType::Ptr,
            b"ptr8" => NativeType::Ptr8,
            b"ptr16" => NativeType::Ptr16,
            b"ptr32" => NativeType::Ptr32,
            _ => return None,
        })
    }

    /// The `MP_NATIVE_TYPE_*` number.
    pub fn number(self) -> u32 {
        self as u32
    }

    /// The name a dump shows (the annotation that gives this type).
    pub fn name(self) -> &'static str {
        match self {
            NativeType::Obj => "object",
            NativeType::Bool => "bool",
            NativeType::Int => "int",
            NativeType::Uint => "uint",
            NativeType::Ptr => "ptr",
            NativeType::Ptr8 => "ptr8",
            NativeType::Ptr16 => "ptr16",
            NativeType::Ptr32 => "ptr32",
        }
    }
}

/// The kind-specific part of a native raw code: what `save_raw_code` writes after the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NativeKind {
    /// `@micropython.native` (or `-X emit=native`): a bytecode-style prelude inside the code.
    Python {
        /// Qstr link table: the machine code holds the compiling process's qstr numbers here.
        qstr_links: Vec<QstrLink>,
        /// Offset of the prelude inside the machine code.
        prelude_offset: u32,
    },
    /// `@micropython.viper` (or `-X emit=viper`).
    Viper {
        qstr_links: Vec<QstrLink>,
        /// Scope flags as saved (`mp_raw_code_t` keeps the low 7 bits).
        scope_flags: u32,
    },
    /// Inline assembler (`@micropython.asm_thumb`, `@micropython.asm_xtensa`).
    Asm {
        /// Scope flags as saved.
        scope_flags: u32,
        /// Number of positional arguments.
        n_pos_args: u32,
        /// Type signature: the return type's `MP_NATIVE_TYPE_*` number
        /// (see [`NativeType::from_number`]).
        type_sig: u32,
    },
}

/// A native raw code's machine code and what the loader needs to link it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NativeCode {
    /// The architecture the machine code is for (the file header names it).
    pub arch: Arch,
    /// The machine code, const table and prelude (native Python) included as emitted.
    pub code: Vec<u8>,
    pub kind: NativeKind,
}

impl NativeCode {
    /// The raw-code kind this native code is.
    pub fn code_kind(&self) -> CodeKind {
        match self.kind {
            NativeKind::Python { .. } => CodeKind::NativePy,
            NativeKind::Viper { .. } => CodeKind::NativeViper,
            NativeKind::Asm { .. } => CodeKind::NativeAsm,
        }
    }

    /// The qstr link table (empty for inline assembler, which has none).
    pub fn qstr_links(&self) -> &[QstrLink] {
        match &self.kind {
            NativeKind::Python { qstr_links, .. } | NativeKind::Viper { qstr_links, .. } => {
                qstr_links
            }
            NativeKind::Asm { .. } => &[],
        }
    }
}

/// What a raw code runs: bytecode, or machine code for one architecture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Prelude, code info, cell list and opcodes, with qstrs inline as this compilation's
    /// 16-bit numbers (`fun_data` of a bytecode raw code).
    Bytecode(Vec<u8>),
    Native(NativeCode),
}

impl Default for Body {
    fn default() -> Body {
        Body::Bytecode(Vec::new())
    }
}

/// What a raw code read from a `.mpy` keeps so that writing it again gives the same bytes.
///
/// The code info inside `fun_data` holds the qstr numbers of the process that wrote the file
/// (kept verbatim), so the names the file saves after the prelude are kept here as qstrs of
/// the module's pool. Number constants keep the exact text the file saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedInfo {
    /// The simple name saved after the prelude (bytecode and native Python).
    pub simple_name: Qstr,
    /// The source file saved after the prelude (bytecode and native Python).
    pub source_file: Qstr,
    /// For each entry of `consts`: the saved text of an int, float or complex, else `None`
    /// (the list stops after the last entry that has one).
    pub number_texts: Vec<Option<Box<[u8]>>>,
}

/// One entry of a raw code's const table, in table order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConstEntry<'a> {
    ArgName(Qstr),
    Obj(&'a Const),
    Child(&'a RawCode),
}

/// One raw code: a module, function, class body, lambda or comprehension.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RawCode {
    /// Bytecode or native code.
    pub body: Body,
    /// Argument names (positional then keyword-only), the first const-table entries.
    pub arg_names: Vec<Qstr>,
    /// Constant objects, in const-table order.
    pub consts: Vec<Const>,
    /// Child raw codes, in const-table order.
    pub children: Vec<RawCode>,
    /// Set by the `.mpy` reader only; `None` for raw code made by a compiler (the writer then
    /// takes the names from the code info in `fun_data`).
    pub loaded: Option<Box<LoadedInfo>>,
    /// For v4/v5 bytecode made by the compiler: the offsets in `fun_data`, in order, of the
    /// opcodes whose operand is an inline qstr, so that the writer need not decode every
    /// opcode to find them. `None` (raw code read from a file): the writer decodes.
    pub inline_qstr_ops: Option<Vec<u32>>,
}

impl RawCode {
    /// A raw code with this body and an empty const table.
    pub fn new(body: Body) -> RawCode {
        RawCode {
            body,
            ..RawCode::default()
        }
    }

    /// A bytecode raw code with this `fun_data` and an empty const table.
    pub fn bytecode(fun_data: Vec<u8>) -> RawCode {
        RawCode::new(Body::Bytecode(fun_data))
    }

    /// The kind of raw code.
    pub fn kind(&self) -> CodeKind {
        match &self.body {
            Body::Bytecode(_) => CodeKind::Bytecode,
            Body::Native(n) => n.code_kind(),
        }
    }

    /// The bytes the file stores as `fun_data`: bytecode (qstrs inline) or machine code.
    pub fn fun_data(&self) -> &[u8] {
        match &self.body {
            Body::Bytecode(b) => b,
            Body::Native(n) => &n.code,
        }
    }

    /// The native code, if this raw code is native.
    pub fn native(&self) -> Option<&NativeCode> {
        match &self.body {
            Body::Bytecode(_) => None,
            Body::Native(n) => Some(n),
        }
    }

    /// Number of const-table entries (argument names, objects, children).
    pub fn const_table_len(&self) -> usize {
        self.arg_names.len() + self.consts.len() + self.children.len()
    }

    /// The const-table entry at `index`, as a `LOAD_CONST_OBJ` or `MAKE_FUNCTION` operand names it.
    pub fn const_entry(&self, index: usize) -> Option<ConstEntry<'_>> {
        let n_args = self.arg_names.len();
        let n_obj = self.consts.len();
        if index < n_args {
            self.arg_names.get(index).map(|q| ConstEntry::ArgName(*q))
        } else if index < n_args + n_obj {
            self.consts.get(index - n_args).map(ConstEntry::Obj)
        } else {
            self.children
                .get(index - n_args - n_obj)
                .map(ConstEntry::Child)
        }
    }

    /// Const-table index of object `i` (what the bytecode names it by).
    pub fn obj_index(&self, i: usize) -> usize {
        self.arg_names.len() + i
    }

    /// Const-table index of child `i`.
    pub fn child_index(&self, i: usize) -> usize {
        self.arg_names.len() + self.consts.len() + i
    }

    /// The decoded prelude of a bytecode raw code (or of native Python code at its prelude offset).
    pub fn prelude(&self) -> Result<Prelude, PreludeError> {
        match &self.body {
            Body::Bytecode(b) => Prelude::decode(b, 0),
            Body::Native(NativeCode {
                code,
                kind: NativeKind::Python { prelude_offset, .. },
                ..
            }) => Prelude::decode(code, *prelude_offset as usize),
            Body::Native(_) => Err(PreludeError::NoPrelude),
        }
    }

    /// True if this raw code or any descendant is native (the header then names the arch).
    pub fn has_native(&self) -> bool {
        let mut stack = vec![self];
        while let Some(rc) = stack.pop() {
            if matches!(rc.body, Body::Native(_)) {
                return true;
            }
            stack.extend(rc.children.iter());
        }
        false
    }
}

/// A compiled module: its raw-code tree, the qstr pool numbering it and its target.
#[derive(Clone, Debug)]
pub struct Module {
    pub target: Target,
    pub qstrs: QstrPool,
    pub root: RawCode,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_types_keep_the_reference_numbers() {
        for n in 0..8 {
            let t = NativeType::from_number(n).expect("0..8 are types");
            assert_eq!(t.number(), n);
            assert_eq!(NativeType::from_annotation(t.name().as_bytes()), Some(t));
        }
        assert_eq!(NativeType::from_number(8), None);
        assert_eq!(NativeType::from_annotation(b"ptr64"), None);
        assert_eq!(NativeType::Uint.number(), 3);
    }

    #[test]
    fn the_body_decides_kind_and_prelude() {
        let viper = RawCode::new(Body::Native(NativeCode {
            arch: Arch::X64,
            code: vec![0xc3],
            kind: NativeKind::Viper {
                qstr_links: vec![QstrLink {
                    off: 5 << 2 | 1,
                    qstr: Qstr(0x152),
                }],
                scope_flags: 0,
            },
        }));
        assert_eq!(viper.kind(), CodeKind::NativeViper);
        assert_eq!(viper.fun_data(), [0xc3]);
        assert_eq!(viper.prelude(), Err(PreludeError::NoPrelude));
        assert_eq!(viper.native().map(|n| n.qstr_links()[0].offset()), Some(5));
        let mut module = RawCode::bytecode(vec![0]);
        assert!(!module.has_native());
        module.children.push(viper);
        assert!(module.has_native());
    }
}
