//! Bytecode opcodes of MicroPython 1.11 (`py/bc0.h`): numbers and operand formats.

pub const LOAD_CONST_FALSE: u8 = 0x10;
pub const LOAD_CONST_NONE: u8 = 0x11;
pub const LOAD_CONST_TRUE: u8 = 0x12;
pub const LOAD_CONST_SMALL_INT: u8 = 0x14;
pub const LOAD_CONST_STRING: u8 = 0x16;
pub const LOAD_CONST_OBJ: u8 = 0x17;
pub const LOAD_NULL: u8 = 0x18;
pub const LOAD_FAST_N: u8 = 0x19;
pub const LOAD_DEREF: u8 = 0x1a;
pub const LOAD_NAME: u8 = 0x1b;
pub const LOAD_GLOBAL: u8 = 0x1c;
pub const LOAD_ATTR: u8 = 0x1d;
pub const LOAD_METHOD: u8 = 0x1e;
pub const LOAD_SUPER_METHOD: u8 = 0x1f;
pub const LOAD_BUILD_CLASS: u8 = 0x20;
pub const LOAD_SUBSCR: u8 = 0x21;
pub const STORE_FAST_N: u8 = 0x22;
pub const STORE_DEREF: u8 = 0x23;
pub const STORE_NAME: u8 = 0x24;
pub const STORE_GLOBAL: u8 = 0x25;
pub const STORE_ATTR: u8 = 0x26;
pub const STORE_SUBSCR: u8 = 0x27;
pub const DELETE_FAST: u8 = 0x28;
pub const DELETE_DEREF: u8 = 0x29;
pub const DELETE_NAME: u8 = 0x2a;
pub const DELETE_GLOBAL: u8 = 0x2b;
pub const DUP_TOP: u8 = 0x30;
pub const DUP_TOP_TWO: u8 = 0x31;
pub const POP_TOP: u8 = 0x32;
pub const ROT_TWO: u8 = 0x33;
pub const ROT_THREE: u8 = 0x34;
pub const JUMP: u8 = 0x35;
pub const POP_JUMP_IF_TRUE: u8 = 0x36;
pub const POP_JUMP_IF_FALSE: u8 = 0x37;
pub const JUMP_IF_TRUE_OR_POP: u8 = 0x38;
pub const JUMP_IF_FALSE_OR_POP: u8 = 0x39;
pub const SETUP_WITH: u8 = 0x3d;
pub const WITH_CLEANUP: u8 = 0x3e;
pub const SETUP_EXCEPT: u8 = 0x3f;
pub const SETUP_FINALLY: u8 = 0x40;
pub const END_FINALLY: u8 = 0x41;
pub const GET_ITER: u8 = 0x42;
pub const FOR_ITER: u8 = 0x43;
pub const POP_EXCEPT_JUMP: u8 = 0x44;
pub const UNWIND_JUMP: u8 = 0x46;
pub const GET_ITER_STACK: u8 = 0x47;
pub const BUILD_TUPLE: u8 = 0x50;
pub const BUILD_LIST: u8 = 0x51;
pub const BUILD_MAP: u8 = 0x53;
pub const STORE_MAP: u8 = 0x54;
pub const BUILD_SET: u8 = 0x56;
pub const BUILD_SLICE: u8 = 0x58;
pub const STORE_COMP: u8 = 0x57;
pub const UNPACK_SEQUENCE: u8 = 0x59;
pub const UNPACK_EX: u8 = 0x5a;
pub const RETURN_VALUE: u8 = 0x5b;
pub const RAISE_VARARGS: u8 = 0x5c;
pub const YIELD_VALUE: u8 = 0x5d;
pub const YIELD_FROM: u8 = 0x5e;
pub const MAKE_FUNCTION: u8 = 0x60;
pub const MAKE_FUNCTION_DEFARGS: u8 = 0x61;
pub const MAKE_CLOSURE: u8 = 0x62;
pub const MAKE_CLOSURE_DEFARGS: u8 = 0x63;
pub const CALL_FUNCTION: u8 = 0x64;
pub const CALL_FUNCTION_VAR_KW: u8 = 0x65;
pub const CALL_METHOD: u8 = 0x66;
pub const CALL_METHOD_VAR_KW: u8 = 0x67;
pub const IMPORT_NAME: u8 = 0x68;
pub const IMPORT_FROM: u8 = 0x69;
pub const IMPORT_STAR: u8 = 0x6a;
pub const LOAD_CONST_SMALL_INT_MULTI: u8 = 0x70;
pub const LOAD_FAST_MULTI: u8 = 0xb0;
pub const STORE_FAST_MULTI: u8 = 0xc0;
pub const UNARY_OP_MULTI: u8 = 0xd0;
pub const BINARY_OP_MULTI: u8 = 0xd7;

