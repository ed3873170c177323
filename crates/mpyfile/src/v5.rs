//! `.mpy` version 5 (MicroPython 1.12 to 1.18), read for `mpyc dump`: header, then raw codes
//! depth first, each with its own const table (argument names, objects, children); qstrs are
//! written inline through the 32-entry window as in v4, bytecode uses the opcode numbering v6
//! kept, with 16-bit jump offsets. The reader builds the dump directly; it never panics and
//! allocates only what the rest of the input can hold.

use crate::cursor::Cursor;
use crate::dump::{bytes_repr, str_repr, text, DumpConst, DumpInstr};
use crate::number::{parse_complex, parse_float, parse_int};
use crate::v6::disasm::{
    decode_lines, decode_prelude, decode_signature_and_sizes, op_info, OperandKind, BINARY_OPS,
    UNARY_OPS,
};
use crate::v6::dump::{native_header_text, prelude_text, DumpPreludeV6};
use crate::v6::STATIC_QSTRS;
use serde::Serialize;
use std::fmt::Write;
use thiserror::Error;

/// Deepest nesting of raw codes accepted.
pub const MAX_DEPTH: usize = 256;

/// Why bytes are not a `.mpy` v5 file this reader accepts.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error("not a valid .mpy file")]
    NotMpy,
    #[error("incompatible .mpy version {0} (expected 5)")]
    Version(u8),
    #[error("qstr window size {0} in the header (mpy-cross writes 32)")]
    WindowSize(u64),
    #[error("unexpected end of file at byte {offset}")]
    Truncated { offset: usize },
    #[error("var-uint at byte {offset} is too large")]
    VarUintOverflow { offset: usize },
    #[error("non-canonical var-uint at byte {offset}")]
    NonCanonicalUint { offset: usize },
    #[error("{what} {value} at byte {offset} is larger than the rest of the file allows")]
    TooLarge {
        what: &'static str,
        value: u64,
        offset: usize,
    },
    #[error("qstr at byte {offset}: static qstr number {number} out of range")]
    StaticQstr { offset: usize, number: u8 },
    #[error("qstr at byte {offset}: window entry {index} is empty or out of range")]
    WindowRef { offset: usize, index: u64 },
    #[error("raw code at byte {offset}: bad prelude")]
    Prelude { offset: usize },
    #[error("raw code at byte {offset}: unknown opcode {opcode:#04x}")]
    Opcode { offset: usize, opcode: u8 },
    #[error("raw code at byte {offset}: bytecode runs past its {len}-byte code")]
    Overrun { offset: usize, len: usize },
    #[error("raw code at byte {offset}: native prelude offset {prelude_offset} outside the {len}-byte code")]
    PreludeOffset {
        offset: usize,
        prelude_offset: u64,
        len: usize,
    },
    #[error("raw code at byte {offset}: relocated viper code (natmods) is not supported")]
    Relocations { offset: usize },
    #[error("constant at byte {offset}: unknown type {tag:#04x}")]
    ConstType { offset: usize, tag: u8 },
    #[error("constant at byte {offset}: invalid {kind} text {text:?}")]
    Number {
        offset: usize,
        kind: &'static str,
        text: String,
    },
    #[error("raw codes nested deeper than {0}")]
    TooDeep(usize),
    #[error("{count} unexpected bytes after the last raw code at byte {offset}")]
    TrailingBytes { offset: usize, count: usize },
}

crate::cursor::from_cursor_error!(ReadError);

/// A whole v5 file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpV5 {
    pub version: u8,
    /// The feature-flag bits (bit 0 cache-lookup-bc, bit 1 unicode).
    pub flags: u8,
    pub cache_lookup_bc: bool,
    pub unicode: bool,
    pub small_int_bits: u8,
    pub arch: &'static str,
    pub raw_code: DumpRawCodeV5,
}

/// One raw code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpRawCodeV5 {
    pub kind: &'static str,
    pub size: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simple_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_file: Option<String>,
    pub arg_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prelude: Option<DumpPreludeV6>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bytecode: Vec<DumpInstr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub native: Option<DumpNativeV5>,
    pub consts: Vec<DumpConst>,
    pub children: Vec<DumpRawCodeV5>,
}

