//! Every back end's jumps land on their labels: forward and backward, near and far, each
//! branch decoded as its CPU reads it (Intel SDM, ARMv7-M and ARM ARM, Xtensa ISA), so a wrong
//! bias or field split at distances the oracle outputs do not show cannot hide.

mod common;

use asm::arm::AsmArm;
use asm::thumb::AsmThumb;
use asm::x64::AsmX64;
use asm::x86::AsmX86;
use asm::xtensa::AsmXtensa;
use asm::{Asm, Label, Result};
use common::assemble;

#[derive(Clone, Copy, Debug)]
enum Kind {
    Jump,
    IfZero,
    IfEq,
}

fn sext(v: u32, bits: u32) -> i64 {
    let shift = 64 - bits;
    ((v as i64) << shift) >> shift
}

fn u16_at(c: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([c[i], c[i + 1]])
}

fn u32_at(c: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]])
}

/// Target of the jump ending at `end`, for x86 and x64 (rel8 or rel32 after the instruction).
fn target_x86(c: &[u8], start: usize, end: usize) -> i64 {
    let n = end - start;
    let rel32 = (n >= 6 && c[end - 6] == 0x0f && c[end - 5] & 0xf0 == 0x80)
        || (n >= 5 && c[end - 5] == 0xe9);
    if rel32 {
        end as i64 + u32_at(c, end - 4) as i32 as i64
    } else {
        end as i64 + c[end - 1] as i8 as i64
    }
}

/// Target of the branch ending at `end`, for Thumb-2.
fn target_thumb(c: &[u8], start: usize, end: usize, kind: Kind) -> i64 {
    let n = end - start;
    let wide = match kind {
        Kind::Jump => n == 4,
        _ => n == 6,
    };
    if wide {
        let (hi, lo) = (u16_at(c, end - 4), u16_at(c, end - 2));
        let pc = end as i64;
        let s = ((hi >> 10) & 1) as u32;
        let (j1, j2) = (((lo >> 13) & 1) as u32, ((lo >> 11) & 1) as u32);
        if lo & 0x1000 != 0 {
            // b.w (T4)
            let (i1, i2) = (1 ^ (j1 ^ s), 1 ^ (j2 ^ s));
            let imm = (s << 24)
                | (i1 << 23)
                | (i2 << 22)
                | (((hi & 0x3ff) as u32) << 12)
                | (((lo & 0x7ff) as u32) << 1);
            pc + sext(imm, 25)
        } else {
            // b<cc>.w (T3)
            let imm = (s << 20)
                | (j2 << 19)
                | (j1 << 18)
                | (((hi & 0x3f) as u32) << 12)
                | (((lo & 0x7ff) as u32) << 1);
            pc + sext(imm, 21)
        }
    } else {
        let op = u16_at(c, end - 2);
        let pc = end as i64 + 2;
        if op & 0xf800 == 0xe000 {
            pc + sext(((op & 0x7ff) as u32) << 1, 12)
        } else {
            pc + sext(((op & 0xff) as u32) << 1, 9)
        }
    }
}

/// Target of the branch ending at `end`, for ARM (b<cond> imm24).
fn target_arm(c: &[u8], end: usize) -> i64 {
    let w = u32_at(c, end - 4);
    (end as i64 - 4) + 8 + sext(w & 0xff_ffff, 24) * 4
}

/// Target of the branch ending at `end`, for Xtensa (j, beqz/bnez, beq).
fn target_xtensa(c: &[u8], end: usize, kind: Kind) -> i64 {
    let start = end - 3;
    let w = u32::from_le_bytes([c[start], c[start + 1], c[start + 2], 0]);
    let off = match kind {
        Kind::Jump => sext(w >> 6, 18),
        Kind::IfZero => sext(w >> 12, 12),
        Kind::IfEq => sext(w >> 16, 8),
    };
    start as i64 + 4 + off
}

fn emit_branch<A: Asm>(a: &mut A, kind: Kind, label: Label) -> Result<()> {
    match kind {
        Kind::Jump => a.jump(label),
        Kind::IfZero => a.jump_if_reg_zero(A::REG_ARG_1, label, false),
        Kind::IfEq => a.jump_if_reg_eq(A::REG_ARG_1, A::REG_ARG_2, label),
    }
}

