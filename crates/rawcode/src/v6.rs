//! The `.mpy` version 6 module model (MicroPython 1.19 to 1.29): what a v6 compiler hands to
//! the writer and what the reader gives back.
//!
//! Unlike version 4, a v6 file carries one qstr table and one constant-object table for the
//! whole module, written before the raw codes; bytecode refers to both by index, so a raw code
//! is just its `fun_data` bytes (prelude, code info and opcodes, as the emitter made them) and
//! its children. Native raw codes keep their machine code as bytes plus the few numbers the
//! loader reads after it. Qstrs are held as strings: the writer decides which are static.

use num_bigint::BigInt;

/// The native architecture numbers of the v6 header (`MP_NATIVE_ARCH_*`, 1.29's list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Arch {
    #[default]
    None = 0,
    X86 = 1,
    X64 = 2,
    Armv6 = 3,
    Armv6m = 4,
    Armv7m = 5,
    Armv7em = 6,
    Armv7emsp = 7,
    Armv7emdp = 8,
    Xtensa = 9,
    Xtensawin = 10,
    Rv32imc = 11,
    Rv64imc = 12,
    Debug = 13,
}

impl Arch {
    /// Every architecture, in header-number order.
    pub const ALL: [Arch; 14] = [
        Arch::None,
        Arch::X86,
        Arch::X64,
        Arch::Armv6,
        Arch::Armv6m,
        Arch::Armv7m,
        Arch::Armv7em,
        Arch::Armv7emsp,
        Arch::Armv7emdp,
        Arch::Xtensa,
        Arch::Xtensawin,
        Arch::Rv32imc,
        Arch::Rv64imc,
        Arch::Debug,
    ];

    /// The architecture with this header number.
    pub fn from_number(n: u8) -> Option<Arch> {
        Arch::ALL.get(usize::from(n)).copied()
    }

    /// The header number.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The name `-march=` takes and the dump shows.
    pub fn name(self) -> &'static str {
        match self {
            Arch::None => "none",
            Arch::X86 => "x86",
            Arch::X64 => "x64",
            Arch::Armv6 => "armv6",
            Arch::Armv6m => "armv6m",
            Arch::Armv7m => "armv7m",
            Arch::Armv7em => "armv7em",
            Arch::Armv7emsp => "armv7emsp",
            Arch::Armv7emdp => "armv7emdp",
            Arch::Xtensa => "xtensa",
            Arch::Xtensawin => "xtensawin",
            Arch::Rv32imc => "rv32imc",
            Arch::Rv64imc => "rv64imc",
            Arch::Debug => "debug",
        }
    }

    /// The architecture a name gives (`none` included).
    pub fn from_name(name: &str) -> Option<Arch> {
        Arch::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// The four header bytes (and the optional architecture flags after them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// The format version: 6 (the only major version this model describes).
    pub version: u8,
    /// The sub-version in the low two bits of the feature byte (native ABI revision: 3 for
    /// 1.23 to 1.29). mpy-cross writes it only together with an architecture.
    pub sub_version: u8,
    /// The native architecture; [`Arch::None`] when the module has no native code.
    pub arch: Arch,
    /// Architecture-specific flags (`-march-flags=`, RISC-V extensions); 0 when absent. A
    /// nonzero value sets bit 6 of the feature byte and is written after the header.
    pub arch_flags: u64,
    /// Width of a small int in bits (the fourth byte).
    pub small_int_bits: u8,
}

impl Header {
    /// The header of a bytecode-only module: feature byte 0.
    pub fn bytecode(small_int_bits: u8) -> Header {
        Header {
            version: 6,
            sub_version: 0,
            arch: Arch::None,
            arch_flags: 0,
            small_int_bits,
        }
    }

    /// The feature byte: flags bit, architecture and sub-version.
    pub fn feature_byte(&self) -> u8 {
        let flags = if self.arch_flags != 0 { 0x40 } else { 0 };
        flags | (self.arch.number() << 2) | (self.sub_version & 3)
    }
}

/// An entry of the module's constant-object table (`MP_PERSISTENT_OBJ_*`).
#[derive(Clone, Debug, PartialEq)]
pub enum Obj {
    /// `mp_fun_table` (native code's first constant).
    FunTable,
    None,
    False,
    True,
    Ellipsis,
    Str(Vec<u8>),
    Bytes(Vec<u8>),
    /// An int too big for a small int.
    Int(BigInt),
    /// A float, as the text the writing release's `repr` printed.
    Float(String),
    /// A complex, as the text the writing release's `repr` printed (`2j`, `(1+2j)`).
    Complex(String),
    Tuple(Vec<Obj>),
}

