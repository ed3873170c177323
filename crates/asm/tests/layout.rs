//! Moving a compute pass's layout before an emit pass (`AsmBase::shift_layout`) and the
//! layout move Xtensa's literal table carries from pass to pass (`Asm::carried_move`).

use asm::thumb::{AsmThumb, R0};
use asm::xtensa::{AsmXtensa, A2};
use asm::{Asm, AsmError, Label, Pass};

/// `movs r0, #imm` or `movw r0, #imm`, a label, and a backward branch to it.
fn thumb_pass(a: &mut AsmThumb, pass: Pass, imm: i64) -> asm::Result<()> {
    a.start_pass(pass);
    a.mov_reg_imm(R0, imm)?;
    a.label_assign(Label(0))?;
    a.mov_reg_imm(R0, 1)?;
    a.jump(Label(0))?;
    a.end_pass()
}

#[test]
fn shifted_layout_lets_the_emit_pass_follow_a_grown_call() {
    let mut a = AsmThumb::new(1);
    thumb_pass(&mut a, Pass::Compute, 5).unwrap();
    assert_eq!(a.code_pos(), 6, "movs, movs, b.n");
    // movw takes two bytes more than movs: without the move the label is off.
    assert!(matches!(
        thumb_pass(&mut a, Pass::Emit, 300),
        Err(AsmError::LabelMoved { label: 0, .. })
    ));

    let mut a = AsmThumb::new(1);
    thumb_pass(&mut a, Pass::Compute, 5).unwrap();
    assert!(a.base_mut().shift_layout(&[(0, 2)]));
    thumb_pass(&mut a, Pass::Emit, 300).unwrap();
    let code = a.code().to_vec();

    let mut b = AsmThumb::new(1);
    thumb_pass(&mut b, Pass::Compute, 300).unwrap();
    thumb_pass(&mut b, Pass::Emit, 300).unwrap();
    assert_eq!(
        code,
        b.code(),
        "the same bytes as a compute pass made with movw"
    );
}

#[test]
fn shift_past_the_code_range_is_refused() {
    let mut a = AsmThumb::new(1);
    thumb_pass(&mut a, Pass::Compute, 5).unwrap();
    assert!(!a.base_mut().shift_layout(&[(0, -100)]));
    assert!(!a.base_mut().shift_layout(&[(0, isize::MAX)]));
}

#[test]
fn xtensa_literal_table_moves_by_the_last_pass_count() {
    let mut a = AsmXtensa::new(1);
    a.start_pass(Pass::Compute);
    assert_eq!(a.carried_move(), None, "no table yet in this pass");
    a.entry(0).unwrap();
    a.mov_reg_imm(A2, 0x12345).unwrap();
    a.mov_reg_imm(A2, 0x54321).unwrap();
    a.end_pass().unwrap();
    // The table (after `j` and a pad byte) had no literal; the next pass's has two.
    assert_eq!(a.carried_move(), Some((4, 8)));

    a.start_pass(Pass::Compute);
    a.entry(0).unwrap();
    a.mov_reg_imm(A2, 7).unwrap();
    a.end_pass().unwrap();
    // That pass's table had two literals and it used none.
    assert_eq!(a.carried_move(), Some((4, -8)));
}
