//! Freezing `.mpy` files into C for a firmware image: the output of mpy-tool.py 1.11 `-f`.
//!
//! [`freeze`] takes the files' bytes in command-line order and gives the C text the reference
//! prints, or the reference's error together with what it had printed before failing (a
//! Makefile redirecting stdout gets those partial bytes too).

mod emit;
mod escape;
mod header;
mod incremental;
mod load;
mod pynum;

pub use emit::EmitConfig;
pub use escape::{qstr_data_literal, qstr_escape};
pub use header::QstrHeader;
pub use incremental::{assemble, emit_config, fragment, Fragment};
pub use load::{load_mpy, FileFlags, LoadedCode, QstrTable};
pub use pynum::parse_int as python_int;

use std::collections::HashSet;
use std::fmt::Write;

/// `-mlongint-impl`: how the target stores ints beyond small ints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LongIntImpl {
    None,
    LongLong,
    #[default]
    Mpz,
}

impl LongIntImpl {
    /// `MICROPY_LONGINT_IMPL_*`.
    pub fn number(self) -> u8 {
        match self {
            LongIntImpl::None => 0,
            LongIntImpl::LongLong => 1,
            LongIntImpl::Mpz => 2,
        }
    }

    /// From the option's value (`none`, `longlong`, `mpz`).
    pub fn from_name(name: &str) -> Option<LongIntImpl> {
        match name {
            "none" => Some(LongIntImpl::None),
            "longlong" => Some(LongIntImpl::LongLong),
            "mpz" => Some(LongIntImpl::Mpz),
            _ => None,
        }
    }
}

/// The options of mpy-tool.py that decide the frozen C.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreezeOptions {
    pub header: QstrHeader,
    pub longint: LongIntImpl,
    /// `-mmpz-dig-size` (16 by default).
    pub mpz_dig_size: i64,
}

impl Default for FreezeOptions {
    fn default() -> Self {
        FreezeOptions {
            header: QstrHeader::none(),
            longint: LongIntImpl::Mpz,
            mpz_dig_size: 16,
        }
    }
}

/// Why freezing failed; `Display` gives the line the reference ends its stderr with.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FreezeError {
    /// A Python exception of the reference (its traceback's last line; mpyc prints no frames).
    #[error("{}", python_line(kind, message))]
    Python { kind: &'static str, message: String },
    /// mpy-tool.py's own `FreezeError` (the reference names the file by an object address;
    /// mpyc gives the source file's name).
    #[error("error while freezing {file}: {message}")]
    Freeze { file: String, message: String },
    /// A qstr header without any `QCFG` line.
    #[error("ERROR: Empty preprocessor output - check for errors above")]
    EmptyHeader,
    /// A `QCFG` width mpyc refuses (the reference would go on).
    #[error("mpyc freeze: QCFG({key}) of {value} bytes is more than {max}", max = header::MAX_QCFG_BYTES)]
    QcfgTooWide { key: &'static str, value: i64 },
    /// `-mmpz-dig-size=0` with a long int to freeze: the reference loops forever.
    #[error(
        "mpyc freeze: an mpz digit size of 0 cannot hold a long int (mpy-tool.py never returns)"
    )]
    MpzDigSizeZero,
}

impl FreezeError {
    fn python(kind: &'static str, message: &str) -> FreezeError {
        FreezeError::Python {
            kind,
            message: message.to_string(),
        }
    }
}

fn python_line(kind: &str, message: &str) -> String {
    if message.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {message}")
    }
}

/// A failed freeze: the error and the C printed before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreezeFailure {
    pub error: FreezeError,
    pub partial: String,
}

impl From<FreezeError> for FreezeFailure {
    fn from(error: FreezeError) -> Self {
        FreezeFailure {
            error,
            partial: String::new(),
        }
    }
}

/// Files read and ready to freeze: the shared qstr table, the raw codes and the flags of the
/// last file (which decide the configuration guards).
pub struct Loaded {
    pub table: QstrTable,
    pub modules: Vec<LoadedCode>,
    pub flags: FileFlags,
}

