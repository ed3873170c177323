//! Conformance of the stored oracle machine code: compiles every source in tests/oracle with
//! the genuine mpy-cross 1.11 (`$MPYC_ORACLE`, required: the test fails without it) for each
//! architecture and checks that `<arch>.hex` holds exactly the `fun_data` of its native raw
//! codes. With `MPYC_ASM_ORACLE_WRITE=1` it rewrites the files instead.

use std::path::{Path, PathBuf};
use std::process::Command;

const ARCHES: [&str; 5] = ["x64", "x86", "armv6", "armv7m", "xtensa"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle")
}

/// Emit mode for a source, or `None` when the source is not compiled for `arch`.
fn emit_for(stem: &str, arch: &str) -> Option<&'static str> {
    if stem.starts_with("viper_") {
        Some("viper")
    } else if stem.starts_with("native_") {
        Some("native")
    } else if stem.starts_with("asm_thumb_") {
        (arch == "armv7m" || arch == "armv6").then_some("native")
    } else if stem.starts_with("asm_xtensa_") {
        (arch == "xtensa").then_some("native")
    } else {
        None
    }
}

struct Reader<'a> {
    d: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = *self.d.get(self.pos).expect("truncated .mpy");
        self.pos += 1;
        b
    }
    fn bytes(&mut self, n: usize) -> &[u8] {
        let s = self.d.get(self.pos..self.pos + n).expect("truncated .mpy");
        self.pos += n;
        s
    }
    fn uint(&mut self) -> usize {
        let mut v = 0usize;
        loop {
            let b = self.byte();
            v = (v << 7) | (b & 0x7f) as usize;
            if b & 0x80 == 0 {
                return v;
            }
        }
    }
    fn qstr(&mut self) {
        let ln = self.uint();
        if ln == 0 {
            self.byte();
        } else if ln & 1 == 0 {
            self.bytes(ln >> 1);
        }
    }
    /// Appends `(kind, fun_data)` of this raw code and its children, depth first.
    fn raw_code(&mut self, out: &mut Vec<(&'static str, Vec<u8>)>) {
        let kl = self.uint();
        let (kind, len) = (kl & 3, kl >> 2);
        let code = self.bytes(len).to_vec();
        assert_ne!(
            kind, 0,
            "bytecode raw code: the oracle sources compile natively"
        );
        let (mut n_pos, mut n_kw) = (0, 0);
        if kind == 1 || kind == 2 {
            for _ in 0..self.uint() {
                self.uint();
                self.qstr();
            }
        }
        match kind {
            1 => {
                let prelude = self.uint();
                n_pos = code[prelude + 4] as usize;
                n_kw = code[prelude + 5] as usize;
                self.qstr();
                self.qstr();
            }
            2 => {
                self.uint();
            }
            _ => {
                self.uint();
                self.uint();
                self.uint();
            }
        }
        out.push((["", "native", "viper", "asm"][kind], code));
        if kind != 3 {
            let (n_obj, n_raw) = (self.uint(), self.uint());
            for _ in 0..n_pos + n_kw {
                self.qstr();
            }
            for _ in 0..n_obj {
                if self.byte() != b'e' {
                    let n = self.uint();
                    self.bytes(n);
                }
            }
            for _ in 0..n_raw {
                self.raw_code(out);
            }
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn expected_file(oracle: &str, arch: &str, work: &Path) -> String {
    let mut text = format!(
        "# Machine code written by mpy-cross 1.11 (-march={arch}) for the sources in this folder,\n\
         # read out of the .mpy (native/viper raw codes, depth-first). Regenerate: see README.md.\n"
    );
    let mut sources: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/oracle")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    sources.sort();
    for src in sources {
        let stem = src
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name")
            .to_string();
        let Some(emit) = emit_for(&stem, arch) else {
            continue;
        };
        let out = work.join(format!("{stem}-{arch}.mpy"));
        let status = Command::new(oracle)
            .arg("-X")
            .arg(format!("emit={emit}"))
            .arg(format!("-march={arch}"))
            .arg("-o")
            .arg(&out)
            .arg(&src)
            .status()
            .expect("running $MPYC_ORACLE");
        assert!(status.success(), "oracle failed on {stem} for {arch}");
        let data = std::fs::read(&out).expect("oracle output");
        let mut r = Reader { d: &data, pos: 4 };
        r.uint();
        let mut codes = Vec::new();
        r.raw_code(&mut codes);
        assert_eq!(r.pos, data.len(), "trailing bytes in {stem}");
        for (i, (kind, code)) in codes.iter().enumerate() {
            text.push_str(&format!("{stem}.{i} {kind}: {}\n", hex(code)));
        }
    }
    text
}

#[test]
fn stored_machine_code_is_the_oracles() {
    let oracle = std::env::var("MPYC_ORACLE").expect(
        "MPYC_ORACLE must name the genuine mpy-cross 1.11 binary for this conformance test",
    );
    let work = std::env::temp_dir().join(format!("mpyc-asm-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("scratch dir");
    let write = std::env::var_os("MPYC_ASM_ORACLE_WRITE").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for arch in ARCHES {
        let want = expected_file(&oracle, arch, &work);
        let path = dir().join(format!("{arch}.hex"));
        if write {
            std::fs::write(&path, &want).expect("writing oracle file");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(arch);
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    assert!(
        stale.is_empty(),
        "stored oracle machine code differs for {stale:?}: rerun with MPYC_ASM_ORACLE_WRITE=1"
    );
}
