//! A per-parse cache in front of the qstr pool: names and short strings repeat a lot in a
//! file, so each distinct one is looked up in the pool once and later found here with a cheap
//! hash. Interning order is unchanged: a miss goes to the pool, in token order.

use mpcore::{Qstr, QstrPool};

/// Open-addressing table of qstrs already interned during this parse.
pub struct InternCache {
    slots: Vec<Option<(u32, Qstr)>>,
    len: usize,
}

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

impl Default for InternCache {
    fn default() -> Self {
        InternCache {
            slots: vec![None; 256],
            len: 0,
        }
    }
}

impl InternCache {
    /// The qstr of `bytes` if this parse has interned it already.
    #[inline]
    fn lookup(&self, pool: &QstrPool, bytes: &[u8], h: u32) -> Result<Qstr, usize> {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            match self.slots[i] {
                None => return Err(i),
                Some((sh, q)) if sh == h && pool.get(q) == bytes => return Ok(q),
                Some(_) => i = (i + 1) & mask,
            }
        }
    }

    fn insert_at(&mut self, slot: usize, h: u32, q: Qstr) {
        self.slots[slot] = Some((h, q));
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            let doubled = vec![None; self.slots.len() * 2];
            let old = std::mem::replace(&mut self.slots, doubled);
            let mask = self.slots.len() - 1;
            for (sh, q) in old.into_iter().flatten() {
                let mut i = sh as usize & mask;
                while self.slots[i].is_some() {
                    i = (i + 1) & mask;
                }
                self.slots[i] = Some((sh, q));
            }
        }
    }

    /// `pool.intern(bytes)`, answered from the cache when possible.
    #[inline]
    pub fn intern(&mut self, pool: &mut QstrPool, bytes: &[u8]) -> Qstr {
        let h = hash(bytes);
        match self.lookup(pool, bytes, h) {
            Ok(q) => q,
            Err(slot) => {
                let q = pool.intern(bytes);
                self.insert_at(slot, h, q);
                q
            }
        }
    }

    /// `pool.find(bytes)`, answered from the cache when possible.
    #[inline]
    pub fn find(&self, pool: &QstrPool, bytes: &[u8]) -> Option<Qstr> {
        match self.lookup(pool, bytes, hash(bytes)) {
            Ok(q) => Some(q),
            Err(_) => pool.find(bytes),
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
        for n in &names {
            let q = cache.intern(&mut pool, n);
            assert_eq!(Some(q), pool.find(n));
            assert_eq!(cache.intern(&mut pool, n), q);
        }
        assert_eq!(cache.find(&pool, b"name7"), pool.find(b"name7"));
        assert_eq!(cache.find(&pool, b"absent"), None);
    }
}
