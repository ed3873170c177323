//! The x87 80-bit extended format (`long double` on x86-64 Linux) in software, for the
//! operations MicroPython 1.29's float reader and printer perform in it.
//!
//! A value is non-negative: a 64-bit significand with its top bit set times a power of two,
//! zero, infinity or NaN. Every operation rounds to 64 significant bits, to nearest with ties
//! to even, as the x87 unit does under Linux's default control word. Results below the
//! format's smallest normal (2^-16382) become zero rather than x87 denormals: such a value lies
//! some 15,000 binary orders below the smallest double, so it converts to the same double 0,
//! and the callers only ever make it smaller still (the reader divides, the printer's scalings
//! never reach that range).

/// Largest exponent (of the significand's lowest bit) a finite value may have: the top bit
/// then stands for 2^16383, the format's largest binade.
const MAX_LSB_EXP: i32 = 16383 - 63;
/// Smallest exponent (of the significand's lowest bit) of a normal value: the top bit stands
/// for 2^-16382.
const MIN_LSB_EXP: i32 = -16382 - 63;

/// A non-negative 80-bit extended value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Extended {
    /// Zero.
    Zero,
    /// `sig * 2^exp`, with the top bit of `sig` set.
    Finite {
        /// The 64-bit significand (bit 63 always set).
        sig: u64,
        /// The power of two its lowest bit stands for.
        exp: i32,
    },
    /// Positive infinity (an overflow).
    Infinity,
    /// Not a number (`0 * inf`, `inf / inf`; the callers never make one).
    Nan,
}

/// `v >> shift` rounded to nearest, ties to even (`shift` may exceed 127).
fn shift_round(v: u128, shift: u32) -> u128 {
    if shift == 0 {
        return v;
    }
    if shift > 128 {
        return 0;
    }
    let kept = if shift == 128 { 0 } else { v >> shift };
    let dropped = if shift == 128 {
        v
    } else {
        v & ((1u128 << shift) - 1)
    };
    let half = 1u128 << (shift - 1);
    if dropped > half || (dropped == half && kept & 1 == 1) {
        kept + 1
    } else {
        kept
    }
}

impl Extended {
    /// The value `sig * 2^exp` for any `sig` below 2^128, rounded to 64 significant bits and
    /// checked against the format's range.
    fn from_wide(sig: u128, exp: i32) -> Extended {
        if sig == 0 {
            return Extended::Zero;
        }
        let width = 128 - sig.leading_zeros();
        let (mut sig, mut exp) = if width > 64 {
            let shift = width - 64;
            (shift_round(sig, shift), exp.saturating_add(shift as i32))
        } else {
            let shift = 64 - width;
            (sig << shift, exp.saturating_sub(shift as i32))
        };
        if sig >> 64 != 0 {
            // Rounding carried into a 65th bit: the significand is exactly 2^64.
            sig >>= 1;
            exp = exp.saturating_add(1);
        }
        if exp > MAX_LSB_EXP {
            Extended::Infinity
        } else if exp < MIN_LSB_EXP {
            Extended::Zero
        } else {
            Extended::Finite {
                sig: sig as u64,
                exp,
            }
        }
    }

    /// An unsigned integer, exactly (`(long double)n`).
    pub(crate) fn from_u64(n: u64) -> Extended {
        Extended::from_wide(u128::from(n), 0)
    }

    /// The magnitude of a double, exactly (`(long double)fabs(f)`).
    pub(crate) fn from_f64(f: f64) -> Extended {
        if f.is_nan() {
            return Extended::Nan;
        }
        if f.is_infinite() {
            return Extended::Infinity;
        }
        let bits = f.to_bits() & !(1u64 << 63);
        let biased = (bits >> 52) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        if biased == 0 {
            Extended::from_wide(u128::from(frac), -1074)
        } else {
            Extended::from_wide(u128::from(frac | (1u64 << 52)), biased - 1075)
        }
    }

    /// `self * other`, rounded.
    pub(crate) fn mul(self, other: Extended) -> Extended {
        use Extended::*;
        match (self, other) {
            (Nan, _) | (_, Nan) => Nan,
            (Zero, Infinity) | (Infinity, Zero) => Nan,
            (Zero, _) | (_, Zero) => Zero,
            (Infinity, _) | (_, Infinity) => Infinity,
            (Finite { sig: a, exp: ea }, Finite { sig: b, exp: eb }) => {
                Extended::from_wide(u128::from(a) * u128::from(b), ea.saturating_add(eb))
            }
        }
    }

