//! Decoding v6 bytecode for the dump: the prelude (signature, sizes, source info, cells) and
//! the opcodes, whose numbering and operand formats are the same from 1.19 to 1.29 (and, but
//! for qstr operands and jump widths, in v5).

use thiserror::Error;

/// Why a bytecode raw code cannot be decoded.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DisasmError {
    #[error("prelude runs past the end of the {0}-byte code")]
    Prelude(usize),
    #[error("opcode {opcode:#04x} at offset {offset} runs past the end of the code")]
    Overrun { opcode: u8, offset: usize },
    #[error("unknown opcode {opcode:#04x} at offset {offset}")]
    Unknown { opcode: u8, offset: usize },
    #[error("{what} index {index} at offset {offset} is outside the module's {len}-entry table")]
    Index {
        what: &'static str,
        index: u64,
        offset: usize,
        len: usize,
    },
}

/// A decoded bytecode prelude.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prelude {
    pub n_state: u64,
    pub n_exc_stack: u64,
    pub scope_flags: u64,
    pub n_pos_args: u64,
    pub n_kwonly_args: u64,
    pub n_def_pos_args: u64,
    /// Size of the source-info section (name, argument names, line info).
    pub n_info: u64,
    /// Number of cells (bytes of the closure section).
    pub n_cells: u64,
    /// Qstr-table index of the function's name.
    pub simple_name: u64,
    /// Qstr-table indexes of the argument names (positional, then keyword-only).
    pub arg_names: Vec<u64>,
    /// (bytecode offset, line) pairs: from that offset on, the code is on that line.
    pub lines: Vec<(u64, u64)>,
    /// Locals turned into cells on entry.
    pub cells: Vec<u8>,
    /// Offset of the first opcode in `fun_data`.
    pub code_start: usize,
}

struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn uint(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        loop {
            let b = self.byte()?;
            if v >> 57 != 0 {
                return None;
            }
            v = v << 7 | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
    }
}

/// Decodes the prelude at the start of `fun_data` (of a bytecode raw code, or at a native
/// raw code's prelude offset).
pub fn decode_prelude(fun_data: &[u8]) -> Result<Prelude, DisasmError> {
    decode_prelude_inner(fun_data).ok_or(DisasmError::Prelude(fun_data.len()))
}

/// The six values of a prelude signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    pub n_state: u64,
    pub n_exc_stack: u64,
    pub scope_flags: u64,
    pub n_pos_args: u64,
    pub n_kwonly_args: u64,
    pub n_def_pos_args: u64,
}

/// Decodes the signature (`xSSSSEAA`, then `xFSSKAED` bytes while x is set) and the sizes
/// (`xIIIIIIC` bytes) at the start of `data`: the signature, (n_info, n_cells) and the number
/// of bytes they took.
pub fn decode_signature_and_sizes(data: &[u8]) -> Option<(Signature, (u64, u64), usize)> {
    let mut b = Bytes { data, pos: 0 };
    let z = b.byte()?;
    let (mut s, mut e, mut f, mut a, mut k, mut d) = (
        u64::from(z >> 3 & 0xf),
        u64::from(z >> 2 & 1),
        0u64,
        u64::from(z & 3),
        0u64,
        0u64,
    );
    let mut more = z & 0x80 != 0;
    let mut n = 0u32;
    while more {
        let z = u64::from(b.byte()?);
        if n > 28 {
            return None;
        }
        s |= (z & 0x30) << (2 * n);
        e |= (z & 0x02) << n;
        f |= ((z & 0x40) >> 6) << n;
        a |= (z & 0x04) << n;
        k |= ((z & 0x08) >> 3) << n;
        d |= (z & 0x01) << n;
        more = z & 0x80 != 0;
        n += 1;
    }
    let (mut info, mut cells) = (0u64, 0u64);
    let mut n = 0u32;
    loop {
        let z = u64::from(b.byte()?);
        if n > 9 {
            return None;
        }
        cells |= (z & 1) << n;
        info |= ((z & 0x7e) >> 1) << (6 * n);
        n += 1;
        if z & 0x80 == 0 {
            break;
        }
    }
    let sig = Signature {
        n_state: s + 1,
        n_exc_stack: e,
        scope_flags: f,
        n_pos_args: a,
        n_kwonly_args: k,
        n_def_pos_args: d,
    };
    Some((sig, (info, cells), b.pos))
}

