//! `mpyc profiles` and `mpyc build --profile`: every shipped board profile gives the bytes the
//! oracle gives with that port's mpy-cross flags.

use crate::build_support::{hex, mpyc_in, oracle_mpy, tree, write};

/// Each shipped profile with the mpy-cross 1.11 flags that stand for it (from the port's Makefile
/// and mpconfigport.h at v1.11) and the header the oracle writes with them for bytecode.
const PROFILES: &[(&str, &[&str], [u8; 4])] = &[
    ("default", &[], [0x4d, 0x04, 0x02, 0x1f]),
    ("unix", &["-mcache-lookup-bc"], [0x4d, 0x04, 0x03, 0x1f]),
    ("windows", &["-mcache-lookup-bc"], [0x4d, 0x04, 0x03, 0x1f]),
    ("stm32", &["-march=armv7m"], [0x4d, 0x04, 0x02, 0x1f]),
    ("pyboard", &["-march=armv7m"], [0x4d, 0x04, 0x02, 0x1f]),
    ("esp8266", &["-march=xtensa"], [0x4d, 0x04, 0x02, 0x1f]),
    ("esp32", &[], [0x4d, 0x04, 0x02, 0x1f]),
    ("nrf", &["-mno-unicode"], [0x4d, 0x04, 0x00, 0x1f]),
    ("cc3200", &[], [0x4d, 0x04, 0x02, 0x1f]),
    (
        "teensy",
        &["-mno-unicode", "-march=armv7m"],
        [0x4d, 0x04, 0x00, 0x1f],
    ),
    (
        "qemu-arm",
        &["-mno-unicode", "-march=armv7m"],
        [0x4d, 0x04, 0x00, 0x1f],
    ),
    (
        "pic16bit",
        &["-mno-unicode", "-msmall-int-bits=14"],
        [0x4d, 0x04, 0x00, 0x0e],
    ),
    ("minimal", &["-mno-unicode"], [0x4d, 0x04, 0x00, 0x1f]),
    ("bare-arm", &["-mno-unicode"], [0x4d, 0x04, 0x00, 0x1f]),
    ("zephyr", &["-mno-unicode"], [0x4d, 0x04, 0x00, 0x1f]),
    ("javascript", &[], [0x4d, 0x04, 0x02, 0x1f]),
];

const MODULE: &str = "import gc\nN = 5000\nBIG = 1 << 20\n\ndef blink(pin, n=N):\n    for i in range(n):\n        pin.value(i & 1)\n    return 'done'\n";

