//! 32-bit x86 encoder (py/asmx86.c): cdecl, arguments on the stack, EBP holds `mp_fun_table`.

use crate::{low32, scaled, Asm, AsmBase, AsmError, Cond, Label, MemSize, Reg, Result};

const ARCH: &str = "x86";

pub const EAX: Reg = Reg(0);
pub const ECX: Reg = Reg(1);
pub const EDX: Reg = Reg(2);
pub const EBX: Reg = Reg(3);
pub const ESP: Reg = Reg(4);
pub const EBP: Reg = Reg(5);
pub const ESI: Reg = Reg(6);
pub const EDI: Reg = Reg(7);

/// Registers that carry call arguments until [`Asm::call_ind`] pushes them.
pub const ARG_REGS: [Reg; 5] = [EAX, ECX, EDX, EBX, ESI];

/// Condition codes of `jcc`/`setcc` (the low nibble of the opcode).
pub mod cc {
    pub const B: u8 = 0x2;
    pub const Z: u8 = 0x4;
    pub const NZ: u8 = 0x5;
    pub const L: u8 = 0xc;
    pub const GE: u8 = 0xd;
    pub const LE: u8 = 0xe;
    pub const G: u8 = 0xf;
}

const MOD_DISP0: u8 = 0x00;
const MOD_DISP8: u8 = 0x40;
const MOD_DISP32: u8 = 0x80;
const MOD_REG: u8 = 0xc0;

fn modrm(reg: u8, md: u8, rm: Reg) -> u8 {
    ((reg & 7) << 3) | md | (rm.0 & 7)
}
fn fits_i8(v: i64) -> bool {
    (-128..=127).contains(&v)
}
fn to_i32(v: i64, what: &'static str) -> Result<i32> {
    i32::try_from(v).map_err(|_| AsmError::OutOfRange {
        arch: ARCH,
        what,
        value: v,
    })
}

/// The x86 assembler.
#[derive(Debug, Clone)]
pub struct AsmX86 {
    base: AsmBase,
    num_locals: usize,
}

impl AsmX86 {
    fn reg(r: Reg) -> Result<u8> {
        if r.0 < 8 {
            Ok(r.0)
        } else {
            Err(AsmError::BadRegister {
                arch: ARCH,
                what: "an x86 instruction",
                reg: r.0,
            })
        }
    }

    fn bytes(&mut self, b: &[u8]) -> Result<()> {
        self.base.write(b)
    }

    fn r_disp(&mut self, reg: Reg, base: Reg, disp: i64) -> Result<()> {
        Self::reg(reg)?;
        Self::reg(base)?;
        let disp32 = to_i32(disp, "displacement")?;
        let md = if disp == 0 && base != EBP {
            MOD_DISP0
        } else if fits_i8(disp) {
            MOD_DISP8
        } else {
            MOD_DISP32
        };
        self.bytes(&[modrm(reg.0, md, base)])?;
        if base == ESP {
            self.bytes(&[0x24])?;
        }
        match md {
            MOD_DISP8 => self.bytes(&[disp as u8]),
            MOD_DISP32 => self.bytes(&disp32.to_le_bytes()),
            _ => Ok(()),
        }
    }

    fn generic_r32_r32(&mut self, dest: Reg, src: Reg, op: u8) -> Result<()> {
        Self::reg(dest)?;
        Self::reg(src)?;
        self.bytes(&[op, modrm(src.0, MOD_REG, dest)])
    }

    /// `push r32`.
    pub fn push_r32(&mut self, r: Reg) -> Result<()> {
        let r = Self::reg(r)?;
        self.bytes(&[0x50 | r])
    }

    /// `pop r32`.
    pub fn pop_r32(&mut self, r: Reg) -> Result<()> {
        let r = Self::reg(r)?;
        self.bytes(&[0x58 | r])
    }

    /// `mov dest, src`.
    pub fn mov_r32_r32(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r32_r32(dest, src, 0x89)
    }

    /// `mov byte/word/dword [base + disp], src` (a byte store of ESP..EDI names AH..BH, as in
    /// the reference).
    pub fn mov_r_to_mem(&mut self, size: MemSize, src: Reg, base: Reg, disp: i64) -> Result<()> {
        match size {
            MemSize::B8 => self.bytes(&[0x88])?,
            MemSize::B16 => self.bytes(&[0x66, 0x89])?,
            MemSize::B32 => self.bytes(&[0x89])?,
        }
        self.r_disp(src, base, disp)
    }

