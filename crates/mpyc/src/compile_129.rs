//! `mpyc compile --micropython 1.2x` (and the binary invoked as `mpy-cross-1.2x`): the command
//! line of mpy-cross 1.12 to 1.29, exactly. 1.29's is the model; [`Cli`] rows say where an
//! older release's differs (its `-march=` names, `-march-flags=`, `-X source-lines`, the
//! usage text and `--version`).
//!
//! As in the reference: a first pass checks every `-X` option (an unknown one or a missing
//! value prints the usage text), the main pass reads the options in order (`--` ends them, a
//! lone `-` is stdin), then come the checks of `-march-flags=` (`unrecognised arch flags`), of
//! a native emitter without `-march=` (`arch not specified`) and of the input. Backslashes in
//! the input and `-s` names become slashes; `-` as input or `-o -` writes to stdout.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

use compiler::{CompileOptions, DefaultEmit, SourceNames};
use mpcore::{ExcKind, PyException, Release, Target};
use rawcode::v6::Arch;

use crate::compile_cmd::{fail, fail_bytes, parse_heap_size, strtol, write_output};

/// The reference's default GC heap on a 64-bit host.
const DEFAULT_HEAP_SIZE: i64 = 2 * 1024 * 1024;

/// How `-march-flags=` is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MarchFlags {
    /// No such option (1.26 and older): it is an unknown option (the usage text).
    Absent,
    /// A number of the bits in the mask, or a string starting `zba` (1.27).
    ZbaPrefix { mask: u64 },
    /// A number of the bits in the mask, or a comma-separated list of `zba` and `zcmp` (1.28
    /// and 1.29).
    List { mask: u64 },
}

/// Where a release's mpy-cross command line differs from the others: data per release.
#[derive(Debug)]
pub struct Cli {
    /// The usage lines on `-march=` (and `-march-flags=`, where the release has it).
    march_usage: &'static str,
    /// The `-march=` names beyond x86 to xtensawin and `host`, which every release takes.
    newer_archs: &'static [Arch],
    march_flags: MarchFlags,
    /// `-X source-lines` and `-X no-source-lines` exist (1.29).
    source_lines_option: bool,
    /// A native emitter without `-march=` is refused (`arch not specified`; 1.26 on: older
    /// releases go on without an arch and crash on the first native function).
    native_needs_arch: bool,
    /// `--` ends the options, a lone `-` is stdin and `-o -` stdout (1.21 on); before, every
    /// argument starting with `-` is an option (`-`, `--`: the usage text) and `-o -` is a
    /// file named `-`.
    stdin_and_double_dash: bool,
    /// `-march=host` (1.20 on).
    host_arch: bool,
    /// Backslashes in the input and `-s` names become slashes, and an input that cannot be
    /// opened gives `OSError: (errno, "can't open NAME")` (1.20 on; 1.19 keeps backslashes and
    /// says `OSError: errno`).
    forward_slashes_and_named_open_error: bool,
    /// `-municode` and `-mno-unicode` (1.18 and older; 1.19 dropped them).
    unicode_options: bool,
    /// `-march=armv6m` (1.19 on).
    armv6m_arch: bool,
}

/// 1.29's usage lines on `-march=` and `-march-flags=` (1.28's too).
const MARCH_USAGE_1_28: &str = concat!(
    "-march=<arch> : set architecture for native emitter;\n",
    "                x86, x64, armv6, armv6m, armv7m, armv7em, armv7emsp,\n",
    "                armv7emdp, xtensa, xtensawin, rv32imc, rv64imc, host, debug\n",
    "-march-flags=<flags> : set architecture-specific flags (can be either a dec/hex/bin value or a comma-separated flags string)\n",
    "                       supported flags for rv32imc: zba, zcmp\n",
);

