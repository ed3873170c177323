//! Decoding bytecode into instructions (what `py/showbc.c` prints), for dumps and checks.
//!
//! Unlike [`crate::opcode_format`], which mirrors the reference's walk of bytecode for the
//! `.mpy` format, this decoder takes every operand at its meaning: `UNWIND_JUMP` carries its
//! unwind byte, jumps are resolved to absolute offsets (from the first opcode).

use crate::opcode::{self, format_of, has_cache_byte, OpFormat};
use mpcore::Qstr;
use thiserror::Error;

/// What follows an opcode, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    None,
    /// A qstr, with the map-lookup cache byte when the feature is on.
    Qstr {
        qstr: Qstr,
        cache: Option<u8>,
    },
    /// An unsigned count or local number.
    Uint(u64),
    /// A small int (`LOAD_CONST_SMALL_INT`, both forms).
    Int(i64),
    /// A local number carried in the opcode (`LOAD_FAST`, `STORE_FAST`).
    Local(u8),
    /// A const-table index (`LOAD_CONST_OBJ`, `MAKE_FUNCTION`, `MAKE_FUNCTION_DEFARGS`).
    Const(u64),
    /// A const-table index and the number of closed-over cells (`MAKE_CLOSURE*`).
    Closure {
        index: u64,
        n_closed: u8,
    },
    /// Positional and keyword argument counts of a call.
    Call {
        n_pos: u64,
        n_kw: u64,
    },
    /// An absolute jump target (bytecode offset).
    Jump(i64),
    /// `UNWIND_JUMP`: target and unwind byte (bit 7: break out of a for loop).
    UnwindJump {
        target: i64,
        unwind: u8,
    },
    /// A byte operand (`RAISE_VARARGS`).
    Byte(u8),
    /// A unary operator number.
    UnaryOp(u8),
    /// A binary operator number.
    BinaryOp(u8),
}

/// One decoded instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    /// Offset from the first opcode.
    pub offset: usize,
    pub opcode: u8,
    /// Size in bytes, operands included.
    pub len: usize,
    pub operand: Operand,
}

impl Instr {
    /// The mnemonic (`"?"` for an undefined opcode, which the decoder never yields).
    pub fn name(&self) -> &'static str {
        opcode::name(self.opcode).unwrap_or("?")
    }
}

/// Why bytecode could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DisasmError {
    #[error("undefined opcode {opcode:#04x} at bytecode offset {offset}")]
    UndefinedOpcode { offset: usize, opcode: u8 },
    #[error("instruction at bytecode offset {offset} runs past the end of the code")]
    Truncated { offset: usize },
}

/// Iterator over the instructions of a bytecode body; stops after the first error.
#[derive(Clone, Debug)]
pub struct InstrIter<'a> {
    code: &'a [u8],
    pos: usize,
    cache_lookup_bc: bool,
    failed: bool,
}

