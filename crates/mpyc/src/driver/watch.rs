//! `mpyc build --watch`: build, then build again whenever a source, profile or project file
//! changes (debounced: a rebuild waits for 200 ms without changes), each time incrementally
//! through the out dir's state, printing the summary line of each rebuild.

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

/// Builds, then rebuilds on every relevant change until interrupted. Only a fatal error of
/// the first build (a bad command line, profile or project) ends it.
pub fn run(args: &BuildArgs) -> Result<(), Fatal> {
    let plan = run::plan(args)?;
    run::build(args)?;
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Fatal::Build(format!("cannot watch for changes: {e}")))?;
    for (path, mode) in watch_list(&plan) {
        watcher
            .watch(&path, mode)
            .map_err(|e| Fatal::Build(format!("cannot watch `{}`: {e}", path.display())))?;
    }
    if args.quiet < 2 {
        eprintln!("mpyc: watching for changes (Ctrl-C to stop)");
    }
    // Whether an event (or a failure to watch) calls for a build; the out dir is resolved
    // each time, as a build may have made it.
    let wants_build = |event: notify::Result<Event>| match event {
        Ok(ev) => {
            let out_canon = std::fs::canonicalize(&plan.out_dir).ok();
            changes(&ev) && ev.paths.iter().any(|p| relevant(p, out_canon.as_deref()))
        }
        Err(e) => {
            eprintln!("warning: watching for changes: {e}");
            false
        }
    };
    while let Ok(event) = rx.recv() {
        if !wants_build(event) {
            continue;
        }
        // Debounce: the edits of one save (write, rename, chmod) make one build.
        while let Ok(more) = rx.recv_timeout(DEBOUNCE) {
            let _ = wants_build(more);
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
