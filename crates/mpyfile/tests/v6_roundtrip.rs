//! Round trip against mpy-cross 1.29: for corpus files it compiles under each of its flag sets
//! (bytecode options, and native/viper code for every `-march` it takes), `v6::read` accepts
//! the file and `v6::write` gives back the same bytes. A seeded sample of 40 files per flag set
//! by default; every file with `MPYC_CONFORMANCE_FULL=1`.

mod common;

use common::{compile_with, corpus_files, par_map, sample, FlagSet, Outcome};
use mpyfile::v6;

/// 1.29's flag sets: bytecode options, then native and viper code for each architecture.
fn flag_sets_129() -> Vec<FlagSet> {
    let set = |name: String, args: &[&str], native: bool| FlagSet {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        native,
    };
    let mut v = vec![
        set("default".into(), &[], false),
        set("O3".into(), &["-O3"], false),
        set("small-int-bits-63".into(), &["-msmall-int-bits=63"], false),
        set("no-source-lines".into(), &["-X", "no-source-lines"], false),
    ];
    for emit in ["native", "viper"] {
        // rv64imc is on 1.29's `-march=` list, but its mpy-cross has no emitter for it: every
        // native function fails with "cannot emit native code for this architecture".
        for arch in rawcode::v6::Arch::ALL
            .iter()
            .skip(1)
            .filter(|a| **a != rawcode::v6::Arch::Rv64imc)
        {
            let (e, m) = (format!("emit={emit}"), format!("-march={}", arch.name()));
            v.push(set(
                format!("{emit}-{}", arch.name()),
                &["-X", &e, &m],
                true,
            ));
        }
        let e = format!("emit={emit}");
        v.push(set(
            format!("{emit}-rv32imc-zba-zcmp"),
            &["-X", &e, "-march=rv32imc", "-march-flags=zba,zcmp"],
            true,
        ));
    }
    v
}

#[test]
fn oracle_129_files_round_trip_under_every_flag_set() {
    let oracle = testkit::oracle_129();
    let files = corpus_files();
    let mut failures = Vec::new();
    let (mut total, mut native_seen) = (0, 0);
    for (i, flags) in flag_sets_129().iter().enumerate() {
        let chosen = sample(&files, 40, 0x7636_0000 + i as u64);
        let results = par_map(&chosen, |rel| {
            match compile_with(&oracle, "1.29", flags, rel) {
                Outcome::Compiled(bytes) => Some(
                    check_one(&bytes)
                        .map_err(|e| format!("{}: {}: {e}", flags.name, rel.display())),
                ),
                _ => None,
            }
        });
        let checked = results.iter().flatten().count();
        println!(
            "v6 round trip {:<24} files {:>5}  compiled {:>5}",
            flags.name,
            chosen.len(),
            checked
        );
        assert!(checked > 0, "{}: the oracle compiled nothing", flags.name);
        for r in results.into_iter().flatten() {
            match r {
                Ok(native) => native_seen += usize::from(native),
                Err(e) => failures.push(e),
            }
        }
        total += checked;
    }
    println!(
        "v6 round trip total: {total} files, {native_seen} with native code, {} differ",
        failures.len()
    );
    assert!(native_seen > 100, "too few native files: {native_seen}");
    assert!(
        failures.is_empty(),
        "{} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Reads and writes back one file; says whether it had native code.
fn check_one(bytes: &[u8]) -> Result<bool, String> {
    let module = v6::read(bytes).map_err(|e| format!("read: {e}"))?;
    let again = v6::write(&module).map_err(|e| format!("write: {e}"))?;
    if again != bytes {
        let at = again
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(again.len().min(bytes.len()));
        return Err(format!(
            "written back differently from byte {at} ({} vs {} bytes)",
            again.len(),
            bytes.len()
        ));
    }
    if module.has_native() != (module.header.arch != rawcode::v6::Arch::None) {
        return Err(format!(
            "header arch {} but has_native() is {}",
            module.header.arch.name(),
            module.has_native()
        ));
    }
    Ok(module.has_native())
}
