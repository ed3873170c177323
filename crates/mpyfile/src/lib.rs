//! The `.mpy` version 4 format of MicroPython 1.11: writer, reader and dump.
//!
//! [`write()`] produces exactly what `mp_raw_code_save` of `py/persistentcode.c` writes for a
//! raw-code tree; [`read`] is its inverse: it never panics, allocates only what the input
//! justifies, and accepts only the canonical encoding the writer produces, so that
//! `write(&read(bytes)?) == bytes` for every input it accepts. Beyond what the reference's
//! loader checks, it refuses: var-uints with leading zero groups (outside the prelude and
//! opcodes, which are copied verbatim), a qstr window size other than 32, static qstr numbers
//! above 165, a qstr written in full when it is static or in the window, int constants that
//! are not plain decimal, a header arch on a file without native code, trailing bytes, and raw
//! codes nested deeper than [`MAX_DEPTH`]. Float and complex constants keep their saved text
//! (22 of 6,536 float texts in the corpus do not survive the trip through an `f64`).

mod cursor;
pub mod dump;
mod error;
pub mod freeze;
mod number;
mod read;
pub mod v5;
pub mod v6;
mod varint;
mod window;
mod write;

pub use error::{ReadError, WriteError};
pub use read::{read, read_for_target, MAX_DEPTH};
pub use write::{try_write, write, write_into};

/// The `.mpy` format version this crate reads and writes.
pub const MPY_VERSION: u8 = 4;

/// Size of the qstr window (move-to-front cache of recent qstrs) the header announces.
pub const QSTR_WINDOW_SIZE: usize = 32;
