//! The encoders the inline assemblers need, replayed instruction by instruction against the
//! machine code mpy-cross 1.11 writes for `@micropython.asm_thumb` (oracle/asm_thumb_ops.py,
//! `-march=armv7m`) and `@micropython.asm_xtensa` (oracle/asm_xtensa_ops.py, `-march=xtensa`).

mod common;

use asm::thumb::{self, op, AsmThumb};
use asm::xtensa::{self, encode_rri8, encode_rrr, AsmXtensa};
use asm::{Asm, Label, Reg};
use common::{assemble, oracle};

/// The body of `f` in oracle/asm_thumb_ops.py, instruction by instruction.
fn thumb_ops(arm_trampoline: bool) -> Vec<u8> {
    use thumb::{R0, R1, R2, R3, R8};
    assemble::<AsmThumb>(2, |a| {
        let (l_loop, l_end) = (Label(0), Label(1));
        a.set_arm_trampoline(arm_trampoline);
        a.entry(0)?;
        a.mov_reg_reg(R2, R0)?;
        a.mov_reg_reg(R8, R1)?;
        a.mov_reg_i16(op::MOVW, R3, 0x1234)?;
        a.mov_reg_i16(op::MOVT, R3, 0x5678)?;
        a.add_rlo_rlo_rlo(R0, R0, R1)?;
        a.add_rlo_rlo_i3(R0, R1, 3)?;
        a.sub_rlo_rlo_rlo(R0, R1, R2)?;
        a.sub_rlo_rlo_i3(R0, R1, 7)?;
        a.mov_rlo_i8(R0, 200)?;
        a.cmp_rlo_i8(R0, 5)?;
        a.add_rlo_i8(R0, 10)?;
        a.sub_rlo_i8(R0, 11)?;
        a.format_1(op::FORMAT_1_LSL, R0, R1, 3)?;
        a.format_1(op::FORMAT_1_LSR, R0, R1, 4)?;
        a.format_1(op::FORMAT_1_ASR, R0, R1, 2)?;
        for f4 in [
            op::FORMAT_4_AND,
            op::FORMAT_4_ORR,
            op::FORMAT_4_EOR,
            op::FORMAT_4_MUL,
        ] {
            a.format_4(f4, R0, R1)?;
        }
        a.cmp_rlo_rlo(R0, R1)?;
        a.ldr_rlo_rlo_i5(R0, R1, 1)?;
        a.ldrb_rlo_rlo_i5(R0, R1, 1)?;
        a.ldrh_rlo_rlo_i5(R0, R1, 1)?;
        a.str_rlo_rlo_i5(R0, R1, 2)?;
        a.strb_rlo_rlo_i5(R0, R1, 3)?;
        a.strh_rlo_rlo_i5(R0, R1, 3)?;
        a.label_assign(l_loop)?;
        a.sub_rlo_i8(R0, 1)?;
        a.bcc_nw_label(thumb::cc::NE, l_loop, false)?;
        a.b_n_label(l_end)?;
        a.bl_label(l_end)?;
        a.it_cc(thumb::cc::EQ, 0xc)?;
        a.mov_rlo_i8(R0, 1)?;
        a.mov_rlo_i8(R0, 0)?;
        a.op16(0xb430)?; // push {r4, r5}
        a.op16(0xbc30)?; // pop {r4, r5}
        a.bx_reg(thumb::LR)?;
        a.label_assign(l_end)?;
        a.op16(op::NOP)?;
        a.bcc_nw_label(thumb::cc::GT, l_loop, false)?;
        a.exit()
    })
    .unwrap()
}

#[test]
fn asm_thumb_function_replayed() {
    assert_eq!(
        thumb_ops(false),
        oracle(include_str!("oracle/armv7m.hex"), "asm_thumb_ops.1")
    );
}

#[test]
fn asm_thumb_under_armv6_starts_with_the_arm_mode_trampoline() {
    // -march=armv6: the inline Thumb function is entered in ARM mode (push {r4, lr}; add lr, pc,
    // #9; blx lr; pop {r4, lr}; bx lr), then the same Thumb code.
    let code = thumb_ops(true);
    assert_eq!(
        &code[..20],
        &common::hex("10402de9 09e08fe2 3eff2fe1 1040bde8 1eff2fe1")[..]
    );
    assert_eq!(&code[20..], &thumb_ops(false)[..]);
    assert_eq!(
        code,
        oracle(include_str!("oracle/armv6.hex"), "asm_thumb_ops.1")
    );
}

#[test]
fn asm_xtensa_function_replayed() {
    use xtensa::{A2, A3, A4, A5, A6};
    let r = |r: Reg| r.0 as u32;
    let code = assemble::<AsmXtensa>(1, |a| {
        let top = Label(0);
        a.entry(0)?;
        // add, sub, and_, or_, xor, mull: RRR with (op1, op2) from the inline table.
        a.op24(encode_rrr(0, 0, 8, r(A2), r(A2), r(A3)))?;
        a.op24(encode_rrr(0, 0, 12, r(A2), r(A2), r(A3)))?;
        for (op1, op2) in [(0, 1), (0, 2), (0, 3), (2, 8)] {
            a.op24(encode_rrr(0, op1, op2, r(A4), r(A2), r(A3)))?;
        }
        a.op24(encode_rri8(2, 12, r(A2), r(A2), (-10i32) as u32))?;
        a.mov_reg_i32(A4, 100)?;
        a.mov_reg_i32(A5, 0x12345)?;
        a.op_mov_n(A6, A2)?;
        a.op_l8ui(A2, A3, 1)?;
        a.op_l16ui(A2, A3, 1)?;
        a.op_l32i(A2, A3, 1)?;
        a.op_s8i(A2, A3, 1)?;
        a.op_s16i(A2, A3, 1)?;
        a.op_s32i(A2, A3, 2)?;
        a.label_assign(top)?;
        a.bccz_reg_label(xtensa::ccz::NE, A2, top)?;
        a.bccz_reg_label(xtensa::ccz::EQ, A2, top)?;
        a.bcc_reg_reg_label(xtensa::cc::EQ, A2, A3, top)?;
        a.bcc_reg_reg_label(xtensa::cc::LT, A2, A3, top)?;
        a.j_label(top)?;
        a.op_callx0(A4)?;
        a.op_jx(A4)?;
        a.exit()
    })
    .unwrap();
    assert_eq!(
        code,
        oracle(include_str!("oracle/xtensa.hex"), "asm_xtensa_ops.1")
    );
}
