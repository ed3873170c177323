//! The module-wide tables of a `.mpy` v6 compilation: qstrs and constant objects, each
//! numbered in the order first used (`mp_emit_common_use_qstr`, `mp_emit_common_use_const_obj`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use mpcore::{Qstr, QstrPool};
use num_bigint::BigInt;
use rawcode::Const;

/// A constant object of the module's object table, as MicroPython 1.29 saves it.
#[derive(Clone, Debug, PartialEq)]
pub enum Obj {
    None,
    False,
    True,
    Ellipsis,
    Str(Vec<u8>),
    Bytes(Vec<u8>),
    Int(BigInt),
    Float(f64),
    Complex {
        real: f64,
        imag: f64,
    },
    /// A tuple of constants folded by the parser (`MICROPY_COMP_CONST_TUPLE`).
    Tuple(Vec<Obj>),
}

impl Obj {
    /// The object for a const-table constant of the shared compile walk.
    pub fn from_const(c: Const) -> Obj {
        match c {
            Const::Str(s) => Obj::Str(s),
            Const::Bytes(b) => Obj::Bytes(b),
            Const::Int(i) => Obj::Int(i),
            Const::Float(f) => Obj::Float(f),
            Const::Complex { real, imag } => Obj::Complex { real, imag },
            Const::Ellipsis => Obj::Ellipsis,
        }
    }

    /// Equality of value and type, with `0.0` and `-0.0` told apart (the reference's
    /// `strictly_equal`: `(True,)` is not `(1,)`); a NaN equals a NaN of the same bits only.
    /// Strictly equal objects have the same [`Obj::strict_hash`].
    pub fn strictly_equal(&self, other: &Obj) -> bool {
        match (self, other) {
            (Obj::None, Obj::None)
            | (Obj::False, Obj::False)
            | (Obj::True, Obj::True)
            | (Obj::Ellipsis, Obj::Ellipsis) => true,
            (Obj::Str(a), Obj::Str(b)) | (Obj::Bytes(a), Obj::Bytes(b)) => a == b,
            (Obj::Int(a), Obj::Int(b)) => a == b,
            // A NaN is the same object in every pass (and `math.nan` one object everywhere),
            // so the reference shares it by identity: NaNs with the same bits are one entry.
            (Obj::Float(a), Obj::Float(b)) => a.to_bits() == b.to_bits() || (a == b && *a != 0.0),
            (Obj::Complex { real, imag }, Obj::Complex { real: r2, imag: i2 }) => {
                real == r2 && imag == i2
            }
            (Obj::Tuple(a), Obj::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.strictly_equal(y))
            }
            _ => false,
        }
    }
}

impl Obj {
    /// A hash that strictly equal objects share, or `None` for an object equal to nothing (a
    /// complex holding a NaN, or a tuple with one).
    fn strict_hash(&self) -> Option<u64> {
        let mut h = ObjHasher(0);
        self.hash_into(&mut h).then_some(h.0)
    }

