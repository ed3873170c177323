//! The rows of `cargo xtask bench` for releases after 1.11: the stdlib tree compiled for
//! release V (`.mpy` v5 or v6), mpyc's cold `build -j2` under a profile that extends `default`
//! with `micropython = "V"`, against mpy-cross V run once per file, two at a time (`xtask
//! run-each`), as a firmware Makefile drives it. The default bench has 1.29's row;
//! `--releases` adds one per release from 1.12 to 1.28 (`--only-releases`: those alone).
//!
//! The reference's copy of the tree keeps earlier outputs beside its sources (no mass
//! deletion, see the bench's module doc); mpyc builds into out dirs that never existed.

use std::path::Path;

use anyhow::Result;

use crate::bench::{cold_builds, count_mpy, count_mpy_since, reference_runs, Row, TREE_RUNS};
use crate::oracle::Oracle;

/// The releases of `--releases`: every one with a reference after 1.11 (1.29 last).
pub fn all() -> impl Iterator<Item = &'static Oracle> {
    crate::oracle::ALL
        .into_iter()
        .filter(|o| o.release != "1.11")
}

/// A profile's keys (all but its description) for mpy-cross `release`'s defaults.
pub fn profile_body(release: &str) -> String {
    format!("extends = \"default\"\nmicropython = \"{release}\"\n")
}

/// The cold row of release `o`: `tree` is mpyc's copy of the stdlib (no `.mpy` in it),
/// `ref_tree` the reference's own copy (its outputs land beside the sources).
pub fn row(
    o: &Oracle,
    base: &Path,
    tree: &Path,
    ref_tree: &Path,
    mpyc: &Path,
    have_time: bool,
    scratch: &Path,
) -> Result<Row> {
    let release = o.release;
    let oracle = crate::oracle::ensure_release(o)?;
    let profile = scratch.join(format!("default-{release}.toml"));
    std::fs::write(
        &profile,
        format!(
            "description = \"bench: mpy-cross defaults at MicroPython {release}\"\n{}",
            profile_body(release)
        ),
    )?;
    let out_dir = |k: usize| base.join(format!("out-{release}-{}-{k}", std::process::id()));
    let cold = cold_builds(mpyc, &profile, tree, out_dir, have_time, scratch)?;
    let written = count_mpy(&out_dir(0));
    // One reference process per file, two at a time, as for 1.11's rows.
    let ref_start = std::time::SystemTime::now();
    let reference = reference_runs(ref_tree, &oracle, &[], have_time, scratch)?;
    let ref_written = count_mpy_since(ref_tree, ref_start);
    Ok((
        format!("stdlib tree, MicroPython {release}, cold"),
        Some(reference),
        Some(cold),
        format!("median of {TREE_RUNS}; reference wrote {ref_written} .mpy, mpyc {written}"),
    ))
}
