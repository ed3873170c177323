//! Target options: what a `.mpy` header says about the board that will load it.
//!
//! One value type shared by the compiler, the `.mpy` writer and reader, and board profiles.

use std::fmt;
use std::str::FromStr;

/// Native architecture, numbered as in the v4 header's feature byte (`arch << 2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Arch {
    #[default]
    None = 0,
    X86 = 1,
    X64 = 2,
    Armv6 = 3,
    Armv6m = 4,
    Armv7m = 5,
    Armv7em = 6,
    Armv7emsp = 7,
    Armv7emdp = 8,
    Xtensa = 9,
}

impl Arch {
    /// Every architecture, in header-number order.
    pub const ALL: [Arch; 10] = [
        Arch::None,
        Arch::X86,
        Arch::X64,
        Arch::Armv6,
        Arch::Armv6m,
        Arch::Armv7m,
        Arch::Armv7em,
        Arch::Armv7emsp,
        Arch::Armv7emdp,
        Arch::Xtensa,
    ];

    /// The architecture with this header number.
    pub fn from_number(n: u8) -> Option<Arch> {
        Arch::ALL.get(n as usize).copied()
    }

    /// The header number.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The name `-march=` and the dump use.
    pub fn name(self) -> &'static str {
        match self {
            Arch::None => "none",
            Arch::X86 => "x86",
            Arch::X64 => "x64",
            Arch::Armv6 => "armv6",
            Arch::Armv6m => "armv6m",
            Arch::Armv7m => "armv7m",
            Arch::Armv7em => "armv7em",
            Arch::Armv7emsp => "armv7emsp",
            Arch::Armv7emdp => "armv7emdp",
            Arch::Xtensa => "xtensa",
        }
    }

    /// The architectures mpy-cross 1.11 accepts after `-march=`.
    pub fn from_march(s: &str) -> Option<Arch> {
        match s {
            "x86" => Some(Arch::X86),
            "x64" => Some(Arch::X64),
            "armv6" => Some(Arch::Armv6),
            "armv7m" => Some(Arch::Armv7m),
            "xtensa" => Some(Arch::Xtensa),
            _ => None,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Arch {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Arch::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| format!("unknown arch `{s}`"))
    }
}

/// The MicroPython release whose compiler and `.mpy` format mpyc reproduces.
///
/// Everything that differs between releases hangs off this value (per-release modules in the
/// syntax, compiler and mpyfile crates pick their tables by it), so adding a release is adding a
/// variant and its modules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Release {
    /// MicroPython v1.11: `.mpy` version 4 (the default, and the `mpy-cross` name's release).
    #[default]
    V1_11,
    /// MicroPython v1.29: `.mpy` version 6.3.
    V1_29,
}

impl Release {
    /// Every release mpyc knows, oldest first.
    pub const ALL: [Release; 2] = [Release::V1_11, Release::V1_29];

    /// The release's name as users write it (`--micropython 1.29`, `micropython = "1.29"`).
    pub fn name(self) -> &'static str {
        match self {
            Release::V1_11 => "1.11",
            Release::V1_29 => "1.29",
        }
    }

    /// The `.mpy` format version the release writes and loads: (major, sub-version).
    pub fn mpy_version(self) -> (u8, u8) {
        match self {
            Release::V1_11 => (4, 0),
            Release::V1_29 => (6, 3),
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Release {
    type Err = String;
    /// `1.11`, `1.29`, and the same with a patch or post suffix (`1.29.0`, `1.29.0.post2`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.trim_start_matches('v').split('.');
        let (major, minor) = (parts.next(), parts.next());
        Release::ALL
            .iter()
            .copied()
            .find(|r| {
                let mut want = r.name().split('.');
                major == want.next() && minor == want.next()
            })
            .ok_or_else(|| {
                let known: Vec<&str> = Release::ALL.iter().map(|r| r.name()).collect();
                format!(
                    "unknown MicroPython release `{s}` (mpyc knows {})",
                    known.join(", ")
                )
            })
    }
}

/// The board a `.mpy` is made for: the header's flags, small-int width and native arch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// Width of a small int in bits, sign included (mpy-cross default 31).
    pub small_int_bits: u8,
    /// Feature flag bit 1: `str` is unicode (default on).
    pub unicode: bool,
    /// Feature flag bit 0: map lookups carry an inline cache byte in bytecode (default off).
    pub cache_lookup_bc: bool,
    /// Native architecture for native/viper/asm code (mpy-cross on x86-64 defaults to x64).
    pub arch: Arch,
    /// The MicroPython release the output is for (its compiler and `.mpy` version).
    pub release: Release,
}

impl Default for Target {
    /// mpy-cross 1.11's own defaults on an x86-64 host.
    fn default() -> Self {
        Target {
            small_int_bits: 31,
            unicode: true,
            cache_lookup_bc: false,
            arch: Arch::X64,
            release: Release::V1_11,
        }
    }
}

impl Target {
    /// The two feature-flag bits of the header.
    pub fn feature_flags(&self) -> u8 {
        (self.cache_lookup_bc as u8) | ((self.unicode as u8) << 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_flags_match_mpy_cross() {
        // mpy-cross 1.11 writes `4d 04 02 1f` for a plain module.
        let t = Target::default();
        assert_eq!(t.feature_flags(), 0x02);
        assert_eq!(t.small_int_bits, 0x1f);
    }

    #[test]
    fn arch_names_round_trip() {
        for a in Arch::ALL {
            assert_eq!(a.name().parse::<Arch>().unwrap(), a);
            assert_eq!(Arch::from_number(a.number()), Some(a));
        }
        assert_eq!(Arch::from_march("armv6m"), None);
    }

    #[test]
    fn release_names_parse() {
        for r in Release::ALL {
            assert_eq!(r.name().parse::<Release>().unwrap(), r);
        }
        assert_eq!("1.29.0.post2".parse::<Release>(), Ok(Release::V1_29));
        assert_eq!("v1.11".parse::<Release>(), Ok(Release::V1_11));
        assert!("1.2".parse::<Release>().is_err());
        assert!("1.290".parse::<Release>().is_err());
        assert_eq!(Target::default().release.mpy_version(), (4, 0));
    }
}
