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
