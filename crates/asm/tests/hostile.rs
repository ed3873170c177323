//! Every trait method of every back end, fed extreme operands (huge locals, frames, offsets
//! and function indices, registers beyond the file, labels beyond the table, immediates at the
//! ends of i64), returns a value or an `AsmError`: never a panic or an overflow.

use asm::arm::AsmArm;
use asm::thumb::AsmThumb;
use asm::x64::AsmX64;
use asm::x86::AsmX86;
use asm::xtensa::AsmXtensa;
use asm::{Asm, Cond, Label, MemSize, Pass, Reg};

const SIZES: [usize; 8] = [0, 1, 31, 32, 255, 4096, 1 << 31, usize::MAX];
const IMMS: [i64; 9] = [0, 1, -1, 255, -256, 0xffff, 0x1_0000, i64::MIN, i64::MAX];

fn regs<A: Asm>() -> Vec<Reg> {
    vec![
        A::REG_RET,
        A::REG_ARG_2,
        A::REG_LOCAL_1,
        A::REG_FUN_TABLE,
        Reg(8),
        Reg(15),
        Reg(16),
        Reg(255),
    ]
}

fn every_method<A: Asm>(a: &mut A) {
    let rs = regs::<A>();
    for &n in &SIZES {
        let _ = a.entry(n);
        let _ = a.exit();
        let _ = a.call_ind(n, n);
        let _ = a.call_ind_4_args(n);
        let _ = a.mov_reg_arg(A::REG_ARG_1, n);
        let _ = a.align(n);
        let _ = a.data(n, u64::MAX);
        for &r in &rs {
            let _ = a.mov_local_reg(n, r);
            let _ = a.mov_reg_local(r, n);
            let _ = a.mov_reg_local_addr(r, n);
            let _ = a.load_reg_reg_offset(r, A::REG_ARG_1, n);
            let _ = a.store_reg_reg_offset(r, A::REG_ARG_1, n);
        }
        for label in [Label(0), Label(1), Label(n)] {
            let _ = a.label_assign(label);
            let _ = a.jump(label);
            let _ = a.mov_reg_pcrel(A::REG_RET, label);
            for &r in &rs {
                let _ = a.jump_if_reg_zero(r, label, true);
                let _ = a.jump_if_reg_nonzero(r, label, false);
                let _ = a.jump_if_reg_eq(r, A::REG_ARG_1, label);
            }
        }
    }
    for &imm in &IMMS {
        for &r in &rs {
            let _ = a.mov_reg_imm(r, imm);
            let _ = a.mov_reg_imm_fix_word(r, imm);
            let _ = a.mov_reg_imm_fix_u16(r, imm as u32);
            for size in [MemSize::B8, MemSize::B16, MemSize::B32] {
                let _ = a.try_load_sized_imm_index(size, r, A::REG_ARG_1, imm);
                let _ = a.try_store_sized_imm_index(size, r, A::REG_ARG_1, imm);
            }
        }
    }
    for &d in &rs {
        for &s in &rs {
            let _ = a.mov_reg_reg(d, s);
            let _ = a.lsl_reg_reg(d, s);
            let _ = a.asr_reg_reg(d, s);
            let _ = a.or_reg_reg(d, s);
            let _ = a.xor_reg_reg(d, s);
            let _ = a.and_reg_reg(d, s);
            let _ = a.add_reg_reg(d, s);
            let _ = a.sub_reg_reg(d, s);
            let _ = a.mul_reg_reg(d, s);
            let _ = a.jump_reg(d);
            let _ = a.load_reg_reg(d, s);
            let _ = a.store_reg_reg(d, s);
            for size in [MemSize::B8, MemSize::B16, MemSize::B32] {
                let _ = a.load_sized(size, d, s);
                let _ = a.store_sized(size, d, s);
                let _ = a.store_sized_indexed(size, d, s, A::REG_ARG_2);
            }
            for cond in [Cond::Lt, Cond::Gt, Cond::Eq, Cond::Le, Cond::Ge, Cond::Ne] {
                let _ = a.set_reg_cond(cond, A::REG_RET, d, s);
            }
        }
    }
}

fn run<A: Asm>() {
    let mut a = A::new(4);
    for pass in [
        Pass::Compute,
        Pass::Compute,
        Pass::Emit,
        Pass::Compute,
        Pass::Emit,
    ] {
        a.start_pass(pass);
        every_method(&mut a);
        let _ = a.end_pass();
    }
}

#[test]
fn x64_never_panics() {
    run::<AsmX64>();
}

#[test]
fn x86_never_panics() {
    run::<AsmX86>();
}

#[test]
fn thumb_never_panics() {
    run::<AsmThumb>();
}

#[test]
fn arm_never_panics() {
    run::<AsmArm>();
}

#[test]
fn xtensa_never_panics() {
    run::<AsmXtensa>();
}
