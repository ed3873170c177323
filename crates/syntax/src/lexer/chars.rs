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

/// Index of the first quote, backslash, LF or tab in `s` (the bytes that end a run of plain
/// string contents), or `s.len()`. The first sixteen bytes are tested a word at a time in
/// line; longer runs go to `memchr`.
#[inline(always)]
pub(super) fn find_string_stop(s: &[u8], quote: u8) -> usize {
    let q = u64::from(quote).wrapping_mul(LO);
    let stops = |chunk: &[u8; 8]| {
        let x = u64::from_le_bytes(*chunk);
        zero_bytes(x ^ q)
            | zero_bytes(x ^ (u64::from(b'\\') * LO))
            | zero_bytes(x ^ (u64::from(b'\n') * LO))
            | zero_bytes(x ^ (u64::from(b'\t') * LO))
    };
    let is_stop = |b: &u8| *b == quote || matches!(b, b'\\' | b'\n' | b'\t');
    let mut base = 0;
    while base < 16 {
        let rest = s.get(base..).unwrap_or_default();
        let Some(chunk) = rest.first_chunk::<8>() else {
            return base + rest.iter().position(is_stop).unwrap_or(rest.len());
        };
        let hits = stops(chunk);
        if hits != 0 {
            return base + (hits.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    let rest = s.get(base..).unwrap_or_default();
    let end = memchr::memchr3(quote, b'\\', b'\n', rest).unwrap_or(rest.len());
    let run = rest.get(..end).unwrap_or_default();
    base + memchr::memchr(b'\t', run).unwrap_or(end)
}

/// High bit set in exactly the bytes of `x` equal to `b`.
#[inline(always)]
pub(super) fn eq_bytes(x: u64, b: u8) -> u64 {
    const K7F: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let v = x ^ u64::from(b).wrapping_mul(LO);
    !((v & K7F).wrapping_add(K7F) | v) & HI
}

/// Index of the first `quote` or backslash in `s` (what ends a run of triple-quoted
/// contents), or `s.len()`. Sixteen bytes in line, then `memchr`.
#[inline(always)]
pub(super) fn find_quote_or_backslash(s: &[u8], quote: u8) -> usize {
    let q = u64::from(quote).wrapping_mul(LO);
    let is_stop = |b: &u8| *b == quote || *b == b'\\';
    let mut base = 0;
    while base < 16 {
        let rest = s.get(base..).unwrap_or_default();
        let Some(chunk) = rest.first_chunk::<8>() else {
            return base + rest.iter().position(is_stop).unwrap_or(rest.len());
        };
        let x = u64::from_le_bytes(*chunk);
        let hits = zero_bytes(x ^ q) | zero_bytes(x ^ (u64::from(b'\\') * LO));
        if hits != 0 {
            return base + (hits.trailing_zeros() / 8) as usize;
        }
        base += 8;
    }
    let rest = s.get(base..).unwrap_or_default();
    base + memchr::memchr2(quote, b'\\', rest).unwrap_or(rest.len())
}

/// High bit set in each byte of `x` that cannot continue an identifier (not a letter, digit,
/// `_` or byte >= 0x80); exact in every byte (no carries cross bytes).
#[inline(always)]
pub(super) fn non_ident_bytes(x: u64) -> u64 {
    const K7F: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let high = x & HI;
    let y = x & K7F;
    // Per byte y <= 0x7f, so adding at most 0x80 never carries into the next byte.
    let l = y | (0x20 * LO);
    let alpha = l.wrapping_add(0x1f * LO) & !l.wrapping_add(0x05 * LO);
    let digit = y.wrapping_add(0x50 * LO) & !y.wrapping_add(0x46 * LO);
    let underscore = !(y ^ (0x5f * LO)).wrapping_add(K7F);
    !(high | alpha | digit | underscore) & HI
}

/// How many identifier bytes `s` starts with, given that its first `known` bytes are ones.
/// Scans eight bytes at a time.
#[inline(always)]
pub(super) fn ident_len(s: &[u8], known: usize) -> usize {
    let mut len = known;
    loop {
        let Some(chunk) = s.get(len..).and_then(|r| r.first_chunk::<8>()) else {
            // Fewer than eight bytes left in the input.
            let tail = s.get(len..).unwrap_or_default();
            return len
                + tail
                    .iter()
                    .position(|&b| !is(b, IDENT_TAIL))
                    .unwrap_or(tail.len());
        };
        let stops = non_ident_bytes(u64::from_le_bytes(*chunk));
        if stops != 0 {
            return len + (stops.trailing_zeros() / 8) as usize;
        }
        len += 8;
    }
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
    use super::{
        eq_bytes, find_quote_or_backslash, find_string_stop, is, non_ident_bytes, skip_spaces,
        IDENT_TAIL,
    };

    /// The identifier mask agrees with the class table for every byte in every lane.
    #[test]
    fn non_ident_bytes_matches_the_table() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[lane] = b;
                let mask = non_ident_bytes(u64::from_le_bytes(bytes));
                let expected = if is(b, IDENT_TAIL) {
                    0
                } else {
                    0x80u64 << (8 * lane)
                };
                assert_eq!(mask, expected, "byte {b:#x} in lane {lane}");
            }
        }
    }

    /// The space scan agrees with a byte-at-a-time scan at every length and offset.
    #[test]
    fn skip_spaces_agrees_with_naive_search() {
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
            for _ in 0..400 {
                let s: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        spacey[(state % spacey.len() as u64) as usize]
                    })
                    .collect();
                let naive = s.iter().position(|&b| b != b' ').unwrap_or(s.len());
                assert_eq!(skip_spaces(&s), naive, "{s:?}");
            }
        }
    }

    /// The string-contents scan agrees with a byte-at-a-time scan at every length, for both
    /// quotes, including bytes >= 0x80 and bytes next to the stops' values.
    #[test]
    fn find_string_stop_agrees_with_naive_search() {
        let mixed: &[u8] = &[
            b' ', b'!', b'\x1f', b'\n', b'\t', b'\\', b'\'', b'"', 0x80, 0xff, 0x8a, b'a', 0,
            b'\x0b', b'&', b'#', b']',
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..70 {
            for round in 0..400 {
                // Mostly plain bytes, so long runs occur.
                let s: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        if state % 16 < 13 - (round % 3) * 4 {
                            b'a'
                        } else {
                            mixed[(state >> 8) as usize % mixed.len()]
                        }
                    })
                    .collect();
                for quote in [b'\'', b'"'] {
                    let naive = s
                        .iter()
                        .position(|&b| b == quote || b == b'\\')
                        .unwrap_or(s.len());
                    assert_eq!(find_quote_or_backslash(&s, quote), naive, "{s:?}");
                    let naive = s
                        .iter()
                        .position(|&b| b == quote || matches!(b, b'\\' | b'\n' | b'\t'))
                        .unwrap_or(s.len());
                    assert_eq!(find_string_stop(&s, quote), naive, "{s:?}");
                }
            }
        }
    }

    /// The exact byte-equality mask flags every equal byte and no other, in every lane.
    #[test]
    fn eq_bytes_is_exact() {
        for target in [b'\n', b'\t', 0u8, 0x7f, 0x80, 0xff] {
            for b in 0..=255u8 {
                for lane in 0..8 {
                    let mut bytes = [target ^ 1; 8];
                    bytes[lane] = b;
                    let mut expected = 0;
                    for (k, &x) in bytes.iter().enumerate() {
                        if x == target {
                            expected |= 0x80u64 << (8 * k);
                        }
                    }
                    assert_eq!(eq_bytes(u64::from_le_bytes(bytes), target), expected);
                }
            }
        }
    }
}
