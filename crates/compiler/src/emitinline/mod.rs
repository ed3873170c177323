//! Inline assemblers (`@micropython.asm_thumb`, `@micropython.asm_xtensa`): py/emitinlinethumb.c
//! and py/emitinlinextensa.c of MicroPython 1.11 on the encoders of crates/asm.
//!
//! An [`InlineAsm`] takes a function's statements one instruction at a time (the compiler's
//! walk in `compile/inline.rs` checks the statement shapes, `label()`, `align()` and `data()`),
//! not the expression stream of [`crate::emit::Emit`]. As mpy-cross does, the assembler is
//! chosen by the target's arch, not by the decorator's name: every ARM arch gets the Thumb
//! assembler (with the ARM-mode entry trampoline under `-march=armv6`), `xtensa` the Xtensa one.
//!
//! Errors follow the reference's error slot: every failing operand check overwrites the
//! pending error, so the last one of an instruction is the one reported. Where the reference
//! writes code mpyc will not (an encoder of crates/asm refuses it: a branch the reference
//! encodes wrongly, `align()` with a value that is not a power of two), the instruction gives a
//! [`Fault::Refused`] instead, unless a reference error is already pending.

pub(crate) mod thumb;
pub(crate) mod xtensa;

use mpcore::{Arch, Qstr, QstrPool};
use syntax::{ConstObj, Node, ParseTree, Rule, StructId};

/// Why an inline-assembler instruction failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// The reference's `SyntaxError`, with its message.
    Syntax(String),
    /// Code the reference writes but mpyc refuses (an encoder's error, as text).
    Refused(String),
}

/// Read access to the parse tree and qstrs for the operand parsers.
pub(crate) struct Operands<'t> {
    pub(crate) tree: &'t ParseTree,
    pub(crate) pool: &'t QstrPool,
}

