//! `mpyc dump FILE.mpy... [--json]`: shows the contents of `.mpy` files of version 4
//! (MicroPython 1.11), 5 (1.12 to 1.18) and 6.0 to 6.3 (1.19 to 1.29), picked by the header's
//! version byte.
//!
//! Exit 0 with the dumps on stdout when every file is valid; exit 1 with `error: <path>: <reason>`
//! on stderr for each unreadable or invalid one (the others are still shown, as mpy-tool.py `-d`
//! goes through its files in order). With several files, each text dump is headed by
//! `==> <path> <==` and the JSON form is an array of the files' objects.

use anyhow::Context;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::DumpArgs;

/// Runs the subcommand.
pub fn run(args: &DumpArgs) -> ExitCode {
    let several = args.files.len() > 1;
    let mut out = String::new();
    let mut json_items = Vec::new();
    let mut failed = false;
    for path in &args.files {
        match inspect(path) {
            Ok(d) if args.json => json_items.push(d.to_json()),
            Ok(d) => {
                if several {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&format!("==> {} <==\n", path.display()));
                }
                out.push_str(&d.to_text());
            }
            Err(e) => {
                eprintln!("error: {}: {:#}", path.display(), e);
                failed = true;
            }
        }
    }
    if args.json {
        out = if several {
            json_array(&json_items)
        } else {
            json_items.concat()
        };
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("error: stdout: {e}");
            return ExitCode::from(1);
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Joins pretty-printed JSON objects (each ending in a newline) into one array.
fn json_array(items: &[String]) -> String {
    let mut s = String::from("[\n");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(",\n");
        }
        s.push_str(item.trim_end());
    }
    s.push_str("\n]\n");
    s
}

/// A dump of any version the reader knows.
#[derive(Debug)]
enum Dumped {
    V4(mpyfile::dump::DumpFile),
    V5(mpyfile::v5::DumpV5),
    V6(mpyfile::v6::DumpV6),
}

impl Dumped {
    fn to_text(&self) -> String {
        match self {
            Dumped::V4(d) => d.to_text(),
            Dumped::V5(d) => d.to_text(),
            Dumped::V6(d) => d.to_text(),
        }
    }

    fn to_json(&self) -> String {
        match self {
            Dumped::V4(d) => d.to_json(),
            Dumped::V5(d) => d.to_json(),
            Dumped::V6(d) => d.to_json(),
        }
    }
}

