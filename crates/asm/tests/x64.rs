//! x64 encoder tests. Expected bytes come from mpy-cross 1.11 (`$MPYC_ORACLE -X emit=viper
//! -march=x64`) on small functions, read out of the `.mpy`'s viper raw code; each constant
//! names the function it came from.

mod common;

use asm::x64::{self, AsmX64};
use asm::{Asm, AsmError, Cond, Label, MemSize, Reg};
use common::{assemble, hex, one};

type A = AsmX64;

/// `def add(x: int, y: int) -> int: return x + y` under `-X emit=viper -march=x64`: the whole
/// 135-byte function body up to its prelude-less end, replayed through the trait.
const ADD_VIPER: &str = "5553415441554883ec184c8b6f18498b6d004889f74889d64989cd84f60f850e000000ba02000000\
4839fa0f840e000000ba04000400488b8568010000ffd0498b7d00be02000000488b4518ffd04889c3498b7d08be02000000\
488b4518ffd04989c44889de4c01e64889f7be02000000488b4520ffd0e9000000004883ece8415d415c5b5dc3";

#[test]
fn viper_add_function_replayed() {
    let code = assemble::<A>(8, |a| {
        a.entry(3)?;
        a.load_reg_reg_offset(A::REG_LOCAL_3, A::REG_ARG_1, 3)?;
        a.load_reg_reg_offset(A::REG_FUN_TABLE, A::REG_LOCAL_3, 0)?;
        a.mov_reg_reg(A::REG_ARG_1, A::REG_ARG_2)?;
        a.mov_reg_reg(A::REG_ARG_2, A::REG_ARG_3)?;
        a.mov_reg_reg(A::REG_LOCAL_3, A::REG_ARG_4)?;
        a.jump_if_reg_nonzero(A::REG_ARG_2, Label(4), true)?;
        a.mov_reg_imm(A::REG_ARG_3, 2)?;
        a.jump_if_reg_eq(A::REG_ARG_1, A::REG_ARG_3, Label(5))?;
        a.label_assign(Label(4))?;
        a.mov_reg_imm(A::REG_ARG_3, 0x40004)?;
        a.call_ind(45, 3)?;
        a.label_assign(Label(5))?;
        for (i, local) in [A::REG_LOCAL_1, A::REG_LOCAL_2].into_iter().enumerate() {
            a.load_reg_reg_offset(A::REG_ARG_1, A::REG_LOCAL_3, i)?;
            a.mov_reg_imm(A::REG_ARG_2, 2)?;
            a.call_ind(3, 2)?;
            a.mov_reg_reg(local, A::REG_RET)?;
        }
        a.mov_reg_reg(A::REG_ARG_2, A::REG_LOCAL_1)?;
        a.add_reg_reg(A::REG_ARG_2, A::REG_LOCAL_2)?;
        a.mov_reg_reg(A::REG_ARG_1, A::REG_ARG_2)?;
        a.mov_reg_imm(A::REG_ARG_2, 2)?;
        a.call_ind(4, 2)?;
        a.jump(Label(0))?;
        a.label_assign(Label(0))?;
        a.exit()
    })
    .unwrap();
    assert_eq!(code, hex(ADD_VIPER));
}

#[test]
fn single_instructions_from_viper_add() {
    // All from ADD_VIPER above.
    assert_eq!(one::<A>(|a| a.entry(3)), hex("55 53 4154 4155 4883ec18"));
    assert_eq!(
        one::<A>(|a| a.load_reg_reg_offset(x64::R13, x64::RDI, 3)),
        hex("4c8b6f18")
    );
    // [r13 + 0] needs a disp8 (r13 shares RBP's low bits).
    assert_eq!(
        one::<A>(|a| a.load_reg_reg_offset(x64::RBP, x64::R13, 0)),
        hex("498b6d00")
    );
    assert_eq!(
        one::<A>(|a| a.mov_reg_reg(x64::R13, x64::RCX)),
        hex("4989cd")
    );
    // The reference tests "dh" for a bool test of RSI (no REX prefix): kept byte for byte.
    assert_eq!(
        one::<A>(|a| a
            .jump_if_reg_nonzero(x64::RSI, Label(0), true)
            .and_then(|_| a.label_assign(Label(0)))),
        hex("84f6 0f8500000000")
    );
    assert_eq!(
        one::<A>(|a| a.mov_reg_imm(x64::RDX, 0x40004)),
        hex("ba04000400")
    );
    assert_eq!(one::<A>(|a| a.call_ind(45, 3)), hex("488b8568010000 ffd0"));
    assert_eq!(one::<A>(|a| a.call_ind(3, 2)), hex("488b4518 ffd0"));
    assert_eq!(
        one::<A>(|a| a.add_reg_reg(x64::RSI, x64::R12)),
        hex("4c01e6")
    );
    assert_eq!(
        one::<A>(|a| a.mov_reg_reg(x64::R12, x64::RAX)),
        hex("4989c4")
    );
}