#[test]
fn profiles_lists_every_board_with_flags_and_header() {
    let dir = tree("src", &[]);
    let r = mpyc_in(dir.path(), &["profiles"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (name, flags, header) in PROFILES {
        let line = r
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("`{name}` missing from:\n{}", r.stdout));
        assert!(line.contains(&hex(header)), "{line}");
        for f in *flags {
            if !f.starts_with("-march=x64") {
                assert!(line.contains(f), "`{name}` should show {f}: {line}");
            }
        }
    }
    let show = mpyc_in(dir.path(), &["profiles", "nrf"]);
    assert_eq!(show.code, 0);
    assert!(show.stdout.contains("unicode = false"), "{}", show.stdout);
}

#[test]
fn oracle_headers_match_the_table() {
    // The table above is the oracle's own output: check it stays so.
    let dir = tree("src", &[("m.py", MODULE)]);
    for (name, flags, header) in PROFILES {
        let got = oracle_mpy(dir.path(), "src", "m.py", flags);
        assert_eq!(
            &got[..4],
            header,
            "profile {name}: oracle header {}",
            hex(&got[..4])
        );
    }
}

#[test]
fn every_profile_builds_the_oracle_bytes() {
    let dir = tree(
        "src",
        &[
            ("m.py", MODULE),
            ("pkg/__init__.py", ""),
            (
                "pkg/leds.py",
                "from micropython import const\nLED = const(25)\n",
            ),
        ],
    );
    for (name, flags, header) in PROFILES {
        let out = format!("out-{name}");
        let r = mpyc_in(
            dir.path(),
            &["build", "-q", "--profile", name, "--out-dir", &out, "src"],
        );
        assert_eq!(r.code, 0, "profile {name}: {}{}", r.stdout, r.stderr);
        for rel in ["m.py", "pkg/__init__.py", "pkg/leds.py"] {
            let got = std::fs::read(dir.path().join(&out).join(rel.replace(".py", ".mpy")))
                .expect("output");
            assert_eq!(&got[..4], header, "profile {name}, {rel}");
            let want = oracle_mpy(dir.path(), "src", rel, flags);
            assert_eq!(hex(&got), hex(&want), "profile {name}, {rel}");
        }
    }
}

#[test]
fn user_profile_extends_a_shipped_one() {
    let dir = tree("src", &[("m.py", MODULE)]);
    write(
        &dir.path().join("boards/my.toml"),
        b"# my board\nextends = \"nrf\"\nopt_level = 1\n",
    );
    let r = mpyc_in(
        dir.path(),
        &["build", "-q", "--profile", "boards/my.toml", "src"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let got =
        std::fs::read(dir.path().join("build/my/m.mpy")).expect("output in build/<profile stem>");
    let want = oracle_mpy(dir.path(), "src", "m.py", &["-mno-unicode", "-O1"]);
    assert_eq!(hex(&got), hex(&want));
}

#[test]
fn bad_profiles_name_file_line_and_key() {
    let dir = tree("src", &[("m.py", "x = 1\n")]);
    write(
        &dir.path().join("typo.toml"),
        b"extends = \"unix\"\n\nsmall_int_bitz = 30\n",
    );
    let r = mpyc_in(dir.path(), &["build", "--profile", "typo.toml", "src"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("typo.toml:3: key `small_int_bitz`: unknown key"),
        "{}",
        r.stderr
    );

    write(&dir.path().join("bad.toml"), b"arch = \"z80\"\n");
    let r = mpyc_in(dir.path(), &["build", "--profile", "bad.toml", "src"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("bad.toml:1: key `arch`: unknown arch `z80`"),
        "{}",
        r.stderr
    );

    let r = mpyc_in(dir.path(), &["build", "--profile", "atari", "src"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("atari: no such profile"), "{}", r.stderr);
    assert!(
        !dir.path().join("build").exists(),
        "nothing is written for a bad profile"
    );
}

/// A module with `@micropython.native` and `@micropython.viper` functions.
const NATIVE_MODULE: &str = "import micropython\n\n@micropython.native\ndef add(a, b):\n    return a + b\n\n@micropython.viper\ndef mul(x: int, y: int) -> int:\n    return x * y\n\n@micropython.viper\ndef fill(buf, n: int):\n    p = ptr8(buf)\n    for i in range(n):\n        p[i] = i\n\ndef plain(n):\n    return [add(i, mul(i, 2)) for i in range(n)]\n";

#[test]
fn profiles_with_a_native_arch_build_native_code_as_the_oracle() {
    // The ports whose v1.11 Makefile passes -march: stm32/pyboard (armv7m, Thumb code),
    // esp8266 (xtensa), teensy and qemu-arm (armv7m).
    let dir = tree("src", &[("fast.py", NATIVE_MODULE)]);
    for (name, flags, header) in PROFILES {
        let Some(arch) = flags.iter().find_map(|f| f.strip_prefix("-march=")) else {
            continue;
        };
        let out = format!("out-{name}");
        let r = mpyc_in(
            dir.path(),
            &["build", "-q", "--profile", name, "--out-dir", &out, "src"],
        );
        assert_eq!(r.code, 0, "profile {name}: {}{}", r.stdout, r.stderr);
        let got = std::fs::read(dir.path().join(&out).join("fast.mpy")).expect("output");
        let want = oracle_mpy(dir.path(), "src", "fast.py", flags);
        // The arch in the header (bits 2..) and the machine code both come from the profile.
        let arch_number = match arch {
            "armv7m" => 5,
            "xtensa" => 9,
            other => panic!("profile {name}: unexpected arch {other}"),
        };
        assert_eq!(got[2], header[2] | (arch_number << 2), "profile {name}");
        assert_eq!(hex(&got), hex(&want), "profile {name}");
    }
}

#[test]
fn profiles_without_a_native_emitter_refuse_native_decorators_as_the_oracle() {
    // nrf and esp32 at v1.11 have no native emitter (no -march): the decorator is an
    // "invalid arch" SyntaxError, as mpy-cross says without -march.
    let dir = tree("src", &[("fast.py", NATIVE_MODULE)]);
    for name in ["nrf", "esp32"] {
        let r = mpyc_in(dir.path(), &["build", "-q", "--profile", name, "src"]);
        assert_ne!(r.code, 0, "profile {name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.contains("SyntaxError: invalid arch"),
            "profile {name}: {}",
            r.stderr
        );
    }
}