    /// Zero-extending load of a byte/word/dword at `[base + disp]`.
    pub fn mov_mem_to_r32zx(
        &mut self,
        size: MemSize,
        base: Reg,
        disp: i64,
        dest: Reg,
    ) -> Result<()> {
        match size {
            MemSize::B8 => self.bytes(&[0x0f, 0xb6])?,
            MemSize::B16 => self.bytes(&[0x0f, 0xb7])?,
            MemSize::B32 => self.bytes(&[0x8b])?,
        }
        self.r_disp(dest, base, disp)
    }

    /// `mov dest, imm32`; returns the offset of the immediate.
    pub fn mov_i32_to_r32(&mut self, imm: u32, dest: Reg) -> Result<usize> {
        let d = Self::reg(dest)?;
        self.bytes(&[0xb8 | d])?;
        let loc = self.base.code_pos();
        self.bytes(&imm.to_le_bytes())?;
        Ok(loc)
    }

    fn imm_op(&mut self, ext: u8, dest: Reg, imm: i64) -> Result<()> {
        let imm32 = to_i32(imm, "immediate")?;
        Self::reg(dest)?;
        if fits_i8(imm) {
            self.bytes(&[0x83, modrm(ext, MOD_REG, dest), imm as u8])
        } else {
            self.bytes(&[0x81, modrm(ext, MOD_REG, dest)])?;
            self.bytes(&imm32.to_le_bytes())
        }
    }

    /// `add dest, imm` (imm8 form where it fits).
    pub fn add_i32_to_r32(&mut self, imm: i64, dest: Reg) -> Result<()> {
        self.imm_op(0, dest, imm)
    }

    /// `sub dest, imm` (imm8 form where it fits).
    pub fn sub_r32_i32(&mut self, dest: Reg, imm: i64) -> Result<()> {
        self.imm_op(5, dest, imm)
    }

    /// `cmp b, a`: the reference's `asm_x86_cmp_r32_with_r32(a, b)`.
    pub fn cmp_r32_with_r32(&mut self, a: Reg, b: Reg) -> Result<()> {
        self.generic_r32_r32(b, a, 0x39)
    }

    /// `test b8, a8` (registers 4..7 name AH..BH, as in the reference).
    pub fn test_r8_with_r8(&mut self, a: Reg, b: Reg) -> Result<()> {
        Self::reg(a)?;
        Self::reg(b)?;
        self.bytes(&[0x84, modrm(a.0, MOD_REG, b)])
    }

    /// `test b, a`.
    pub fn test_r32_with_r32(&mut self, a: Reg, b: Reg) -> Result<()> {
        self.generic_r32_r32(b, a, 0x85)
    }

    /// `setcc r8`.
    pub fn setcc_r8(&mut self, cc: u8, dest: Reg) -> Result<()> {
        Self::reg(dest)?;
        self.bytes(&[0x0f, 0x90 | (cc & 0xf), modrm(0, MOD_REG, dest)])
    }

    /// `jmp label` (`rel8` only for a backward target that fits).
    pub fn jmp_label(&mut self, label: Label) -> Result<()> {
        self.jump_to(label, None)
    }

    /// `jcc label`.
    pub fn jcc_label(&mut self, cc: u8, label: Label) -> Result<()> {
        self.jump_to(label, Some(cc & 0xf))
    }

    fn jump_to(&mut self, label: Label, cc: Option<u8>) -> Result<()> {
        let dest = self.base.label_offset(label)?;
        let here = self.base.code_pos() as i64;
        if let Some(dest) = dest {
            let rel = dest as i64 - here;
            if rel < 0 && fits_i8(rel - 2) {
                let op = cc.map_or(0xeb, |c| 0x70 | c);
                return self.bytes(&[op, (rel - 2) as u8]);
            }
        }
        let (ops, len): (&[u8], i64) = match cc {
            None => (&[0xe9], 5),
            Some(c) => (&[0x0f, 0x80 | c], 6),
        };
        let rel = to_i32(dest.map_or(0, |d| d as i64 - here - len), "jump")?;
        self.bytes(ops)?;
        self.bytes(&rel.to_le_bytes())
    }

