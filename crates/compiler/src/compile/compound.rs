//! Compound statements: `if`, `while`, `for` (with the `range` form), `try`, `with`, and the
//! `async` forms.

use mpcore::Qstr;
use syntax::{Node, Rule, StructId, TokenKind};

use super::assign::AssignKind;
use super::Compiler;
use crate::emit::{BlockKind, Emit, GlobalKind, Label, LocalKind, Pass, BREAK_FROM_FOR};
use crate::runtime0::*;

/// The variable `async for` keeps its iterator in.
///
/// v1.11's `compile_async_for_stmt` takes it as `MP_PARSE_NODE_LEAF_ARG` of the iterator
/// expression's node, whatever that node is. A name gives that name (the iterator is stored
/// into it); a string or bytes leaf its qstr; a token its token number read as a qstr (`None`
/// is `__getattr__`); a small int `v` the bits of `2v+1` shifted right by 4, read as a qstr
/// number (`184` is `__name__`). Any struct node (a call, an attribute, a long string or a
/// big int, a float) gives its address shifted right by 4: a number no qstr reaches on a
/// 64-bit host (the qstr pool would need billions of entries) and no other node shares, so
/// each such loop gets a fresh local of its own. A positive small int could in principle
/// equal one such number (8 times the address of another loop's node), which depends on the
/// reference's memory layout and is not reproducible; it is not modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AsyncIterName {
    /// A qstr number (which may be one no source name has).
    Named(Qstr),
    /// A number beyond 16 bits: a local that only this key reaches.
    Hidden(u64),
}

impl AsyncIterName {
    fn of(pn: Node) -> AsyncIterName {
        match pn {
            Node::Id(q) | Node::Str(q) | Node::Bytes(q) => AsyncIterName::Named(q),
            Node::Token(t) => AsyncIterName::Named(Qstr(t as u16)),
            Node::SmallInt(v) => {
                let arg = ((v as u64) << 1 | 1) >> 4;
                match u16::try_from(arg) {
                    Ok(n) => AsyncIterName::Named(Qstr(n)),
                    Err(_) => AsyncIterName::Hidden(arg),
                }
            }
            // Small-int keys stay below 2^60: the top bit keeps node keys apart.
            Node::Struct(id) => AsyncIterName::Hidden(1 << 63 | u64::from(id.0)),
            Node::Null => AsyncIterName::Named(Qstr::NULL),
        }
    }
}

