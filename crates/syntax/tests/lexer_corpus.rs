//! Lexes every file of CPython 3.11's standard library (the project's public corpus) to END or
//! an error: never a panic, never a loop. Prints the throughput; run with `--release
//! -- --nocapture` for a meaningful MB/s figure.

use std::path::PathBuf;
use std::time::Instant;

use syntax::{Lexer, TokenKind};

/// The corpus: `$MPYC_STDLIB`, or the CPython 3.11 standard library of this machine.
fn stdlib() -> PathBuf {
    let p = std::env::var_os("MPYC_STDLIB")
        .map(PathBuf::from)
        .unwrap_or_else(testkit::stdlib_dir);
    assert!(
        p.is_dir(),
        "the CPython 3.11 stdlib is missing at {}: set MPYC_STDLIB",
        p.display()
    );
    p
}

/// CPU time of the calling thread, from `/proc/thread-self/schedstat` (nanoseconds on CPU).
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

/// Lex to END or the first exception; returns the number of tokens.
fn lex_file(src: &[u8]) -> usize {
    let mut lx = match Lexer::new(src) {
        Ok(lx) => lx,
        Err(_) => return 0,
    };
    let mut n = 1;
    while lx.kind() != TokenKind::End {
        if lx.advance().is_err() {
            break;
        }
        n += 1;
        // Every token consumes input or is one of a bounded number of INDENT/DEDENTs.
        assert!(n <= 4 * src.len() + 16, "lexer does not terminate");
    }
    n
}

#[test]
fn lexes_the_whole_stdlib() {
    let files = testkit::python_files(&stdlib());
    assert!(files.len() > 1000, "only {} files found", files.len());
    let sources: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("read"))
        .collect();
    let bytes: usize = sources.iter().map(Vec::len).sum();
    // Best of several runs in release builds (the machine is shared); one run otherwise.
    // Timed in this thread's CPU time where Linux reports it, else by the wall clock.
    let runs = if cfg!(debug_assertions) { 1 } else { 7 };
    let mut secs = f64::INFINITY;
    let mut tokens = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let cpu_start = thread_cpu_seconds();
        tokens = sources.iter().map(|s| lex_file(s)).sum();
        let elapsed = match (cpu_start, thread_cpu_seconds()) {
            (Some(a), Some(b)) => b - a,
            _ => start.elapsed().as_secs_f64(),
        };
        secs = secs.min(elapsed);
    }
    println!(
        "{} files, {:.1} MB, {} tokens in {:.3} s (CPU): {:.0} MB/s",
        files.len(),
        bytes as f64 / 1e6,
        tokens,
        secs,
        bytes as f64 / 1e6 / secs
    );
    assert!(tokens > bytes / 20, "too few tokens: {tokens}");
}
