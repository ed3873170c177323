//! The build itself: plan (project, profile, roots, out dir), walk, compile in parallel, then
//! write the state, remove stale outputs, write the depfile and report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::cli::{BuildArgs, MessageFormat};
use super::diag::Diagnostic;
use super::make::{self, Jobserver};
use super::output;
use super::prebuilt;
use super::profile::{self, Profile};
use super::progress::{self, Progress, Totals};
use super::project::{self, Project};
use super::state::{self, Entry, SourceStamp, State};
use super::walk::{self, Excludes, Input, InputKind, Root};

/// A reason the whole build cannot run.
#[derive(Debug)]
pub enum Fatal {
    /// Bad command line, profile or project file (exit 2).
    Usage(String),
    /// The build could not proceed (exit 1), e.g. an output folder that cannot be created.
    Build(String),
}

/// Everything decided before compiling.
struct Plan {
    profile: Profile,
    roots: Vec<Root>,
    excludes: Excludes,
    out_dir: PathBuf,
    /// Files the outputs depend on besides their sources (project file, user profile).
    config_files: Vec<PathBuf>,
}

/// Drops trailing `/` (keeping a lone `/` as the empty prefix of `/rel`).
fn trim_slashes(b: &[u8]) -> &[u8] {
    let mut end = b.len();
    while end > 0 && b[end - 1] == b'/' {
        end -= 1;
    }
    &b[..end]
}

/// `base/sub` with `.` on either side dropping out.
fn join_spelled(base: &[u8], sub: &[u8]) -> Vec<u8> {
    let base = trim_slashes(base);
    let sub = trim_slashes(sub);
    if sub == b"." || sub.is_empty() {
        return base.to_vec();
    }
    if base == b"." {
        return sub.to_vec();
    }
    let mut v = base.to_vec();
    v.push(b'/');
    v.extend_from_slice(sub);
    v
}