impl Obj {
    /// The type byte the file writes first (`MP_PERSISTENT_OBJ_*`).
    pub fn type_byte(&self) -> u8 {
        match self {
            Obj::FunTable => 0,
            Obj::None => 1,
            Obj::False => 2,
            Obj::True => 3,
            Obj::Ellipsis => 4,
            Obj::Str(_) => 5,
            Obj::Bytes(_) => 6,
            Obj::Int(_) => 7,
            Obj::Float(_) => 8,
            Obj::Complex(_) => 9,
            Obj::Tuple(_) => 10,
        }
    }
}

/// Scope flags the loader reads for viper and asm code loaded from natmods (`mpy_ld.py`):
/// relocations follow the children.
pub const SCOPE_FLAG_VIPERRELOC: u64 = 0x10;
/// Viper code with read-only data: its size and bytes follow the scope info.
pub const SCOPE_FLAG_VIPERRODATA: u64 = 0x20;
/// Viper code with zeroed data: its size follows the scope info.
pub const SCOPE_FLAG_VIPERBSS: u64 = 0x40;

/// What the loader reads after a raw code's `fun_data`, by kind.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum CodeKind {
    /// Bytecode: nothing more (the prelude is inside `fun_data`).
    #[default]
    Bytecode,
    /// `@micropython.native`: the offset of the bytecode-style prelude inside the machine code.
    Native { prelude_offset: u64 },
    /// `@micropython.viper`: scope flags (mpy-cross writes 0) and, for natmods, the extras.
    Viper {
        scope_flags: u64,
        extras: NativeExtras,
    },
    /// Inline assembler: scope flags, positional argument count and return-type signature.
    Asm {
        scope_flags: u64,
        n_pos_args: u64,
        type_sig: u64,
        extras: NativeExtras,
    },
}

impl CodeKind {
    /// The kind number in the low two bits of the kind/length var-uint.
    pub fn number(&self) -> u8 {
        match self {
            CodeKind::Bytecode => 0,
            CodeKind::Native { .. } => 1,
            CodeKind::Viper { .. } => 2,
            CodeKind::Asm { .. } => 3,
        }
    }

    /// The name a dump shows.
    pub fn name(&self) -> &'static str {
        match self {
            CodeKind::Bytecode => "bytecode",
            CodeKind::Native { .. } => "native",
            CodeKind::Viper { .. } => "viper",
            CodeKind::Asm { .. } => "asm",
        }
    }
}

/// Data natmods attach to viper and asm code; empty in everything mpy-cross writes. Present
/// exactly when the scope flags say so ([`SCOPE_FLAG_VIPERRODATA`], [`SCOPE_FLAG_VIPERBSS`],
/// [`SCOPE_FLAG_VIPERRELOC`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NativeExtras {
    /// Read-only data (viper only).
    pub rodata: Option<Vec<u8>>,
    /// Size of the zeroed data (viper only).
    pub bss_size: Option<u64>,
    /// The relocation stream as written, without its `0xff` terminator.
    pub relocations: Option<Vec<u8>>,
}

/// One raw code: its bytes, its kind's extra numbers and its children, in file order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RawCode {
    /// Bytecode (prelude, code info, opcodes) or machine code, as written.
    pub fun_data: Vec<u8>,
    pub kind: CodeKind,
    pub children: Vec<RawCode>,
}

/// A whole `.mpy` v6 file.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub header: Header,
    /// The module's qstr table, by index as bytecode refers to it (static ones included).
    pub qstrs: Vec<Vec<u8>>,
    /// The module's constant-object table, by index.
    pub objs: Vec<Obj>,
    /// The module's outer raw code.
    pub root: RawCode,
}

impl Module {
    /// True when some raw code in the tree is machine code.
    pub fn has_native(&self) -> bool {
        let mut stack = vec![&self.root];
        while let Some(rc) = stack.pop() {
            if rc.kind != CodeKind::Bytecode {
                return true;
            }
            stack.extend(&rc.children);
        }
        false
    }
}
