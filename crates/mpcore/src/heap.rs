//! The reference's 2 MiB heap, as far as mpyc models it: where a big int cannot get the
//! memory mpy-cross asks for, so that mpyc raises the same `MemoryError` instead of working
//! for seconds on an int the reference never finishes.
//!
//! mpy-cross allocates a 2 MiB heap on its 64-bit host; after the GC's allocation table the
//! pool holds 65,024 blocks of 32 bytes, part of which the lexer, parser, compiler and the
//! module being written keep. The limits below were found by bisecting against every
//! release's mpy-cross on the smallest programs that reach them; a larger program keeps more
//! of the heap and may fail sooner, which mpyc does not model (the reference then runs out of
//! heap where mpyc goes on, which the conformance judge accepts).
//!
//! Two limits per release, both columns of the release table ([`crate::Release`]):
//! - **Folding** ([`crate::Release::fold_room_blocks`]): the parser folds a shift or a product
//!   into one allocation of the result's digits, which the pool gives only while the lexer's
//!   and parser's own blocks leave room. Bisected on `x = 0x40000000 << n`, the smallest
//!   program that folds a shift: 1.11 to 1.16 fold 64,957 blocks and fail on one more, 1.17
//!   64,954, 1.18 64,956, 1.19 to 1.22, 1.28 and 1.29 64,948, 1.23 to 1.27 64,949. A larger
//!   result fails in every program (`MemoryError`; from 1.26 the expression is left
//!   unfolded). The differential fuzzer found the need: 1.16 seed 11160106,
//!   `0x40000000 << 0b111111101111001010111010`.
//! - **Saving** ([`crate::Release::save_room_blocks`]): writing a big-int constant's decimal
//!   text, see [`int_text_failure`].

use num_bigint::BigInt;

use crate::{ExcKind, PyException};

/// Bytes in one block of the reference's heap (`MICROPY_BYTES_PER_GC_BLOCK` on a 64-bit host).
pub const GC_BLOCK_BYTES: u64 = 32;

/// Blocks an allocation of `bytes` takes.
pub fn blocks(bytes: u64) -> u64 {
    bytes.div_ceil(GC_BLOCK_BYTES)
}

/// The `MemoryError` mpy-cross raises writing big-int constants into a `.mpy`, if one must:
/// `ints` are the module's int constant objects in the order they are written. Writing one
/// (`mp_obj_print_helper` into a `vstr`) allocates a text buffer of `32 * digits / 3 + 3`
/// bytes (`mp_int_format_size` of `mpz_max_num_bits`, 32-bit digits), then a copy of its
/// digits (`mpz_as_str_inpl`), while every int constant of the module stays allocated.
/// Either allocation fails past `room` blocks (the release's
/// [`crate::Release::save_room_blocks`]: in `x = 1 << n` the text's buffer and the int fit
/// together in up to 64,957 blocks in 1.11 to 1.16, 64,954 in 1.17 and 1.23 to 1.27, 64,955
/// in 1.18 and 64,953 in 1.19 to 1.22, 1.28 and 1.29), and the reference prints the size it
/// asked for.
pub fn int_text_failure<'a>(
    ints: impl Iterator<Item = &'a BigInt> + Clone,
    room: u64,
) -> Option<PyException> {
    let digit_bytes = |v: &BigInt| v.bits().div_ceil(32) * 4;
    let live: u64 = ints.clone().map(|v| blocks(digit_bytes(v))).sum();
    if live * 5 < room {
        // A text takes at most 8/3 of its int's blocks and one more: with the ints and a
        // copy, under 5 times theirs. Nothing can fail (the common case).
        return None;
    }
    for v in ints {
        let bytes = digit_bytes(v);
        let text = bytes * 8 / 3 + 3;
        let request = if blocks(text) + live > room {
            text
        } else if blocks(text) + live + blocks(bytes) > room {
            bytes
        } else {
            continue;
        };
        return Some(PyException::new(
            ExcKind::MemoryError,
            format!("memory allocation failed, allocating {request} bytes"),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shl(n: usize) -> BigInt {
        BigInt::from(1) << n
    }

    fn failure(ints: &[BigInt]) -> Option<String> {
        int_text_failure(ints.iter(), crate::Release::V1_11.save_room_blocks()).map(|e| e.message)
    }

    #[test]
    fn texts_that_fit_do_not_fail() {
        assert_eq!(failure(&[shl(1_000_000)]), None);
        assert_eq!(failure(&[shl(100), shl(3_000_000)]), None);
    }

    /// Checked against mpy-cross 1.11, `x = 1 << n`.
    #[test]
    fn the_text_or_the_digit_copy_fails_as_in_the_reference() {
        // The largest n whose text and copy both fit, then the first whose copy fails.
        assert_eq!(failure(&[shl(3_563_256)]), None);
        assert_eq!(
            failure(&[shl(3_600_000)]).as_deref(),
            Some("memory allocation failed, allocating 450004 bytes")
        );
        assert_eq!(
            failure(&[shl(4_535_100)]).as_deref(),
            Some("memory allocation failed, allocating 566888 bytes")
        );
        // The first n whose text does not fit next to the int.
        assert_eq!(
            failure(&[shl(4_535_164)]).as_deref(),
            Some("memory allocation failed, allocating 1511725 bytes")
        );
        assert_eq!(
            failure(&[shl(16_000_000)]).as_deref(),
            Some("memory allocation failed, allocating 5333347 bytes")
        );
    }

    /// Checked against mpy-cross 1.11, `x = 1 << 3000000` twice.
    #[test]
    fn every_int_of_the_module_stays_allocated() {
        // The first text and copy fit next to one such int, not next to both.
        let ints = [shl(3_000_000), shl(3_000_000)];
        assert_eq!(failure(&ints[..1]), None);
        assert_eq!(
            failure(&ints).as_deref(),
            Some("memory allocation failed, allocating 375004 bytes")
        );
    }
}
