//! Simple statements: expression statements and assignments, `del`, flow control, imports,
//! `global`/`nonlocal` and `assert`.

use mpcore::Qstr;
use syntax::{Node, Rule, StructId, TokenKind};

use super::assign::AssignKind;
use super::Compiler;
use super::INVALID_LABEL;
use crate::emit::{AccessKind, BuildKind, Emit, GlobalKind, ImportKind, Pass};
use crate::runtime0::*;
use crate::scope::{IdKind, ScopeId, ScopeKind};

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    pub(super) fn compile_expr_stmt(&mut self, id: StructId) {
        let lhs = self.kid(id, 0);
        let rhs = self.kid(id, 1);
        match rhs {
            Node::Null => {
                let lonely_const = matches!(
                    lhs,
                    Node::SmallInt(_) | Node::Str(_) | Node::Bytes(_) | Node::Token(_)
                ) || self.is_kind(lhs, Rule::ConstObject);
                if !lonely_const {
                    self.compile_node_hot(lhs);
                    self.e().pop_top();
                }
            }
            Node::Struct(id1) if self.rule_of(id1) == Rule::ExprStmtAugassign => {
                self.c_assign(lhs, AssignKind::AugLoad);
                self.compile_node(self.kid(id1, 1));
                let op = match self.kid(id1, 0) {
                    Node::Token(TokenKind::DelPipeEqual) => BINARY_OP_INPLACE_OR,
                    Node::Token(TokenKind::DelCaretEqual) => BINARY_OP_INPLACE_XOR,
                    Node::Token(TokenKind::DelAmpersandEqual) => BINARY_OP_INPLACE_AND,
                    Node::Token(TokenKind::DelDblLessEqual) => BINARY_OP_INPLACE_LSHIFT,
                    Node::Token(TokenKind::DelDblMoreEqual) => BINARY_OP_INPLACE_RSHIFT,
                    Node::Token(TokenKind::DelPlusEqual) => BINARY_OP_INPLACE_ADD,
                    Node::Token(TokenKind::DelMinusEqual) => BINARY_OP_INPLACE_SUBTRACT,
                    Node::Token(TokenKind::DelStarEqual) => BINARY_OP_INPLACE_MULTIPLY,
                    Node::Token(TokenKind::DelAtEqual) => BINARY_OP_INPLACE_MAT_MULTIPLY,
                    Node::Token(TokenKind::DelDblSlashEqual) => BINARY_OP_INPLACE_FLOOR_DIVIDE,
                    Node::Token(TokenKind::DelSlashEqual) => BINARY_OP_INPLACE_TRUE_DIVIDE,
                    Node::Token(TokenKind::DelPercentEqual) => BINARY_OP_INPLACE_MODULO,
                    _ => BINARY_OP_INPLACE_POWER,
                };
                self.e().binary_op(op);
                self.c_assign(lhs, AssignKind::AugStore);
            }
            Node::Struct(id1) if self.rule_of(id1) == Rule::ExprStmtAssignList => {
                let kids = self.kids(id1);
                let n_rhs = kids.len().saturating_sub(1);
                self.compile_node_hot(self.kid(id1, n_rhs));
                if n_rhs > 0 {
                    self.e().dup_top();
                }
                self.c_assign(lhs, AssignKind::Store);
                for (i, &k) in kids[..n_rhs].iter().enumerate() {
                    if i + 1 < n_rhs {
                        self.e().dup_top();
                    }
                    self.c_assign(k, AssignKind::Store);
                }
            }
            Node::Struct(id1) if self.rule_of(id1) == Rule::Annassign => {
                self.compile_annassign(lhs, id1);
            }
            _ => self.compile_plain_assign(lhs, rhs),
        }
    }

    /// `lhs = rhs`, with the 2- and 3-tuple swap forms.
    pub(super) fn compile_plain_assign(&mut self, lhs: Node, rhs: Node) {
        if let (Some(l), Some(r)) = (
            self.as_kind(lhs, Rule::TestlistStarExpr),
            self.as_kind(rhs, Rule::TestlistStarExpr),
        ) {
            let lk = self.kids(l);
            let rk = self.kids(r);
            let n = lk.len();
            if n == rk.len()
                && (n == 2 || n == 3)
                && !lk.iter().any(|&k| self.is_kind(k, Rule::StarExpr))
            {
                self.compile_node(rk[0]);
                self.compile_node(rk[1]);
                if n == 3 {
                    self.compile_node(rk[2]);
                    self.e().rot_three();
                }
                self.e().rot_two();
                for &k in lk {
                    self.c_assign(k, AssignKind::Store);
                }
                return;
            }
        }
        self.compile_node_hot(rhs);
        self.c_assign(lhs, AssignKind::Store);
    }

    fn c_del_stmt(&mut self, pn: Node) {
        if !self.enter(pn) {
            return;
        }
        self.c_del_stmt_inner(pn);
        self.leave();
    }

    fn c_del_stmt_inner(&mut self, pn: Node) {
        if let Node::Id(q) = pn {
            self.delete_id(q);
            return;
        }
        if let Some(id) = self.as_kind(pn, Rule::AtomExprNormal) {
            self.compile_node(self.kid(id, 0));
            if let Node::Struct(mut id1) = self.kid(id, 1) {
                if self.rule_of(id1) == Rule::AtomExprTrailers {
                    let trailers = self.kids(id1);
                    let n = trailers.len();
                    for &t in &trailers[..n.saturating_sub(1)] {
                        self.compile_node(t);
                    }
                    match trailers.last() {
                        Some(Node::Struct(last)) => id1 = *last,
                        _ => {
                            self.syntax_error(pn, "can't delete expression");
                            return;
                        }
                    }
                }
                match self.rule_of(id1) {
                    Rule::TrailerBracket => {
                        self.compile_node(self.kid(id1, 0));
                        self.e().subscr(AccessKind::Delete);
                        return;
                    }
                    Rule::TrailerPeriod => {
                        let q = Self::leaf_qstr(self.kid(id1, 0));
                        self.e().attr(q, AccessKind::Delete);
                        return;
                    }
                    _ => {}
                }
            }
            self.syntax_error(pn, "can't delete expression");
            return;
        }
        if let Some(id) = self.as_kind(pn, Rule::AtomParen) {
            let inner = self.kid(id, 0);
            let Some(tc) = self.as_kind(inner, Rule::TestlistComp) else {
                self.syntax_error(inner, "can't delete expression");
                return;
            };
            if let Node::Struct(id1) = self.kid(tc, 1) {
                match self.rule_of(id1) {
                    Rule::TestlistComp3b => {
                        self.c_del_stmt(self.kid(tc, 0));
                        return;
                    }
                    Rule::TestlistComp3c => {
                        self.c_del_stmt(self.kid(tc, 0));
                        for &k in self.kids(id1) {
                            self.c_del_stmt(k);
                        }
                        return;
                    }
                    Rule::CompFor => {
                        self.syntax_error(inner, "can't delete expression");
                        return;
                    }
                    _ => {}
                }
            }
            // Two items (1.11), or any number when the parser flattens the list (1.29).
            for &k in self.kids(tc) {
                self.c_del_stmt(k);
            }
            return;
        }
        self.syntax_error(pn, "can't delete expression");
    }

    pub(super) fn compile_del_stmt(&mut self, id: StructId) {
        let list = self.extract_list(self.kid(id, 0), Rule::Exprlist);
        for &pn in list.as_slice() {
            self.c_del_stmt(pn);
        }
    }

    pub(super) fn compile_break_cont_stmt(&mut self, id: StructId) {
        let (label, msg) = if self.rule_of(id) == Rule::BreakStmt {
            (self.break_label, "'break' outside loop")
        } else {
            (self.continue_label, "'continue' outside loop")
        };
        if label == INVALID_LABEL {
            let msg = self.opts.rules.break_continue_message.unwrap_or(msg);
            self.syntax_error(Node::Struct(id), msg);
        }
        let depth = self
            .cur_except_level
            .saturating_sub(self.break_continue_except_level) as u32;
        self.e().unwind_jump(label, depth);
    }

    pub(super) fn compile_return_stmt(&mut self, id: StructId) {
        if self.scope().kind != ScopeKind::Function {
            self.syntax_error(Node::Struct(id), "'return' outside function");
            return;
        }
        let val = self.kid(id, 0);
        if val == Node::Null {
            self.e().load_const_tok(TokenKind::KwNone);
        } else if let Some(ie) = self.as_kind(val, Rule::TestIfExpr) {
            // `return a if b else c` returns from each branch.
            let Node::Struct(ifelse) = self.kid(ie, 1) else {
                return;
            };
            let l_fail = self.next_label();
            self.c_if_cond(self.kid(ifelse, 0), false, l_fail);
            self.compile_node(self.kid(ie, 0));
            self.e().return_value();
            self.e().label_assign(l_fail);
            self.compile_node(self.kid(ifelse, 1));
        } else {
            self.compile_node(val);
        }
        self.e().return_value();
    }

    pub(super) fn compile_raise_stmt(&mut self, id: StructId) {
        let arg = self.kid(id, 0);
        if arg == Node::Null {
            self.e().raise_varargs(0);
        } else if let Some(a) = self.as_kind(arg, Rule::RaiseStmtArg) {
            self.compile_node(self.kid(a, 0));
            self.compile_node(self.kid(a, 1));
            self.e().raise_varargs(2);
        } else {
            self.compile_node(arg);
            self.e().raise_varargs(1);
        }
    }

    /// Imports the module named by `pn` (`do_import_name`); returns the name to bind.
    fn do_import_name(&mut self, pn: Node) -> Qstr {
        let mut pn = pn;
        let mut q_base = Qstr::NULL;
        let mut is_as = false;
        if let Some(id) = self.as_kind(pn, Rule::DottedAsName) {
            q_base = Self::leaf_qstr(self.kid(id, 1));
            pn = self.kid(id, 0);
            is_as = true;
        }
        match pn {
            Node::Null => {
                q_base = Qstr::EMPTY;
                self.e().import(Qstr::EMPTY, ImportKind::Name);
            }
            Node::Id(q_full) => {
                if !is_as {
                    q_base = q_full;
                }
                self.e().import(q_full, ImportKind::Name);
            }
            Node::Struct(id) => {
                let parts = self.kids(id);
                if !is_as {
                    q_base = Self::leaf_qstr(self.kid(id, 0));
                }
                let len: usize = parts
                    .iter()
                    .map(|&p| self.pool.get(Self::leaf_qstr(p)).len() + 1)
                    .sum();
                let mut full: Vec<u8> = Vec::with_capacity(len);
                for (i, &p) in parts.iter().enumerate() {
                    if i > 0 {
                        full.push(b'.');
                    }
                    full.extend_from_slice(self.pool.get(Self::leaf_qstr(p)));
                }
                let q_full = self.pool.intern(&full);
                self.e().import(q_full, ImportKind::Name);
                if is_as {
                    for &p in parts.iter().skip(1) {
                        self.e().attr(Self::leaf_qstr(p), AccessKind::Load);
                    }
                }
            }
            _ => {}
        }
        q_base
    }

    pub(super) fn compile_import_name(&mut self, id: StructId) {
        let list = self.extract_list(self.kid(id, 0), Rule::DottedAsNames);
        for &pn in list.as_slice() {
            self.e().load_const_small_int(0);
            self.e().load_const_tok(TokenKind::KwNone);
            let q_base = self.do_import_name(pn);
            self.store_id(q_base);
        }
    }

    pub(super) fn compile_import_from(&mut self, id: StructId) {
        let mut source = self.kid(id, 0);
        let mut level = 0i64;
        let rel = if matches!(source, Node::Token(_))
            || self.is_kind(source, Rule::OneOrMorePeriodOrEllipsis)
        {
            let r = source;
            source = Node::Null;
            Some(r)
        } else if let Some(b) = self.as_kind(source, Rule::ImportFrom2b) {
            source = self.kid(b, 1);
            Some(self.kid(b, 0))
        } else {
            None
        };
        if let Some(rel) = rel {
            let dots = self.extract_list(rel, Rule::OneOrMorePeriodOrEllipsis);
            for &d in dots.as_slice() {
                level += if d == Node::Token(TokenKind::DelPeriod) {
                    1
                } else {
                    3
                };
            }
        }

        let what = self.kid(id, 1);
        if what == Node::Token(TokenKind::OpStar) {
            if self.opts.rules.import_star_module_only && self.scope().kind != ScopeKind::Module {
                self.syntax_error(Node::Struct(id), "import * not at module level");
                return;
            }
            self.e().load_const_small_int(level);
            let star = self.q.star;
            self.e().load_const_str(star);
            self.e().build(1, BuildKind::Tuple);
            self.do_import_name(source);
            self.e().import(Qstr::NULL, ImportKind::Star);
        } else {
            self.e().load_const_small_int(level);
            let names = self.extract_list(what, Rule::ImportAsNames);
            let names = names.as_slice();
            for &n in names {
                let q = self.import_as_name_parts(n).0;
                self.e().load_const_str(q);
            }
            self.e().build(names.len() as u32, BuildKind::Tuple);
            self.do_import_name(source);
            for &n in names {
                let (q, as_q) = self.import_as_name_parts(n);
                self.e().import(q, ImportKind::From);
                self.store_id(if as_q == Qstr::NULL { q } else { as_q });
            }
            self.e().pop_top();
        }
    }

    fn import_as_name_parts(&self, pn: Node) -> (Qstr, Qstr) {
        match pn {
            Node::Struct(id) => (
                Self::leaf_qstr(self.kid(id, 0)),
                Self::leaf_qstr(self.kid(id, 1)),
            ),
            other => (Self::leaf_qstr(other), Qstr::NULL),
        }
    }

    pub(super) fn compile_global_nonlocal_stmt(&mut self, id: StructId) {
        if self.pass != Pass::Scope {
            return;
        }
        let is_global = self.rule_of(id) == Rule::GlobalStmt;
        let pn = Node::Struct(id);
        if !is_global && self.scope().kind == ScopeKind::Module {
            self.syntax_error(pn, "can't declare nonlocal in outer code");
            return;
        }
        let names = self.extract_list(self.kid(id, 0), Rule::NameList);
        for &n in names.as_slice() {
            let qst = Self::leaf_qstr(n);
            let i = self.find_or_add_id(qst, IdKind::Undecided);
            if !self.declare_global_or_nonlocal(pn, i, qst, is_global) {
                return;
            }
        }
    }

    /// Declares name `i` (`qst`) of the current scope global or nonlocal
    /// (`compile_declare_global_or_nonlocal`); false when the global declaration failed.
    pub(super) fn declare_global_or_nonlocal(
        &mut self,
        pn: Node,
        i: usize,
        qst: Qstr,
        is_global: bool,
    ) -> bool {
        if is_global {
            let kind = self.scope().id_info[i].kind;
            if kind != IdKind::Undecided && kind != IdKind::GlobalExplicit {
                self.syntax_error(pn, "identifier redefined as global");
                return false;
            }
            self.scope_mut().id_info[i].kind = IdKind::GlobalExplicit;
            let module = crate::scope::outermost(&self.scopes, ScopeId(self.cur as u32));
            let m = &mut self.scopes[module.0 as usize];
            if let Some(j) = m.find(qst) {
                m.id_info[j].kind = IdKind::GlobalExplicit;
            }
        } else {
            let kind = self.scope().id_info[i].kind;
            if kind == IdKind::Undecided {
                self.scope_mut().id_info[i].kind = IdKind::GlobalImplicit;
                crate::scope::check_to_close_over(
                    &mut self.st.scopes,
                    ScopeId(self.st.cur as u32),
                    i,
                );
                if self.scope().id_info[i].kind == IdKind::GlobalImplicit {
                    self.syntax_error(pn, "no binding for nonlocal found");
                }
            } else if kind != IdKind::Free {
                self.syntax_error(pn, "identifier redefined as nonlocal");
            }
        }
        true
    }

    pub(super) fn compile_assert_stmt(&mut self, id: StructId) {
        if self.opts.opt_level != 0 {
            return;
        }
        let l_end = self.next_label();
        self.c_if_cond(self.kid(id, 0), true, l_end);
        let q = self.q.assertion_error;
        self.e().load_global(q, GlobalKind::Global);
        let msg = self.kid(id, 1);
        if msg != Node::Null {
            self.compile_node(msg);
            self.e().call_function(1, 0, 0);
        }
        self.e().raise_varargs(1);
        self.e().label_assign(l_end);
    }
}
