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