/// How an opcode's operand is encoded (`MP_OPCODE_*` of `py/bc.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpFormat {
    /// The opcode byte alone (undefined opcodes count as this too).
    Byte = 0,
    /// Followed by a 16-bit qstr number (in a `.mpy`: a window-encoded qstr).
    Qstr = 1,
    /// Followed by a var-uint (for `LOAD_CONST_OBJ` and `MAKE_*`: a const-table index).
    VarUint = 2,
    /// Followed by a 16-bit jump offset.
    Offset = 3,
}

/// The 2-bit format of each opcode, four opcodes per entry, lowest bits first.
const fn pack(a: OpFormat, b: OpFormat, c: OpFormat, d: OpFormat) -> u8 {
    (a as u8) | ((b as u8) << 2) | ((c as u8) << 4) | ((d as u8) << 6)
}

const FORMAT_TABLE: [u8; 64] = {
    use OpFormat::{Byte as B, Offset as O, Qstr as Q, VarUint as V};
    // Undefined opcodes are encoded as `Byte`, as the reference does.
    const U: OpFormat = OpFormat::Byte;
    let mut t = [pack(B, B, B, B); 64];
    t[0x00] = pack(U, U, U, U);
    t[0x01] = pack(U, U, U, U);
    t[0x02] = pack(U, U, U, U);
    t[0x03] = pack(U, U, U, U);
    t[0x04] = pack(B, B, B, U); // 0x10: const false/none/true
    t[0x05] = pack(V, U, Q, V); // 0x14: small int, -, string, obj
    t[0x06] = pack(B, V, V, Q); // 0x18: null, fast_n, deref, name
    t[0x07] = pack(Q, Q, Q, Q); // 0x1c: global, attr, method, super method
    t[0x08] = pack(B, B, V, V); // 0x20: build class, subscr, store fast_n, store deref
    t[0x09] = pack(Q, Q, Q, B); // 0x24: store name/global/attr, store subscr
    t[0x0a] = pack(V, V, Q, Q); // 0x28: delete fast/deref/name/global
    t[0x0b] = pack(U, U, U, U);
    t[0x0c] = pack(B, B, B, B); // 0x30: stack ops
    t[0x0d] = pack(B, O, O, O); // 0x34: rot three, jumps
    t[0x0e] = pack(O, O, U, U); // 0x38: jump if or pop
    t[0x0f] = pack(U, O, B, O); // 0x3c: -, setup with, with cleanup, setup except
    t[0x10] = pack(O, B, B, O); // 0x40: setup finally, end finally, get iter, for iter
    t[0x11] = pack(O, U, O, B); // 0x44: pop except jump, -, unwind jump, get iter stack
    t[0x12] = pack(U, U, U, U);
    t[0x13] = pack(U, U, U, U);
    t[0x14] = pack(V, V, U, V); // 0x50: build tuple/list, -, map
    t[0x15] = pack(B, U, V, V); // 0x54: store map, -, build set, store comp
    t[0x16] = pack(V, V, V, B); // 0x58: build slice, unpack seq/ex, return
    t[0x17] = pack(B, B, B, U); // 0x5c: raise, yield value, yield from
    t[0x18] = pack(V, V, V, V); // 0x60: make function/closure
    t[0x19] = pack(V, V, V, V); // 0x64: calls
    t[0x1a] = pack(Q, Q, B, U); // 0x68: import name/from/star
    t[0x1b] = pack(U, U, U, U);
    // 0x70..=0xf7 are one-byte "multi" opcodes (the default above), except these gaps.
    t[0x35] = pack(U, U, U, B); // 0xd4..=0xd6 undefined, 0xd7 first binary op
    t[0x3e] = pack(U, U, U, U);
    t[0x3f] = pack(U, U, U, U);
    t
};

