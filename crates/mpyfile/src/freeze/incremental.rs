//! Freezing module by module, so that a build regenerates only the C of changed modules.
//!
//! mpy-tool.py freezes all files in one pass over shared state: one qstr table, one set of
//! escaped names, the flags of the last file. A module's C depends on the others only
//! through that state, so a [`Fragment`] made from the module alone is what the one pass
//! prints for it whenever its escaped names clash with no earlier module's, the shared table
//! stays under 65,536 entries and no file names a qstr by a static number above the last
//! static one. [`assemble`] checks that and gives `None` otherwise (the caller then freezes
//! everything in one pass, which also gives the reference's errors).

use super::emit::{CodeEmitter, EmitConfig};
use super::load::{load_mpy, FileFlags, QstrTable};
use super::{
    new_qstrs_from, write_preamble, write_qstr_pool, write_tables, FreezeError, FreezeOptions,
};
use mpcore::qstr::LAST_STATIC;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The configuration the C of every module is written for.
pub fn emit_config(last_file: FileFlags, options: &FreezeOptions) -> EmitConfig {
    EmitConfig {
        cache_lookup_bc: last_file.cache_lookup_bc,
        native_arch: last_file.native_arch,
        longint: options.longint,
        mpz_dig_size: options.mpz_dig_size,
        bytes_in_hash: options.header.bytes_in_hash,
    }
}

/// One module's part of the frozen C and what the whole needs to know about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// The module's source name (`mp_frozen_mpy_names`).
    pub module_name: String,
    /// Escaped names of its raw codes, the module's own first.
    pub names: Vec<String>,
    /// `(escaped, text)` of the qstrs it reads in full, first of each escaped name, in order.
    pub qstrs: Vec<(String, String)>,
    /// How many entries it adds to the shared qstr table (repeats included).
    pub entries: usize,
    /// Reads a static qstr number above the last static qstr.
    pub static_above_last: bool,
    /// Its C, from the blank line before its first raw code to its module's `mp_raw_code_t`.
    pub c: String,
}

/// The fragment of one `.mpy` file, frozen on its own with `config`.
pub fn fragment(bytes: &[u8], config: &EmitConfig) -> Result<Fragment, FreezeError> {
    let mut table = QstrTable::new();
    let (code, _) = load_mpy(bytes, &mut table)?;
    let source = code.source_file.unwrap_or(0);
    let module_name = table.get(source, "str")?.text.to_string();
    let mut seen = HashSet::new();
    let mut qstrs = Vec::new();
    for q in table.iter().skip(usize::from(LAST_STATIC)) {
        if seen.insert(&*q.esc) {
            qstrs.push((q.esc.to_string(), q.text.to_string()));
        }
    }
    let mut c = String::new();
    let mut names = Vec::new();
    let mut escaped = HashSet::new();
    let mut emitter = CodeEmitter {
        out: &mut c,
        table: &table,
        config: *config,
        escaped_names: &mut escaped,
        given_names: Some(&mut names),
    };
    let own = emitter.freeze(&code, &super::module_prefix(&module_name))?;
    // The module's raw code is named first; keep it first.
    if let Some(at) = names.iter().position(|n| *n == own) {
        let n = names.remove(at);
        names.insert(0, n);
    }
    Ok(Fragment {
        module_name,
        names,
        qstrs,
        entries: table.len() - 1 - usize::from(LAST_STATIC),
        static_above_last: table.static_above_last,
        c,
    })
}

/// The frozen C of the fragments in order, or `None` when it would differ from the one pass.
pub fn assemble(
    fragments: &[&Fragment],
    config: &EmitConfig,
    options: &FreezeOptions,
) -> Option<String> {
    let mut taken: HashSet<&str> = HashSet::new();
    let mut entries = 1 + usize::from(LAST_STATIC);
    for f in fragments {
        if f.static_above_last || f.names.iter().any(|n| taken.contains(n.as_str())) {
            return None;
        }
        taken.extend(f.names.iter().map(String::as_str));
        entries += f.entries;
    }
    if entries > 1 << 16 {
        return None;
    }
    let mut out = String::with_capacity(fragments.iter().map(|f| f.c.len()).sum::<usize>() + 4096);
    write_preamble(&mut out, config);
    let statics = QstrTable::new();
    let all = statics.iter().map(|q| (&*q.esc, &*q.text)).chain(
        fragments
            .iter()
            .flat_map(|f| f.qstrs.iter().map(|(e, t)| (e.as_str(), t.as_str()))),
    );
    let new = new_qstrs_from(all, &options.header);
    write_qstr_pool(&mut out, &new, &options.header).ok()?;
    for f in fragments {
        out.push_str(&f.c);
    }
    let module_names: Vec<&str> = fragments.iter().map(|f| f.module_name.as_str()).collect();
    let raw_code_names: Vec<String> = fragments.iter().map(|f| f.names[0].clone()).collect();
    write_tables(&mut out, &module_names, &raw_code_names);
    Some(out)
}
