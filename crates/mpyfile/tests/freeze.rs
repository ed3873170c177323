//! Golden tests of freezing: for every case of `fixtures/freeze/cases.txt` (and the generated
//! list of files the reference refuses), the C, the exit status and the last stderr line that
//! mpy-tool.py 1.11 `-f` gave, byte for byte. The inputs are `.mpy` files compiled from
//! tests/corpus by mpy-cross 1.11; `fixtures/freeze/regen.sh` rebuilds everything.

use mpyfile::freeze::{
    assemble, emit_config, fragment, freeze_loaded, load_mpy, python_int, FreezeError,
    FreezeOptions, Loaded, LongIntImpl, QstrHeader, QstrTable,
};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/freeze")
}

/// Every `.mpy` below `dir`, as `find dir -name '*.mpy' | LC_ALL=C sort` lists them.
fn mpy_files_below(base: &Path, rel: &str, out: &mut Vec<String>) {
    let mut found = Vec::new();
    let mut stack = vec![rel.to_string()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(base.join(&d)).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{d}/{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                stack.push(name);
            } else if name.ends_with(".mpy") {
                found.push(name);
            }
        }
    }
    found.sort();
    out.extend(found);
}

/// The options and input files of a case.
fn case_inputs(base: &Path, args: &str) -> (FreezeOptions, Option<String>, Vec<String>) {
    let mut options = FreezeOptions::default();
    let mut header: Option<String> = None;
    let mut files: Vec<String> = Vec::new();
    let mut words = args.split_whitespace();
    while let Some(w) = words.next() {
        if w == "-q" {
            header = Some(words.next().unwrap().to_string());
        } else if let Some(v) = w.strip_prefix("-mlongint-impl=") {
            options.longint = LongIntImpl::from_name(v).unwrap();
        } else if let Some(v) = w.strip_prefix("-mmpz-dig-size=") {
            options.mpz_dig_size = i64::try_from(python_int(v).unwrap()).unwrap();
        } else if base.join(w).is_dir() {
            mpy_files_below(base, w, &mut files);
        } else {
            files.push(w.to_string());
        }
    }
    (options, header, files)
}

/// What one case gives: stdout, exit status, last stderr line.
fn run_case(base: &Path, args: &str) -> (String, u8, String) {
    let (mut options, header, files) = case_inputs(base, args);
    let fail = |e: FreezeError, out: String| (out, 1, e.to_string());
    if let Some(h) = header {
        options.header = match QstrHeader::parse(&std::fs::read(base.join(h)).unwrap()) {
            Ok(h) => h,
            Err(e) => return fail(e, String::new()),
        };
    }
    let mut loaded = Loaded::new();
    for f in &files {
        if let Err(e) = loaded.push_file(&std::fs::read(base.join(f)).unwrap()) {
            return fail(e, String::new());
        }
    }
    let mut out = String::new();
    match freeze_loaded(&loaded, &options, &mut out) {
        Ok(()) => (out, 0, String::new()),
        Err(e) => fail(e, out),
    }
}

/// The reference names the file of its own freeze errors by an object address; mpyc by the
/// source name. Both must carry the same message.
fn same_error(want: &str, got: &str) -> bool {
    match (
        want.strip_prefix("error while freezing <__main__.QStrType object at 0x"),
        got.strip_prefix("error while freezing "),
    ) {
        (Some(w), Some(g)) => {
            let w = w.split_once(">: ").map(|(_, m)| m);
            let g = g
                .split_once(": ")
                .map(|(file, m)| (!file.is_empty()).then_some(m));
            w.is_some() && g.flatten() == w
        }
        _ => want == got,
    }
}

#[test]
fn freeze_matches_mpy_tool_1_11() {
    let base = fixtures();
    let mut cases = String::new();
    for list in ["cases.txt", "cases.generated.txt"] {
        cases += &std::fs::read_to_string(base.join(list)).unwrap();
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (name, args) = line.split_once('|').unwrap();
        let expected = base.join("expected");
        let want_c = std::fs::read(expected.join(format!("{name}.c"))).unwrap();
        let want_rc: u8 = std::fs::read_to_string(expected.join(format!("{name}.rc")))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let want_err = std::fs::read_to_string(expected.join(format!("{name}.err"))).unwrap();
        let (c, rc, err) = run_case(&base, args);
        let mut problems = Vec::new();
        if c.as_bytes() != want_c {
            let at = c
                .bytes()
                .zip(want_c.iter())
                .position(|(a, b)| a != *b)
                .unwrap_or(c.len().min(want_c.len()));
            problems.push(format!(
                "C differs at byte {at} (lengths {} / {}): got {:?}, want {:?}",
                c.len(),
                want_c.len(),
                &c.as_bytes()[at..(at + 60).min(c.len())]
                    .escape_ascii()
                    .to_string(),
                &want_c[at..(at + 60).min(want_c.len())]
                    .escape_ascii()
                    .to_string()
            ));
        }
        if rc != want_rc {
            problems.push(format!("exit status {rc}, want {want_rc}"));
        }
        if !same_error(want_err.trim_end_matches('\n'), &err) {
            problems.push(format!("error {err:?}, want {want_err:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} cases found");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn error_lines_of_the_reference() {
    // The stderr lines mpy-tool.py 1.11 ends with, for errors of its own.
    let e = FreezeError::Freeze {
        file: "a.py".into(),
        message: "target does not support long int".into(),
    };
    assert_eq!(
        e.to_string(),
        "error while freezing a.py: target does not support long int"
    );
    assert!(same_error(
        "error while freezing <__main__.QStrType object at 0x7f0689e6a510>: x y",
        "error while freezing a.py: x y"
    ));
    assert!(!same_error(
        "error while freezing <__main__.QStrType object at 0x7f0689e6a510>: x y",
        "error while freezing a.py: x z"
    ));
}

#[test]
fn fragments_assemble_to_the_one_pass_output() {
    let base = fixtures();
    let cases = std::fs::read_to_string(base.join("cases.txt")).unwrap();
    let mut assembled = 0;
    let mut declined = Vec::new();
    for line in cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (name, args) = line.split_once('|').unwrap();
        let expected = base.join("expected");
        let rc = std::fs::read_to_string(expected.join(format!("{name}.rc"))).unwrap();
        if rc.trim() != "0" {
            continue;
        }
        let (mut options, header, files) = case_inputs(&base, args);
        if let Some(h) = header {
            options.header = QstrHeader::parse(&std::fs::read(base.join(h)).unwrap()).unwrap();
        }
        let inputs: Vec<Vec<u8>> = files
            .iter()
            .map(|f| std::fs::read(base.join(f)).unwrap())
            .collect();
        let (_, last) = load_mpy(inputs.last().unwrap(), &mut QstrTable::new()).unwrap();
        let config = emit_config(last, &options);
        let fragments: Vec<_> = inputs
            .iter()
            .map(|b| fragment(b, &config).unwrap())
            .collect();
        let refs: Vec<_> = fragments.iter().collect();
        match assemble(&refs, &config, &options) {
            Some(c) => {
                assert!(
                    c.as_bytes() == std::fs::read(expected.join(format!("{name}.c"))).unwrap(),
                    "{name}"
                );
                assembled += 1;
            }
            None => declined.push(name),
        }
    }
    // Only the cases freezing modules of the same name twice have clashing escaped names.
    assert_eq!(declined, ["mixed_flags_rev", "names_twice"]);
    assert_eq!(assembled, 22);
}
