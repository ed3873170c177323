//! Thumb-2 encoder for ARMv7-M (py/asmthumb.c): the native emitter's back end and the
//! instruction forms the inline Thumb assembler (`@micropython.asm_thumb`) needs, as public
//! functions. r7 holds `mp_fun_table`.
//!
//! Branch forms follow the reference: a backward target that fits takes the 16-bit form, a
//! forward or far one the 32-bit form. Every 32-bit branch is checked (in the emit pass) by
//! decoding it as the architecture does, so a distance the reference's encoding would scramble
//! is an [`AsmError::OutOfRange`] instead of a wrong branch.

use crate::{low32, Asm, AsmBase, AsmError, Cond, Label, MemSize, Reg, Result};

const ARCH: &str = "armv7m";

pub const R0: Reg = Reg(0);
pub const R1: Reg = Reg(1);
pub const R2: Reg = Reg(2);
pub const R3: Reg = Reg(3);
pub const R4: Reg = Reg(4);
pub const R5: Reg = Reg(5);
pub const R6: Reg = Reg(6);
pub const R7: Reg = Reg(7);
pub const R8: Reg = Reg(8);
pub const SP: Reg = Reg(13);
pub const LR: Reg = Reg(14);
pub const PC: Reg = Reg(15);

/// Condition codes.
pub mod cc {
    pub const EQ: u16 = 0x0;
    pub const NE: u16 = 0x1;
    pub const CS: u16 = 0x2;
    pub const CC: u16 = 0x3;
    pub const MI: u16 = 0x4;
    pub const PL: u16 = 0x5;
    pub const VS: u16 = 0x6;
    pub const VC: u16 = 0x7;
    pub const HI: u16 = 0x8;
    pub const LS: u16 = 0x9;
    pub const GE: u16 = 0xa;
    pub const LT: u16 = 0xb;
    pub const GT: u16 = 0xc;
    pub const LE: u16 = 0xd;
}

/// 16-bit opcodes and opcode bases.
pub mod op {
    pub const IT: u16 = 0xbf00;
    pub const ITE_EQ: u16 = 0xbf0c;
    pub const ITE_CS: u16 = 0xbf2c;
    pub const ITE_MI: u16 = 0xbf4c;
    pub const ITE_VS: u16 = 0xbf6c;
    pub const ITE_HI: u16 = 0xbf8c;
    pub const ITE_GE: u16 = 0xbfac;
    pub const ITE_GT: u16 = 0xbfcc;
    pub const NOP: u16 = 0xbf00;
    pub const WFI: u16 = 0xbf30;
    pub const CPSID_I: u16 = 0xb672;
    pub const CPSIE_I: u16 = 0xb662;
    pub const MOVW: u16 = 0xf240;
    pub const MOVT: u16 = 0xf2c0;

    pub const FORMAT_1_LSL: u16 = 0x0000;
    pub const FORMAT_1_LSR: u16 = 0x0800;
    pub const FORMAT_1_ASR: u16 = 0x1000;

    pub const FORMAT_2_ADD: u16 = 0x1800;
    pub const FORMAT_2_SUB: u16 = 0x1a00;
    pub const FORMAT_2_REG_OPERAND: u16 = 0x0000;
    pub const FORMAT_2_IMM_OPERAND: u16 = 0x0400;

    pub const FORMAT_3_MOV: u16 = 0x2000;
    pub const FORMAT_3_CMP: u16 = 0x2800;
    pub const FORMAT_3_ADD: u16 = 0x3000;
    pub const FORMAT_3_SUB: u16 = 0x3800;

    pub const FORMAT_4_AND: u16 = 0x4000;
    pub const FORMAT_4_EOR: u16 = 0x4040;
    pub const FORMAT_4_LSL: u16 = 0x4080;
    pub const FORMAT_4_LSR: u16 = 0x40c0;
    pub const FORMAT_4_ASR: u16 = 0x4100;
    pub const FORMAT_4_ADC: u16 = 0x4140;
    pub const FORMAT_4_SBC: u16 = 0x4180;
    pub const FORMAT_4_ROR: u16 = 0x41c0;
    pub const FORMAT_4_TST: u16 = 0x4200;
    pub const FORMAT_4_NEG: u16 = 0x4240;
    pub const FORMAT_4_CMP: u16 = 0x4280;
    pub const FORMAT_4_CMN: u16 = 0x42c0;
    pub const FORMAT_4_ORR: u16 = 0x4300;
    pub const FORMAT_4_MUL: u16 = 0x4340;
    pub const FORMAT_4_BIC: u16 = 0x4380;
    pub const FORMAT_4_MVN: u16 = 0x43c0;