impl<'t> Operands<'t> {
    /// The name of an id node (`get_arg_str`): empty for anything else.
    pub(crate) fn name(&self, pn: Node) -> &'t [u8] {
        match pn {
            Node::Id(q) => self.pool.get(q),
            _ => b"",
        }
    }

    /// The text of a qstr.
    pub(crate) fn text(&self, q: Qstr) -> String {
        String::from_utf8_lossy(self.pool.get(q)).into_owned()
    }

    /// `mp_parse_node_get_int_maybe` then `mp_obj_get_int_truncated`, cut to 32 bits: a small
    /// int or a big-int constant, in two's complement.
    pub(crate) fn int(&self, pn: Node) -> Option<u32> {
        match pn {
            Node::SmallInt(v) => Some(v as u32),
            Node::Struct(id) if id.1 == Rule::ConstObject => match self.tree.constant(id)? {
                ConstObj::Int(big) => {
                    let bytes = big.to_signed_bytes_le();
                    let fill = if big.sign() == num_bigint::Sign::Minus {
                        0xff
                    } else {
                        0
                    };
                    let mut b = [fill; 4];
                    for (d, s) in b.iter_mut().zip(bytes.iter()) {
                        *d = *s;
                    }
                    Some(u32::from_le_bytes(b))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The struct id of `pn` if it is a struct of `rule`.
    pub(crate) fn kind(&self, pn: Node, rule: Rule) -> Option<StructId> {
        match pn {
            Node::Struct(id) if id.1 == rule => Some(id),
            _ => None,
        }
    }

    /// The children of a struct node.
    pub(crate) fn kids(&self, id: StructId) -> &'t [Node] {
        self.tree.children(id)
    }

    /// `mp_parse_node_extract_list`.
    pub(crate) fn list(&self, pn: Node, rule: Rule) -> Vec<Node> {
        match pn {
            Node::Null => Vec::new(),
            Node::Struct(id) if id.1 == rule => self.kids(id).to_vec(),
            _ => vec![pn],
        }
    }

    /// An address operand `[base, offset]` (`get_arg_addr`).
    pub(crate) fn addr(&self, pn: Node) -> Option<(Node, Node)> {
        let outer = self.kind(pn, Rule::AtomBracket)?;
        let inner = self.kind(*self.kids(outer).first()?, Rule::TestlistComp)?;
        match self.kids(inner) {
            [base, offset] => Some((*base, *offset)),
            _ => None,
        }
    }
}

/// The label table of an inline assembler (`label_lookup`): names by label number, reset at
/// each code-size pass.
#[derive(Clone, Debug, Default)]
pub(crate) struct LabelNames {
    names: Vec<Option<Qstr>>,
}

impl LabelNames {
    /// A table of `n` labels.
    pub(crate) fn new(n: usize) -> Self {
        LabelNames {
            names: vec![None; n],
        }
    }

    /// Forgets every name (start of a code-size pass).
    pub(crate) fn clear(&mut self) {
        self.names.iter_mut().for_each(|n| *n = None);
    }

    /// Whether `name` is already a label.
    pub(crate) fn contains(&self, name: Qstr) -> bool {
        self.names.contains(&Some(name))
    }

    /// Names label `num`; false when `num` is beyond the table.
    pub(crate) fn set(&mut self, num: usize, name: Qstr) -> bool {
        match self.names.get_mut(num) {
            Some(slot) => {
                *slot = Some(name);
                true
            }
            None => false,
        }
    }

    /// The number of the label called `name`.
    pub(crate) fn find(&self, name: Qstr) -> Option<usize> {
        self.names.iter().position(|n| *n == Some(name))
    }
}

/// The pending error of the instruction being assembled (the reference's error slot), and
/// the first refusal, which waits: the reference goes on past the code mpyc refuses, so a later
/// error of its own is what it reports.
#[derive(Clone, Debug, Default)]
pub(crate) struct ErrorSlot {
    error: Option<String>,
    refusal: Option<String>,
}

impl ErrorSlot {
    /// A reference error: replaces whatever is pending.
    pub(crate) fn syntax(&mut self, msg: String) {
        self.error = Some(msg);
    }

    /// An encoder's result: its error is a refusal unless an error is already pending (the
    /// reference reports that one; the bytes are dropped anyway).
    pub(crate) fn check<T>(&mut self, r: asm::Result<T>) {
        if let Err(e) = r {
            if self.error.is_none() && self.refusal.is_none() {
                self.refusal = Some(e.to_string());
            }
        }
    }

    /// Whether a reference error is pending.
    pub(crate) fn pending(&self) -> bool {
        self.error.is_some()
    }

    /// Takes the pending reference error, or else the refusal.
    pub(crate) fn take(&mut self, refusal_too: bool) -> Option<Fault> {
        match self.error.take() {
            Some(e) => Some(Fault::Syntax(e)),
            None if refusal_too => self.refusal.take().map(Fault::Refused),
            None => None,
        }
    }

    /// Whether a refusal waits.
    pub(crate) fn refused(&self) -> bool {
        self.refusal.is_some()
    }
}

/// Which pass an inline assembler runs (compile.c runs one code-size pass, two for Xtensa,
/// then the emit pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AsmPass {
    /// Measures the code and places the labels.
    CodeSize,
    /// Writes the code.
    Emit,
}

/// One inline assembler, serving every inline-assembler function of a compilation.
pub(crate) trait InlineAsm {
    /// Code-size passes compile.c runs before the emit pass (Xtensa: 2, to size its literal
    /// table).
    fn code_size_passes(&self) -> usize {
        1
    }
    /// `start_pass`: label names reset at a code-size pass, then the entry sequence.
    fn start_pass(&mut self, pass: AsmPass);
    /// `end_pass`: the exit sequence.
    fn end_pass(&mut self);
    /// `count_params`: checks the parameter names and gives how many there are.
    fn count_params(&mut self, cx: &Operands<'_>, params: &[Node]) -> u32;
    /// `label`: false when the name is a label already (code-size pass).
    fn label(&mut self, num: usize, name: Qstr) -> bool;
    /// `mp_asm_base_align`.
    fn align(&mut self, align: i64);
    /// `mp_asm_base_data`.
    fn data(&mut self, bytesize: i64, val: i64);
    /// One instruction.
    fn op(&mut self, cx: &Operands<'_>, op: Qstr, args: &[Node]);
    /// The pending reference error, if any; with `refusal_too`, else the waiting refusal.
    fn take_fault(&mut self, refusal_too: bool) -> Option<Fault>;
    /// Whether a refusal waits (reported at the end of the function unless an error of the
    /// reference comes first).
    fn refused(&self) -> bool;
    /// The emit pass's machine code.
    fn take_code(&mut self) -> Vec<u8>;
}

/// The inline assembler of `arch` with room for `max_num_labels` labels (`None` for the x86
/// family and no arch, which have none); `thumb_by_arch`: the Thumb assembler takes the
/// arch's instructions only (1.19 on, [`thumb::ThumbGates::by_arch`]).
pub(crate) fn lookup(
    arch: Arch,
    max_num_labels: usize,
    thumb_by_arch: bool,
) -> Option<Box<dyn InlineAsm>> {
    let gates = if thumb_by_arch {
        thumb::ThumbGates::by_arch(arch)
    } else {
        thumb::ThumbGates::ALL
    };
    match arch {
        Arch::None | Arch::X86 | Arch::X64 => None,
        Arch::Xtensa => Some(Box::new(xtensa::InlineXtensa::new(max_num_labels))),
        Arch::Armv6 => Some(Box::new(thumb::InlineThumb::new(
            max_num_labels,
            true,
            gates,
        ))),
        _ => Some(Box::new(thumb::InlineThumb::new(
            max_num_labels,
            false,
            gates,
        ))),
    }
}

/// `start_pass` of either assembler: label names reset at a code-size pass, the crate's pass
/// begun, then the entry sequence (no locals).
pub(crate) fn start_pass<A: asm::Asm>(
    asm: &mut A,
    labels: &mut LabelNames,
    slot: &mut ErrorSlot,
    pass: AsmPass,
) {
    if pass == AsmPass::CodeSize {
        labels.clear();
    }
    asm.start_pass(match pass {
        AsmPass::CodeSize => asm::Pass::Compute,
        AsmPass::Emit => asm::Pass::Emit,
    });
    slot.check(asm.entry(0));
}

/// `end_pass` of either assembler: the exit sequence, then the crate's end of pass.
pub(crate) fn end_pass<A: asm::Asm>(asm: &mut A, slot: &mut ErrorSlot) {
    slot.check(asm.exit());
    slot.check(asm.end_pass());
}

/// `label` of either assembler: false when `name` is a label already in a code-size pass.
pub(crate) fn assign_label<A: asm::Asm>(
    asm: &mut A,
    labels: &mut LabelNames,
    slot: &mut ErrorSlot,
    pass: AsmPass,
    (num, name): (usize, Qstr),
) -> bool {
    if pass == AsmPass::CodeSize && labels.contains(name) {
        return false;
    }
    labels.set(num, name);
    slot.check(asm.label_assign(asm::Label(num)));
    true
}

/// `count_params` of either assembler: at most four parameters, named as the registers that
/// carry them (`first` and the three after it); `arch` and `range` go into the reference's
/// messages.
pub(crate) fn count_params(
    slot: &mut ErrorSlot,
    cx: &Operands<'_>,
    params: &[Node],
    arch: &str,
    first: [u8; 2],
    range: &str,
) -> u32 {
    if params.len() > 4 {
        slot.syntax(format!(
            "can only have up to 4 parameters to {arch} assembly"
        ));
        return 0;
    }
    for (i, &pn) in params.iter().enumerate() {
        let ok = matches!(pn, Node::Id(_)) && cx.name(pn) == [first[0], first[1] + i as u8];
        if !ok {
            slot.syntax(format!("parameters must be registers in sequence {range}"));
            return 0;
        }
    }
    params.len() as u32
}

/// The largest `data()` size written (the reference writes the value's 8 bytes, then zeros);
/// beyond it, as for a negative size, the reference tries a huge allocation.
const MAX_DATA_SIZE: usize = 1 << 16;

/// `align(n)` on the crate's code buffer, as `mp_asm_base_align` computes it for any `n` of 1
/// or more (`(offset + n - 1) & !(n - 1)`, which never goes back; a power of two aligns).
/// `n` of 0 or below moves the reference's offset backwards: refused.
pub(crate) fn base_align(base: &mut asm::AsmBase, slot: &mut ErrorSlot, align: i64) {
    match usize::try_from(align) {
        Ok(a) if a >= 1 => {
            let at = base.code_pos();
            let to = at.wrapping_add(a - 1) & !(a - 1);
            slot.check(base.reserve(to.wrapping_sub(at)).map(|_| ()));
        }
        _ => slot.check::<()>(Err(asm::AsmError::OutOfRange {
            arch: "inline assembler",
            what: "align() value below 1",
            value: align,
        })),
    }
}

/// `data(bytesize, val)`: the low bytes of `val`, little-endian, then zeros past 8 bytes.
pub(crate) fn base_data(base: &mut asm::AsmBase, slot: &mut ErrorSlot, bytesize: i64, val: i64) {
    match usize::try_from(bytesize) {
        Ok(n) if n <= 8 => slot.check(base.data(n, val as u64)),
        Ok(n) if n <= MAX_DATA_SIZE => {
            slot.check(base.data(8, val as u64));
            slot.check(base.write(&vec![0; n - 8]));
        }
        _ => slot.check::<()>(Err(asm::AsmError::OutOfRange {
            arch: "inline assembler",
            what: "data() size",
            value: bytesize,
        })),
    }
}
