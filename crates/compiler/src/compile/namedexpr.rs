//! What MicroPython 1.29 compiles that 1.11 does not parse: assignment expressions (`:=`,
//! with a comprehension's target bound in the enclosing scope) and annotated assignments.

use mpcore::Qstr;
use syntax::{Node, StructId};

use super::Compiler;
use crate::emit::{Emit, Pass};
use crate::scope::{IdKind, ScopeKind, ID_FLAG_ASSIGNED};

impl<E: Emit + ?Sized> Compiler<'_, '_, E> {
    /// `name := expr` (`compile_namedexpr_helper`): the value stays on the stack.
    pub(super) fn compile_namedexpr_helper(&mut self, pn_name: Node, pn_expr: Node) {
        if !matches!(pn_name, Node::Id(_)) {
            self.syntax_error(pn_name, "can't assign to expression");
        }
        self.compile_node(pn_expr);
        self.e().dup_top();
        let Node::Id(target) = pn_name else {
            return;
        };
        let kind = self.scope().kind;
        let comp_like = matches!(
            kind,
            ScopeKind::ListComp | ScopeKind::DictComp | ScopeKind::SetComp | ScopeKind::GenExpr
        );
        if comp_like && self.opts.rules.walrus_stores_via_parent {
            return self.store_id_via_parent(target);
        }
        if self.pass == Pass::Scope && comp_like {
            self.bind_in_parent(pn_name, target);
        }
        self.store_id(target);
    }

    /// A comprehension's `:=` target belongs to the enclosing scope, honouring its `global`
    /// and `nonlocal` declarations.
    fn bind_in_parent(&mut self, pn_name: Node, target: Qstr) {
        let Some(parent) = self.scope().parent else {
            return;
        };
        let p = parent.0 as usize;
        // The parent's name, as an assignment there would make it.
        let j = self.scopes[p].find_or_add_id(target, IdKind::GlobalImplicit);
        if self.scopes[p].id_info[j].kind == IdKind::GlobalImplicit {
            if self.scopes[p].kind.is_func_like() {
                self.scopes[p].id_info[j].kind = IdKind::Local;
            } else if self.opts.rules.assigned_names_stay_global {
                self.scopes[p].id_info[j].flags |= ID_FLAG_ASSIGNED;
            }
        }
        if self.scopes[p].id_info[j].kind == IdKind::GlobalExplicit {
            self.find_or_add_id(target, IdKind::GlobalExplicit);
            return;
        }
        let i = self.find_or_add_id(target, IdKind::Undecided);
        let is_global = self.scopes[p].parent.is_none();
        if !is_global && self.scope().id_info[i].kind == IdKind::GlobalImplicit {
            self.scope_mut().id_info[i].kind = IdKind::Undecided;
        }
        self.declare_global_or_nonlocal(pn_name, i, target, is_global);
    }

    /// `lhs: annotation` or `lhs: annotation = value` (`annassign`): the annotation is not
    /// compiled; without a value a name in a function becomes a local.
    pub(super) fn compile_annassign(&mut self, lhs: Node, ann: StructId) {
        let value = self.kid(ann, 1);
        if value == Node::Null {
            if self.scope().kind == ScopeKind::Function {
                if let Node::Id(q) = lhs {
                    self.find_or_add_id(q, IdKind::Local);
                }
            }
            return;
        }
        self.compile_plain_assign(lhs, value);
    }
}
