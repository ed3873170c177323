//! Numbers in the const table: the text `save_obj` writes for ints, floats and complexes.

use crate::varint::put_uint;
use mpcore::float;
use num_bigint::BigInt;
use num_traits::ToPrimitive;

/// Appends an int constant's text (`repr`: plain decimal) with its length in front, as
/// `save_obj` writes it after the `i` tag.
pub fn put_int_text(out: &mut Vec<u8>, value: &BigInt) {
    match value.to_i64() {
        Some(v) => {
            let mut buf = [0u8; 20];
            let start = decimal(v, &mut buf);
            put_uint(out, (buf.len() - start) as u64);
            out.extend_from_slice(&buf[start..]);
        }
        None => {
            let text = mpcore::decimal::to_decimal(value);
            put_uint(out, text.len() as u64);
            out.extend_from_slice(text.as_bytes());
        }
    }
}

/// Appends a float constant's text with its length in front, as `save_obj` writes it after
/// the `f` tag. The whole numbers 0 to 40 (a third of the corpus's float constants) print as
/// `<digits>.0` without the general formatting; the reference's printing is not exact beyond
/// (41.0 prints as `41.00000000000001`).
pub fn put_float_text(out: &mut Vec<u8>, value: f64) {
    if value.fract() == 0.0 && (0.0..=40.0).contains(&value) && value.is_sign_positive() {
        let mut buf = [0u8; 22];
        buf[20..].copy_from_slice(b".0");
        let start = decimal(value as i64, &mut buf[..20]);
        put_uint(out, (buf.len() - start) as u64);
        out.extend_from_slice(&buf[start..]);
    } else {
        let text = float_text(value);
        put_uint(out, text.len() as u64);
        out.extend_from_slice(text.as_bytes());
    }
}

/// Writes the decimal text of `v` at the end of `buf` (20 bytes or more), returning where
/// it starts.
fn decimal(v: i64, buf: &mut [u8]) -> usize {
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    i
}

/// The text of a float constant (`repr` of a MicroPython float).
pub fn float_text(value: f64) -> String {
    float::format_repr(value)
}

/// The text of a complex constant (`repr` of a MicroPython complex).
pub fn complex_text(real: f64, imag: f64) -> String {
    float::format_complex_repr(real, imag)
}

/// Reads an int constant's text, accepting only the canonical decimal the writer produces.
pub fn parse_int(text: &[u8]) -> Option<BigInt> {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    let canonical = !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && (digits == b"0" || digits[0] != b'0')
        && !(digits == b"0" && digits.len() != text.len());
    if !canonical {
        return None;
    }
    let value = BigInt::from(mpcore::decimal::parse_decimal(digits)?);
    Some(if text.len() != digits.len() {
        -value
    } else {
        value
    })
}

/// Reads a float constant's text as the loader does.
pub fn parse_float(text: &[u8]) -> Option<f64> {
    float::parse_repr(text)
}

/// Reads a complex constant's text: `<imag>j`, or `(<real><sign><imag>j)` as `repr` prints a
/// complex with a real part (which the reference's loader itself cannot read back).
pub fn parse_complex(text: &[u8]) -> Option<(f64, f64)> {
    if let Some(inner) = text.strip_prefix(b"(").and_then(|t| t.strip_suffix(b"j)")) {
        // The imaginary part starts at the last sign that does not follow an exponent mark.
        let split = (1..inner.len())
            .rev()
            .find(|&i| matches!(inner[i], b'+' | b'-') && !matches!(inner[i - 1], b'e' | b'E'))?;
        let real = float::parse(&inner[..split])?;
        let imag = float::parse(&inner[split..])?;
        return Some((real, imag));
    }
    let imag = text.strip_suffix(b"j")?;
    if imag.first() == Some(&b'(') {
        return None;
    }
    Some((0.0, float::parse(imag)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_must_be_canonical() {
        assert_eq!(parse_int(b"-12"), Some(BigInt::from(-12)));
        assert_eq!(parse_int(b"0"), Some(BigInt::from(0)));
        for bad in [&b""[..], b"-", b"-0", b"012", b"+1", b" 1", b"1_0"] {
            assert_eq!(parse_int(bad), None, "{:?}", bad);
        }
    }

    #[test]
    fn int_text_is_decimal() {
        let text = |v: BigInt| {
            let mut out = Vec::new();
            put_int_text(&mut out, &v);
            out
        };
        let mut values: Vec<BigInt> = [0, 1, -1, 9, 10, -10, 1 << 30, i64::MAX, i64::MIN]
            .into_iter()
            .map(BigInt::from)
            .collect();
        values.push(BigInt::from(i64::MAX) + 1);
        values.push(BigInt::from(i64::MIN) - 1);
        values.push(BigInt::from(u64::MAX) * 1000);
        for v in values {
            let t = v.to_string();
            let mut expected = vec![t.len() as u8];
            expected.extend_from_slice(t.as_bytes());
            assert_eq!(text(v), expected);
        }
        assert_eq!(text(BigInt::from(-1234)), b"\x05-1234");
    }

    #[test]
    fn whole_floats_print_like_repr() {
        let text = |v: f64| {
            let mut out = Vec::new();
            put_float_text(&mut out, v);
            out
        };
        let mut values: Vec<f64> = (-100..=100).map(|i| f64::from(i) / 2.0).collect();
        values.extend([40.000_000_000_000_01, 41.0, 1e6, 0.1, -0.0, 1e300, 1e-300]);
        values.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        for v in values {
            let t = float_text(v);
            let mut expected = vec![t.len() as u8];
            expected.extend_from_slice(t.as_bytes());
            assert_eq!(text(v), expected, "{v}");
        }
        assert_eq!(text(-0.0), b"\x04-0.0");
        assert_eq!(text(40.0), b"\x0440.0");
        assert_eq!(text(41.0), b"\x1141.00000000000001");
    }

    #[test]
    fn complex_forms() {
        assert_eq!(parse_complex(b"2j"), Some((0.0, 2.0)));
        assert_eq!(parse_complex(b"(1+2j)"), Some((1.0, 2.0)));
        assert_eq!(parse_complex(b"(1e-05-2.5e+20j)"), Some((1e-5, -2.5e20)));
        assert_eq!(parse_complex(b"(1+j)"), None);
        assert_eq!(parse_complex(b"2"), None);
        assert_eq!(complex_text(0.0, 2.0), "2j");
        assert_eq!(float_text(1.0), "1.0");
    }
}
