//! Xtensa encoder tests: expected bytes occur in mpy-cross 1.11's `-march=xtensa` output for
//! the sources in tests/oracle (see oracle/xtensa.hex); each check names the raw code.

mod common;

use asm::xtensa::{AsmXtensa, A12, A13, A14, A2, A3};
use asm::{Asm, AsmError, Cond, Label, MemSize, Pass};
use common::{assemble, check, hex, one};

type A = AsmXtensa;
const ORACLE: &str = include_str!("oracle/xtensa.hex");
/// `ops(x: int, y: int) -> int` of viper_ops.py.
const OPS: &str = "viper_ops.1";
/// `mem(p: ptr8, q: ptr16, r: ptr32, i: int) -> int` of viper_ops.py.
const MEM: &str = "viper_ops.2";
/// `g(x)` (try/except) of native_try_gen.py.
const TRY: &str = "native_try_gen.1";
/// `gen(n)` of native_try_gen.py.
const GEN: &str = "native_try_gen.2";

fn argument_check(a: &mut A, n_args: i64, sig: i64) -> asm::Result<()> {
    a.entry(11)?;
    a.load_reg_reg_offset(A::REG_LOCAL_3, A::REG_ARG_1, 3)?;
    a.load_reg_reg_offset(A::REG_FUN_TABLE, A::REG_LOCAL_3, 0)?;
    a.mov_reg_reg(A::REG_ARG_1, A::REG_ARG_2)?;
    a.mov_reg_reg(A::REG_ARG_2, A::REG_ARG_3)?;
    a.mov_reg_reg(A::REG_LOCAL_3, A::REG_ARG_4)?;
    a.jump_if_reg_nonzero(A::REG_ARG_2, Label(0), true)?;
    a.mov_reg_imm(A::REG_ARG_3, n_args)?;
    a.jump_if_reg_eq(A::REG_ARG_1, A::REG_ARG_3, Label(1))?;
    a.label_assign(Label(0))?;
    a.mov_reg_imm(A::REG_ARG_3, sig)?;
    a.call_ind(45, 3)?;
    a.label_assign(Label(1))
}

#[test]
fn viper_entry_literal_table_and_argument_check() {
    // ops(): j over one padding byte and the one literal (0x40004); addi a1, a1, -64; save a0,
    // a12-a15; the argument check (bnez, beq, l32r of the literal, call through a15).
    check::<A>(
        ORACLE,
        OPS,
        "060100 00 04000400 12c1c0 0901 c911 d921 e931 f941 e832 f80e 2d03 3d04 ed05 565300 42a002 \
         471208 41f7ff 022f2d c00000",
        |a| argument_check(a, 2, 0x40004),
    );
}

#[test]
fn viper_alu_and_compare() {
    // ssl/ssr + sll/sra pairs for viper shifts.
    check::<A>(ORACLE, OPS, "3d0c 001d40 0033a1", |a| {
        a.mov_reg_reg(A3, A12)?;
        a.lsl_reg_reg(A3, A13)
    });
    check::<A>(ORACLE, OPS, "000d40 3030b1", |a| a.asr_reg_reg(A3, A13));
    // movi.n a2, 1; blt/bge a3, a13, +1; movi.n a2, 0.
    check::<A>(ORACLE, OPS, "0c12 d72301 0c02", |a| {
        a.set_reg_cond(Cond::Lt, A2, A3, A13)
    });
    check::<A>(ORACLE, OPS, "0c12 d7a301 0c02", |a| {
        a.set_reg_cond(Cond::Ge, A2, A3, A13)
    });
    check::<A>(ORACLE, OPS, "cd02 281e 32a002 083f c00000", |a| {
        a.mov_reg_reg(A12, A2)?;
        a.load_reg_reg_offset(A2, A14, 1)?;
        a.mov_reg_imm(A3, 2)?;
        a.call_ind(3, 2)
    });
}

#[test]
fn exit_sequence() {
    let code = one::<A>(|a| {
        a.entry(11)?;
        a.exit()
    });
    assert_eq!(
        &code[code.len() - 15..],
        &hex("f841 e831 d821 c811 0801 12c140 0df0")[..]
    );
    common::assert_in_oracle(ORACLE, OPS, &code[code.len() - 15..]);
}

#[test]
fn memory_and_calls() {
    check::<A>(ORACLE, MEM, "022f2d c00000", |a| a.call_ind(45, 3));
    check::<A>(ORACLE, TRY, "2812 085f c00000", |a| {
        a.load_reg_reg_offset(A2, A2, 1)?;
        a.call_ind(5, 1)
    });
}

#[test]
fn literal_count_change_between_passes_is_an_error() {
    // The second compute pass sizes the table from the first; if the emit pass then needs
    // another literal, the label after it moves (the reference asserts there).
    let calls = std::cell::Cell::new(0);
    let err = assemble::<A>(1, |a| {
        calls.set(calls.get() + 1);
        a.entry(0)?;
        for _ in 0..3 - calls.get() {
            a.mov_reg_imm(A2, 0x12345)?;
        }
        a.label_assign(Label(0))
    })
    .unwrap_err();
    assert!(
        matches!(
            err,
            AsmError::LabelMoved { .. } | AsmError::OutOfRange { .. }
        ),
        "{err}"
    );
}

