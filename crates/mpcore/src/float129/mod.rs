//! Float literals as MicroPython 1.29's `mpy-cross` reads and prints them (x86-64 build).
//!
//! 1.29 replaced 1.11's double-precision reader and printer ([`crate::float`]) with code that
//! works in a wider type, `long double`, which the x86-64 Linux binary computes with the x87
//! unit's 80-bit extended format ([`extended`], done here in software):
//!
//! * [`parse_literal`] reads a number as `mp_parse_num_decimal` does: the digits go into a
//!   64-bit integer (until it reaches `0x1999999999999998`; later digits only move the
//!   decimal exponent, zeros are held back until a non-zero digit follows), then the integer is
//!   scaled by the decimal exponent through powers `10^(2^k)` made by repeated squaring, each
//!   multiplication or division rounded to 64 bits, and the result rounded to a double. The
//!   two roundings make some literals one unit in the last place off the nearest double
//!   (`0.793402` reads as the double above it, which prints `0.7934020000000001`).
//! * [`format_repr`] prints a double as `repr` does (see [`format`]): 16 significant digits
//!   from the same scaling, and one more digit at a time, up to 19, while the text does not
//!   read back (through the reader above) to the same double.
//!
//! The `.mpy` file stores a float constant as that printed text.

mod extended;
mod format;

pub use format::{format_complex_repr, format_repr};

use crate::float::{FloatLiteral, InvalidNumber};
use extended::Extended;

/// Digits stop entering the integer significand once it reaches this (it could overflow at
/// the next digit); later digits count as zeros.
const SIGNIFICAND_MAX: u64 = 0x1999_9999_9999_9998;
/// Exponent digits stop accumulating once the value reaches this (`(INT_MAX / 2 - 9) / 10`).
const EXP_ACCUMULATE_LIMIT: i64 = ((i32::MAX / 2 - 9) / 10) as i64;

/// Whether `c` is whitespace to the reference (`\t`, `\n`, `\v`, `\f`, `\r`, space).
fn is_space(c: u8) -> bool {
    c == b' ' || (9..=13).contains(&c)
}

/// `num * 10^dec_exp` in extended precision (`mp_decimal_exp`): the exponent's bits pick
/// powers `10^(2^k)`, each squared from the last, and the value is multiplied (or, for a
/// negative exponent, divided) by each picked power in turn.
fn decimal_exp(num: Extended, dec_exp: i64) -> Extended {
    if dec_exp == 0 || num == Extended::Zero {
        return num;
    }
    let negative = dec_exp < 0;
    let mut rest = dec_exp.unsigned_abs();
    let mut value = num;
    let mut power = Extended::from_u64(10);
    while rest != 0 {
        if rest & 1 == 1 {
            value = if negative {
                value.div(power)
            } else {
                value.mul(power)
            };
        }
        rest >>= 1;
        if rest != 0 {
            power = power.mul(power);
        }
    }
    value
}

/// Where the digit scanner is in a decimal number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Integer,
    Fraction,
    Exponent,
}

/// The digits of a number being read: the integer significand and the decimal exponent that
/// digits dropped or placed after the point add to it.
struct Significand {
    value: u64,
    exp_extra: i64,
}

impl Significand {
    /// Takes one more digit (`accept_digit`): into the significand while there is room
    /// (moving the exponent down for a fraction digit), else into the exponent (an integer
    /// digit scales by ten; a fraction digit is dropped).
    fn accept(&mut self, digit: u8, part: Part) {
        if self.value < SIGNIFICAND_MAX {
            if part == Part::Fraction {
                self.exp_extra -= 1;
            }
            self.value = 10 * self.value + u64::from(digit);
        } else if part == Part::Integer {
            self.exp_extra += 1;
        }
    }
}

