//! Round trip against the oracle: for corpus files mpy-cross 1.11 compiles under each flag
//! set, `write(read(bytes)) == bytes`, the target-checked read accepts the file, and both
//! dumps (what `mpyc dump` prints) render it. A seeded sample of 40 files per flag set by default; every file with
//! `MPYC_CONFORMANCE_FULL=1`.

mod common;

use common::{compile, corpus_files, flag_sets, par_map, sample, Outcome};
use mpcore::Target;

#[derive(Default, Debug)]
struct Counts {
    checked: usize,
    compile_errors: usize,
    crashed: usize,
    failures: Vec<String>,
}

#[test]
fn oracle_files_round_trip_under_every_flag_set() {
    let files = corpus_files();
    assert!(files.len() > 1000, "corpus too small: {}", files.len());
    let mut all_failures = Vec::new();
    let mut total = 0;
    for (i, flags) in flag_sets().iter().enumerate() {
        let chosen = sample(&files, 40, 0x6d70_7966 + i as u64);
        let results = par_map(&chosen, |rel| {
            let outcome = compile(flags, rel);
            let Outcome::Compiled(bytes) = outcome else {
                return Err(outcome);
            };
            Ok(check_one(&bytes).map_err(|e| format!("{}: {}: {e}", flags.name, rel.display())))
        });
        let mut c = Counts::default();
        for r in results {
            match r {
                Ok(Ok(())) => c.checked += 1,
                Ok(Err(msg)) => {
                    c.checked += 1;
                    c.failures.push(msg);
                }
                Err(Outcome::CompileError) => c.compile_errors += 1,
                Err(_) => c.crashed += 1,
            }
        }
        println!(
            "round trip {:<20} files {:>5}  compiled {:>5}  identical {:>5}  differ {:>3}  compile errors {:>4}  oracle crashed {:>4}",
            flags.name,
            chosen.len(),
            c.checked,
            c.checked - c.failures.len(),
            c.failures.len(),
            c.compile_errors,
            c.crashed
        );
        assert!(
            c.checked > 0 || chosen.is_empty(),
            "{}: nothing compiled",
            flags.name
        );
        if !flags.native {
            assert_eq!(
                c.crashed, 0,
                "{}: the oracle crashed on bytecode output",
                flags.name
            );
        }
        total += c.checked;
        all_failures.extend(c.failures);
    }
    println!(
        "round trip total: {total} files checked, {} differ",
        all_failures.len()
    );
    assert!(
        all_failures.is_empty(),
        "{} files failed:\n{}",
        all_failures.len(),
        all_failures.join("\n")
    );
}

/// Every check made on one oracle-written file.
fn check_one(bytes: &[u8]) -> Result<(), String> {
    let module = mpyfile::read(bytes).map_err(|e| format!("read: {e}"))?;
    let again = mpyfile::try_write(&module).map_err(|e| format!("write: {e}"))?;
    if again != bytes {
        let at = again
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(again.len().min(bytes.len()));
        return Err(format!(
            "rewritten bytes differ at byte {at} (len {} vs {})",
            again.len(),
            bytes.len()
        ));
    }
    // The target the file was made for accepts it (arch from the header, or any when bytecode).
    let target = Target {
        arch: if module.target.arch == mpcore::Arch::None {
            mpcore::Arch::X64
        } else {
            module.target.arch
        },
        ..module.target
    };
    mpyfile::read_for_target(bytes, &target).map_err(|e| format!("read_for_target: {e}"))?;
    // `mpyc dump` shows it, in both forms.
    let d = mpyfile::dump::inspect(bytes).map_err(|e| format!("dump: {e}"))?;
    let text = d.to_text();
    // (A viper module has no prelude and so no name.)
    if !text.starts_with("mpy version 4\n") || !text.contains("\nraw code ") {
        return Err("dump text lacks its header or module".to_string());
    }
    let json: serde_json::Value =
        serde_json::from_str(&d.to_json()).map_err(|e| format!("dump json: {e}"))?;
    if json["raw_code"]["kind"] != module.root.kind().name() {
        return Err("dump json lacks the module".to_string());
    }
    Ok(())
}
