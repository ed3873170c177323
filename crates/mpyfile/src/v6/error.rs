//! Errors of the `.mpy` v6 reader and writer.

use thiserror::Error;

/// Why bytes are not a `.mpy` v6 file this reader accepts. Offsets are byte offsets in the file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error("not a valid .mpy file")]
    NotMpy,
    #[error("incompatible .mpy version {0} (expected 6)")]
    Version(u8),
    #[error("unknown native architecture number {0} in the header")]
    UnknownArch(u8),
    #[error("header sets the architecture-flags bit but the flags are 0")]
    ZeroArchFlags,
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
    StaticQstr { offset: usize, number: u64 },
    #[error("qstr at byte {offset}: {text:?} written in full though it is static qstr {number}")]
    NonCanonicalQstr {
        offset: usize,
        text: String,
        number: usize,
    },
    #[error("{what} at byte {offset} does not end with a null byte")]
    MissingNull { what: &'static str, offset: usize },
    #[error("constant at byte {offset}: unknown type {tag:#04x}")]
    ObjType { offset: usize, tag: u8 },
    #[error("constant at byte {offset}: invalid {kind} text {text:?}")]
    Number {
        offset: usize,
        kind: &'static str,
        text: String,
    },
    #[error("int constant of {digits} digits at byte {offset}: longer than the {max} this reader accepts")]
    IntTooLong {
        digits: usize,
        offset: usize,
        max: usize,
    },
    #[error("constants nested deeper than {0}")]
    ObjTooDeep(usize),
    #[error("raw codes nested deeper than {0}")]
    TooDeep(usize),
    #[error("raw code at byte {offset}: native prelude offset {prelude_offset} outside the {len}-byte code")]
    PreludeOffset {
        offset: usize,
        prelude_offset: u64,
        len: usize,
    },
    #[error("raw code at byte {offset}: has-children flag set with 0 children")]
    NoChildren { offset: usize },
    #[error("raw code at byte {offset}: relocation stream has no end")]
    Relocations { offset: usize },
    #[error("{count} unexpected bytes after the last raw code at byte {offset}")]
    TrailingBytes { offset: usize, count: usize },
}

/// Why a v6 module cannot be written so that it reads back the same.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum WriteError {
    #[error("header version {0}: this writer writes version 6")]
    Version(u8),
    #[error("header sub-version {0} does not fit in two bits")]
    SubVersion(u8),
    #[error(
        "{what} present without its scope flag, or the flag without it (scope flags {flags:#x})"
    )]
    Extras { what: &'static str, flags: u64 },
    #[error("relocation stream is not one well-formed stream (its 0xff terminator is added by the writer)")]
    Relocations,
    #[error("float or complex constant text {0:?} is not a number")]
    Number(String),
}

crate::cursor::from_cursor_error!(ReadError);