/// The input path given to the compiler, as a Makefile spells `$(DIR)/<rel>`: the root, `/`, rel.
fn input_path(root: &[u8], rel: &[u8]) -> Vec<u8> {
    let mut v = root.to_vec();
    v.push(b'/');
    v.extend_from_slice(rel);
    v
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn plan(args: &BuildArgs) -> Result<Plan, Fatal> {
    let paths: Vec<OsStringPath> = if args.paths.is_empty() {
        vec![OsStringPath::new(OsStr::new("."))]
    } else {
        args.paths.iter().map(|p| OsStringPath::new(p)).collect()
    };
    let project: Option<(OsStringPath, Project)> = match paths.as_slice() {
        [one] if one.path.is_dir() => project::find(&one.path)
            .map_err(|e| Fatal::Usage(e.to_string()))?
            .map(|p| (one.clone(), p)),
        _ => None,
    };
    let mut config_files = Vec::new();

    let profile = match (&args.profile, &project) {
        (Some(spec), _) => profile::resolve(spec),
        (None, Some((dir, proj))) => match &proj.profile {
            Some(spec) if profile::shipped(spec).is_none() => {
                profile::load_file(&dir.path.join(spec))
            }
            Some(spec) => profile::resolve(spec),
            None => profile::resolve("default"),
        },
        (None, None) => profile::resolve("default"),
    }
    .map_err(|e| Fatal::Usage(format!("profile: {e}")))?;
    if let Some(f) = &profile.file {
        config_files.push(f.clone());
    }

    let mut exclude = Vec::new();
    let roots: Vec<Root>;
    let default_out: PathBuf;
    match &project {
        Some((dir, proj)) => {
            config_files.push(proj.file.clone());
            exclude.extend(proj.exclude.iter().cloned());
            let names = if proj.roots.is_empty() {
                vec![".".to_string()]
            } else {
                proj.roots.clone()
            };
            roots = names
                .iter()
                .map(|r| Root {
                    spelled: join_spelled(&dir.spelled, r.as_bytes()),
                    dir: dir.path.join(r),
                })
                .collect();
            default_out = match &proj.out_dir {
                Some(o) => dir.path.join(o),
                None => dir.path.join("build").join(&profile.name),
            };
        }
        None => {
            roots = paths
                .iter()
                .map(|p| Root {
                    spelled: trim_slashes(&p.spelled).to_vec(),
                    dir: p.path.clone(),
                })
                .collect();
            default_out = PathBuf::from("build").join(&profile.name);
        }
    }
    exclude.extend(args.exclude.iter().cloned());
    let excludes = Excludes::new(&exclude).map_err(Fatal::Usage)?;
    let out_dir = args.out_dir.clone().unwrap_or(default_out);
    Ok(Plan {
        profile,
        roots,
        excludes,
        out_dir,
        config_files,
    })
}

/// A path from the command line with its spelling kept as bytes.
#[derive(Clone)]
struct OsStringPath {
    spelled: Vec<u8>,
    path: PathBuf,
}

impl OsStringPath {
    fn new(s: &OsStr) -> OsStringPath {
        OsStringPath {
            spelled: s.as_encoded_bytes().to_vec(),
            path: PathBuf::from(s),
        }
    }
}

/// What happened to one input.
enum Outcome {
    /// Compiled (or checked) now; `entry` records it for the next build.
    Built {
        entry: Entry,
        bytes_in: u64,
        bytes_out: u64,
    },
    UpToDate {
        entry: Entry,
        bytes_in: u64,
    },
    /// Failed; `entry` (with the diagnostic) when the failure follows from the source and profile
    /// alone, so an unchanged source is not compiled again just to fail again.
    Failed {
        diag: Box<Diagnostic>,
        entry: Option<Entry>,
    },
}

/// Turns a compiled module into `.mpy` bytes.
fn encode(module: &rawcode::Module) -> Result<Vec<u8>, String> {
    mpyfile::try_write(module).map_err(|e| format!("internal error: cannot write the .mpy: {e}"))
}

/// Reads a file through one open handle, with its stamp taken from that handle before reading.
///
/// A regular file is read into a buffer of the size `stat` gave, in one `read` as a rule, with
/// no further `read` to meet its end (std's `read_to_end` makes one more, and `stat`s again).
/// A file written meanwhile has an mtime after the build's start, so its stamp is not recorded
/// (see `SourceStamp::settled`) and the next build reads it again.
fn read_stamped(path: &Path) -> std::io::Result<(Vec<u8>, Option<SourceStamp>)> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let meta = f.metadata()?;
    let stamp = SourceStamp::of(&meta);
    let len = meta.len();
    if !meta.is_file() || len == 0 || len > 1 << 26 {
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        return Ok((bytes, stamp));
    }
    let mut bytes = vec![0u8; len as usize];
    let mut filled = 0;
    while filled < bytes.len() {
        match f.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok((bytes, stamp))
}

/// Compiles one `.py`, guarding against a panic in the compiler.
fn compile_one(
    source: &[u8],
    path: &[u8],
    name: &[u8],
    profile: &Profile,
) -> Result<Vec<u8>, CompileFailure> {
    let names = compiler::SourceNames {
        path,
        source_name: Some(name),
    };
    let result = std::panic::catch_unwind(|| compiler::compile(source, names, &profile.options));
    match result {
        Ok(Ok(module)) => encode(&module).map_err(CompileFailure::Other),
        Ok(Err(e)) => Err(CompileFailure::Py(e)),
        Err(_) => Err(CompileFailure::Other(
            "internal error: the compiler panicked on this file".into(),
        )),
    }
}

enum CompileFailure {
    Py(mpcore::PyException),
    Other(String),
}

struct Job<'a> {
    plan: &'a Plan,
    valid: &'a BTreeMap<String, Entry>,
    force: bool,
    check: bool,
    /// Where outputs are written: the out dir, or the staging folder of a fresh build.
    write_dir: &'a Path,
    /// The out dir did not exist before this build: outputs go straight into the staging
    /// folder (see [`output::Staging`]), with nothing there to compare with.
    fresh_out: bool,
    /// When the build started (ns since the epoch): sources with a later mtime get no stamp.
    started_ns: u64,
}

