//! Definitions and their scopes: `def`, `lambda`, `class`, decorators (including the
//! `@micropython.*` emitter choices), parameters and default arguments.

use mpcore::Qstr;
use rawcode::NativeType;
use syntax::{Node, Rule, StructId, TokenKind};

use super::Compiler;
use crate::emit::{BuildKind, Emit, LocalKind, Pass};
use crate::runtime0::*;
use crate::scope::{
    EmitOpt, IdKind, ScopeId, ScopeKind, ID_FLAG_IS_DBL_STAR_PARAM, ID_FLAG_IS_PARAM,
    ID_FLAG_IS_STAR_PARAM, ID_FLAG_VIPER_TYPE_POS,
};

/// The rules a parameter list is made of: `def` (typedargslist) or `lambda` (varargslist).
#[derive(Clone, Copy)]
struct ParamRules {
    list: Rule,
    name: Rule,
    star: Rule,
    dbl_star: Rule,
}

const FUNC_PARAMS: ParamRules = ParamRules {
    list: Rule::Typedargslist,
    name: Rule::TypedargslistName,
    star: Rule::TypedargslistStar,
    dbl_star: Rule::TypedargslistDblStar,
};

const LAMBDA_PARAMS: ParamRules = ParamRules {
    list: Rule::Varargslist,
    name: Rule::VarargslistName,
    star: Rule::VarargslistStar,
    dbl_star: Rule::VarargslistDblStar,
};

