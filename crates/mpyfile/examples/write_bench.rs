//! Writer micro-benchmark: reads every `.mpy` under a folder, writes each back `N` times and
//! checks the bytes come out identical (`cargo run --release -p mpyfile --example write_bench
//! -- DIR [N]`); run it under callgrind to count the writer's instructions.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "mpy") {
            out.push(p);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: write_bench DIR [N]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let mut paths = Vec::new();
    collect(Path::new(&dir), &mut paths);
    let mut modules = Vec::new();
    for p in &paths {
        let bytes = std::fs::read(p).unwrap_or_default();
        match mpyfile::read(&bytes) {
            Ok(m) => modules.push((p, bytes, m)),
            Err(e) => eprintln!("{}: {e}", p.display()),
        }
    }
    let start = std::time::Instant::now();
    let mut total = 0usize;
    let mut differ = 0usize;
    for _ in 0..rounds {
        for (p, bytes, m) in &modules {
            let out = mpyfile::write(m);
            total += out.len();
            if out != *bytes {
                differ += 1;
                eprintln!("{}: differs", p.display());
            }
        }
    }
    println!(
        "{} files x {rounds}: {total} bytes written, {differ} differ, {:?}",
        modules.len(),
        start.elapsed()
    );
    if differ != 0 {
        std::process::exit(1);
    }
}
