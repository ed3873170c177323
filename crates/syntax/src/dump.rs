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
                        other => format!("{other:?}"),
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

/// Render a whole tree in the layout of the reference's debug printer
/// (`mp_parse_node_print` with rule names): one node per line, a `[line]` column for struct
/// nodes, two spaces of indent per level; qstr leaves carry `#<qstr number>` and constant
/// objects their `repr`.
pub fn dump_reference_style(tree: &ParseTree, pool: &QstrPool) -> Vec<u8> {
    let mut out = Vec::new();
    let Some(root) = tree.root else { return out };
    let mut stack = vec![(root, 0usize)];
    while let Some((node, indent)) = stack.pop() {
        if let Node::Struct(id) = node {
            out.extend_from_slice(
                format!("[{:>4}] ", format!(" {}", tree.get(id).line)).as_bytes(),
            );
        } else {
            out.extend_from_slice(b"       ");
        }
        out.resize(out.len() + indent, b' ');
        match node {
            Node::Null => out.extend_from_slice(b"NULL"),
            Node::SmallInt(v) => out.extend_from_slice(format!("int({v})").as_bytes()),
            Node::Id(q) | Node::Str(q) | Node::Bytes(q) => {
                let tag: &[u8] = match node {
                    Node::Id(_) => b"id(",
                    Node::Str(_) => b"str(",
                    _ => b"bytes(",
                };
                out.extend_from_slice(tag);
                // The reference prints these as C strings: up to the first NUL.
                let bytes = pool.get(q);
                let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
                out.extend_from_slice(&bytes[..end]);
                out.extend_from_slice(format!(")#{}", q.0).as_bytes());
            }
            Node::Token(k) => out.extend_from_slice(format!("tok({})", k as u8).as_bytes()),
            Node::Struct(id) => {
                let s = tree.get(id);
                if let Some(c) = tree.constant(id) {
                    let repr = match c {
                        ConstObj::Int(v) => v.to_string(),
                        ConstObj::Float(f) => mpcore::float::format_repr(*f),
                        ConstObj::Complex(f) => mpcore::float::format_complex_repr(0.0, *f),
                        ConstObj::Str(s) => repr_str(s),
                        ConstObj::Bytes(b) => format!("b{}", crate::number::quote_bytes(b)),
                        other => format!("{other:?}"),
                    };
                    out.extend_from_slice(format!("literal const({repr})").as_bytes());
                } else {
                    out.extend_from_slice(
                        format!("{}({}) (n={})", s.rule.name(), s.rule as u8, s.n_children)
                            .as_bytes(),
                    );
                    for &c in tree.children(id).iter().rev() {
                        stack.push((c, indent + 2));
                    }
                }
            }
        }
        out.push(b'\n');
    }
    out
}

/// The reference's `repr` of a `str` (unicode build): code points decoded leniently as its
/// `utf8_get_char` does, then escaped.
fn repr_str(s: &[u8]) -> String {
    let has_single = s.contains(&b'\'');
    let has_double = s.contains(&b'"');
    let quote = if has_single && !has_double { '"' } else { '\'' };
    let mut out = String::new();
    out.push(quote);
    let mut i = 0;
    while i < s.len() {
        let mut ch = u32::from(s[i]);
        i += 1;
        let ascii = ch < 0x80;
        if !ascii {
            ch &= 0x7f;
            let mut mask = 0x40;
            while ch & mask != 0 {
                ch &= !mask;
                mask >>= 1;
            }
        }
        // Continuation bytes after any character are skipped; after a lead byte they are
        // part of its code point.
        while i < s.len() && s[i] & 0xc0 == 0x80 {
            if !ascii {
                ch = (ch << 6) | u32::from(s[i] & 0x3f);
            }
            i += 1;
        }
        match ch {
            _ if ch == quote as u32 => {
                out.push('\\');
                out.push(quote);
            }
            0x5c => out.push_str("\\\\"),
            32..=126 => out.push(char::from_u32(ch).unwrap_or('?')),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            0x09 => out.push_str("\\t"),
            0..=0xff => out.push_str(&format!("\\x{ch:02x}")),
            0x100..=0xffff => out.push_str(&format!("\\u{ch:04x}")),
            _ => out.push_str(&format!("\\U{ch:08x}")),
        }
    }
    out.push(quote);
    out
}
