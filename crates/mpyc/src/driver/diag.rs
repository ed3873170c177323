//! Build diagnostics: one per failed input, shown rustc-style or as one JSON object each.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use mpcore::PyException;
use serde::{Deserialize, Serialize};

/// Why one input failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The input as the build spells it (`<root>/<rel>`).
    pub file: String,
    /// The name embedded in the output (`<rel>`).
    pub source_name: String,
    /// `SyntaxError`, `IndentationError`, ... or `error` for build problems (I/O, bad prebuilt).
    pub kind: String,
    pub message: String,
    /// 1-based; absent when the error has no place.
    pub line: Option<u32>,
    /// 1-based, in MicroPython's units: bytes, with a tab advancing to the next multiple of 8
    /// (plus one); absent when unknown.
    pub column: Option<u32>,
    /// 0-based offset in the file's bytes of the place `line:column` names (UTF-8 bytes).
    #[serde(default)]
    pub byte_offset: Option<u64>,
    /// 1-based column in Unicode characters (a tab is one), for editors that count so.
    #[serde(default)]
    pub char_column: Option<u32>,
    /// The scope for errors found while compiling (`, in <scope>` of the traceback).
    pub scope: Option<String>,
    /// The source line the error points at.
    pub source_line: Option<String>,
    /// Exactly what mpy-cross 1.11 prints for this input (compile errors only).
    pub traceback: Option<String>,
}

impl Diagnostic {
    /// A compile error, with its source line looked up in `source`.
    pub fn from_exception(
        file: String,
        source_name: String,
        e: &PyException,
        source: &[u8],
    ) -> Diagnostic {
        let line = e.location.as_ref().map(|l| l.line).filter(|&l| l > 0);
        let column = e.location.as_ref().map(|l| l.column).filter(|&c| c > 0);
        let source_line = line.and_then(|l| nth_line(source, l));
        let place = line
            .zip(column)
            .and_then(|(l, c)| place_in_source(source, l, c));
        Diagnostic {
            file,
            source_name,
            kind: e.kind.name().to_string(),
            message: e.message.clone(),
            line,
            column,
            byte_offset: place.map(|p| p.0),
            char_column: place.map(|p| p.1),
            scope: e
                .location
                .as_ref()
                .and_then(|l| l.scope.as_deref())
                .map(|s| String::from_utf8_lossy(s).into_owned()),
            source_line,
            traceback: Some(e.render()),
        }
    }

    /// Under a profile without unicode strings (`-mno-unicode`), MicroPython's lexer rejects an
    /// escape above `\xff` in a str literal (`"\u0102"`) with a bare `invalid syntax`: when the
    /// line at fault holds such an escape, the message says so (the traceback stays the
    /// reference's).
    pub fn explain_no_unicode(&mut self) {
        if self.kind != "SyntaxError" || self.message != "invalid syntax" {
            return;
        }
        let Some(escape) = self.source_line.as_deref().and_then(wide_escape) else {
            return;
        };
        self.message = format!(
            "invalid syntax: the escape `{escape}` is above \\xff, and this profile has no \
             unicode strings (-mno-unicode)"
        );
    }

    /// A problem that is not a compile error (reading, writing, a prebuilt `.mpy` mismatch).
    pub fn build_error(file: String, source_name: String, message: String) -> Diagnostic {
        Diagnostic {
            file,
            source_name,
            kind: "error".into(),
            message,
            line: None,
            column: None,
            byte_offset: None,
            char_column: None,
            scope: None,
            source_line: None,
            traceback: None,
        }
    }

    /// `path:line:col: Kind: message`, then the source line and a caret under the column,
    /// laid out by annotate-snippets as rustc lays out its snippets: tabs shown as four
    /// spaces, wide characters as two cells, control characters as visible symbols, and a
    /// long line cut to the part around the caret.
    pub fn render_human(&self) -> String {
        let headline = self.headline();
        let (Some(line), Some(text)) = (self.line, &self.source_line) else {
            return headline + "\n";
        };
        let (text, at) = match self.column {
            Some(c) => {
                let (text, at) = caret_window(text, byte_index_of_column(text.as_bytes(), c));
                (text, Some(at))
            }
            None => (caret_window(text, 0).0, None),
        };
        if let Some(at) = at {
            if let Some(out) = plain_caret_form(&headline, line, text, at) {
                return out;
            }
        }
        rendered(&headline, line, text, at)
    }