/// The operand format of an opcode, from the reference's table.
pub const fn format_of(op: u8) -> OpFormat {
    match (FORMAT_TABLE[(op >> 2) as usize] >> (2 * (op & 3))) & 3 {
        0 => OpFormat::Byte,
        1 => OpFormat::Qstr,
        2 => OpFormat::VarUint,
        _ => OpFormat::Offset,
    }
}

/// True for the opcodes that take one byte after their operand in every build
/// (`RAISE_VARARGS`, `MAKE_CLOSURE`, `MAKE_CLOSURE_DEFARGS`).
///
/// `UNWIND_JUMP` also carries a byte after its offset, but the reference's
/// `mp_opcode_format` does not count it: the `.mpy` writer and loader walk that byte as an
/// opcode of its own. [`opcode_format`] does the same, so bytes come out identical.
pub const fn has_extra_byte(op: u8) -> bool {
    matches!(op, RAISE_VARARGS | MAKE_CLOSURE | MAKE_CLOSURE_DEFARGS)
}

/// True for the opcodes followed by a map-lookup cache byte when the cache-lookup-bc feature
/// is on (`LOAD_NAME`, `LOAD_GLOBAL`, `LOAD_ATTR`, `STORE_ATTR`).
pub const fn has_cache_byte(op: u8, cache_lookup_bc: bool) -> bool {
    cache_lookup_bc && matches!(op, LOAD_NAME | LOAD_GLOBAL | LOAD_ATTR | STORE_ATTR)
}

/// `mp_opcode_format` of `py/bc.c`: the format of the opcode at the start of `code` and its
/// full size in bytes, var-uint operand included, as the `.mpy` writer walks bytecode.
///
/// Returns `None` if `code` is empty or ends inside the instruction.
pub fn opcode_format(code: &[u8], cache_lookup_bc: bool) -> Option<(OpFormat, usize)> {
    let op = *code.first()?;
    let f = format_of(op);
    let size = match f {
        OpFormat::Qstr => 3 + has_cache_byte(op, cache_lookup_bc) as usize,
        OpFormat::VarUint => {
            let n = code.get(1..)?.iter().position(|b| b & 0x80 == 0)? + 1;
            1 + n + has_extra_byte(op) as usize
        }
        OpFormat::Offset => 3 + has_extra_byte(op) as usize,
        OpFormat::Byte => 1 + has_extra_byte(op) as usize,
    };
    if size > code.len() {
        return None;
    }
    Some((f, size))
}

/// The fixed part of an instruction's size, before any var-uint operand, as the `.mpy`
/// loader counts it (`mp_opcode_format` with `count_var_uint` false).
pub fn fixed_size(op: u8, cache_lookup_bc: bool) -> usize {
    match format_of(op) {
        OpFormat::Qstr => 3 + has_cache_byte(op, cache_lookup_bc) as usize,
        OpFormat::VarUint | OpFormat::Byte => 1 + has_extra_byte(op) as usize,
        OpFormat::Offset => 3 + has_extra_byte(op) as usize,
    }
}