/// Native-code facts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DumpNativeV5 {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prelude_offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_flags: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_pos_args: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_sig: Option<u64>,
    /// (byte offset, link kind, qstr).
    pub qstr_links: Vec<(u64, u8, String)>,
    pub code_hex: String,
}

/// Reads a v5 file and builds its dump.
pub fn inspect(bytes: &[u8]) -> Result<DumpV5, ReadError> {
    let mut r = Reader {
        c: Cursor::new(bytes, 0),
        window: [None; 32],
        window_idx: 0,
        cache: false,
    };
    if r.c.byte()? != b'M' {
        return Err(ReadError::NotMpy);
    }
    let version = r.c.byte()?;
    if version != 5 {
        return Err(ReadError::Version(version));
    }
    let feature = r.c.byte()?;
    let small_int_bits = r.c.byte()?;
    let window = r.c.uint_any(None)?;
    if window != 32 {
        return Err(ReadError::WindowSize(window));
    }
    r.cache = feature & 1 != 0;
    let raw_code = r.raw_code(1)?;
    if r.c.pos != bytes.len() {
        return Err(ReadError::TrailingBytes {
            offset: r.c.pos,
            count: bytes.len() - r.c.pos,
        });
    }
    Ok(DumpV5 {
        version,
        flags: feature & 3,
        cache_lookup_bc: feature & 1 != 0,
        unicode: feature & 2 != 0,
        small_int_bits,
        arch: rawcode::v6::Arch::from_number(feature >> 2).map_or("unknown", |a| a.name()),
        raw_code,
    })
}

struct Reader<'a> {
    c: Cursor<'a>,
    /// The qstr window: the most recent qstrs, `window_idx` the newest.
    window: [Option<(usize, usize)>; 32],
    window_idx: usize,
    cache: bool,
}

impl<'a> Reader<'a> {
    /// A qstr (static, from the window, or in full), as text. Strings written in full are
    /// pushed on the window as their (start, length) in the file.
    fn qstr(&mut self) -> Result<String, ReadError> {
        let offset = self.c.pos;
        let n = self.c.uint_any(None)?;
        if n == 0 {
            let number = self.c.byte()?;
            return usize::from(number)
                .checked_sub(1)
                .and_then(|i| STATIC_QSTRS.get(i))
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .ok_or(ReadError::StaticQstr { offset, number });
        }
        if n & 1 != 0 {
            let index = n >> 1;
            let at = usize::try_from(index)
                .ok()
                .filter(|&i| i < 32)
                .and_then(|i| self.window[(self.window_idx + 32 - i) % 32].map(|e| (i, e)))
                .ok_or(ReadError::WindowRef { offset, index })?;
            let (i, entry) = at;
            // Move the entry to the front, as the loader's window does.
            let from = (self.window_idx + 32 - i) % 32;
            let mut k = from;
            while k != self.window_idx {
                let next = (k + 1) % 32;
                self.window[k] = self.window[next];
                k = next;
            }
            self.window[self.window_idx] = Some(entry);
            return Ok(self.string_at(entry));
        }
        let len = usize::try_from(n >> 1)
            .ok()
            .filter(|&l| l <= self.c.data.len() - self.c.pos)
            .ok_or(ReadError::TooLarge {
                what: "qstr length",
                value: n >> 1,
                offset,
            })?;
        let start = self.c.pos;
        self.c.bytes(len)?;
        self.window_idx = (self.window_idx + 1) % 32;
        self.window[self.window_idx] = Some((start, len));
        Ok(String::from_utf8_lossy(&self.c.data[start..start + len]).into_owned())
    }

    fn string_at(&self, (start, len): (usize, usize)) -> String {
        String::from_utf8_lossy(&self.c.data[start..start + len]).into_owned()
    }

