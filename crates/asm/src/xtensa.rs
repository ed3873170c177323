//! Xtensa encoder (py/asmxtensa.c): the windowless call0 ABI of MicroPython 1.11, a15 holds
//! `mp_fun_table`, word constants in a literal table that the prologue jumps over.
//!
//! The literal table's size is the number of literals the previous pass used, so a function
//! whose literal count changes between passes moves every label after the table; that is the
//! reference's `mp_asm_base_label_assign` assertion, here [`AsmError::LabelMoved`] (and a
//! literal beyond the table is an [`AsmError::OutOfRange`]). Branch ranges (`j` 18 bits,
//! `bnez`-style 12, `bne`-style 8) are checked in the emit pass.

use crate::{low32, Asm, AsmBase, AsmError, Cond, Label, MemSize, Reg, Result};

const ARCH: &str = "xtensa";

pub const A0: Reg = Reg(0);
pub const A1: Reg = Reg(1);
pub const A2: Reg = Reg(2);
pub const A3: Reg = Reg(3);
pub const A4: Reg = Reg(4);
pub const A5: Reg = Reg(5);
pub const A6: Reg = Reg(6);
pub const A9: Reg = Reg(9);
pub const A11: Reg = Reg(11);
pub const A12: Reg = Reg(12);
pub const A13: Reg = Reg(13);
pub const A14: Reg = Reg(14);
pub const A15: Reg = Reg(15);

/// Conditions of `beqz`/`bnez` (the `m` field of BRI12).
pub mod ccz {
    pub const EQ: u32 = 0;
    pub const NE: u32 = 1;
}

/// Conditions of the two-register branches (the `r` field of RRI8, opcode 7).
pub mod cc {
    pub const NONE: u32 = 0;
    pub const EQ: u32 = 1;
    pub const LT: u32 = 2;
    pub const LTU: u32 = 3;
    pub const ALL: u32 = 4;
    pub const BC: u32 = 5;
    pub const ANY: u32 = 8;
    pub const NE: u32 = 9;
    pub const GE: u32 = 10;
    pub const GEU: u32 = 11;
    pub const NALL: u32 = 12;
    pub const BS: u32 = 13;
}

/// a0 and a12-a15 are saved below the locals.
const NUM_REGS_SAVED: usize = 5;

/// RRR format.
pub fn encode_rrr(op0: u32, op1: u32, op2: u32, r: u32, s: u32, t: u32) -> u32 {
    (op2 << 20) | (op1 << 16) | (r << 12) | (s << 8) | (t << 4) | op0
}
/// RRI8 format.
pub fn encode_rri8(op0: u32, r: u32, s: u32, t: u32, imm8: u32) -> u32 {
    ((imm8 & 0xff) << 16) | (r << 12) | (s << 8) | (t << 4) | op0
}
/// RI16 format.
pub fn encode_ri16(op0: u32, t: u32, imm16: u32) -> u32 {
    ((imm16 & 0xffff) << 8) | (t << 4) | op0
}
/// CALL format.
pub fn encode_call(op0: u32, n: u32, offset: u32) -> u32 {
    ((offset & 0x3ffff) << 6) | (n << 4) | op0
}
/// CALLX format.
pub fn encode_callx(op0: u32, op1: u32, op2: u32, r: u32, s: u32, m: u32, n: u32) -> u32 {
    (op2 << 20) | (op1 << 16) | (r << 12) | (s << 8) | (m << 6) | (n << 4) | op0
}
/// BRI12 format.
pub fn encode_bri12(op0: u32, s: u32, m: u32, n: u32, imm12: u32) -> u32 {
    ((imm12 & 0xfff) << 12) | (s << 8) | (m << 6) | (n << 4) | op0
}
/// RRRN (16-bit) format.
pub fn encode_rrrn(op0: u32, r: u32, s: u32, t: u32) -> u16 {
    ((r << 12) | (s << 8) | (t << 4) | op0) as u16
}
/// RI7 (16-bit) format.
pub fn encode_ri7(op0: u32, s: u32, imm7: u32) -> u16 {
    (((imm7 & 0xf) << 12) | (s << 8) | (imm7 & 0x70) | op0) as u16
}