impl Job<'_> {
    fn run(&self, input: &Input) -> Outcome {
        let root = &self.plan.roots[input.root];
        let path = input_path(&root.spelled, &input.rel);
        let file_shown = lossy(&path);
        let name_shown = lossy(&input.rel);
        let out_rel = lossy(&input.out_rel());
        let fail = |msg: String| Outcome::Failed {
            diag: Box::new(Diagnostic::build_error(
                file_shown.clone(),
                name_shown.clone(),
                msg,
            )),
            entry: None,
        };

        let out_path = self.write_dir.join(&out_rel);
        let incremental = !self.force && !self.check;
        let old = if incremental {
            self.valid
                .get(&out_rel)
                .filter(|old| old.path == file_shown && old.name == name_shown)
        } else {
            None
        };
        // With a previous entry, an unchanged stamp settles it: one `stat`, no read.
        if let Some(old) = old {
            let stamp = std::fs::metadata(&input.file)
                .ok()
                .and_then(|m| SourceStamp::of(&m));
            if let Some(stamp) = stamp.filter(|s| old.stamp.as_ref() == Some(s)) {
                if let Some(up_to_date) = self.reuse(old, &out_path, stamp.size) {
                    return up_to_date;
                }
            }
        }
        // The stamp is taken from the open file before its bytes are read, so the bytes are at
        // least as new as the stamp.
        let (source, stamp) = match read_stamped(&input.file) {
            Ok(read) => read,
            Err(e) => return fail(format!("cannot read: {e}")),
        };
        let bytes_in = source.len() as u64;
        let entry = Entry {
            src: state::source_hash(&source),
            path: file_shown.clone(),
            name: name_shown.clone(),
            len: 0,
            error: None,
            stamp: stamp.filter(|s| s.settled(self.started_ns)),
        };
        if let Some(old) = old.filter(|old| old.src == entry.src) {
            let renewed = Entry {
                stamp: entry.stamp.clone(),
                ..old.clone()
            };
            if let Some(up_to_date) = self.reuse(&renewed, &out_path, bytes_in) {
                return up_to_date;
            }
        }
        let bytes = match input.kind {
            InputKind::Py => match compile_one(&source, &path, &input.rel, &self.plan.profile) {
                Ok(b) => b,
                Err(CompileFailure::Py(e)) => {
                    let diag = Diagnostic::from_exception(file_shown, name_shown, &e, &source);
                    return failed_for_good(diag, entry);
                }
                Err(CompileFailure::Other(m)) => return fail(m),
            },
            InputKind::Mpy => {
                if let Err(m) = prebuilt::check(&source, &self.plan.profile) {
                    let diag = Diagnostic::build_error(file_shown, name_shown, m);
                    return failed_for_good(diag, entry);
                }
                source
            }
        };
        let bytes_out = bytes.len() as u64;
        if !self.check {
            let written = if self.fresh_out {
                output::write_direct(&out_path, &bytes)
            } else {
                output::write_if_changed(&out_path, &bytes).map(|_| ())
            };
            if let Err(e) = written {
                return fail(format!("cannot write `{}`: {e}", out_path.display()));
            }
        }
        Outcome::Built {
            entry: Entry {
                len: bytes_out,
                ..entry
            },
            bytes_in,
            bytes_out,
        }
    }
}

impl Job<'_> {
    /// The outcome for an input known to be unchanged since `old` was recorded: its remembered
    /// failure, or up to date when its output is still there with the recorded size; `None`
    /// when the output must be made again.
    fn reuse(&self, old: &Entry, out_path: &Path, bytes_in: u64) -> Option<Outcome> {
        if let Some(diag) = &old.error {
            return Some(Outcome::Failed {
                diag: Box::new(diag.clone()),
                entry: Some(old.clone()),
            });
        }
        let output_intact = std::fs::metadata(out_path)
            .map(|m| m.is_file() && m.len() == old.len)
            .unwrap_or(false);
        output_intact.then(|| Outcome::UpToDate {
            entry: old.clone(),
            bytes_in,
        })
    }
}

/// A failure that depends only on the input's bytes and the profile: remembered in the state.
fn failed_for_good(diag: Diagnostic, entry: Entry) -> Outcome {
    let entry = Entry {
        error: Some(diag.clone()),
        ..entry
    };
    Outcome::Failed {
        diag: Box::new(diag),
        entry: Some(entry),
    }
}

/// More threads than this only cost memory.
const MAX_THREADS: usize = 256;

fn thread_count(args: &BuildArgs) -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    args.jobs
        .filter(|&n| n > 0)
        .unwrap_or(cores)
        .min(MAX_THREADS)
}

