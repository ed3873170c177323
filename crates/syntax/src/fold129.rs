//! Constant folding as MicroPython 1.29's parser does it: over ints and floats, with `/` and
//! `**` (and `@`, which no number supports), where an operation that would raise (a zero
//! divisor, a negative shift, a result too big for the reference's heap, a complex result)
//! leaves the expression unfolded instead of failing; plus `math.<constant>` lookups.
//!
//! Arithmetic follows the reference's object model on its 64-bit host: small ints (63 bits)
//! and big ints ([`IntVal`]), floats as C doubles, an int becoming a float as MicroPython
//! converts it (a small int exactly, a big int by summing its 16-bit digits from the top).

use crate::PResult;
use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive};

use crate::int::{BinOp, IntVal, UnaryOp};
use crate::parser::Parser;
use crate::release::FrontEnd;
use crate::rule::Rule;
use crate::token::TokenKind;
use crate::tree::{ConstObj, Node};

/// A number the folding works on (`mp_parse_node_get_number_maybe`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Num {
    Int(IntVal),
    Float(f64),
}

/// The operations 1.29 folds (`mp_binary_op_t`, the part the parser can reach).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Int(BinOp),
    TrueDiv,
    Pow,
    MatMul,
}

/// Bits above which the reference (2 MiB heap) cannot hold a big int.
const MAX_BITS: u64 = 8 * 2 * 1024 * 1024;

/// A big int as the x86-64 mpy-cross of a `.mpy` v6 release's `mpz_as_float` makes it a
/// double: its 32-bit digits (`MPZ_DIG_SIZE` is 32 on x86-64 hosts), most significant first,
/// each folded in with one multiply and one add, each rounded to double (so not correctly
/// rounded: `3300624761092562236858667331890 / 7` is `4.715178230132232e+29`, found by the
/// 1.29 differential fuzzer where 16-bit digits gave `4.7151782301322315e+29`).
fn mpz_as_float(b: &BigInt) -> f64 {
    let digits = b.magnitude().to_u32_digits();
    let mut val = 0.0f64;
    for d in digits.iter().rev() {
        val = val * 4_294_967_296.0 + f64::from(*d);
    }
    if b.sign() == Sign::Minus {
        -val
    } else {
        val
    }
}

fn int_as_float(v: &IntVal) -> f64 {
    match v {
        IntVal::Small(s) => *s as f64,
        IntVal::Big(b) => mpz_as_float(b),
    }
}

/// `mp_obj_float_binary_op`: `None` where it raises, returns a complex, or has no such op.
fn float_op(op: Op, mut x: f64, y: f64) -> Option<f64> {
    Some(match op {
        Op::Int(BinOp::Add) => x + y,
        Op::Int(BinOp::Sub) => x - y,
        Op::Int(BinOp::Mul) => x * y,
        Op::TrueDiv => {
            if y == 0.0 {
                return None;
            }
            x / y
        }
        Op::Int(BinOp::FloorDiv) => {
            if y == 0.0 {
                return None;
            }
            let modulo = x % y;
            let mut div = (x - modulo) / y;
            if modulo != 0.0 && ((modulo < 0.0) != (y < 0.0)) {
                div -= 1.0;
            }
            if div == 0.0 {
                0.0f64.copysign(x / y)
            } else {
                let mut floordiv = div.floor();
                if div - floordiv > 0.5 {
                    floordiv += 1.0;
                }
                floordiv
            }
        }
        Op::Int(BinOp::Mod) => {
            if y == 0.0 {
                return None;
            }
            x %= y;
            if x == 0.0 {
                0.0f64.copysign(y)
            } else if (x < 0.0) != (y < 0.0) {
                x + y
            } else {
                x
            }
        }
        Op::Pow => {
            if x == 0.0 && y < 0.0 && !y.is_infinite() {
                return None;
            }
            if x < 0.0 && y != y.floor() && !y.is_nan() {
                // A complex result: not folded.
                return None;
            }
            x.powf(y)
        }
        _ => return None,
    })
}

