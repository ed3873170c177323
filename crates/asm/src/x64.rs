//! x86-64 encoder (py/asmx64.c): System V calling convention, RBP holds `mp_fun_table`.

use crate::{low32, scaled, Asm, AsmBase, AsmError, Cond, Label, MemSize, Reg, Result};

const ARCH: &str = "x64";

pub const RAX: Reg = Reg(0);
pub const RCX: Reg = Reg(1);
pub const RDX: Reg = Reg(2);
pub const RBX: Reg = Reg(3);
pub const RSP: Reg = Reg(4);
pub const RBP: Reg = Reg(5);
pub const RSI: Reg = Reg(6);
pub const RDI: Reg = Reg(7);
pub const R8: Reg = Reg(8);
pub const R9: Reg = Reg(9);
pub const R10: Reg = Reg(10);
pub const R11: Reg = Reg(11);
pub const R12: Reg = Reg(12);
pub const R13: Reg = Reg(13);
pub const R14: Reg = Reg(14);
pub const R15: Reg = Reg(15);

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

const REX: u8 = 0x40;
const REX_W: u8 = 0x08;
const REX_R: u8 = 0x04;
const REX_B: u8 = 0x01;
const MOD_DISP0: u8 = 0x00;
const MOD_DISP8: u8 = 0x40;
const MOD_DISP32: u8 = 0x80;
const MOD_REG: u8 = 0xc0;

fn rex_r(r: Reg) -> u8 {
    (r.0 >> 1) & REX_R
}
fn rex_b(r: Reg) -> u8 {
    (r.0 >> 3) & REX_B
}
fn modrm(reg: u8, md: u8, rm: Reg) -> u8 {
    ((reg & 7) << 3) | md | (rm.0 & 7)
}
fn fits_i8(v: i64) -> bool {
    (-128..=127).contains(&v)
}

/// The x64 assembler.
#[derive(Debug, Clone)]
pub struct AsmX64 {
    base: AsmBase,
    num_locals: usize,
}

impl AsmX64 {
    fn check(r: Reg, what: &'static str) -> Result<Reg> {
        if r.0 < 16 {
            Ok(r)
        } else {
            Err(AsmError::BadRegister {
                arch: ARCH,
                what,
                reg: r.0,
            })
        }
    }

    fn low8(r: Reg, what: &'static str) -> Result<Reg> {
        if r.0 < 8 {
            Ok(r)
        } else {
            Err(AsmError::BadRegister {
                arch: ARCH,
                what,
                reg: r.0,
            })
        }
    }

    fn bytes(&mut self, b: &[u8]) -> Result<()> {
        self.base.write(b)
    }

    /// ModRM (+SIB for RSP, + displacement) of `[base + disp]` with `reg` in the reg field.
    fn r_disp(&mut self, reg: u8, base: Reg, disp: i64) -> Result<()> {
        let disp32 = i32::try_from(disp).map_err(|_| AsmError::OutOfRange {
            arch: ARCH,
            what: "displacement",
            value: disp,
        })?;
        let md = if disp == 0 && (base.0 & 7) != RBP.0 {
            MOD_DISP0
        } else if fits_i8(disp) {
            MOD_DISP8
        } else {
            MOD_DISP32
        };
        self.bytes(&[modrm(reg, md, base)])?;
        if base.0 & 7 == RSP.0 {
            self.bytes(&[0x24])?;
        }
        match md {
            MOD_DISP8 => self.bytes(&[disp as u8]),
            MOD_DISP32 => self.bytes(&disp32.to_le_bytes()),
            _ => Ok(()),
        }
    }

    /// `op r/m64, r64` in register-direct form: REX.W, opcode, ModRM(src, dest).
    fn generic_r64_r64(&mut self, dest: Reg, src: Reg, op: u8) -> Result<()> {
        Self::check(dest, "a 64-bit operation")?;
        Self::check(src, "a 64-bit operation")?;
        self.bytes(&[
            REX | REX_W | rex_r(src) | rex_b(dest),
            op,
            modrm(src.0, MOD_REG, dest),
        ])
    }

