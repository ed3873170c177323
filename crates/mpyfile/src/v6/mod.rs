//! The `.mpy` version 6 format (MicroPython 1.19 to 1.29, sub-versions 6.0 to 6.3): reader and
//! writer for the [`rawcode::v6::Module`] model.
//!
//! The layout: the header (`M`, 6, feature byte, small-int bits), the architecture flags when
//! the feature byte's bit 6 is set, the qstr and constant counts, the qstr table, the constant
//! table, then the raw codes depth first. [`read`] accepts only what [`write`] produces, so
//! `write(&read(bytes)?)? == bytes` for every input it accepts; it never panics and never
//! allocates more than the rest of the input can justify.

pub mod disasm;
pub mod dump;
mod error;
mod read;
mod static_qstrs;
mod write;

pub use dump::{describe, DumpV6};
pub use error::{ReadError, WriteError};
pub use read::{read, read_header_only};
pub use static_qstrs::{static_number, STATIC_QSTRS};
pub use write::{
    write, write_bytecode_head, write_into, write_module_head, write_module_head_numbered,
};

/// The major format version this module reads and writes.
pub const MPY_VERSION: u8 = 6;

/// Deepest nesting of raw codes (the module is depth 1) and of constant tuples accepted.
pub const MAX_DEPTH: usize = 256;

/// Longest int constant text accepted (the v4 reader's bound).
pub const MAX_INT_DIGITS: usize = crate::read::MAX_INT_DIGITS;