    pub const FORMAT_5_ADD: u16 = 0x4400;
    pub const FORMAT_5_BX: u16 = 0x4700;

    pub const FORMAT_9_STR: u16 = 0x6000;
    pub const FORMAT_9_LDR: u16 = 0x6800;
    pub const FORMAT_9_WORD_TRANSFER: u16 = 0x0000;
    pub const FORMAT_9_BYTE_TRANSFER: u16 = 0x1000;
    pub const FORMAT_10_STRH: u16 = 0x8000;
    pub const FORMAT_10_LDRH: u16 = 0x8800;
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

/// Offset encoded by a 32-bit `b.w` (T4) halfword pair, as the CPU decodes it.
fn decode_b_w(hi: u16, lo: u16) -> i64 {
    let s = ((hi >> 10) & 1) as i64;
    let j1 = ((lo >> 13) & 1) as i64;
    let j2 = ((lo >> 11) & 1) as i64;
    let i1 = 1 - (j1 ^ s);
    let i2 = 1 - (j2 ^ s);
    let imm = (s << 24)
        | (i1 << 23)
        | (i2 << 22)
        | (((hi & 0x3ff) as i64) << 12)
        | (((lo & 0x7ff) as i64) << 1);
    (imm << 39) >> 39
}

/// Offset encoded by a 32-bit conditional `b<cc>.w` (T3), as the CPU decodes it.
fn decode_bcc_w(hi: u16, lo: u16) -> i64 {
    let s = ((hi >> 10) & 1) as i64;
    let j1 = ((lo >> 13) & 1) as i64;
    let j2 = ((lo >> 11) & 1) as i64;
    let imm = (s << 20)
        | (j2 << 19)
        | (j1 << 18)
        | (((hi & 0x3f) as i64) << 12)
        | (((lo & 0x7ff) as i64) << 1);
    (imm << 43) >> 43
}

/// The Thumb assembler.
#[derive(Debug, Clone)]
pub struct AsmThumb {
    base: AsmBase,
    push_reglist: u16,
    stack_adjust: u32,
    arm_trampoline: bool,
}

impl AsmThumb {
    /// Makes [`Asm::entry`] start with the reference's ARM-mode trampoline (`push {r4, lr}; add
    /// lr, pc, #9; blx lr; pop {r4, lr}; bx lr`), which mpy-cross 1.11 writes for inline
    /// `@micropython.asm_thumb` functions under `-march=armv6` (native and viper code for armv6
    /// go through the ARM assembler instead).
    pub fn set_arm_trampoline(&mut self, on: bool) {
        self.arm_trampoline = on;
    }

    fn lo(r: Reg, what: &'static str) -> Result<u16> {
        if r.0 < 8 {
            Ok(r.0 as u16)
        } else {
            Err(AsmError::BadRegister {
                arch: ARCH,
                what,
                reg: r.0,
            })
        }
    }

    fn any(r: Reg, what: &'static str) -> Result<u16> {
        if r.0 < 16 {
            Ok(r.0 as u16)
        } else {
            Err(AsmError::BadRegister {
                arch: ARCH,
                what,
                reg: r.0,
            })
        }
    }

    fn field(v: u32, max: u32, what: &'static str) -> Result<u16> {
        if v <= max {
            Ok(v as u16)
        } else {
            Err(range(what, v as i64))
        }
    }

    /// Branch displacement to `label` from the current instruction (PC reads 4 ahead), or
    /// `None` for a forward label not yet assigned in a compute pass.
    fn rel(&self, label: Label) -> Result<Option<i64>> {
        let here = self.base.code_pos() as i64;
        Ok(self.base.label_offset(label)?.map(|d| d as i64 - here - 4))
    }

    /// Appends one 16-bit instruction.
    #[inline]
    pub fn op16(&mut self, op: u16) -> Result<()> {
        self.base.write(&op.to_le_bytes())
    }

    /// Appends one 32-bit instruction, first halfword first.
    pub fn op32(&mut self, op1: u16, op2: u16) -> Result<()> {
        let (a, b) = (op1.to_le_bytes(), op2.to_le_bytes());
        self.base.write(&[a[0], a[1], b[0], b[1]])
    }

    /// `it<mask> cc`.
    pub fn it_cc(&mut self, cond: u16, mask: u16) -> Result<()> {
        self.op16(op::IT | ((cond & 0xf) << 4) | (mask & 0xf))
    }

