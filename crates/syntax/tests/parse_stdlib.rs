//! The parser over CPython 3.11's standard library, judged by the reference mpy-cross 1.11.
//!
//! For every `.py` file (site-packages excluded) the reference is run once (its exit status and stderr are cached under
//! `target/oracle-cache/parse/`, keyed by a hash of path and contents). Where the reference
//! compiles the file, or fails in the compiler (a traceback line with `, in <scope>`), our
//! parser must succeed. Where it fails while lexing or parsing, our exception, rendered with
//! the same file name, must be byte for byte what it printed.

use std::path::{Path, PathBuf};
use std::process::Command;

use mpcore::QstrPool;
use syntax::{parse, ParseOptions};
use testkit::oracle;

fn cache_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/oracle-cache/parse");
    std::fs::create_dir_all(&d).expect("create the oracle cache");
    d
}

fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The reference's exit status and stderr for `path`, from the cache or by running it.
fn oracle_outcome(path: &Path, source: &[u8]) -> (bool, String) {
    let key = fnv1a(&[path.as_os_str().as_encoded_bytes(), source]);
    let entry = cache_dir().join(format!("{key:016x}.txt"));
    if let Ok(text) = std::fs::read_to_string(&entry) {
        if let Some((status, stderr)) = text.split_once('\n') {
            return (status == "ok", stderr.to_string());
        }
    }
    let out_file = cache_dir().join(format!("tmp-{}.mpy", std::process::id()));
    let out = Command::new(oracle())
        .arg("-o")
        .arg(&out_file)
        .arg(path)
        .output()
        .expect("run the reference mpy-cross");
    let _ = std::fs::remove_file(&out_file);
    let ok = out.status.success();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let status = if ok { "ok" } else { "fail" };
    std::fs::write(&entry, format!("{status}\n{stderr}")).expect("write the oracle cache");
    (ok, stderr)
}

#[test]
fn stdlib_matches_the_reference() {
    let files = testkit::stdlib_files();
    assert!(
        files.len() > 1000,
        "expected the CPython 3.11 stdlib at {}",
        testkit::stdlib_dir().display()
    );

    let (mut ok_both, mut ok_expected, mut err_same, mut err_expected) = (0, 0, 0, 0);
    let mut compile_errors = 0;
    let mut failures = Vec::new();
    for path in &files {
        let Ok(source) = std::fs::read(path) else {
            continue;
        };
        let (oracle_ok, stderr) = oracle_outcome(path, &source);
        let name = path.to_string_lossy().into_owned();
        let mut pool = QstrPool::new();
        pool.intern(name.as_bytes());
        let ours = parse(&source, &mut pool, &ParseOptions::default());
        if stderr.starts_with("MemoryError") {
            // The reference ran out of its 2 MiB heap: we may succeed or fail cleanly.
            continue;
        }
        let compile_error = stderr
            .lines()
            .any(|l| l.starts_with("  File ") && l.contains(", in "));
        if oracle_ok || compile_error {
            ok_expected += 1;
            compile_errors += usize::from(compile_error);
            match ours {
                Ok(_) => ok_both += 1,
                Err(e) => failures.push(format!("{name}: reference parses it, we fail: {e}")),
            }
        } else {
            err_expected += 1;
            match ours {
                Ok(_) => {
                    failures.push(format!("{name}: reference fails ({stderr:?}), we parse it"))
                }
                Err(mut e) => {
                    if let Some(loc) = e.location.as_mut() {
                        loc.file = name.clone().into_bytes();
                    }
                    if e.render() == stderr {
                        err_same += 1;
                    } else {
                        failures.push(format!(
                            "{name}: error differs\n  reference: {stderr:?}\n  ours:      {:?}",
                            e.render()
                        ));
                    }
                }
            }
        }
    }
    println!(
        "stdlib: {} files; parse ok where the reference parses: {ok_both}/{ok_expected} \
         ({compile_errors} of them fail later in the reference's compiler); \
         identical parse-error text: {err_same}/{err_expected}",
        files.len()
    );
    for f in failures.iter().take(40) {
        println!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} files disagree with the reference",
        failures.len()
    );
}
