//! ARM (armv6) encoder tests: expected bytes occur in mpy-cross 1.11's `-march=armv6` output
//! for the sources in tests/oracle (see oracle/armv6.hex); each check names the raw code.

mod common;

use asm::arm::{cc, AsmArm, R0, R1, R2, R4, R5, R6};
use asm::{Asm, AsmError, Cond, Label, MemSize};
use common::{assemble, check, hex, one};

type A = AsmArm;
const ORACLE: &str = include_str!("oracle/armv6.hex");
/// `ops(x: int, y: int) -> int` of viper_ops.py.
const OPS: &str = "viper_ops.1";
/// `mem(p: ptr8, q: ptr16, r: ptr32, i: int) -> int` of viper_ops.py.
const MEM: &str = "viper_ops.2";
/// `g(x)` (try/except) of native_try_gen.py.
const TRY: &str = "native_try_gen.1";
/// `gen(n)` of native_try_gen.py.
const GEN: &str = "native_try_gen.2";

#[test]
fn viper_entry_and_argument_check() {
    // push {r1-r8, lr}; sub sp, sp, #32; loads; the argument check with a literal 0x40004.
    check::<A>(
        ORACLE,
        OPS,
        "fe412de9 20d04de2 0c6090e5 007096e5 0100a0e1 0210a0e1 0360a0e1 000051e3 0200001a 0220a0e3 \
         020050e1 0400000a 00209fe5 000000ea 04000400 0fe0a0e1 b4f097e5",
        |a| {
            a.entry(8)?;
            a.load_reg_reg_offset(A::REG_LOCAL_3, A::REG_ARG_1, 3)?;
            a.load_reg_reg_offset(A::REG_FUN_TABLE, A::REG_LOCAL_3, 0)?;
            a.mov_reg_reg(A::REG_ARG_1, A::REG_ARG_2)?;
            a.mov_reg_reg(A::REG_ARG_2, A::REG_ARG_3)?;
            a.mov_reg_reg(A::REG_LOCAL_3, A::REG_ARG_4)?;
            a.jump_if_reg_nonzero(A::REG_ARG_2, Label(0), true)?;
            a.mov_reg_imm(A::REG_ARG_3, 2)?;
            a.jump_if_reg_eq(A::REG_ARG_1, A::REG_ARG_3, Label(1))?;
            a.label_assign(Label(0))?;
            a.mov_reg_imm(A::REG_ARG_3, 0x40004)?;
            a.call_ind(45, 3)?;
            a.label_assign(Label(1))
        },
    );
}

#[test]
fn viper_alu_and_compare() {
    check::<A>(ORACLE, OPS, "0410a0e1 1115a0e1", |a| {
        a.mov_reg_reg(R1, R4)?;
        a.lsl_reg_reg(R1, R5)
    });
    check::<A>(ORACLE, OPS, "5115a0e1", |a| a.asr_reg_reg(R1, R5));
    check::<A>(ORACLE, OPS, "051081e1", |a| a.or_reg_reg(R1, R5));
    check::<A>(ORACLE, OPS, "051001e0", |a| a.and_reg_reg(R1, R5));
    check::<A>(ORACLE, OPS, "021021e0", |a| a.xor_reg_reg(R1, R2));
    check::<A>(ORACLE, OPS, "950101e0", |a| a.mul_reg_reg(R1, R5));
    check::<A>(ORACLE, OPS, "061041e0", |a| a.sub_reg_reg(R1, R6));
    check::<A>(ORACLE, OPS, "021081e0", |a| a.add_reg_reg(R1, R2));
    check::<A>(ORACLE, OPS, "050051e1 0100a0b3 0000a0a3", |a| {
        a.set_reg_cond(Cond::Lt, R0, R1, R5)
    });
    check::<A>(ORACLE, OPS, "050051e1 0100a0a3 0000a0b3", |a| {
        a.set_reg_cond(Cond::Ge, R0, R1, R5)
    });
    check::<A>(ORACLE, OPS, "1c008de5", |a| a.mov_local_reg(7, R0));
    check::<A>(ORACLE, OPS, "00109de5", |a| a.mov_reg_local(R1, 0));
    check::<A>(ORACLE, OPS, "0fe0a0e1 0cf097e5", |a| a.call_ind(3, 2));
    let code = one::<A>(|a| {
        a.entry(8)?;
        a.jump(Label(0))?;
        a.label_assign(Label(0))?;
        a.exit()
    });
    assert_eq!(&code[8..], &hex("ffffffea 20d08de2 fe81bde8")[..]);
    common::assert_in_oracle(ORACLE, OPS, &code[8..]);
}