const CLI_1_29: Cli = Cli {
    march_usage: MARCH_USAGE_1_28,
    newer_archs: &[Arch::Rv32imc, Arch::Rv64imc, Arch::Debug],
    march_flags: MarchFlags::List { mask: 3 },
    source_lines_option: true,
    native_needs_arch: true,
    stdin_and_double_dash: true,
    host_arch: true,
    forward_slashes_and_named_open_error: true,
    unicode_options: false,
    armv6m_arch: true,
};

const CLI_1_28: Cli = Cli {
    source_lines_option: false,
    ..CLI_1_29
};

const CLI_1_27: Cli = Cli {
    march_usage: concat!(
        "-march=<arch> : set architecture for native emitter;\n",
        "                x86, x64, armv6, armv6m, armv7m, armv7em, armv7emsp,\n",
        "                armv7emdp, xtensa, xtensawin, rv32imc, rv64imc, host, debug\n",
        "-march-flags=<flags> : set architecture-specific flags (can be either a dec/hex/bin value or a string)\n",
        "                       supported flags for rv32imc: zba\n",
    ),
    march_flags: MarchFlags::ZbaPrefix { mask: 1 },
    ..CLI_1_28
};

const CLI_1_26: Cli = Cli {
    march_usage: concat!(
        "-march=<arch> : set architecture for native emitter;\n",
        "                x86, x64, armv6, armv6m, armv7m, armv7em, armv7emsp, armv7emdp, xtensa, xtensawin, rv32imc, host, debug\n",
    ),
    newer_archs: &[Arch::Rv32imc, Arch::Debug],
    march_flags: MarchFlags::Absent,
    ..CLI_1_27
};

const CLI_1_24: Cli = Cli {
    march_usage: concat!(
        "-march=<arch> : set architecture for native emitter;\n",
        "                x86, x64, armv6, armv6m, armv7m, armv7em, armv7emsp, armv7emdp, xtensa, xtensawin, rv32imc, debug\n",
    ),
    native_needs_arch: false,
    ..CLI_1_26
};

const CLI_1_22: Cli = Cli {
    march_usage: "-march=<arch> : set architecture for native emitter; x86, x64, armv6, armv6m, armv7m, armv7em, armv7emsp, armv7emdp, xtensa, xtensawin\n",
    newer_archs: &[],
    ..CLI_1_24
};

/// 1.20: no `--`, no stdin or stdout.
const CLI_1_20: Cli = Cli {
    stdin_and_double_dash: false,
    ..CLI_1_22
};

/// 1.19: no `-march=host` (the host's arch is the default instead), backslashes kept,
/// `OSError: errno` for an input it cannot open.
const CLI_1_19: Cli = Cli {
    host_arch: false,
    forward_slashes_and_named_open_error: false,
    ..CLI_1_20
};

/// 1.18 (`.mpy` v5): 1.19's, with `-municode`/`-mno-unicode` and without `-march=armv6m`.
const CLI_1_18: Cli = Cli {
    march_usage: concat!(
        "-mno-unicode : don't support unicode in compiled strings\n",
        "-march=<arch> : set architecture for native emitter; x86, x64, armv6, armv7m, armv7em, armv7emsp, armv7emdp, xtensa, xtensawin\n",
    ),
    unicode_options: true,
    armv6m_arch: false,
    ..CLI_1_19
};

/// 1.17: 1.18's usage with `-mcache-lookup-bc` (1.18 dropped it; the option itself is
/// `Release::has_lookup_cache`).
const CLI_1_17: Cli = Cli {
    march_usage: concat!(
        "-mno-unicode : don't support unicode in compiled strings\n",
        "-mcache-lookup-bc : cache map lookups in the bytecode\n",
        "-march=<arch> : set architecture for native emitter; x86, x64, armv6, armv7m, armv7em, armv7emsp, armv7emdp, xtensa, xtensawin\n",
    ),
    ..CLI_1_18
};

