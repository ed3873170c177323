//! Which back end compiles a scope: a lookup on the scope's emit kind and the target's arch.
//!
//! As `compile.c` points `comp->emit` at the bytecode or the native emitter per scope, the
//! compiler asks [`lookup`] for each scope (in the style of cranelift's `isa::lookup`): bytecode
//! scopes go to the caller's bytecode emitter; native Python and viper scopes to the native
//! back end registered for the arch, made once per compilation and reused for every native
//! scope of it (one emitter serves both kinds, as `emit_native_start_pass` switches viper
//! typing per scope). A kind with no back end for the arch gives `None`; the compiler then
//! stops with the reference's traceback form naming the decorator or `-X emit=` option.

use mpcore::Arch;

use crate::emit::Emit;
use crate::emitnative::NativeEmitter;
use crate::options::CodegenOptions;
use crate::scope::EmitOpt;

/// Makes a native back end for one compilation, with room for this many labels per scope.
pub type MakeNative = fn(&CodegenOptions, usize) -> Box<dyn Emit>;

/// The back end for a scope.
#[derive(Clone, Copy, Debug)]
pub enum BackEnd {
    /// The caller's bytecode emitter.
    Bytecode,
    /// The native emitter of the target's arch (native Python and viper scopes).
    Native(MakeNative),
}

/// The native back ends, by arch (an arch missing here has its native and viper scopes
/// refused with a clean `NotImplementedError`).
const NATIVE: &[(Arch, MakeNative)] = &[
    (Arch::X64, NativeEmitter::<asm::x64::AsmX64>::boxed),
    (Arch::X86, NativeEmitter::<asm::x86::AsmX86>::boxed),
    // The reference's emitter table: ARM mode for armv6, Thumb for armv7m (mpy-cross 1.11
    // takes no other ARM -march, so the other Cortex-M arches stay without a back end).
    (Arch::Armv6, NativeEmitter::<asm::arm::AsmArm>::boxed),
    (Arch::Armv7m, NativeEmitter::<asm::thumb::AsmThumb>::boxed),
    (Arch::Xtensa, NativeEmitter::<asm::xtensa::AsmXtensa>::boxed),
];

/// The back end that compiles scopes of `emit` for `arch`, if mpyc has one.
///
/// Inline-assembler scopes have none here: they are compiled by their own instruction walk,
/// not through [`Emit`].
pub fn lookup(emit: EmitOpt, arch: Arch) -> Option<BackEnd> {
    match emit {
        EmitOpt::Bytecode => Some(BackEnd::Bytecode),
        EmitOpt::NativePython | EmitOpt::Viper => NATIVE
            .iter()
            .find(|(a, _)| *a == arch)
            .map(|&(_, make)| BackEnd::Native(make)),
        EmitOpt::AsmThumb | EmitOpt::AsmXtensa | EmitOpt::AsmRv32 => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytecode_scopes_use_the_bytecode_emitter_on_every_arch() {
        for arch in Arch::ALL {
            assert!(matches!(
                lookup(EmitOpt::Bytecode, arch),
                Some(BackEnd::Bytecode)
            ));
            assert!(lookup(EmitOpt::AsmThumb, arch).is_none());
            assert!(lookup(EmitOpt::AsmXtensa, arch).is_none());
        }
    }

    #[test]
    fn native_and_viper_have_back_ends_for_every_march_of_the_reference() {
        for arch in Arch::ALL {
            let native = lookup(EmitOpt::NativePython, arch);
            assert_eq!(
                matches!(native, Some(BackEnd::Native(_))),
                matches!(
                    arch,
                    Arch::X64 | Arch::X86 | Arch::Armv6 | Arch::Armv7m | Arch::Xtensa
                ),
                "{}",
                arch.name()
            );
            assert_eq!(
                lookup(EmitOpt::Viper, arch).map(|b| matches!(b, BackEnd::Native(_))),
                native.map(|b| matches!(b, BackEnd::Native(_))),
            );
        }
    }
}
