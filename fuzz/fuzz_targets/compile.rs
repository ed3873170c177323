//! Fuzz target: the whole compile, source bytes to `.mpy` bytes, as `mpyc compile` and the
//! build make it (`mpyc::compile_for_release`), for any release, arch and flag set.
//!
//! Any input must give bytes or an error, never a panic, an abort, a stack overflow, a hang or
//! unbounded memory (libFuzzer reports those: run with `-timeout=` and `-rss_limit_mb=`). Bytes
//! that come out must be a `.mpy` the project's own reader takes back, unless they nest raw
//! codes deeper than the readers go (`MAX_DEPTH`, 256: the references write files of several
//! thousand levels, `x = lambda: lambda: ...`, which `mpyc dump` refuses). The first two input
//! bytes pick the options, each from its own digits or bits so that every combination occurs:
//! byte 0 the release (`% 19`), then the emitter (bytecode, native, viper) and the arch; byte 1
//! the small-int width (bits 0-1), unicode (2), the lookup cache (3), the optimisation level
//! (4-5) and the nlr buffer's size (6).

#![no_main]

use compiler::{CompileContext, CompileOptions, DefaultEmit, NlrBuf, SourceNames};
use libfuzzer_sys::fuzz_target;
use mpcore::{Arch, Release, Target};

const ARCHES: [Arch; 5] = [
    Arch::X64,
    Arch::X86,
    Arch::Armv6,
    Arch::Armv7m,
    Arch::Xtensa,
];

fuzz_target!(|data: &[u8]| {
    let [a, b, src @ ..] = data else {
        return;
    };
    let releases = Release::ALL.len();
    let a = usize::from(*a);
    let release = Release::ALL[a % releases];
    let emit = [
        DefaultEmit::Bytecode,
        DefaultEmit::Native,
        DefaultEmit::Viper,
    ][a / releases % 3];
    let target = Target {
        small_int_bits: [31, 15, 63, 7][usize::from(b & 3)],
        unicode: b & 4 == 0,
        cache_lookup_bc: b & 8 != 0 && release.has_lookup_cache(),
        arch: ARCHES[a / releases / 3 % ARCHES.len()],
        release,
    };
    let options = CompileOptions {
        target,
        opt_level: (b >> 4) & 3,
        emit,
        nlr_buf: if b & 0x40 == 0 {
            NlrBuf::Target
        } else {
            NlrBuf::Host
        },
        arch_tables: None,
    };
    let names = SourceNames {
        path: b"fuzz.py",
        source_name: None,
    };
    let mut ctx = CompileContext::new();
    let v6 = mpyc::OptionsV6::default();
    if let Ok(bytes) = mpyc::compile_for_release(&mut ctx, src, names, &options, &v6) {
        let refusal = match release.generation() {
            mpcore::Generation::Mpy4 => match mpyfile::read(&bytes) {
                Ok(_) | Err(mpyfile::ReadError::TooDeep(_)) => None,
                Err(e) => Some(e.to_string()),
            },
            mpcore::Generation::Mpy5 => match mpyfile::v5::inspect(&bytes) {
                Ok(_) | Err(mpyfile::v5::ReadError::TooDeep(_)) => None,
                Err(e) => Some(e.to_string()),
            },
            mpcore::Generation::Mpy6 => match mpyfile::v6::read(&bytes) {
                Ok(_) | Err(mpyfile::v6::ReadError::TooDeep(_)) => None,
                Err(e) => Some(e.to_string()),
            },
        };
        if let Some(e) = refusal {
            panic!(
                "mpyc wrote a .mpy for {} its reader refuses: {e}",
                release.name()
            );
        }
    }
});
