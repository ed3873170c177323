//! The parse tree: MicroPython 1.11's node shapes, in compact arenas.
//!
//! The compiler's instruction choices depend on the exact shape of the reference's parse tree
//! (which rules survive, which are folded, where a single child replaces its parent), so the tree
//! keeps that shape: a node is a leaf or a struct tagged with a [`Rule`], with its children in
//! a flat arena. Struct nodes carry the line (and column, for tools) where their rule started.

use mpcore::Qstr;
use num_bigint::BigInt;

use crate::rule::Rule;
use crate::token::TokenKind;

/// A struct node: its index in [`ParseTree::structs`], and its rule, kept here as well so
/// that what a node is can be known without reading the node (the compiler dispatches on it
/// for every node it walks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StructId(pub u32, pub Rule);

/// Index of a constant object in [`ParseTree::consts`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConstId(pub u32);

/// One parse node (`mp_parse_node_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// An absent optional part.
    Null,
    /// A name.
    Id(Qstr),
    /// An integer that fits the host's small int (the compiler checks the target's width).
    SmallInt(i64),
    /// An interned string literal.
    Str(Qstr),
    /// An interned bytes literal.
    Bytes(Qstr),
    /// A bare token (`None`, `True`, `False`, `...`, operators kept in the tree).
    Token(TokenKind),
    /// A struct node.
    Struct(StructId),
}

/// A struct node (`mp_parse_node_struct_t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructNode {
    pub rule: Rule,
    /// 1-based source line where the rule started.
    pub line: u32,
    /// 1-based column where the rule started.
    pub column: u32,
    /// Start of the children in [`ParseTree::children`].
    pub first_child: u32,
    /// Number of children.
    pub n_children: u32,
    /// For [`Rule::ConstObject`] nodes, the constant they hold (such nodes have no children).
    pub constant: Option<ConstId>,
}

/// A constant object the parser made (`RULE_const_object`).
#[derive(Clone, Debug, PartialEq)]
pub enum ConstObj {
    /// A big-int object: a literal too big for a host small int (63 bits), or the result of
    /// folding that went through big ints, which stays a big-int object even when its value
    /// would fit (`(1<<70) - (1<<70)` gives `Int(0)`, as the reference does).
    Int(BigInt),
    Float(f64),
    /// An imaginary literal (`1j`): the imaginary part.
    Complex(f64),
    /// A string literal that was not interned.
    Str(Vec<u8>),
    /// A bytes literal that was not interned (in 1.29, every bytes literal).
    Bytes(Vec<u8>),
    // Constants only MicroPython 1.29's parser makes (`NAME = const(...)` values substituted
    // for NAME; the 1.11 front end never does):
    /// `None` as a constant object.
    None,
    /// `True` as a constant object.
    True,
    /// `False` as a constant object.
    False,
    /// `...` as a constant object.
    Ellipsis,
    /// A tuple of constants.
    Tuple(Vec<ConstObj>),
}

/// A whole parsed file.
#[derive(Clone, Debug, Default)]
pub struct ParseTree {
    pub structs: Vec<StructNode>,
    pub children: Vec<Node>,
    pub consts: Vec<ConstObj>,
    /// The root node as the reference leaves it: `file_input_2` for several statements, the
    /// statement itself for one, `Token(Newline)` for a file of only blank or comment lines.
    /// `None` only in a default-constructed tree.
    pub root: Option<Node>,
}

impl ParseTree {
    /// The struct node behind an id.
    pub fn get(&self, id: StructId) -> &StructNode {
        &self.structs[id.0 as usize]
    }

    /// Gives node `id` another rule; returns the id that names it now (the old one, which
    /// carries the old rule, must not be used again).
    pub(crate) fn set_rule(&mut self, id: StructId, rule: Rule) -> StructId {
        if let Some(s) = self.structs.get_mut(id.0 as usize) {
            s.rule = rule;
        }
        StructId(id.0, rule)
    }

    /// The children of a struct node.
    pub fn children(&self, id: StructId) -> &[Node] {
        let s = self.get(id);
        let start = s.first_child as usize;
        &self.children[start..start + s.n_children as usize]
    }

    /// The rule of a node if it is a struct.
    #[inline]
    pub fn rule(&self, node: Node) -> Option<Rule> {
        match node {
            Node::Struct(id) => Some(id.1),
            _ => None,
        }
    }

    /// True when `node` is a struct of rule `rule` (`MP_PARSE_NODE_IS_STRUCT_KIND`).
    #[inline]
    pub fn is_struct_kind(&self, node: Node, rule: Rule) -> bool {
        self.rule(node) == Some(rule)
    }

    /// The constant held by a struct node of [`Rule::ConstObject`].
    pub fn constant(&self, id: StructId) -> Option<&ConstObj> {
        self.get(id).constant.map(|c| &self.consts[c.0 as usize])
    }
}
