//! Lex+parse throughput over a directory of Python files: `parse_bench [DIR] [ROUNDS]`.
//! Prints MB/s on one core (use a release build); `LEX_ONLY=1` times the lexer alone,
//! `MICROPYTHON=1.22` parses as that release (1.11 by default); `SELECT=1.11` times only the
//! files that also parse as that release (the same bytes for two releases' figures).

use std::path::PathBuf;
use std::time::Instant;

/// CPU time of this thread in seconds (`/proc/thread-self/schedstat`), so a busy machine
/// does not inflate the figure; wall time is used where that file is missing.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(testkit::stdlib_dir);
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let files = testkit::python_files(&dir);
    let release: mpcore::Release = match std::env::var("MICROPYTHON") {
        Ok(v) => v.parse().unwrap_or_else(|_| panic!("unknown release {v}")),
        Err(_) => mpcore::Release::V1_11,
    };
    let opts0 = syntax::ParseOptions {
        release,
        ..Default::default()
    };
    let all: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let n_all = all.len();
    let select: Option<mpcore::Release> = std::env::var("SELECT")
        .ok()
        .map(|v| v.parse().unwrap_or_else(|_| panic!("unknown release {v}")));
    let parses = |s: &[u8], release| {
        let opts = syntax::ParseOptions {
            release,
            ..Default::default()
        };
        syntax::parse(s, &mut mpcore::QstrPool::new(), &opts).is_ok()
    };
    // Time only files that parse to the end (failing files stop early).
    let sources: Vec<Vec<u8>> = all
        .into_iter()
        .filter(|s| parses(s, release) && select.is_none_or(|r| parses(s, r)))
        .collect();
    println!(
        "{n_all} files, {} of them parse; timing those",
        sources.len()
    );
    let bytes: usize = sources.iter().map(Vec::len).sum();
    let opts = opts0;
    let lex_only = std::env::var_os("LEX_ONLY").is_some();
    let mut best = f64::MAX;
    let mut ok = 0;
    for _ in 0..rounds {
        // Fresh pools for each file, made before the clock starts.
        let mut pools: Vec<mpcore::QstrPool> =
            sources.iter().map(|_| mpcore::QstrPool::new()).collect();
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        ok = 0;
        for (s, pool) in sources.iter().zip(pools.iter_mut()) {
            if lex_only {
                let Ok(mut lex) = syntax::Lexer::new(s) else {
                    continue;
                };
                while lex.kind() != syntax::TokenKind::End {
                    if lex.advance().is_err() {
                        break;
                    }
                }
                ok += 1;
                continue;
            }
            if syntax::parse(s, pool, &opts).is_ok() {
                ok += 1;
            }
        }
        let elapsed = match (cpu_start, cpu_seconds()) {
            (Some(a), Some(b)) => b - a,
            _ => start.elapsed().as_secs_f64(),
        };
        best = best.min(elapsed);
    }
    println!(
        "{} files, {:.1} MB, {} parsed: best of {rounds}: {:.3} s CPU = {:.1} MB/s",
        sources.len(),
        bytes as f64 / 1e6,
        ok,
        best,
        bytes as f64 / 1e6 / best
    );
}