    /// `call [EBP + fun_id * 4]` through `temp`, pushing the first `n_args` argument registers
    /// (last first) and popping them after.
    pub fn call_ind_via(&mut self, fun_id: usize, n_args: usize, temp: Reg) -> Result<()> {
        if n_args > ARG_REGS.len() {
            return Err(AsmError::OutOfRange {
                arch: ARCH,
                what: "argument count",
                value: n_args as i64,
            });
        }
        for r in ARG_REGS[..n_args].iter().rev() {
            self.push_r32(*r)?;
        }
        self.mov_mem_to_r32zx(
            MemSize::B32,
            EBP,
            scaled(ARCH, "function index", fun_id, 4)?,
            temp,
        )?;
        self.bytes(&[0xff, modrm(2, MOD_REG, temp)])?;
        if n_args > 0 {
            self.add_i32_to_r32(4 * n_args as i64, ESP)?;
        }
        Ok(())
    }
}

impl Asm for AsmX86 {
    const ARCH: &'static str = ARCH;
    const WORD_SIZE: usize = 4;
    const REG_RET: Reg = EAX;
    const REG_ARG_1: Reg = EAX;
    const REG_ARG_2: Reg = ECX;
    const REG_ARG_3: Reg = EDX;
    const REG_ARG_4: Reg = EBX;
    const REG_ARG_5: Option<Reg> = Some(ESI);
    const REG_TEMP0: Reg = EAX;
    const REG_TEMP1: Reg = ECX;
    const REG_TEMP2: Reg = EDX;
    const REG_LOCAL_1: Reg = EBX;
    const REG_LOCAL_2: Reg = ESI;
    const REG_LOCAL_3: Reg = EDI;
    const REG_FUN_TABLE: Reg = EBP;
    const NLR_BUF_IDX_LOCAL_1: usize = 5;
    const NLR_BUF_IDX_LOCAL_2: usize = 7;
    const NLR_BUF_IDX_LOCAL_3: usize = 6;
    const ARGS_IN_REGS: bool = false;
    const SHIFT_COUNT_REG: Option<Reg> = Some(ECX);
    const STORE_VALUE_REG_FIXED: bool = true;

    fn new(max_num_labels: usize) -> Self {
        AsmX86 {
            base: AsmBase::new(max_num_labels),
            num_locals: 0,
        }
    }
    fn base(&self) -> &AsmBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut AsmBase {
        &mut self.base
    }

    fn entry(&mut self, num_locals: usize) -> Result<()> {
        for r in [EBP, EBX, ESI, EDI] {
            self.push_r32(r)?;
        }
        let n = num_locals | 1;
        self.sub_r32_i32(ESP, scaled(ARCH, "frame size", n, 4)?)?;
        self.num_locals = n;
        Ok(())
    }

    fn exit(&mut self) -> Result<()> {
        self.sub_r32_i32(ESP, -scaled(ARCH, "frame size", self.num_locals, 4)?)?;
        for r in [EDI, ESI, EBX, EBP] {
            self.pop_r32(r)?;
        }
        self.bytes(&[0xc3])
    }

    fn jump(&mut self, label: Label) -> Result<()> {
        self.jmp_label(label)
    }
    fn jump_if_reg_zero(&mut self, reg: Reg, label: Label, bool_test: bool) -> Result<()> {
        if bool_test {
            self.test_r8_with_r8(reg, reg)?;
        } else {
            self.test_r32_with_r32(reg, reg)?;
        }
        self.jcc_label(cc::Z, label)
    }
    fn jump_if_reg_nonzero(&mut self, reg: Reg, label: Label, bool_test: bool) -> Result<()> {
        if bool_test {
            self.test_r8_with_r8(reg, reg)?;
        } else {
            self.test_r32_with_r32(reg, reg)?;
        }
        self.jcc_label(cc::NZ, label)
    }
    fn jump_if_reg_eq(&mut self, reg1: Reg, reg2: Reg, label: Label) -> Result<()> {
        self.cmp_r32_with_r32(reg1, reg2)?;
        self.jcc_label(cc::Z, label)
    }
    fn jump_reg(&mut self, reg: Reg) -> Result<()> {
        Self::reg(reg)?;
        self.bytes(&[0xff, modrm(4, MOD_REG, reg)])
    }
    fn call_ind(&mut self, fun_id: usize, n_args: usize) -> Result<()> {
        self.call_ind_via(fun_id, n_args, EAX)
    }

