//! The offsets of inline qstr operands the bytecode emitter hands over with each raw code
//! ([`RawCode::inline_qstr_ops`]) are those of every opcode that takes one: the writer, which
//! takes them instead of decoding each opcode, writes the very bytes it writes by decoding
//! (offsets taken away), for 1.11's v4 and 1.12's v5 bytecode, with and without the lookup
//! cache byte, over a spread-out third of CPython's standard library. (In a debug build the
//! writer also asserts that each offset is at an opcode taking a qstr.)

use compiler::{compile, CompileOptions, SourceNames};
use mpcore::{Release, Target};
use rawcode::RawCode;

/// Every raw code of the tree has offsets; takes them all away (`strip`), or counts them.
fn offsets(rc: &mut RawCode, strip: bool) -> usize {
    let mut n = match (&rc.body, strip) {
        (rawcode::Body::Bytecode(_), true) => rc.inline_qstr_ops.take().map_or(0, |o| o.len()),
        (rawcode::Body::Bytecode(_), false) => rc
            .inline_qstr_ops
            .as_ref()
            .expect("a compiled bytecode raw code has its qstr offsets")
            .len(),
        _ => 0,
    };
    for child in &mut rc.children {
        n += offsets(child, strip);
    }
    n
}

#[test]
fn writer_with_offsets_writes_what_decoding_writes() {
    let files = testkit::stdlib_files();
    assert!(files.len() > 1000, "the stdlib was not found");
    let (mut compared, mut ops) = (0, 0);
    for release in [Release::V1_11, Release::V1_12] {
        for cache_lookup_bc in [false, true] {
            let opts = CompileOptions {
                target: Target {
                    cache_lookup_bc,
                    release,
                    ..Target::default()
                },
                ..CompileOptions::default()
            };
            for path in files.iter().step_by(3) {
                let source = std::fs::read(path).unwrap();
                let names = SourceNames {
                    path: b"t.py",
                    source_name: None,
                };
                let Ok(mut module) = compile(&source, names, &opts) else {
                    continue;
                };
                ops += offsets(&mut module.root, false);
                let known = mpyfile::write(&module);
                offsets(&mut module.root, true);
                let decoded = mpyfile::write(&module);
                assert!(
                    known == decoded,
                    "{} ({release:?}, cache {cache_lookup_bc}): the bytes differ",
                    path.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 1500, "only {compared} files compiled");
    assert!(ops > 100_000, "only {ops} qstr operands");
}
