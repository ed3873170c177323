//! A small builder for [`RawCode`], for emitters that fill a raw code piece by piece.

use crate::{Body, Const, RawCode};
use mpcore::Qstr;

/// Builds one [`RawCode`]; const-table indices come back from the `push_*` calls.
#[derive(Clone, Debug, Default)]
pub struct RawCodeBuilder {
    rc: RawCode,
}

impl RawCodeBuilder {
    /// A builder for a raw code with this body and an empty const table.
    pub fn new(body: Body) -> RawCodeBuilder {
        RawCodeBuilder {
            rc: RawCode::new(body),
        }
    }

    /// Sets the body (bytecode, or native code with its link information).
    pub fn body(&mut self, body: Body) -> &mut Self {
        self.rc.body = body;
        self
    }

    /// Makes the body bytecode with this `fun_data` (prelude, code info, cells and opcodes).
    pub fn fun_data(&mut self, fun_data: Vec<u8>) -> &mut Self {
        self.rc.body = Body::Bytecode(fun_data);
        self
    }

    /// Appends an argument name; returns its const-table index.
    pub fn push_arg_name(&mut self, qstr: Qstr) -> usize {
        self.rc.arg_names.push(qstr);
        self.rc.arg_names.len() - 1
    }

    /// Appends a constant object; returns its position among the objects (its const-table
    /// index is that plus the number of argument names, see [`RawCode::obj_index`]).
    pub fn push_const(&mut self, obj: Const) -> usize {
        self.rc.consts.push(obj);
        self.rc.consts.len() - 1
    }

    /// Appends a child raw code; returns its position among the children
    /// (see [`RawCode::child_index`]).
    pub fn push_child(&mut self, child: RawCode) -> usize {
        self.rc.children.push(child);
        self.rc.children.len() - 1
    }

    /// The raw code built so far.
    pub fn get(&self) -> &RawCode {
        &self.rc
    }

    /// Finishes the raw code.
    pub fn build(self) -> RawCode {
        self.rc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_follow_const_table_order() {
        let mut b = RawCodeBuilder::new(Body::default());
        assert_eq!(b.push_arg_name(Qstr(0x152)), 0);
        assert_eq!(b.push_arg_name(Qstr(0x153)), 1);
        assert_eq!(b.push_const(Const::Ellipsis), 0);
        assert_eq!(b.push_child(RawCode::bytecode(Vec::new())), 0);
        b.fun_data(vec![1, 2, 3]);
        let rc = b.build();
        assert_eq!(rc.obj_index(0), 2);
        assert_eq!(rc.child_index(0), 3);
        assert_eq!(rc.const_table_len(), 4);
        assert!(matches!(
            rc.const_entry(2),
            Some(crate::ConstEntry::Obj(Const::Ellipsis))
        ));
        assert!(matches!(
            rc.const_entry(3),
            Some(crate::ConstEntry::Child(_))
        ));
        assert_eq!(rc.const_entry(4), None);
        assert_eq!(rc.fun_data(), [1, 2, 3]);
        assert_eq!(rc.kind(), crate::CodeKind::Bytecode);
    }
}
