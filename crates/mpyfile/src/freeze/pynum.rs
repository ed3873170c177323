//! Numbers as mpy-tool.py (CPython 3.11) reads and prints them: `int(text, 10)`, `float(text)`,
//! `complex(text)` on a constant's saved text, and the `%.16g` format of the frozen C.

use num_bigint::BigInt;

/// CPython 3.11's default limit on the digits `int()` converts from a decimal string.
pub const INT_MAX_STR_DIGITS: usize = 4300;

/// True for the characters `str.strip()` removes: Unicode white space plus the ASCII
/// separators U+001C..U+001F, which CPython counts as space and Rust does not.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `str.strip()` with no argument.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Removes the underscores of a numeric literal, accepting them only between two digits as
/// `int()` and `float()` do; `None` if one is misplaced.
fn strip_underscores(s: &str) -> Option<String> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let before = i > 0 && b[i - 1].is_ascii_digit();
            let after = b.get(i + 1).is_some_and(|d| d.is_ascii_digit());
            if !before || !after {
                return None;
            }
        }
    }
    Some(s.replace('_', ""))
}

/// Why `int()` refused a text: the message after `ValueError: ` (CPython cuts the repr to
/// 200 characters).
fn int_error(text: &str) -> String {
    let repr: String = py_repr(text).chars().take(200).collect();
    format!("invalid literal for int() with base 10: {repr}")
}

/// `int(text, 10)`; the error is the text of the `ValueError`. As CPython 3.11 does, the
/// digit limit is checked on the leading run of digits, before what follows it.
pub fn parse_int(text: &str) -> Result<BigInt, String> {
    let s = py_strip(text);
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let b = body.as_bytes();
    if b.first().is_none_or(|c| !c.is_ascii_digit()) {
        return Err(int_error(text));
    }
    let mut end = 0;
    let mut digits = 0;
    while end < b.len() && (b[end].is_ascii_digit() || b[end] == b'_') {
        if b[end] == b'_' {
            if b[end - 1] == b'_' {
                return Err(int_error(text));
            }
        } else {
            digits += 1;
        }
        end += 1;
    }
    if b[end - 1] == b'_' {
        return Err(int_error(text));
    }
    if digits > INT_MAX_STR_DIGITS {
        return Err(format!(
            "Exceeds the limit ({INT_MAX_STR_DIGITS} digits) for integer string conversion: \
             value has {digits} digits; use sys.set_int_max_str_digits() to increase the limit"
        ));
    }
    if end != b.len() {
        return Err(int_error(text));
    }
    let v: BigInt = body.replace('_', "").parse().map_err(|_| int_error(text))?;
    Ok(if neg { -v } else { v })
}

/// A float from text without surrounding space (CPython's `_Py_string_to_number`): decimal
/// forms, `inf`, `infinity` and `nan` in any case, with a sign; `None` if not a float.
fn parse_float_core(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::from_bits(0x7ff8_0000_0000_0000),
        _ => {
            let ok = !body.is_empty()
                && body
                    .bytes()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
            if !ok || !body.as_bytes()[0].is_ascii_digit() && body.as_bytes()[0] != b'.' {
                return None;
            }
            body.parse::<f64>().ok()?
        }
    };
    Some(if neg { -magnitude } else { magnitude })
}

/// `float(text)`; the error is the text of the `ValueError`.
pub fn parse_float(text: &str) -> Result<f64, String> {
    let s = py_strip(text);
    strip_underscores(s)
        .and_then(|p| parse_float_core(&p))
        .ok_or_else(|| format!("could not convert string to float: {}", py_repr(text)))
}

