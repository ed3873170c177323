//! What the writer needs of a prelude — where the opcodes start, the number of argument
//! names and the two names of the code info — decoded with the checks and errors of
//! [`Prelude::decode`](rawcode::Prelude::decode), without building the whole [`Prelude`](rawcode::Prelude).

use mpcore::Qstr;
use rawcode::prelude::{code_info_bounds, decode_uint};
use rawcode::PreludeError;

/// The parts of a prelude the writer uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Offset of the first opcode (just past the cell list's 255 sentinel).
    pub bytecode_start: usize,
    /// Number of argument names in the const table (`n_pos_args + n_kwonly_args`).
    pub n_args: usize,
    /// The simple-name qstr number as the code info holds it.
    pub simple_name: Qstr,
    /// The source-file qstr number as the code info holds it.
    pub source_file: Qstr,
}

impl Layout {
    /// Decodes the prelude at `start` of `data`; fails exactly where `Prelude::decode` does.
    pub fn decode(data: &[u8], start: usize) -> Result<Layout, PreludeError> {
        let mut pos = start;
        uint(data, &mut pos)?; // n_state
        uint(data, &mut pos)?; // n_exc_stack
                               // scope flags, positional, keyword-only and default positional argument counts
        let Some(&[_, n_pos_args, n_kwonly_args, _]) =
            pos.checked_add(4).and_then(|end| data.get(pos..end))
        else {
            return Err(PreludeError::Truncated);
        };
        pos += 4;
        let code_info_offset = pos;
        let size = uint(data, &mut pos)?;
        let (_, code_info_end) = code_info_bounds(code_info_offset, pos, size)?;
        let (Some(cells), Some(&[s0, s1, f0, f1])) =
            (data.get(code_info_end..), data.get(pos..pos + 4))
        else {
            return Err(PreludeError::Truncated);
        };
        let sentinel = cells
            .iter()
            .position(|&b| b == 255)
            .ok_or(PreludeError::Truncated)?;
        Ok(Layout {
            bytecode_start: code_info_end + sentinel + 1,
            n_args: usize::from(n_pos_args) + usize::from(n_kwonly_args),
            simple_name: Qstr(u16::from_le_bytes([s0, s1])),
            source_file: Qstr(u16::from_le_bytes([f0, f1])),
        })
    }
}

/// [`decode_uint`], one-byte values first.
#[inline]
fn uint(data: &[u8], pos: &mut usize) -> Result<u64, PreludeError> {
    match data.get(*pos) {
        Some(&b) if b < 0x80 => {
            *pos += 1;
            Ok(u64::from(b))
        }
        _ => decode_uint(data, pos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawcode::Prelude;

    fn check(data: &[u8], start: usize) {
        let full = Prelude::decode(data, start).map(|p| Layout {
            bytecode_start: p.bytecode_start,
            n_args: p.n_args(),
            simple_name: p.simple_name,
            source_file: p.source_file,
        });
        assert_eq!(Layout::decode(data, start), full, "{data:02x?} at {start}");
    }

    #[test]
    fn agrees_with_the_full_decoder() {
        // Module prelude of `x = 1 / def f(a, b=2, *, c)` (a.mpy of mpy-cross 1.11), cut at
        // every length and started at every offset.
        let data = [
            0x02, 0x00, 0x30, 0x00, 0x00, 0x00, 0x08, 0x07, 0x00, 0x51, 0x01, 0x25, 0x00, 0x00,
            0xff, 0x81,
        ];
        for end in 0..=data.len() {
            for start in 0..=end + 1 {
                check(&data[..end], start);
            }
        }
        // Pseudo-random preludes: small var-uints with continuation bytes, code info sizes
        // around the minimum, 255 sentinels here and there, overlong var-uints.
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
        let overlong = [0xff; 12];
        check(&overlong, 0);
        check(&[0x80; 12], 0);
    }
}
