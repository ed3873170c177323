//! The 32-entry qstr window of `.mpy` v4: a move-to-front list of recently saved qstrs.
//!
//! Position 0 is the most recent qstr. Saving a qstr already in the window writes its
//! position and moves it to the front; a new qstr is written in full and pushed to the
//! front, dropping the oldest entry. Static qstrs never enter the window.

use crate::QSTR_WINDOW_SIZE;
use mpcore::Qstr;

/// The reader's window, most recent first, as qstr numbers; 0 marks entries not yet filled
/// (qstr 0 is static, so it never enters the window).
#[derive(Clone, Debug)]
pub struct Window {
    slots: [u16; QSTR_WINDOW_SIZE],
}

impl Window {
    pub fn new() -> Window {
        Window {
            slots: [0; QSTR_WINDOW_SIZE],
        }
    }

    fn move_to_front(&mut self, pos: usize) {
        self.slots[..=pos].rotate_right(1);
    }

    /// The position of qstr number `n` (never 0), by a branch-free scan of all 32 slots.
    fn position(&self, n: u16) -> Option<usize> {
        let mut hits = 0u32;
        for (i, &s) in self.slots.iter().enumerate() {
            hits |= u32::from(s == n) << i;
        }
        (hits != 0).then(|| hits.trailing_zeros() as usize)
    }

    /// Reader side: pushes a qstr that was read in full.
    pub fn push(&mut self, q: Qstr) {
        self.slots.rotate_right(1);
        self.slots[0] = q.0;
    }

    /// Reader side: the qstr at `pos`, moved to the front; `None` if out of range or empty.
    pub fn access(&mut self, pos: u64) -> Option<Qstr> {
        let pos = usize::try_from(pos)
            .ok()
            .filter(|&p| p < QSTR_WINDOW_SIZE)?;
        let q = self.slots[pos];
        if q == 0 {
            return None;
        }
        self.move_to_front(pos);
        Some(Qstr(q))
    }

    /// True if `q` is in the window.
    pub fn contains(&self, q: Qstr) -> bool {
        q.0 != 0 && self.position(q.0).is_some()
    }
}

/// The writer's window: the same move-to-front list, plus a flag per qstr number of the pool
/// saying whether it is in the list, so a qstr not in the window is pushed without a search.
#[derive(Clone, Debug)]
pub struct SaveWindow {
    slots: [u16; QSTR_WINDOW_SIZE],
    /// `present[n]` is true while qstr number `n` is in `slots`; numbers beyond it (only in
    /// malformed raw code) are looked up in `slots`.
    present: Vec<bool>,
}

impl SaveWindow {
    /// A window for qstr numbers below `n_qstrs` (others are handled, more slowly).
    pub fn new(n_qstrs: usize) -> SaveWindow {
        SaveWindow {
            slots: [0; QSTR_WINDOW_SIZE],
            present: vec![false; n_qstrs],
        }
    }

    /// Saves qstr number `n` (never 0): its position if it was in the window (it moves to
    /// the front), else `None` (it is pushed to the front, dropping the oldest entry).
    #[inline]
    pub fn save(&mut self, n: u16) -> Option<usize> {
        let present = match self.present.get(usize::from(n)) {
            Some(&p) => p,
            None => self.slots.contains(&n),
        };
        if present {
            // One pass: shift each entry down until `n` is met, then put `n` in front.
            let mut carry = n;
            for (i, slot) in self.slots.iter_mut().enumerate() {
                let here = std::mem::replace(slot, carry);
                if here == n {
                    return Some(i);
                }
                carry = here;
            }
            // Not reached: `present` mirrors `slots`.
        }
        let oldest = self.slots[QSTR_WINDOW_SIZE - 1];
        if let Some(p) = self.present.get_mut(usize::from(oldest)) {
            *p = false;
        }
        self.slots.copy_within(..QSTR_WINDOW_SIZE - 1, 1);
        self.slots[0] = n;
        if let Some(p) = self.present.get_mut(usize::from(n)) {
            *p = true;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_move_to_front_like_the_reference() {
        // a.mpy of `x = 1 / def f(a, b=2, *, c)`: x, f, a.py pushed; then `f` is at 1 and,
        // once pulled, `a.py` is at 1.
        let mut w = SaveWindow::new(2000);
        assert_eq!(w.save(400), None);
        assert_eq!(w.save(401), None);
        assert_eq!(w.save(402), None);
        assert_eq!(w.save(401), Some(1));
        assert_eq!(w.save(402), Some(1));
        assert_eq!(w.save(400), Some(2));
        let mut r = Window::new();
        r.push(Qstr(400));
        r.push(Qstr(401));
        r.push(Qstr(402));
        assert_eq!(r.access(1), Some(Qstr(401)));
        assert_eq!(r.access(1), Some(Qstr(402)));
        assert_eq!(r.access(3), None);
        assert_eq!(r.access(u64::MAX), None);
    }

    #[test]
    fn oldest_entry_falls_out() {
        let mut w = SaveWindow::new(2000);
        let mut r = Window::new();
        for i in 0..33u16 {
            assert_eq!(w.save(1000 + i), None);
            r.push(Qstr(1000 + i));
        }
        assert!(!r.contains(Qstr(1000)));
        assert_eq!(w.save(1000), None);
        assert_eq!(w.save(1002), Some(31));
        assert_eq!(w.save(u16::MAX), None);
        assert_eq!(w.save(1032), Some(3));
    }

    #[test]
    fn save_window_matches_a_plain_move_to_front_list() {
        // A pseudo-random stream over 80 qstr numbers (20 beyond the flags) checked
        // against a naive list.
        let mut w = SaveWindow::new(4000);
        let mut list: Vec<u16> = Vec::new();
        let mut x = 0x2545_f491_u32;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let n = [166, 300, 4000, 65_500][(x % 4) as usize] + (x >> 8) as u16 % 20;
            let expected = list.iter().position(|&s| s == n);
            if let Some(p) = expected {
                list.remove(p);
            }
            list.insert(0, n);
            list.truncate(QSTR_WINDOW_SIZE);
            assert_eq!(w.save(n), expected);
        }
    }
}