fn fits_signed(v: i64, bits: u32) -> bool {
    let half = 1i64 << (bits - 1);
    (-half..half).contains(&v)
}

fn range(what: &'static str, value: i64) -> AsmError {
    AsmError::OutOfRange {
        arch: ARCH,
        what,
        value,
    }
}

/// The Xtensa assembler.
#[derive(Debug, Clone)]
pub struct AsmXtensa {
    base: AsmBase,
    cur_const: usize,
    num_const: usize,
    const_table: Option<usize>,
    stack_adjust: u32,
    /// Where this pass's literal table is and how many bytes it has.
    table: Option<(usize, usize)>,
    /// A wrapped `l32i.n`/`s32i.n` offset written as the reference writes it ([`Asm::take_refusal`]).
    refusal: Option<AsmError>,
}

impl AsmXtensa {
    /// The 4-bit word offset of `l32i.n`/`s32i.n` as the reference writes it (the low four
    /// bits); a bigger offset is noted as a refusal ([`Asm::take_refusal`]).
    fn wrapped_offset(&mut self, word_offset: usize, what: &'static str) -> u32 {
        if word_offset > 15 && self.refusal.is_none() {
            self.refusal = Some(range(what, i64::try_from(word_offset).unwrap_or(i64::MAX)));
        }
        (word_offset & 15) as u32
    }

    fn r(reg: Reg) -> Result<u32> {
        if reg.0 < 16 {
            Ok(reg.0 as u32)
        } else {
            Err(AsmError::BadRegister {
                arch: ARCH,
                what: "an Xtensa instruction",
                reg: reg.0,
            })
        }
    }

    fn field(v: u32, max: u32, what: &'static str) -> Result<u32> {
        if v <= max {
            Ok(v)
        } else {
            Err(range(what, v as i64))
        }
    }

    /// Appends a 16-bit (narrow) instruction.
    #[inline]
    pub fn op16(&mut self, op: u16) -> Result<()> {
        self.base.write(&op.to_le_bytes())
    }

    /// Appends a 24-bit instruction.
    #[inline]
    pub fn op24(&mut self, op: u32) -> Result<()> {
        self.base.write(&op.to_le_bytes()[..3])
    }

