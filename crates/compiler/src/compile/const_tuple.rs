//! Tuples of constants as one constant object, for releases whose parser folds them
//! (MicroPython 1.29's `MICROPY_COMP_CONST_TUPLE`): `(1, 'a')`, `x = 1, 2`, `return 1, 2`,
//! `for x in 1, 2:` and `d[1, 2]`; and the wider idea of a constant those releases use when
//! deciding a condition at compile time.
//!
//! The tree the shared front end gives is 1.11's, where these are still tuple nodes; the walk
//! recognises the nodes the 1.29 parser would have folded and loads the folded object.

use num_bigint::BigInt;
use syntax::{Node, Rule, StructId, TokenKind};

use super::Compiler;
use crate::emit::Emit;
use crate::emitbc_v6::Obj;

impl<E: Emit + ?Sized> Compiler<'_, '_, E> {
    /// Loads the tuple node `id` as one constant when the release folds it and every item is
    /// a constant; false (nothing emitted) otherwise.
    pub(super) fn load_folded_tuple(&mut self, id: StructId) -> bool {
        if !self.opts.rules.fold_const_tuples {
            return false;
        }
        let Some((obj, line)) = self.folded_tuple(id) else {
            return false;
        };
        if line != self.last_line && self.pass != crate::emit::Pass::Scope {
            self.last_line = line;
            self.emit.set_source_line(line);
        }
        self.e().load_const_folded(obj);
        true
    }

    /// Whether `pn` is a tuple node the release's parser folds into one constant.
    pub(super) fn is_folded_tuple(&self, pn: Node) -> bool {
        match pn {
            Node::Struct(id) if self.opts.rules.fold_const_tuples => {
                self.folded_tuple(id).is_some()
            }
            _ => false,
        }
    }

    /// The tuple the parser folds node `id` into, with the line its constant node gets.
    fn folded_tuple(&self, id: StructId) -> Option<(Obj, u32)> {
        let (items, line) = match self.rule_of(id) {
            Rule::TestlistStarExpr | Rule::Testlist | Rule::Subscriptlist => {
                (self.kids(id).to_vec(), self.tree.get(id).line)
            }
            Rule::AtomParen => {
                let tc = self.as_kind(self.kid(id, 0), Rule::TestlistComp)?;
                let first = self.kid(tc, 0);
                // The constant takes the line of the rule the parser folds: the list after
                // the first comma when there is one (three items, or a trailing comma), else
                // the whole.
                let mut line = self.tree.get(tc).line;
                let items = match self.kid(tc, 1) {
                    Node::Struct(k) if self.rule_of(k) == Rule::TestlistComp3b => vec![first],
                    Node::Struct(k) if self.rule_of(k) == Rule::TestlistComp3c => {
                        line = self.tree.get(k).line;
                        let mut v = vec![first];
                        v.extend_from_slice(self.kids(k));
                        v
                    }
                    Node::Struct(k) if self.rule_of(k) == Rule::CompFor => return None,
                    second => vec![first, second],
                };
                (items, line)
            }
            _ => return None,
        };
        let objs = items
            .iter()
            .map(|&n| self.const_item(n))
            .collect::<Option<Vec<Obj>>>()?;
        Some((Obj::Tuple(objs), line))
    }

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
                Rule::AtomParen => self.folded_tuple(id).map(|(o, _)| o),
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

fn obj_of_const(c: &syntax::ConstObj) -> Obj {
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
    }
}