/// The mnemonic of an opcode (multi-opcodes by family); `None` for undefined opcodes.
pub fn name(op: u8) -> Option<&'static str> {
    Some(match op {
        LOAD_CONST_FALSE => "LOAD_CONST_FALSE",
        LOAD_CONST_NONE => "LOAD_CONST_NONE",
        LOAD_CONST_TRUE => "LOAD_CONST_TRUE",
        LOAD_CONST_SMALL_INT => "LOAD_CONST_SMALL_INT",
        LOAD_CONST_STRING => "LOAD_CONST_STRING",
        LOAD_CONST_OBJ => "LOAD_CONST_OBJ",
        LOAD_NULL => "LOAD_NULL",
        LOAD_FAST_N => "LOAD_FAST_N",
        LOAD_DEREF => "LOAD_DEREF",
        LOAD_NAME => "LOAD_NAME",
        LOAD_GLOBAL => "LOAD_GLOBAL",
        LOAD_ATTR => "LOAD_ATTR",
        LOAD_METHOD => "LOAD_METHOD",
        LOAD_SUPER_METHOD => "LOAD_SUPER_METHOD",
        LOAD_BUILD_CLASS => "LOAD_BUILD_CLASS",
        LOAD_SUBSCR => "LOAD_SUBSCR",
        STORE_FAST_N => "STORE_FAST_N",
        STORE_DEREF => "STORE_DEREF",
        STORE_NAME => "STORE_NAME",
        STORE_GLOBAL => "STORE_GLOBAL",
        STORE_ATTR => "STORE_ATTR",
        STORE_SUBSCR => "STORE_SUBSCR",
        DELETE_FAST => "DELETE_FAST",
        DELETE_DEREF => "DELETE_DEREF",
        DELETE_NAME => "DELETE_NAME",
        DELETE_GLOBAL => "DELETE_GLOBAL",
        DUP_TOP => "DUP_TOP",
        DUP_TOP_TWO => "DUP_TOP_TWO",
        POP_TOP => "POP_TOP",
        ROT_TWO => "ROT_TWO",
        ROT_THREE => "ROT_THREE",
        JUMP => "JUMP",
        POP_JUMP_IF_TRUE => "POP_JUMP_IF_TRUE",
        POP_JUMP_IF_FALSE => "POP_JUMP_IF_FALSE",
        JUMP_IF_TRUE_OR_POP => "JUMP_IF_TRUE_OR_POP",
        JUMP_IF_FALSE_OR_POP => "JUMP_IF_FALSE_OR_POP",
        SETUP_WITH => "SETUP_WITH",
        WITH_CLEANUP => "WITH_CLEANUP",
        SETUP_EXCEPT => "SETUP_EXCEPT",
        SETUP_FINALLY => "SETUP_FINALLY",
        END_FINALLY => "END_FINALLY",
        GET_ITER => "GET_ITER",
        FOR_ITER => "FOR_ITER",
        POP_EXCEPT_JUMP => "POP_EXCEPT_JUMP",
        UNWIND_JUMP => "UNWIND_JUMP",
        GET_ITER_STACK => "GET_ITER_STACK",
        BUILD_TUPLE => "BUILD_TUPLE",
        BUILD_LIST => "BUILD_LIST",
        BUILD_MAP => "BUILD_MAP",
        STORE_MAP => "STORE_MAP",
        BUILD_SET => "BUILD_SET",
        BUILD_SLICE => "BUILD_SLICE",
        STORE_COMP => "STORE_COMP",
        UNPACK_SEQUENCE => "UNPACK_SEQUENCE",
        UNPACK_EX => "UNPACK_EX",
        RETURN_VALUE => "RETURN_VALUE",
        RAISE_VARARGS => "RAISE_VARARGS",
        YIELD_VALUE => "YIELD_VALUE",
        YIELD_FROM => "YIELD_FROM",
        MAKE_FUNCTION => "MAKE_FUNCTION",
        MAKE_FUNCTION_DEFARGS => "MAKE_FUNCTION_DEFARGS",
        MAKE_CLOSURE => "MAKE_CLOSURE",
        MAKE_CLOSURE_DEFARGS => "MAKE_CLOSURE_DEFARGS",
        CALL_FUNCTION => "CALL_FUNCTION",
        CALL_FUNCTION_VAR_KW => "CALL_FUNCTION_VAR_KW",
        CALL_METHOD => "CALL_METHOD",
        CALL_METHOD_VAR_KW => "CALL_METHOD_VAR_KW",
        IMPORT_NAME => "IMPORT_NAME",
        IMPORT_FROM => "IMPORT_FROM",
        IMPORT_STAR => "IMPORT_STAR",
        0x70..=0xaf => "LOAD_CONST_SMALL_INT",
        0xb0..=0xbf => "LOAD_FAST",
        0xc0..=0xcf => "STORE_FAST",
        0xd0..=0xd3 => "UNARY_OP",
        0xd7..=0xf7 => "BINARY_OP",
        _ => return None,
    })
}

