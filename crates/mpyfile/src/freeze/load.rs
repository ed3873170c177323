//! Reading `.mpy` files the way mpy-tool.py 1.11 reads them for freezing.
//!
//! The crate's own reader ([`crate::read`]) is strict and numbers qstrs per module; freezing
//! must instead take every file mpy-tool.py takes, fail where it fails, and number qstrs in
//! one table shared by all files (every qstr read in full gets a new entry, duplicates too),
//! since the frozen C lists new qstrs in that order. So this loader keeps mpy-tool.py's
//! model: a byte buffer per raw code of exactly the announced length, qstrs packed into it
//! as 16-bit indices of the shared table, and the file's flags taken as the configuration.

use super::pynum::{parse_complex, parse_float, parse_int};
use super::FreezeError;
use mpcore::qstr::LAST_STATIC;
use mpcore::{Qstr, QstrPool};
use num_bigint::BigInt;
use rawcode::opcode::{fixed_size, format_of};
use rawcode::OpFormat;

/// Kinds as mpy-tool.py numbers them (`MP_CODE_*`).
pub const MP_CODE_BYTECODE: u8 = 2;
pub const MP_CODE_NATIVE_PY: u8 = 3;
pub const MP_CODE_NATIVE_VIPER: u8 = 4;
pub const MP_CODE_NATIVE_ASM: u8 = 5;

/// The largest index Python takes (`sys.maxsize` on 64-bit hosts); var-uints above it fail
/// where they are used as sizes or indices.
const INDEX_MAX: u64 = i64::MAX as u64;

/// CPython's message for an int beyond [`INDEX_MAX`] used as a size or an index.
const CANNOT_FIT: &str = "cannot fit 'int' into an index-sized integer";

/// Raw codes nested deeper than this stop the load, where the reference's recursion (about
/// two Python frames per level under a limit of 1,000) gives out.
pub const MAX_DEPTH: usize = 400;

/// One entry of the shared qstr table: the text and its escaped identifier suffix.
#[derive(Clone, Debug)]
pub struct QstrEntry {
    pub text: Box<str>,
    pub esc: Box<str>,
}

/// mpy-tool.py's `global_qstrs`: index 0 is the null qstr (never valid), 1..=165 the static
/// qstrs, then one entry per qstr read in full, in reading order.
#[derive(Clone, Debug)]
pub struct QstrTable {
    entries: Vec<Option<QstrEntry>>,
    /// Some file named a qstr by a static number above the last static qstr: such a number
    /// means whichever entry the shared table has there, so that file's C depends on the
    /// files read before it.
    pub static_above_last: bool,
}

impl Default for QstrTable {
    fn default() -> Self {
        Self::new()
    }
}

impl QstrTable {
    /// The table before any file is read.
    pub fn new() -> QstrTable {
        let pool = QstrPool::new();
        let mut entries = vec![None];
        for n in 1..=LAST_STATIC {
            let text = String::from_utf8_lossy(pool.get(Qstr(n))).into_owned();
            entries.push(Some(QstrEntry::new(text)));
        }
        QstrTable {
            entries,
            static_above_last: false,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn push(&mut self, text: String) -> usize {
        self.entries.push(Some(QstrEntry::new(text)));
        self.entries.len() - 1
    }

    /// Entry `index`, failing as the reference does when its attribute `attr` is used: an
    /// `IndexError` past the end, an `AttributeError` on the null qstr.
    pub fn get(&self, index: usize, attr: &str) -> Result<&QstrEntry, FreezeError> {
        match self.entries.get(index) {
            None => Err(FreezeError::python("IndexError", "list index out of range")),
            Some(None) => Err(FreezeError::Python {
                kind: "AttributeError",
                message: format!("'NoneType' object has no attribute '{attr}'"),
            }),
            Some(Some(e)) => Ok(e),
        }
    }

    /// All entries in table order (the null qstr left out).
    pub fn iter(&self) -> impl Iterator<Item = &QstrEntry> {
        self.entries.iter().flatten()
    }
}

impl QstrEntry {
    fn new(text: String) -> QstrEntry {
        let esc = super::escape::qstr_escape(&text).into_boxed_str();
        QstrEntry {
            text: text.into_boxed_str(),
            esc,
        }
    }
}

/// A constant object as the reference holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Obj {
    /// `mp_fun_table`, first object of every native raw code.
    FunTable,
    Ellipsis,
    Str(Vec<u8>),
    Bytes(Vec<u8>),
    Int(BigInt),
    Float(f64),
    Complex(f64, f64),
}

/// One raw code as read.
#[derive(Clone, Debug)]
pub struct LoadedCode {
    /// `MP_CODE_*`.
    pub kind: u8,
    /// Bytecode or machine code, qstr names packed in as table indices.
    pub data: Vec<u8>,
    /// Where the prelude starts (0 for bytecode); `None` for viper and asm.
    pub prelude_offset: Option<usize>,
    /// Scope flags and positional argument count, as the reference's prelude tuple has them.
    pub scope_flags: u64,
    pub n_pos_args: u64,
    /// End of the prelude (first opcode) and position of the packed simple name.
    pub ip: usize,
    pub ip2: usize,
    /// Table indices of the simple name (1, the empty string, for viper and asm) and source
    /// file (`None` for viper and asm, where the reference has no such attribute).
    pub simple_name: usize,
    pub source_file: Option<usize>,
    pub type_sig: u64,
    /// Argument names (table indices), objects and children of the const table.
    pub qstrs: Vec<usize>,
    pub objs: Vec<Obj>,
    pub children: Vec<LoadedCode>,
}

/// The flags a file's header sets; mpy-tool.py keeps those of the last file read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FileFlags {
    pub cache_lookup_bc: bool,
    pub native_arch: u8,
}