/// `int ** int` with a non-negative exponent: the small-int loop (which gives up on the
/// first product that leaves the small range), then the big-int power.
fn int_pow(base: &IntVal, exp: &IntVal) -> Option<IntVal> {
    if let (IntVal::Small(mut b), IntVal::Small(mut e)) = (base, exp) {
        let mut ans: i64 = 1;
        let fits = |v: Option<i64>| v.filter(|v| IntVal::fits_small(*v));
        let mut overflow = false;
        while e > 0 {
            if e & 1 != 0 {
                match fits(ans.checked_mul(b)) {
                    Some(v) => ans = v,
                    None => {
                        overflow = true;
                        break;
                    }
                }
            }
            if e == 1 {
                break;
            }
            e /= 2;
            match fits(b.checked_mul(b)) {
                Some(v) => b = v,
                None => {
                    overflow = true;
                    break;
                }
            }
        }
        if !overflow {
            return Some(IntVal::Small(ans));
        }
    }
    let b = match base {
        IntVal::Small(v) => BigInt::from(*v),
        IntVal::Big(v) => v.clone(),
    };
    if b.magnitude().bits() <= 1 {
        // 0, 1 or -1: no growth, however big the exponent (even one beyond 64 bits).
        let (zero, even) = match exp {
            IntVal::Small(v) => (*v == 0, v % 2 == 0),
            IntVal::Big(v) => (v.sign() == Sign::NoSign, !v.bit(0)),
        };
        let v = if zero {
            BigInt::from(1)
        } else if b.is_negative() && even {
            -b
        } else {
            b
        };
        return Some(IntVal::Big(v));
    }
    let e = match exp {
        IntVal::Small(v) => u64::try_from(*v).ok()?,
        IntVal::Big(v) => v.to_u64()?,
    };
    if b.magnitude().bits().saturating_mul(e) > MAX_BITS {
        return None;
    }
    Some(IntVal::Big(b.pow(u32::try_from(e).ok()?)))
}

/// `mp_binary_op` on two numbers as release `R`'s folding calls it (`binary_op_maybe`).
/// Without float folding (releases before 1.26, without `MICROPY_COMP_CONST_FLOAT`) only int
/// results fold: `/` and `**` to a negative power are left as they stand. A big-int result
/// past `R`'s heap fails (`mpcore::Release::fold_room_blocks`).
fn binary<R: FrontEnd>(op: Op, a: &Num, b: &Num) -> PResult<Option<Num>> {
    let (floats, max_blocks) = (R::PARSE.float_folding, R::RELEASE.fold_room_blocks());
    if !floats {
        match (op, b) {
            (Op::TrueDiv, _) => return Ok(None),
            (Op::Pow, Num::Int(y)) if y.sign() < 0 => return Ok(None),
            _ => {}
        }
    }
    Ok(match (a, b) {
        (Num::Int(x), Num::Int(y)) => match op {
            Op::Int(iop) => {
                let sign = y.sign();
                match iop {
                    BinOp::Shl | BinOp::Shr if sign < 0 => return Ok(None),
                    BinOp::FloorDiv | BinOp::Mod if sign == 0 => return Ok(None),
                    _ => {}
                }
                match x.binary(iop, y, max_blocks) {
                    Ok(v) => Some(Num::Int(v)),
                    // Without `binary_op_maybe` (before 1.26) what the operation raises
                    // fails the compile.
                    Err(e) if !floats => return Err(Box::new(e)),
                    Err(_) => None,
                }
            }
            Op::TrueDiv => {
                if y.sign() == 0 {
                    return Ok(None);
                }
                let (fx, fy) = match (x, y) {
                    (IntVal::Small(p), IntVal::Small(q)) => (*p as f64, *q as f64),
                    _ => (mpz_as_float(&big(x)), mpz_as_float(&big(y))),
                };
                Some(Num::Float(fx / fy))
            }
            Op::Pow => {
                if y.sign() < 0 {
                    let fx = match (x, y) {
                        (IntVal::Small(p), IntVal::Small(_)) => *p as f64,
                        _ => mpz_as_float(&big(x)),
                    };
                    float_op(op, fx, int_as_float(y)).map(Num::Float)
                } else {
                    int_pow(x, y).map(Num::Int)
                }
            }
            Op::MatMul => None,
        },
        (Num::Int(x), Num::Float(y)) => float_op(op, int_as_float(x), *y).map(Num::Float),
        (Num::Float(x), Num::Int(y)) => float_op(op, *x, int_as_float(y)).map(Num::Float),
        (Num::Float(x), Num::Float(y)) => float_op(op, *x, *y).map(Num::Float),
    })
}

fn big(v: &IntVal) -> BigInt {
    match v {
        IntVal::Small(s) => BigInt::from(*s),
        IntVal::Big(b) => b.clone(),
    }
}

/// The operator token of `shift_expr`, `arith_expr` or `term`.
fn term_op(node: Node) -> Option<Op> {
    Some(match node {
        Node::Token(TokenKind::OpDblLess) => Op::Int(BinOp::Shl),
        Node::Token(TokenKind::OpDblMore) => Op::Int(BinOp::Shr),
        Node::Token(TokenKind::OpPlus) => Op::Int(BinOp::Add),
        Node::Token(TokenKind::OpMinus) => Op::Int(BinOp::Sub),
        Node::Token(TokenKind::OpStar) => Op::Int(BinOp::Mul),
        Node::Token(TokenKind::DelAt) => Op::MatMul,
        Node::Token(TokenKind::OpDblSlash) => Op::Int(BinOp::FloorDiv),
        Node::Token(TokenKind::OpSlash) => Op::TrueDiv,
        Node::Token(TokenKind::OpPercent) => Op::Int(BinOp::Mod),
        _ => return None,
    })
}