fn inspect(path: &Path) -> anyhow::Result<Dumped> {
    let bytes = std::fs::read(path).context("cannot read file")?;
    Ok(match bytes.get(..2) {
        Some([b'M', 5]) => Dumped::V5(mpyfile::v5::inspect(&bytes)?),
        Some([b'M', 6]) => Dumped::V6(mpyfile::v6::describe(&mpyfile::v6::read(&bytes)?)?),
        _ => Dumped::V4(mpyfile::dump::inspect(&bytes)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// `x = 1` compiled by mpy-cross 1.11 as `t.py` (default flags).
    const T_MPY: &[u8] = &[
        0x4d, 0x04, 0x02, 0x1f, 0x20, 0x50, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x07, 0x00,
        0x51, 0x01, 0x00, 0x00, 0xff, 0x81, 0x24, 0x02, 0x78, 0x11, 0x5b, 0x00, 0x07, 0x08, 0x74,
        0x2e, 0x70, 0x79, 0x00, 0x00,
    ];

    fn scratch(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    }

    fn args(files: &[&PathBuf], json: bool) -> DumpArgs {
        DumpArgs {
            files: files.iter().map(|p| (*p).clone()).collect(),
            json,
        }
    }

    #[test]
    fn dumps_a_valid_file_and_names_the_reason_for_an_invalid_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let good = scratch(&dir, "t.mpy", T_MPY);
        let text = inspect(&good).expect("valid file").to_text();
        assert!(text.starts_with("mpy version 4\n"), "{text}");
        assert!(text.contains("        1 STORE_NAME x\n"), "{text}");
        let json = inspect(&good).expect("valid file").to_json();
        assert!(json.contains("\"source_file\": \"t.py\""), "{json}");
        assert_eq!(run(&args(&[&good], false)), ExitCode::SUCCESS);

        let bad = scratch(&dir, "bad.mpy", &T_MPY[..20]);
        let err = inspect(&bad).expect_err("truncated file");
        assert_eq!(format!("{err:#}"), "unexpected end of file at byte 20");
        assert_eq!(run(&args(&[&bad], false)), ExitCode::from(1));
        assert_eq!(run(&args(&[&good, &bad], true)), ExitCode::from(1));
    }

    /// `x = 1` compiled as `t.py` by mpy-cross 1.29 (v6) and 1.12 (v5).
    const T_MPY_V6: &[u8] = &[
        0x4d, 0x06, 0x00, 0x1f, 0x03, 0x00, 0x08, 0x74, 0x2e, 0x70, 0x79, 0x00, 0x0f, 0x02, 0x78,
        0x00, 0x40, 0x00, 0x02, 0x01, 0x81, 0x16, 0x02, 0x51, 0x63,
    ];
    const T_MPY_V5: &[u8] = &[
        0x4d, 0x05, 0x02, 0x1f, 0x20, 0x34, 0x00, 0x0a, 0x00, 0x07, 0x08, 0x74, 0x2e, 0x70, 0x79,
        0x00, 0x81, 0x16, 0x02, 0x78, 0x51, 0x63, 0x00, 0x00,
    ];

    #[test]
    fn the_version_byte_picks_the_reader() {
        let dir = tempfile::tempdir().expect("temp dir");
        let v6 = scratch(&dir, "t6.mpy", T_MPY_V6);
        let text = inspect(&v6).expect("valid v6 file").to_text();
        assert_eq!(
            text,
            "mpy version 6\nsmall int bits 31\narch none\nqstrs 3\n      0 't.py'\n      \
             1 '<module>'\n      2 'x'\nconstants 0\nraw code <module> (bytecode, 8 bytes)\n  \
             n_state 1 n_exc_stack 0 scope flags 0x00\n  n_pos_args 0 n_kwonly_args 0 \
             n_def_pos_args 0\n  source info 1 bytes, lines -\n  bytecode\n        \
             0 LOAD_CONST_SMALL_INT 1\n        1 STORE_NAME x\n        3 LOAD_CONST_NONE\n        \
             4 RETURN_VALUE\n"
        );
        let json = inspect(&v6).expect("valid v6 file").to_json();
        assert!(json.contains("\"sub_version\": 0"), "{json}");
        let v5 = scratch(&dir, "t5.mpy", T_MPY_V5);
        let text = inspect(&v5).expect("valid v5 file").to_text();
        assert!(
            text.starts_with("mpy version 5\nfeature flags 0x02 (unicode)\n"),
            "{text}"
        );
        assert!(text.contains("  source file t.py\n"), "{text}");
        assert!(text.contains("        1 STORE_NAME x\n"), "{text}");
        let bad = scratch(&dir, "bad6.mpy", &T_MPY_V6[..10]);
        let err = inspect(&bad).expect_err("truncated v6 file");
        assert_eq!(
            format!("{err:#}"),
            "qstr length 4 at byte 6 is larger than the rest of the file allows"
        );
    }

    #[test]
    fn several_json_objects_make_one_array() {
        let items = [
            "{\n  \"a\": 1\n}\n".to_owned(),
            "{\n  \"b\": 2\n}\n".to_owned(),
        ];
        let joined = json_array(&items);
        let v: serde_json::Value = serde_json::from_str(&joined).expect("valid JSON");
        assert_eq!(v.as_array().map(Vec::len), Some(2));
    }
}
