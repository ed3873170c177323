//! What the compile walk does differently from one MicroPython release to the next, as data:
//! each release module gives one [`Rules`] value and the shared walk reads its switches.

pub mod v1_11;
pub mod v1_12_18;
pub mod v1_19_21;
pub mod v1_22_28;
pub mod v1_29;

use mpcore::{Generation, Release};

/// How a call passes `*args` and `**kwargs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StarArgs {
    /// 1.11: one `*` and one `**` at most, both pushed after the other arguments (a null for
    /// the one absent).
    TrailingPair,
    /// 1.29: each `*x` is pushed in place as a positional argument and marked in a bitmap
    /// pushed last; each `**x` is a keyword argument with a null key.
    Bitmap,
}

/// The compile-walk behaviours that differ between releases.
#[derive(Debug)]
pub struct Rules {
    pub star_args: StarArgs,
    /// `if ():` and `if (a, b):` jump (or not) without building the tuple (1.11 only).
    pub paren_cond_shortcut: bool,
    /// `try`/`finally` reserves a stack slot for a return value passing through the
    /// `finally` block and through each `except` handler body (1.29).
    pub finally_return_slot: bool,
    /// Lambdas and comprehensions set their own first line (1.29).
    pub scope_start_line: bool,
    /// The parser makes constant objects (folded tuples, bytes, `const()` values) the walk
    /// loads as they are in every pass, and any constant has a truth value for conditions
    /// (1.29).
    pub parser_constants: bool,
    /// The parser flattens a bracketed list into one `testlist_comp` holding every item
    /// (1.18 on; before, `testlist_comp_3b`/`_3c` nodes hold all but the first).
    pub parser_flattens_lists: bool,
    /// With `parser_constants`, any constant has a truth value for conditions (1.20 on;
    /// 1.19, as 1.11: only `True`, `False` and small ints).
    pub truth_of_any_const: bool,
    /// `break` and `continue` outside a loop share one message (1.29).
    pub break_continue_message: Option<&'static str>,
    /// `from m import *` outside the module scope is an error (1.29).
    pub import_star_module_only: bool,
    /// A name a class body assigns is never closed over by the class's methods (1.29's
    /// `ID_INFO_KIND_GLOBAL_IMPLICIT_ASSIGNED`).
    pub assigned_names_stay_global: bool,
    /// `async for` keeps its iterator on the stack instead of in a hidden local, and does
    /// not await `__aiter__()` (1.29).
    pub async_for_iterator_on_stack: bool,
    /// Code after an unconditional jump, `return` or `raise` is not written (1.20 on, in the
    /// v6 emitter); 1.19 writes it, and skips a jump or the closing `return None` after a
    /// `return` as 1.11 does.
    pub drops_dead_code: bool,
    /// `async for` over an iterator held in a hidden local awaits `__aiter__()` (1.11); 1.19
    /// and 1.20 only call it.
    pub async_for_awaits_aiter: bool,
    /// A comprehension's `name := value` stores through the enclosing scope's record of the
    /// name (its kind and slot, as if the store were written there: 1.19); 1.20 on declare the
    /// name global or nonlocal in the comprehension.
    pub walrus_stores_via_parent: bool,
    /// `async for` and `async with` outside an `async def` are errors (1.29).
    pub async_needs_async_def: bool,
    /// `f(a=1, *b)` is an error, `* arg after kwarg` (1.29; 1.28 and older compile it, the
    /// `*b` taking its place in the bitmap after the keyword).
    pub star_after_keyword_error: bool,
    /// `@micropython.asm_rv32` is an inline-assembler decorator (1.25 on; before, it is an
    /// `invalid micropython decorator`).
    pub asm_rv32_decorator: bool,
    /// The inline Thumb assembler takes ARMv7-M and float instructions by the arch, and
    /// writes `push` with `lr` and `pop` with `pc` in 16 bits (1.19 on).
    pub thumb_ops_by_arch: bool,
}

/// How a `.mpy` v6 release prints its float and complex constants (their `repr`, the text
/// the file stores).
#[derive(Debug)]
pub struct FloatTexts {
    /// The text of an `f` constant.
    pub float: fn(f64) -> String,
    /// The text of a `c` constant (real part, imaginary part).
    pub complex: fn(f64, f64) -> String,
}

/// The float printer of a `.mpy` v6 release: its own entry (1.22 to 1.25 in [`v1_22_28`]),
/// else 1.29's.
pub fn float_texts(release: Release) -> &'static FloatTexts {
    v1_19_21::float_texts(release)
        .or_else(|| v1_22_28::float_texts(release))
        .unwrap_or(&v1_29::FLOAT_TEXTS)
}

/// The rules of a release: 1.11's for the `.mpy` v4 generation; 1.12 to 1.18's own for
/// `.mpy` v5 ([`v1_12_18`]); for `.mpy` v6, the release's
/// own entry (1.19 to 1.21 in [`v1_19_21`], 1.22 to 1.28 in [`v1_22_28`]), else 1.29's.
pub fn rules(release: Release) -> &'static Rules {
    match release.generation() {
        Generation::Mpy4 => &v1_11::RULES,
        Generation::Mpy5 => v1_12_18::rules(release).unwrap_or(&v1_12_18::RULES_1_18),
        Generation::Mpy6 => v1_19_21::rules(release)
            .or_else(|| v1_22_28::rules(release))
            .unwrap_or(&v1_29::RULES),
    }
}
