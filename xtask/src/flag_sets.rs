//! The flag sets `cargo xtask conformance` compiles the corpus with, per release.

/// One set of mpy-cross arguments the corpus is compiled with.
#[derive(Debug)]
pub struct FlagSet {
    pub name: &'static str,
    pub args: &'static [&'static str],
}

/// The flag sets every run covers.
pub const FLAG_SETS: &[FlagSet] = &[
    FlagSet {
        name: "default",
        args: &[],
    },
    FlagSet {
        name: "-mcache-lookup-bc",
        args: &["-mcache-lookup-bc"],
    },
    FlagSet {
        name: "-msmall-int-bits=15",
        args: &["-msmall-int-bits=15"],
    },
    FlagSet {
        name: "-msmall-int-bits=63",
        args: &["-msmall-int-bits=63"],
    },
    FlagSet {
        name: "-O1",
        args: &["-O1"],
    },
    FlagSet {
        name: "-O2",
        args: &["-O2"],
    },
    FlagSet {
        name: "-O3",
        args: &["-O3"],
    },
    FlagSet {
        name: "-mno-unicode",
        args: &["-mno-unicode"],
    },
];

/// The native-code flag sets `--full` adds (each can also be chosen with `--flags NAME`).
/// Where mpyc has no native back end yet it refuses with `NotImplementedError`: such files
/// are counted under `refused`, apart from real disagreements.
pub const FULL_FLAG_SETS: &[FlagSet] = &[
    FlagSet {
        name: "native-x64",
        args: &["-X", "emit=native", "-march=x64"],
    },
    FlagSet {
        name: "viper-x64",
        args: &["-X", "emit=viper", "-march=x64"],
    },
    FlagSet {
        name: "native-x86",
        args: &["-X", "emit=native", "-march=x86"],
    },
    FlagSet {
        name: "viper-x86",
        args: &["-X", "emit=viper", "-march=x86"],
    },
    FlagSet {
        name: "native-armv6",
        args: &["-X", "emit=native", "-march=armv6"],
    },
    FlagSet {
        name: "viper-armv6",
        args: &["-X", "emit=viper", "-march=armv6"],
    },
    FlagSet {
        name: "native-armv7m",
        args: &["-X", "emit=native", "-march=armv7m"],
    },
    FlagSet {
        name: "viper-armv7m",
        args: &["-X", "emit=viper", "-march=armv7m"],
    },
    FlagSet {
        name: "native-xtensa",
        args: &["-X", "emit=native", "-march=xtensa"],
    },
    FlagSet {
        name: "viper-xtensa",
        args: &["-X", "emit=viper", "-march=xtensa"],
    },
];

/// MicroPython 1.29's flag sets: its defaults, each `-O` level, the small-int widths of real
/// ports (31 is the default; 63 is the unix and windows ports' 64-bit build) and a narrow one,
/// and builds without line numbers (`-X no-source-lines`, what size-constrained firmware uses).
pub const FLAG_SETS_129: &[FlagSet] = &[
    FlagSet {
        name: "default",
        args: &[],
    },
    FlagSet {
        name: "-O1",
        args: &["-O1"],
    },
    FlagSet {
        name: "-O2",
        args: &["-O2"],
    },
    FlagSet {
        name: "-O3",
        args: &["-O3"],
    },
    FlagSet {
        name: "-msmall-int-bits=15",
        args: &["-msmall-int-bits=15"],
    },
    FlagSet {
        name: "-msmall-int-bits=63",
        args: &["-msmall-int-bits=63"],
    },
    FlagSet {
        name: "no-source-lines",
        args: &["-X", "no-source-lines"],
    },
];

/// The flag sets of 1.22 to 1.28: 1.29's but `-X no-source-lines` (an option 1.29 added).
pub const FLAG_SETS_V6: &[FlagSet] = FLAG_SETS_129.split_at(FLAG_SETS_129.len() - 1).0;

/// The native flag sets of 1.24 to 1.28 (1.29's).
pub const FULL_FLAG_SETS_V6: &[FlagSet] = FULL_FLAG_SETS_129;

