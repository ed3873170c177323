//! The muted stack-size pass as a scan of local bindings: after a held refusal, a native
//! Python scope's walk only has to say whether the value model would raise an error.
//!
//! Once a refusal is held the module can only fail, and its later native Python scopes run
//! their stack-size pass without the assembler (see `NativeEmitter::begin`). Any error such a
//! pass raises makes the compile unsure, to be made again with every pass in full; no error
//! leaves the held refusal as the module's error. So the pass only has to raise an error
//! wherever the full value model would.
//!
//! In a native Python scope every value the model pops is an object: immediates are made
//! objects as they are popped, and `peek_vtype` reads every entry as one. So its type errors
//! (a non-object raised, jumped on, stored over an object, or given to a unary operator)
//! cannot come before the first `local '<name>' used before type known`: a load of a local
//! (or, for a cell, the load its deref makes) that neither a parameter, a cell nor an earlier
//! store bound. The stack entries the compiler adds at jump targets take the type the last
//! jump was made on, which a viper scope may have left as another than an object: the scan
//! is made only when it is an object (`NativeEmitter::begin`). Apart from those, the scan
//! follows the loads, stores and deletions of locals as the full model does, and raises where
//! it would. Raising where it would not (after a refusal of the model's own stops the rest of
//! its scope) only costs the full compile.

use asm::Asm;
use mpcore::Qstr;

use super::{NativeEmitter, Pending, VType};
use crate::emit::LocalKind;

impl<A: Asm> NativeEmitter<A> {
    /// A load of local `local_num`, or of the cell a deref goes through.
    pub(super) fn scan_load(&mut self, qst: Qstr, local_num: u32) {
        let vtype = self
            .local_vtype
            .get(local_num as usize)
            .copied()
            .unwrap_or(VType::Unbound);
        if vtype == VType::Unbound {
            self.viper_type_error(Pending::UsedBeforeType(qst));
        }
    }

    /// A store to local `local_num`: a fast local is bound (to an object, as every value
    /// stored in a native Python scope is); a cell's store loads the cell first.
    pub(super) fn scan_store(&mut self, qst: Qstr, local_num: u32, kind: LocalKind) {
        match kind {
            LocalKind::Fast => self.scan_bind(local_num),
            LocalKind::Deref => self.scan_load(qst, local_num),
        }
    }

    /// A deletion: a fast local is stored `None` (made an object as it is popped).
    pub(super) fn scan_delete(&mut self, local_num: u32, kind: LocalKind) {
        if kind == LocalKind::Fast {
            self.scan_bind(local_num);
        }
    }

    fn scan_bind(&mut self, local_num: u32) {
        if let Some(slot) = self.local_vtype.get_mut(local_num as usize) {
            if *slot == VType::Unbound {
                *slot = VType::PyObj;
            }
        }
    }
}