#[test]
fn exit_restores_what_entry_saved() {
    // ADD_VIPER's tail: add rsp, 24 written as "sub rsp, -24", pops, ret.
    assert_eq!(
        one::<A>(|a| a.entry(2).and_then(|_| a.exit())),
        hex("55 53 4154 4155 4883ec18 4883ece8 415d 415c 5b 5d c3")
    );
}

#[test]
fn backward_jumps_use_rel8_when_they_fit() {
    let code = assemble::<A>(2, |a| {
        a.label_assign(Label(0))?;
        a.mov_reg_reg(x64::RAX, x64::RBX)?;
        a.jump(Label(0))?;
        // A jump to its own offset is not "backward" for the reference: rel32.
        a.label_assign(Label(1))?;
        a.jump(Label(1))
    })
    .unwrap();
    assert_eq!(code, hex("4889d8 ebfb e9fbffffff"));
    let code = assemble::<A>(1, |a| {
        a.label_assign(Label(0))?;
        for _ in 0..200 {
            a.mov_reg_reg(x64::RAX, x64::RBX)?;
        }
        a.jump(Label(0))
    })
    .unwrap();
    // 600 bytes back, plus the 5 of the jmp itself: rel32 = -605.
    assert_eq!(&code[600..], &hex("e9a3fdffff")[..]);
}

#[test]
fn set_reg_cond_is_xor_cmp_setcc() {
    // Documented encoding (Intel SDM): xor eax-form, cmp rsi-vs-rdx, setl al.
    assert_eq!(
        one::<A>(|a| a.set_reg_cond(Cond::Lt, x64::RAX, x64::RSI, x64::RDX)),
        hex("4831c0 4839d6 0f9cc0")
    );
}

#[test]
fn narrow_loads_and_stores() {
    // Documented encodings (Intel SDM): movzx eax, byte [rdi]; movzx eax, word [rdi];
    // mov eax, [rdi]; mov [rdi], sil-less "mov [rdi], dh" form without REX; mov [rdi], si.
    assert_eq!(
        one::<A>(|a| a.load_sized(MemSize::B8, x64::RAX, x64::RDI)),
        hex("0fb607")
    );
    assert_eq!(
        one::<A>(|a| a.load_sized(MemSize::B16, x64::RAX, x64::RDI)),
        hex("0fb707")
    );
    assert_eq!(
        one::<A>(|a| a.load_sized(MemSize::B32, x64::RAX, x64::RDI)),
        hex("8b07")
    );
    assert_eq!(
        one::<A>(|a| a.store_sized(MemSize::B16, x64::RSI, x64::RDI)),
        hex("668937")
    );
    assert_eq!(
        one::<A>(|a| a.store_sized(MemSize::B32, x64::RDX, x64::R12)),
        hex("41891424")
    );
}

#[test]
fn errors_not_panics() {
    assert!(matches!(
        one_err(|a| a.lsl_reg_reg(x64::RAX, x64::RDX)),
        AsmError::BadRegister { .. }
    ));
    assert!(matches!(
        one_err(|a| a.load_sized(MemSize::B8, x64::RAX, x64::R12)),
        AsmError::BadRegister { .. }
    ));
    assert!(matches!(
        one_err(|a| a.mov_reg_reg(Reg(16), x64::RAX)),
        AsmError::BadRegister { .. }
    ));
    assert!(matches!(
        one_err(|a| a.jump(Label(3))),
        AsmError::LabelOutOfRange { label: 3, max: 0 }
    ));
    assert!(matches!(
        one_err(|a| a.mov_reg_arg(x64::RAX, 0)),
        AsmError::Unsupported { .. }
    ));
}

#[test]
fn a_label_that_moves_between_passes_is_an_error() {
    let calls = std::cell::Cell::new(0);
    let err = assemble::<A>(1, |a| {
        calls.set(calls.get() + 1);
        if calls.get() <= 2 {
            a.mov_reg_reg(x64::RAX, x64::RBX)?;
        }
        a.label_assign(Label(0))
    })
    .unwrap_err();
    assert_eq!(
        err,
        AsmError::LabelMoved {
            label: 0,
            computed: Some(3),
            emitted: 0
        }
    );
}

fn one_err(body: impl Fn(&mut A) -> asm::Result<()>) -> AsmError {
    assemble::<A>(0, body).unwrap_err()
}

const ORACLE: &str = include_str!("oracle/x64.hex");
/// `g(x)` (try/except) of native_try_gen.py.
const TRY: &str = "native_try_gen.1";
/// `gen(n)` (a generator) of native_try_gen.py.
const GEN: &str = "native_try_gen.2";
/// `ops` of viper_ops.py.
const OPS: &str = "viper_ops.1";
/// `mem` of viper_ops.py.
const MEM: &str = "viper_ops.2";