/// Decodes line info (`0LLBBBBB` or `1LLLBBBB LLLLLLLL` entries) into (bytecode offset, line)
/// pairs, lines counted from 1.
pub fn decode_lines(info: &[u8]) -> Option<Vec<(u64, u64)>> {
    let mut lines = Vec::new();
    let (mut offset, mut line) = (0u64, 1u64);
    let mut i = 0;
    while i < info.len() {
        let c = info[i];
        let (bc, l) = if c & 0x80 == 0 {
            i += 1;
            (u64::from(c & 0x1f), u64::from(c >> 5))
        } else {
            // A two-byte entry cut off by the section's end (mpy-cross 1.20+ writes one for
            // native code with over 64 KiB of line info) ends the table.
            let Some(&second) = info.get(i + 1) else {
                break;
            };
            i += 2;
            (
                u64::from(c & 0xf),
                (u64::from(c) << 4 & 0x700) | u64::from(second),
            )
        };
        offset += bc;
        line += l;
        // A zero entry (the terminator some releases write) moves nothing.
        if bc != 0 || l != 0 {
            lines.push((offset, line));
        }
    }
    Some(lines)
}

fn decode_prelude_inner(fun_data: &[u8]) -> Option<Prelude> {
    let (sig, (info, cells), head) = decode_signature_and_sizes(fun_data)?;
    let mut b = Bytes {
        data: fun_data,
        pos: head,
    };
    let info_end = head.checked_add(usize::try_from(info).ok()?)?;
    let cells_end = info_end.checked_add(usize::try_from(cells).ok()?)?;
    if cells_end > fun_data.len() {
        return None;
    }
    let simple_name = b.uint()?;
    let mut arg_names = Vec::new();
    for _ in 0..sig.n_pos_args.saturating_add(sig.n_kwonly_args) {
        arg_names.push(b.uint()?);
        if b.pos > info_end {
            return None;
        }
    }
    if b.pos > info_end {
        return None;
    }
    Some(Prelude {
        n_state: sig.n_state,
        n_exc_stack: sig.n_exc_stack,
        scope_flags: sig.scope_flags,
        n_pos_args: sig.n_pos_args,
        n_kwonly_args: sig.n_kwonly_args,
        n_def_pos_args: sig.n_def_pos_args,
        n_info: info,
        n_cells: cells,
        simple_name,
        arg_names,
        lines: decode_lines(&fun_data[b.pos..info_end])?,
        cells: fun_data[info_end..cells_end].to_vec(),
        code_start: cells_end,
    })
}

/// What an operand refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    None,
    /// A qstr-table index.
    Qstr(u64),
    /// A constant-table index.
    Obj(u64),
    /// A child raw code index.
    Child(u64),
    /// A plain unsigned number (locals, counts).
    Uint(u64),
    /// A signed small int.
    Int(i64),
    /// An absolute jump target (offset from the first opcode).
    Target(u64),
}

/// One decoded instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instr {
    /// Offset from the first opcode.
    pub offset: usize,
    pub opcode: u8,
    pub name: &'static str,
    pub operand: Operand,
    /// The extra byte of `MAKE_CLOSURE*` (cells) and `UNWIND_JUMP` (depth).
    pub extra: Option<u8>,
}

