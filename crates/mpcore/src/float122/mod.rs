//! Float literals as MicroPython 1.22 to 1.25's `mpy-cross` reads and prints them (x86-64
//! builds): double arithmetic throughout, powers of ten from the C library's `pow`.
//!
//! These releases sit between 1.11's code ([`crate::float`]) and 1.26's extended-precision
//! rewrite ([`crate::float129`]):
//!
//! * The reader ([`parse_literal_1_22`], [`parse_literal_1_25`]) holds back zeros until a
//!   non-zero digit follows them (trailing zeros only move the exponent), then scales the
//!   significand by the decimal exponent in one step: a division by `pow(10, -n)` for
//!   exponents -1 to -22, else a multiplication by `pow(10, n)`, after a first scaling by
//!   `1e-307` for exponents below -307. 1.22 to 1.24 gather the digits in a double (each step
//!   rounded, until it reaches `1e200`); 1.25 in a 64-bit integer (until it reaches
//!   `0x1999999999999998`), converted to a double once.
//! * The printer ([`format_repr`], see [`format`]) finds the decimal exponent by comparing
//!   with `pow(10, n)`, then takes one digit at a time by subtracting powers of ten (at most
//!   nine times), prints 16 significant digits `'g'`-style and rounds the text on the
//!   seventeenth. No read-back: `0.1 + 0.2` prints `0.3`.
//!
//! The `.mpy` file stores a float constant as that printed text.

mod format;

pub use format::{format_complex_repr, format_repr};

use crate::float::{pow10, FloatLiteral, InvalidNumber};

/// Exponent below which the reader first scales by [`SMALL_NORMAL_VAL`].
const SMALL_NORMAL_EXP: i64 = -307;
/// The smallest power of ten that is a normal double (the C constant `1e-307`).
const SMALL_NORMAL_VAL: f64 = 1e-307;
/// Largest `n` with `10^n` exact in a double: exponents `-1..=-EXACT` divide instead.
const EXACT_POWER_OF_10: i64 = 22;
/// 1.22 to 1.24: a double significand at or above this takes no more digits.
const DOUBLE_SIGNIFICAND_MAX: f64 = 1e200;
/// 1.25: an integer significand at or above this takes no more digits (the next could
/// overflow 64 bits).
const INTEGER_SIGNIFICAND_MAX: u64 = 0x1999_9999_9999_9998;
/// Exponent digits stop accumulating once the value reaches this (`(INT_MAX / 2 - 9) / 10`).
const EXP_ACCUMULATE_LIMIT: i64 = ((i32::MAX / 2 - 9) / 10) as i64;

/// Whether `c` is whitespace to the reference (`\t`, `\n`, `\v`, `\f`, `\r`, space).
fn is_space(c: u8) -> bool {
    c == b' ' || (9..=13).contains(&c)
}

/// Where the digit scanner is in a decimal number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Integer,
    Fraction,
    Exponent,
}

/// How a release gathers the significant digits of a decimal number.
trait Significand: Default {
    /// Whether the significand has no room for another digit.
    fn is_full(&self) -> bool;
    /// `10 * self + digit` (only called when not full).
    fn push(&mut self, digit: u8);
    /// The significand as the double the scaling starts from.
    fn to_f64(&self) -> f64;
}

/// 1.22 to 1.24: the digits go into a double, each step `10 * v + d` rounded.
#[derive(Default)]
struct DoubleSignificand(f64);

impl Significand for DoubleSignificand {
    fn is_full(&self) -> bool {
        self.0 >= DOUBLE_SIGNIFICAND_MAX
    }
    fn push(&mut self, digit: u8) {
        self.0 = 10.0 * self.0 + f64::from(digit);
    }
    fn to_f64(&self) -> f64 {
        self.0
    }
}

/// 1.25: the digits go into a 64-bit integer, converted to the nearest double at the end.
#[derive(Default)]
struct IntegerSignificand(u64);

impl Significand for IntegerSignificand {
    fn is_full(&self) -> bool {
        self.0 >= INTEGER_SIGNIFICAND_MAX
    }
    fn push(&mut self, digit: u8) {
        self.0 = 10 * self.0 + u64::from(digit);
    }
    fn to_f64(&self) -> f64 {
        // Below 2^63: the conversion rounds to nearest, as the x86-64 instruction does.
        self.0 as f64
    }
}

/// The digits read so far and the decimal exponent the digits dropped or placed after the
/// point add.
struct Digits<S> {
    sig: S,
    exp_extra: i64,
}

