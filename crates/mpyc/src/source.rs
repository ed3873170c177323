//! Reading the input of `mpyc compile`: a regular file whole, anything else (a device, a
//! pipe) only as far as needed, so that `/dev/zero` gives the reference's error at once.
//!
//! The reference lexes its input as it reads it and stops at the first error; mpyc parses a
//! whole buffer. A stream is read up to [`STREAM_MAX`] bytes: if it ends there, it is compiled
//! as a file is. If it goes on, the prefix is compiled, and its first error is the answer when
//! it lies at least [`HEAP_BYTES`] before the cut: either the whole stream fails there too, or
//! the token found wrong there runs on for more than the reference's whole heap (which then
//! fails with a `MemoryError` instead; an error either way). Otherwise mpyc gives up with
//! `OSError: 27` (`EFBIG`), as it does for any input it cannot read.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Read;

use mpcore::{ExcKind, PyException};

/// Most bytes read from an input that is not a regular file.
pub const STREAM_MAX: usize = 16 << 20;

/// The reference's heap (2 MiB).
const HEAP_BYTES: usize = 2 << 20;

/// `EFBIG`: what mpyc reports for a stream longer than it reads.
const EFBIG: i32 = 27;

/// An input as read.
pub struct Source {
    pub bytes: Vec<u8>,
    /// True when the input goes on past `bytes` (a stream longer than [`STREAM_MAX`]).
    pub cut: bool,
}

/// Reads the input at `path`.
pub fn read(path: &OsStr) -> std::io::Result<Source> {
    let mut file = File::open(path)?;
    if file.metadata()?.is_file() {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        return Ok(Source { bytes, cut: false });
    }
    let mut bytes = Vec::new();
    // One byte more than kept tells whether the stream goes on.
    (&mut file)
        .take(STREAM_MAX as u64 + 1)
        .read_to_end(&mut bytes)?;
    let cut = bytes.len() > STREAM_MAX;
    bytes.truncate(STREAM_MAX);
    Ok(Source { bytes, cut })
}

/// The answer for a stream cut at the end of `prefix`, given what compiling `prefix` gave.
pub fn cut_stream_result<T>(prefix: &[u8], result: Result<T, PyException>) -> PyException {
    if let Err(e) = result {
        if let Some(at) = e
            .location
            .as_ref()
            .and_then(|l| offset_of(prefix, l.line, l.column))
        {
            if at + HEAP_BYTES <= prefix.len() {
                return e;
            }
        }
    }
    PyException::new(ExcKind::OSError, EFBIG.to_string())
}

/// The byte offset of 1-based `line` and `column` in `text`, if that line is in it.
fn offset_of(text: &[u8], line: u32, column: u32) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text).nth(line as usize - 2)? + 1
    };
    Some(start + (column as usize).saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpcore::SourceLocation;

    fn error_at(line: u32, column: u32) -> Result<(), PyException> {
        Err(
            PyException::new(ExcKind::SyntaxError, "invalid syntax").at(SourceLocation {
                file: b"f".to_vec(),
                line,
                column,
                scope: None,
            }),
        )
    }

    #[test]
    fn an_error_well_before_the_cut_is_the_answer() {
        let prefix = vec![0u8; 3 << 20];
        let e = cut_stream_result(&prefix, error_at(1, 1));
        assert_eq!(e.kind, ExcKind::SyntaxError);
    }

    #[test]
    fn an_error_near_the_cut_or_none_gives_efbig() {
        let mut prefix = vec![b'#'; 3 << 20];
        prefix[(2 << 20) - 1] = b'\n';
        prefix[(2 << 20) + 10] = b'\n';
        for result in [error_at(2, 1), error_at(3, 1), Ok(())] {
            let e = cut_stream_result(&prefix, result);
            assert_eq!(e.render(), "OSError: 27\n");
        }
        assert_eq!(offset_of(&prefix, 2, 5), Some((2 << 20) + 4));
        assert_eq!(offset_of(&prefix, 9, 1), None);
    }
}
