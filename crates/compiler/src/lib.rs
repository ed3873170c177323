//! MicroPython's compiler (1.11, 1.12 to 1.18, 1.19 to 1.29): parse tree to raw code, through
//! one emitter interface.

pub mod backend;
pub mod compile;
mod context;
pub mod emit;
pub mod emitbc;
pub mod emitbc_v6;
mod emitinline;
pub mod emitnative;
pub mod link;
pub mod options;
pub mod release;
pub mod runtime0;
pub mod scope;

pub use context::CompileContext;
pub use options::{ArchTables, CodegenOptions, CompileOptions, DefaultEmit, NlrBuf, SourceNames};

use mpcore::{PyException, QstrPool};
use rawcode::Module;

/// Compiles one module's source to raw code, numbering qstrs as mpy-cross 1.11 would: the
/// bytecode of `opts.target.release` when it is 1.11 or of the `.mpy` v5 generation (1.12 to
/// 1.18; bytecode only, native code is refused).
///
/// Errors carry the reference's exception text (see [`PyException::render`]): parse errors
/// name the input path, compile errors the source name (`-s`), as mpy-cross prints them.
/// Makes a fresh [`CompileContext`]; to compile many sources, keep one per thread and use
/// [`compile_with`].
pub fn compile(
    source: &[u8],
    names: SourceNames<'_>,
    opts: &CompileOptions,
) -> Result<Module, PyException> {
    compile_with(&mut CompileContext::new(), source, names, opts)
}

/// Compiles as [`compile`] does, reusing the buffers `ctx` kept from earlier compilations
/// (and keeping this one's there for the next).
pub fn compile_with(
    ctx: &mut CompileContext,
    source: &[u8],
    names: SourceNames<'_>,
    opts: &CompileOptions,
) -> Result<Module, PyException> {
    let mut pool = QstrPool::new();
    let path_q = pool.intern(names.path);
    let source_file = match names.source_name {
        Some(s) => pool.intern(s),
        None => path_q,
    };
    let parse_opts = syntax::ParseOptions {
        small_int_bits: opts.target.small_int_bits,
        opt_level: opts.opt_level,
        unicode: opts.target.unicode,
        release: opts.target.release,
    };
    let tree = syntax::parse(source, &mut pool, &parse_opts).map_err(|mut e| {
        if let Some(loc) = e.location.as_mut() {
            loc.file = names.path.to_vec();
        }
        e
    })?;

    let mut codegen = CodegenOptions {
        opt_level: opts.opt_level,
        small_int_bits: opts.target.small_int_bits,
        arch: opts.target.arch,
        arch_tables: opts.arch_tables(),
        emit: opts.emit,
        nlr_buf: opts.nlr_buf,
        rules: release::rules(opts.target.release),
        exact_after_refusal: false,
    };
    let v5 = opts.target.release.generation() == mpcore::Generation::Mpy5;
    if v5 && opts.emit != DefaultEmit::Bytecode {
        return Err(native_refusal(opts.target.release));
    }
    // A native compile whose error may not be the reference's is made again in full.
    let (emitter, result) = loop {
        let emitter = emitbc::BytecodeEmitter::reusing(opts, ctx);
        let (emitter, result) = generate(
            ctx,
            &tree,
            &mut pool,
            source_file,
            codegen,
            emitter,
            |ctx, old| {
                old.recycle(ctx);
                emitbc::BytecodeEmitter::reusing(opts, ctx)
            },
        )?;
        if matches!(result, Err(compile::CodegenError::NeedsExactPasses))
            && !codegen.exact_after_refusal
        {
            emitter.recycle(ctx);
            codegen.exact_after_refusal = true;
            continue;
        }
        break (emitter, result);
    };
    let fault = emitter.fault();
    emitter.recycle(ctx);
    let mut scopes = outcome(result, &pool, source_file)?;
    if v5
        && scopes
            .iter()
            .any(|s| s.emit_options != scope::EmitOpt::Bytecode)
    {
        ctx.recycle(scopes);
        return Err(native_refusal(opts.target.release));
    }
    let root = match fault {
        Some(fault) => Err(internal_error(&fault.to_string())),
        None => {
            link::link(&mut scopes, scope::ScopeId(0)).map_err(|e| internal_error(&e.to_string()))
        }
    };
    ctx.recycle(scopes);
    let root = root?;
    Ok(Module {
        target: opts.target,
        qstrs: pool,
        root,
    })
}

