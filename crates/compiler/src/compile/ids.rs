//! Name resolution: loads, stores and deletes of names, closures, and local slot numbering.

use mpcore::Qstr;
use rawcode::NativeType;

use super::slots::Slots;
use super::Compiler;
use crate::emit::{Emit, GlobalKind, LocalKind, Pass};
use crate::runtime0::{
    SCOPE_FLAG_DEFKWARGS, SCOPE_FLAG_HASCONSTS, SCOPE_FLAG_REFGLOBALS, SCOPE_FLAG_VARARGS,
};
use crate::scope::{
    FreesByName, IdInfo, IdKind, Scope, ScopeId, ScopeKind, ID_FLAG_IS_HIDDEN, ID_FLAG_IS_PARAM,
    ID_FLAG_IS_STAR_PARAM,
};

/// Where each name of the scope being compiled sits in its `id_info`, by qstr number: lookups
/// of the current scope cost one load however many names it has.
pub(super) struct NameSlots(Slots);

impl NameSlots {
    /// A table for a compilation whose pool has `n` qstrs so far: the one in `spare` (left by
    /// the last compilation) if there is one.
    pub(super) fn take(spare: &mut Option<Slots>, n: usize) -> NameSlots {
        NameSlots(Slots::take(spare, n))
    }

    /// Keeps the table in `spare` for the next compilation.
    pub(super) fn give_back(self, spare: &mut Option<Slots>) {
        self.0.give_back(spare);
    }

    /// Starts a pass over a scope whose names so far are `ids`: every other name is unknown.
    #[inline]
    pub(super) fn start(&mut self, ids: &[IdInfo]) {
        self.0.clear();
        // In reverse, so that the first of any repeated name wins, as in a linear search.
        for (i, id) in ids.iter().enumerate().rev() {
            if id.flags & ID_FLAG_IS_HIDDEN == 0 {
                self.set(id.qst, i);
            }
        }
    }

    /// The index of `qst` in the current scope's `id_info`, if known.
    #[inline]
    pub(super) fn get(&self, qst: Qstr) -> Option<usize> {
        self.0.get(usize::from(qst.0)).map(|i| i as usize)
    }

