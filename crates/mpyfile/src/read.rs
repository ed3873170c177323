//! The `.mpy` reader: `mp_raw_code_load` of `py/persistentcode.c`, made strict and safe.
//!
//! Qstrs are interned into a fresh [`QstrPool`] as the loader interns them, and bytecode gets
//! their numbers inline. What the loader would patch but the writer copies verbatim (the
//! code-info qstr numbers, native machine code) is kept as in the file; the names and number
//! texts the writer needs are kept in [`LoadedInfo`].

use crate::cursor::Cursor;
use crate::error::ReadError;
use crate::number::{parse_complex, parse_float, parse_int};
use crate::window::Window;
use crate::{MPY_VERSION, QSTR_WINDOW_SIZE};
use mpcore::qstr::LAST_STATIC;
use mpcore::{Arch, Qstr, QstrPool, Target};
use rawcode::opcode::{fixed_size, format_of};
use rawcode::{
    Body, CodeKind, Const, LoadedInfo, Module, NativeCode, NativeKind, OpFormat, Prelude, QstrLink,
    RawCode,
};

/// Deepest nesting of raw codes the reader accepts (the module is depth 1).
pub const MAX_DEPTH: usize = 256;

/// Reads a `.mpy` v4 file.
pub fn read(bytes: &[u8]) -> Result<Module, ReadError> {
    let header = parse_header(bytes)?;
    if header.magic != b'M' {
        return Err(ReadError::NotMpy);
    }
    if header.version != MPY_VERSION {
        return Err(ReadError::Version(header.version));
    }
    read_body(bytes, header)
}

/// Reads a `.mpy` file for a board with `target`, refusing it as the board's loader would:
/// "incompatible .mpy file" for a header whose version, feature flags or small-int width do
/// not suit, "incompatible .mpy arch" for native code of another architecture.
pub fn read_for_target(bytes: &[u8], target: &Target) -> Result<Module, ReadError> {
    let header = parse_header(bytes).map_err(|_| ReadError::IncompatibleFile)?;
    if header.magic != b'M'
        || header.version != MPY_VERSION
        || header.feature & 3 != target.feature_flags()
        || header.small_int_bits > target.small_int_bits
        || header.window > QSTR_WINDOW_SIZE as u64
    {
        return Err(ReadError::IncompatibleFile);
    }
    let arch = header.feature >> 2;
    if arch != Arch::None.number() && arch != target.arch.number() {
        return Err(ReadError::IncompatibleArch);
    }
    read_body(bytes, header)
}

struct Header {
    magic: u8,
    version: u8,
    feature: u8,
    small_int_bits: u8,
    window: u64,
    /// Offset of the first raw code.
    end: usize,
}

fn parse_header(bytes: &[u8]) -> Result<Header, ReadError> {
    let [magic, version, feature, small_int_bits] = match bytes.get(..4) {
        Some(&[a, b, c, d]) => [a, b, c, d],
        _ => {
            return Err(if bytes.first().is_some_and(|&b| b != b'M') {
                ReadError::NotMpy
            } else {
                ReadError::Truncated {
                    offset: bytes.len(),
                }
            })
        }
    };
    let mut c = Cursor {
        data: bytes,
        pos: 4,
    };
    let window = c.uint()?;
    Ok(Header {
        magic,
        version,
        feature,
        small_int_bits,
        window,
        end: c.pos,
    })
}