    /// `push r64`.
    pub fn push_r64(&mut self, r: Reg) -> Result<()> {
        let r = Self::check(r, "push")?;
        if r.0 < 8 {
            self.bytes(&[0x50 | r.0])
        } else {
            self.bytes(&[REX | REX_B, 0x50 | (r.0 & 7)])
        }
    }

    /// `pop r64`.
    pub fn pop_r64(&mut self, r: Reg) -> Result<()> {
        let r = Self::check(r, "pop")?;
        if r.0 < 8 {
            self.bytes(&[0x58 | r.0])
        } else {
            self.bytes(&[REX | REX_B, 0x58 | (r.0 & 7)])
        }
    }

    /// `mov dest, src` (64-bit).
    pub fn mov_r64_r64(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r64_r64(dest, src, 0x89)
    }

    /// `mov byte/word/dword [base + disp], src`.
    pub fn mov_r_to_mem(&mut self, size: MemSize, src: Reg, base: Reg, disp: i64) -> Result<()> {
        Self::check(src, "a store")?;
        Self::check(base, "a store")?;
        let low = src.0 < 8 && base.0 < 8;
        let rex = REX | rex_r(src) | rex_b(base);
        match (size, low) {
            (MemSize::B8, true) => self.bytes(&[0x88])?,
            (MemSize::B8, false) => self.bytes(&[rex, 0x88])?,
            (MemSize::B16, true) => self.bytes(&[0x66, 0x89])?,
            (MemSize::B16, false) => self.bytes(&[0x66, rex, 0x89])?,
            (MemSize::B32, true) => self.bytes(&[0x89])?,
            (MemSize::B32, false) => self.bytes(&[rex, 0x89])?,
        }
        self.r_disp(src.0, base, disp)
    }

    /// `mov qword [base + disp], src`.
    pub fn mov_r64_to_mem64(&mut self, src: Reg, base: Reg, disp: i64) -> Result<()> {
        Self::check(src, "a store")?;
        Self::check(base, "a store")?;
        self.bytes(&[REX | REX_W | rex_r(src) | rex_b(base), 0x89])?;
        self.r_disp(src.0, base, disp)
    }

    /// Zero-extending `movzx`/`mov` of a byte/word/dword at `[base + disp]` (base must be
    /// RAX..RDI, as in the reference).
    pub fn mov_mem_to_r64zx(
        &mut self,
        size: MemSize,
        base: Reg,
        disp: i64,
        dest: Reg,
    ) -> Result<()> {
        Self::low8(base, "the base of a narrow load")?;
        Self::check(dest, "a load")?;
        let rex: &[u8] = if dest.0 < 8 { &[] } else { &[REX | REX_R] };
        self.bytes(rex)?;
        match size {
            MemSize::B8 => self.bytes(&[0x0f, 0xb6])?,
            MemSize::B16 => self.bytes(&[0x0f, 0xb7])?,
            MemSize::B32 => self.bytes(&[0x8b])?,
        }
        self.r_disp(dest.0, base, disp)
    }

    /// `mov dest, qword [base + disp]`.
    pub fn mov_mem64_to_r64(&mut self, base: Reg, disp: i64, dest: Reg) -> Result<()> {
        Self::check(dest, "a load")?;
        Self::check(base, "a load")?;
        self.bytes(&[REX | REX_W | rex_r(dest) | rex_b(base), 0x8b])?;
        self.r_disp(dest.0, base, disp)
    }

    fn lea_disp_to_r64(&mut self, base: Reg, disp: i64, dest: Reg) -> Result<()> {
        Self::low8(base, "lea")?;
        Self::low8(dest, "lea")?;
        self.bytes(&[REX | REX_W, 0x8d])?;
        self.r_disp(dest.0, base, disp)
    }

