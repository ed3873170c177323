//! MicroPython 1.11 facts shared by every mpyc stage: qstrs, target options and exceptions.

pub mod decimal;
pub mod error;
pub mod float;
pub mod float122;
pub mod float129;
pub mod heap;
pub mod qstr;
mod qstr_pool;
pub mod target;

pub use error::{ExcKind, PyException, SourceLocation};
pub use qstr::{Qstr, QstrPool};
pub use target::{Arch, Generation, Release, Target};