    /// Format 1: shift by immediate (`lsl/lsr/asr rlo_dest, rlo_src, #offset`), offset < 32.
    pub fn format_1(
        &mut self,
        opcode: u16,
        rlo_dest: Reg,
        rlo_src: Reg,
        offset: u32,
    ) -> Result<()> {
        let d = Self::lo(rlo_dest, "a shift")?;
        let s = Self::lo(rlo_src, "a shift")?;
        let off = Self::field(offset, 31, "shift amount")?;
        self.op16(opcode | (off << 6) | (s << 3) | d)
    }

    /// Format 2: `add/sub rlo_dest, rlo_src, rlo_b|#i3` (`src_b` a register number or an
    /// immediate below 8, per the operand bit in `opcode`).
    pub fn format_2(&mut self, opcode: u16, rlo_dest: Reg, rlo_src: Reg, src_b: u32) -> Result<()> {
        let d = Self::lo(rlo_dest, "a 3-operand add/sub")?;
        let s = Self::lo(rlo_src, "a 3-operand add/sub")?;
        let b = Self::field(src_b, 7, "3-bit operand")?;
        self.op16(opcode | (b << 6) | (s << 3) | d)
    }

    /// `adds rlo_dest, rlo_a, rlo_b`.
    pub fn add_rlo_rlo_rlo(&mut self, rlo_dest: Reg, rlo_a: Reg, rlo_b: Reg) -> Result<()> {
        let b = Self::lo(rlo_b, "a 3-operand add")?;
        self.format_2(
            op::FORMAT_2_ADD | op::FORMAT_2_REG_OPERAND,
            rlo_dest,
            rlo_a,
            b as u32,
        )
    }

    /// `adds rlo_dest, rlo_a, #i3`.
    pub fn add_rlo_rlo_i3(&mut self, rlo_dest: Reg, rlo_a: Reg, i3: u32) -> Result<()> {
        self.format_2(
            op::FORMAT_2_ADD | op::FORMAT_2_IMM_OPERAND,
            rlo_dest,
            rlo_a,
            i3,
        )
    }

    /// `subs rlo_dest, rlo_a, rlo_b`.
    pub fn sub_rlo_rlo_rlo(&mut self, rlo_dest: Reg, rlo_a: Reg, rlo_b: Reg) -> Result<()> {
        let b = Self::lo(rlo_b, "a 3-operand sub")?;
        self.format_2(
            op::FORMAT_2_SUB | op::FORMAT_2_REG_OPERAND,
            rlo_dest,
            rlo_a,
            b as u32,
        )
    }

    /// `subs rlo_dest, rlo_a, #i3`.
    pub fn sub_rlo_rlo_i3(&mut self, rlo_dest: Reg, rlo_a: Reg, i3: u32) -> Result<()> {
        self.format_2(
            op::FORMAT_2_SUB | op::FORMAT_2_IMM_OPERAND,
            rlo_dest,
            rlo_a,
            i3,
        )
    }

    /// Format 3: `movs/cmp/adds/subs rlo, #i8`, i8 < 256.
    pub fn format_3(&mut self, opcode: u16, rlo: Reg, i8: u32) -> Result<()> {
        let r = Self::lo(rlo, "an 8-bit immediate form")?;
        let i = Self::field(i8, 255, "8-bit immediate")?;
        self.op16(opcode | (r << 8) | i)
    }

    /// `movs rlo, #i8`.
    pub fn mov_rlo_i8(&mut self, rlo: Reg, i8: u32) -> Result<()> {
        self.format_3(op::FORMAT_3_MOV, rlo, i8)
    }

    /// `cmp rlo, #i8`.
    pub fn cmp_rlo_i8(&mut self, rlo: Reg, i8: u32) -> Result<()> {
        self.format_3(op::FORMAT_3_CMP, rlo, i8)
    }

    /// `adds rlo, #i8`.
    pub fn add_rlo_i8(&mut self, rlo: Reg, i8: u32) -> Result<()> {
        self.format_3(op::FORMAT_3_ADD, rlo, i8)
    }

    /// `subs rlo, #i8`.
    pub fn sub_rlo_i8(&mut self, rlo: Reg, i8: u32) -> Result<()> {
        self.format_3(op::FORMAT_3_SUB, rlo, i8)
    }

    /// Format 4: two low-register ALU operations (`ands`, `eors`, `lsls`, ..., `mvns`).
    pub fn format_4(&mut self, opcode: u16, rlo_dest: Reg, rlo_src: Reg) -> Result<()> {
        let d = Self::lo(rlo_dest, "a 2-register ALU operation")?;
        let s = Self::lo(rlo_src, "a 2-register ALU operation")?;
        self.op16(opcode | (s << 3) | d)
    }