/// Runs the build; `Ok(false)` when some input failed.
pub fn build(args: &BuildArgs) -> Result<bool, Fatal> {
    let started = Instant::now();
    let started_ns = state::now_ns();
    let plan = plan(args)?;
    let check = args.check;
    let cannot_create = |e: std::io::Error| {
        Fatal::Build(format!(
            "cannot create the output folder `{}`: {e}",
            plan.out_dir.display()
        ))
    };
    // A fresh out dir is built as a hidden sibling and renamed into place at the end.
    let staging = if !check && std::fs::symlink_metadata(&plan.out_dir).is_err() {
        output::Staging::create(&plan.out_dir).map_err(cannot_create)?
    } else {
        None
    };
    let fresh_out = staging.is_some();
    let write_dir: &Path = staging.as_ref().map_or(&plan.out_dir, |s| s.path());

    if !check {
        if staging.is_none() {
            std::fs::create_dir_all(&plan.out_dir).map_err(cannot_create)?;
        }
        // Probe that it takes files before compiling anything.
        let probe = write_dir.join(".mpyc-write-test");
        std::fs::write(&probe, b"")
            .and_then(|()| std::fs::remove_file(&probe))
            .map_err(|e| {
                Fatal::Build(format!(
                    "cannot write into the output folder `{}`: {e}",
                    plan.out_dir.display()
                ))
            })?;
    }
    let out_canon = std::fs::canonicalize(&plan.out_dir).ok();
    let found =
        walk::walk(&plan.roots, &plan.excludes, out_canon.as_deref()).map_err(Fatal::Build)?;

    // Two inputs must not make the same output.
    let mut owner: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut clash: HashMap<usize, usize> = HashMap::new();
    for (i, input) in found.inputs.iter().enumerate() {
        if let Some(&first) = owner.get(&input.out_rel()) {
            clash.insert(i, first);
        } else {
            owner.insert(input.out_rel(), i);
        }
    }

    let fingerprint = plan.profile.fingerprint();
    let (recorded, valid, state_current) = if check {
        (Vec::new(), BTreeMap::new(), false)
    } else {
        State::load(&plan.out_dir, &fingerprint)
    };
    let job = Job {
        plan: &plan,
        write_dir,
        valid: &valid,
        force: args.force,
        check,
        fresh_out,
        started_ns,
    };

    let threads = thread_count(args);
    let jobserver = Jobserver::from_env();
    let show_bar = std::io::stdout().is_terminal()
        && !args.quiet
        && args.message_format == MessageFormat::Human;
    let progress = Progress::new(found.inputs.len(), show_bar);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        // As deep as the main thread's stack at least: compiling deeply nested code recurses.
        .stack_size(16 << 20)
        .build()
        .map_err(|e| Fatal::Build(format!("cannot start worker threads: {e}")))?;
    let outcomes: Vec<Outcome> = pool.install(|| {
        found
            .inputs
            .par_iter()
            .enumerate()
            .map(|(i, input)| {
                if let Some(&first) = clash.get(&i) {
                    let other = &found.inputs[first];
                    let root = &plan.roots[input.root];
                    let diag = Diagnostic::build_error(
                        lossy(&input_path(&root.spelled, &input.rel)),
                        lossy(&input.rel),
                        format!(
                            "its output `{}` is also made from `{}`",
                            lossy(&input.out_rel()),
                            lossy(&input_path(&plan.roots[other.root].spelled, &other.rel))
                        ),
                    );
                    return Outcome::Failed {
                        diag: Box::new(diag),
                        entry: None,
                    };
                }
                let _token = jobserver.as_ref().map(Jobserver::acquire);
                progress.start(&input.file.display().to_string());
                let o = job.run(input);
                progress.done();
                o
            })
            .collect()
    });
    progress.finish();

    let mut totals = Totals::default();
    let mut new_state = State::new(&fingerprint);
    let mut diagnostics = Vec::new();
    let mut failed_outputs = HashSet::new();
    for (input, outcome) in found.inputs.iter().zip(outcomes) {
        let out_rel = lossy(&input.out_rel());
        match outcome {
            Outcome::Built {
                entry,
                bytes_in,
                bytes_out,
            } => {
                totals.compiled += 1;
                totals.bytes_in += bytes_in;
                totals.bytes_out += bytes_out;
                new_state.entries.insert(out_rel, entry);
            }
            Outcome::UpToDate { entry, bytes_in } => {
                totals.up_to_date += 1;
                totals.bytes_in += bytes_in;
                totals.bytes_out += entry.len;
                new_state.entries.insert(out_rel, entry);
            }
            Outcome::Failed { diag, entry } => {
                totals.failed += 1;
                diagnostics.push(diag);
                failed_outputs.insert(out_rel.clone());
                if let Some(e) = entry {
                    new_state.entries.insert(out_rel, e);
                }
            }
        }
    }

    if !check {
        // Outputs this build no longer makes: their source vanished, or it failed to compile.
        for rel in &recorded {
            let live = new_state
                .entries
                .get(rel)
                .is_some_and(|e| e.error.is_none());
            let owned_by_clash =
                owner.contains_key(rel.as_bytes()) && !failed_outputs.contains(rel);
            if live || owned_by_clash || !state::safe_rel(rel) {
                continue;
            }
            match output::remove_output(&plan.out_dir, rel) {
                Ok(true) => totals.removed += 1,
                Ok(false) => {}
                Err(e) => diagnostics.push(Box::new(Diagnostic::build_error(
                    plan.out_dir.join(rel).display().to_string(),
                    rel.clone(),
                    format!("cannot remove stale output: {e}"),
                ))),
            }
        }
        // Nothing changed (the common no-op): the state file already says all this.
        let unchanged = state_current && new_state.entries == valid;
        let saved = if unchanged {
            Ok(false)
        } else {
            output::write_if_changed(&write_dir.join(state::FILE_NAME), &new_state.to_bytes())
        };
        if let Err(e) = saved {
            eprintln!(
                "warning: cannot save the build state in `{}`: {e}",
                plan.out_dir.display()
            );
        }
        if let Some(staging) = staging {
            staging.finish(&plan.out_dir).map_err(|e| {
                Fatal::Build(format!(
                    "cannot move the finished build into `{}`: {e}",
                    plan.out_dir.display()
                ))
            })?;
        }
        if let Some(dep) = &args.depfile {
            if totals.failed == 0 && diagnostics.is_empty() {
                write_depfile(dep, &plan, &found).map_err(Fatal::Build)?;
            } else {
                // A failed build leaves no depfile, so make runs it again next time.
                let _ = std::fs::remove_file(dep);
            }
        }
    }

    report(args, &diagnostics, &totals, started);
    Ok(totals.failed == 0 && diagnostics.is_empty())
}

