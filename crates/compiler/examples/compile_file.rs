//! Compiles .py files with `compiler::compile_with` (one context for all) + `mpyfile::write`,
//! as `mpy-cross` would with default options; prints errors as mpy-cross does. With `--time N`, compiles each file N
//! times and reports the average (a quick performance probe).

use std::time::Instant;

fn main() {
    // Run as a library caller would on a small thread stack.
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(real_main)
        .expect("thread");
    h.join().expect("join");
}

fn real_main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 0usize;
    if args.first().is_some_and(|a| a == "--time") {
        repeat = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
        args.drain(..2.min(args.len()));
    }
    let opts = compiler::CompileOptions::default();
    let mut total = std::time::Duration::ZERO;
    let mut bytes = 0usize;
    let mut ctx = compiler::CompileContext::new();
    for path in &args {
        let Ok(source) = std::fs::read(path) else {
            eprintln!("OSError: 2");
            continue;
        };
        bytes += source.len();
        let names = compiler::SourceNames {
            path: path.as_bytes(),
            source_name: None,
        };
        if repeat > 0 {
            let t = Instant::now();
            for _ in 0..repeat {
                let _ = compiler::compile_with(&mut ctx, &source, names, &opts);
            }
            total += t.elapsed() / repeat as u32;
            continue;
        }
        match compiler::compile_with(&mut ctx, &source, names, &opts) {
            Ok(m) => {
                let out = format!("{}mpy", path.strip_suffix("py").unwrap_or(path));
                std::fs::write(out, mpyfile::write(&m)).expect("write");
            }
            Err(e) => eprint!("{}", e.render()),
        }
    }
    if repeat > 0 {
        println!(
            "{} files, {} bytes, {:?} per pass",
            args.len(),
            bytes,
            total
        );
    }
}
