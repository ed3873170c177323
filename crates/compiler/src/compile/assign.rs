//! Assignment targets: names, attributes, subscripts and (starred) tuples, plain or augmented.

use syntax::{Node, Rule, StructId};

use super::Compiler;
use crate::emit::{AccessKind, Emit};

/// How a target is assigned (`assign_kind_t`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum AssignKind {
    Store,
    AugLoad,
    AugStore,
}

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    fn c_assign_atom_expr(&mut self, id: StructId, kind: AssignKind) {
        if kind != AssignKind::AugStore {
            self.compile_node(self.kid(id, 0));
        }
        if let Node::Struct(mut id1) = self.kid(id, 1) {
            if self.rule_of(id1) == Rule::AtomExprTrailers {
                let trailers = self.kids(id1);
                let n = trailers.len();
                if kind != AssignKind::AugStore {
                    for &t in &trailers[..n.saturating_sub(1)] {
                        self.compile_node(t);
                    }
                }
                match trailers.last() {
                    Some(Node::Struct(last)) => id1 = *last,
                    _ => {
                        self.syntax_error(Node::Struct(id), "can't assign to expression");
                        return;
                    }
                }
            }
            match self.rule_of(id1) {
                Rule::TrailerBracket => {
                    if kind == AssignKind::AugStore {
                        self.e().rot_three();
                        self.e().subscr(AccessKind::Store);
                    } else {
                        self.compile_node(self.kid(id1, 0));
                        if kind == AssignKind::AugLoad {
                            self.e().dup_top_two();
                            self.e().subscr(AccessKind::Load);
                        } else {
                            self.e().subscr(AccessKind::Store);
                        }
                    }
                    return;
                }
                Rule::TrailerPeriod => {
                    let q = Self::leaf_qstr(self.kid(id1, 0));
                    if kind == AssignKind::AugLoad {
                        self.e().dup_top();
                        self.e().attr(q, AccessKind::Load);
                    } else {
                        if kind == AssignKind::AugStore {
                            self.e().rot_two();
                        }
                        self.e().attr(q, AccessKind::Store);
                    }
                    return;
                }
                _ => {}
            }
        }
        self.syntax_error(Node::Struct(id), "can't assign to expression");
    }

    /// Unpacks the top of the stack into `head` (may be null) followed by `tail`.
    pub(super) fn c_assign_tuple(&mut self, head: Node, tail: &[Node]) {
        let num_head = if head == Node::Null { 0 } else { 1 };
        let num_tail = tail.len() as u32;
        let mut have_star_index: Option<u32> = None;
        if num_head != 0 && self.is_kind(head, Rule::StarExpr) {
            self.e().unpack_ex(0, num_tail);
            have_star_index = Some(0);
        }
        for (i, &t) in tail.iter().enumerate() {
            let i = i as u32;
            if self.is_kind(t, Rule::StarExpr) {
                if have_star_index.is_none() {
                    self.e().unpack_ex(num_head + i, num_tail - i - 1);
                    have_star_index = Some(num_head + i);
                } else {
                    self.syntax_error(t, "multiple *x in assignment");
                    return;
                }
            }
        }
        if have_star_index.is_none() {
            self.e().unpack_sequence(num_head + num_tail);
        }
        if num_head != 0 {
            if have_star_index == Some(0) {
                self.c_assign(self.star_inner(head), AssignKind::Store);
            } else {
                self.c_assign(head, AssignKind::Store);
            }
        }
        for (i, &t) in tail.iter().enumerate() {
            if Some(num_head + i as u32) == have_star_index {
                self.c_assign(self.star_inner(t), AssignKind::Store);
            } else {
                self.c_assign(t, AssignKind::Store);
            }
        }
    }

    fn star_inner(&self, pn: Node) -> Node {
        match pn {
            Node::Struct(id) => self.kid(id, 0),
            _ => Node::Null,
        }
    }

    /// Assigns the top of the stack to `pn` (`c_assign`).
    pub(super) fn c_assign(&mut self, pn: Node, kind: AssignKind) {
        if !self.enter(pn) {
            return;
        }
        match (pn, kind) {
            // The commonest target, without a call.
            (Node::Id(q), AssignKind::Store) => self.store_id(q),
            _ => self.c_assign_inner(pn, kind),
        }
        self.leave();
    }

    fn c_assign_inner(&mut self, pn: Node, kind: AssignKind) {
        let id = match pn {
            Node::Id(q) => {
                match kind {
                    AssignKind::Store | AssignKind::AugStore => self.store_id(q),
                    AssignKind::AugLoad => self.load_id(q),
                }
                return;
            }
            Node::Struct(id) => id,
            _ => {
                self.syntax_error(pn, "can't assign to expression");
                return;
            }
        };
        let list = match self.rule_of(id) {
            Rule::AtomExprNormal => {
                self.c_assign_atom_expr(id, kind);
                return;
            }
            Rule::TestlistStarExpr | Rule::Exprlist => {
                if kind != AssignKind::Store {
                    self.syntax_error(pn, "can't assign to expression");
                    return;
                }
                self.c_assign_tuple(Node::Null, self.kids(id));
                return;
            }
            Rule::AtomParen => {
                let inner = self.kid(id, 0);
                match self.as_kind(inner, Rule::TestlistComp) {
                    Some(tc) if kind == AssignKind::Store => tc,
                    _ => {
                        self.syntax_error(pn, "can't assign to expression");
                        return;
                    }
                }
            }
            Rule::AtomBracket => {
                if kind != AssignKind::Store {
                    self.syntax_error(pn, "can't assign to expression");
                    return;
                }
                let inner = self.kid(id, 0);
                if inner == Node::Null {
                    self.c_assign_tuple(Node::Null, &[]);
                    return;
                }
                match self.as_kind(inner, Rule::TestlistComp) {
                    Some(tc) => tc,
                    None => {
                        self.c_assign_tuple(inner, &[]);
                        return;
                    }
                }
            }
            _ => {
                self.syntax_error(pn, "can't assign to expression");
                return;
            }
        };

        // A sequence target: testlist_comp.
        let first = self.kid(list, 0);
        let second = self.kid(list, 1);
        if let Node::Struct(id2) = second {
            match self.rule_of(id2) {
                Rule::TestlistComp3b => {
                    self.c_assign_tuple(first, &[]);
                    return;
                }
                Rule::TestlistComp3c => {
                    self.c_assign_tuple(first, self.kids(id2));
                    return;
                }
                Rule::CompFor => {
                    self.syntax_error(pn, "can't assign to expression");
                    return;
                }
                _ => {}
            }
        }
        self.c_assign_tuple(Node::Null, self.kids(list));
    }
}
