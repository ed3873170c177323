//! Fuzz target: the parser with its hand-written fast paths against the table-driven frame
//! machine alone (`syntax::parser::parse_with_frames_only`).
//!
//! Both must give the same tree (root, struct nodes with their lines and columns, children,
//! constants), intern the same qstrs in the same order, or fail with the same exception. The
//! first input byte picks the parse options (optimisation level, small-int width, unicode,
//! and with bit 0x20 MicroPython 1.29's front end, which the frame machine alone parses: then
//! the two runs must simply agree, and neither may panic).

#![no_main]

use libfuzzer_sys::fuzz_target;
use mpcore::{Qstr, QstrPool};
use syntax::parser::parse_with_frames_only;
use syntax::{parse, ConstObj, ParseOptions};

/// Equal constants, floats by their bits (a NaN equals itself here).
fn same_const(a: &ConstObj, b: &ConstObj) -> bool {
    match (a, b) {
        (ConstObj::Float(x), ConstObj::Float(y)) | (ConstObj::Complex(x), ConstObj::Complex(y)) => {
            x.to_bits() == y.to_bits()
        }
        (ConstObj::Tuple(x), ConstObj::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_const(p, q))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, src)) = data.split_first() else {
        return;
    };
    let opts = ParseOptions {
        small_int_bits: [31, 15, 63, 7][usize::from(mode & 3)],
        opt_level: (mode >> 2) & 3,
        unicode: mode & 0x10 == 0,
        release: if mode & 0x20 == 0 {
            mpcore::Release::V1_11
        } else {
            mpcore::Release::V1_29
        },
    };
    let mut fast_pool = QstrPool::new();
    let fast = parse(src, &mut fast_pool, &opts);
    let mut frames_pool = QstrPool::new();
    let frames = parse_with_frames_only(src, &mut frames_pool, &opts);
    match (fast, frames) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.root, b.root, "roots differ");
            assert_eq!(a.structs, b.structs, "struct nodes differ");
            assert_eq!(a.children, b.children, "children differ");
            assert_eq!(a.consts.len(), b.consts.len(), "constant counts differ");
            for (x, y) in a.consts.iter().zip(&b.consts) {
                assert!(same_const(x, y), "constants differ: {x:?} vs {y:?}");
            }
            assert_eq!(fast_pool.len(), frames_pool.len(), "qstr counts differ");
            for n in 0..fast_pool.len() {
                let q = Qstr(n as u16);
                assert_eq!(fast_pool.get(q), frames_pool.get(q), "qstr {n} differs");
            }
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "errors differ"),
        (a, b) => panic!(
            "outcomes differ: {:?} vs {:?}",
            a.map(|_| "tree"),
            b.map(|_| "tree")
        ),
    }
});