/// Bytecode opcodes below 0x70 by number: name and operand kind.
pub(crate) fn op_info(op: u8) -> Option<(&'static str, OperandKind)> {
    use OperandKind::*;
    Some(match op {
        0x10 => ("LOAD_CONST_STRING", Q),
        0x11 => ("LOAD_NAME", Q),
        0x12 => ("LOAD_GLOBAL", Q),
        0x13 => ("LOAD_ATTR", Q),
        0x14 => ("LOAD_METHOD", Q),
        0x15 => ("LOAD_SUPER_METHOD", Q),
        0x16 => ("STORE_NAME", Q),
        0x17 => ("STORE_GLOBAL", Q),
        0x18 => ("STORE_ATTR", Q),
        0x19 => ("DELETE_NAME", Q),
        0x1a => ("DELETE_GLOBAL", Q),
        0x1b => ("IMPORT_NAME", Q),
        0x1c => ("IMPORT_FROM", Q),
        0x20 => ("MAKE_CLOSURE", C),
        0x21 => ("MAKE_CLOSURE_DEFARGS", C),
        0x22 => ("LOAD_CONST_SMALL_INT", I),
        0x23 => ("LOAD_CONST_OBJ", O),
        0x24 => ("LOAD_FAST_N", U),
        0x25 => ("LOAD_DEREF", U),
        0x26 => ("STORE_FAST_N", U),
        0x27 => ("STORE_DEREF", U),
        0x28 => ("DELETE_FAST", U),
        0x29 => ("DELETE_DEREF", U),
        0x2a => ("BUILD_TUPLE", U),
        0x2b => ("BUILD_LIST", U),
        0x2c => ("BUILD_MAP", U),
        0x2d => ("BUILD_SET", U),
        0x2e => ("BUILD_SLICE", U),
        0x2f => ("STORE_COMP", U),
        0x30 => ("UNPACK_SEQUENCE", U),
        0x31 => ("UNPACK_EX", U),
        0x32 => ("MAKE_FUNCTION", C),
        0x33 => ("MAKE_FUNCTION_DEFARGS", C),
        0x34 => ("CALL_FUNCTION", U),
        0x35 => ("CALL_FUNCTION_VAR_KW", U),
        0x36 => ("CALL_METHOD", U),
        0x37 => ("CALL_METHOD_VAR_KW", U),
        0x40 => ("UNWIND_JUMP", S),
        0x42 => ("JUMP", S),
        0x43 => ("POP_JUMP_IF_TRUE", S),
        0x44 => ("POP_JUMP_IF_FALSE", S),
        0x45 => ("JUMP_IF_TRUE_OR_POP", T),
        0x46 => ("JUMP_IF_FALSE_OR_POP", T),
        0x47 => ("SETUP_WITH", T),
        0x48 => ("SETUP_EXCEPT", T),
        0x49 => ("SETUP_FINALLY", T),
        0x4a => ("POP_EXCEPT_JUMP", T),
        0x4b => ("FOR_ITER", T),
        0x50 => ("LOAD_CONST_FALSE", N),
        0x51 => ("LOAD_CONST_NONE", N),
        0x52 => ("LOAD_CONST_TRUE", N),
        0x53 => ("LOAD_NULL", N),
        0x54 => ("LOAD_BUILD_CLASS", N),
        0x55 => ("LOAD_SUBSCR", N),
        0x56 => ("STORE_SUBSCR", N),
        0x57 => ("DUP_TOP", N),
        0x58 => ("DUP_TOP_TWO", N),
        0x59 => ("POP_TOP", N),
        0x5a => ("ROT_TWO", N),
        0x5b => ("ROT_THREE", N),
        0x5c => ("WITH_CLEANUP", N),
        0x5d => ("END_FINALLY", N),
        0x5e => ("GET_ITER", N),
        0x5f => ("GET_ITER_STACK", N),
        0x62 => ("STORE_MAP", N),
        0x63 => ("RETURN_VALUE", N),
        0x64 => ("RAISE_LAST", N),
        0x65 => ("RAISE_OBJ", N),
        0x66 => ("RAISE_FROM", N),
        0x67 => ("YIELD_VALUE", N),
        0x68 => ("YIELD_FROM", N),
        0x69 => ("IMPORT_STAR", N),
        _ => return None,
    })
}

#[derive(Clone, Copy)]
pub(crate) enum OperandKind {
    N,
    Q,
    O,
    C,
    U,
    I,
    S,
    T,
}

/// Names of the unary operators bytecode carries (`UNARY_OP_MULTI` + n).
pub const UNARY_OPS: [&str; 4] = ["positive", "negative", "invert", "not"];

