//! The example project `examples/blinky` builds from the repository root as its README says,
//! byte for byte what its Makefile-style oracle runs give.

use std::path::PathBuf;

use crate::build_support::{files, hex, mpyc_in, oracle_mpy};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

#[test]
fn blinky_builds_like_its_firmware_makefile() {
    let repo = repo();
    let out = tempfile::tempdir().expect("temp dir");
    let out_s = out.path().display().to_string();
    let r = mpyc_in(&repo, &["build", "--out-dir", &out_s, "examples/blinky"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.starts_with("compiled 6, up to date 0, failed 0;"),
        "{}",
        r.stdout
    );
    let built = files(out.path());
    let names: Vec<&str> = built.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "blinky/__init__.mpy",
            "blinky/led.mpy",
            "blinky/pattern.mpy",
            "main.mpy",
            "vendor/__init__.mpy",
            "vendor/easing.mpy"
        ],
        "pattern_test.py is excluded by mpyc.toml"
    );
    // The profile named in mpyc.toml is esp8266: `-march=xtensa`.
    for rel in [
        "main.py",
        "blinky/__init__.py",
        "blinky/led.py",
        "blinky/pattern.py",
        "vendor/__init__.py",
    ] {
        let want = oracle_mpy(&repo, "examples/blinky/src", rel, &["-march=xtensa"]);
        assert_eq!(
            hex(&built[&rel.replace(".py", ".mpy")]),
            hex(&want),
            "{rel}"
        );
    }
    // The prebuilt library is copied through unchanged, and is what its recipe makes.
    let prebuilt = std::fs::read(repo.join("examples/blinky/src/vendor/easing.mpy")).unwrap();
    assert_eq!(built["vendor/easing.mpy"], prebuilt);
    let remade = oracle_mpy(
        &repo.join("examples/blinky"),
        "vendor-src",
        "easing.py",
        &["-march=xtensa"],
    );
    assert_eq!(hex(&remade), hex(&prebuilt));
    // const() folded: the module keeps no name for the private constant.
    assert!(!built["blinky/led.mpy"].windows(7).any(|w| w == b"_DOT_MS"));
}
