//! Integers in the parse tree: which become small-int leaves and which constant objects, and
//! how folding reads an int back from either.

use num_bigint::BigInt;

use super::Parser;
use crate::int::IntVal;
use crate::release::FrontEnd;
use crate::tree::{ConstObj, Node, StructId};

impl<R: FrontEnd> Parser<'_, '_, R> {
    /// The node for an integer value: a small-int leaf or a constant object.
    pub(crate) fn int_node(&mut self, v: IntVal, line: u32, column: u32) -> Node {
        match v {
            IntVal::Small(v) if !R::PARSE.target_int_objects || self.fits_target(v) => {
                Node::SmallInt(v)
            }
            IntVal::Small(v) => self.const_node(ConstObj::Int(v.into()), line, column),
            IntVal::Big(b) => {
                // A big int with a small value: kept by every release that keeps any (before
                // 1.24 any fold through big ints, from 1.24 on a unary operation on one).
                let small_value = matches!(IntVal::of_big(&b), IntVal::Small(_));
                let node = self.const_node(ConstObj::Int(b), line, column);
                // Struct ids grow, so the list stays sorted for `object_int`'s search.
                if let (true, Node::Struct(id)) = (small_value, node) {
                    self.big_small_values.push(id.0);
                }
                node
            }
        }
    }

    /// The value of the int constant object `id` holds (`b`), as the release's folding reads
    /// it: 1.11's objects hold big ints only; later releases' may hold small ints too, except
    /// where a fold left a big int with a small value (read back big, so that `~-(1 << 62)`
    /// stays a big int through further unary operations, as in 1.29).
    pub(crate) fn object_int(&self, id: StructId, b: &BigInt) -> IntVal {
        if !R::PARSE.target_int_objects || self.big_small_values.binary_search(&id.0).is_ok() {
            IntVal::Big(b.clone())
        } else {
            IntVal::of_object(b)
        }
    }

    /// True when `v` fits the target's small int (the `-msmall-int-bits` check of 1.29's
    /// `make_node_const_object_optimised`; a width beyond the host's 64 bits takes all).
    pub(super) fn fits_target(&self, v: i64) -> bool {
        let bits = u32::from(self.small_int_bits.clamp(1, 64));
        let sign_mask = (!0u64) << (bits - 1);
        let a = v as u64;
        a & sign_mask == 0 || a & sign_mask == sign_mask
    }

    /// The integer a node holds, if it is an int (`mp_parse_node_get_int_maybe`).
    pub(crate) fn node_int(&self, node: Node) -> Option<IntVal> {
        match node {
            Node::SmallInt(v) => Some(IntVal::Small(v)),
            Node::Struct(id) => match self.tree.constant(id) {
                // 1.29's objects may hold small ints ([`IntVal::of_object`]); 1.11's hold
                // big ints only, also where one has a small value (`93 >> 2**62` is a big 0).
                Some(ConstObj::Int(b)) => Some(self.object_int(id, b)),
                _ => None,
            },
            _ => None,
        }
    }
}
