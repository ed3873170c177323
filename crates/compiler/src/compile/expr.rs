//! Expressions: conditions and jumps, operators, atoms, displays, subscripts, yield and await.

use syntax::{Node, Rule, StructId, TokenKind};

use super::Compiler;
use crate::emit::{BuildKind, Emit};
use crate::emit::{Label, YieldKind};
use crate::runtime0::*;
use crate::scope::ScopeKind;

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    /// Builds a tuple of `head` (may be null) followed by `list`'s children.
    pub(super) fn c_tuple(&mut self, head: Node, list: Option<StructId>) {
        let mut total = 0;
        if head != Node::Null {
            self.compile_node(head);
            total += 1;
        }
        if let Some(l) = list {
            let kids = self.kids(l);
            for &k in kids {
                self.compile_node(k);
            }
            total += kids.len() as u32;
        }
        self.e().build(total, BuildKind::Tuple);
    }

    pub(super) fn compile_generic_tuple(&mut self, id: StructId) {
        self.c_tuple(Node::Null, Some(id));
    }

    /// Jumps to `label` when `pn` is `jump_if`, with the reference's constant and and/or/not
    /// shortcuts (`c_if_cond`).
    pub(super) fn c_if_cond(&mut self, pn: Node, jump_if: bool, label: Label) {
        if !self.enter(pn) {
            return;
        }
        self.c_if_cond_inner(pn, jump_if, label);
        self.leave();
    }

    fn c_if_cond_inner(&mut self, pn: Node, jump_if: bool, label: Label) {
        if self.is_const_false(pn) {
            if !jump_if {
                self.e().jump(label);
            }
            return;
        } else if self.is_const_true(pn) {
            if jump_if {
                self.e().jump(label);
            }
            return;
        } else if let Node::Struct(id) = pn {
            let rule = self.rule_of(id);
            match rule {
                Rule::OrTest | Rule::AndTest => {
                    let kids = self.kids(id);
                    let n = kids.len();
                    // `or` jumping on false, and `and` jumping on true, need a skip label.
                    if (rule == Rule::OrTest) != jump_if {
                        let label2 = self.next_label();
                        for &k in &kids[..n.saturating_sub(1)] {
                            self.c_if_cond(k, !jump_if, label2);
                        }
                        if let Some(&last) = kids.last() {
                            self.c_if_cond(last, jump_if, label);
                        }
                        self.e().label_assign(label2);
                    } else {
                        for &k in kids {
                            self.c_if_cond(k, jump_if, label);
                        }
                    }
                    return;
                }
                Rule::NotTest2 => {
                    self.c_if_cond(self.kid(id, 0), !jump_if, label);
                    return;
                }
                Rule::AtomParen if self.opts.rules.paren_cond_shortcut => {
                    if self.kid(id, 0) == Node::Null {
                        // The empty tuple is false.
                        if !jump_if {
                            self.e().jump(label);
                        }
                    } else if jump_if {
                        // A non-empty tuple is true.
                        self.e().jump(label);
                    }
                    return;
                }
                _ => {}
            }
        }
        self.compile_node(pn);
        self.e().pop_jump_if(jump_if, label);
    }

    pub(super) fn compile_test_if_expr(&mut self, id: StructId) {
        let Some(ie) = self.as_kind(self.kid(id, 1), Rule::TestIfElse) else {
            self.syntax_error(Node::Struct(id), "invalid syntax");
            return;
        };
        let l_fail = self.next_label();
        let l_end = self.next_label();
        self.c_if_cond(self.kid(ie, 0), false, l_fail);
        self.compile_node(self.kid(id, 0));
        self.e().jump(l_end);
        self.e().label_assign(l_fail);
        self.e().adjust_stack_size(-1);
        self.compile_node(self.kid(ie, 1));
        self.e().label_assign(l_end);
    }

    pub(super) fn compile_or_and_test(&mut self, id: StructId) {
        let cond = self.rule_of(id) == Rule::OrTest;
        let l_end = self.next_label();
        let kids = self.kids(id);
        let n = kids.len();
        for (i, &k) in kids.iter().enumerate() {
            self.compile_node(k);
            if i + 1 < n {
                self.e().jump_if_or_pop(cond, l_end);
            }
        }
        self.e().label_assign(l_end);
    }

    pub(super) fn compile_comparison(&mut self, id: StructId) {
        let kids = self.kids(id);
        let n = kids.len();
        self.compile_node(self.kid(id, 0));
        let multi = n > 3;
        let l_fail = if multi { self.next_label() } else { 0 };
        let mut i = 1;
        while i + 1 < n {
            self.compile_node(kids[i + 1]);
            if i + 2 < n {
                self.e().dup_top();
                self.e().rot_three();
            }
            let op = match kids[i] {
                Node::Token(t) => match t {
                    TokenKind::OpLess => BINARY_OP_LESS,
                    TokenKind::OpMore => BINARY_OP_MORE,
                    TokenKind::OpDblEqual => BINARY_OP_EQUAL,
                    TokenKind::OpLessEqual => BINARY_OP_LESS_EQUAL,
                    TokenKind::OpMoreEqual => BINARY_OP_MORE_EQUAL,
                    TokenKind::OpNotEqual => BINARY_OP_NOT_EQUAL,
                    _ => BINARY_OP_IN,
                },
                Node::Struct(op_id) => {
                    if self.rule_of(op_id) == Rule::CompOpNotIn {
                        BINARY_OP_NOT_IN
                    } else if self.kid(op_id, 0) == Node::Null {
                        BINARY_OP_IS
                    } else {
                        BINARY_OP_IS_NOT
                    }
                }
                _ => BINARY_OP_IN,
            };
            self.e().binary_op(op);
            if i + 2 < n {
                self.e().jump_if_or_pop(false, l_fail);
            }
            i += 2;
        }
        if multi {
            let l_end = self.next_label();
            self.e().jump(l_end);
            self.e().label_assign(l_fail);
            self.e().adjust_stack_size(1);
            self.e().rot_two();
            self.e().pop_top();
            self.e().label_assign(l_end);
        }
    }

    pub(super) fn compile_binary_op(&mut self, id: StructId) {
        let op = match self.rule_of(id) {
            Rule::Expr => BINARY_OP_OR,
            Rule::XorExpr => BINARY_OP_XOR,
            _ => BINARY_OP_AND,
        };
        let kids = self.kids(id);
        self.compile_node(self.kid(id, 0));
        for &k in kids.iter().skip(1) {
            self.compile_node(k);
            self.e().binary_op(op);
        }
    }

    pub(super) fn compile_term(&mut self, id: StructId) {
        let kids = self.kids(id);
        let n = kids.len();
        self.compile_node(self.kid(id, 0));
        let mut i = 1;
        while i + 1 < n {
            self.compile_node(kids[i + 1]);
            let op = match kids[i] {
                Node::Token(TokenKind::OpPlus) => BINARY_OP_ADD,
                Node::Token(TokenKind::OpMinus) => BINARY_OP_SUBTRACT,
                Node::Token(TokenKind::OpStar) => BINARY_OP_MULTIPLY,
                Node::Token(TokenKind::DelAt) => BINARY_OP_MAT_MULTIPLY,
                Node::Token(TokenKind::OpDblSlash) => BINARY_OP_FLOOR_DIVIDE,
                Node::Token(TokenKind::OpSlash) => BINARY_OP_TRUE_DIVIDE,
                Node::Token(TokenKind::OpPercent) => BINARY_OP_MODULO,
                Node::Token(TokenKind::OpDblLess) => BINARY_OP_LSHIFT,
                _ => BINARY_OP_RSHIFT,
            };
            self.e().binary_op(op);
            i += 2;
        }
    }

    pub(super) fn compile_factor_2(&mut self, id: StructId) {
        self.compile_node(self.kid(id, 1));
        let op = match self.kid(id, 0) {
            Node::Token(TokenKind::OpPlus) => UNARY_OP_POSITIVE,
            Node::Token(TokenKind::OpMinus) => UNARY_OP_NEGATIVE,
            _ => UNARY_OP_INVERT,
        };
        self.e().unary_op(op);
    }

    /// `atom trailers...`: calls, subscripts, attributes, with method-call and `super()` forms.
    pub(super) fn compile_atom_expr_normal(&mut self, id: StructId) {
        let kids = self.kids(id);
        let subject = kids.first().copied().unwrap_or(Node::Null);
        self.compile_node(subject);
        let trailers: &[Node] = match kids.get(1) {
            None | Some(Node::Null) => return,
            Some(&Node::Struct(tid)) if self.rule_of(tid) == Rule::AtomExprTrailers => {
                self.kids(tid)
            }
            Some(t) => std::slice::from_ref(t),
        };
        let num_trail = trailers.len();
        // Each trailer as (rule, node id); `None` for a node that is not a struct.
        let trailer = |c: &Self, i: usize| -> Option<(Rule, StructId)> {
            match trailers.get(i) {
                Some(&Node::Struct(s)) => Some((c.rule_of(s), s)),
                _ => None,
            }
        };

        let mut i = 0;
        if subject == Node::Id(self.q.super_) && self.scope().kind == ScopeKind::Function {
            if let Some((Rule::TrailerParen, t0)) = trailer(self, 0) {
                if self.kid(t0, 0) == Node::Null {
                    // `super()` inside a function: pass the class cell and the first argument.
                    self.load_id(self.q.class);
                    let first_param = self
                        .scope()
                        .id_info
                        .iter()
                        .find(|id| id.flags & crate::scope::ID_FLAG_IS_PARAM != 0);
                    match first_param {
                        Some(p) => {
                            let q = p.qst;
                            self.load_id(q);
                        }
                        None => {
                            self.syntax_error(trailers[0], "super() can't find self");
                            return;
                        }
                    }
                    match (trailer(self, 1), trailer(self, 2)) {
                        (Some((Rule::TrailerPeriod, t1)), Some((Rule::TrailerParen, t2))) => {
                            let name = Self::leaf_qstr(self.kid(t1, 0));
                            self.e().load_method(name, true);
                            self.compile_trailer_paren_helper(self.kid(t2, 0), true, 0);
                            i = 3;
                        }
                        _ => {
                            self.e().call_function(2, 0, 0);
                            i = 1;
                        }
                    }
                }
            }
        }

        while i < num_trail {
            let Some((rule, tid)) = trailer(self, i) else {
                self.compile_node(trailers[i]);
                i += 1;
                continue;
            };
            // Every trailer has at most one child, which is all it needs.
            let arg = self.kid(tid, 0);
            if rule == Rule::TrailerPeriod {
                if let Some((Rule::TrailerParen, paren)) = trailer(self, i + 1) {
                    // A method call: neither trailer is compiled as a node of its own.
                    self.e().load_method(Self::leaf_qstr(arg), false);
                    self.compile_trailer_paren_helper(self.kid(paren, 0), true, 0);
                    i += 2;
                    continue;
                }
            }
            // The trailer as `compile_node` would compile it, without the general dispatch.
            match rule {
                Rule::TrailerPeriod | Rule::TrailerParen | Rule::TrailerBracket => {
                    if self.begin_struct(tid) {
                        match rule {
                            Rule::TrailerPeriod => {
                                let q = Self::leaf_qstr(arg);
                                self.e().attr(q, crate::emit::AccessKind::Load);
                            }
                            Rule::TrailerParen => self.compile_trailer_paren_helper(arg, false, 0),
                            _ => {
                                self.compile_node(arg);
                                self.e().subscr(crate::emit::AccessKind::Load);
                            }
                        }
                        self.leave();
                    }
                }
                _ => self.compile_struct_node(tid),
            }
            i += 1;
        }
    }

    pub(super) fn compile_atom_paren(&mut self, id: StructId) {
        let inner = self.kid(id, 0);
        if inner == Node::Null {
            self.c_tuple(Node::Null, None);
            return;
        }
        let Some(tc) = self.as_kind(inner, Rule::TestlistComp) else {
            self.compile_node(inner);
            return;
        };
        if let Node::Struct(id2) = self.kid(tc, 1) {
            match self.rule_of(id2) {
                Rule::TestlistComp3b => {
                    self.c_tuple(self.kid(tc, 0), None);
                    return;
                }
                Rule::TestlistComp3c => {
                    self.c_tuple(self.kid(tc, 0), Some(id2));
                    return;
                }
                Rule::CompFor => {
                    self.compile_comprehension(tc, ScopeKind::GenExpr);
                    return;
                }
                _ => {}
            }
        }
        self.c_tuple(Node::Null, Some(tc));
    }

    pub(super) fn compile_atom_bracket(&mut self, id: StructId) {
        let inner = self.kid(id, 0);
        if inner == Node::Null {
            self.e().build(0, BuildKind::List);
            return;
        }
        let Some(tc) = self.as_kind(inner, Rule::TestlistComp) else {
            self.compile_node(inner);
            self.e().build(1, BuildKind::List);
            return;
        };
        if let Node::Struct(id3) = self.kid(tc, 1) {
            match self.rule_of(id3) {
                Rule::TestlistComp3b => {
                    self.compile_node(self.kid(tc, 0));
                    self.e().build(1, BuildKind::List);
                    return;
                }
                Rule::TestlistComp3c => {
                    self.compile_node(self.kid(tc, 0));
                    self.compile_generic_all_nodes(id3);
                    let n = self.kids(id3).len() as u32;
                    self.e().build(1 + n, BuildKind::List);
                    return;
                }
                Rule::CompFor => {
                    self.compile_comprehension(tc, ScopeKind::ListComp);
                    return;
                }
                _ => {}
            }
        }
        if self.opts.rules.parser_flattens_lists {
            // 1.18's and 1.29's parsers flatten the list: any number of items.
            self.compile_generic_all_nodes(tc);
            let n = self.kids(tc).len() as u32;
            self.e().build(n, BuildKind::List);
        } else {
            self.compile_node(self.kid(tc, 0));
            self.compile_node(self.kid(tc, 1));
            self.e().build(2, BuildKind::List);
        }
    }

    /// `{...}`: dict, set or their comprehensions; `create_map` is false when the map is
    /// already on the stack.
    pub(super) fn compile_atom_brace_helper(&mut self, id: StructId, create_map: bool) {
        let pn = self.kid(id, 0);
        let dsm = match pn {
            Node::Null => {
                if create_map {
                    self.e().build(0, BuildKind::Map);
                }
                return;
            }
            Node::Struct(s) if self.rule_of(s) == Rule::DictorsetmakerItem => {
                if create_map {
                    self.e().build(1, BuildKind::Map);
                }
                self.compile_node(pn);
                self.e().store_map();
                return;
            }
            Node::Struct(s) if self.rule_of(s) == Rule::Dictorsetmaker => s,
            _ => {
                self.compile_node(pn);
                self.e().build(1, BuildKind::Set);
                return;
            }
        };
        let first = self.kid(dsm, 0);
        let Node::Struct(id1) = self.kid(dsm, 1) else {
            self.syntax_error(pn, "invalid syntax");
            return;
        };
        if self.rule_of(id1) == Rule::DictorsetmakerList {
            let rest = self.extract_list(self.kid(id1, 0), Rule::DictorsetmakerList2);
            let rest = rest.as_slice();
            let n = rest.len() as u32;
            let is_dict = self.is_kind(first, Rule::DictorsetmakerItem);
            if is_dict {
                if create_map {
                    self.e().build(1 + n, BuildKind::Map);
                }
                self.compile_node(first);
                self.e().store_map();
            } else {
                self.compile_node(first);
            }
            for &pn_i in rest {
                let is_key_value = self.is_kind(pn_i, Rule::DictorsetmakerItem);
                self.compile_node(pn_i);
                if is_dict {
                    if !is_key_value {
                        self.syntax_error(Node::Struct(dsm), "expecting key:value for dict");
                        return;
                    }
                    self.e().store_map();
                } else if is_key_value {
                    self.syntax_error(Node::Struct(dsm), "expecting just a value for set");
                    return;
                }
            }
            if !is_dict {
                self.e().build(1 + n, BuildKind::Set);
            }
        } else if self.is_kind(first, Rule::DictorsetmakerItem) {
            self.compile_comprehension(dsm, ScopeKind::DictComp);
        } else {
            self.compile_comprehension(dsm, ScopeKind::SetComp);
        }
    }

    pub(super) fn compile_subscript(&mut self, id: StructId) {
        let mut id = id;
        if self.rule_of(id) == Rule::Subscript2 {
            self.compile_node(self.kid(id, 0));
            match self.kid(id, 1) {
                Node::Struct(s) => id = s,
                _ => return,
            }
        } else {
            self.e().load_const_tok(TokenKind::KwNone);
        }
        let pn = self.kid(id, 0);
        match pn {
            Node::Null => {
                self.e().load_const_tok(TokenKind::KwNone);
                self.e().build(2, BuildKind::Slice);
            }
            Node::Struct(s) if self.rule_of(s) == Rule::Subscript3c => {
                self.e().load_const_tok(TokenKind::KwNone);
                let step = self.kid(s, 0);
                if step == Node::Null {
                    self.e().build(2, BuildKind::Slice);
                } else {
                    self.compile_node(step);
                    self.e().build(3, BuildKind::Slice);
                }
            }
            Node::Struct(s) if self.rule_of(s) == Rule::Subscript3d => {
                self.compile_node(self.kid(s, 0));
                let sliceop = match self.kid(s, 1) {
                    Node::Struct(so) => self.kid(so, 0),
                    _ => Node::Null,
                };
                if sliceop == Node::Null {
                    self.e().build(2, BuildKind::Slice);
                } else {
                    self.compile_node(sliceop);
                    self.e().build(3, BuildKind::Slice);
                }
            }
            _ => {
                self.compile_node(pn);
                self.e().build(2, BuildKind::Slice);
            }
        }
    }

    /// Emits a yield, marking the scope a generator as the reference's emitters do.
    pub(super) fn emit_yield(&mut self, kind: YieldKind) {
        self.scope_mut().scope_flags |= SCOPE_FLAG_GENERATOR;
        self.e().yield_(kind);
        self.reserve_labels_for_native(if kind == YieldKind::From { 3 } else { 1 });
    }

    pub(super) fn compile_yield_from(&mut self) {
        self.e().get_iter(false);
        self.e().load_const_tok(TokenKind::KwNone);
        self.emit_yield(YieldKind::From);
    }

    pub(super) fn compile_yield_expr(&mut self, id: StructId) {
        let kind = self.scope().kind;
        if kind != ScopeKind::Function && kind != ScopeKind::Lambda {
            self.syntax_error(Node::Struct(id), "'yield' outside function");
            return;
        }
        let arg = self.kid(id, 0);
        if arg == Node::Null {
            self.e().load_const_tok(TokenKind::KwNone);
            self.emit_yield(YieldKind::Value);
        } else if let Some(yf) = self.as_kind(arg, Rule::YieldArgFrom) {
            self.compile_node(self.kid(yf, 0));
            self.compile_yield_from();
        } else {
            self.compile_node(arg);
            self.emit_yield(YieldKind::Value);
        }
    }

    pub(super) fn compile_atom_expr_await(&mut self, id: StructId) {
        let kind = self.scope().kind;
        if kind != ScopeKind::Function && kind != ScopeKind::Lambda {
            self.syntax_error(Node::Struct(id), "'await' outside function");
            return;
        }
        self.compile_atom_expr_normal(id);
        self.compile_yield_from();
    }

    pub(super) fn compile_await_object_method(&mut self, method: mpcore::Qstr) {
        self.e().load_method(method, false);
        self.e().call_method(0, 0, 0);
        self.compile_yield_from();
    }
}
