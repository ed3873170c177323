//! The scope pass's emitter: every call compiles to nothing, so that pass only resolves names
//! and makes scopes.

use mpcore::Qstr;
use rawcode::Const;
use syntax::TokenKind;

use crate::emit::{Emit, Label, Pass};
use crate::scope::{Scope, ScopeId, ScopeKind};

/// An emitter that does nothing: the scope pass only resolves names and makes scopes.
pub(super) struct NullEmit;

#[rustfmt::skip]
impl Emit for NullEmit {
    fn start_pass(&mut self, _: Pass, _: &Scope) {}
    fn end_pass(&mut self, _: &mut Scope) {}
    fn last_emit_was_return_value(&self) -> bool { false }
    fn adjust_stack_size(&mut self, _: i32) {}
    fn set_source_line(&mut self, _: u32) {}
    fn load_local(&mut self, _: Qstr, _: u32, _: crate::emit::LocalKind) {}
    fn load_global(&mut self, _: Qstr, _: crate::emit::GlobalKind) {}
    fn store_local(&mut self, _: Qstr, _: u32, _: crate::emit::LocalKind) {}
    fn store_global(&mut self, _: Qstr, _: crate::emit::GlobalKind) {}
    fn delete_local(&mut self, _: Qstr, _: u32, _: crate::emit::LocalKind) {}
    fn delete_global(&mut self, _: Qstr, _: crate::emit::GlobalKind) {}
    fn label_assign(&mut self, _: Label) {}
    fn import(&mut self, _: Qstr, _: crate::emit::ImportKind) {}
    fn load_const_tok(&mut self, _: TokenKind) {}
    fn load_const_small_int(&mut self, _: i64) {}
    fn load_const_str(&mut self, _: Qstr) {}
    fn load_const_obj(&mut self, _: Const) {}
    fn load_null(&mut self) {}
    fn load_method(&mut self, _: Qstr, _: bool) {}
    fn load_build_class(&mut self) {}
    fn subscr(&mut self, _: crate::emit::AccessKind) {}
    fn attr(&mut self, _: Qstr, _: crate::emit::AccessKind) {}
    fn dup_top(&mut self) {}
    fn dup_top_two(&mut self) {}
    fn pop_top(&mut self) {}
    fn rot_two(&mut self) {}
    fn rot_three(&mut self) {}
    fn jump(&mut self, _: Label) {}
    fn pop_jump_if(&mut self, _: bool, _: Label) {}
    fn jump_if_or_pop(&mut self, _: bool, _: Label) {}
    fn unwind_jump(&mut self, _: Label, _: u32) {}
    fn setup_block(&mut self, _: Label, _: crate::emit::BlockKind) {}
    fn with_cleanup(&mut self, _: Label) {}
    fn end_finally(&mut self) {}
    fn get_iter(&mut self, _: bool) {}
    fn for_iter(&mut self, _: Label) {}
    fn for_iter_end(&mut self) {}
    fn pop_except_jump(&mut self, _: Label, _: bool) {}
    fn unary_op(&mut self, _: u8) {}
    fn binary_op(&mut self, _: u8) {}
    fn build(&mut self, _: u32, _: crate::emit::BuildKind) {}
    fn store_map(&mut self) {}
    fn store_comp(&mut self, _: ScopeKind, _: u32) {}
    fn unpack_sequence(&mut self, _: u32) {}
    fn unpack_ex(&mut self, _: u32, _: u32) {}
    fn make_function(&mut self, _: ScopeId, _: &Scope, _: u32, _: u32) {}
    fn make_closure(&mut self, _: ScopeId, _: &Scope, _: u32, _: u32, _: u32) {}
    fn call_function(&mut self, _: u32, _: u32, _: u32) {}
    fn call_method(&mut self, _: u32, _: u32, _: u32) {}
    fn return_value(&mut self) {}
    fn raise_varargs(&mut self, _: u32) {}
    fn yield_(&mut self, _: crate::emit::YieldKind) {}
    fn start_except_handler(&mut self) {}
    fn end_except_handler(&mut self) {}
}
