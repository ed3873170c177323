//! A back end's errors (`Emit::take_error`, the reference's emitter error slot) stop the
//! compile with the reference's traceback facts: the statement's line and the scope's name.

use compiler::compile::{compile_tree, CodegenError, CodegenOptions, CompileError};
use compiler::emit::{
    AccessKind, BlockKind, BuildKind, Emit, GlobalKind, ImportKind, Label, LocalKind, Pass,
    YieldKind,
};
use compiler::runtime0::BINARY_OP_ADD;
use compiler::scope::{Scope, ScopeId, ScopeKind};
use compiler::{CompileContext, DefaultEmit};
use mpcore::{Arch, ExcKind, Qstr, QstrPool};
use rawcode::Const;
use syntax::TokenKind;

/// A back end that emits nothing and refuses `+`, as a viper emitter refuses an operation on
/// the types it meets; it counts the passes it is driven through.
#[derive(Default)]
struct RefusesAdd {
    pending: Option<CompileError>,
    passes: Vec<Pass>,
}

#[rustfmt::skip]
impl Emit for RefusesAdd {
    fn take_error(&mut self, _: &QstrPool) -> Option<CompileError> { self.pending.take() }
    fn start_pass(&mut self, pass: Pass, _: &Scope) { self.passes.push(pass) }
    fn end_pass(&mut self, _: &mut Scope) {}
    fn last_emit_was_return_value(&self) -> bool { false }
    fn adjust_stack_size(&mut self, _: i32) {}
    fn set_source_line(&mut self, _: u32) {}
    fn load_local(&mut self, _: Qstr, _: u32, _: LocalKind) {}
    fn load_global(&mut self, _: Qstr, _: GlobalKind) {}
    fn store_local(&mut self, _: Qstr, _: u32, _: LocalKind) {}
    fn store_global(&mut self, _: Qstr, _: GlobalKind) {}
    fn delete_local(&mut self, _: Qstr, _: u32, _: LocalKind) {}
    fn delete_global(&mut self, _: Qstr, _: GlobalKind) {}
    fn label_assign(&mut self, _: Label) {}
    fn import(&mut self, _: Qstr, _: ImportKind) {}
    fn load_const_tok(&mut self, _: TokenKind) {}
    fn load_const_small_int(&mut self, _: i64) {}
    fn load_const_str(&mut self, _: Qstr) {}
    fn load_const_obj(&mut self, _: Const) {}
    fn load_null(&mut self) {}
    fn load_method(&mut self, _: Qstr, _: bool) {}
    fn load_build_class(&mut self) {}
    fn subscr(&mut self, _: AccessKind) {}
    fn attr(&mut self, _: Qstr, _: AccessKind) {}
    fn dup_top(&mut self) {}
    fn dup_top_two(&mut self) {}
    fn pop_top(&mut self) {}
    fn rot_two(&mut self) {}
    fn rot_three(&mut self) {}
    fn jump(&mut self, _: Label) {}
    fn pop_jump_if(&mut self, _: bool, _: Label) {}
    fn jump_if_or_pop(&mut self, _: bool, _: Label) {}
    fn unwind_jump(&mut self, _: Label, _: u32) {}
    fn setup_block(&mut self, _: Label, _: BlockKind) {}
    fn with_cleanup(&mut self, _: Label) {}
    fn end_finally(&mut self) {}
    fn get_iter(&mut self, _: bool) {}
    fn for_iter(&mut self, _: Label) {}
    fn for_iter_end(&mut self) {}
    fn pop_except_jump(&mut self, _: Label, _: bool) {}
    fn unary_op(&mut self, _: u8) {}
    fn binary_op(&mut self, op: u8) {
        if op == BINARY_OP_ADD {
            self.pending = Some(CompileError {
                kind: ExcKind::ViperTypeError,
                message: "can't do binary op between 'object' and 'int'".to_string(),
                line: 0,
                scope_name: Vec::new(),
                raw_message: None,
            });
        }
    }
    fn build(&mut self, _: u32, _: BuildKind) {}
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
    fn yield_(&mut self, _: YieldKind) {}
    fn start_except_handler(&mut self) {}
    fn end_except_handler(&mut self) {}
}

fn compile(source: &str, emit: &mut RefusesAdd) -> Result<usize, CodegenError> {
    let mut pool = QstrPool::new();
    let file = pool.intern(b"t.py");
    let parse_opts = syntax::ParseOptions {
        small_int_bits: 31,
        opt_level: 0,
        unicode: true,
        release: mpcore::Release::V1_11,
    };
    let tree = syntax::parse(source.as_bytes(), &mut pool, &parse_opts).expect("parses");
    let opts = CodegenOptions {
        opt_level: 0,
        small_int_bits: 31,
        arch: Arch::X64,
        arch_tables: compiler::ArchTables::of(Arch::X64),
        emit: DefaultEmit::Bytecode,
        nlr_buf: compiler::NlrBuf::Target,
        rules: compiler::release::rules(mpcore::Release::V1_11),
        exact_after_refusal: false,
    };
    compile_tree(
        &mut CompileContext::new(),
        &tree,
        &mut pool,
        file,
        opts,
        emit,
        100,
    )
    .map(|scopes| scopes.len())
}

#[test]
fn a_back_end_error_names_the_statement_line_and_the_scope() {
    let mut emit = RefusesAdd::default();
    let source = "x = 1\ndef f(y):\n    z = y\n    return y + 1\nx - 1\n";
    let err = compile(source, &mut emit).expect_err("the back end refuses");
    assert_eq!(
        err,
        CodegenError::Error(CompileError {
            kind: ExcKind::ViperTypeError,
            message: "can't do binary op between 'object' and 'int'".to_string(),
            line: 4,
            scope_name: b"f".to_vec(),
            raw_message: None,
        })
    );
    // The module's three passes, then f's stack-size pass: no pass follows the error.
    assert_eq!(
        emit.passes,
        [Pass::StackSize, Pass::CodeSize, Pass::Emit, Pass::StackSize]
    );
}

#[test]
fn without_the_refused_operation_every_pass_runs() {
    let mut emit = RefusesAdd::default();
    assert_eq!(compile("def f(y):\n    return y - 1\n", &mut emit), Ok(2));
    assert_eq!(emit.passes.len(), 6);
}