    /// `cmp rlo_a, rlo_b`.
    pub fn cmp_rlo_rlo(&mut self, rlo_a: Reg, rlo_b: Reg) -> Result<()> {
        self.format_4(op::FORMAT_4_CMP, rlo_a, rlo_b)
    }

    /// Format 5: high-register `add`/`bx` (`r_dest` bit 3 goes to the H1 bit).
    pub fn format_5(&mut self, opcode: u16, r_dest: Reg, r_src: Reg) -> Result<()> {
        let d = Self::any(r_dest, "a high-register operation")?;
        let s = Self::any(r_src, "a high-register operation")?;
        self.op16(opcode | ((d << 4) & 0x80) | (s << 3) | (d & 7))
    }

    /// `add r_dest, r_src` (any registers, 16-bit high-register form).
    pub fn add_reg_reg_hi(&mut self, r_dest: Reg, r_src: Reg) -> Result<()> {
        self.format_5(op::FORMAT_5_ADD, r_dest, r_src)
    }

    /// `bx r_src`.
    pub fn bx_reg(&mut self, r_src: Reg) -> Result<()> {
        self.format_5(op::FORMAT_5_BX, Reg(0), r_src)
    }

    /// Formats 9 and 10: `str/ldr/strb/ldrb/strh/ldrh rlo, [rlo_base, #imm5]`, the 5-bit field
    /// counting words, bytes or halfwords by the form.
    pub fn format_9_10(&mut self, opcode: u16, rlo: Reg, rlo_base: Reg, offset: u32) -> Result<()> {
        let r = Self::lo(rlo, "a load/store with 5-bit offset")?;
        let b = Self::lo(rlo_base, "a load/store with 5-bit offset")?;
        let off = Self::field(offset, 31, "5-bit load/store offset")?;
        self.op16(opcode | (off << 6) | (b << 3) | r)
    }

    /// `str rlo_src, [rlo_base, #4*word_offset]`.
    pub fn str_rlo_rlo_i5(&mut self, rlo_src: Reg, rlo_base: Reg, word_offset: u32) -> Result<()> {
        self.format_9_10(
            op::FORMAT_9_STR | op::FORMAT_9_WORD_TRANSFER,
            rlo_src,
            rlo_base,
            word_offset,
        )
    }

    /// `strb rlo_src, [rlo_base, #byte_offset]`.
    pub fn strb_rlo_rlo_i5(&mut self, rlo_src: Reg, rlo_base: Reg, byte_offset: u32) -> Result<()> {
        self.format_9_10(
            op::FORMAT_9_STR | op::FORMAT_9_BYTE_TRANSFER,
            rlo_src,
            rlo_base,
            byte_offset,
        )
    }

    /// `strh rlo_src, [rlo_base, #2*halfword_offset]`.
    pub fn strh_rlo_rlo_i5(
        &mut self,
        rlo_src: Reg,
        rlo_base: Reg,
        halfword_offset: u32,
    ) -> Result<()> {
        self.format_9_10(op::FORMAT_10_STRH, rlo_src, rlo_base, halfword_offset)
    }

    /// `ldr rlo_dest, [rlo_base, #4*word_offset]`.
    pub fn ldr_rlo_rlo_i5(&mut self, rlo_dest: Reg, rlo_base: Reg, word_offset: u32) -> Result<()> {
        self.format_9_10(
            op::FORMAT_9_LDR | op::FORMAT_9_WORD_TRANSFER,
            rlo_dest,
            rlo_base,
            word_offset,
        )
    }

    /// `ldrb rlo_dest, [rlo_base, #byte_offset]`.
    pub fn ldrb_rlo_rlo_i5(
        &mut self,
        rlo_dest: Reg,
        rlo_base: Reg,
        byte_offset: u32,
    ) -> Result<()> {
        self.format_9_10(
            op::FORMAT_9_LDR | op::FORMAT_9_BYTE_TRANSFER,
            rlo_dest,
            rlo_base,
            byte_offset,
        )
    }

    /// `ldrh rlo_dest, [rlo_base, #2*halfword_offset]`.
    pub fn ldrh_rlo_rlo_i5(
        &mut self,
        rlo_dest: Reg,
        rlo_base: Reg,
        halfword_offset: u32,
    ) -> Result<()> {
        self.format_9_10(op::FORMAT_10_LDRH, rlo_dest, rlo_base, halfword_offset)
    }

    /// `mov reg_dest, reg_src` (any registers, 16-bit high-register form).
    pub fn mov_reg_reg(&mut self, reg_dest: Reg, reg_src: Reg) -> Result<()> {
        let d = Self::any(reg_dest, "mov")?;
        let s = Self::any(reg_src, "mov")?;
        let src = if s < 8 { s << 3 } else { 0x40 | ((s - 8) << 3) };
        let dst = if d < 8 { d } else { 0x80 | (d - 8) };
        self.op16(0x4600 | src | dst)
    }

