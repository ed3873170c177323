//! What decides a compilation's output besides the source: the options every stage reads.
//!
//! A leaf module: it names only target facts from `mpcore`, so the compiler's modules take
//! their options from here without importing back up into the crate root.

use mpcore::{Arch, Target};

/// Which emitter compiles functions by default (`-X emit=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum DefaultEmit {
    #[default]
    Bytecode,
    Native,
    Viper,
}

/// How big the native frame's `nlr_buf_t` is (the buffer an exception handler's `nlr_push`
/// fills with the machine's callee-saved registers).
///
/// mpy-cross 1.11 sizes it for the x86-64 host it runs on (10 words) whatever the target:
/// an ARM or Xtensa board's `nlr_push` stores 12 words there and overwrites the 2 words after
/// it, so native functions with `try`, `with` or `finally` written by the reference for armv6,
/// armv7m or xtensa misbehave or crash on the board (seen under qemu-user on v1.11 unix builds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum NlrBuf {
    /// The size the target's runtime needs (12 words on ARM and Xtensa; the reference's 10 on
    /// x64 and x86, where 10 is enough): code that runs. mpyc's default.
    #[default]
    Target,
    /// The reference's host size everywhere (`--reference-nlr-buf`): its exact bytes, for
    /// conformance tests.
    Host,
}

impl NlrBuf {
    /// Words of `nlr_buf_t` on `arch`: `prev`, `ret_val` and the saved registers.
    pub fn words(self, arch: Arch) -> usize {
        match (self, arch) {
            (NlrBuf::Target, Arch::X64 | Arch::X86 | Arch::None) | (NlrBuf::Host, _) => 10,
            // r4-r11, sp and lr on ARM and Thumb; a0, a1 and a8-a15 on Xtensa.
            (NlrBuf::Target, _) => 12,
        }
    }
}

/// Everything that decides the output besides the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct CompileOptions {
    pub target: Target,
    /// `-O` level (0..=15; the reference keeps the low 4 bits of `-ON`).
    pub opt_level: u8,
    pub emit: DefaultEmit,
    /// The native frame's exception buffer size.
    pub nlr_buf: NlrBuf,
    /// The decorators the release's emitter tables take on the `-march=` arch, where they are
    /// not those of `target.arch` in 1.11's tables ([`ArchTables::of`]): the stand-in arch
    /// of a release after 1.11 whose arch 1.11 lacks.
    pub arch_tables: Option<ArchTables>,
}

impl CompileOptions {
    /// The decorators the target's arch takes.
    pub fn arch_tables(&self) -> ArchTables {
        self.arch_tables
            .unwrap_or_else(|| ArchTables::of(self.target.arch))
    }
}

/// Which `@micropython` code decorators an arch takes: those of a native emitter (`native`,
/// `viper`) and those of an inline assembler (`asm_thumb`, `asm_xtensa`, and 1.25 on
/// `asm_rv32`, any of which is the arch's own assembler); the others are `invalid arch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArchTables {
    pub native: bool,
    pub inline_asm: bool,
}

impl ArchTables {
    /// 1.11's tables: a native emitter for every arch, an inline assembler (Thumb or
    /// Xtensa) for all but x86 and x64.
    pub fn of(arch: Arch) -> ArchTables {
        ArchTables {
            native: arch != Arch::None,
            inline_asm: !matches!(arch, Arch::None | Arch::X86 | Arch::X64),
        }
    }
}

/// The names a compilation interns before it reads the source, as mpy-cross does.
#[derive(Clone, Copy, Debug)]
pub struct SourceNames<'a> {
    /// The input path exactly as given on the command line (interned first).
    pub path: &'a [u8],
    /// The `-s` name, if given (interned second; it becomes the embedded source file).
    pub source_name: Option<&'a [u8]>,
}

/// What code generation needs to know besides the tree.
#[derive(Clone, Copy, Debug)]
pub struct CodegenOptions {
    /// `-O` level; assertions are dropped from 1 up.
    pub opt_level: u8,
    /// The target's small-int width in bits (decides `LOAD_CONST_SMALL_INT` vs an int object).
    pub small_int_bits: u8,
    /// The native architecture (its native emitter and inline assembler).
    pub arch: Arch,
    /// The decorators the arch takes (the others are "invalid arch").
    pub arch_tables: ArchTables,
    /// `-X emit=`: the module's emitter.
    pub emit: DefaultEmit,
    /// The native frame's exception buffer size.
    pub nlr_buf: NlrBuf,
    /// What the walk does differently for the target release.
    pub rules: &'static crate::release::Rules,
    /// Make every native pass in full even after an assembler refusal is held (the module can
    /// only fail then). Off, a native Python scope compiled after a held refusal runs its
    /// stack-size pass without the assembler, for the value model's type errors only; where
    /// that could decide the error otherwise, the compile asks to be made again with this on
    /// ([`crate::compile::CodegenError::NeedsExactPasses`]).
    pub exact_after_refusal: bool,
}