impl Default for Loaded {
    fn default() -> Self {
        Self::new()
    }
}

impl Loaded {
    /// Nothing read yet.
    pub fn new() -> Loaded {
        Loaded {
            table: QstrTable::new(),
            modules: Vec::new(),
            flags: FileFlags::default(),
        }
    }

    /// Reads one more file, as mpy-tool.py does before freezing.
    pub fn push_file(&mut self, bytes: &[u8]) -> Result<(), FreezeError> {
        let (code, flags) = load_mpy(bytes, &mut self.table)?;
        self.modules.push(code);
        self.flags = flags;
        Ok(())
    }
}

/// Reads every file as mpy-tool.py does before freezing.
pub fn load_all<'a>(files: impl IntoIterator<Item = &'a [u8]>) -> Result<Loaded, FreezeError> {
    let mut loaded = Loaded::new();
    for bytes in files {
        loaded.push_file(bytes)?;
    }
    Ok(loaded)
}

/// The frozen C for `files` (each a `.mpy` file's bytes, in command-line order).
pub fn freeze<'a>(
    files: impl IntoIterator<Item = &'a [u8]>,
    options: &FreezeOptions,
) -> Result<String, FreezeFailure> {
    let loaded = load_all(files)?;
    let mut out = String::new();
    match freeze_loaded(&loaded, options, &mut out) {
        Ok(()) => Ok(out),
        Err(error) => Err(FreezeFailure {
            error,
            partial: out,
        }),
    }
}

/// Writes the frozen C of loaded files into `out` (on error, `out` holds what came before).
pub fn freeze_loaded(
    loaded: &Loaded,
    options: &FreezeOptions,
    out: &mut String,
) -> Result<(), FreezeError> {
    let config = emit_config(loaded.flags, options);
    write_preamble(out, &config);
    let new = new_qstrs(&loaded.table, &options.header);
    write_qstr_pool(out, &new, &options.header)?;
    let mut escaped_names = HashSet::new();
    let mut names = Vec::with_capacity(loaded.modules.len());
    for code in &loaded.modules {
        let source = module_source(code)?;
        let prefix = module_prefix(&loaded.table.get(source, "str")?.text);
        let mut emitter = emit::CodeEmitter {
            out,
            table: &loaded.table,
            config,
            escaped_names: &mut escaped_names,
            given_names: None,
        };
        names.push(emitter.freeze(code, &prefix)?);
    }
    let mut module_names = Vec::with_capacity(loaded.modules.len());
    for code in &loaded.modules {
        let source = module_source(code)?;
        module_names.push(&*loaded.table.get(source, "str")?.text);
    }
    write_tables(out, &module_names, &names);
    Ok(())
}

/// The table index of a module's source name; viper and asm code have none (the reference
/// fails on the missing attribute).
fn module_source(code: &LoadedCode) -> Result<usize, FreezeError> {
    code.source_file.ok_or_else(|| FreezeError::Python {
        kind: "AttributeError",
        message: "'RawCodeNative' object has no attribute 'source_file'".into(),
    })
}

/// The prefix of a module's escaped names: its source name with `/` as `_`, the last three
/// characters (`.py`) dropped, and `_`.
pub fn module_prefix(source: &str) -> String {
    let flat = source.replace('/', "_");
    let n = flat.chars().count();
    let keep: String = flat.chars().take(n.saturating_sub(3)).collect();
    keep + "_"
}

/// The qstrs of `table` the header does not know, first occurrence of each escaped name, in
/// table order: `(escaped, text)`.
pub fn new_qstrs<'t>(table: &'t QstrTable, header: &QstrHeader) -> Vec<(&'t str, &'t str)> {
    new_qstrs_from(table.iter().map(|q| (&*q.esc, &*q.text)), header)
}

