//! The `mpyc` command: `compile` (mpy-cross 1.11 compatible), `dump`, `build` and `profiles`.
//!
//! Invoked under the name `mpy-cross`, the binary behaves as `mpyc compile`; under the name
//! `mpy-tool.py`, as `mpyc freeze` with mpy-tool.py's command line. Every other command line
//! goes through clap ([`cli`]); `compile` and `freeze` keep their tools' own parsing.

mod cli;
mod compile_cmd;
mod dump;
mod freeze_cmd;
mod source;

use std::ffi::OsString;
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
    if invoked_as == "mpy-tool" {
        return freeze_cmd::run(&args, freeze_cmd::Mode::MpyTool);
    }
    // mpy-cross's byte-exact argument parsing: `compile` never goes through clap.
    if args.get(1).is_some_and(|a| a == "compile") {
        let mut rest = args;
        rest.remove(1);
        return compile_cmd::run(&rest);
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
            compile_cmd::run(&argv)
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