fn read_body(bytes: &[u8], header: Header) -> Result<Module, ReadError> {
    if header.window != QSTR_WINDOW_SIZE as u64 {
        return Err(ReadError::WindowSize(header.window));
    }
    let arch_number = header.feature >> 2;
    let arch = Arch::from_number(arch_number).ok_or(ReadError::UnknownArch(arch_number))?;
    let target = Target {
        small_int_bits: header.small_int_bits,
        unicode: header.feature & 2 != 0,
        cache_lookup_bc: header.feature & 1 != 0,
        arch,
        release: mpcore::Release::V1_11,
    };
    let mut r = Reader {
        c: Cursor {
            data: bytes,
            pos: header.end,
        },
        pool: QstrPool::new(),
        window: Window::new(),
        cache: target.cache_lookup_bc,
        arch,
        n_consts: 0,
    };

    // Depth-first without recursion: each frame is a raw code and how many of its children
    // are still to be read. The stack is never empty: only frames above the root are popped.
    let mut stack: Vec<(RawCode, u64)> = vec![r.raw_code()?];
    loop {
        let top = stack.len() - 1;
        if stack[top].1 > 0 {
            stack[top].1 -= 1;
            if stack.len() >= MAX_DEPTH {
                return Err(ReadError::TooDeep(MAX_DEPTH));
            }
            stack.push(r.raw_code()?);
        } else if top > 0 {
            let (done, _) = stack.swap_remove(top);
            stack[top - 1].0.children.push(done);
        } else {
            break;
        }
    }
    let root = stack.swap_remove(0).0;
    let rest = bytes.len() - r.c.pos;
    if rest != 0 {
        return Err(ReadError::TrailingBytes {
            offset: r.c.pos,
            count: rest,
        });
    }
    // The writer names the arch only when some raw code is native.
    if arch != Arch::None && !root.has_native() {
        return Err(ReadError::ArchWithoutNative(arch_number));
    }
    Ok(Module {
        target,
        qstrs: r.pool,
        root,
    })
}

/// Most entries reserved from a count the file declares: a list grows past it as its items
/// are actually read, so a large count backed by too few bytes costs nothing.
const RESERVE_MAX: usize = 1 << 12;

/// The saved text of a number constant.
type NumberText = Option<Box<[u8]>>;

struct Reader<'a> {
    c: Cursor<'a>,
    pool: QstrPool,
    window: Window,
    cache: bool,
    arch: Arch,
    /// Constant objects read so far, in all raw codes.
    n_consts: usize,
}

/// Most constant objects a file may hold. mpy-cross 1.11 keeps each in an 8-byte const-table
/// entry of its 2 MiB heap (so at most 262,144); each costs a reader and a dump some hundred
/// bytes, which this bounds.
pub const MAX_CONSTS: usize = 1 << 20;

/// Longest int constant read, in digits: mpy-cross 1.11 cannot hold the text of a longer one
/// in its 2 MiB heap, and converting one costs time growing faster than its length.
pub const MAX_INT_DIGITS: usize = 2 << 20;