/// Reads one `.mpy` file, adding its qstrs to `table`.
pub fn load_mpy(
    bytes: &[u8],
    table: &mut QstrTable,
) -> Result<(LoadedCode, FileFlags), FreezeError> {
    let header = &bytes[..bytes.len().min(4)];
    let index_error = || FreezeError::python("IndexError", "index out of range");
    if *header.first().ok_or_else(index_error)? != b'M' {
        return Err(FreezeError::python("Exception", "not a valid .mpy file"));
    }
    if *header.get(1).ok_or_else(index_error)? != crate::MPY_VERSION {
        return Err(FreezeError::python(
            "Exception",
            "incompatible .mpy version",
        ));
    }
    let feature = *header.get(2).ok_or_else(index_error)?;
    let mut r = Loader {
        data: bytes,
        pos: header.len(),
        table,
        window: Vec::new(),
        window_size: 0,
        cache: feature & 1 != 0,
    };
    r.window_size = r.uint()?;
    header.get(3).ok_or_else(index_error)?;
    let flags = FileFlags {
        cache_lookup_bc: feature & 1 != 0,
        native_arch: feature >> 2,
    };
    Ok((r.raw_code(1)?, flags))
}

/// A reading position and the reader's state for one file.
struct Loader<'a, 't> {
    data: &'a [u8],
    pos: usize,
    table: &'t mut QstrTable,
    /// Most recent first, as the reference's list.
    window: Vec<usize>,
    window_size: u64,
    cache: bool,
}

/// The bytearray a raw code is read into: `len` bytes announced, written at `idx`.
struct Buffer {
    data: Vec<u8>,
    len: usize,
    idx: usize,
}

impl Buffer {
    fn append(&mut self, b: u8) -> Result<(), FreezeError> {
        if self.idx >= self.len {
            return Err(FreezeError::python(
                "IndexError",
                "bytearray index out of range",
            ));
        }
        if self.idx == self.data.len() {
            self.data.push(b);
        } else {
            self.data[self.idx] = b;
        }
        self.idx += 1;
        Ok(())
    }

    fn is_full(&self) -> bool {
        self.idx == self.len
    }
}