#[test]
fn viper_memory_access() {
    check::<A>(ORACLE, MEM, "220200", |a| a.load_sized(MemSize::B8, A2, A2));
    check::<A>(ORACLE, MEM, "221200", |a| {
        a.load_sized(MemSize::B16, A2, A2)
    });
    check::<A>(ORACLE, MEM, "2802", |a| a.load_sized(MemSize::B32, A2, A2));
    check::<A>(ORACLE, MEM, "224300", |a| {
        a.store_sized(MemSize::B8, A2, A3)
    });
    check::<A>(ORACLE, MEM, "225300", |a| {
        a.store_sized(MemSize::B16, A2, A3)
    });
    check::<A>(ORACLE, MEM, "2903", |a| a.store_sized(MemSize::B32, A2, A3));
    check::<A>(ORACLE, MEM, "3a22", |a| a.add_reg_reg(A2, A3));
}

#[test]
fn jumps_and_pc_relative_addresses() {
    // j to the next instruction: displacement -1 (target = pc + 4 + rel).
    check::<A>(ORACLE, OPS, "c6ffff", |a| {
        a.jump(Label(0))?;
        a.label_assign(Label(0))
    });
    check::<A>(ORACLE, GEN, "a00200", |a| a.jump_reg(A2));
    // g(): movi a2, 45; call0 to the next aligned word; 2 bytes of padding; add.n a2, a2, a0.
    let code = assemble::<A>(1, |a| {
        a.mov_reg_pcrel(A2, Label(0))?;
        for _ in 0..41 {
            a.data(1, 0)?;
        }
        a.label_assign(Label(0))
    })
    .unwrap();
    assert_eq!(&code[..10], &hex("22a02d 450000 0000 0a22")[..]);
    common::assert_in_oracle(ORACLE, TRY, &code[..10]);
}

#[test]
fn branch_ranges_are_checked() {
    // Xtensa ISA: bnez reaches +-2 KiB, beq +-128 bytes, j +-128 KiB.
    let far = |n: usize, f: fn(&mut A) -> asm::Result<()>| {
        assemble::<A>(1, move |a| {
            f(a)?;
            for _ in 0..n {
                a.data(1, 0)?;
            }
            a.label_assign(Label(0))
        })
    };
    let e = far(3000, |a| a.jump_if_reg_zero(A2, Label(0), false)).unwrap_err();
    assert!(matches!(
        e,
        AsmError::OutOfRange {
            what: "beqz/bnez distance",
            ..
        }
    ));
    assert!(far(2000, |a| a.jump_if_reg_zero(A2, Label(0), false)).is_ok());
    let e = far(200, |a| a.jump_if_reg_eq(A2, A3, Label(0))).unwrap_err();
    assert!(matches!(
        e,
        AsmError::OutOfRange {
            what: "conditional branch distance",
            ..
        }
    ));
    assert!(far(100, |a| a.jump_if_reg_eq(A2, A3, Label(0))).is_ok());
    let e = far(140_000, |a| a.jump(Label(0))).unwrap_err();
    assert!(matches!(
        e,
        AsmError::OutOfRange {
            what: "j distance",
            ..
        }
    ));
    let e = assemble::<A>(0, |a| a.set_reg_cond(Cond::Eq, A2, A2, A3)).unwrap_err();
    assert!(matches!(e, AsmError::BadRegister { .. }));
    let e = assemble::<A>(0, |a| a.mov_reg_imm(A2, 0x12345)).unwrap_err();
    assert!(matches!(e, AsmError::Unsupported { .. }));
}

#[test]
fn big_frames_and_large_immediates() {
    // Xtensa ISA: a frame over 128 bytes is "movi a9, n; sub a1, a1, a9"; 0x12345 needs a literal.
    assert_eq!(&one::<A>(|a| a.entry(40))[4..10], &hex("92a0c0 9011c0")[..]);
    let code = one::<A>(|a| {
        a.entry(0)?;
        a.mov_reg_imm(A2, 0x12345)
    });
    assert_eq!(&code[..8], &hex("060100 00 45230100")[..]);
}

#[test]
fn the_references_wrapped_l32i_n_offset_is_refused() {
    // mpy-cross 1.11 -X emit=native -march=xtensa on a module of 20 functions
    // (`def f0(): return 0` ... `def f19(): return 19`) loads the i-th raw code from the const
    // table with l32i.n, whose 4-bit offset field wraps: the 15th and 16th loads are
    //     22210f 2832 28f2 022f1a   and   22210f 2832 2802 022f1a
    // (offset 15, then 16 written as 0: mp_fun_table instead of the 16th function).
    // The generic methods write the reference's wrapped bytes and note the refusal.
    let mut a = A::new(1);
    let mut noted = None;
    for pass in [Pass::Compute, Pass::Compute, Pass::Emit] {
        a.start_pass(pass);
        a.load_reg_reg_offset(A2, A2, 15).expect("offset 15");
        assert_eq!(a.take_refusal(), None);
        a.load_reg_reg_offset(A2, A2, 16)
            .expect("written as the reference writes it");
        a.store_reg_reg_offset(A2, A3, 17)
            .expect("written as the reference writes it");
        noted = a.take_refusal();
        a.end_pass().expect("end");
    }
    assert_eq!(a.code(), &hex("28f2 2802 2913")[..]);
    let e = noted.expect("the wrapped offset is noted");
    assert!(
        matches!(
            e,
            AsmError::OutOfRange {
                what: "l32i.n offset",
                value: 16,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(a.take_refusal(), None, "taken once");
}
