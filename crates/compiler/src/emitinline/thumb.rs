//! The inline Thumb assembler (`@micropython.asm_thumb`, py/emitinlinethumb.c of v1.11 as
//! mpy-cross builds it: ARMv7-M and float instructions on, for every ARM arch) on
//! [`asm::thumb::AsmThumb`].

use asm::thumb::{op, AsmThumb};
use asm::{Asm, Label, Reg};
use mpcore::{Arch, Qstr};
use syntax::{Node, Rule};

use super::{base_align, base_data, AsmPass, ErrorSlot, Fault, InlineAsm, LabelNames, Operands};

/// Register names and numbers (`r0`..`r15` and the aliases).
const REGS: &[(&[u8], u32)] = &[
    (b"r0", 0),
    (b"r1", 1),
    (b"r2", 2),
    (b"r3", 3),
    (b"r4", 4),
    (b"r5", 5),
    (b"r6", 6),
    (b"r7", 7),
    (b"r8", 8),
    (b"r9", 9),
    (b"r10", 10),
    (b"r11", 11),
    (b"r12", 12),
    (b"r13", 13),
    (b"r14", 14),
    (b"r15", 15),
    (b"sl", 10),
    (b"fp", 11),
    (b"sp", 13),
    (b"lr", 14),
    (b"pc", 15),
];

/// Special registers `mrs` reads.
const SPECIAL_REGS: &[(&[u8], u32)] = &[(b"IPSR", 5), (b"BASEPRI", 17)];

/// Condition names and codes.
const CONDS: &[(&[u8], u32)] = &[
    (b"eq", 0x0),
    (b"ne", 0x1),
    (b"cs", 0x2),
    (b"cc", 0x3),
    (b"mi", 0x4),
    (b"pl", 0x5),
    (b"vs", 0x6),
    (b"vc", 0x7),
    (b"hi", 0x8),
    (b"ls", 0x9),
    (b"ge", 0xa),
    (b"lt", 0xb),
    (b"gt", 0xc),
    (b"le", 0xd),
];

/// Two-low-register ALU operations (format 4) by name (`and_` is handled on its own).
const FORMAT_4: &[(&[u8], u16)] = &[
    (b"eor", op::FORMAT_4_EOR),
    (b"lsl", op::FORMAT_4_LSL),
    (b"lsr", op::FORMAT_4_LSR),
    (b"asr", op::FORMAT_4_ASR),
    (b"adc", op::FORMAT_4_ADC),
    (b"sbc", op::FORMAT_4_SBC),
    (b"ror", op::FORMAT_4_ROR),
    (b"tst", op::FORMAT_4_TST),
    (b"neg", op::FORMAT_4_NEG),
    (b"cmp", op::FORMAT_4_CMP),
    (b"cmn", op::FORMAT_4_CMN),
    (b"orr", op::FORMAT_4_ORR),
    (b"mul", op::FORMAT_4_MUL),
    (b"bic", op::FORMAT_4_BIC),
    (b"mvn", op::FORMAT_4_MVN),
];

/// Loads and stores with a 5-bit offset (formats 9 and 10): opcode and offset mask.
const FORMAT_9_10: &[(&[u8], u16, u32, u32)] = &[
    (
        b"ldr",
        op::FORMAT_9_LDR | op::FORMAT_9_WORD_TRANSFER,
        0x7c,
        2,
    ),
    (
        b"ldrb",
        op::FORMAT_9_LDR | op::FORMAT_9_BYTE_TRANSFER,
        0x1f,
        0,
    ),
    (b"ldrh", op::FORMAT_10_LDRH, 0x3e, 1),
    (
        b"str",
        op::FORMAT_9_STR | op::FORMAT_9_WORD_TRANSFER,
        0x7c,
        2,
    ),
    (
        b"strb",
        op::FORMAT_9_STR | op::FORMAT_9_BYTE_TRANSFER,
        0x1f,
        0,
    ),
    (b"strh", op::FORMAT_10_STRH, 0x3e, 1),
];

/// Three-register float arithmetic: name after the `v` and the opcode nibbles.
const VFP_3: &[(&[u8], u32)] = &[
    (b"add", 0x30),
    (b"sub", 0x34),
    (b"mul", 0x20),
    (b"div", 0x80),
];

