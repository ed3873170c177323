//! Finding the inputs: every `.py` (and prebuilt `.mpy`) under the source roots, in a stable order.
//!
//! Skipped: `__pycache__`, hidden folders, the output folder, and whatever `--exclude` globs match.
//! When the output folder is a root itself, the `.mpy` files in it are outputs, not inputs.
//! A glob is matched against the path relative to its root (`/`-separated, `*` stays inside one
//! folder, `**` crosses folders); a glob without `/` also matches any single file or folder name.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

/// One source root: how the build spells it and where it is.
#[derive(Clone, Debug)]
pub struct Root {
    /// The root as given (command line or project file joined with `/`), no trailing `/`.
    pub spelled: Vec<u8>,
    pub dir: PathBuf,
    /// The root is one source file (`mpyc build file.py`): `dir` is that file, `spelled` its
    /// path as given, and its one input is named by its file name.
    pub file: bool,
}

impl Root {
    /// The path given to the compiler for the input `rel` below this root: `<root>/<rel>` as a
    /// Makefile spells `$(DIR)/<rel>`, or a single file's path as given.
    pub fn input_path(&self, rel: &[u8]) -> Vec<u8> {
        if self.file {
            return self.spelled.clone();
        }
        super::job::input_path(&self.spelled, rel)
    }
}

/// What an input file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Python source, compiled.
    Py,
    /// A prebuilt `.mpy`, checked against the profile and copied through.
    Mpy,
}

/// One input file found under a root.
#[derive(Clone, Debug)]
pub struct Input {
    pub root: usize,
    /// Path relative to the root, `/`-separated (the `-s` source name for `.py`).
    pub rel: Vec<u8>,
    /// Where to read it.
    pub file: PathBuf,
    pub kind: InputKind,
}

impl Input {
    /// The output's path relative to the out dir, `/`-separated.
    pub fn out_rel(&self) -> Vec<u8> {
        match self.kind {
            InputKind::Py => {
                let stem = &self.rel[..self.rel.len().saturating_sub(3)];
                let mut o = stem.to_vec();
                o.extend_from_slice(b".mpy");
                o
            }
            InputKind::Mpy => self.rel.clone(),
        }
    }
}

/// Compiled `--exclude` globs.
pub struct Excludes {
    full: GlobSet,
    name: GlobSet,
}

impl Excludes {
    pub fn new(patterns: &[String]) -> Result<Excludes, String> {
        let mut full = GlobSetBuilder::new();
        let mut name = GlobSetBuilder::new();
        for p in patterns {
            let trimmed = p.trim_end_matches('/');
            let g = GlobBuilder::new(trimmed)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad --exclude glob `{p}`: {e}"))?;
            full.add(g);
            if !trimmed.contains('/') {
                name.add(Glob::new(trimmed).map_err(|e| format!("bad --exclude glob `{p}`: {e}"))?);
            }
        }
        Ok(Excludes {
            full: full.build().map_err(|e| e.to_string())?,
            name: name.build().map_err(|e| e.to_string())?,
        })
    }

    fn excluded(&self, rel: &str, file_name: &str) -> bool {
        self.full.is_match(rel) || self.name.is_match(file_name)
    }

    /// No globs at all: nothing to match (and no path to spell for them).
    fn is_empty(&self) -> bool {
        self.full.is_empty() && self.name.is_empty()
    }
}

/// What the walk found.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Found {
    /// Inputs ordered by root, then by path.
    pub inputs: Vec<Input>,
    /// Every folder visited (for the depfile: adding a file changes its folder).
    pub dirs: Vec<PathBuf>,
}

fn rel_string(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn rel_bytes(rel: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        out.extend_from_slice(c.as_os_str().as_encoded_bytes());
    }
    out
}

/// How the walk recognises the output folder: by device and inode where there are such (one
/// `stat` per folder), else by canonical path.
enum DirId {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

impl DirId {
    fn of(canonical: &Path) -> DirId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(m) = std::fs::metadata(canonical) {
                return DirId::Inode(m.dev(), m.ino());
            }
        }
        DirId::Path(canonical.to_path_buf())
    }

    fn is(&self, dir: &Path) -> bool {
        match self {
            #[cfg(unix)]
            DirId::Inode(dev, ino) => {
                use std::os::unix::fs::MetadataExt;
                std::fs::metadata(dir).is_ok_and(|m| m.dev() == *dev && m.ino() == *ino)
            }
            DirId::Path(p) => std::fs::canonicalize(dir).ok().as_deref() == Some(p.as_path()),
        }
    }
}