impl<'a, E: Emit + ?Sized> Compiler<'a, '_, E> {
    /// Compiles one parameter's default value in the defining scope.
    fn compile_funcdef_lambdef_param(&mut self, pn: Node, rules: ParamRules) {
        let kind = match pn {
            Node::Struct(s) => Some(self.rule_of(s)),
            _ => None,
        };
        if kind == Some(rules.star) {
            self.have_star = true;
            return;
        }
        if kind == Some(rules.dbl_star) {
            return;
        }
        let (pn_id, pn_equal) = match pn {
            Node::Struct(s) if kind == Some(Rule::TypedargslistName) => {
                (self.kid(s, 0), self.kid(s, 2))
            }
            Node::Struct(s) => (self.kid(s, 0), self.kid(s, 1)),
            _ => (pn, Node::Null),
        };
        if pn_equal == Node::Null {
            if !self.have_star && self.num_default_params != 0 {
                self.syntax_error(pn, "non-default argument follows default argument");
            }
        } else if self.have_star {
            self.num_dict_params = self.num_dict_params.wrapping_add(1);
            if self.num_dict_params == 1 {
                if self.num_default_params > 0 {
                    let n = self.num_default_params as u32;
                    self.e().build(n, BuildKind::Tuple);
                } else {
                    self.e().load_null();
                }
                self.e().build(0, BuildKind::Map);
            }
            self.compile_node(pn_equal);
            self.e().load_const_str(Self::leaf_qstr(pn_id));
            self.e().store_map();
        } else {
            self.num_default_params = self.num_default_params.wrapping_add(1);
            self.compile_node(pn_equal);
        }
    }

    /// Default arguments, then the function object (`compile_funcdef_lambdef`).
    fn compile_funcdef_lambdef(&mut self, scope: ScopeId, params: Node, rules: ParamRules) {
        let saved = (
            self.have_star,
            self.num_dict_params,
            self.num_default_params,
        );
        self.have_star = false;
        self.num_dict_params = 0;
        self.num_default_params = 0;
        let list = self.extract_list(params, rules.list);
        for &p in list.as_slice() {
            self.compile_funcdef_lambdef_param(p, rules);
        }
        if self.failed() {
            return;
        }
        if self.num_default_params > 0 && self.num_dict_params == 0 {
            let n = self.num_default_params as u32;
            self.e().build(n, BuildKind::Tuple);
            self.e().load_null();
        }
        let (n_pos, n_kw) = (self.num_default_params, self.num_dict_params);
        self.close_over_variables_etc(scope, n_pos, n_kw);
        (
            self.have_star,
            self.num_dict_params,
            self.num_default_params,
        ) = saved;
    }

    /// Leaves the function object on the stack and returns its name.
    fn compile_funcdef_helper(&mut self, id: StructId, emit_options: EmitOpt) -> Qstr {
        if self.pass == Pass::Scope {
            self.new_child_scope(ScopeKind::Function, Node::Struct(id), id, emit_options);
        }
        let Some(f) = self.scope_for(id) else {
            return Qstr::NULL;
        };
        self.compile_funcdef_lambdef(f, self.kid(id, 1), FUNC_PARAMS);
        self.scopes[f.0 as usize].simple_name
    }

    /// Leaves the class object on the stack and returns its name.
    fn compile_classdef_helper(&mut self, id: StructId, emit_options: EmitOpt) -> Qstr {
        if self.pass == Pass::Scope {
            self.new_child_scope(ScopeKind::Class, Node::Struct(id), id, emit_options);
        }
        self.e().load_build_class();
        let Some(c) = self.scope_for(id) else {
            return Qstr::NULL;
        };
        self.close_over_variables_etc(c, 0, 0);
        let name = self.scopes[c.0 as usize].simple_name;
        self.e().load_const_str(name);
        let mut parents = self.kid(id, 1);
        if self.is_kind(parents, Rule::Classdef2) {
            parents = Node::Null;
        }
        self.compile_trailer_paren_helper(parents, false, 2);
        name
    }

    /// Handles `@micropython.xxx`; true if the decorator was one (even a wrong one).
    fn compile_built_in_decorator(
        &mut self,
        name_nodes: &[Node],
        emit_options: &mut EmitOpt,
    ) -> bool {
        if name_nodes.first().map(|&n| Self::leaf_qstr(n)) != Some(self.q.micropython) {
            return false;
        }
        if name_nodes.len() != 2 {
            self.syntax_error(name_nodes[0], "invalid micropython decorator");
            return true;
        }
        let attr = Self::leaf_qstr(name_nodes[1]);
        if attr == self.q.bytecode {
            *emit_options = EmitOpt::Bytecode;
        } else if attr == self.q.native {
            *emit_options = EmitOpt::NativePython;
        } else if attr == self.q.viper {
            *emit_options = EmitOpt::Viper;
        } else if attr == self.q.asm_thumb {
            *emit_options = EmitOpt::AsmThumb;
        } else if attr == self.q.asm_xtensa {
            *emit_options = EmitOpt::AsmXtensa;
        } else if self.opts.rules.asm_rv32_decorator && self.pool.get(attr) == b"asm_rv32" {
            *emit_options = EmitOpt::AsmRv32;
        } else {
            self.syntax_error(name_nodes[1], "invalid micropython decorator");
        }
        let tables = self.opts.arch_tables;
        let ok = match *emit_options {
            EmitOpt::NativePython | EmitOpt::Viper => tables.native,
            EmitOpt::AsmThumb | EmitOpt::AsmXtensa | EmitOpt::AsmRv32 => tables.inline_asm,
            EmitOpt::Bytecode => true,
        };
        if !ok {
            self.syntax_error(name_nodes[1], "invalid arch");
        }
        true
    }

    pub(super) fn compile_decorated(&mut self, id: StructId) {
        let decorators = self.extract_list(self.kid(id, 0), Rule::Decorators);
        let decorators = decorators.as_slice();
        let mut emit_options = self.scope().emit_options;
        let mut num_built_in = 0;
        for &d in decorators {
            let Node::Struct(dec) = d else { continue };
            let names = self.extract_list(self.kid(dec, 0), Rule::DottedName);
            let names = names.as_slice();
            if self.compile_built_in_decorator(names, &mut emit_options) {
                num_built_in += 1;
            } else {
                self.compile_node(names.first().copied().unwrap_or(Node::Null));
                for &n in names.iter().skip(1) {
                    self.e()
                        .attr(Self::leaf_qstr(n), crate::emit::AccessKind::Load);
                }
                let args = self.kid(dec, 1);
                if args != Node::Null {
                    self.compile_node(args);
                }
            }
        }

        let Node::Struct(body) = self.kid(id, 1) else {
            return;
        };
        let body_name = match self.rule_of(body) {
            Rule::Funcdef => self.compile_funcdef_helper(body, emit_options),
            Rule::AsyncFuncdef => {
                let Node::Struct(f) = self.kid(body, 0) else {
                    return;
                };
                let name = self.compile_funcdef_helper(f, emit_options);
                if let Some(s) = self.scope_for(f) {
                    self.scopes[s.0 as usize].scope_flags |= SCOPE_FLAG_GENERATOR;
                }
                name
            }
            _ => self.compile_classdef_helper(body, emit_options),
        };
        for _ in 0..decorators.len() - num_built_in {
            self.e().call_function(1, 0, 0);
        }
        self.store_id(body_name);
    }

    pub(super) fn compile_funcdef(&mut self, id: StructId) {
        let opt = self.scope().emit_options;
        let name = self.compile_funcdef_helper(id, opt);
        self.store_id(name);
    }

    pub(super) fn compile_classdef(&mut self, id: StructId) {
        let opt = self.scope().emit_options;
        let name = self.compile_classdef_helper(id, opt);
        self.store_id(name);
    }

    pub(super) fn compile_lambdef(&mut self, id: StructId) {
        if self.pass == Pass::Scope {
            let opt = self.scope().emit_options;
            self.new_child_scope(ScopeKind::Lambda, Node::Struct(id), id, opt);
        }
        let Some(l) = self.scope_for(id) else { return };
        self.compile_funcdef_lambdef(l, self.kid(id, 0), LAMBDA_PARAMS);
    }

    /// Declares one parameter in the function's own scope (scope pass).
    fn compile_scope_param(&mut self, pn: Node, rules: ParamRules) {
        if self.scope().scope_flags & SCOPE_FLAG_VARKEYWORDS != 0 {
            self.syntax_error(pn, "invalid syntax");
            return;
        }
        let mut param_name = Qstr::NULL;
        let mut param_flag = ID_FLAG_IS_PARAM;
        // The node holding the parameter's annotation as child 1, if it has one.
        let mut annotated: Option<StructId> = None;
        match pn {
            Node::Id(q) => {
                param_name = q;
                self.count_param();
            }
            Node::Struct(s) => {
                let rule = self.rule_of(s);
                if rule == rules.name {
                    param_name = Self::leaf_qstr(self.kid(s, 0));
                    annotated = Some(s);
                    self.count_param();
                } else if rule == rules.star {
                    if self.have_star {
                        self.syntax_error(pn, "invalid syntax");
                        return;
                    }
                    self.have_star = true;
                    param_flag = ID_FLAG_IS_PARAM | ID_FLAG_IS_STAR_PARAM;
                    match self.kid(s, 0) {
                        Node::Null => {}
                        Node::Id(q) => {
                            self.scope_mut().scope_flags |= SCOPE_FLAG_VARARGS;
                            param_name = q;
                        }
                        Node::Struct(t) => {
                            self.scope_mut().scope_flags |= SCOPE_FLAG_VARARGS;
                            param_name = Self::leaf_qstr(self.kid(t, 0));
                            annotated = Some(t);
                        }
                        _ => {}
                    }
                } else {
                    param_name = Self::leaf_qstr(self.kid(s, 0));
                    annotated = Some(s);
                    param_flag = ID_FLAG_IS_PARAM | ID_FLAG_IS_DBL_STAR_PARAM;
                    self.scope_mut().scope_flags |= SCOPE_FLAG_VARKEYWORDS;
                }
            }
            _ => {}
        }
        if param_name != Qstr::NULL {
            let i = self.find_or_add_id(param_name, IdKind::Undecided);
            if self.scope().id_info[i].kind != IdKind::Undecided {
                self.syntax_error(pn, "argument name reused");
                return;
            }
            let id = &mut self.scope_mut().id_info[i];
            id.kind = IdKind::Local;
            id.flags = param_flag;
            if self.scope().emit_options == EmitOpt::Viper && rules.name == Rule::TypedargslistName
            {
                if let Some(a) = annotated {
                    let t = self.viper_type_annotation(self.kid(a, 1));
                    self.scope_mut().id_info[i].flags |=
                        (t.number() as u8) << ID_FLAG_VIPER_TYPE_POS;
                }
            }
        }
    }

    /// The viper type an annotation names (`compile_viper_type_annotation`); object when
    /// absent. An unknown name replaces any earlier error, as in the reference.
    fn viper_type_annotation(&mut self, pn: Node) -> NativeType {
        match pn {
            Node::Null => NativeType::Obj,
            Node::Id(q) => match NativeType::from_annotation(self.pool.get(q)) {
                Some(t) => t,
                None => {
                    let msg = format!(
                        "unknown type '{}'",
                        String::from_utf8_lossy(self.pool.get(q))
                    );
                    self.error = Some(super::CompileError {
                        kind: mpcore::ExcKind::ViperTypeError,
                        message: msg,
                        line: 0,
                        scope_name: Vec::new(),
                        raw_message: None,
                    });
                    NativeType::Obj
                }
            },
            _ => {
                self.syntax_error(pn, "annotation must be an identifier");
                NativeType::Obj
            }
        }
    }

    fn count_param(&mut self) {
        if self.have_star {
            let s = self.scope_mut();
            s.num_kwonly_args = s.num_kwonly_args.wrapping_add(1);
        } else {
            let s = self.scope_mut();
            s.num_pos_args = s.num_pos_args.wrapping_add(1);
        }
    }

    pub(super) fn compile_scope_function(&mut self, pn: Node) {
        let Node::Struct(id) = pn else { return };
        if self.pass == Pass::Scope {
            self.have_star = false;
            let list = self.extract_list(self.kid(id, 1), FUNC_PARAMS.list);
            for &p in list.as_slice() {
                self.compile_scope_param(p, FUNC_PARAMS);
            }
            if self.scope().emit_options == EmitOpt::Viper {
                let t = self.viper_type_annotation(self.kid(id, 2)).number() as u16;
                self.scope_mut().scope_flags |= t << SCOPE_FLAG_VIPERRET_POS;
            }
        }
        self.compile_node(self.kid(id, 3));
        if !self.e().last_emit_was_return_value() {
            self.e().load_const_tok(TokenKind::KwNone);
            self.e().return_value();
        }
    }

    pub(super) fn compile_scope_lambda(&mut self, pn: Node) {
        let Node::Struct(id) = pn else { return };
        self.scope_start_line(pn);
        if self.pass == Pass::Scope {
            self.have_star = false;
            let list = self.extract_list(self.kid(id, 0), LAMBDA_PARAMS.list);
            for &p in list.as_slice() {
                self.compile_scope_param(p, LAMBDA_PARAMS);
            }
        }
        self.compile_node(self.kid(id, 1));
        if self.scope().scope_flags & SCOPE_FLAG_GENERATOR != 0 {
            self.e().pop_top();
            self.e().load_const_tok(TokenKind::KwNone);
        }
        self.e().return_value();
    }

    pub(super) fn compile_scope_class(&mut self, pn: Node) {
        let Node::Struct(id) = pn else { return };
        let class = self.q.class;
        if self.pass == Pass::Scope {
            self.find_or_add_id(class, IdKind::Local);
        }
        self.load_id(self.q.name);
        self.store_id(self.q.module);
        let cname = Self::leaf_qstr(self.kid(id, 0));
        self.e().load_const_str(cname);
        self.store_id(self.q.qualname);
        self.compile_node(self.kid(id, 2));
        let cell = self
            .find_id(class)
            .and_then(|i| self.scope().id_info.get(i).copied());
        match cell {
            Some(c) if c.kind != IdKind::Local => {
                self.e()
                    .load_local(class, c.local_num as u32, LocalKind::Fast)
            }
            _ => self.e().load_const_tok(TokenKind::KwNone),
        }
        self.e().return_value();
    }
}