impl<S: Significand> Digits<S> {
    /// Takes one digit (`accept_digit`): into the significand while there is room (a fraction
    /// digit moving the exponent down), else an integer digit scales by ten and a fraction
    /// digit is dropped.
    fn accept(&mut self, digit: u8, part: Part) {
        if !self.sig.is_full() {
            self.sig.push(digit);
            if part == Part::Fraction {
                self.exp_extra -= 1;
            }
        } else if part == Part::Integer {
            self.exp_extra += 1;
        }
    }
}

/// Reads the unsigned decimal number at the start of `text`: digits, `.`, an exponent, `_`
/// anywhere; stops at the first other byte. Returns the double and the bytes read, or `None`
/// when an exponent marker ends the text.
fn parse_unsigned<S: Significand>(text: &[u8]) -> Option<(f64, usize)> {
    let top = text.len();
    let mut i = 0;
    let mut part = Part::Integer;
    let mut exp_negative = false;
    let mut exp_digits: i64 = 0;
    let mut digits = Digits {
        sig: S::default(),
        exp_extra: 0,
    };
    // Zeros (and, once the significand is full, any digits) wait until a non-zero digit
    // follows; integer ones still count in the exponent at the end.
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
            } else if digit == 0 || digits.sig.is_full() {
                if part == Part::Integer {
                    zeros_integer += 1;
                } else {
                    zeros_fraction += 1;
                }
            } else {
                while zeros_integer > 0 {
                    digits.accept(0, Part::Integer);
                    zeros_integer -= 1;
                }
                while zeros_fraction > 0 {
                    digits.accept(0, Part::Fraction);
                    zeros_fraction -= 1;
                }
                digits.accept(digit, part);
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
    let mut exp =
        (exp + digits.exp_extra + zeros_integer).clamp(i64::from(i32::MIN), i64::from(i32::MAX));
    let mut value = digits.sig.to_f64();
    if exp < SMALL_NORMAL_EXP {
        exp -= SMALL_NORMAL_EXP;
        value *= SMALL_NORMAL_VAL;
    }
    if (-EXACT_POWER_OF_10..0).contains(&exp) {
        value /= pow10(-exp);
    } else {
        value *= pow10(exp);
    }
    Some((value, i))
}

