//! Print the parse tree of a file (debugging aid): `parse_dump FILE [--lines | --ref]`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: parse_dump FILE [--lines | --ref]");
        std::process::exit(2);
    };
    let lines = args.iter().any(|a| a == "--lines");
    let source = match std::fs::read(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mut pool = mpcore::QstrPool::new();
    pool.intern(path.as_bytes());
    match syntax::parse(&source, &mut pool, &syntax::ParseOptions::default()) {
        Ok(tree) if args.iter().any(|a| a == "--ref") => {
            use std::io::Write;
            let text = syntax::dump::dump_reference_style(&tree, &pool);
            let _ = std::io::stdout().write_all(&text);
        }
        Ok(tree) => println!("{}", syntax::dump::dump(&tree, &pool, lines)),
        Err(mut e) => {
            if let Some(loc) = e.location.as_mut() {
                loc.file = path.clone().into_bytes();
            }
            eprint!("{}", e.render());
            std::process::exit(1);
        }
    }
}
