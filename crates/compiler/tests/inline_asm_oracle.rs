//! The inline assemblers against the oracle: the corpus in tests/inlineasm, a list of error
//! programs, and seeded random asm functions (well- and ill-formed), each compiled by
//! mpy-cross 1.11 and by mpyc; the `.mpy` bytes or the error text must be identical. mpyc may
//! refuse (a `NotImplementedError` naming inline assembler) only where the reference writes
//! code crates/asm will not encode (a branch it encodes wrongly, `movw`/`movt` to pc, an
//! Xtensa branch out of range, `align()` of a non-power of two); those are counted and printed.
//!
//! `MPYC_INLINE_FUZZ=N` sets the number of generated programs per assembler (default 300).

use std::path::Path;
use std::process::Command;

use compiler::{CompileOptions, SourceNames};
use mpcore::Arch;
use testkit::Rng;

/// What one compiler made of a program.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Mpy(Vec<u8>),
    Error(String),
    /// The oracle died by a signal.
    Crash,
}

fn oracle_run(dir: &Path, name: &str, source: &str, march: &str) -> Outcome {
    let src = dir.join(format!("{name}.py"));
    std::fs::write(&src, source).expect("write source");
    let out = dir.join(format!("{name}.mpy"));
    let _ = std::fs::remove_file(&out);
    let r = Command::new(testkit::oracle())
        .current_dir(dir)
        .args([&format!("-march={march}"), "-o"])
        .arg(&out)
        .arg(format!("{name}.py"))
        .output()
        .expect("the oracle runs");
    match r.status.code() {
        Some(0) => Outcome::Mpy(std::fs::read(&out).expect("oracle output")),
        Some(_) => Outcome::Error(String::from_utf8_lossy(&r.stderr).into_owned()),
        None => Outcome::Crash,
    }
}

fn arch_of(march: &str) -> Arch {
    match march {
        "armv6" => Arch::Armv6,
        "armv7m" => Arch::Armv7m,
        "xtensa" => Arch::Xtensa,
        _ => panic!("no inline assembler for {march}"),
    }
}

fn mpyc_run(name: &str, source: &str, march: &str) -> Outcome {
    let mut opts = CompileOptions::default();
    opts.target.arch = arch_of(march);
    let path = format!("{name}.py");
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: None,
    };
    match compiler::compile(source.as_bytes(), names, &opts) {
        Ok(m) => Outcome::Mpy(mpyfile::write(&m)),
        Err(e) => Outcome::Error(e.render()),
    }
}

/// Whether mpyc's outcome is a refusal of inline-assembler code.
fn is_refusal(o: &Outcome) -> bool {
    matches!(o, Outcome::Error(e) if e.contains("NotImplementedError: mpyc does not support this inline assembler code"))
}

/// Tallies of a comparison run.
#[derive(Default, Debug)]
struct Tally {
    same_bytes: usize,
    same_error: usize,
    refused: usize,
    /// Refusal reasons (digits dropped), with counts.
    reasons: std::collections::BTreeMap<String, usize>,
    oracle_crash: usize,
    /// The first program the oracle died on.
    crash_example: Option<String>,
    differ: Vec<String>,
}

impl Tally {
    fn judge(&mut self, what: &str, source: &str, want: &Outcome, got: &Outcome) {
        match (want, got) {
            (Outcome::Mpy(a), Outcome::Mpy(b)) if a == b => self.same_bytes += 1,
            (Outcome::Error(a), Outcome::Error(b)) if a == b => self.same_error += 1,
            (Outcome::Mpy(_), g) if is_refusal(g) => {
                self.refused += 1;
                if let Outcome::Error(e) = g {
                    let reason: String = e.chars().filter(|c| !c.is_ascii_digit()).collect();
                    let reason = reason.lines().last().unwrap_or("").to_string();
                    *self.reasons.entry(reason).or_default() += 1;
                }
            }
            (Outcome::Crash, _) => {
                self.oracle_crash += 1;
                self.crash_example.get_or_insert_with(|| source.to_string());
            }
            _ => self.differ.push(format!(
                "{what}:\n{source}\noracle: {want:?}\nmpyc:   {got:?}"
            )),
        }
    }
}

