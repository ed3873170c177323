//! The out dir's advisory lock: one build at a time writes into an out dir; a second one says
//! that it waits, then waits.

use std::fs::{File, TryLockError};
use std::io;
use std::path::Path;

/// The lock on an out dir, held until dropped.
#[derive(Debug)]
pub struct OutDirLock {
    _dir: File,
}

/// Whether two metadata name the same file.
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        true
    }
}

/// Locks the folder `out_dir` (an exclusive `flock` on the folder itself), waiting for a build
/// that holds it; `waiting` is called once before waiting. A build into a new out dir renames
/// its finished staging folder over the locked one: a lock won on a folder that is no longer
/// the out dir is dropped and taken again on the one now there.
pub fn lock(out_dir: &Path, mut waiting: impl FnMut()) -> io::Result<OutDirLock> {
    let mut told = false;
    for _ in 0..64 {
        let dir = File::open(out_dir)?;
        match dir.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if !told {
                    waiting();
                    told = true;
                }
                dir.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        let held = dir.metadata()?;
        match std::fs::metadata(out_dir) {
            Ok(now) if same_file(&held, &now) => return Ok(OutDirLock { _dir: dir }),
            Ok(_) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(
        "the out dir keeps being replaced by other builds",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock(dir.path(), || panic!("nothing holds it yet")).unwrap();
        let path = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let second = std::thread::spawn(move || {
            let mut waited = false;
            let l = lock(&path, || waited = true).unwrap();
            tx.send(()).unwrap();
            drop(l);
            waited
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(rx.try_recv().is_err(), "taken while the first holds it");
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        assert!(second.join().unwrap(), "the second said it was waiting");
    }
}