/// Names of the unary operators a `UNARY_OP` opcode can carry, by number.
pub const UNARY_OP_NAMES: [&str; 4] = ["positive", "negative", "invert", "not"];

/// Names of the binary operators a `BINARY_OP` opcode can carry, by number (`py/runtime0.h`).
pub const BINARY_OP_NAMES: [&str; 33] = [
    "<",
    ">",
    "==",
    "<=",
    ">=",
    "!=",
    "in",
    "is",
    "exception_match",
    "|=",
    "^=",
    "&=",
    "<<=",
    ">>=",
    "+=",
    "-=",
    "*=",
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
    "//",
    "/",
    "%",
    "**",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_table_matches_bc_c() {
        assert_eq!(format_of(LOAD_CONST_STRING), OpFormat::Qstr);
        assert_eq!(format_of(LOAD_CONST_OBJ), OpFormat::VarUint);
        assert_eq!(format_of(0x15), OpFormat::Byte);
        assert_eq!(format_of(UNWIND_JUMP), OpFormat::Offset);
        assert_eq!(format_of(IMPORT_FROM), OpFormat::Qstr);
        assert_eq!(format_of(DELETE_GLOBAL), OpFormat::Qstr);
        assert_eq!(format_of(STORE_SUBSCR), OpFormat::Byte);
        assert_eq!(format_of(0xf7), OpFormat::Byte);
        for op in 0x70..=0xf7u8 {
            assert_eq!(format_of(op), OpFormat::Byte, "{op:#x}");
        }
    }

    #[test]
    fn sizes_follow_mp_opcode_format() {
        assert_eq!(
            opcode_format(&[LOAD_NAME, 1, 2], false),
            Some((OpFormat::Qstr, 3))
        );
        assert_eq!(
            opcode_format(&[LOAD_NAME, 1, 2, 0], true),
            Some((OpFormat::Qstr, 4))
        );
        assert_eq!(
            opcode_format(&[LOAD_METHOD, 1, 2, 0], true),
            Some((OpFormat::Qstr, 3))
        );
        assert_eq!(
            opcode_format(&[STORE_ATTR, 1, 2, 0], true),
            Some((OpFormat::Qstr, 4))
        );
        assert_eq!(opcode_format(&[LOAD_NAME, 1, 2], true), None);
        assert_eq!(
            opcode_format(&[MAKE_CLOSURE, 0x81, 0x01, 2], false),
            Some((OpFormat::VarUint, 4))
        );
        assert_eq!(
            opcode_format(&[RAISE_VARARGS, 1], false),
            Some((OpFormat::Byte, 2))
        );
        assert_eq!(
            opcode_format(&[UNWIND_JUMP, 0, 0x80, 1], false),
            Some((OpFormat::Offset, 3))
        );
        assert_eq!(opcode_format(&[BUILD_TUPLE, 0x80], false), None);
        assert_eq!(opcode_format(&[], false), None);
        assert_eq!(fixed_size(MAKE_CLOSURE_DEFARGS, false), 2);
        assert_eq!(name(0x81), Some("LOAD_CONST_SMALL_INT"));
        assert_eq!(name(0xd5), None);
    }
}