/// A path as make should see it: no leading `./`.
fn make_path(p: &Path) -> String {
    let s = p.display().to_string();
    let mut t = s.as_str();
    while let Some(rest) = t.strip_prefix("./") {
        t = rest;
    }
    if t.is_empty() {
        ".".to_string()
    } else {
        t.to_string()
    }
}

fn write_depfile(dep: &Path, plan: &Plan, found: &walk::Found) -> Result<(), String> {
    let outputs: Vec<(String, String)> = found
        .inputs
        .iter()
        .map(|i| {
            (
                make_path(&plan.out_dir.join(lossy(&i.out_rel()))),
                make_path(&i.file),
            )
        })
        .collect();
    let config: Vec<String> = plan.config_files.iter().map(|p| make_path(p)).collect();
    let dirs: Vec<String> = found.dirs.iter().map(|p| make_path(p)).collect();
    let text = make::depfile_text(&make_path(dep), &outputs, &config, &dirs);
    // Always replaced (not only on change): make compares its time with the sources'.
    let _ = std::fs::remove_file(dep);
    output::write_if_changed(dep, text.as_bytes())
        .map(|_| ())
        .map_err(|e| format!("cannot write the depfile `{}`: {e}", dep.display()))
}

fn report(args: &BuildArgs, diagnostics: &[Box<Diagnostic>], totals: &Totals, started: Instant) {
    let elapsed = started.elapsed();
    match args.message_format {
        MessageFormat::Human => {
            // One write for all of them (stderr is unbuffered: a no-op build with hundreds of
            // remembered failures otherwise makes a system call each).
            let text: String = diagnostics.iter().map(|d| d.render_human()).collect();
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            println!("{}", progress::summary_line(totals, args.check, elapsed));
        }
        MessageFormat::Json => {
            // Buffered: stdout is line-buffered, one system call per diagnostic otherwise.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for d in diagnostics {
                let _ = writeln!(out, "{}", d.render_json());
            }
            let summary = serde_json::json!({
                "type": "summary",
                "compiled": totals.compiled,
                "up_to_date": totals.up_to_date,
                "failed": totals.failed,
                "removed": totals.removed,
                "bytes_in": totals.bytes_in,
                "bytes_out": totals.bytes_out,
                "seconds": elapsed.as_secs_f64(),
            });
            let _ = writeln!(out, "{summary}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_of_paths() {
        assert_eq!(join_spelled(b"src", b"a/b.py"), b"src/a/b.py");
        assert_eq!(join_spelled(b"src/", b"a.py"), b"src/a.py");
        assert_eq!(join_spelled(b".", b"lib"), b"lib");
        assert_eq!(join_spelled(b"examples/blinky", b"."), b"examples/blinky");
        assert_eq!(join_spelled(b"./", b"src"), b"src");
        assert_eq!(input_path(b".", b"a.py"), b"./a.py");
        assert_eq!(input_path(b"", b"a.py"), b"/a.py");
    }
}