    /// `add.n dest, a, b`.
    pub fn op_add_n(&mut self, dest: Reg, a: Reg, b: Reg) -> Result<()> {
        self.op16(encode_rrrn(10, Self::r(dest)?, Self::r(a)?, Self::r(b)?))
    }
    /// `addi dest, src, imm8` (-128..127).
    pub fn op_addi(&mut self, dest: Reg, src: Reg, imm8: i32) -> Result<()> {
        if !fits_signed(imm8 as i64, 8) {
            return Err(range("addi immediate", imm8 as i64));
        }
        self.op24(encode_rri8(
            2,
            12,
            Self::r(src)?,
            Self::r(dest)?,
            imm8 as u32,
        ))
    }
    /// `and dest, a, b`.
    pub fn op_and(&mut self, dest: Reg, a: Reg, b: Reg) -> Result<()> {
        self.op24(encode_rrr(
            0,
            0,
            1,
            Self::r(dest)?,
            Self::r(a)?,
            Self::r(b)?,
        ))
    }
    /// Two-register conditional branch with an 8-bit displacement field (not range-checked:
    /// see [`AsmXtensa::bcc_reg_reg_label`]).
    pub fn op_bcc(&mut self, cond: u32, a: Reg, b: Reg, rel8: i32) -> Result<()> {
        self.op24(encode_rri8(
            7,
            cond & 0xf,
            Self::r(a)?,
            Self::r(b)?,
            rel8 as u32,
        ))
    }
    /// `beqz`/`bnez` with a 12-bit displacement field.
    pub fn op_bccz(&mut self, cond: u32, reg: Reg, rel12: i32) -> Result<()> {
        self.op24(encode_bri12(6, Self::r(reg)?, cond & 3, 1, rel12 as u32))
    }
    /// `call0` with an 18-bit word displacement field.
    pub fn op_call0(&mut self, rel18: i32) -> Result<()> {
        self.op24(encode_call(5, 0, rel18 as u32))
    }
    /// `callx0 reg`.
    pub fn op_callx0(&mut self, reg: Reg) -> Result<()> {
        self.op24(encode_callx(0, 0, 0, 0, Self::r(reg)?, 3, 0))
    }
    /// `j` with an 18-bit displacement field.
    pub fn op_j(&mut self, rel18: i32) -> Result<()> {
        self.op24(encode_call(6, 0, rel18 as u32))
    }
    /// `jx reg`.
    pub fn op_jx(&mut self, reg: Reg) -> Result<()> {
        self.op24(encode_callx(0, 0, 0, 0, Self::r(reg)?, 2, 2))
    }
    /// `l8ui dest, base, byte_offset` (< 256).
    pub fn op_l8ui(&mut self, dest: Reg, base: Reg, byte_offset: u32) -> Result<()> {
        let off = Self::field(byte_offset, 255, "l8ui offset")?;
        self.op24(encode_rri8(2, 0, Self::r(base)?, Self::r(dest)?, off))
    }
    /// `l16ui dest, base, 2*half_word_offset` (< 256).
    pub fn op_l16ui(&mut self, dest: Reg, base: Reg, half_word_offset: u32) -> Result<()> {
        let off = Self::field(half_word_offset, 255, "l16ui offset")?;
        self.op24(encode_rri8(2, 1, Self::r(base)?, Self::r(dest)?, off))
    }
    /// `l32i dest, base, 4*word_offset` (< 256).
    pub fn op_l32i(&mut self, dest: Reg, base: Reg, word_offset: u32) -> Result<()> {
        let off = Self::field(word_offset, 255, "l32i offset")?;
        self.op24(encode_rri8(2, 2, Self::r(base)?, Self::r(dest)?, off))
    }
    /// `l32i.n dest, base, 4*word_offset` (< 16).
    pub fn op_l32i_n(&mut self, dest: Reg, base: Reg, word_offset: u32) -> Result<()> {
        let off = Self::field(word_offset, 15, "l32i.n offset")?;
        self.op16(encode_rrrn(8, off, Self::r(base)?, Self::r(dest)?))
    }
    /// `l32r dest, <literal at dest_off>` for an instruction at `op_off`.
    pub fn op_l32r(&mut self, dest: Reg, op_off: usize, dest_off: usize) -> Result<()> {
        let rel = (dest_off as i64 - ((op_off as i64 + 3) & !3)) >> 2;
        if self.base.is_emit() && !(-(1 << 16)..0).contains(&rel) {
            return Err(range("l32r literal distance", rel * 4));
        }
        self.op24(encode_ri16(1, Self::r(dest)?, rel as u32))
    }
    /// `mov.n dest, src`.
    pub fn op_mov_n(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op16(encode_rrrn(13, 0, Self::r(src)?, Self::r(dest)?))
    }
    /// `movi dest, imm12` (-2048..2047).
    pub fn op_movi(&mut self, dest: Reg, imm12: i32) -> Result<()> {
        if !fits_signed(imm12 as i64, 12) {
            return Err(range("movi immediate", imm12 as i64));
        }
        let i = imm12 as u32;
        self.op24(encode_rri8(2, 10, (i >> 8) & 0xf, Self::r(dest)?, i & 0xff))
    }
    /// `movi.n dest, imm` (-32..95).
    pub fn op_movi_n(&mut self, dest: Reg, imm: i32) -> Result<()> {
        if !(-32..=95).contains(&imm) {
            return Err(range("movi.n immediate", imm as i64));
        }
        self.op16(encode_ri7(12, Self::r(dest)?, imm as u32 & 0x7f))
    }
    /// `mull dest, a, b`.
    pub fn op_mull(&mut self, dest: Reg, a: Reg, b: Reg) -> Result<()> {
        self.op24(encode_rrr(
            0,
            2,
            8,
            Self::r(dest)?,
            Self::r(a)?,
            Self::r(b)?,
        ))
    }
    /// `or dest, a, b`.
    pub fn op_or(&mut self, dest: Reg, a: Reg, b: Reg) -> Result<()> {
        self.op24(encode_rrr(
            0,
            0,
            2,
            Self::r(dest)?,
            Self::r(a)?,
            Self::r(b)?,
        ))
    }
    /// `ret.n`.
    pub fn op_ret_n(&mut self) -> Result<()> {
        self.op16(encode_rrrn(13, 15, 0, 0))
    }
    /// `s8i src, base, byte_offset` (< 256).
    pub fn op_s8i(&mut self, src: Reg, base: Reg, byte_offset: u32) -> Result<()> {
        let off = Self::field(byte_offset, 255, "s8i offset")?;
        self.op24(encode_rri8(2, 4, Self::r(base)?, Self::r(src)?, off))
    }
    /// `s16i src, base, 2*half_word_offset` (< 256).
    pub fn op_s16i(&mut self, src: Reg, base: Reg, half_word_offset: u32) -> Result<()> {
        let off = Self::field(half_word_offset, 255, "s16i offset")?;
        self.op24(encode_rri8(2, 5, Self::r(base)?, Self::r(src)?, off))
    }
    /// `s32i src, base, 4*word_offset` (< 256).
    pub fn op_s32i(&mut self, src: Reg, base: Reg, word_offset: u32) -> Result<()> {
        let off = Self::field(word_offset, 255, "s32i offset")?;
        self.op24(encode_rri8(2, 6, Self::r(base)?, Self::r(src)?, off))
    }
    /// `s32i.n src, base, 4*word_offset` (< 16).
    pub fn op_s32i_n(&mut self, src: Reg, base: Reg, word_offset: u32) -> Result<()> {
        let off = Self::field(word_offset, 15, "s32i.n offset")?;
        self.op16(encode_rrrn(9, off, Self::r(base)?, Self::r(src)?))
    }
    /// `sll dest, src` (by SAR).
    pub fn op_sll(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op24(encode_rrr(0, 1, 10, Self::r(dest)?, Self::r(src)?, 0))
    }
    /// `sra dest, src` (by SAR).
    pub fn op_sra(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op24(encode_rrr(0, 1, 11, Self::r(dest)?, 0, Self::r(src)?))
    }
    /// `ssl src`: set SAR for a left shift.
    pub fn op_ssl(&mut self, src: Reg) -> Result<()> {
        self.op24(encode_rrr(0, 0, 4, 1, Self::r(src)?, 0))
    }
    /// `ssr src`: set SAR for a right shift.
    pub fn op_ssr(&mut self, src: Reg) -> Result<()> {
        self.op24(encode_rrr(0, 0, 4, 0, Self::r(src)?, 0))
    }
    /// `sub dest, a, b`.
    pub fn op_sub(&mut self, dest: Reg, a: Reg, b: Reg) -> Result<()> {
        self.op24(encode_rrr(
            0,
            0,
            12,
            Self::r(dest)?,
            Self::r(a)?,
            Self::r(b)?,
        ))
    }
    /// `xor dest, a, b`.
    pub fn op_xor(&mut self, dest: Reg, a: Reg, b: Reg) -> Result<()> {
        self.op24(encode_rrr(
            0,
            0,
            3,
            Self::r(dest)?,
            Self::r(a)?,
            Self::r(b)?,
        ))
    }

