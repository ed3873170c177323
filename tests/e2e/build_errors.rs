//! `mpyc build` with bad modules: every one reported, in a stable order, exit 1; JSON output;
//! project files; the depfile; make's jobserver.

use crate::build_support::{hex, mpyc_in, oracle_error, oracle_mpy, tree, write};

const BAD: &[(&str, &str)] = &[
    ("a_bad.py", "x = (1,\n"),
    ("pkg/b_bad.py", "def f():\n    return 1\n  x = 2\n"),
    ("pkg/c_bad.py", "def f():\n    yield from\n"),
    ("z_bad.py", "for x in 1:\n    pass\nelse:\n    break\n"),
];

fn bad_tree() -> tempfile::TempDir {
    let mut files: Vec<(&str, &str)> = BAD.to_vec();
    files.push(("good.py", "print('ok')\n"));
    files.push(("pkg/__init__.py", ""));
    files.push(("pkg/fine.py", "def g(a, *b, **c):\n    return a\n"));
    tree("src", &files)
}

#[test]
fn every_bad_module_is_reported_in_order_and_good_ones_built() {
    let dir = bad_tree();
    let r1 = mpyc_in(dir.path(), &["build", "-j1", "--out-dir", "out", "src"]);
    assert_eq!(r1.code, 1, "{}{}", r1.stdout, r1.stderr);
    let r2 = mpyc_in(
        dir.path(),
        &["build", "-j2", "--force", "--out-dir", "out", "src"],
    );
    assert_eq!(r1.stderr, r2.stderr, "diagnostics do not depend on -j");
    // Nothing changed: failures are remembered, not compiled again, and reported the same.
    let r3 = mpyc_in(dir.path(), &["build", "--out-dir", "out", "src"]);
    assert_eq!(r3.code, 1);
    assert_eq!(r1.stderr, r3.stderr);
    assert!(
        r3.stdout.contains("compiled 0, up to date 3, failed 4"),
        "{}",
        r3.stdout
    );
    let heads: Vec<&str> = r1
        .stderr
        .lines()
        .filter(|l| l.starts_with("src/"))
        .collect();
    assert_eq!(heads.len(), BAD.len(), "{}", r1.stderr);
    for (head, (rel, _)) in heads.iter().zip(BAD) {
        assert!(head.starts_with(&format!("src/{rel}:")), "{head}");
        // The message is the oracle's own last line.
        let want = oracle_error(dir.path(), "src", rel, &[]);
        let last = want.lines().last().unwrap_or_default();
        assert!(
            head.ends_with(last) || head.contains(&format!("{last} (in ")),
            "{head} vs oracle {last}"
        );
    }
    assert!(
        r1.stdout.contains("compiled 3, up to date 0, failed 4"),
        "{}",
        r1.stdout
    );
    for rel in ["good.py", "pkg/__init__.py", "pkg/fine.py"] {
        let got = std::fs::read(dir.path().join("out").join(rel.replace(".py", ".mpy"))).unwrap();
        assert_eq!(hex(&got), hex(&oracle_mpy(dir.path(), "src", rel, &[])));
    }
    // The source line is shown under the headline.
    assert!(
        r1.stderr.contains("\n3 |   x = 2\n  |   ^\n"),
        "{}",
        r1.stderr
    );
}

#[test]
fn json_diagnostics_carry_the_oracle_traceback() {
    let dir = bad_tree();
    let r = mpyc_in(
        dir.path(),
        &[
            "build",
            "--message-format",
            "json",
            "--out-dir",
            "out",
            "src",
        ],
    );
    assert_eq!(r.code, 1);
    let objs: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(objs.len(), BAD.len() + 1, "{}", r.stdout);
    for (o, (rel, _)) in objs.iter().zip(BAD) {
        assert_eq!(o["type"], "diagnostic");
        assert_eq!(o["file"], format!("src/{rel}"));
        assert_eq!(o["source_name"], *rel);
        assert!(o["line"].as_u64().is_some(), "{o}");
        assert_eq!(
            o["traceback"].as_str().unwrap_or_default(),
            oracle_error(dir.path(), "src", rel, &[]),
            "{rel}"
        );
    }
    let summary = &objs[BAD.len()];
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["failed"], 4);
    assert_eq!(summary["compiled"], 3);
}

