//! `mpyc profiles`: the shipped board profiles with their flags and header bytes.

use std::process::ExitCode;

use super::cli::ProfilesArgs;
use super::profile::{self, Profile};

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn show(p: &Profile) -> String {
    let t = &p.options.target;
    let flags = p.mpy_cross_flags();
    let flags = if flags.is_empty() {
        "(none)".to_string()
    } else {
        flags.join(" ")
    };
    let mut s = format!("# {}: {}\n", p.name, p.description);
    s.push_str(&format!(
        "# mpy-cross flags: {flags}\n# header: {}\n",
        hex(&p.header())
    ));
    s.push_str(&format!("description = {:?}\n", p.description));
    if t.release != mpcore::Release::V1_11 {
        s.push_str(&format!("micropython = \"{}\"\n", t.release));
    }
    if t.release.generation() == mpcore::Generation::Mpy6 {
        // 1.19 to 1.29's keys: no unicode or lookup-cache flags, their own -march names.
        s.push_str(&format!("mpy_version = {}\n", p.mpy_version));
        s.push_str(&format!("arch = {:?}\n", p.v6.arch.name()));
        s.push_str(&format!("small_int_bits = {}\n", t.small_int_bits));
        s.push_str(&format!("opt_level = {}\n", p.options.opt_level));
        s.push_str(&format!("emit = {:?}\n", emit_name(p.options.emit)));
        return s;
    }
    s.push_str(&format!("mpy_version = {}\n", p.mpy_version));
    s.push_str(&format!("arch = {:?}\n", t.arch.name()));
    s.push_str(&format!("small_int_bits = {}\n", t.small_int_bits));
    s.push_str(&format!("unicode = {}\n", t.unicode));
    s.push_str(&format!("cache_lookup_bc = {}\n", t.cache_lookup_bc));
    s.push_str(&format!("opt_level = {}\n", p.options.opt_level));
    s.push_str(&format!("emit = {:?}\n", emit_name(p.options.emit)));
    s
}

fn emit_name(e: compiler::DefaultEmit) -> &'static str {
    match e {
        compiler::DefaultEmit::Bytecode => "bytecode",
        compiler::DefaultEmit::Native => "native",
        compiler::DefaultEmit::Viper => "viper",
    }
}

/// Runs `mpyc profiles` with its parsed arguments.
pub fn run(args: ProfilesArgs) -> ExitCode {
    if let Some(spec) = args.show {
        return match profile::resolve(&spec) {
            Ok(p) => {
                let mut stdout = std::io::stdout().lock();
                let _ = std::io::Write::write_all(&mut stdout, show(&p).as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let mut rows = Vec::new();
    for p in profile::all_shipped() {
        match p {
            Ok(p) => rows.push(p),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let name_w = rows.iter().map(|p| p.name.len()).max().unwrap_or(4).max(4);
    let flags: Vec<String> = rows
        .iter()
        .map(|p| {
            let f = p.mpy_cross_flags();
            if f.is_empty() {
                "-".to_string()
            } else {
                f.join(" ")
            }
        })
        .collect();
    let flags_w = flags.iter().map(String::len).max().unwrap_or(5).max(5);
    let mut out = format!(
        "{:<name_w$}  {:<9}  {:<11}  {:<flags_w$}  DESCRIPTION\n",
        "NAME", "ARCH", "HEADER", "FLAGS"
    );
    for (p, f) in rows.iter().zip(&flags) {
        let arch = if p.options.target.release.generation() != mpcore::Generation::Mpy6 {
            p.options.target.arch.name()
        } else {
            p.v6.arch.name()
        };
        out.push_str(&format!(
            "{:<name_w$}  {:<9}  {:<11}  {:<flags_w$}  {}\n",
            p.name,
            arch,
            hex(&p.header()),
            f,
            p.description
        ));
    }
    // A closed pipe (`mpyc profiles | head`) is not an error.
    let mut stdout = std::io::stdout().lock();
    let _ = std::io::Write::write_all(&mut stdout, out.as_bytes());
    ExitCode::SUCCESS
}
