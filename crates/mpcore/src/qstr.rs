//! Interned strings numbered exactly as the reference process numbers them.
//!
//! Numbers 0..=336 are the pool compiled into mpy-cross 1.11; every new string gets the next
//! number in the order it is first interned. These numbers end up in the bytes of a `.mpy`
//! (code-info and native code), so the order of `intern` calls is part of the output.
//!
//! The built-in pool is looked up through one table built once per process and shared by every
//! [`QstrPool`]; a pool itself holds only the strings added after it, back to back in one buffer,
//! found through a small open-addressing table that also remembers the built-ins already asked
//! for. Creating a pool allocates nothing.

use std::sync::OnceLock;

pub use crate::qstr_pool::LAST_STATIC;
pub use crate::qstr_pool::POOL;

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

/// Number of qstrs compiled into the reference (the first number a new string gets).
pub const POOL_LEN: usize = POOL.len();

/// What a table compares first: a string's first and last eight bytes as little-endian words
/// (zero-padded, overlapping for lengths 9 to 15), a hash of all of it, and its length
/// (saturated at 255) in the hash's low byte. For strings up to sixteen bytes, equal keys
/// mean equal strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Key {
    word: u64,
    /// The last eight bytes for strings of eight bytes or more, else zero.
    last: u64,
    tag: u32,
}

/// The table index bits of a key's hash.
#[inline(always)]
fn key_hash(k: Key) -> usize {
    (k.tag >> 8) as usize
}

/// The key of `s` (not keyed against adversaries: the reference itself finds qstrs by a
/// linear scan, so no input can cost more here than there). Short strings are read as at
/// most two overlapping loads, without copying.
#[inline(always)]
fn key(s: &[u8]) -> Key {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let len = s.len();
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let word;
    let mut last = 0;
    let mut h = len as u64;
    if let Some(head) = s.first_chunk::<8>() {
        word = u64::from_le_bytes(*head);
        h = mix(h, word);
        // Words while more than eight bytes remain, then the last eight bytes (overlapping
        // the previous word unless the length is a multiple of eight).
        let mut rest = s.get(8..).unwrap_or_default();
        while let (Some(w), true) = (rest.first_chunk::<8>(), rest.len() > 8) {
            h = mix(h, u64::from_le_bytes(*w));
            rest = rest.get(8..).unwrap_or_default();
        }
        if let Some(tail) = s.last_chunk::<8>() {
            last = u64::from_le_bytes(*tail);
        }
        h = mix(h, last);
    } else {
        // Up to seven bytes: two overlapping loads OR together into the padded word.
        word = if let (Some(lo), Some(hi)) = (s.first_chunk::<4>(), s.last_chunk::<4>()) {
            u64::from(u32::from_le_bytes(*lo))
                | u64::from(u32::from_le_bytes(*hi)) << (8 * (len - 4))
        } else if let (Some(&a), Some(&z)) = (s.first(), s.last()) {
            let m = s.get(len / 2).copied().unwrap_or(0);
            u64::from(a) | u64::from(m) << (8 * (len / 2)) | u64::from(z) << (8 * (len - 1))
        } else {
            0
        };
        h = mix(h, word);
    }
    let h = (h >> 32) as u32 ^ h as u32;
    Key {
        word,
        last,
        tag: (h << 8) | len.min(255) as u32,
    }
}

/// Byte-string equality without a `memcmp` call for strings up to sixteen bytes (the caller
/// has already compared lengths).
#[inline(always)]
fn same_long(a: &[u8], b: &[u8]) -> bool {
    fn words8(s: &[u8]) -> Option<(u64, u64)> {
        let (a, b) = s.first_chunk::<8>().zip(s.last_chunk::<8>())?;
        Some((u64::from_le_bytes(*a), u64::from_le_bytes(*b)))
    }
    if a.len() <= 16 {
        words8(a) == words8(b)
    } else {
        a == b
    }
}

/// One slot of an open-addressing table: the key's two words, then its tag in the low half
/// and the item in the high half of the third word (`item == 0` marks an empty slot).
type Slot = [u64; 3];

/// An empty slot. Not all zero bytes, so a new table is filled by plain stores rather than
/// a `memset` (which costs as much here and counts one instruction per byte under valgrind).
const EMPTY: Slot = [0, 0, 1];

#[inline(always)]
fn slot(k: Key, item: u32) -> Slot {
    [k.word, k.last, u64::from(k.tag) | u64::from(item) << 32]
}

#[inline(always)]
fn slot_item(s: &Slot) -> u32 {
    (s[2] >> 32) as u32
}

#[inline(always)]
fn slot_key(s: &Slot) -> Key {
    Key {
        word: s[0],
        last: s[1],
        tag: s[2] as u32,
    }
}

/// In a pool's table, items with this bit stand for built-in qstr `item & !BUILTIN`;
/// other items are added string `item - 1`.
const BUILTIN: u32 = 1 << 31;