#[test]
fn failed_module_loses_its_old_output() {
    let dir = tree("src", &[("m.py", "x = 1\n")]);
    assert_eq!(
        mpyc_in(dir.path(), &["build", "-q", "--out-dir", "out", "src"]).code,
        0
    );
    assert!(dir.path().join("out/m.mpy").exists());
    write(&dir.path().join("src/m.py"), b"x = = 1\n");
    assert_eq!(
        mpyc_in(dir.path(), &["build", "-q", "--out-dir", "out", "src"]).code,
        1
    );
    assert!(
        !dir.path().join("out/m.mpy").exists(),
        "no stale output for a module that fails now"
    );
    write(&dir.path().join("src/m.py"), b"x = 2\n");
    assert_eq!(
        mpyc_in(dir.path(), &["build", "-q", "--out-dir", "out", "src"]).code,
        0
    );
    assert!(dir.path().join("out/m.mpy").exists());
}

#[test]
fn project_file_drives_a_bare_build() {
    let dir = tree(
        "proj",
        &[
            ("src/app.py", "import lib\n"),
            ("src/lib.py", "X = 1\n"),
            ("src/tests/t.py", "syntax error here\n"),
        ],
    );
    write(
        &dir.path().join("proj/mpyc.toml"),
        b"profile = \"nrf\"\nroots = [\"src\"]\nexclude = [\"tests\"]\n",
    );
    let proj = dir.path().join("proj");
    let r = mpyc_in(&proj, &["build"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let got =
        std::fs::read(proj.join("build/nrf/app.mpy")).expect("build/<profile> beside mpyc.toml");
    assert_eq!(
        hex(&got),
        hex(&oracle_mpy(&proj, "src", "app.py", &["-mno-unicode"]))
    );

    // From outside, the project folder as given is part of the path: `proj/src/<rel>`.
    let r = mpyc_in(dir.path(), &["build", "-q", "--force", "proj"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got = std::fs::read(proj.join("build/nrf/lib.mpy")).unwrap();
    assert_eq!(
        hex(&got),
        hex(&oracle_mpy(
            dir.path(),
            "proj/src",
            "lib.py",
            &["-mno-unicode"]
        ))
    );

    // Command-line flags win.
    let r = mpyc_in(
        &proj,
        &["build", "-q", "--profile", "unix", "--out-dir", "elsewhere"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read(proj.join("elsewhere/lib.mpy")).unwrap()[..4],
        [0x4d, 0x04, 0x03, 0x1f]
    );

    write(
        &proj.join("mpyc.toml"),
        b"profile = \"nrf\"\nroot = [\"src\"]\n",
    );
    let r = mpyc_in(&proj, &["build"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("mpyc.toml:2: key `root`: unknown key"),
        "{}",
        r.stderr
    );
}

#[test]
fn depfile_lists_outputs_and_sources() {
    let dir = tree("src", &[("a.py", "x = 1\n"), ("pkg/b.py", "y = 2\n")]);
    let r = mpyc_in(
        dir.path(),
        &[
            "build",
            "-q",
            "--out-dir",
            "out",
            "--depfile",
            "out/deps.mk",
            "src",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = std::fs::read_to_string(dir.path().join("out/deps.mk")).unwrap();
    assert!(d.contains("out/a.mpy: src/a.py\n"), "{d}");
    assert!(d.contains("out/pkg/b.mpy: src/pkg/b.py\n"), "{d}");
    assert!(
        d.contains("out/deps.mk: \\\n src/a.py \\\n src/pkg/b.py"),
        "{d}"
    );
}

#[test]
fn make_jobserver_drives_the_build() {
    let dir = tree(
        "src",
        &[
            ("a.py", "x = 1\n"),
            ("b.py", "y = 2\n"),
            ("c.py", "z = 3\n"),
        ],
    );
    let mpyc = crate::support::mpyc();
    let makefile = format!(
        "out/deps.mk: $(wildcard src/*.py)\n\t+{} build -q --out-dir out --depfile $@ src\n",
        mpyc.display()
    );
    write(&dir.path().join("Makefile"), makefile.as_bytes());
    let out = std::process::Command::new("make")
        .arg("-j2")
        .current_dir(dir.path())
        .output()
        .expect("make");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for n in ["a", "b", "c"] {
        let got = std::fs::read(dir.path().join(format!("out/{n}.mpy"))).unwrap();
        assert_eq!(
            hex(&got),
            hex(&oracle_mpy(dir.path(), "src", &format!("{n}.py"), &[]))
        );
    }
    // Nothing changed: make has nothing to do.
    let out = std::process::Command::new("make")
        .arg("-j2")
        .current_dir(dir.path())
        .output()
        .expect("make");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("up to date"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
