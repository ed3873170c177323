//! Python exceptions as the reference reports them: kind, message and where.

use std::fmt;

/// The exception classes the reference can raise while reading or compiling a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExcKind {
    SyntaxError,
    IndentationError,
    NotImplementedError,
    MemoryError,
    ValueError,
    OverflowError,
    RuntimeError,
    OSError,
    /// Raised by the viper emitter's type checks (`ViperTypeError`, a `TypeError`).
    ViperTypeError,
}

impl ExcKind {
    /// The class name as printed.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::SyntaxError => "SyntaxError",
            ExcKind::IndentationError => "IndentationError",
            ExcKind::NotImplementedError => "NotImplementedError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::ValueError => "ValueError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::OSError => "OSError",
            ExcKind::ViperTypeError => "ViperTypeError",
        }
    }
}

impl fmt::Display for ExcKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where an exception was raised: the traceback's `File` line, plus a column for tools.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLocation {
    /// The source name as the reference prints it (the path given, or `-s`), byte for byte:
    /// paths and names need not be UTF-8.
    pub file: Vec<u8>,
    /// 1-based line number.
    pub line: u32,
    /// 1-based column (0 when unknown); not part of the reference's text.
    pub column: u32,
    /// The scope name printed as `, in <scope>` for errors found while compiling (a qstr's
    /// bytes: identifiers may hold any byte >= 0x80).
    pub scope: Option<Vec<u8>>,
}

/// An exception raised while lexing, parsing or compiling, with the reference's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct PyException {
    pub kind: ExcKind,
    /// The message after `Kind: `; empty means the reference prints the bare kind.
    pub message: String,
    /// The message's exact bytes where they are not UTF-8 (a name from the source spelled with
    /// such bytes); `message` is then their lossy text, and the reference prints these bytes.
    pub raw_message: Option<Vec<u8>>,
    /// `None` for exceptions printed without a traceback.
    pub location: Option<SourceLocation>,
}

impl PyException {
    pub fn new(kind: ExcKind, message: impl Into<String>) -> Self {
        PyException {
            kind,
            message: message.into(),
            raw_message: None,
            location: None,
        }
    }

    pub fn at(mut self, location: SourceLocation) -> Self {
        self.location = Some(location);
        self
    }

    /// `Kind: message` (or `Kind` alone when there is no message).
    pub fn headline(&self) -> String {
        if self.message.is_empty() {
            self.kind.name().to_string()
        } else {
            format!("{}: {}", self.kind, self.message)
        }
    }

    /// [`PyException::headline`] with the message's exact bytes.
    fn headline_bytes(&self) -> Vec<u8> {
        match &self.raw_message {
            Some(raw) => {
                let mut out = format!("{}: ", self.kind).into_bytes();
                out.extend_from_slice(raw);
                out
            }
            None => self.headline().into_bytes(),
        }
    }

    /// Exactly what mpy-cross 1.11 prints on stderr, final newline included, byte for byte.
    pub fn render_bytes(&self) -> Vec<u8> {
        let headline = self.headline_bytes();
        let Some(loc) = &self.location else {
            let mut out = headline;
            out.push(b'\n');
            return out;
        };
        let mut out = Vec::with_capacity(64 + loc.file.len() + headline.len());
        out.extend_from_slice(b"Traceback (most recent call last):\n  File \"");
        out.extend_from_slice(&loc.file);
        out.extend_from_slice(format!("\", line {}", loc.line).as_bytes());
        if let Some(scope) = &loc.scope {
            out.extend_from_slice(b", in ");
            out.extend_from_slice(scope);
        }
        out.push(b'\n');
        out.extend_from_slice(&headline);
        out.push(b'\n');
        out
    }

    /// [`PyException::render_bytes`] as text (bytes that are not UTF-8 become U+FFFD).
    pub fn render(&self) -> String {
        String::from_utf8_lossy(&self.render_bytes()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_reference() {
        let e = PyException::new(ExcKind::SyntaxError, "invalid syntax").at(SourceLocation {
            file: b"a.py".to_vec(),
            line: 3,
            column: 1,
            scope: None,
        });
        assert_eq!(
            e.render(),
            "Traceback (most recent call last):\n  File \"a.py\", line 3\nSyntaxError: invalid syntax\n"
        );
        let e = PyException::new(ExcKind::NotImplementedError, "unicode name escapes");
        assert_eq!(
            e.render_bytes(),
            b"NotImplementedError: unicode name escapes\n"
        );
        assert_eq!(e.render(), "NotImplementedError: unicode name escapes\n");
    }

    #[test]
    fn names_are_printed_byte_for_byte() {
        let e = PyException::new(ExcKind::SyntaxError, "*x must be assignment target").at(
            SourceLocation {
                file: b"u\xff.py".to_vec(),
                line: 2,
                column: 5,
                scope: Some(b"f\xc3".to_vec()),
            },
        );
        assert_eq!(
            e.render_bytes(),
            b"Traceback (most recent call last):\n  File \"u\xff.py\", line 2, in f\xc3\nSyntaxError: *x must be assignment target\n"
        );
    }
}
