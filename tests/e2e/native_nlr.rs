//! Native frames' exception buffer: sized for the board by default, the reference's size on
//! request.
//!
//! mpy-cross 1.11 reserves the `nlr_buf_t` of its x86-64 host (10 words) in every native frame
//! that has an exception handler; ARM and Xtensa runtimes store 12 words there, so the
//! reference's armv6/armv7m/xtensa code for `try`/`with`/`finally` overwrites its own frame on
//! the board (under qemu-user, v1.11 unix builds for ARM and Thumb crash or print wrong
//! results with those `.mpy` files and run mpyc's). mpyc reserves 12 words there unless given
//! `--reference-nlr-buf`, which writes the reference's bytes.

use crate::corpus::compile_with;
use crate::support::{mpyc, oracle, TempDir};

const WITH_HANDLER: &[u8] = b"@micropython.native\ndef f(x):\n    try:\n        return 1 // x\n    except ZeroDivisionError:\n        return 0\n";
const WITHOUT_HANDLER: &[u8] = b"@micropython.native\ndef f(x):\n    return x + 1\n";

/// The `.mpy` bytes of `source` from the oracle and from mpyc without and with
/// `--reference-nlr-buf`.
fn three_ways(source: &[u8], march: &str) -> [Vec<u8>; 3] {
    let dir = TempDir::new("native-nlr");
    std::fs::write(dir.path().join("m.py"), source).expect("scratch file");
    let flags = [march];
    let runs = [
        compile_with(
            &oracle(),
            &[],
            &flags,
            "m.py",
            dir.path(),
            &dir.path().join("o.mpy"),
        ),
        compile_with(
            &mpyc(),
            &["compile"],
            &flags,
            "m.py",
            dir.path(),
            &dir.path().join("d.mpy"),
        ),
        compile_with(
            &mpyc(),
            &["compile", "--reference-nlr-buf"],
            &flags,
            "m.py",
            dir.path(),
            &dir.path().join("r.mpy"),
        ),
    ];
    runs.map(|r| {
        assert_eq!(r.code, 0, "{march}: {}", String::from_utf8_lossy(&r.stderr));
        r.output.expect("an output file")
    })
}

#[test]
fn arm_and_xtensa_frames_with_a_handler_get_the_boards_buffer() {
    for march in ["-march=armv6", "-march=armv7m", "-march=xtensa"] {
        let [reference, default, asked] = three_ways(WITH_HANDLER, march);
        assert_eq!(
            asked, reference,
            "{march}: --reference-nlr-buf must give the reference's bytes"
        );
        assert_ne!(
            default, reference,
            "{march}: the default must size the buffer for the board"
        );
        assert_eq!(default[..4], reference[..4], "{march}: same header");
    }
}

#[test]
fn x86_x64_and_frames_without_a_handler_are_the_references() {
    for march in ["-march=x64", "-march=x86"] {
        let [reference, default, asked] = three_ways(WITH_HANDLER, march);
        assert_eq!(default, reference, "{march}");
        assert_eq!(asked, reference, "{march}");
    }
    for march in [
        "-march=armv6",
        "-march=armv7m",
        "-march=xtensa",
        "-march=x64",
    ] {
        let [reference, default, asked] = three_ways(WITHOUT_HANDLER, march);
        assert_eq!(default, reference, "{march}");
        assert_eq!(asked, reference, "{march}");
    }
}
