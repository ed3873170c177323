//! Machine-code encoders of MicroPython 1.11's native emitter, one module per architecture
//! behind the generic assembler API [`Asm`].
//!
//! [`Asm`] is the reference's `GENERIC_ASM_API` (the `ASM_*` macros and `REG_*` constants of
//! py/asmx64.h, asmx86.h, asmthumb.h, asmarm.h and asmxtensa.h), plus one method or capability
//! constant for every place where py/emitnative.c calls an architecture directly, so that a
//! native emitter written against [`Asm`] never names an architecture. [`AsmBase`] is the
//! shared code buffer and label table (py/asmbase.c). This crate knows nothing of Python: no
//! qstrs, no parse trees, no `mp_fun_table` layout; the emitter passes function-table indices
//! and argument counts.
//!
//! Every method returns a [`Result`]: an operand out of an encoding's range, a register an
//! encoding cannot name, or a label that moved between passes is an [`AsmError`], never wrong
//! bytes or a panic.
//!
//! Where the reference writes code this crate refuses (the emitter should turn these into a
//! clean error naming the construct):
//! - any arch: a label that moved between the last compute pass and the emit pass (the
//!   reference's `mp_asm_base_label_assign` assertion aborts);
//! - Thumb: a conditional `b<cc>.w` farther than 4 KiB (the reference packs offset bits 12-19
//!   into the wrong fields: its beq.w over a 7488-byte body decodes to +527680; in CPython's
//!   stdlib under `-X emit=native -march=armv7m`, 4 of the 1,179 files it compiles have such a
//!   branch aimed outside its function, 58 have a function over 4 KiB), a backward
//!   pc-relative address (its `movw` cannot hold a negative offset), frames of 512 words or more,
//!   `ASM_STORE_REG_REG_OFFSET` beyond word 31 (its 5-bit field wraps: generator state);
//! - ARM: frames over 63 words and local addresses beyond word 63 (it writes an unrotated imm8,
//!   so bigger values are masked), `mul` with rd == rm (it asserts), a branch beyond 32 MiB (it
//!   prints a message and emits nothing);
//! - Xtensa: `j`, `beqz/bnez`, `beq`-style branches and pc-relative `movi` beyond their 18-, 12-,
//!   8- and 12-bit ranges (it prints "out of range" or writes a truncated field), a literal
//!   beyond the table (it writes over the code), `ASM_LOAD/STORE_REG_REG_OFFSET` beyond word 15
//!   (the 4-bit field of `l32i.n`/`s32i.n` wraps: measured, a module of 20 functions under
//!   `-X emit=native` loads `mp_fun_table` in place of its 16th function; 102 of the 925 stdlib
//!   files the reference compiles with `-X emit=native -march=xtensa` have a const-table index
//!   of 16 or more, 15 of 419 with `-X emit=viper`; this one is written as the reference
//!   writes it and noted through [`Asm::take_refusal`], not returned as an error, so that an
//!   emitter can go on and find the reference's own later errors);
//! - x64/x86: displacements or jumps beyond 32 bits; x86 calls with more than 5 arguments.

pub mod arm;
mod base;
pub mod thumb;
pub mod x64;
pub mod x86;
pub mod xtensa;

pub use base::{shifted, AsmBase, Pass, MAX_CODE_SIZE};

use thiserror::Error;

/// A machine register, numbered as the architecture's encodings number it (x64: RAX=0 ..
/// R15=15; x86: EAX=0 .. EDI=7; Thumb/ARM: r0..r15; Xtensa: a0..a15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u8);

/// A label: an index into the assembler's label table, assigned once per pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(pub usize);

/// Width of a memory access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemSize {
    /// 8 bits, zero-extended on load.
    B8,
    /// 16 bits, zero-extended on load.
    B16,
    /// 32 bits (zero-extended on load on 64-bit machines).
    B32,
}

impl MemSize {
    /// Size in bytes.
    pub fn bytes(self) -> usize {
        match self {
            MemSize::B8 => 1,
            MemSize::B16 => 2,
            MemSize::B32 => 4,
        }
    }
}

/// A signed comparison between two registers, as viper's `<`, `>`, `==`, `<=`, `>=`, `!=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cond {
    /// `lhs < rhs`
    Lt,
    /// `lhs > rhs`
    Gt,
    /// `lhs == rhs`
    Eq,
    /// `lhs <= rhs`
    Le,
    /// `lhs >= rhs`
    Ge,
    /// `lhs != rhs`
    Ne,
}

