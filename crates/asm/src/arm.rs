//! ARM (A32) encoder for `-march=armv6` (py/asmarm.c): every instruction one little-endian
//! word, r7 holds `mp_fun_table`, word immediates loaded from an inline literal.

use crate::{low32, Asm, AsmBase, AsmError, Cond, Label, MemSize, Reg, Result};

const ARCH: &str = "armv6";

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

/// Condition fields (bits 28-31 of an instruction).
pub mod cc {
    pub const EQ: u32 = 0x0 << 28;
    pub const NE: u32 = 0x1 << 28;
    pub const CS: u32 = 0x2 << 28;
    pub const CC: u32 = 0x3 << 28;
    pub const MI: u32 = 0x4 << 28;
    pub const PL: u32 = 0x5 << 28;
    pub const VS: u32 = 0x6 << 28;
    pub const VC: u32 = 0x7 << 28;
    pub const HI: u32 = 0x8 << 28;
    pub const LS: u32 = 0x9 << 28;
    pub const GE: u32 = 0xa << 28;
    pub const LT: u32 = 0xb << 28;
    pub const GT: u32 = 0xc << 28;
    pub const LE: u32 = 0xd << 28;
    pub const AL: u32 = 0xe << 28;
}

/// r1-r8: what the prologue saves besides lr.
const PUSH_REGLIST: u32 = 0x1fe;

fn range(what: &'static str, value: i64) -> AsmError {
    AsmError::OutOfRange {
        arch: ARCH,
        what,
        value,
    }
}

/// The ARM assembler.
#[derive(Debug, Clone)]
pub struct AsmArm {
    base: AsmBase,
    stack_adjust: u32,
}

impl AsmArm {
    fn r(reg: Reg) -> Result<u32> {
        if reg.0 < 16 {
            Ok(reg.0 as u32)
        } else {
            Err(AsmError::BadRegister {
                arch: ARCH,
                what: "an ARM instruction",
                reg: reg.0,
            })
        }
    }

    /// Appends one instruction word as given (condition included).
    pub fn emit(&mut self, word: u32) -> Result<()> {
        self.base.write(&word.to_le_bytes())
    }

    /// Appends one instruction with the "always" condition.
    pub fn emit_al(&mut self, word: u32) -> Result<()> {
        self.emit(word | cc::AL)
    }

    /// `push {reglist}`.
    pub fn push(&mut self, reglist: u16) -> Result<()> {
        self.emit_al(0x92d_0000 | reglist as u32)
    }

    /// `pop {reglist}`.
    pub fn pop(&mut self, reglist: u16) -> Result<()> {
        self.emit_al(0x8bd_0000 | reglist as u32)
    }

    /// `bkpt`.
    pub fn bkpt(&mut self) -> Result<()> {
        self.emit_al(0x120_0070)
    }

    /// `ldr rd, [pc]; b pc; .word imm`: returns the literal's offset.
    pub fn mov_reg_i32(&mut self, rd: Reg, imm: u32) -> Result<usize> {
        let d = Self::r(rd)?;
        self.emit_al(0x59f_0000 | (d << 12))?;
        self.emit_al(0xa00_0000)?;
        let loc = self.base.code_pos();
        self.emit(imm)?;
        Ok(loc)
    }

    /// `mov rd, #imm8`, `mvn rd, #~imm` for -256..-1, else the literal form.
    pub fn mov_reg_i32_optimised(&mut self, rd: Reg, imm: u32) -> Result<()> {
        let d = Self::r(rd)?;
        let signed = imm as i32;
        if imm & 0xff == imm {
            self.emit_al(0x3a0_0000 | (d << 12) | imm)
        } else if (-256..0).contains(&signed) {
            self.emit_al(0x3e0_0000 | (d << 12) | !imm)
        } else {
            self.mov_reg_i32(rd, imm).map(|_| ())
        }
    }

    /// `cmp rd, #imm8`.
    pub fn cmp_reg_i8(&mut self, rd: Reg, imm: u32) -> Result<()> {
        if imm > 0xff {
            return Err(range("8-bit immediate", imm as i64));
        }
        let d = Self::r(rd)?;
        self.emit_al(0x350_0000 | (d << 16) | imm)
    }

    /// `cmp rd, rn`.
    pub fn cmp_reg_reg(&mut self, rd: Reg, rn: Reg) -> Result<()> {
        let (d, n) = (Self::r(rd)?, Self::r(rn)?);
        self.emit_al(0x150_0000 | (d << 16) | n)
    }

