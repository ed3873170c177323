//! Integer values during constant folding, with the reference's split between small ints and
//! big-int objects.
//!
//! On the reference's 64-bit host a small int holds 63 bits. An operation on two small ints
//! gives a small int when the result fits; anything involving a big int gives a big int even
//! when the value would fit (the compiler then stores it as a constant object), and so does a
//! left shift by 64 or more. These rules decide between a `SmallInt` leaf and a constant
//! object in the tree, so they are kept exactly.

use mpcore::{ExcKind, PyException};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

/// The host's small-int range (`MP_SMALL_INT_MIN`..=`MP_SMALL_INT_MAX`).
pub const SMALL_MIN: i64 = -(1 << 62);
pub const SMALL_MAX: i64 = (1 << 62) - 1;

/// The reference's heap (2 MiB): a big int needing more digits than this cannot exist there.
const HEAP_BYTES: u64 = 2 * 1024 * 1024;

use mpcore::heap::GC_BLOCK_BYTES;

/// Digit operations (32-bit digits) above which a big-int division is refused.
const MAX_DIVISION_COST: u64 = 1 << 28;

/// An integer object: a small int or a big int (`mpz`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntVal {
    Small(i64),
    Big(BigInt),
}

/// A binary operation the parser folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    Xor,
    And,
    Shl,
    Shr,
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
}

/// A unary operation the parser folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Pos,
    Neg,
    Invert,
}

impl IntVal {
    /// True when `v` fits a host small int.
    #[inline]
    pub fn fits_small(v: i64) -> bool {
        (SMALL_MIN..=SMALL_MAX).contains(&v)
    }

    /// The value of an int object: a small int where it fits the host's (an int the parser
    /// made an object only because the target's small int is narrower is still small to
    /// the reference's arithmetic), else a big int.
    pub fn of_big(b: &BigInt) -> IntVal {
        match i64::try_from(b) {
            Ok(v) if Self::fits_small(v) => IntVal::Small(v),
            _ => IntVal::Big(b.clone()),
        }
    }

    /// The value of an int constant object in 1.29's parse tree. Such an object holds a small
    /// int where the target's small int is narrower than the host's, and a big int otherwise,
    /// also where a negated big int came out in the host's range: that happens for one value
    /// only, -2^62 (`-(2**62)`; 1.29's unary operations do not make small ints of big-int
    /// results, its binary ones do), so that value stays big. (A small -2^62 in an object can
    /// only be in a target of fewer than 63 bits, where its one difference, `~x` being a
    /// small 2^62-1, is an object all the same.)
    pub fn of_object(b: &BigInt) -> IntVal {
        match Self::of_big(b) {
            IntVal::Small(SMALL_MIN) => IntVal::Big(b.clone()),
            v => v,
        }
    }

    /// A small int if `v` fits, else a big int (`mp_obj_new_int_from_ll` after a small op).
    fn from_i64(v: i64) -> IntVal {
        if Self::fits_small(v) {
            IntVal::Small(v)
        } else {
            IntVal::Big(BigInt::from(v))
        }
    }

    fn to_big(&self) -> BigInt {
        match self {
            IntVal::Small(v) => BigInt::from(*v),
            IntVal::Big(b) => b.clone(),
        }
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match self {
            IntVal::Small(v) => v.signum() as i32,
            IntVal::Big(b) => {
                if b.is_zero() {
                    0
                } else if b.is_negative() {
                    -1
                } else {
                    1
                }
            }
        }
    }

    /// The reference's unary operation on an int.
    pub fn unary(self, op: UnaryOp) -> IntVal {
        match (self, op) {
            (v, UnaryOp::Pos) => v,
            (IntVal::Small(v), UnaryOp::Neg) => {
                if v == SMALL_MIN {
                    IntVal::Big(-BigInt::from(v))
                } else {
                    IntVal::Small(-v)
                }
            }
            (IntVal::Small(v), UnaryOp::Invert) => IntVal::Small(!v),
            (IntVal::Big(b), UnaryOp::Neg) => IntVal::Big(-b),
            (IntVal::Big(b), UnaryOp::Invert) => IntVal::Big(-(b + BigInt::from(1))),
        }
    }