impl Cli {
    /// The command line of `release` (1.12 to 1.29; any other gets 1.29's).
    pub fn of(release: Release) -> &'static Cli {
        match release {
            // 1.12 to 1.16's command line is 1.17's (same usage text, options and `-march=`
            // names, checked on each binary).
            Release::V1_12
            | Release::V1_13
            | Release::V1_14
            | Release::V1_15
            | Release::V1_16
            | Release::V1_17 => &CLI_1_17,
            Release::V1_18 => &CLI_1_18,
            Release::V1_19 => &CLI_1_19,
            Release::V1_20 => &CLI_1_20,
            Release::V1_21 | Release::V1_22 | Release::V1_23 => &CLI_1_22,
            Release::V1_24 | Release::V1_25 => &CLI_1_24,
            Release::V1_26 => &CLI_1_26,
            Release::V1_27 => &CLI_1_27,
            Release::V1_28 => &CLI_1_28,
            _ => &CLI_1_29,
        }
    }

    /// Whether `-march=` takes this architecture.
    fn takes(&self, arch: Arch) -> bool {
        ((Arch::X86.number()..=Arch::Xtensawin.number()).contains(&arch.number())
            && (arch != Arch::Armv6m || self.armv6m_arch))
            || self.newer_archs.contains(&arch)
    }
}

/// A command line that asks for a compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The release whose mpy-cross this command line is.
    pub release: Release,
    /// The input path (backslashes made slashes); `-` is stdin.
    pub input: Vec<u8>,
    pub output: Option<Vec<u8>>,
    pub source_name: Option<Vec<u8>>,
    pub opt_level: u8,
    pub small_int_bits: u8,
    pub emit: DefaultEmit,
    /// `-march=` (`host` is x64 here); [`Arch::None`] without one.
    pub arch: Arch,
    /// `-march-flags=` as accepted for rv32imc (0 when absent): written in the header.
    pub arch_flags: u64,
    /// `-X source-lines` (default) / `-X no-source-lines`.
    pub source_lines: bool,
    /// `-X heapsize=`: validated, not used (mpyc has no fixed heap).
    pub heap_size: i64,
    /// `-mno-unicode` clears it (1.18 and older).
    pub unicode: bool,
    /// `-mcache-lookup-bc` (1.17 and older).
    pub cache_lookup_bc: bool,
}

/// What the command line asks for, when it is not a compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Early {
    /// The usage text on stdout (with this heap size shown); exit 1.
    Usage { heap_size: i64 },
    /// `--version`; exit 0.
    Version,
    /// `no input file`; exit 1.
    NoInput,
    /// `multiple input files`; exit 1.
    MultipleInputs,
    /// `unrecognised arch flags`; exit 1.
    ArchFlags,
    /// `arch not specified` (a native emitter without `-march=`); exit 1.
    ArchNotSpecified,
}

/// The usage text's first line after the program name and its `-o` line, from 1.21 on.
const USAGE_HEAD: &str = concat!(
    " [<opts>] [-X <implopt>] [--] <input filename>\n",
    "Options:\n",
    "--version : show version information\n",
    "-o : output file for compiled bytecode (defaults to input filename with .mpy extension, or stdout if input is stdin)\n",
);

/// The same lines of 1.19 and 1.20 (no `--`, no stdin).
const USAGE_HEAD_1_19: &str = concat!(
    " [<opts>] [-X <implopt>] <input filename>\n",
    "Options:\n",
    "--version : show version information\n",
    "-o : output file for compiled bytecode (defaults to input with .mpy extension)\n",
);

const USAGE_BODY: &str = concat!(
    "-s : source filename to embed in the compiled bytecode (defaults to input file)\n",
    "-v : verbose (trace various operations); can be multiple\n",
    "-O[N] : apply bytecode optimizations of level N\n",
    "\n",
    "Target specific options:\n",
    "-msmall-int-bits=number : set the maximum bits used to encode a small-int\n",
);