/// Reads `text` as `mp_parse_num_decimal` does (no forced complex), the unsigned number by
/// `unsigned`: optional surrounding whitespace and sign, `inf`/`infinity`/`nan` in any case,
/// or a decimal number; with `allow_imag`, a trailing `j`/`J` makes the result imaginary (a
/// bare `j` is `1j`). Any other input is [`InvalidNumber`].
fn parse_decimal(
    text: &[u8],
    allow_imag: bool,
    unsigned: fn(&[u8]) -> Option<(f64, usize)>,
) -> Result<FloatLiteral, InvalidNumber> {
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
    let mut value = 0.0;
    if lower(i) == b'i' {
        if i + 2 < top && word(i, b"inf") {
            i += 3;
            value = f64::INFINITY;
            if i + 4 < top && word(i, b"inity") {
                i += 5;
            }
        }
    } else if lower(i) == b'n' {
        if i + 2 < top && word(i, b"nan") {
            i += 3;
            value = f64::NAN;
        }
    } else {
        let (v, used) = unsigned(&text[i..]).ok_or(InvalidNumber)?;
        value = v;
        i += used;
    }
    let mut imag = false;
    if allow_imag && lower(i) == b'j' {
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

/// Reads `text` as 1.22 to 1.24's `mp_parse_num_decimal` does (digits gathered in a double).
pub fn parse_decimal_1_22(text: &[u8], allow_imag: bool) -> Result<FloatLiteral, InvalidNumber> {
    parse_decimal(text, allow_imag, parse_unsigned::<DoubleSignificand>)
}

/// Reads `text` as 1.25's `mp_parse_num_decimal` does (digits gathered in a 64-bit integer).
pub fn parse_decimal_1_25(text: &[u8], allow_imag: bool) -> Result<FloatLiteral, InvalidNumber> {
    parse_decimal(text, allow_imag, parse_unsigned::<IntegerSignificand>)
}

/// Reads a float-or-imaginary literal token as 1.22 to 1.24's parser does (the lexer has
/// removed `_`, though it is accepted here too).
pub fn parse_literal_1_22(text: &[u8]) -> Result<FloatLiteral, InvalidNumber> {
    parse_decimal_1_22(text, true)
}

/// Reads a float-or-imaginary literal token as 1.25's parser does.
pub fn parse_literal_1_25(text: &[u8]) -> Result<FloatLiteral, InvalidNumber> {
    parse_decimal_1_25(text, true)
}

/// The const-table object kind (`b'f'` or `b'c'`) and the text mpy-cross 1.22 to 1.25 saves
/// for a literal read by one of the readers above.
pub fn const_text(lit: FloatLiteral) -> (u8, String) {
    match lit {
        FloatLiteral::Float(v) => (b'f', format_repr(v)),
        FloatLiteral::Imag(v) => (b'c', format_complex_repr(0.0, v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(reader: fn(&[u8]) -> Result<FloatLiteral, InvalidNumber>, text: &str) -> String {
        match reader(text.as_bytes()) {
            Ok(l) => const_text(l).1,
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn literals_as_the_oracles_saved_them() {
        // Texts mpy-cross 1.22 and 1.25 saved (identical for these).
        for (text, want) in [
            ("0.793402", "0.793402"),
            ("9.064678", "9.064678000000001"),
            ("0.0006", "0.0005999999999999998"),
            ("0.9975", "0.9975000000000001"),
            ("9.8", "9.800000000000001"),
            ("97.1", "97.09999999999999"),
            ("9.45", "9.449999999999999"),
            ("0.1", "0.1"),
            ("0.3", "0.3"),
            ("0.30000000000000004", "0.3"),
            ("1e23", "1e+23"),
            ("5e-324", "1e-323"),
            ("1e-5", "1e-05"),
            ("1e15", "1000000000000000.0"),
            ("1e16", "1e+16"),
            ("1.7976931348623157e308", "1.797693134862316e+308"),
            ("2.5e-308", "2.5e-308"),
            ("0.999988867182683e-320", "1e-320"),
            ("0e400", "nan"),
            ("1e400", "inf"),
            ("1e-400", "0.0"),
            ("123456789.123456789", "123456789.1234568"),
            ("1e22", "1e+22"),
            ("0.0001", "0.0001"),
            ("2j", "2j"),
            ("1.5J", "1.5j"),
            ("9.999999999999999e22", "1e+23"),
            ("12345678901234567890.0", "1.234567890123457e+19"),
            ("0.99999999999999999", "1.0"),
            ("9.9999999999999997e-5", "0.0001"),
            ("9.9999999999999995e22", "1e+23"),
            ("0.099999999999999999", "0.1"),
            ("999999999999999.95", "1000000000000000.0"),
            ("99999999999999.99", "100000000000000.0"),
            ("0.00099999999999999999", "0.001"),
            ("2.2250738585072014e-308", "2.225073858507201e-308"),
            ("1e-310", "1e-310"),
            ("1e100", "1e+100"),
            ("1e-100", "1e-100"),
            ("12345.6789e-200", "1.23456789e-196"),
            ("4.9e-324", "1e-323"),
        ] {
            assert_eq!(saved(parse_literal_1_22, text), want, "1.22: {text}");
            assert_eq!(saved(parse_literal_1_25, text), want, "1.25: {text}");
        }
    }

    #[test]
    fn malformed_numbers() {
        for bad in [
            "1e", "1e+", "1.5jx", "1.2.3", "1e5e3", "", "-", "in", "infx", "1.5j", " ",
        ] {
            let allow_imag = bad != "1.5j";
            assert_eq!(
                parse_decimal_1_22(bad.as_bytes(), allow_imag),
                Err(InvalidNumber),
                "{bad:?}"
            );
            assert_eq!(
                parse_decimal_1_25(bad.as_bytes(), allow_imag),
                Err(InvalidNumber),
                "{bad:?}"
            );
        }
        assert_eq!(parse_literal_1_22(b"j"), Ok(FloatLiteral::Imag(1.0)));
        assert_eq!(
            parse_decimal_1_25(b" -inf ", false),
            Ok(FloatLiteral::Float(f64::NEG_INFINITY))
        );
    }

    #[test]
    fn long_inputs_stay_bounded() {
        let nines = "9".repeat(100_000);
        for reader in [parse_literal_1_22, parse_literal_1_25] {
            assert_eq!(saved(reader, &format!("0.{nines}")), "1.0");
            assert_eq!(saved(reader, &format!("1e{nines}")), "inf");
            assert_eq!(saved(reader, &format!("1e-{nines}")), "0.0");
            assert_eq!(saved(reader, &format!("{nines}.0")), "inf");
            assert_eq!(saved(reader, &format!("0.{}1", "0".repeat(100_000))), "0.0");
        }
    }
}