    /// The reference's binary operation on two ints. The caller has excluded negative shift
    /// counts and zero divisors, as the reference's folding does. A shift or product whose
    /// result needs more than `max_blocks` blocks of the reference's heap fails there with a
    /// `MemoryError` (see `mpcore::Release::fold_room_blocks`).
    pub fn binary(&self, op: BinOp, rhs: &IntVal, max_blocks: u64) -> Result<IntVal, PyException> {
        let max_bytes = max_blocks.saturating_mul(GC_BLOCK_BYTES);
        if let (IntVal::Small(a), IntVal::Small(b)) = (self, rhs) {
            let (a, b) = (*a, *b);
            let small = match op {
                BinOp::Or => Some(a | b),
                BinOp::Xor => Some(a ^ b),
                BinOp::And => Some(a & b),
                BinOp::Shl => {
                    if b < 0 {
                        return Err(negative_shift());
                    }
                    if b >= 64 || a > (SMALL_MAX >> b) || a < (SMALL_MIN >> b) {
                        None
                    } else {
                        Some(a << b)
                    }
                }
                BinOp::Shr => {
                    if b < 0 {
                        return Err(negative_shift());
                    }
                    Some(a >> b.min(63))
                }
                BinOp::Add => Some(a + b),
                BinOp::Sub => Some(a - b),
                BinOp::Mul => a.checked_mul(b).filter(|v| Self::fits_small(*v)),
                BinOp::FloorDiv | BinOp::Mod if b == 0 => return Err(zero_division()),
                BinOp::FloorDiv => Some(Integer::div_floor(&a, &b)),
                BinOp::Mod => Some(Integer::mod_floor(&a, &b)),
            };
            if let Some(v) = small {
                return Ok(Self::from_i64(v));
            }
        }
        // The big-int path (`mpz`), taken when either side is big or a small op overflowed.
        let x = self.to_big();
        let r = match op {
            BinOp::Or => x | rhs.to_big(),
            BinOp::Xor => x ^ rhs.to_big(),
            BinOp::And => x & rhs.to_big(),
            BinOp::Shl | BinOp::Shr => {
                let n = shift_count(rhs)?;
                if op == BinOp::Shl {
                    if !x.is_zero() && n > 0 {
                        // Digits of 32 bits on the reference's 64-bit host.
                        let digits = x.bits().div_ceil(32) + n.div_ceil(32);
                        let bytes = digits.saturating_mul(4);
                        if bytes > max_bytes {
                            return Err(out_of_memory(bytes));
                        }
                    }
                    x << n
                } else {
                    x >> n
                }
            }
            BinOp::Add => x + rhs.to_big(),
            BinOp::Sub => x - rhs.to_big(),
            BinOp::Mul => {
                let y = rhs.to_big();
                let bytes = (x.bits().div_ceil(32) + y.bits().div_ceil(32)).saturating_mul(4);
                if bytes > max_bytes {
                    return Err(out_of_memory(bytes));
                }
                x * y
            }
            BinOp::FloorDiv | BinOp::Mod => {
                let y = rhs.to_big();
                if y.is_zero() {
                    return Err(zero_division());
                }
                // The reference allocates a quotient and a remainder of the dividend's size
                // (plus one digit) next to the live operands. Past its heap it fails; we also
                // refuse divisions whose schoolbook cost would take seconds (the reference's
                // heap could not hold such operands and results together anyway).
                let (nx, ny) = (x.bits().div_ceil(32), y.bits().div_ceil(32));
                let request = (nx + 1) * 4;
                let cost = (nx + 1).saturating_sub(ny).saturating_mul(ny);
                if 2 * request + (nx + ny) * 4 > HEAP_BYTES || cost > MAX_DIVISION_COST {
                    return Err(out_of_memory(request));
                }
                if op == BinOp::FloorDiv {
                    x.div_floor(&y)
                } else {
                    x.mod_floor(&y)
                }
            }
        };
        Ok(IntVal::Big(r))
    }
}

/// A shift count as the reference reads it from an int (`mp_obj_int_get_checked`).
fn shift_count(rhs: &IntVal) -> Result<u64, PyException> {
    let n = match rhs {
        IntVal::Small(v) => *v,
        IntVal::Big(b) => b.to_i64().ok_or_else(|| {
            PyException::new(
                ExcKind::OverflowError,
                "overflow converting long int to machine word",
            )
        })?,
    };
    u64::try_from(n).map_err(|_| negative_shift())
}

fn negative_shift() -> PyException {
    PyException::new(ExcKind::ValueError, "negative shift count")
}

fn zero_division() -> PyException {
    // Not reachable from folding (zero divisors are not folded); kept for completeness.
    PyException::new(ExcKind::ValueError, "divide by zero")
}