    /// `mov<cond> rd, #1; mov<!cond> rd, #0`.
    pub fn setcc_reg(&mut self, rd: Reg, cond: u32) -> Result<()> {
        let d = Self::r(rd)?;
        self.emit(0x3a0_0000 | (d << 12) | 1 | cond)?;
        self.emit(0x3a0_0000 | (d << 12) | (cond ^ (1 << 28)))
    }

    fn three(&mut self, base_op: u32, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        let (d, n, m) = (Self::r(rd)?, Self::r(rn)?, Self::r(rm)?);
        self.emit_al(base_op | (n << 16) | (d << 12) | m)
    }

    /// `add rd, rn, rm`.
    pub fn add_reg_reg_reg(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.three(0x080_0000, rd, rn, rm)
    }

    /// `sub rd, rn, rm`.
    pub fn sub_reg_reg_reg(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.three(0x040_0000, rd, rn, rm)
    }

    /// `and rd, rn, rm`.
    pub fn and_reg_reg_reg(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.three(0x000_0000, rd, rn, rm)
    }

    /// `eor rd, rn, rm`.
    pub fn eor_reg_reg_reg(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.three(0x020_0000, rd, rn, rm)
    }

    /// `orr rd, rn, rm`.
    pub fn orr_reg_reg_reg(&mut self, rd: Reg, rn: Reg, rm: Reg) -> Result<()> {
        self.three(0x180_0000, rd, rn, rm)
    }

    /// `mul rd, rm, rs` (the reference's operand order: `rd, rs, rm`); `rd` must differ from
    /// `rm` (ARMv5 and earlier leave that unpredictable; the reference asserts).
    pub fn mul_reg_reg_reg(&mut self, rd: Reg, rs: Reg, rm: Reg) -> Result<()> {
        let (d, s, m) = (Self::r(rd)?, Self::r(rs)?, Self::r(rm)?);
        if d == m {
            return Err(AsmError::BadRegister {
                arch: ARCH,
                what: "mul with rd == rm",
                reg: rd.0,
            });
        }
        self.emit_al(0x000_0090 | (d << 16) | (s << 8) | m)
    }

    /// `ldr rd, [rn, #byte_offset]` (offset below 4096).
    pub fn ldr_reg_reg(&mut self, rd: Reg, rn: Reg, byte_offset: u32) -> Result<()> {
        if byte_offset > 0xfff {
            return Err(range("12-bit load offset", byte_offset as i64));
        }
        let (d, n) = (Self::r(rd)?, Self::r(rn)?);
        self.emit_al(0x590_0000 | (n << 16) | (d << 12) | byte_offset)
    }

    /// `str rd, [rm, #byte_offset]` (offset below 4096).
    pub fn str_reg_reg(&mut self, rd: Reg, rm: Reg, byte_offset: u32) -> Result<()> {
        if byte_offset > 0xfff {
            return Err(range("12-bit store offset", byte_offset as i64));
        }
        let (d, m) = (Self::r(rd)?, Self::r(rm)?);
        self.emit_al(0x580_0000 | (m << 16) | (d << 12) | byte_offset)
    }

    /// `ldrh rd, [rn]`.
    pub fn ldrh_reg_reg(&mut self, rd: Reg, rn: Reg) -> Result<()> {
        self.three(0x1d0_00b0, rd, rn, Reg(0))
    }

    /// `ldrb rd, [rn]`.
    pub fn ldrb_reg_reg(&mut self, rd: Reg, rn: Reg) -> Result<()> {
        self.three(0x5d0_0000, rd, rn, Reg(0))
    }

    /// `strh rd, [rm]`.
    pub fn strh_reg_reg(&mut self, rd: Reg, rm: Reg) -> Result<()> {
        self.three(0x1c0_00b0, rd, rm, Reg(0))
    }

    /// `strb rd, [rm]`.
    pub fn strb_reg_reg(&mut self, rd: Reg, rm: Reg) -> Result<()> {
        self.three(0x5c0_0000, rd, rm, Reg(0))
    }

    /// `str rd, [rm, rn, lsl #2]`.
    pub fn str_reg_reg_reg(&mut self, rd: Reg, rm: Reg, rn: Reg) -> Result<()> {
        self.three(0x780_0100, rd, rm, rn)
    }

    /// `mov r8, rn, lsl #1; strh rd, [rm, r8]` (clobbers r8).
    pub fn strh_reg_reg_reg(&mut self, rd: Reg, rm: Reg, rn: Reg) -> Result<()> {
        let n = Self::r(rn)?;
        self.emit_al(0x1a0_0080 | (8 << 12) | n)?;
        self.three(0x180_00b0, rd, rm, R8)
    }

