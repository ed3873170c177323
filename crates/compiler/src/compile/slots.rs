//! Tables indexed by small numbers (qstr numbers, struct-node ids) that are cleared in O(1):
//! each entry carries the stamp current when it was written, and clearing takes a new stamp.
//! A [`CompileContext`](crate::CompileContext) keeps its tables between compilations, so that
//! most compilations neither allocate nor zero one.

/// Largest table kept for reuse (2 MiB).
const SPARE_SLOTS_MAX: usize = 1 << 18;

/// A stamped table of `u32` values.
pub(super) struct Slots {
    /// `stamp << 32 | value` per index; stamp 0 is never current.
    slots: Vec<u64>,
    stamp: u32,
}

impl Slots {
    /// An empty table with room for the indices below `n` (more are added as met): the spare
    /// one from `spare` if there is one.
    pub(super) fn take(spare: &mut Option<Slots>, n: usize) -> Slots {
        let mut t = spare.take().unwrap_or(Slots {
            slots: Vec::new(),
            stamp: 0,
        });
        if t.slots.len() < n {
            t.slots.resize(n, 0);
        }
        t.clear();
        t
    }

    /// Keeps the table in `spare` for the next compilation (unless a huge input made it too
    /// large to be worth holding on to).
    pub(super) fn give_back(self, spare: &mut Option<Slots>) {
        if self.slots.len() <= SPARE_SLOTS_MAX {
            *spare = Some(self);
        }
    }

    /// Forgets every entry.
    pub(super) fn clear(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            // The stamps wrapped (after 2^32 clears): forget everything for real.
            self.slots.fill(0);
            self.stamp = 1;
        }
    }

    /// The value at `k`, if one was set since the last clear.
    #[inline]
    pub(super) fn get(&self, k: usize) -> Option<u32> {
        match self.slots.get(k) {
            Some(&e) if (e >> 32) as u32 == self.stamp => Some(e as u32),
            _ => None,
        }
    }

    /// Sets the value at `k`.
    #[inline]
    pub(super) fn set(&mut self, k: usize, value: u32) {
        if k >= self.slots.len() {
            self.slots.resize(k + 1, 0);
        }
        if let Some(e) = self.slots.get_mut(k) {
            *e = u64::from(self.stamp) << 32 | u64::from(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearing_forgets_and_spares_start_empty() {
        let mut spare = None;
        let mut t = Slots::take(&mut spare, 4);
        assert_eq!(t.get(2), None);
        t.set(2, 7);
        t.set(100, 9);
        assert_eq!((t.get(2), t.get(100), t.get(3)), (Some(7), Some(9), None));
        t.clear();
        assert_eq!((t.get(2), t.get(100)), (None, None));
        t.set(2, 8);
        t.give_back(&mut spare);
        assert!(spare.is_some(), "a small table is kept");
        let t = Slots::take(&mut spare, 4);
        assert_eq!(t.get(2), None);
        // Wrapping stamps really clear.
        let mut t = t;
        t.set(1, 5);
        t.stamp = u32::MAX;
        t.set(1, 6);
        t.clear();
        assert_eq!(t.get(1), None);
    }
}
