//! Folding the reference's parser does while it builds nodes: `or`/`and`/`not` over constant
//! truth values, integer arithmetic on constants, and `NAME = const(value)` bindings.

use crate::PResult;
use mpcore::ExcKind;

use crate::int::{BinOp, UnaryOp};
use crate::parser::{ConstVal, Parser};
use crate::release::FrontEnd;
use crate::rule::Rule;
use crate::token::TokenKind;
use crate::tree::Node;

/// `False` or the small int 0 (`mp_parse_node_is_const_false`).
fn is_const_false(n: Node) -> bool {
    matches!(n, Node::Token(TokenKind::KwFalse) | Node::SmallInt(0))
}

/// `True` or a non-zero small int (`mp_parse_node_is_const_true`).
fn is_const_true(n: Node) -> bool {
    matches!(n, Node::Token(TokenKind::KwTrue)) || matches!(n, Node::SmallInt(v) if v != 0)
}

impl<R: FrontEnd> Parser<'_, '_, R> {
    /// Whether `n` is a constant whose truth value is `value` (1.11 and 1.19: `True`/`False`
    /// and small ints only; 1.20 on: any constant).
    #[inline]
    fn const_is(&self, n: Node, value: bool) -> bool {
        if R::PARSE.any_const_truth {
            self.const_truth_1_29(n) == Some(value)
        } else if value {
            is_const_true(n)
        } else {
            is_const_false(n)
        }
    }

    /// Fold `or`, `and` and `not` over constants (`fold_logical_constants`). Drops operands
    /// that cannot decide the result and stops at one that does; returns true when a single
    /// operand is left, which then stands for the whole rule.
    ///
    /// Only called for the rules in `parser::SIMPLIFIES`: a rule added to this match or to
    /// [`Self::fold_constants`]'s must be added there too.
    pub(crate) fn fold_logical(&mut self, rule: Rule, n: &mut usize) -> bool {
        match rule {
            Rule::OrTest | Rule::AndTest => {
                let is_or = rule == Rule::OrTest;
                let start = self.results.len() - *n;
                let mut write = start;
                for j in 0..*n {
                    let pn = self.results[start + j];
                    self.results[write] = pn;
                    if j + 1 == *n {
                        break;
                    }
                    let (decides, neutral) = if is_or {
                        (self.const_is(pn, true), self.const_is(pn, false))
                    } else {
                        (self.const_is(pn, false), self.const_is(pn, true))
                    };
                    if decides {
                        break;
                    }
                    if !neutral {
                        write += 1;
                    }
                }
                self.results.truncate(write + 1);
                *n = write + 1 - start;
                *n == 1
            }
            Rule::NotTest2 => {
                let pn = self.peek(0);
                let folded = if self.const_is(pn, false) {
                    TokenKind::KwTrue
                } else if self.const_is(pn, true) {
                    TokenKind::KwFalse
                } else {
                    return false;
                };
                self.pop();
                self.results.push(Node::Token(folded));
                true
            }
            _ => false,
        }
    }

