//! The inline Xtensa assembler (`@micropython.asm_xtensa`, py/emitinlinextensa.c of v1.11) on
//! [`asm::xtensa::AsmXtensa`].

use asm::xtensa::{cc, ccz, encode_rri8, encode_rrr, AsmXtensa};
use asm::{Asm, Label, Reg};
use mpcore::Qstr;
use syntax::Node;

use super::{base_align, base_data, AsmPass, ErrorSlot, Fault, InlineAsm, LabelNames, Operands};

/// How the operands of a three-operand instruction are read.
#[derive(Clone, Copy)]
enum Form {
    /// Three registers (RRR with `op1`, `op2`).
    Rrr(u32, u32),
    /// Two registers and an immediate (RRI8 with `op0`, `r`): the immediate's range is
    /// `min..=max`, stored shifted right by `shift`.
    Rri8 {
        op0: u32,
        r: u32,
        min: i32,
        max: i32,
        shift: u32,
    },
    /// Two registers and a label (a two-register branch with this condition).
    Branch(u32),
}

const fn imm(op0: u32, r: u32, shift: u32) -> Form {
    Form::Rri8 {
        op0,
        r,
        min: 0,
        max: 0xff << shift,
        shift,
    }
}

/// The three-operand instructions.
const THREE: &[(&[u8], Form)] = &[
    (b"and_", Form::Rrr(0, 1)),
    (b"or_", Form::Rrr(0, 2)),
    (b"xor", Form::Rrr(0, 3)),
    (b"add", Form::Rrr(0, 8)),
    (b"sub", Form::Rrr(0, 12)),
    (b"mull", Form::Rrr(2, 8)),
    (b"l8ui", imm(2, 0, 0)),
    (b"l16ui", imm(2, 1, 1)),
    (b"l32i", imm(2, 2, 2)),
    (b"s8i", imm(2, 4, 0)),
    (b"s16i", imm(2, 5, 1)),
    (b"s32i", imm(2, 6, 2)),
    (b"l16si", imm(2, 9, 1)),
    (
        b"addi",
        Form::Rri8 {
            op0: 2,
            r: 12,
            min: -128,
            max: 127,
            shift: 0,
        },
    ),
    (b"ball", Form::Branch(cc::ALL)),
    (b"bany", Form::Branch(cc::ANY)),
    (b"bbc", Form::Branch(cc::BC)),
    (b"bbs", Form::Branch(cc::BS)),
    (b"beq", Form::Branch(cc::EQ)),
    (b"bge", Form::Branch(cc::GE)),
    (b"bgeu", Form::Branch(cc::GEU)),
    (b"blt", Form::Branch(cc::LT)),
    (b"bnall", Form::Branch(cc::NALL)),
    (b"bne", Form::Branch(cc::NE)),
    (b"bnone", Form::Branch(cc::NONE)),
];

/// The inline Xtensa assembler of one compilation.
pub(crate) struct InlineXtensa {
    asm: AsmXtensa,
    pass: AsmPass,
    labels: LabelNames,
    slot: ErrorSlot,
}

impl InlineXtensa {
    /// An assembler with `max_num_labels` labels.
    pub(crate) fn new(max_num_labels: usize) -> Self {
        InlineXtensa {
            asm: <AsmXtensa as Asm>::new(max_num_labels),
            pass: AsmPass::CodeSize,
            labels: LabelNames::new(max_num_labels),
            slot: ErrorSlot::default(),
        }
    }

    fn err(&mut self, msg: String) {
        self.slot.syntax(msg);
    }

    fn op24(&mut self, v: u32) {
        let r = self.asm.op24(v);
        self.slot.check(r);
    }

    /// `get_arg_reg`: `a0`..`a15`.
    fn reg(&mut self, cx: &Operands<'_>, op: &str, pn: Node) -> u32 {
        let name = cx.name(pn);
        let num = match name {
            [b'a', d] if d.is_ascii_digit() => Some(u32::from(d - b'0')),
            [b'a', b'1', d] if (b'0'..=b'5').contains(d) => Some(10 + u32::from(d - b'0')),
            _ => None,
        };
        num.unwrap_or_else(|| {
            self.err(format!("'{op}' expects a register"));
            0
        })
    }

    /// `get_arg_i`: an integer in `min..=max` unless both are equal (then any).
    fn int(&mut self, cx: &Operands<'_>, op: &str, pn: Node, min: i32, max: i32) -> u32 {
        let Some(i) = cx.int(pn) else {
            self.err(format!("'{op}' expects an integer"));
            return 0;
        };
        if min != max && ((i as i32) < min || (i as i32) > max) {
            self.err(format!(
                "'{op}' integer {} isn't within range {min}..{max}",
                i as i32
            ));
            return 0;
        }
        i
    }

    /// `get_arg_label`: the label's number (`None` when unknown, for which the reference uses
    /// label 0; an error in the emit pass).
    fn label_num(&mut self, cx: &Operands<'_>, op: &str, pn: Node) -> Option<usize> {
        let Node::Id(q) = pn else {
            self.err(format!("'{op}' expects a label"));
            return None;
        };
        let n = self.labels.find(q);
        if n.is_none() && self.pass == AsmPass::Emit {
            self.err(format!("label '{}' not defined", cx.text(q)));
        }
        n
    }

