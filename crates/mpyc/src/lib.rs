//! mpyc as a library: the one compile-to-`.mpy` step that `mpyc compile` and the build share,
//! the driver of `mpyc build` / `mpyc profiles` (see [`driver`]) and its `--freeze` step
//! ([`freeze_build`]).

pub mod driver;
pub mod freeze_build;

use compiler::{CompileContext, CompileOptions, SourceNames};
use mpcore::PyException;

/// Why a source did not become `.mpy` bytes.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// The compile failed as mpy-cross 1.11's would (syntax error, ...): its exception.
    #[error("{}", .0.message)]
    Py(PyException),
    /// The compiled module holds something the `.mpy` v4 format cannot carry.
    #[error("internal error: cannot write the .mpy: {0}")]
    Write(#[from] mpyfile::WriteError),
}

/// Compiles one module's `source` to `.mpy` v4 bytes, under the names mpy-cross is given (the
/// input path and the `-s` name, which decide the qstr numbers), exactly as mpy-cross 1.11.
/// `ctx` is the compiling thread's context, reused from one source to the next.
pub fn compile_to_mpy(
    ctx: &mut CompileContext,
    source: &[u8],
    names: SourceNames<'_>,
    options: &CompileOptions,
) -> Result<Vec<u8>, CompileError> {
    let module = compiler::compile_with(ctx, source, names, options).map_err(CompileError::Py)?;
    Ok(mpyfile::try_write(&module)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_to_mpy_bytes_or_the_exception() {
        let names = SourceNames {
            path: b"a.py",
            source_name: None,
        };
        let opts = CompileOptions::default();
        let mut ctx = CompileContext::new();
        let bytes = compile_to_mpy(&mut ctx, b"x = 1\n", names, &opts).unwrap();
        assert_eq!(&bytes[..4], b"M\x04\x02\x1f");
        match compile_to_mpy(&mut ctx, b"x = = 1\n", names, &opts) {
            Err(CompileError::Py(e)) => assert_eq!(e.message, "invalid syntax"),
            other => panic!("{other:?}"),
        }
    }
}
