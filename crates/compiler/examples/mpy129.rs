//! Compiles Python files as mpy-cross 1.29 would, for comparing with the reference:
//! `mpy129 [-O<n>] [-msmall-int-bits=N] [-X no-source-lines] OUT_DIR FILE...` writes `OUT_DIR/<i>.mpy` for the i-th file (0-based), or
//! `OUT_DIR/<i>.err` holding the error text.

use compiler::options::{CompileOptions, SourceNames};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = CompileOptions::default();
    let mut source_lines = true;
    opts.target.release = mpcore::Release::V1_29;
    while let Some(a) = args.first() {
        if let Some(n) = a.strip_prefix("-O") {
            opts.opt_level = n.parse().unwrap_or(1);
        } else if a == "-X" && args.get(1).map(String::as_str) == Some("no-source-lines") {
            source_lines = false;
            args.remove(0);
        } else if let Some(n) = a.strip_prefix("-msmall-int-bits=") {
            opts.target.small_int_bits = n.parse().unwrap_or(31);
        } else {
            break;
        }
        args.remove(0);
    }
    let Some((out_dir, files)) = args.split_first() else {
        eprintln!("usage: mpy129 [-O<n>] OUT_DIR FILE...");
        std::process::exit(2);
    };
    for (i, f) in files.iter().enumerate() {
        let src = match std::fs::read(f) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{f}: {e}");
                continue;
            }
        };
        let names = SourceNames {
            path: f.as_bytes(),
            source_name: None,
        };
        let res = compiler::release::v1_29::compile_with_lines(&src, names, &opts, source_lines);
        let written = match res {
            Ok(m) => match mpyfile::v6::write(&m) {
                Ok(bytes) => std::fs::write(format!("{out_dir}/{i}.mpy"), bytes),
                Err(e) => std::fs::write(format!("{out_dir}/{i}.err"), e.to_string()),
            },
            Err(e) => std::fs::write(format!("{out_dir}/{i}.err"), e.render()),
        };
        if let Err(e) = written {
            eprintln!("{out_dir}: {e}");
        }
    }
}