/// The native flag sets of 1.22 and 1.23, which have no `rv32imc`.
pub const FULL_FLAG_SETS_V6_NO_RV32: &[FlagSet] =
    FULL_FLAG_SETS_129.split_at(FULL_FLAG_SETS_129.len() - 1).0;

/// The flag sets of 1.12 to 1.17: 1.18's and `-mcache-lookup-bc` (which 1.18 dropped).
pub const FLAG_SETS_V5_CACHE: &[FlagSet] = &[
    FlagSet {
        name: "default",
        args: &[],
    },
    FlagSet {
        name: "-O1",
        args: &["-O1"],
    },
    FlagSet {
        name: "-O2",
        args: &["-O2"],
    },
    FlagSet {
        name: "-O3",
        args: &["-O3"],
    },
    FlagSet {
        name: "-msmall-int-bits=15",
        args: &["-msmall-int-bits=15"],
    },
    FlagSet {
        name: "-msmall-int-bits=63",
        args: &["-msmall-int-bits=63"],
    },
    FlagSet {
        name: "-mno-unicode",
        args: &["-mno-unicode"],
    },
    FlagSet {
        name: "-mcache-lookup-bc",
        args: &["-mcache-lookup-bc"],
    },
];

/// The flag sets of 1.18 (`.mpy` v5): 1.22's and `-mno-unicode` (which 1.19 dropped); the
/// last of [`FLAG_SETS_V5_CACHE`] is 1.12 to 1.17's only.
pub const FLAG_SETS_V5: &[FlagSet] = FLAG_SETS_V5_CACHE.split_at(FLAG_SETS_V5_CACHE.len() - 1).0;

/// The native flag sets of 1.12 to 1.18 for `--full` (mpyc refuses native code for them).
pub const FULL_FLAG_SETS_V5: &[FlagSet] = &[
    FlagSet {
        name: "native-x64",
        args: &["-X", "emit=native", "-march=x64"],
    },
    FlagSet {
        name: "viper-x64",
        args: &["-X", "emit=viper", "-march=x64"],
    },
    FlagSet {
        name: "native-armv7m",
        args: &["-X", "emit=native", "-march=armv7m"],
    },
    FlagSet {
        name: "native-xtensawin",
        args: &["-X", "emit=native", "-march=xtensawin"],
    },
];

/// 1.29's native flag sets for `--full`: the architectures of the boards its ports build
/// (x64 unix, armv6m rp2040, armv7emsp stm32/rp2350, xtensawin esp32, rv32imc esp32-c3/rp2350).
/// mpyc refuses native code for 1.29 until it has those back ends (counted as `refused`).
pub const FULL_FLAG_SETS_129: &[FlagSet] = &[
    FlagSet {
        name: "native-x64",
        args: &["-X", "emit=native", "-march=x64"],
    },
    FlagSet {
        name: "viper-x64",
        args: &["-X", "emit=viper", "-march=x64"],
    },
    FlagSet {
        name: "native-armv6m",
        args: &["-X", "emit=native", "-march=armv6m"],
    },
    FlagSet {
        name: "native-armv7emsp",
        args: &["-X", "emit=native", "-march=armv7emsp"],
    },
    FlagSet {
        name: "native-xtensawin",
        args: &["-X", "emit=native", "-march=xtensawin"],
    },
    FlagSet {
        name: "native-rv32imc",
        args: &["-X", "emit=native", "-march=rv32imc"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_v6_releases_lack_the_options_1_29_added() {
        let names = |sets: &[FlagSet]| sets.iter().map(|s| s.name).collect::<Vec<_>>();
        assert_eq!(
            names(FLAG_SETS_V6),
            [
                "default",
                "-O1",
                "-O2",
                "-O3",
                "-msmall-int-bits=15",
                "-msmall-int-bits=63"
            ]
        );
        assert!(!names(FULL_FLAG_SETS_V6_NO_RV32).contains(&"native-rv32imc"));
        assert_eq!(FULL_FLAG_SETS_V6_NO_RV32.len() + 1, FULL_FLAG_SETS_V6.len());
    }
}
