//! The code buffer, pass state and label table shared by every back end (py/asmbase.c).
//!
//! An assembler runs at least two passes over the same instruction stream. In a compute pass
//! nothing is stored: only the code offset advances and labels get their offsets. The emit
//! pass allocates exactly the size the last compute pass reached, writes the bytes, and checks
//! that every label lands where the compute pass put it; a label that moved is an
//! [`AsmError::LabelMoved`] (the reference asserts here).

use crate::{AsmError, Label};

/// The largest machine code one function may have (16 MiB): far beyond any real function,
/// and a bound on what the emit pass allocates.
pub const MAX_CODE_SIZE: usize = 1 << 24;

/// Which of the two kinds of pass is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Measure only: advance the code offset, assign labels, store nothing.
    Compute,
    /// Store the bytes; labels keep the offsets of the last compute pass.
    Emit,
}

/// Where offset `o` of a layout lands after `moves` (as [`AsmBase::shift_layout`] takes
/// them: by rising offset, each point with the sum of the size changes up to it; an offset
/// moves by the last point before it). `None` past [`MAX_CODE_SIZE`] or below zero.
pub fn shifted(moves: &[(usize, isize)], o: usize) -> Option<usize> {
    match moves.partition_point(|&(at, _)| at < o).checked_sub(1) {
        None => Some(o),
        Some(i) => o
            .checked_add_signed(moves[i].1)
            .filter(|n| *n <= MAX_CODE_SIZE),
    }
}

/// Code buffer, current offset and label offsets of one assembler.
#[derive(Debug, Clone)]
pub struct AsmBase {
    pass: Pass,
    offset: usize,
    /// Where the last pass ended, for [`AsmBase::abort_pass`].
    last_end: usize,
    code: Vec<u8>,
    labels: Vec<Option<usize>>,
}

impl AsmBase {
    /// A base with room for `max_num_labels` labels, numbered from 0; starts in a compute pass.
    pub fn new(max_num_labels: usize) -> Self {
        AsmBase {
            pass: Pass::Compute,
            offset: 0,
            last_end: 0,
            code: Vec::new(),
            labels: vec![None; max_num_labels],
        }
    }

    /// Starts a pass at offset 0. A compute pass forgets every label (so a label used before it
    /// is assigned reads as a forward reference); the emit pass keeps them and allocates a
    /// zeroed buffer of the size the previous pass reached.
    pub fn start_pass(&mut self, pass: Pass) {
        self.last_end = self.offset;
        match pass {
            Pass::Compute => {
                self.labels.iter_mut().for_each(|l| *l = None);
                self.code.clear();
            }
            Pass::Emit => {
                self.code.clear();
                self.code.resize(self.offset, 0);
            }
        }
        self.pass = pass;
        self.offset = 0;
    }

    /// Moves the layout the last compute pass left, before an emit pass: `moves` lists, by
    /// rising offset, points of that layout and how far everything past each point moves
    /// (the sum of the size changes up to it). Every label and the end of the code move
    /// accordingly. False where a move would leave the code's range: the labels are then
    /// left part moved, for a compute pass to assign again.
    pub fn shift_layout(&mut self, moves: &[(usize, isize)]) -> bool {
        let map = |o: usize| shifted(moves, o);
        let Some(end) = map(self.offset) else {
            return false;
        };
        for l in self.labels.iter_mut().flatten() {
            match map(*l) {
                Some(o) => *l = o,
                None => return false,
            }
        }
        self.offset = end;
        true
    }

    /// Abandons the pass running now, as if it had not started (the labels a compute pass
    /// cleared stay cleared: the pass must be made again before an emit pass).
    pub fn abort_pass(&mut self) {
        self.offset = self.last_end;
        self.code.clear();
    }

    /// The pass running now.
    pub fn pass(&self) -> Pass {
        self.pass
    }

    /// Whether bytes are being stored (the emit pass).
    pub fn is_emit(&self) -> bool {
        self.pass == Pass::Emit
    }

    /// The offset `n` bytes on, or an error beyond [`MAX_CODE_SIZE`].
    fn end(&self, n: usize) -> Result<usize, AsmError> {
        self.offset
            .checked_add(n)
            .filter(|e| *e <= MAX_CODE_SIZE)
            .ok_or(AsmError::OutOfRange {
                arch: "asm",
                what: "code size",
                value: i64::try_from(n).unwrap_or(i64::MAX),
            })
    }

