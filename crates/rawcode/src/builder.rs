//! A small builder for [`RawCode`], for emitters that fill a raw code piece by piece.

use crate::{CodeKind, Const, NativeInfo, RawCode};
use mpcore::Qstr;

/// Builds one [`RawCode`]; const-table indices come back from the `push_*` calls.
#[derive(Clone, Debug, Default)]
pub struct RawCodeBuilder {
    rc: RawCode,
}

impl RawCodeBuilder {
    /// A builder for a raw code of this kind, with empty `fun_data` and const table.
    pub fn new(kind: CodeKind) -> RawCodeBuilder {
        RawCodeBuilder {
            rc: RawCode::new(kind),
        }
    }

    /// Sets the kind.
    pub fn kind(&mut self, kind: CodeKind) -> &mut Self {
        self.rc.kind = kind;
        self
    }

    /// Sets `fun_data` (prelude, code info, cells and opcodes; or machine code).
    pub fn fun_data(&mut self, fun_data: Vec<u8>) -> &mut Self {
        self.rc.fun_data = fun_data;
        self
    }

    /// Sets the native-only parts.
    pub fn native(&mut self, native: NativeInfo) -> &mut Self {
        self.rc.native = Some(native);
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
        let mut b = RawCodeBuilder::new(CodeKind::Bytecode);
        assert_eq!(b.push_arg_name(Qstr(0x152)), 0);
        assert_eq!(b.push_arg_name(Qstr(0x153)), 1);
        assert_eq!(b.push_const(Const::Ellipsis), 0);
        assert_eq!(b.push_child(RawCode::new(CodeKind::Bytecode)), 0);
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
        assert_eq!(rc.fun_data, vec![1, 2, 3]);
    }
}
