//! The `mpyc` command: `compile` (mpy-cross 1.11 compatible), `dump`, `build` and `profiles`.
//!
//! Invoked under the name `mpy-cross` (or `mpy-cross-1.11`), the binary behaves as `mpyc
//! compile`; as `mpy-cross-1.29` (or `mpy-cross-1.12` … `mpy-cross-1.28`), as `mpyc compile
//! --micropython 1.29` (that release); under the name
//! `mpy-tool.py`, as `mpyc freeze` with mpy-tool.py's command line. Every other command line
//! goes through clap ([`cli`]); `compile` and `freeze` keep their tools' own parsing.

mod cli;
mod compile_129;
mod compile_cmd;
mod dump;
mod freeze_cmd;
mod source;

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

use mpyc::driver;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let invoked_as = args
        .first()
        .and_then(|a| std::path::Path::new(a).file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if invoked_as == "mpy-cross" {
        return compile_cmd::run(&args);
    }
    // `mpy-cross-1.29`, `mpy-cross-1.11`: that release's mpy-cross.
    let name = args
        .first()
        .and_then(|a| std::path::Path::new(a).file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(release) = name.strip_prefix("mpy-cross-") {
        return compile_release(release, &args, args[0].as_bytes().to_vec());
    }
    if invoked_as == "mpy-tool" {
        return freeze_cmd::run(&args, freeze_cmd::Mode::MpyTool);
    }
    // mpy-cross's byte-exact argument parsing: `compile` never goes through clap.
    if args.get(1).is_some_and(|a| a == "compile") {
        let mut rest = args;
        rest.remove(1);
        return compile(rest);
    }
    // mpy-tool.py's argparse command line: `freeze` never goes through clap either.
    if args.get(1).is_some_and(|a| a == "freeze") {
        let mut rest = args;
        rest.remove(1);
        return freeze_cmd::run(&rest, freeze_cmd::Mode::Mpyc);
    }
    let cli = match cli::parse(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        // `compile` as the first argument never reaches clap (above); this arm keeps the match
        // total and runs it the same way.
        cli::Command::Compile { args: rest } => {
            let mut argv = vec![args[0].clone()];
            argv.extend(rest);
            compile(argv)
        }
        cli::Command::Freeze { args: rest } => {
            let mut argv = vec![args[0].clone()];
            argv.extend(rest);
            freeze_cmd::run(&argv, freeze_cmd::Mode::Mpyc)
        }
        cli::Command::Dump(d) => dump::run(&d),
        cli::Command::Build(b) => driver::run_build(&b),
        cli::Command::Profiles(p) => driver::run_profiles(p),
        cli::Command::Completions { shell } => {
            cli::write_completions(shell, &mut std::io::stdout().lock());
            ExitCode::SUCCESS
        }
        cli::Command::Man { dir } => match cli::write_man_pages(&dir) {
            Ok(pages) => {
                for p in pages {
                    println!("{}", p.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}: {e}", dir.display());
                ExitCode::from(1)
            }
        },
    }
}

/// `mpyc compile [--micropython V] ARGS`: `--micropython V` (or `--micropython=V`), taken out
/// wherever it is before a `--`, picks the release whose mpy-cross command line the rest
/// follows; without it, mpy-cross 1.11's (so existing scripts keep their bytes and texts).
fn compile(mut args: Vec<OsString>) -> ExitCode {
    let mut release: Option<String> = None;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_string_lossy().into_owned();
        if a == "--" {
            break;
        }
        if a == "--micropython" && i + 1 < args.len() {
            release = Some(args[i + 1].to_string_lossy().into_owned());
            args.drain(i..i + 2);
            continue;
        }
        if let Some(v) = a.strip_prefix("--micropython=") {
            release = Some(v.to_string());
            args.remove(i);
            continue;
        }
        i += 1;
    }
    match release {
        None => compile_cmd::run(&args),
        Some(r) => {
            let mut program = args[0].as_bytes().to_vec();
            program.extend_from_slice(b" compile");
            compile_release(&r, &args, program)
        }
    }
}

/// Runs release `name`'s mpy-cross command line on `args[1..]`, its usage naming `program`.
fn compile_release(name: &str, args: &[OsString], program: Vec<u8>) -> ExitCode {
    match name.parse::<mpcore::Release>() {
        Ok(r) if r.generation() != mpcore::Generation::Mpy4 => {
            let rest: Vec<&[u8]> = args.iter().skip(1).map(|a| a.as_bytes()).collect();
            compile_129::run(r, &program, &rest)
        }
        Ok(_) => compile_cmd::run(args),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
