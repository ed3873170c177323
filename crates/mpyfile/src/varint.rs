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

/// [`put_uint`] for values of two bytes or more.
fn put_long_uint(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 10];
    let mut i = buf.len() - 1;
    buf[i] = (n & 0x7f) as u8;
    n >>= 7;
    while n != 0 {
        i -= 1;
        buf[i] = 0x80 | (n & 0x7f) as u8;
        n >>= 7;
    }
    out.extend_from_slice(&buf[i..]);
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
        assert_eq!(enc(u64::MAX).len(), 10);
    }
}