    fn obj(&mut self, index: usize) -> Result<DumpConst, ReadError> {
        let offset = self.c.pos;
        let tag = self.c.byte()?;
        if tag == b'e' {
            return Ok(DumpConst {
                index,
                kind: "ellipsis",
                value: "Ellipsis".into(),
            });
        }
        let len = self.c.count_any("constant length")?;
        let data = self.c.bytes(len)?;
        let text = || String::from_utf8_lossy(data).into_owned();
        let bad = |kind| ReadError::Number {
            offset,
            kind,
            text: text(),
        };
        let (kind, value) = match tag {
            b's' => ("str", str_repr(data)),
            b'b' => ("bytes", bytes_repr(data)),
            b'i' => (
                "int",
                parse_int(data).ok_or_else(|| bad("int"))?.to_string(),
            ),
            b'f' => {
                parse_float(data).ok_or_else(|| bad("float"))?;
                ("float", text())
            }
            b'c' => {
                parse_complex(data).ok_or_else(|| bad("complex"))?;
                ("complex", text())
            }
            _ => return Err(ReadError::ConstType { offset, tag }),
        };
        Ok(DumpConst { index, kind, value })
    }

    fn raw_code(&mut self, depth: usize) -> Result<DumpRawCodeV5, ReadError> {
        if depth > MAX_DEPTH {
            return Err(ReadError::TooDeep(MAX_DEPTH));
        }
        let offset = self.c.pos;
        let kind_len = self.c.uint_any(None)?;
        let kind = (kind_len & 3) as u8;
        let len = usize::try_from(kind_len >> 2)
            .ok()
            .filter(|&l| l <= self.c.data.len().saturating_mul(2))
            .ok_or(ReadError::TooLarge {
                what: "code length",
                value: kind_len >> 2,
                offset,
            })?;
        let mut rc = DumpRawCodeV5 {
            kind: ["bytecode", "native", "viper", "asm"][usize::from(kind)],
            size: len,
            simple_name: None,
            source_file: None,
            arg_names: Vec::new(),
            prelude: None,
            bytecode: Vec::new(),
            native: None,
            consts: Vec::new(),
            children: Vec::new(),
        };
        let mut n_args = 0u64;
        let mut pending: Vec<(usize, u64)> = Vec::new();
        let mut scope_flags = 0;
        if kind == 0 {
            let (prelude, instrs, args) = self.bytecode(offset, len)?;
            n_args = prelude.n_pos_args + prelude.n_kwonly_args;
            rc.simple_name = Some(args.0);
            rc.source_file = Some(args.1);
            rc.prelude = Some(prelude);
            rc.bytecode = instrs.0;
            pending = instrs.1;
        } else {
            let code = self.c.bytes(len)?;
            let mut n = DumpNativeV5 {
                prelude_offset: None,
                scope_flags: None,
                n_pos_args: None,
                type_sig: None,
                qstr_links: Vec::new(),
                code_hex: code.iter().map(|b| format!("{b:02x}")).collect(),
            };
            if kind != 3 {
                let links = self.c.count_any("qstr link count")?;
                for _ in 0..links {
                    let off = self.c.uint_any(None)?;
                    let q = self.qstr()?;
                    n.qstr_links.push((off >> 2, (off & 3) as u8, q));
                }
            }
            if kind == 1 {
                let po = self.c.uint_any(None)?;
                let at = usize::try_from(po).ok().filter(|&p| p < len).ok_or(
                    ReadError::PreludeOffset {
                        offset,
                        prelude_offset: po,
                        len,
                    },
                )?;
                let p = decode_prelude(&code[at..]).map_err(|_| ReadError::Prelude { offset })?;
                n_args = p.n_pos_args + p.n_kwonly_args;
                rc.simple_name = Some(self.qstr()?);
                rc.source_file = Some(self.qstr()?);
                n.prelude_offset = Some(po);
            } else {
                scope_flags = self.c.uint_any(None)?;
                n.scope_flags = Some(scope_flags);
                if kind == 3 {
                    n.n_pos_args = Some(self.c.uint_any(None)?);
                    n.type_sig = Some(self.c.uint_any(None)?);
                }
            }
            rc.native = Some(n);
        }
        if kind != 3 {
            let n_obj = self.c.count_any("constant count")?;
            let n_raw = self.c.count_any("child count")?;
            for _ in 0..n_args {
                rc.arg_names.push(self.qstr()?);
            }
            if kind != 0 {
                if scope_flags & 0x10 != 0 {
                    return Err(ReadError::Relocations { offset });
                }
                if scope_flags & 0x20 != 0 {
                    let n = self.c.count_any("rodata size")?;
                    self.c.bytes(n)?;
                }
                if scope_flags & 0x40 != 0 {
                    self.c.uint_any(None)?;
                }
            }
            let base = n_args as usize + usize::from(kind != 0);
            for i in 0..n_obj {
                rc.consts.push(self.obj(base + i)?);
            }
            for _ in 0..n_raw {
                rc.children.push(self.raw_code(depth + 1)?);
            }
            // Operands naming const-table entries, now that the table is known.
            for (at, index) in pending {
                let i = usize::try_from(index).unwrap_or(usize::MAX);
                let text = if i < n_args as usize {
                    format!("arg {}", rc.arg_names.get(i).cloned().unwrap_or_default())
                } else if let Some(c) = i.checked_sub(base).and_then(|j| rc.consts.get(j)) {
                    c.value.clone()
                } else if i >= base + n_obj && i < base + n_obj + n_raw {
                    format!("child {}", i - base - n_obj)
                } else {
                    format!("const {index} (out of range)")
                };
                if let Some(instr) = rc.bytecode.get_mut(at) {
                    instr.args = format!("{text}{}", instr.args);
                }
            }
        }
        Ok(rc)
    }

