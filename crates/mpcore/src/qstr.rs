//! Interned strings numbered exactly as the reference process numbers them.
//!
//! Numbers 0..=336 are the pool compiled into mpy-cross 1.11; every new string gets the next
//! number in the order it is first interned. These numbers end up in the bytes of a `.mpy`
//! (code-info and native code), so the order of `intern` calls is part of the output.

use std::collections::HashMap;

pub use crate::qstr_pool::LAST_STATIC;
use crate::qstr_pool::POOL;

/// A qstr number, as the reference numbers it (16 bits in bytecode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Qstr(pub u16);

impl Qstr {
    /// The null qstr (`MP_QSTR_NULL`).
    pub const NULL: Qstr = Qstr(0);
    /// The empty string.
    pub const EMPTY: Qstr = Qstr(1);

    /// True for the static qstrs that .mpy v4 encodes as `0, number`.
    pub fn is_static(self) -> bool {
        self.0 >= 1 && self.0 <= LAST_STATIC
    }
}

/// Look up a string in the built-in pool only (no new strings).
pub fn builtin(s: &[u8]) -> Option<Qstr> {
    POOL.iter()
        .skip(1)
        .position(|p| *p == s)
        .map(|i| Qstr(i as u16 + 1))
}

/// Number of qstrs compiled into the reference (the first number a new string gets).
pub const POOL_LEN: usize = POOL.len();

/// The set of interned strings of one compilation, seeded with the reference's pool.
#[derive(Clone, Debug)]
pub struct QstrPool {
    strings: Vec<Box<[u8]>>,
    index: HashMap<Box<[u8]>, Qstr>,
}

impl Default for QstrPool {
    fn default() -> Self {
        Self::new()
    }
}

impl QstrPool {
    /// A pool holding exactly the reference's built-in qstrs.
    pub fn new() -> Self {
        let strings: Vec<Box<[u8]>> = POOL.iter().map(|s| Box::from(*s)).collect();
        let mut index = HashMap::with_capacity(strings.len() * 2);
        // Entry 0 (null) is not findable; entry 1 is the empty string.
        for (i, s) in strings.iter().enumerate().skip(1) {
            index.entry(s.clone()).or_insert(Qstr(i as u16));
        }
        QstrPool { strings, index }
    }

    /// The qstr for `s`, interning it with the next number if it is new.
    ///
    /// Panics never; past 65,535 strings the numbering wraps as 16-bit values would, which the
    /// caller must treat as an error (see [`QstrPool::is_full`]).
    pub fn intern(&mut self, s: &[u8]) -> Qstr {
        if let Some(&q) = self.index.get(s) {
            return q;
        }
        let q = Qstr(self.strings.len() as u16);
        self.strings.push(Box::from(s));
        self.index.insert(Box::from(s), q);
        q
    }

    /// The qstr for `s` if it is already interned (`qstr_find_strn`).
    pub fn find(&self, s: &[u8]) -> Option<Qstr> {
        self.index.get(s).copied()
    }

    /// The bytes of a qstr; the empty string for numbers not in the pool.
    pub fn get(&self, q: Qstr) -> &[u8] {
        self.strings
            .get(q.0 as usize)
            .map(|s| &s[..])
            .unwrap_or(b"")
    }

    /// The text of a qstr, lossily decoded (for messages and dumps).
    pub fn text(&self, q: Qstr) -> String {
        String::from_utf8_lossy(self.get(q)).into_owned()
    }

    /// How many qstrs exist, the pool included.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Never true: the pool always holds the built-ins.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// True once more strings exist than 16-bit qstr numbers can name.
    pub fn is_full(&self) -> bool {
        self.strings.len() > u16::MAX as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_numbers_match_the_reference() {
        let pool = QstrPool::new();
        assert_eq!(pool.find(b"__name__"), Some(Qstr(23)));
        assert_eq!(pool.find(b"<module>"), Some(Qstr(7)));
        assert_eq!(pool.find(b"zip"), Some(Qstr(LAST_STATIC)));
        assert_eq!(pool.len(), 337);
        assert!(Qstr(165).is_static() && !Qstr(166).is_static() && !Qstr(0).is_static());
    }

    #[test]
    fn new_strings_are_numbered_in_order() {
        // FIDELITY-NOTES §2: `q.py` = 0x151, `aaa` = 0x152, `zebra` = 0x153.
        let mut pool = QstrPool::new();
        assert_eq!(pool.intern(b"q.py"), Qstr(0x151));
        assert_eq!(pool.intern(b"aaa"), Qstr(0x152));
        assert_eq!(pool.intern(b"q.py"), Qstr(0x151));
        assert_eq!(pool.intern(b"zebra"), Qstr(0x153));
        assert_eq!(pool.get(Qstr(0x153)), b"zebra");
    }
}
