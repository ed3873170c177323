//! The freezing rows of `cargo xtask bench`: a firmware's two steps (mpy-cross per file, then
//! mpy-tool.py 1.11 `-f` over all `.mpy` files) against one `mpyc build --freeze`, cold and
//! with one module changed (make recompiles only that file, then mpy-tool.py reruns over
//! everything; mpyc recompiles it and regenerates only its part of the C).
//!
//! mpy-tool.py is not part of this repository: the rows appear when `MPY_TOOL` names
//! `tools/mpy-tool.py` of MicroPython's v1.11 tag. The tree is the stdlib's top-level modules
//! that both tools freeze (the whole stdlib is more than mpy-tool.py 1.11 can freeze at once:
//! over 65,536 qstrs), without a qstr header.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::bench::{measure, median, Measured, Row, TREE_RUNS};

/// Runs of the one-module-changed case.
const EDIT_RUNS: usize = 3;

/// The reference's two steps as a make-driven build runs them: `$5` empty for a cold build
/// (every file compiled, two at a time), else the one file to recompile.
const REFERENCE_SCRIPT: &str = r#"set -e
cd "$1"
mkdir -p "$2"
if [ -z "$5" ]; then
    find . -maxdepth 1 -name '*.py' | sed 's|^\./||' | xargs -P2 -n1 sh -c 'exec "$0" -o "$1/${2%.py}.mpy" -s "$2" "$2"' "$3" "$2"
else
    "$3" -o "$2/${5%.py}.mpy" -s "$5" "$5"
fi
cd "$2"
python3 "$4" -f $(ls | grep '\.mpy$' | LC_ALL=C sort) > ../frozen-ref.c
"#;

fn mpyc_ok(mpyc: &Path, args: &[&std::ffi::OsStr]) -> bool {
    Command::new(mpyc)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `base/freeze-src`: the top-level modules of the stdlib copy `stdlib` that mpy-cross 1.11
/// compiles and mpy-tool.py freezes (as mpyc finds: its freeze is tested byte for byte
/// against mpy-tool.py, errors included).
fn freeze_tree(base: &Path, stdlib: &Path, mpyc: &Path) -> Result<(PathBuf, usize)> {
    let tree = base.join("freeze-src");
    let triage = base.join("freeze-triage");
    let _ = std::fs::remove_dir_all(&tree);
    let _ = std::fs::remove_dir_all(&triage);
    std::fs::create_dir_all(&tree)?;
    for e in std::fs::read_dir(stdlib)?.flatten() {
        let p = e.path();
        if p.is_file() && p.extension().is_some_and(|x| x == "py") {
            std::fs::copy(&p, tree.join(e.file_name()))?;
        }
    }
    // Failures are expected here: they leave no .mpy.
    let _ = Command::new(mpyc)
        .arg("build")
        .arg(&tree)
        .arg("--out-dir")
        .arg(&triage)
        .arg("-j2")
        .arg("--quiet")
        .output();
    let mut kept = 0;
    for e in std::fs::read_dir(&tree)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let mpy = triage.join(name.replace(".py", ".mpy"));
        let keep = mpy.exists() && mpyc_ok(mpyc, &["freeze".as_ref(), mpy.as_os_str()]);
        if keep {
            kept += 1;
        } else {
            std::fs::remove_file(e.path())?;
        }
    }
    std::fs::remove_dir_all(&triage)?;
    Ok((tree, kept))
}

/// The freezing rows; none (with a note on stderr) when `MPY_TOOL` is not set.
pub fn rows(
    base: &Path,
    stdlib: &Path,
    mpyc: &Path,
    oracle: &Path,
    have_time: bool,
    scratch: &Path,
) -> Result<Vec<Row>> {
    let Some(tool) = std::env::var_os("MPY_TOOL") else {
        eprintln!("xtask: bench: no freezing rows: set MPY_TOOL to tools/mpy-tool.py of MicroPython v1.11");
        return Ok(Vec::new());
    };
    let (tree, n) = freeze_tree(base, stdlib, mpyc)?;
    let script = scratch.join("freeze-reference.sh");
    std::fs::write(&script, REFERENCE_SCRIPT)?;
    let ref_out = base.join("freeze-ref-out");
    let _ = std::fs::remove_dir_all(&ref_out);
    let reference = |edited: &str| -> Result<Measured> {
        let argv: Vec<&std::ffi::OsStr> = vec![
            "sh".as_ref(),
            script.as_os_str(),
            tree.as_os_str(),
            ref_out.as_os_str(),
            oracle.as_os_str(),
            tool.as_os_str(),
            edited.as_ref(),
        ];
        measure(&argv, have_time, scratch)
    };
    let out_dir = |k: usize| base.join(format!("freeze-out-{k}"));
    let frozen = |k: usize| base.join(format!("frozen-{k}.c"));
    let ours = |k: usize| -> Result<Measured> {
        let (out, c) = (out_dir(k), frozen(k));
        let argv: Vec<&std::ffi::OsStr> = vec![
            mpyc.as_os_str(),
            "build".as_ref(),
            "-j2".as_ref(),
            "--quiet".as_ref(),
            tree.as_os_str(),
            "--out-dir".as_ref(),
            out.as_os_str(),
            "--freeze".as_ref(),
            c.as_os_str(),
        ];
        measure(&argv, have_time, scratch)
    };
    for k in 0..TREE_RUNS {
        let _ = std::fs::remove_dir_all(out_dir(k));
    }
    let mut ref_colds = Vec::new();
    let mut colds = Vec::new();
    for k in 0..TREE_RUNS {
        ref_colds.push(reference("")?);
        colds.push(ours(k)?);
    }
    let same = |k: usize| -> Result<bool> {
        let a = std::fs::read(base.join("frozen-ref.c")).context("the reference wrote no C")?;
        let b = std::fs::read(frozen(k)).context("mpyc wrote no C")?;
        Ok(a == b && !a.is_empty())
    };
    let cold_same = same(0)?;
    // One module edited before each run (so its .mpy changes), the same for both.
    let edited = ["colorsys.py", "bisect.py", "keyword.py"]
        .into_iter()
        .find(|f| tree.join(f).exists())
        .map(str::to_string);
    let Some(edited) = edited else {
        bail!("none of the modules to edit is in {}", tree.display());
    };
    let original = std::fs::read(tree.join(&edited))?;
    let mut ref_edits = Vec::new();
    let mut edits = Vec::new();
    for i in 0..EDIT_RUNS {
        let mut text = original.clone();
        text.extend_from_slice(format!("\n_bench_edit = {i}\n").as_bytes());
        std::fs::write(tree.join(&edited), &text)?;
        ref_edits.push(reference(&edited)?);
        edits.push(ours(TREE_RUNS - 1)?);
    }
    let edit_same = same(TREE_RUNS - 1)?;
    std::fs::write(tree.join(&edited), &original)?;
    let verdict = |s: bool| if s { "identical C" } else { "C DIFFERS" };
    Ok(vec![
        (
            format!("freeze {n} modules, cold"),
            Some(median(ref_colds)),
            Some(median(colds)),
            format!(
                "mpy-cross -P2 + mpy-tool.py -f vs build --freeze; median of {TREE_RUNS}; {}",
                verdict(cold_same)
            ),
        ),
        (
            format!("freeze {n} modules, 1 changed"),
            Some(median(ref_edits)),
            Some(median(edits)),
            format!(
                "1 mpy-cross + mpy-tool.py over all vs build --freeze; median of {EDIT_RUNS}; {}",
                verdict(edit_same)
            ),
        ),
    ])
}
