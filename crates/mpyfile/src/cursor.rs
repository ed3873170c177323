//! A bounds-checked position in a `.mpy` file: the byte, var-uint and length reads every
//! reader (v4, v5, v6) is made of, each failing with the offset where the file went wrong.
//! Each format's `ReadError` takes a [`CursorError`] into its own variants of the same name.

use thiserror::Error;

/// Why a read at the cursor failed; offsets are byte offsets in the file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub(crate) enum CursorError {
    #[error("unexpected end of file at byte {offset}")]
    Truncated { offset: usize },
    #[error("var-uint at byte {offset} is too large")]
    VarUintOverflow { offset: usize },
    #[error("non-canonical var-uint at byte {offset}")]
    NonCanonicalUint { offset: usize },
    #[error("{what} {value} at byte {offset} is larger than the rest of the file allows")]
    TooLarge {
        what: &'static str,
        value: u64,
        offset: usize,
    },
}

/// Gives a format's `ReadError` the cursor's four failures as its variants of the same names.
macro_rules! from_cursor_error {
    ($error:ty) => {
        impl From<$crate::cursor::CursorError> for $error {
            fn from(e: $crate::cursor::CursorError) -> Self {
                use $crate::cursor::CursorError as C;
                match e {
                    C::Truncated { offset } => Self::Truncated { offset },
                    C::VarUintOverflow { offset } => Self::VarUintOverflow { offset },
                    C::NonCanonicalUint { offset } => Self::NonCanonicalUint { offset },
                    C::TooLarge {
                        what,
                        value,
                        offset,
                    } => Self::TooLarge {
                        what,
                        value,
                        offset,
                    },
                }
            }
        }
    };
}
pub(crate) use from_cursor_error;

/// Bytes of a file and how far a reader has got in them.
pub(crate) struct Cursor<'a> {
    pub(crate) data: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(data: &'a [u8], pos: usize) -> Self {
        Cursor { data, pos }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(crate) fn byte(&mut self) -> Result<u8, CursorError> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or(CursorError::Truncated { offset: self.pos })?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], CursorError> {
        if n > self.remaining() {
            return Err(CursorError::Truncated {
                offset: self.data.len(),
            });
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// A var-uint as the writer produces it (no leading zero groups).
    pub(crate) fn uint(&mut self) -> Result<u64, CursorError> {
        let start = self.pos;
        if self.data.get(start) == Some(&0x80) {
            return Err(CursorError::NonCanonicalUint { offset: start });
        }
        self.uint_any(None)
    }

    /// A var-uint in any encoding, its bytes appended to `copy` if given.
    pub(crate) fn uint_any(&mut self, mut copy: Option<&mut Vec<u8>>) -> Result<u64, CursorError> {
        let start = self.pos;
        let mut value: u64 = 0;
        loop {
            let b = self.byte()?;
            if let Some(out) = copy.as_deref_mut() {
                out.push(b);
            }
            if value >> 57 != 0 {
                return Err(CursorError::VarUintOverflow { offset: start });
            }
            value = (value << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
    }

    /// A count or length that must fit in what is left of the file, `per_item` bytes each,
    /// read as [`Cursor::uint`] (canonical) or, with `any_encoding`, as [`Cursor::uint_any`].
    fn count_of(
        &mut self,
        what: &'static str,
        per_item: usize,
        any_encoding: bool,
    ) -> Result<usize, CursorError> {
        let offset = self.pos;
        let value = if any_encoding {
            self.uint_any(None)?
        } else {
            self.uint()?
        };
        match usize::try_from(value) {
            Ok(n) if n.saturating_mul(per_item) <= self.remaining() => Ok(n),
            _ => Err(CursorError::TooLarge {
                what,
                value,
                offset,
            }),
        }
    }

    /// A canonical count or length that must fit in what is left, `per_item` bytes each.
    pub(crate) fn count(
        &mut self,
        what: &'static str,
        per_item: usize,
    ) -> Result<usize, CursorError> {
        self.count_of(what, per_item, false)
    }

    /// A count or length in any var-uint encoding (as the v5 loader reads it) that must fit
    /// in what is left, a byte each at least.
    pub(crate) fn count_any(&mut self, what: &'static str) -> Result<usize, CursorError> {
        self.count_of(what, 1, true)
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, CursorError> {
        let offset = self.pos;
        let n = self.uint()?;
        u32::try_from(n).map_err(|_| CursorError::TooLarge {
            what,
            value: n,
            offset,
        })
    }
}