impl<'a> InstrIter<'a> {
    /// Decodes `code` (the opcodes, from the first one to the end of `fun_data`).
    pub fn new(code: &'a [u8], cache_lookup_bc: bool) -> InstrIter<'a> {
        InstrIter {
            code,
            pos: 0,
            cache_lookup_bc,
            failed: false,
        }
    }

    fn decode_at(&self, offset: usize) -> Result<Instr, DisasmError> {
        let code = self.code;
        let truncated = DisasmError::Truncated { offset };
        let op = code[offset];
        let mut p = offset + 1;
        let byte = |p: &mut usize| -> Result<u8, DisasmError> {
            let b = *code.get(*p).ok_or(truncated.clone())?;
            *p += 1;
            Ok(b)
        };
        let uint = |p: &mut usize| -> Result<u64, DisasmError> {
            let mut v: u64 = 0;
            loop {
                let b = byte(p)?;
                v = v.wrapping_shl(7) | u64::from(b & 0x7f);
                if b & 0x80 == 0 {
                    return Ok(v);
                }
            }
        };
        if opcode::name(op).is_none() {
            return Err(DisasmError::UndefinedOpcode { offset, opcode: op });
        }
        let operand = match op {
            opcode::LOAD_CONST_SMALL_INT => {
                let first = *code.get(p).ok_or(truncated.clone())?;
                let mut n: i64 = if first & 0x40 != 0 { -1 } else { 0 };
                loop {
                    let b = byte(&mut p)?;
                    n = n.wrapping_shl(7) | i64::from(b & 0x7f);
                    if b & 0x80 == 0 {
                        break;
                    }
                }
                Operand::Int(n)
            }
            opcode::LOAD_CONST_OBJ | opcode::MAKE_FUNCTION | opcode::MAKE_FUNCTION_DEFARGS => {
                Operand::Const(uint(&mut p)?)
            }
            opcode::MAKE_CLOSURE | opcode::MAKE_CLOSURE_DEFARGS => {
                let index = uint(&mut p)?;
                Operand::Closure {
                    index,
                    n_closed: byte(&mut p)?,
                }
            }
            opcode::CALL_FUNCTION
            | opcode::CALL_FUNCTION_VAR_KW
            | opcode::CALL_METHOD
            | opcode::CALL_METHOD_VAR_KW => {
                let n = uint(&mut p)?;
                Operand::Call {
                    n_pos: n & 0xff,
                    n_kw: (n >> 8) & 0xff,
                }
            }
            opcode::RAISE_VARARGS => Operand::Byte(byte(&mut p)?),
            0x70..=0xaf => Operand::Int(i64::from(op) - 0x70 - 16),
            0xb0..=0xbf => Operand::Local(op - 0xb0),
            0xc0..=0xcf => Operand::Local(op - 0xc0),
            0xd0..=0xd3 => Operand::UnaryOp(op - 0xd0),
            0xd7..=0xf7 => Operand::BinaryOp(op - 0xd7),
            _ => match format_of(op) {
                OpFormat::Byte => Operand::None,
                OpFormat::VarUint => Operand::Uint(uint(&mut p)?),
                OpFormat::Qstr => {
                    let lo = byte(&mut p)?;
                    let hi = byte(&mut p)?;
                    let qstr = Qstr(u16::from(lo) | (u16::from(hi) << 8));
                    let cache = if has_cache_byte(op, self.cache_lookup_bc) {
                        Some(byte(&mut p)?)
                    } else {
                        None
                    };
                    Operand::Qstr { qstr, cache }
                }
                OpFormat::Offset => {
                    let lo = byte(&mut p)?;
                    let hi = byte(&mut p)?;
                    let raw = i64::from(u16::from(lo) | (u16::from(hi) << 8));
                    let signed = matches!(
                        op,
                        opcode::JUMP
                            | opcode::POP_JUMP_IF_TRUE
                            | opcode::POP_JUMP_IF_FALSE
                            | opcode::JUMP_IF_TRUE_OR_POP
                            | opcode::JUMP_IF_FALSE_OR_POP
                            | opcode::UNWIND_JUMP
                    );
                    let rel = if signed { raw - 0x8000 } else { raw };
                    let target = p as i64 + rel;
                    if op == opcode::UNWIND_JUMP {
                        Operand::UnwindJump {
                            target,
                            unwind: byte(&mut p)?,
                        }
                    } else {
                        Operand::Jump(target)
                    }
                }
            },
        };
        Ok(Instr {
            offset,
            opcode: op,
            len: p - offset,
            operand,
        })
    }
}

impl Iterator for InstrIter<'_> {
    type Item = Result<Instr, DisasmError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.code.len() {
            return None;
        }
        match self.decode_at(self.pos) {
            Ok(instr) => {
                self.pos += instr.len;
                Some(Ok(instr))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_operands() {
        let code = [
            0x81, // LOAD_CONST_SMALL_INT 1
            0x24, 0x52, 0x01, // STORE_NAME 0x152
            0x14, 0x7f, // LOAD_CONST_SMALL_INT -1
            0x35, 0xfd, 0x7f, // JUMP back to 6 - 3 + 9 ... computed below
            0x46, 0x00, 0x80, 0x81, // UNWIND_JUMP +0, break from for, 1 level
            0x62, 0x02, 0x01, // MAKE_CLOSURE const 2, 1 cell
            0x64, 0x82, 0x01, // CALL_FUNCTION n=1 nkw=1 (0x101)
            0xf1, // BINARY_OP 26 (+)
            0x5b,
        ];
        let v: Vec<Instr> = InstrIter::new(&code, false)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(v[0].operand, Operand::Int(1));
        assert_eq!(
            v[1].operand,
            Operand::Qstr {
                qstr: Qstr(0x152),
                cache: None
            }
        );
        assert_eq!(v[2].operand, Operand::Int(-1));
        assert_eq!(v[3].operand, Operand::Jump(9 + 0x7ffd - 0x8000));
        assert_eq!(
            v[4].operand,
            Operand::UnwindJump {
                target: 12,
                unwind: 0x81
            }
        );
        assert_eq!(v[4].len, 4);
        assert_eq!(
            v[5].operand,
            Operand::Closure {
                index: 2,
                n_closed: 1
            }
        );
        assert_eq!(v[6].operand, Operand::Call { n_pos: 1, n_kw: 1 });
        assert_eq!(v[7].operand, Operand::BinaryOp(26));
        assert_eq!(v[8].name(), "RETURN_VALUE");
    }

    #[test]
    fn cache_byte_and_errors() {
        let v: Vec<_> = InstrIter::new(&[0x1c, 1, 0, 7], true).collect();
        assert_eq!(
            v,
            vec![Ok(Instr {
                offset: 0,
                opcode: 0x1c,
                len: 4,
                operand: Operand::Qstr {
                    qstr: Qstr(1),
                    cache: Some(7)
                }
            })]
        );
        let v: Vec<_> = InstrIter::new(&[0x1c, 1, 0], true).collect();
        assert_eq!(v, vec![Err(DisasmError::Truncated { offset: 0 })]);
        let v: Vec<_> = InstrIter::new(&[0x32, 0x00, 0x32], false).collect();
        assert_eq!(v.len(), 2);
        assert_eq!(
            v[1],
            Err(DisasmError::UndefinedOpcode {
                offset: 1,
                opcode: 0
            })
        );
    }
}