    /// `self / other`, rounded.
    pub(crate) fn div(self, other: Extended) -> Extended {
        use Extended::*;
        match (self, other) {
            (Nan, _) | (_, Nan) | (Zero, Zero) | (Infinity, Infinity) => Nan,
            (Zero, _) | (_, Infinity) => Zero,
            (Infinity, _) | (_, Zero) => Infinity,
            (Finite { sig: a, exp: ea }, Finite { sig: b, exp: eb }) => {
                // Scale the dividend so the quotient has exactly 64 bits, then round on the
                // remainder: above half the divisor rounds up, exactly half goes to even.
                let shift: u32 = if a >= b { 63 } else { 64 };
                let num = u128::from(a) << shift;
                let den = u128::from(b);
                let mut q = num / den;
                let r = num % den;
                if 2 * r > den || (2 * r == den && q & 1 == 1) {
                    q += 1;
                }
                let exp = ea.saturating_sub(eb).saturating_sub(shift as i32);
                Extended::from_wide(q, exp)
            }
        }
    }

    /// `self + other`, rounded.
    pub(crate) fn add(self, other: Extended) -> Extended {
        use Extended::*;
        match (self, other) {
            (Nan, _) | (_, Nan) => Nan,
            (Infinity, _) | (_, Infinity) => Infinity,
            (Zero, x) | (x, Zero) => x,
            (Finite { sig: a, exp: ea }, Finite { sig: b, exp: eb }) => {
                let ((hi, ehi), (lo, elo)) = if ea >= eb {
                    ((a, ea), (b, eb))
                } else {
                    ((b, eb), (a, ea))
                };
                // The larger operand sits at bit 126 down; the smaller is shifted to its
                // place, any bit shifted out kept as a sticky lowest bit (it lies far below
                // the rounding point, so it only breaks ties).
                let wide_hi = u128::from(hi) << 63;
                let gap = ehi.abs_diff(elo);
                let lo_wide = u128::from(lo) << 63;
                let wide_lo = if gap >= 127 {
                    1
                } else {
                    let kept = lo_wide >> gap;
                    let lost = lo_wide & ((1u128 << gap) - 1);
                    kept | u128::from(lost != 0)
                };
                Extended::from_wide(wide_hi + wide_lo, ehi.saturating_sub(63))
            }
        }
    }

    /// The nearest double (ties to even), subnormals included (`(double)x`).
    pub(crate) fn to_f64(self) -> f64 {
        let (sig, exp) = match self {
            Extended::Zero => return 0.0,
            Extended::Infinity => return f64::INFINITY,
            Extended::Nan => return f64::NAN,
            Extended::Finite { sig, exp } => (sig, exp),
        };
        // The top bit stands for 2^(exp + 63); a normal double keeps 53 bits, a subnormal
        // keeps the bits at or above 2^-1074.
        let top = i64::from(exp) + 63;
        let drop = if top >= -1022 { 11 } else { 11 + (-1022 - top) };
        let drop = u32::try_from(drop).unwrap_or(u32::MAX);
        let mut mant = shift_round(u128::from(sig), drop.min(129)) as u64;
        let mut lsb = i64::from(exp) + i64::from(drop.min(129));
        if mant == 1u64 << 53 {
            mant >>= 1;
            lsb += 1;
        }
        if mant == 0 {
            return 0.0;
        }
        if mant >= 1u64 << 52 {
            // Normal: the biased exponent of the top bit.
            let biased = lsb + 52 + 1023;
            if biased >= 2047 {
                return f64::INFINITY;
            }
            f64::from_bits(((biased as u64) << 52) | (mant & ((1u64 << 52) - 1)))
        } else {
            // Subnormal (lsb is -1074 here).
            f64::from_bits(mant)
        }
    }

