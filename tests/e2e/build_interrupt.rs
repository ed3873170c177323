//! Kill-anywhere (issue 10): a build that switches profile, stopped by SIGINT or SIGKILL at 20
//! pseudo-random moments (some into a new out dir, some into an existing one); after each, one
//! normal build leaves every output byte-identical to a clean build, and no temporaries.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::build_support::{files, mpyc_in, write};

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
}

/// Leftovers of interrupted builds anywhere under `dir`: temporaries, the journal, staging
/// folders.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            if e.file_type().expect("type").is_dir() {
                if name.ends_with(".mpyc-partial") {
                    found.push(p.clone());
                }
                stack.push(p);
            } else if name.ends_with(".tmp")
                || (name.starts_with(".mpyc-") && name != ".mpyc-state.json")
            {
                found.push(p);
            }
        }
    }
    found
}

#[test]
fn a_build_killed_anywhere_is_mended_by_the_next_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..150 {
        let body = format!(
            "V = {i}\ndef f(a, b={i}):\n    return {{k: a * k + b for k in range({i})}}\n\
             class K{i}:\n    x = 'unicode \u{e9} {i}'\n"
        );
        write(
            &dir.path().join(format!("src/p{}/m{i:03}.py", i % 5)),
            body.as_bytes(),
        );
    }
    let r = mpyc_in(dir.path(), &["build", "-p", "unix", "-o", "clean", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clean = files(&dir.path().join("clean"));
    // How long a whole build with another profile takes here: the kills fall within it.
    let started = Instant::now();
    let r = mpyc_in(dir.path(), &["build", "-p", "nrf", "-o", "timing", "src"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let span = started.elapsed().as_micros().max(2_000) as u64;

    let mut rng = Lcg(0x1d_2026);
    let others = ["nrf", "esp8266", "default", "pic16bit"];
    for round in 0..20 {
        let out = dir.path().join("out");
        // Every fourth round starts from no out dir (the staging folder's path).
        if round % 4 == 0 && out.exists() {
            std::fs::remove_dir_all(&out).unwrap();
        }
        let profile = others[rng.below(others.len() as u64) as usize];
        let delay = Duration::from_micros(rng.below(span * 12 / 10));
        let signal = if round % 2 == 0 { "INT" } else { "KILL" };
        let mut child = Command::new(crate::support::mpyc())
            .args(["build", "-q", "-j2", "-p", profile, "-o", "out", "src"])
            .current_dir(dir.path())
            .env_remove("MAKEFLAGS")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .expect("kill");
        let status = child.wait().expect("wait");
        let r = mpyc_in(dir.path(), &["build", "-p", "unix", "-o", "out", "src"]);
        let what = format!(
            "round {round}: {profile} stopped by SIG{signal} after {delay:?} (sent: {sent}, \
             {status})"
        );
        assert_eq!(r.code, 0, "{what}: {}", r.stderr);
        assert!(files(&out) == clean, "{what}: {}", r.stdout);
        assert_eq!(leftovers(dir.path()), Vec::<PathBuf>::new(), "{what}");
    }
}
