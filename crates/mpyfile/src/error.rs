//! Errors of the `.mpy` reader and writer.

use rawcode::PreludeError;
use thiserror::Error;

/// Why bytes are not a `.mpy` file this reader accepts. Offsets are byte offsets in the file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReadError {
    /// The loader's message for a header that does not match the target.
    #[error("incompatible .mpy file")]
    IncompatibleFile,
    /// The loader's message for native code of another architecture.
    #[error("incompatible .mpy arch")]
    IncompatibleArch,
    #[error("not a valid .mpy file")]
    NotMpy,
    #[error("incompatible .mpy version {0} (expected 4)")]
    Version(u8),
    #[error("unknown native architecture number {0} in the header")]
    UnknownArch(u8),
    #[error("header names native arch {0} but the file has no native code")]
    ArchWithoutNative(u8),
    #[error("qstr window size {0} in the header (mpy-cross writes 32)")]
    WindowSize(u64),
    #[error("unexpected end of file at byte {offset}")]
    Truncated { offset: usize },
    #[error("var-uint at byte {offset} is too large")]
    VarUintOverflow { offset: usize },
    #[error("non-canonical var-uint at byte {offset}")]
    NonCanonicalUint { offset: usize },
    #[error("int constant of {digits} digits at byte {offset}: longer than the {max} this reader accepts (mpy-cross 1.11 cannot write one that long)")]
    IntTooLong {
        digits: usize,
        offset: usize,
        max: usize,
    },
    #[error("constant count {value} at byte {offset} takes the file past {max} constants, more than this reader accepts (mpy-cross 1.11 can write at most 262144)")]
    TooManyConsts {
        value: u64,
        offset: usize,
        max: usize,
    },
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
    #[error("qstr at byte {offset}: string written in full though {reason}")]
    NonCanonicalQstr { offset: usize, reason: &'static str },
    #[error("more than 65535 qstrs")]
    TooManyQstrs,
    #[error("raw code at byte {offset}: bad prelude: {error}")]
    Prelude { offset: usize, error: PreludeError },
    #[error("raw code at byte {offset}: prelude is longer than the {len}-byte code")]
    PreludeTooLong { offset: usize, len: usize },
    #[error("raw code at byte {offset}: last opcode runs past the end of its {len}-byte code")]
    BytecodeOverrun { offset: usize, len: usize },
    #[error("raw code at byte {offset}: qstr link at code offset {link} lies outside the {len}-byte code")]
    QstrLink {
        offset: usize,
        link: u64,
        len: usize,
    },
    #[error(
        "raw code at byte {offset}: prelude offset {prelude_offset} outside the {len}-byte code"
    )]
    PreludeOffset {
        offset: usize,
        prelude_offset: u64,
        len: usize,
    },
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

/// Why a raw-code tree cannot be written as the reference would.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum WriteError {
    #[error("{name}: bad prelude: {error}")]
    Prelude { name: String, error: PreludeError },
    #[error("{name}: opcode at fun_data offset {offset} runs past the end of the code")]
    Bytecode { name: String, offset: usize },
    #[error("{name}: qstr {number} is not in the module's qstr pool")]
    UnknownQstr { name: String, number: u16 },
    #[error("{name}: {found} argument names but the prelude declares {expected}")]
    ArgNames {
        name: String,
        found: usize,
        expected: usize,
    },
    #[error("{name}: machine code for {code_arch} in a module for {module_arch}")]
    ArchMismatch {
        name: String,
        code_arch: &'static str,
        module_arch: &'static str,
    },
}

crate::cursor::from_cursor_error!(ReadError);
