//! One input's work, done on a worker thread: read it (or reuse what the previous build
//! recorded), compile, write the output, and prepare what the main thread needs afterwards:
//! the input's state entry already serialised and its diagnostic already rendered.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use compiler::CompileContext;

use super::cli::MessageFormat;
use super::diag::Diagnostic;
use super::files;
use super::output::{self, OutDir};
use super::prebuilt;
use super::profile::Profile;
use super::state::{self, Entry, Journal, SourceStamp};
use super::walk::{Input, InputKind, Root};

/// The input path given to the compiler, as a Makefile spells `$(DIR)/<rel>`: the root, `/`, rel.
pub fn input_path(root: &[u8], rel: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(root.len() + 1 + rel.len());
    v.extend_from_slice(root);
    v.push(b'/');
    v.extend_from_slice(rel);
    v
}

pub fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What happened to one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Compiled (or checked) now.
    Built,
    UpToDate,
    Failed,
}

/// This input's member of the new state's `entries`.
pub struct Member {
    /// `"<out_rel>":{...}`, as the state file holds it ([`state::member_json`]); `None` when
    /// the entry is the same as before (a no-op build then serialises nothing).
    pub json: Option<String>,
    /// The entry records no failure (its output exists).
    pub ok: bool,
    /// The entry equals the one the state file already holds for this output.
    pub same: bool,
}

/// One input, done.
pub struct Done {
    pub input: Input,
    /// The output's path below the out dir as the key of its state entry ([`state::rel_key`]).
    pub out_rel: String,
    pub kind: Kind,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Its entry in the new state: none for a failure that needs another try, and none at all
    /// when no state is kept (`--check`).
    pub member: Option<Member>,
    /// What the report prints for it: its diagnostic (with a final newline in JSON form), after
    /// the `--explain` line saying why it was compiled; empty if neither.
    pub diag: String,
    /// It failed for a reason outside its source and profile (reading, writing): its old
    /// output, if any, is left as it was.
    pub transient: bool,
    /// Why it was compiled again (under `--explain`): new, source changed, profile changed,
    /// output missing or altered, forced.
    pub why: Option<&'static str>,
}

/// What every input's work shares.
pub struct Job<'a> {
    pub roots: &'a [Root],
    pub profile: &'a Profile,
    pub valid: &'a BTreeMap<String, Entry>,
    pub force: bool,
    pub check: bool,
    /// The out dir, when outputs go there (not under `--check`, nor into a staging folder).
    pub out: Option<&'a OutDir>,
    /// The staging folder of a build into a new out dir: outputs go straight into it (see
    /// [`output::Staging`]), with nothing there to compare with.
    pub staging: Option<&'a Path>,
    /// Where outputs the previous state does not list are noted before they are written.
    pub journal: Option<&'a Journal<'a>>,
    /// When the build started (ns since the epoch): sources with a later mtime get no stamp.
    pub started_ns: u64,
    pub message_format: MessageFormat,
    /// Note why each input is compiled ([`Done::why`]).
    pub explain: bool,
    /// Why the previous state's entries do not count (see [`state::Loaded::outdated`]).
    pub outdated: Option<&'static str>,
}