impl Reader<'_> {
    /// `load_qstr`: a static qstr, a window reference or a string to intern.
    fn qstr(&mut self) -> Result<Qstr, ReadError> {
        let offset = self.c.pos;
        let n = self.c.uint()?;
        if n == 0 {
            let number = self.c.byte()?;
            if u16::from(number) > LAST_STATIC {
                return Err(ReadError::StaticQstr { offset, number });
            }
            return Ok(Qstr(u16::from(number)));
        }
        if n & 1 == 1 {
            let index = n >> 1;
            return self
                .window
                .access(index)
                .ok_or(ReadError::WindowRef { offset, index });
        }
        let len = usize::try_from(n >> 1).map_err(|_| ReadError::TooLarge {
            what: "qstr length",
            value: n >> 1,
            offset,
        })?;
        if len > self.c.remaining() {
            return Err(ReadError::TooLarge {
                what: "qstr length",
                value: n >> 1,
                offset,
            });
        }
        let s = self.c.bytes(len)?;
        let q = match self.pool.find(s) {
            Some(q) if q.0 <= LAST_STATIC => {
                return Err(ReadError::NonCanonicalQstr {
                    offset,
                    reason: "it is a static qstr",
                });
            }
            Some(q) if self.window.contains(q) => {
                return Err(ReadError::NonCanonicalQstr {
                    offset,
                    reason: "it is in the qstr window",
                });
            }
            Some(q) => q,
            None if self.pool.len() > usize::from(u16::MAX) => return Err(ReadError::TooManyQstrs),
            None => self.pool.intern(s),
        };
        self.window.push(q);
        Ok(q)
    }

    /// `load_obj`: one constant; the text of floats and complexes is returned too.
    fn obj(&mut self) -> Result<(Const, NumberText), ReadError> {
        let offset = self.c.pos;
        let tag = self.c.byte()?;
        if tag == b'e' {
            return Ok((Const::Ellipsis, None));
        }
        if !matches!(tag, b's' | b'b' | b'i' | b'f' | b'c') {
            return Err(ReadError::ConstType { offset, tag });
        }
        let len = self.c.count("constant length", 1)?;
        let data = self.c.bytes(len)?;
        let bad = |kind| ReadError::Number {
            offset,
            kind,
            text: String::from_utf8_lossy(data).into_owned(),
        };
        Ok(match tag {
            b's' => (Const::Str(data.to_vec()), None),
            b'b' => (Const::Bytes(data.to_vec()), None),
            b'i' if data.len() > MAX_INT_DIGITS => {
                return Err(ReadError::IntTooLong {
                    digits: data.len(),
                    offset,
                    max: MAX_INT_DIGITS,
                })
            }
            b'i' => (
                Const::Int(parse_int(data).ok_or_else(|| bad("int"))?),
                Some(data.into()),
            ),
            b'f' => (
                Const::Float(parse_float(data).ok_or_else(|| bad("float"))?),
                Some(data.into()),
            ),
            _ => {
                let (real, imag) = parse_complex(data).ok_or_else(|| bad("complex"))?;
                (Const::Complex { real, imag }, Some(data.into()))
            }
        })
    }

    /// `load_prelude`: copies the prelude bytes into `fun_data` and decodes them.
    fn prelude(
        &mut self,
        fun_data: &mut Vec<u8>,
        rc_offset: usize,
        len: usize,
    ) -> Result<Prelude, ReadError> {
        self.c.uint_any(Some(fun_data))?; // n_state
        self.c.uint_any(Some(fun_data))?; // n_exc_stack
        fun_data.extend_from_slice(self.c.bytes(4)?);
        let field_start = fun_data.len();
        let field_offset = self.c.pos;
        let size = self.c.uint_any(Some(fun_data))?;
        let field_len = (fun_data.len() - field_start) as u64;
        let rest = size
            .checked_sub(field_len)
            .filter(|&r| r <= self.c.remaining() as u64);
        let Some(rest) = rest else {
            return Err(ReadError::TooLarge {
                what: "code info size",
                value: size,
                offset: field_offset,
            });
        };
        fun_data.extend_from_slice(self.c.bytes(rest as usize)?);
        loop {
            let b = self.c.byte()?;
            fun_data.push(b);
            if b == 255 {
                break;
            }
        }
        if fun_data.len() > len {
            return Err(ReadError::PreludeTooLong {
                offset: rc_offset,
                len,
            });
        }
        Prelude::decode(fun_data, 0).map_err(|error| ReadError::Prelude {
            offset: rc_offset,
            error,
        })
    }

    /// `load_bytecode`: opcodes up to `len` bytes of `fun_data`, qstrs read from the window.
    fn bytecode(
        &mut self,
        fun_data: &mut Vec<u8>,
        rc_offset: usize,
        len: usize,
    ) -> Result<(), ReadError> {
        let overrun = ReadError::BytecodeOverrun {
            offset: rc_offset,
            len,
        };
        while fun_data.len() < len {
            let op = self.c.byte()?;
            fun_data.push(op);
            let mut rest = fixed_size(op, self.cache) - 1;
            match format_of(op) {
                OpFormat::Qstr => {
                    let q = self.qstr()?;
                    fun_data.extend_from_slice(&q.0.to_le_bytes());
                    rest -= 2;
                }
                OpFormat::VarUint => loop {
                    let b = self.c.byte()?;
                    fun_data.push(b);
                    if fun_data.len() > len {
                        return Err(overrun);
                    }
                    if b & 0x80 == 0 {
                        break;
                    }
                },
                _ => {}
            }
            fun_data.extend_from_slice(self.c.bytes(rest)?);
            if fun_data.len() > len {
                return Err(overrun);
            }
        }
        Ok(())
    }

    /// `load_raw_code` up to its children: returns the raw code and how many children follow.
    fn raw_code(&mut self) -> Result<(RawCode, u64), ReadError> {
        let rc_offset = self.c.pos;
        let kind_len = self.c.uint()?;
        let kind = match kind_len & 3 {
            0 => CodeKind::Bytecode,
            1 => CodeKind::NativePy,
            2 => CodeKind::NativeViper,
            _ => CodeKind::NativeAsm,
        };
        let too_large = ReadError::TooLarge {
            what: "code length",
            value: kind_len >> 2,
            offset: rc_offset,
        };
        let len = usize::try_from(kind_len >> 2).map_err(|_| too_large.clone())?;
        let mut rc = RawCode::default();
        let mut names = (Qstr::NULL, Qstr::NULL);
        let n_args;

        if kind == CodeKind::Bytecode {
            // In the file an inline qstr takes at least 1 byte where fun_data holds 2, so
            // fun_data is at most 1.5 times what the rest of the file holds.
            if len > self.c.remaining().saturating_mul(2) {
                return Err(too_large);
            }
            let mut fun_data = Vec::with_capacity(len);
            let prelude = self.prelude(&mut fun_data, rc_offset, len)?;
            self.bytecode(&mut fun_data, rc_offset, len)?;
            rc.body = Body::Bytecode(fun_data);
            n_args = prelude.n_args();
        } else {
            if len > self.c.remaining() {
                return Err(too_large);
            }
            let code = self.c.bytes(len)?.to_vec();
            let mut qstr_links = Vec::new();
            if matches!(kind, CodeKind::NativePy | CodeKind::NativeViper) {
                let n_links = self.c.count("qstr link count", 2)?;
                qstr_links.reserve(n_links.min(RESERVE_MAX));
                for _ in 0..n_links {
                    let at = self.c.pos;
                    let off = self.c.u32("qstr link offset")?;
                    let link = QstrLink {
                        off,
                        qstr: self.qstr()?,
                    };
                    let width = match link.link_kind() {
                        0 => 2,
                        2 if (Arch::Armv6m.number()..=Arch::Armv7emdp.number())
                            .contains(&self.arch.number()) =>
                        {
                            8
                        }
                        _ => 4,
                    };
                    if link.offset() as usize + width > len {
                        return Err(ReadError::QstrLink {
                            offset: at,
                            link: u64::from(link.offset()),
                            len,
                        });
                    }
                    qstr_links.push(link);
                }
            }
            let native_kind = if kind == CodeKind::NativePy {
                let at = self.c.pos;
                let prelude_offset = self.c.u32("prelude offset")?;
                let po = prelude_offset as usize;
                if po >= len {
                    return Err(ReadError::PreludeOffset {
                        offset: at,
                        prelude_offset: po as u64,
                        len,
                    });
                }
                let prelude = Prelude::decode(&code, po).map_err(|error| ReadError::Prelude {
                    offset: rc_offset,
                    error,
                })?;
                n_args = prelude.n_args();
                NativeKind::Python {
                    qstr_links,
                    prelude_offset,
                }
            } else {
                let scope_flags = self.c.u32("scope flags")?;
                n_args = 0;
                if kind == CodeKind::NativeAsm {
                    NativeKind::Asm {
                        scope_flags,
                        n_pos_args: self.c.u32("argument count")?,
                        type_sig: self.c.u32("type signature")?,
                    }
                } else {
                    NativeKind::Viper {
                        qstr_links,
                        scope_flags,
                    }
                }
            };
            rc.body = Body::Native(NativeCode {
                arch: self.arch,
                code,
                kind: native_kind,
            });
        }

        if matches!(kind, CodeKind::Bytecode | CodeKind::NativePy) {
            names = (self.qstr()?, self.qstr()?);
        }

        let mut number_texts = Vec::new();
        let mut n_children = 0;
        if kind != CodeKind::NativeAsm {
            let at = self.c.pos;
            let n_obj = self.c.count("constant count", 1)?;
            self.n_consts += n_obj;
            if self.n_consts > MAX_CONSTS {
                return Err(ReadError::TooManyConsts {
                    value: n_obj as u64,
                    offset: at,
                    max: MAX_CONSTS,
                });
            }
            n_children = self.c.count("child count", 1)? as u64;
            rc.arg_names.reserve(n_args.min(RESERVE_MAX));
            for _ in 0..n_args {
                let q = self.qstr()?;
                rc.arg_names.push(q);
            }
            rc.consts.reserve(n_obj.min(RESERVE_MAX));
            for i in 0..n_obj {
                let (obj, text) = self.obj()?;
                rc.consts.push(obj);
                // Only as long as the last number that has a text: a table of other objects
                // costs nothing here.
                if text.is_some() {
                    number_texts.resize(i, None);
                    number_texts.push(text);
                }
            }
            if n_children > self.c.remaining() as u64 {
                return Err(ReadError::TooLarge {
                    what: "child count",
                    value: n_children,
                    offset: self.c.pos,
                });
            }
        }
        rc.loaded = Some(Box::new(LoadedInfo {
            simple_name: names.0,
            source_file: names.1,
            number_texts,
        }));
        Ok((rc, n_children))
    }
}