    /// Displacement of a branch at the current offset to `label` (target minus PC minus 4),
    /// `None` for a forward label in a compute pass.
    fn rel(&self, label: Label) -> Result<Option<i64>> {
        let here = self.base.code_pos() as i64;
        Ok(self.base.label_offset(label)?.map(|d| d as i64 - here - 4))
    }

    fn checked_rel(&self, label: Label, bits: u32, what: &'static str) -> Result<i32> {
        let rel = self.rel(label)?.unwrap_or(0);
        if self.base.is_emit() && !fits_signed(rel, bits) {
            return Err(range(what, rel));
        }
        Ok(rel as i32)
    }

    /// `j label` (18-bit byte displacement).
    pub fn j_label(&mut self, label: Label) -> Result<()> {
        let rel = self.checked_rel(label, 18, "j distance")?;
        self.op_j(rel)
    }

    /// `beqz`/`bnez reg, label` (12-bit displacement).
    pub fn bccz_reg_label(&mut self, cond: u32, reg: Reg, label: Label) -> Result<()> {
        let rel = self.checked_rel(label, 12, "beqz/bnez distance")?;
        self.op_bccz(cond, reg, rel)
    }

    /// Two-register conditional branch to `label` (8-bit displacement).
    pub fn bcc_reg_reg_label(&mut self, cond: u32, a: Reg, b: Reg, label: Label) -> Result<()> {
        let rel = self.checked_rel(label, 8, "conditional branch distance")?;
        self.op_bcc(cond, a, b, rel)
    }

