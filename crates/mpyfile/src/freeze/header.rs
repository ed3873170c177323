//! The qstr header a port freezes against (`-q genhdr/qstrdefs.preprocessed.h`), read as
//! MicroPython 1.11's `py/makeqstrdata.py` reads it: `QCFG(NAME, value)` lines give the byte
//! widths of a qstr's length and hash, `Q(text)` lines the qstrs the firmware already has.

use super::escape::qstr_escape;
use super::pynum::{parse_int, py_strip};
use super::FreezeError;
use mpcore::qstr::LAST_STATIC;
use mpcore::{Qstr, QstrPool};
use std::collections::HashSet;

/// Widths above this are refused (the reference would build ever longer literals).
pub const MAX_QCFG_BYTES: i64 = 64;

/// What freezing needs from a qstr header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QstrHeader {
    /// `MICROPY_QSTR_BYTES_IN_LEN`.
    pub bytes_in_len: usize,
    /// `MICROPY_QSTR_BYTES_IN_HASH`.
    pub bytes_in_hash: usize,
    /// Escaped identifiers of the qstrs the firmware has (the static ones included).
    pub known: HashSet<String>,
}

impl QstrHeader {
    /// No header: one byte each for length and hash, and no known qstrs (so even the static
    /// qstrs are frozen as new ones, as the reference does).
    pub fn none() -> QstrHeader {
        QstrHeader {
            bytes_in_len: 1,
            bytes_in_hash: 1,
            known: HashSet::new(),
        }
    }

    /// Parses the text of a header file.
    pub fn parse(bytes: &[u8]) -> Result<QstrHeader, FreezeError> {
        let text = std::str::from_utf8(bytes).map_err(|e| FreezeError::Python {
            kind: "UnicodeDecodeError",
            message: super::load::utf8_error_text(bytes, &e),
        })?;
        let pool = QstrPool::new();
        let mut known: HashSet<String> = (1..=LAST_STATIC)
            .map(|n| qstr_escape(&String::from_utf8_lossy(pool.get(Qstr(n)))))
            .collect();
        let mut cfg: Vec<(String, String)> = Vec::new();
        for raw in split_universal_lines(text) {
            let line = py_strip(raw);
            if let Some((name, value)) = match_qcfg(line) {
                let value = match value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
                    Some(inner) if value.len() >= 2 => inner,
                    _ => value,
                };
                cfg.retain(|(n, _)| n != name);
                cfg.push((name.to_string(), value.to_string()));
                continue;
            }
            if let Some(q) = line.strip_prefix("Q(").and_then(|r| r.strip_suffix(')')) {
                let q = if q == "\\n" { "\n" } else { q };
                known.insert(qstr_escape(q));
            }
        }
        if cfg.is_empty() {
            return Err(FreezeError::EmptyHeader);
        }
        let width = |key: &'static str| -> Result<usize, FreezeError> {
            let value = cfg
                .iter()
                .find(|(n, _)| n == key)
                .map(|(_, v)| v.as_str())
                .ok_or(FreezeError::Python {
                    kind: "KeyError",
                    message: format!("'{key}'"),
                })?;
            let n = parse_int(value).map_err(|message| FreezeError::Python {
                kind: "ValueError",
                message,
            })?;
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            if n < 0 {
                return Err(FreezeError::Python {
                    kind: "ValueError",
                    message: "negative shift count".into(),
                });
            }
            if n > MAX_QCFG_BYTES {
                return Err(FreezeError::QcfgTooWide { key, value: n });
            }
            Ok(n as usize)
        };
        Ok(QstrHeader {
            bytes_in_len: width("BYTES_IN_LEN")?,
            bytes_in_hash: width("BYTES_IN_HASH")?,
            known,
        })
    }
}

/// Lines as Python's text mode splits them: at `\n`, `\r\n` and `\r`.
fn split_universal_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let skip = match rest.as_bytes().get(end) {
            Some(b'\r') if rest.as_bytes().get(end + 1) == Some(&b'\n') => 2,
            Some(_) => 1,
            None => 0,
        };
        rest = &rest[end + skip..];
        Some(line)
    })
}

/// The regex `^QCFG\((.+), (.+)\)` with its greedy groups: the name is everything before the
/// last `, ` that is followed by at least one character and a `)`; the value runs from there
/// to the last `)`.
fn match_qcfg(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("QCFG(")?;
    let close = rest.rfind(')')?;
    let mut search_end = rest.len();
    while let Some(comma) = rest[..search_end].rfind(", ") {
        let value_start = comma + 2;
        if comma >= 1 && close > value_start {
            return Some((&rest[..comma], &rest[value_start..close]));
        }
        if comma == 0 {
            break;
        }
        search_end = comma + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qcfg_lines() {
        assert_eq!(
            match_qcfg("QCFG(BYTES_IN_LEN, (1))"),
            Some(("BYTES_IN_LEN", "(1)"))
        );
        assert_eq!(match_qcfg("QCFG(A, B, C) x)"), Some(("A, B", "C) x")));
        assert_eq!(match_qcfg("QCFG(, 1)"), None);
        assert_eq!(match_qcfg("QCFG(A, )"), None);
    }

    #[test]
    fn header_widths_and_names() {
        let h = QstrHeader::parse(
            b"QCFG(BYTES_IN_LEN, (2))\r\nQCFG(BYTES_IN_HASH, 1)\nQ(foo)\n  Q(a-b)  \rQ(\\n)\n",
        )
        .unwrap();
        assert_eq!((h.bytes_in_len, h.bytes_in_hash), (2, 1));
        assert!(h.known.contains("foo") && h.known.contains("a_hyphen_b"));
        assert!(h.known.contains("_lt_module_gt_") && h.known.contains("_0x0a_"));
        assert!(matches!(
            QstrHeader::parse(b"Q(x)\n"),
            Err(FreezeError::EmptyHeader)
        ));
    }
}
