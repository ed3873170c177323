//! What the emitter tables of a release after 1.11 give a `-march=` arch: which code
//! decorators it takes (`native`/`viper` need a native emitter, `asm_*` an inline
//! assembler, else `invalid arch`) and the 1.11 arch mpyc's compile walk stands in with.

use mpcore::Release;
use rawcode::v6::Arch;

/// The last release whose mpy-cross takes the host's arch (x64 on the x86-64 builds) when
/// no `-march=` is given; 1.20 on have none, so a code decorator is `invalid arch` there.
const LAST_HOST_ARCH_DEFAULT: Release = Release::V1_19;

/// The inline assemblers releases after 1.11 add, with the first release that has each
/// (armv6 to armv7emdp have Thumb's and xtensa Xtensa's in every release; x86 and x64
/// none). 1.27 numbers debug past the end of its table, where the reference finds a
/// non-null entry: its inline-assembler decorators compile there.
const LATER_INLINE_ASM: &[(Arch, Release)] = &[
    (Arch::Rv32imc, Release::V1_25),
    (Arch::Debug, Release::V1_27),
    (Arch::Xtensawin, Release::V1_28),
];

/// For `release` (after 1.11) and its `-march=` arch (`None` without one): the arch whose
/// native emitter and inline assembler the compile walk runs on native and inline-assembler
/// functions, to find their errors before the module is refused (mpyc writes no native code
/// for these releases), and the decorators the release's tables take on the arch.
///
/// The stand-in is the 1.11 arch of the same number; xtensawin is xtensa's where it has
/// xtensa's inline assembler (1.28 on), else x64's, as are rv32imc (whose inline assembler
/// mpyc does not have: those functions are refused) and debug.
pub fn decorator_target(release: Release, arch: Arch) -> (mpcore::Arch, compiler::ArchTables) {
    let arch = match arch {
        Arch::None if release <= LAST_HOST_ARCH_DEFAULT => Arch::X64,
        a => a,
    };
    let tables = release_arch_tables(release, arch);
    let stand_in = match arch {
        Arch::None => mpcore::Arch::None,
        Arch::Xtensawin if tables.inline_asm => mpcore::Arch::Xtensa,
        a => mpcore::Arch::from_number(a.number()).unwrap_or(mpcore::Arch::X64),
    };
    (stand_in, tables)
}

/// The decorators `release`'s emitter tables take on `arch`: every arch has a native
/// emitter but rv64imc (none in any release).
fn release_arch_tables(release: Release, arch: Arch) -> compiler::ArchTables {
    let native = !matches!(arch, Arch::None | Arch::Rv64imc);
    let inline_asm = (Arch::Armv6.number()..=Arch::Xtensa.number()).contains(&arch.number())
        || LATER_INLINE_ASM
            .iter()
            .any(|&(a, from)| a == arch && release >= from);
    compiler::ArchTables { native, inline_asm }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_arch_until_1_19_then_none() {
        assert_eq!(
            decorator_target(Release::V1_19, Arch::None).0,
            mpcore::Arch::X64
        );
        let (arch, tables) = decorator_target(Release::V1_20, Arch::None);
        assert_eq!(arch, mpcore::Arch::None);
        assert!(!tables.native && !tables.inline_asm);
    }

    #[test]
    fn later_assemblers_come_with_their_releases() {
        let asm = |r, a| decorator_target(r, a).1.inline_asm;
        assert!(!asm(Release::V1_24, Arch::Rv32imc) && asm(Release::V1_25, Arch::Rv32imc));
        assert!(!asm(Release::V1_27, Arch::Xtensawin) && asm(Release::V1_28, Arch::Xtensawin));
        assert_eq!(
            decorator_target(Release::V1_28, Arch::Xtensawin).0,
            mpcore::Arch::Xtensa
        );
        assert!(!decorator_target(Release::V1_29, Arch::Rv64imc).1.native);
    }
}
