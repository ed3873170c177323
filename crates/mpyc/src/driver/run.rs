//! The build itself, in steps: plan (project, profile, roots, out dir), prepare the out dir
//! (make, lock, stage), dispatch the inputs to the workers and collect their records (see
//! [`super::dispatch`]), commit (remove stale outputs, save the state, move the staging folder
//! into place, write the depfile), and report.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::cli::{BuildArgs, MessageFormat};
use super::depfile;
use super::diag::Diagnostic;
use super::dispatch;
use super::job::{Done, Job, Kind};
use super::lock;
use super::output;
use super::profile::{self, Profile};
use super::progress::{self, Totals};
use super::project::{self, Project};
use super::state::{self, State};
use super::walk::{Excludes, Root};

/// A reason the whole build cannot run.
#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    /// Bad command line, profile or project file (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The build could not proceed (exit 1), e.g. an output folder that cannot be created.
    #[error("{0}")]
    Build(String),
}

/// Everything decided before compiling.
pub struct Plan {
    pub profile: Profile,
    pub roots: Vec<Root>,
    pub excludes: Excludes,
    pub out_dir: PathBuf,
    /// Files the outputs depend on besides their sources (project file, user profile).
    pub config_files: Vec<PathBuf>,
    /// The project file's `[freeze]` settings (paths made relative to the project).
    pub freeze: crate::freeze_build::FreezeSettings,
    /// No `-p` and no project naming one: the `default` profile was taken.
    pub profile_defaulted: bool,
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

pub fn plan(args: &BuildArgs) -> Result<Plan, Fatal> {
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
    let profile_defaulted = args.profile.is_none()
        && project
            .as_ref()
            .is_none_or(|(_, proj)| proj.profile.is_none());

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
    // `micropython = "..."` in mpyc.toml: the profile at that release.
    let profile = match project.as_ref().and_then(|(_, p)| p.micropython) {
        Some(release) => profile.at_release(release),
        None => profile,
    };
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
                    file: false,
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
                    file: p.path.is_file(),
                })
                .collect();
            default_out = PathBuf::from("build").join(&profile.name);
        }
    }
    exclude.extend(args.exclude.iter().cloned());
    let excludes = Excludes::new(&exclude).map_err(Fatal::Usage)?;
    let out_dir = args.out_dir.clone().unwrap_or(default_out);
    let freeze = match &project {
        Some((dir, proj)) => proj.freeze.clone().relative_to(&dir.path),
        None => Default::default(),
    };
    Ok(Plan {
        profile,
        roots,
        excludes,
        out_dir,
        config_files,
        freeze,
        profile_defaulted,
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

/// The out dir made ready for this build: created if missing, locked, with a staging folder
/// when this build made it, else opened for writing in place.
/// Fields drop in order: the staging folder and an out dir this build made go before the lock.
struct Prepared {
    /// The out dir if this build made it (removed again on a fatal error).
    made: MadeDir,
    staging: Option<output::Staging>,
    out: Option<output::OutDir>,
    /// The out dir's canonical path, if it exists (skipped by the walk).
    canonical: Option<PathBuf>,
    /// Held for the whole build.
    _lock: Option<lock::OutDirLock>,
}

fn prepare(plan: &Plan, check: bool, quiet: u8) -> Result<Prepared, Fatal> {
    let cannot_create = |e: std::io::Error| {
        Fatal::Build(format!(
            "cannot create the output folder `{}`: {e}",
            plan.out_dir.display()
        ))
    };
    let cannot_write = |e: std::io::Error| {
        Fatal::Build(format!(
            "cannot write into the output folder `{}`: {e}",
            plan.out_dir.display()
        ))
    };
    // The out dir is made (when missing) and locked before anything else; a build that made it
    // builds in a staging folder renamed over it at the end.
    let made = !check && create_out_dir(&plan.out_dir).map_err(cannot_create)?;
    let lock = if check {
        None
    } else {
        let lock = lock::lock(&plan.out_dir, || {
            if quiet >= 2 {
                return;
            }
            eprintln!(
                "mpyc: another build is writing into `{}`; waiting for it to finish",
                plan.out_dir.display()
            )
        })
        .map_err(|e| {
            Fatal::Build(format!(
                "cannot lock the output folder `{}`: {e}",
                plan.out_dir.display()
            ))
        })?;
        Some(lock)
    };
    // Another build may have taken the lock on the folder this one made before it did, and
    // filled it: then it is built in place.
    let fresh = made
        && std::fs::read_dir(&plan.out_dir)
            .map_err(cannot_create)?
            .next()
            .is_none();
    let made = MadeDir(fresh.then(|| plan.out_dir.clone()));
    let staging = if fresh {
        output::Staging::create(&plan.out_dir).map_err(cannot_create)?
    } else {
        None
    };
    if let Some(st) = &staging {
        // Probe that it takes files before compiling anything.
        let probe = st.path().join(".mpyc-write-test");
        output::write_direct(&probe, b"")
            .and_then(|_| std::fs::remove_file(&probe))
            .map_err(cannot_write)?;
    }
    let out = if check || staging.is_some() {
        None
    } else {
        output::Staging::discard_leftover(&plan.out_dir).map_err(cannot_write)?;
        Some(output::OutDir::open(&plan.out_dir).map_err(cannot_write)?)
    };
    let canonical = std::fs::canonicalize(&plan.out_dir).ok();
    if let Some(out_canon) = &canonical {
        for root in &plan.roots {
            let inside = std::fs::canonicalize(&root.dir)
                .is_ok_and(|r| r != *out_canon && r.starts_with(out_canon));
            if inside {
                return Err(Fatal::Usage(format!(
                    "the source root `{}` is inside the output folder `{}`: outputs would be \
                     written among the sources; choose an output folder outside it",
                    root.dir.display(),
                    plan.out_dir.display()
                )));
            }
        }
    }
    Ok(Prepared {
        made,
        staging,
        out,
        canonical,
        _lock: lock,
    })
}

/// Runs the build: plan, prepare the out dir, dispatch the inputs to the workers, collect what
/// they did, commit (stale outputs, state, staging folder, depfile), report. `Ok(false)` when
/// some input failed.
pub fn build(args: &BuildArgs) -> Result<bool, Fatal> {
    let started = Instant::now();
    let started_ns = state::now_ns();
    let plan = plan(args)?;
    let check = args.check;
    let mut prepared = prepare(&plan, check, args.quiet)?;
    let fresh_out = prepared.staging.is_some();

    let fingerprint = plan.profile.fingerprint();
    let loaded = if check || fresh_out {
        state::Loaded::default()
    } else {
        State::load(&plan.out_dir, &fingerprint)
    };
    if let Some(w) = loaded.warning.as_ref().filter(|_| args.quiet < 2) {
        eprintln!("warning: {w}");
    }
    let journal = prepared
        .out
        .as_ref()
        .map(|o| state::Journal::new(o.root(), &loaded.recorded));
    let job = Job {
        roots: &plan.roots,
        profile: &plan.profile,
        out: prepared.out.as_ref(),
        staging: prepared.staging.as_ref().map(|s| s.path()),
        journal: journal.as_ref(),
        valid: &loaded.valid,
        force: args.force,
        check,
        started_ns,
        message_format: args.message_format,
        explain: args.explain,
        outdated: loaded.outdated,
    };
    let show_bar = std::io::stdout().is_terminal()
        && args.quiet == 0
        && args.message_format == MessageFormat::Human;
    // Inputs go to the workers while the walk goes on when a walk stopped half way (a root
    // that cannot be read) leaves nothing behind: outputs then go to the staging folder
    // (removed on failure) or nowhere (`--check`). A progress bar wants its total first.
    let stream = !show_bar && (fresh_out || check);
    let dispatched = dispatch::dispatch(
        &plan,
        &job,
        args,
        prepared.canonical.as_deref(),
        stream,
        show_bar,
    )?;
    let (dones, mut totals) = dispatched.collect();

    // Problems met besides the inputs' own: the walk's, then removing stale outputs and saving
    // the state.
    let mut late: Vec<Diagnostic> = dispatched
        .walked
        .problems
        .iter()
        .map(|p| {
            Diagnostic::build_error(
                p.path.display().to_string(),
                p.rel.clone(),
                p.message.clone(),
            )
        })
        .collect();
    if !check {
        // Inputs the walk could not reach may still have their outputs: then none is removed.
        let may_remove = dispatched.walked.problems.is_empty();
        let kept = match &prepared.out {
            Some(out) => remove_stale(
                out,
                &loaded.recorded,
                &dones,
                may_remove,
                &mut totals,
                &mut late,
            ),
            None => Vec::new(),
        };
        commit_state(
            &plan,
            &fingerprint,
            &loaded,
            &dones,
            &kept,
            prepared.out.as_ref(),
            prepared.staging.as_ref().map(|s| s.path()),
            journal.as_ref(),
            &mut late,
        );
        prepared.made.0 = None;
        if let Some(staging) = prepared.staging.take() {
            staging.finish(&plan.out_dir).map_err(|e| {
                Fatal::Build(format!(
                    "cannot move the finished build into `{}`: {e}",
                    plan.out_dir.display()
                ))
            })?;
        }
    }

    if let Some(dep) = &args.depfile {
        // Written after a failure too (make then knows every input), but dated at the epoch so
        // that make runs the build again next time.
        let failed = totals.failed > 0 || !late.is_empty();
        write_depfile(dep, &plan, &dones, &dispatched.walked.dirs, failed).map_err(Fatal::Build)?;
    }
    if !args.check && totals.failed == 0 && late.is_empty() {
        let rels = dones.iter().map(|d| d.out_rel.as_str());
        let settings = plan.freeze.with_args(&args.freeze);
        crate::freeze_build::freeze_build(&settings, &plan.out_dir, rels, args.quiet > 0)
            .map_err(Fatal::Build)?;
    }
    report(args, &plan, &late, &totals, started);
    Ok(totals.failed == 0 && late.is_empty())
}

/// An out dir this build made, removed when dropped (if still empty) unless forgotten.
struct MadeDir(Option<PathBuf>);

impl Drop for MadeDir {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Makes the out dir if it is missing (and the folders above it); `true` when this build made
/// it (and so may fill it from a staging folder).
fn create_out_dir(out_dir: &Path) -> std::io::Result<bool> {
    match std::fs::symlink_metadata(out_dir) {
        Ok(_) => return Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let Some(parent) = out_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::create_dir(out_dir) {
        Ok(()) => Ok(true),
        // Made meanwhile by another build: this one waits for its lock.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Saves the new state: the inputs' entries in key order and the outputs `kept` without one;
/// not written when nothing changed (the common no-op). Into a staging folder it is written
/// new; into the out dir it replaces the old one whole, and then the journal goes. A failure
/// leaves the old state and the journal as they were.
#[allow(clippy::too_many_arguments)]
fn commit_state(
    plan: &Plan,
    fingerprint: &str,
    loaded: &state::Loaded,
    dones: &[&Done],
    kept: &[String],
    out: Option<&output::OutDir>,
    staging: Option<&Path>,
    journal: Option<&state::Journal>,
    late: &mut Vec<Diagnostic>,
) {
    let valid = &loaded.valid;
    let members = state::in_key_order(
        dones
            .iter()
            .filter_map(|d| d.member.as_ref().map(|m| (d.out_rel.as_str(), m)))
            .collect(),
    );
    let all_same = dones
        .iter()
        .all(|d| d.member.as_ref().is_none_or(|m| m.same));
    let journal_written = journal.is_some_and(|j| j.written());
    let unchanged = loaded.current
        && all_same
        && members.len() == valid.len()
        && kept.is_empty()
        && !journal_written;
    if unchanged {
        return;
    }
    let json: Vec<Cow<str>> = members
        .iter()
        .map(|(key, m)| match (&m.json, valid.get(*key)) {
            (Some(j), _) => Cow::Borrowed(j.as_str()),
            // The same as the valid entry: serialised only now it is needed.
            (None, Some(e)) => Cow::Owned(state::member_json(key, e)),
            (None, None) => Cow::Borrowed(""),
        })
        .collect();
    let saved = match (staging, out) {
        (Some(dir), _) => state::write_new_file(&dir.join(state::FILE_NAME), fingerprint, &json),
        (None, Some(out)) => {
            let bytes = state::file_bytes(fingerprint, &json, kept);
            out.replace_file(state::FILE_NAME, &bytes).and_then(|()| {
                if loaded.journal || journal_written {
                    out.remove_file(state::JOURNAL_NAME)
                } else {
                    Ok(())
                }
            })
        }
        (None, None) => Ok(()),
    };
    if let Err(e) = saved {
        let path = plan.out_dir.join(state::FILE_NAME);
        late.push(Diagnostic::build_error(
            path.display().to_string(),
            state::FILE_NAME.to_string(),
            format!("cannot save the build state: {e}"),
        ));
    }
}

/// Removes the outputs the previous builds `recorded` that this build no longer makes: their
/// source vanished, or it failed to compile. Returns the outputs left in place without an entry
/// in the new state (their input failed to read or write, their removal failed, or `may_remove`
/// is false), for the state's `kept` list.
fn remove_stale(
    out: &output::OutDir,
    recorded: &std::collections::BTreeSet<String>,
    dones: &[&Done],
    may_remove: bool,
    totals: &mut Totals,
    late: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut kept = Vec::new();
    if recorded.is_empty() {
        return kept;
    }
    /// What this build did about one output path.
    #[derive(Clone, Copy, Default)]
    struct Status {
        /// The new state's entry for it (the last input's with one) records no failure.
        live: bool,
        /// Some input's output path is exactly it.
        made: bool,
        /// Some input with this output path failed.
        failed: bool,
        /// Some input with this output path failed to be read or written: its output stays.
        transient: bool,
    }
    let mut status: HashMap<&str, Status> = HashMap::with_capacity(dones.len());
    for d in dones {
        let st = status.entry(d.out_rel.as_str()).or_default();
        if let Some(m) = &d.member {
            st.live = m.ok;
        }
        st.made = true;
        st.failed |= d.kind == Kind::Failed;
        st.transient |= d.transient;
    }
    for rel in recorded {
        let st = status.get(rel.as_str()).copied().unwrap_or_default();
        // An output two inputs make stays while the one that owns it does not fail.
        let owned_by_clash = st.made && !st.failed;
        if st.live || owned_by_clash || !state::safe_rel(rel) {
            continue;
        }
        if st.transient || !may_remove {
            kept.push(rel.clone());
            continue;
        }
        match out.remove(rel) {
            Ok(output::Removal::Removed) => totals.removed += 1,
            Ok(output::Removal::Absent) => {}
            // Not mpyc's (the state named a path through a link, or a link): left alone, and
            // no longer recorded.
            Ok(output::Removal::Refused(e)) => {
                eprintln!(
                    "warning: not removing stale output `{}`: {e}",
                    state::key_shown(rel)
                );
            }
            Err(e) => {
                kept.push(rel.clone());
                late.push(Diagnostic::build_error(
                    out.root().join(state::key_shown(rel)).display().to_string(),
                    state::key_shown(rel),
                    format!("cannot remove stale output: {e}"),
                ))
            }
        }
    }
    kept
}

fn write_depfile(
    dep: &Path,
    plan: &Plan,
    dones: &[&Done],
    dirs: &[PathBuf],
    failed: bool,
) -> Result<(), String> {
    use depfile::make_path;
    let outputs: Vec<(Vec<u8>, Vec<u8>)> = dones
        .iter()
        .map(|d| {
            (
                make_path(&plan.out_dir.join(state::path_of(&d.input.out_rel()))),
                make_path(&d.input.file),
            )
        })
        .collect();
    let config: Vec<Vec<u8>> = plan.config_files.iter().map(|p| make_path(p)).collect();
    let dirs: Vec<Vec<u8>> = dirs.iter().map(|p| make_path(p)).collect();
    let text = depfile::text(&make_path(dep), &outputs, &config, &dirs)?;
    let cannot = |e: std::io::Error| format!("cannot write the depfile `{}`: {e}", dep.display());
    // Always replaced (not only on change): make compares its time with the sources'.
    output::replace_regular(dep, &text).map_err(cannot)?;
    if failed {
        std::fs::File::options()
            .write(true)
            .open(dep)
            .and_then(|f| f.set_modified(std::time::UNIX_EPOCH))
            .map_err(cannot)?;
    }
    Ok(())
}

/// Prints the `late` diagnostics (the inputs' own were printed as they finished, in walk
/// order), then the summary.
fn report(args: &BuildArgs, plan: &Plan, late: &[Diagnostic], totals: &Totals, started: Instant) {
    let elapsed = started.elapsed();
    let mut text = String::new();
    match args.message_format {
        MessageFormat::Human => {
            for d in late {
                text.push_str(&d.render_human());
            }
            // One write for all of them (stderr is unbuffered: a no-op build with hundreds of
            // remembered failures otherwise makes a system call each).
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            if args.quiet == 0 {
                let place = progress::where_line(
                    &plan.profile.name,
                    plan.profile_defaulted,
                    (!args.check).then_some(plan.out_dir.as_path()),
                );
                println!(
                    "{}",
                    progress::summary_line(totals, args.check, &place, elapsed)
                );
            }
        }
        MessageFormat::Json => {
            for d in late {
                text.push_str(&d.render_json());
                text.push('\n');
            }
            // Buffered: stdout is line-buffered, one system call per diagnostic otherwise.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = out.write_all(text.as_bytes());
            let summary = serde_json::json!({
                "type": "summary",
                "compiled": totals.compiled,
                "up_to_date": totals.up_to_date,
                "failed": totals.failed,
                "removed": totals.removed,
                "bytes_in": totals.bytes_in,
                "bytes_out": totals.bytes_out,
                "seconds": elapsed.as_secs_f64(),
                "profile": plan.profile.name,
                "profile_defaulted": plan.profile_defaulted,
                "out_dir": (!args.check).then(|| plan.out_dir.display().to_string()),
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
    }
}