/// The usage text, byte for byte as the mpy-cross of `release` prints it.
pub fn usage_text(release: Release, program: &[u8], heap_size: i64) -> Vec<u8> {
    let cli = Cli::of(release);
    let mut text = b"usage: ".to_vec();
    text.extend_from_slice(program);
    text.extend_from_slice(if cli.stdin_and_double_dash {
        USAGE_HEAD.as_bytes()
    } else {
        USAGE_HEAD_1_19.as_bytes()
    });
    text.extend_from_slice(USAGE_BODY.as_bytes());
    text.extend_from_slice(cli.march_usage.as_bytes());
    text.extend_from_slice(
        b"\nImplementation specific options:\n  emit={bytecode,native,viper} -- set the default code emitter\n",
    );
    text.extend_from_slice(
        format!("  heapsize=<n> -- set the heap size for the GC (default {heap_size})\n")
            .as_bytes(),
    );
    if cli.source_lines_option {
        text.extend_from_slice(
            b"  source-lines    -- include source line numbers (default)\n  \
              no-source-lines -- exclude source line numbers\n",
        );
    }
    text
}

/// Runs the command of `release`'s mpy-cross; `program` is how the usage text names it.
pub fn run(release: Release, program: &[u8], args: &[&[u8]]) -> ExitCode {
    match parse_args(release, args) {
        Ok(inv) => ExitCode::from(compile_and_save(&inv)),
        Err(Early::Usage { heap_size }) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(&usage_text(release, program, heap_size));
            let _ = out.flush();
            ExitCode::from(1)
        }
        Err(Early::Version) => {
            println!("{}", release.version_line());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "{}",
                match e {
                    Early::NoInput => "no input file",
                    Early::MultipleInputs => "multiple input files",
                    Early::ArchFlags => "unrecognised arch flags",
                    _ => "arch not specified",
                }
            );
            ExitCode::from(1)
        }
    }
}

