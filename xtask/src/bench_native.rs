//! The native rows of `cargo xtask bench`: the stdlib tree compiled to machine code
//! (`-X emit=native -march=ARCH`), mpyc's cold `build -j2` against the reference run once per
//! file, two at a time (`xtask run-each`), as a firmware Makefile would drive it.
//!
//! mpyc takes the arch and emitter from a profile written into the scratch folder. The
//! reference aborts on some files under native code (its own assertion failures); `run-each`
//! goes past them, and those runs are timed as they happen. The reference's copy keeps
//! earlier outputs beside its sources (no mass deletion, see the bench's module doc), so only
//! mpyc's count of written files is shown.

use std::path::Path;

use anyhow::Result;

use crate::bench::{cold_builds, count_mpy, reference_runs, Row, TREE_RUNS};

/// The arches whose native rows are measured.
pub const ARCHES: [&str; 3] = ["x64", "armv7m", "xtensa"];

/// A profile's keys (all but its description) for mpy-cross 1.11's `-X emit=native
/// -march=ARCH` defaults.
pub fn profile_body(arch: &str) -> String {
    format!(
        "mpy_version = 4\narch = \"{arch}\"\nsmall_int_bits = 31\nunicode = true\n\
         cache_lookup_bc = false\nopt_level = 0\nemit = \"native\"\n"
    )
}

/// The cold native-code rows for `arch`: `tree` is mpyc's copy of the stdlib (no `.mpy` in
/// it), `ref_tree` the reference's own copy (its outputs land beside the sources).
pub fn rows(
    base: &Path,
    tree: &Path,
    ref_tree: &Path,
    mpyc: &Path,
    oracle: &Path,
    have_time: bool,
    scratch: &Path,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for arch in ARCHES {
        let profile = scratch.join(format!("native-{arch}.toml"));
        std::fs::write(
            &profile,
            format!(
                "description = \"bench: native code for {arch}\"\n{}",
                profile_body(arch)
            ),
        )?;
        let out_dir = |k: usize| base.join(format!("out-native-{arch}-{}-{k}", std::process::id()));
        let cold = cold_builds(mpyc, &profile, tree, out_dir, have_time, scratch)?;
        let written = count_mpy(&out_dir(0));
        // One reference process per file, two at a time; it aborts on some files, which
        // `run-each` (unlike xargs) goes past.
        let march = format!("-march={arch}");
        let flags = ["-X", "emit=native", march.as_str()];
        let reference = reference_runs(ref_tree, oracle, &flags, have_time, scratch)?;
        rows.push((
            format!("stdlib tree, -X emit=native -march={arch}, cold"),
            Some(reference),
            Some(cold),
            format!("median of {TREE_RUNS}; mpyc wrote {written} .mpy"),
        ));
    }
    Ok(rows)
}