/// Reads a file through one open handle, with its stamp taken from that handle before reading.
///
/// A regular file is read into `buf`, in one `read` of the size `stat` gave as a rule, with no
/// further `read` to meet its end (std's `read_to_end` makes one more and `stat`s again; over a
/// `Take` it reads 8 KiB, then 16 KiB, ...). `buf` belongs to the worker and its initialised
/// length only grows, so a source costs no allocation and no zeroing of its own. A file
/// written meanwhile has an mtime after the build's start, so its stamp is not recorded (see
/// `SourceStamp::settled`) and the next build reads it again.
pub fn read_stamped<'b>(
    path: &Path,
    buf: &'b mut Vec<u8>,
) -> std::io::Result<(Cow<'b, [u8]>, Option<SourceStamp>)> {
    use std::io::Read;
    let (mut f, meta) = files::open_regular(path, files::SOURCE_CAP)?;
    let stamp = SourceStamp::of(&meta);
    // At most the cap (checked above), so it fits in memory and in `usize`.
    let len = usize::try_from(meta.len()).unwrap_or(0);
    if buf.len() < len {
        buf.resize(len, 0);
    }
    let mut filled = 0;
    while filled < len {
        match f.read(&mut buf[filled..len]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((Cow::Borrowed(&buf[..filled]), stamp))
}

enum CompileFailure {
    Py(mpcore::PyException),
    Other(String),
}

/// Compiles one `.py` through the shared [`crate::compile_to_mpy`] in the worker's compile
/// context `ctx`, guarding against a panic in the compiler.
fn compile_one(
    ctx: &mut CompileContext,
    source: &[u8],
    path: &[u8],
    name: &[u8],
    profile: &Profile,
) -> Result<Vec<u8>, CompileFailure> {
    let names = compiler::SourceNames {
        path,
        source_name: Some(name),
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::compile_for_release(ctx, source, names, &profile.options, &profile.v6)
    }));
    match result {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(crate::CompileError::Py(e))) => Err(CompileFailure::Py(e)),
        Ok(Err(e)) => Err(CompileFailure::Other(e.to_string())),
        Err(_) => {
            // The context of a compilation cut short is not trusted again.
            *ctx = CompileContext::new();
            Err(CompileFailure::Other(
                "internal error: the compiler panicked on this file".into(),
            ))
        }
    }
}

/// The names one input is shown and compiled under.
struct Names {
    /// `<root>/<rel>`: the path given to the compiler.
    path: Vec<u8>,
    file_shown: String,
    name_shown: String,
}

