//! `mpyc compile` (and the binary invoked as `mpy-cross`): mpy-cross 1.11's command line, exactly.
//!
//! Arguments are read in the reference's two passes: first every `-X` option is checked (an
//! unknown one or a missing value prints the usage text), then the main options in order. The
//! messages, exit codes and output-path rules are the reference's, including its quirks: the
//! default output is the input path with its last two bytes replaced by `mpy`, and a failure to
//! open or write the output file is silent (exit status 0).

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::ExitCode;

use compiler::{CompileOptions, DefaultEmit, NlrBuf, SourceNames};
use mpcore::{Arch, ExcKind, PyException, Target};

/// The reference's default GC heap on a 64-bit host (1 MiB per 32 bits of word).
const DEFAULT_HEAP_SIZE: i64 = 2 * 1024 * 1024;

/// A fully parsed command line that asks for a compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    pub input: Vec<u8>,
    pub output: Option<Vec<u8>>,
    pub source_name: Option<Vec<u8>>,
    pub opts: CompileOptions,
    /// `-X heapsize=`: validated and remembered, but mpyc is not heap-limited.
    pub heap_size: i64,
    /// Number of `-v` flags (the reference build prints nothing for them).
    pub verbose: u32,
    /// `--message-format human` (mpyc's own, opt-in): a compile error is shown as `mpyc build`
    /// shows it (`path:line:col`, the source line and a caret) instead of the reference's
    /// traceback.
    pub human: bool,
}

/// What the command line asks for, when it is not a compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Early {
    /// Print the usage text (with this heap size as the shown default) to stdout; exit 1.
    Usage { heap_size: i64 },
    /// `--version`: print the version line; exit 0.
    Version,
    /// `no input file` on stderr; exit 1.
    NoInput,
    /// `multiple input files` on stderr; exit 1.
    MultipleInputs,
}

/// The usage text after the program name, up to the heap-size line.
const USAGE_BODY: &str = concat!(
    " [<opts>] [-X <implopt>] <input filename>\n",
    "Options:\n",
    "--version : show version information\n",
    "-o : output file for compiled bytecode (defaults to input with .mpy extension)\n",
    "-s : source filename to embed in the compiled bytecode (defaults to input file)\n",
    "-v : verbose (trace various operations); can be multiple\n",
    "-O[N] : apply bytecode optimizations of level N\n",
    "\n",
    "Target specific options:\n",
    "-msmall-int-bits=number : set the maximum bits used to encode a small-int\n",
    "-mno-unicode : don't support unicode in compiled strings\n",
    "-mcache-lookup-bc : cache map lookups in the bytecode\n",
    "-march=<arch> : set architecture for native emitter; x86, x64, armv6, armv7m, xtensa\n",
    "\n",
    "Implementation specific options:\n",
    "  emit={bytecode,native,viper} -- set the default code emitter\n",
);

/// Runs the command. `args[0]` is the program name as invoked; the rest are mpy-cross arguments.
///
/// The usage text names the program as the reference does (its `argv[0]`); under `mpyc compile`
/// that is `<argv0> compile`.
pub fn run(args: &[OsString]) -> ExitCode {
    let prog = args
        .first()
        .cloned()
        .unwrap_or_else(|| OsString::from("mpyc"));
    let invoked_as_mpy_cross = Path::new(&prog)
        .file_stem()
        .is_some_and(|s| s == "mpy-cross")
        || Path::new(&prog)
            .file_name()
            .is_some_and(|s| s.as_bytes().starts_with(b"mpy-cross-"));
    let mut display = prog.clone().into_vec();
    if !invoked_as_mpy_cross {
        display.extend_from_slice(b" compile");
    }
    let rest: Vec<&[u8]> = args.iter().skip(1).map(|a| a.as_bytes()).collect();
    match parse_args(&rest) {
        Ok(inv) => ExitCode::from(compile_and_save(&inv)),
        Err(Early::Usage { heap_size }) => {
            let text = usage_text(&display, heap_size);
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(&text);
            let _ = out.flush();
            ExitCode::from(1)
        }
        Err(Early::Version) => {
            println!("{}", crate::cli::VERSION_LINE);
            ExitCode::SUCCESS
        }
        Err(Early::NoInput) => {
            eprintln!("no input file");
            ExitCode::from(1)
        }
        Err(Early::MultipleInputs) => {
            eprintln!("multiple input files");
            ExitCode::from(1)
        }
    }
}

