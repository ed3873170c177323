//! MicroPython 1.29's front end over the project's corpus (`tests/corpus/`, including the
//! `syntax129/` cases of every construct and error 1.29's lexer and parser add), judged by
//! mpy-cross 1.29 run from the repository root with the same relative path.

mod oracle129;

use oracle129::{judge, Verdict};

#[test]
fn corpus_agrees_with_mpy_cross_1_29() {
    let root = testkit::workspace_root();
    let corpus = root.join("tests/corpus");
    let files = testkit::python_files(&corpus);
    let own = files
        .iter()
        .filter(|p| p.starts_with(corpus.join("syntax129")))
        .count();
    assert!(own >= 100, "expected the syntax129 cases, found {own}");
    let (mut agree, mut failures) = (0, Vec::new());
    for path in &files {
        let source = std::fs::read(path).expect("read a corpus file");
        // As the e2e corpus test runs the reference: from the root, with a relative path.
        let rel = path.strip_prefix(&root).expect("corpus under the root");
        let _cwd = CwdGuard::enter(&root);
        match judge(rel, &source) {
            Verdict::BothParse | Verdict::SameError | Verdict::ReferenceOutOfMemory => agree += 1,
            Verdict::Differ(how) => failures.push(format!("{}: {how}", rel.display())),
        }
    }
    println!(
        "corpus under 1.29: {agree} of {} agree with mpy-cross 1.29 ({own} syntax129 cases)",
        files.len()
    );
    for f in &failures {
        println!("{f}");
    }
    assert!(failures.is_empty(), "{} files disagree", failures.len());
}

/// Runs the rest of the test from `dir` (one test in this file, so no other thread is moved).
struct CwdGuard(std::path::PathBuf);

impl CwdGuard {
    fn enter(dir: &std::path::Path) -> CwdGuard {
        let old = std::env::current_dir().expect("current dir");
        std::env::set_current_dir(dir).expect("enter the workspace root");
        CwdGuard(old)
    }
}

impl Drop for CwdGuard {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(&self.0);
    }
}
