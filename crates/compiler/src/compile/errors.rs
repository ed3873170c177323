//! Errors found while compiling, kept as the reference keeps them: the first one wins.

use mpcore::{ExcKind, PyException, SourceLocation};

/// Depth of nested compile calls past which compilation stops with a `RuntimeError`.
///
/// mpy-cross 1.11 recurses without a limit and runs out of its 2 MiB heap while parsing
/// before about 45,000 nesting levels (measured with `-x`, `not x`, `a**b` chains), so no file
/// it accepts comes near this.
pub const MAX_DEPTH: u32 = 60_000;

/// Nesting of scopes (functions, lambdas, classes, comprehensions) past which compilation
/// stops with a `RuntimeError`: the raw-code tree is that deep, and its owners walk it
/// recursively. mpy-cross 1.11 runs out of memory near 7,000 nested scopes.
pub const MAX_SCOPE_DEPTH: u32 = 8_000;

/// The first error raised while compiling a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub kind: ExcKind,
    pub message: String,
    /// The message's exact bytes where they are not UTF-8 (a viper type error naming a local
    /// spelled with such bytes); `message` is then their lossy text.
    pub raw_message: Option<Vec<u8>>,
    /// Best guess of the line (0 while unknown), as `compile_error_line`.
    pub line: u32,
    /// The scope being compiled when the error was raised (its simple name's bytes).
    pub scope_name: Vec<u8>,
}

impl CompileError {
    /// The exception as mpy-cross prints it, with `file` as the traceback's file name.
    pub fn into_exception(self, file: &[u8]) -> PyException {
        // A failed allocation is raised where it happens, and the native emitter's refusals are
        // raised from inside it: both are printed without a traceback.
        if self.kind == ExcKind::MemoryError
            || (self.kind == ExcKind::NotImplementedError
                && matches!(
                    self.message.as_str(),
                    "native yield" | "casting" | "conversion to object"
                ))
        {
            return PyException::new(self.kind, self.message);
        }
        let mut e = PyException::new(self.kind, self.message);
        e.raw_message = self.raw_message;
        e.at(SourceLocation {
            file: file.to_vec(),
            line: self.line,
            column: 0,
            scope: Some(self.scope_name),
        })
    }
}

/// What a native back end would have to compile; used in "not supported yet" errors.
pub(crate) fn unsupported_message(what: &str) -> String {
    format!("mpyc does not support {what} yet")
}
