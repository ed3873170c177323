//! MicroPython 1.29 (`.mpy` v6.3): its compile-walk rules and the compile entry point.
//!
//! [`compile`] takes a source to the module a 1.29 `mpy-cross` makes: the raw-code tree
//! (bytecode from [`crate::emitbc_v6`]) and the module's qstr and object tables.
//! [`ModuleV6::to_mpy`] writes it as `.mpy` v6 bytes; it stands in until the format crate's
//! v6 writer takes the module over.

use mpcore::{ExcKind, PyException, Qstr, QstrPool};
use rawcode::{Body, RawCode};

use super::{Rules, StarArgs};
use crate::emitbc_v6::{BytecodeEmitterV6, Obj};
use crate::options::{CompileOptions, DefaultEmit, SourceNames};
use crate::scope::EmitOpt;

pub static RULES: Rules = Rules {
    star_args: StarArgs::Bitmap,
    paren_cond_shortcut: false,
    finally_return_slot: true,
    scope_start_line: true,
    fold_const_tuples: true,
    break_continue_message: Some("'break'/'continue' outside loop"),
    import_star_module_only: true,
    assigned_names_stay_global: true,
    async_for_iterator_on_stack: true,
    async_needs_async_def: true,
};

/// A module as mpy-cross 1.29 compiles it.
#[derive(Clone, Debug)]
pub struct ModuleV6 {
    /// The pool that numbers the qstrs below (this compilation's).
    pub pool: QstrPool,
    /// The qstr table: the source file first, then qstrs in order of first use.
    pub qstrs: Vec<Qstr>,
    /// The object table, in order of first use.
    pub objs: Vec<Obj>,
    /// The module's raw code, children linked in.
    pub root: RawCode,
    /// Width of a small int on the target (the header's last byte).
    pub small_int_bits: u8,
}

/// Compiles one module's source as mpy-cross 1.29 does (bytecode only; native code for 1.29
/// is refused with a clear error).
pub fn compile(
    source: &[u8],
    names: SourceNames<'_>,
    opts: &CompileOptions,
) -> Result<ModuleV6, PyException> {
    if opts.emit != DefaultEmit::Bytecode {
        return Err(native_refusal());
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
    };
    let tree = syntax::parse(source, &mut pool, &parse_opts).map_err(|mut e| {
        if let Some(loc) = e.location.as_mut() {
            loc.file = names.path.to_vec();
        }
        e
    })?;
    let codegen = crate::options::CodegenOptions {
        opt_level: opts.opt_level,
        small_int_bits: opts.target.small_int_bits,
        arch: opts.target.arch,
        emit: opts.emit,
        rules: &RULES,
    };
    let record_lines = opts.opt_level < 3;
    let mut emitter = BytecodeEmitterV6::new(source_file, record_lines);
    let result = crate::compile_on_big_enough_stack(
        &tree,
        &mut pool,
        source_file,
        codegen,
        || BytecodeEmitterV6::new(source_file, record_lines),
        &mut emitter,
    )?;
    if result.iter().any(|s| s.emit_options != EmitOpt::Bytecode) {
        return Err(native_refusal());
    }
    if let Some(fault) = emitter.fault() {
        if matches!(
            fault,
            crate::emitbc_v6::EmitFault::Layout(crate::emitbc_v6::LayoutError::Overflow)
        ) {
            return Err(PyException::new(
                ExcKind::RuntimeError,
                "bytecode overflow".to_string(),
            ));
        }
        return Err(crate::internal_error(&fault.to_string()));
    }
    let root = crate::link::link(result, crate::scope::ScopeId(0))
        .map_err(|e| crate::internal_error(&e.to_string()))?;
    Ok(ModuleV6 {
        pool,
        qstrs: std::mem::take(&mut emitter.tables.qstrs),
        objs: std::mem::take(&mut emitter.tables.objs),
        root,
        small_int_bits: opts.target.small_int_bits,
    })
}

fn native_refusal() -> PyException {
    PyException::new(
        ExcKind::NotImplementedError,
        "mpyc does not support native code for MicroPython 1.29 yet".to_string(),
    )
}

impl ModuleV6 {
    /// The `.mpy` v6 bytes mpy-cross 1.29 writes for this module (bytecode only).
    pub fn to_mpy(&self) -> Vec<u8> {
        let mut out = vec![b'M', 6, 0, self.small_int_bits];
        put_uint(&mut out, self.qstrs.len() as u64);
        put_uint(&mut out, self.objs.len() as u64);
        for &q in &self.qstrs {
            let text = self.pool.get(q);
            match STATIC_QSTRS.iter().position(|s| *s == text) {
                Some(i) => put_uint(&mut out, ((i as u64 + 1) << 1) | 1),
                None => {
                    put_uint(&mut out, (text.len() as u64) << 1);
                    out.extend_from_slice(text);
                    out.push(0);
                }
            }
        }
        for o in &self.objs {
            put_obj(&mut out, o);
        }
        // Raw codes, depth first, without recursion.
        let mut stack: Vec<&RawCode> = vec![&self.root];
        while let Some(rc) = stack.pop() {
            let data: &[u8] = match &rc.body {
                Body::Bytecode(b) => b,
                Body::Native(n) => &n.code,
            };
            let has_children = !rc.children.is_empty() as u64;
            put_uint(&mut out, ((data.len() as u64) << 3) | (has_children << 2));
            out.extend_from_slice(data);
            if has_children != 0 {
                put_uint(&mut out, rc.children.len() as u64);
                stack.extend(rc.children.iter().rev());
            }
        }
        out
    }
}