    /// `mov r32, imm32` (zero-extends to 64 bits); returns the offset of the immediate.
    pub fn mov_i32_to_r64(&mut self, imm: u32, dest: Reg) -> Result<usize> {
        let dest = Self::check(dest, "mov imm32")?;
        if dest.0 < 8 {
            self.bytes(&[0xb8 | dest.0])?;
        } else {
            self.bytes(&[REX | REX_B, 0xb8 | (dest.0 & 7)])?;
        }
        let loc = self.base.code_pos();
        self.bytes(&imm.to_le_bytes())?;
        Ok(loc)
    }

    /// `movabs r64, imm64`.
    pub fn mov_i64_to_r64(&mut self, imm: i64, dest: Reg) -> Result<()> {
        let dest = Self::check(dest, "mov imm64")?;
        let b = if dest.0 < 8 { 0 } else { REX_B };
        self.bytes(&[REX | REX_W | b, 0xb8 | (dest.0 & 7)])?;
        self.bytes(&imm.to_le_bytes())
    }

    /// The reference's choice: `mov r32, imm32` when the value fits 32 bits unsigned, else
    /// `movabs`.
    pub fn mov_i64_to_r64_optimised(&mut self, imm: i64, dest: Reg) -> Result<()> {
        if (imm as u64) >> 32 == 0 {
            self.mov_i32_to_r64(imm as u32, dest).map(|_| ())
        } else {
            self.mov_i64_to_r64(imm, dest)
        }
    }

    /// `sub r64, imm` (imm8 form where it fits, else imm32); dest must be RAX..RDI.
    fn sub_r64_i32(&mut self, dest: Reg, imm: i64) -> Result<()> {
        let dest = Self::low8(dest, "sub imm")?;
        let imm32 = i32::try_from(imm).map_err(|_| AsmError::OutOfRange {
            arch: ARCH,
            what: "stack adjustment",
            value: imm,
        })?;
        if fits_i8(imm) {
            self.bytes(&[REX | REX_W, 0x83, modrm(5, MOD_REG, dest), imm as u8])
        } else {
            self.bytes(&[REX | REX_W, 0x81, modrm(5, MOD_REG, dest)])?;
            self.bytes(&imm32.to_le_bytes())
        }
    }

    /// `cmp b, a` (flags from `b - a`), the reference's `asm_x64_cmp_r64_with_r64(a, b)`.
    pub fn cmp_r64_with_r64(&mut self, a: Reg, b: Reg) -> Result<()> {
        self.generic_r64_r64(b, a, 0x39)
    }

    /// `test b8, a8` (RAX..RDI only).
    pub fn test_r8_with_r8(&mut self, a: Reg, b: Reg) -> Result<()> {
        Self::low8(a, "test r8")?;
        Self::low8(b, "test r8")?;
        self.bytes(&[0x84, modrm(a.0, MOD_REG, b)])
    }

    /// `test b, a` (64-bit).
    pub fn test_r64_with_r64(&mut self, a: Reg, b: Reg) -> Result<()> {
        self.generic_r64_r64(b, a, 0x85)
    }

    /// `setcc r8` (RAX..RDI only).
    pub fn setcc_r8(&mut self, cc: u8, dest: Reg) -> Result<()> {
        Self::low8(dest, "setcc")?;
        self.bytes(&[0x0f, 0x90 | (cc & 0xf), modrm(0, MOD_REG, dest)])
    }

    /// `jmp label`: `rel8` for a backward target that fits, else `rel32`.
    pub fn jmp_label(&mut self, label: Label) -> Result<()> {
        self.jump_to(label, None)
    }

