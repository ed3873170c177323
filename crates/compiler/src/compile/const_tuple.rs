//! Constants as MicroPython 1.29's parser leaves them for the walk: any constant node (an
//! int, a string, `None`/`True`/`False`/`...`, a constant object such as a folded tuple, `()`)
//! has a truth value that decides a condition at compile time, and constant objects are loaded
//! as the objects they are.

use num_bigint::BigInt;
use syntax::{Node, Rule, TokenKind};

use super::Compiler;
use crate::emit::Emit;
use crate::emitbc_v6::Obj;

impl<E: Emit + ?Sized> Compiler<'_, '_, E> {
    /// The object a constant node stands for (`mp_parse_node_convert_to_obj`), if it is one.
    fn const_item(&self, pn: Node) -> Option<Obj> {
        match pn {
            Node::SmallInt(v) => Some(Obj::Int(BigInt::from(v))),
            Node::Str(q) => Some(Obj::Str(self.pool.get(q).to_vec())),
            Node::Bytes(q) => Some(Obj::Bytes(self.pool.get(q).to_vec())),
            Node::Token(TokenKind::KwNone) => Some(Obj::None),
            Node::Token(TokenKind::KwFalse) => Some(Obj::False),
            Node::Token(TokenKind::KwTrue) => Some(Obj::True),
            Node::Token(TokenKind::Ellipsis) => Some(Obj::Ellipsis),
            Node::Struct(id) => match self.rule_of(id) {
                Rule::ConstObject => self.tree.constant(id).map(obj_of_const),
                Rule::AtomParen if self.kid(id, 0) == Node::Null => Some(Obj::Tuple(Vec::new())),
                _ => None,
            },
            _ => None,
        }
    }

    /// The truth of `pn` if it is a constant the release's parser knows
    /// (`mp_parse_node_is_const_true`/`_false`).
    pub(super) fn const_truth(&self, pn: Node) -> Option<bool> {
        let obj = self.const_item(pn)?;
        Some(match obj {
            Obj::None | Obj::False => false,
            Obj::True | Obj::Ellipsis => true,
            Obj::Str(s) | Obj::Bytes(s) => !s.is_empty(),
            Obj::Int(i) => i != BigInt::from(0),
            Obj::Float(f) => f != 0.0,
            Obj::Complex { real, imag } => real != 0.0 || imag != 0.0,
            Obj::Tuple(t) => !t.is_empty(),
        })
    }
}

/// The object a parser-made constant is.
pub(crate) fn obj_of_const(c: &syntax::ConstObj) -> Obj {
    use syntax::ConstObj;
    match c {
        ConstObj::Int(i) => Obj::Int(i.clone()),
        ConstObj::Float(f) => Obj::Float(*f),
        ConstObj::Complex(f) => Obj::Complex {
            real: 0.0,
            imag: *f,
        },
        ConstObj::Str(s) => Obj::Str(s.clone()),
        ConstObj::Bytes(b) => Obj::Bytes(b.clone()),
        ConstObj::None => Obj::None,
        ConstObj::True => Obj::True,
        ConstObj::False => Obj::False,
        ConstObj::Ellipsis => Obj::Ellipsis,
        ConstObj::Tuple(items) => Obj::Tuple(items.iter().map(obj_of_const).collect()),
    }
}
