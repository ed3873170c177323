//! x86 encoder tests: expected bytes occur in mpy-cross 1.11's `-march=x86` output for the
//! sources in tests/oracle (see oracle/x86.hex); each check names the raw code.

mod common;

use asm::x86::{AsmX86, EAX, EBP, EBX, ECX, EDI, EDX, ESI};
use asm::{Asm, AsmError, Cond, Label, MemSize};
use common::{assemble, check, hex, one};

type A = AsmX86;
const ORACLE: &str = include_str!("oracle/x86.hex");
/// `ops(x: int, y: int) -> int` of viper_ops.py.
const OPS: &str = "viper_ops.1";
/// `mem(p: ptr8, q: ptr16, r: ptr32, i: int) -> int` of viper_ops.py.
const MEM: &str = "viper_ops.2";
/// `g(x)` (try/except) of native_try_gen.py.
const TRY: &str = "native_try_gen.1";

#[test]
fn prologue_and_arguments_from_the_stack() {
    // ops(): a frame of 9 words; its arguments sit above it, the return address and 4 pushes.
    check::<A>(ORACLE, OPS, "5553565783ec24 8b442438", |a| {
        a.entry(9)?;
        a.mov_reg_arg(EAX, 0)
    });
    let code = one::<A>(|a| {
        a.entry(9)?;
        a.mov_reg_arg(A::REG_ARG_1, 1)?;
        a.mov_reg_arg(A::REG_ARG_2, 2)?;
        a.mov_reg_arg(A::REG_LOCAL_3, 3)
    });
    assert_eq!(&code[7..], &hex("8b44243c 8b4c2440 8b7c2444")[..]);
    common::assert_in_oracle(ORACLE, OPS, &code[7..]);
    check::<A>(ORACLE, OPS, "8b780c 8b2f", |a| {
        a.load_reg_reg_offset(EDI, EAX, 3)?;
        a.load_reg_reg_offset(EBP, EDI, 0)
    });
    let code = one::<A>(|a| {
        a.entry(9)?;
        a.exit()
    });
    assert_eq!(&code[7..], &hex("83ecdc 5f5e5b5d c3")[..]);
    common::assert_in_oracle(ORACLE, OPS, &code[7..]);
}

#[test]
fn calls_push_their_arguments() {
    check::<A>(ORACLE, OPS, "525150 8b85b4000000 ffd0 83c40c", |a| {
        a.call_ind(45, 3)
    });
    check::<A>(ORACLE, OPS, "5150 8b450c ffd0 83c408", |a| a.call_ind(3, 2));
    check::<A>(ORACLE, TRY, "53525150 8b85b8000000 ffd0 83c410", |a| {
        a.call_ind(46, 4)
    });
    check::<A>(ORACLE, TRY, "8b8584000000 ffd0", |a| a.call_ind(33, 0));
}

