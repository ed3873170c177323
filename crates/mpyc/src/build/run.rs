//! The build itself: plan (project, profile, roots, out dir), walk, compile in parallel (each
//! input on a worker, see [`super::job`]), then remove stale outputs, write the state and the
//! depfile, and report.

use std::borrow::Cow;
use std::collections::hash_map::Entry as Slot;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Mutex;
use std::time::Instant;

use super::cli::{BuildArgs, MessageFormat};
use super::diag::Diagnostic;
use super::job::{input_path, lossy, Done, Job, Kind};
use super::make::{self, Jobserver};
use super::output;
use super::profile::{self, Profile};
use super::progress::{self, Progress, Totals};
use super::project::{self, Project};
use super::state::{self, State};
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

/// One input on its way to a worker.
struct Item {
    /// Its place in walk order (outputs, state and diagnostics follow that order).
    index: usize,
    input: Input,
    /// The earlier input that makes the same output, as the build spells it.
    clash_with: Option<String>,
}

/// Numbers the inputs in walk order and finds those whose output an earlier input makes.
struct Feeder<'a> {
    roots: &'a [Root],
    /// Output path -> the root and kind of the first input that makes it.
    owners: HashMap<Vec<u8>, (usize, InputKind)>,
    next: usize,
}

impl Feeder<'_> {
    fn item(&mut self, input: Input) -> Item {
        let index = self.next;
        self.next += 1;
        let clash_with = match self.owners.entry(input.out_rel()) {
            Slot::Occupied(o) => {
                let (root, kind) = *o.get();
                // The owner's path below its root, from the output path they share.
                let out_rel = o.key();
                let rel = match kind {
                    InputKind::Py => {
                        let mut r = out_rel[..out_rel.len().saturating_sub(4)].to_vec();
                        r.extend_from_slice(b".py");
                        r
                    }
                    InputKind::Mpy => out_rel.clone(),
                };
                Some(lossy(&input_path(&self.roots[root].spelled, &rel)))
            }
            Slot::Vacant(v) => {
                v.insert((input.root, input.kind));
                None
            }
        };
        Item {
            index,
            input,
            clash_with,
        }
    }
}

/// A worker: takes inputs in walk order until there are none, and returns what it did with
/// their walk-order numbers. Taking one input at a time keeps both cores busy to the end (no
/// share of the tree is tied to one worker while the other idles).
fn worker(
    job: &Job,
    queue: &Mutex<Receiver<Item>>,
    abort: &AtomicBool,
    progress: &Progress,
    jobserver: Option<&Jobserver>,
) -> Vec<(usize, Done)> {
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        let next = match queue.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok(item) = next else { break };
        if abort.load(Ordering::Relaxed) {
            continue;
        }
        let _token = jobserver.map(Jobserver::acquire);
        progress.start(&item.input.file);
        out.push((
            item.index,
            job.run(item.input, item.clash_with.as_deref(), &mut buf),
        ));
        progress.done();
    }
    out
}

/// More threads than this only cost memory.
const MAX_THREADS: usize = 256;

fn thread_count(args: &BuildArgs) -> usize {
    // The cores are only counted when needed (it reads the cgroup's CPU quota from /proc).
    args.jobs
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .min(MAX_THREADS)
}