/// Parses mpy-cross arguments (program name excluded) as the reference does.
pub fn parse_args(args: &[&[u8]]) -> Result<Invocation, Early> {
    // Pass 1: the interpreter options (`-X`), checked before anything else.
    let mut emit = DefaultEmit::default();
    let mut heap_size = DEFAULT_HEAP_SIZE;
    let mut a = 0;
    while a < args.len() {
        let arg = args[a];
        if arg == b"-X" {
            let Some(&value) = args.get(a + 1) else {
                return Err(Early::Usage { heap_size });
            };
            match value {
                b"emit=bytecode" => emit = DefaultEmit::Bytecode,
                b"emit=native" => emit = DefaultEmit::Native,
                b"emit=viper" => emit = DefaultEmit::Viper,
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
    let mut target = Target::default();
    let mut opt_level: u8 = 0;
    let mut verbose = 0u32;
    let mut input: Option<&[u8]> = None;
    let mut output: Option<&[u8]> = None;
    let mut source_name: Option<&[u8]> = None;
    let mut human = false;
    let mut nlr_buf = NlrBuf::default();
    let usage = Err(Early::Usage { heap_size });
    let mut a = 0;
    while a < args.len() {
        let arg = args[a];
        if arg.first() == Some(&b'-') {
            if arg == b"-X" {
                a += 1;
            } else if arg == b"--version" {
                return Err(Early::Version);
            } else if arg == b"-v" {
                verbose = verbose.saturating_add(1);
            } else if let Some(tail) = arg.strip_prefix(b"-O") {
                opt_level = match tail.first() {
                    Some(d) if d.is_ascii_digit() => d & 0xf,
                    // The count of `O`s after the dash; saturating keeps `!= 0` and `>= 3` true.
                    _ => {
                        let n = arg.iter().skip(1).take_while(|&&c| c == b'O').count();
                        u8::try_from(n).unwrap_or(u8::MAX)
                    }
                };
            } else if arg == b"-o" {
                let Some(&value) = args.get(a + 1) else {
                    return usage;
                };
                a += 1;
                output = Some(value);
            } else if arg == b"--message-format" || arg.starts_with(b"--message-format=") {
                let value = match arg.strip_prefix(b"--message-format=") {
                    Some(v) => v,
                    None => {
                        let Some(&v) = args.get(a + 1) else {
                            return usage;
                        };
                        a += 1;
                        v
                    }
                };
                match value {
                    b"human" => human = true,
                    b"traceback" => human = false,
                    _ => return usage,
                }
            } else if arg == b"--reference-nlr-buf" {
                // mpyc's own: the reference's host-sized exception buffer in native frames
                // (its exact bytes, which misbehave on ARM and Xtensa boards).
                nlr_buf = NlrBuf::Host;
            } else if arg == b"-s" {
                let Some(&value) = args.get(a + 1) else {
                    return usage;
                };
                a += 1;
                source_name = Some(value);
            } else if let Some(n) = arg.strip_prefix(b"-msmall-int-bits=") {
                let (value, used) = strtol(n);
                if used != n.len() {
                    return usage;
                }
                // The reference stores the `long` in a `uint8_t`: modulo 256.
                target.small_int_bits = value as u8;
            } else if arg == b"-mno-cache-lookup-bc" {
                target.cache_lookup_bc = false;
            } else if arg == b"-mcache-lookup-bc" {
                target.cache_lookup_bc = true;
            } else if arg == b"-mno-unicode" {
                target.unicode = false;
            } else if arg == b"-municode" {
                target.unicode = true;
            } else if let Some(name) = arg.strip_prefix(b"-march=") {
                match std::str::from_utf8(name).ok().and_then(Arch::from_march) {
                    Some(arch) => target.arch = arch,
                    None => return usage,
                }
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
    let Some(input) = input else {
        return Err(Early::NoInput);
    };
    Ok(Invocation {
        input: input.to_vec(),
        output: output.map(<[u8]>::to_vec),
        source_name: source_name.map(<[u8]>::to_vec),
        opts: CompileOptions {
            target,
            opt_level,
            emit,
            nlr_buf,
            arch_tables: None,
        },
        heap_size,
        verbose,
        human,
    })
}

/// The value of `-X heapsize=N[w][k|m]`, computed as the reference does (no junk check).
pub(crate) fn parse_heap_size(text: &[u8]) -> i64 {
    let (mut size, used) = strtol(text);
    let mut rest = text.get(used..).unwrap_or_default();
    let word_adjust = matches!(rest.first(), Some(c) if c | 0x20 == b'w');
    if word_adjust {
        rest = rest.get(1..).unwrap_or_default();
    }
    match rest.first().map(|c| c | 0x20) {
        Some(b'k') => size = size.wrapping_mul(1024),
        Some(b'm') => size = size.wrapping_mul(1024 * 1024),
        _ => {}
    }
    if word_adjust {
        // Bytes per word on a 64-bit host, over the 32-bit baseline.
        size = size.wrapping_mul(8) / 4;
    }
    size
}

/// C's `strtol(text, &end, 0)` on a 64-bit host: returns the value and how many bytes it used
/// (0 when no number was found, as `end` is then the start of the string).
pub fn strtol(text: &[u8]) -> (i64, usize) {
    let mut i = 0;
    while text
        .get(i)
        .is_some_and(|&c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
    {
        i += 1;
    }
    let negative = match text.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digit = |c: u8| (c as char).to_digit(36);
    let mut base = 10;
    if text.get(i) == Some(&b'0') {
        let hex_prefix = matches!(text.get(i + 1), Some(b'x' | b'X'))
            && text
                .get(i + 2)
                .and_then(|&c| digit(c))
                .is_some_and(|d| d < 16);
        if hex_prefix {
            base = 16;
            i += 2;
        } else {
            base = 8;
        }
    }
    let start = i;
    // Accumulate the magnitude in u64; anything past i64's range saturates, as strtol does.
    let limit: u64 = if negative {
        i64::MIN.unsigned_abs()
    } else {
        i64::MAX as u64
    };
    let mut magnitude: u64 = 0;
    let mut overflow = false;
    while let Some(d) = text.get(i).and_then(|&c| digit(c)).filter(|&d| d < base) {
        match magnitude
            .checked_mul(u64::from(base))
            .and_then(|m| m.checked_add(u64::from(d)))
        {
            Some(m) if m <= limit => magnitude = m,
            _ => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return (0, 0);
    }
    let value = match (overflow, negative) {
        (true, false) => i64::MAX,
        (true, true) => i64::MIN,
        (false, false) => magnitude as i64,
        (false, true) => (magnitude as i64).wrapping_neg(),
    };
    (value, i)
}

/// The usage text, byte for byte as mpy-cross 1.11 prints it.
pub fn usage_text(program: &[u8], heap_size: i64) -> Vec<u8> {
    let mut text = b"usage: ".to_vec();
    text.extend_from_slice(program);
    text.extend_from_slice(USAGE_BODY.as_bytes());
    text.extend_from_slice(
        format!("  heapsize=<n> -- set the heap size for the GC (default {heap_size})\n")
            .as_bytes(),
    );
    text
}

/// The reference's default output path: the input minus its last two bytes, plus `mpy`.
pub fn default_output(input: &[u8]) -> Vec<u8> {
    let mut out = input[..input.len().saturating_sub(2)].to_vec();
    out.extend_from_slice(b"mpy");
    out
}

/// Reads, compiles and writes one file; returns the exit status.
fn compile_and_save(inv: &Invocation) -> u8 {
    let source = match crate::source::read(OsStr::from_bytes(&inv.input)) {
        Ok(s) => s,
        Err(e) => return fail(&os_error(&e)),
    };
    let names = SourceNames {
        path: &inv.input,
        source_name: inv.source_name.as_deref(),
    };
    let mut ctx = compiler::CompileContext::new();
    let result = mpyc::compile_to_mpy(&mut ctx, &source.bytes, names, &inv.opts);
    if source.cut {
        let parsed = match result {
            Err(mpyc::CompileError::Py(e)) => Err(e),
            _ => Ok(()),
        };
        return fail(&crate::source::cut_stream_result(&source.bytes, parsed));
    }
    let bytes = match result {
        Ok(b) => b,
        Err(mpyc::CompileError::Py(e)) if inv.human => return fail_human(inv, &e, &source.bytes),
        Err(mpyc::CompileError::Py(e)) => return fail(&e),
        Err(e) => return fail_bytes(format!("{e}\n").as_bytes()),
    };
    write_output(inv.output.as_deref(), &inv.input, &bytes);
    0
}

/// Writes the compiled bytes to `-o`'s path, or beside the input ([`default_output`]), as
/// mpy-cross does: created `0644` or truncated, and a failure to open or write ignored, as the
/// reference ignores it.
pub(crate) fn write_output(output: Option<&[u8]>, input: &[u8], bytes: &[u8]) {
    let out_path = output.map_or_else(|| default_output(input), <[u8]>::to_vec);
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o644)
        .open(OsStr::from_bytes(&out_path))
        .and_then(|mut f| f.write_all(bytes));
}

/// `OSError: <errno>`, as the reference reports a file it cannot read.
fn os_error(e: &std::io::Error) -> PyException {
    // EIO when the system gave no number (never expected on Unix).
    let errno = e.raw_os_error().unwrap_or(5);
    PyException::new(ExcKind::OSError, errno.to_string())
}

pub(crate) fn fail(e: &PyException) -> u8 {
    fail_bytes(&e.render_bytes())
}

/// A compile error as `mpyc build` shows it (`--message-format human`).
fn fail_human(inv: &Invocation, e: &PyException, source: &[u8]) -> u8 {
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let name = inv.source_name.as_deref().unwrap_or(&inv.input);
    let mut diag =
        mpyc::driver::diag::Diagnostic::from_exception(lossy(&inv.input), lossy(name), e, source);
    if !inv.opts.target.unicode {
        diag.explain_no_unicode();
    }
    fail_bytes(diag.render_human().as_bytes())
}

pub(crate) fn fail_bytes(text: &[u8]) -> u8 {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text);
    let _ = err.flush();
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Invocation, Early> {
        let v: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        parse_args(&v)
    }

    #[test]
    fn strtol_follows_c() {
        assert_eq!(strtol(b"31"), (31, 2));
        assert_eq!(strtol(b"0x1f"), (31, 4));
        assert_eq!(strtol(b"010"), (8, 3));
        assert_eq!(strtol(b"08"), (0, 1));
        assert_eq!(strtol(b"0x"), (0, 1));
        assert_eq!(strtol(b"0xg"), (0, 1));
        assert_eq!(strtol(b""), (0, 0));
        assert_eq!(strtol(b"  "), (0, 0));
        assert_eq!(strtol(b"+"), (0, 0));
        assert_eq!(strtol(b" -0x1"), (-1, 5));
        assert_eq!(strtol(b"99999999999999999999z"), (i64::MAX, 20));
        assert_eq!(strtol(b"-99999999999999999999"), (i64::MIN, 21));
        assert_eq!(strtol(b"-9223372036854775808"), (i64::MIN, 20));
    }

    #[test]
    fn heap_sizes_follow_the_reference() {
        // Checked against the oracle's usage text: `-X heapsize=5k` shows 5120, `1wk` 2048.
        assert_eq!(parse_heap_size(b"5k"), 5120);
        assert_eq!(parse_heap_size(b"1wk"), 2048);
        assert_eq!(parse_heap_size(b"2M"), 2 * 1024 * 1024);
        assert_eq!(parse_heap_size(b"abc"), 0);
    }

    #[test]
    fn small_int_bits_wrap_like_a_uint8() {
        // Oracle headers: 287 -> 0x1f, -0x1 -> 0xff, huge -> 0xff, empty -> 0x00.
        let bits = |s: &str| {
            parse(&[&format!("-msmall-int-bits={s}"), "a.py"]).map(|i| i.opts.target.small_int_bits)
        };
        assert_eq!(bits("287"), Ok(0x1f));
        assert_eq!(bits("-0x1"), Ok(0xff));
        assert_eq!(bits("99999999999999999999999"), Ok(0xff));
        assert_eq!(bits(""), Ok(0));
        assert_eq!(
            bits("0x1fz"),
            Err(Early::Usage {
                heap_size: DEFAULT_HEAP_SIZE
            })
        );
    }

    #[test]
    fn optimisation_levels() {
        let level = |s: &str| parse(&[s, "a.py"]).map(|i| i.opts.opt_level);
        assert_eq!(level("-O"), Ok(1));
        assert_eq!(level("-Ox"), Ok(1));
        assert_eq!(level("-OOO"), Ok(3));
        assert_eq!(level("-O9"), Ok(9));
        assert_eq!(level("-O99"), Ok(9));
        assert_eq!(level("-O0"), Ok(0));
    }

    #[test]
    fn argument_order_quirks() {
        assert_eq!(parse(&["a.py", "--version"]), Err(Early::Version));
        assert_eq!(
            parse(&["a.py", "b.py", "--version"]),
            Err(Early::MultipleInputs)
        );
        assert_eq!(
            parse(&["--version", "-X", "bad"]),
            Err(Early::Usage {
                heap_size: DEFAULT_HEAP_SIZE
            })
        );
        assert_eq!(
            parse(&["-X", "heapsize=5k", "-X", "bad"]),
            Err(Early::Usage { heap_size: 5120 })
        );
        assert_eq!(parse(&[]), Err(Early::NoInput));
        // `-o` takes `-X` as its value in the main pass, yet the first pass still reads `-X emit=native`.
        let inv = parse(&["-o", "-X", "emit=native"]).unwrap();
        assert_eq!(inv.output.as_deref(), Some(&b"-X"[..]));
        assert_eq!(inv.input, b"emit=native");
        assert_eq!(inv.opts.emit, DefaultEmit::Native);
        assert_eq!(
            parse(&["a.py", "-o"]),
            Err(Early::Usage {
                heap_size: DEFAULT_HEAP_SIZE
            })
        );
        assert_eq!(
            parse(&["-", "a.py"]),
            Err(Early::Usage {
                heap_size: DEFAULT_HEAP_SIZE
            })
        );
        assert_eq!(parse(&[""]).map(|i| i.input), Ok(Vec::new()));
    }

    #[test]
    fn default_output_cuts_two_bytes() {
        assert_eq!(default_output(b"a.py"), b"a.mpy");
        assert_eq!(default_output(b"x"), b"mpy");
        assert_eq!(default_output(b"d.ir/noext"), b"d.ir/noempy");
        assert_eq!(default_output(b"a.txt"), b"a.tmpy");
    }
}