    /// `jcc label`, with the same form choice as [`AsmX64::jmp_label`].
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
        // Forward (or far) jump: rel32. In a compute pass a forward target is unknown and
        // only the size matters.
        let (ops, len): (&[u8], i64) = match cc {
            None => (&[0xe9], 5),
            Some(c) => (&[0x0f, 0x80 | c], 6),
        };
        let rel = dest.map_or(0, |d| d as i64 - here - len);
        let rel32 = i32::try_from(rel).map_err(|_| AsmError::OutOfRange {
            arch: ARCH,
            what: "jump",
            value: rel,
        })?;
        self.bytes(ops)?;
        self.bytes(&rel32.to_le_bytes())
    }

    /// `lea dest, [rip + rel32]` to `label`.
    pub fn lea_pcrel(&mut self, dest: Reg, label: Label) -> Result<()> {
        let dest = Self::check(dest, "lea")?;
        let target = self.base.label_offset(label)?;
        let rel = target.map_or(0, |t| t as i64 - (self.base.code_pos() as i64 + 7));
        let rel32 = i32::try_from(rel).map_err(|_| AsmError::OutOfRange {
            arch: ARCH,
            what: "pc-relative offset",
            value: rel,
        })?;
        self.bytes(&[
            REX | REX_W | rex_r(dest),
            0x8d,
            modrm(dest.0, MOD_DISP0, RBP),
        ])?;
        self.bytes(&rel32.to_le_bytes())
    }

    /// `call [REG_FUN_TABLE + fun_id * 8]` through `temp` (RAX..RDI).
    pub fn call_ind_via(&mut self, fun_id: usize, temp: Reg) -> Result<()> {
        Self::low8(temp, "call")?;
        self.mov_mem64_to_r64(RBP, scaled(ARCH, "function index", fun_id, 8)?, temp)?;
        self.bytes(&[0xff, modrm(2, MOD_REG, temp)])
    }
}

impl Asm for AsmX64 {
    const ARCH: &'static str = ARCH;
    const WORD_SIZE: usize = 8;
    const REG_RET: Reg = RAX;
    const REG_ARG_1: Reg = RDI;
    const REG_ARG_2: Reg = RSI;
    const REG_ARG_3: Reg = RDX;
    const REG_ARG_4: Reg = RCX;
    const REG_ARG_5: Option<Reg> = Some(R8);
    const REG_TEMP0: Reg = RAX;
    const REG_TEMP1: Reg = RDI;
    const REG_TEMP2: Reg = RSI;
    const REG_LOCAL_1: Reg = RBX;
    const REG_LOCAL_2: Reg = R12;
    const REG_LOCAL_3: Reg = R13;
    const REG_FUN_TABLE: Reg = RBP;
    const NLR_BUF_IDX_LOCAL_1: usize = 5;
    const NLR_BUF_IDX_LOCAL_2: usize = 6;
    const NLR_BUF_IDX_LOCAL_3: usize = 7;
    const SHIFT_COUNT_REG: Option<Reg> = Some(RCX);

