//! Confinement as a property (issue 10): over 40 pseudo-random hostile set-ups (state entries,
//! kept lists and journal lines naming paths outside the out dir or through links; links in the
//! out dir in place of folders, outputs, the temporaries folder, the journal and the state),
//! with sources changed and deleted, a build never creates, changes or deletes anything outside
//! its out dir.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use crate::build_support::{mpyc_in, write};

/// A small deterministic generator (64-bit LCG; the high bits are used).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }

    fn chance(&mut self, in_four: u64) -> bool {
        self.below(4) < in_four
    }
}

/// What a path holds, without following links: file bytes and mtime, a link's target, a folder.
#[derive(Debug, PartialEq, Eq)]
enum Node {
    File(Vec<u8>, std::time::SystemTime),
    Link(PathBuf),
    Dir,
    Other,
}

/// Everything under `dir` (not following links), by path, leaving out `skip` names at the top.
fn snapshot(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, Node> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let rel = p.strip_prefix(dir).expect("below").to_path_buf();
            if d == dir && skip.iter().any(|s| rel == Path::new(s)) {
                continue;
            }
            let m = std::fs::symlink_metadata(&p).expect("lstat");
            let node = if m.file_type().is_symlink() {
                Node::Link(std::fs::read_link(&p).expect("readlink"))
            } else if m.is_dir() {
                stack.push(p.clone());
                Node::Dir
            } else if m.is_file() {
                Node::File(std::fs::read(&p).expect("read"), m.modified().unwrap())
            } else {
                Node::Other
            };
            out.insert(rel, node);
        }
    }
    out
}

/// Paths outside the out dir or through a link there, as a state or journal may name them.
const HOSTILE: &[&str] = &[
    "../outside/secret.txt",
    "/tmp/mpyc-confined-never",
    "pkg/../../outside/x.mpy",
    "lnk/secret.txt",
    "lnk/pkg/b.mpy",
    "pkg/b.mpy",
    "a.mpy",
    ".mpyc-tmp/../../outside/x.mpy",
    "\u{0}x2e2e2f6f7574736964652f7365637265742e747874",
    "\u{0}x6c6e6b2f7365637265742e747874",
    "\u{0}xzz",
    ".",
    "",
    "lnk",
    ".mpyc-state.json",
];

fn entry(rng: &mut Lcg) -> serde_json::Value {
    serde_json::json!({
        "src": format!("{:032x}", rng.below(u64::MAX)),
        "path": "src/a.py",
        "name": "a.py",
        "len": rng.below(400),
        "out": format!("{:032x}", rng.below(3)),
    })
}

#[test]
fn hostile_state_and_links_never_reach_outside_the_out_dir() {
    let mut rng = Lcg(0x00c0_f1ed);
    for case in 0..40 {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for (rel, text) in [
            ("src/a.py", "A = 1\n"),
            ("src/pkg/b.py", "B = 2\n"),
            ("src/pkg/sub/c.py", "C = 3\n"),
            ("src/x.py", "X = 4\n"),
        ] {
            write(&root.join(rel), text.as_bytes());
        }
        for rel in ["secret.txt", "a.mpy", "x.mpy", "pkg/b.mpy", "pkg/sub/c.mpy"] {
            write(&root.join("outside").join(rel), b"not mpyc's\n");
        }
        let r = mpyc_in(root, &["build", "-q", "-o", "out", "src"]);
        assert_eq!(r.code, 0, "case {case}: {}", r.stderr);
        let out = root.join("out");
        let outside = root.join("outside");

        // Links in the out dir.
        let mut setup = Vec::new();
        if rng.chance(2) {
            std::fs::remove_dir_all(out.join("pkg")).unwrap();
            let target = if rng.chance(2) {
                outside.join("pkg")
            } else {
                outside.clone()
            };
            symlink(&target, out.join("pkg")).unwrap();
            setup.push("pkg -> outside");
        }
        if rng.chance(2) {
            std::fs::remove_file(out.join("a.mpy")).unwrap();
            symlink(outside.join("a.mpy"), out.join("a.mpy")).unwrap();
            setup.push("a.mpy -> outside");
        }
        if rng.chance(2) {
            symlink(&outside, out.join("lnk")).unwrap();
            setup.push("lnk -> outside");
        }
        if rng.chance(1) {
            let _ = std::fs::remove_dir_all(out.join(".mpyc-tmp"));
            symlink(&outside, out.join(".mpyc-tmp")).unwrap();
            setup.push(".mpyc-tmp -> outside");
        }
        if rng.chance(1) {
            symlink(&outside, root.join(".out.mpyc-partial")).unwrap();
            setup.push("staging -> outside");
        }
        // The state, journal and kept list.
        let state_path = out.join(".mpyc-state.json");
        let mut state: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&state_path).unwrap()).unwrap();
        if rng.chance(3) {
            state["format"] = [3, 4][rng.below(2) as usize].into();
        }
        let mut kept = Vec::new();
        for _ in 0..1 + rng.below(6) {
            let key = HOSTILE[rng.below(HOSTILE.len() as u64) as usize];
            if rng.chance(2) {
                state["entries"][key] = entry(&mut rng);
            } else {
                kept.push(key);
            }
        }
        state["kept"] = kept.clone().into();
        if rng.chance(1) {
            std::fs::remove_file(&state_path).unwrap();
            symlink(outside.join("secret.txt"), &state_path).unwrap();
            setup.push("state -> outside");
        } else {
            std::fs::write(&state_path, serde_json::to_vec(&state).unwrap()).unwrap();
        }
        let journal = out.join(".mpyc-journal");
        if rng.chance(1) {
            symlink(outside.join("secret.txt"), &journal).unwrap();
            setup.push("journal -> outside");
        } else if rng.chance(2) {
            let lines: Vec<String> = (0..3)
                .map(|_| {
                    let key = HOSTILE[rng.below(HOSTILE.len() as u64) as usize];
                    serde_json::Value::from(key).to_string()
                })
                .collect();
            std::fs::write(&journal, lines.join("\n")).unwrap();
        }
        // Sources deleted and changed, so outputs are both removed and written.
        if rng.chance(2) {
            std::fs::remove_file(root.join("src/pkg/b.py")).unwrap();
        }
        if rng.chance(2) {
            std::fs::remove_file(root.join("src/a.py")).unwrap();
        }
        if rng.chance(2) {
            write(&root.join("src/x.py"), b"X = 5\n");
        }
        if rng.chance(2) {
            write(&root.join("src/pkg/sub/c.py"), b"C = 6\n");
        }

        let before = snapshot(root, &["out", ".out.mpyc-partial"]);
        for args in [
            &["build", "-q", "-o", "out", "src"][..],
            &["build", "-q", "--force", "-o", "out", "src"],
            &["build", "-q", "-p", "nrf", "-o", "out", "src"],
        ] {
            let r = mpyc_in(root, args);
            assert!(
                r.code == 0 || r.code == 1,
                "case {case} {setup:?} {kept:?}: {args:?} -> {}: {}",
                r.code,
                r.stderr
            );
            assert!(!r.stderr.contains("panicked"), "case {case}: {}", r.stderr);
            let after = snapshot(root, &["out", ".out.mpyc-partial"]);
            assert!(
                after == before,
                "case {case} {setup:?} {kept:?}: {args:?} touched something outside the out \
                 dir:\nbefore {before:?}\nafter {after:?}\n{}",
                r.stderr
            );
        }
        assert!(!Path::new("/tmp/mpyc-confined-never").exists());
    }
}