fn compare(dir: &Path, tally: &mut Tally, what: &str, name: &str, source: &str, march: &str) {
    let want = oracle_run(dir, name, source, march);
    let got = mpyc_run(name, source, march);
    tally.judge(&format!("{what} [{march}]"), source, &want, &got);
}

#[test]
fn corpus_files_are_the_references() {
    let root = testkit::workspace_root().join("tests/inlineasm");
    let dir = tempfile::tempdir().expect("scratch dir");
    let mut tally = Tally::default();
    let mut n = 0;
    for (sub, marches) in [
        ("upstream", &["armv7m", "armv6"][..]),
        ("thumb", &["armv7m", "armv6"][..]),
        ("xtensa", &["xtensa"][..]),
    ] {
        for path in testkit::python_files(&root.join(sub)) {
            let source = std::fs::read_to_string(&path).expect("read corpus file");
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            for march in marches {
                n += 1;
                compare(
                    dir.path(),
                    &mut tally,
                    &path.display().to_string(),
                    &name,
                    &source,
                    march,
                );
            }
        }
    }
    assert_eq!(
        n, 42,
        "corpus runs: 17 upstream and 3 thumb files x 2 arches, 2 xtensa files"
    );
    assert!(tally.differ.is_empty(), "{}", tally.differ.join("\n\n"));
    assert_eq!(tally.refused + tally.oracle_crash, 0, "{tally:?}");
}

/// Error programs: (march, body, with the function header added). Each stops at its first
/// error, as the reference does.
const ERRORS: &[(&str, &str)] = &[
    ("armv7m", "def f(r0, r1, r2, r3, r4):\n  nop()\n"),
    ("armv7m", "def f(r1):\n  nop()\n"),
    ("armv7m", "def f(r0, x=1):\n  nop()\n"),
    ("armv7m", "def f():\n  foo()\n"),
    ("armv7m", "def f():\n  nop(1, 2, 3, 4)\n"),
    ("armv7m", "def f():\n  mov(r8, 300)\n"),
    ("armv7m", "def f():\n  mov(r8, r0)\n  add(r8, 1)\n"),
    ("armv7m", "def f():\n  mov(r0, x)\n"),
    ("armv7m", "def f():\n  mov(r0, 1.5)\n"),
    ("armv7m", "def f():\n  mov(r0, 'a')\n"),
    ("armv7m", "def f():\n  ldr(r0, r1)\n"),
    ("armv7m", "def f():\n  ldr(r0, [r1])\n"),
    ("armv7m", "def f():\n  ldr(r0, [r1, 2])\n"),
    ("armv7m", "def f():\n  ldrh(r0, [r8, 1])\n"),
    ("armv7m", "def f():\n  ldrex(r0, (r1, 2))\n"),
    ("armv7m", "def f():\n  push(r0)\n"),
    ("armv7m", "def f():\n  push({})\n"),
    ("armv7m", "def f():\n  push({r0: r1})\n"),
    ("armv7m", "def f():\n  pop({r0, x})\n"),
    ("armv7m", "def f():\n  b(x)\n"),
    ("armv7m", "def f():\n  label(x)\n  b(y)\n"),
    ("armv7m", "def f():\n  beq(1)\n"),
    ("armv7m", "def f():\n  bxx(x)\n"),
    ("armv7m", "def f():\n  beq_x(x)\n"),
    ("armv7m", "def f():\n  it(xx)\n"),
    ("armv7m", "def f():\n  itxe(eq)\n"),
    ("armv7m", "def f():\n  itttte(eq)\n"),
    ("armv7m", "def f():\n  mrs(r13, IPSR)\n"),
    ("armv7m", "def f():\n  mrs(r0, XPSR)\n"),
    ("armv7m", "def f():\n  vmov(s32, r0)\n"),
    ("armv7m", "def f():\n  vmov(s, r0)\n"),
    ("armv7m", "def f():\n  vadd(s0, s1)\n"),
    ("armv7m", "def f():\n  vfoo(s0, s1, s2)\n"),
    ("armv7m", "def f():\n  vmrs(r0, FOO)\n"),
    ("armv7m", "def f():\n  vldr(s0, [r0, 3])\n"),
    ("armv7m", "def f():\n  vldr(s0, [r8, 4])\n"),
    (
        "armv7m",
        "def f():\n  vsqrt(s99999999999999999999999, s0)\n",
    ),
    ("armv7m", "def f():\n  label(x)\n  label(x)\n"),
    ("armv7m", "def f():\n  label(1)\n"),
    ("armv7m", "def f():\n  align(x)\n"),
    ("armv7m", "def f():\n  data(1)\n"),
    ("armv7m", "def f():\n  data(1, x)\n"),
    ("armv7m", "def f():\n  data(1, 1 << 70)\n"),
    ("armv7m", "def f() -> foo:\n  pass\n"),
    ("armv7m", "def f() -> a.b:\n  nop()\n  nop()\n"),
    ("armv7m", "def f() -> a.b:\n  pass\n"),
    ("armv7m", "def f():\n  add(r0, r1, 8)\n"),
    ("armv7m", "def f():\n  lsl(r0, r1, 32)\n"),
    ("armv7m", "def f():\n  movwt(r0, r1)\n"),
    ("armv7m", "def f():\n  sdiv(r0, r1, x)\n"),
    ("armv7m", "def f():\n  strex(r0, r1, [r2])\n"),
    (
        "armv7m",
        "def f():\n  label(a)\n  data(2, *range(0))\n  nop()\n  bne(a)\n",
    ),
    ("xtensa", "def f(a2, a3, a4, a5, a6):\n  ret_n()\n"),
    ("xtensa", "def f(a3):\n  ret_n()\n"),
    ("xtensa", "def f():\n  foo()\n"),
    ("xtensa", "def f():\n  ret_n(1, 2, 3, 4)\n"),
    ("xtensa", "def f():\n  add(a2, a3, a16)\n"),
    ("xtensa", "def f():\n  mov(x, a2)\n"),
    ("xtensa", "def f():\n  movi(a2, x)\n"),
    ("xtensa", "def f():\n  addi(a2, a2, 128)\n"),
    ("xtensa", "def f():\n  addi(a2, a2, -129)\n"),
    ("xtensa", "def f():\n  l32i(a2, a3, 1021)\n"),
    ("xtensa", "def f():\n  l8ui(a2, a3, -1)\n"),
    ("xtensa", "def f():\n  j(1)\n"),
    ("xtensa", "def f():\n  j(x)\n"),
    ("xtensa", "def f():\n  beqz(a2, x)\n"),
    ("xtensa", "def f():\n  foo(a2, x)\n"),
    ("xtensa", "def f():\n  label(x)\n  label(x)\n"),
];

