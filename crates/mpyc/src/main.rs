//! The `mpyc` command: `compile` (mpy-cross 1.11 compatible), `dump` and `build`.
//!
//! Invoked under the name `mpy-cross`, the binary behaves as `mpyc compile`.

mod build;
mod compile_cmd;
mod dump;
mod source;

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    let invoked_as = args
        .first()
        .and_then(|a| {
            std::path::Path::new(a)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    if invoked_as == "mpy-cross" {
        return run("compile", args);
    }
    if args.len() < 2 {
        eprintln!("{}", USAGE);
        return ExitCode::from(2);
    }
    let sub = args.remove(1).to_string_lossy().into_owned();
    run(&sub, args)
}

/// Dispatches a subcommand; `args[0]` is the program name, the rest its arguments.
fn run(sub: &str, args: Vec<OsString>) -> ExitCode {
    match sub {
        "compile" => compile_cmd::run(&args),
        "dump" => dump::run(args),
        "-h" | "--help" | "help" => {
            println!("{}", USAGE);
            ExitCode::SUCCESS
        }
        "-V" | "--version" => {
            println!(
                "mpyc {} (emits mpy v4, MicroPython 1.11)",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::SUCCESS
        }
        "build" => build::run_build(args),
        "profiles" => build::run_profiles(args),
        other => {
            eprintln!("error: unknown command `{other}`\n\n{}", USAGE);
            ExitCode::from(2)
        }
    }
}

const USAGE: &str = "usage: mpyc <command> [args]

commands:
  compile   compile one .py to .mpy, exactly as mpy-cross 1.11 (takes its arguments)
  dump      show the contents of a .mpy v4 file
  build     compile whole trees for a board profile
  profiles  list the board profiles";