impl Job<'_> {
    /// Does one input. `clash_with` names the earlier input that makes the same output (then
    /// this one fails); `buf` is the worker's read buffer and `ctx` its compile context.
    pub fn run(
        &self,
        input: Input,
        clash_with: Option<&str>,
        buf: &mut Vec<u8>,
        ctx: &mut CompileContext,
    ) -> Done {
        let out_rel = state::rel_key(input.out_rel());
        let path = self.roots[input.root].input_path(&input.rel);
        let names = Names {
            file_shown: lossy(&path),
            name_shown: lossy(&input.rel),
            path,
        };
        let mut done = Done {
            input,
            out_rel,
            kind: Kind::Failed,
            bytes_in: 0,
            bytes_out: 0,
            member: None,
            diag: String::new(),
            transient: false,
            why: None,
        };
        if let Some(other) = clash_with {
            let msg = format!(
                "its output `{}` is also made from `{other}`",
                state::key_shown(&done.out_rel)
            );
            let diag = Diagnostic::build_error(names.file_shown, names.name_shown, msg);
            self.fail(&mut done, &diag);
            return done;
        }
        let file_shown = self.explain.then(|| names.file_shown.clone());
        self.work(&mut done, names, buf, ctx);
        if let (Some(why), Some(file)) = (done.why, file_shown) {
            let line = match self.message_format {
                MessageFormat::Human => format!("rebuilt {file}: {why}\n"),
                MessageFormat::Json => format!(
                    "{}\n",
                    serde_json::json!({"type": "rebuilt", "file": file, "why": why})
                ),
            };
            done.diag.insert_str(0, &line);
        }
        done
    }

    fn work(&self, done: &mut Done, names: Names, buf: &mut Vec<u8>, ctx: &mut CompileContext) {
        let incremental = !self.force && !self.check;
        let old = if incremental {
            self.valid
                .get(&done.out_rel)
                .filter(|old| old.path == names.file_shown && old.name == names.name_shown)
        } else {
            None
        };
        // With a previous entry, an unchanged stamp settles it: one `stat`, no read.
        if let Some(old) = old {
            let stamp = std::fs::metadata(&done.input.file)
                .ok()
                .and_then(|m| SourceStamp::of(&m));
            if let Some(stamp) = stamp.filter(|s| old.stamp.as_ref() == Some(s)) {
                if self.reuse(done, old, stamp.size) {
                    return;
                }
            }
        }
        // The stamp is taken from the open file before its bytes are read, so the bytes are at
        // least as new as the stamp.
        let (source, stamp) = match read_stamped(&done.input.file, buf) {
            Ok(read) => read,
            Err(e) => {
                let diag = Diagnostic::build_error(
                    names.file_shown,
                    names.name_shown,
                    format!("cannot read: {e}"),
                );
                done.transient = true;
                return self.fail(done, &diag);
            }
        };
        let bytes_in = source.len() as u64;
        let src = state::content_hash(&source);
        let stamp = stamp.filter(|s| s.settled(self.started_ns));
        if let Some(old) = old.filter(|old| old.src == src) {
            let renewed = Entry {
                stamp: stamp.clone(),
                ..old.clone()
            };
            if self.reuse(done, &renewed, bytes_in) {
                return;
            }
        }
        if self.explain {
            done.why = Some(self.why(old, &src, &done.out_rel));
        }
        let entry = Entry {
            src,
            path: names.file_shown,
            name: names.name_shown,
            len: 0,
            out: String::new(),
            error: None,
            stamp,
            out_stamp: None,
        };
        let bytes: Cow<[u8]> = match done.input.kind {
            InputKind::Py => {
                match compile_one(ctx, &source, &names.path, &done.input.rel, self.profile) {
                    Ok(b) => Cow::Owned(b),
                    Err(CompileFailure::Py(e)) => {
                        let mut diag = Diagnostic::from_exception(
                            entry.path.clone(),
                            entry.name.clone(),
                            &e,
                            &source,
                        );
                        if !self.profile.options.target.unicode {
                            diag.explain_no_unicode();
                        }
                        return self.failed_for_good(done, diag, entry);
                    }
                    Err(CompileFailure::Other(m)) => {
                        let diag = Diagnostic::build_error(entry.path, entry.name, m);
                        return self.fail(done, &diag);
                    }
                }
            }
            InputKind::Mpy => {
                if let Err(m) = prebuilt::check(&source, self.profile) {
                    let diag = Diagnostic::build_error(entry.path.clone(), entry.name.clone(), m);
                    return self.failed_for_good(done, diag, entry);
                }
                Cow::Borrowed(&source[..])
            }
        };
        let bytes_out = bytes.len() as u64;
        let mut out_stamp = None;
        if !self.check {
            let rel = &done.out_rel;
            let written = match (self.staging, self.out) {
                (Some(staging), _) => {
                    let path = staging.join(state::path_of(&done.input.out_rel()));
                    output::write_direct(&path, &bytes)
                }
                (None, Some(out)) => self
                    .journal
                    .map_or(Ok(()), |j| j.note(rel))
                    .and_then(|()| out.write(rel, &bytes)),
                (None, None) => Ok(None),
            };
            match written {
                Ok(stamp) => out_stamp = stamp,
                Err(e) => {
                    let msg = format!("cannot write output `{}`: {e}", state::key_shown(rel));
                    let diag = Diagnostic::build_error(entry.path, entry.name, msg);
                    done.transient = true;
                    return self.fail(done, &diag);
                }
            }
        }
        done.kind = Kind::Built;
        done.bytes_in = bytes_in;
        done.bytes_out = bytes_out;
        self.record(
            done,
            &Entry {
                len: bytes_out,
                out: state::content_hash(&bytes),
                out_stamp,
                ..entry
            },
        );
    }

    /// For an input known to be unchanged since `old` was recorded: its remembered failure, or
    /// up to date when its output still holds the bytes `old` records (its stamp unchanged
    /// since written, or its bytes hashing the same). `false` when the output must be made again.
    fn reuse(&self, done: &mut Done, old: &Entry, bytes_in: u64) -> bool {
        if let Some(diag) = &old.error {
            self.record(done, old);
            self.fail(done, diag);
            return true;
        }
        let Some((path, meta)) = self.out.and_then(|o| o.existing(&done.out_rel)) else {
            return false;
        };
        if meta.len() != old.len {
            return false;
        }
        let stamp = SourceStamp::of(&meta);
        let entry = if stamp.is_some() && stamp == old.out_stamp {
            Cow::Borrowed(old)
        } else {
            match files::read_regular(&path, files::SOURCE_CAP) {
                Ok(bytes) if state::content_hash(&bytes) == old.out => Cow::Owned(Entry {
                    out_stamp: stamp,
                    ..old.clone()
                }),
                _ => return false,
            }
        };
        done.kind = Kind::UpToDate;
        done.bytes_in = bytes_in;
        done.bytes_out = old.len;
        self.record(done, &entry);
        true
    }

    /// Why an input about to be compiled is not up to date: `old` is its previous entry (when
    /// made under the same names), `src` its source's hash now.
    fn why(&self, old: Option<&Entry>, src: &str, out_rel: &str) -> &'static str {
        if self.check {
            return "checking";
        }
        if self.force {
            return "forced (--force)";
        }
        match old {
            None if self.valid.contains_key(out_rel) => "source path changed",
            None => self.outdated.unwrap_or("new"),
            Some(old) if old.src != src => "source changed",
            Some(_) if self.out.and_then(|o| o.existing(out_rel)).is_none() => "output missing",
            Some(_) => "output altered",
        }
    }

    /// A failure that depends only on the input's bytes and the profile: remembered in the state.
    fn failed_for_good(&self, done: &mut Done, diag: Diagnostic, entry: Entry) {
        let entry = Entry {
            error: Some(diag),
            ..entry
        };
        self.record(done, &entry);
        if let Some(diag) = &entry.error {
            self.fail(done, diag);
        }
    }

    /// Marks the input failed with `diag`, rendered for the report.
    fn fail(&self, done: &mut Done, diag: &Diagnostic) {
        done.kind = Kind::Failed;
        done.diag = match self.message_format {
            MessageFormat::Human => diag.render_human(),
            MessageFormat::Json => {
                let mut line = diag.render_json();
                line.push('\n');
                line
            }
        };
    }

    /// Sets the input's entry in the new state (none is kept under `--check`).
    fn record(&self, done: &mut Done, entry: &Entry) {
        if self.check {
            return;
        }
        let same = self.valid.get(&done.out_rel) == Some(entry);
        done.member = Some(Member {
            json: (!same).then(|| state::member_json(&done.out_rel, entry)),
            ok: entry.error.is_none(),
            same,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_paths_join_root_and_rel() {
        assert_eq!(input_path(b".", b"a.py"), b"./a.py");
        assert_eq!(input_path(b"", b"a.py"), b"/a.py");
        assert_eq!(input_path(b"src", b"p/m.py"), b"src/p/m.py");
    }

    #[test]
    fn a_source_is_read_whole_into_the_reused_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.py");
        let small = dir.path().join("small.py");
        let empty = dir.path().join("empty.py");
        let text: Vec<u8> = (0..20_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&big, &text).unwrap();
        std::fs::write(&small, b"x = 1\n").unwrap();
        std::fs::write(&empty, b"").unwrap();
        let mut buf = Vec::new();
        let (bytes, stamp) = read_stamped(&big, &mut buf).unwrap();
        assert_eq!(&bytes[..], &text[..]);
        assert_eq!(stamp.unwrap().size, 20_000);
        // A smaller file after a larger one: only its own bytes.
        let (bytes, _) = read_stamped(&small, &mut buf).unwrap();
        assert_eq!(&bytes[..], b"x = 1\n");
        assert_eq!(buf.len(), 20_000, "the buffer is kept, not shrunk");
        let (bytes, stamp) = read_stamped(&empty, &mut buf).unwrap();
        assert!(bytes.is_empty());
        assert_eq!(stamp.unwrap().size, 0);
        assert!(read_stamped(&dir.path().join("missing.py"), &mut buf).is_err());
    }
}
