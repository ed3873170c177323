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
    /// The source name as the reference prints it (the path given, or `-s`).
    pub file: String,
    /// 1-based line number.
    pub line: u32,
    /// 1-based column (0 when unknown); not part of the reference's text.
    pub column: u32,
    /// The scope name printed as `, in <scope>` for errors found while compiling.
    pub scope: Option<String>,
}

/// An exception raised while lexing, parsing or compiling, with the reference's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct PyException {
    pub kind: ExcKind,
    /// The message after `Kind: `; empty means the reference prints the bare kind.
    pub message: String,
    /// `None` for exceptions printed without a traceback.
    pub location: Option<SourceLocation>,
}

impl PyException {
    pub fn new(kind: ExcKind, message: impl Into<String>) -> Self {
        PyException {
            kind,
            message: message.into(),
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

    /// Exactly what mpy-cross 1.11 prints on stderr, final newline included.
    pub fn render(&self) -> String {
        match &self.location {
            None => format!("{}\n", self.headline()),
            Some(loc) => {
                let scope = loc
                    .scope
                    .as_ref()
                    .map(|s| format!(", in {s}"))
                    .unwrap_or_default();
                format!(
                    "Traceback (most recent call last):\n  File \"{}\", line {}{}\n{}\n",
                    loc.file,
                    loc.line,
                    scope,
                    self.headline()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_reference() {
        let e = PyException::new(ExcKind::SyntaxError, "invalid syntax").at(SourceLocation {
            file: "a.py".into(),
            line: 3,
            column: 1,
            scope: None,
        });
        assert_eq!(
            e.render(),
            "Traceback (most recent call last):\n  File \"a.py\", line 3\nSyntaxError: invalid syntax\n"
        );
        let e = PyException::new(ExcKind::NotImplementedError, "unicode name escapes");
        assert_eq!(e.render(), "NotImplementedError: unicode name escapes\n");
    }
}
