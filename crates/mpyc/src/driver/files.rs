//! Reading the files a build is handed (sources, the state, the journal, profiles, the project
//! file): regular files only, opened without blocking (a FIFO never hangs the build) and read up
//! to a size cap (a link to `/dev/zero` never exhausts memory), each refusal a clear error.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest state file or journal read (the stdlib's state is about half a megabyte).
pub const STATE_CAP: u64 = 256 << 20;
/// The largest source, prebuilt `.mpy`, profile or project file read.
pub const SOURCE_CAP: u64 = 64 << 20;

/// Opens `path` for reading without blocking on a FIFO or device, and checks it is a regular
/// file of at most `cap` bytes. Returns the file and its metadata (taken from the open handle).
pub fn open_regular(path: &Path, cap: u64) -> io::Result<(File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let f = options.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(
            "not a regular file (mpyc reads only regular files)",
        ));
    }
    if meta.len() > cap {
        return Err(too_big(cap));
    }
    Ok((f, meta))
}

fn too_big(cap: u64) -> io::Error {
    io::Error::other(format!("larger than mpyc's limit of {} MiB", cap >> 20))
}

/// Reads a whole regular file of at most `cap` bytes (see [`open_regular`]); a file that grows
/// past the cap while being read is refused too.
pub fn read_regular(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let (f, meta) = open_regular(path, cap)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    f.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big(cap));
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text.
pub fn read_regular_text(path: &Path, cap: u64) -> io::Result<String> {
    String::from_utf8(read_regular(path, cap)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.py");
        std::fs::write(&f, b"x = 1\n").unwrap();
        assert_eq!(read_regular(&f, 100).unwrap(), b"x = 1\n");
        let e = read_regular(&f, 3).unwrap_err();
        assert_eq!(e.to_string(), "larger than mpyc's limit of 0 MiB");
        let e = read_regular(dir.path(), 100).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        #[cfg(unix)]
        {
            let e = read_regular(Path::new("/dev/zero"), 100).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
            let fifo = dir.path().join("fifo.py");
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap();
            assert!(made.success());
            // Opening a FIFO with no writer would block without O_NONBLOCK.
            let e = read_regular(&fifo, 100).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }
}