    /// `path[:line[:col]]: Kind[: message][ (in scope)]`.
    fn headline(&self) -> String {
        let mut out = self.file.clone();
        if let Some(l) = self.line {
            out.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                out.push_str(&format!(":{c}"));
            }
        }
        out.push_str(": ");
        out.push_str(&self.kind);
        if !self.message.is_empty() {
            out.push_str(": ");
            out.push_str(&self.message);
        }
        if let Some(s) = self.scope.as_deref().filter(|&s| s != "<module>") {
            out.push_str(" (in ");
            out.push_str(s);
            out.push(')');
        }
        out
    }

    /// One line of JSON.
    pub fn render_json(&self) -> String {
        #[derive(Serialize)]
        struct Tagged<'a> {
            r#type: &'static str,
            #[serde(flatten)]
            d: &'a Diagnostic,
        }
        serde_json::to_string(&Tagged {
            r#type: "diagnostic",
            d: self,
        })
        .unwrap_or_default()
    }
}

/// The first string escape in `line` whose value is above 0xff (`\u0102`, `\U0001f600`,
/// `\777`), as written.
fn wide_escape(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let (digits, radix, skip) = match b[i + 1] {
            b'u' => (4, 16, 2),
            b'U' => (8, 16, 2),
            b'0'..=b'7' => (3, 8, 1),
            _ => {
                // Any other escape, `\\` included, is two bytes.
                i += 2;
                continue;
            }
        };
        let start = i + skip;
        let end = (start + digits).min(b.len());
        let value = line
            .get(start..end)
            .filter(|d| d.len() == digits)
            .and_then(|d| u32::from_str_radix(d, radix).ok());
        if value.is_some_and(|v| v > 0xff) {
            return line.get(i..end);
        }
        i += 2;
    }
    None
}

/// The byte index in `line` where MicroPython's 1-based `column` falls: each byte is one
/// column, a tab moves to the column after the next multiple of 8. Past the end: the length.
pub fn byte_index_of_column(line: &[u8], column: u32) -> usize {
    let mut col: u64 = 1;
    for (i, &b) in line.iter().enumerate() {
        if col >= u64::from(column) {
            return i;
        }
        col = if b == b'\t' {
            (col - 1 + TAB_SIZE) / TAB_SIZE * TAB_SIZE + 1
        } else {
            col + 1
        };
    }
    line.len()
}

/// The human form as the renderer lays it out: `headline`, then source line `line` (`text`)
/// with a caret at byte `at`, or without one.
fn rendered(headline: &str, line: u32, text: &str, at: Option<usize>) -> String {
    let mark = match at {
        Some(at) => AnnotationKind::Primary.span(at..at),
        // No column: the line is shown without a caret.
        None => AnnotationKind::Visible.span(0..text.len()),
    };
    let snippet = Snippet::source(text)
        .line_start(usize::try_from(line).unwrap_or(usize::MAX))
        .annotation(mark);
    let report = [Level::ERROR
        .no_name()
        .primary_title(headline)
        .element(snippet)];
    let mut out = Renderer::plain().render(&report);
    out.push('\n');
    out
}

/// Longest source line [`plain_caret_form`] writes itself: the renderer lays out shorter
/// lines of plain ASCII as it stands (checked against it by a test), longer ones it may cut.
const PLAIN_FORM_MAX: usize = 100;

/// Most leading spaces [`plain_caret_form`] writes itself: past 20 the renderer replaces
/// part of the indentation with `...`.
const PLAIN_FORM_INDENT_MAX: usize = 20;

/// The human form of an error at byte `at` of source line `line` (`text`), written directly
/// for the common case the renderer would lay out as it stands: printable ASCII without tabs
/// or trailing spaces, of at most [`PLAIN_FORM_MAX`] bytes and [`PLAIN_FORM_INDENT_MAX`]
/// leading spaces, the caret on one of its bytes.
/// `None` otherwise. The renderer costs some 30,000 instructions per error, about 1% of a
/// cold 1.11 tree build whose third of inputs fail; a test holds the two forms equal.
fn plain_caret_form(headline: &str, line: u32, text: &str, at: usize) -> Option<String> {
    let b = text.as_bytes();
    let plain = b.len() <= PLAIN_FORM_MAX
        && at < b.len()
        && b.iter().all(|&c| (b' '..=b'~').contains(&c))
        && b.last() != Some(&b' ')
        && b.iter().take_while(|&&c| c == b' ').count() <= PLAIN_FORM_INDENT_MAX;
    if !plain {
        return None;
    }
    let number = line.to_string();
    let gutter = " ".repeat(number.len() + 1);
    let mut out = String::with_capacity(headline.len() + 3 * gutter.len() + b.len() + at + 16);
    out.push_str(headline);
    out.push('\n');
    out.push_str(&gutter);
    out.push_str("|\n");
    out.push_str(&number);
    out.push_str(" | ");
    out.push_str(text);
    out.push('\n');
    out.push_str(&gutter);
    out.push_str("| ");
    out.extend(std::iter::repeat_n(' ', at));
    out.push_str("^\n");
    Some(out)
}