#[test]
fn viper_memory_access() {
    check::<A>(ORACLE, MEM, "0000d0e5", |a| {
        a.load_sized(MemSize::B8, R0, R0)
    });
    check::<A>(ORACLE, MEM, "b000d0e1", |a| {
        a.load_sized(MemSize::B16, R0, R0)
    });
    check::<A>(ORACLE, MEM, "000090e5", |a| {
        a.load_sized(MemSize::B32, R0, R0)
    });
    check::<A>(ORACLE, MEM, "b000c1e1", |a| {
        a.store_sized(MemSize::B16, R0, R1)
    });
    check::<A>(ORACLE, MEM, "0100c4e7", |a| {
        a.store_sized_indexed(MemSize::B8, R0, R4, R1)
    });
    check::<A>(ORACLE, MEM, "010186e7", |a| {
        a.store_sized_indexed(MemSize::B32, R0, R6, R1)
    });
    check::<A>(ORACLE, MEM, "0120c0e7", |a| {
        a.store_sized_indexed(MemSize::B8, R2, R0, R1)
    });
    // ARM ARM: mov r8, r1, lsl #1; strh r2, [r0, r8] (no ptr16 indexed store in the oracle run).
    assert_eq!(
        one::<A>(|a| a.store_sized_indexed(MemSize::B16, R2, R0, R1)),
        hex("8180a0e1 b82080e1")
    );
}

#[test]
fn native_forms() {
    check::<A>(ORACLE, TRY, "fe412de9 50d04de2", |a| a.entry(20));
    check::<A>(ORACLE, TRY, "28008de2 0fe0a0e1 b8f097e5", |a| {
        a.mov_reg_local_addr(R0, 10)?;
        a.call_ind_4_args(46)
    });
    check::<A>(ORACLE, TRY, "14ff2fe1", |a| a.jump_reg(R4));
    check::<A>(ORACLE, GEN, "10ff2fe1", |a| a.jump_reg(R0));
    // pc-relative: ldr r4, [pc]; b pc; .word 0x48; add r4, r4, pc.
    let code = assemble::<A>(1, |a| {
        a.mov_reg_pcrel(R4, Label(0))?;
        for _ in 0..(0x48 + 20 - 16) / 4 {
            a.emit_al(0)?;
        }
        a.label_assign(Label(0))
    })
    .unwrap();
    assert_eq!(&code[..16], &hex("00409fe5 000000ea 48000000 0f4084e0")[..]);
    common::assert_in_oracle(ORACLE, TRY, &code[..16]);
    // A backward bne of 14 words.
    let code = assemble::<A>(1, |a| {
        a.label_assign(Label(0))?;
        for _ in 0..11 {
            a.emit_al(0)?;
        }
        a.jump_if_reg_nonzero(R4, Label(0), false)
    })
    .unwrap();
    assert_eq!(&code[44..], &hex("000054e3 f2ffff1a")[..]);
    common::assert_in_oracle(ORACLE, TRY, &code[44..]);
}

#[test]
fn documented_forms_and_errors() {
    // ARM ARM: mvn r0, #0 for -1; a word literal for 0x12345678; frames of 5 words round up.
    assert_eq!(one::<A>(|a| a.mov_reg_imm(R0, -1)), hex("0000e0e3"));
    assert_eq!(
        one::<A>(|a| a.mov_reg_imm(R0, 0x1234_5678)),
        hex("00009fe5 000000ea 78563412")
    );
    assert_eq!(one::<A>(|a| a.entry(5)), hex("fe412de9 18d04de2"));
    let e = assemble::<A>(0, |a| a.entry(64)).unwrap_err();
    assert!(matches!(
        e,
        AsmError::OutOfRange {
            what: "frame size",
            ..
        }
    ));
    let e = assemble::<A>(0, |a| a.mul_reg_reg(R1, R1)).unwrap_err();
    assert!(matches!(e, AsmError::BadRegister { .. }));
    let e = assemble::<A>(0, |a| a.call_ind(1024, 0)).unwrap_err();
    assert!(matches!(e, AsmError::OutOfRange { .. }));
    let e = assemble::<A>(0, |a| a.mov_reg_local_addr(R0, 64)).unwrap_err();
    assert!(matches!(e, AsmError::OutOfRange { .. }));
    let e = assemble::<A>(0, |a| a.bcc_label(cc::EQ, Label(0))).unwrap_err();
    assert!(matches!(e, AsmError::LabelOutOfRange { .. }));
}
