//! The `.mpy` v6 reader: the file layout `mp_raw_code_load` walks, made strict and safe.
//!
//! It accepts only what the writer produces, so `write(&read(bytes)?) == bytes` for every
//! input it accepts: canonical var-uints, static qstrs by number, canonical int texts, no
//! trailing bytes. No allocation is sized by a number from the file beyond what the rest of
//! the file can hold, and nesting (raw codes, tuples) is bounded.

use super::error::ReadError;
use super::static_qstrs::static_number;
use super::{MAX_DEPTH, MAX_INT_DIGITS, MPY_VERSION};
use crate::cursor::Cursor;
use crate::number::{parse_complex, parse_float, parse_int};
use rawcode::v6::{
    Arch, CodeKind, Header, Module, NativeExtras, Obj, RawCode, SCOPE_FLAG_VIPERBSS,
    SCOPE_FLAG_VIPERRELOC, SCOPE_FLAG_VIPERRODATA,
};

/// Reads a `.mpy` v6 file (any sub-version).
pub fn read(bytes: &[u8]) -> Result<Module, ReadError> {
    let mut c = Cursor {
        data: bytes,
        pos: 0,
    };
    let header = read_header(&mut c)?;
    let n_qstr = c.count("qstr count", 1)?;
    let n_obj = c.count("constant count", 1)?;
    let mut qstrs = Vec::with_capacity(n_qstr);
    for _ in 0..n_qstr {
        qstrs.push(c.qstr()?);
    }
    let mut objs = Vec::with_capacity(n_obj);
    for _ in 0..n_obj {
        objs.push(c.obj(0)?);
    }
    let root = c.raw_code(1)?;
    if c.pos != bytes.len() {
        return Err(ReadError::TrailingBytes {
            offset: c.pos,
            count: bytes.len() - c.pos,
        });
    }
    Ok(Module {
        header,
        qstrs,
        objs,
        root,
    })
}

/// Reads the header (and the arch flags after it), leaving `c` at the qstr count.
fn read_header(c: &mut Cursor<'_>) -> Result<Header, ReadError> {
    let magic = c.byte()?;
    if magic != b'M' {
        return Err(ReadError::NotMpy);
    }
    let version = c.byte()?;
    if version != MPY_VERSION {
        return Err(ReadError::Version(version));
    }
    let feature = c.byte()?;
    let small_int_bits = c.byte()?;
    let arch_number = (feature >> 2) & 0x2f;
    let arch = Arch::from_number(arch_number).ok_or(ReadError::UnknownArch(arch_number))?;
    let arch_flags = if feature & 0x40 != 0 {
        let flags = c.uint()?;
        if flags == 0 {
            return Err(ReadError::ZeroArchFlags);
        }
        flags
    } else {
        0
    };
    Ok(Header {
        version,
        sub_version: feature & 3,
        arch,
        arch_flags,
        small_int_bits,
    })
}

/// Reads just the header of a v6 file: its version, sub-version, arch and small-int width.
pub fn read_header_only(bytes: &[u8]) -> Result<Header, ReadError> {
    read_header(&mut Cursor {
        data: bytes,
        pos: 0,
    })
}

impl<'a> Cursor<'a> {
    /// A length-prefixed string followed by its null byte.
    fn string_with_null(&mut self, what: &'static str, len: usize) -> Result<&'a [u8], ReadError> {
        let s = self.bytes(len)?;
        let offset = self.pos;
        if self.byte()? != 0 {
            return Err(ReadError::MissingNull { what, offset });
        }
        Ok(s)
    }

    fn qstr(&mut self) -> Result<Vec<u8>, ReadError> {
        let offset = self.pos;
        let n = self.uint()?;
        if n & 1 != 0 {
            let number = n >> 1;
            return usize::try_from(number)
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| super::STATIC_QSTRS.get(i))
                .map(|s| s.to_vec())
                .ok_or(ReadError::StaticQstr { offset, number });
        }
        let len = usize::try_from(n >> 1)
            .ok()
            .filter(|&len| len < self.remaining())
            .ok_or(ReadError::TooLarge {
                what: "qstr length",
                value: n >> 1,
                offset,
            })?;
        let s = self.string_with_null("qstr", len)?;
        if let Some(number) = static_number(s) {
            return Err(ReadError::NonCanonicalQstr {
                offset,
                text: String::from_utf8_lossy(s).into_owned(),
                number,
            });
        }
        Ok(s.to_vec())
    }

