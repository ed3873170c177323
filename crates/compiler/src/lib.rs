//! MicroPython 1.11's compiler: parse tree to raw code, through one emitter interface.

pub mod emit;
pub mod emitbc;
pub mod link;
pub mod runtime0;
pub mod scope;

use mpcore::{PyException, Target};
use rawcode::Module;

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

/// Compiles one module's source to raw code, numbering qstrs as mpy-cross 1.11 would.
///
/// Errors carry the reference's exception text (see [`PyException::render`]).
pub fn compile(source: &[u8], names: SourceNames<'_>, opts: &CompileOptions) -> Result<Module, PyException> {
    // Replaced by the code generator; until then every input is refused loudly.
    let _ = (source, names, opts);
    Err(PyException::new(mpcore::ExcKind::NotImplementedError, "mpyc: the compiler is not built yet"))
}
