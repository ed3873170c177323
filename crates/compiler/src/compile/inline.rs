//! The walk of an inline-assembler function (compile.c's `compile_scope_inline_asm`): the
//! statement checks of every pass, `label()`, `align()` and `data()`, and in the code passes
//! the instructions handed to the arch's [`InlineAsm`], ending in a native raw code of the asm
//! kind.

use mpcore::ExcKind;
use rawcode::{Body, NativeCode, NativeKind, NativeType, RawCode};
use syntax::{Node, Rule};

use super::{errors, CodegenState, CompileError, Compiler, NullEmit};
use crate::emit::{Emit, Pass};
use crate::emitinline::{AsmPass, Fault, InlineAsm, Operands};
use crate::scope::ScopeKind;

/// The code passes of inline-assembler scope `i` (one code-size pass, or as many as the
/// assembler asks for, then the emit pass unless an error stopped it).
pub(super) fn code_passes<'a>(
    st: CodegenState<'a>,
    i: usize,
    asm: &mut dyn InlineAsm,
) -> CodegenState<'a> {
    let mut null = NullEmit;
    let mut c = Compiler {
        st,
        emit: &mut null,
    };
    for k in 0..asm.code_size_passes() {
        if k > 0 && c.error.is_some() {
            // compile.c runs Xtensa's second code-size pass even after an error; it stops at
            // once with the error's line set to the function's `def` line.
            if let Node::Struct(id) = c.scopes[i].pn {
                c.st.error_line = c.tree.get(id).line;
            }
            continue;
        }
        c.inline_asm_pass(i, Pass::CodeSize, Some(&mut *asm));
    }
    if c.error.is_none() {
        c.inline_asm_pass(i, Pass::Emit, Some(asm));
    }
    c.st
}

impl<E: Emit + ?Sized> Compiler<'_, '_, E> {
    /// The scope pass of an inline-assembler function: the checks the reference makes before
    /// any machine code is made.
    pub(super) fn compile_scope_inline_asm(&mut self, sid: usize) {
        self.inline_asm_pass(sid, Pass::Scope, None);
        self.max_num_labels = self.max_num_labels.max(self.next_label as usize);
    }

    /// An assembler fault as the compile error: the reference's `SyntaxError`, or mpyc's
    /// refusal; its line is `line`, as the reference sets it whatever was known before.
    fn inline_fault(&mut self, fault: Fault, line: u32) {
        let (kind, message) = match fault {
            Fault::Syntax(m) => (ExcKind::SyntaxError, m),
            Fault::Refused(m) => (
                ExcKind::NotImplementedError,
                errors::unsupported_message(&format!(
                    "this inline assembler code, which the reference would encode wrongly ({m}),"
                )),
            ),
        };
        self.error = Some(CompileError {
            kind,
            message,
            line: 0,
            scope_name: Vec::new(),
            raw_message: None,
        });
        self.error_line = line;
    }

