//! Safe output, confined to the out dir: every output is written to a unique temporary in the
//! out dir's `.mpyc-tmp` folder and renamed into place (never a truncated `.mpy`), only when its
//! bytes change, and never through a symbolic link; a new out dir is built whole in a staging
//! folder and renamed into place; outputs whose source vanished are removed, again never through
//! a symbolic link and never outside the out dir.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::state::SourceStamp;

/// The folder inside the out dir holding this build's temporaries (emptied by the next build).
pub const TMP_DIR: &str = ".mpyc-tmp";

/// An error saying a path in the out dir is not what mpyc may write or delete through.
fn refuse(path: &Path, what: &str) -> io::Error {
    io::Error::other(format!(
        "`{}` is {what}: mpyc only replaces regular files inside the out dir and never goes \
         through a symbolic link",
        path.display()
    ))
}

/// Test hook: `MPYC_TEST_WRITE_LIMIT=N` makes writes fail with "No space left on device" once
/// this process has written N bytes of outputs and state, as a full disk would.
pub fn check_disk_budget(len: usize) -> io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static LIMIT: OnceLock<Option<u64>> = OnceLock::new();
    static USED: AtomicU64 = AtomicU64::new(0);
    let limit = LIMIT.get_or_init(|| {
        std::env::var("MPYC_TEST_WRITE_LIMIT")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    let Some(limit) = *limit else { return Ok(()) };
    let used = USED.fetch_add(len as u64, Ordering::Relaxed) + len as u64;
    if used > limit {
        return Err(io::Error::from_raw_os_error(28));
    }
    Ok(())
}

/// Writes all of `bytes` to `f` (through the test hook's budget).
fn write_all_to(mut f: &std::fs::File, bytes: &[u8]) -> io::Result<()> {
    check_disk_budget(bytes.len())?;
    f.write_all(bytes)?;
    f.flush()
}

/// What [`OutDir::remove`] did.
#[derive(Debug)]
pub enum Removal {
    Removed,
    /// There was nothing to remove.
    Absent,
    /// Not mpyc's to delete (a link, not a regular file, outside the out dir): left alone.
    Refused(io::Error),
}

/// The out dir of a build: where outputs go, checked to be confined.
pub struct OutDir {
    root: PathBuf,
    tmp: PathBuf,
    /// Folders below the root (relative, `/`-separated) already known to be real folders.
    checked: Mutex<HashSet<Vec<u8>>>,
}

impl OutDir {
    /// The out dir at `root` (which must exist), with its temporaries folder made (an old one's
    /// contents removed: the leftovers of an interrupted build, now that this one holds the lock).
    pub fn open(root: &Path) -> io::Result<OutDir> {
        let tmp = root.join(TMP_DIR);
        match std::fs::symlink_metadata(&tmp) {
            Ok(m) if m.is_dir() => {
                for entry in std::fs::read_dir(&tmp)? {
                    let entry = entry?;
                    let p = entry.path();
                    if entry.file_type()?.is_dir() {
                        std::fs::remove_dir_all(&p)?;
                    } else {
                        std::fs::remove_file(&p)?;
                    }
                }
            }
            // A symbolic link or a file in its place is removed (not followed).
            Ok(_) => {
                std::fs::remove_file(&tmp)?;
                std::fs::create_dir(&tmp)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir(&tmp)?,
            Err(e) => return Err(e),
        }
        // Probe that it takes files before compiling anything.
        temp_in(&tmp)?;
        Ok(OutDir {
            root: root.to_path_buf(),
            tmp,
            checked: Mutex::new(HashSet::new()),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Checks that every folder on the way to `rel` (`/`-separated, checked by
    /// [`super::state::safe_rel`] first) is a real folder, not a symbolic link; with `create`
    /// missing ones are made. Returns the full path of `rel`, or `None` when a folder is
    /// missing (and not `create`).
    fn confined(&self, rel: &str, create: bool) -> io::Result<Option<PathBuf>> {
        let bytes = match super::state::key_bytes(rel) {
            Some(b) if super::state::safe_rel(rel) => b,
            _ => {
                return Err(io::Error::other(format!(
                    "`{}` is not a plain path inside the out dir",
                    super::state::key_shown(rel)
                )))
            }
        };
        let full = self.root.join(super::state::path_of(&bytes));
        let Some(slash) = bytes.iter().rposition(|&b| b == b'/') else {
            return Ok(Some(full));
        };
        let dir = &bytes[..slash];
        if self.checked.lock().is_ok_and(|c| c.contains(dir)) {
            return Ok(Some(full));
        }
        let mut at = self.root.clone();
        for part in dir.split(|&b| b == b'/') {
            at.push(super::state::path_of(part));
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => return Err(refuse(&at, "a symbolic link")),
                Ok(_) => return Err(refuse(&at, "not a folder")),
                Err(e) if e.kind() == io::ErrorKind::NotFound && create => {
                    match std::fs::create_dir(&at) {
                        Ok(()) => {}
                        // Made meanwhile by another worker: checked again below.
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                            if !std::fs::symlink_metadata(&at)?.is_dir() {
                                return Err(refuse(&at, "not a folder"));
                            }
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        if let Ok(mut c) = self.checked.lock() {
            c.insert(dir.to_vec());
        }
        Ok(Some(full))
    }

    /// The path of output `rel` if it is a regular file reached through real folders only:
    /// `None` if anything on the way is missing, a link or not a file.
    pub fn existing(&self, rel: &str) -> Option<(PathBuf, std::fs::Metadata)> {
        let path = self.confined(rel, false).ok()??;
        let meta = std::fs::symlink_metadata(&path).ok()?;
        meta.is_file().then_some((path, meta))
    }

    /// Writes output `rel` unless it already holds exactly `bytes`: through a unique temporary
    /// renamed into place, so a failed write leaves the old file as it was. Returns the file's
    /// stamp afterwards, for the state.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<Option<SourceStamp>> {
        let path = self
            .confined(rel, true)?
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {
                if m.len() == bytes.len() as u64 && std::fs::read(&path)? == bytes {
                    return Ok(SourceStamp::of(&m));
                }
            }
            Ok(m) if m.file_type().is_symlink() => return Err(refuse(&path, "a symbolic link")),
            Ok(_) => return Err(refuse(&path, "not a regular file")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let tmp = temp_in(&self.tmp)?;
        write_all_to(tmp.as_file(), bytes)?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(std::fs::symlink_metadata(&path)
            .ok()
            .and_then(|m| SourceStamp::of(&m)))
    }

    /// Removes output `rel`, then any folders it leaves empty (not the out dir). A link or
    /// anything but a regular file is refused, as is a path through a link or out of the out
    /// dir: it is not mpyc's to delete.
    pub fn remove(&self, rel: &str) -> io::Result<Removal> {
        let path = match self.confined(rel, false) {
            Ok(Some(path)) => path,
            Ok(None) => return Ok(Removal::Absent),
            Err(e) if e.kind() == io::ErrorKind::Other => return Ok(Removal::Refused(e)),
            Err(e) => return Err(e),
        };
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => std::fs::remove_file(&path)?,
            Ok(m) if m.file_type().is_symlink() => {
                return Ok(Removal::Refused(refuse(&path, "a symbolic link")))
            }
            Ok(_) => return Ok(Removal::Refused(refuse(&path, "not a regular file"))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Removal::Absent),
            Err(e) => return Err(e),
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.root || !d.starts_with(&self.root) {
                break;
            }
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            if let (Ok(mut c), Ok(below)) = (self.checked.lock(), d.strip_prefix(&self.root)) {
                c.remove(below.as_os_str().as_encoded_bytes());
            }
            dir = d.parent();
        }
        Ok(Removal::Removed)
    }

    /// Replaces file `name` directly in the out dir (the state, the journal) through a
    /// temporary, refusing anything but a regular file there.
    pub fn replace_file(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.root.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err(refuse(&path, "not a regular file")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let tmp = temp_in(&self.tmp)?;
        write_all_to(tmp.as_file(), bytes)?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes file `name` directly in the out dir if it is a regular file or a link (the link
    /// itself, never what it names).
    pub fn remove_file(&self, name: &str) -> io::Result<()> {
        match std::fs::remove_file(self.root.join(name)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Replaces file `path` (outside any out dir: the depfile) through a temporary beside it,
/// refusing anything there but a regular file (a device, a FIFO, a folder, a link).
pub fn replace_regular(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(m) if m.file_type().is_symlink() => return Err(refuse(path, "a symbolic link")),
        Ok(_) => return Err(refuse(path, "not a regular file")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = temp_in(dir)?;
    write_all_to(tmp.as_file(), bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to `path` (outside any out dir) unless it already holds exactly them, through
/// [`replace_regular`]; returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if m.is_file() && m.len() == bytes.len() as u64 && std::fs::read(path)? == bytes {
            return Ok(false);
        }
    }
    replace_regular(path, bytes).map(|()| true)
}

/// A new unique temporary in `dir`, read and write for all less the umask (as `File::create`).
fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(".mpyc-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

/// Writes `bytes` to a new file `path` in a staging folder (making its folder when missing),
/// returning the file's stamp; a failed write removes the file (never a truncated output).
pub fn write_direct(path: &Path, bytes: &[u8]) -> io::Result<Option<SourceStamp>> {
    let f = match std::fs::File::create_new(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::File::create_new(path)?
        }
        other => other?,
    };
    let stamped = write_all_to(&f, bytes).and_then(|()| f.metadata());
    match stamped {
        Ok(meta) => Ok(SourceStamp::of(&meta)),
        Err(e) => {
            drop(f);
            let _ = std::fs::remove_file(path);
            Err(e)
        }
    }
}

/// The folder a build into a new out dir writes to: a hidden sibling of the out dir, renamed
/// over it (the empty folder this build made and locked) when the build is done. An interrupted
/// build leaves an empty out dir (so never a truncated `.mpy` in it), and each output costs one
/// file creation instead of a temporary and a rename.
#[derive(Debug)]
pub struct Staging {
    path: PathBuf,
}

/// The staging folder's path for `out_dir`, if it has a last component to name a sibling by.
fn staging_path(out_dir: &Path) -> Option<PathBuf> {
    let name = out_dir.file_name()?;
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut staged = std::ffi::OsString::from(".");
    staged.push(name);
    staged.push(".mpyc-partial");
    Some(parent.join(staged))
}

/// Removes `path` if there is anything there: a folder with its contents, or a link itself.
fn remove_any(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

impl Staging {
    /// Makes the staging folder for `out_dir`, replacing one left by an interrupted build.
    /// `None` when `out_dir` has no last component to name a sibling by (e.g. `..`): such a
    /// build writes in place with temporaries.
    pub fn create(out_dir: &Path) -> io::Result<Option<Staging>> {
        let Some(path) = staging_path(out_dir) else {
            return Ok(None);
        };
        remove_any(&path)?;
        std::fs::create_dir(&path)?;
        Ok(Some(Staging { path }))
    }

    /// Removes the staging folder an interrupted build into `out_dir` left (called with the
    /// out dir locked: no build is using it).
    pub fn discard_leftover(out_dir: &Path) -> io::Result<()> {
        match staging_path(out_dir) {
            Some(p) => remove_any(&p),
            None => Ok(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the finished folder over `out_dir` (the empty folder made for this build).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_on_change_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = OutDir::open(dir.path()).unwrap();
        let first = out.write("a/b/c.mpy", b"M\x04").unwrap().unwrap();
        let same = out.write("a/b/c.mpy", b"M\x04").unwrap().unwrap();
        assert_eq!(first, same, "the same bytes: the file is left alone");
        let other = out.write("a/b/c.mpy", b"M\x05").unwrap().unwrap();
        assert_ne!(
            first.ino, other.ino,
            "new bytes: a new file renamed into place"
        );
        let p = dir.path().join("a/b/c.mpy");
        assert_eq!(std::fs::read(&p).unwrap(), b"M\x05");
        assert_eq!(
            std::fs::read_dir(dir.path().join(TMP_DIR)).unwrap().count(),
            0
        );
        assert!(matches!(out.remove("a/b/c.mpy").unwrap(), Removal::Removed));
        assert!(!dir.path().join("a").exists());
        assert!(dir.path().exists());
        assert!(matches!(out.remove("a/b/c.mpy").unwrap(), Removal::Absent));
        assert!(matches!(
            out.remove("../x.mpy").unwrap(),
            Removal::Refused(_)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_written_or_deleted_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("secret.mpy"), b"keep").unwrap();
        let root = dir.path().join("out");
        std::fs::create_dir(&root).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("lnk")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.mpy"), root.join("s.mpy")).unwrap();
        let out = OutDir::open(&root).unwrap();
        let e = out.write("lnk/secret.mpy", b"M").err().unwrap();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(out.write("lnk/new.mpy", b"M").is_err());
        assert!(matches!(
            out.remove("lnk/secret.mpy").unwrap(),
            Removal::Refused(_)
        ));
        assert!(out.write("s.mpy", b"M").is_err());
        assert!(matches!(out.remove("s.mpy").unwrap(), Removal::Refused(_)));
        assert!(out.existing("lnk/secret.mpy").is_none());
        assert_eq!(std::fs::read(outside.join("secret.mpy")).unwrap(), b"keep");
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
    }

    #[test]
    fn files_outside_the_out_dir_are_replaced_only_when_regular() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("deps.mk");
        assert!(write_if_changed(&p, b"a: b\n").unwrap());
        assert!(!write_if_changed(&p, b"a: b\n").unwrap());
        assert!(write_if_changed(&p, b"a: c\n").unwrap());
        assert_eq!(std::fs::read(&p).unwrap(), b"a: c\n");
        assert!(
            write_if_changed(dir.path(), b"x").is_err(),
            "a folder is refused"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn staging_is_renamed_into_place_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x/out");
        std::fs::create_dir_all(&out).unwrap();
        let st = Staging::create(&out).unwrap().unwrap();
        assert_eq!(st.path(), dir.path().join("x/.out.mpyc-partial"));
        write_direct(&st.path().join("p/m.mpy"), b"M\x06").unwrap();
        assert!(!out.join("p").exists());
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