/// Saved loop labels (`START_BREAK_CONTINUE_BLOCK`).
struct LoopSave {
    break_label: Label,
    continue_label: Label,
    except_level: u16,
}

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    fn start_loop(&mut self) -> (LoopSave, Label, Label) {
        let save = LoopSave {
            break_label: self.break_label,
            continue_label: self.continue_label,
            except_level: self.break_continue_except_level,
        };
        let break_label = self.next_label();
        let continue_label = self.next_label();
        self.break_label = break_label;
        self.continue_label = continue_label;
        self.break_continue_except_level = self.cur_except_level;
        (save, break_label, continue_label)
    }

    fn end_loop(&mut self, save: LoopSave) {
        self.break_label = save.break_label;
        self.continue_label = save.continue_label;
        self.break_continue_except_level = save.except_level;
    }

    fn increase_except_level(&mut self, label: Label, kind: BlockKind) {
        self.e().setup_block(label, kind);
        self.cur_except_level = self.cur_except_level.saturating_add(1);
        if self.cur_except_level > self.scope().exc_stack_size {
            let level = self.cur_except_level;
            self.scope_mut().exc_stack_size = level;
        }
    }

    fn decrease_except_level(&mut self) {
        self.cur_except_level = self.cur_except_level.saturating_sub(1);
        self.e().end_finally();
        self.reserve_labels_for_native(1);
    }

    pub(super) fn compile_if_stmt(&mut self, id: StructId) {
        let l_end = self.next_label();
        let cond = self.kid(id, 0);
        if !self.is_const_false(cond) {
            let l_fail = self.next_label();
            self.c_if_cond(cond, false, l_fail);
            self.compile_node(self.kid(id, 1));
            if self.is_const_true(cond) {
                self.e().label_assign(l_end);
                return;
            }
            let has_more = !(self.kid(id, 2) == Node::Null && self.kid(id, 3) == Node::Null);
            if has_more && !self.e().last_emit_was_return_value() {
                self.e().jump(l_end);
            }
            self.e().label_assign(l_fail);
        }

        let elifs = self.extract_list(self.kid(id, 2), Rule::IfStmtElifList);
        for &elif in elifs.as_slice() {
            let Node::Struct(e) = elif else { continue };
            let cond = self.kid(e, 0);
            if !self.is_const_false(cond) {
                let l_fail = self.next_label();
                self.c_if_cond(cond, false, l_fail);
                self.compile_node(self.kid(e, 1));
                if self.is_const_true(cond) {
                    self.e().label_assign(l_end);
                    return;
                }
                if !self.e().last_emit_was_return_value() {
                    self.e().jump(l_end);
                }
                self.e().label_assign(l_fail);
            }
        }

        self.compile_node(self.kid(id, 3));
        self.e().label_assign(l_end);
    }

    pub(super) fn compile_while_stmt(&mut self, id: StructId) {
        let (save, break_label, continue_label) = self.start_loop();
        let cond = self.kid(id, 0);
        if !self.is_const_false(cond) {
            let top_label = self.next_label();
            if !self.is_const_true(cond) {
                self.e().jump(continue_label);
            }
            self.e().label_assign(top_label);
            self.compile_node(self.kid(id, 1));
            self.e().label_assign(continue_label);
            self.c_if_cond(cond, true, top_label);
        }
        self.end_loop(save);
        self.compile_node(self.kid(id, 2));
        self.e().label_assign(break_label);
    }

    #[allow(clippy::too_many_arguments)]
    fn compile_for_stmt_optimised_range(
        &mut self,
        pn_var: Node,
        pn_start: Node,
        pn_end: Node,
        pn_step: Node,
        pn_body: Node,
        pn_else: Node,
    ) {
        let (save, break_label, continue_label) = self.start_loop();
        let top_label = self.next_label();
        let entry_label = self.next_label();

        let end_on_stack = !matches!(pn_end, Node::SmallInt(_));
        if end_on_stack {
            self.compile_node(pn_end);
        }
        self.compile_node(pn_start);
        self.e().jump(entry_label);
        self.e().label_assign(top_label);
        self.e().dup_top();
        self.c_assign(pn_var, AssignKind::Store);
        self.compile_node(pn_body);
        self.e().label_assign(continue_label);
        self.compile_node(pn_step);
        self.e().binary_op(BINARY_OP_INPLACE_ADD);
        self.e().label_assign(entry_label);
        if end_on_stack {
            self.e().dup_top_two();
            self.e().rot_two();
        } else {
            self.e().dup_top();
            self.compile_node(pn_end);
        }
        let step_nonneg = matches!(pn_step, Node::SmallInt(v) if v >= 0);
        self.e().binary_op(if step_nonneg {
            BINARY_OP_LESS
        } else {
            BINARY_OP_MORE
        });
        self.e().pop_jump_if(true, top_label);

        self.end_loop(save);

        let mut end_label = 0;
        if pn_else != Node::Null {
            self.e().pop_top();
            if end_on_stack {
                self.e().pop_top();
            }
            self.compile_node(pn_else);
            end_label = self.next_label();
            self.e().jump(end_label);
            self.e().adjust_stack_size(1 + end_on_stack as i32);
        }
        self.e().label_assign(break_label);
        self.e().pop_top();
        if end_on_stack {
            self.e().pop_top();
        }
        if pn_else != Node::Null {
            self.e().label_assign(end_label);
        }
    }

    /// The arguments of `range(...)` when `pn` is a call of the name `range` that the
    /// optimised loop can handle.
    fn range_args(&self, pn: Node) -> Option<(Node, Node, Node)> {
        let it = self.as_kind(pn, Rule::AtomExprNormal)?;
        if self.kid(it, 0) != Node::Id(self.q.range) {
            return None;
        }
        let paren = self.as_kind(self.kid(it, 1), Rule::TrailerParen)?;
        let args = self.extract_list(self.kid(paren, 0), Rule::Arglist);
        let args = args.as_slice();
        let (start, end, step) = match args.len() {
            1 => (Node::SmallInt(0), args[0], Node::SmallInt(1)),
            2 => (args[0], args[1], Node::SmallInt(1)),
            3 => {
                if !matches!(args[2], Node::SmallInt(v) if v != 0) {
                    return None;
                }
                (args[0], args[1], args[2])
            }
            _ => return None,
        };
        for a in [start, end] {
            if let Node::Struct(s) = a {
                if matches!(
                    self.rule_of(s),
                    Rule::ArglistStar | Rule::ArglistDblStar | Rule::Argument
                ) {
                    return None;
                }
            }
        }
        Some((start, end, step))
    }

    pub(super) fn compile_for_stmt(&mut self, id: StructId) {
        let var = self.kid(id, 0);
        if matches!(var, Node::Id(_)) {
            if let Some((start, end, step)) = self.range_args(self.kid(id, 1)) {
                let (body, els) = (self.kid(id, 2), self.kid(id, 3));
                self.compile_for_stmt_optimised_range(var, start, end, step, body, els);
                return;
            }
        }

        let (save, break_label, continue_label) = self.start_loop();
        self.break_label |= BREAK_FROM_FOR;
        let pop_label = self.next_label();
        self.compile_node(self.kid(id, 1));
        self.e().get_iter(true);
        self.e().label_assign(continue_label);
        self.e().for_iter(pop_label);
        self.c_assign(var, AssignKind::Store);
        self.compile_node(self.kid(id, 2));
        if !self.e().last_emit_was_return_value() {
            self.e().jump(continue_label);
        }
        self.e().label_assign(pop_label);
        self.e().for_iter_end();
        self.end_loop(save);
        self.compile_node(self.kid(id, 3));
        self.e().label_assign(break_label);
    }

    fn compile_try_except(&mut self, body: Node, excepts: &[Node], pn_else: Node) {
        let l1 = self.next_label();
        let success_label = self.next_label();
        self.increase_except_level(l1, BlockKind::Except);
        self.compile_node(body);
        self.e().pop_except_jump(success_label, false);
        self.e().label_assign(l1);
        self.e().start_except_handler();

        let l2 = self.next_label();
        let n_except = excepts.len();
        for (i, &exc) in excepts.iter().enumerate() {
            let Node::Struct(pe) = exc else { continue };
            let mut exc_local = Qstr::NULL;
            let end_finally_label = self.next_label();
            let mut exc_expr = self.kid(pe, 0);
            if exc_expr == Node::Null {
                if i + 1 != n_except {
                    self.syntax_error(exc, "default 'except' must be last");
                    self.decrease_except_level();
                    return;
                }
            } else {
                if let Some(asn) = self.as_kind(exc_expr, Rule::TryStmtAsName) {
                    exc_expr = self.kid(asn, 0);
                    exc_local = Self::leaf_qstr(self.kid(asn, 1));
                }
                self.e().dup_top();
                self.compile_node(exc_expr);
                self.e().binary_op(BINARY_OP_EXCEPTION_MATCH);
                self.e().pop_jump_if(false, end_finally_label);
            }

            if exc_local == Qstr::NULL {
                self.e().pop_top();
            } else {
                self.store_id(exc_local);
            }

            let mut l3 = 0;
            if exc_local != Qstr::NULL {
                l3 = self.next_label();
                self.increase_except_level(l3, BlockKind::Finally);
            }
            self.compile_node(self.kid(pe, 1));
            if exc_local != Qstr::NULL {
                self.e().load_const_tok(TokenKind::KwNone);
                self.e().label_assign(l3);
                let slot = i32::from(self.opts.rules.finally_return_slot);
                self.e().adjust_stack_size(slot);
                self.e().load_const_tok(TokenKind::KwNone);
                self.store_id(exc_local);
                self.delete_id(exc_local);
                self.e().adjust_stack_size(-slot);
                self.decrease_except_level();
            }
            self.e().pop_except_jump(l2, true);
            self.e().label_assign(end_finally_label);
            self.e().adjust_stack_size(1);
        }

        self.decrease_except_level();
        self.e().end_except_handler();
        self.e().label_assign(success_label);
        self.compile_node(pn_else);
        self.e().label_assign(l2);
    }

    fn compile_try_finally(
        &mut self,
        body: Node,
        excepts: &[Node],
        pn_else: Node,
        pn_finally: Node,
    ) {
        let l_finally_block = self.next_label();
        self.increase_except_level(l_finally_block, BlockKind::Finally);
        if excepts.is_empty() {
            self.e().adjust_stack_size(3);
            self.compile_node(body);
            self.e().adjust_stack_size(-3);
        } else {
            self.compile_try_except(body, excepts, pn_else);
        }
        self.e().load_const_tok(TokenKind::KwNone);
        self.e().label_assign(l_finally_block);
        let slot = i32::from(self.opts.rules.finally_return_slot);
        self.e().adjust_stack_size(slot);
        self.compile_node(pn_finally);
        self.e().adjust_stack_size(-slot);
        self.decrease_except_level();
    }

    pub(super) fn compile_try_stmt(&mut self, id: StructId) {
        let body = self.kid(id, 0);
        let Node::Struct(id2) = self.kid(id, 1) else {
            return;
        };
        match self.rule_of(id2) {
            Rule::TryStmtFinally => {
                self.compile_try_finally(body, &[], Node::Null, self.kid(id2, 0));
            }
            Rule::TryStmtExceptAndMore => {
                let excepts = self.extract_list(self.kid(id2, 0), Rule::TryStmtExceptList);
                let excepts = excepts.as_slice();
                let fin = self.kid(id2, 2);
                match fin {
                    Node::Null => self.compile_try_except(body, excepts, self.kid(id2, 1)),
                    Node::Struct(f) => {
                        let (els, fin_body) = (self.kid(id2, 1), self.kid(f, 0));
                        self.compile_try_finally(body, excepts, els, fin_body);
                    }
                    _ => {}
                }
            }
            _ => {
                let excepts = self.extract_list(self.kid(id, 1), Rule::TryStmtExceptList);
                self.compile_try_except(body, excepts.as_slice(), Node::Null);
            }
        }
    }

    fn compile_with_stmt_helper(&mut self, items: &[Node], body: Node) {
        let Some((&first, rest)) = items.split_first() else {
            self.compile_node(body);
            return;
        };
        if !self.enter(first) {
            return;
        }
        let l_end = self.next_label();
        if let Some(w) = self.as_kind(first, Rule::WithItem) {
            self.compile_node(self.kid(w, 0));
            self.increase_except_level(l_end, BlockKind::With);
            self.c_assign(self.kid(w, 1), AssignKind::Store);
        } else {
            self.compile_node(first);
            self.increase_except_level(l_end, BlockKind::With);
            self.e().pop_top();
        }
        self.compile_with_stmt_helper(rest, body);
        self.e().with_cleanup(l_end);
        self.reserve_labels_for_native(3);
        self.decrease_except_level();
        self.leave();
    }

    pub(super) fn compile_with_stmt(&mut self, id: StructId) {
        let items = self.extract_list(self.kid(id, 0), Rule::WithStmtList);
        self.compile_with_stmt_helper(items.as_slice(), self.kid(id, 1));
    }

    /// Stores (or loads) the iterator of the `async for` `id` in the variable `name`.
    fn async_iter_op(&mut self, id: StructId, name: AsyncIterName, store: bool) {
        let key = match name {
            AsyncIterName::Named(q) if store => return self.store_id(q),
            AsyncIterName::Named(q) => return self.load_id(q),
            AsyncIterName::Hidden(key) => key,
        };
        if !self.scope().kind.is_func_like() {
            // The reference stores to a name numbered beyond 16 bits here and aborts on an
            // assertion in its bytecode emitter; give a clean error instead.
            self.syntax_error(Node::Struct(id), "async for/with outside async function");
            return;
        }
        if self.pass == Pass::Scope {
            self.scope_mut().find_or_add_hidden(key);
        } else if let Some(i) = self.scope().find_hidden(key) {
            let num = u32::from(self.scope().id_info[i].local_num);
            if store {
                self.e().store_local(Qstr::NULL, num, LocalKind::Fast);
            } else {
                self.e().load_local(Qstr::NULL, num, LocalKind::Fast);
            }
        }
    }

    fn compile_async_for_stmt(&mut self, id: StructId) {
        let context = AsyncIterName::of(self.kid(id, 1));
        let while_else_label = self.next_label();
        let try_exception_label = self.next_label();
        let try_else_label = self.next_label();
        let try_finally_label = self.next_label();

        self.compile_node(self.kid(id, 1));
        if self.opts.rules.async_for_awaits_aiter {
            self.compile_await_object_method(self.q.aiter);
        } else {
            let aiter = self.q.aiter;
            self.e().load_method(aiter, false);
            self.e().call_method(0, 0, 0);
        }
        self.async_iter_op(id, context, true);

        let (save, break_label, continue_label) = self.start_loop();
        self.e().label_assign(continue_label);
        self.increase_except_level(try_exception_label, BlockKind::Except);
        self.async_iter_op(id, context, false);
        self.compile_await_object_method(self.q.anext);
        self.c_assign(self.kid(id, 0), AssignKind::Store);
        self.e().pop_except_jump(try_else_label, false);

        self.e().label_assign(try_exception_label);
        self.e().start_except_handler();
        self.e().dup_top();
        let q = self.q.stop_async_iteration;
        self.e().load_global(q, GlobalKind::Global);
        self.e().binary_op(BINARY_OP_EXCEPTION_MATCH);
        self.e().pop_jump_if(false, try_finally_label);
        self.e().pop_top();
        self.e().pop_except_jump(while_else_label, true);

        self.e().label_assign(try_finally_label);
        self.e().adjust_stack_size(1);
        self.decrease_except_level();
        self.e().end_except_handler();

        self.e().label_assign(try_else_label);
        self.compile_node(self.kid(id, 2));
        self.e().jump(continue_label);
        self.end_loop(save);

        self.e().label_assign(while_else_label);
        self.compile_node(self.kid(id, 3));
        self.e().label_assign(break_label);
    }

    /// `async for` keeping the async iterator on the stack (1.29): `__aiter__()` is called,
    /// not awaited, and each `__anext__()` is called on a copy of it.
    fn compile_async_for_on_stack(&mut self, id: StructId) {
        let while_else_label = self.next_label();
        let try_exception_label = self.next_label();
        let try_else_label = self.next_label();
        let try_finally_label = self.next_label();

        self.compile_node(self.kid(id, 1));
        let aiter = self.q.aiter;
        self.e().load_method(aiter, false);
        self.e().call_method(0, 0, 0);

        let (save, break_label, continue_label) = self.start_loop();
        self.e().label_assign(continue_label);
        self.increase_except_level(try_exception_label, BlockKind::Except);
        self.e().dup_top();
        self.compile_await_object_method(self.q.anext);
        self.c_assign(self.kid(id, 0), AssignKind::Store);
        self.e().pop_except_jump(try_else_label, false);

        self.e().label_assign(try_exception_label);
        self.e().start_except_handler();
        self.e().dup_top();
        let q = self.q.stop_async_iteration;
        self.e().load_global(q, GlobalKind::Global);
        self.e().binary_op(BINARY_OP_EXCEPTION_MATCH);
        self.e().pop_jump_if(false, try_finally_label);
        self.e().pop_top();
        self.e().pop_except_jump(while_else_label, true);

        self.e().label_assign(try_finally_label);
        self.e().adjust_stack_size(1);
        self.decrease_except_level();
        self.e().end_except_handler();

        self.e().label_assign(try_else_label);
        self.compile_node(self.kid(id, 2));
        self.e().jump(continue_label);
        self.end_loop(save);

        self.e().label_assign(while_else_label);
        self.compile_node(self.kid(id, 3));
        self.e().label_assign(break_label);
        self.e().pop_top();
    }

    fn compile_async_with_stmt_helper(&mut self, items: &[Node], body: Node) {
        let Some((&first, rest)) = items.split_first() else {
            self.compile_node(body);
            return;
        };
        if !self.enter(first) {
            return;
        }
        let l_finally_block = self.next_label();
        let l_aexit_no_exc = self.next_label();
        let l_ret_unwind_jump = self.next_label();
        let l_end = self.next_label();

        if let Some(w) = self.as_kind(first, Rule::WithItem) {
            self.compile_node(self.kid(w, 0));
            self.e().dup_top();
            self.compile_await_object_method(self.q.aenter);
            self.c_assign(self.kid(w, 1), AssignKind::Store);
        } else {
            self.compile_node(first);
            self.e().dup_top();
            self.compile_await_object_method(self.q.aenter);
            self.e().pop_top();
        }

        self.increase_except_level(l_finally_block, BlockKind::Finally);
        self.e().adjust_stack_size(3);
        self.compile_async_with_stmt_helper(rest, body);
        self.e().adjust_stack_size(-3);

        self.e().load_const_tok(TokenKind::KwNone);
        self.e().rot_two();
        self.e().jump(l_aexit_no_exc);

        self.e().label_assign(l_finally_block);
        self.e().dup_top();
        let q = self.q.base_exception;
        self.e().load_global(q, GlobalKind::Global);
        self.e().binary_op(BINARY_OP_EXCEPTION_MATCH);
        self.e().pop_jump_if(false, l_ret_unwind_jump);

        let aexit = self.q.aexit;
        let class = self.q.class;
        self.e().dup_top();
        self.e().rot_three();
        self.e().rot_two();
        self.e().load_method(aexit, false);
        self.e().rot_three();
        self.e().rot_three();
        self.e().dup_top();
        self.e().attr(class, crate::emit::AccessKind::Load);
        self.e().rot_two();
        self.e().load_const_tok(TokenKind::KwNone);
        self.e().call_method(3, 0, 0);
        self.compile_yield_from();
        self.e().pop_jump_if(false, l_end);
        self.e().pop_top();
        self.e().load_const_tok(TokenKind::KwNone);
        self.e().jump(l_end);
        self.e().adjust_stack_size(2);

        self.e().label_assign(l_ret_unwind_jump);
        self.e().rot_three();
        self.e().rot_three();
        self.e().label_assign(l_aexit_no_exc);
        self.e().load_method(aexit, false);
        self.e().load_const_tok(TokenKind::KwNone);
        self.e().dup_top();
        self.e().dup_top();
        self.e().call_method(3, 0, 0);
        self.compile_yield_from();
        self.e().pop_top();
        self.e().adjust_stack_size(-1);

        self.e().label_assign(l_end);
        self.decrease_except_level();
        self.leave();
    }

    pub(super) fn compile_async_stmt(&mut self, id: StructId) {
        let Node::Struct(inner) = self.kid(id, 0) else {
            return;
        };
        match self.rule_of(inner) {
            Rule::Funcdef => {
                self.compile_funcdef(inner);
                if let Some(f) = self.scope_for(inner) {
                    self.scopes[f.0 as usize].scope_flags |= SCOPE_FLAG_GENERATOR;
                }
            }
            _ if self.opts.rules.async_needs_async_def
                && self.scope().scope_flags & SCOPE_FLAG_GENERATOR == 0 =>
            {
                self.syntax_error(Node::Struct(inner), "async for/with outside async function");
            }
            Rule::ForStmt if self.opts.rules.async_for_iterator_on_stack => {
                self.compile_async_for_on_stack(inner)
            }
            Rule::ForStmt => self.compile_async_for_stmt(inner),
            _ => {
                let items = self.extract_list(self.kid(inner, 0), Rule::WithStmtList);
                self.compile_async_with_stmt_helper(items.as_slice(), self.kid(inner, 1));
            }
        }
    }
}