    fn mov_local_reg(&mut self, local: usize, src: Reg) -> Result<()> {
        self.mov_r_to_mem(
            MemSize::B32,
            src,
            ESP,
            scaled(ARCH, "stack slot", local, 4)?,
        )
    }
    fn mov_reg_imm(&mut self, dest: Reg, imm: i64) -> Result<()> {
        self.mov_i32_to_r32(low32(imm), dest).map(|_| ())
    }
    fn mov_reg_imm_fix_u16(&mut self, dest: Reg, imm: u32) -> Result<usize> {
        self.mov_i32_to_r32(imm, dest)
    }
    fn mov_reg_imm_fix_word(&mut self, dest: Reg, imm: i64) -> Result<usize> {
        self.mov_i32_to_r32(low32(imm), dest)
    }
    fn mov_reg_local(&mut self, dest: Reg, local: usize) -> Result<()> {
        self.mov_mem_to_r32zx(
            MemSize::B32,
            ESP,
            scaled(ARCH, "stack slot", local, 4)?,
            dest,
        )
    }
    fn mov_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.mov_r32_r32(dest, src)
    }
    fn mov_reg_local_addr(&mut self, dest: Reg, local: usize) -> Result<()> {
        if local == 0 {
            self.mov_r32_r32(dest, ESP)
        } else {
            self.bytes(&[0x8d])?;
            self.r_disp(dest, ESP, scaled(ARCH, "stack slot", local, 4)?)
        }
    }
    fn mov_reg_pcrel(&mut self, dest: Reg, label: Label) -> Result<()> {
        // call next; pop dest; add dest, imm32 (always the long form: usually a forward label).
        self.bytes(&[0xe8, 0, 0, 0, 0])?;
        let target = self.base.label_offset(label)?;
        let rel = to_i32(
            target.map_or(0, |t| t as i64 - self.base.code_pos() as i64),
            "pc-relative offset",
        )?;
        self.pop_r32(dest)?;
        self.bytes(&[0x81, modrm(0, MOD_REG, dest)])?;
        self.bytes(&rel.to_le_bytes())
    }
    fn mov_reg_arg(&mut self, dest: Reg, arg: usize) -> Result<()> {
        let slot = self
            .num_locals
            .checked_add(5)
            .and_then(|s| s.checked_add(arg))
            .unwrap_or(usize::MAX);
        let disp = scaled(ARCH, "argument slot", slot, 4)?;
        self.mov_mem_to_r32zx(MemSize::B32, ESP, disp, dest)
    }

    fn lsl_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        if shift != ECX {
            return Err(AsmError::BadRegister {
                arch: ARCH,
                what: "a shift count",
                reg: shift.0,
            });
        }
        self.generic_r32_r32(dest, Reg(4), 0xd3)
    }
    fn asr_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        if shift != ECX {
            return Err(AsmError::BadRegister {
                arch: ARCH,
                what: "a shift count",
                reg: shift.0,
            });
        }
        self.generic_r32_r32(dest, Reg(7), 0xd3)
    }
    fn or_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r32_r32(dest, src, 0x09)
    }
    fn xor_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r32_r32(dest, src, 0x31)
    }
    fn and_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r32_r32(dest, src, 0x21)
    }
    fn add_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r32_r32(dest, src, 0x01)
    }
    fn sub_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r32_r32(dest, src, 0x29)
    }
    fn mul_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        Self::reg(dest)?;
        Self::reg(src)?;
        self.bytes(&[0x0f, 0xaf, modrm(dest.0, MOD_REG, src)])
    }
    fn set_reg_cond(&mut self, cond: Cond, dest: Reg, lhs: Reg, rhs: Reg) -> Result<()> {
        let code = match cond {
            Cond::Lt => cc::L,
            Cond::Gt => cc::G,
            Cond::Eq => cc::Z,
            Cond::Le => cc::LE,
            Cond::Ge => cc::GE,
            Cond::Ne => cc::NZ,
        };
        self.xor_reg_reg(dest, dest)?;
        self.cmp_r32_with_r32(rhs, lhs)?;
        self.setcc_r8(code, dest)
    }

    fn load_reg_reg_offset(&mut self, dest: Reg, base: Reg, word_offset: usize) -> Result<()> {
        self.mov_mem_to_r32zx(
            MemSize::B32,
            base,
            scaled(ARCH, "word offset", word_offset, 4)?,
            dest,
        )
    }
    fn load_sized(&mut self, size: MemSize, dest: Reg, base: Reg) -> Result<()> {
        self.mov_mem_to_r32zx(size, base, 0, dest)
    }
    fn store_reg_reg_offset(&mut self, src: Reg, base: Reg, word_offset: usize) -> Result<()> {
        self.mov_r_to_mem(
            MemSize::B32,
            src,
            base,
            scaled(ARCH, "word offset", word_offset, 4)?,
        )
    }
    fn store_sized(&mut self, size: MemSize, src: Reg, base: Reg) -> Result<()> {
        self.mov_r_to_mem(size, src, base, 0)
    }
}