    /// Appends `bytes` at the current offset (in a compute pass only counts them).
    #[inline]
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), AsmError> {
        // The offset never passes MAX_CODE_SIZE, so this cannot overflow.
        let end = self.offset + bytes.len();
        if end > MAX_CODE_SIZE {
            return Err(self.end(bytes.len()).err().unwrap_or(AsmError::CodeGrew {
                size: self.code.len(),
            }));
        }
        if self.pass == Pass::Emit {
            match self.code.get_mut(self.offset..end) {
                Some(dst) => dst.copy_from_slice(bytes),
                None => {
                    return Err(AsmError::CodeGrew {
                        size: self.code.len(),
                    })
                }
            }
        }
        self.offset = end;
        Ok(())
    }

    /// Reserves `n` bytes without writing them (they stay zero, as in the reference's buffer);
    /// returns their offset, so that a back end can fill them later with [`AsmBase::patch`].
    pub fn reserve(&mut self, n: usize) -> Result<usize, AsmError> {
        let at = self.offset;
        let end = self.end(n)?;
        if self.pass == Pass::Emit && end > self.code.len() {
            return Err(AsmError::CodeGrew {
                size: self.code.len(),
            });
        }
        self.offset = end;
        Ok(at)
    }

    /// Overwrites bytes already reserved or written at `at` (emit pass only; a no-op while
    /// computing).
    pub fn patch(&mut self, at: usize, bytes: &[u8]) -> Result<(), AsmError> {
        if self.pass == Pass::Emit {
            let size = self.code.len();
            let dst = self
                .code
                .get_mut(at..at.saturating_add(bytes.len()))
                .ok_or(AsmError::CodeGrew { size })?;
            dst.copy_from_slice(bytes);
        }
        Ok(())
    }

    /// Writes the low `bytesize` bytes of `val`, little-endian (`mp_asm_base_data`).
    pub fn data(&mut self, bytesize: usize, val: u64) -> Result<(), AsmError> {
        if bytesize > 8 {
            return Err(AsmError::OutOfRange {
                arch: "asm",
                what: "data size",
                value: bytesize as i64,
            });
        }
        self.write(&val.to_le_bytes()[..bytesize])
    }

    /// Advances the offset to a multiple of `align` (a power of two); skipped bytes stay zero.
    pub fn align(&mut self, align: usize) -> Result<(), AsmError> {
        if !align.is_power_of_two() {
            return Err(AsmError::OutOfRange {
                arch: "asm",
                what: "alignment",
                value: align as i64,
            });
        }
        let to = self.end(align - 1)? & !(align - 1);
        self.reserve(to - self.offset).map(|_| ())
    }

    /// Assigns `label` to the current offset. In a compute pass a label may be assigned once;
    /// in the emit pass it must fall where the compute pass put it.
    pub fn label_assign(&mut self, label: Label) -> Result<(), AsmError> {
        let max = self.labels.len();
        let offset = self.offset;
        let pass = self.pass;
        let slot = self
            .labels
            .get_mut(label.0)
            .ok_or(AsmError::LabelOutOfRange {
                label: label.0,
                max,
            })?;
        match pass {
            Pass::Compute => {
                if slot.is_some() {
                    return Err(AsmError::LabelReassigned { label: label.0 });
                }
                *slot = Some(offset);
            }
            Pass::Emit => {
                if *slot != Some(offset) {
                    return Err(AsmError::LabelMoved {
                        label: label.0,
                        computed: *slot,
                        emitted: offset,
                    });
                }
            }
        }
        Ok(())
    }

    /// The offset of `label`: `None` while it is not yet assigned in a compute pass (a forward
    /// reference). In the emit pass an unassigned label is [`AsmError::LabelUndefined`].
    pub fn label_offset(&self, label: Label) -> Result<Option<usize>, AsmError> {
        let max = self.labels.len();
        let slot = *self.labels.get(label.0).ok_or(AsmError::LabelOutOfRange {
            label: label.0,
            max,
        })?;
        if slot.is_none() && self.pass == Pass::Emit {
            return Err(AsmError::LabelUndefined { label: label.0 });
        }
        Ok(slot)
    }

    /// The current code offset (`mp_asm_base_get_code_pos`).
    pub fn code_pos(&self) -> usize {
        self.offset
    }

    /// The code size: in the emit pass the buffer's size (fixed by the last compute pass),
    /// otherwise the offset reached so far.
    pub fn code_size(&self) -> usize {
        match self.pass {
            Pass::Emit => self.code.len(),
            Pass::Compute => self.offset,
        }
    }

    /// The machine code stored by the emit pass (empty before it).
    pub fn code(&self) -> &[u8] {
        &self.code
    }

    /// Takes the machine code out, leaving an empty buffer.
    pub fn take_code(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.code)
    }
}
