//! Fuzz target: the whole compile, source bytes to `.mpy` bytes, as `mpyc compile` and the
//! build make it (`mpyc::compile_for_release`), for any release, arch and flag set.
//!
//! Any input must give bytes or an error, never a panic, an abort, a stack overflow, a hang or
//! unbounded memory (libFuzzer reports those: run with `-timeout=` and `-rss_limit_mb=`). Bytes
//! that come out must be a `.mpy` the project's own reader takes back, unless they nest raw
//! codes deeper than the readers go (`MAX_DEPTH`, 256: the references write files of several
//! thousand levels, `x = lambda: lambda: ...`, which `mpyc dump` refuses). The first two input
//! bytes pick the options: the release (19 of them), the emitter (bytecode, native, viper), the
//! arch, the small-int width, the optimisation level, unicode and the lookup cache.

#![no_main]

use compiler::{CompileContext, CompileOptions, DefaultEmit, NlrBuf, SourceNames};
use libfuzzer_sys::fuzz_target;
use mpcore::{Arch, Release, Target};

const ARCHES: [Arch; 5] = [Arch::X64, Arch::X86, Arch::Armv6, Arch::Armv7m, Arch::Xtensa];

fuzz_target!(|data: &[u8]| {
    let [a, b, src @ ..] = data else {
        return;
    };
    let release = Release::ALL[usize::from(a % Release::ALL.len() as u8)];
    let emit = match (a / 32) % 4 {
        0 | 3 => DefaultEmit::Bytecode,
        1 => DefaultEmit::Native,
        _ => DefaultEmit::Viper,
    };
    let target = Target {
        small_int_bits: [31, 15, 63, 7][usize::from(b & 3)],
        unicode: b & 4 == 0,
        cache_lookup_bc: b & 8 != 0 && release.has_lookup_cache(),
        arch: ARCHES[usize::from(b >> 4) % ARCHES.len()],
        release,
    };
    let options = CompileOptions {
        target,
        opt_level: (b >> 4) & 3,
        emit,
        nlr_buf: if b & 0x80 == 0 {
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
        match release.generation() {
            mpcore::Generation::Mpy4 => {
                match mpyfile::read(&bytes) {
                    Ok(_) | Err(mpyfile::ReadError::TooDeep(_)) => {}
                    Err(e) => panic!("mpyc wrote a .mpy v4 its reader refuses: {e}"),
                }
            }
            mpcore::Generation::Mpy5 => {
                match mpyfile::v5::inspect(&bytes) {
                    Ok(_) | Err(mpyfile::v5::ReadError::TooDeep(_)) => {}
                    Err(e) => panic!("mpyc wrote a .mpy v5 its reader refuses: {e}"),
                }
            }
            mpcore::Generation::Mpy6 => {
                match mpyfile::v6::read(&bytes) {
                    Ok(_) | Err(mpyfile::v6::ReadError::TooDeep(_)) => {}
                    Err(e) => panic!("mpyc wrote a .mpy v6 its reader refuses: {e}"),
                }
            }
        }
    }
});
