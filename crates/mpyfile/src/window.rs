//! The 32-entry qstr window of `.mpy` v4: a move-to-front list of recently saved qstrs.
//!
//! Position 0 is the most recent qstr. Saving a qstr already in the window writes its
//! position and moves it to the front; a new qstr is written in full and pushed to the
//! front, dropping the oldest entry. Static qstrs never enter the window.

use crate::QSTR_WINDOW_SIZE;
use mpcore::Qstr;

/// The window, most recent first, as qstr numbers; 0 marks entries not yet filled (qstr 0 is
/// static, so it never enters the window).
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

    /// Writer side: the position of `q` if present (moving it to the front), else pushes it.
    pub fn insert(&mut self, q: Qstr) -> Option<usize> {
        match self.position(q.0).filter(|_| q.0 != 0) {
            Some(pos) => {
                self.move_to_front(pos);
                Some(pos)
            }
            None => {
                self.push(q);
                None
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_move_to_front_like_the_reference() {
        // a.mpy of `x = 1 / def f(a, b=2, *, c)`: x, f, a.py pushed; then `f` is at 1 and,
        // once pulled, `a.py` is at 1.
        let mut w = Window::new();
        assert_eq!(w.insert(Qstr(400)), None);
        assert_eq!(w.insert(Qstr(401)), None);
        assert_eq!(w.insert(Qstr(402)), None);
        assert_eq!(w.insert(Qstr(401)), Some(1));
        assert_eq!(w.insert(Qstr(402)), Some(1));
        assert_eq!(w.insert(Qstr(400)), Some(2));
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
        let mut w = Window::new();
        for i in 0..33u16 {
            assert_eq!(w.insert(Qstr(1000 + i)), None);
        }
        assert!(!w.contains(Qstr(1000)));
        assert_eq!(w.insert(Qstr(1001)), Some(31));
    }
}
