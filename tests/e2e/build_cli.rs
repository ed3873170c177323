//! `mpyc build`'s command line as a user meets it (issue 16): carets under the right character,
//! diagnostics as files finish, the summary and `-q`/`-qq`, single files, `--explain`, the
//! no-unicode message, and watch mode.

use crate::build_support::{mpyc_in, tree};

#[test]
fn carets_land_under_the_character_with_tabs_and_non_ascii() {
    let dir = tree(
        "src",
        &[
            ("tabs.py", "a = 1\nif a:\n\t\ty = = 2\n"),
            ("wide.py", "s = \"h\u{e9}llo w\u{f6}rld\" ; x = = 1\n"),
        ],
    );
    let r = mpyc_in(dir.path(), &["build", "-j1", "--check", "src"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // MicroPython's column (tabs to 8, bytes) in the headline; the caret under the second `=`.
    assert!(
        r.stderr.contains(
            "src/tabs.py:3:21: SyntaxError: invalid syntax\n 3 | \t\ty = = 2\n   | \t\t    ^\n"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "src/wide.py:1:27: SyntaxError: invalid syntax\n 1 | s = \"h\u{e9}llo w\u{f6}rld\" ; x = = 1\n   |                         ^\n"
        ),
        "{}",
        r.stderr
    );
    let r = mpyc_in(
        dir.path(),
        &["build", "-j1", "--check", "--message-format", "json", "src"],
    );
    let objs: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let tabs = objs
        .iter()
        .find(|o| o["file"] == "src/tabs.py")
        .expect("tabs");
    assert_eq!(tabs["column"], 21);
    assert_eq!(tabs["byte_offset"], 12 + 6);
    assert_eq!(tabs["char_column"], 7);
    let wide = objs
        .iter()
        .find(|o| o["file"] == "src/wide.py")
        .expect("wide");
    assert_eq!(wide["column"], 27);
    assert_eq!(wide["byte_offset"], 26);
    assert_eq!(wide["char_column"], 25);
}
