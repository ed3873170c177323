//! The var-uint encoding of `.mpy` files: 7 bits per byte, most significant first, bit 7 set
//! on every byte but the last.

/// Appends `n` as a var-uint (`mp_print_uint`), without allocating beyond `out`'s growth.
#[inline]
pub fn put_uint(out: &mut Vec<u8>, n: u64) {
    if n < 0x80 {
        out.push(n as u8);
    } else {
        put_long_uint(out, n);
    }
}

/// [`put_uint`] for values of two bytes or more, written as one fixed-size block cut back to
/// its length (no `memcpy` call).
fn put_long_uint(out: &mut Vec<u8>, n: u64) {
    if n < 1 << 14 {
        out.extend_from_slice(&[0x80 | (n >> 7) as u8, n as u8 & 0x7f]);
        return;
    }
    let len = (64 - n.leading_zeros()).div_ceil(7) as usize;
    let mut buf = [0u8; 10];
    for (i, b) in buf.iter_mut().enumerate().take(len) {
        let more = if i + 1 < len { 0x80 } else { 0 };
        *b = more | (n >> (7 * (len - 1 - i))) as u8 & 0x7f;
    }
    let at = out.len();
    out.extend_from_slice(&buf);
    out.truncate(at + len);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_mp_print_uint() {
        let enc = |n| {
            let mut v = Vec::new();
            put_uint(&mut v, n);
            v
        };
        assert_eq!(enc(0), [0]);
        assert_eq!(enc(0x7f), [0x7f]);
        assert_eq!(enc(0x80), [0x81, 0x00]);
        assert_eq!(enc(0x89 << 2 | 1), [0x84, 0x25]);
        assert_eq!(enc(0x3fff), [0xff, 0x7f]);
        assert_eq!(enc(0x4000), [0x81, 0x80, 0x00]);
        assert_eq!(
            enc(u64::MAX),
            [0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]
        );
        // Against a plain 7-bit split for a spread of values.
        for shift in 0..64 {
            for n in [1u64 << shift, (1u64 << shift) - 1, (1u64 << shift) + 12345] {
                let mut groups = vec![(n & 0x7f) as u8];
                let mut m = n >> 7;
                while m != 0 {
                    groups.push(0x80 | (m & 0x7f) as u8);
                    m >>= 7;
                }
                groups.reverse();
                assert_eq!(enc(n), groups, "{n:#x}");
            }
        }
    }
}
