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
    /// Scopes are made while their parent is compiled, so a child always comes after its
    /// parent in the scope list.
    #[error("scope {0} is listed before its parent")]
    ChildBeforeParent(u32),
}

/// Builds the tree of raw codes rooted at `root`, taking each scope's `raw_code` and hanging
/// its `raw_code_children` under it in order (the scopes are left to the caller, to drop or to
/// [`recycle`](crate::CompileContext::recycle)).
///
/// The scopes are linked from the last to the first: every child comes after its parent, so
/// its own children are in place by the time its parent takes it. Each raw code moves once,
/// into its parent's list of children, with no recursion.
pub fn link(scopes: &mut [Scope], root: ScopeId) -> Result<RawCode, LinkError> {
    let n = scopes.len();
    let r = root.0 as usize;
    if r >= n {
        return Err(LinkError::NoSuchScope(root.0));
    }
    // Which raw codes a parent has taken (to tell a shared child from a missing raw code).
    let mut taken = vec![false; n];
    for i in (0..n).rev() {
        if scopes[i].raw_code_children.is_empty() {
            continue;
        }
        let (head, tail) = scopes.split_at_mut(i + 1);
        let scope = &mut head[i];
        let Some(rc) = scope.raw_code.as_mut() else {
            // Only an error if something needs this scope (its parent, or the caller).
            continue;
        };
        rc.children.reserve_exact(scope.raw_code_children.len());
        for kid in scope.raw_code_children.drain(..) {
            let k = kid.0 as usize;
            if k >= n {
                return Err(LinkError::NoSuchScope(kid.0));
            }
            if k == i {
                return Err(LinkError::SharedChild(kid.0));
            }
            let Some(child_scope) = tail.get_mut(k.wrapping_sub(i + 1)) else {
                return Err(LinkError::ChildBeforeParent(kid.0));
            };
            let Some(child) = child_scope.raw_code.take() else {
                return Err(if taken[k] {
                    LinkError::SharedChild(kid.0)
                } else {
                    LinkError::MissingRawCode(kid.0)
                });
            };
            taken[k] = true;
            rc.children.push(child);
        }
    }
    let root_code = scopes[r].raw_code.take();
    match root_code {
        Some(rc) => Ok(rc),
        None if taken[r] => Err(LinkError::SharedChild(root.0)),
        None => Err(LinkError::MissingRawCode(root.0)),
    }
}

/// The indices of the scopes whose raw codes make the module's tree, parents before children
/// and children in order (the module is scope 0), found without recursion. Checks what
/// [`link`] checks: every child exists, comes after its parent in the list (so
/// the walk ends), has a raw code, and belongs to one parent only.
pub(crate) fn file_order(scopes: &[Scope]) -> Result<Vec<u32>, LinkError> {
    let n = scopes.len();
    if n == 0 {
        return Err(LinkError::NoSuchScope(0));
    }
    let mut taken = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![0u32];
    taken[0] = true;
    while let Some(i) = stack.pop() {
        let scope = &scopes[i as usize];
        if scope.raw_code.is_none() {
            return Err(LinkError::MissingRawCode(i));
        }
        order.push(i);
        for &ScopeId(k) in scope.raw_code_children.iter().rev() {
            let Some(seen) = taken.get_mut(k as usize) else {
                return Err(LinkError::NoSuchScope(k));
            };
            if k <= i || *seen {
                return Err(if *seen {
                    LinkError::SharedChild(k)
                } else {
                    LinkError::ChildBeforeParent(k)
                });
            }
            *seen = true;
            stack.push(k);
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{EmitOpt, ScopeKind};
    use mpcore::Qstr;
    use syntax::Node;

    fn scope_with(tag: u8, kids: &[u32]) -> Scope {
        let mut s = Scope::new(ScopeKind::Function, Node::Null, Qstr(1), EmitOpt::Bytecode);
        s.raw_code = Some(RawCode::bytecode(vec![tag]));
        s.raw_code_children = kids.iter().map(|&k| ScopeId(k)).collect();
        s
    }

    #[test]
    fn links_in_const_table_order() {
        // 0 -> [2, 1], 1 -> [3]
        let mut scopes = vec![
            scope_with(0, &[2, 1]),
            scope_with(1, &[3]),
            scope_with(2, &[]),
            scope_with(3, &[]),
        ];
        let rc = link(&mut scopes, ScopeId(0)).unwrap();
        assert_eq!(rc.fun_data(), [0]);
        assert_eq!(rc.children.len(), 2);
        assert_eq!(rc.children[0].fun_data(), [2]);
        assert_eq!(rc.children[1].fun_data(), [1]);
        assert_eq!(rc.children[1].children[0].fun_data(), [3]);
    }

    #[test]
    fn file_order_is_parents_first_children_in_order() {
        // 0 -> [2, 1], 1 -> [3]: the order the linked tree is written in.
        let scopes = vec![
            scope_with(0, &[2, 1]),
            scope_with(1, &[3]),
            scope_with(2, &[]),
            scope_with(3, &[]),
        ];
        assert_eq!(file_order(&scopes), Ok(vec![0, 2, 1, 3]));
        let shared = vec![scope_with(0, &[1, 1]), scope_with(1, &[])];
        assert_eq!(file_order(&shared), Err(LinkError::SharedChild(1)));
        let backwards = vec![scope_with(0, &[2]), scope_with(1, &[]), scope_with(2, &[1])];
        assert_eq!(file_order(&backwards), Err(LinkError::ChildBeforeParent(1)));
    }

    #[test]
    fn deep_chain_needs_no_recursion() {
        let n = 100_000u32;
        let mut scopes: Vec<Scope> = (0..n)
            .map(|i| {
                if i + 1 < n {
                    scope_with(0, &[i + 1])
                } else {
                    scope_with(1, &[])
                }
            })
            .collect();
        let mut rc = link(&mut scopes, ScopeId(0)).unwrap();
        let mut depth = 1;
        // Dismantle iteratively so dropping does not recurse either.
        while let Some(child) = rc.children.pop() {
            rc = child;
            depth += 1;
        }
        assert_eq!(depth, n);
        assert_eq!(rc.fun_data(), [1]);
    }

    #[test]
    fn errors() {
        let mut missing = scope_with(0, &[1]);
        missing.raw_code_children = vec![ScopeId(1)];
        let mut no_code = scope_with(1, &[]);
        no_code.raw_code = None;
        assert_eq!(
            link(&mut [missing, no_code], ScopeId(0)),
            Err(LinkError::MissingRawCode(1))
        );
        assert_eq!(
            link(&mut [scope_with(0, &[5])], ScopeId(0)),
            Err(LinkError::NoSuchScope(5))
        );
        assert_eq!(
            link(
                &mut [scope_with(0, &[1, 1]), scope_with(1, &[])],
                ScopeId(0)
            ),
            Err(LinkError::SharedChild(1))
        );
        assert_eq!(
            link(&mut [scope_with(0, &[0])], ScopeId(0)),
            Err(LinkError::SharedChild(0))
        );
        assert_eq!(
            link(&mut [scope_with(0, &[]), scope_with(1, &[0])], ScopeId(1)),
            Err(LinkError::ChildBeforeParent(0))
        );
        assert_eq!(
            link(&mut [scope_with(0, &[])], ScopeId(3)),
            Err(LinkError::NoSuchScope(3))
        );
    }
}