/// Nesting compiled on the caller's stack (well under 1 MiB of stack even unoptimised).
const INLINE_DEPTH: u32 = 400;
/// Stack reserved per nesting level when compiling deeper trees (measured: under 1.6 KiB per
/// level in unoptimised builds for the deepest-framed constructs, calls and dicts).
const STACK_PER_LEVEL: usize = 4 << 10;

/// Runs code generation on the caller's stack with a small nesting budget; a tree that nests
/// deeper is compiled again, with the back end `fresh` makes of the used one, on a thread whose
/// stack fits the code generator's full depth limit. Gives the back end and what code
/// generation gave; the error is the thread's, where it could not run.
pub(crate) fn generate<E: emit::Emit + Send>(
    ctx: &mut CompileContext,
    tree: &syntax::ParseTree,
    pool: &mut QstrPool,
    source_file: mpcore::Qstr,
    codegen: CodegenOptions,
    mut emitter: E,
    fresh: impl FnOnce(&mut CompileContext, E) -> E,
) -> Result<(E, Result<Vec<scope::Scope>, compile::CodegenError>), PyException> {
    let result = compile::compile_tree(
        ctx,
        tree,
        pool,
        source_file,
        codegen,
        &mut emitter,
        INLINE_DEPTH,
    );
    if !matches!(result, Err(compile::CodegenError::NeedsDeeperStack)) {
        return Ok((emitter, result));
    }
    let mut emitter = fresh(ctx, emitter);
    let levels = tree_depth(tree).min(compile::MAX_DEPTH as usize);
    let stack = (1 << 20) + levels * STACK_PER_LEVEL;
    let result = std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(stack)
            .spawn_scoped(s, || {
                compile::compile_tree(
                    ctx,
                    tree,
                    pool,
                    source_file,
                    codegen,
                    &mut emitter,
                    compile::MAX_DEPTH,
                )
            })
            .map_err(|e| internal_error(&format!("cannot start the compiler thread: {e}")))
            .and_then(|h| {
                h.join()
                    .map_err(|_| internal_error("the compiler thread failed"))
            })
    })?;
    Ok((emitter, result))
}

/// The scopes code generation gave, or the reference's error for what it raised.
pub(crate) fn outcome(
    result: Result<Vec<scope::Scope>, compile::CodegenError>,
    pool: &QstrPool,
    source_file: mpcore::Qstr,
) -> Result<Vec<scope::Scope>, PyException> {
    match result {
        Ok(scopes) => Ok(scopes),
        Err(compile::CodegenError::Error(e)) => Err(e.into_exception(pool.get(source_file))),
        Err(compile::CodegenError::NeedsDeeperStack) => {
            Err(internal_error("nesting limit inconsistent"))
        }
        Err(compile::CodegenError::NeedsExactPasses) => {
            Err(internal_error("native passes inconsistent"))
        }
    }
}

/// The error for native code asked of a release whose native emitters mpyc does not have.
pub(crate) fn native_refusal(release: mpcore::Release) -> PyException {
    PyException::new(
        mpcore::ExcKind::NotImplementedError,
        format!("mpyc does not support native code for MicroPython {release} yet"),
    )
}

pub(crate) fn internal_error(msg: &str) -> PyException {
    PyException::new(
        mpcore::ExcKind::RuntimeError,
        format!("mpyc internal error: {msg}"),
    )
}

/// The nesting depth of a parse tree, found without recursion, counting each item of a
/// `with` statement as a level (the code generator nests one call per item); sizes the stack
/// of the thread that compiles deep trees.
fn tree_depth(tree: &syntax::ParseTree) -> usize {
    let Some(syntax::Node::Struct(root)) = tree.root else {
        return 0;
    };
    let mut max = 0;
    let mut stack = vec![(root, 1usize)];
    while let Some((id, d)) = stack.pop() {
        max = max.max(d);
        let step = match (id.1, tree.children(id).first()) {
            (syntax::Rule::WithStmt, Some(&syntax::Node::Struct(items))) => {
                1 + tree.children(items).len()
            }
            _ => 1,
        };
        for &k in tree.children(id) {
            if let syntax::Node::Struct(c) = k {
                stack.push((c, d + step));
            }
        }
    }
    max
}