    /// Fold integer expressions whose operands are all constants (`fold_constants`), and
    /// record `NAME = const(value)`. Returns true when the rule was replaced.
    pub(crate) fn fold_constants(&mut self, rule: Rule, n: usize) -> PResult<bool> {
        let value = match rule {
            Rule::Expr | Rule::XorExpr | Rule::AndExpr => {
                let op = match rule {
                    Rule::Expr => BinOp::Or,
                    Rule::XorExpr => BinOp::Xor,
                    _ => BinOp::And,
                };
                let start = self.results.len() - n;
                let Some(mut acc) = self.node_int(self.results[start]) else {
                    return Ok(false);
                };
                for j in 1..n {
                    let Some(rhs) = self.node_int(self.results[start + j]) else {
                        return Ok(false);
                    };
                    acc = acc.binary(op, &rhs, R::RELEASE.fold_room_blocks())?;
                }
                acc
            }
            Rule::ShiftExpr | Rule::ArithExpr | Rule::Term => {
                let start = self.results.len() - n;
                let Some(mut acc) = self.node_int(self.results[start]) else {
                    return Ok(false);
                };
                let mut j = 1;
                while j + 1 < n {
                    let Some(rhs) = self.node_int(self.results[start + j + 1]) else {
                        return Ok(false);
                    };
                    let op = match self.results[start + j] {
                        Node::Token(TokenKind::OpPlus) => BinOp::Add,
                        Node::Token(TokenKind::OpMinus) => BinOp::Sub,
                        Node::Token(TokenKind::OpStar) => BinOp::Mul,
                        Node::Token(TokenKind::OpDblSlash) => BinOp::FloorDiv,
                        Node::Token(TokenKind::OpPercent) => BinOp::Mod,
                        Node::Token(TokenKind::OpDblLess) => BinOp::Shl,
                        Node::Token(TokenKind::OpDblMore) => BinOp::Shr,
                        _ => return Ok(false),
                    };
                    let sign = rhs.sign();
                    match op {
                        BinOp::Shl | BinOp::Shr if sign < 0 => return Ok(false),
                        BinOp::FloorDiv | BinOp::Mod if sign == 0 => return Ok(false),
                        _ => {}
                    }
                    acc = acc.binary(op, &rhs, R::RELEASE.fold_room_blocks())?;
                    j += 2;
                }
                acc
            }
            Rule::Factor2 => {
                let Some(arg) = self.node_int(self.peek(0)) else {
                    return Ok(false);
                };
                let op = match self.peek(1) {
                    Node::Token(TokenKind::OpPlus) => UnaryOp::Pos,
                    Node::Token(TokenKind::OpMinus) => UnaryOp::Neg,
                    _ => UnaryOp::Invert,
                };
                arg.unary(op)
            }
            Rule::ExprStmt => return self.fold_const_assign(),
            _ => return Ok(false),
        };
        let keep = self.results.len() - n;
        self.results.truncate(keep);
        let node = self.int_node(value, 0, 0);
        self.results.push(node);
        Ok(true)
    }

    /// `NAME = const(value)`: remember the value for later uses of NAME, and store the plain
    /// value instead (or nothing, for a name starting with `_`).
    fn fold_const_assign(&mut self) -> PResult<bool> {
        let pn1 = self.peek(0);
        if matches!(pn1, Node::Null)
            || self.tree.is_struct_kind(pn1, Rule::ExprStmtAugassign)
            || self.tree.is_struct_kind(pn1, Rule::ExprStmtAssignList)
        {
            return Ok(false);
        }
        let Node::Id(id) = self.peek(1) else {
            return Ok(false);
        };
        // 1.29: `NAME: T = const(x)` too.
        let pn1 = match pn1 {
            Node::Struct(s) if R::PARSE.const_annotated && s.1 == Rule::Annassign => {
                self.tree.children(s).get(1).copied().unwrap_or(Node::Null)
            }
            _ => pn1,
        };
        let Node::Struct(call) = pn1 else {
            return Ok(false);
        };
        if call.1 != Rule::AtomExprNormal {
            return Ok(false);
        }
        let (callee, trailer) = match self.tree.children(call) {
            [callee, trailer, ..] => (*callee, *trailer),
            _ => return Ok(false),
        };
        let Some(q_const) = self.qstr_const else {
            return Ok(false);
        };
        if !matches!(callee, Node::Id(q) if q == q_const) {
            return Ok(false);
        }
        let Node::Struct(trailer_id) = trailer else {
            return Ok(false);
        };
        if trailer_id.1 != Rule::TrailerParen {
            return Ok(false);
        }
        let pn_value = self
            .tree
            .children(trailer_id)
            .first()
            .copied()
            .unwrap_or(Node::Null);
        let value = if R::PARSE.const_objects {
            self.node_const_value(pn_value)
        } else {
            self.node_int(pn_value).map(ConstVal::Int)
        };
        let Some(value) = value else {
            let s = self.tree.get(call);
            let message = if R::PARSE.const_objects {
                "not a constant"
            } else {
                "constant must be an integer"
            };
            return Err(Box::new(Self::error_at(
                ExcKind::SyntaxError,
                message,
                s.line,
                s.column,
            )));
        };
        self.consts.insert(id, value);

        if self.pool.get(id).first() == Some(&b'_') {
            self.pop();
            self.pop();
            self.push_struct(0, 0, Rule::PassStmt, 0)?;
            return Ok(true);
        }
        self.pop();
        self.results.push(pn_value);
        Ok(false)
    }
}
