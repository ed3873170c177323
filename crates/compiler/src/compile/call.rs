//! Calls (positional, keyword, `*args`, `**kwargs`) and comprehensions.

use syntax::{Node, Rule, StructId};

use super::Compiler;
use crate::emit::{BuildKind, Emit, Pass, YieldKind, STAR_FLAG_DOUBLE, STAR_FLAG_SINGLE};
use crate::release::StarArgs;
use crate::scope::{IdKind, ScopeKind};

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    /// Compiles the arguments in `arglist` and the call; the callable (or method and self)
    /// is on the stack, plus `n_positional_extra` positional arguments.
    pub(super) fn compile_trailer_paren_helper(
        &mut self,
        arglist: Node,
        is_method_call: bool,
        n_positional_extra: u32,
    ) {
        if self.opts.rules.star_args == StarArgs::Bitmap {
            self.compile_trailer_paren_bitmap(arglist, is_method_call, n_positional_extra);
            return;
        }
        let args = self.extract_list(arglist, Rule::Arglist);
        let args = args.as_slice();

        let mut n_positional = n_positional_extra;
        let mut n_keyword = 0u32;
        let mut star_flags = 0u32;
        let mut star_args: Option<StructId> = None;
        let mut dblstar_args: Option<StructId> = None;
        for &arg in args {
            let mut normal = true;
            if let Node::Struct(a) = arg {
                match self.rule_of(a) {
                    Rule::ArglistStar => {
                        if star_flags & STAR_FLAG_SINGLE != 0 {
                            self.syntax_error(arg, "can't have multiple *x");
                            return;
                        }
                        star_flags |= STAR_FLAG_SINGLE;
                        star_args = Some(a);
                        normal = false;
                    }
                    Rule::ArglistDblStar => {
                        if star_flags & STAR_FLAG_DOUBLE != 0 {
                            self.syntax_error(arg, "can't have multiple **x");
                            return;
                        }
                        star_flags |= STAR_FLAG_DOUBLE;
                        dblstar_args = Some(a);
                        normal = false;
                    }
                    Rule::Argument => {
                        // `name := value` (1.13 to 1.18: 1.11's and 1.12's grammars make no
                        // such node): positional, without the checks of a plain argument.
                        if let Some(walrus) = self.as_kind(self.kid(a, 1), Rule::Argument3) {
                            self.compile_namedexpr_helper(self.kid(a, 0), self.kid(walrus, 0));
                            n_positional += 1;
                        } else if !self.is_kind(self.kid(a, 1), Rule::CompFor) {
                            let Node::Id(kw) = self.kid(a, 0) else {
                                self.syntax_error(arg, "LHS of keyword arg must be an id");
                                return;
                            };
                            self.e().load_const_str(kw);
                            self.compile_node(self.kid(a, 1));
                            n_keyword += 1;
                        } else {
                            self.compile_comprehension(a, ScopeKind::GenExpr);
                            n_positional += 1;
                        }
                        normal = false;
                    }
                    _ => {}
                }
            }
            if normal {
                if star_flags != 0 {
                    self.syntax_error(arg, "non-keyword arg after */**");
                    return;
                }
                if n_keyword > 0 {
                    self.syntax_error(arg, "non-keyword arg after keyword arg");
                    return;
                }
                self.compile_node_hot(arg);
                n_positional += 1;
            }
        }

        if star_flags != 0 {
            match star_args {
                None => self.e().load_null(),
                Some(a) => self.compile_node(self.kid(a, 0)),
            }
            match dblstar_args {
                None => self.e().load_null(),
                Some(a) => self.compile_node(self.kid(a, 0)),
            }
        }

        if is_method_call {
            self.e().call_method(n_positional, n_keyword, star_flags);
        } else {
            self.e().call_function(n_positional, n_keyword, star_flags);
        }
    }

    /// [`Self::compile_trailer_paren_helper`] for releases that pass each `*x` in place,
    /// marked in a bitmap pushed after the arguments, and each `**x` as a keyword argument
    /// with a null key (MicroPython 1.29).
    fn compile_trailer_paren_bitmap(
        &mut self,
        arglist: Node,
        is_method_call: bool,
        n_positional_extra: u32,
    ) {
        let args = self.extract_list(arglist, Rule::Arglist);
        let args = args.as_slice();

        let mut n_positional = n_positional_extra;
        let mut n_keyword = 0u32;
        let mut star_flags = 0u32;
        let mut star_args = 0i64;
        for (i, &arg) in args.iter().enumerate() {
            let rule = match arg {
                Node::Struct(a) => Some((a, self.rule_of(a))),
                _ => None,
            };
            match rule {
                Some((a, Rule::ArglistStar)) => {
                    if star_flags & STAR_FLAG_DOUBLE != 0 {
                        self.syntax_error(arg, "* arg after **");
                        return;
                    }
                    if n_keyword > 0 && self.opts.rules.star_after_keyword_error {
                        self.syntax_error(arg, "* arg after kwarg");
                        return;
                    }
                    if i + 1 >= usize::from(self.opts.small_int_bits) {
                        self.syntax_error(arg, "too many args");
                        return;
                    }
                    star_flags |= STAR_FLAG_SINGLE;
                    star_args |= 1i64 << i;
                    self.compile_node(self.kid(a, 0));
                    n_positional += 1;
                }
                Some((a, Rule::ArglistDblStar)) => {
                    star_flags |= STAR_FLAG_DOUBLE;
                    self.e().load_null();
                    self.compile_node(self.kid(a, 0));
                    n_keyword += 1;
                }
                Some((a, Rule::Argument)) => {
                    if let Some(walrus) = self.as_kind(self.kid(a, 1), Rule::Argument3) {
                        self.compile_namedexpr_helper(self.kid(a, 0), self.kid(walrus, 0));
                        n_positional += 1;
                    } else if !self.is_kind(self.kid(a, 1), Rule::CompFor) {
                        let Node::Id(kw) = self.kid(a, 0) else {
                            self.syntax_error(arg, "LHS of keyword arg must be an id");
                            return;
                        };
                        self.e().load_const_str(kw);
                        self.compile_node(self.kid(a, 1));
                        n_keyword += 1;
                    } else {
                        self.compile_comprehension(a, ScopeKind::GenExpr);
                        n_positional += 1;
                    }
                }
                _ => {
                    if star_flags & STAR_FLAG_DOUBLE != 0 {
                        self.syntax_error(arg, "positional arg after **");
                        return;
                    }
                    if n_keyword > 0 {
                        self.syntax_error(arg, "positional arg after keyword arg");
                        return;
                    }
                    self.compile_node_hot(arg);
                    n_positional += 1;
                }
            }
        }
        if star_flags != 0 {
            self.e().load_const_small_int(star_args);
        }
        if is_method_call {
            self.e().call_method(n_positional, n_keyword, star_flags);
        } else {
            self.e().call_function(n_positional, n_keyword, star_flags);
        }
    }

    /// A comprehension or generator expression: `id` has the element expression and a
    /// `comp_for`; makes the scope (first pass), the function, and calls it on the iterator.
    pub(super) fn compile_comprehension(&mut self, id: StructId, kind: ScopeKind) {
        let Node::Struct(comp_for) = self.kid(id, 1) else {
            return;
        };
        if self.pass == Pass::Scope {
            let opt = self.scope().emit_options;
            self.new_child_scope(kind, Node::Struct(id), comp_for, opt);
        }
        let Some(child) = self.scope_for(comp_for) else {
            return;
        };
        self.close_over_variables_etc(child, 0, 0);
        self.compile_node(self.kid(comp_for, 1));
        if kind == ScopeKind::GenExpr {
            self.e().get_iter(false);
        }
        self.e().call_function(1, 0, 0);
    }

    /// The body of a comprehension scope.
    pub(super) fn compile_scope_comprehension(&mut self, pn: Node) {
        let Node::Struct(id) = pn else { return };
        let Node::Struct(comp_for) = self.kid(id, 1) else {
            return;
        };
        let kind = self.scope().kind;
        let arg = self.q.empty;
        self.scope_start_line(pn);
        if self.pass == Pass::Scope {
            self.find_or_add_id(arg, IdKind::Local);
            self.scope_mut().num_pos_args = 1;
        }
        match kind {
            ScopeKind::ListComp => self.e().build(0, BuildKind::List),
            ScopeKind::DictComp => self.e().build(0, BuildKind::Map),
            ScopeKind::SetComp => self.e().build(0, BuildKind::Set),
            _ => {}
        }
        if kind == ScopeKind::GenExpr {
            self.e().load_null();
            self.load_id(arg);
            self.e().load_null();
            self.e().load_null();
        } else {
            self.load_id(arg);
            self.e().get_iter(true);
        }
        self.compile_scope_comp_iter(comp_for, self.kid(id, 0), 0);
        if kind == ScopeKind::GenExpr {
            self.e().load_const_tok(syntax::TokenKind::KwNone);
        }
        self.e().return_value();
    }

    fn compile_scope_comp_iter(&mut self, comp_for: StructId, inner: Node, for_depth: u32) {
        if !self.enter(Node::Struct(comp_for)) {
            return;
        }
        let l_top = self.next_label();
        let l_end = self.next_label();
        self.e().label_assign(l_top);
        self.e().for_iter(l_end);
        self.c_assign(self.kid(comp_for, 0), super::assign::AssignKind::Store);
        let mut pn_iter = self.kid(comp_for, 2);
        loop {
            match pn_iter {
                Node::Struct(it) if self.rule_of(it) == Rule::CompIf => {
                    self.c_if_cond(self.kid(it, 0), false, l_top);
                    pn_iter = self.kid(it, 1);
                }
                Node::Struct(it) => {
                    self.compile_node(self.kid(it, 1));
                    self.e().get_iter(true);
                    self.compile_scope_comp_iter(it, inner, for_depth + 1);
                    break;
                }
                _ => {
                    self.compile_node(inner);
                    let kind = self.scope().kind;
                    if kind == ScopeKind::GenExpr {
                        self.emit_yield(YieldKind::Value);
                        self.e().pop_top();
                    } else {
                        self.e().store_comp(kind, 4 * for_depth + 5);
                    }
                    break;
                }
            }
        }
        self.e().jump(l_top);
        self.e().label_assign(l_end);
        self.e().for_iter_end();
        self.leave();
    }
}