/// Assembles a branch `dist` filler bytes before (forward) or after (backward) its label and
/// returns (decoded target, label offset).
fn land<A: Asm>(
    kind: Kind,
    dist: usize,
    unit: usize,
    forward: bool,
    decode: fn(&[u8], usize, usize, Kind) -> i64,
) -> (i64, i64) {
    let span = std::cell::Cell::new((0, 0));
    let label_at = std::cell::Cell::new(0);
    let code = assemble::<A>(1, |a| {
        let fill = |a: &mut A| -> Result<()> {
            for _ in 0..dist / unit {
                a.data(unit, 0)?;
            }
            Ok(())
        };
        if !forward {
            a.label_assign(Label(0))?;
            label_at.set(a.code_pos());
            fill(a)?;
        }
        let start = a.code_pos();
        emit_branch(a, kind, Label(0))?;
        span.set((start, a.code_pos()));
        if forward {
            fill(a)?;
            label_at.set(a.code_pos());
            a.label_assign(Label(0))?;
        }
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{kind:?} over {dist} bytes: {e}"));
    let (start, end) = span.get();
    (decode(&code, start, end, kind), label_at.get() as i64)
}

fn check_all<A: Asm>(
    cases: &[(Kind, usize)],
    unit: usize,
    decode: fn(&[u8], usize, usize, Kind) -> i64,
) {
    for &(kind, dist) in cases {
        for forward in [true, false] {
            let (target, label) = land::<A>(kind, dist, unit, forward, decode);
            assert_eq!(
                target,
                label,
                "{} {kind:?} {} {dist} bytes",
                A::ARCH,
                if forward { "forward" } else { "back" }
            );
        }
    }
}

const ALL: [Kind; 3] = [Kind::Jump, Kind::IfZero, Kind::IfEq];

fn cases(dists: &[usize], kinds: &[Kind]) -> Vec<(Kind, usize)> {
    kinds
        .iter()
        .flat_map(|k| dists.iter().map(move |d| (*k, *d)))
        .collect()
}

#[test]
fn x64_branches_land() {
    check_all::<AsmX64>(
        &cases(&[0, 1, 100, 125, 126, 127, 128, 129, 200, 70_000], &ALL),
        1,
        |c, s, e, _| target_x86(c, s, e),
    );
}

#[test]
fn x86_branches_land() {
    check_all::<AsmX86>(
        &cases(&[0, 1, 100, 125, 126, 127, 128, 129, 200, 70_000], &ALL),
        1,
        |c, s, e, _| target_x86(c, s, e),
    );
}

#[test]
fn thumb_branches_land() {
    // Unconditional: narrow within 2 KiB back, wide otherwise (b.w reaches 4 MiB here).
    check_all::<AsmThumb>(
        &cases(
            &[
                0, 2, 250, 252, 254, 256, 2040, 2044, 2046, 2048, 5000, 100_000,
            ],
            &[Kind::Jump],
        ),
        2,
        target_thumb,
    );
    // Conditional: narrow within 256 bytes back, wide up to the 4 KiB the reference's encoding keeps.
    check_all::<AsmThumb>(
        &cases(
            &[0, 2, 250, 252, 254, 256, 1000, 4000],
            &[Kind::IfZero, Kind::IfEq],
        ),
        2,
        target_thumb,
    );
}

#[test]
fn arm_branches_land() {
    check_all::<AsmArm>(&cases(&[0, 4, 1024, 1_000_000], &ALL), 4, |c, _, e, _| {
        target_arm(c, e)
    });
}

#[test]
fn xtensa_branches_land() {
    let decode = |c: &[u8], _s: usize, e: usize, k: Kind| target_xtensa(c, e, k);
    check_all::<AsmXtensa>(
        &cases(&[0, 1, 100, 2000, 100_000], &[Kind::Jump]),
        1,
        decode,
    );
    check_all::<AsmXtensa>(&cases(&[0, 1, 100, 2000], &[Kind::IfZero]), 1, decode);
    check_all::<AsmXtensa>(&cases(&[0, 1, 100, 120], &[Kind::IfEq]), 1, decode);
}
