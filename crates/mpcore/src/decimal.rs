//! Decimal text of big integers in time below quadratic, for literals and constants of
//! hundreds of thousands of digits.
//!
//! `num-bigint` converts to and from base 10 one machine word at a time, which costs the
//! square of the length; `dashu-int` splits the number in halves (divide and conquer over
//! its fast multiplication and division). Short numbers stay with `num-bigint`, which is
//! faster there and gives the same text.

use num_bigint::{BigInt, BigUint, Sign};

/// Numbers with at most this many decimal digits are converted by `num-bigint` directly.
const DIRECT_DIGITS: usize = 2_000;

/// The value of the decimal digits `digits` (each `0..=9`, most significant first).
pub fn from_decimal_digits(digits: &[u8]) -> BigUint {
    if digits.len() <= DIRECT_DIGITS {
        return BigUint::from_radix_be(digits, 10).unwrap_or_default();
    }
    let text: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
    let value = dashu_int::UBig::from_str_radix(&text, 10).unwrap_or_default();
    BigUint::from_bytes_le(&value.to_le_bytes())
}

/// The value of the decimal text `text` (ASCII digits only, most significant first); `None`
/// if it holds anything else or is empty.
pub fn parse_decimal(text: &[u8]) -> Option<BigUint> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digits: Vec<u8> = text.iter().map(|b| b - b'0').collect();
    Some(from_decimal_digits(&digits))
}

/// The decimal text of `value` (`-` in front when negative), as `repr` prints an int.
pub fn to_decimal(value: &BigInt) -> String {
    if value.bits() <= (DIRECT_DIGITS as u64) * 3 {
        return value.to_string();
    }
    let magnitude = dashu_int::UBig::from_le_bytes(&value.magnitude().to_bytes_le());
    let text = magnitude.to_string();
    if value.sign() == Sign::Minus {
        format!("-{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number of `n` digits with every digit value in it.
    fn digits(n: usize) -> Vec<u8> {
        (0..n).map(|i| ((i * 7 + 3) % 10) as u8).collect()
    }

    #[test]
    fn long_numbers_convert_as_num_bigint_does() {
        for n in [1, 19, 20, 1_999, 2_000, 2_001, 6_700, 30_000] {
            let d = digits(n);
            let slow = BigUint::from_radix_be(&d, 10).unwrap();
            assert_eq!(from_decimal_digits(&d), slow, "{n} digits");
            let neg = -BigInt::from(slow.clone());
            assert_eq!(to_decimal(&neg), neg.to_string(), "{n} digits");
            let pos = BigInt::from(slow);
            assert_eq!(to_decimal(&pos), pos.to_string(), "{n} digits");
        }
    }

    #[test]
    fn decimal_text_is_digits_only() {
        assert_eq!(parse_decimal(b"0012"), Some(BigUint::from(12u32)));
        assert_eq!(parse_decimal(b""), None);
        assert_eq!(parse_decimal(b"1-2"), None);
        let long = vec![b'9'; 5_000];
        let v = parse_decimal(&long).unwrap();
        assert_eq!(v.to_string().into_bytes(), long);
    }
}
