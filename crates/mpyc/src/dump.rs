//! `mpyc dump FILE.mpy... [--json]`: shows the contents of `.mpy` v4 files.
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

fn inspect(path: &Path) -> anyhow::Result<mpyfile::dump::DumpFile> {
    let bytes = std::fs::read(path).context("cannot read file")?;
    Ok(mpyfile::dump::inspect(&bytes)?)
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
