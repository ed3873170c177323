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
    /// `strictly_equal`: `(True,)` is not `(1,)`, and a NaN equals nothing).
    pub fn strictly_equal(&self, other: &Obj) -> bool {
        match (self, other) {
            (Obj::None, Obj::None)
            | (Obj::False, Obj::False)
            | (Obj::True, Obj::True)
            | (Obj::Ellipsis, Obj::Ellipsis) => true,
            (Obj::Str(a), Obj::Str(b)) | (Obj::Bytes(a), Obj::Bytes(b)) => a == b,
            (Obj::Int(a), Obj::Int(b)) => a == b,
            (Obj::Float(a), Obj::Float(b)) => {
                a == b && (*a != 0.0 || a.is_sign_negative() == b.is_sign_negative())
            }
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

/// The qstr table and the object table of one module (`mp_emit_common_t`).
#[derive(Clone, Debug, Default)]
pub struct ModuleTables {
    index: HashMap<Qstr, u32>,
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
        if let Some(i) = self.objs.iter().position(|o| o.strictly_equal(&obj)) {
            return i as u32;
        }
        self.objs.push(obj);
        (self.objs.len() - 1) as u32
    }

    /// The text of each qstr of the table, in order.
    pub fn qstr_texts<'p>(&self, pool: &'p QstrPool) -> Vec<&'p [u8]> {
        self.qstrs.iter().map(|&q| pool.get(q)).collect()
    }
}
