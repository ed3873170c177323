//! MicroPython 1.29 (`.mpy` v6.3): its compile-walk rules and the compile entry point of the
//! `.mpy` v6 generation (1.22 to 1.29, each with its own rules and front-end switches).
//!
//! [`compile`] takes a source to the module the `mpy-cross` of `opts.target.release` makes ([`rawcode::v6::Module`]:
//! the raw-code tree with bytecode from [`crate::emitbc_v6`], and the module's qstr and object
//! tables), which `mpyfile::v6::write` turns into the `.mpy` bytes. [`compile_parts`] gives
//! the same module as the compiler left it ([`CompiledV6`]: tables and scopes), for a writer
//! that walks it without building the tree.

use mpcore::{float129, ExcKind, PyException, Qstr, QstrPool};
use rawcode::v6;
use rawcode::{Body, RawCode};

use super::{FloatTexts, Rules, StarArgs};
use crate::emitbc_v6::{BytecodeEmitterV6, EmitFault, LayoutError, Obj};
use crate::options::{CompileOptions, DefaultEmit, SourceNames};
use crate::scope::{EmitOpt, Scope, ScopeId};
use crate::CompileContext;

pub const RULES: Rules = Rules {
    star_args: StarArgs::Bitmap,
    paren_cond_shortcut: false,
    finally_return_slot: true,
    scope_start_line: true,
    parser_constants: true,
    parser_flattens_lists: true,
    truth_of_any_const: true,
    break_continue_message: Some("'break'/'continue' outside loop"),
    import_star_module_only: true,
    assigned_names_stay_global: true,
    drops_dead_code: true,
    async_for_iterator_on_stack: true,
    async_for_awaits_aiter: false,
    walrus_stores_via_parent: false,
    async_needs_async_def: true,
    star_after_keyword_error: true,
    asm_rv32_decorator: true,
    thumb_ops_by_arch: true,
};

/// 1.29's float printer (`mpcore::float129`), also 1.26 to 1.28's.
pub const FLOAT_TEXTS: FloatTexts = FloatTexts {
    float: float129::format_repr,
    complex: float129::format_complex_repr,
};

/// Compiles one module's source as mpy-cross of `opts.target.release` (1.22 to 1.29) does
/// (bytecode only; native code for these releases is refused with a clear error).
pub fn compile(
    source: &[u8],
    names: SourceNames<'_>,
    opts: &CompileOptions,
) -> Result<v6::Module, PyException> {
    compile_with_lines(source, names, opts, true)
}

/// [`compile`] with `-X no-source-lines` when `source_lines` is false (no line-number table,
/// as at `-O3`).
pub fn compile_with_lines(
    source: &[u8],
    names: SourceNames<'_>,
    opts: &CompileOptions,
    source_lines: bool,
) -> Result<v6::Module, PyException> {
    let mut ctx = CompileContext::new();
    let mut parts = compile_parts(&mut ctx, source, names, opts, source_lines)?;
    let qstrs = parts.qstrs().map(<[u8]>::to_vec).collect();
    let root = crate::link::link(&mut parts.scopes, ScopeId(0))
        .map_err(|e| crate::internal_error(&e.to_string()))?;
    Ok(v6::Module {
        header: parts.header,
        qstrs,
        objs: parts.objs,
        root: raw_code_v6(root),
    })
}

/// A module compiled for a v6 release, as the compiler left it: the header, the tables, and
/// each scope's raw code with its children (in the order the file holds them,
/// [`CompiledV6::raw_codes`]). Give it back with [`CompiledV6::recycle`] when written.
pub struct CompiledV6 {
    pub header: v6::Header,
    /// The constant-object table, as the file model holds it.
    pub objs: Vec<v6::Obj>,
    pool: QstrPool,
    /// The emitter, for its qstr table (and its buffers, kept for the next module).
    emitter: BytecodeEmitterV6,
    scopes: Vec<Scope>,
    /// Scope indices in the file's order: each raw code, then its children's (in order).
    order: Vec<u32>,
}

impl CompiledV6 {
    /// The text of each qstr of the qstr table, in order.
    pub fn qstrs(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        let qstrs: &[Qstr] = &self.emitter.num.tables.qstrs;
        qstrs.iter().map(|&q| self.pool.get(q))
    }

    /// [`Self::qstrs`] with each one's number in `.mpy` v6's list of static qstrs, which is
    /// the start of the pool (a pool's own strings never repeat a built-in one).
    pub fn numbered_qstrs(&self) -> impl ExactSizeIterator<Item = (&[u8], Option<usize>)> + '_ {
        let qstrs: &[Qstr] = &self.emitter.num.tables.qstrs;
        qstrs
            .iter()
            .map(|&q| (self.pool.get(q), q.is_static().then_some(usize::from(q.0))))
    }

    /// Each raw code's `fun_data` and number of children, parents before children (the
    /// order of the `.mpy` file).
    pub fn raw_codes(&self) -> impl Iterator<Item = (&[u8], usize)> + '_ {
        self.order.iter().map(|&i| {
            let s = &self.scopes[i as usize];
            let data = s.raw_code.as_ref().map_or(&[][..], |rc| rc.fun_data());
            (data, s.raw_code_children.len())
        })
    }

    /// Keeps the scope lists and the emitter's buffers in `ctx` for the next compilation.
    pub fn recycle(self, ctx: &mut CompileContext) {
        ctx.recycle(self.scopes);
        ctx.v6_spare = Some(self.emitter.into_spare());
    }
}

