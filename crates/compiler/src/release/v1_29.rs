//! MicroPython 1.29 (`.mpy` v6.3): its compile-walk rules and the compile entry point of the
//! `.mpy` v6 generation (1.22 to 1.29, each with its own rules and front-end switches).
//!
//! [`compile`] takes a source to the module the `mpy-cross` of `opts.target.release` makes ([`rawcode::v6::Module`]:
//! the raw-code tree with bytecode from [`crate::emitbc_v6`], and the module's qstr and object
//! tables), which `mpyfile::v6::write` turns into the `.mpy` bytes.

use mpcore::{ExcKind, PyException, QstrPool};
use rawcode::v6;
use rawcode::{Body, RawCode};

use super::{Rules, StarArgs};
use crate::emitbc_v6::{BytecodeEmitterV6, EmitFault, LayoutError, Obj};
use crate::options::{CompileOptions, DefaultEmit, SourceNames};
use crate::scope::EmitOpt;

pub const RULES: Rules = Rules {
    star_args: StarArgs::Bitmap,
    paren_cond_shortcut: false,
    finally_return_slot: true,
    scope_start_line: true,
    parser_constants: true,
    break_continue_message: Some("'break'/'continue' outside loop"),
    import_star_module_only: true,
    assigned_names_stay_global: true,
    async_for_iterator_on_stack: true,
    async_needs_async_def: true,
    star_after_keyword_error: true,
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
    let codegen = crate::options::CodegenOptions {
        opt_level: opts.opt_level,
        small_int_bits: opts.target.small_int_bits,
        arch: opts.target.arch,
        emit: opts.emit,
        nlr_buf: opts.nlr_buf,
        rules: super::rules(release),
    };
    let record_lines = source_lines && opts.opt_level < 3;
    let mut emitter = BytecodeEmitterV6::new(source_file, record_lines);
    let mut ctx = crate::CompileContext::new();
    let mut scopes = crate::compile_on_big_enough_stack(
        &mut ctx,
        &tree,
        &mut pool,
        source_file,
        codegen,
        || BytecodeEmitterV6::new(source_file, record_lines),
        &mut emitter,
    )?;
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
    let root = crate::link::link(&mut scopes, crate::scope::ScopeId(0))
        .map_err(|e| crate::internal_error(&e.to_string()))?;
    let tables = std::mem::take(&mut emitter.tables);
    Ok(v6::Module {
        header: v6::Header::bytecode(opts.target.small_int_bits),
        qstrs: tables.qstrs.iter().map(|&q| pool.get(q).to_vec()).collect(),
        objs: tables.objs.into_iter().map(obj_v6).collect(),
        root: raw_code_v6(root),
    })
}

fn native_refusal(release: mpcore::Release) -> PyException {
    PyException::new(
        ExcKind::NotImplementedError,
        format!("mpyc does not support native code for MicroPython {release} yet"),
    )
}

/// A constant of the emitter's table as the file model holds it (numbers as 1.29's `repr`).
fn obj_v6(o: Obj) -> v6::Obj {
    match o {
        Obj::None => v6::Obj::None,
        Obj::False => v6::Obj::False,
        Obj::True => v6::Obj::True,
        Obj::Ellipsis => v6::Obj::Ellipsis,
        Obj::Str(s) => v6::Obj::Str(s),
        Obj::Bytes(b) => v6::Obj::Bytes(b),
        Obj::Int(i) => v6::Obj::Int(i),
        Obj::Float(f) => v6::Obj::Float(float_repr(f)),
        Obj::Complex { real, imag } => v6::Obj::Complex(complex_repr(real, imag)),
        Obj::Tuple(items) => v6::Obj::Tuple(items.into_iter().map(obj_v6).collect()),
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

/// A float as 1.29's `repr` prints it: the shortest digits that read back to the same value,
/// in exponent form below 1e-4 and from 1e16 up, with `.0` added to a whole number.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let n = digits.len() as i32;
    let body = if !(-4..16).contains(&exp) {
        let m = if n > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{esign}{:02}", exp.abs())
    } else if exp < 0 {
        format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
    } else if exp + 1 >= n {
        format!("{}{}.0", digits, "0".repeat((exp + 1 - n) as usize))
    } else {
        let point = (exp + 1) as usize;
        format!("{}.{}", &digits[..point], &digits[point..])
    };
    format!("{sign}{body}")
}

/// A complex as 1.29's `repr` prints it (`2j`, `(1+2j)`).
fn complex_repr(real: f64, imag: f64) -> String {
    let im = float_repr(imag);
    let im = im.strip_suffix(".0").unwrap_or(&im);
    if real == 0.0 && real.is_sign_positive() {
        format!("{im}j")
    } else {
        let re = float_repr(real);
        let re = re.strip_suffix(".0").unwrap_or(&re);
        let sep = if im.starts_with('-') { "" } else { "+" };
        format!("({re}{sep}{im}j)")
    }
}

#[cfg(test)]
mod tests {
    use super::float_repr;

    #[test]
    fn float_repr_as_mpy_cross_1_29_saves_it() {
        // Texts read from .mpy files mpy-cross 1.29 wrote.
        for (f, text) in [
            (0.1, "0.1"),
            (1e100, "1e+100"),
            (123_456_789.123_456_79, "123456789.12345679"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (2.5, "2.5"),
            (9007199254740992.0, "9007199254740992.0"),
            (1e-5, "1e-05"),
            (100.0, "100.0"),
        ] {
            assert_eq!(float_repr(f), text);
        }
    }
}