/// Parses the arguments of `release`'s mpy-cross (program name excluded) as it does.
pub fn parse_args(release: Release, args: &[&[u8]]) -> Result<Invocation, Early> {
    let cli = Cli::of(release);
    // Pass 1: `-X` options, anywhere (even after `--`).
    let mut emit = DefaultEmit::default();
    let mut heap_size = DEFAULT_HEAP_SIZE;
    let mut source_lines = true;
    let mut a = 0;
    while a < args.len() {
        if args[a] == b"-X" {
            let Some(&value) = args.get(a + 1) else {
                return Err(Early::Usage { heap_size });
            };
            match value {
                b"emit=bytecode" => emit = DefaultEmit::Bytecode,
                b"emit=native" => emit = DefaultEmit::Native,
                b"emit=viper" => emit = DefaultEmit::Viper,
                b"source-lines" if cli.source_lines_option => source_lines = true,
                b"no-source-lines" if cli.source_lines_option => source_lines = false,
                _ => match value.strip_prefix(b"heapsize=") {
                    Some(n) => heap_size = parse_heap_size(n),
                    None => return Err(Early::Usage { heap_size }),
                },
            }
            a += 1;
        }
        a += 1;
    }

    // Pass 2: the main options, in order.
    let usage = Err(Early::Usage { heap_size });
    let mut inv = Invocation {
        release,
        input: Vec::new(),
        output: None,
        source_name: None,
        opt_level: 0,
        small_int_bits: 31,
        emit,
        arch: Arch::None,
        arch_flags: 0,
        source_lines,
        heap_size,
        unicode: true,
        cache_lookup_bc: false,
    };
    let mut input: Option<&[u8]> = None;
    let mut arch_flags: Option<&[u8]> = None;
    let mut options = true;
    let mut a = 0;
    while a < args.len() {
        let arg = args[a];
        let lone_dash = arg.len() == 1 && cli.stdin_and_double_dash;
        if options && arg.first() == Some(&b'-') && !lone_dash {
            if arg == b"-X" {
                a += 1;
            } else if arg == b"--version" {
                return Err(Early::Version);
            } else if arg == b"-v" {
            } else if let Some(tail) = arg.strip_prefix(b"-O") {
                inv.opt_level = match tail.first() {
                    Some(d) if d.is_ascii_digit() => d & 0xf,
                    _ => {
                        let n = arg.iter().skip(1).take_while(|&&c| c == b'O').count();
                        u8::try_from(n).unwrap_or(u8::MAX)
                    }
                };
            } else if arg == b"-o" || arg == b"-s" {
                let Some(&value) = args.get(a + 1) else {
                    return usage;
                };
                a += 1;
                if arg == b"-o" {
                    inv.output = Some(value.to_vec());
                } else {
                    inv.source_name = Some(cli.path_name(value));
                }
            } else if (arg == b"-municode" || arg == b"-mno-unicode") && cli.unicode_options {
                inv.unicode = arg == b"-municode";
            } else if arg == b"-mcache-lookup-bc" && release.has_lookup_cache() {
                inv.cache_lookup_bc = true;
            } else if let Some(n) = arg.strip_prefix(b"-msmall-int-bits=") {
                let (value, used) = strtol(n);
                if used != n.len() {
                    return usage;
                }
                // Kept in a `uint8_t`: modulo 256.
                inv.small_int_bits = value as u8;
            } else if let Some(name) = arg.strip_prefix(b"-march=") {
                inv.arch = match name {
                    b"host" if cli.host_arch => Arch::X64,
                    b"none" => return usage,
                    _ => match std::str::from_utf8(name).ok().and_then(Arch::from_name) {
                        Some(a) if cli.takes(a) => a,
                        _ => return usage,
                    },
                };
            } else if let (Some(flags), false) = (
                arg.strip_prefix(b"-march-flags="),
                cli.march_flags == MarchFlags::Absent,
            ) {
                arch_flags = Some(flags);
            } else if arg == b"--" && cli.stdin_and_double_dash {
                options = false;
            } else {
                return usage;
            }
        } else {
            if input.is_some() {
                return Err(Early::MultipleInputs);
            }
            input = Some(arg);
        }
        a += 1;
    }
    if let Some(flags) = arch_flags {
        if inv.arch != Arch::None {
            let parsed = match (inv.arch, cli.march_flags) {
                (Arch::Rv32imc, MarchFlags::List { mask }) => match parse_integer(flags) {
                    Some(f) => Some(f).filter(|f| f & !mask == 0),
                    None => parse_rv32_flags(flags),
                },
                (Arch::Rv32imc, MarchFlags::ZbaPrefix { mask }) => match parse_integer(flags) {
                    Some(f) => Some(f).filter(|f| f & !mask == 0),
                    None => flags.starts_with(b"zba").then_some(1),
                },
                _ => None,
            };
            match parsed {
                Some(f) => inv.arch_flags = f,
                None => return Err(Early::ArchFlags),
            }
        }
    }
    if cli.native_needs_arch && emit != DefaultEmit::Bytecode && inv.arch == Arch::None {
        return Err(Early::ArchNotSpecified);
    }
    let Some(input) = input else {
        return Err(Early::NoInput);
    };
    inv.input = cli.path_name(input);
    Ok(inv)
}

impl Cli {
    /// An input or `-s` name as the release keeps it.
    fn path_name(&self, s: &[u8]) -> Vec<u8> {
        if self.forward_slashes_and_named_open_error {
            forward_slashes(s)
        } else {
            s.to_vec()
        }
    }
}

fn forward_slashes(s: &[u8]) -> Vec<u8> {
    s.iter()
        .map(|&c| if c == b'\\' { b'/' } else { c })
        .collect()
}

/// `-march-flags=` as a number: decimal, or `0x`/`0o`/`0b` prefixed, all of it used.
fn parse_integer(text: &[u8]) -> Option<u64> {
    let (base, skip) = match text {
        [b'0', p, ..] if matches!(p | 0x20, b'x' | b'o' | b'b') => match p | 0x20 {
            b'x' => (16, 2),
            b'o' => (8, 2),
            _ => (2, 2),
        },
        _ => (10, 0),
    };
    let digits = text.get(skip..).filter(|d| !d.is_empty())?;
    if digits[0] == b'+' {
        return None;
    }
    let s = std::str::from_utf8(digits).ok()?;
    u64::from_str_radix(s, base).ok()
}

