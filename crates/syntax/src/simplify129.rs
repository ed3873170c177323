//! How MicroPython 1.29's parser builds the nodes it may simplify (`push_result_rule` of
//! 1.29): parenthesised lists flattened into one `testlist_comp`, constant folding by
//! [`crate::fold129`], truth values of any constant for `or`/`and`/`not`, and tuples of
//! constants built at parse time (`MICROPY_COMP_CONST_TUPLE`).
//!
//! Tree shapes that differ from 1.11 (for the 1.29 compiler):
//! - `(a,)` and `[a,]`: `testlist_comp` with one child (1.11: `testlist_comp[a, testlist_comp_3b]`);
//! - three or more items, or two with a trailing comma: one `testlist_comp` holding them all
//!   (1.11: `testlist_comp[a, testlist_comp_3c[b, c]]`);
//! - a parenthesised tuple, or an unparenthesised `testlist`, `testlist_star_expr` or
//!   `subscriptlist`, whose items are all constants: a constant object holding
//!   [`ConstObj::Tuple`];
//! - bytes literals are always constant objects; `math.e`/`pi`/`tau`/`inf`/`nan` and
//!   float arithmetic fold to float constants; `**` and `/` fold.

use crate::PResult;

use crate::int::IntVal;
use crate::parser::{ConstVal, Parser};
use crate::release::FrontEnd;
use crate::rule::Rule;
use crate::token::TokenKind;
use crate::tree::{ConstObj, Node};

/// The truth value of a constant object (`mp_obj_is_true`).
fn obj_truth(obj: &ConstObj) -> bool {
    match obj {
        ConstObj::Int(b) => b.sign() != num_bigint::Sign::NoSign,
        ConstObj::Float(f) => *f != 0.0,
        ConstObj::Complex(f) => *f != 0.0,
        ConstObj::Str(s) | ConstObj::Bytes(s) => !s.is_empty(),
        ConstObj::Tuple(items) => !items.is_empty(),
        ConstObj::None | ConstObj::False => false,
        ConstObj::True | ConstObj::Ellipsis => true,
    }
}

/// The binary-operator rules whose operands fold as numbers (`fold_numbers`).
fn is_binary_number_rule(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::Expr
            | Rule::XorExpr
            | Rule::AndExpr
            | Rule::Power
            | Rule::ShiftExpr
            | Rule::ArithExpr
            | Rule::Term
    )
}

impl<R: FrontEnd> Parser<'_, '_, R> {
    /// The truth value of a node that is a constant (1.29's `parse_node_is_const_bool`).
    pub(crate) fn const_truth_1_29(&self, node: Node) -> Option<bool> {
        Some(match self.node_const_value(node)? {
            ConstVal::Int(IntVal::Small(v)) => v != 0,
            ConstVal::Int(IntVal::Big(b)) => b.sign() != num_bigint::Sign::NoSign,
            ConstVal::Obj(o) => obj_truth(&o),
        })
    }