    /// Records that `qst` is at `index` of the current scope's `id_info`.
    #[inline]
    pub(super) fn set(&mut self, qst: Qstr, index: usize) {
        self.0.set(usize::from(qst.0), index as u32);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum IdOp {
    Load,
    Store,
    Delete,
}

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    /// The index of `qst` in the current scope's names, if known (`scope_find`).
    #[inline]
    pub(super) fn find_id(&self, qst: Qstr) -> Option<usize> {
        self.names.get(qst)
    }

    /// The index of `qst` in the current scope's names, added with `kind` if new
    /// (`scope_find_or_add_id`).
    #[inline(always)]
    pub(super) fn find_or_add_id(&mut self, qst: Qstr, kind: IdKind) -> usize {
        match self.names.get(qst) {
            Some(i) => i,
            None => self.add_id(qst, kind),
        }
    }

    /// Adds `qst`, not yet known, to the current scope's names with `kind`.
    #[inline(never)]
    fn add_id(&mut self, qst: Qstr, kind: IdKind) -> usize {
        let i = self.st.scopes[self.st.cur].push_id(qst, kind);
        self.names.set(qst, i);
        i
    }

    #[inline]
    pub(super) fn load_id(&mut self, qst: Qstr) {
        if self.pass == Pass::Scope {
            self.find_or_add_id(qst, IdKind::GlobalImplicit);
        } else {
            self.id_op(qst, IdOp::Load);
        }
    }

    pub(super) fn store_id(&mut self, qst: Qstr) {
        if self.pass == Pass::Scope {
            self.id_for_modification(qst);
        } else {
            self.id_op(qst, IdOp::Store);
        }
    }

    pub(super) fn delete_id(&mut self, qst: Qstr) {
        if self.pass == Pass::Scope {
            self.id_for_modification(qst);
        } else {
            self.id_op(qst, IdOp::Delete);
        }
    }

    /// A name is written: in function-like scopes an undeclared name becomes a local.
    fn id_for_modification(&mut self, qst: Qstr) {
        let i = self.find_or_add_id(qst, IdKind::GlobalImplicit);
        let mark_assigned = self.opts.rules.assigned_names_stay_global;
        let scope = self.scope_mut();
        if scope.id_info[i].kind == IdKind::GlobalImplicit {
            if scope.kind.is_func_like() {
                scope.id_info[i].kind = IdKind::Local;
            } else if mark_assigned {
                scope.id_info[i].flags |= crate::scope::ID_FLAG_ASSIGNED;
            }
        }
    }

    /// 1.19's store of a comprehension's `:=` target: made as if written in the enclosing
    /// scope, whose record of the name (added there in the scope pass) gives the store's kind
    /// and slot ([`crate::release::Rules::walrus_stores_via_parent`]).
    pub(super) fn store_id_via_parent(&mut self, qst: Qstr) {
        let Some(parent) = self.scope().parent else {
            return self.store_id(qst);
        };
        let p = parent.0 as usize;
        let found = self.st.scopes[p]
            .id_info
            .iter()
            .position(|id| id.qst == qst && id.flags & ID_FLAG_IS_HIDDEN == 0);
        if self.pass == Pass::Scope {
            let mark_assigned = self.opts.rules.assigned_names_stay_global;
            let scope = &mut self.st.scopes[p];
            let i = found.unwrap_or_else(|| scope.push_id(qst, IdKind::GlobalImplicit));
            if scope.id_info[i].kind == IdKind::GlobalImplicit {
                if scope.kind.is_func_like() {
                    scope.id_info[i].kind = IdKind::Local;
                } else if mark_assigned {
                    scope.id_info[i].flags |= crate::scope::ID_FLAG_ASSIGNED;
                }
            }
        } else {
            let (kind, num) = match found.map(|i| &self.st.scopes[p].id_info[i]) {
                Some(id) => (id.kind, id.local_num as u32),
                None => (IdKind::GlobalImplicit, 0),
            };
            self.emit_id_op(qst, IdOp::Store, kind, num);
        }
    }

    fn id_op(&mut self, qst: Qstr, op: IdOp) {
        let (kind, num) = match self.find_id(qst).and_then(|i| self.scope().id_info.get(i)) {
            Some(id) => (id.kind, id.local_num as u32),
            // Every name was added in the scope pass; fall back to a name lookup regardless.
            None => (IdKind::GlobalImplicit, 0),
        };
        self.emit_id_op(qst, op, kind, num);
    }

    /// The load, store or delete of `qst` for a name of `kind` in slot `num`.
    fn emit_id_op(&mut self, qst: Qstr, op: IdOp, kind: IdKind, num: u32) {
        let e = self.e();
        match kind {
            IdKind::GlobalImplicit | IdKind::GlobalExplicit => {
                let g = if kind == IdKind::GlobalImplicit {
                    GlobalKind::Name
                } else {
                    GlobalKind::Global
                };
                match op {
                    IdOp::Load => e.load_global(qst, g),
                    IdOp::Store => e.store_global(qst, g),
                    IdOp::Delete => e.delete_global(qst, g),
                }
            }
            _ => {
                let l = if kind == IdKind::Local {
                    LocalKind::Fast
                } else {
                    LocalKind::Deref
                };
                match op {
                    IdOp::Load => e.load_local(qst, num, l),
                    IdOp::Store => e.store_local(qst, num, l),
                    IdOp::Delete => e.delete_local(qst, num, l),
                }
            }
        }
    }

    /// Makes the function or closure object for `child` (`close_over_variables_etc`); the
    /// defaults, if any, are already on the stack.
    pub(super) fn close_over_variables_etc(
        &mut self,
        child: ScopeId,
        n_pos_defaults: u16,
        n_kw_defaults: u16,
    ) {
        let c = child.0 as usize;
        if n_kw_defaults > 0 {
            self.scopes[c].scope_flags |= SCOPE_FLAG_DEFKWARGS;
        }
        self.scopes[c].num_def_pos_args = n_pos_defaults;
        // mpy-cross is built with native emitters, which mark the maker's scope like this.
        self.scope_mut().scope_flags |= SCOPE_FLAG_REFGLOBALS | SCOPE_FLAG_HASCONSTS;

        // The scope pass emits nothing, and cells and frees are only known after it.
        if self.pass == Pass::Scope {
            return;
        }
        let mut nfree = 0u32;
        // Only a child with free variables takes any of this scope's cells and frees.
        if self.scope().kind != ScopeKind::Module
            && self.scopes[c]
                .id_info
                .iter()
                .any(|id| id.kind == IdKind::Free)
        {
            let (outer, inner) = (&self.st.scopes[self.st.cur], &self.st.scopes[c]);
            let inner_frees = FreesByName::of(inner);
            let emit = &mut *self.emit;
            for id in &outer.id_info {
                if id.kind == IdKind::Cell || id.kind == IdKind::Free {
                    for _ in inner_frees.named(id.qst) {
                        emit.load_local(id.qst, id.local_num as u32, LocalKind::Fast);
                        nfree += 1;
                    }
                }
            }
        }

        let child_scope = &self.st.scopes[c];
        if nfree == 0 {
            self.emit.make_function(
                child,
                child_scope,
                n_pos_defaults as u32,
                n_kw_defaults as u32,
            );
        } else {
            self.emit.make_closure(
                child,
                child_scope,
                nfree,
                n_pos_defaults as u32,
                n_kw_defaults as u32,
            );
        }
    }
}

/// Numbers the locals, cells and frees of scope `si` (`scope_compute_things`).
///
/// `class_q` is the qstr `__class__` (a class scope gives it no slot).
pub(super) fn compute_things(
    scopes: &mut [Scope],
    si: usize,
    pool: &mpcore::QstrPool,
    class_q: Qstr,
) {
    {
        let scope = &mut scopes[si];
        // The *args parameter goes after all other parameters (but before **kwargs).
        if scope.scope_flags & SCOPE_FLAG_VARARGS != 0 {
            let mut id_param: Option<usize> = None;
            for i in (0..scope.id_info.len()).rev() {
                let flags = scope.id_info[i].flags;
                if flags & ID_FLAG_IS_STAR_PARAM != 0 {
                    if let Some(p) = id_param {
                        scope.swap_ids(p, i);
                    }
                    break;
                } else if id_param.is_none() && flags == ID_FLAG_IS_PARAM {
                    id_param = Some(i);
                }
            }
        }

        let func_like = scope.kind.is_func_like();
        let is_class = scope.kind == ScopeKind::Class;
        let viper = scope.emit_options == crate::scope::EmitOpt::Viper;
        let mut num_locals = 0u16;
        let mut refs_globals = false;
        let mut has_cells = false;
        for id in scope.id_info.iter_mut() {
            has_cells |= id.kind == IdKind::Cell;
            if is_class && id.qst == class_q {
                continue;
            }
            if func_like && id.kind == IdKind::GlobalImplicit {
                id.kind = IdKind::GlobalExplicit;
            }
            if id.kind == IdKind::GlobalExplicit {
                // In viper, int/uint/ptr* names are casts, not references to globals.
                let cast = viper
                    && NativeType::from_annotation(pool.get(id.qst))
                        .is_some_and(|t| !matches!(t, NativeType::Obj | NativeType::Bool));
                refs_globals |= !cast;
            }
            if id.kind == IdKind::Local || id.flags & ID_FLAG_IS_PARAM != 0 {
                id.local_num = num_locals;
                num_locals = num_locals.wrapping_add(1);
            }
        }
        if refs_globals {
            scope.scope_flags |= SCOPE_FLAG_REFGLOBALS;
        }

        if has_cells {
            for id in scope.id_info.iter_mut() {
                if id.kind == IdKind::Cell && id.flags & ID_FLAG_IS_PARAM == 0 {
                    id.local_num = num_locals;
                    num_locals = num_locals.wrapping_add(1);
                }
            }
        }
        scope.num_locals = num_locals;
    }

    // Free variables are numbered in the order of the parent's cells and frees: a scope
    // without any has nothing to number.
    if !scopes[si].id_info.iter().any(|id| id.kind == IdKind::Free) {
        return;
    }
    let Some(parent) = scopes[si].parent else {
        return;
    };
    let p = parent.0 as usize;
    if scopes[p].parent.is_none() {
        // The module has no cells or frees to pass on.
        return;
    }
    let mut num_free = 0u16;
    let frees = FreesByName::of(&scopes[si]);
    let (parent_scope, child) = if p < si {
        let (a, b) = scopes.split_at_mut(si);
        (&a[p], &mut b[0])
    } else {
        let (a, b) = scopes.split_at_mut(p);
        (&b[0], &mut a[si])
    };
    for id in &parent_scope.id_info {
        if id.kind == IdKind::Cell || id.kind == IdKind::Free {
            for j in frees.named(id.qst) {
                child.id_info[j].local_num = num_free;
                num_free = num_free.wrapping_add(1);
            }
        }
    }
    if num_free > 0 {
        let scope = &mut scopes[si];
        for id in scope.id_info.iter_mut() {
            if id.kind != IdKind::Free || id.flags & ID_FLAG_IS_PARAM != 0 {
                id.local_num = id.local_num.wrapping_add(num_free);
            }
        }
        scope.num_pos_args = scope.num_pos_args.wrapping_add(num_free);
        scope.num_locals = scope.num_locals.wrapping_add(num_free);
    }
}
