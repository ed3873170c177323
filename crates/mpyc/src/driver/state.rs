//! The incremental-build state kept in the out dir: what each output was built from.
//!
//! An output is up to date when its source bytes hash the same (XXH3-128, see [`content_hash`]),
//! it was built with the same profile, mpyc version and names, and the output file still holds
//! the bytes that build made: its stamp is the one recorded after the write, or its bytes hash
//! to the recorded output hash. So outputs changed by anything else (an interrupted build with
//! another profile, a person) are never taken as up to date. A missing or unreadable state file
//! just means everything is rebuilt.
//!
//! The state file is replaced whole at the end of a build. Until then, a build that writes an
//! output the state does not list first notes it in the journal (see [`Journal`]), so an
//! interrupted build leaves every output it may have made known to the next one (to remove
//! when its source is gone). Outputs known but not vouched for are listed in [`State::kept`].
//!
//! Each entry may also carry the source's [`SourceStamp`] (size, mtime, ctime, inode): a source
//! whose stamp is unchanged is taken as unchanged without being read (the make/cargo/git rule).
//! A stamp is only recorded when the file's mtime is older than the build's start by
//! [`RACY_NS`], so a write landing in the same timestamp tick as the build is never missed.
//! Files of formats 1 to 3 (no output hashes) only say which outputs exist: their sources are
//! compiled once more and the outputs rewritten only where their bytes differ.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::diag::Diagnostic;

/// The state file's name inside the out dir.
pub const FILE_NAME: &str = ".mpyc-state.json";
/// The journal's name inside the out dir.
pub const JOURNAL_NAME: &str = ".mpyc-journal";
/// Format 2 added [`Entry::stamp`]. Format 3 changed the hash of [`Entry::src`] from blake3 to
/// XXH3-128 (a tenth of the cost on a cold build). Format 4 added [`Entry::out`],
/// [`Entry::out_stamp`] and [`State::kept`].
const FORMAT: u32 = 4;
/// The oldest format whose entries are still valid.
const OLDEST_FORMAT: u32 = 4;
/// The oldest format whose list of outputs is still read.
const OLDEST_READ: u32 = 1;

/// How much older than the build's start a source's times must be for its stamp to be trusted
/// next time: covers coarse timestamp ticks (FAT keeps 2 s) and a write racing the build.
pub const RACY_NS: u64 = 2_000_000_000;

/// What `stat` says of a source; equal stamps mean unchanged bytes without reading them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// Status-change time (ns since the epoch; 0 where the platform has none): moves on any
    /// write, even one that sets the mtime back.
    #[serde(default)]
    pub ctime_ns: u64,
    /// Inode number (0 where the platform has none): a file replaced by another differs.
    #[serde(default)]
    pub ino: u64,
}

impl SourceStamp {
    /// The stamp of a regular file, or `None` (so it is hashed) when a time is before the epoch.
    pub fn of(meta: &std::fs::Metadata) -> Option<SourceStamp> {
        let mtime_ns = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| u64::try_from(d.as_nanos()).ok())?;
        #[cfg(unix)]
        let (ctime_ns, ino) = {
            use std::os::unix::fs::MetadataExt;
            let ctime = u64::try_from(meta.ctime())
                .ok()?
                .checked_mul(1_000_000_000)?
                .checked_add(u64::try_from(meta.ctime_nsec()).ok()?)?;
            (ctime, meta.ino())
        };
        #[cfg(not(unix))]
        let (ctime_ns, ino) = (0, 0);
        Some(SourceStamp {
            size: meta.len(),
            mtime_ns,
            ctime_ns,
            ino,
        })
    }

    /// Whether the file's mtime is far enough before `start_ns` for the stamp to be trusted (a
    /// write after the stat then always gets a later mtime, whatever the timestamp tick).
    pub fn settled(&self, start_ns: u64) -> bool {
        self.mtime_ns.saturating_add(RACY_NS) <= start_ns
    }
}

/// The content hash recorded for a source or an output: XXH3-128 as 32 hex digits. Change
/// detection in one's own tree needs no cryptographic hash.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Now, in nanoseconds since the Unix epoch (0 if the clock is before it: no stamp is settled).
pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