/// Names of the binary operators bytecode carries (`BINARY_OP_MULTI` + n).
pub const BINARY_OPS: [&str; 35] = [
    "<",
    ">",
    "==",
    "<=",
    ">=",
    "!=",
    "in",
    "is",
    "exception match",
    "|=",
    "^=",
    "&=",
    "<<=",
    ">>=",
    "+=",
    "-=",
    "*=",
    "@=",
    "//=",
    "/=",
    "%=",
    "**=",
    "|",
    "^",
    "&",
    "<<",
    ">>",
    "+",
    "-",
    "*",
    "@",
    "//",
    "/",
    "%",
    "**",
];

/// Decodes the opcodes of `code` (the bytes after the prelude). Qstr, constant and child
/// indexes are checked against the table sizes given.
pub fn disassemble(
    code: &[u8],
    n_qstrs: usize,
    n_objs: usize,
    n_children: usize,
) -> Result<Vec<Instr>, DisasmError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < code.len() {
        let offset = pos;
        let opcode = code[pos];
        pos += 1;
        let overrun = DisasmError::Overrun { opcode, offset };
        let (name, operand) = match opcode {
            0x70..=0xaf => (
                "LOAD_CONST_SMALL_INT",
                Operand::Int(i64::from(opcode) - 0x70 - 16),
            ),
            0xb0..=0xbf => ("LOAD_FAST", Operand::Uint(u64::from(opcode - 0xb0))),
            0xc0..=0xcf => ("STORE_FAST", Operand::Uint(u64::from(opcode - 0xc0))),
            0xd0..=0xd3 => ("UNARY_OP", Operand::Uint(u64::from(opcode - 0xd0))),
            0xd7..=0xf9 => ("BINARY_OP", Operand::Uint(u64::from(opcode - 0xd7))),
            _ => {
                let (name, kind) =
                    op_info(opcode).ok_or(DisasmError::Unknown { opcode, offset })?;
                let mut b = Bytes { data: code, pos };
                let operand = match kind {
                    OperandKind::N => Operand::None,
                    OperandKind::Q => Operand::Qstr(b.uint().ok_or(overrun.clone())?),
                    OperandKind::O => Operand::Obj(b.uint().ok_or(overrun.clone())?),
                    OperandKind::C => Operand::Child(b.uint().ok_or(overrun.clone())?),
                    OperandKind::U => Operand::Uint(b.uint().ok_or(overrun.clone())?),
                    OperandKind::I => {
                        let first = *code.get(b.pos).ok_or(overrun.clone())?;
                        let mut v: i64 = if first & 0x40 != 0 { -1 } else { 0 };
                        loop {
                            let c = b.byte().ok_or(overrun.clone())?;
                            v = v.wrapping_shl(7) | i64::from(c & 0x7f);
                            if c & 0x80 == 0 {
                                break;
                            }
                        }
                        Operand::Int(v)
                    }
                    OperandKind::S | OperandKind::T => {
                        let c = b.byte().ok_or(overrun.clone())?;
                        let (raw, bias) = if c & 0x80 == 0 {
                            (i64::from(c), 0x40)
                        } else {
                            let c2 = b.byte().ok_or(overrun.clone())?;
                            (i64::from(c & 0x7f) | i64::from(c2) << 7, 0x4000)
                        };
                        let rel = if matches!(kind, OperandKind::S) {
                            raw - bias
                        } else {
                            raw
                        };
                        Operand::Target((b.pos as i64 + rel) as u64)
                    }
                };
                pos = b.pos;
                (name, operand)
            }
        };
        let extra = if opcode & 0x9e == 0 {
            let e = *code.get(pos).ok_or(overrun)?;
            pos += 1;
            Some(e)
        } else {
            None
        };
        let check = |what: &'static str, index: u64, len: usize| {
            if index < len as u64 {
                Ok(())
            } else {
                Err(DisasmError::Index {
                    what,
                    index,
                    offset,
                    len,
                })
            }
        };
        match operand {
            Operand::Qstr(i) => check("qstr", i, n_qstrs)?,
            Operand::Obj(i) => check("constant", i, n_objs)?,
            Operand::Child(i) => check("child", i, n_children)?,
            _ => {}
        }
        out.push(Instr {
            offset,
            opcode,
            name,
            operand,
            extra,
        });
    }
    Ok(out)
}