    fn new(max_num_labels: usize) -> Self {
        AsmX64 {
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
        for r in [RBP, RBX, R12, R13] {
            self.push_r64(r)?;
        }
        // An odd count keeps the stack 16-byte aligned after the four pushes.
        let n = num_locals | 1;
        self.sub_r64_i32(RSP, scaled(ARCH, "frame size", n, 8)?)?;
        self.num_locals = n;
        Ok(())
    }

    fn exit(&mut self) -> Result<()> {
        self.sub_r64_i32(RSP, -scaled(ARCH, "frame size", self.num_locals, 8)?)?;
        for r in [R13, R12, RBX, RBP] {
            self.pop_r64(r)?;
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
            self.test_r64_with_r64(reg, reg)?;
        }
        self.jcc_label(cc::Z, label)
    }
    fn jump_if_reg_nonzero(&mut self, reg: Reg, label: Label, bool_test: bool) -> Result<()> {
        if bool_test {
            self.test_r8_with_r8(reg, reg)?;
        } else {
            self.test_r64_with_r64(reg, reg)?;
        }
        self.jcc_label(cc::NZ, label)
    }
    fn jump_if_reg_eq(&mut self, reg1: Reg, reg2: Reg, label: Label) -> Result<()> {
        self.cmp_r64_with_r64(reg1, reg2)?;
        self.jcc_label(cc::Z, label)
    }
    fn jump_reg(&mut self, reg: Reg) -> Result<()> {
        Self::low8(reg, "jmp reg")?;
        self.bytes(&[0xff, modrm(4, MOD_REG, reg)])
    }
    fn call_ind(&mut self, fun_id: usize, _n_args: usize) -> Result<()> {
        self.call_ind_via(fun_id, RAX)
    }

    fn mov_local_reg(&mut self, local: usize, src: Reg) -> Result<()> {
        self.mov_r64_to_mem64(src, RSP, scaled(ARCH, "stack slot", local, 8)?)
    }
    fn mov_reg_imm(&mut self, dest: Reg, imm: i64) -> Result<()> {
        self.mov_i64_to_r64_optimised(imm, dest)
    }
    fn mov_reg_imm_fix_u16(&mut self, dest: Reg, imm: u32) -> Result<usize> {
        self.mov_i32_to_r64(imm, dest)
    }
    fn mov_reg_imm_fix_word(&mut self, dest: Reg, imm: i64) -> Result<usize> {
        self.mov_i32_to_r64(low32(imm), dest)
    }
    fn mov_reg_local(&mut self, dest: Reg, local: usize) -> Result<()> {
        self.mov_mem64_to_r64(RSP, scaled(ARCH, "stack slot", local, 8)?, dest)
    }
    fn mov_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.mov_r64_r64(dest, src)
    }
    fn mov_reg_local_addr(&mut self, dest: Reg, local: usize) -> Result<()> {
        if local == 0 {
            self.mov_r64_r64(dest, RSP)
        } else {
            self.lea_disp_to_r64(RSP, scaled(ARCH, "stack slot", local, 8)?, dest)
        }
    }
    fn mov_reg_pcrel(&mut self, dest: Reg, label: Label) -> Result<()> {
        self.lea_pcrel(dest, label)
    }

    fn lsl_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        if shift != RCX {
            return Err(AsmError::BadRegister {
                arch: ARCH,
                what: "a shift count",
                reg: shift.0,
            });
        }
        self.generic_r64_r64(dest, Reg(4), 0xd3)
    }
    fn asr_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()> {
        if shift != RCX {
            return Err(AsmError::BadRegister {
                arch: ARCH,
                what: "a shift count",
                reg: shift.0,
            });
        }
        self.generic_r64_r64(dest, Reg(7), 0xd3)
    }
    fn or_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r64_r64(dest, src, 0x09)
    }
    fn xor_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r64_r64(dest, src, 0x31)
    }
    fn and_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r64_r64(dest, src, 0x21)
    }
    fn add_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r64_r64(dest, src, 0x01)
    }
    fn sub_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        self.generic_r64_r64(dest, src, 0x29)
    }
    fn mul_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()> {
        Self::check(dest, "imul")?;
        Self::check(src, "imul")?;
        self.bytes(&[
            REX | REX_W | rex_r(dest) | rex_b(src),
            0x0f,
            0xaf,
            modrm(dest.0, MOD_REG, src),
        ])
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
        self.cmp_r64_with_r64(rhs, lhs)?;
        self.setcc_r8(code, dest)
    }

    fn load_reg_reg_offset(&mut self, dest: Reg, base: Reg, word_offset: usize) -> Result<()> {
        self.mov_mem64_to_r64(base, scaled(ARCH, "word offset", word_offset, 8)?, dest)
    }
    fn load_sized(&mut self, size: MemSize, dest: Reg, base: Reg) -> Result<()> {
        self.mov_mem_to_r64zx(size, base, 0, dest)
    }
    fn store_reg_reg_offset(&mut self, src: Reg, base: Reg, word_offset: usize) -> Result<()> {
        self.mov_r64_to_mem64(src, base, scaled(ARCH, "word offset", word_offset, 8)?)
    }
    fn store_sized(&mut self, size: MemSize, src: Reg, base: Reg) -> Result<()> {
        self.mov_r_to_mem(size, src, base, 0)
    }
}