/// Whether `slot` holds `s`, whose key is `k`.
#[inline(always)]
fn holds(slot_key: Key, bytes: impl FnOnce() -> Option<&'static [u8]>, k: Key, s: &[u8]) -> bool {
    slot_key == k
        && (s.len() <= 16 || bytes().is_some_and(|b| b.len() == s.len() && same_long(b, s)))
}

/// Lookup of the built-in strings (the first of equal strings wins; entry 0, the null qstr,
/// is not findable). Items are built-in numbers.
struct Base {
    slots: Vec<Slot>,
}

impl Base {
    fn find(&self, s: &[u8], k: Key) -> Option<Qstr> {
        let mask = self.slots.len() - 1;
        let mut i = key_hash(k) & mask;
        loop {
            let sl = self.slots.get(i)?;
            if slot_item(sl) == 0 {
                return None;
            }
            let n = slot_item(sl) as usize;
            if holds(slot_key(sl), || POOL.get(n).copied(), k, s) {
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
            slots: vec![EMPTY; (POOL_LEN * 4).next_power_of_two()],
        };
        let mask = b.slots.len() - 1;
        for (n, s) in POOL.iter().enumerate().skip(1) {
            let k = key(s);
            if b.find(s, k).is_some() {
                continue;
            }
            let mut i = key_hash(k) & mask;
            while b.slots.get(i).is_some_and(|s| slot_item(s) != 0) {
                i = (i + 1) & mask;
            }
            if let Some(free) = b.slots.get_mut(i) {
                *free = slot(k, n as u32);
            }
        }
        b
    })
}

/// Look up a string in the built-in pool only (no new strings).
pub fn builtin(s: &[u8]) -> Option<Qstr> {
    base().find(s, key(s))
}

/// The set of interned strings of one compilation, seeded with the reference's pool.
///
/// Its table finds both the strings added after the built-ins and the built-ins this pool
/// has already been asked for, so a repeated name takes one probe whatever its kind.
#[derive(Clone, Debug, Default)]
pub struct QstrPool {
    /// The strings added after the built-ins, back to back.
    bytes: Vec<u8>,
    /// Where each added string ends in `bytes`; added string `k` is number `POOL_LEN + k`
    /// (wrapping at 16 bits, see [`QstrPool::intern`]).
    ends: Vec<usize>,
    /// Finds added strings and looked-up built-ins (see [`BUILTIN`]); empty until the first
    /// entry.
    slots: Vec<Slot>,
    /// Occupied slots.
    used: usize,
}

/// Slots a pool's table starts with (16 KiB, enough for most modules without regrowing); it is
/// kept at most half full.
const FIRST_SLOTS: usize = 1024;

impl QstrPool {
    /// A pool holding exactly the reference's built-in qstrs.
    pub fn new() -> Self {
        QstrPool::default()
    }

