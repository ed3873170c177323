//! Float literals as MicroPython 1.11 reads and prints them: its decimal parser and its repr.
//!
//! The reference does not use a correctly rounded parser or printer. A float constant reaches a
//! `.mpy` file as the text of the reference's `repr` of the value its own parser made of the
//! literal, so both steps are reproduced here, operation for operation, in IEEE double arithmetic:
//!
//! * [`parse_decimal`] reads a number the way `mp_parse_num_decimal` does (double precision):
//!   digits are accumulated into a double (each step rounded) until the value reaches `1e200`,
//!   then the decimal exponent is applied by one multiplication (or, for exponents -1..-22, one
//!   division) by a power of ten taken from the C library's `pow`.
//! * [`format_float`] prints a double the way `mp_format_float` does: repeated scaling by powers
//!   of ten, then digit extraction by truncation, then a decimal rounding of the printed text.
//! * [`format_repr`] and [`format_complex_repr`] are the `repr` of float and complex objects
//!   (`'g'` with 16 significant digits), which is the text saved for `f` and `c` constants.

use std::sync::OnceLock;

/// The message the reference gives for a malformed number (`ValueError`, or `SyntaxError` when
/// the lexer handed the text over).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid syntax for number")]
pub struct InvalidNumber;

/// What a float-or-imaginary literal means: a float, or a complex with a zero real part.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FloatLiteral {
    /// A `float` object.
    Float(f64),
    /// A `complex` object `0 + value*j` (the literal ended in `j` or `J`).
    Imag(f64),
}

impl FloatLiteral {
    /// The const-table object kind (`b'f'` or `b'c'`) and the text a `.mpy` stores for it.
    pub fn const_text(self) -> (u8, String) {
        match self {
            FloatLiteral::Float(v) => (b'f', format_repr(v)),
            FloatLiteral::Imag(v) => (b'c', format_complex_repr(0.0, v)),
        }
    }

    /// The float value, or the imaginary part of an imaginary literal.
    pub fn value(self) -> f64 {
        match self {
            FloatLiteral::Float(v) | FloatLiteral::Imag(v) => v,
        }
    }

    /// Whether the literal was imaginary.
    pub fn is_imag(self) -> bool {
        matches!(self, FloatLiteral::Imag(_))
    }
}

/// Exponent below which the parser first scales by [`SMALL_NORMAL_VAL`] (double build).
const SMALL_NORMAL_EXP: i64 = -307;
/// The smallest power of ten that is a normal double, as the C compiler rounds `1e-307`.
const SMALL_NORMAL_VAL: f64 = 1e-307;
/// Accumulated mantissas at or above this stop taking digits (double build).
const DEC_VAL_MAX: f64 = 1e200;
/// Largest `n` with `10^n` exact in a double: exponents `-1..=-EXACT` divide instead.
const EXACT_POWER_OF_10: i64 = 22;
/// Exponent digits stop accumulating once the value reaches this (`(INT_MAX / 2 - 9) / 10`).
const EXP_ACCUMULATE_LIMIT: i64 = ((i32::MAX / 2 - 9) / 10) as i64;

/// Whether `c` is whitespace to the reference (`\t`, `\n`, `\v`, `\f`, `\r`, space).
fn is_space(c: u8) -> bool {
    c == b' ' || (9..=13).contains(&c)
}

/// The lowest and highest `n` kept in the power-of-ten table; beyond them `pow(10, n)` is 0 or
/// infinity.
const POW10_MIN: i64 = -400;
const POW10_MAX: i64 = 308;

/// Exponents where the `pow(10, n)` of the C library the reference binary links dynamically
/// (glibc 2.36 here) is not the correctly rounded power of ten but one unit in the last place
/// above it. Measured for every n in -400..=320 (`10.0 ** n` against `float("1e<n>")` in
/// CPython, which calls the same `pow`); the oracle test confirms both (`1e23`, `7e23`, `1e210`).
/// glibc before 2.28 had a correctly rounded `pow`; this table follows the oracle.
const POW10_ONE_ULP_HIGH: [i64; 2] = [23, 210];