    /// `movw`/`movt` (per `mov_op`, [`op::MOVW`] or [`op::MOVT`]) of a 16-bit immediate;
    /// returns the instruction's offset.
    pub fn mov_reg_i16(&mut self, mov_op: u16, reg_dest: Reg, i16: u32) -> Result<usize> {
        let d = Self::any(reg_dest, "movw/movt")?;
        if d == 15 {
            return Err(AsmError::BadRegister {
                arch: ARCH,
                what: "movw/movt",
                reg: 15,
            });
        }
        let i = Self::field(i16, 0xffff, "16-bit immediate")?;
        let loc = self.base.code_pos();
        self.op32(
            mov_op | ((i >> 1) & 0x0400) | ((i >> 12) & 0xf),
            ((i << 4) & 0x7000) | (d << 8) | (i & 0xff),
        )?;
        Ok(loc)
    }

    /// `movw` + `movt` of a full word; returns the offset of the pair.
    pub fn mov_reg_i32(&mut self, reg_dest: Reg, i32: u32) -> Result<usize> {
        let loc = self.mov_reg_i16(op::MOVW, reg_dest, i32 & 0xffff)?;
        self.mov_reg_i16(op::MOVT, reg_dest, i32 >> 16)?;
        Ok(loc)
    }

    /// The reference's shortest load: `movs` (low register, value < 256), else `movw`
    /// (value < 65536), else `movw` + `movt`.
    pub fn mov_reg_i32_optimised(&mut self, reg_dest: Reg, i32: u32) -> Result<()> {
        if reg_dest.0 < 8 && i32 < 0x100 {
            self.mov_rlo_i8(reg_dest, i32)
        } else if i32 < 0x10000 {
            self.mov_reg_i16(op::MOVW, reg_dest, i32).map(|_| ())
        } else {
            self.mov_reg_i32(reg_dest, i32).map(|_| ())
        }
    }

    /// `b.n label` (the inline assembler's explicit narrow branch).
    pub fn b_n_label(&mut self, label: Label) -> Result<()> {
        let rel = self.rel(label)?;
        let r = rel.unwrap_or(0);
        if self.base.is_emit() && !fits_signed(r, 12) {
            return Err(range("narrow branch distance", r));
        }
        self.op16(0xe000 | (((r >> 1) & 0x07ff) as u16))
    }

    /// `b<cc>` narrow (16-bit) or wide (32-bit) as asked (the inline assembler's choice).
    pub fn bcc_nw_label(&mut self, cond: u16, label: Label, wide: bool) -> Result<()> {
        let r = self.rel(label)?.unwrap_or(0);
        if wide {
            self.bcc_w(cond, r)
        } else {
            if self.base.is_emit() && !fits_signed(r, 9) {
                return Err(range("narrow conditional branch distance", r));
            }
            self.op16(0xd000 | ((cond & 0xf) << 8) | (((r >> 1) & 0xff) as u16))
        }
    }

    /// `bl label`.
    pub fn bl_label(&mut self, label: Label) -> Result<()> {
        let r = self.rel(label)?.unwrap_or(0);
        if self.base.is_emit() && !fits_signed(r, 23) {
            return Err(range("bl distance", r));
        }
        self.op32(
            0xf000 | (((r >> 12) & 0x07ff) as u16),
            0xf800 | (((r >> 1) & 0x07ff) as u16),
        )
    }

    fn b_w(&mut self, r: i64) -> Result<()> {
        let hi = 0xf000 | (((r >> 12) & 0x07ff) as u16);
        let lo = 0xb800 | (((r >> 1) & 0x07ff) as u16);
        if self.base.is_emit() && decode_b_w(hi, lo) != r {
            return Err(range("branch distance", r));
        }
        self.op32(hi, lo)
    }

    fn bcc_w(&mut self, cond: u16, r: i64) -> Result<()> {
        let hi = 0xf000
            | ((cond & 0xf) << 6)
            | (((r >> 10) & 0x0400) as u16)
            | (((r >> 14) & 0x003f) as u16);
        let lo = 0x8000 | ((r & 0x2000) as u16) | (((r >> 1) & 0x0fff) as u16);
        if self.base.is_emit() && decode_bcc_w(hi, lo) != r {
            return Err(range("conditional branch distance", r));
        }
        self.op32(hi, lo)
    }