/// What one output was built from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// [`source_hash`] of the input's bytes.
    pub src: String,
    /// The path and source name the compiler was given (they decide qstr numbers).
    pub path: String,
    pub name: String,
    /// Size of the output in bytes.
    pub len: u64,
    /// [`content_hash`] of the output's bytes (empty for a failure).
    #[serde(default)]
    pub out: String,
    /// Why it failed, when it did for a reason only a change of source or profile can cure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Diagnostic>,
    /// The source's stamp when it was hashed, if settled (see [`SourceStamp::settled`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<SourceStamp>,
    /// The output file's stamp right after this build wrote (or checked) it: while it holds,
    /// the file still has the bytes hashed in [`Entry::out`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_stamp: Option<SourceStamp>,
}

/// The whole state file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub format: u32,
    /// mpyc version that wrote the outputs.
    pub mpyc: String,
    /// [`super::profile::Profile::fingerprint`] of the profile they were built with.
    pub profile: String,
    /// Keyed by output path relative to the out dir, `/`-separated.
    pub entries: BTreeMap<String, Entry>,
    /// Outputs that may be in the out dir without an entry vouching for them (a write that
    /// failed, a removal that failed): removed once their source is gone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
}

/// What [`State::load`] found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every output the previous builds may have left (entries with an output, the kept list,
    /// the journal): the candidates for removal once their source is gone.
    pub recorded: BTreeSet<String>,
    /// The entries still valid for this profile and mpyc version.
    pub valid: BTreeMap<String, Entry>,
    /// The file is in the current format with nothing kept and no journal beside it: a build
    /// whose entries come out equal to the valid ones need not write it again.
    pub current: bool,
    /// A journal was found (to be removed once the new state is saved).
    pub journal: bool,
    /// Why the state file was ignored, if it was there but unusable.
    pub warning: Option<String>,
    /// Why a readable state's entries are not valid for this build (`--explain`'s reason for
    /// every input): another profile, another mpyc, an old format.
    pub outdated: Option<&'static str>,
}

impl State {
    #[cfg(test)]
    pub fn new(profile: &str) -> State {
        State {
            format: FORMAT,
            mpyc: env!("CARGO_PKG_VERSION").to_string(),
            profile: profile.to_string(),
            entries: BTreeMap::new(),
            kept: Vec::new(),
        }
    }

