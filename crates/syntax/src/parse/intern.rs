//! A per-parse cache in front of the qstr pool: names and short strings repeat a lot in a
//! file, so each distinct one is looked up in the pool once and later found here with a cheap
//! hash. The pool's static qstrs (`self`, `__init__`, `len`, ...) are answered from a shared
//! table built once, without asking the pool at all. Interning order is unchanged: only a
//! string the pool may not hold yet goes to the pool, in token order.

use std::sync::OnceLock;

use mpcore::qstr::LAST_STATIC;
use mpcore::{Qstr, QstrPool};

/// One slot of an open-addressing table; `qstr == 0` marks an empty slot (qstr 0 is the null
/// qstr, which the pool never hands out for any string).
#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u32,
    /// Where the key's bytes start in [`Table::keys`].
    off: u32,
    len: u32,
    qstr: u16,
}

/// Byte strings to qstrs, with the keys' bytes kept together in one buffer.
#[derive(Clone)]
struct Table {
    slots: Vec<Slot>,
    keys: Vec<u8>,
    len: usize,
}

/// Eight bytes of `b` from `i` (the caller checks `i + 8 <= b.len()`).
#[inline(always)]
fn word8(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Four bytes of `b` from `i` (the caller checks `i + 4 <= b.len()`).
#[inline(always)]
fn word4(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[i..i + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// `a == b` for slices of equal length, with word loads for the short keys names are.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        false
    } else if (8..=16).contains(&n) {
        word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8)
    } else if (4..8).contains(&n) {
        word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4)
    } else {
        a == b
    }
}

/// A cheap hash for table placement (equal keys are still compared byte for byte): whole
/// words, the last one overlapping the one before, so short names cost one or two loads.
#[inline(always)]
fn hash(b: &[u8]) -> u32 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let n = b.len();
    let mut h = n as u64;
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            h = mix(h, word8(b, i));
            i += 8;
        }
        h = mix(h, word8(b, n - 8));
    } else if n >= 4 {
        h = mix(h, word4(b, 0) | (word4(b, n - 4) << 32));
    } else if n > 0 {
        h = mix(
            h,
            u64::from(b[0]) | (u64::from(b[n / 2]) << 8) | (u64::from(b[n - 1]) << 16),
        );
    }
    (h >> 32) as u32 ^ h as u32
}

impl Table {
    fn with_slots(n: usize) -> Self {
        Table {
            slots: vec![Slot::default(); n],
            keys: Vec::with_capacity(n * 4),
            len: 0,
        }
    }

    /// The qstr stored for `bytes`, or the empty slot where it would go.
    #[inline(always)]
    fn lookup(&self, bytes: &[u8], h: u32) -> Result<Qstr, usize> {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let s = self.slots[i];
            if s.qstr == 0 {
                return Err(i);
            }
            if s.hash == h
                && s.len as usize == bytes.len()
                && self
                    .keys
                    .get(s.off as usize..(s.off + s.len) as usize)
                    .is_some_and(|k| same(k, bytes))
            {
                return Ok(Qstr(s.qstr));
            }
            i = (i + 1) & mask;
        }
    }

    fn insert_at(&mut self, slot: usize, bytes: &[u8], h: u32, q: Qstr) {
        self.slots[slot] = Slot {
            hash: h,
            off: self.keys.len() as u32,
            len: bytes.len() as u32,
            qstr: q.0,
        };
        self.keys.extend_from_slice(bytes);
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            let doubled = vec![Slot::default(); self.slots.len() * 2];
            let old = std::mem::replace(&mut self.slots, doubled);
            let mask = self.slots.len() - 1;
            for s in old.into_iter().filter(|s| s.qstr != 0) {
                let mut i = s.hash as usize & mask;
                while self.slots[i].qstr != 0 {
                    i = (i + 1) & mask;
                }
                self.slots[i] = s;
            }
        }
    }
}

/// The static qstrs as a fresh pool finds them (the first of equal strings wins, as there).
fn statics() -> &'static Table {
    static STATICS: OnceLock<Table> = OnceLock::new();
    STATICS.get_or_init(|| {
        let pool = QstrPool::new();
        let mut t = Table::with_slots(2048);
        for n in 1..=LAST_STATIC {
            let bytes = pool.get(Qstr(n));
            let Some(q) = pool.find(bytes) else { continue };
            if q.0 == 0 || !q.is_static() {
                continue;
            }
            let h = hash(bytes);
            if let Err(slot) = t.lookup(bytes, h) {
                t.insert_at(slot, bytes, h, q);
            }
        }
        t
    })
}

/// Open-addressing table of qstrs already interned during this parse.
pub struct InternCache {
    local: Table,
    statics: &'static Table,
}

impl Default for InternCache {
    fn default() -> Self {
        InternCache {
            local: Table::with_slots(256),
            statics: statics(),
        }
    }
}

impl InternCache {
    /// `pool.intern(bytes)`, answered from the cache when possible.
    #[inline(always)]
    pub fn intern(&mut self, pool: &mut QstrPool, bytes: &[u8]) -> Qstr {
        let h = hash(bytes);
        match self.local.lookup(bytes, h) {
            Ok(q) => q,
            Err(slot) => self.intern_new(pool, bytes, h, slot),
        }
    }

    /// The first time this parse meets `bytes`: a static qstr, or the pool's answer.
    #[inline(never)]
    fn intern_new(&mut self, pool: &mut QstrPool, bytes: &[u8], h: u32, slot: usize) -> Qstr {
        let q = match self.statics.lookup(bytes, h) {
            Ok(q) => q,
            Err(_) => pool.intern(bytes),
        };
        self.local.insert_at(slot, bytes, h, q);
        q
    }

    /// `pool.find(bytes)`, answered from the cache when possible.
    #[inline]
    pub fn find(&self, pool: &QstrPool, bytes: &[u8]) -> Option<Qstr> {
        let h = hash(bytes);
        match self.local.lookup(bytes, h) {
            Ok(q) => Some(q),
            Err(_) => match self.statics.lookup(bytes, h) {
                Ok(q) => Some(q),
                Err(_) => pool.find(bytes),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_agrees_with_the_pool() {
        let mut pool = QstrPool::new();
        let mut cache = InternCache::default();
        let mut names: Vec<Vec<u8>> = (0..2000).map(|i| format!("name{i}").into_bytes()).collect();
        names.push(b"__name__".to_vec());
        names.push(b"self".to_vec());
        names.push(Vec::new());
        for n in &names {
            let q = cache.intern(&mut pool, n);
            assert_eq!(Some(q), pool.find(n));
            assert_eq!(cache.intern(&mut pool, n), q);
        }
        assert_eq!(cache.find(&pool, b"name7"), pool.find(b"name7"));
        assert_eq!(cache.find(&pool, b"absent"), None);
    }

    #[test]
    fn every_static_qstr_is_answered_as_the_pool_answers() {
        let mut pool = QstrPool::new();
        let fresh = QstrPool::new();
        let mut cache = InternCache::default();
        for n in 1..=LAST_STATIC {
            let bytes = fresh.get(Qstr(n));
            assert_eq!(cache.find(&pool, bytes), fresh.find(bytes));
            assert_eq!(Some(cache.intern(&mut pool, bytes)), fresh.find(bytes));
        }
        // Nothing new went into the pool.
        assert_eq!(pool.len(), fresh.len());
    }
}
