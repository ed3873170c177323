//! Number literals as the reference's parser reads them (`py/parsenum.c`): integer literals
//! become small ints or big ints, and text the lexer let through but the number reader rejects
//! gives the reference's error text. (Float and imaginary literals: `mpcore::float`.)

use num_bigint::{BigInt, BigUint};

use crate::int::IntVal;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The base and the number of prefix bytes (`0x`, `0o`, `0b`) of an integer literal, for
/// base 0 (`mp_parse_num_base`).
fn base_prefix(s: &[u8], zero_strict: bool) -> (u32, usize) {
    if s.len() <= 1 || s[0] != b'0' {
        return (10, 0);
    }
    match s[1] | 0x20 {
        b'x' => (16, 2),
        b'o' => (8, 2),
        b'b' => (2, 2),
        // Base 1: only zeros are digits, so `0777` is an error (reported as base 0).
        _ if zero_strict => (1, 0),
        _ => (10, 0),
    }
}

/// Write `bytes` as the reference's `repr` of a bytes value's contents, quotes included.
pub fn quote_bytes(bytes: &[u8]) -> String {
    let has_single = bytes.contains(&b'\'');
    let has_double = bytes.contains(&b'"');
    let quote = if has_single && !has_double {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push(quote as char);
    for &b in bytes {
        match b {
            _ if b == quote => {
                out.push('\\');
                out.push(b as char);
            }
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote as char);
    out
}

/// Read an integer literal (`mp_parse_num_integer` with base 0). The error is the message of
/// the `SyntaxError` the reference raises.
pub fn parse_integer(text: &[u8]) -> Result<IntVal, String> {
    parse_integer_with(text, false)
}

/// [`parse_integer`]; with `zero_strict` (MicroPython 1.29 and later), a decimal literal with
/// a leading zero may hold only zeros, as in Python 3.
#[inline]
pub fn parse_integer_with(text: &[u8], zero_strict: bool) -> Result<IntVal, String> {
    match short_decimal(text) {
        Some(v) => Ok(IntVal::Small(v)),
        None => parse_integer_in_full(text, zero_strict),
    }
}

/// [`parse_integer_with`] for any text: spaces, a sign, a base prefix, underscores, big values
/// and errors.
#[inline(never)]
fn parse_integer_in_full(text: &[u8], zero_strict: bool) -> Result<IntVal, String> {
    let top = text.len();
    let mut pos = 0;
    while pos < top && is_space(text[pos]) {
        pos += 1;
    }
    let mut neg = false;
    if pos < top && (text[pos] == b'+' || text[pos] == b'-') {
        neg = text[pos] == b'-';
        pos += 1;
    }
    let (base, skip) = base_prefix(&text[pos..], zero_strict);
    pos += skip;
    let start = pos;

    let digit = |b: u8| -> Option<u32> {
        let d = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            _ => {
                let l = b | 0x20;
                if l.is_ascii_lowercase() {
                    u32::from(l - b'a') + 10
                } else {
                    return None;
                }
            }
        };
        (d < base).then_some(d)
    };

    let mut small: i64 = 0;
    let mut big: Option<BigInt> = None;
    while pos < top {
        let b = text[pos];
        if b == b'_' {
            pos += 1;
            continue;
        }
        let Some(d) = digit(b) else { break };
        let next = small
            .checked_mul(i64::from(base))
            .and_then(|v| v.checked_add(i64::from(d)))
            .filter(|v| IntVal::fits_small(*v));
        match next {
            Some(v) => {
                small = v;
                pos += 1;
            }
            None => {
                // Too big for a small int: read all the digits at once (from the start).
                let mut digits = Vec::with_capacity(top - start);
                pos = start;
                while pos < top {
                    let b = text[pos];
                    if b != b'_' {
                        match digit(b) {
                            Some(d) => digits.push(d as u8),
                            None => break,
                        }
                    }
                    pos += 1;
                }
                let mag = if base == 10 {
                    mpcore::decimal::from_decimal_digits(&digits)
                } else {
                    BigUint::from_radix_be(&digits, base).unwrap_or_default()
                };
                big = Some(BigInt::from(mag));
                break;
            }
        }
    }
    let value = match big {
        None => IntVal::Small(if neg { -small } else { small }),
        Some(b) => IntVal::Big(if neg { -b } else { b }),
    };
    if pos == start {
        return Err(int_error(base, &text[start..]));
    }
    while pos < top && is_space(text[pos]) {
        pos += 1;
    }
    if pos != top {
        return Err(int_error(base, &text[start..]));
    }
    Ok(value)
}

/// Most digits a literal read by [`short_decimal`] may have: any 18-digit number is below
/// 10^18, which is a small int (below 2^62).
const SHORT_DECIMAL_DIGITS: usize = 18;

/// The value of the usual integer literal, a few decimal digits with no sign, spaces, prefix,
/// underscore or leading zero (`0` alone is one), read in one pass; `None` for any other
/// text, which [`parse_integer_with`] reads in full (in every release, such a literal means
/// the same).
#[inline]
fn short_decimal(text: &[u8]) -> Option<i64> {
    match text {
        [] | [b'0', _, ..] => return None,
        _ if text.len() > SHORT_DECIMAL_DIGITS => return None,
        _ => {}
    }
    let mut v: i64 = 0;
    for &b in text {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    Some(v)
}

fn int_error(base: u32, rest: &[u8]) -> String {
    let base = if base == 1 { 0 } else { base };
    format!(
        "invalid syntax for integer with base {base}: {}",
        quote_bytes(rest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_literals() {
        let text = format!("1{}", "0".repeat(300_000));
        let Ok(IntVal::Big(b)) = parse_integer(text.as_bytes()) else {
            panic!("big int")
        };
        assert_eq!(b.to_string().len(), 300_001);
        assert_eq!(
            parse_integer(b"0x1_0000_0000_0000_0000"),
            Ok(IntVal::Big(BigInt::from(1u128 << 64)))
        );
        assert_eq!(
            parse_integer(b"99999999999999999999z"),
            Err("invalid syntax for integer with base 10: '99999999999999999999z'".to_string())
        );
    }

    #[test]
    fn short_decimals() {
        // Read by the one-pass reader: up to 18 digits, no leading zero.
        assert_eq!(parse_integer(b"0"), Ok(IntVal::Small(0)));
        assert_eq!(parse_integer(b"7"), Ok(IntVal::Small(7)));
        assert_eq!(
            parse_integer(b"999999999999999999"),
            Ok(IntVal::Small(999_999_999_999_999_999))
        );
        assert_eq!(
            short_decimal(b"999999999999999999"),
            Some(999_999_999_999_999_999)
        );
        // Left to the full reader, with the same outcome.
        assert_eq!(short_decimal(b"1000000000000000000"), None);
        assert_eq!(
            parse_integer(b"1000000000000000000"),
            Ok(IntVal::Small(1_000_000_000_000_000_000))
        );
        assert_eq!(short_decimal(b"00"), None);
        assert_eq!(parse_integer(b"00"), Ok(IntVal::Small(0)));
        assert_eq!(
            parse_integer_with(b"01", true),
            Err("invalid syntax for integer with base 0: '01'".to_string())
        );
        assert_eq!(parse_integer_with(b"0", true), Ok(IntVal::Small(0)));
        assert_eq!(short_decimal(b"1_000"), None);
        assert_eq!(parse_integer(b"1_000"), Ok(IntVal::Small(1000)));
        assert_eq!(short_decimal(b"12a"), None);
        assert_eq!(
            parse_integer(b"12a"),
            Err("invalid syntax for integer with base 10: '12a'".to_string())
        );
        assert_eq!(short_decimal(b"-5"), None);
        assert_eq!(parse_integer(b"-5"), Ok(IntVal::Small(-5)));
        assert_eq!(short_decimal(b" 5"), None);
        assert_eq!(short_decimal(b""), None);
    }

    #[test]
    fn integers() {
        assert_eq!(parse_integer(b"0x1f"), Ok(IntVal::Small(31)));
        assert_eq!(parse_integer(b"0o17"), Ok(IntVal::Small(15)));
        assert_eq!(parse_integer(b"0b101"), Ok(IntVal::Small(5)));
        assert_eq!(parse_integer(b"0777"), Ok(IntVal::Small(777)));
        assert_eq!(
            parse_integer(b"4611686018427387903"),
            Ok(IntVal::Small((1 << 62) - 1))
        );
        assert_eq!(
            parse_integer(b"4611686018427387904"),
            Ok(IntVal::Big(BigInt::from(1i64 << 62)))
        );
        assert_eq!(
            parse_integer(b"0x"),
            Err("invalid syntax for integer with base 16: ''".to_string())
        );
        assert_eq!(
            parse_integer(b"0o8"),
            Err("invalid syntax for integer with base 8: '8'".to_string())
        );
    }
}