/// Runs the build; `Ok(false)` when some input failed. Once per process: what the build
/// recorded is left for the process's end to reclaim.
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

    let fingerprint = plan.profile.fingerprint();
    let (recorded, valid, state_current) = if check {
        (Vec::new(), BTreeMap::new(), false)
    } else {
        State::load(&plan.out_dir, &fingerprint)
    };
    let job = Job {
        roots: &plan.roots,
        profile: &plan.profile,
        write_dir,
        valid: &valid,
        force: args.force,
        check,
        fresh_out,
        started_ns,
        message_format: args.message_format,
    };

    let threads = thread_count(args);
    let jobserver = Jobserver::from_env();
    let show_bar = std::io::stdout().is_terminal()
        && !args.quiet
        && args.message_format == MessageFormat::Human;
    // Inputs go to the workers while the walk goes on when a walk that fails half way leaves
    // nothing behind: outputs then go to the staging folder (removed on failure) or nowhere
    // (`--check`). A progress bar wants its total first.
    let stream = !show_bar && (fresh_out || check);
    let mut feeder = Feeder {
        roots: &plan.roots,
        owners: HashMap::new(),
        next: 0,
    };
    let mut pending = Vec::new();
    let mut dirs = Vec::new();
    if !stream {
        dirs = walk::walk_into(&plan.roots, &plan.excludes, out_canon.as_deref(), |input| {
            pending.push(feeder.item(input))
        })
        .map_err(Fatal::Build)?;
    }
    let progress = Progress::new(pending.len(), show_bar);
    let (tx, rx) = mpsc::channel::<Item>();
    let queue = Mutex::new(rx);
    let abort = AtomicBool::new(false);
    // The workers: a rayon pool of `threads` threads, each running one long job that takes
    // inputs from the queue (one at a time, so both cores stay busy to the end), while this
    // thread walks and feeds them.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        // As deep as the main thread's stack at least: compiling deeply nested code recurses.
        .stack_size(16 << 20)
        .build()
        .map_err(|e| Fatal::Build(format!("cannot start worker threads: {e}")))?;
    let finished: Mutex<Vec<Vec<(usize, Done)>>> = Mutex::new(Vec::with_capacity(threads));
    let walked = pool.in_place_scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| {
                let done = worker(&job, &queue, &abort, &progress, jobserver.as_ref());
                if let Ok(mut f) = finished.lock() {
                    f.push(done);
                }
            });
        }
        let walked = if stream {
            walk::walk_into(&plan.roots, &plan.excludes, out_canon.as_deref(), |input| {
                let _ = tx.send(feeder.item(input));
            })
            .map(|d| dirs = d)
        } else {
            for item in pending {
                let _ = tx.send(item);
            }
            Ok(())
        };
        if walked.is_err() {
            abort.store(true, Ordering::Relaxed);
        }
        drop(tx);
        walked
    });
    let per_worker = finished
        .into_inner()
        .map_err(|_| Fatal::Build("internal error: a build worker failed".into()))?;
    walked.map_err(Fatal::Build)?;
    progress.finish();

    // Walk order, by reference: the records stay where the workers made them.
    let mut slots: Vec<Option<&Done>> = vec![None; feeder.next];
    for (index, done) in per_worker.iter().flatten() {
        if let Some(slot) = slots.get_mut(*index) {
            *slot = Some(done);
        }
    }
    let dones: Vec<&Done> = slots.into_iter().flatten().collect();

    let mut totals = Totals::default();
    for d in &dones {
        match d.kind {
            Kind::Built => {
                totals.compiled += 1;
                totals.bytes_in += d.bytes_in;
                totals.bytes_out += d.bytes_out;
            }
            Kind::UpToDate => {
                totals.up_to_date += 1;
                totals.bytes_in += d.bytes_in;
                totals.bytes_out += d.bytes_out;
            }
            Kind::Failed => totals.failed += 1,
        }
    }
    // Problems met after the inputs were done (removing stale outputs).
    let mut late = Vec::new();
    if !check {
        remove_stale(&plan.out_dir, &recorded, &dones, &mut totals, &mut late);
        let members = state::in_key_order(
            dones
                .iter()
                .filter_map(|d| d.member.as_ref().map(|m| (d.out_rel.as_str(), m)))
                .collect(),
        );
        // Nothing changed (the common no-op): the state file already says all this.
        let all_same = dones
            .iter()
            .all(|d| d.member.as_ref().is_none_or(|m| m.same));
        let unchanged = state_current && all_same && members.len() == valid.len();
        let saved = if unchanged {
            Ok(())
        } else {
            let json: Vec<Cow<str>> = members
                .iter()
                .map(|(key, m)| match (&m.json, valid.get(*key)) {
                    (Some(j), _) => Cow::Borrowed(j.as_str()),
                    // The same as the valid entry: serialised only now it is needed.
                    (None, Some(e)) => Cow::Owned(state::member_json(key, e)),
                    (None, None) => Cow::Borrowed(""),
                })
                .collect();
            let path = write_dir.join(state::FILE_NAME);
            if fresh_out {
                state::write_new_file(&path, &fingerprint, &json)
            } else {
                let bytes = state::file_bytes(&fingerprint, &json);
                output::write_if_changed(&path, &bytes).map(|_| ())
            }
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
            if totals.failed == 0 && late.is_empty() {
                write_depfile(dep, &plan, &dones, &dirs).map_err(Fatal::Build)?;
            } else {
                // A failed build leaves no depfile, so make runs it again next time.
                let _ = std::fs::remove_file(dep);
            }
        }
        if totals.failed == 0 && late.is_empty() {
            let rels = dones.iter().map(|d| d.out_rel.as_str());
            crate::freeze_cmd::freeze_build(&args.freeze, &plan.out_dir, rels, args.quiet)
                .map_err(Fatal::Build)?;
        }
    }

    report(args, &dones, &late, &totals, started);
    // The process ends after the report: the inputs' records and the previous state (thousands
    // of small allocations, most made on the worker threads) are left for it to reclaim, not
    // freed one by one (about half a millisecond for the stdlib).
    drop(dones);
    std::mem::forget(per_worker);
    std::mem::forget(valid);
    std::mem::forget(recorded);
    Ok(totals.failed == 0 && late.is_empty())
}

