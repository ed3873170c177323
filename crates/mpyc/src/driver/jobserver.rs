//! Working under make: a GNU make jobserver client.
//!
//! make hands out job slots as bytes in a pipe (`--jobserver-auth=R,W`, inherited descriptors) or
//! a named FIFO (make 4.4's `--jobserver-auth=fifo:PATH`). Every process has one implicit slot:
//! the build's first worker runs on it and never waits for make. Each further worker takes a byte
//! (a token) before it takes an input, and writes it back as soon as that input is done, so it
//! never holds an input while waiting for a token, nor a token while waiting for an input.
//!
//! The client speaks the protocol itself, in safe code (the `jobserver` crate's entry points are
//! `unsafe`, which this workspace forbids). The jobserver is opened afresh: the FIFO by its path,
//! the inherited pipe through `/proc/self/fd/N` (`/dev/fd/N` elsewhere), which on Linux gives a
//! file description of our own, so it can be non-blocking without changing make's. Waiting for a
//! token is a poll (a non-blocking read every millisecond or two) that gives up the moment the
//! build runs out of inputs, so no thread is ever left blocked in a read. When make did not pass
//! the jobserver on (a rule without `+`), or it cannot be opened, the build uses `-j` / all cores.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A connection to make's jobserver.
#[derive(Debug)]
pub struct Jobserver {
    /// The pipe or FIFO, opened non-blocking for reading and writing.
    file: File,
}

/// A job slot from make; written back when dropped.
#[derive(Debug)]
pub struct Token<'a> {
    server: &'a Jobserver,
    byte: u8,
}

impl Drop for Token<'_> {
    fn drop(&mut self) {
        // A pipe holding make's tokens always has room for one more; a full one (never seen)
        // is retried briefly rather than losing the slot.
        for _ in 0..1000 {
            match (&self.server.file).write(&[self.byte]) {
                Ok(1) => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(1))
                }
                _ => return,
            }
        }
    }
}

/// The jobserver named in make flags, as `(read fd, write fd)` or a FIFO path.
#[derive(Debug, PartialEq, Eq)]
enum Auth {
    Fds(i64, i64),
    Fifo(String),
}

fn parse_makeflags(flags: &str) -> Option<Auth> {
    let mut found = None;
    for word in flags.split_whitespace() {
        let value = word
            .strip_prefix("--jobserver-auth=")
            .or_else(|| word.strip_prefix("--jobserver-fds="));
        let Some(v) = value else { continue };
        if let Some(path) = v.strip_prefix("fifo:") {
            found = Some(Auth::Fifo(path.to_string()));
        } else if let Some((r, w)) = v.split_once(',') {
            if let (Ok(r), Ok(w)) = (r.parse::<i64>(), w.parse::<i64>()) {
                found = Some(Auth::Fds(r, w));
            }
        }
    }
    found
}

/// Opens a FIFO or pipe at `path` for reading and writing without blocking; `None` for
/// anything else.
fn open_fifo(path: &Path) -> Option<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .ok()?;
        f.metadata().ok()?.file_type().is_fifo().then_some(f)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The path naming inherited descriptor `fd`.
fn fd_path(fd: i64) -> PathBuf {
    let dir = if Path::new("/proc/self/fd").is_dir() {
        "/proc/self/fd"
    } else {
        "/dev/fd"
    };
    Path::new(dir).join(fd.to_string())
}

/// How long a worker waiting for a token sleeps between tries.
const POLL: Duration = Duration::from_millis(1);

impl Jobserver {
    /// Connects to the jobserver in `MAKEFLAGS`, if there is one we can reach.
    pub fn from_env() -> Option<Jobserver> {
        let flags = std::env::var("MAKEFLAGS")
            .or_else(|_| std::env::var("MFLAGS"))
            .ok()?;
        let file = match parse_makeflags(&flags)? {
            Auth::Fifo(p) => open_fifo(Path::new(&p))?,
            Auth::Fds(r, w) if r >= 0 && w >= 0 => {
                // Both ends name the same pipe; the write end must be there too (make closes
                // them for a rule without `+`).
                open_fifo(&fd_path(w))?;
                open_fifo(&fd_path(r))?
            }
            Auth::Fds(..) => return None,
        };
        Some(Jobserver { file })
    }

    /// Takes a token if make has one free now.
    pub fn try_acquire(&self) -> Option<Token<'_>> {
        let mut byte = [0u8; 1];
        loop {
            return match (&self.file).read(&mut byte) {
                Ok(1) => Some(Token {
                    server: self,
                    byte: byte[0],
                }),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                _ => None,
            };
        }
    }

    /// Waits for a token until `give_up` says it is no longer wanted.
    pub fn acquire_until(&self, mut give_up: impl FnMut() -> bool) -> Option<Token<'_>> {
        loop {
            if give_up() {
                return None;
            }
            if let Some(t) = self.try_acquire() {
                return Some(t);
            }
            std::thread::sleep(POLL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makeflags_forms() {
        assert_eq!(
            parse_makeflags(" -j4 --jobserver-auth=3,4"),
            Some(Auth::Fds(3, 4))
        );
        assert_eq!(
            parse_makeflags("-j --jobserver-fds=5,6"),
            Some(Auth::Fds(5, 6))
        );
        assert_eq!(
            parse_makeflags("-j8 --jobserver-auth=fifo:/tmp/GMfifo1"),
            Some(Auth::Fifo("/tmp/GMfifo1".into()))
        );
        assert_eq!(parse_makeflags("-k"), None);
    }

    #[cfg(unix)]
    #[test]
    fn tokens_come_from_a_fifo_and_go_back() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(ok.success());
        let js = Jobserver {
            file: open_fifo(&fifo).unwrap(),
        };
        // No token: no wait past the moment it is not wanted.
        assert!(js.try_acquire().is_none());
        let mut asked = 0;
        assert!(js
            .acquire_until(|| {
                asked += 1;
                asked > 3
            })
            .is_none());
        (&js.file).write_all(b"ab").unwrap();
        let t1 = js.try_acquire().unwrap();
        let t2 = js.acquire_until(|| false).unwrap();
        let mut got = vec![t1.byte, t2.byte];
        got.sort();
        assert_eq!(got, b"ab");
        assert!(js.try_acquire().is_none());
        drop((t1, t2));
        let mut back = [0u8; 2];
        (&js.file).read_exact(&mut back).unwrap();
        back.sort();
        assert_eq!(&back, b"ab", "both tokens went back");
        assert!(open_fifo(&dir.path().join("nope")).is_none());
    }
}