#[test]
fn error_programs_give_the_references_errors() {
    let dir = tempfile::tempdir().expect("scratch dir");
    let mut tally = Tally::default();
    for (i, (march, body)) in ERRORS.iter().enumerate() {
        let deco = if *march == "xtensa" {
            "asm_xtensa"
        } else {
            "asm_thumb"
        };
        let source = format!("@micropython.{deco}\n{body}");
        let want = oracle_run(dir.path(), &format!("e{i}"), &source, march);
        assert!(
            matches!(want, Outcome::Error(_)),
            "case {i} is not an error for the oracle:\n{source}"
        );
        let got = mpyc_run(&format!("e{i}"), &source, march);
        tally.judge(&format!("case {i}"), &source, &want, &got);
    }
    assert!(tally.differ.is_empty(), "{}", tally.differ.join("\n\n"));
    assert_eq!(tally.same_error, ERRORS.len());
}

#[path = "inline_asm_gen/mod.rs"]
mod gen;

fn fuzz(asm: gen::Isa, seed: u64) {
    let n: usize = std::env::var("MPYC_INLINE_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let marches: &[&str] = match asm {
        gen::Isa::Thumb => &["armv7m", "armv6"],
        gen::Isa::Xtensa => &["xtensa"],
    };
    let workers = 2;
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    let dir = tempfile::tempdir().expect("scratch dir");
                    let mut tally = Tally::default();
                    for i in (w..n).step_by(workers) {
                        let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x9E37_79B9));
                        let source = gen::program(asm, &mut rng);
                        let march = marches[i % marches.len()];
                        compare(
                            dir.path(),
                            &mut tally,
                            &format!("program {i}"),
                            "g",
                            &source,
                            march,
                        );
                    }
                    tally
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all = Tally::default();
    for t in tallies {
        all.same_bytes += t.same_bytes;
        all.same_error += t.same_error;
        all.refused += t.refused;
        for (r, n) in t.reasons {
            *all.reasons.entry(r).or_default() += n;
        }
        all.oracle_crash += t.oracle_crash;
        if all.crash_example.is_none() {
            all.crash_example = t.crash_example;
        }
        all.differ.extend(t.differ);
    }
    eprintln!(
        "{asm:?}: {n} programs: {} identical .mpy, {} identical errors, {} refused by mpyc, {} oracle crashes, {} differ",
        all.same_bytes,
        all.same_error,
        all.refused,
        all.oracle_crash,
        all.differ.len()
    );
    if let Some(c) = &all.crash_example {
        eprintln!("  an oracle crash (mpyc's result is clean):\n{c}");
    }
    for (r, n) in &all.reasons {
        eprintln!("  refused {n}: {r}");
    }
    assert!(
        all.differ.is_empty(),
        "{}",
        all.differ[..all.differ.len().min(5)].join("\n\n")
    );
    // The generator must reach both outcomes.
    assert!(
        all.same_bytes > n / 10 && all.same_error > n / 10,
        "{all:?}"
    );
}

