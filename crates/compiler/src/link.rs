//! Linking: assembles the raw-code tree from the raw code each scope's emitter produced.
//!
//! The reference's const tables hold pointers to the children's raw codes, filled in as each
//! child scope is emitted; here each scope names its children ([`Scope::raw_code_children`],
//! in const-table order) and this module moves the raw codes into place, without recursion.

use rawcode::RawCode;

use crate::scope::{Scope, ScopeId};

/// Why a raw-code tree could not be assembled (all of these are compiler bugs, not user errors).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("scope {0} does not exist")]
    NoSuchScope(u32),
    #[error("scope {0} has no raw code")]
    MissingRawCode(u32),
    #[error("scope {0} is the child of more than one raw code")]
    SharedChild(u32),
}

/// Builds the tree of raw codes rooted at `root`, taking each scope's `raw_code` and hanging
/// its `raw_code_children` under it in order.
pub fn link(scopes: Vec<Scope>, root: ScopeId) -> Result<RawCode, LinkError> {
    let n = scopes.len();
    let mut codes: Vec<Option<RawCode>> = Vec::with_capacity(n);
    let mut children: Vec<Vec<ScopeId>> = Vec::with_capacity(n);
    for scope in scopes {
        codes.push(scope.raw_code);
        children.push(scope.raw_code_children);
    }

    // Post-order walk: a scope is finished once all its children are finished.
    let mut visited = vec![false; n];
    let mut stack: Vec<(ScopeId, bool)> = vec![(root, false)];
    while let Some((id, expanded)) = stack.pop() {
        let i = id.0 as usize;
        if i >= n {
            return Err(LinkError::NoSuchScope(id.0));
        }
        if expanded {
            let mut rc = codes[i].take().ok_or(LinkError::MissingRawCode(id.0))?;
            let kids = std::mem::take(&mut children[i]);
            rc.children.reserve(kids.len());
            for kid in kids {
                // Each child was finished (pushed later, popped earlier) before its parent.
                let child = codes
                    .get_mut(kid.0 as usize)
                    .ok_or(LinkError::NoSuchScope(kid.0))?
                    .take()
                    .ok_or(LinkError::MissingRawCode(kid.0))?;
                rc.children.push(child);
            }
            codes[i] = Some(rc);
        } else {
            if visited[i] {
                return Err(LinkError::SharedChild(id.0));
            }
            visited[i] = true;
            if codes[i].is_none() {
                return Err(LinkError::MissingRawCode(id.0));
            }
            stack.push((id, true));
            for kid in children[i].iter().rev() {
                stack.push((*kid, false));
            }
        }
    }
    codes
        .get_mut(root.0 as usize)
        .and_then(Option::take)
        .ok_or(LinkError::MissingRawCode(root.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{EmitOpt, ScopeKind};
    use mpcore::Qstr;
    use rawcode::CodeKind;
    use syntax::Node;

    fn scope_with(tag: u8, kids: &[u32]) -> Scope {
        let mut s = Scope::new(ScopeKind::Function, Node::Null, Qstr(1), EmitOpt::Bytecode);
        s.raw_code = Some(RawCode {
            kind: CodeKind::Bytecode,
            fun_data: vec![tag],
            arg_names: vec![],
            consts: vec![],
            children: vec![],
            native: None,
            loaded: None,
        });
        s.raw_code_children = kids.iter().map(|&k| ScopeId(k)).collect();
        s
    }

    #[test]
    fn links_in_const_table_order() {
        // 0 -> [2, 1], 1 -> [3]
        let scopes = vec![
            scope_with(0, &[2, 1]),
            scope_with(1, &[3]),
            scope_with(2, &[]),
            scope_with(3, &[]),
        ];
        let rc = link(scopes, ScopeId(0)).unwrap();
        assert_eq!(rc.fun_data, [0]);
        assert_eq!(rc.children.len(), 2);
        assert_eq!(rc.children[0].fun_data, [2]);
        assert_eq!(rc.children[1].fun_data, [1]);
        assert_eq!(rc.children[1].children[0].fun_data, [3]);
    }

    #[test]
    fn deep_chain_needs_no_recursion() {
        let n = 100_000u32;
        let scopes: Vec<Scope> = (0..n)
            .map(|i| {
                if i + 1 < n {
                    scope_with(0, &[i + 1])
                } else {
                    scope_with(1, &[])
                }
            })
            .collect();
        let mut rc = link(scopes, ScopeId(0)).unwrap();
        let mut depth = 1;
        // Dismantle iteratively so dropping does not recurse either.
        while let Some(child) = rc.children.pop() {
            rc = child;
            depth += 1;
        }
        assert_eq!(depth, n);
        assert_eq!(rc.fun_data, [1]);
    }

    #[test]
    fn errors() {
        let mut missing = scope_with(0, &[1]);
        missing.raw_code_children = vec![ScopeId(1)];
        let mut no_code = scope_with(1, &[]);
        no_code.raw_code = None;
        assert_eq!(
            link(vec![missing, no_code], ScopeId(0)),
            Err(LinkError::MissingRawCode(1))
        );
        assert_eq!(
            link(vec![scope_with(0, &[5])], ScopeId(0)),
            Err(LinkError::NoSuchScope(5))
        );
        assert_eq!(
            link(vec![scope_with(0, &[1, 1]), scope_with(1, &[])], ScopeId(0)),
            Err(LinkError::SharedChild(1))
        );
        assert_eq!(
            link(vec![scope_with(0, &[0])], ScopeId(0)),
            Err(LinkError::SharedChild(0))
        );
    }
}
