//! `mpyc dump FILE.mpy [--json]`: shows the contents of a `.mpy` v4 file.
//!
//! Exit 0 with the dump on stdout for a valid file; exit 1 with `error: <path>: <reason>` on
//! stderr for an unreadable or invalid one; exit 2 for a usage error.

use anyhow::Context;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: mpyc dump FILE.mpy [--json]";

/// Runs the subcommand; `args[0]` is the program name, the rest its arguments.
pub fn run(args: Vec<OsString>) -> ExitCode {
    let mut json = false;
    let mut path: Option<PathBuf> = None;
    for a in args.into_iter().skip(1) {
        match a.to_str() {
            Some("--json") => json = true,
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if path.is_none() => path = Some(PathBuf::from(a)),
            _ => {
                eprintln!(
                    "error: unexpected argument `{}`\n{USAGE}",
                    a.to_string_lossy()
                );
                return ExitCode::from(2);
            }
        }
    }
    let Some(path) = path else {
        eprintln!("error: no input file\n{USAGE}");
        return ExitCode::from(2);
    };
    match dump(&path, json) {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {}: {e}", path.display());
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            eprintln!("error: {}: {:#}", path.display(), e);
            ExitCode::from(1)
        }
    }
}

fn dump(path: &std::path::Path, json: bool) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).context("cannot read file")?;
    let d = mpyfile::dump::inspect(&bytes)?;
    Ok(if json { d.to_json() } else { d.to_text() })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn dumps_a_valid_file_and_names_the_reason_for_an_invalid_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let good = scratch(&dir, "t.mpy", T_MPY);
        let text = dump(&good, false).expect("valid file");
        assert!(text.starts_with("mpy version 4\n"), "{text}");
        assert!(text.contains("        1 STORE_NAME x\n"), "{text}");
        let json = dump(&good, true).expect("valid file");
        assert!(json.contains("\"source_file\": \"t.py\""), "{json}");
        assert_eq!(
            run(vec!["mpyc".into(), good.clone().into()]),
            ExitCode::SUCCESS
        );

        let bad = scratch(&dir, "bad.mpy", &T_MPY[..20]);
        let err = dump(&bad, false).expect_err("truncated file");
        assert_eq!(format!("{err:#}"), "unexpected end of file at byte 20");
        assert_eq!(run(vec!["mpyc".into(), bad.into()]), ExitCode::from(1));
        assert_eq!(run(vec!["mpyc".into()]), ExitCode::from(2));
    }
}