    /// A bytecode raw code's prelude and opcodes (`len` bytes in memory, qstrs inline).
    #[allow(clippy::type_complexity)]
    fn bytecode(
        &mut self,
        offset: usize,
        len: usize,
    ) -> Result<
        (
            DumpPreludeV6,
            (Vec<DumpInstr>, Vec<(usize, u64)>),
            (String, String),
        ),
        ReadError,
    > {
        let bad_prelude = ReadError::Prelude { offset };
        // Signature and sizes, as in v6, then the two qstrs of the code info (16 bits each
        // in memory), the rest of the code info and the cells, verbatim.
        let (sig, (n_info, n_cells), head) =
            decode_signature_and_sizes(&self.c.data[self.c.pos..]).ok_or(bad_prelude.clone())?;
        self.c.pos += head;
        let simple_name = self.qstr()?;
        let source_file = self.qstr()?;
        let info_rest = usize::try_from(n_info)
            .ok()
            .and_then(|i| i.checked_sub(4))
            .ok_or(bad_prelude.clone())?;
        let n_cells = usize::try_from(n_cells).map_err(|_| bad_prelude.clone())?;
        let info = self.c.bytes(info_rest)?;
        let cells = self.c.bytes(n_cells)?.to_vec();
        let lines = decode_lines(info).ok_or(bad_prelude)?;
        let mem_head = head + 4 + info_rest + n_cells;
        if mem_head > len {
            return Err(ReadError::Overrun { offset, len });
        }
        let prelude = DumpPreludeV6 {
            n_state: sig.n_state,
            n_exc_stack: sig.n_exc_stack,
            scope_flags: sig.scope_flags,
            n_pos_args: sig.n_pos_args,
            n_kwonly_args: sig.n_kwonly_args,
            n_def_pos_args: sig.n_def_pos_args,
            n_info,
            lines,
            cells,
        };
        // Opcodes.
        let mut instrs = Vec::new();
        let mut pending = Vec::new();
        let mut mem = 0usize;
        let code_len = len - mem_head;
        while mem < code_len {
            let op = self.c.byte()?;
            let at = mem;
            let format = (0x3a4u32 >> (2 * u32::from(op >> 4))) & 3;
            let mut args = String::new();
            let name: &'static str;
            let extra = op & 0x9e == 0;
            if format == 1 {
                let (n, _) = op_info(op).ok_or(ReadError::Opcode { offset, opcode: op })?;
                name = n;
                args = self.qstr()?;
                mem += 3;
                if self.cache && matches!(op, 0x11 | 0x12 | 0x13 | 0x18) {
                    self.c.byte()?;
                    mem += 1;
                }
            } else {
                let start = self.c.pos;
                name = match op {
                    0x70..=0xaf => {
                        args = (i64::from(op) - 0x70 - 16).to_string();
                        "LOAD_CONST_SMALL_INT"
                    }
                    0xb0..=0xbf => {
                        args = (op - 0xb0).to_string();
                        "LOAD_FAST"
                    }
                    0xc0..=0xcf => {
                        args = (op - 0xc0).to_string();
                        "STORE_FAST"
                    }
                    0xd0..=0xd3 => {
                        args = UNARY_OPS[usize::from(op - 0xd0)].to_string();
                        "UNARY_OP"
                    }
                    0xd7..=0xf9 => {
                        args = BINARY_OPS[usize::from(op - 0xd7)].to_string();
                        "BINARY_OP"
                    }
                    _ => {
                        let (n, kind) =
                            op_info(op).ok_or(ReadError::Opcode { offset, opcode: op })?;
                        match kind {
                            OperandKind::N => {}
                            OperandKind::U => args = self.c.uint_any(None)?.to_string(),
                            OperandKind::I => {
                                let first = *self
                                    .c
                                    .data
                                    .get(self.c.pos)
                                    .ok_or(ReadError::Truncated { offset: self.c.pos })?;
                                let mut v: i64 = if first & 0x40 != 0 { -1 } else { 0 };
                                loop {
                                    let c = self.c.byte()?;
                                    v = v.wrapping_shl(7) | i64::from(c & 0x7f);
                                    if c & 0x80 == 0 {
                                        break;
                                    }
                                }
                                args = v.to_string();
                            }
                            OperandKind::O | OperandKind::C => {
                                pending.push((instrs.len(), self.c.uint_any(None)?));
                            }
                            OperandKind::S | OperandKind::T => {
                                let lo = self.c.byte()?;
                                let hi = self.c.byte()?;
                                let raw = i64::from(u16::from_le_bytes([lo, hi]));
                                let rel = if matches!(kind, OperandKind::S) {
                                    raw - 0x8000
                                } else {
                                    raw
                                };
                                args = format!("-> {}", at as i64 + 3 + rel);
                            }
                            OperandKind::Q => {}
                        }
                        n
                    }
                };
                if extra {
                    let e = self.c.byte()?;
                    let _ = write!(args, " extra {e}");
                }
                mem += self.c.pos - start + 1;
            }
            instrs.push(DumpInstr {
                offset: at,
                opcode: op,
                name,
                args,
            });
        }
        if mem != code_len {
            return Err(ReadError::Overrun { offset, len });
        }
        Ok((prelude, (instrs, pending), (simple_name, source_file)))
    }
}

