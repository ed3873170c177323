//! mpyc as a library: the one compile-to-`.mpy` step that `mpyc compile` and the build share,
//! the driver of `mpyc build` / `mpyc profiles` (see [`driver`]) and its `--freeze` step
//! ([`freeze_build`]).

pub mod driver;
pub mod freeze_build;
pub mod march;

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
    /// The compiled module holds something the `.mpy` v6 format cannot carry.
    #[error("internal error: cannot write the .mpy: {0}")]
    WriteV6(#[from] mpyfile::v6::WriteError),
    /// mpyc cannot compile this yet for the chosen release (shown as the conformance run's
    /// refusals are: a `NotImplementedError` line, exit status 1).
    #[error("NotImplementedError: mpyc does not support {0}")]
    NotSupported(&'static str),
}

/// What a MicroPython 1.22-1.29 compile needs beyond [`CompileOptions`]: `-X no-source-lines`
/// (1.29 only), and `-march=`/`-march-flags=` (the flags are written in the header even of
/// bytecode-only files).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionsV6 {
    pub source_lines: bool,
    pub arch: rawcode::v6::Arch,
    pub arch_flags: u64,
}

impl Default for OptionsV6 {
    fn default() -> Self {
        OptionsV6 {
            source_lines: true,
            arch: rawcode::v6::Arch::None,
            arch_flags: 0,
        }
    }
}

/// Compiles one module's `source` to `.mpy` v6 bytes exactly as the mpy-cross of the release in
/// `options.target.release` (1.19 to 1.29). Every v6 compile goes through here: the v6
/// compiler (with that release's rules) gives the module, the header takes `-march-flags=`
/// (written even in bytecode-only files), and the v6 writer makes the bytes, straight from the
/// compiler's tables and scopes. Native code for these releases is refused by the compiler.
/// `ctx` is the compiling thread's context, reused from one source to the next.
pub fn compile_to_mpy_v6(
    ctx: &mut CompileContext,
    source: &[u8],
    names: SourceNames<'_>,
    options: &CompileOptions,
    v6: &OptionsV6,
) -> Result<Vec<u8>, CompileError> {
    let mut module =
        compiler::release::v1_29::compile_parts(ctx, source, names, options, v6.source_lines)
            .map_err(CompileError::Py)?;
    module.header.arch_flags = v6.arch_flags;
    let written = write_v6(&module, options);
    module.recycle(ctx);
    written
}

/// The `.mpy` bytes of a compiled v6 module, or the reference's failure to save one.
fn write_v6(
    module: &compiler::release::v1_29::CompiledV6,
    options: &CompileOptions,
) -> Result<Vec<u8>, CompileError> {
    // The module's constant table is written first, in its order.
    let ints = module.objs.iter().filter_map(|o| match o {
        rawcode::v6::Obj::Int(v) => Some(v),
        _ => None,
    });
    if let Some(e) = mpcore::heap::int_text_failure(ints, options.target.release.save_room_blocks())
    {
        return Err(CompileError::Py(e));
    }
    // Room for the whole file: code and qstr texts, with a few bytes for each length.
    let code: usize = module.raw_codes().map(|(d, _)| d.len() + 4).sum();
    let texts: usize = module.qstrs().map(|q| q.len() + 3).sum();
    let mut out = Vec::with_capacity(code + texts + 16 * module.objs.len() + 16);
    let qstrs = module.numbered_qstrs();
    mpyfile::v6::write_module_head_numbered(&mut out, &module.header, qstrs, &module.objs)?;
    for (fun_data, n_children) in module.raw_codes() {
        mpyfile::v6::write_bytecode_head(&mut out, fun_data, n_children);
    }
    Ok(out)
}

/// The int constants of `rc` and the raw codes below it, in the order a `.mpy` v4 or v5
/// holds them (each raw code's constants, then its children's).
fn int_consts<'a>(rc: &'a rawcode::RawCode, out: &mut Vec<&'a num_bigint::BigInt>) {
    let mut stack = vec![rc];
    while let Some(rc) = stack.pop() {
        out.extend(rc.consts.iter().filter_map(|c| match c {
            rawcode::Const::Int(v) => Some(v),
            _ => None,
        }));
        stack.extend(rc.children.iter().rev());
    }
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
    compile_for_release(ctx, source, names, options, &OptionsV6::default())
}

/// [`compile_to_mpy`] for the release in `options.target.release`: 1.11 as mpy-cross 1.11,
/// 1.12 to 1.18 (`.mpy` v5) through the same compiler and writer in their v5 forms, 1.19 to
/// 1.29 through [`compile_to_mpy_v6`] with `v6`'s extra options.
pub fn compile_for_release(
    ctx: &mut CompileContext,
    source: &[u8],
    names: SourceNames<'_>,
    options: &CompileOptions,
    v6: &OptionsV6,
) -> Result<Vec<u8>, CompileError> {
    if options.target.release.generation() == mpcore::Generation::Mpy6 {
        return compile_to_mpy_v6(ctx, source, names, options, v6);
    }
    let module = compiler::compile_with(ctx, source, names, options).map_err(CompileError::Py)?;
    let mut ints = Vec::new();
    int_consts(&module.root, &mut ints);
    if let Some(e) =
        mpcore::heap::int_text_failure(ints.into_iter(), options.target.release.save_room_blocks())
    {
        return Err(CompileError::Py(e));
    }
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

    /// The v6 bytes written straight from the compiler's tables (the build's path) are those
    /// of the module value the rest of mpyc writes, for every v6 release.
    #[test]
    fn v6_direct_writing_matches_the_module_writer() {
        let sources: [&[u8]; 5] = [
            b"x = 1\n",
            b"def f(a, *b, c=2, **d):\n    return g(a, *b, x=(1, 'y', None), **d) + 2.5\n",
            b"class C(B):\n    def m(self):\n        return [i ** 2 for i in self] or {1: b'z'}\n",
            b"def f(x):\n    if x:\n        return 1\n    while x:\n        try:\n            x -= 1\n        finally:\n            break\n    return (1 << 70) - 1j\n",
            b"async def f(s):\n    async with s as t:\n        await t\n    y = (n := len(s))\n",
        ];
        let mut ctx = CompileContext::new();
        for release in mpcore::Release::ALL
            .into_iter()
            .filter(|r| r.generation() == mpcore::Generation::Mpy6)
        {
            for source_lines in [true, false] {
                let mut options = CompileOptions::default();
                options.target.release = release;
                let v6 = OptionsV6 {
                    source_lines,
                    arch_flags: 3,
                    ..OptionsV6::default()
                };
                for source in sources {
                    let names = SourceNames {
                        path: b"m.py",
                        source_name: None,
                    };
                    let direct = compile_to_mpy_v6(&mut ctx, source, names, &options, &v6)
                        .expect("the source compiles");
                    let mut module = compiler::release::v1_29::compile_with_lines(
                        source,
                        names,
                        &options,
                        source_lines,
                    )
                    .expect("the source compiles");
                    module.header.arch_flags = v6.arch_flags;
                    let written = mpyfile::v6::write(&module).expect("the module writes");
                    assert_eq!(direct, written, "{} {:?}", release.name(), source);
                }
            }
        }
    }
}
