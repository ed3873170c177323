//! Byte classes as MicroPython's `py/unicode.c` sees them (ASCII table; bytes >= 0x80 have no class).

/// `unichar_isspace`: tab, LF, VT, FF, CR and space.
pub(super) const SPACE: u8 = 0x01;
/// `unichar_isdigit`: `0`..`9`.
pub(super) const DIGIT: u8 = 0x02;
/// `unichar_isalpha`: ASCII letters only.
pub(super) const ALPHA: u8 = 0x04;
/// `unichar_isxdigit`.
pub(super) const XDIGIT: u8 = 0x08;
/// Can start an identifier: a letter, `_`, or any byte >= 0x80 (the reference's UTF-8 shortcut).
pub(super) const IDENT_HEAD: u8 = 0x10;
/// Can continue an identifier: a head byte or a digit.
pub(super) const IDENT_TAIL: u8 = 0x20;

const fn build_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut class = 0;
        if matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            class |= SPACE;
        }
        if b.is_ascii_digit() {
            class |= DIGIT | XDIGIT | IDENT_TAIL;
        }
        if b.is_ascii_alphabetic() {
            class |= ALPHA | IDENT_HEAD | IDENT_TAIL;
        }
        if matches!(b, b'a'..=b'f' | b'A'..=b'F') {
            class |= XDIGIT;
        }
        if b == b'_' || b >= 0x80 {
            class |= IDENT_HEAD | IDENT_TAIL;
        }
        table[i] = class;
        i += 1;
    }
    table
}

/// Class bits for every byte value.
pub(super) static CLASS: [u8; 256] = build_table();

/// Whether `b` has any of the class bits in `mask`.
#[inline(always)]
pub(super) fn is(b: u8, mask: u8) -> bool {
    CLASS[b as usize] & mask != 0
}

/// The value of a hex digit (the caller has checked `XDIGIT`).
#[inline]
pub(super) fn xdigit_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        _ => u32::from((b | 0x20) - b'a') + 10,
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `x` that is zero (exact for the lowest such byte; bytes above
/// it may be flagged falsely, which the callers never look at).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// Index of the first byte of `s` that is one of `needles`, or `s.len()`. Scans eight bytes
/// at a time.
#[inline(always)]
pub(super) fn find_any<const N: usize>(s: &[u8], needles: [u8; N]) -> usize {
    let splat = needles.map(|n| u64::from(n).wrapping_mul(LO));
    let mut chunks = s.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let hits = splat.iter().fold(0, |acc, &m| acc | zero_bytes(x ^ m));
        if hits != 0 {
            return base + (hits.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    let tail = chunks.remainder();
    base + tail
        .iter()
        .position(|b| needles.contains(b))
        .unwrap_or(tail.len())
}