/// `-march-flags=` as a comma-separated list of `zba` and `zcmp` (some flag must be set).
fn parse_rv32_flags(text: &[u8]) -> Option<u64> {
    let mut flags = 0;
    for part in text.split(|&c| c == b',') {
        flags |= match part {
            b"zba" => 1,
            b"zcmp" => 2,
            // A trailing comma ends the list (the reference stops at the end of the string).
            b"" if !text.is_empty() => 0,
            _ => return None,
        };
    }
    (flags != 0).then_some(flags)
}

/// The compile options the 1.29 compiler takes for this command line.
pub fn compile_options(inv: &Invocation) -> CompileOptions {
    // The stand-in arch and the decorator tables of the release's `-march=` arch.
    let (arch, tables) = mpyc::march::decorator_target(inv.release, inv.arch);
    CompileOptions {
        target: Target {
            small_int_bits: inv.small_int_bits,
            unicode: inv.unicode,
            cache_lookup_bc: inv.cache_lookup_bc,
            arch,
            release: inv.release,
        },
        opt_level: inv.opt_level,
        emit: inv.emit,
        nlr_buf: compiler::NlrBuf::default(),
        arch_tables: Some(tables),
    }
}

/// Reads, compiles and writes one file; returns the exit status.
fn compile_and_save(inv: &Invocation) -> u8 {
    let cli = Cli::of(inv.release);
    let stdin = inv.input == b"-" && cli.stdin_and_double_dash;
    let open_name = cli.forward_slashes_and_named_open_error;
    let source = if stdin {
        let mut bytes = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut bytes) {
            Ok(_) => bytes,
            Err(e) => return fail(&os_error(&e, None)),
        }
    } else {
        match crate::source::read(OsStr::from_bytes(&inv.input)) {
            Ok(s) => s.bytes,
            Err(e) => {
                return fail(&os_error(
                    &e,
                    Some(inv.input.as_slice()).filter(|_| open_name),
                ))
            }
        }
    };
    let path: &[u8] = if stdin { b"<stdin>" } else { &inv.input };
    let names = SourceNames {
        path,
        source_name: inv.source_name.as_deref(),
    };
    let bytes = match mpyc::compile_for_release(
        &mut compiler::CompileContext::new(),
        &source,
        names,
        &compile_options(inv),
        &options_v6(inv),
    ) {
        Ok(b) => b,
        Err(mpyc::CompileError::Py(e)) => return fail(&e),
        Err(e) => return fail_bytes(format!("{e}\n").as_bytes()),
    };
    let to_stdout = (inv.output.as_deref() == Some(b"-") && cli.stdin_and_double_dash)
        || (inv.output.is_none() && stdin);
    if to_stdout {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&bytes);
        let _ = out.flush();
        return 0;
    }
    write_output(inv.output.as_deref(), &inv.input, &bytes);
    0
}

/// The 1.29 options the compile step needs beyond [`CompileOptions`].
pub fn options_v6(inv: &Invocation) -> mpyc::OptionsV6 {
    mpyc::OptionsV6 {
        source_lines: inv.source_lines,
        arch: inv.arch,
        arch_flags: inv.arch_flags,
    }
}

/// The reference's `OSError` for an input it cannot read: `(errno, "can't open NAME")` when
/// opening fails, the bare number when reading does.
fn os_error(e: &std::io::Error, name: Option<&[u8]>) -> PyException {
    let errno = e.raw_os_error().unwrap_or(5);
    let message = match name {
        Some(n) if e.kind() != std::io::ErrorKind::IsADirectory => {
            let mut text = b"can't open ".to_vec();
            text.extend_from_slice(n);
            format!("({errno}, {})", quoted(&text))
        }
        _ => errno.to_string(),
    };
    PyException::new(ExcKind::OSError, message)
}