/// MicroPython's tab stops.
const TAB_SIZE: u64 = 8;

/// The file byte offset and the 1-based character column of MicroPython's `line:column`.
fn place_in_source(source: &[u8], line: u32, column: u32) -> Option<(u64, u32)> {
    let start = line_start(source, usize::try_from(line).ok()?.checked_sub(1)?)?;
    let rest = source.get(start..)?;
    let text = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let at = byte_index_of_column(text, column);
    let chars = String::from_utf8_lossy(&text[..at]).chars().count();
    Some((
        (start + at) as u64,
        u32::try_from(chars + 1).unwrap_or(u32::MAX),
    ))
}

/// Characters of a source line kept on each side of the caret: the renderer shows at most a
/// terminal's width of them anyway, and a line of megabytes would cost it seconds.
const CARET_WINDOW_CHARS: usize = 1000;

/// The part of `text` within [`CARET_WINDOW_CHARS`] characters of byte `at` (rounded down to
/// a character boundary), and where `at` falls in it.
fn caret_window(text: &str, at: usize) -> (&str, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(CARET_WINDOW_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .nth(CARET_WINDOW_CHARS)
        .map_or(text.len(), |(i, _)| at + i);
    (&text[start..end], at - start)
}

/// The `n`th (1-based) line of `source`, without its line ending, lossily decoded.
fn nth_line(source: &[u8], n: u32) -> Option<String> {
    let idx = usize::try_from(n).ok()?.checked_sub(1)?;
    let start = line_start(source, idx)?;
    let rest = source.get(start..)?;
    let line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Some(String::from_utf8_lossy(line).into_owned())
}

/// Where the line after the first `idx` newlines starts. Errors deep in long files are common
/// in a tree build: newlines are counted a block at a time (the compiler vectorises the
/// count) and only the last block is searched newline by newline.
fn line_start(source: &[u8], idx: usize) -> Option<usize> {
    if idx == 0 {
        return Some(0);
    }
    const BLOCK: usize = 64;
    let mut left = idx;
    let mut base = 0;
    for block in source.chunks_exact(BLOCK) {
        let Ok(block) = <&[u8; BLOCK]>::try_from(block) else {
            break;
        };
        // A byte-wide sum over a fixed block: compare-and-subtract on whole vectors.
        let here = block.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
        let here = usize::from(here);
        if here >= left {
            break;
        }
        left -= here;
        base += BLOCK;
    }
    let nl = memchr::memchr_iter(b'\n', source.get(base..)?).nth(left - 1)?;
    Some(base + nl + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpcore::{ExcKind, SourceLocation};

    #[test]
    fn nth_line_counts_like_splitting_on_newlines() {
        for src in [&b""[..], b"a", b"a\n", b"a\r\nb\n\nc", b"\n\n"] {
            for n in 0..6u32 {
                let by_split = n.checked_sub(1).and_then(|i| {
                    src.split(|&b| b == b'\n').nth(i as usize).map(|l| {
                        String::from_utf8_lossy(l.strip_suffix(b"\r").unwrap_or(l)).into_owned()
                    })
                });
                assert_eq!(nth_line(src, n), by_split, "{src:?} line {n}");
            }
        }
    }

    #[test]
    fn line_starts_found_blockwise_agree_with_a_plain_count() {
        let mut src = Vec::new();
        for i in 0..300usize {
            src.extend(std::iter::repeat_n(b'x', i % 70));
            src.push(b'\n');
        }
        src.extend_from_slice(b"tail");
        for idx in 0..305 {
            let plain = if idx == 0 {
                Some(0)
            } else {
                src.iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'\n')
                    .nth(idx - 1)
                    .map(|(i, _)| i + 1)
            };
            assert_eq!(line_start(&src, idx), plain, "line index {idx}");
        }
    }

    #[test]
    fn plain_caret_form_is_the_renderers_layout() {
        let mut checked = 0;
        for indent in [0usize, 1, 4, 8, 12, 19, 20, 21, 30, 40, 60, 80, 99] {
            for body in [
                "x",
                "y = = 2",
                "raise ValueError(f\"bad {x}\")",
                "a b",
                "{[()]}|#~'",
            ] {
                for pad in [0usize, 10, 40, 90] {
                    let text = format!("{}{}{}", " ".repeat(indent), body, "z".repeat(pad));
                    for line in [1u32, 9, 10, 99, 100, 12345, u32::MAX] {
                        for at in [0, indent, text.len() / 2, text.len().saturating_sub(1)] {
                            if let Some(fast) = plain_caret_form("h: E", line, &text, at) {
                                assert_eq!(
                                    fast,
                                    rendered("h: E", line, &text, Some(at)),
                                    "{text:?} at {at}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "only {checked} cases took the plain form");
        // What it leaves to the renderer.
        assert!(plain_caret_form("h", 1, "\tx", 1).is_none());
        assert!(plain_caret_form("h", 1, "x ", 0).is_none());
        assert!(plain_caret_form("h", 1, "x", 1).is_none());
        assert!(plain_caret_form("h", 1, "\u{e9}x", 2).is_none());
        assert!(plain_caret_form("h", 1, &"x".repeat(PLAIN_FORM_MAX + 1), 0).is_none());
        assert!(plain_caret_form("h", 1, &format!("{}x", " ".repeat(21)), 21).is_none());
    }

    #[test]
    fn human_form_points_at_the_column() {
        let e = PyException::new(ExcKind::SyntaxError, "invalid syntax").at(SourceLocation {
            file: "pkg/bad.py".into(),
            line: 2,
            column: 5,
            scope: None,
        });
        let d = Diagnostic::from_exception(
            "src/pkg/bad.py".into(),
            "pkg/bad.py".into(),
            &e,
            b"x = 1\ny = = 2\n",
        );
        assert_eq!(
            d.render_human(),
            "src/pkg/bad.py:2:5: SyntaxError: invalid syntax\n  |\n2 | y = = 2\n  |     ^\n"
        );
        let j: serde_json::Value = serde_json::from_str(&d.render_json()).unwrap();
        assert_eq!(j["type"], "diagnostic");
        assert_eq!(j["line"], 2);
        assert_eq!(j["column"], 5);
        assert_eq!(
            j["traceback"],
            "Traceback (most recent call last):\n  File \"pkg/bad.py\", line 2\nSyntaxError: invalid syntax\n"
        );
    }

    #[test]
    fn human_form_shows_tabs_as_four_spaces_and_names_the_scope() {
        let e = PyException::new(ExcKind::SyntaxError, "bad").at(SourceLocation {
            file: "m.py".into(),
            line: 123,
            column: 11,
            scope: Some(b"f".to_vec()),
        });
        let mut src = "\n".repeat(122);
        src.push_str("\tx y\n");
        let d = Diagnostic::from_exception("m.py".into(), "m.py".into(), &e, src.as_bytes());
        assert_eq!(
            d.render_human(),
            "m.py:123:11: SyntaxError: bad (in f)\n    |\n123 |     x y\n    |       ^\n"
        );
        // Without a column the line is shown, with no caret.
        let no_column = Diagnostic {
            column: None,
            scope: Some("<module>".into()),
            message: String::new(),
            ..d
        };
        assert_eq!(
            no_column.render_human(),
            "m.py:123: SyntaxError\n    |\n123 |     x y\n    |\n"
        );
    }

    fn at(line: u32, column: u32, src: &str) -> Diagnostic {
        let e = PyException::new(ExcKind::SyntaxError, "invalid syntax").at(SourceLocation {
            file: "t.py".into(),
            line,
            column,
            scope: None,
        });
        Diagnostic::from_exception("t.py".into(), "t.py".into(), &e, src.as_bytes())
    }

    #[test]
    fn columns_count_tabs_to_eight_and_bytes() {
        assert_eq!(byte_index_of_column(b"\t\ty = = 2", 21), 6);
        assert_eq!(byte_index_of_column(b"  \tx", 9), 3);
        assert_eq!(byte_index_of_column(b"ab", 40), 2);
        // `s = "héllo wörld" ; x = = 1`: the second `=` is byte 26, column 27.
        let d = at(1, 27, "s = \"h\u{e9}llo w\u{f6}rld\" ; x = = 1\n");
        assert_eq!(d.byte_offset, Some(26));
        assert_eq!(d.char_column, Some(25));
        assert_eq!(
            d.render_human(),
            "t.py:1:27: SyntaxError: invalid syntax\n  |\n1 | s = \"h\u{e9}llo w\u{f6}rld\" ; x = = 1\n  |                         ^\n"
        );
        let d = at(3, 21, "a = 1\nif a:\n\t\ty = = 2\n");
        assert_eq!(d.byte_offset, Some(12 + 6));
        assert_eq!(d.char_column, Some(7));
        assert_eq!(
            d.render_human(),
            "t.py:3:21: SyntaxError: invalid syntax\n  |\n3 |         y = = 2\n  |             ^\n"
        );
        // Wide characters take two cells: the caret under the second `=` (byte 10).
        let d = at(1, 11, "s = '\u{4e2d}' = 1\n");
        assert_eq!(
            d.render_human(),
            "t.py:1:11: SyntaxError: invalid syntax\n  |\n1 | s = '\u{4e2d}' = 1\n  |          ^\n"
        );
        // A tab after wide characters (the `b` of `abc` is column 18: the tab goes to 17),
        // and a column past the end of the line.
        let src = "x = '\u{4e2d}\u{6587}'\tabc\n";
        assert_eq!(
            at(1, 18, src).render_human(),
            "t.py:1:18: SyntaxError: invalid syntax\n  |\n1 | x = '\u{4e2d}\u{6587}'    abc\n  |                ^\n"
        );
        assert_eq!(
            at(1, 40, src).render_human(),
            "t.py:1:40: SyntaxError: invalid syntax\n  |\n1 | x = '\u{4e2d}\u{6587}'    abc\n  |                  ^\n"
        );
    }

    /// Control characters (a terminal escape in a string) are shown as symbols, not sent to
    /// the terminal.
    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let d = at(1, 16, "x = '\u{7}\u{1b}[31m' = = 1\n");
        assert_eq!(
            d.render_human(),
            "t.py:1:16: SyntaxError: invalid syntax\n  |\n1 | x = '\u{2407}\u{241b}[31m' = = 1\n  |                ^\n"
        );
    }

    /// A long line is cut to the part around the caret (a line of megabytes is first cut to
    /// a window of characters, which the renderer then trims to the terminal's width).
    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("x = {} = = 2 {}", "a".repeat(300), "b".repeat(300));
        let d = at(1, 308, &line);
        let want = format!(
            "t.py:1:308: SyntaxError: invalid syntax\n  |\n1 | ...{} = = 2 {}...\n  |{}^\n",
            "a".repeat(61),
            "b".repeat(62),
            " ".repeat(68)
        );
        assert_eq!(d.render_human(), want);
        let huge = format!("{}x = = 1{}", "a".repeat(3_000_000), "b".repeat(3_000_000));
        let d = at(1, 3_000_005, &huge);
        let want = format!(
            "t.py:1:3000005: SyntaxError: invalid syntax\n  |\n1 | ...{}x = = 1{}...\n  |{}^\n",
            "a".repeat(60),
            "b".repeat(63),
            " ".repeat(68)
        );
        assert_eq!(d.render_human(), want);
        assert_eq!(caret_window("abc", 7), ("abc", 3));
        assert_eq!(caret_window("\u{e9}\u{e9}", 3), ("\u{e9}\u{e9}", 2));
        let (w, at) = caret_window(&huge, 3_000_004);
        assert_eq!((w.len(), &w[at..at + 1]), (2 * CARET_WINDOW_CHARS, "="));
    }

    #[test]
    fn wide_escapes_are_found() {
        assert_eq!(wide_escape(r#"x = "\u0102""#), Some(r"\u0102"));
        assert_eq!(
            wide_escape(r#"x = "\u00e9" + "\U0001F600""#),
            Some(r"\U0001F600")
        );
        assert_eq!(wide_escape(r#"x = "\777""#), Some(r"\777"));
        assert_eq!(wide_escape(r#"x = "\\u0102" "\377" "\u00ff""#), None);
        assert_eq!(wide_escape(r#"x = "\u01""#), None);
    }

    #[test]
    fn no_location_no_source_line() {
        let e = PyException::new(ExcKind::NotImplementedError, "unicode name escapes");
        let d = Diagnostic::from_exception("a.py".into(), "a.py".into(), &e, b"'\\N{DASH}'\n");
        assert_eq!(
            d.render_human(),
            "a.py: NotImplementedError: unicode name escapes\n"
        );
    }
}
