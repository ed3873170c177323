//! Safe output: write to a temp file then rename (never a truncated `.mpy`), and only when the
//! bytes change; a new out dir is built whole in a staging folder and renamed into place;
//! removal of outputs whose source vanished.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` unless it already holds exactly them. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() && meta.len() == bytes.len() as u64 {
            if let Ok(old) = std::fs::read(path) {
                if old == bytes {
                    return Ok(false);
                }
            }
        }
    }
    write_new(path, bytes).map(|()| true)
}

/// Writes `bytes` to `path` (temp file, then rename) without looking at what is there: for
/// outputs known not to exist, e.g. in an out dir this build created.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp_name);
    let result = (|| {
        // Folders are made only when missing (one failed open per new folder, not a mkdir per file).
        let mut f = match std::fs::File::create(&tmp) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::File::create(&tmp)?
            }
            other => other?,
        };
        f.write_all(bytes)?;
        f.flush()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path` in place (making its folder when missing): only for a staging
/// folder, which is renamed into place once complete, so no reader sees a partial file.
pub fn write_direct(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = match std::fs::File::create(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::File::create(path)?
        }
        other => other?,
    };
    f.write_all(bytes)?;
    f.flush()
}

/// The folder a build into a new out dir writes to: a hidden sibling of the out dir, renamed to
/// it when the build is done. An interrupted build leaves no out dir (so never a truncated
/// `.mpy` in it), and each output costs one file creation instead of a temp file and a rename.
#[derive(Debug)]
pub struct Staging {
    path: PathBuf,
}

impl Staging {
    /// Makes the staging folder for `out_dir` (and the folders above it), replacing one left by
    /// an interrupted build. `None` when `out_dir` has no last component to name a sibling by
    /// (e.g. `..`): such a build writes in place with temp files.
    pub fn create(out_dir: &Path) -> io::Result<Option<Staging>> {
        let Some(name) = out_dir.file_name() else {
            return Ok(None);
        };
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let mut staged = std::ffi::OsString::from(".");
        staged.push(name);
        staged.push(".mpyc-partial");
        let path = parent.join(staged);
        if std::fs::symlink_metadata(&path).is_ok() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir(&path)?;
        Ok(Some(Staging { path }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the finished folder to `out_dir` (which must still not exist, or be empty).
    pub fn finish(mut self, out_dir: &Path) -> io::Result<()> {
        std::fs::rename(&self.path, out_dir)?;
        self.path = PathBuf::new();
        Ok(())
    }
}

impl Drop for Staging {
    /// A build that stops early (a fatal error) leaves no staging folder behind.
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Removes an output, then any folders it leaves empty up to (not including) `out_dir`.
pub fn remove_output(out_dir: &Path, rel: &str) -> io::Result<bool> {
    let path = out_dir.join(rel);
    let removed = match std::fs::remove_file(&path) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) {
            break;
        }
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_on_change_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/c.mpy");
        assert!(write_if_changed(&p, b"M\x04").unwrap());
        assert!(!write_if_changed(&p, b"M\x04").unwrap());
        assert!(write_if_changed(&p, b"M\x05").unwrap());
        assert_eq!(std::fs::read(&p).unwrap(), b"M\x05");
        assert!(!dir.path().join("a/b/c.mpy.tmp").exists());
        assert!(remove_output(dir.path(), "a/b/c.mpy").unwrap());
        assert!(!dir.path().join("a").exists());
        assert!(dir.path().exists());
        assert!(!remove_output(dir.path(), "a/b/c.mpy").unwrap());
        write_new(&p, b"M\x06").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"M\x06");
        assert!(!dir.path().join("a/b/c.mpy.tmp").exists());
    }

    #[test]
    fn staging_is_renamed_into_place_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x/out");
        let st = Staging::create(&out).unwrap().unwrap();
        assert_eq!(st.path(), dir.path().join("x/.out.mpyc-partial"));
        write_direct(&st.path().join("p/m.mpy"), b"M\x06").unwrap();
        assert!(!out.exists());
        st.finish(&out).unwrap();
        assert_eq!(std::fs::read(out.join("p/m.mpy")).unwrap(), b"M\x06");
        assert!(!dir.path().join("x/.out.mpyc-partial").exists());

        // A leftover of an interrupted build is replaced; an unfinished one is removed.
        let out2 = dir.path().join("x/out2");
        std::fs::create_dir_all(dir.path().join("x/.out2.mpyc-partial/old")).unwrap();
        let st = Staging::create(&out2).unwrap().unwrap();
        assert!(!st.path().join("old").exists());
        drop(st);
        assert!(!dir.path().join("x/.out2.mpyc-partial").exists());
        assert!(!out2.exists());
    }
}