    /// 1.29's `mp_parse_node_is_const` and `mp_parse_node_convert_to_obj`: the constant a
    /// node stands for (an int, an interned string, `None`/`True`/`False`/`...`, a constant
    /// object, `()`), if it is one.
    pub(crate) fn node_const_value(&self, node: Node) -> Option<ConstVal> {
        Some(match node {
            Node::SmallInt(v) => ConstVal::Int(IntVal::Small(v)),
            Node::Str(q) => ConstVal::Obj(ConstObj::Str(self.pool.get(q).to_vec())),
            Node::Token(TokenKind::KwNone) => ConstVal::Obj(ConstObj::None),
            Node::Token(TokenKind::KwTrue) => ConstVal::Obj(ConstObj::True),
            Node::Token(TokenKind::KwFalse) => ConstVal::Obj(ConstObj::False),
            Node::Token(TokenKind::Ellipsis) => ConstVal::Obj(ConstObj::Ellipsis),
            Node::Struct(id) => match id.1 {
                // An int object's value as folding reads it: a target-width object holding a
                // host small int stays small (1.19 to 1.23 fold `y - y` of such a `const()`
                // to a small 0, not a big-int object).
                Rule::ConstObject => match self.tree.constant(id)? {
                    ConstObj::Int(b) => ConstVal::Int(self.object_int(id, b)),
                    other => ConstVal::Obj(other.clone()),
                },
                Rule::AtomParen if self.tree.children(id).first() == Some(&Node::Null) => {
                    ConstVal::Obj(ConstObj::Tuple(Vec::new()))
                }
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The rule the frame `n` below the top of the rule stack is parsing (`peek_rule`).
    fn parent_rule(&self, n: usize) -> Option<Rule> {
        let len = self.rules_len();
        len.checked_sub(n + 1).map(|i| self.rule_at_depth(i))
    }

    /// `build_tuple_from_stack`: when the top `n` results are all constants, replace them
    /// by one constant tuple.
    fn build_tuple_from_stack(&mut self, line: u32, column: u32, n: usize) -> bool {
        let start = self.results.len() - n;
        // Most displays hold a non-constant: found without reading (or copying) any item.
        if !self.results[start..]
            .iter()
            .all(|&pn| self.is_const_node(pn))
        {
            return false;
        }
        let mut items = Vec::with_capacity(n);
        for j in 0..n {
            match self.node_const_value(self.results[start + j]) {
                Some(ConstVal::Int(IntVal::Small(v))) => items.push(ConstObj::Int(v.into())),
                Some(ConstVal::Int(IntVal::Big(b))) => items.push(ConstObj::Int(b)),
                Some(ConstVal::Obj(o)) => items.push(o),
                None => return false,
            }
        }
        self.results.truncate(start);
        let node = self.const_node(ConstObj::Tuple(items), line, column);
        self.results.push(node);
        true
    }

    /// 1.29's `push_result_rule` for the rules it may simplify (the caller builds every
    /// other rule's node directly), from the frame machine: whether a display is
    /// parenthesised is read from the rule stack (`peek_rule`), as the reference does.
    pub(crate) fn push_struct_1_29(
        &mut self,
        line: u32,
        column: u32,
        rule: Rule,
        n: usize,
    ) -> PResult<()> {
        let in_paren = match rule {
            Rule::TestlistComp => self.parent_rule(0) == Some(Rule::AtomParen),
            Rule::TestlistComp3c => self.parent_rule(2) == Some(Rule::AtomParen),
            _ => false,
        };
        if self.push_struct_1_29_in(line, column, rule, n, in_paren)? {
            // `testlist_comp_3b` and `testlist_comp` are done with.
            self.drop_rules(2);
        }
        Ok(())
    }

    /// Whether reducing `rule` over the top `n` results may do more than build its node (a
    /// cheap look at the operands that the folds below need; false for most reductions).
    #[inline(always)]
    pub(crate) fn may_simplify_1_29(&self, rule: Rule, n: usize) -> bool {
        let Some(&first) = self
            .results
            .len()
            .checked_sub(n)
            .and_then(|i| self.results.get(i))
        else {
            return true;
        };
        match rule {
            // Numbers fold only when the first operand is one.
            r if is_binary_number_rule(r) => self.is_number_node(first),
            Rule::Factor2 => self.is_number_node(self.peek(0)),
            // Only `NAME.attr` can be `math.pi` and its kin.
            Rule::AtomExprNormal => match (self.peek(1), self.peek(0)) {
                (Node::Id(_), Node::Struct(t)) => {
                    R::PARSE.float_folding && t.1 == Rule::TrailerPeriod
                }
                _ => false,
            },
            // A constant tuple needs a constant first item.
            Rule::TestlistStarExpr | Rule::Testlist | Rule::Subscriptlist => {
                R::PARSE.const_tuples && self.is_const_node(first)
            }
            _ => true,
        }
    }

    /// Whether `node` is a number [`Self::node_number`] reads (without reading it).
    #[inline(always)]
    fn is_number_node(&self, node: Node) -> bool {
        match node {
            Node::SmallInt(_) => true,
            Node::Struct(id) => matches!(
                self.tree.constant(id),
                Some(ConstObj::Int(_) | ConstObj::Float(_))
            ),
            _ => false,
        }
    }

    /// Whether `node` is a constant [`Self::node_const_value`] reads (without reading it).
    #[inline(always)]
    fn is_const_node(&self, node: Node) -> bool {
        match node {
            Node::SmallInt(_)
            | Node::Str(_)
            | Node::Token(
                TokenKind::KwNone | TokenKind::KwTrue | TokenKind::KwFalse | TokenKind::Ellipsis,
            ) => true,
            Node::Struct(id) => match id.1 {
                Rule::ConstObject => true,
                Rule::AtomParen => self.tree.children(id).first() == Some(&Node::Null),
                _ => false,
            },
            _ => false,
        }
    }

    /// [`Self::push_struct_1_29`] with the display's parentheses known: true when a
    /// `testlist_comp_3c` became a constant tuple (with the outer `testlist_comp`'s first
    /// item), which ends that `testlist_comp` too. Each rule goes straight to the one fold
    /// that can apply to it (the others would look and decline). The caller has seen
    /// [`Self::may_simplify_1_29`] hold.
    pub(crate) fn push_struct_1_29_in(
        &mut self,
        line: u32,
        column: u32,
        rule: Rule,
        mut n: usize,
        in_paren: bool,
    ) -> PResult<bool> {
        match rule {
            Rule::OrTest | Rule::AndTest | Rule::NotTest2 if self.fold_logical(rule, &mut n) => {
                return Ok(false);
            }
            Rule::ExprStmt if self.fold_constants(rule, n)? => return Ok(false),
            r if (is_binary_number_rule(r)
                || matches!(r, Rule::Factor2 | Rule::AtomExprNormal))
                && self.fold_numbers(rule, n)? =>
            {
                return Ok(false);
            }
            Rule::TestlistStarExpr | Rule::Testlist | Rule::Subscriptlist
                if R::PARSE.const_tuples && self.build_tuple_from_stack(line, column, n) =>
            {
                return Ok(false);
            }
            Rule::AtomParen => {
                let pn = self.peek(0);
                if pn != Node::Null && !self.tree.is_struct_kind(pn, Rule::TestlistComp) {
                    return Ok(false);
                }
            }
            Rule::TestlistComp => {
                if let Node::Struct(id) = self.peek(0) {
                    match id.1 {
                        Rule::TestlistComp3b => {
                            // `(a,)`: one item.
                            self.pop();
                            n -= 1;
                        }
                        Rule::TestlistComp3c => {
                            // The items are all in the `testlist_comp_3c` node (which also
                            // stands in for the first item below it): it becomes this rule.
                            self.pop();
                            let renamed = self.tree.set_rule(id, Rule::TestlistComp);
                            // The copy left where the stolen first item was names the
                            // node too.
                            if let Some(top) = self.results.last_mut() {
                                if *top == Node::Struct(id) {
                                    *top = Node::Struct(renamed);
                                }
                            }
                            return Ok(false);
                        }
                        _ => {}
                    }
                }
                if R::PARSE.const_tuples && in_paren && self.build_tuple_from_stack(line, column, n)
                {
                    return Ok(false);
                }
            }
            Rule::TestlistComp3c => {
                // Take the outer `testlist_comp`'s first item too.
                n += 1;
                if R::PARSE.const_tuples && in_paren && self.build_tuple_from_stack(line, column, n)
                {
                    return Ok(true);
                }
                self.build_struct(line, column, rule, n);
                // Something non-empty where the stolen item was.
                let node = self.peek(0);
                self.results.push(node);
                return Ok(false);
            }
            _ => {}
        }
        self.build_struct(line, column, rule, n);
        Ok(false)
    }
}