#[test]
fn argument_check_sequence() {
    // ops(): n_kw != 0 or n_args != 2 calls mp_arg_check_num_sig (both jumps forward: rel32).
    check::<A>(
        ORACLE,
        OPS,
        "84c9 0f850d000000 ba02000000 39c2 0f8413000000 ba04000400 525150 8b85b4000000 ffd0 83c40c",
        |a| {
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
fn alu_shift_and_compare() {
    check::<A>(ORACLE, OPS, "89f1 89d8 d3e0", |a| {
        a.mov_reg_reg(ECX, ESI)?;
        a.mov_reg_reg(EAX, EBX)?;
        a.lsl_reg_reg(EAX, ECX)
    });
    check::<A>(ORACLE, OPS, "d3f8", |a| a.asr_reg_reg(EAX, ECX));
    check::<A>(ORACLE, OPS, "09f1", |a| a.or_reg_reg(ECX, ESI));
    check::<A>(ORACLE, OPS, "21f1", |a| a.and_reg_reg(ECX, ESI));
    check::<A>(ORACLE, OPS, "31d1", |a| a.xor_reg_reg(ECX, EDX));
    check::<A>(ORACLE, OPS, "0fafce 29f9", |a| {
        a.mul_reg_reg(ECX, ESI)?;
        a.sub_reg_reg(ECX, EDI)
    });
    check::<A>(ORACLE, OPS, "01d1", |a| a.add_reg_reg(ECX, EDX));
    check::<A>(ORACLE, OPS, "31c0 39f1 0f9cc0", |a| {
        a.set_reg_cond(Cond::Lt, EAX, ECX, ESI)
    });
    check::<A>(ORACLE, OPS, "31c0 39f1 0f9dc0", |a| {
        a.set_reg_cond(Cond::Ge, EAX, ECX, ESI)
    });
}

#[test]
fn locals() {
    check::<A>(ORACLE, OPS, "8944241c", |a| a.mov_local_reg(7, EAX));
    check::<A>(ORACLE, OPS, "890c24", |a| a.mov_local_reg(0, ECX));
    check::<A>(ORACLE, OPS, "8b0c24", |a| a.mov_reg_local(ECX, 0));
    check::<A>(ORACLE, TRY, "8d442428", |a| a.mov_reg_local_addr(EAX, 10));
    check::<A>(ORACLE, TRY, "89e0", |a| a.mov_reg_local_addr(EAX, 0));
}

#[test]
fn viper_memory_access() {
    check::<A>(ORACLE, MEM, "0fb600", |a| {
        a.load_sized(MemSize::B8, EAX, EAX)
    });
    check::<A>(ORACLE, MEM, "0fb701", |a| {
        a.load_sized(MemSize::B16, EAX, ECX)
    });
    check::<A>(ORACLE, MEM, "8b00", |a| {
        a.load_sized(MemSize::B32, EAX, EAX)
    });
    check::<A>(ORACLE, MEM, "8811", |a| {
        a.store_sized(MemSize::B8, EDX, ECX)
    });
    check::<A>(ORACLE, MEM, "668911", |a| {
        a.store_sized(MemSize::B16, EDX, ECX)
    });
    check::<A>(ORACLE, MEM, "8911", |a| {
        a.store_sized(MemSize::B32, EDX, ECX)
    });
    check::<A>(ORACLE, MEM, "0fb603", |a| {
        a.load_sized(MemSize::B8, EAX, EBX)
    });
}

#[test]
fn pc_relative_address_and_register_jump() {
    // g(): "call +0; pop ebx; add ebx, 0x52" loads the handler's address.
    let code = assemble::<A>(1, |a| {
        a.mov_reg_pcrel(EBX, Label(0))?;
        // The label is 0x52 bytes after the end of the 5-byte call.
        for _ in 0..0x52 - 7 {
            a.data(1, 0x90)?;
        }
        a.label_assign(Label(0))
    })
    .unwrap();
    assert_eq!(&code[..12], &hex("e800000000 5b 81c352000000")[..]);
    common::assert_in_oracle(ORACLE, TRY, &code[..12]);
    check::<A>(ORACLE, TRY, "ffe3", |a| a.jump_reg(EBX));
}

#[test]
fn errors_not_panics() {
    let e = assemble::<A>(0, |a| a.call_ind(1, 6)).unwrap_err();
    assert!(matches!(
        e,
        AsmError::OutOfRange {
            what: "argument count",
            ..
        }
    ));
    let e = assemble::<A>(0, |a| a.mov_reg_reg(asm::Reg(8), EAX)).unwrap_err();
    assert!(matches!(e, AsmError::BadRegister { .. }));
    let e = assemble::<A>(0, |a| a.lsl_reg_reg(EAX, EDX)).unwrap_err();
    assert!(matches!(e, AsmError::BadRegister { .. }));
    assert_eq!(
        one::<A>(|a| a.mov_local_reg(0x40, EAX)),
        hex("89842400010000")
    );
}
