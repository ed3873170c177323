//! The 165 static qstrs of `.mpy` v6 (MicroPython 1.19 to 1.29): a module's qstr table names them
//! by number (`number << 1 | 1`) instead of writing the string. Numbered from 1; the list is
//! the same in every v6 release (checked at v1.19, v1.20, v1.22, v1.23 and 1.29), and it is
//! 1.11's list of static qstrs (`.mpy` v4 writes them as `0, number`): qstrs 1 to
//! [`mpcore::qstr::LAST_STATIC`] of its pool, taken from there.

use mpcore::qstr::{LAST_STATIC, POOL};

/// The static qstrs in number order: entry `i` is qstr number `i + 1`.
pub const STATIC_QSTRS: [&[u8]; LAST_STATIC as usize] = {
    let mut table: [&[u8]; LAST_STATIC as usize] = [b""; LAST_STATIC as usize];
    let mut i = 0;
    while i < table.len() {
        table[i] = POOL[i + 1];
        i += 1;
    }
    table
};

/// The longest static qstr: a longer string is never one.
const STATIC_QSTR_LEN_MAX: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < STATIC_QSTRS.len() {
        if STATIC_QSTRS[i].len() > max {
            max = STATIC_QSTRS[i].len();
        }
        i += 1;
    }
    max
};

/// The static number of `s` (1 to 165), if it is a static qstr: the built-in pool's number,
/// found through the pool's own table (the static qstrs are its first entries).
pub fn static_number(s: &[u8]) -> Option<usize> {
    if s.len() > STATIC_QSTR_LEN_MAX {
        return None;
    }
    mpcore::qstr::builtin(s)
        .filter(|q| q.is_static())
        .map(|q| usize::from(q.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_static_qstr_has_its_number_and_no_other_string_has_one() {
        for (i, s) in STATIC_QSTRS.iter().enumerate() {
            assert_eq!(static_number(s), Some(i + 1), "{s:?}");
        }
        assert_eq!(STATIC_QSTR_LEN_MAX, 19);
        assert_eq!(static_number(b"__dir__x"), None);
        assert_eq!(static_number(b"a_name_longer_than_any_static"), None);
        assert_eq!(static_number(b"NotImplementedError"), Some(47));
    }
}
