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

pub use builder::RawCodeBuilder;
pub use disasm::{Instr, InstrIter, Operand};
pub use opcode::{opcode_format, OpFormat};
pub use prelude::{LineEntry, Prelude, PreludeError};

use mpcore::{Qstr, QstrPool, Target};
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

/// What a native raw code carries beyond its machine code.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NativeInfo {
    /// Qstr link table (native Python and viper). The machine code itself holds the qstr
    /// numbers of the compiling process at these places.
    pub qstr_links: Vec<QstrLink>,
    /// Offset of the prelude inside the machine code (native Python).
    pub prelude_offset: u32,
    /// Scope flags (viper and asm), as saved: `mp_raw_code_t` keeps only the low 7 bits.
    pub scope_flags: u32,
    /// Number of positional arguments (asm).
    pub n_pos_args: u32,
    /// Type signature (asm).
    pub type_sig: u32,
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
    pub kind: CodeKind,
    /// Bytecode with prelude and qstr numbers inline, or machine code.
    pub fun_data: Vec<u8>,
    /// Argument names (positional then keyword-only), the first const-table entries.
    pub arg_names: Vec<Qstr>,
    /// Constant objects, in const-table order.
    pub consts: Vec<Const>,
    /// Child raw codes, in const-table order.
    pub children: Vec<RawCode>,
    /// Native-only parts; `None` for bytecode.
    pub native: Option<NativeInfo>,
    /// Set by the `.mpy` reader only; `None` for raw code made by a compiler (the writer then
    /// takes the names from the code info in `fun_data`).
    pub loaded: Option<Box<LoadedInfo>>,
}

impl RawCode {
    /// An empty raw code of this kind.
    pub fn new(kind: CodeKind) -> RawCode {
        RawCode {
            kind,
            ..RawCode::default()
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
        match self.kind {
            CodeKind::Bytecode => Prelude::decode(&self.fun_data, 0),
            CodeKind::NativePy => {
                let off = self.native.as_ref().map(|n| n.prelude_offset).unwrap_or(0);
                Prelude::decode(&self.fun_data, off as usize)
            }
            _ => Err(PreludeError::NoPrelude),
        }
    }

    /// True if this raw code or any descendant is native (the header then names the arch).
    pub fn has_native(&self) -> bool {
        let mut stack = vec![self];
        while let Some(rc) = stack.pop() {
            if rc.kind.is_native() {
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
