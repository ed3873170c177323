//! The compile context: the reusable buffers of one compiling thread, made by the caller and
//! passed to each compilation it runs, so that one compilation after another neither allocates
//! nor zeroes them again.

use crate::compile::CodegenSpares;
use crate::emitbc::Buffers;
use crate::scope::ScopeSpares;

/// What compilations on one thread reuse: emptied scope, name and child lists, the code
/// generator's name and node tables, and the bytecode emitter's buffers.
///
/// Make one per compiling thread and pass it to [`compile_with`](crate::compile_with) (or
/// [`compile_tree`](crate::compile::compile_tree)) for each source; [`compile`](crate::compile)
/// makes a fresh one per call. A context holds no result of an earlier compilation: the output
/// never depends on what it compiled before, only the allocations made do.
#[derive(Default)]
pub struct CompileContext {
    pub(crate) scope_spares: ScopeSpares,
    pub(crate) codegen_spares: CodegenSpares,
    pub(crate) emit_buffers: Option<Buffers>,
    /// The v6 bytecode emitter's buffers.
    pub(crate) v6_spare: Option<crate::emitbc_v6::Spare>,
}

impl CompileContext {
    /// An empty context: the first compilation through it allocates what it needs.
    pub fn new() -> CompileContext {
        CompileContext::default()
    }

    /// Keeps the lists of `scopes` (from [`compile_tree`](crate::compile::compile_tree), after
    /// linking has taken their raw codes) for the next compilation.
    pub fn recycle(&mut self, scopes: Vec<crate::scope::Scope>) {
        self.scope_spares.recycle(scopes);
    }
}

impl std::fmt::Debug for CompileContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompileContext")
            .field("scope_spares", &self.scope_spares)
            .field("emit_buffers", &self.emit_buffers.is_some())
            .field("v6_spare", &self.v6_spare.is_some())
            .finish_non_exhaustive()
    }
}
