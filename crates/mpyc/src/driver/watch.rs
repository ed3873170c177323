//! `mpyc build --watch`: build, then build again whenever a source, profile or project file
//! changes (debounced: a rebuild waits for 200 ms without changes), each time incrementally
//! through the out dir's state, printing the summary line of each rebuild. Every build reads
//! `mpyc.toml` and the profile afresh, and after each one the watch follows what they now name
//! (roots, profile file, out dir).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::cli::BuildArgs;
use super::run::{self, Fatal};

/// Changes closer together than this make one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Whether `event` changes something (a build's own reading of the sources does not).
fn changes(event: &Event) -> bool {
    matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// Whether a changed `path` can change the build: a source, a prebuilt `.mpy`, a `.toml`, or a
/// folder (a name without an extension), and not under the out dir (the build's own writes).
fn relevant(path: &Path, out_canon: Option<&Path>) -> bool {
    if out_canon.is_some_and(|o| path.starts_with(o)) {
        return false;
    }
    let hidden = path
        .file_name()
        .is_some_and(|n| n.as_encoded_bytes().starts_with(b"."));
    if hidden {
        return false;
    }
    match path.extension() {
        None => true,
        Some(e) => e == "py" || e == "mpy" || e == "toml",
    }
}

/// What to watch: every root (a file root through its folder, not recursively), and the
/// files the outputs depend on besides their sources.
fn watch_list(plan: &run::Plan) -> Vec<(PathBuf, RecursiveMode)> {
    let mut list = Vec::new();
    for root in &plan.roots {
        if root.file {
            let parent = root
                .dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            list.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
        } else {
            list.push((root.dir.clone(), RecursiveMode::Recursive));
        }
    }
    for f in &plan.config_files {
        list.push((f.clone(), RecursiveMode::NonRecursive));
    }
    list
}

/// The paths being watched and how.
type WatchList = Vec<(PathBuf, RecursiveMode)>;

/// Brings the watches from `watched` to `want`: drops those no longer wanted, adds the new
/// ones, and watches single files and non-recursive folders again (an editor that saves by
/// renaming a new file into place leaves the old watch on a file that is gone). Returns the
/// paths that could not be watched, with why.
fn sync(watcher: &mut dyn Watcher, watched: &mut WatchList, want: WatchList) -> Vec<String> {
    for (path, mode) in watched.iter() {
        if *mode == RecursiveMode::NonRecursive || !want.contains(&(path.clone(), *mode)) {
            // It may be gone already.
            let _ = watcher.unwatch(path);
        }
    }
    let mut failed = Vec::new();
    for (path, mode) in &want {
        let kept = *mode == RecursiveMode::Recursive && watched.contains(&(path.clone(), *mode));
        if !kept {
            if let Err(e) = watcher.watch(path, *mode) {
                failed.push(format!("cannot watch `{}`: {e}", path.display()));
            }
        }
    }
    *watched = want;
    failed
}

/// Builds, then rebuilds on every relevant change until interrupted. Only a fatal error of
/// the first build (a bad command line, profile or project) ends it.
pub fn run(args: &BuildArgs) -> Result<(), Fatal> {
    let mut plan = run::plan(args)?;
    run::build(args)?;
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Fatal::Build(format!("cannot watch for changes: {e}")))?;
    let mut watched = WatchList::new();
    if let Some(e) = sync(&mut watcher, &mut watched, watch_list(&plan))
        .into_iter()
        .next()
    {
        return Err(Fatal::Build(e));
    }
    if args.quiet < 2 {
        eprintln!("mpyc: watching for changes (Ctrl-C to stop)");
    }
    // Whether an event (or a failure to watch) calls for a build; the out dir is resolved
    // each time, as a build may have made it.
    let wants_build = |event: notify::Result<Event>, out_dir: &Path| match event {
        Ok(ev) => {
            let out_canon = std::fs::canonicalize(out_dir).ok();
            changes(&ev) && ev.paths.iter().any(|p| relevant(p, out_canon.as_deref()))
        }
        Err(e) => {
            eprintln!("warning: watching for changes: {e}");
            false
        }
    };
    while let Ok(event) = rx.recv() {
        if !wants_build(event, &plan.out_dir) {
            continue;
        }
        // Debounce: the edits of one save (write, rename, chmod) make one build.
        while let Ok(more) = rx.recv_timeout(DEBOUNCE) {
            let _ = wants_build(more, &plan.out_dir);
        }
        // The build reads the project file and profile again: first watch what they name
        // now, so that an edit made as soon as the build's summary is out is seen (an
        // unusable project file keeps the watches as they were, the file among them).
        if let Ok(new) = run::plan(args) {
            for e in sync(&mut watcher, &mut watched, watch_list(&new)) {
                eprintln!("warning: {e}");
            }
            plan = new;
        }
        // A later build's errors (a bad edit to the project file) are reported and the
        // watch goes on.
        if let Err(e) = run::build(args) {
            eprintln!("error: {e}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_and_config_outside_the_out_dir_count() {
        let out = Path::new("/p/build/esp32");
        assert!(relevant(Path::new("/p/src/a.py"), Some(out)));
        assert!(relevant(Path::new("/p/mpyc.toml"), Some(out)));
        assert!(relevant(Path::new("/p/src/pkg"), Some(out)));
        assert!(!relevant(Path::new("/p/build/esp32/a.mpy"), Some(out)));
        assert!(!relevant(Path::new("/p/src/.a.py.swp"), Some(out)));
        assert!(!relevant(Path::new("/p/src/notes.txt"), None));
    }
}
