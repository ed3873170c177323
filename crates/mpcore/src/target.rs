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
}

impl Default for Target {
    /// mpy-cross 1.11's own defaults on an x86-64 host.
    fn default() -> Self {
        Target {
            small_int_bits: 31,
            unicode: true,
            cache_lookup_bc: false,
            arch: Arch::X64,
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
}