    fn obj(&mut self, depth: usize) -> Result<Obj, ReadError> {
        let offset = self.pos;
        let tag = self.byte()?;
        Ok(match tag {
            0 => Obj::FunTable,
            1 => Obj::None,
            2 => Obj::False,
            3 => Obj::True,
            4 => Obj::Ellipsis,
            5 | 6 => {
                let len = self.count("string length", 1)?;
                let s = self.string_with_null("string constant", len)?.to_vec();
                if tag == 5 {
                    Obj::Str(s)
                } else {
                    Obj::Bytes(s)
                }
            }
            7..=9 => {
                let len = self.count("number length", 1)?;
                let text = self.bytes(len)?;
                self.number(tag, text, offset)?
            }
            10 => {
                if depth >= MAX_DEPTH {
                    return Err(ReadError::ObjTooDeep(MAX_DEPTH));
                }
                let n = self.count("tuple length", 1)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.obj(depth + 1)?);
                }
                Obj::Tuple(items)
            }
            _ => return Err(ReadError::ObjType { offset, tag }),
        })
    }

    fn number(&self, tag: u8, text: &[u8], offset: usize) -> Result<Obj, ReadError> {
        let kind = match tag {
            7 => "int",
            8 => "float",
            _ => "complex",
        };
        let bad = || ReadError::Number {
            offset,
            kind,
            text: String::from_utf8_lossy(text).into_owned(),
        };
        match tag {
            7 => {
                if text.len() > MAX_INT_DIGITS {
                    return Err(ReadError::IntTooLong {
                        digits: text.len(),
                        offset,
                        max: MAX_INT_DIGITS,
                    });
                }
                parse_int(text).map(Obj::Int).ok_or_else(bad)
            }
            8 => {
                parse_float(text).ok_or_else(bad)?;
                Ok(Obj::Float(ascii(text).ok_or_else(bad)?))
            }
            _ => {
                parse_complex(text).ok_or_else(bad)?;
                Ok(Obj::Complex(ascii(text).ok_or_else(bad)?))
            }
        }
    }

    fn raw_code(&mut self, depth: usize) -> Result<RawCode, ReadError> {
        if depth > MAX_DEPTH {
            return Err(ReadError::TooDeep(MAX_DEPTH));
        }
        let offset = self.pos;
        let kind_len = self.uint()?;
        let has_children = kind_len & 4 != 0;
        let len = usize::try_from(kind_len >> 3)
            .ok()
            .filter(|&len| len <= self.remaining())
            .ok_or(ReadError::TooLarge {
                what: "code length",
                value: kind_len >> 3,
                offset,
            })?;
        let fun_data = self.bytes(len)?.to_vec();
        let mut kind = match kind_len & 3 {
            0 => CodeKind::Bytecode,
            1 => {
                let prelude_offset = self.uint()?;
                if prelude_offset >= len as u64 {
                    return Err(ReadError::PreludeOffset {
                        offset,
                        prelude_offset,
                        len,
                    });
                }
                CodeKind::Native { prelude_offset }
            }
            2 => {
                let scope_flags = self.uint()?;
                let rodata_size = (scope_flags & SCOPE_FLAG_VIPERRODATA != 0)
                    .then(|| self.count("rodata size", 1))
                    .transpose()?;
                let bss_size = (scope_flags & SCOPE_FLAG_VIPERBSS != 0)
                    .then(|| self.uint())
                    .transpose()?;
                let rodata = match rodata_size {
                    Some(n) => Some(self.bytes(n)?.to_vec()),
                    None => None,
                };
                CodeKind::Viper {
                    scope_flags,
                    extras: NativeExtras {
                        rodata,
                        bss_size,
                        relocations: None,
                    },
                }
            }
            _ => CodeKind::Asm {
                scope_flags: self.uint()?,
                n_pos_args: self.uint()?,
                type_sig: self.uint()?,
                extras: NativeExtras::default(),
            },
        };
        let mut children = Vec::new();
        if has_children {
            let n = self.count("child count", 1)?;
            if n == 0 {
                // The writer sets the flag only for a raw code with children.
                return Err(ReadError::NoChildren { offset });
            }
            children.reserve(n);
            for _ in 0..n {
                children.push(self.raw_code(depth + 1)?);
            }
        }
        if let CodeKind::Viper {
            scope_flags,
            extras,
        }
        | CodeKind::Asm {
            scope_flags,
            extras,
            ..
        } = &mut kind
        {
            if *scope_flags & SCOPE_FLAG_VIPERRELOC != 0 {
                extras.relocations = Some(self.relocations(offset)?);
            }
        }
        Ok(RawCode {
            fun_data,
            kind,
            children,
        })
    }

    /// The relocation stream up to its `0xff` terminator (consumed, not kept).
    fn relocations(&mut self, offset: usize) -> Result<Vec<u8>, ReadError> {
        let start = self.pos;
        loop {
            let op = self.byte().map_err(|_| ReadError::Relocations { offset })?;
            if op == 0xff {
                return Ok(self.data[start..self.pos - 1].to_vec());
            }
            if op & 1 != 0 {
                self.uint()?;
            }
            let op = op >> 1;
            if op <= 5 && op & 1 != 0 {
                self.uint()?;
            }
        }
    }
}

/// True when `stream` followed by the `0xff` terminator is exactly one relocation stream.
pub(super) fn relocation_stream_ok(stream: &[u8]) -> bool {
    let mut data = stream.to_vec();
    data.push(0xff);
    let mut c = Cursor {
        data: &data,
        pos: 0,
    };
    c.relocations(0).is_ok_and(|r| r.len() == stream.len())
}

fn ascii(text: &[u8]) -> Option<String> {
    text.is_ascii()
        .then(|| String::from_utf8_lossy(text).into_owned())
}