/// Reads an unsigned decimal number at the start of `text` (`mp_parse_float_internal`):
/// digits, `.`, an exponent, `_` anywhere; stops at the first other byte. Returns the double
/// and how many bytes were read, or `None` when an exponent marker ends the text.
fn parse_unsigned(text: &[u8]) -> Option<(f64, usize)> {
    let top = text.len();
    let mut i = 0;
    let mut part = Part::Integer;
    let mut exp_negative = false;
    let mut exp_digits: i64 = 0;
    let mut sig = Significand {
        value: 0,
        exp_extra: 0,
    };
    // Zeros (and, past the significand's room, any digits) are held back until a non-zero
    // digit shows they are not trailing; integer ones still count in the exponent at the end.
    let mut zeros_integer: i64 = 0;
    let mut zeros_fraction: i64 = 0;
    while i < top {
        let c = text[i];
        i += 1;
        if c.is_ascii_digit() {
            let digit = c - b'0';
            if part == Part::Exponent {
                if exp_digits < EXP_ACCUMULATE_LIMIT {
                    exp_digits = 10 * exp_digits + i64::from(digit);
                }
            } else if digit == 0 || sig.value >= SIGNIFICAND_MAX {
                if part == Part::Integer {
                    zeros_integer += 1;
                } else {
                    zeros_fraction += 1;
                }
            } else {
                while zeros_integer > 0 {
                    sig.accept(0, Part::Integer);
                    zeros_integer -= 1;
                }
                while zeros_fraction > 0 {
                    sig.accept(0, Part::Fraction);
                    zeros_fraction -= 1;
                }
                sig.accept(digit, part);
            }
        } else if part == Part::Integer && c == b'.' {
            part = Part::Fraction;
        } else if part != Part::Exponent && (c | 0x20) == b'e' {
            part = Part::Exponent;
            match text.get(i) {
                Some(b'+') => i += 1,
                Some(b'-') => {
                    i += 1;
                    exp_negative = true;
                }
                _ => {}
            }
            if i == top {
                return None;
            }
        } else if c == b'_' {
            continue;
        } else {
            i -= 1;
            break;
        }
    }
    let exp = if exp_negative {
        -exp_digits
    } else {
        exp_digits
    };
    // The reference sums these in a C int; its range is kept so that absurdly long inputs
    // scale the same way (to 0 or infinity either way).
    let exp = (exp + sig.exp_extra + zeros_integer).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
    let value = decimal_exp(Extended::from_u64(sig.value), exp).to_f64();
    Some((value, i))
}

/// Reads `text` as 1.29's `mp_parse_num_decimal` does (no forced complex): optional
/// surrounding whitespace and sign, `inf`/`infinity`/`nan` in any case, or a decimal number;
/// with `allow_imag`, a trailing `j`/`J` makes the result imaginary (a bare `j` is `1j`). Any
/// other input is [`InvalidNumber`].
pub fn parse_decimal(text: &[u8], allow_imag: bool) -> Result<FloatLiteral, InvalidNumber> {
    let top = text.len();
    let lower = |i: usize| text.get(i).map_or(0, |c| c | 0x20);
    let mut i = 0;
    while i < top && is_space(text[i]) {
        i += 1;
    }
    let mut negative = false;
    match text.get(i) {
        Some(b'+') => i += 1,
        Some(b'-') => {
            i += 1;
            negative = true;
        }
        _ => {}
    }
    let value_start = i;
    let word =
        |i: usize, w: &[u8]| i + w.len() <= top && (0..w.len()).all(|k| lower(i + k) == w[k]);
    let mut value;
    if i + 2 < top && word(i, b"inf") {
        i += 3;
        value = f64::INFINITY;
        if i + 4 < top && word(i, b"inity") {
            i += 5;
        }
    } else if i + 2 < top && word(i, b"nan") {
        i += 3;
        value = f64::NAN;
    } else {
        let (v, used) = parse_unsigned(&text[i..]).ok_or(InvalidNumber)?;
        value = v;
        i += used;
    }
    let mut imag = false;
    if allow_imag && i < top && lower(i) == b'j' {
        if i == value_start {
            value = 1.0;
        }
        i += 1;
        imag = true;
    }
    if negative {
        value = -value;
    }
    if i == value_start {
        return Err(InvalidNumber);
    }
    while i < top && is_space(text[i]) {
        i += 1;
    }
    if i != top {
        return Err(InvalidNumber);
    }
    Ok(if imag {
        FloatLiteral::Imag(value)
    } else {
        FloatLiteral::Float(value)
    })
}

/// Reads the text of a float-or-imaginary literal token as 1.29's parser does (the lexer has
/// removed `_`, though it is accepted here too).
pub fn parse_literal(text: &[u8]) -> Result<FloatLiteral, InvalidNumber> {
    parse_decimal(text, true)
}

/// What the printer reads its own text back with: the unsigned reader, whole text or not.
fn read_back(text: &[u8]) -> f64 {
    parse_unsigned(text).map_or(f64::NAN, |(v, _)| v)
}