/// Why an instruction could not be assembled.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AsmError {
    /// A label number beyond the table given to [`AsmBase::new`].
    #[error("label {label} out of range (the assembler has {max} labels)")]
    LabelOutOfRange { label: usize, max: usize },
    /// A label assigned twice in one compute pass.
    #[error("label {label} assigned twice in one pass")]
    LabelReassigned { label: usize },
    /// A label that is not where the compute pass put it (the code changed size between
    /// passes); the reference asserts in `mp_asm_base_label_assign` here.
    #[error("label {label} moved between passes (computed at {computed:?}, emitted at {emitted})")]
    LabelMoved {
        label: usize,
        computed: Option<usize>,
        emitted: usize,
    },
    /// A label used in the emit pass that no pass assigned.
    #[error("label {label} used but never assigned")]
    LabelUndefined { label: usize },
    /// The emit pass wrote more bytes than the compute pass measured.
    #[error("code grew between passes beyond the {size} bytes measured")]
    CodeGrew { size: usize },
    /// An immediate, offset or branch distance the encoding cannot hold.
    #[error("{arch}: {what} {value} out of range")]
    OutOfRange {
        arch: &'static str,
        what: &'static str,
        value: i64,
    },
    /// A register the encoding cannot name (e.g. a high register in a Thumb low-register form).
    #[error("{arch}: register {reg} cannot be used in {what}")]
    BadRegister {
        arch: &'static str,
        what: &'static str,
        reg: u8,
    },
    /// An operation the architecture's assembler does not have.
    #[error("{arch}: {what} is not available")]
    Unsupported {
        arch: &'static str,
        what: &'static str,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = AsmError> = std::result::Result<T, E>;

/// The generic assembler API of MicroPython 1.11's native emitter: what `ASM_*` and `REG_*`
/// mean on one architecture. This is the trait the native emitter (`NativeEmitter<A: Asm>`)
/// is written against.
///
/// Conventions: the destination comes first; "local" N is word N of the function's stack
/// frame as [`Asm::entry`] allocated it; immediates are `i64` and 32-bit architectures take
/// their low 32 bits, as the reference (built on a 64-bit host) does when it passes an
/// `mp_int_t` to a 32-bit encoder.
///
/// Passes, as compile.c drives them for every native scope: a stack-size pass and a code-size
/// pass (both [`Pass::Compute`]), then [`Pass::Emit`], each opened with [`Asm::start_pass`] and
/// closed with [`Asm::end_pass`]. One assembler serves the whole compile, scope after scope, as
/// in the reference: state carries over (Xtensa sizes its literal table from the previous pass,
/// including the previous scope's emit pass), so a fresh assembler per scope would change bytes.
/// An [`AsmError::LabelMoved`] in the emit pass is where the reference aborts; an emitter may
/// report it, or run another compute pass and retry.
pub trait Asm {
    /// The `-march` name of the architecture (`x64`, `x86`, `armv7m`, `armv6`, `xtensa`).
    const ARCH: &'static str;
    /// `ASM_WORD_SIZE`: bytes in a machine word.
    const WORD_SIZE: usize;

    /// `REG_RET`: where a called function leaves its result.
    const REG_RET: Reg;
    /// `REG_ARG_1`: first argument of a call (and of the function being entered, except on
    /// x86 where arguments arrive on the stack: see [`Asm::ARGS_IN_REGS`]).
    const REG_ARG_1: Reg;
    /// `REG_ARG_2`.
    const REG_ARG_2: Reg;
    /// `REG_ARG_3`.
    const REG_ARG_3: Reg;
    /// `REG_ARG_4`.
    const REG_ARG_4: Reg;
    /// `REG_ARG_5`, where the architecture has a fifth argument register.
    const REG_ARG_5: Option<Reg>;
    /// `REG_TEMP0`: caller-saved scratch register.
    const REG_TEMP0: Reg;
    /// `REG_TEMP1`.
    const REG_TEMP1: Reg;
    /// `REG_TEMP2`.
    const REG_TEMP2: Reg;
    /// `REG_LOCAL_1`: callee-saved register that can hold a local.
    const REG_LOCAL_1: Reg;
    /// `REG_LOCAL_2`.
    const REG_LOCAL_2: Reg;
    /// `REG_LOCAL_3` (also `REG_GENERATOR_STATE`).
    const REG_LOCAL_3: Reg;
    /// `REG_LOCAL_NUM`: how many locals can live in registers.
    const REG_LOCAL_NUM: usize = 3;
    /// `REG_FUN_TABLE`: holds the pointer to `mp_fun_table`.
    const REG_FUN_TABLE: Reg;

    /// `NLR_BUF_IDX_LOCAL_1` of emitn*.c: word index in `nlr_buf_t` where the nlr saves
    /// `REG_LOCAL_1`.
    const NLR_BUF_IDX_LOCAL_1: usize;
    /// `NLR_BUF_IDX_LOCAL_2`.
    const NLR_BUF_IDX_LOCAL_2: usize;
    /// `NLR_BUF_IDX_LOCAL_3`.
    const NLR_BUF_IDX_LOCAL_3: usize;

    /// Whether the entered function's arguments arrive in `REG_ARG_1..4` (false on x86, where
    /// the emitter fetches them with [`Asm::mov_reg_arg`]: emitnative.c's `#if N_X86` blocks).
    const ARGS_IN_REGS: bool = true;
    /// `Some(reg)` where a shift count must be in one fixed register (x64 RCX, x86 ECX): the
    /// emitter then pops the count into it, the value into `REG_RET`, and shifts `REG_RET`
    /// (emitnative.c's `#if N_X64 || N_X86` shift case). `None`: any registers.
    const SHIFT_COUNT_REG: Option<Reg> = None;
    /// Whether a viper byte store needs its value popped into `REG_ARG_3` itself rather than
    /// into a flexible register (x86: only EAX..EDX have byte forms).
    const STORE_VALUE_REG_FIXED: bool = false;
    /// Whether [`Asm::store_sized_indexed`] exists (ARM's `str{,b,h} rd, [rn, rm, lsl #k]`).
    const HAS_INDEXED_STORE: bool = false;

    /// A fresh assembler with `max_num_labels` labels.
    fn new(max_num_labels: usize) -> Self
    where
        Self: Sized;
    /// The shared buffer and label table.
    fn base(&self) -> &AsmBase;
    /// The shared buffer and label table, mutably.
    fn base_mut(&mut self) -> &mut AsmBase;

    /// `mp_asm_base_start_pass`: starts a compute or the emit pass.
    fn start_pass(&mut self, pass: Pass) {
        self.base_mut().start_pass(pass);
    }
    /// `ASM_END_PASS`: closes a pass (Xtensa counts its literals here).
    fn end_pass(&mut self) -> Result<()> {
        Ok(())
    }
    /// Abandons a pass before its end (an emitter that replays its calls and met one the
    /// replay cannot follow): what the pass gathered so far is dropped, so that the pass can
    /// be made again from its start.
    fn abort_pass(&mut self) {
        self.base_mut().abort_pass();
    }
    /// Whether the pass running now gathered what the last pass did, so that a pass made with
    /// the same calls would start as this one did (Xtensa: as many literals for its table).
    fn repeats_last_pass(&self) -> bool {
        true
    }
    /// How a pass made now with the calls of the last pass would move that pass's layout
    /// through state the assembler carries from pass to pass (Xtensa: a literal table sized
    /// by the previous pass's count): the offset past which the code moves, and by how many
    /// bytes. `None` where nothing carried moves it.
    fn carried_move(&self) -> Option<(usize, isize)> {
        None
    }
    /// `mp_asm_base_label_assign`: puts `label` at the current offset.
    fn label_assign(&mut self, label: Label) -> Result<()> {
        self.base_mut().label_assign(label)
    }
    /// `mp_asm_base_get_code_pos`.
    fn code_pos(&self) -> usize {
        self.base().code_pos()
    }
    /// `mp_asm_base_data`: `bytesize` little-endian bytes of `val`.
    fn data(&mut self, bytesize: usize, val: u64) -> Result<()> {
        self.base_mut().data(bytesize, val)
    }
    /// `mp_asm_base_align`.
    fn align(&mut self, align: usize) -> Result<()> {
        self.base_mut().align(align)
    }
    /// The code of the emit pass.
    fn code(&self) -> &[u8] {
        self.base().code()
    }
    /// A refusal the assembler noted without stopping: where the reference writes wrong code
    /// of the right size (Xtensa's `l32i.n`/`s32i.n` offset field wrapping beyond word 15),
    /// the generic methods write the reference's bytes and note the refusal here, so an
    /// emitter's model of the code stays whole while it decides what to report. Taken once.
    fn take_refusal(&mut self) -> Option<AsmError> {
        None
    }

    /// `ASM_ENTRY`: function prologue with a frame of `num_locals` words.
    fn entry(&mut self, num_locals: usize) -> Result<()>;
    /// `ASM_EXIT`: epilogue and return.
    fn exit(&mut self) -> Result<()>;

    /// `ASM_JUMP`: unconditional jump to `label`.
    fn jump(&mut self, label: Label) -> Result<()>;
    /// `ASM_JUMP_IF_REG_ZERO`; `bool_test` says only the low byte matters (x86 tests it alone).
    fn jump_if_reg_zero(&mut self, reg: Reg, label: Label, bool_test: bool) -> Result<()>;
    /// `ASM_JUMP_IF_REG_NONZERO`; `bool_test` as for [`Asm::jump_if_reg_zero`].
    fn jump_if_reg_nonzero(&mut self, reg: Reg, label: Label, bool_test: bool) -> Result<()>;
    /// `ASM_JUMP_IF_REG_EQ`.
    fn jump_if_reg_eq(&mut self, reg1: Reg, reg2: Reg, label: Label) -> Result<()>;
    /// `ASM_JUMP_REG`: jump to the address in `reg`.
    fn jump_reg(&mut self, reg: Reg) -> Result<()>;
    /// `ASM_CALL_IND`: call entry `fun_id` of `mp_fun_table` (through `REG_FUN_TABLE`).
    /// `n_args` is the callee's argument count (emitnx86.c's `mp_f_n_args`): x86 pushes that
    /// many argument registers and pops them after; the other architectures ignore it.
    fn call_ind(&mut self, fun_id: usize, n_args: usize) -> Result<()>;
    /// The call of a 4-argument function whose temporary must not be `REG_ARG_4`
    /// (`mp_setup_code_state`: Thumb and ARM load the target through r4 instead of r3).
    fn call_ind_4_args(&mut self, fun_id: usize) -> Result<()> {
        self.call_ind(fun_id, 4)
    }

    /// `ASM_MOV_LOCAL_REG`: store `src` to local `local`.
    fn mov_local_reg(&mut self, local: usize, src: Reg) -> Result<()>;
    /// `ASM_MOV_REG_IMM`: load an immediate in the shortest form the reference picks.
    fn mov_reg_imm(&mut self, dest: Reg, imm: i64) -> Result<()>;
    /// `ASM_MOV_REG_IMM_FIX_U16`: load a 16-bit value in a form whose size does not depend on
    /// it; returns the offset of the immediate (for a qstr link).
    fn mov_reg_imm_fix_u16(&mut self, dest: Reg, imm: u32) -> Result<usize>;
    /// `ASM_MOV_REG_IMM_FIX_WORD`: load a word in a fixed-size form; returns the offset of the
    /// immediate (for a qstr-object link).
    fn mov_reg_imm_fix_word(&mut self, dest: Reg, imm: i64) -> Result<usize>;
    /// `ASM_MOV_REG_LOCAL`: load local `local` into `dest`.
    fn mov_reg_local(&mut self, dest: Reg, local: usize) -> Result<()>;
    /// `ASM_MOV_REG_REG`.
    fn mov_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()>;
    /// `ASM_MOV_REG_LOCAL_ADDR`: the address of local `local`.
    fn mov_reg_local_addr(&mut self, dest: Reg, local: usize) -> Result<()>;
    /// `ASM_MOV_REG_PCREL`: the address of `label`.
    fn mov_reg_pcrel(&mut self, dest: Reg, label: Label) -> Result<()>;
    /// x86's `asm_x86_mov_arg_to_r32`: fetch the entered function's argument `arg` (0-based)
    /// into `dest`. Only where [`Asm::ARGS_IN_REGS`] is false.
    fn mov_reg_arg(&mut self, dest: Reg, arg: usize) -> Result<()> {
        let _ = (dest, arg);
        Err(AsmError::Unsupported {
            arch: Self::ARCH,
            what: "fetching an argument from the stack",
        })
    }

    /// `ASM_LSL_REG_REG` (`ASM_LSL_REG` on x64/x86, where `shift` must be
    /// [`Asm::SHIFT_COUNT_REG`]): `dest <<= shift`.
    fn lsl_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()>;
    /// `ASM_ASR_REG_REG` (`ASM_ASR_REG` on x64/x86): arithmetic `dest >>= shift`.
    fn asr_reg_reg(&mut self, dest: Reg, shift: Reg) -> Result<()>;
    /// `ASM_OR_REG_REG`: `dest |= src`.
    fn or_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()>;
    /// `ASM_XOR_REG_REG`: `dest ^= src`.
    fn xor_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()>;
    /// `ASM_AND_REG_REG`: `dest &= src`.
    fn and_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()>;
    /// `ASM_ADD_REG_REG`: `dest += src`.
    fn add_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()>;
    /// `ASM_SUB_REG_REG`: `dest -= src`.
    fn sub_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()>;
    /// `ASM_MUL_REG_REG`: `dest *= src`.
    fn mul_reg_reg(&mut self, dest: Reg, src: Reg) -> Result<()>;
    /// Viper comparison (emitnative.c's per-arch block in `binary_op`): `dest = (lhs cond
    /// rhs) ? 1 : 0`, signed, with the reference's exact instruction sequence. `dest` must
    /// differ from `lhs` and `rhs`.
    fn set_reg_cond(&mut self, cond: Cond, dest: Reg, lhs: Reg, rhs: Reg) -> Result<()>;

    /// `ASM_LOAD_REG_REG`: load a word from `[base]`.
    fn load_reg_reg(&mut self, dest: Reg, base: Reg) -> Result<()> {
        self.load_reg_reg_offset(dest, base, 0)
    }
    /// `ASM_LOAD_REG_REG_OFFSET`: load a word from `[base + word_offset * WORD_SIZE]`.
    fn load_reg_reg_offset(&mut self, dest: Reg, base: Reg, word_offset: usize) -> Result<()>;
    /// `ASM_LOAD8_REG_REG`, `ASM_LOAD16_REG_REG`, `ASM_LOAD32_REG_REG`: zero-extending load.
    fn load_sized(&mut self, size: MemSize, dest: Reg, base: Reg) -> Result<()>;
    /// `ASM_STORE_REG_REG`: store a word to `[base]`.
    fn store_reg_reg(&mut self, src: Reg, base: Reg) -> Result<()> {
        self.store_reg_reg_offset(src, base, 0)
    }
    /// `ASM_STORE_REG_REG_OFFSET`: store a word to `[base + word_offset * WORD_SIZE]`.
    fn store_reg_reg_offset(&mut self, src: Reg, base: Reg, word_offset: usize) -> Result<()>;
    /// `ASM_STORE8_REG_REG`, `ASM_STORE16_REG_REG`, `ASM_STORE32_REG_REG`.
    fn store_sized(&mut self, size: MemSize, src: Reg, base: Reg) -> Result<()>;

    /// Viper load of `base[index]` for a constant element index in one instruction, where the
    /// architecture has such a form (Thumb's `ldrb/ldrh/ldr rd, [rn, #i5]` for 0 < index < 32).
    /// Returns whether it emitted anything; `Ok(false)` leaves the code untouched.
    fn try_load_sized_imm_index(
        &mut self,
        size: MemSize,
        dest: Reg,
        base: Reg,
        index: i64,
    ) -> Result<bool> {
        let _ = (size, dest, base, index);
        Ok(false)
    }
    /// Viper store of `base[index]` for a constant element index, as for
    /// [`Asm::try_load_sized_imm_index`] (Thumb's `strb/strh/str`).
    fn try_store_sized_imm_index(
        &mut self,
        size: MemSize,
        src: Reg,
        base: Reg,
        index: i64,
    ) -> Result<bool> {
        let _ = (size, src, base, index);
        Ok(false)
    }
    /// Store `src` to `base[index]`, the element index in a register scaled by the access
    /// size (ARM's `asm_arm_str{b,h,}_reg_reg_reg`). Only where [`Asm::HAS_INDEXED_STORE`].
    fn store_sized_indexed(
        &mut self,
        size: MemSize,
        src: Reg,
        base: Reg,
        index: Reg,
    ) -> Result<()> {
        let _ = (size, src, base, index);
        Err(AsmError::Unsupported {
            arch: Self::ARCH,
            what: "indexed store",
        })
    }
}

/// `n * by` as an `i64` (a frame offset or table displacement), or an
/// [`AsmError::OutOfRange`] naming `what` when it does not fit.
pub(crate) fn scaled(arch: &'static str, what: &'static str, n: usize, by: i64) -> Result<i64> {
    i64::try_from(n)
        .ok()
        .and_then(|v| v.checked_mul(by))
        .ok_or(AsmError::OutOfRange {
            arch,
            what,
            value: i64::try_from(n).unwrap_or(i64::MAX),
        })
}

/// Low 32 bits of an immediate, as a 32-bit encoder of the reference sees an `mp_int_t`.
pub(crate) fn low32(imm: i64) -> u32 {
    imm as u32
}