#[test]
fn generated_thumb_programs_agree() {
    fuzz(gen::Isa::Thumb, 0x7417_3001);
}

#[test]
fn generated_xtensa_programs_agree() {
    fuzz(gen::Isa::Xtensa, 0x5e45_a002);
}

/// Programs where the reference writes code mpyc refuses (see the module docs) or dies on an
/// assertion (`movw`/`movt` to pc) or runs out of heap (`data()` of a negative size), each with
/// the refusal's reason.
const REFUSED: &[(&str, &str, &str)] = &[
    (
        "armv7m",
        "@micropython.asm_thumb\ndef f():\n  movw(pc, 5)\n",
        "movw/movt",
    ),
    (
        "armv7m",
        "@micropython.asm_thumb\ndef f():\n  movwt(r15, 5)\n",
        "movw/movt",
    ),
    (
        "armv7m",
        "@micropython.asm_thumb\ndef f():\n  align(0)\n",
        "align() value below 1",
    ),
    (
        "armv6",
        "@micropython.asm_thumb\ndef f():\n  data(-1, 1)\n",
        "data() size",
    ),
    (
        "armv7m",
        "@micropython.asm_thumb\ndef f():\n  beq_w(x)\n  data(4, PAD)\n  label(x)\n",
        "conditional branch distance",
    ),
];

#[test]
fn refusals_are_clean_and_only_where_the_reference_writes_code() {
    let dir = tempfile::tempdir().expect("scratch dir");
    let pad = vec!["0"; 1100].join(", ");
    for (i, (march, source, why)) in REFUSED.iter().enumerate() {
        let source = &source.replace("PAD", &pad);
        let want = oracle_run(dir.path(), &format!("r{i}"), source, march);
        let got = mpyc_run(&format!("r{i}"), source, march);
        eprintln!(
            "refused case {i}: the oracle gives {}",
            match want {
                Outcome::Mpy(_) => "code",
                Outcome::Crash => "a crash",
                Outcome::Error(_) => "an error",
            }
        );
        // An error only where the reference runs out of its heap (a negative data() size).
        assert!(
            !matches!(&want, Outcome::Error(e) if !e.contains("MemoryError")),
            "case {i}: {want:?}"
        );
        assert!(
            is_refusal(&got) && matches!(&got, Outcome::Error(e) if e.contains(why)),
            "case {i}: {got:?}"
        );
    }
}

#[test]
fn align_and_data_beyond_the_usual_values_are_the_references() {
    let dir = tempfile::tempdir().expect("scratch dir");
    for (i, body) in [
        "data(1, 1)\n  align(3)\n  data(1, 2)\n  align(6)\n  data(1, 3)",
        "data(1, 1)\n  align(5)\n  nop()",
        "data(9, -1)\n  data(12, 0x1234)\n  nop()",
    ]
    .iter()
    .enumerate()
    {
        let source = format!("@micropython.asm_thumb\ndef f():\n  {body}\n");
        let want = oracle_run(dir.path(), &format!("a{i}"), &source, "armv7m");
        assert!(matches!(want, Outcome::Mpy(_)), "case {i}: {want:?}");
        assert_eq!(
            mpyc_run(&format!("a{i}"), &source, "armv7m"),
            want,
            "case {i}"
        );
    }
}
