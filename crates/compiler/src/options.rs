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

/// Everything that decides the output besides the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct CompileOptions {
    pub target: Target,
    /// `-O` level (0..=15; the reference keeps the low 4 bits of `-ON`).
    pub opt_level: u8,
    pub emit: DefaultEmit,
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
    /// The native architecture (decides "invalid arch" for native decorators).
    pub arch: Arch,
    /// `-X emit=`: the module's emitter.
    pub emit: DefaultEmit,
    /// What the walk does differently for the target release.
    pub rules: &'static crate::release::Rules,
}
