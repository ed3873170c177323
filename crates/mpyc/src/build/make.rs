//! Working under make: a GNU make jobserver client.
//!
//! The jobserver client speaks make's protocol itself (one byte read from the jobserver pipe per
//! job beyond the first, written back when the job ends) instead of using the `jobserver` crate,
//! whose entry points are `unsafe` and this workspace forbids unsafe code. The inherited pipe is
//! reached through `/proc/self/fd/N` (Linux), or the named FIFO of make 4.4's `fifo:` style.
//! Anywhere else, or when make did not pass the jobserver on (a rule without `+`), the build
//! just uses `-j` / all cores.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// A connection to make's jobserver.
pub struct Jobserver {
    pipe: Mutex<std::fs::File>,
    reader: Mutex<std::fs::File>,
    /// The token every process holds implicitly; one job at a time runs on it.
    implicit_free: AtomicBool,
}

/// A job slot; returned to make when dropped.
pub struct Token<'a> {
    server: &'a Jobserver,
    /// `None` for the implicit token.
    byte: Option<u8>,
}

impl Drop for Token<'_> {
    fn drop(&mut self) {
        match self.byte {
            None => self.server.implicit_free.store(true, Ordering::Release),
            Some(b) => {
                if let Ok(mut p) = self.server.pipe.lock() {
                    let _ = p.write_all(&[b]);
                }
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

fn open_rw(path: &Path) -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let meta = std::fs::metadata(path).ok()?;
        if !meta.file_type().is_fifo() {
            return None;
        }
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .ok()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

impl Jobserver {
    /// Connects to the jobserver in `MAKEFLAGS`, if there is one we can reach.
    pub fn from_env() -> Option<Jobserver> {
        let flags = std::env::var("MAKEFLAGS")
            .or_else(|_| std::env::var("MFLAGS"))
            .ok()?;
        let file = match parse_makeflags(&flags)? {
            Auth::Fifo(p) => open_rw(Path::new(&p))?,
            Auth::Fds(r, w) if r >= 0 && w >= 0 => {
                let read_end = open_rw(&Path::new("/proc/self/fd").join(r.to_string()))?;
                // Both ends name the same pipe; check the write end is there too.
                open_rw(&Path::new("/proc/self/fd").join(w.to_string()))?;
                read_end
            }
            Auth::Fds(..) => return None,
        };
        let reader = file.try_clone().ok()?;
        Some(Jobserver {
            pipe: Mutex::new(file),
            reader: Mutex::new(reader),
            implicit_free: AtomicBool::new(true),
        })
    }

    /// Waits for a job slot: the implicit one if free, else a token from make.
    pub fn acquire(&self) -> Token<'_> {
        if self.implicit_free.swap(false, Ordering::AcqRel) {
            return Token {
                server: self,
                byte: None,
            };
        }
        let mut buf = [0u8; 1];
        let got = match self.reader.lock() {
            Ok(mut r) => loop {
                match r.read(&mut buf) {
                    Ok(1) => break true,
                    Ok(_) => break false,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break false,
                }
            },
            Err(_) => false,
        };
        if got {
            Token {
                server: self,
                byte: Some(buf[0]),
            }
        } else {
            // The jobserver went away: wait for the implicit slot instead.
            while !self.implicit_free.swap(false, Ordering::AcqRel) {
                std::thread::yield_now();
            }
            Token {
                server: self,
                byte: None,
            }
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

    #[cfg(target_os = "linux")]
    #[test]
    fn tokens_come_from_a_fifo_and_go_back() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(ok.success());
        let f = open_rw(&fifo).unwrap();
        (&f).write_all(b"ab").unwrap();
        let js = Jobserver {
            reader: Mutex::new(f.try_clone().unwrap()),
            pipe: Mutex::new(f),
            implicit_free: AtomicBool::new(true),
        };
        let t0 = js.acquire();
        assert_eq!(t0.byte, None);
        let t1 = js.acquire();
        let t2 = js.acquire();
        let mut got = vec![t1.byte.unwrap(), t2.byte.unwrap()];
        got.sort();
        assert_eq!(got, b"ab");
        drop((t0, t1, t2));
        let t = js.acquire();
        assert_eq!(t.byte, None);
        let t = js.acquire();
        assert!(t.byte.is_some());
    }
}