/// [`new_qstrs`] of `(escaped, text)` pairs in table order.
pub fn new_qstrs_from<'t>(
    all: impl Iterator<Item = (&'t str, &'t str)>,
    header: &QstrHeader,
) -> Vec<(&'t str, &'t str)> {
    let mut seen: HashSet<&str> = HashSet::new();
    all.filter(|(esc, _)| !header.known.contains(*esc) && seen.insert(esc))
        .collect()
}

/// The includes, configuration guards and the float and complex struct definitions.
pub fn write_preamble(out: &mut String, config: &EmitConfig) {
    let _ = write!(
        out,
        "#include \"py/mpconfig.h\"\n#include \"py/objint.h\"\n#include \"py/objstr.h\"\n#include \"py/emitglue.h\"\n\n\
         #if MICROPY_OPT_CACHE_MAP_LOOKUP_IN_BYTECODE != {}\n#error \"incompatible MICROPY_OPT_CACHE_MAP_LOOKUP_IN_BYTECODE\"\n#endif\n\n\
         #if MICROPY_LONGINT_IMPL != {}\n#error \"incompatible MICROPY_LONGINT_IMPL\"\n#endif\n\n",
        u8::from(config.cache_lookup_bc),
        config.longint.number()
    );
    if config.longint == LongIntImpl::Mpz {
        let _ = write!(
            out,
            "#if MPZ_DIG_SIZE != {}\n#error \"incompatible MPZ_DIG_SIZE\"\n#endif\n\n",
            config.mpz_dig_size
        );
    }
    out.push_str(
        "#if MICROPY_PY_BUILTINS_FLOAT\ntypedef struct _mp_obj_float_t {\n    mp_obj_base_t base;\n    mp_float_t value;\n} mp_obj_float_t;\n#endif\n\n\
         #if MICROPY_PY_BUILTINS_COMPLEX\ntypedef struct _mp_obj_complex_t {\n    mp_obj_base_t base;\n    mp_float_t real;\n    mp_float_t imag;\n} mp_obj_complex_t;\n#endif\n\n",
    );
}

/// The enum of new qstrs and `mp_qstr_frozen_const_pool`.
pub fn write_qstr_pool(
    out: &mut String,
    new: &[(&str, &str)],
    header: &QstrHeader,
) -> Result<(), FreezeError> {
    if !new.is_empty() {
        out.push_str("enum {\n");
        for (i, (esc, _)) in new.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "    MP_QSTR_{esc} = MP_QSTRnumber_of,");
            } else {
                let _ = writeln!(out, "    MP_QSTR_{esc},");
            }
        }
        out.push_str("};\n");
    }
    let _ = write!(
        out,
        "\nextern const qstr_pool_t mp_qstr_const_pool;\nconst qstr_pool_t mp_qstr_frozen_const_pool = {{\n    \
         (qstr_pool_t*)&mp_qstr_const_pool, // previous pool\n    MP_QSTRnumber_of, // previous pool size\n    \
         {} // allocated entries\n    {} // used entries\n    {{\n",
        format_args!("{},", new.len().min(10)),
        format_args!("{},", new.len()),
    );
    for (_, text) in new {
        match qstr_data_literal(text, header.bytes_in_len, header.bytes_in_hash) {
            Some(lit) => {
                let _ = writeln!(out, "        {lit},");
            }
            None => {
                let _ = writeln!(out, "qstr is too long: {text}");
                return Err(FreezeError::python("AssertionError", ""));
            }
        }
    }
    out.push_str("    },\n};\n");
    Ok(())
}

/// `mp_frozen_mpy_names` and `mp_frozen_mpy_content`.
pub fn write_tables(out: &mut String, module_names: &[&str], raw_code_names: &[String]) {
    out.push_str("\nconst char mp_frozen_mpy_names[] = {\n");
    for name in module_names {
        let _ = writeln!(out, "\"{name}\\0\"");
    }
    out.push_str("\"\\0\"};\nconst mp_raw_code_t *const mp_frozen_mpy_content[] = {\n");
    for name in raw_code_names {
        let _ = writeln!(out, "    &raw_code_{name},");
    }
    out.push_str("};\n");
}
