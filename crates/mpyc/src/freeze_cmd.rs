//! `mpyc freeze`: the frozen C of `.mpy` files, as `mpy-tool.py -f` of MicroPython 1.11 prints
//! it, with its command line, so that a port Makefile's `MPY_TOOL` can name mpyc (as
//! `mpyc freeze` or through a symlink called `mpy-tool.py`).

use mpyfile::freeze::{freeze_loaded, python_int, FreezeOptions, Loaded, LongIntImpl, QstrHeader};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// How the command was invoked: it decides the program name in messages and whether `-f`
/// is needed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `mpyc freeze …`: always freezes.
    Mpyc,
    /// Through a symlink named `mpy-tool.py`: freezes only with `-f`, like the reference.
    MpyTool,
}

const TOOL_USAGE: &str = "usage: mpy-tool.py [-h] [-d] [-f] [-q QSTR_HEADER]
                   [-mlongint-impl {none,longlong,mpz}] [-mmpz-dig-size N]
                   files [files ...]";

const MPYC_USAGE: &str = "usage: mpyc freeze [-h] [-f] [-q QSTR_HEADER] [-o OUTPUT]
                   [-mlongint-impl {none,longlong,mpz}] [-mmpz-dig-size N]
                   files [files ...]";

const HELP_BODY: &str = "
positional arguments:
  files                 input .mpy files

options:
  -h, --help            show this help message and exit
  -d, --dump            dump contents of files
  -f, --freeze          freeze files
  -q QSTR_HEADER, --qstr-header QSTR_HEADER
                        qstr header file to freeze against
  -mlongint-impl {none,longlong,mpz}
                        long-int implementation used by target (default mpz)
  -mmpz-dig-size N      mpz digit size used by target (default 16)";

struct Args {
    dump: bool,
    freeze: bool,
    qstr_header: Option<PathBuf>,
    output: Option<PathBuf>,
    longint: LongIntImpl,
    mpz_dig_size: i64,
    files: Vec<PathBuf>,
}

/// Runs the command; `args[0]` is the program name.
pub fn run(args: &[OsString], mode: Mode) -> ExitCode {
    let (usage, prog) = match mode {
        Mode::Mpyc => (MPYC_USAGE, "mpyc freeze"),
        Mode::MpyTool => (TOOL_USAGE, "mpy-tool.py"),
    };
    let args = match parse(args.get(1..).unwrap_or(&[])) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{usage}\n\nA tool to work with MicroPython .mpy files.\n{HELP_BODY}");
            if mode == Mode::Mpyc {
                println!("  -o OUTPUT             write the C to OUTPUT instead of stdout (mpyc)");
            }
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{usage}\n{prog}: error: {message}");
            return ExitCode::from(2);
        }
    };
    if args.dump {
        eprintln!("{prog}: -d (dump) is not supported by mpyc; use `mpyc dump FILE.mpy`");
        return ExitCode::from(2);
    }
    let header = match &args.qstr_header {
        None => QstrHeader::none(),
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => match QstrHeader::parse(&bytes) {
                Ok(h) => h,
                Err(e) => return fail(&e.to_string()),
            },
            Err(e) => return fail(&os_error_line(&e, path)),
        },
    };
    let options = FreezeOptions {
        header,
        longint: args.longint,
        mpz_dig_size: args.mpz_dig_size,
    };
    let mut loaded = Loaded::new();
    for path in &args.files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return fail(&os_error_line(&e, path)),
        };
        if let Err(e) = loaded.push_file(&bytes) {
            return fail(&e.to_string());
        }
    }
    if mode == Mode::MpyTool && !args.freeze {
        return ExitCode::SUCCESS;
    }
    let mut out = String::new();
    let result = freeze_loaded(&loaded, &options, &mut out);
    match (&result, &args.output) {
        (Ok(()), Some(path)) => {
            if let Err(e) = std::fs::write(path, out.as_bytes()) {
                return fail(&os_error_line(&e, path));
            }
        }
        (_, None) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                return ExitCode::from(1);
            }
        }
        (Err(_), Some(_)) => {}
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(line: &str) -> ExitCode {
    eprintln!("{line}");
    ExitCode::from(1)
}