    /// One pass over an inline-assembler function; `asm` is the assembler in the code passes.
    fn inline_asm_pass(&mut self, sid: usize, pass: Pass, mut asm: Option<&mut dyn InlineAsm>) {
        self.pass = pass;
        self.cur = sid;
        self.next_label = 0;
        if self.scope().kind != ScopeKind::Function {
            self.syntax_error(Node::Null, "inline assembler must be a function");
            return;
        }
        if let Some(a) = asm.as_deref_mut() {
            a.start_pass(if pass == Pass::Emit {
                AsmPass::Emit
            } else {
                AsmPass::CodeSize
            });
        }
        let Node::Struct(id) = self.scope().pn else {
            return;
        };
        let def_line = self.tree.get(id).line;

        if pass == Pass::CodeSize {
            if let Some(a) = asm.as_deref_mut() {
                let params = self.extract_list(self.kid(id, 1), Rule::Typedargslist);
                let cx = Operands {
                    tree: self.tree,
                    pool: &*self.st.pool,
                };
                let n = a.count_params(&cx, params.as_slice());
                self.scope_mut().num_pos_args = n as u16;
                if let Some(f) = a.take_fault(false) {
                    self.inline_fault(f, def_line);
                    return;
                }
            }
        }

        let mut type_sig = NativeType::Int;
        let annotation = self.kid(id, 2);
        match annotation {
            Node::Null => {}
            Node::Id(q) => {
                type_sig = if q == self.q.object {
                    NativeType::Obj
                } else if q == self.q.bool_ {
                    NativeType::Bool
                } else if q == self.q.int {
                    NativeType::Int
                } else if q == self.q.uint {
                    NativeType::Uint
                } else {
                    self.syntax_error(annotation, "unknown type");
                    return;
                };
            }
            _ => self.syntax_error(annotation, "return annotation must be an identifier"),
        }

        let mut refusal_line = None;
        let body = self.extract_list(self.kid(id, 3), Rule::SuiteBlockStmts);
        for &stmt in body.as_slice() {
            let Node::Struct(s) = stmt else { continue };
            match self.rule_of(s) {
                Rule::PassStmt => continue,
                Rule::ExprStmt => {}
                _ => {
                    self.syntax_error(stmt, "expecting an assembler instruction");
                    return;
                }
            }
            let call = match (self.kid(s, 0), self.kid(s, 1)) {
                (Node::Struct(c), Node::Null) if self.rule_of(c) == Rule::AtomExprNormal => c,
                _ => {
                    self.syntax_error(stmt, "expecting an assembler instruction");
                    return;
                }
            };
            let (Node::Id(op), Some(paren)) = (
                self.kid(call, 0),
                self.as_kind(self.kid(call, 1), Rule::TrailerParen),
            ) else {
                self.syntax_error(stmt, "expecting an assembler instruction");
                return;
            };
            let paren_line = self.tree.get(paren).line;
            let args = self.extract_list(self.kid(paren, 0), Rule::Arglist);
            let args = args.as_slice();
            if op == self.q.label {
                let name = match args {
                    [Node::Id(name)] => *name,
                    _ => {
                        self.syntax_error(stmt, "'label' requires 1 argument");
                        return;
                    }
                };
                let lab = self.next_label();
                if let Some(a) = asm.as_deref_mut() {
                    if !a.label(lab as usize, name) {
                        self.syntax_error(stmt, "label redefined");
                        return;
                    }
                }
            } else if op == self.q.align {
                let n = match args {
                    [Node::SmallInt(n)] => *n,
                    _ => {
                        self.syntax_error(stmt, "'align' requires 1 argument");
                        return;
                    }
                };
                if let Some(a) = asm.as_deref_mut() {
                    a.align(n);
                }
            } else if op == self.q.data {
                let bytesize = match args {
                    [Node::SmallInt(b), _, ..] => *b,
                    _ => {
                        self.syntax_error(stmt, "'data' requires at least 2 arguments");
                        return;
                    }
                };
                if let Some(a) = asm.as_deref_mut() {
                    for &v in &args[1..] {
                        let Node::SmallInt(v) = v else {
                            self.syntax_error(stmt, "'data' requires integer arguments");
                            return;
                        };
                        a.data(bytesize, v);
                    }
                }
            } else if let Some(a) = asm.as_deref_mut() {
                let cx = Operands {
                    tree: self.tree,
                    pool: &*self.st.pool,
                };
                a.op(&cx, op, args);
            }
            if let Some(a) = asm.as_deref_mut() {
                if let Some(f) = a.take_fault(false) {
                    self.inline_fault(f, paren_line);
                    return;
                }
                if a.refused() && refusal_line.is_none() {
                    refusal_line = Some(paren_line);
                }
            }
            if self.error.is_some() {
                self.error_line = paren_line;
                return;
            }
        }

        if let Some(a) = asm {
            a.end_pass();
            if pass == Pass::Emit || !a.refused() {
                if let Some(f) = a.take_fault(true) {
                    self.inline_fault(f, refusal_line.unwrap_or(def_line));
                    return;
                }
            }
            if pass == Pass::Emit {
                let code = a.take_code();
                let n_pos_args = u32::from(self.scope().num_pos_args);
                let rc = RawCode::new(Body::Native(NativeCode {
                    arch: self.opts.arch,
                    code,
                    kind: NativeKind::Asm {
                        scope_flags: 0,
                        n_pos_args,
                        type_sig: type_sig.number(),
                    },
                }));
                self.scope_mut().raw_code = Some(rc);
            }
        }
        if self.error.is_some() {
            self.error_line = def_line;
        }
    }
}
