//! The incremental-build state kept in the out dir: what each output was built from.
//!
//! An output is up to date when its source bytes hash the same (blake3), it was built with the
//! same profile, mpyc version and names, and the file is still there with the recorded size.
//! A missing or unreadable state file just means everything is rebuilt.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::diag::Diagnostic;

/// The state file's name inside the out dir.
pub const FILE_NAME: &str = ".mpyc-state.json";
const FORMAT: u32 = 1;

/// What one output was built from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// blake3 of the input's bytes, hex.
    pub src: String,
    /// The path and source name the compiler was given (they decide qstr numbers).
    pub path: String,
    pub name: String,
    /// Size of the output in bytes.
    pub len: u64,
    /// Why it failed, when it did for a reason only a change of source or profile can cure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Diagnostic>,
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
}

impl State {
    pub fn new(profile: &str) -> State {
        State {
            format: FORMAT,
            mpyc: env!("CARGO_PKG_VERSION").to_string(),
            profile: profile.to_string(),
            entries: BTreeMap::new(),
        }
    }

    /// Reads the previous state. Returns `(outputs it recorded, entries still valid)`: when the
    /// profile or mpyc version changed the entries no longer count, but the recorded outputs are
    /// still known (so outputs whose source vanished can be removed). Entries of failures
    /// record no output (the build that met the failure removed the one before), so they are
    /// not among the outputs.
    pub fn load(out_dir: &Path, profile: &str) -> (Vec<String>, BTreeMap<String, Entry>) {
        let Ok(bytes) = std::fs::read(out_dir.join(FILE_NAME)) else {
            return (Vec::new(), BTreeMap::new());
        };
        let Ok(old) = serde_json::from_slice::<State>(&bytes) else {
            return (Vec::new(), BTreeMap::new());
        };
        let recorded: Vec<String> = old
            .entries
            .iter()
            .filter(|(_, e)| e.error.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        if old.format != FORMAT || old.mpyc != env!("CARGO_PKG_VERSION") || old.profile != profile {
            return (recorded, BTreeMap::new());
        }
        (recorded, old.entries)
    }

    /// Serialised form (stable: keys sorted).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// Whether a recorded output path is safe to delete inside the out dir (relative, no `..`).
pub fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains(':')
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
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
                error: None,
            },
        );
        s.entries.insert(
            "b.mpy".into(),
            Entry {
                src: "01".into(),
                path: "r/b.py".into(),
                name: "b.py".into(),
                len: 0,
                error: Some(Diagnostic::build_error(
                    "r/b.py".into(),
                    "b.py".into(),
                    "failed".into(),
                )),
            },
        );
        std::fs::write(dir.path().join(FILE_NAME), s.to_bytes()).unwrap();
        let (rec, valid) = State::load(dir.path(), "p1");
        // The failure made no output: nothing of it is to remove.
        assert_eq!(rec, ["a.mpy"]);
        assert_eq!(valid.len(), 2);
        let (rec, valid) = State::load(dir.path(), "p2");
        assert_eq!(rec, ["a.mpy"]);
        assert!(valid.is_empty());
        std::fs::write(dir.path().join(FILE_NAME), b"{ not json").unwrap();
        let (rec, valid) = State::load(dir.path(), "p1");
        assert!(rec.is_empty() && valid.is_empty());
    }

    #[test]
    fn only_plain_relative_paths_are_deleted() {
        assert!(safe_rel("a/b.mpy"));
        assert!(!safe_rel("../x.mpy"));
        assert!(!safe_rel("/etc/x"));
        assert!(!safe_rel("a//b"));
    }
}
