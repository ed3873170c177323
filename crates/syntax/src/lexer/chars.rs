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
/// First byte of some keyword (a quick filter before the keyword table).
pub(super) const KEYWORD_HEAD: u8 = 0x40;

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
        if matches!(
            b,
            b'F' | b'N'
                | b'T'
                | b'_'
                | b'a'
                | b'b'
                | b'c'
                | b'd'
                | b'e'
                | b'f'
                | b'g'
                | b'i'
                | b'l'
                | b'n'
                | b'o'
                | b'p'
                | b'r'
                | b't'
                | b'w'
                | b'y'
        ) {
            class |= KEYWORD_HEAD;
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

/// How many spaces `s` starts with. Scans eight bytes at a time.
#[inline]
pub(super) fn skip_spaces(s: &[u8]) -> usize {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let mut chunks = s.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let diff = u64::from_le_bytes(word) ^ SPACES;
        if diff != 0 {
            return base + (diff.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    let tail = chunks.remainder();
    base + tail.iter().position(|&b| b != b' ').unwrap_or(tail.len())
}

#[cfg(test)]
mod tests {
    use super::{find_any, skip_spaces};

    /// The word-at-a-time scans agree with a byte-at-a-time scan at every length and offset,
    /// including bytes >= 0x80 and bytes next to the needles' values.
    #[test]
    fn scans_agree_with_naive_search() {
        let mixed: &[u8] = &[
            b' ', b'!', b'\x1f', b'\n', b'\t', b'\\', b'\'', b'"', 0x80, 0xff, 0x8a, b'a', 0,
        ];
        let spacey: &[u8] = &[
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
            0xa0,
            b'\n',
            0x20 ^ 0x80,
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..40 {
            for round in 0..400 {
                let alphabet = if round % 2 == 0 { mixed } else { spacey };
                let s: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                let needles = [b'\'', b'\\', b'\n', b'\t'];
                let naive = s
                    .iter()
                    .position(|b| needles.contains(b))
                    .unwrap_or(s.len());
                assert_eq!(find_any(&s, needles), naive, "{s:?}");
                let naive = s.iter().position(|&b| b == b'\n').unwrap_or(s.len());
                assert_eq!(find_any(&s, [b'\n']), naive, "{s:?}");
                let naive = s.iter().position(|&b| b != b' ').unwrap_or(s.len());
                assert_eq!(skip_spaces(&s), naive, "{s:?}");
            }
        }
    }
}