/// The const-table object kind (`b'f'` or `b'c'`) and the text mpy-cross 1.29 saves for a
/// literal.
pub fn const_text(lit: FloatLiteral) -> (u8, String) {
    match lit {
        FloatLiteral::Float(v) => (b'f', format_repr(v)),
        FloatLiteral::Imag(v) => (b'c', format_complex_repr(0.0, v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> String {
        match parse_literal(text.as_bytes()) {
            Ok(l) => const_text(l).1,
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn literals_from_the_issue() {
        // Texts mpy-cross 1.29 saved for these literals (stdlib files, issue 17).
        for (text, saved) in [
            ("0.793402", "0.7934020000000001"),
            ("9.064678", "9.064678000000001"),
            ("0.0006", "0.0005999999999999999"),
            ("0.9975", "0.9975000000000001"),
            ("9.8", "9.800000000000001"),
            ("97.1", "97.09999999999999"),
            ("9.45", "9.449999999999999"),
            ("4.940656458412465e-323", "4.940656458412465e-323"),
            ("0.999988867182683e-320", "0.999988867182683e-320"),
            ("0.988131291682493e-323", "0.988131291682493e-323"),
            ("5e-324", "4.940656458412465e-324"),
            ("1e23", "1e+23"),
            ("0.1", "0.1"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("2.5e-308", "2.5e-308"),
        ] {
            assert_eq!(lit(text), saved, "{text}");
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(lit("1e400"), "inf");
        assert_eq!(lit("1e-400"), "0.0");
        // 1.29 returns a zero significand before scaling: no 0 * inf.
        assert_eq!(lit("0e400"), "0.0");
        assert_eq!(lit("2j"), "2j");
        assert_eq!(lit("1.5J"), "1.5j");
        assert_eq!(lit(".5"), "0.5");
        assert_eq!(lit("5."), "5.0");
        assert_eq!(lit("1_000.000_5"), "1000.0005");
        assert_eq!(lit("1e16"), "1e+16");
        assert_eq!(lit("1e15"), "1000000000000000.0");
        assert_eq!(lit("1e-5"), "1e-05");
        assert_eq!(lit("0.0001"), "0.0001");
        assert_eq!(parse_literal(b"j"), Ok(FloatLiteral::Imag(1.0)));
        assert_eq!(
            parse_decimal(b" -inf ", false),
            Ok(FloatLiteral::Float(f64::NEG_INFINITY))
        );
        assert!(parse_decimal(b"nan", false).is_ok_and(|l| l.value().is_nan()));
    }

    #[test]
    fn malformed_numbers() {
        for bad in [
            "1e", "1e+", "1.5jx", "1.2.3", "1e5e3", "", "-", "in", "infx", "1.5j", " ",
        ] {
            let allow_imag = bad != "1.5j";
            assert_eq!(
                parse_decimal(bad.as_bytes(), allow_imag),
                Err(InvalidNumber),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn any_input_gives_output() {
        // SplitMix64, seeded: random bytes into the reader, random doubles into the printer.
        // Nothing may panic; every printed text is short and reads back as a number.
        let mut state = 0x0000_F10A_7129_u64;
        let mut next = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let alphabet = b"0123456789.eEjJ+-_ infinityINFNaN\t\nx";
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let _ = parse_decimal(&text, next() % 2 == 0);
            let value = f64::from_bits(next());
            let printed = format_repr(value);
            assert!(printed.len() <= 32, "{value:e} printed as {printed}");
            let read = parse_decimal(printed.as_bytes(), false).map(FloatLiteral::value);
            assert!(
                read.is_ok_and(|r| r.to_bits() == value.to_bits() || value.is_nan() || r == value),
                "{value:e} printed as {printed}, read back as {read:?}"
            );
            let complex = format_complex_repr(f64::from_bits(next()), value);
            assert!(complex.len() <= 70, "{complex}");
        }
    }

    #[test]
    fn long_inputs_stay_bounded() {
        let nines = "9".repeat(100_000);
        assert_eq!(lit(&format!("0.{nines}")), "1.0");
        assert_eq!(lit(&format!("1e{nines}")), "inf");
        assert_eq!(lit(&format!("1e-{nines}")), "0.0");
        assert_eq!(lit(&format!("{nines}.0")), "inf");
        assert_eq!(lit(&format!("0.{}1", "0".repeat(100_000))), "0.0");
    }
}
