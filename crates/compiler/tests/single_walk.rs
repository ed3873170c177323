//! The bytecode emitter gives the same raw codes, scope facts and errors whether the compiler
//! walks each scope once ([`Emit::single_walk`]) or runs the reference's stack-size, code-size
//! and emit passes, over a spread-out sample of CPython's standard library and a few sources
//! made to stress the one-walk layout (raw-code indices that grow, long jumps, many lines).
//!
//! [`Emit::single_walk`]: compiler::emit::Emit::single_walk

use compiler::compile::{compile_tree, CodegenError, CodegenOptions};
use compiler::emitbc::BytecodeEmitter;
use compiler::link::link;
use compiler::scope::ScopeId;
use compiler::{CompileContext, DefaultEmit};
use mpcore::{Arch, QstrPool};
use rawcode::RawCode;

/// Nesting allowed on the test thread's stack (deeper files are compiled elsewhere).
const DEPTH: u32 = 300;

#[derive(Debug, PartialEq)]
enum Outcome {
    Code {
        root: RawCode,
        /// (stack size, exception stack size, scope flags) of every scope, in order.
        facts: Vec<(u16, u16, u16)>,
    },
    Error(CodegenError),
    NotParsed,
}

fn compile(source: &[u8], single_walk: bool, opt_level: u8, cache_lookup_bc: bool) -> Outcome {
    let mut pool = QstrPool::new();
    let file = pool.intern(b"t.py");
    let parse_opts = syntax::ParseOptions {
        small_int_bits: 31,
        opt_level,
        unicode: true,
        release: mpcore::Release::V1_11,
    };
    let Ok(tree) = syntax::parse(source, &mut pool, &parse_opts) else {
        return Outcome::NotParsed;
    };
    let opts = CodegenOptions {
        opt_level,
        small_int_bits: 31,
        arch: Arch::default(),
        arch_tables: compiler::ArchTables::of(Arch::default()),
        emit: DefaultEmit::Bytecode,
        nlr_buf: compiler::NlrBuf::Target,
        rules: compiler::release::rules(mpcore::Release::V1_11),
        exact_after_refusal: false,
    };
    let mut em = BytecodeEmitter::new(cache_lookup_bc, opt_level);
    em.set_single_walk(single_walk);
    let mut ctx = CompileContext::new();
    match compile_tree(&mut ctx, &tree, &mut pool, file, opts, &mut em, DEPTH) {
        Ok(mut scopes) => {
            assert_eq!(em.fault(), None);
            let facts = scopes
                .iter()
                .map(|s| (s.stack_size, s.exc_stack_size, s.scope_flags))
                .collect();
            let root = link(&mut scopes, ScopeId(0)).expect("every scope has its raw code");
            Outcome::Code { root, facts }
        }
        Err(e) => Outcome::Error(e),
    }
}

/// Compiles `source` both ways; the one-walk outcome if they agree.
fn same_both_ways(
    name: &str,
    source: &[u8],
    opt_level: u8,
    cache_lookup_bc: bool,
) -> Option<Outcome> {
    let one = compile(source, true, opt_level, cache_lookup_bc);
    let three = compile(source, false, opt_level, cache_lookup_bc);
    if one != three {
        eprintln!(
            "{name} (-O{opt_level}, cache {cache_lookup_bc}): one walk and three passes differ"
        );
        return None;
    }
    Some(one)
}

#[test]
fn stdlib_sample_is_the_same_both_ways() {
    let files = testkit::stdlib_files();
    assert!(
        files.len() > 1000,
        "CPython's standard library not found at {}",
        testkit::stdlib_dir().display()
    );
    let mut bad = 0;
    let mut compiled = 0;
    for (i, path) in files.iter().enumerate().filter(|(i, _)| i % 16 == 3) {
        let source = std::fs::read(path).expect("readable stdlib file");
        let (opt_level, cache) = [(0, false), (0, true), (3, false)][i % 3];
        match same_both_ways(&path.display().to_string(), &source, opt_level, cache) {
            None => bad += 1,
            Some(Outcome::Code { .. }) => compiled += 1,
            Some(_) => {}
        }
    }
    assert_eq!(bad, 0, "files whose output depends on the number of walks");
    assert!(compiled > 50, "only {compiled} sample files compiled");
}

#[test]
fn stress_sources_are_the_same_both_ways() {
    let floats = vec!["0.5"; 130].join(", ");
    let many_lines: String = (0..3000).map(|i| format!("x{i} = {i}\n")).collect();
    let long_jump: String = format!(
        "def f(a):\n    while a:\n{}        def g(): pass\n    return [{floats}]\n",
        (0..4000)
            .map(|i| format!("        a.b{i} = {i}.5\n"))
            .collect::<String>()
    );
    let sources = [
        // Raw-code indices written before 131 objects are counted: re-spaced at the end.
        format!("if x:\n    def f():\n        pass\ny = [{floats}]\nz = 1\nwhile z:\n    def g(): pass\n    z = 0.25\n"),
        // The same in a function with arguments (the index counts them first) and a closure.
        format!("def h(p, q, *r, s=1, **t):\n    def f():\n        return p\n    y = [{floats}]\n    return f, lambda: q, y\n"),
        many_lines,
        long_jump,
        "try:\n    pass\nexcept E as e:\n    def f(): return e\nfinally:\n    del x\n".to_string(),
        "class C:\n    def m(self):\n        return [super().m() for _ in __class__.x]\n".to_string(),
        // Errors come out the same too.
        "def f():\n    nonlocal x\n".to_string(),
        "f(x for x in y, 1)\nf(**a, *b)\n".to_string(),
    ];
    let mut ok = true;
    for (i, src) in sources.iter().enumerate() {
        for (opt_level, cache) in [(0, false), (0, true), (3, false)] {
            let name = format!("stress source {i}");
            ok &= same_both_ways(&name, src.as_bytes(), opt_level, cache).is_some();
        }
    }
    assert!(ok, "one walk and three passes differ");
}