/// Walks every root, collecting what [`walk_into`] finds.
#[cfg(test)]
pub fn walk(roots: &[Root], excludes: &Excludes, out_dir: Option<&Path>) -> Result<Found, String> {
    let mut inputs = Vec::new();
    let walked = walk_into(roots, excludes, out_dir, |i| inputs.push(i))?;
    Ok(Found {
        inputs,
        dirs: walked.dirs,
    })
}

/// An entry the walk could not follow (a dangling link, a link loop, an unreadable folder).
#[derive(Clone, Debug)]
pub struct Problem {
    /// The entry's path.
    pub path: PathBuf,
    /// Its path below the root, lossily decoded.
    pub rel: String,
    pub message: String,
}

/// What a walk met besides its inputs.
#[derive(Debug, Default)]
pub struct Walked {
    /// Every folder visited (for the depfile: adding a file changes its folder).
    pub dirs: Vec<PathBuf>,
    /// Entries it could not follow, each reported on its own; the walk goes on past them.
    pub problems: Vec<Problem>,
}

/// Walks every root, handing each input to `sink` as it is found (ordered by root, then by
/// path); `out_dir` (canonical, if it exists) is skipped. Only a root that cannot be read
/// stops it.
pub fn walk_into(
    roots: &[Root],
    excludes: &Excludes,
    out_dir: Option<&Path>,
    mut sink: impl FnMut(Input),
) -> Result<Walked, String> {
    let mut dirs = Vec::new();
    let mut problems = Vec::new();
    let no_excludes = excludes.is_empty();
    let out_id = out_dir.map(DirId::of);
    for (ri, root) in roots.iter().enumerate() {
        let meta = std::fs::metadata(&root.dir)
            .map_err(|e| format!("cannot read source root `{}`: {e}", root.dir.display()))?;
        if root.file {
            sink(single_input(ri, root)?);
            continue;
        }
        if !meta.is_dir() {
            return Err(format!(
                "source root `{}` is not a folder",
                root.dir.display()
            ));
        }
        // Writing the outputs beside the sources (`--out-dir` = a root): the `.mpy` files there
        // are this build's outputs, not prebuilt inputs.
        let root_is_out =
            out_dir.is_some() && std::fs::canonicalize(&root.dir).ok().as_deref() == out_dir;
        let root_bytes = root.dir.as_os_str().as_encoded_bytes();
        let skip = root_bytes.len() + usize::from(!root_bytes.ends_with(b"/"));
        let mut it = WalkDir::new(&root.dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        loop {
            let entry = match it.next() {
                None => break,
                Some(Ok(e)) => e,
                Some(Err(e)) => {
                    let path = e.path().unwrap_or(&root.dir).to_path_buf();
                    let rel = path.strip_prefix(&root.dir).unwrap_or(&path);
                    let message = match (e.loop_ancestor(), e.io_error()) {
                        (Some(a), _) => format!(
                            "not followed: a link to `{}`, a folder it is already in",
                            a.display()
                        ),
                        (None, Some(io)) => format!("cannot read: {io}"),
                        (None, None) => format!("cannot read: {e}"),
                    };
                    problems.push(Problem {
                        rel: rel_string(rel),
                        path,
                        message,
                    });
                    continue;
                }
            };
            let depth = entry.depth();
            let rel = || entry.path().strip_prefix(&root.dir).unwrap_or(entry.path());
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_dir();
            if depth > 0 {
                let hidden_or_cache = is_dir && (name.starts_with('.') || name == "__pycache__");
                if hidden_or_cache || (!no_excludes && excludes.excluded(&rel_string(rel()), &name))
                {
                    if is_dir {
                        it.skip_current_dir();
                    }
                    continue;
                }
            }
            if is_dir {
                if let Some(out) = &out_id {
                    if depth > 0 && out.is(entry.path()) {
                        it.skip_current_dir();
                        continue;
                    }
                }
                dirs.push(entry.path().to_path_buf());
                continue;
            }
            let kind = if name.ends_with(".py") && name.len() > 3 {
                InputKind::Py
            } else if name.ends_with(".mpy") && name.len() > 4 && !root_is_out {
                InputKind::Mpy
            } else {
                continue;
            };
            // Below the root, walkdir's paths are the root's spelling, `/` unless it ends in
            // one, then the names: `rel` is the bytes after that.
            let path = entry.path().as_os_str().as_encoded_bytes();
            let rel = match path.get(skip..) {
                Some(r) if path.starts_with(root_bytes) && !r.is_empty() => r.to_vec(),
                _ => rel_bytes(rel()),
            };
            sink(Input {
                root: ri,
                rel,
                file: entry.into_path(),
                kind,
            });
        }
    }
    Ok(Walked { dirs, problems })
}

/// The one input of a root that is a file: named by its file name.
fn single_input(ri: usize, root: &Root) -> Result<Input, String> {
    let name = root
        .dir
        .file_name()
        .map(|n| n.as_encoded_bytes().to_vec())
        .unwrap_or_default();
    let kind = if name.ends_with(b".py") && name.len() > 3 {
        InputKind::Py
    } else if name.ends_with(b".mpy") && name.len() > 4 {
        InputKind::Mpy
    } else {
        return Err(format!(
            "`{}` is a file but neither a .py source nor a prebuilt .mpy",
            root.dir.display()
        ));
    };
    Ok(Input {
        root: ri,
        rel: name,
        file: root.dir.clone(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_match_paths_and_names() {
        let ex = Excludes::new(&["tests/**".into(), "*_test.py".into(), "vendor/".into()]).unwrap();
        assert!(ex.excluded("tests/a.py", "a.py"));
        assert!(ex.excluded("lib/x_test.py", "x_test.py"));
        assert!(ex.excluded("vendor", "vendor"));
        assert!(ex.excluded("a/vendor", "vendor"));
        assert!(!ex.excluded("lib/x.py", "x.py"));
        let ex = Excludes::new(&["lib/*.py".into()]).unwrap();
        assert!(ex.excluded("lib/a.py", "a.py"));
        assert!(!ex.excluded("lib/sub/a.py", "a.py"));
    }

    #[test]
    fn walk_skips_hidden_caches_excludes_and_the_out_dir() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("src");
        for f in [
            "b.py",
            "a/c.py",
            "a/d.mpy",
            ".git/x.py",
            "__pycache__/y.py",
            "out/z.py",
            "t/u_test.py",
            "n.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"").unwrap();
        }
        let roots = [Root {
            spelled: b"src".to_vec(),
            dir: root.clone(),
            file: false,
        }];
        let out = std::fs::canonicalize(root.join("out")).unwrap();
        let found = walk(
            &roots,
            &Excludes::new(&["*_test.py".into()]).unwrap(),
            Some(&out),
        )
        .unwrap();
        let rels: Vec<(String, InputKind)> = found
            .inputs
            .iter()
            .map(|i| (String::from_utf8_lossy(&i.rel).into_owned(), i.kind))
            .collect();
        assert_eq!(
            rels,
            [
                ("a/c.py".to_string(), InputKind::Py),
                ("a/d.mpy".to_string(), InputKind::Mpy),
                ("b.py".to_string(), InputKind::Py)
            ]
        );
        assert_eq!(found.dirs, [root.clone(), root.join("a"), root.join("t")]);
        // However the root is spelled, the paths below it are the same.
        for spelled in ["/", "//", "/.", "/./"] {
            let mut dir = root.clone().into_os_string();
            dir.push(spelled);
            let other = walk(
                &[Root {
                    spelled: b"src".to_vec(),
                    dir: PathBuf::from(dir),
                    file: false,
                }],
                &Excludes::new(&["*_test.py".into()]).unwrap(),
                Some(&out),
            )
            .unwrap();
            let other_rels: Vec<&[u8]> = other.inputs.iter().map(|i| &i.rel[..]).collect();
            assert_eq!(
                other_rels,
                [&b"a/c.py"[..], b"a/d.mpy", b"b.py"],
                "root spelled with {spelled}"
            );
        }
        assert!(walk(
            &[Root {
                spelled: b"nope".to_vec(),
                dir: dir.path().join("nope"),
                file: false,
            }],
            &Excludes::new(&[]).unwrap(),
            None
        )
        .is_err());
    }

    #[test]
    fn out_rel_swaps_the_extension() {
        let i = Input {
            root: 0,
            rel: b"pkg/mod.py".to_vec(),
            file: PathBuf::new(),
            kind: InputKind::Py,
        };
        assert_eq!(i.out_rel(), b"pkg/mod.mpy");
    }
}