    /// `b label`: `b.n` for a backward target within reach, else `b.w`.
    pub fn b_label(&mut self, label: Label) -> Result<()> {
        match self.rel(label)? {
            Some(r) if r <= -4 && fits_signed(r, 12) => {
                self.op16(0xe000 | (((r >> 1) & 0x07ff) as u16))
            }
            r => self.b_w(r.unwrap_or(0)),
        }
    }

    /// `b<cc> label`: narrow for a backward target within reach, else wide.
    pub fn bcc_label(&mut self, cond: u16, label: Label) -> Result<()> {
        match self.rel(label)? {
            Some(r) if r <= -4 && fits_signed(r, 9) => {
                self.op16(0xd000 | ((cond & 0xf) << 8) | (((r >> 1) & 0xff) as u16))
            }
            r => self.bcc_w(cond, r.unwrap_or(0)),
        }
    }

    #[inline]
    fn sp_form(&mut self, base_op: u16, rlo: Reg, local: usize, what: &'static str) -> Result<()> {
        let r = Self::lo(rlo, what)?;
        let off = Self::field(u32::try_from(local).unwrap_or(u32::MAX), 255, "stack slot")?;
        self.op16(base_op | (r << 8) | off)
    }

    /// `str rlo_src, [sp, #4*local]`.
    pub fn mov_local_reg_lo(&mut self, local: usize, rlo_src: Reg) -> Result<()> {
        self.sp_form(0x9000, rlo_src, local, "a store to the stack")
    }

    /// `ldr rlo_dest, [sp, #4*local]`.
    pub fn mov_reg_local_lo(&mut self, rlo_dest: Reg, local: usize) -> Result<()> {
        self.sp_form(0x9800, rlo_dest, local, "a load from the stack")
    }

    /// `ldr.w reg_dest, [reg_base, #4*word_offset]` (offset below 4096 bytes).
    pub fn ldr_reg_reg_i12(
        &mut self,
        reg_dest: Reg,
        reg_base: Reg,
        word_offset: u32,
    ) -> Result<()> {
        let d = Self::any(reg_dest, "ldr.w")?;
        let b = Self::any(reg_base, "ldr.w")?;
        let off = Self::field(word_offset.saturating_mul(4), 0xfff, "12-bit load offset")?;
        self.op32(0xf8d0 | b, (d << 12) | off)
    }

    /// The 16-bit `ldr` where registers and offset allow it, else `ldr.w`.
    pub fn ldr_reg_reg_i12_optimised(
        &mut self,
        reg_dest: Reg,
        reg_base: Reg,
        word_offset: u32,
    ) -> Result<()> {
        if reg_dest.0 < 8 && reg_base.0 < 8 && word_offset < 32 {
            self.ldr_rlo_rlo_i5(reg_dest, reg_base, word_offset)
        } else {
            self.ldr_reg_reg_i12(reg_dest, reg_base, word_offset)
        }
    }

    /// Call `mp_fun_table[fun_id]` through `reg_temp`: load it, then `blx`.
    pub fn bl_ind(&mut self, fun_id: usize, reg_temp: Reg) -> Result<()> {
        let id = u32::try_from(fun_id).map_err(|_| range("function index", fun_id as i64))?;
        self.ldr_reg_reg_i12_optimised(reg_temp, R7, id)?;
        let t = Self::any(reg_temp, "blx")?;
        self.op16(0x4780 | (t << 3))
    }
}

impl Asm for AsmThumb {
    const ARCH: &'static str = ARCH;
    const WORD_SIZE: usize = 4;
    const REG_RET: Reg = R0;
    const REG_ARG_1: Reg = R0;
    const REG_ARG_2: Reg = R1;
    const REG_ARG_3: Reg = R2;
    const REG_ARG_4: Reg = R3;
    const REG_ARG_5: Option<Reg> = None;
    const REG_TEMP0: Reg = R0;
    const REG_TEMP1: Reg = R1;
    const REG_TEMP2: Reg = R2;
    const REG_LOCAL_1: Reg = R4;
    const REG_LOCAL_2: Reg = R5;
    const REG_LOCAL_3: Reg = R6;
    const REG_FUN_TABLE: Reg = R7;
    const NLR_BUF_IDX_LOCAL_1: usize = 3;
    const NLR_BUF_IDX_LOCAL_2: usize = 4;
    const NLR_BUF_IDX_LOCAL_3: usize = 5;

    fn new(max_num_labels: usize) -> Self {
        AsmThumb {
            base: AsmBase::new(max_num_labels),
            push_reglist: 0,
            stack_adjust: 0,
            arm_trampoline: false,
        }
    }
    fn base(&self) -> &AsmBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut AsmBase {
        &mut self.base
    }

