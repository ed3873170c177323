//! The MicroPython 1.29 rows of `cargo xtask bench`: the stdlib tree compiled for 1.29
//! (`.mpy` v6), mpyc's cold `build -j2 --profile unix-1.29` against mpy-cross 1.29 run per
//! file under `xargs -P2`, as a firmware Makefile drives it.
//!
//! The reference's copy of the tree keeps earlier outputs beside its sources (no mass
//! deletion, see the bench's module doc); mpyc builds into out dirs that never existed.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use anyhow::{Context, Result};

use crate::bench::{count_mpy, measure, median, Row, TREE_RUNS};

/// The cold 1.29 row: `tree` is mpyc's copy of the stdlib (no `.mpy` in it), `ref_tree` the
/// reference's own copy (its outputs land beside the sources).
pub fn rows(
    base: &Path,
    tree: &Path,
    ref_tree: &Path,
    mpyc: &Path,
    have_time: bool,
    scratch: &Path,
) -> Result<Vec<Row>> {
    let oracle = crate::oracle::ensure_release(&crate::oracle::V1_29)?;
    let out_dir = |k: usize| base.join(format!("out-1.29-{}-{k}", std::process::id()));
    let mut colds = Vec::new();
    for k in 0..TREE_RUNS {
        let out = out_dir(k);
        let _ = std::fs::remove_dir_all(&out);
        let args: Vec<OsString> = vec![
            mpyc.as_os_str().to_owned(),
            "build".into(),
            "-j2".into(),
            "-q".into(),
            "--profile".into(),
            "unix-1.29".into(),
            tree.as_os_str().to_owned(),
            "--out-dir".into(),
            out.into_os_string(),
        ];
        let argv: Vec<&OsStr> = args.iter().map(OsString::as_os_str).collect();
        colds.push(measure(&argv, have_time, scratch)?);
    }
    let written = count_mpy(&out_dir(0));
    // One reference process per file, two at a time, as for 1.11's rows.
    let exe = std::env::current_exe().context("cannot find the xtask binary")?;
    let reference_args = crate::each::argv(&exe, 2, ref_tree, &oracle, &[]);
    let reference_argv: Vec<&OsStr> = reference_args.iter().map(|a| a.as_os_str()).collect();
    let mut refs = Vec::new();
    for _ in 0..TREE_RUNS {
        refs.push(measure(&reference_argv, have_time, scratch)?);
    }
    Ok(vec![(
        "stdlib tree, MicroPython 1.29 (unix-1.29), cold".to_string(),
        Some(median(refs)),
        Some(median(colds)),
        format!("median of {TREE_RUNS}; mpyc wrote {written} .mpy (v6)"),
    )])
}
