//! A compact text form of a parse tree, for tests and debugging: `(rule child ...)` with
//! names bare, small ints as numbers, strings quoted, tokens as `<Kind>` and `_` for null.

use mpcore::QstrPool;

use crate::tree::{ConstObj, Node, ParseTree};

/// Render `node` (iteratively: deep trees are fine).
pub fn dump_node(tree: &ParseTree, pool: &QstrPool, node: Node, with_lines: bool) -> String {
    enum Work {
        Node(Node),
        Text(&'static str),
    }
    let mut out = String::new();
    let mut stack = vec![Work::Node(node)];
    while let Some(w) = stack.pop() {
        let node = match w {
            Work::Text(t) => {
                out.push_str(t);
                continue;
            }
            Work::Node(n) => n,
        };
        match node {
            Node::Null => out.push('_'),
            Node::Id(q) => out.push_str(&pool.text(q)),
            Node::SmallInt(v) => out.push_str(&v.to_string()),
            Node::Str(q) => out.push_str(&format!("{:?}", pool.text(q))),
            Node::Bytes(q) => out.push_str(&format!("b{:?}", pool.text(q))),
            Node::Token(k) => out.push_str(&format!("<{k:?}>")),
            Node::Struct(id) => {
                let s = tree.get(id);
                if let Some(c) = tree.constant(id) {
                    let text = match c {
                        ConstObj::Int(b) => format!("int:{b}"),
                        ConstObj::Float(f) => format!("float:{f:?}"),
                        ConstObj::Complex(f) => format!("complex:{f:?}"),
                        ConstObj::Str(s) => format!("str:{:?}", String::from_utf8_lossy(s)),
                        ConstObj::Bytes(s) => format!("bytes:{:?}", String::from_utf8_lossy(s)),
                    };
                    out.push('{');
                    out.push_str(&text);
                    if with_lines {
                        out.push_str(&format!("@{}", s.line));
                    }
                    out.push('}');
                    continue;
                }
                out.push('(');
                out.push_str(s.rule.name());
                if with_lines {
                    out.push_str(&format!("@{}", s.line));
                }
                stack.push(Work::Text(")"));
                for &c in tree.children(id).iter().rev() {
                    stack.push(Work::Node(c));
                    stack.push(Work::Text(" "));
                }
            }
        }
    }
    out
}

/// Render a whole tree.
pub fn dump(tree: &ParseTree, pool: &QstrPool, with_lines: bool) -> String {
    match tree.root {
        Some(root) => dump_node(tree, pool, root, with_lines),
        None => String::new(),
    }
}
