//! `mov_reg_pcrel` of every back end computes its label's address: the sequence is evaluated
//! as the CPU would run it (x64 `lea [rip+d]`; x86 `call; pop; add`; Thumb `movw; add pc`;
//! ARM literal `ldr; add pc`; Xtensa `movi; call0; add.n a0`) at every start alignment and at
//! several distances, and for Xtensa the `call0` must land on the `add.n` after its padding.

mod common;

use asm::arm::AsmArm;
use asm::thumb::AsmThumb;
use asm::x64::AsmX64;
use asm::x86::AsmX86;
use asm::xtensa::AsmXtensa;
use asm::{Asm, Label};
use common::assemble;

fn sext(v: u32, bits: u32) -> i64 {
    let shift = 64 - bits;
    ((v as i64) << shift) >> shift
}

fn u32_at(c: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]])
}

/// Assembles `lead` filler bytes, `mov_reg_pcrel(REG_RET, label)`, `dist` filler bytes and the
/// label; returns the code, the sequence's start and end, and the label's offset.
fn build<A: Asm>(lead: usize, dist: usize, unit: usize) -> (Vec<u8>, usize, usize, usize) {
    let at = std::cell::Cell::new((0, 0, 0));
    let code = assemble::<A>(1, |a| {
        for _ in 0..lead / unit {
            a.data(unit, 0)?;
        }
        let start = a.code_pos();
        a.mov_reg_pcrel(A::REG_RET, Label(0))?;
        let end = a.code_pos();
        for _ in 0..dist / unit {
            a.data(unit, 0)?;
        }
        at.set((start, end, a.code_pos()));
        a.label_assign(Label(0))
    })
    .unwrap_or_else(|e| panic!("{}: lead {lead} dist {dist}: {e}", A::ARCH));
    let (s, e, l) = at.get();
    (code, s, e, l)
}

#[test]
fn x64_lea_rip() {
    for lead in 0..4 {
        for dist in [0, 1, 200, 70_000] {
            let (c, s, e, l) = build::<AsmX64>(lead, dist, 1);
            assert_eq!(e - s, 7);
            assert_eq!(e as i64 + u32_at(&c, s + 3) as i32 as i64, l as i64);
        }
    }
}

#[test]
fn x86_call_pop_add() {
    for lead in 0..4 {
        for dist in [0, 1, 200, 70_000] {
            let (c, s, e, l) = build::<AsmX86>(lead, dist, 1);
            assert_eq!((c[s], c[s + 5], c[s + 6]), (0xe8, 0x58, 0x81));
            // pop gives the address after the call; add imm32.
            assert_eq!((s + 5) as i64 + u32_at(&c, e - 4) as i32 as i64, l as i64);
        }
    }
}

#[test]
fn thumb_movw_add_pc() {
    // The offset is taken from 8 bytes past the start: a label right after the 6-byte
    // sequence would need a negative movw immediate (the reference writes 0xffff there).
    let e = assemble::<AsmThumb>(1, |a| {
        a.mov_reg_pcrel(AsmThumb::REG_RET, Label(0))?;
        a.label_assign(Label(0))
    })
    .unwrap_err();
    assert!(
        matches!(e, asm::AsmError::OutOfRange { value: -1, .. }),
        "{e}"
    );
    for lead in [0, 2, 4, 6] {
        for dist in [2, 4, 200, 60_000] {
            let (c, s, _e, l) = build::<AsmThumb>(lead, dist, 2);
            let (hi, lo) = (
                u16::from_le_bytes([c[s], c[s + 1]]),
                u16::from_le_bytes([c[s + 2], c[s + 3]]),
            );
            let imm16 = (((hi & 0xf) as i64) << 12)
                | ((((hi >> 10) & 1) as i64) << 11)
                | ((((lo >> 12) & 7) as i64) << 8)
                | (lo & 0xff) as i64;
            // add rd, pc: pc reads 4 ahead of the add at s + 4; the Thumb bit is set.
            let value = imm16 + (s + 4 + 4) as i64;
            assert_eq!(value & 1, 1);
            assert_eq!(value & !1, l as i64, "lead {lead} dist {dist}");
        }
    }
}

#[test]
fn arm_literal_add_pc() {
    for lead in [0, 4, 8] {
        for dist in [0, 4, 400, 1_000_000] {
            let (c, s, _e, l) = build::<AsmArm>(lead, dist, 4);
            // ldr rd, [pc]; b pc; .word rel; add rd, rd, pc (pc reads 8 ahead of the add).
            let value = u32_at(&c, s + 8) as i32 as i64 + (s + 12 + 8) as i64;
            assert_eq!(value, l as i64, "lead {lead} dist {dist}");
        }
    }
}

#[test]
fn xtensa_movi_call0_add() {
    for lead in 0..4 {
        for dist in [0, 1, 100, 2000] {
            let (c, s, e, l) = build::<AsmXtensa>(lead, dist, 1);
            let movi = u32::from_le_bytes([c[s], c[s + 1], c[s + 2], 0]);
            let imm12 = sext((((movi >> 8) & 0xf) << 8) | (movi >> 16), 12);
            let call0 = s + 3;
            let w = u32::from_le_bytes([c[call0], c[call0 + 1], c[call0 + 2], 0]);
            assert_eq!(w & 0x3f, 0x05, "call0 opcode");
            let target = (call0 & !3) as i64 + sext(w >> 6, 18) * 4 + 4;
            assert_eq!(
                target,
                (e - 2) as i64,
                "call0 lands on the add.n (lead {lead})"
            );
            // a0 = call0 + 3; add.n rd, rd, a0.
            assert_eq!(
                imm12 + (call0 + 3) as i64,
                l as i64,
                "lead {lead} dist {dist}"
            );
        }
    }
}