    /// `strb rd, [rm, rn]`.
    pub fn strb_reg_reg_reg(&mut self, rd: Reg, rm: Reg, rn: Reg) -> Result<()> {
        self.three(0x7c0_0000, rd, rm, rn)
    }

    /// `b<cond> label` (24-bit word displacement).
    pub fn bcc_label(&mut self, cond: u32, label: Label) -> Result<()> {
        let here = self.base.code_pos() as i64;
        let rel = self
            .base
            .label_offset(label)?
            .map_or(0, |d| (d as i64 - here - 8) >> 2);
        if !(-(1 << 23)..(1 << 23)).contains(&rel) {
            return Err(range("branch distance", rel * 4));
        }
        self.emit(cond | 0xa00_0000 | (rel as u32 & 0xff_ffff))
    }

    /// `b label`.
    pub fn b_label(&mut self, label: Label) -> Result<()> {
        self.bcc_label(cc::AL, label)
    }

    /// `mov lr, pc; ldr pc, [r7, #4*fun_id]`.
    pub fn bl_ind(&mut self, fun_id: usize) -> Result<()> {
        if fun_id >= 0x1000 / 4 {
            return Err(range("function index", fun_id as i64));
        }
        self.emit_al(0x1a0_0000 | (14 << 12) | 15)?;
        self.emit_al(0x597_f000 | ((fun_id as u32) << 2))
    }

    /// `bx reg`.
    pub fn bx_reg(&mut self, reg: Reg) -> Result<()> {
        let r = Self::r(reg)?;
        self.emit_al(0x012f_ff10 | r)
    }

    fn local_offset(local: usize, limit: u32, what: &'static str) -> Result<u32> {
        u32::try_from(local)
            .ok()
            .and_then(|l| l.checked_mul(4))
            .filter(|o| *o <= limit)
            .ok_or(range(what, i64::try_from(local).unwrap_or(i64::MAX)))
    }
}

impl Asm for AsmArm {
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
    const HAS_INDEXED_STORE: bool = true;

    fn new(max_num_labels: usize) -> Self {
        AsmArm {
            base: AsmBase::new(max_num_labels),
            stack_adjust: 0,
        }
    }
    fn base(&self) -> &AsmBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut AsmBase {
        &mut self.base
    }

    fn entry(&mut self, num_locals: usize) -> Result<()> {
        // `sub sp, sp, #imm` with an unrotated 8-bit immediate, as the reference encodes it.
        if num_locals > 63 {
            return Err(range(
                "frame size",
                i64::try_from(num_locals).unwrap_or(i64::MAX),
            ));
        }
        let mut adjust = 0;
        if num_locals > 3 {
            adjust = num_locals * 4 + if num_locals & 1 == 1 { 4 } else { 0 };
        }
        self.stack_adjust = adjust as u32;
        self.emit_al(0x92d_0000 | PUSH_REGLIST | (1 << 14))?;
        if adjust > 0 {
            self.emit_al(0x240_0000 | (13 << 16) | (13 << 12) | adjust as u32)?;
        }
        Ok(())
    }

    fn exit(&mut self) -> Result<()> {
        if self.stack_adjust > 0 {
            self.emit_al(0x280_0000 | (13 << 16) | (13 << 12) | self.stack_adjust)?;
        }
        self.emit_al(0x8bd_0000 | PUSH_REGLIST | (1 << 15))
    }

    fn jump(&mut self, label: Label) -> Result<()> {
        self.b_label(label)
    }
    fn jump_if_reg_zero(&mut self, reg: Reg, label: Label, _bool_test: bool) -> Result<()> {
        self.cmp_reg_i8(reg, 0)?;
        self.bcc_label(cc::EQ, label)
    }
    fn jump_if_reg_nonzero(&mut self, reg: Reg, label: Label, _bool_test: bool) -> Result<()> {
        self.cmp_reg_i8(reg, 0)?;
        self.bcc_label(cc::NE, label)
    }
    fn jump_if_reg_eq(&mut self, reg1: Reg, reg2: Reg, label: Label) -> Result<()> {
        self.cmp_reg_reg(reg1, reg2)?;
        self.bcc_label(cc::EQ, label)
    }
    fn jump_reg(&mut self, reg: Reg) -> Result<()> {
        self.bx_reg(reg)
    }
    fn call_ind(&mut self, fun_id: usize, _n_args: usize) -> Result<()> {
        self.bl_ind(fun_id)
    }