    /// `movi.n dest, 1; b<cond> a, b, +1; movi.n dest, 0`: `dest` must differ from `a`, `b`.
    pub fn setcc_reg_reg_reg(&mut self, cond: u32, dest: Reg, a: Reg, b: Reg) -> Result<()> {
        if dest == a || dest == b {
            return Err(AsmError::BadRegister {
                arch: ARCH,
                what: "setcc destination",
                reg: dest.0,
            });
        }
        self.op_movi_n(dest, 1)?;
        self.op_bcc(cond, a, b, 1)?;
        self.op_movi_n(dest, 0)
    }

    /// `l32r` of a new literal `i32` from the table; returns the literal's offset.
    pub fn mov_reg_i32(&mut self, dest: Reg, i32: u32) -> Result<usize> {
        let table = self.const_table.ok_or(AsmError::Unsupported {
            arch: ARCH,
            what: "a literal before the prologue",
        })?;
        if self.base.is_emit() && self.cur_const >= self.num_const {
            return Err(range(
                "literal count (changed between passes)",
                self.cur_const as i64,
            ));
        }
        let loc = table + self.cur_const * 4;
        let here = self.base.code_pos();
        self.op_l32r(dest, here, loc)?;
        self.base.patch(loc, &i32.to_le_bytes())?;
        self.cur_const += 1;
        Ok(loc)
    }

    /// `movi` where the value fits 12 bits signed, else a literal.
    pub fn mov_reg_i32_optimised(&mut self, dest: Reg, i32: u32) -> Result<()> {
        if fits_signed(i32 as i32 as i64, 12) {
            self.op_movi(dest, i32 as i32)
        } else {
            self.mov_reg_i32(dest, i32).map(|_| ())
        }
    }

    fn slot(local: usize, max: usize) -> Result<u32> {
        let w = NUM_REGS_SAVED.saturating_add(local);
        if w <= max {
            Ok(w as u32)
        } else {
            Err(range(
                "stack slot",
                i64::try_from(local).unwrap_or(i64::MAX),
            ))
        }
    }
}

impl Asm for AsmXtensa {
    const ARCH: &'static str = ARCH;
    const WORD_SIZE: usize = 4;
    const REG_RET: Reg = A2;
    const REG_ARG_1: Reg = A2;
    const REG_ARG_2: Reg = A3;
    const REG_ARG_3: Reg = A4;
    const REG_ARG_4: Reg = A5;
    const REG_ARG_5: Option<Reg> = Some(A6);
    const REG_TEMP0: Reg = A2;
    const REG_TEMP1: Reg = A3;
    const REG_TEMP2: Reg = A4;
    const REG_LOCAL_1: Reg = A12;
    const REG_LOCAL_2: Reg = A13;
    const REG_LOCAL_3: Reg = A14;
    const REG_FUN_TABLE: Reg = A15;
    const NLR_BUF_IDX_LOCAL_1: usize = 8;
    const NLR_BUF_IDX_LOCAL_2: usize = 9;
    const NLR_BUF_IDX_LOCAL_3: usize = 10;

    fn new(max_num_labels: usize) -> Self {
        AsmXtensa {
            base: AsmBase::new(max_num_labels),
            cur_const: 0,
            num_const: 0,
            const_table: None,
            stack_adjust: 0,
            table: None,
            refusal: None,
        }
    }
    fn base(&self) -> &AsmBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut AsmBase {
        &mut self.base
    }

    fn start_pass(&mut self, pass: crate::Pass) {
        self.base.start_pass(pass);
        self.table = None;
    }

    fn carried_move(&self) -> Option<(usize, isize)> {
        let (at, bytes) = self.table?;
        let next = self.num_const.checked_mul(4)?;
        Some((
            at,
            isize::try_from(next).ok()? - isize::try_from(bytes).ok()?,
        ))
    }

