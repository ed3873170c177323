//! After an assembler refusal is held, the native emitter's later Python scopes run a scan
//! of their local bindings in place of the value model (`emitnative/scan.rs`). The scan must
//! raise wherever the model would: a compile that does not ask to be made again
//! (`NeedsExactPasses`) must end as the compile with every pass in full
//! (`exact_after_refusal`) does. Checked on sources made to hold a refusal and then meet
//! (or not) a local used before its type is known, and on a sample of CPython's stdlib, for
//! Xtensa (whose refusals are most common) and Thumb.

use compiler::compile::{compile_tree, CodegenError, CodegenOptions};
use compiler::emitbc::BytecodeEmitter;
use compiler::link::link;
use compiler::scope::ScopeId;
use compiler::{CompileContext, DefaultEmit};
use mpcore::{Arch, QstrPool};
use rawcode::RawCode;

/// Nesting allowed on the test thread's stack.
const DEPTH: u32 = 300;

#[derive(Debug, PartialEq)]
enum Outcome {
    Code(RawCode),
    Error(CodegenError),
    NotParsed,
}

fn compile(source: &[u8], arch: Arch, emit: DefaultEmit, exact: bool) -> Outcome {
    let mut pool = QstrPool::new();
    let file = pool.intern(b"t.py");
    let parse_opts = syntax::ParseOptions {
        small_int_bits: 31,
        opt_level: 0,
        unicode: true,
        release: mpcore::Release::V1_11,
    };
    let Ok(tree) = syntax::parse(source, &mut pool, &parse_opts) else {
        return Outcome::NotParsed;
    };
    let opts = CodegenOptions {
        opt_level: 0,
        small_int_bits: 31,
        arch,
        arch_tables: compiler::ArchTables::of(arch),
        emit,
        nlr_buf: compiler::NlrBuf::Target,
        rules: compiler::release::rules(mpcore::Release::V1_11),
        exact_after_refusal: exact,
    };
    let mut em = BytecodeEmitter::new(false, 0);
    match compile_tree(
        &mut CompileContext::new(),
        &tree,
        &mut pool,
        file,
        opts,
        &mut em,
        DEPTH,
    ) {
        Ok(mut scopes) => Outcome::Code(link(&mut scopes, ScopeId(0)).expect("linked")),
        Err(e) => Outcome::Error(e),
    }
}

/// Whether the default compile asked for the exact one; panics where it gave another result.
fn asks_or_agrees(name: &str, source: &[u8], arch: Arch, emit: DefaultEmit) -> bool {
    let default = compile(source, arch, emit, false);
    if default == Outcome::Error(CodegenError::NeedsExactPasses) {
        return true;
    }
    let exact = compile(source, arch, emit, true);
    assert_eq!(default, exact, "{name} ({arch:?}, {emit:?})");
    false
}

/// Sixteen and more functions: Xtensa's module code then loads a child's raw code at a word
/// offset that `l32i.n` cannot hold, and the refusal is held.
fn many_defs() -> String {
    (0..20)
        .map(|i| format!("def f{i}(c): return c\n"))
        .collect()
}

fn message(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Error(CodegenError::Error(e)) => &e.message,
        _ => "",
    }
}

#[test]
fn a_later_use_before_type_asks_for_the_exact_compile() {
    let src = format!(
        "{}def g():\n    while True:\n        print(y)\n        y = 1\n",
        many_defs()
    );
    let default = compile(src.as_bytes(), Arch::Xtensa, DefaultEmit::Native, false);
    assert_eq!(default, Outcome::Error(CodegenError::NeedsExactPasses));
    let exact = compile(src.as_bytes(), Arch::Xtensa, DefaultEmit::Native, true);
    assert_eq!(message(&exact), "local 'y' used before type known");
}

#[test]
fn without_a_later_error_the_held_refusal_stands() {
    let bodies = [
        // Stores before loads, a deletion (binds the local to None), a cell and its closure,
        // a loop variable, an exception name.
        "def g(a):\n    x = a\n    del x\n    return x\n",
        "def h():\n    def inner():\n        return z\n    z = 1\n    return inner\n",
        "def k(s):\n    for i in s:\n        t = i\n    try:\n        pass\n    except E as e:\n        pass\n    return t\n",
    ];
    for body in bodies {
        let src = format!("{}{body}", many_defs());
        let default = compile(src.as_bytes(), Arch::Xtensa, DefaultEmit::Native, false);
        assert!(
            message(&default).contains("l32i.n offset of 16"),
            "{body}: {default:?}"
        );
        assert!(!asks_or_agrees(
            body,
            src.as_bytes(),
            Arch::Xtensa,
            DefaultEmit::Native
        ));
    }
}

#[test]
fn a_viper_scope_before_or_after_keeps_the_full_model() {
    // A viper scope's jump leaves its condition's type for the compiler's entries at jump
    // targets; a viper scope after the refusal makes the compile unsure.
    let sources = [
        format!(
            "@micropython.viper\ndef v(a: int):\n    if a > 1:\n        return 1\n    return 0\n{}def g(b, c):\n    return b or c\n",
            many_defs()
        ),
        format!(
            "{}def g(b):\n    return b\n@micropython.viper\ndef v(a: int) -> int:\n    return a + 1\n",
            many_defs()
        ),
    ];
    for (i, src) in sources.iter().enumerate() {
        asks_or_agrees(
            &format!("source {i}"),
            src.as_bytes(),
            Arch::Xtensa,
            DefaultEmit::Native,
        );
    }
}

#[test]
fn stdlib_sample_ends_as_the_exact_compile() {
    let files = testkit::stdlib_files();
    assert!(
        files.len() > 1000,
        "CPython's standard library not found at {}",
        testkit::stdlib_dir().display()
    );
    let (mut asked, mut compiled, mut held) = (0, 0, 0);
    for (i, path) in files.iter().enumerate().filter(|(i, _)| i % 3 == 1) {
        let source = std::fs::read(path).expect("readable stdlib file");
        let arch = if i % 4 == 1 {
            Arch::Xtensa
        } else {
            Arch::Armv7m
        };
        let name = path.display().to_string();
        if asks_or_agrees(&name, &source, arch, DefaultEmit::Native) {
            asked += 1;
            continue;
        }
        match compile(&source, arch, DefaultEmit::Native, false) {
            Outcome::Code(_) => compiled += 1,
            o if message(&o).contains("mpyc does not support") => held += 1,
            _ => {}
        }
    }
    eprintln!("{compiled} compiled, {held} ended with a held refusal, {asked} asked for the exact compile");
    assert!(compiled > 100, "only {compiled} sample files compiled");
    assert!(held > 20, "only {held} sample files held a refusal");
}
