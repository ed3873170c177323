//! Parse-time errors: the exact text and line the reference prints.
//!
//! Each expected text is the stderr of the reference mpy-cross 1.11 for the source saved as
//! `t.py`; the test checks our exception rendered with that file name against it, and runs the
//! reference again to confirm the expectation (failing if the reference is missing).

use std::process::Command;

use mpcore::QstrPool;
use syntax::{parse, ParseOptions};
use testkit::oracle;

fn ours(source: &str) -> String {
    let mut pool = QstrPool::new();
    pool.intern(b"t.py");
    match parse(source.as_bytes(), &mut pool, &ParseOptions::default()) {
        Ok(_) => "(parsed)".to_string(),
        Err(mut e) => {
            if let Some(loc) = e.location.as_mut() {
                loc.file = b"t.py".to_vec();
            }
            e.render()
        }
    }
}

#[test]
fn errors_match_the_reference() {
    let dir = std::env::temp_dir().join(format!("mpyc-parse-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let mut failed = 0;
    for (source, expected) in CASES {
        std::fs::write(dir.join("t.py"), source).expect("write source");
        let out = Command::new(oracle())
            .args(["-o", "t.mpy", "t.py"])
            .current_dir(&dir)
            .output()
            .expect("run the reference");
        let reference = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            reference, *expected,
            "the reference disagrees with the recorded text"
        );
        let got = ours(source);
        if got != *expected {
            failed += 1;
            eprintln!("--- source:\n{source}\n--- reference:\n{expected}--- ours:\n{got}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(failed, 0, "{failed} of {} errors differ", CASES.len());
}

#[test]
fn errors_carry_a_column() {
    let mut pool = QstrPool::new();
    let e = parse(b"x = 1\nx = 5 5\n", &mut pool, &ParseOptions::default()).unwrap_err();
    let loc = e.location.expect("located");
    assert_eq!((loc.line, loc.column, &loc.file[..]), (2, 7, &b""[..]));
}

const CASES: &[(&str, &str)] = &[
    // unclosed bracket at end of file
    (
        r#"x = ("#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // stray closing bracket
    (
        r#"x = )"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // indented first line
    (
        r#"  x = 1"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
IndentationError: unexpected indent
"#,
    ),
    // dedent to an unknown level
    (
        r#"if x:
    y
  z"#,
        r#"Traceback (most recent call last):
  File "t.py", line 3
IndentationError: unindent doesn't match any outer indent level
"#,
    ),
    // missing indent
    (
        r#"if x:
y"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // bad parameter list
    (
        r#"def f(:
    pass"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // operator without operand
    (
        r#"x = 1 +"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // error on the line after an unclosed list
    (
        r#"x = [1, 2
y = 3"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // unknown character
    (
        r#"x = $"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // conditional expression without else
    (
        r#"x = 1 if y"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // missing colon
    (
        r#"for x in y
    pass"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // unindent mismatch inside a class
    (
        r#"class A:
    def f(self):
        return 1
   x = 2"#,
        r#"Traceback (most recent call last):
  File "t.py", line 4
IndentationError: unindent doesn't match any outer indent level
"#,
    ),
    // two expressions in a row
    (
        r#"x = 5 5"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // print statement
    (
        r#"print "hello""#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // not without operand
    (
        r#"x = not"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // try without except or finally
    (
        r#"try:
    pass"#,
        r#"Traceback (most recent call last):
  File "t.py", line 3
SyntaxError: invalid syntax
"#,
    ),
    // from import without names
    (
        r#"from . import"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // relative plain import
    (
        r#"import .a"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // two semicolons
    (
        r#"x = 1;; y = 2"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // decorator before a statement
    (
        r#"@dec
x = 1"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: invalid syntax
"#,
    ),
    // binary literal with a bad digit
    (
        r#"x = 0b2"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax for integer with base 2: '2'
"#,
    ),
    // octal literal with a bad digit
    (
        r#"x = 0o8"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax for integer with base 8: '8'
"#,
    ),
    // hex prefix only
    (
        r#"x = 0x"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax for integer with base 16: ''
"#,
    ),
    // exponent without digits
    (
        r#"x = 1e"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax for number
"#,
    ),
    // annotated assignment
    (
        r#"x: int = 1"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // matrix multiplication
    (
        r#"x = 3 @ 4"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // f-string
    (
        r#"e = f'x'"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // walrus
    (
        r#"if (n := 1): pass"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
    // const() of a float
    (
        r#"from micropython import const
X = const(1.5)"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: constant must be an integer
"#,
    ),
    // const() without argument
    (
        r#"X = const()"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: constant must be an integer
"#,
    ),
    // const() with two arguments
    (
        r#"X = const(1, 2)"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: constant must be an integer
"#,
    ),
    // const() of a string on a later line
    (
        r#"x = 1
X = const(
  "s")"#,
        r#"Traceback (most recent call last):
  File "t.py", line 2
SyntaxError: constant must be an integer
"#,
    ),
    // shift by a big int
    (
        r#"x = 1 << (1 << 70)"#,
        r#"OverflowError: overflow converting long int to machine word
"#,
    ),
    // shift beyond the reference's heap
    (
        r#"x = 1 << 100000000000"#,
        r#"MemoryError: memory allocation failed, allocating 3910065412 bytes
"#,
    ),
    // tab then fewer spaces
    (
        r#"if 1:
	x = 1
    y = 2"#,
        r#"Traceback (most recent call last):
  File "t.py", line 3
IndentationError: unindent doesn't match any outer indent level
"#,
    ),
    // keyword as a name
    (
        r#"async = 1
"#,
        r#"Traceback (most recent call last):
  File "t.py", line 1
SyntaxError: invalid syntax
"#,
    ),
];