impl Loader<'_, '_> {
    fn byte(&mut self) -> Result<u8, FreezeError> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or_else(|| FreezeError::python("IndexError", "index out of range"))?;
        self.pos += 1;
        Ok(b)
    }

    /// `f.read(n)`: up to `n` bytes, fewer at the end of the file.
    fn read(&mut self, n: u64) -> Result<&[u8], FreezeError> {
        if n > INDEX_MAX {
            return Err(FreezeError::python("OverflowError", CANNOT_FIT));
        }
        let n = usize::try_from(n)
            .unwrap_or(usize::MAX)
            .min(self.data.len() - self.pos);
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// A var-uint; values past 64 bits saturate.
    fn uint_into(&mut self, mut out: Option<&mut Buffer>) -> Result<u64, FreezeError> {
        let mut v: u64 = 0;
        loop {
            let b = self.byte()?;
            if let Some(buf) = out.as_deref_mut() {
                buf.append(b)?;
            }
            v = v
                .checked_mul(128)
                .map_or(u64::MAX, |x| x | u64::from(b & 0x7f));
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
    }

    /// A var-uint whose low bits carry meaning: exact up to 128 bits; beyond, saturated with
    /// the low 7 bits kept.
    fn uint_wide(&mut self) -> Result<u128, FreezeError> {
        let mut v: u128 = 0;
        loop {
            let b = self.byte()?;
            let low = u128::from(b & 0x7f);
            v = match v.checked_mul(128) {
                Some(x) => x | low,
                None => !0x7f_u128 | low,
            };
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
    }

    fn uint(&mut self) -> Result<u64, FreezeError> {
        self.uint_into(None)
    }

    fn window_push(&mut self, q: usize) {
        let keep = python_slice_end(self.window.len(), i128::from(self.window_size) - 1);
        self.window.truncate(keep);
        self.window.insert(0, q);
    }

    /// `read_qstr`: a static number, a window reference or a new table entry.
    fn qstr(&mut self) -> Result<usize, FreezeError> {
        let ln = self.uint_wide()?;
        if ln == 0 {
            let n = self.byte()?;
            self.table.static_above_last |= u16::from(n) > LAST_STATIC;
            return Ok(usize::from(n));
        }
        if ln & 1 == 1 {
            if ln >> 1 > u128::from(INDEX_MAX) {
                return Err(FreezeError::python("IndexError", CANNOT_FIT));
            }
            let idx = usize::try_from(ln >> 1).unwrap_or(usize::MAX);
            if idx >= self.window.len() {
                return Err(FreezeError::python("IndexError", "list index out of range"));
            }
            let q = self.window.remove(idx);
            self.window.insert(0, q);
            return Ok(q);
        }
        let raw = self.read(u64::try_from(ln >> 1).unwrap_or(u64::MAX))?;
        let text = std::str::from_utf8(raw)
            .map_err(|e| FreezeError::Python {
                kind: "UnicodeDecodeError",
                message: utf8_error_text(raw, &e),
            })?
            .to_string();
        let q = self.table.push(text);
        self.window_push(q);
        Ok(q)
    }

    fn qstr_and_pack(&mut self, buf: &mut Buffer) -> Result<(), FreezeError> {
        let q = self.qstr()?;
        buf.append((q & 0xff) as u8)?;
        let high = q >> 8;
        if high > 0xff {
            return Err(FreezeError::python(
                "ValueError",
                "byte must be in range(0, 256)",
            ));
        }
        buf.append(high as u8)
    }

    fn obj(&mut self) -> Result<Obj, FreezeError> {
        let tag = self.read(1)?.first().copied();
        if tag == Some(b'e') {
            return Ok(Obj::Ellipsis);
        }
        let n = self.uint()?;
        let buf = self.read(n)?.to_vec();
        let ascii = |buf: &[u8]| -> Result<String, FreezeError> {
            match buf.iter().position(|b| !b.is_ascii()) {
                None => Ok(String::from_utf8_lossy(buf).into_owned()),
                Some(i) => Err(FreezeError::Python {
                    kind: "UnicodeDecodeError",
                    message: format!(
                        "'ascii' codec can't decode byte 0x{:02x} in position {i}: ordinal not in range(128)",
                        buf[i]
                    ),
                }),
            }
        };
        let value_error = |message| FreezeError::Python {
            kind: "ValueError",
            message,
        };
        Ok(match tag {
            Some(b's') => {
                std::str::from_utf8(&buf).map_err(|e| FreezeError::Python {
                    kind: "UnicodeDecodeError",
                    message: utf8_error_text(&buf, &e),
                })?;
                Obj::Str(buf)
            }
            Some(b'b') => Obj::Bytes(buf),
            Some(b'i') => Obj::Int(parse_int(&ascii(&buf)?).map_err(value_error)?),
            Some(b'f') => Obj::Float(parse_float(&ascii(&buf)?).map_err(value_error)?),
            Some(b'c') => {
                let (re, im) = parse_complex(&ascii(&buf)?).map_err(value_error)?;
                Obj::Complex(re, im)
            }
            _ => return Err(FreezeError::python("AssertionError", "")),
        })
    }

    /// `read_prelude`: copies the prelude into `buf`; returns the index after the code-info
    /// size and the prelude's scope flags and argument counts.
    fn prelude(&mut self, buf: &mut Buffer) -> Result<(usize, [u8; 3]), FreezeError> {
        self.uint_into(Some(buf))?;
        self.uint_into(Some(buf))?;
        let mut fields = [0u8; 4];
        for f in &mut fields {
            *f = self.byte()?;
            buf.append(*f)?;
        }
        let l1 = buf.idx;
        let code_info_size = self.uint_into(Some(buf))?;
        let l2 = buf.idx;
        for _ in 0..code_info_size.saturating_sub((l2 - l1) as u64) {
            let b = self.byte()?;
            buf.append(b)?;
        }
        loop {
            let b = self.byte()?;
            buf.append(b)?;
            if b == 255 {
                break;
            }
        }
        Ok((l2, [fields[0], fields[1], fields[2]]))
    }

    fn bytecode(&mut self, buf: &mut Buffer) -> Result<(), FreezeError> {
        while !buf.is_full() {
            let op = self.byte()?;
            buf.append(op)?;
            let mut rest = fixed_size(op, self.cache) - 1;
            match format_of(op) {
                OpFormat::Qstr => {
                    self.qstr_and_pack(buf)?;
                    rest -= 2;
                }
                OpFormat::VarUint => loop {
                    let b = self.byte()?;
                    buf.append(b)?;
                    if b & 0x80 == 0 {
                        break;
                    }
                },
                _ => {}
            }
            for _ in 0..rest {
                let b = self.byte()?;
                buf.append(b)?;
            }
        }
        Ok(())
    }

    fn raw_code(&mut self, depth: usize) -> Result<LoadedCode, FreezeError> {
        if depth > MAX_DEPTH {
            return Err(FreezeError::python(
                "RecursionError",
                "maximum recursion depth exceeded",
            ));
        }
        let kind_len = self.uint_wide()?;
        let kind = (kind_len & 3) as u8 + MP_CODE_BYTECODE;
        if kind_len >> 2 > u128::from(INDEX_MAX) {
            // `bytearray(n)` (sizes just below this fail as `MemoryError` in the reference).
            return Err(FreezeError::python("OverflowError", CANNOT_FIT));
        }
        let len = usize::try_from(kind_len >> 2).unwrap_or(usize::MAX);
        let mut buf = Buffer {
            data: Vec::new(),
            len,
            idx: 0,
        };
        let mut prelude_offset = None;
        let mut name_idx = None;
        let (mut n_pos_args, mut n_kwonly_args) = (0u64, 0u64);
        let mut type_sig = 0;
        let scope_flags;
        if kind == MP_CODE_BYTECODE {
            let (l2, [sf, npos, nkw]) = self.prelude(&mut buf)?;
            self.bytecode(&mut buf)?;
            name_idx = Some(l2);
            prelude_offset = Some(0);
            (scope_flags, n_pos_args, n_kwonly_args) = (sf.into(), npos.into(), nkw.into());
        } else {
            buf.data = self.read(len as u64)?.to_vec();
            buf.len = buf.data.len();
            if matches!(kind, MP_CODE_NATIVE_PY | MP_CODE_NATIVE_VIPER) {
                let n_links = self.uint()?;
                if n_links > 0 {
                    // The reference passes its qstr window as the output list of the link
                    // offset's bytes, which fails on the first byte.
                    self.byte()?;
                    return Err(FreezeError::python(
                        "AttributeError",
                        "'QStrWindow' object has no attribute 'append'",
                    ));
                }
            }
            if kind == MP_CODE_NATIVE_PY {
                let po = self.uint()?;
                if po > INDEX_MAX {
                    return Err(FreezeError::python("IndexError", CANNOT_FIT));
                }
                let po = usize::try_from(po).unwrap_or(usize::MAX);
                let p = extract_prelude(&buf.data, po)?;
                name_idx = Some(p.ip2);
                prelude_offset = Some(po);
                (scope_flags, n_pos_args, n_kwonly_args) =
                    (p.scope_flags, p.n_pos_args, p.n_kwonly);
            } else {
                scope_flags = self.uint()?;
                if kind == MP_CODE_NATIVE_ASM {
                    n_pos_args = self.uint()?;
                    type_sig = self.uint()?;
                }
            }
        }
        if let Some(at) = name_idx {
            buf.idx = at;
            self.qstr_and_pack(&mut buf)?;
            self.qstr_and_pack(&mut buf)?;
        }
        let mut code = LoadedCode {
            kind,
            data: Vec::new(),
            prelude_offset,
            scope_flags,
            n_pos_args,
            ip: 0,
            ip2: 0,
            simple_name: 1,
            source_file: None,
            type_sig,
            qstrs: Vec::new(),
            objs: Vec::new(),
            children: Vec::new(),
        };
        if kind != MP_CODE_NATIVE_ASM {
            let n_obj = self.uint()?;
            let n_raw_code = self.uint()?;
            for _ in 0..n_pos_args.saturating_add(n_kwonly_args) {
                code.qstrs.push(self.qstr()?);
            }
            if kind != MP_CODE_BYTECODE {
                code.objs.push(Obj::FunTable);
            }
            for _ in 0..n_obj {
                code.objs.push(self.obj()?);
            }
            for _ in 0..n_raw_code {
                code.children.push(self.raw_code(depth + 1)?);
            }
        }
        code.data = buf.data;
        if let Some(po) = prelude_offset {
            // The reference decodes the prelude again from the buffer, names packed in.
            let p = extract_prelude(&code.data, po)?;
            code.ip = p.ip;
            code.ip2 = p.ip2;
            if kind == MP_CODE_BYTECODE {
                code.scope_flags = p.scope_flags;
                code.n_pos_args = p.n_pos_args;
            }
            code.simple_name = self.unpack_qstr(&code.data, p.ip2)?;
            code.source_file = Some(self.unpack_qstr(&code.data, p.ip2 + 2)?);
        }
        Ok(code)
    }

    /// `_unpack_qstr` at construction: a table index that must exist now.
    fn unpack_qstr(&self, data: &[u8], at: usize) -> Result<usize, FreezeError> {
        let q = unpack_u16(data, at)?;
        self.table.get(q, "").map(|_| q).or_else(|e| match e {
            FreezeError::Python {
                kind: "AttributeError",
                ..
            } => Ok(0),
            e => Err(e),
        })
    }
}

/// The 16-bit little-endian table index at `at`.
pub fn unpack_u16(data: &[u8], at: usize) -> Result<usize, FreezeError> {
    match (data.get(at), data.get(at + 1)) {
        (Some(&lo), Some(&hi)) => Ok(usize::from(lo) | usize::from(hi) << 8),
        _ => Err(FreezeError::python(
            "IndexError",
            "bytearray index out of range",
        )),
    }
}

/// What `extract_prelude` finds in a buffer.
struct PreludeAt {
    ip: usize,
    ip2: usize,
    scope_flags: u64,
    n_pos_args: u64,
    n_kwonly: u64,
}

fn extract_prelude(data: &[u8], start: usize) -> Result<PreludeAt, FreezeError> {
    let oob = || FreezeError::python("IndexError", "bytearray index out of range");
    let at = |i: usize| data.get(i).copied().ok_or_else(oob);
    let uint = |mut i: usize| -> Result<(usize, u64), FreezeError> {
        let mut v: u64 = 0;
        loop {
            let b = at(i)?;
            i += 1;
            v = v
                .checked_mul(128)
                .map_or(u64::MAX, |x| x | u64::from(b & 0x7f));
            if b & 0x80 == 0 {
                return Ok((i, v));
            }
        }
    };
    let (ip, _n_state) = uint(start)?;
    let (ip, _n_exc) = uint(ip)?;
    let scope_flags = at(ip)?.into();
    let n_pos_args = at(ip + 1)?.into();
    let n_kwonly = at(ip + 2)?.into();
    at(ip + 3)?;
    let ip = ip + 4;
    let (ip2, code_info_size) = uint(ip)?;
    if code_info_size.saturating_add(ip as u64) > INDEX_MAX {
        return Err(FreezeError::python("IndexError", CANNOT_FIT));
    }
    let mut ip = ip.saturating_add(usize::try_from(code_info_size).unwrap_or(usize::MAX));
    while at(ip)? != 0xff {
        ip += 1;
    }
    Ok(PreludeAt {
        ip: ip + 1,
        ip2,
        scope_flags,
        n_pos_args,
        n_kwonly,
    })
}

/// Python's `list[:end]` length for a list of `len` items (negative `end` counts from the end).
fn python_slice_end(len: usize, end: i128) -> usize {
    if end < 0 {
        (len as i128 + end).max(0) as usize
    } else {
        (end as u128).min(len as u128) as usize
    }
}

/// The message of CPython's `UnicodeDecodeError` for strict UTF-8 decoding.
pub fn utf8_error_text(data: &[u8], e: &std::str::Utf8Error) -> String {
    let at = e.valid_up_to();
    match e.error_len() {
        None if data.len() - at > 1 => format!(
            "'utf-8' codec can't decode bytes in position {}-{}: unexpected end of data",
            at,
            data.len() - 1
        ),
        None => format!(
            "'utf-8' codec can't decode byte 0x{:02x} in position {at}: unexpected end of data",
            data[at]
        ),
        Some(n) if n > 1 => format!(
            "'utf-8' codec can't decode bytes in position {at}-{}: invalid continuation byte",
            at + n - 1
        ),
        Some(_) => {
            let b = data[at];
            let reason = if (0xc2..=0xf4).contains(&b) {
                "invalid continuation byte"
            } else {
                "invalid start byte"
            };
            format!("'utf-8' codec can't decode byte 0x{b:02x} in position {at}: {reason}")
        }
    }
}