impl DumpV5 {
    /// The text form `mpyc dump` prints.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut flags = Vec::new();
        if self.cache_lookup_bc {
            flags.push("cache-lookup-bc");
        }
        if self.unicode {
            flags.push("unicode");
        }
        let flags_text = if flags.is_empty() {
            "none".to_string()
        } else {
            flags.join(", ")
        };
        let _ = writeln!(out, "mpy version {}", self.version);
        let _ = writeln!(out, "feature flags {:#04x} ({flags_text})", self.flags);
        let _ = writeln!(out, "small int bits {}", self.small_int_bits);
        let _ = writeln!(out, "arch {}", self.arch);
        raw_code_text(&mut out, &self.raw_code, 0);
        out
    }

    /// The JSON form, pretty-printed with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

fn raw_code_text(out: &mut String, rc: &DumpRawCodeV5, depth: usize) {
    let pad = text::raw_code_heading(out, depth, rc.simple_name.as_deref(), rc.kind, rc.size);
    if let Some(sf) = &rc.source_file {
        let _ = writeln!(out, "{pad}source file {sf}");
    }
    if !rc.arg_names.is_empty() {
        let _ = writeln!(out, "{pad}arg names {}", rc.arg_names.join(" "));
    }
    if let Some(p) = &rc.prelude {
        prelude_text(out, &pad, p, "code info");
    }
    if let Some(n) = &rc.native {
        native_header_text(
            out,
            &pad,
            n.prelude_offset,
            n.scope_flags,
            n.n_pos_args,
            n.type_sig,
        );
        let _ = writeln!(out, "{pad}qstr links {}", n.qstr_links.len());
        for (off, kind, q) in &n.qstr_links {
            let _ = writeln!(out, "{pad}  {off:>6} {kind} {q}");
        }
        text::machine_code(out, &pad, &n.code_hex);
    }
    text::bytecode(out, &pad, &rc.bytecode);
    text::constants(out, &pad, &rc.consts);
    for child in &rc.children {
        raw_code_text(out, child, depth + 1);
    }
}