/// `pow(10, n)` as the C library linked into the reference computes it.
pub(crate) fn pow10(n: i64) -> f64 {
    if n > POW10_MAX {
        return f64::INFINITY;
    }
    if n < POW10_MIN {
        return 0.0;
    }
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (POW10_MIN..=POW10_MAX)
            .map(|k| {
                // Rust's float parser is correctly rounded; "1e400" and "1e-400" are in range of
                // its grammar, so this cannot fail.
                let exact: f64 = format!("1e{k}").parse().unwrap_or(0.0);
                if POW10_ONE_ULP_HIGH.contains(&k) {
                    f64::from_bits(exact.to_bits() + 1)
                } else {
                    exact
                }
            })
            .collect()
    });
    usize::try_from(n - POW10_MIN)
        .ok()
        .and_then(|i| table.get(i))
        .copied()
        .unwrap_or(0.0)
}

/// Where the digit scanner is in a decimal number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Integer,
    Fraction,
    Exponent,
}

/// Reads `text` as the reference's `mp_parse_num_decimal` does (double precision, no forced
/// complex): optional surrounding whitespace and sign, `inf`/`infinity`/`nan` in any case,
/// or digits with `.`, an exponent and `_` separators; with `allow_imag`, a trailing `j`/`J`
/// makes the result imaginary. Any other input is [`InvalidNumber`].
pub fn parse_decimal(text: &[u8], allow_imag: bool) -> Result<FloatLiteral, InvalidNumber> {
    let top = text.len();
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let lower = |i: usize| at(i) | 0x20;
    let mut i = 0;
    while i < top && is_space(at(i)) {
        i += 1;
    }
    let mut negative = false;
    if i < top {
        if at(i) == b'+' {
            i += 1;
        } else if at(i) == b'-' {
            i += 1;
            negative = true;
        }
    }
    let value_start = i;
    let mut value = 0.0f64;
    let mut imag = false;

    if i < top && lower(i) == b'i' {
        if i + 2 < top && lower(i + 1) == b'n' && lower(i + 2) == b'f' {
            i += 3;
            value = f64::INFINITY;
            if i + 4 < top && (0..5).all(|k| lower(i + k) == b"inity"[k]) {
                i += 5;
            }
        }
    } else if i < top && lower(i) == b'n' {
        if i + 2 < top && lower(i + 1) == b'a' && lower(i + 2) == b'n' {
            i += 3;
            value = f64::NAN;
        }
    } else {
        let mut part = Part::Integer;
        let mut exp_negative = false;
        let mut exp_digits: i64 = 0;
        let mut exp_extra: i64 = 0;
        while i < top {
            let c = at(i);
            i += 1;
            if c.is_ascii_digit() {
                let digit = c - b'0';
                if part == Part::Exponent {
                    // Past the limit the exponent is so large that the result is 0 or inf
                    // anyway; the reference simply stops adding digits.
                    if exp_digits < EXP_ACCUMULATE_LIMIT {
                        exp_digits = 10 * exp_digits + i64::from(digit);
                    }
                } else if value < DEC_VAL_MAX {
                    value = 10.0 * value + f64::from(digit);
                    if part == Part::Fraction {
                        exp_extra -= 1;
                    }
                } else if part == Part::Integer {
                    exp_extra += 1;
                }
            } else if part == Part::Integer && c == b'.' {
                part = Part::Fraction;
            } else if part != Part::Exponent && (c | 0x20) == b'e' {
                part = Part::Exponent;
                if i < top {
                    if at(i) == b'+' {
                        i += 1;
                    } else if at(i) == b'-' {
                        i += 1;
                        exp_negative = true;
                    }
                }
                if i == top {
                    return Err(InvalidNumber);
                }
            } else if allow_imag && (c | 0x20) == b'j' {
                imag = true;
                break;
            } else if c == b'_' {
                continue;
            } else {
                i -= 1;
                break;
            }
        }
        let mut exp = if exp_negative {
            -exp_digits
        } else {
            exp_digits
        };
        exp += exp_extra;
        if exp < SMALL_NORMAL_EXP {
            exp -= SMALL_NORMAL_EXP;
            value *= SMALL_NORMAL_VAL;
        }
        if (-EXACT_POWER_OF_10..0).contains(&exp) {
            value /= pow10(-exp);
        } else {
            value *= pow10(exp);
        }
    }

    if negative {
        value = -value;
    }
    if i == value_start {
        return Err(InvalidNumber);
    }
    while i < top && is_space(at(i)) {
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

/// Reads the text of a float-or-imaginary literal token as the lexer hands it to the parser
/// (underscores already removed, though they are accepted here too).
pub fn parse_literal(text: &[u8]) -> Result<FloatLiteral, InvalidNumber> {
    parse_decimal(text, true)
}

/// Reads a float the reference's way (no `j` suffix allowed); `None` when malformed.
pub fn parse(text: &[u8]) -> Option<f64> {
    match parse_decimal(text, false) {
        Ok(lit) => Some(lit.value()),
        Err(InvalidNumber) => None,
    }
}

/// Reads the text of an `f` const-table object as the `.mpy` loader does (the same parser,
/// imaginary suffix not allowed).
pub fn parse_repr(text: &[u8]) -> Option<f64> {
    parse(text)
}

/// Reads the text of a `c` const-table object as the `.mpy` loader does: the same parser with
/// the imaginary suffix allowed. Text without `j` loads as a float, as in the reference; the
/// parenthesised form `(re+imj)` that a complex with a real part prints cannot be loaded.
pub fn parse_complex_repr(text: &[u8]) -> Option<FloatLiteral> {
    parse_decimal(text, true).ok()
}

/// Powers of ten used by the printer to bring a value into `[1, 10)`, largest first.
const POS_POW: [f64; 9] = [1e256, 1e128, 1e64, 1e32, 1e16, 1e8, 1e4, 1e2, 1e1];
const NEG_POW: [f64; 9] = [1e-256, 1e-128, 1e-64, 1e-32, 1e-16, 1e-8, 1e-4, 1e-2, 1e-1];
/// The decimal exponent each table entry stands for.
const POW_EXP: [i32; 9] = [256, 128, 64, 32, 16, 8, 4, 2, 1];
/// Values in `[ROUND_TO_ONE, 1)` print as if they were 1 (double build).
const ROUND_TO_ONE: f64 = 0.999999999995;
/// The smallest buffer that holds any double in `'e'` form (`+9e+199` plus the terminator).
const MIN_BUF_SIZE: i32 = 7;
/// Larger buffers given to [`format_float`] are treated as this size.
pub const MAX_BUF_SIZE: usize = 1024;
/// The buffer size `repr` gives the printer for a double.
const REPR_BUF_SIZE: usize = 32;
/// Significant digits `repr` asks for in a double build.
const REPR_PRECISION: i32 = 16;

/// Prints `value` as the reference's `mp_format_float` does for a double build, into a buffer of
/// `buf_size` bytes (terminator included; the text is at most `buf_size - 1` bytes).
///
/// `fmt` is `e`, `f` or `g` (upper case gives upper-case `E`, `INF`, `NAN`); `prec` below 0 means
/// 6; `sign` is the ASCII character put before non-negative values (`0` for none). Buffers
/// larger than [`MAX_BUF_SIZE`] are treated as that size.
pub fn format_float(value: f64, fmt: u8, prec: i32, sign: u8, buf_size: usize) -> String {
    let bytes = format_float_bytes(value, fmt, prec, sign, buf_size);
    // Only ASCII is ever written (digits, sign, '.', 'e', letters of inf/nan).
    bytes.into_iter().map(char::from).collect()
}

/// The bytes [`format_float`] produces.
fn format_float_bytes(mut f: f64, fmt_in: u8, mut prec: i32, sign: u8, buf_size: usize) -> Vec<u8> {
    // Every branch below trims the precision to the buffer, so capping both first changes no
    // output for buffers up to MAX_BUF_SIZE and keeps the arithmetic and allocation bounded.
    let buf_size = buf_size.min(MAX_BUF_SIZE);
    let buf_size_i = buf_size as i32;
    prec = prec.min(buf_size_i);
    if buf_size_i <= MIN_BUF_SIZE {
        return if buf_size >= 2 {
            vec![b'?']
        } else {
            Vec::new()
        };
    }
    let mut out: Vec<u8> = Vec::with_capacity(buf_size);
    if f.is_sign_negative() && !f.is_nan() {
        out.push(b'-');
        f = -f;
    } else if sign != 0 {
        out.push(sign);
    }
    // Room for digits and exponent: the buffer less the sign and the terminator.
    let buf_remaining = buf_size_i - 1 - out.len() as i32;

    let upper_bit = fmt_in & 0x20;
    if f.is_infinite() || f.is_nan() {
        let word = if f.is_infinite() { b"INF" } else { b"NAN" };
        out.extend(word.iter().map(|c| c ^ upper_bit));
        return out;
    }
    if prec < 0 {
        prec = 6;
    }
    let e_char = b'E' | (fmt_in & 0x20);
    let mut fmt = fmt_in | 0x20;
    let org_fmt = fmt;
    if fmt == b'g' && prec == 0 {
        prec = 1;
    }
    let mut e: i32;
    let mut dec: i32 = 0;
    let mut e_sign: u8 = 0;
    let mut num_digits: i32 = 0;

    if f == 0.0 {
        e = 0;
        if fmt == b'f' {
            if prec + 2 > buf_remaining {
                prec = buf_remaining - 2;
            }
            num_digits = prec + 1;
        } else {
            if prec + 6 > buf_remaining {
                prec = buf_remaining - 6;
            }
            if fmt == b'e' {
                e_sign = b'+';
            }
        }
    } else if f < 1.0 {
        // The integer digit a fixed-point form starts with: 0, or 1 when it will round up.
        let first_digit = if f >= ROUND_TO_ONE { b'1' } else { b'0' };
        e = 0;
        for k in 0..POW_EXP.len() {
            if NEG_POW[k] > f {
                e += POW_EXP[k];
                f *= POS_POW[k];
            }
        }
        let mut e_sign_char = b'-';
        if (ROUND_TO_ONE..1.0).contains(&f) {
            f = 1.0;
            if e == 0 {
                e_sign_char = b'+';
            }
        } else if f < 1.0 {
            e += 1;
            f *= 10.0;
        }

        if fmt == b'f' || (fmt == b'g' && e <= 4) {
            fmt = b'f';
            dec = -1;
            out.push(first_digit);
            if org_fmt == b'g' {
                prec += e - 1;
            }
            if prec + 2 > buf_remaining {
                prec = buf_remaining - 2;
            }
            num_digits = prec;
            if num_digits != 0 {
                out.push(b'.');
                // Leading zeros after the point; the exponent counter is used up doing it.
                loop {
                    e -= 1;
                    if e == 0 || num_digits == 0 {
                        break;
                    }
                    out.push(b'0');
                    num_digits -= 1;
                }
            }
        } else {
            e_sign = e_sign_char;
            dec = 0;
            if prec > buf_remaining - MIN_BUF_SIZE {
                prec = buf_remaining - MIN_BUF_SIZE;
                if fmt == b'g' {
                    prec += 1;
                }
            }
        }
    } else {
        e = 0;
        for k in 0..POW_EXP.len() {
            if POS_POW[k] <= f {
                e += POW_EXP[k];
                f *= NEG_POW[k];
            }
        }
        // Scaling can leave the value just at 10.
        if truncate_to_i32(f) >= 10 {
            e += 1;
            f *= 0.1;
        }
        if fmt == b'f' {
            if e >= buf_remaining {
                fmt = b'e';
            } else if e + prec + 2 > buf_remaining {
                prec = buf_remaining - e - 2;
                if prec < 0 {
                    prec += 1;
                }
            }
        }
        if fmt == b'e' && prec > buf_remaining - MIN_BUF_SIZE {
            prec = buf_remaining - MIN_BUF_SIZE;
        }
        if fmt == b'g' && prec + (MIN_BUF_SIZE - 1) > buf_remaining {
            prec = buf_remaining - (MIN_BUF_SIZE - 1);
        }
        if fmt == b'g' && e < prec {
            fmt = b'f';
            prec -= e + 1;
        }
        if fmt == b'f' {
            dec = e;
            num_digits = prec + e + 1;
        } else {
            e_sign = b'+';
        }
    }
    if prec < 0 {
        prec = 0;
    }

    if fmt == b'e' {
        num_digits = prec + 1;
    } else if fmt == b'g' {
        if prec == 0 {
            prec = 1;
        }
        num_digits = prec;
    }

    // Digits by truncation; what is left of `f` afterwards decides the rounding.
    for _ in 0..num_digits.max(0) {
        let d = truncate_to_i32(f);
        out.push(if d < 0 {
            b'0'
        } else {
            // The C code stores `'0' + d` into a char: wrap the same way.
            (i32::from(b'0').wrapping_add(d) & 0xff) as u8
        });
        if dec == 0 && prec > 0 {
            out.push(b'.');
        }
        f -= f64::from(d);
        f *= 10.0;
        dec -= 1;
    }

    if (org_fmt != b'f' || e <= num_digits) && f >= 5.0 && !out.is_empty() {
        round_up_text(&mut out, fmt, &mut e, &mut e_sign);
    }

    if org_fmt == b'g' && prec > 0 {
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
    }

    if e_sign != 0 {
        out.push(e_char);
        out.push(e_sign);
        if e >= 100 {
            out.push(digit_char(e / 100));
        }
        out.push(digit_char((e / 10) % 10));
        out.push(digit_char(e % 10));
    }
    out
}

/// `'0' + n` stored in a C char.
fn digit_char(n: i32) -> u8 {
    (i32::from(b'0').wrapping_add(n) & 0xff) as u8
}

/// C's `(int)x` for the non-negative, small values the printer handles (saturating elsewhere).
fn truncate_to_i32(x: f64) -> i32 {
    x as i32
}

/// Adds one unit in the last printed digit, carrying through nines, as the printer does after
/// digit extraction when the remainder is at least one half.
fn round_up_text(out: &mut Vec<u8>, fmt: u8, e: &mut i32, e_sign: &mut u8) {
    let len = out.len();
    let mut rs = len - 1;
    loop {
        let c = out[rs];
        if c == b'.' {
            match rs.checked_sub(1) {
                Some(prev) => {
                    rs = prev;
                    continue;
                }
                None => break,
            }
        }
        if !c.is_ascii_digit() {
            // Reached the sign: the carry goes into the digit after it.
            rs += 1;
            break;
        }
        if c < b'9' {
            out[rs] += 1;
            break;
        }
        out[rs] = b'0';
        if rs == 0 {
            break;
        }
        rs -= 1;
    }
    if out.get(rs) != Some(&b'0') {
        return;
    }
    // The carry ran off the front: a leading 1 goes in at `rs`.
    let keep_length = if out.get(rs + 1) == Some(&b'.') && fmt != b'f' {
        // d.ddd became 0.000 in exponent form: make it 1.000 with the exponent one higher,
        // dropping the last digit so the length stays the same.
        out[rs] = b'.';
        out[rs + 1] = b'0';
        if *e_sign == b'-' {
            *e -= 1;
            if *e == 0 {
                *e_sign = b'+';
            }
        } else {
            *e += 1;
        }
        true
    } else {
        false
    };
    out.insert(rs, b'1');
    if keep_length {
        out.truncate(len);
    }
}

/// The reference's `repr` of a float object: [`format_float`] with `'g'` and 16 significant
/// digits in a 32-byte buffer, then `.0` when the text has no `.`, `e` or `n` (`inf`, `nan`).
/// This is the text a `.mpy` stores for an `f` constant.
pub fn format_repr(value: f64) -> String {
    let mut text = format_float(value, b'g', REPR_PRECISION, 0, REPR_BUF_SIZE);
    if !text.bytes().any(|c| c == b'.' || c == b'e' || c == b'n') {
        text.push_str(".0");
    }
    text
}

/// The reference's `repr` of a complex object (the text a `.mpy` stores for a `c` constant):
/// `<imag>j` when the real part equals zero, else `(<real>+<imag>j)` (no `+` before a negative
/// imaginary part), each part printed as `'g'` with 16 digits and no `.0` added.
pub fn format_complex_repr(real: f64, imag: f64) -> String {
    let part = |v: f64| format_float(v, b'g', REPR_PRECISION, 0, REPR_BUF_SIZE);
    if real == 0.0 {
        format!("{}j", part(imag))
    } else {
        let plus = if imag >= 0.0 || imag.is_nan() {
            "+"
        } else {
            ""
        };
        format!("({}{}{}j)", part(real), plus, part(imag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> String {
        match parse_literal(text.as_bytes()) {
            Ok(l) => l.const_text().1,
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn fidelity_notes_examples() {
        // FIDELITY-NOTES §3, measured with mpy-cross 1.11.
        assert_eq!(lit("123456789.123456789"), "123456789.1234568");
        assert_eq!(lit("0.30000000000000004"), "0.3");
        assert_eq!(lit("5e-324"), "4.940656458412466e-324");
        assert_eq!(lit("1.7976931348623157e308"), "1.797693134862316e+308");
        assert_eq!(lit("9007199254740993.0"), "9007199254740993.0");
    }

    #[test]
    fn simple_values() {
        assert_eq!(lit("1.5"), "1.5");
        assert_eq!(lit("0.0"), "0.0");
        assert_eq!(lit("100.0"), "100.0");
        assert_eq!(lit("1e16"), "1e+16");
        assert_eq!(lit("1e15"), "1000000000000000.0");
        assert_eq!(lit("0.0001"), "0.0001");
        assert_eq!(lit("0.00001"), "1e-05");
        assert_eq!(lit("1e309"), "inf");
        assert_eq!(lit("1e-400"), "0.0");
        // 0 * pow(10, 400) is 0 * inf: the reference stores nan.
        assert_eq!(lit("0e400"), "nan");
        assert_eq!(lit("2j"), "2j");
        assert_eq!(lit("1.5J"), "1.5j");
        assert_eq!(format_repr(-0.0), "-0.0");
        assert_eq!(format_repr(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_repr(-f64::NAN), "nan");
    }

    #[test]
    fn complex_repr() {
        assert_eq!(format_complex_repr(0.0, 0.0), "0j");
        assert_eq!(format_complex_repr(-0.0, 1e300), "1e+300j");
        assert_eq!(format_complex_repr(1.5, 2.0), "(1.5+2j)");
        assert_eq!(format_complex_repr(1.5, -2.0), "(1.5-2j)");
        assert_eq!(format_complex_repr(1.0, f64::NAN), "(1+nanj)");
    }

    #[test]
    fn malformed_numbers() {
        for bad in [
            "1e", "1e+", "1.5jx", "1.2.3", "1e5e3", "", "-", "in", "infx",
        ] {
            assert_eq!(parse_literal(bad.as_bytes()), Err(InvalidNumber), "{bad:?}");
        }
        // A bare `j` is accepted: the reference's loop consumed a character.
        assert_eq!(parse_literal(b"j"), Ok(FloatLiteral::Imag(0.0)));
        assert_eq!(parse(b"1.5j"), None);
        assert_eq!(parse(b" -inf "), Some(f64::NEG_INFINITY));
        assert_eq!(parse(b"Infinity"), Some(f64::INFINITY));
        assert!(parse(b"nan").is_some_and(f64::is_nan));
        assert_eq!(parse(b"1_000.5"), Some(1000.5));
    }

    #[test]
    fn pow10_matches_glibc_measurements() {
        assert_eq!(pow10(22), 1e22);
        assert_eq!(pow10(23).to_bits(), 1e23f64.to_bits() + 1);
        assert_eq!(pow10(-5), 1e-5);
        assert_eq!(pow10(309), f64::INFINITY);
        assert_eq!(pow10(-401), 0.0);
    }

    #[test]
    fn any_input_gives_output() {
        // SplitMix64, seeded: random bytes into the parser, random doubles and options into
        // the printer. Nothing may panic, and the text stays about the buffer's size (the C code
        // can overrun tiny buffers by a byte or two when rounding adds a digit).
        let mut state = 0x000F_10A7_u64;
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
            let fmt = [b'e', b'f', b'g', b'E', b'F', b'G', b'x'][(next() % 7) as usize];
            let prec = (next() % 80) as i32 - 2;
            let buf_size = (next() % 80) as usize;
            let out = format_float(value, fmt, prec, 0, buf_size);
            assert!(
                out.len() <= buf_size + 2,
                "{value:e} {fmt} {prec} {buf_size}: {out}"
            );
        }
        assert_eq!(
            format_float(1e300, b'f', i32::MAX, 0, usize::MAX).len(),
            301 + 1 + 721
        );
        assert_eq!(format_float(1.5, b'e', i32::MIN, b'+', 32), "+1.500000e+00");
    }

    #[test]
    fn huge_inputs_do_not_panic() {
        let digits = "9".repeat(100_000);
        assert_eq!(lit(&digits), "inf");
        assert_eq!(lit(&format!("0.{digits}")), "1.0");
        assert_eq!(lit(&format!("0.{}1", "0".repeat(100_000))), "0.0");
        assert_eq!(lit(&format!("1e{digits}")), "inf");
        assert_eq!(lit(&format!("1e-{digits}")), "0.0");
    }
}
