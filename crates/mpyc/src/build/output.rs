//! Safe output: write to a temp file then rename (never a truncated `.mpy`), and only when the
//! bytes change; removal of outputs whose source vanished.

use std::io::{self, Write};
use std::path::Path;

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
}