    /// Added string `k`.
    #[inline(always)]
    fn added(&self, k: usize) -> &[u8] {
        let start = match k.checked_sub(1) {
            Some(j) => self.ends.get(j).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(k).copied().unwrap_or(start);
        self.bytes.get(start..end).unwrap_or(b"")
    }

    /// The number an added string gets (16-bit, as the reference's bytecode holds it).
    #[inline(always)]
    fn number(k: usize) -> Qstr {
        Qstr((POOL_LEN + k) as u16)
    }

    /// The qstr of a table item.
    #[inline(always)]
    fn qstr_of(item: u32) -> Qstr {
        if item & BUILTIN != 0 {
            Qstr(item as u16)
        } else {
            Self::number(item as usize - 1)
        }
    }

    /// The table entry equal to `s` (key `k`), or the empty slot where it would go.
    #[inline(always)]
    fn probe(&self, s: &[u8], k: Key) -> Result<Qstr, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = key_hash(k) & mask;
        loop {
            let Some(sl) = self.slots.get(i) else {
                // No table yet.
                return Err(usize::MAX);
            };
            let item = slot_item(sl);
            if item == 0 {
                return Err(i);
            }
            if slot_key(sl) == k && (s.len() <= 16 || self.long_match(item, s)) {
                return Ok(Self::qstr_of(item));
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether item `item` is `s`, a string of more than sixteen bytes whose key it shares.
    #[inline(never)]
    fn long_match(&self, item: u32, s: &[u8]) -> bool {
        let bytes = if item & BUILTIN != 0 {
            POOL.get((item & !BUILTIN) as usize).copied().unwrap_or(b"")
        } else {
            self.added(item as usize - 1)
        };
        bytes.len() == s.len() && same_long(bytes, s)
    }

    /// Puts `entry` into the first empty slot of its chain.
    fn place(slots: &mut [Slot], entry: Slot) {
        let mask = slots.len() - 1;
        let mut i = key_hash(slot_key(&entry)) & mask;
        while slots.get(i).is_some_and(|s| slot_item(s) != 0) {
            i = (i + 1) & mask;
        }
        if let Some(s) = slots.get_mut(i) {
            *s = entry;
        }
    }

    /// Doubles the table (or makes the first one).
    #[cold]
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(FIRST_SLOTS);
        let mut grown = vec![EMPTY; n];
        for &old in self.slots.iter().filter(|s| slot_item(s) != 0) {
            Self::place(&mut grown, old);
        }
        self.slots = grown;
    }

    /// Records `item` (key `k`), whose empty slot the last probe found at `at`.
    fn insert(&mut self, at: usize, k: Key, item: u32) {
        self.used += 1;
        let entry = slot(k, item);
        if self.used * 2 > self.slots.len() {
            self.grow();
            Self::place(&mut self.slots, entry);
        } else if let Some(s) = self.slots.get_mut(at) {
            *s = entry;
        }
    }

    /// The qstr for `s`, interning it with the next number if it is new.
    ///
    /// Panics never; past 65,535 strings the numbering wraps as 16-bit values would, which the
    /// caller must treat as an error (see [`QstrPool::is_full`]).
    ///
    /// Kept out of line: inlined into the parser's loop it costs the loop more than the call.
    #[inline(never)]
    pub fn intern(&mut self, s: &[u8]) -> Qstr {
        let k = key(s);
        // The common case in line: a string of up to sixteen bytes found in its first slot.
        if s.len() <= 16 {
            let mask = self.slots.len().wrapping_sub(1);
            if let Some(sl) = self.slots.get(key_hash(k) & mask) {
                if slot_key(sl) == k && slot_item(sl) != 0 {
                    return Self::qstr_of(slot_item(sl));
                }
            }
        }
        self.intern_probe(s, k)
    }

    /// [`QstrPool::intern`] past its first look.
    #[inline(never)]
    fn intern_probe(&mut self, s: &[u8], k: Key) -> Qstr {
        match self.probe(s, k) {
            Ok(q) => q,
            Err(at) => self.intern_new(s, k, at),
        }
    }

    /// [`QstrPool::intern`] for a string this pool's table does not hold yet: a built-in
    /// asked for the first time, or a new string.
    #[inline(never)]
    fn intern_new(&mut self, s: &[u8], k: Key, at: usize) -> Qstr {
        if let Some(q) = base().find(s, k) {
            // Noted, so the next lookup of this built-in takes one probe.
            self.insert(at, k, u32::from(q.0) | BUILTIN);
            return q;
        }
        let n = self.ends.len();
        if n == 0 {
            self.bytes.reserve(1024);
            self.ends.reserve(128);
        }
        self.bytes.extend_from_slice(s);
        self.ends.push(self.bytes.len());
        // An item number reaching the BUILTIN bit cannot occur before memory runs out (each
        // string takes at least one `usize` here).
        self.insert(at, k, (n + 1) as u32);
        Self::number(n)
    }

    /// The qstr for `s` if it is already interned (`qstr_find_strn`).
    pub fn find(&self, s: &[u8]) -> Option<Qstr> {
        let k = key(s);
        self.probe(s, k).ok().or_else(|| base().find(s, k))
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

#[cfg(test)]
mod key_tests {
    use super::*;

    /// Strings that share first words, lengths or zero bytes stay apart: each new one gets the
    /// next number, each repeat its old one, built-ins their own, whichever probe finds them.
    #[test]
    fn near_identical_strings_stay_distinct() {
        let long = b"abcdefghijklmnopqrstuvwxyz0123456789ABCD";
        let mut cases: Vec<Vec<u8>> = vec![b"\0".to_vec(), b"\0\0".to_vec(), b"a\0".to_vec()];
        for n in 1..=long.len() {
            cases.push(long[..n].to_vec());
        }
        for n in 9..=24 {
            let mut v = long[..n].to_vec();
            v[n / 2] ^= 0x20;
            cases.push(v);
            let mut v = long[..n].to_vec();
            v[n - 1] = 0;
            cases.push(v);
        }
        let mut pool = QstrPool::new();
        assert_eq!(pool.intern(b""), Qstr::EMPTY);
        let mut numbers = Vec::new();
        for (i, c) in cases.iter().enumerate() {
            let q = pool.intern(c);
            assert_eq!(q, Qstr((POOL_LEN + i) as u16), "{c:?}");
            numbers.push(q);
            // Built-ins of every length class in between, twice.
            for b in [
                &b"id"[..],
                b"self",
                b"__name__",
                b"__qualname__",
                b"NotImplementedError",
            ] {
                assert_eq!(pool.intern(b), builtin(b).unwrap_or(Qstr::NULL));
                assert_eq!(pool.find(b), builtin(b));
            }
        }
        for (c, &q) in cases.iter().zip(&numbers) {
            assert_eq!(pool.intern(c), q);
            assert_eq!(pool.find(c), Some(q));
            assert_eq!(pool.get(q), c.as_slice());
        }
        assert_eq!(pool.len(), POOL_LEN + cases.len());
        assert_eq!(builtin(b"NotImplementedError"), Some(Qstr(47)));
        assert_eq!(
            pool.find(b"abcdefghijklmnopqrstuvwxyz0123456789ABCDE"),
            None
        );
    }
}