/// The reference's allocation failure; it prints the request size as a 32-bit number.
fn out_of_memory(bytes: u64) -> PyException {
    PyException::new(
        ExcKind::MemoryError,
        format!(
            "memory allocation failed, allocating {} bytes",
            bytes as u32
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: i64) -> IntVal {
        IntVal::Small(v)
    }

    /// 1.11's limit (`mpcore::Release::fold_room_blocks`).
    const M: u64 = mpcore::Release::V1_11.fold_room_blocks();

    #[test]
    fn small_ops_stay_small_when_they_fit() {
        assert_eq!(s(7).binary(BinOp::FloorDiv, &s(-2), M).unwrap(), s(-4));
        assert_eq!(s(7).binary(BinOp::Mod, &s(-2), M).unwrap(), s(-1));
        assert_eq!(s(-7).binary(BinOp::Mod, &s(2), M).unwrap(), s(1));
        assert_eq!(s(-1).binary(BinOp::Shr, &s(100), M).unwrap(), s(-1));
        assert_eq!(s(1).binary(BinOp::Shl, &s(61), M).unwrap(), s(1 << 61));
        assert_eq!(
            s(1).binary(BinOp::Shl, &s(62), M).unwrap(),
            IntVal::Big(BigInt::from(1i64 << 62))
        );
        // A shift by 64 or more always goes through the big-int path, even for zero.
        assert_eq!(
            s(0).binary(BinOp::Shl, &s(64), M).unwrap(),
            IntVal::Big(BigInt::from(0))
        );
        assert_eq!(
            s(SMALL_MIN).binary(BinOp::FloorDiv, &s(-1), M).unwrap(),
            IntVal::Big(BigInt::from(1i64 << 62))
        );
    }

    #[test]
    fn big_results_stay_big() {
        let big = s(1).binary(BinOp::Shl, &s(70), M).unwrap();
        assert_eq!(
            big.binary(BinOp::Sub, &big, M).unwrap(),
            IntVal::Big(BigInt::from(0))
        );
        assert_eq!(
            big.binary(BinOp::Shr, &s(70), M).unwrap(),
            IntVal::Big(BigInt::from(1))
        );
        let neg = IntVal::Big(-(BigInt::from(1) << 70usize) - BigInt::from(1));
        assert_eq!(
            neg.binary(BinOp::Shr, &s(70), M).unwrap(),
            IntVal::Big(BigInt::from(-2))
        );
        assert_eq!(
            s(SMALL_MIN).unary(UnaryOp::Neg),
            IntVal::Big(BigInt::from(1i64 << 62))
        );
    }

    #[test]
    fn huge_divisions_fail_cleanly() {
        let x = s(1).binary(BinOp::Shl, &s(8_000_000), M).unwrap();
        let y = s(1).binary(BinOp::Shl, &s(4_000_000), M).unwrap();
        let e = x.binary(BinOp::FloorDiv, &y, M).unwrap_err();
        assert_eq!(e.kind, ExcKind::MemoryError);
        // Quotient and remainder of a 1 MB dividend do not fit next to it in 2 MiB.
        let e = x.binary(BinOp::FloorDiv, &s(1 << 40), M).unwrap_err();
        assert_eq!(e.kind, ExcKind::MemoryError);
        // A 250 kB dividend does.
        let x = s(1).binary(BinOp::Shl, &s(2_000_000), M).unwrap();
        let q = x.binary(BinOp::FloorDiv, &s(1 << 40), M).unwrap();
        assert_eq!(q, s(1).binary(BinOp::Shl, &s(2_000_000 - 40), M).unwrap());
    }

    #[test]
    fn shift_errors() {
        let huge = s(1).binary(BinOp::Shl, &s(70), M).unwrap();
        let e = s(1).binary(BinOp::Shl, &huge, M).unwrap_err();
        assert_eq!(
            e.render(),
            "OverflowError: overflow converting long int to machine word\n"
        );
        // The largest shift result mpy-cross 1.11 folds in `x = 0x40000000 << n`, and the
        // first it cannot allocate.
        let x = s(0x4000_0000);
        assert!(x.binary(BinOp::Shl, &s(16_628_954), M).is_ok());
        let e = x.binary(BinOp::Shl, &s(16_628_990), M).unwrap_err();
        assert_eq!(
            e.render(),
            "MemoryError: memory allocation failed, allocating 2078628 bytes\n"
        );
        // Checked against mpy-cross 1.11: `x = 1 << 100000000000`.
        let e = s(1).binary(BinOp::Shl, &s(100_000_000_000), M).unwrap_err();
        assert_eq!(
            e.render(),
            "MemoryError: memory allocation failed, allocating 3910065412 bytes\n"
        );
    }
}