/// `math` constants the reference folds `math.<name>` into (with its math constants on).
fn math_constant(name: &[u8]) -> Option<f64> {
    Some(match name {
        b"e" => std::f64::consts::E,
        b"pi" => std::f64::consts::PI,
        b"tau" => std::f64::consts::TAU,
        b"inf" => f64::INFINITY,
        b"nan" => f64::NAN,
        _ => return None,
    })
}

impl<R: FrontEnd> Parser<'_, '_, R> {
    /// The number a node holds, if it is an int or (where the release folds floats) a float
    /// constant.
    pub(crate) fn node_number(&self, node: Node) -> Option<Num> {
        match node {
            Node::SmallInt(v) => Some(Num::Int(IntVal::Small(v))),
            Node::Struct(id) => match self.tree.constant(id) {
                Some(ConstObj::Int(b)) => Some(Num::Int(self.object_int(id, b))),
                Some(ConstObj::Float(f)) if R::PARSE.float_folding => Some(Num::Float(*f)),
                _ => None,
            },
            _ => None,
        }
    }

    /// 1.29's `fold_constants` for the numeric rules (`const` assignments are handled by
    /// the caller). Returns true when the rule's `n` results were replaced by one constant.
    pub(crate) fn fold_numbers(&mut self, rule: Rule, n: usize) -> PResult<bool> {
        let start = self.results.len() - n;
        let value = match rule {
            Rule::Expr | Rule::XorExpr | Rule::AndExpr | Rule::Power => {
                let op = match rule {
                    Rule::Expr => Op::Int(BinOp::Or),
                    Rule::XorExpr => Op::Int(BinOp::Xor),
                    Rule::AndExpr => Op::Int(BinOp::And),
                    _ => Op::Pow,
                };
                let Some(mut acc) = self.node_number(self.results[start]) else {
                    return Ok(false);
                };
                for j in 1..n {
                    let Some(rhs) = self.node_number(self.results[start + j]) else {
                        return Ok(false);
                    };
                    match binary::<R>(op, &acc, &rhs)? {
                        Some(v) => acc = v,
                        None => return Ok(false),
                    }
                }
                acc
            }
            Rule::ShiftExpr | Rule::ArithExpr | Rule::Term => {
                let Some(mut acc) = self.node_number(self.results[start]) else {
                    return Ok(false);
                };
                let mut j = 1;
                while j + 1 < n {
                    let Some(rhs) = self.node_number(self.results[start + j + 1]) else {
                        return Ok(false);
                    };
                    let Some(op) = term_op(self.results[start + j]) else {
                        return Ok(false);
                    };
                    match binary::<R>(op, &acc, &rhs)? {
                        Some(v) => acc = v,
                        None => return Ok(false),
                    }
                    j += 2;
                }
                acc
            }
            Rule::Factor2 => {
                let Some(arg) = self.node_number(self.peek(0)) else {
                    return Ok(false);
                };
                match (self.peek(1), arg) {
                    (Node::Token(TokenKind::OpTilde), Num::Int(v)) => {
                        Num::Int(v.unary(UnaryOp::Invert))
                    }
                    (Node::Token(TokenKind::OpTilde), Num::Float(_)) => return Ok(false),
                    (Node::Token(TokenKind::OpMinus), Num::Int(v)) => {
                        Num::Int(v.unary(UnaryOp::Neg))
                    }
                    (Node::Token(TokenKind::OpMinus), Num::Float(f)) => Num::Float(-f),
                    (_, v) => v,
                }
            }
            Rule::AtomExprNormal => {
                // The `math` module is in the constants table with float folding only.
                if !R::PARSE.float_folding {
                    return Ok(false);
                }
                let (Node::Id(base), Node::Struct(trailer)) = (self.peek(1), self.peek(0)) else {
                    return Ok(false);
                };
                if trailer.1 != Rule::TrailerPeriod || self.pool.get(base) != b"math" {
                    return Ok(false);
                }
                let Some(&Node::Id(attr)) = self.tree.children(trailer).first() else {
                    return Ok(false);
                };
                match math_constant(self.pool.get(attr)) {
                    Some(f) => Num::Float(f),
                    None => return Ok(false),
                }
            }
            _ => return Ok(false),
        };
        self.results.truncate(start);
        let node = match value {
            // The reference's binary operations make small ints of big-int results that fit
            // one (1.24 on); its unary ones leave them big.
            Num::Int(IntVal::Big(b)) if rule != Rule::Factor2 && !R::PARSE.big_results_stay_big => {
                self.int_node(IntVal::of_big(&b), 0, 0)
            }
            Num::Int(v) => self.int_node(v, 0, 0),
            Num::Float(f) => self.const_node(ConstObj::Float(f), 0, 0),
        };
        self.results.push(node);
        Ok(true)
    }
}
