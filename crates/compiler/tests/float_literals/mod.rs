//! Float and imaginary literal tokens for the oracle tests of the float readers and printers
//! (`float122_oracle.rs`, `float129_oracle.rs`): edge literals and seeded random ones.

use testkit::Rng;

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

/// One random float-or-imaginary literal token (a valid number for the lexer).
pub fn random_literal(rng: &mut Rng) -> String {
    let max_len = [3, 8, 17, 20, 25, 45][rng.below(6)];
    let int_len = rng.below(max_len + 1);
    let frac_len = rng.below(max_len + 1);
    let mut int_part = digits(rng, int_len);
    let mut frac_part = digits(rng, frac_len);
    if rng.below(6) == 0 {
        frac_part = format!("{}{}", "0".repeat(rng.below(40)), frac_part);
    }
    if rng.below(8) == 0 {
        int_part.push_str(&"0".repeat(rng.below(25)));
    }
    let exponent: Option<i64> = match rng.below(4) {
        0 => None,
        1 => Some(rng.below(61) as i64 - 30),
        2 => Some(rng.below(641) as i64 - 330),
        _ => Some(rng.below(41) as i64 - 345 - int_len as i64),
    };
    let mut text = String::new();
    if rng.below(5) != 0 || exponent.is_none() {
        if int_part.is_empty() && frac_part.is_empty() {
            frac_part.push('5');
        }
        if int_part.is_empty() {
            text.push('.');
            text.push_str(&frac_part);
        } else {
            text.push_str(&int_part);
            text.push('.');
            text.push_str(&frac_part);
        }
    } else {
        if int_part.is_empty() {
            int_part.push(char::from(b'1' + rng.below(9) as u8));
        }
        text.push_str(&int_part);
    }
    if let Some(exp) = exponent {
        text.push(if rng.below(4) == 0 { 'E' } else { 'e' });
        match (exp < 0, rng.below(3)) {
            (true, _) => text.push('-'),
            (false, 0) => text.push('+'),
            _ => {}
        }
        text.push_str(&exp.unsigned_abs().to_string());
    }
    if rng.below(6) == 0 {
        // Underscores between digits (the lexer drops them).
        let at = rng.below(text.len());
        if text.as_bytes()[at].is_ascii_digit()
            && text.as_bytes().get(at + 1).is_some_and(u8::is_ascii_digit)
        {
            text.insert(at + 1, '_');
        }
    }
    if rng.below(10) == 0 {
        text.push(if rng.below(2) == 0 { 'j' } else { 'J' });
    }
    text
}

/// Literals at the edges of the reader and printer.
pub fn edge_literals() -> Vec<String> {
    let mut v: Vec<String> = [
        "0.0",
        "0.",
        ".0",
        ".5",
        "5.",
        "0e0",
        "0e400",
        "0e-400",
        "1e400",
        "1e-400",
        "1e309",
        "1e308",
        "1.8e308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "5e-324",
        "2.4703282292062328e-324",
        "2.4703282292062327e-324",
        "1e-323",
        "1e-324",
        "4.940656458412465e-323",
        "0.999988867182683e-320",
        "0.988131291682493e-323",
        "0.793402",
        "9.064678",
        "0.0006",
        "0.9975",
        "9.8",
        "97.1",
        "9.45",
        "0.1",
        "0.3",
        "0.30000000000000004",
        "123456789.123456789",
        "9007199254740993.0",
        "1e15",
        "1e16",
        "1e17",
        "1e22",
        "1e23",
        "0.0001",
        "0.00001",
        "1_000.000_5",
        "1e1_0",
        "2j",
        "1.5J",
        "0j",
        "1e400j",
        "5e-324j",
        "1844674407370955161.5",
        "1844674407370955162.5",
        "18446744073709551615.0",
        "18446744073709551616.0",
        "99999999999999999999.0",
        "9999999999999999999.0",
        "0.99999999999999999999",
        "1e0000000000000000000005",
        "1e99999999999",
        "1e-99999999999",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for k in -330..=310 {
        v.push(format!("1e{k}"));
    }
    for k in (-345..=310).step_by(5) {
        v.push(format!("4.2e{k}"));
        v.push(format!("9.87654321987654321e{k}"));
        v.push(format!("1234567890123456789012345e{k}"));
    }
    v
}