/// Which branch form a branch instruction takes.
#[derive(Clone, Copy)]
enum Branch {
    /// `b`: 16-bit, 12-bit signed reach.
    B,
    /// `bl`: 32-bit, 23-bit reach.
    Bl,
    /// `b<cc>` / `b<cc>_n` (16-bit, 9-bit reach) or `b<cc>_w` (32-bit, unchecked).
    Bcc { cond: u32, wide: bool },
}

/// Which instructions the assembler takes beyond ARMv6-M's: mpy-cross up to 1.18 takes all
/// of them on every ARM arch; 1.19 on take the ARMv7-M ones (`clz`, `movw`, `it`, wide
/// branches, high-register `push`/`pop`, …) from armv7m up and the float ones from armv7emsp
/// up, and encode a `push` with `lr` or a `pop` with `pc` of low registers in 16 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ThumbGates {
    pub(crate) armv7m: bool,
    pub(crate) float: bool,
    pub(crate) short_push_lr_pop_pc: bool,
}

impl ThumbGates {
    /// Every instruction (1.11 to 1.18).
    pub(crate) const ALL: ThumbGates = ThumbGates {
        armv7m: true,
        float: true,
        short_push_lr_pop_pc: false,
    };

    /// 1.19 on: by the `-march=` arch.
    pub(crate) fn by_arch(arch: Arch) -> ThumbGates {
        let n = arch.number();
        ThumbGates {
            armv7m: (Arch::Armv7m.number()..=Arch::Armv7emdp.number()).contains(&n),
            float: (Arch::Armv7emsp.number()..=Arch::Armv7emdp.number()).contains(&n),
            short_push_lr_pop_pc: true,
        }
    }
}

/// The inline Thumb assembler of one compilation.
pub(crate) struct InlineThumb {
    asm: AsmThumb,
    pass: AsmPass,
    labels: LabelNames,
    slot: ErrorSlot,
    gates: ThumbGates,
}

impl InlineThumb {
    /// An assembler with `max_num_labels` labels; `arm_trampoline` under `-march=armv6`.
    pub(crate) fn new(max_num_labels: usize, arm_trampoline: bool, gates: ThumbGates) -> Self {
        let mut asm = <AsmThumb as Asm>::new(max_num_labels);
        asm.set_arm_trampoline(arm_trampoline);
        InlineThumb {
            asm,
            pass: AsmPass::CodeSize,
            labels: LabelNames::new(max_num_labels),
            slot: ErrorSlot::default(),
            gates,
        }
    }

    fn err(&mut self, msg: String) {
        self.slot.syntax(msg);
    }

    fn op16(&mut self, v: u32) {
        let r = self.asm.op16(v as u16);
        self.slot.check(r);
    }

    fn op32(&mut self, hi: u32, lo: u32) {
        let r = self.asm.op32(hi as u16, lo as u16);
        self.slot.check(r);
    }

    /// `get_arg_reg`: a core register no higher than `max`.
    fn reg(&mut self, cx: &Operands<'_>, op: &str, pn: Node, max: u32) -> u32 {
        let name = cx.name(pn);
        match REGS.iter().find(|(n, _)| *n == name) {
            Some(&(_, r)) if r > max => {
                self.err(format!("'{op}' expects at most r{max}"));
                0
            }
            Some(&(_, r)) => r,
            None => {
                self.err(format!("'{op}' expects a register"));
                0
            }
        }
    }

    /// `get_arg_special_reg`.
    fn special_reg(&mut self, cx: &Operands<'_>, op: &str, pn: Node) -> u32 {
        let name = cx.name(pn);
        match SPECIAL_REGS.iter().find(|(n, _)| *n == name) {
            Some(&(_, r)) => r,
            None => {
                self.err(format!("'{op}' expects a special register"));
                0
            }
        }
    }

    /// `get_arg_vfpreg`: `s0`..`s31` (digits after the `s`, counted in a wrapping word).
    fn vfp_reg(&mut self, cx: &Operands<'_>, op: &str, pn: Node) -> u32 {
        let name = cx.name(pn);
        if name.len() >= 2 && name[0] == b's' && name[1..].iter().all(u8::is_ascii_digit) {
            let n = name[1..].iter().fold(0u64, |acc, d| {
                acc.wrapping_mul(10).wrapping_add(u64::from(d - b'0'))
            });
            if n > 31 {
                self.err(format!("'{op}' expects at most r31"));
                return 0;
            }
            return n as u32;
        }
        self.err(format!("'{op}' expects an FPU register"));
        0
    }