/// Removes the outputs the previous build `recorded` that this build no longer makes: their
/// source vanished, or it failed to compile.
fn remove_stale(
    out_dir: &Path,
    recorded: &[String],
    dones: &[&Done],
    totals: &mut Totals,
    late: &mut Vec<Diagnostic>,
) {
    if recorded.is_empty() {
        return;
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
    }
    let mut status: HashMap<&str, Status> = HashMap::with_capacity(dones.len());
    for d in dones {
        let st = status.entry(d.out_rel.as_str()).or_default();
        if let Some(m) = &d.member {
            st.live = m.ok;
        }
        st.made |= d.out_rel_exact;
        st.failed |= d.kind == Kind::Failed;
    }
    for rel in recorded {
        let st = status.get(rel.as_str()).copied().unwrap_or_default();
        // An output two inputs make stays while the one that owns it does not fail.
        let owned_by_clash = st.made && !st.failed;
        if st.live || owned_by_clash || !state::safe_rel(rel) {
            continue;
        }
        match output::remove_output(out_dir, rel) {
            Ok(true) => totals.removed += 1,
            Ok(false) => {}
            Err(e) => late.push(Diagnostic::build_error(
                out_dir.join(rel).display().to_string(),
                rel.clone(),
                format!("cannot remove stale output: {e}"),
            )),
        }
    }
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

fn write_depfile(dep: &Path, plan: &Plan, dones: &[&Done], dirs: &[PathBuf]) -> Result<(), String> {
    let outputs: Vec<(String, String)> = dones
        .iter()
        .map(|d| {
            (
                make_path(&plan.out_dir.join(&d.out_rel)),
                make_path(&d.input.file),
            )
        })
        .collect();
    let config: Vec<String> = plan.config_files.iter().map(|p| make_path(p)).collect();
    let dirs: Vec<String> = dirs.iter().map(|p| make_path(p)).collect();
    let text = make::depfile_text(&make_path(dep), &outputs, &config, &dirs);
    // Always replaced (not only on change): make compares its time with the sources'.
    let _ = std::fs::remove_file(dep);
    output::write_if_changed(dep, text.as_bytes())
        .map(|_| ())
        .map_err(|e| format!("cannot write the depfile `{}`: {e}", dep.display()))
}

/// Prints the inputs' diagnostics (rendered by the workers, in walk order), then the `late`
/// ones, then the summary.
fn report(
    args: &BuildArgs,
    dones: &[&Done],
    late: &[Diagnostic],
    totals: &Totals,
    started: Instant,
) {
    let elapsed = started.elapsed();
    let mut text = String::with_capacity(dones.iter().map(|d| d.diag.len()).sum());
    for d in dones {
        text.push_str(&d.diag);
    }
    match args.message_format {
        MessageFormat::Human => {
            for d in late {
                text.push_str(&d.render_human());
            }
            // One write for all of them (stderr is unbuffered: a no-op build with hundreds of
            // remembered failures otherwise makes a system call each).
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            println!("{}", progress::summary_line(totals, args.check, elapsed));
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