    fn hash_into(&self, h: &mut ObjHasher) -> bool {
        match self {
            Obj::None => h.word(0),
            Obj::False => h.word(1),
            Obj::True => h.word(2),
            Obj::Ellipsis => h.word(3),
            Obj::Str(s) => {
                h.word(4);
                h.bytes(s);
            }
            Obj::Bytes(b) => {
                h.word(5);
                h.bytes(b);
            }
            Obj::Int(i) => {
                h.word(6);
                h.word(i.sign() as u64);
                for d in i.magnitude().iter_u64_digits() {
                    h.word(d);
                }
            }
            Obj::Float(f) => {
                // Strictly equal floats have the same bits (0.0 and -0.0 are told apart).
                h.word(7);
                h.word(f.to_bits());
            }
            Obj::Complex { real, imag } => {
                if real.is_nan() || imag.is_nan() {
                    return false;
                }
                // Complex equality does not tell 0.0 from -0.0.
                h.word(8);
                h.word((real + 0.0).to_bits());
                h.word((imag + 0.0).to_bits());
            }
            Obj::Tuple(items) => {
                h.word(9);
                h.word(items.len() as u64);
                for i in items {
                    if !i.hash_into(h) {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// A fast non-cryptographic hash for the object table (a multiply and a rotate per word).
/// Collisions only cost a comparison: [`ModuleTables::use_obj`] checks strict equality along
/// the entries that share a hash (the reference compares against every entry).
struct ObjHasher(u64);

impl ObjHasher {
    #[inline]
    fn word(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.word(b.len() as u64);
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(w));
        }
    }
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct PassHasher(u64);

impl Hasher for PassHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// No entry (the end of a chain, a qstr not in the table).
const NONE: u32 = u32::MAX;

/// The qstr table and the object table of one module (`mp_emit_common_t`).
#[derive(Clone, Debug, Default)]
pub struct ModuleTables {
    /// Table index of each qstr by qstr number ([`NONE`] when not in the table).
    index: Vec<u32>,
    /// The last object entered with each [`Obj::strict_hash`]; `obj_chain` leads from it to the
    /// earlier ones with the same hash.
    obj_index: HashMap<u64, u32, BuildHasherDefault<PassHasher>>,
    /// For each object, the previous object with the same hash ([`NONE`] if none).
    obj_chain: Vec<u32>,
    /// Qstrs in table order; the source file is entry 0.
    pub qstrs: Vec<Qstr>,
    /// Constant objects in table order.
    pub objs: Vec<Obj>,
}

impl ModuleTables {
    /// Tables whose qstr table starts with the source file, as the reference's do.
    pub fn new(source_file: Qstr) -> ModuleTables {
        let mut t = ModuleTables::default();
        t.use_qstr(source_file);
        t
    }

    /// Empties the tables for another module, keeping their room: the qstr table starts with
    /// `source_file` again, as [`ModuleTables::new`]'s does.
    pub fn reset(&mut self, source_file: Qstr) {
        for q in self.qstrs.drain(..) {
            self.index[usize::from(q.0)] = NONE;
        }
        self.obj_index.clear();
        self.obj_chain.clear();
        self.objs.clear();
        self.use_qstr(source_file);
    }

    /// The table index of `q`, adding it at the end if it is new.
    #[inline]
    pub fn use_qstr(&mut self, q: Qstr) -> u32 {
        let n = usize::from(q.0);
        if let Some(&i) = self.index.get(n) {
            if i != NONE {
                return i;
            }
        }
        self.add_qstr(q)
    }

    #[inline(never)]
    fn add_qstr(&mut self, q: Qstr) -> u32 {
        let n = usize::from(q.0);
        if self.index.len() <= n {
            // Qstr numbers are dense: grow to the next few hundred at once.
            self.index
                .resize((n + 256).min(usize::from(u16::MAX) + 1), NONE);
        }
        let i = self.qstrs.len() as u32;
        self.index[n] = i;
        self.qstrs.push(q);
        i
    }

    /// The table index of an object strictly equal to `obj`, adding `obj` if there is none.
    pub fn use_obj(&mut self, obj: Obj) -> u32 {
        let next = self.objs.len() as u32;
        let Some(h) = obj.strict_hash() else {
            // Equal to nothing: always a new entry.
            self.objs.push(obj);
            self.obj_chain.push(NONE);
            return next;
        };
        let head = self.obj_index.get(&h).copied().unwrap_or(NONE);
        let mut j = head;
        while j != NONE {
            if self.objs[j as usize].strictly_equal(&obj) {
                return j;
            }
            j = self.obj_chain[j as usize];
        }
        self.obj_index.insert(h, next);
        self.objs.push(obj);
        self.obj_chain.push(head);
        next
    }

    /// The text of each qstr of the table, in order.
    pub fn qstr_texts<'p>(&self, pool: &'p QstrPool) -> Vec<&'p [u8]> {
        self.qstrs.iter().map(|&q| pool.get(q)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictly_equal_objects_share_one_entry() {
        let objs = [
            Obj::Int(1.into()),
            Obj::True,
            Obj::Float(0.0),
            Obj::Float(-0.0),
            Obj::Float(f64::NAN),
            Obj::Complex {
                real: 0.0,
                imag: 1.0,
            },
            Obj::Complex {
                real: -0.0,
                imag: 1.0,
            },
            Obj::Str(b"a".to_vec()),
            Obj::Bytes(b"a".to_vec()),
            Obj::Tuple(vec![Obj::Int(1.into())]),
            Obj::Tuple(vec![Obj::True]),
            Obj::Tuple(vec![Obj::Float(f64::NAN)]),
        ];
        for a in &objs {
            for b in &objs {
                if a.strictly_equal(b) {
                    assert_eq!(a.strict_hash(), b.strict_hash(), "{a:?} vs {b:?}");
                }
            }
        }
        // The table gives what the reference's linear search for the first strictly equal
        // entry gives, object after object (each list twice over).
        let mut t = ModuleTables::default();
        let mut model: Vec<Obj> = Vec::new();
        for o in objs.iter().chain(objs.iter()) {
            let expected = match model.iter().position(|m| m.strictly_equal(o)) {
                Some(i) => i as u32,
                None => {
                    model.push(o.clone());
                    model.len() as u32 - 1
                }
            };
            assert_eq!(t.use_obj(o.clone()), expected, "{o:?}");
        }
        let nan_complex = Obj::Complex {
            real: f64::NAN,
            imag: 0.0,
        };
        let a = t.use_obj(nan_complex.clone());
        let b = t.use_obj(nan_complex);
        assert_ne!(a, b);
    }

    #[test]
    fn reset_tables_number_as_new_ones() {
        let mut t = ModuleTables::new(Qstr(300));
        for q in [Qstr(7), Qstr(1000), Qstr(300), Qstr(40000)] {
            t.use_qstr(q);
        }
        t.use_obj(Obj::Int(5.into()));
        t.reset(Qstr(1000));
        let mut fresh = ModuleTables::new(Qstr(1000));
        for q in [Qstr(40000), Qstr(7), Qstr(300), Qstr(1000)] {
            assert_eq!(t.use_qstr(q), fresh.use_qstr(q), "{q:?}");
        }
        assert_eq!(t.qstrs, fresh.qstrs);
        assert_eq!(t.use_obj(Obj::Int(6.into())), 0);
        assert_eq!(t.use_obj(Obj::Int(5.into())), 1);
    }
}