    fn end_pass(&mut self) -> Result<()> {
        self.num_const = self.cur_const;
        self.cur_const = 0;
        Ok(())
    }

    fn repeats_last_pass(&self) -> bool {
        self.cur_const == self.num_const
    }

    fn abort_pass(&mut self) {
        self.base.abort_pass();
        self.cur_const = 0;
        self.refusal = None;
    }

    fn entry(&mut self, num_locals: usize) -> Result<()> {
        // Jump over one padding byte and the literal table sized by the previous pass.
        let table_bytes = self.num_const * 4;
        if table_bytes >= 1 << 17 {
            return Err(range("literal table size", table_bytes as i64));
        }
        self.op_j(table_bytes as i32)?;
        self.base.reserve(1)?;
        let at = self.base.reserve(table_bytes)?;
        self.const_table = Some(at);
        self.table = Some((at, table_bytes));

        // Saved registers and locals, rounded up to 16 bytes; movi holds 12 bits signed.
        let adjust = NUM_REGS_SAVED
            .checked_add(num_locals)
            .and_then(|w| w.checked_mul(4))
            .and_then(|b| b.checked_add(15))
            .map(|b| b & !15)
            .filter(|a| *a < 2048)
            .ok_or(range(
                "frame size",
                i64::try_from(num_locals).unwrap_or(i64::MAX),
            ))?;
        self.stack_adjust = adjust as u32;
        if adjust <= 128 {
            self.op_addi(A1, A1, -(adjust as i32))?;
        } else {
            self.op_movi(A9, adjust as i32)?;
            self.op_sub(A1, A1, A9)?;
        }
        self.op_s32i_n(A0, A1, 0)?;
        for i in 1..NUM_REGS_SAVED as u8 {
            self.op_s32i_n(Reg(11 + i), A1, i as u32)?;
        }
        Ok(())
    }

    fn exit(&mut self) -> Result<()> {
        for i in (1..NUM_REGS_SAVED as u8).rev() {
            self.op_l32i_n(Reg(11 + i), A1, i as u32)?;
        }
        self.op_l32i_n(A0, A1, 0)?;
        let adjust = self.stack_adjust as i32;
        if adjust < 128 {
            self.op_addi(A1, A1, adjust)?;
        } else {
            self.op_movi(A9, adjust)?;
            self.op_add_n(A1, A1, A9)?;
        }
        self.op_ret_n()
    }

    fn jump(&mut self, label: Label) -> Result<()> {
        self.j_label(label)
    }
    fn jump_if_reg_zero(&mut self, reg: Reg, label: Label, _bool_test: bool) -> Result<()> {
        self.bccz_reg_label(ccz::EQ, reg, label)
    }
    fn jump_if_reg_nonzero(&mut self, reg: Reg, label: Label, _bool_test: bool) -> Result<()> {
        self.bccz_reg_label(ccz::NE, reg, label)
    }
    fn jump_if_reg_eq(&mut self, reg1: Reg, reg2: Reg, label: Label) -> Result<()> {
        self.bcc_reg_reg_label(cc::EQ, reg1, reg2, label)
    }
    fn jump_reg(&mut self, reg: Reg) -> Result<()> {
        self.op_jx(reg)
    }
    fn call_ind(&mut self, fun_id: usize, _n_args: usize) -> Result<()> {
        let id = u32::try_from(fun_id).map_err(|_| range("function index", fun_id as i64))?;
        if id < 16 {
            self.op_l32i_n(A0, A15, id)?;
        } else {
            self.op_l32i(A0, A15, id)?;
        }
        self.op_callx0(A0)
    }