    fn entry(&mut self, num_locals: usize) -> Result<()> {
        if self.arm_trampoline {
            self.op32(0x4010, 0xe92d)?;
            self.op32(0xe009, 0xe28f)?;
            self.op32(0xff3e, 0xe12f)?;
            self.op32(0x4010, 0xe8bd)?;
            self.op32(0xff1e, 0xe12f)?;
        }
        // r1, r4-r7 (and r2, r3 from two locals on), so that the pushed size stays even.
        let (reglist, stack_adjust) = match num_locals {
            0 | 1 => (0xf2, 0),
            2 | 3 => (0xfe, 0),
            n => (0xfe, ((n - 3 + 1) & !1) as u64),
        };
        // The 32-bit `sub.w sp, sp, #imm` form holds 11 bits of bytes.
        let stack_adjust = u32::try_from(stack_adjust)
            .ok()
            .filter(|s| *s < 0x200)
            .ok_or(range(
                "frame size",
                i64::try_from(stack_adjust).unwrap_or(i64::MAX),
            ))?;
        self.op16(0xb500 | reglist)?;
        if stack_adjust > 0 {
            if stack_adjust < 128 {
                self.op16(0xb080 | stack_adjust as u16)?;
            } else {
                let imm = stack_adjust * 4;
                self.op32(
                    0xf2a0 | 13,
                    (((imm << 4) & 0x7000) | (13 << 8) | (imm & 0xff)) as u16,
                )?;
            }
        }
        self.push_reglist = reglist;
        self.stack_adjust = stack_adjust;
        Ok(())
    }

    fn exit(&mut self) -> Result<()> {
        let adj = self.stack_adjust;
        if adj > 0 {
            if adj < 128 {
                self.op16(0xb000 | adj as u16)?;
            } else {
                let imm = adj * 4;
                self.op32(
                    0xf200 | 13,
                    (((imm << 4) & 0x7000) | (13 << 8) | (imm & 0xff)) as u16,
                )?;
            }
        }
        self.op16(0xbd00 | self.push_reglist)
    }

    fn jump(&mut self, label: Label) -> Result<()> {
        self.b_label(label)
    }
    fn jump_if_reg_zero(&mut self, reg: Reg, label: Label, _bool_test: bool) -> Result<()> {
        self.cmp_rlo_i8(reg, 0)?;
        self.bcc_label(cc::EQ, label)
    }
    fn jump_if_reg_nonzero(&mut self, reg: Reg, label: Label, _bool_test: bool) -> Result<()> {
        self.cmp_rlo_i8(reg, 0)?;
        self.bcc_label(cc::NE, label)
    }
    fn jump_if_reg_eq(&mut self, reg1: Reg, reg2: Reg, label: Label) -> Result<()> {
        self.cmp_rlo_rlo(reg1, reg2)?;
        self.bcc_label(cc::EQ, label)
    }
    fn jump_reg(&mut self, reg: Reg) -> Result<()> {
        self.bx_reg(reg)
    }
    fn call_ind(&mut self, fun_id: usize, _n_args: usize) -> Result<()> {
        self.bl_ind(fun_id, R3)
    }
    fn call_ind_4_args(&mut self, fun_id: usize) -> Result<()> {
        self.bl_ind(fun_id, R4)
    }

    fn mov_local_reg(&mut self, local: usize, src: Reg) -> Result<()> {
        self.mov_local_reg_lo(local, src)
    }
    fn mov_reg_imm(&mut self, dest: Reg, imm: i64) -> Result<()> {
        self.mov_reg_i32_optimised(dest, low32(imm))
    }
    fn mov_reg_imm_fix_u16(&mut self, dest: Reg, imm: u32) -> Result<usize> {
        self.mov_reg_i16(op::MOVW, dest, imm)
    }
    fn mov_reg_imm_fix_word(&mut self, dest: Reg, imm: i64) -> Result<usize> {
        self.mov_reg_i32(dest, low32(imm))
    }
    fn mov_reg_local(&mut self, dest: Reg, local: usize) -> Result<()> {
        self.mov_reg_local_lo(dest, local)
    }
    fn mov_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        AsmThumb::mov_reg_reg(self, dest, src)
    }
    fn mov_reg_local_addr(&mut self, dest: Reg, local: usize) -> Result<()> {
        self.sp_form(0xa800, dest, local, "add rd, sp, #imm")
    }
    fn mov_reg_pcrel(&mut self, dest: Reg, label: Label) -> Result<()> {
        Self::lo(dest, "a pc-relative address")?;
        // movw dest, #(label - (here + 4) - 4) | 1; add dest, pc (Thumb bit set).
        let rel = self.rel(label)?.map(|r| (r - 4) | 1);
        let imm = match rel {
            Some(r) if self.base.is_emit() => u32::try_from(r)
                .ok()
                .filter(|v| *v <= 0xffff)
                .ok_or(range("pc-relative offset", r))?,
            _ => 0,
        };
        self.mov_reg_i16(op::MOVW, dest, imm)?;
        self.add_reg_reg_hi(dest, PC)
    }