    /// `get_arg_reglist`: `{r0, r1, ...}` as a bit mask.
    fn reglist(&mut self, cx: &Operands<'_>, op: &str, pn: Node) -> u32 {
        let bad = |s: &mut Self| {
            s.err(format!("'{op}' expects {{r0, r1, ...}}"));
            0
        };
        let Some(brace) = cx.kind(pn, Rule::AtomBrace) else {
            return bad(self);
        };
        let inner = cx.kids(brace).first().copied().unwrap_or(Node::Null);
        match inner {
            Node::Id(_) => 1 << self.reg(cx, op, inner, 15),
            Node::Struct(_) => {
                let Some(dsm) = cx.kind(inner, Rule::Dictorsetmaker) else {
                    return bad(self);
                };
                let kids = cx.kids(dsm);
                let tail = kids.get(1).copied().unwrap_or(Node::Null);
                let Some(list) = cx.kind(tail, Rule::DictorsetmakerList) else {
                    return bad(self);
                };
                let mut mask = 1 << self.reg(cx, op, kids[0], 15);
                let rest = cx.kids(list).first().copied().unwrap_or(Node::Null);
                for pn in cx.list(rest, Rule::DictorsetmakerList2) {
                    mask |= 1 << self.reg(cx, op, pn, 15);
                }
                mask
            }
            _ => bad(self),
        }
    }

    /// `get_arg_i`: an integer with no bits outside `fit_mask`.
    fn int(&mut self, cx: &Operands<'_>, op: &str, pn: Node, fit_mask: u32) -> u32 {
        let Some(i) = cx.int(pn) else {
            self.err(format!("'{op}' expects an integer"));
            return 0;
        };
        if i & !fit_mask != 0 {
            self.err(format!(
                "'{op}' integer 0x{i:x} doesn't fit in mask 0x{fit_mask:x}"
            ));
            return 0;
        }
        i
    }