    /// Reads the previous state and journal in `out_dir`. When the profile or mpyc version
    /// changed the entries no longer count, but the recorded outputs are still known (so
    /// outputs whose source vanished can be removed). Entries of failures record no output
    /// (the build that met the failure removed the one before), so they are not among the
    /// outputs.
    pub fn load(out_dir: &Path, profile: &str) -> Loaded {
        let mut loaded = Loaded::default();
        let journal = out_dir.join(JOURNAL_NAME);
        match super::files::read_regular(&journal, super::files::STATE_CAP) {
            Ok(bytes) => {
                loaded.journal = true;
                for line in bytes.split(|&b| b == b'\n') {
                    if let Ok(rel) = serde_json::from_slice::<String>(line) {
                        loaded.recorded.insert(rel);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                loaded.journal = true;
                loaded.warning = Some(format!("ignoring the journal `{}`: {e}", journal.display()));
            }
        }
        let path = out_dir.join(FILE_NAME);
        let bytes = match super::files::read_regular(&path, super::files::STATE_CAP) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return loaded,
            Err(e) => {
                loaded.warning = Some(format!(
                    "ignoring the build state `{}`: {e}",
                    path.display()
                ));
                return loaded;
            }
        };
        let old = match serde_json::from_slice::<State>(&bytes) {
            Ok(old) if (OLDEST_READ..=FORMAT).contains(&old.format) => old,
            Ok(old) => {
                loaded.warning = Some(format!(
                    "ignoring the build state `{}`: format {} is not one this mpyc reads",
                    path.display(),
                    old.format
                ));
                return loaded;
            }
            Err(e) => {
                loaded.warning = Some(format!(
                    "ignoring the build state `{}`: {e}",
                    path.display()
                ));
                return loaded;
            }
        };
        loaded.recorded.extend(
            old.entries
                .iter()
                .filter(|(_, e)| e.error.is_none())
                .map(|(k, _)| k.clone()),
        );
        loaded.recorded.extend(old.kept.iter().cloned());
        loaded.outdated = if old.profile != profile {
            Some("profile changed")
        } else if old.mpyc != env!("CARGO_PKG_VERSION") {
            Some("mpyc version changed")
        } else if old.format < OLDEST_FORMAT {
            Some("build state format changed")
        } else {
            None
        };
        if loaded.outdated.is_some() {
            return loaded;
        }
        loaded.current = old.format == FORMAT && old.kept.is_empty() && !loaded.journal;
        loaded.valid = old.entries;
        loaded
    }

    /// Serialised form (stable: keys sorted), as [`file_bytes`] writes it.
    #[cfg(test)]
    pub fn to_bytes(&self) -> Vec<u8> {
        let members: Vec<String> = self
            .entries
            .iter()
            .map(|(k, e)| member_json(k, e))
            .collect();
        file_bytes(&self.profile, &members, &self.kept)
    }
}

/// One member of the state's `entries` map as the file holds it: `"<out_rel>":{...}`, what
/// serde_json writes for it. Each input's worker writes its own, so the main thread only joins
/// them ([`file_bytes`]).
pub fn member_json(out_rel: &str, entry: &Entry) -> String {
    let mut v = Vec::with_capacity(out_rel.len() + entry.path.len() + entry.name.len() + 256);
    // Strings and integers only: serialising them cannot fail.
    let _ = serde_json::to_writer(&mut v, out_rel);
    v.push(b':');
    let _ = serde_json::to_writer(&mut v, entry);
    String::from_utf8(v).unwrap_or_default()
}

/// Puts `(out_rel, member)` pairs given in input order into the state's order: by key, and of
/// members with equal keys only the last, as when inserting them into a map one by one.
pub fn in_key_order<M>(mut members: Vec<(&str, M)>) -> Vec<(&str, M)> {
    // Stable, and cheap on a walk's order (sorted but for `.` before `/`, and for roots).
    members.sort_by(|a, b| a.0.cmp(b.0));
    let mut kept: Vec<(&str, M)> = Vec::with_capacity(members.len());
    for m in members {
        match kept.last_mut() {
            Some(last) if last.0 == m.0 => *last = m,
            _ => kept.push(m),
        }
    }
    kept
}

/// The state file for `profile` holding `members` ([`member_json`]s in key order): byte for
/// byte what serialising a [`State`] with those entries gives. Compact JSON: for a large tree
/// the pretty form is half again as big and slower to write, and the file is for mpyc, not for
/// reading.
pub fn file_bytes<S: AsRef<str>>(profile: &str, members: &[S], kept: &[String]) -> Vec<u8> {
    let head = file_head(profile);
    let body: usize = members.iter().map(|j| j.as_ref().len() + 1).sum();
    let mut v = Vec::with_capacity(head.len() + body + FILE_TAIL.len());
    v.extend_from_slice(head.as_bytes());
    for (i, json) in members.iter().enumerate() {
        if i > 0 {
            v.push(b',');
        }
        v.extend_from_slice(json.as_ref().as_bytes());
    }
    if kept.is_empty() {
        v.extend_from_slice(FILE_TAIL);
    } else {
        v.extend_from_slice(b"},\"kept\":");
        v.extend_from_slice(serde_json::Value::from(kept).to_string().as_bytes());
        v.extend_from_slice(b"}\n");
    }
    v
}

/// Writes [`file_bytes`] into a new file at `path` straight from the members, a thousand at a
/// time (`writev`): no joined copy of the whole file is made first (for the stdlib that copy,
/// page faults included, cost as much as the write). A failed write removes the file.
pub fn write_new_file<S: AsRef<str>>(path: &Path, profile: &str, members: &[S]) -> io::Result<()> {
    let written = write_new_file_unchecked(path, profile, members);
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

fn write_new_file_unchecked<S: AsRef<str>>(
    path: &Path,
    profile: &str,
    members: &[S],
) -> io::Result<()> {
    use std::io::IoSlice;
    let head = file_head(profile);
    let mut slices = Vec::with_capacity(2 * members.len() + 2);
    slices.push(IoSlice::new(head.as_bytes()));
    for (i, json) in members.iter().enumerate() {
        if i > 0 {
            slices.push(IoSlice::new(b","));
        }
        slices.push(IoSlice::new(json.as_ref().as_bytes()));
    }
    slices.push(IoSlice::new(FILE_TAIL));
    let mut f = std::fs::File::create_new(path)?;
    super::output::check_disk_budget(slices.iter().map(|s| s.len()).sum())?;
    let mut left = &mut slices[..];
    while !left.is_empty() {
        // Below every system's limit on the slices of one call (1024 on Linux).
        let batch = left.len().min(1024);
        match f.write_vectored(&left[..batch]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut left, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The state file up to the first member.
fn file_head(profile: &str) -> String {
    format!(
        "{{\"format\":{FORMAT},\"mpyc\":{},\"profile\":{},\"entries\":{{",
        serde_json::Value::from(env!("CARGO_PKG_VERSION")),
        serde_json::Value::from(profile)
    )
}

/// The state file after the last member.
const FILE_TAIL: &[u8] = b"}}\n";

/// The journal: outputs this build is about to write that the previous state does not list,
/// appended one JSON string per line before each is written, so that a build interrupted
/// before it saves its state leaves them known.
pub struct Journal<'a> {
    path: std::path::PathBuf,
    known: &'a BTreeSet<String>,
    file: Mutex<Option<std::fs::File>>,
    /// Outputs noted by this build (each once).
    noted: Mutex<HashSet<String>>,
}

impl<'a> Journal<'a> {
    /// The journal in `out_dir`; `known` are the outputs the previous state already lists.
    pub fn new(out_dir: &Path, known: &'a BTreeSet<String>) -> Journal<'a> {
        Journal {
            path: out_dir.join(JOURNAL_NAME),
            known,
            file: Mutex::new(None),
            noted: Mutex::new(HashSet::new()),
        }
    }

    /// Notes that output `rel` is about to be written (nothing when already known).
    pub fn note(&self, rel: &str) -> io::Result<()> {
        if self.known.contains(rel) {
            return Ok(());
        }
        if let Ok(mut noted) = self.noted.lock() {
            if !noted.insert(rel.to_string()) {
                return Ok(());
            }
        }
        let mut line = serde_json::Value::from(rel).to_string();
        line.push('\n');
        let mut file = self
            .file
            .lock()
            .map_err(|_| io::Error::other("the journal's lock is poisoned"))?;
        if file.is_none() {
            let mut options = std::fs::OpenOptions::new();
            options.append(true).create(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                // Never appended through a link.
                options.custom_flags(libc::O_NOFOLLOW);
            }
            *file = Some(options.open(&self.path)?);
        }
        super::output::check_disk_budget(line.len())?;
        match file.as_mut() {
            Some(f) => f.write_all(line.as_bytes()),
            None => Ok(()),
        }
    }

    /// Whether this build wrote to the journal.
    pub fn written(&self) -> bool {
        self.file.lock().is_ok_and(|f| f.is_some())
    }
}

/// Marks a key spelling a path that is not UTF-8 (no path holds a NUL, so no other key starts so).
const BYTES_KEY: &str = "\0x";

/// The state's key for an output path below the out dir (`/`-separated bytes): the path itself
/// when it is UTF-8, else a NUL, `x` and its bytes in hex. Names are kept exactly: two sources
/// whose names differ only in bytes that are not UTF-8 never share an output.
pub fn rel_key(rel: Vec<u8>) -> String {
    match String::from_utf8(rel) {
        Ok(s) => s,
        Err(e) => {
            let mut key = String::from(BYTES_KEY);
            for b in e.as_bytes() {
                key.push_str(&format!("{b:02x}"));
            }
            key
        }
    }
}

/// The path bytes a [`rel_key`] stands for (`None` for a malformed one).
pub fn key_bytes(key: &str) -> Option<std::borrow::Cow<'_, [u8]>> {
    let Some(hex) = key.strip_prefix(BYTES_KEY) else {
        return Some(std::borrow::Cow::Borrowed(key.as_bytes()));
    };
    if hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()
        .map(std::borrow::Cow::Owned)
}

/// A path from bytes (as `OsStr::as_encoded_bytes` gave them).
pub fn path_of(bytes: &[u8]) -> std::path::PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        std::path::PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// A key shown to people: the path, lossily decoded.
pub fn key_shown(key: &str) -> String {
    match key_bytes(key) {
        Some(b) => String::from_utf8_lossy(&b).into_owned(),
        None => key.escape_debug().to_string(),
    }
}

/// Whether a recorded output key names a plain path inside the out dir: relative,
/// `/`-separated, no empty, `.` or `..` component, no NUL (on Windows also no `\\` or `:`).
pub fn safe_rel(key: &str) -> bool {
    let Some(rel) = key_bytes(key) else {
        return false;
    };
    let foreign = cfg!(windows) && rel.iter().any(|&b| b == b'\\' || b == b':');
    !rel.is_empty()
        && !rel.starts_with(b"/")
        && !rel.contains(&0)
        && !foreign
        && rel
            .split(|&b| b == b'/')
            .all(|c| !c.is_empty() && c != b"." && c != b"..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_invalidation() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = State::new("p1");
        s.entries.insert(
            "a.mpy".into(),
            Entry {
                src: "00".into(),
                path: "r/a.py".into(),
                name: "a.py".into(),
                len: 9,
                out: "aa".into(),
                error: None,
                stamp: Some(SourceStamp {
                    size: 3,
                    mtime_ns: 5,
                    ctime_ns: 6,
                    ino: 7,
                }),
                out_stamp: None,
            },
        );
        s.entries.insert(
            "b.mpy".into(),
            Entry {
                src: "01".into(),
                path: "r/b.py".into(),
                name: "b.py".into(),
                len: 0,
                out: String::new(),
                error: Some(Diagnostic::build_error(
                    "r/b.py".into(),
                    "b.py".into(),
                    "failed".into(),
                )),
                stamp: None,
                out_stamp: None,
            },
        );
        std::fs::write(dir.path().join(FILE_NAME), s.to_bytes()).unwrap();
        let l = State::load(dir.path(), "p1");
        assert!(l.current);
        // The failure made no output: nothing of it is to remove.
        assert_eq!(l.recorded, BTreeSet::from(["a.mpy".to_string()]));
        assert_eq!(l.valid, s.entries);
        let l = State::load(dir.path(), "p2");
        assert_eq!(l.recorded, BTreeSet::from(["a.mpy".to_string()]));
        assert!(l.valid.is_empty());
        std::fs::write(dir.path().join(FILE_NAME), b"{ not json").unwrap();
        let l = State::load(dir.path(), "p1");
        assert!(l.recorded.is_empty() && l.valid.is_empty());
        assert!(l.warning.unwrap().contains("ignoring the build state"));
        // Kept outputs and the journal's are recorded too, and make the state not current.
        s.kept = vec!["k.mpy".into()];
        std::fs::write(dir.path().join(FILE_NAME), s.to_bytes()).unwrap();
        let known = BTreeSet::new();
        let j = Journal::new(dir.path(), &known);
        j.note("j\n.mpy").unwrap();
        j.note("j\n.mpy").unwrap();
        assert!(j.written());
        let l = State::load(dir.path(), "p1");
        assert!(!l.current && l.journal);
        let want: BTreeSet<String> = ["a.mpy", "j\n.mpy", "k.mpy"].map(String::from).into();
        assert_eq!(l.recorded, want);
    }

    #[test]
    fn joined_members_are_what_serde_writes() {
        let entry = |src: &str, error: Option<Diagnostic>| Entry {
            src: src.into(),
            path: "r/\"q\".py".into(),
            name: "q\u{e9}.py".into(),
            len: 3,
            out: "0f".into(),
            error,
            stamp: Some(SourceStamp {
                size: 3,
                mtime_ns: 1,
                ctime_ns: 2,
                ino: 3,
            }),
            out_stamp: None,
        };
        let mut s = State::new("p\"1");
        let fail = Diagnostic::build_error("a".into(), "b".into(), "c\nd".into());
        s.entries.insert("z.mpy".into(), entry("01", None));
        s.entries.insert("a/b.mpy".into(), entry("02", Some(fail)));
        s.entries.insert("a.mpy".into(), entry("03", None));
        let mut want = serde_json::to_vec(&s).unwrap();
        want.push(b'\n');
        assert_eq!(String::from_utf8(s.to_bytes()), String::from_utf8(want));
        // Walk order, with a key twice: sorted, and the later of the two kept.
        let m: Vec<String> = ["z.mpy", "a/b.mpy", "a.mpy"]
            .iter()
            .map(|k| member_json(k, &s.entries[*k]))
            .collect();
        let dup = member_json("a.mpy", &entry("04", None));
        let members = vec![
            ("a/b.mpy", m[1].as_str()),
            ("a.mpy", dup.as_str()),
            ("z.mpy", m[0].as_str()),
            ("a.mpy", m[2].as_str()),
        ];
        let ordered: Vec<&str> = in_key_order(members).into_iter().map(|m| m.1).collect();
        assert_eq!(file_bytes("p\"1", &ordered, &[]), s.to_bytes());
        let mut empty = State::new("p");
        let mut want = serde_json::to_vec(&empty).unwrap();
        want.push(b'\n');
        assert_eq!(file_bytes::<&str>("p", &[], &[]), want);
        empty.kept = vec!["a\"b.mpy".into(), "c.mpy".into()];
        let mut want = serde_json::to_vec(&empty).unwrap();
        want.push(b'\n');
        assert_eq!(file_bytes::<&str>("p", &[], &empty.kept), want);
    }

    #[test]
    fn a_new_file_is_written_from_the_members_as_joined() {
        let dir = tempfile::tempdir().unwrap();
        let members: Vec<String> = (0..2500)
            .map(|i| format!("\"m{i}.mpy\":{{\"src\":\"{}\"}}", "ab".repeat(i % 50)))
            .collect();
        for n in [0, 1, 2, 1023, 1024, 2500] {
            let path = dir.path().join(format!("s{n}.json"));
            write_new_file(&path, "p", &members[..n]).unwrap();
            assert_eq!(
                std::fs::read(&path).unwrap(),
                file_bytes("p", &members[..n], &[]),
                "{n} members"
            );
        }
    }

    #[test]
    fn older_formats_only_list_their_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let old = format!(
            r#"{{"format": 1, "mpyc": "{}", "profile": "p1", "entries": {{
                "a.mpy": {{"src": "00", "path": "r/a.py", "name": "a.py", "len": 9}}}}}}"#,
            env!("CARGO_PKG_VERSION")
        );
        std::fs::write(dir.path().join(FILE_NAME), old).unwrap();
        let l = State::load(dir.path(), "p1");
        assert!(!l.current, "a format 1 file is to be rewritten");
        assert_eq!(l.recorded, BTreeSet::from(["a.mpy".to_string()]));
        assert!(l.valid.is_empty(), "no output hash: nothing is vouched for");
        // A format from a later mpyc is not trusted.
        std::fs::write(
            dir.path().join(FILE_NAME),
            State {
                format: FORMAT + 1,
                ..State::new("p1")
            }
            .to_bytes(),
        )
        .unwrap();
        assert!(State::load(dir.path(), "p1").valid.is_empty());
    }

    #[test]
    fn stamps_settle_only_well_before_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.py");
        std::fs::write(&f, b"x = 1\n").unwrap();
        let st = SourceStamp::of(&std::fs::metadata(&f).unwrap()).unwrap();
        assert_eq!(st.size, 6);
        let now = now_ns();
        assert!(!st.settled(now), "just written: must be hashed next time");
        assert!(st.settled(now + RACY_NS + 1_000_000_000));
    }

    #[test]
    fn only_plain_relative_paths_are_deleted() {
        assert!(safe_rel("a/b.mpy"));
        assert!(!safe_rel("../x.mpy"));
        assert!(!safe_rel("/etc/x"));
        assert!(!safe_rel("a//b"));
        assert!(!safe_rel("a/./b") && !safe_rel("a\0b"));
        // Names that are not UTF-8 have keys of their own, and are plain paths too.
        let (a, b) = (
            rel_key(b"p/\xff\xfe.mpy".to_vec()),
            rel_key(b"p/\xfe\xff.mpy".to_vec()),
        );
        assert_ne!(a, b);
        assert_eq!(key_bytes(&a).unwrap(), &b"p/\xff\xfe.mpy"[..]);
        assert_eq!(rel_key(b"ok.mpy".to_vec()), "ok.mpy");
        assert!(safe_rel(&a) && !safe_rel(&rel_key(b"../\xff".to_vec())));
        assert!(!safe_rel("\0xf") && !safe_rel("\0xzz"));
        assert_eq!(safe_rel("a:b/c\\d.mpy"), !cfg!(windows));
    }
}
