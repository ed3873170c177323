//! The text form of a dump, and Python-style reprs of strings and bytes.

use super::{DumpConst, DumpFile, DumpInstr, DumpRawCode};
use std::fmt::Write;

/// Writes a raw code's first line (`raw code NAME (KIND, N bytes)`) at `depth` and returns
/// the indent of the lines under it. Shared by the v4, v5 and v6 dumps.
pub(crate) fn raw_code_heading(
    out: &mut String,
    depth: usize,
    simple_name: Option<&str>,
    kind: &str,
    size: usize,
) -> String {
    let pad = "  ".repeat(depth);
    match simple_name {
        Some(name) => writeln!(out, "{pad}raw code {name} ({kind}, {size} bytes)"),
        None => writeln!(out, "{pad}raw code ({kind}, {size} bytes)"),
    }
    .unwrap_or(());
    "  ".repeat(depth + 1)
}

/// A line-number table as `offset:line` pairs, or `-` when it is empty.
pub(crate) fn line_table<O: std::fmt::Display>(lines: &[(O, u64)]) -> String {
    if lines.is_empty() {
        return "-".to_string();
    }
    let pairs: Vec<String> = lines.iter().map(|(o, l)| format!("{o}:{l}")).collect();
    pairs.join(" ")
}

/// Machine code as hex, 16 bytes a line, each line led by its offset.
pub(crate) fn machine_code(out: &mut String, pad: &str, code_hex: &str) {
    let _ = writeln!(out, "{pad}machine code");
    for (i, chunk) in code_hex.as_bytes().chunks(32).enumerate() {
        let text = std::str::from_utf8(chunk).unwrap_or_default();
        let _ = writeln!(out, "{pad}  {:>6} {text}", i * 16);
    }
}

/// A bytecode listing, when there is bytecode.
pub(crate) fn bytecode(out: &mut String, pad: &str, instrs: &[DumpInstr]) {
    if instrs.is_empty() {
        return;
    }
    let _ = writeln!(out, "{pad}bytecode");
    for i in instrs {
        let sep = if i.args.is_empty() { "" } else { " " };
        let _ = writeln!(out, "{pad}  {:>5} {}{sep}{}", i.offset, i.name, i.args);
    }
}

/// A raw code's constant table, when it has one.
pub(crate) fn constants(out: &mut String, pad: &str, consts: &[DumpConst]) {
    if consts.is_empty() {
        return;
    }
    let _ = writeln!(out, "{pad}constants");
    for c in consts {
        let _ = writeln!(out, "{pad}  {:>5} {} {}", c.index, c.kind, c.value);
    }
}

/// Renders the whole file.
pub fn render(d: &DumpFile) -> String {
    let mut out = String::new();
    let mut flags: Vec<&str> = Vec::new();
    if d.cache_lookup_bc {
        flags.push("cache-lookup-bc");
    }
    if d.unicode {
        flags.push("unicode");
    }
    let flags = if flags.is_empty() {
        "none".to_string()
    } else {
        flags.join(", ")
    };
    let _ = writeln!(out, "mpy version {}", d.version);
    let _ = writeln!(out, "feature flags {:#04x} ({flags})", d.flags);
    let _ = writeln!(out, "small int bits {}", d.small_int_bits);
    let _ = writeln!(out, "arch {}", d.arch);
    raw_code(&mut out, &d.raw_code, 0);
    out
}

fn raw_code(out: &mut String, rc: &DumpRawCode, depth: usize) {
    let pad = raw_code_heading(out, depth, rc.simple_name.as_deref(), rc.kind, rc.size);
    if let Some(sf) = &rc.source_file {
        let _ = writeln!(out, "{pad}source file {sf}");
    }
    if !rc.arg_names.is_empty() {
        let _ = writeln!(out, "{pad}arg names {}", rc.arg_names.join(" "));
    }
    if let Some(p) = &rc.prelude {
        let _ = writeln!(
            out,
            "{pad}n_state {} n_exc_stack {}",
            p.n_state, p.n_exc_stack
        );
        let _ = writeln!(
            out,
            "{pad}scope flags {:#04x} ({})",
            p.scope_flags,
            flag_list(&p.scope_flag_names)
        );
        let _ = writeln!(
            out,
            "{pad}n_pos_args {} n_kwonly_args {} n_def_pos_args {}",
            p.n_pos_args, p.n_kwonly_args, p.n_def_pos_args
        );
        let _ = writeln!(
            out,
            "{pad}code info {} bytes, qstr numbers {} {}",
            p.code_info_size, p.code_info_qstrs[0], p.code_info_qstrs[1]
        );
        let _ = writeln!(out, "{pad}lines {}", line_table(&p.lines));
        if !p.cells.is_empty() {
            let cells: Vec<String> = p.cells.iter().map(u8::to_string).collect();
            let _ = writeln!(out, "{pad}cells {}", cells.join(" "));
        }
    }
    if let Some(n) = &rc.native {
        let _ = writeln!(out, "{pad}native arch {}", n.arch);
        if let Some(po) = n.prelude_offset {
            let _ = writeln!(out, "{pad}prelude offset {po}");
        }
        if let Some(sf) = n.scope_flags {
            let _ = writeln!(
                out,
                "{pad}scope flags {sf:#04x} ({})",
                flag_list(&super::scope_flag_names(sf))
            );
        }
        if let (Some(np), Some(ts)) = (n.n_pos_args, n.type_sig) {
            let ret = n.return_type.map(|t| format!(" (returns {t})"));
            let _ = writeln!(
                out,
                "{pad}n_pos_args {np} type_sig {ts:#x}{}",
                ret.unwrap_or_default()
            );
        }
        let _ = writeln!(out, "{pad}qstr links {}", n.qstr_links.len());
        for l in &n.qstr_links {
            let _ = writeln!(out, "{pad}  {:>6} {:<9} {}", l.offset, l.kind, l.qstr);
        }
        machine_code(out, &pad, &n.code_hex);
    }
    bytecode(out, &pad, &rc.bytecode);
    constants(out, &pad, &rc.consts);
    for child in &rc.children {
        raw_code(out, child, depth + 1);
    }
}

fn flag_list(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(" ")
    }
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => out.push(c),
    }
}

/// Python-style repr of a `str` constant's bytes (invalid UTF-8 bytes as `\xNN`).
pub fn str_repr(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_escaped(&mut out, c, '\'');
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out.push('\'');
    out
}

/// Python-style repr of a `bytes` constant.
pub fn bytes_repr(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 3);
    out.push_str("b'");
    for &byte in b {
        if byte.is_ascii() {
            push_escaped(&mut out, byte as char, '\'');
        } else {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs() {
        assert_eq!(str_repr(b"a'b\n\xc3\xa9\xff"), "'a\\'b\\n\u{e9}\\xff'");
        assert_eq!(bytes_repr(b"\x00a\xff"), "b'\\x00a\\xff'");
    }
}
