//! Raw code as `py/persistentcode.c` of MicroPython 1.11 sees it: the hand-over from emitters.
//!
//! A bytecode raw code is its `fun_data` (prelude, code info, cell list and opcodes, with qstrs
//! inline as this compilation's 16-bit numbers) plus its const table; native raw codes carry
//! machine code and a qstr link table instead. A [`Module`] ties the tree to the qstr pool that
//! numbers its qstrs and to the target it was made for.

pub mod opcode;

use mpcore::{Qstr, QstrPool, Target};
use num_bigint::BigInt;

/// The kind of a raw code, numbered as the file encodes it (`kind - MP_CODE_BYTECODE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeKind {
    Bytecode = 0,
    NativePy = 1,
    NativeViper = 2,
    NativeAsm = 3,
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

/// What a native raw code carries beyond its machine code.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NativeInfo {
    /// Qstr link table (native Python and viper).
    pub qstr_links: Vec<QstrLink>,
    /// Offset of the prelude inside the machine code (native Python).
    pub prelude_offset: u32,
    /// Scope flags (viper and asm).
    pub scope_flags: u32,
    /// Number of positional arguments (asm).
    pub n_pos_args: u32,
    /// Type signature (asm).
    pub type_sig: u32,
}

/// One raw code: a module, function, class body, lambda or comprehension.
#[derive(Clone, Debug, PartialEq)]
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
}

/// A compiled module: its raw-code tree, the qstr pool numbering it and its target.
#[derive(Clone, Debug)]
pub struct Module {
    pub target: Target,
    pub qstrs: QstrPool,
    pub root: RawCode,
}
