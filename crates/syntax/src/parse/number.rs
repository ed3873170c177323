//! Number literals as the reference's parser reads them (`py/parsenum.c`): integer literals
//! become small ints or big ints, float and imaginary literals become floats, and text the
//! lexer let through but the number reader rejects gives the reference's error text.

use num_bigint::BigInt;

use super::int::IntVal;

/// A decimal literal's value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decimal {
    Float(f64),
    /// An imaginary literal: its imaginary part.
    Imag(f64),
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The base and the number of prefix bytes (`0x`, `0o`, `0b`) of an integer literal, for
/// base 0 (`mp_parse_num_base`).
fn base_prefix(s: &[u8]) -> (u32, usize) {
    if s.len() <= 1 || s[0] != b'0' {
        return (10, 0);
    }
    match s[1] | 0x20 {
        b'x' => (16, 2),
        b'o' => (8, 2),
        b'b' => (2, 2),
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
    let (base, skip) = base_prefix(&text[pos..]);
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
        match &mut big {
            None => {
                let next = small
                    .checked_mul(i64::from(base))
                    .and_then(|v| v.checked_add(i64::from(d)))
                    .filter(|v| IntVal::fits_small(*v));
                match next {
                    Some(v) => small = v,
                    None => {
                        let mut b = BigInt::from(small);
                        b = b * base + d;
                        big = Some(b);
                    }
                }
            }
            Some(b) => {
                *b = &*b * base + d;
            }
        }
        pos += 1;
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

fn int_error(base: u32, rest: &[u8]) -> String {
    format!(
        "invalid syntax for integer with base {base}: {}",
        quote_bytes(rest)
    )
}

/// The message the reference gives for a decimal literal it cannot read.
pub const DECIMAL_ERROR: &str = "invalid syntax for number";

/// Read a float or imaginary literal (`mp_parse_num_decimal` with imaginary parts allowed).
pub fn parse_decimal(text: &[u8]) -> Result<Decimal, &'static str> {
    const DEC_VAL_MAX: f64 = 1e200;
    const SMALL_NORMAL_VAL: f64 = 1e-307;
    const SMALL_NORMAL_EXP: i32 = -307;
    const EXACT_POWER_OF_10: i32 = 22;

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
    let start = pos;
    let mut value = 0.0f64;
    let mut imag = false;
    let lower = |i: usize| text.get(i).map(|b| b | 0x20);

    if lower(pos) == Some(b'i') {
        if pos + 2 < top && lower(pos + 1) == Some(b'n') && lower(pos + 2) == Some(b'f') {
            pos += 3;
            value = f64::INFINITY;
            if pos + 4 < top && text[pos..pos + 5].eq_ignore_ascii_case(b"inity") {
                pos += 5;
            }
        }
    } else if lower(pos) == Some(b'n') {
        if pos + 2 < top && lower(pos + 1) == Some(b'a') && lower(pos + 2) == Some(b'n') {
            pos += 3;
            value = f64::NAN;
        }
    } else {
        #[derive(PartialEq)]
        enum In {
            Intg,
            Frac,
            Exp,
        }
        let mut state = In::Intg;
        let mut exp_neg = false;
        let mut exp_val: i32 = 0;
        let mut exp_extra: i32 = 0;
        while pos < top {
            let c = text[pos];
            pos += 1;
            if c.is_ascii_digit() {
                let d = c - b'0';
                if state == In::Exp {
                    if exp_val < (i32::MAX / 2 - 9) / 10 {
                        exp_val = 10 * exp_val + i32::from(d);
                    }
                } else if value < DEC_VAL_MAX {
                    value = 10.0 * value + f64::from(d);
                    if state == In::Frac {
                        exp_extra -= 1;
                    }
                } else if state == In::Intg {
                    exp_extra += 1;
                }
            } else if state == In::Intg && c == b'.' {
                state = In::Frac;
            } else if state != In::Exp && (c | 0x20) == b'e' {
                state = In::Exp;
                if pos < top {
                    if text[pos] == b'+' {
                        pos += 1;
                    } else if text[pos] == b'-' {
                        pos += 1;
                        exp_neg = true;
                    }
                }
                if pos == top {
                    return Err(DECIMAL_ERROR);
                }
            } else if (c | 0x20) == b'j' {
                imag = true;
                break;
            } else if c == b'_' {
                continue;
            } else {
                pos -= 1;
                break;
            }
        }
        if exp_neg {
            exp_val = -exp_val;
        }
        exp_val += exp_extra;
        if exp_val < SMALL_NORMAL_EXP {
            exp_val -= SMALL_NORMAL_EXP;
            value *= SMALL_NORMAL_VAL;
        }
        if (-EXACT_POWER_OF_10..0).contains(&exp_val) {
            value /= 10f64.powi(-exp_val);
        } else {
            value *= 10f64.powf(f64::from(exp_val));
        }
    }
    if neg {
        value = -value;
    }
    if pos == start {
        return Err(DECIMAL_ERROR);
    }
    while pos < top && is_space(text[pos]) {
        pos += 1;
    }
    if pos != top {
        return Err(DECIMAL_ERROR);
    }
    Ok(if imag {
        Decimal::Imag(value)
    } else {
        Decimal::Float(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal(b"1.5"), Ok(Decimal::Float(1.5)));
        assert_eq!(parse_decimal(b"2j"), Ok(Decimal::Imag(2.0)));
        assert_eq!(parse_decimal(b"1e"), Err(DECIMAL_ERROR));
        assert_eq!(parse_decimal(b"1e3"), Ok(Decimal::Float(1000.0)));
    }
}
