//! Code decorators (`@micropython.native`, `viper`, `asm_thumb`, `asm_xtensa`, `asm_rv32`)
//! under `-march=` for releases after 1.11, against each release's mpy-cross: the decorator
//! is `invalid arch` exactly where that release's emitter tables have no entry for the arch,
//! the inline Thumb assembler takes ARMv7-M and float instructions by the arch from 1.19 on,
//! and where the reference writes native code mpyc refuses the module cleanly (it writes no
//! native code for these releases).

use crate::support::{mpyc, oracle_release, run, TempDir};

const NATIVE: &str = "import micropython\n@micropython.native\ndef f(x):\n    return x+1\n";
const ASM_THUMB: &str = "import micropython\n@micropython.asm_thumb\ndef f():\n    pass\n";
const ASM_RV32: &str = "import micropython\n@micropython.asm_rv32\ndef f():\n    pass\n";
/// `movw` is ARMv7-M only (1.19 on: from armv7m up); `foo` is no instruction anywhere.
const THUMB_MOVW: &str =
    "import micropython\n@micropython.asm_thumb\ndef f():\n    movw(r0, 1)\n    foo(r1)\n";
/// `push` with `lr` is 16-bit (1.19 on, every ARM arch); `it` is ARMv7-M only.
const THUMB_PUSH_IT: &str =
    "import micropython\n@micropython.asm_thumb\ndef f():\n    push({r0, lr})\n    it(eq)\n";
/// The float instructions are taken from armv7emsp up (1.19 on).
const THUMB_FLOAT: &str = "import micropython\n@micropython.asm_thumb\ndef f():\n    push({r0, lr})\n    pop({r0, pc})\n    vadd(s0, s1, s2)\n    clz(r0, r1)\n";

/// What mpyc must do with a case.
#[derive(Clone, Copy)]
enum Want {
    /// Exactly the reference's exit code, output and error text (no file either way).
    Agree,
    /// The reference compiles it; mpyc refuses it with its `NotImplementedError`.
    Refused,
}

fn check(release: &str, march: &str, source: &str, want: Want) {
    let case = TempDir::new("compile-releases-arch");
    std::fs::write(case.path().join("n.py"), source).expect("scratch file");
    let flags: Vec<&str> = [march].into_iter().filter(|f| !f.is_empty()).collect();
    let mut o_args = flags.clone();
    o_args.extend(["-o", "o.mpy", "n.py"]);
    let mut m_args = vec!["compile", "--micropython", release];
    m_args.extend(flags);
    m_args.extend(["-o", "m.mpy", "n.py"]);
    let o = run(&oracle_release(release), None, &o_args, case.path());
    let m = run(&mpyc(), None, &m_args, case.path());
    let what = format!("{release} {march:?} {source:?}");
    match want {
        Want::Agree => {
            assert_ne!(o.code, 0, "{what}: the reference fails");
            assert_eq!(m, o, "{what}");
        }
        Want::Refused => {
            assert_eq!(o.code, 0, "{what}: the reference compiles ({})", o.stderr);
            assert_eq!(m.code, 1, "{what}");
            assert!(
                m.stderr
                    .contains("NotImplementedError: mpyc does not support"),
                "{what}: {}",
                m.stderr
            );
            assert!(!case.path().join("m.mpy").exists(), "{what}: no file");
        }
    }
}

#[test]
fn code_decorators_follow_each_release_emitter_tables() {
    use Want::{Agree, Refused};
    let rows: &[(&str, &str, &str, Want)] = &[
        // 1.20 on: no arch without `-march=`; with one, a native emitter for every arch but
        // rv64imc.
        ("1.20", "", NATIVE, Agree),
        ("1.20", "-march=armv7m", NATIVE, Refused),
        ("1.23", "-march=xtensawin", NATIVE, Refused),
        ("1.27", "-march=rv64imc", NATIVE, Agree),
        ("1.29", "-march=x64", NATIVE, Refused),
        // Inline assemblers: none for x64; xtensawin's from 1.28, rv32imc's from 1.25.
        ("1.29", "-march=x64", ASM_THUMB, Agree),
        ("1.24", "-march=xtensawin", ASM_THUMB, Agree),
        ("1.28", "-march=xtensawin", ASM_THUMB, Refused),
        ("1.24", "-march=rv32imc", ASM_THUMB, Agree),
        ("1.25", "-march=rv32imc", ASM_THUMB, Refused),
        ("1.22", "-march=armv7emdp", ASM_THUMB, Refused),
        // `asm_rv32` is a decorator from 1.25 (before: `invalid micropython decorator`).
        ("1.24", "-march=rv32imc", ASM_RV32, Agree),
        ("1.29", "", ASM_RV32, Agree),
        ("1.29", "-march=armv7m", ASM_RV32, Refused),
        // The 1.28 xtensawin assembler is Xtensa's: its error for a Thumb mnemonic.
        ("1.28", "-march=xtensawin", THUMB_MOVW, Agree),
        // Thumb instructions by arch, 1.19 on (1.18 takes them all).
        ("1.18", "-march=armv6", THUMB_MOVW, Agree),
        ("1.19", "-march=armv6", THUMB_MOVW, Agree),
        ("1.29", "-march=armv6m", THUMB_MOVW, Agree),
        ("1.22", "-march=armv6m", THUMB_PUSH_IT, Agree),
        ("1.19", "-march=armv7m", THUMB_FLOAT, Agree),
        ("1.29", "-march=armv7em", THUMB_FLOAT, Agree),
        ("1.29", "-march=armv7emsp", THUMB_FLOAT, Refused),
    ];
    for &(release, march, source, want) in rows {
        check(release, march, source, want);
    }
}

/// `mpyc build` checks decorators as the profile's release does for its arch: the rp2 port at
/// 1.29 (armv6m) has no `movw`, and the esp32 one (xtensawin) has a native emitter, so its
/// native function is refused rather than `invalid arch`.
#[test]
fn build_profiles_check_decorators_as_their_release() {
    let rows = [
        (
            "rp2-1.29",
            THUMB_MOVW,
            "SyntaxError: unsupported Thumb instruction 'movw' with 2 arguments",
        ),
        (
            "esp32-1.29",
            NATIVE,
            "NotImplementedError: mpyc does not support native code for MicroPython 1.29 yet",
        ),
    ];
    for (profile, source, want) in rows {
        let case = TempDir::new("compile-releases-arch-build");
        std::fs::create_dir_all(case.path().join("src")).expect("scratch dir");
        std::fs::write(case.path().join("src/n.py"), source).expect("scratch file");
        let out = run(
            &mpyc(),
            None,
            &["build", "--profile", profile, "src", "--out-dir", "out"],
            case.path(),
        );
        assert_eq!(out.code, 1, "{profile}: {}", out.stderr);
        assert!(out.stderr.contains(want), "{profile}: {}", out.stderr);
    }
}