#[test]
fn forms_from_native_and_viper_functions() {
    // A frame too big for an imm8 adjustment: sub rsp, imm32 (and its negation on exit).
    common::check::<A>(ORACLE, TRY, "55 53 4154 4155 4881ec98000000", |a| {
        a.entry(18)
    });
    // Handler address: lea rbx, [rip + 0x4b].
    let code = assemble::<A>(1, |a| {
        a.mov_reg_pcrel(x64::RBX, Label(0))?;
        for _ in 0..0x4b {
            a.data(1, 0x90)?;
        }
        a.label_assign(Label(0))
    })
    .unwrap();
    assert_eq!(&code[..7], &hex("488d1d4b000000")[..]);
    common::assert_in_oracle(ORACLE, TRY, &code[..7]);
    common::check::<A>(ORACLE, TRY, "ffe3", |a| a.jump_reg(x64::RBX));
    common::check::<A>(ORACLE, TRY, "4831c0", |a| a.xor_reg_reg(x64::RAX, x64::RAX));
    common::check::<A>(ORACLE, TRY, "488d7c2450", |a| {
        a.mov_reg_local_addr(x64::RDI, 10)
    });
    common::check::<A>(ORACLE, TRY, "4889e7", |a| a.mov_reg_local_addr(x64::RDI, 0));
    // [rsp + 0x90]: SIB byte and disp32.
    common::check::<A>(ORACLE, TRY, "488b842490000000", |a| {
        a.mov_reg_local(x64::RAX, 18)
    });
    common::check::<A>(ORACLE, TRY, "4889442430", |a| a.mov_local_reg(6, x64::RAX));
    // A backward conditional jump that fits: jnz rel8 (test rbx, rbx first).
    let code = assemble::<A>(1, |a| {
        a.label_assign(Label(0))?;
        for _ in 0..0x2d {
            a.data(1, 0x90)?;
        }
        a.jump_if_reg_nonzero(x64::RBX, Label(0), false)
    })
    .unwrap();
    assert_eq!(&code[0x2d..], &hex("4885db 75ce")[..]);
    common::assert_in_oracle(ORACLE, TRY, &code[0x2d..]);
    // Generator entry: the state pointer moves to REG_GENERATOR_STATE (r13); r13-based loads.
    common::check::<A>(ORACLE, GEN, "4989fd", |a| {
        a.mov_reg_reg(A::REG_LOCAL_3, A::REG_ARG_1)
    });
    common::check::<A>(ORACLE, GEN, "498b4500 488b4018 488b6808", |a| {
        a.load_reg_reg_offset(A::REG_TEMP0, A::REG_LOCAL_3, 0)?;
        a.load_reg_reg_offset(A::REG_TEMP0, A::REG_TEMP0, 3)?;
        a.load_reg_reg_offset(A::REG_FUN_TABLE, A::REG_TEMP0, 1)
    });
    common::check::<A>(ORACLE, GEN, "4c01e8", |a| a.add_reg_reg(x64::RAX, x64::R13));
}

#[test]
fn viper_ops_and_memory() {
    common::check::<A>(ORACLE, OPS, "4c89e1 4889d8 48d3e0", |a| {
        a.mov_reg_reg(x64::RCX, x64::R12)?;
        a.mov_reg_reg(x64::RAX, x64::RBX)?;
        a.lsl_reg_reg(x64::RAX, x64::RCX)
    });
    common::check::<A>(ORACLE, OPS, "48d3f8", |a| a.asr_reg_reg(x64::RAX, x64::RCX));
    common::check::<A>(ORACLE, OPS, "490faff4", |a| {
        a.mul_reg_reg(x64::RSI, x64::R12)
    });
    common::check::<A>(ORACLE, OPS, "4831c0 4c39e6 0f9cc0", |a| {
        a.set_reg_cond(Cond::Lt, x64::RAX, x64::RSI, x64::R12)
    });
    common::check::<A>(ORACLE, OPS, "488934244889de4c21e6", |a| {
        a.mov_local_reg(0, x64::RSI)?;
        a.mov_reg_reg(x64::RSI, x64::RBX)?;
        a.and_reg_reg(x64::RSI, x64::R12)
    });
    common::check::<A>(ORACLE, MEM, "0fb607", |a| {
        a.load_sized(MemSize::B8, x64::RAX, x64::RDI)
    });
    common::check::<A>(ORACLE, MEM, "0fb707", |a| {
        a.load_sized(MemSize::B16, x64::RAX, x64::RDI)
    });
    common::check::<A>(ORACLE, MEM, "8b07", |a| {
        a.load_sized(MemSize::B32, x64::RAX, x64::RDI)
    });
    common::check::<A>(ORACLE, MEM, "8806", |a| {
        a.store_sized(MemSize::B8, x64::RAX, x64::RSI)
    });
    common::check::<A>(ORACLE, MEM, "668906", |a| {
        a.store_sized(MemSize::B16, x64::RAX, x64::RSI)
    });
    common::check::<A>(ORACLE, MEM, "8817", |a| {
        a.store_sized(MemSize::B8, x64::RDX, x64::RDI)
    });
    common::check::<A>(ORACLE, MEM, "4c8b6c2420", |a| a.mov_reg_local(x64::R13, 4));
}
