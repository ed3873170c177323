//! Keyword recognition by a perfect hash of a name's first eight bytes.
//!
//! Every keyword but `__debug__` is at most eight bytes long, so a name up to eight bytes
//! read as a little-endian `u64` (zero-padded) is a keyword exactly when it equals the
//! keyword's word. A multiplicative hash with [`MAGIC`] sends the 35 keyword words to distinct
//! slots of a 64-entry table (checked when the table is built at compile time), so one
//! multiply, one load and one compare decide.

use crate::token::TokenKind::{self, *};

/// The keywords up to eight bytes long (`__debug__` is tested on its own).
const SHORT_KEYWORDS: [(&[u8], TokenKind); 35] = [
    (b"False", KwFalse),
    (b"None", KwNone),
    (b"True", KwTrue),
    (b"and", KwAnd),
    (b"as", KwAs),
    (b"assert", KwAssert),
    (b"async", KwAsync),
    (b"await", KwAwait),
    (b"break", KwBreak),
    (b"class", KwClass),
    (b"continue", KwContinue),
    (b"def", KwDef),
    (b"del", KwDel),
    (b"elif", KwElif),
    (b"else", KwElse),
    (b"except", KwExcept),
    (b"finally", KwFinally),
    (b"for", KwFor),
    (b"from", KwFrom),
    (b"global", KwGlobal),
    (b"if", KwIf),
    (b"import", KwImport),
    (b"in", KwIn),
    (b"is", KwIs),
    (b"lambda", KwLambda),
    (b"nonlocal", KwNonlocal),
    (b"not", KwNot),
    (b"or", KwOr),
    (b"pass", KwPass),
    (b"raise", KwRaise),
    (b"return", KwReturn),
    (b"try", KwTry),
    (b"while", KwWhile),
    (b"with", KwWith),
    (b"yield", KwYield),
];

/// Multiplier found by a search so that the top six bits of `word * MAGIC` differ for every
/// keyword in [`SHORT_KEYWORDS`].
const MAGIC: u64 = 0xb57c_8e05_e3c9_b0e1;

/// The word of a name of at most eight bytes: its bytes little-endian, zero-padded.
const fn word_of(s: &[u8]) -> u64 {
    let mut w = 0u64;
    let mut i = 0;
    while i < s.len() {
        w |= (s[i] as u64) << (8 * i);
        i += 1;
    }
    w
}

#[inline(always)]
const fn slot(word: u64) -> usize {
    (word.wrapping_mul(MAGIC) >> 58) as usize
}

const fn build() -> [(u64, TokenKind); 64] {
    let mut table = [(0u64, Name); 64];
    let mut i = 0;
    while i < SHORT_KEYWORDS.len() {
        let (text, kind) = SHORT_KEYWORDS[i];
        assert!(!text.is_empty() && text.len() <= 8);
        let w = word_of(text);
        let s = slot(w);
        assert!(table[s].0 == 0, "MAGIC does not separate the keywords");
        table[s] = (w, kind);
        i += 1;
    }
    table
}

/// Keyword word and kind by slot; empty slots hold word 0, which no name's word equals.
static TABLE: [(u64, TokenKind); 64] = build();

/// The kind of a name whose first `len` bytes (1..=8, none of them zero) form `word` and
/// which is `len` bytes long: a keyword's kind, or [`TokenKind::Name`].
#[inline(always)]
pub(super) fn kind_of_word(word: u64) -> TokenKind {
    let (w, kind) = TABLE[slot(word)];
    if w == word {
        kind
    } else {
        Name
    }
}

/// The kind of any name: a keyword's kind (`__debug__` gives [`TokenKind::KwDebug`]) or
/// [`TokenKind::Name`].
pub(super) fn kind_of_name(name: &[u8]) -> TokenKind {
    match name.len() {
        1..=8 => kind_of_word(word_of(name)),
        9 if name == b"__debug__" => KwDebug,
        _ => Name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every keyword is found, and names next to keywords (prefixes, extensions, other case,
    /// embedded bytes >= 0x80) are not.
    #[test]
    fn keywords_and_near_misses() {
        for (text, kind) in SHORT_KEYWORDS {
            assert_eq!(kind_of_name(text), kind);
            let mut longer = text.to_vec();
            longer.push(b'_');
            assert_eq!(kind_of_name(&longer), Name);
            assert_eq!(kind_of_name(&text[..text.len() - 1]), Name);
            let upper: Vec<u8> = text.iter().map(u8::to_ascii_uppercase).collect();
            if upper != text {
                assert_eq!(kind_of_name(&upper), Name);
            }
        }
        assert_eq!(kind_of_name(b"__debug__"), KwDebug);
        for near in [
            &b"__debug_"[..],
            b"__debug__x",
            b"x",
            b"_",
            b"\x80",
            b"continues",
            b"nonlocals",
            b"Falsey",
            b"self",
        ] {
            assert_eq!(kind_of_name(near), Name, "{near:?}");
        }
    }
}