/// MicroPython's `repr` of a str: single quotes unless it holds `'` and no `"`.
fn quoted(s: &[u8]) -> String {
    let q = if s.contains(&b'\'') && !s.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(q);
    for c in String::from_utf8_lossy(s).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Invocation, Early> {
        parse_for(Release::V1_29, args)
    }

    fn parse_for(release: Release, args: &[&str]) -> Result<Invocation, Early> {
        let v: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        parse_args(release, &v)
    }

    #[test]
    fn options_follow_the_reference() {
        let inv = parse(&[
            "-O2",
            "-msmall-int-bits=300",
            "-X",
            "no-source-lines",
            "a\\b.py",
        ])
        .unwrap();
        assert_eq!(
            (inv.opt_level, inv.small_int_bits, inv.source_lines),
            (2, 44, false)
        );
        assert_eq!(inv.input, b"a/b.py");
        assert_eq!(parse(&["-march=host", "x.py"]).unwrap().arch, Arch::X64);
        assert_eq!(
            parse(&["-march=none", "x.py"]),
            Err(Early::Usage {
                heap_size: DEFAULT_HEAP_SIZE
            })
        );
        assert_eq!(parse(&["--", "-x.py"]).unwrap().input, b"-x.py");
        assert_eq!(parse(&["-"]).unwrap().input, b"-");
        assert_eq!(parse(&["a.py", "b.py"]), Err(Early::MultipleInputs));
        assert_eq!(parse(&[]), Err(Early::NoInput));
        assert_eq!(
            parse(&["-X", "emit=viper", "x.py"]),
            Err(Early::ArchNotSpecified)
        );
        assert_eq!(parse(&["-X", "emit=viper"]), Err(Early::ArchNotSpecified));
        assert_eq!(
            parse(&["-X", "heapsize=1k", "-X"]),
            Err(Early::Usage { heap_size: 1024 })
        );
        assert_eq!(
            parse(&["-X", "bogus", "--version"]),
            Err(Early::Usage {
                heap_size: DEFAULT_HEAP_SIZE
            })
        );
        assert_eq!(
            parse(&["--version", "-X", "bogus"]),
            Err(Early::Usage {
                heap_size: DEFAULT_HEAP_SIZE
            })
        );
    }

    #[test]
    fn arch_flags_follow_the_reference() {
        let flags = |f: &str, arch: &str| {
            parse(&[
                &format!("-march={arch}"),
                &format!("-march-flags={f}"),
                "x.py",
            ])
            .map(|i| i.arch_flags)
        };
        assert_eq!(flags("zba", "rv32imc"), Ok(1));
        assert_eq!(flags("zba,zcmp", "rv32imc"), Ok(3));
        assert_eq!(flags("zba,", "rv32imc"), Ok(1));
        assert_eq!(flags("0x3", "rv32imc"), Ok(3));
        assert_eq!(flags("0b10", "rv32imc"), Ok(2));
        assert_eq!(flags("0", "rv32imc"), Ok(0));
        assert_eq!(flags("4", "rv32imc"), Err(Early::ArchFlags));
        assert_eq!(flags("bogus", "rv32imc"), Err(Early::ArchFlags));
        assert_eq!(flags("1", "x64"), Err(Early::ArchFlags));
        // Without -march the flags are not looked at.
        assert_eq!(
            parse(&["-march-flags=bogus", "x.py"]).map(|i| i.arch_flags),
            Ok(0)
        );
    }

    #[test]
    fn open_errors_name_the_file() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(
            os_error(&e, Some(b"n.py")).message,
            "(2, \"can't open n.py\")"
        );
        assert_eq!(
            os_error(&e, Some(b"q\"'.py")).message,
            "(2, 'can\\'t open q\"\\'.py')"
        );
        let dir = std::io::Error::from_raw_os_error(21);
        assert_eq!(os_error(&dir, Some(b"d.py")).message, "21");
    }
}
