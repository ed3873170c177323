//! Prebuilt `.mpy` files in a source tree: copied through once their header fits the board.

use super::profile::Profile;

/// Checks a prebuilt `.mpy` against the profile; the error names the field that does not fit.
pub fn check(bytes: &[u8], profile: &Profile) -> Result<(), String> {
    let t = &profile.options.target;
    let [magic, version, features, small_int_bits, ..] = bytes else {
        return Err("not a .mpy file: shorter than its 4-byte header".into());
    };
    if *magic != b'M' {
        return Err(format!(
            "not a .mpy file: starts with byte 0x{magic:02x}, not `M`"
        ));
    }
    if *version != profile.mpy_version {
        return Err(format!(
            "field `version`: the file is .mpy version {version}, profile `{}` needs version {}",
            profile.name, profile.mpy_version
        ));
    }
    let flags = features & 3;
    if flags != t.feature_flags() {
        let describe = |f: u8| format!("unicode={} cache_lookup_bc={}", f & 2 != 0, f & 1 != 0);
        return Err(format!(
            "field `flags`: the file has {}, profile `{}` needs {}",
            describe(flags),
            profile.name,
            describe(t.feature_flags())
        ));
    }
    if *small_int_bits > t.small_int_bits {
        return Err(format!(
            "field `small_int_bits`: the file needs {small_int_bits}-bit small ints, profile `{}` has {}",
            profile.name, t.small_int_bits
        ));
    }
    let arch = features >> 2;
    if arch != 0 && arch != t.arch.number() {
        let name = mpcore::Arch::from_number(arch)
            .map(|a| a.name().to_string())
            .unwrap_or_else(|| format!("#{arch}"));
        return Err(format!(
            "field `arch`: the file holds native code for {name}, profile `{}` is {}",
            profile.name,
            t.arch.name()
        ));
    }
    mpyfile::read(bytes)
        .map(|_| ())
        .map_err(|e| format!("not a valid .mpy file: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::profile::shipped;

    #[test]
    fn header_fields_are_checked() {
        let unix = shipped("unix").unwrap().unwrap();
        let nrf = shipped("nrf").unwrap().unwrap();
        let stm32 = shipped("stm32").unwrap().unwrap();
        // `mpy-cross -mcache-lookup-bc` header, then a body we do not look at here.
        // `mpy-cross -mcache-lookup-bc` on an empty `e.py`.
        let ok = [
            0x4d, 0x04, 0x03, 0x1f, 0x20, 0x40, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x07,
            0x00, 0x51, 0x01, 0x00, 0x00, 0xff, 0x11, 0x5b, 0x00, 0x07, 0x08, 0x65, 0x2e, 0x70,
            0x79, 0x00, 0x00,
        ];
        assert_eq!(check(&ok, &unix), Ok(()));
        assert!(check(&ok, &nrf).unwrap_err().starts_with("field `flags`"));
        assert!(check(&ok[..10], &unix)
            .unwrap_err()
            .starts_with("not a valid .mpy file"));
        assert!(check(&[0x4d, 0x03, 0x03, 0x1f], &unix)
            .unwrap_err()
            .starts_with("field `version`"));
        assert!(check(&[0x4d, 0x04, 0x00, 0x3f], &nrf)
            .unwrap_err()
            .starts_with("field `small_int_bits`"));
        // `-march=xtensa` native module header: 4d 04 26 1f.
        assert!(check(&[0x4d, 0x04, 0x26, 0x1f], &stm32)
            .unwrap_err()
            .starts_with("field `arch`"));
        assert!(check(b"Mx", &unix).is_err());
        assert!(check(b"PK\x03\x04", &unix)
            .unwrap_err()
            .starts_with("not a .mpy"));
    }
}
