//! The driver of `mpyc build`: compile whole trees for a board profile, in parallel,
//! incrementally and safely (and `mpyc profiles`).
//!
//! Each `.py` under a root is compiled as a firmware Makefile would run mpy-cross:
//! `mpy-cross -s <rel> <profile flags> <root>/<rel>`. `<root>` is spelled as given on the command
//! line (trailing `/` dropped), or, in a project, as the project folder given on the command line
//! joined with `/` to the root named in `mpyc.toml` (a `.` on either side drops out). `<rel>` is
//! the path below the root with `/` separators. Both strings go to the compiler, since the path
//! and the name are interned first and so decide the qstr numbers written into the file.

pub mod cli;
pub mod depfile;
pub mod diag;
pub mod dispatch;
pub mod files;
pub mod job;
pub mod jobserver;
pub mod lock;
pub mod output;
pub mod prebuilt;
pub mod profile;
pub mod profiles_cmd;
pub mod progress;
pub mod project;
pub mod run;
pub mod state;
pub mod walk;
pub mod watch;

use std::process::ExitCode;

pub use profiles_cmd::run as run_profiles;

/// Runs `mpyc build` with its parsed arguments.
pub fn run_build(args: &cli::BuildArgs) -> ExitCode {
    let result = if args.watch {
        watch::run(args).map(|()| true)
    } else {
        run::build(args)
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(run::Fatal::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(run::Fatal::Build(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