    fn lsl_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        self.format_4(op::FORMAT_4_LSL, dest, shift)
    }
    fn asr_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        self.format_4(op::FORMAT_4_ASR, dest, shift)
    }
    fn or_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.format_4(op::FORMAT_4_ORR, dest, src)
    }
    fn xor_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.format_4(op::FORMAT_4_EOR, dest, src)
    }
    fn and_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.format_4(op::FORMAT_4_AND, dest, src)
    }
    fn add_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.add_rlo_rlo_rlo(dest, dest, src)
    }
    fn sub_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.sub_rlo_rlo_rlo(dest, dest, src)
    }
    fn mul_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.format_4(op::FORMAT_4_MUL, dest, src)
    }
    fn set_reg_cond(&mut self, cond: Cond, dest: Reg, lhs: Reg, rhs: Reg) -> Result<()> {
        let (it, ret) = match cond {
            Cond::Lt => (op::ITE_GE, 0),
            Cond::Gt => (op::ITE_GT, 1),
            Cond::Eq => (op::ITE_EQ, 1),
            Cond::Le => (op::ITE_GT, 0),
            Cond::Ge => (op::ITE_GE, 1),
            Cond::Ne => (op::ITE_EQ, 0),
        };
        self.cmp_rlo_rlo(lhs, rhs)?;
        self.op16(it)?;
        self.mov_rlo_i8(dest, ret)?;
        self.mov_rlo_i8(dest, ret ^ 1)
    }

    fn load_reg_reg(&mut self, dest: Reg, base: Reg) -> Result<()> {
        self.ldr_rlo_rlo_i5(dest, base, 0)
    }
    fn load_reg_reg_offset(&mut self, dest: Reg, base: Reg, word_offset: usize) -> Result<()> {
        let off =
            u32::try_from(word_offset).map_err(|_| range("word offset", word_offset as i64))?;
        self.ldr_reg_reg_i12_optimised(dest, base, off)
    }
    fn load_sized(&mut self, size: MemSize, dest: Reg, base: Reg) -> Result<()> {
        match size {
            MemSize::B8 => self.ldrb_rlo_rlo_i5(dest, base, 0),
            MemSize::B16 => self.ldrh_rlo_rlo_i5(dest, base, 0),
            MemSize::B32 => self.ldr_rlo_rlo_i5(dest, base, 0),
        }
    }
    fn store_reg_reg_offset(&mut self, src: Reg, base: Reg, word_offset: usize) -> Result<()> {
        let off =
            u32::try_from(word_offset).map_err(|_| range("word offset", word_offset as i64))?;
        self.str_rlo_rlo_i5(src, base, off)
    }
    fn store_sized(&mut self, size: MemSize, src: Reg, base: Reg) -> Result<()> {
        match size {
            MemSize::B8 => self.strb_rlo_rlo_i5(src, base, 0),
            MemSize::B16 => self.strh_rlo_rlo_i5(src, base, 0),
            MemSize::B32 => self.str_rlo_rlo_i5(src, base, 0),
        }
    }
    fn try_load_sized_imm_index(
        &mut self,
        size: MemSize,
        dest: Reg,
        base: Reg,
        index: i64,
    ) -> Result<bool> {
        if !(1..32).contains(&index) {
            return Ok(false);
        }
        let i = index as u32;
        match size {
            MemSize::B8 => self.ldrb_rlo_rlo_i5(dest, base, i)?,
            MemSize::B16 => self.ldrh_rlo_rlo_i5(dest, base, i)?,
            MemSize::B32 => self.ldr_rlo_rlo_i5(dest, base, i)?,
        }
        Ok(true)
    }
    fn try_store_sized_imm_index(
        &mut self,
        size: MemSize,
        src: Reg,
        base: Reg,
        index: i64,
    ) -> Result<bool> {
        if !(1..32).contains(&index) {
            return Ok(false);
        }
        let i = index as u32;
        match size {
            MemSize::B8 => self.strb_rlo_rlo_i5(src, base, i)?,
            MemSize::B16 => self.strh_rlo_rlo_i5(src, base, i)?,
            MemSize::B32 => self.str_rlo_rlo_i5(src, base, i)?,
        }
        Ok(true)
    }
}