/// `complex(text)` for the forms CPython accepts: an optional pair of parentheses, then a real
/// number, an imaginary number (`j` or `J` suffix) or `real±imagj`.
pub fn parse_complex(text: &str) -> Result<(f64, f64), String> {
    let bad = || "complex() arg is a malformed string".to_string();
    let mut s = py_strip(text);
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        s = py_strip(inner);
    }
    if s.is_empty() {
        return Err(bad());
    }
    let plain = strip_underscores(s).ok_or_else(bad)?;
    let b = plain.as_bytes();
    // The end of the first number: a sign that follows neither the start nor an exponent mark.
    let split =
        (1..b.len()).find(|&i| matches!(b[i], b'+' | b'-') && !matches!(b[i - 1], b'e' | b'E'));
    let imag_only = |t: &str| -> Option<f64> {
        let body = t.strip_suffix(['j', 'J'])?;
        match body {
            "" | "+" => Some(1.0),
            "-" => Some(-1.0),
            _ => parse_float_core(body),
        }
    };
    let result = match split {
        None => match imag_only(&plain) {
            Some(imag) => Some((0.0, imag)),
            None => parse_float_core(&plain).map(|r| (r, 0.0)),
        },
        Some(i) => {
            let real = parse_float_core(&plain[..i]);
            let rest = &plain[i..];
            let imag = if rest.ends_with(['j', 'J']) {
                imag_only(rest)
            } else {
                None
            };
            match (real, imag) {
                // `1+-2j`: the second part holds a second sign, which CPython refuses.
                (Some(r), Some(im)) if !rest[1..].starts_with(['+', '-']) => Some((r, im)),
                _ => None,
            }
        }
    };
    result.ok_or_else(bad)
}

/// `'%.16g' % value`, as CPython prints it (correctly rounded, `inf`, `nan` without sign).
pub fn format_g16(value: f64) -> String {
    if value.is_nan() {
        return "nan".into();
    }
    if value.is_infinite() {
        return if value < 0.0 { "-inf" } else { "inf" }.into();
    }
    const P: i32 = 16;
    let sci = format!("{:.*e}", (P - 1) as usize, value);
    let (mantissa, exp) = sci.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("exponent digits");
    if !(-4..P).contains(&exp) {
        let m = trim_fraction(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.abs())
    } else {
        let fixed = format!("{:.*}", (P - 1 - exp) as usize, value);
        trim_fraction(&fixed).to_string()
    }
}

/// Drops trailing zeros of a fraction and then a bare decimal point.
fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// `repr()` of a str as CPython writes it in error messages (ASCII texts: quotes and escapes).
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g16_matches_cpython() {
        // Expected texts printed by CPython 3.11's '%.16g'.
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.5, "1.5"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (1e300, "1e+300"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.3333333333333333"),
            (5e-324, "4.940656458412465e-324"),
            (f64::MAX, "1.797693134862316e+308"),
            (123456789.12345679, "123456789.1234568"),
            (9999999999999999.0, "1e+16"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for &(v, want) in cases {
            assert_eq!(format_g16(v), want, "{v:e}");
        }
    }

    #[test]
    fn complex_forms() {
        assert_eq!(parse_complex("1j"), Ok((0.0, 1.0)));
        assert_eq!(parse_complex("(1-2j)"), Ok((1.0, -2.0)));
        assert_eq!(parse_complex("(1e+100+1e-100j)"), Ok((1e100, 1e-100)));
        assert!(parse_complex("(1+-2j)").is_err());
        let (r, i) = parse_complex("-0j").unwrap();
        assert!(r == 0.0 && r.is_sign_positive() && i == 0.0 && i.is_sign_negative());
        let (r, i) = parse_complex("(nan+infj)").unwrap();
        assert!(r.is_nan() && i == f64::INFINITY);
    }

    #[test]
    fn ints_and_floats() {
        assert_eq!(parse_int(" -1_000 ").unwrap(), BigInt::from(-1000));
        assert!(parse_int("1__0").is_err());
        assert!(parse_int(&"9".repeat(4301))
            .unwrap_err()
            .contains("4301 digits"));
        assert_eq!(parse_float("1_0.5"), Ok(10.5));
        assert_eq!(parse_float("-Infinity"), Ok(f64::NEG_INFINITY));
        assert_eq!(
            parse_float("x1").unwrap_err(),
            "could not convert string to float: 'x1'"
        );
    }
}