    /// The value truncated to an unsigned integer (`(uint64_t)x`); values of 2^64 and more,
    /// which the callers never produce, give `u64::MAX`.
    pub(crate) fn to_u64_trunc(self) -> u64 {
        match self {
            Extended::Zero | Extended::Nan => 0,
            Extended::Infinity => u64::MAX,
            Extended::Finite { sig, exp } => {
                if exp > 0 {
                    u64::MAX
                } else if exp <= -64 {
                    0
                } else {
                    sig >> exp.unsigned_abs()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Extended;

    fn ext(n: u64) -> Extended {
        Extended::from_u64(n)
    }

    #[test]
    fn exact_operations_are_exact() {
        assert_eq!(ext(6).mul(ext(7)), ext(42));
        assert_eq!(ext(42).div(ext(7)), ext(6));
        assert_eq!(ext(40).add(ext(2)), ext(42));
        assert_eq!(ext(0), Extended::Zero);
        assert_eq!(Extended::from_f64(0.5).add(ext(1)).to_f64(), 1.5);
        assert_eq!(ext(u64::MAX).to_u64_trunc(), u64::MAX);
        assert_eq!(Extended::from_f64(2.75).to_u64_trunc(), 2);
        assert_eq!(Extended::from_f64(0.75).to_u64_trunc(), 0);
    }

    #[test]
    fn rounding_is_to_nearest_even() {
        // 2^64 - 1 needs 64 bits: exact. Adding 0.5 is a tie at the last bit: to even (2^64).
        let max = ext(u64::MAX);
        assert_eq!(
            max.add(Extended::from_f64(0.5)),
            Extended::Finite {
                sig: 1 << 63,
                exp: 1
            }
        );
        // 2^63 + 1 is odd at the last place once scaled by 2: + 0.5 rounds up to even.
        let odd = ext((1 << 63) + 1);
        assert_eq!(odd.add(Extended::from_f64(0.5)), ext((1 << 63) + 2));
        let even = ext((1 << 63) + 2);
        assert_eq!(even.add(Extended::from_f64(0.5)), ext((1 << 63) + 2));
        // 1/3 in 64 bits: 0xAAAA...AAAB (the dropped tail 0.101... rounds up).
        assert_eq!(
            ext(1).div(ext(3)),
            Extended::Finite {
                sig: 0xAAAA_AAAA_AAAA_AAAB,
                exp: -65
            }
        );
        // 2/3 rounds to ...AAAB as well.
        assert_eq!(
            ext(2).div(ext(3)),
            Extended::Finite {
                sig: 0xAAAA_AAAA_AAAA_AAAB,
                exp: -64
            }
        );
        // (2^64-1)^2 = 2^128 - 2^65 + 1: rounds to (2^64 - 2) * 2^64.
        assert_eq!(
            max.mul(max),
            Extended::Finite {
                sig: u64::MAX - 1,
                exp: 64
            }
        );
    }

    #[test]
    fn conversion_to_double_rounds_once() {
        assert_eq!(Extended::from_f64(0.1).to_f64(), 0.1);
        assert_eq!(ext(1).div(ext(10)).to_f64(), 0.1);
        assert_eq!(ext((1 << 53) + 1).to_f64(), 9007199254740992.0);
        assert_eq!(ext((1 << 53) + 3).to_f64(), 9007199254740996.0);
        assert_eq!(Extended::from_f64(5e-324).to_f64(), 5e-324);
        assert_eq!(Extended::from_f64(f64::MAX).to_f64(), f64::MAX);
        // Half the smallest subnormal ties to even (0); a bit more rounds up.
        let half_min = Extended::from_f64(5e-324).div(ext(2));
        assert_eq!(half_min.to_f64(), 0.0);
        assert_eq!(
            half_min
                .add(Extended::from_f64(5e-324).div(ext(1 << 40)))
                .to_f64(),
            5e-324
        );
        // 2^1024 is beyond the doubles.
        assert_eq!(
            Extended::from_f64(f64::MAX).mul(ext(2)).to_f64(),
            f64::INFINITY
        );
    }

    /// Operands and results computed by the x87 unit itself (gcc `long double` on x86-64):
    /// `a b a*b a/b a+b (double)a (uint64_t)(a+0.5)`, each value `significand exponent` or
    /// `significand:exponent`; the same comparison passed on 400,000 random operand pairs.
    const X87_RESULTS: [&str; 20] = [
        "13417576116604636101 43 13860504569636493338 22 10081691074290785660:129 17857257033393454781:-43 13417582725808246348:43 1.1802224765421075e+32 0",
        "12795416669589602304 75 12021893380071226309 40 16677754550151219384:178 9816830392609835766:-28 12795416669939485451:75 4.8339717451857184e+41 0",
        "16301687986876396608 -12 14417651170531430963 45 12741113008696001798:97 10428642734747554329:-120 14417651170531431076:45 3979904293670995.5 3979904293670995",
        "14851723979799114791 48 10070067728053169882 27 16215096361431016019:138 13602984543267553438:-42 14851728781581593149:48 4.1803886613270474e+33 0",
        "12881201839561838069 -15 16239624516746296048 66 11339989342457421454:115 14631879785838897954:-145 16239624516746296048:66 393103083482722.12 393103083482722",
        "13140262567293526128 30 16273313640875481595 10 11592051867070864605:104 14895249117018111797:-44 13140278086734788254:30 1.4109249496844673e+28 0",
        "18040205143129170457 -83 12332410470233356562 -47 12060622400533165159:-66 13492214199152649720:-99 12332410470495876098:-47 1.8653134926094834e-06 0",
        "15845981090788637584 3 11246481104287439100 -100 9660866232238727734:-33 12995476321352831426:40 15845981090788637584:3 1.2676784872630909e+20 0",
        "13264627535010950562 -1069 15459796209924807113 -88 11116782326052418221:-1093 15827452448198727066:-1045 15459796209924807113:-88 2.0971509663772057e-303 0",
        "17804282755498160574 0 12766128611490471898 -32 12321511188306100019:32 12863376885887798361:-31 17804282758470506516:0 1.780428275549816e+19 17804282755498160574",
        "15563028660415078019 -1072 15064415362058496977 -77 12709447645357136496:-1085 9528654110054169767:-1058 15064415362058496977:-77 3.0756631225415223e-304 0",
        "12809383473416245169 -1059 17559121715453787017 48 12193020221394951561:-947 13456904195165642085:-1171 17559121715453787017:48 2.0737806560859217e-300 0",
        "11529092401670961345 -1038 10294870808251805345 -97 12868451618056409097:-1072 10329134813683412516:-1004 10294870808251805345:-97 3.9143496879992772e-294 0",
        "11276977107583021135 -6 17944541715421111444 -14 10969967671383146608:44 11592578619597452800:-56 11347072973658884852:-6 1.762027673059847e+17 176202767305984705",
        "15002595834720019237 -5 13122786928090939392 63 10672662217279011263:122 10544598770096836239:-131 13122786928090939392:63 4.6883111983500058e+17 468831119835000601",
        "9605299070363559349 -8 15338582808322899968 13 15973732231636120097:68 11551686092296175240:-85 15338587388486412371:13 37520699493607656 37520699493607654",
        "9520050725037733684 -1136 9842799363546590873 -61 10159402531190345945:-1134 17841869249504474637:-1139 9842799363546590873:-61 9.8813129168249309e-324 0",
        "18218823103424777943 -1137 14563424212613143732 29 14383484069033103457:-1044 11538425380138005194:-1229 14563424212613143732:29 9.8813129168249309e-324 0",
        "9966555336874968167 -1135 18298629235743976221 48 9886530660276344932:-1023 10047227758277584681:-1247 18298629235743976221:48 1.9762625833649862e-323 0",
        "17066595950253587734 -1122 11474338518479711038 92 10615851692246334627:-966 13718574155569196020:-1277 11474338518479711038:92 2.9956682304292302e-319 0",
    ];

    fn show(x: Extended) -> String {
        match x {
            Extended::Zero => "Z".into(),
            Extended::Infinity => "I".into(),
            Extended::Nan => "N".into(),
            Extended::Finite { sig, exp } => format!("{sig}:{exp}"),
        }
    }

    #[test]
    fn matches_x87_results() {
        for line in X87_RESULTS {
            let w: Vec<&str> = line.split(' ').collect();
            let num = |i: usize| w[i].parse::<i64>().unwrap_or(0);
            let operand = |i: usize| {
                let sig: u64 = w[i].parse().expect("a significand");
                Extended::from_wide(u128::from(sig), num(i + 1) as i32)
            };
            let (a, b) = (operand(0), operand(2));
            assert_eq!(show(a.mul(b)), w[4], "{line}: product");
            assert_eq!(show(a.div(b)), w[5], "{line}: quotient");
            assert_eq!(show(a.add(b)), w[6], "{line}: sum");
            let double: f64 = w[7].parse().expect("a double");
            assert_eq!(a.to_f64().to_bits(), double.to_bits(), "{line}: to double");
            if num(1) <= 0 {
                let rounded: u64 = w[8].parse().expect("an integer");
                let half = Extended::from_f64(0.5);
                assert_eq!(
                    a.add(half).to_u64_trunc(),
                    rounded,
                    "{line}: + 0.5 truncated"
                );
            }
        }
    }

    #[test]
    fn range_limits() {
        let mut big = ext(10);
        for _ in 0..14 {
            big = big.mul(big);
        }
        // 10^16384 overflows the format.
        assert_eq!(big, Extended::Infinity);
        assert_eq!(ext(1).div(big), Extended::Zero);
        assert_eq!(Extended::Zero.mul(big), Extended::Nan);
        assert!(Extended::Nan.to_f64().is_nan());
    }
}
