//! The make dependency file (`--depfile`): one rule per output naming its source and the config
//! files, a rule making the depfile itself depend on every source, folder and config file, and
//! an empty rule for each of those (gcc's `-MP`), so make does not stop when one is deleted.
//! Paths are written as bytes, escaped for make; a name make cannot spell (a newline, a tab) is
//! refused with a clear error.

use std::path::Path;

/// A path as make should see it: its bytes with no leading `./`.
pub fn make_path(p: &Path) -> Vec<u8> {
    let mut b = p.as_os_str().as_encoded_bytes();
    while let Some(rest) = b.strip_prefix(b"./") {
        b = rest;
    }
    if b.is_empty() {
        b".".to_vec()
    } else {
        b.to_vec()
    }
}

/// Where a path stands in a rule: `%` only means a pattern in a target.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Target,
    Prerequisite,
}

/// Appends `path` escaped for make: `$` doubled; space, `#`, `:`, the wildcards `*?[]` (and `%`
/// in a target) after a backslash; a backslash doubled where it would escape what follows it.
fn escape(out: &mut Vec<u8>, path: &[u8], place: Place) -> Result<(), String> {
    let special = |c: u8| {
        matches!(c, b' ' | b'#' | b':' | b'*' | b'?' | b'[' | b']')
            || (c == b'%' && place == Place::Target)
    };
    for (i, &c) in path.iter().enumerate() {
        match c {
            b'\n' | b'\r' | b'\t' | 0 => {
                return Err(format!(
                    "cannot write the depfile: make cannot name `{}` (it holds a control \
                     character)",
                    String::from_utf8_lossy(path).escape_debug()
                ))
            }
            b'$' => out.extend_from_slice(b"$$"),
            b'\\' => {
                let next = path.get(i + 1).copied();
                if next.is_none_or(|n| special(n) || n == b'\\') {
                    out.extend_from_slice(b"\\\\");
                } else {
                    out.push(b'\\');
                }
            }
            c if special(c) => {
                out.push(b'\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    Ok(())
}

/// The depfile's text: `outputs` are `(output, source)` pairs, `config` the files every output
/// depends on besides its source, `dirs` the source folders (a new or removed file changes its
/// folder), all as [`make_path`] spells them.
pub fn text(
    depfile: &[u8],
    outputs: &[(Vec<u8>, Vec<u8>)],
    config: &[Vec<u8>],
    dirs: &[Vec<u8>],
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut cfg = Vec::new();
    for c in config {
        cfg.push(b' ');
        escape(&mut cfg, c, Place::Prerequisite)?;
    }
    for (o, src) in outputs {
        escape(&mut out, o, Place::Target)?;
        out.extend_from_slice(b": ");
        escape(&mut out, src, Place::Prerequisite)?;
        out.extend_from_slice(&cfg);
        out.push(b'\n');
    }
    escape(&mut out, depfile, Place::Target)?;
    out.push(b':');
    let prerequisites = || outputs.iter().map(|(_, src)| src).chain(dirs).chain(config);
    for p in prerequisites() {
        out.extend_from_slice(b" \\\n ");
        escape(&mut out, p, Place::Prerequisite)?;
    }
    out.push(b'\n');
    // An empty rule per prerequisite: a deleted one is then remade by doing nothing (its
    // dependents rerun) instead of stopping make with "No rule to make target".
    let mut seen = std::collections::HashSet::new();
    for p in prerequisites() {
        if seen.insert(p) {
            out.push(b'\n');
            escape(&mut out, p, Place::Target)?;
            out.push(b':');
        }
    }
    out.push(b'\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(depfile: &str, outputs: &[(&str, &str)], config: &[&str], dirs: &[&str]) -> String {
        let v = |s: &str| s.as_bytes().to_vec();
        let outputs: Vec<_> = outputs.iter().map(|(o, s)| (v(o), v(s))).collect();
        let config: Vec<_> = config.iter().map(|c| v(c)).collect();
        let dirs: Vec<_> = dirs.iter().map(|d| v(d)).collect();
        String::from_utf8(text(depfile.as_bytes(), &outputs, &config, &dirs).unwrap()).unwrap()
    }

    #[test]
    fn depfile_lists_everything_with_empty_rules() {
        assert_eq!(
            t(
                "out/deps.mk",
                &[("out/a b.mpy", "src/a b.py"), ("out/c.mpy", "src/c.py")],
                &["mpyc.toml"],
                &["src"],
            ),
            "out/a\\ b.mpy: src/a\\ b.py mpyc.toml\nout/c.mpy: src/c.py mpyc.toml\n\
             out/deps.mk: \\\n src/a\\ b.py \\\n src/c.py \\\n src \\\n mpyc.toml\n\
             \nsrc/a\\ b.py:\nsrc/c.py:\nsrc:\nmpyc.toml:\n"
        );
    }

    #[test]
    fn names_are_escaped_for_make() {
        let got = t(
            "d.mk",
            &[
                ("o/%$#*?[].mpy", "s/%$#*?[]:.py"),
                ("o/x\\.mpy", "s/x\\ y\\"),
            ],
            &[],
            &[],
        );
        assert!(
            got.starts_with(
                "o/\\%$$\\#\\*\\?\\[\\].mpy: s/%$$\\#\\*\\?\\[\\]\\:.py\n\
                 o/x\\.mpy: s/x\\\\\\ y\\\\\n"
            ),
            "{got}"
        );
        assert!(
            got.ends_with("\ns/\\%$$\\#\\*\\?\\[\\]\\:.py:\ns/x\\\\\\ y\\\\:\n"),
            "{got}"
        );
        let e = text(b"d", &[(b"o".to_vec(), b"a\nb.py".to_vec())], &[], &[]).unwrap_err();
        assert!(e.contains("control character"), "{e}");
    }
}