fn put_uint(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0u8; 10];
    let n = crate::emitbc::encode_uint(&mut buf, v);
    out.extend_from_slice(&buf[..n]);
}

fn put_obj(out: &mut Vec<u8>, o: &Obj) {
    let text = |out: &mut Vec<u8>, kind: u8, t: &[u8]| {
        out.push(kind);
        put_uint(out, t.len() as u64);
        out.extend_from_slice(t);
    };
    match o {
        Obj::None => out.push(1),
        Obj::False => out.push(2),
        Obj::True => out.push(3),
        Obj::Ellipsis => out.push(4),
        Obj::Str(s) | Obj::Bytes(s) => {
            out.push(if matches!(o, Obj::Str(_)) { 5 } else { 6 });
            put_uint(out, s.len() as u64);
            out.extend_from_slice(s);
            out.push(0);
        }
        Obj::Int(i) => text(out, 7, i.to_string().as_bytes()),
        Obj::Float(f) => text(out, 8, mpcore::float::format_repr(*f).as_bytes()),
        Obj::Complex { real, imag } => text(
            out,
            9,
            mpcore::float::format_complex_repr(*real, *imag).as_bytes(),
        ),
        Obj::Tuple(items) => {
            out.push(10);
            put_uint(out, items.len() as u64);
            for i in items {
                put_obj(out, i);
            }
        }
    }
}

/// The qstrs every 1.29 firmware has built in, numbered from 1 (`.mpy` v6 names them by
/// number).
const STATIC_QSTRS: [&[u8]; 165] = [
    b"",
    b"__dir__",
    b"\x0a",
    b" ",
    b"*",
    b"/",
    b"<module>",
    b"_",
    b"__call__",
    b"__class__",
    b"__delitem__",
    b"__enter__",
    b"__exit__",
    b"__getattr__",
    b"__getitem__",
    b"__hash__",
    b"__init__",
    b"__int__",
    b"__iter__",
    b"__len__",
    b"__main__",
    b"__module__",
    b"__name__",
    b"__new__",
    b"__next__",
    b"__qualname__",
    b"__repr__",
    b"__setitem__",
    b"__str__",
    b"ArithmeticError",
    b"AssertionError",
    b"AttributeError",
    b"BaseException",
    b"EOFError",
    b"Ellipsis",
    b"Exception",
    b"GeneratorExit",
    b"ImportError",
    b"IndentationError",
    b"IndexError",
    b"KeyError",
    b"KeyboardInterrupt",
    b"LookupError",
    b"MemoryError",
    b"NameError",
    b"NoneType",
    b"NotImplementedError",
    b"OSError",
    b"OverflowError",
    b"RuntimeError",
    b"StopIteration",
    b"SyntaxError",
    b"SystemExit",
    b"TypeError",
    b"ValueError",
    b"ZeroDivisionError",
    b"abs",
    b"all",
    b"any",
    b"append",
    b"args",
    b"bool",
    b"builtins",
    b"bytearray",
    b"bytecode",
    b"bytes",
    b"callable",
    b"chr",
    b"classmethod",
    b"clear",
    b"close",
    b"const",
    b"copy",
    b"count",
    b"dict",
    b"dir",
    b"divmod",
    b"end",
    b"endswith",
    b"eval",
    b"exec",
    b"extend",
    b"find",
    b"format",
    b"from_bytes",
    b"get",
    b"getattr",
    b"globals",
    b"hasattr",
    b"hash",
    b"id",
    b"index",
    b"insert",
    b"int",
    b"isalpha",
    b"isdigit",
    b"isinstance",
    b"islower",
    b"isspace",
    b"issubclass",
    b"isupper",
    b"items",
    b"iter",
    b"join",
    b"key",
    b"keys",
    b"len",
    b"list",
    b"little",
    b"locals",
    b"lower",
    b"lstrip",
    b"main",
    b"map",
    b"micropython",
    b"next",
    b"object",
    b"open",
    b"ord",
    b"pop",
    b"popitem",
    b"pow",
    b"print",
    b"range",
    b"read",
    b"readinto",
    b"readline",
    b"remove",
    b"replace",
    b"repr",
    b"reverse",
    b"rfind",
    b"rindex",
    b"round",
    b"rsplit",
    b"rstrip",
    b"self",
    b"send",
    b"sep",
    b"set",
    b"setattr",
    b"setdefault",
    b"sort",
    b"sorted",
    b"split",
    b"start",
    b"startswith",
    b"staticmethod",
    b"step",
    b"stop",
    b"str",
    b"strip",
    b"sum",
    b"super",
    b"throw",
    b"to_bytes",
    b"tuple",
    b"type",
    b"update",
    b"upper",
    b"utf\x2d8",
    b"value",
    b"values",
    b"write",
    b"zip",
];
