//! The module-wide tables of a `.mpy` v6 compilation: qstrs and constant objects, each
//! numbered in the order first used (`mp_emit_common_use_qstr`, `mp_emit_common_use_const_obj`).

use std::collections::HashMap;

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
    /// Two objects are strictly equal exactly when both have a [`Obj::key`] and the keys are
    /// the same.
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
    /// A byte string that identifies the object up to strict equality, or `None` for an
    /// object equal to nothing (a complex holding a NaN).
    fn key(&self) -> Option<Vec<u8>> {
        let mut k = Vec::new();
        self.put_key(&mut k).then_some(k)
    }

    fn put_key(&self, k: &mut Vec<u8>) -> bool {
        let bytes = |k: &mut Vec<u8>, tag: u8, b: &[u8]| {
            k.push(tag);
            k.extend_from_slice(&(b.len() as u64).to_le_bytes());
            k.extend_from_slice(b);
        };
        match self {
            Obj::None => k.push(0),
            Obj::False => k.push(1),
            Obj::True => k.push(2),
            Obj::Ellipsis => k.push(3),
            Obj::Str(s) => bytes(k, 4, s),
            Obj::Bytes(b) => bytes(k, 5, b),
            Obj::Int(i) => bytes(k, 6, &i.to_signed_bytes_le()),
            Obj::Float(f) => {
                k.push(7);
                k.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            Obj::Complex { real, imag } => {
                if real.is_nan() || imag.is_nan() {
                    return false;
                }
                // Complex equality does not tell 0.0 from -0.0.
                k.push(8);
                k.extend_from_slice(&(real + 0.0).to_bits().to_le_bytes());
                k.extend_from_slice(&(imag + 0.0).to_bits().to_le_bytes());
            }
            Obj::Tuple(items) => {
                k.push(9);
                k.extend_from_slice(&(items.len() as u64).to_le_bytes());
                for i in items {
                    if !i.put_key(k) {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// The qstr table and the object table of one module (`mp_emit_common_t`).
#[derive(Clone, Debug, Default)]
pub struct ModuleTables {
    index: HashMap<Qstr, u32>,
    /// Objects by [`Obj::key`], for strict-equality lookups in constant time.
    obj_index: HashMap<Vec<u8>, u32>,
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

    /// The table index of `q`, adding it at the end if it is new.
    pub fn use_qstr(&mut self, q: Qstr) -> u32 {
        let next = self.qstrs.len() as u32;
        let i = *self.index.entry(q).or_insert(next);
        if i == next {
            self.qstrs.push(q);
        }
        i
    }

    /// The table index of an object strictly equal to `obj`, adding `obj` if there is none.
    pub fn use_obj(&mut self, obj: Obj) -> u32 {
        let next = self.objs.len() as u32;
        let i = match obj.key() {
            Some(k) => *self.obj_index.entry(k).or_insert(next),
            None => next,
        };
        if i == next {
            self.objs.push(obj);
        }
        i
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
    fn keys_agree_with_strict_equality() {
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
                let keyed = matches!((a.key(), b.key()), (Some(x), Some(y)) if x == y);
                assert_eq!(keyed, a.strictly_equal(b), "{a:?} vs {b:?}");
            }
        }
    }
}