    fn mov_local_reg(&mut self, local: usize, src: Reg) -> Result<()> {
        let off = Self::local_offset(local, 0xfff, "stack slot")?;
        let s = Self::r(src)?;
        self.emit_al(0x58d_0000 | (s << 12) | off)
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
        let off = Self::local_offset(local, 0xfff, "stack slot")?;
        let d = Self::r(dest)?;
        self.emit_al(0x59d_0000 | (d << 12) | off)
    }
    fn mov_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        let (d, s) = (Self::r(dest)?, Self::r(src)?);
        self.emit_al(0x1a0_0000 | (d << 12) | s)
    }
    fn mov_reg_local_addr(&mut self, dest: Reg, local: usize) -> Result<()> {
        // `add rd, sp, #imm` with an unrotated 8-bit immediate.
        let off = Self::local_offset(local, 0xff, "stack slot address")?;
        let d = Self::r(dest)?;
        self.emit_al(0x280_0000 | (13 << 16) | (d << 12) | off)
    }
    fn mov_reg_pcrel(&mut self, dest: Reg, label: Label) -> Result<()> {
        let d = Self::r(dest)?;
        let here = self.base.code_pos() as i64;
        let rel = self
            .base
            .label_offset(label)?
            .map_or(0, |t| t as i64 - here - 20);
        self.emit_al(0x59f_0000 | (d << 12))?;
        self.emit_al(0xa00_0000)?;
        self.emit(rel as i32 as u32)?;
        self.add_reg_reg_reg(dest, dest, PC)
    }

    fn lsl_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        let (d, s) = (Self::r(dest)?, Self::r(shift)?);
        self.emit_al(0x1a0_0010 | (d << 12) | (s << 8) | d)
    }
    fn asr_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        let (d, s) = (Self::r(dest)?, Self::r(shift)?);
        self.emit_al(0x1a0_0050 | (d << 12) | (s << 8) | d)
    }
    fn or_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.orr_reg_reg_reg(dest, dest, src)
    }
    fn xor_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.eor_reg_reg_reg(dest, dest, src)
    }
    fn and_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.and_reg_reg_reg(dest, dest, src)
    }
    fn add_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.add_reg_reg_reg(dest, dest, src)
    }
    fn sub_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.sub_reg_reg_reg(dest, dest, src)
    }
    fn mul_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.mul_reg_reg_reg(dest, dest, src)
    }
    fn set_reg_cond(&mut self, cond: Cond, dest: Reg, lhs: Reg, rhs: Reg) -> Result<()> {
        let c = match cond {
            Cond::Lt => cc::LT,
            Cond::Gt => cc::GT,
            Cond::Eq => cc::EQ,
            Cond::Le => cc::LE,
            Cond::Ge => cc::GE,
            Cond::Ne => cc::NE,
        };
        self.cmp_reg_reg(lhs, rhs)?;
        self.setcc_reg(dest, c)
    }

    fn load_reg_reg_offset(&mut self, dest: Reg, base: Reg, word_offset: usize) -> Result<()> {
        let off = Self::local_offset(word_offset, 0xfff, "word offset")?;
        self.ldr_reg_reg(dest, base, off)
    }
    fn load_sized(&mut self, size: MemSize, dest: Reg, base: Reg) -> Result<()> {
        match size {
            MemSize::B8 => self.ldrb_reg_reg(dest, base),
            MemSize::B16 => self.ldrh_reg_reg(dest, base),
            MemSize::B32 => self.ldr_reg_reg(dest, base, 0),
        }
    }
    fn store_reg_reg_offset(&mut self, src: Reg, base: Reg, word_offset: usize) -> Result<()> {
        let off = Self::local_offset(word_offset, 0xfff, "word offset")?;
        self.str_reg_reg(src, base, off)
    }
    fn store_sized(&mut self, size: MemSize, src: Reg, base: Reg) -> Result<()> {
        match size {
            MemSize::B8 => self.strb_reg_reg(src, base),
            MemSize::B16 => self.strh_reg_reg(src, base),
            MemSize::B32 => self.str_reg_reg(src, base, 0),
        }
    }
    fn store_sized_indexed(
        &mut self,
        size: MemSize,
        src: Reg,
        base: Reg,
        index: Reg,
    ) -> Result<()> {
        match size {
            MemSize::B8 => self.strb_reg_reg_reg(src, base, index),
            MemSize::B16 => self.strh_reg_reg_reg(src, base, index),
            MemSize::B32 => self.str_reg_reg_reg(src, base, index),
        }
    }
}