    fn mov_local_reg(&mut self, local: usize, src: Reg) -> Result<()> {
        let w = Self::slot(local, 255)?;
        self.op_s32i(src, A1, w)
    }
    fn mov_reg_imm(&mut self, dest: Reg, imm: i64) -> Result<()> {
        self.mov_reg_i32_optimised(dest, low32(imm))
    }
    fn mov_reg_imm_fix_u16(&mut self, dest: Reg, imm: u32) -> Result<usize> {
        self.mov_reg_i32(dest, imm)
    }
    fn mov_reg_imm_fix_word(&mut self, dest: Reg, imm: i64) -> Result<usize> {
        self.mov_reg_i32(dest, low32(imm))
    }
    fn mov_reg_local(&mut self, dest: Reg, local: usize) -> Result<()> {
        let w = Self::slot(local, 255)?;
        self.op_l32i(dest, A1, w)
    }
    fn mov_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op_mov_n(dest, src)
    }
    fn mov_reg_local_addr(&mut self, dest: Reg, local: usize) -> Result<()> {
        let off = Self::slot(local, 511)? as i32 * 4;
        if off < 128 {
            self.op_addi(dest, A1, off)
        } else {
            self.op_movi(dest, off)?;
            self.op_add_n(dest, dest, A1)
        }
    }
    fn mov_reg_pcrel(&mut self, dest: Reg, label: Label) -> Result<()> {
        // movi dest, rel; call0 to the next aligned word (a0 = its return address); pad;
        // add.n dest, dest, a0.
        let here = self.base.code_pos() as i64;
        let rel = self
            .base
            .label_offset(label)?
            .map_or(0, |d| d as i64 - here - 6);
        if self.base.is_emit() && !fits_signed(rel, 12) {
            return Err(range("pc-relative offset", rel));
        }
        self.op_movi(dest, if self.base.is_emit() { rel as i32 } else { 0 })?;
        let pos = self.base.code_pos();
        let off = (pos >> 1) & 1;
        let pad = (5usize.wrapping_sub(pos)) & 3;
        self.op_call0(off as i32)?;
        self.base.reserve(pad)?;
        self.op_add_n(dest, dest, A0)
    }

    fn lsl_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        self.op_ssl(shift)?;
        self.op_sll(dest, dest)
    }
    fn asr_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        self.op_ssr(shift)?;
        self.op_sra(dest, dest)
    }
    fn or_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op_or(dest, dest, src)
    }
    fn xor_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op_xor(dest, dest, src)
    }
    fn and_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op_and(dest, dest, src)
    }
    fn add_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op_add_n(dest, dest, src)
    }
    fn sub_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op_sub(dest, dest, src)
    }
    fn mul_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.op_mull(dest, dest, src)
    }
    fn set_reg_cond(&mut self, cond: Cond, dest: Reg, lhs: Reg, rhs: Reg) -> Result<()> {
        match cond {
            Cond::Lt => self.setcc_reg_reg_reg(cc::LT, dest, lhs, rhs),
            Cond::Gt => self.setcc_reg_reg_reg(cc::LT, dest, rhs, lhs),
            Cond::Eq => self.setcc_reg_reg_reg(cc::EQ, dest, lhs, rhs),
            Cond::Le => self.setcc_reg_reg_reg(cc::GE, dest, rhs, lhs),
            Cond::Ge => self.setcc_reg_reg_reg(cc::GE, dest, lhs, rhs),
            Cond::Ne => self.setcc_reg_reg_reg(cc::NE, dest, lhs, rhs),
        }
    }

    fn load_reg_reg_offset(&mut self, dest: Reg, base: Reg, word_offset: usize) -> Result<()> {
        let off = self.wrapped_offset(word_offset, "l32i.n offset");
        self.op_l32i_n(dest, base, off)
    }
    fn load_sized(&mut self, size: MemSize, dest: Reg, base: Reg) -> Result<()> {
        match size {
            MemSize::B8 => self.op_l8ui(dest, base, 0),
            MemSize::B16 => self.op_l16ui(dest, base, 0),
            MemSize::B32 => self.op_l32i_n(dest, base, 0),
        }
    }
    fn store_reg_reg_offset(&mut self, src: Reg, base: Reg, word_offset: usize) -> Result<()> {
        let off = self.wrapped_offset(word_offset, "s32i.n offset");
        self.op_s32i_n(src, base, off)
    }
    fn take_refusal(&mut self) -> Option<AsmError> {
        self.refusal.take()
    }
    fn store_sized(&mut self, size: MemSize, src: Reg, base: Reg) -> Result<()> {
        match size {
            MemSize::B8 => self.op_s8i(src, base, 0),
            MemSize::B16 => self.op_s16i(src, base, 0),
            MemSize::B32 => self.op_s32i_n(src, base, 0),
        }
    }
}