/// The last line of the reference's traceback for a file it cannot open.
fn os_error_line(e: &std::io::Error, path: &std::path::Path) -> String {
    let kind = match e.raw_os_error() {
        Some(2) => "FileNotFoundError",
        Some(13) => "PermissionError",
        Some(21) => "IsADirectoryError",
        Some(20) => "NotADirectoryError",
        _ => "OSError",
    };
    let text = e.to_string();
    let message = text.split(" (os error").next().unwrap_or(&text);
    format!(
        "{kind}: [Errno {}] {message}: '{}'",
        e.raw_os_error().unwrap_or(0),
        path.display()
    )
}

/// Options that take a value (argparse splits `-q=FILE` too).
const VALUED: [&str; 5] = [
    "-q",
    "--qstr-header",
    "-o",
    "-mlongint-impl",
    "-mmpz-dig-size",
];

/// A `--` option abbreviated to a unique prefix, as argparse allows, spelled out.
fn expand_long(name: &str) -> &str {
    const LONG: [&str; 4] = ["--help", "--dump", "--freeze", "--qstr-header"];
    if name.len() <= 2 || !name.starts_with("--") {
        return name;
    }
    let mut matches = LONG.iter().filter(|l| l.starts_with(name));
    match (matches.next(), matches.next()) {
        (Some(one), None) => one,
        _ => name,
    }
}

/// Parses the arguments as the reference's argparse does; `Ok(None)` for `-h`.
fn parse(argv: &[OsString]) -> Result<Option<Args>, String> {
    let mut a = Args {
        dump: false,
        freeze: false,
        qstr_header: None,
        output: None,
        longint: LongIntImpl::Mpz,
        mpz_dig_size: 16,
        files: Vec::new(),
    };
    let mut unknown: Vec<String> = Vec::new();
    let mut only_files = false;
    let mut i = 0;
    // The value of an option: after `=` or the next argument.
    let value = |i: &mut usize, inline: Option<&str>, name: &str| -> Result<OsString, String> {
        if let Some(v) = inline {
            return Ok(v.into());
        }
        *i += 1;
        match argv.get(*i) {
            Some(v) if !v.to_string_lossy().starts_with('-') || v.len() == 1 => Ok(v.clone()),
            _ => Err(format!("argument {name}: expected one argument")),
        }
    };
    while i < argv.len() {
        let arg = argv[i].to_string_lossy().into_owned();
        if only_files || arg == "-" || !arg.starts_with('-') {
            a.files.push(PathBuf::from(&argv[i]));
            i += 1;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") || VALUED.contains(&n) => (n, Some(v)),
            _ => (arg.as_str(), None),
        };
        let name = expand_long(name);
        match name {
            "--" => only_files = true,
            "-h" | "--help" => return Ok(None),
            "-d" | "--dump" => a.dump = true,
            "-f" | "--freeze" => a.freeze = true,
            "-fd" | "-df" => {
                a.dump = true;
                a.freeze = true;
            }
            "-q" | "--qstr-header" => {
                a.qstr_header = Some(value(&mut i, inline, "-q/--qstr-header")?.into());
            }
            "-o" => a.output = Some(value(&mut i, inline, "-o")?.into()),
            "-mlongint-impl" => {
                let v = value(&mut i, inline, "-mlongint-impl")?;
                let v = v.to_string_lossy();
                a.longint = LongIntImpl::from_name(&v).ok_or_else(|| {
                    format!(
                        "argument -mlongint-impl: invalid choice: '{v}' (choose from 'none', 'longlong', 'mpz')"
                    )
                })?;
            }
            "-mmpz-dig-size" => {
                let v = value(&mut i, inline, "-mmpz-dig-size")?;
                let v = v.to_string_lossy();
                let bad = || format!("argument -mmpz-dig-size: invalid int value: '{v}'");
                let n = python_int(&v).map_err(|_| bad())?;
                a.mpz_dig_size = i64::try_from(n).map_err(|_| bad())?;
            }
            _ if name.starts_with("-q") && name.len() > 2 => {
                a.qstr_header = Some(PathBuf::from(&arg[2..]));
            }
            _ if name.starts_with("-o") && name.len() > 2 => {
                a.output = Some(PathBuf::from(&arg[2..]));
            }
            _ => unknown.push(arg),
        }
        i += 1;
    }
    if a.files.is_empty() {
        return Err("the following arguments are required: files".into());
    }
    if !unknown.is_empty() {
        return Err(format!("unrecognized arguments: {}", unknown.join(" ")));
    }
    Ok(Some(a))
}