    /// `get_arg_addr`: `[base, offset]`.
    fn addr(&mut self, cx: &Operands<'_>, op: &str, pn: Node) -> Option<(Node, Node)> {
        let a = cx.addr(pn);
        if a.is_none() {
            self.err(format!("'{op}' expects an address of the form [a, b]"));
        }
        a
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

    /// A branch to label `num`: the reference's range check on the distance it computes (an
    /// unplaced label counts as offset -1), then the encoder of crates/asm.
    fn branch(&mut self, label: Option<usize>, kind: Branch) {
        let here = self.asm.code_pos() as i64;
        let dest = match self.asm.base().label_offset(Label(label.unwrap_or(0))) {
            Ok(Some(d)) => d as i64,
            _ => -1,
        };
        let rel = dest - here - 4;
        let (bits, size) = match kind {
            Branch::B => (12, 2),
            Branch::Bl => (23, 4),
            Branch::Bcc { wide: false, .. } => (9, 2),
            Branch::Bcc { wide: true, .. } => (64, 4),
        };
        let fits = self.pass != AsmPass::Emit || bits >= 64 || {
            let half = 1i64 << (bits - 1);
            (-half..half).contains(&rel)
        };
        let num = match label {
            Some(n) if fits && !self.slot.pending() => n,
            _ => {
                if size == 2 {
                    self.op16(0);
                } else {
                    self.op32(0, 0);
                }
                if !fits {
                    self.err("branch not in range".to_string());
                }
                return;
            }
        };
        let label = Label(num);
        let r = match kind {
            Branch::B => self.asm.b_n_label(label),
            Branch::Bl => self.asm.bl_label(label),
            Branch::Bcc { cond, wide } => self.asm.bcc_nw_label(cond as u16, label, wide),
        };
        self.slot.check(r);
    }

    fn unknown(&mut self, op: &str, n_args: usize) {
        self.err(format!(
            "unsupported Thumb instruction '{op}' with {n_args} arguments"
        ));
    }

    /// The float (`v*`) instructions.
    fn op_vfp(&mut self, cx: &Operands<'_>, name: &[u8], op: &str, args: &[Node]) {
        match args.len() {
            2 => {
                let two = |hi: u32, lo: u32| Some((hi, lo));
                let form = match name {
                    b"vcmp" => two(0xeeb4, 0x0ac0),
                    b"vsqrt" => two(0xeeb1, 0x0ac0),
                    b"vneg" => two(0xeeb1, 0x0a40),
                    b"vcvt_f32_s32" => two(0xeeb8, 0x0ac0),
                    b"vcvt_s32_f32" => two(0xeebd, 0x0ac0),
                    _ => None,
                };
                if let Some((hi, lo)) = form {
                    let vd = self.vfp_reg(cx, op, args[0]);
                    let vm = self.vfp_reg(cx, op, args[1]);
                    self.op32(
                        hi | ((vd & 1) << 6),
                        lo | ((vd & 0x1e) << 11) | ((vm & 1) << 5) | ((vm & 0x1e) >> 1),
                    );
                    return;
                }
                match name {
                    b"vmrs" => {
                        let rd = if cx.name(args[0]) == b"APSR_nzcv" {
                            15
                        } else {
                            self.reg(cx, op, args[0], 15)
                        };
                        if cx.name(args[1]) == b"FPSCR" {
                            self.op32(0xeef1, 0x0a10 | (rd << 12));
                        } else {
                            self.unknown(op, 2);
                        }
                    }
                    b"vmov" => {
                        let (r_arm, vm, hi) = if cx.name(args[0]).first() == Some(&b'r') {
                            let r = self.reg(cx, op, args[0], 15);
                            let vm = self.vfp_reg(cx, op, args[1]);
                            (r, vm, 0xee10)
                        } else {
                            let vm = self.vfp_reg(cx, op, args[0]);
                            let r = self.reg(cx, op, args[1], 15);
                            (r, vm, 0xee00)
                        };
                        self.op32(
                            hi | ((vm & 0x1e) >> 1),
                            0x0a10 | (r_arm << 12) | ((vm & 1) << 7),
                        );
                    }
                    b"vldr" | b"vstr" => {
                        let hi = if name == b"vldr" { 0xed90 } else { 0xed80 };
                        let vd = self.vfp_reg(cx, op, args[0]);
                        if let Some((base, offset)) = self.addr(cx, op, args[1]) {
                            let rlo_base = self.reg(cx, op, base, 7);
                            let i8 = self.int(cx, op, offset, 0x3fc) >> 2;
                            self.op32(
                                hi | rlo_base | ((vd & 1) << 6),
                                0x0a00 | ((vd & 0x1e) << 11) | i8,
                            );
                        }
                    }
                    _ => self.unknown(op, 2),
                }
            }
            3 => {
                let Some(&(_, code)) = VFP_3.iter().find(|(n, _)| *n == &name[1..]) else {
                    return self.unknown(op, 3);
                };
                let hi = 0xee00 | (code & 0xf0);
                let lo = 0x0a00 | ((code & 0x0f) << 4);
                let vd = self.vfp_reg(cx, op, args[0]);
                let vn = self.vfp_reg(cx, op, args[1]);
                let vm = self.vfp_reg(cx, op, args[2]);
                self.op32(
                    hi | ((vd & 1) << 6) | (vn >> 1),
                    lo | (vm >> 1) | ((vm & 1) << 5) | ((vd & 0x1e) << 11) | ((vn & 1) << 7),
                );
            }
            n => self.unknown(op, n),
        }
    }

    fn op1(&mut self, cx: &Operands<'_>, name: &[u8], op: &str, arg: Node) {
        match name {
            b"b" => {
                let n = self.label_num(cx, op, arg);
                self.branch(n, Branch::B);
            }
            b"bl" => {
                let n = self.label_num(cx, op, arg);
                self.branch(n, Branch::Bl);
            }
            b"bx" => {
                let r = self.reg(cx, op, arg, 15);
                self.op16(0x4700 | (r << 3));
            }
            b"cpsid" => self.op16(op::CPSID_I.into()),
            b"cpsie" => self.op16(op::CPSIE_I.into()),
            b"push" | b"pop" => {
                let list = self.reglist(cx, op, arg);
                let push = name == b"push";
                // `lr` (push) or `pc` (pop) beside low registers: bit 8 of the 16-bit form.
                let short_extra = if push { 1 << 14 } else { 1 << 15 };
                if list & 0xff00 == 0 {
                    self.op16(if push { 0xb400 } else { 0xbc00 } | list);
                } else if self.gates.short_push_lr_pop_pc && list & 0xff00 == short_extra {
                    self.op16(if push { 0xb500 } else { 0xbd00 } | (list & 0xff));
                } else if self.gates.armv7m {
                    self.op32(if push { 0xe92d } else { 0xe8bd }, list);
                } else {
                    self.unknown(op, 1);
                }
            }
            _ if name[0] == b'b'
                && (name.len() == 3
                    || (name.len() == 5
                        && name[3] == b'_'
                        && (name[4] == b'n' || (self.gates.armv7m && name[4] == b'w')))) =>
            {
                let Some(&(_, cond)) = CONDS.iter().find(|(c, _)| *c == &name[1..3]) else {
                    return self.unknown(op, 1);
                };
                let n = self.label_num(cx, op, arg);
                let wide = name.len() == 5 && name[4] == b'w';
                self.branch(n, Branch::Bcc { cond, wide });
            }
            _ if self.gates.armv7m && name.starts_with(b"it") => {
                let arg_name = cx.name(arg);
                let Some(&(_, cond)) = CONDS.iter().find(|(c, _)| *c == arg_name) else {
                    return self.unknown(op, 1);
                };
                if name.len() > 5 {
                    return self.unknown(op, 1);
                }
                let mut mask = 8u32;
                for &c in name[2..].iter().rev() {
                    mask >>= 1;
                    match c {
                        b't' => mask |= (cond & 1) << 3,
                        b'e' => mask |= (!cond & 1) << 3,
                        _ => return self.unknown(op, 1),
                    }
                }
                let r = self.asm.it_cc(cond as u16, mask as u16);
                self.slot.check(r);
            }
            _ => self.unknown(op, 1),
        }
    }

    fn op2(&mut self, cx: &Operands<'_>, name: &[u8], op: &str, args: &[Node]) {
        if matches!(args[1], Node::Id(_)) {
            match name {
                b"mov" => {
                    let d = self.reg(cx, op, args[0], 15);
                    let s = self.reg(cx, op, args[1], 15);
                    let r = self.asm.mov_reg_reg(Reg(d as u8), Reg(s as u8));
                    self.slot.check(r);
                }
                b"clz" | b"rbit" if self.gates.armv7m => {
                    let (hi, lo) = if name == b"clz" {
                        (0xfab0, 0xf080)
                    } else {
                        (0xfa90, 0xf0a0)
                    };
                    let rd = self.reg(cx, op, args[0], 15);
                    let rm = self.reg(cx, op, args[1], 15);
                    self.op32(hi | rm, lo | (rd << 8) | rm);
                }
                b"mrs" if self.gates.armv7m => {
                    let rd = self.reg(cx, op, args[0], 12);
                    let sr = self.special_reg(cx, op, args[1]);
                    self.op32(0xf3ef, 0x8000 | (rd << 8) | sr);
                }
                _ => {
                    let code = if name == b"and_" {
                        op::FORMAT_4_AND
                    } else {
                        match FORMAT_4.iter().find(|(n, _)| *n == name) {
                            Some(&(_, c)) => c,
                            None => return self.unknown(op, 2),
                        }
                    };
                    let d = self.reg(cx, op, args[0], 7);
                    let s = self.reg(cx, op, args[1], 7);
                    let r = self.asm.format_4(code, Reg(d as u8), Reg(s as u8));
                    self.slot.check(r);
                }
            }
            return;
        }
        let format_3 = match name {
            b"mov" => Some(op::FORMAT_3_MOV),
            b"cmp" => Some(op::FORMAT_3_CMP),
            b"add" => Some(op::FORMAT_3_ADD),
            b"sub" => Some(op::FORMAT_3_SUB),
            _ => None,
        };
        if let Some(code) = format_3 {
            let d = self.reg(cx, op, args[0], 7);
            let i8 = self.int(cx, op, args[1], 0xff);
            let r = self.asm.format_3(code, Reg(d as u8), i8);
            self.slot.check(r);
            return;
        }
        match name {
            b"movw" | b"movt" if self.gates.armv7m => {
                let code = if name == b"movw" { op::MOVW } else { op::MOVT };
                let d = self.reg(cx, op, args[0], 15);
                let i = self.int(cx, op, args[1], 0xffff);
                let r = self.asm.mov_reg_i16(code, Reg(d as u8), i);
                self.slot.check(r);
            }
            b"movwt" if self.gates.armv7m => {
                let d = self.reg(cx, op, args[0], 15);
                let i = self.int(cx, op, args[1], 0xffff_ffff);
                let r = self.asm.mov_reg_i16(op::MOVW, Reg(d as u8), i & 0xffff);
                self.slot.check(r);
                let r = self.asm.mov_reg_i16(op::MOVT, Reg(d as u8), i >> 16);
                self.slot.check(r);
            }
            b"ldrex" if self.gates.armv7m => {
                let rd = self.reg(cx, op, args[0], 15);
                if let Some((base, offset)) = self.addr(cx, op, args[1]) {
                    let rb = self.reg(cx, op, base, 15);
                    let i8 = self.int(cx, op, offset, 0xff) >> 2;
                    self.op32(0xe850 | rb, 0x0f00 | (rd << 12) | i8);
                }
            }
            _ => {
                let Some(&(_, code, mask, shift)) = FORMAT_9_10.iter().find(|e| e.0 == name) else {
                    return self.unknown(op, 2);
                };
                let rd = self.reg(cx, op, args[0], 7);
                match self.addr(cx, op, args[1]) {
                    Some((base, offset)) => {
                        let rb = self.reg(cx, op, base, 7);
                        let i5 = self.int(cx, op, offset, mask) >> shift;
                        let r = self.asm.format_9_10(code, Reg(rd as u8), Reg(rb as u8), i5);
                        self.slot.check(r);
                    }
                    None => self.unknown(op, 2),
                }
            }
        }
    }

    fn op3(&mut self, cx: &Operands<'_>, name: &[u8], op: &str, args: &[Node]) {
        match name {
            b"lsl" | b"lsr" | b"asr" => {
                let code = match name {
                    b"lsl" => op::FORMAT_1_LSL,
                    b"lsr" => op::FORMAT_1_LSR,
                    _ => op::FORMAT_1_ASR,
                };
                let d = self.reg(cx, op, args[0], 7);
                let s = self.reg(cx, op, args[1], 7);
                let i5 = self.int(cx, op, args[2], 0x1f);
                let r = self.asm.format_1(code, Reg(d as u8), Reg(s as u8), i5);
                self.slot.check(r);
            }
            b"add" | b"sub" => {
                let mut code = if name == b"add" {
                    op::FORMAT_2_ADD
                } else {
                    op::FORMAT_2_SUB
                };
                let d = self.reg(cx, op, args[0], 7);
                let s = self.reg(cx, op, args[1], 7);
                let b = if matches!(args[2], Node::Id(_)) {
                    code |= op::FORMAT_2_REG_OPERAND;
                    self.reg(cx, op, args[2], 7)
                } else {
                    code |= op::FORMAT_2_IMM_OPERAND;
                    self.int(cx, op, args[2], 0x7)
                };
                let r = self.asm.format_2(code, Reg(d as u8), Reg(s as u8), b);
                self.slot.check(r);
            }
            b"sdiv" | b"udiv" if self.gates.armv7m => {
                let hi = if name == b"sdiv" { 0xfb90 } else { 0xfbb0 };
                let rd = self.reg(cx, op, args[0], 15);
                let rn = self.reg(cx, op, args[1], 15);
                let rm = self.reg(cx, op, args[2], 15);
                self.op32(hi | rn, 0xf0f0 | (rd << 8) | rm);
            }
            b"strex" if self.gates.armv7m => {
                let rd = self.reg(cx, op, args[0], 15);
                let rs = self.reg(cx, op, args[1], 15);
                if let Some((base, offset)) = self.addr(cx, op, args[2]) {
                    let rb = self.reg(cx, op, base, 15);
                    let i8 = self.int(cx, op, offset, 0xff) >> 2;
                    self.op32(0xe840 | rb, (rs << 12) | (rd << 8) | i8);
                }
            }
            _ => self.unknown(op, 3),
        }
    }
}

impl InlineAsm for InlineThumb {
    fn start_pass(&mut self, pass: AsmPass) {
        self.pass = pass;
        super::start_pass(&mut self.asm, &mut self.labels, &mut self.slot, pass);
    }

    fn end_pass(&mut self) {
        super::end_pass(&mut self.asm, &mut self.slot);
    }

    fn count_params(&mut self, cx: &Operands<'_>, params: &[Node]) -> u32 {
        super::count_params(&mut self.slot, cx, params, "Thumb", *b"r0", "r0 to r3")
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
        if self.gates.float && name.first() == Some(&b'v') {
            return self.op_vfp(cx, name, &op_str, args);
        }
        match args.len() {
            0 => match name {
                b"nop" => self.op16(op::NOP.into()),
                b"wfi" => self.op16(op::WFI.into()),
                _ => self.unknown(&op_str, 0),
            },
            1 => self.op1(cx, name, &op_str, args[0]),
            2 => self.op2(cx, name, &op_str, args),
            3 => self.op3(cx, name, &op_str, args),
            n => self.unknown(&op_str, n),
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
