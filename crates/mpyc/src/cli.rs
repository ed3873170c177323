//! The top-level command line: one clap definition for every subcommand but `compile`.
//!
//! `mpyc compile` (and the binary invoked as `mpy-cross`) keeps mpy-cross 1.11's own byte-exact
//! argument parsing, so it is dispatched before clap sees the arguments; it is still declared
//! here so that help, completions and the man page list it.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use mpyc::driver::cli::{BuildArgs, ProfilesArgs};

/// The one version line, printed by `mpyc --version`, every subcommand's `--version` and
/// `mpyc compile --version` (tools that look for `mpy v4` keep working).
pub const VERSION_LINE: &str = concat!(
    "mpyc ",
    env!("CARGO_PKG_VERSION"),
    ": MicroPython v1.11 compatible; mpy-cross emitting mpy v4"
);

/// The version clap prints after the command name (`mpyc <this>`).
const CLAP_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    ": MicroPython v1.11 compatible; mpy-cross emitting mpy v4"
);

/// A Rust mpy-cross for MicroPython 1.11 (.mpy v4), and a packager for whole source trees.
///
/// Invoked through a symlink named `mpy-cross`, mpyc behaves as `mpyc compile`.
#[derive(Parser, Debug)]
#[command(name = "mpyc", version = CLAP_VERSION, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile one .py to .mpy exactly as mpy-cross 1.11 does, with its arguments
    /// (`mpyc compile --help` prints mpy-cross's own usage).
    #[command(disable_help_flag = true, disable_version_flag = true)]
    Compile {
        /// mpy-cross 1.11 arguments: `[options] FILE.py`.
        #[arg(
            value_name = "MPY-CROSS ARGS",
            num_args = 0..,
            trailing_var_arg = true,
            allow_hyphen_values = true
        )]
        args: Vec<OsString>,
    },
    /// Freeze .mpy files into C exactly as mpy-tool.py 1.11 -f does, with its arguments
    /// (`mpyc freeze -h` prints its usage).
    #[command(disable_help_flag = true, disable_version_flag = true)]
    Freeze {
        /// mpy-tool.py 1.11 arguments: `[-q QSTR_HEADER] [-mlongint-impl=…] [-mmpz-dig-size=N]
        /// [-o FILE] FILE.mpy…`.
        #[arg(
            value_name = "MPY-TOOL ARGS",
            num_args = 0..,
            trailing_var_arg = true,
            allow_hyphen_values = true
        )]
        args: Vec<OsString>,
    },
    /// Show the contents of .mpy v4 files.
    Dump(DumpArgs),
    /// Compile whole trees of .py files to .mpy for a board profile.
    Build(BuildArgs),
    /// List the board profiles and the mpy-cross flags each stands for.
    Profiles(ProfilesArgs),
    /// Print a completion script for a shell to stdout.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write man pages (mpyc.1 and one per subcommand) into a folder (used by `cargo xtask man`).
    #[command(hide = true)]
    Man {
        /// The folder to write into (created if missing).
        dir: PathBuf,
    },
}

/// `mpyc dump`'s arguments.
#[derive(clap::Args, Debug)]
pub struct DumpArgs {
    /// The .mpy files to show, in order (each headed by its path when there are several).
    #[arg(value_name = "FILE.mpy", required = true)]
    pub files: Vec<PathBuf>,
    /// Print JSON: one object for one file, an array of objects for several.
    #[arg(long)]
    pub json: bool,
}

/// The clap command tree, for parsing, completions and man pages. Every subcommand shows
/// itself as `mpyc` in its version line, so that all of them print [`VERSION_LINE`].
pub fn command() -> clap::Command {
    Cli::command().mut_subcommands(|sub| sub.display_name("mpyc"))
}

/// Parses the command line (not `compile`'s: see the module doc).
pub fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// Writes the completion script for `shell` to `out`.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut cmd = command();
    clap_complete::generate(shell, &mut cmd, "mpyc", out);
}

/// Writes `mpyc.1` and `mpyc-<sub>.1` for each visible subcommand into `dir`.
pub fn write_man_pages(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let cmd = command();
    let mut written = Vec::new();
    let mut page = |cmd: clap::Command, name: String| -> std::io::Result<()> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut buf)?;
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, buf)?;
        written.push(path);
        Ok(())
    };
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("mpyc-{}", sub.get_name());
        page(sub.clone().name(name.clone()), name)?;
    }
    page(cmd, "mpyc".to_owned())?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_command_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn dump_takes_many_files_and_compile_takes_anything() {
        let cli = parse(&os(&["mpyc", "dump", "a.mpy", "b.mpy", "--json"])).unwrap();
        match cli.command {
            Command::Dump(d) => {
                assert_eq!(d.files, [PathBuf::from("a.mpy"), PathBuf::from("b.mpy")]);
                assert!(d.json);
            }
            other => panic!("{other:?}"),
        }
        let cli = parse(&os(&["mpyc", "compile", "-X", "emit=native", "--help"])).unwrap();
        match cli.command {
            Command::Compile { args } => assert_eq!(args, ["-X", "emit=native", "--help"]),
            other => panic!("{other:?}"),
        }
    }
}