    /// A branch through `f`, or three placeholder bytes when the label is unknown (a forward
    /// one in a code-size pass) or an error is pending (the reference writes a branch to its
    /// label 0, whose bytes are dropped).
    fn branch(
        &mut self,
        label: Option<usize>,
        f: impl FnOnce(&mut AsmXtensa, Label) -> asm::Result<()>,
    ) {
        let Some(l) = label.filter(|_| !self.slot.pending()) else {
            self.op24(0);
            return;
        };
        let r = f(&mut self.asm, Label(l));
        self.slot.check(r);
    }

    fn unknown(&mut self, op: &str, n_args: usize) {
        self.err(format!(
            "unsupported Xtensa instruction '{op}' with {n_args} arguments"
        ));
    }
}

fn reg(r: u32) -> Reg {
    Reg(r as u8)
}

impl InlineAsm for InlineXtensa {
    fn code_size_passes(&self) -> usize {
        2
    }

    fn start_pass(&mut self, pass: AsmPass) {
        self.pass = pass;
        super::start_pass(&mut self.asm, &mut self.labels, &mut self.slot, pass);
    }

    fn end_pass(&mut self) {
        super::end_pass(&mut self.asm, &mut self.slot);
    }

    fn count_params(&mut self, cx: &Operands<'_>, params: &[Node]) -> u32 {
        super::count_params(&mut self.slot, cx, params, "Xtensa", *b"a2", "a2 to a5")
    }

    fn label(&mut self, num: usize, name: Qstr) -> bool {
        let (asm, labels, slot) = (&mut self.asm, &mut self.labels, &mut self.slot);
        super::assign_label(asm, labels, slot, self.pass, (num, name))
    }

    fn align(&mut self, align: i64) {
        base_align(self.asm.base_mut(), &mut self.slot, align);
    }

    fn data(&mut self, bytesize: i64, val: i64) {
        base_data(self.asm.base_mut(), &mut self.slot, bytesize, val);
    }

    fn op(&mut self, cx: &Operands<'_>, op: Qstr, args: &[Node]) {
        let name = cx.pool.get(op);
        let op_str = cx.text(op);
        let op_s = op_str.as_str();
        match args.len() {
            0 => {
                if name == b"ret_n" {
                    let r = self.asm.op_ret_n();
                    self.slot.check(r);
                } else {
                    self.unknown(op_s, 0);
                }
            }
            1 => match name {
                b"callx0" | b"jx" => {
                    let r0 = self.reg(cx, op_s, args[0]);
                    let r = if name == b"jx" {
                        self.asm.op_jx(reg(r0))
                    } else {
                        self.asm.op_callx0(reg(r0))
                    };
                    self.slot.check(r);
                }
                b"j" => {
                    let l = self.label_num(cx, op_s, args[0]);
                    self.branch(l, |a, l| a.j_label(l));
                }
                _ => self.unknown(op_s, 1),
            },
            2 => {
                let r0 = self.reg(cx, op_s, args[0]);
                match name {
                    b"beqz" | b"bnez" => {
                        let cond = if name == b"beqz" { ccz::EQ } else { ccz::NE };
                        let l = self.label_num(cx, op_s, args[1]);
                        self.branch(l, |a, l| a.bccz_reg_label(cond, reg(r0), l));
                    }
                    b"mov" | b"mov_n" => {
                        let r1 = self.reg(cx, op_s, args[1]);
                        let r = self.asm.op_mov_n(reg(r0), reg(r1));
                        self.slot.check(r);
                    }
                    b"movi" => {
                        let i = self.int(cx, op_s, args[1], 0, 0);
                        let r = self.asm.mov_reg_i32(reg(r0), i);
                        self.slot.check(r);
                    }
                    _ => self.unknown(op_s, 2),
                }
            }
            3 => {
                let Some(&(_, form)) = THREE.iter().find(|(n, _)| *n == name) else {
                    return self.unknown(op_s, 3);
                };
                let r0 = self.reg(cx, op_s, args[0]);
                let r1 = self.reg(cx, op_s, args[1]);
                match form {
                    Form::Rrr(op1, op2) => {
                        let r2 = self.reg(cx, op_s, args[2]);
                        self.op24(encode_rrr(0, op1, op2, r0, r1, r2));
                    }
                    Form::Branch(cond) => {
                        let l = self.label_num(cx, op_s, args[2]);
                        self.branch(l, |a, l| a.bcc_reg_reg_label(cond, reg(r0), reg(r1), l));
                    }
                    Form::Rri8 {
                        op0,
                        r,
                        min,
                        max,
                        shift,
                    } => {
                        let i = self.int(cx, op_s, args[2], min, max);
                        self.op24(encode_rri8(op0, r, r1, r0, (i >> shift) & 0xff));
                    }
                }
            }
            n => self.unknown(op_s, n),
        }
    }

    fn take_fault(&mut self, refusal_too: bool) -> Option<Fault> {
        self.slot.take(refusal_too)
    }

    fn refused(&self) -> bool {
        self.slot.refused()
    }

    fn take_code(&mut self) -> Vec<u8> {
        self.asm.base_mut().take_code()
    }
}
