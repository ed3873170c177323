//! The command lines of `mpyc build` and `mpyc profiles`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{ArgAction, Args, ValueEnum};

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// `path:line:col: Kind: message`, the source line and a caret (stderr).
    Human,
    /// One JSON object per line on stdout: each diagnostic, then the summary.
    Json,
}

/// Compile whole trees of .py files to .mpy for a board profile, the way firmware Makefiles run
/// mpy-cross (`mpy-cross -s <rel> <flags> <root>/<rel>`), in parallel and incrementally.
#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Source roots (default `.`); a single folder with an `mpyc.toml` is a project. A `.py`
    /// file as a root is compiled alone, as `mpy-cross -s <its file name> <path as given>`.
    #[arg(value_name = "PATH")]
    pub paths: Vec<OsString>,
    /// Board profile: a shipped name (see `mpyc profiles`) or a path to a .toml file.
    #[arg(short, long, value_name = "NAME|FILE")]
    pub profile: Option<String>,
    /// Output folder (default `build/<profile>`, beside `mpyc.toml` in a project).
    #[arg(short, long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Leave out paths matching this glob (relative to the root; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Compile on N threads (default: all cores; under `make -jN` tokens come from make).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Rebuild everything, ignoring the incremental state.
    #[arg(long)]
    pub force: bool,
    /// Compile and report errors without writing anything.
    #[arg(long)]
    pub check: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human, value_name = "FMT")]
    pub message_format: MessageFormat,
    /// `-q`: no progress bar and no summary line; `-qq`: nothing but errors.
    #[arg(short, long, action = ArgAction::Count)]
    pub quiet: u8,
    /// Say why each rebuilt file was rebuilt (new, source changed, profile changed, output
    /// missing or altered, forced).
    #[arg(short = 'v', long)]
    pub explain: bool,
    /// After building, build again whenever a source, the profile or the project file changes
    /// (until Ctrl-C), each time incrementally, with one summary line per rebuild.
    #[arg(short, long, conflicts_with = "depfile")]
    pub watch: bool,
    /// Write a make dependency file for the outputs.
    #[arg(long, value_name = "FILE")]
    pub depfile: Option<PathBuf>,
    #[command(flatten)]
    pub freeze: crate::freeze_build::BuildFreezeArgs,
}

/// List the board profiles and the mpy-cross flags each stands for.
#[derive(Args, Debug)]
pub struct ProfilesArgs {
    /// Print this profile's TOML (a shipped name or a file) instead of the list.
    #[arg(value_name = "NAME|FILE")]
    pub show: Option<String>,
}