/// Compiles as [`compile_with_lines`] does, reusing `ctx`'s buffers, and gives the module as
/// the compiler left it.
pub fn compile_parts(
    ctx: &mut CompileContext,
    source: &[u8],
    names: SourceNames<'_>,
    opts: &CompileOptions,
    source_lines: bool,
) -> Result<CompiledV6, PyException> {
    let release = opts.target.release;
    if opts.emit != DefaultEmit::Bytecode {
        return Err(native_refusal(release));
    }
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
        release,
    };
    let tree = syntax::parse(source, &mut pool, &parse_opts).map_err(|mut e| {
        if let Some(loc) = e.location.as_mut() {
            loc.file = names.path.to_vec();
        }
        e
    })?;
    let rules = super::rules(release);
    let codegen = crate::options::CodegenOptions {
        opt_level: opts.opt_level,
        small_int_bits: opts.target.small_int_bits,
        arch: opts.target.arch,
        arch_tables: opts.arch_tables(),
        emit: opts.emit,
        nlr_buf: opts.nlr_buf,
        rules,
        exact_after_refusal: false,
    };
    let record_lines = source_lines && opts.opt_level < 3;
    let new_emitter = |spare: Option<_>| {
        BytecodeEmitterV6::reusing(spare.unwrap_or_default(), source_file, record_lines)
            .dropping_dead_code(rules.drops_dead_code)
    };
    let emitter = new_emitter(ctx.v6_spare.take());
    let (mut emitter, result) = crate::generate(
        ctx,
        &tree,
        &mut pool,
        source_file,
        codegen,
        emitter,
        |_, old| new_emitter(Some(old.into_spare())),
    )?;
    let scopes = match crate::outcome(result, &pool, source_file) {
        Ok(scopes) => scopes,
        Err(e) => {
            ctx.v6_spare = Some(emitter.into_spare());
            return Err(e);
        }
    };
    let order = match check_scopes(&scopes, &emitter, release) {
        Ok(order) => order,
        Err(e) => {
            ctx.recycle(scopes);
            ctx.v6_spare = Some(emitter.into_spare());
            return Err(e);
        }
    };
    let floats = super::float_texts(release);
    let objs = emitter.num.tables.objs.drain(..);
    Ok(CompiledV6 {
        header: v6::Header::bytecode(opts.target.small_int_bits),
        objs: objs.map(|o| obj_v6(o, floats)).collect(),
        pool,
        emitter,
        scopes,
        order,
    })
}

/// The refusal or error for scopes the v6 writer cannot take (native code, a fault of the
/// emitter, a broken raw-code tree), or the scopes' indices in the file's order.
fn check_scopes(
    scopes: &[Scope],
    emitter: &BytecodeEmitterV6,
    release: mpcore::Release,
) -> Result<Vec<u32>, PyException> {
    if scopes.iter().any(|s| s.emit_options != EmitOpt::Bytecode) {
        return Err(native_refusal(release));
    }
    if let Some(fault) = emitter.fault() {
        if fault == EmitFault::Layout(LayoutError::Overflow) {
            return Err(PyException::new(
                ExcKind::RuntimeError,
                "bytecode overflow".to_string(),
            ));
        }
        return Err(crate::internal_error(&fault.to_string()));
    }
    crate::link::file_order(scopes).map_err(|e| crate::internal_error(&e.to_string()))
}

use crate::native_refusal;

/// A constant of the emitter's table as the file model holds it (floats and complex numbers as
/// the release's `repr` prints them, `floats`).
fn obj_v6(o: Obj, floats: &FloatTexts) -> v6::Obj {
    match o {
        Obj::None => v6::Obj::None,
        Obj::False => v6::Obj::False,
        Obj::True => v6::Obj::True,
        Obj::Ellipsis => v6::Obj::Ellipsis,
        Obj::Str(s) => v6::Obj::Str(s),
        Obj::Bytes(b) => v6::Obj::Bytes(b),
        Obj::Int(i) => v6::Obj::Int(i),
        Obj::Float(f) => v6::Obj::Float((floats.float)(f)),
        Obj::Complex { real, imag } => v6::Obj::Complex((floats.complex)(real, imag)),
        Obj::Tuple(items) => {
            v6::Obj::Tuple(items.into_iter().map(|item| obj_v6(item, floats)).collect())
        }
    }
}

/// The raw-code tree in the file model, built without recursion (children in order).
fn raw_code_v6(root: RawCode) -> v6::RawCode {
    // Pre-order list of (fun_data, number of children).
    let mut order: Vec<(Vec<u8>, usize)> = Vec::new();
    let mut stack = vec![root];
    while let Some(mut rc) = stack.pop() {
        let kids = std::mem::take(&mut rc.children);
        let data = match rc.body {
            Body::Bytecode(b) => b,
            Body::Native(n) => n.code,
        };
        order.push((data, kids.len()));
        stack.extend(kids.into_iter().rev());
    }
    // In reverse pre-order each node's subtrees are finished (last child first) when it is met.
    let mut done: Vec<v6::RawCode> = Vec::new();
    for (fun_data, n) in order.into_iter().rev() {
        let mut children = done.split_off(done.len().saturating_sub(n));
        children.reverse();
        done.push(v6::RawCode {
            fun_data,
            kind: v6::CodeKind::Bytecode,
            children,
        });
    }
    done.pop().unwrap_or_default()
}
