//! Random inline-assembler functions for the oracle comparison: every mnemonic, operands of the
//! right kind most of the time (registers, immediates at and past their limits, labels forward
//! and back, addresses, register lists) and of a wrong kind or count otherwise, directives, and
//! long `data()` runs that put branches near and past their ranges.

use testkit::Rng;

/// Which inline assembler to write for.
#[derive(Clone, Copy, Debug)]
pub enum Isa {
    Thumb,
    Xtensa,
}

/// Operand kinds.
#[derive(Clone, Copy)]
enum K {
    /// Any core register (Thumb r0-r15 and aliases; Xtensa a0-a15).
    R,
    /// A low register (r0-r7).
    Lo,
    /// An integer.
    I,
    /// A label.
    L,
    /// An address `[reg, offset]`.
    Addr,
    /// A register list `{...}`.
    List,
    /// A float register.
    S,
    /// A condition name.
    Cc,
    /// A special register.
    Special,
    /// A fixed name.
    Name(&'static str),
}

use K::*;

const THUMB: &[(&str, &[K])] = &[
    ("nop", &[]),
    ("wfi", &[]),
    ("b", &[L]),
    ("bl", &[L]),
    ("bx", &[R]),
    ("cpsid", &[Name("i")]),
    ("cpsie", &[Name("i")]),
    ("push", &[List]),
    ("pop", &[List]),
    ("mov", &[R, R]),
    ("mov", &[Lo, I]),
    ("cmp", &[Lo, I]),
    ("add", &[Lo, I]),
    ("sub", &[Lo, I]),
    ("movw", &[R, I]),
    ("movt", &[R, I]),
    ("movwt", &[R, I]),
    ("clz", &[R, R]),
    ("rbit", &[R, R]),
    ("mrs", &[R, Special]),
    ("and_", &[Lo, Lo]),
    ("eor", &[Lo, Lo]),
    ("lsl", &[Lo, Lo]),
    ("lsr", &[Lo, Lo]),
    ("asr", &[Lo, Lo]),
    ("adc", &[Lo, Lo]),
    ("sbc", &[Lo, Lo]),
    ("ror", &[Lo, Lo]),
    ("tst", &[Lo, Lo]),
    ("neg", &[Lo, Lo]),
    ("cmp", &[Lo, Lo]),
    ("cmn", &[Lo, Lo]),
    ("orr", &[Lo, Lo]),
    ("mul", &[Lo, Lo]),
    ("bic", &[Lo, Lo]),
    ("mvn", &[Lo, Lo]),
    ("ldr", &[Lo, Addr]),
    ("ldrb", &[Lo, Addr]),
    ("ldrh", &[Lo, Addr]),
    ("str", &[Lo, Addr]),
    ("strb", &[Lo, Addr]),
    ("strh", &[Lo, Addr]),
    ("ldrex", &[R, Addr]),
    ("lsl", &[Lo, Lo, I]),
    ("lsr", &[Lo, Lo, I]),
    ("asr", &[Lo, Lo, I]),
    ("add", &[Lo, Lo, Lo]),
    ("add", &[Lo, Lo, I]),
    ("sub", &[Lo, Lo, Lo]),
    ("sub", &[Lo, Lo, I]),
    ("sdiv", &[R, R, R]),
    ("udiv", &[R, R, R]),
    ("strex", &[R, R, Addr]),
    ("vcmp", &[S, S]),
    ("vsqrt", &[S, S]),
    ("vneg", &[S, S]),
    ("vcvt_f32_s32", &[S, S]),
    ("vcvt_s32_f32", &[S, S]),
    ("vmrs", &[Name("APSR_nzcv"), Name("FPSCR")]),
    ("vmrs", &[R, Name("FPSCR")]),
    ("vmov", &[R, S]),
    ("vmov", &[S, R]),
    ("vldr", &[S, Addr]),
    ("vstr", &[S, Addr]),
    ("vadd", &[S, S, S]),
    ("vsub", &[S, S, S]),
    ("vmul", &[S, S, S]),
    ("vdiv", &[S, S, S]),
    ("it", &[Cc]),
    ("ite", &[Cc]),
    ("itt", &[Cc]),
    ("itet", &[Cc]),
    ("ittee", &[Cc]),
    ("itte", &[Cc]),
];

const XTENSA: &[(&str, &[K])] = &[
    ("ret_n", &[]),
    ("callx0", &[R]),
    ("jx", &[R]),
    ("j", &[L]),
    ("beqz", &[R, L]),
    ("bnez", &[R, L]),
    ("mov", &[R, R]),
    ("mov_n", &[R, R]),
    ("movi", &[R, I]),
    ("and_", &[R, R, R]),
    ("or_", &[R, R, R]),
    ("xor", &[R, R, R]),
    ("add", &[R, R, R]),
    ("sub", &[R, R, R]),
    ("mull", &[R, R, R]),
    ("l8ui", &[R, R, I]),
    ("l16ui", &[R, R, I]),
    ("l32i", &[R, R, I]),
    ("s8i", &[R, R, I]),
    ("s16i", &[R, R, I]),
    ("s32i", &[R, R, I]),
    ("l16si", &[R, R, I]),
    ("addi", &[R, R, I]),
    ("ball", &[R, R, L]),
    ("bany", &[R, R, L]),
    ("bbc", &[R, R, L]),
    ("bbs", &[R, R, L]),
    ("beq", &[R, R, L]),
    ("bge", &[R, R, L]),
    ("bgeu", &[R, R, L]),
    ("blt", &[R, R, L]),
    ("bnall", &[R, R, L]),
    ("bne", &[R, R, L]),
    ("bnone", &[R, R, L]),
];

const CCS: &[&str] = &[
    "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le",
];

/// Integers at and past the limits of every immediate field.
const EDGES: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "4",
    "7",
    "8",
    "15",
    "16",
    "31",
    "32",
    "62",
    "63",
    "64",
    "124",
    "125",
    "127",
    "128",
    "-128",
    "-129",
    "255",
    "256",
    "510",
    "511",
    "1020",
    "1021",
    "1024",
    "2047",
    "2048",
    "-2048",
    "-2049",
    "0xffff",
    "0x10000",
    "0x7fffffff",
    "0xffffffff",
    "0x100000000",
    "-1",
    "-2",
    "1 << 40",
    "1 << 70",
    "-(1 << 70)",
    "0x123456789abcdef0123",
];

fn pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.below(xs.len())]
}

struct Gen<'r> {
    rng: &'r mut Rng,
    isa: Isa,
    labels: Vec<String>,
    /// No malformed operands or statements (immediates still reach past their limits).
    clean: bool,
}

impl Gen<'_> {
    fn chance(&mut self, percent: usize) -> bool {
        self.rng.below(100) < percent
    }

    /// A chance of writing something malformed: never in a clean program.
    fn bad(&mut self, percent: usize) -> bool {
        !self.clean && self.chance(percent)
    }

    fn int(&mut self) -> String {
        if self.chance(75) {
            pick(self.rng, EDGES).to_string()
        } else {
            let bits = self.rng.below(34);
            let v = self.rng.next_u64() & ((1u64 << bits) - 1).max(1);
            if self.chance(20) {
                format!("-{v}")
            } else {
                v.to_string()
            }
        }
    }

    fn reg(&mut self, low: bool) -> String {
        match self.isa {
            Isa::Thumb => {
                if self.bad(4) {
                    return pick(self.rng, &["r16", "x", "a2", "R0", "s0", "5"]).to_string();
                }
                if low && self.chance(85) {
                    return format!("r{}", self.rng.below(8));
                }
                if self.chance(20) {
                    return pick(self.rng, &["sl", "fp", "sp", "lr", "pc"]).to_string();
                }
                format!("r{}", self.rng.below(16))
            }
            Isa::Xtensa => {
                if self.bad(4) {
                    return pick(self.rng, &["a16", "r0", "x", "a01", "3"]).to_string();
                }
                format!("a{}", self.rng.below(16))
            }
        }
    }

    fn label(&mut self) -> String {
        if self.labels.is_empty() || self.bad(5) {
            return pick(self.rng, &["nowhere", "1"]).to_string();
        }
        let i = self.rng.below(self.labels.len());
        self.labels[i].clone()
    }

    fn operand(&mut self, k: K) -> String {
        match k {
            R => self.reg(false),
            Lo => self.reg(true),
            I => {
                if self.bad(3) {
                    pick(self.rng, &["1.5", "'s'", "x", "r0", "CONST"]).to_string()
                } else {
                    self.int()
                }
            }
            L => self.label(),
            Addr => {
                let base = self.reg(true);
                let off = self.int();
                match if self.clean { 29 } else { self.rng.below(30) } {
                    0 => format!("[{base}]"),
                    1 => format!("({base}, {off})"),
                    2 => format!("[{base}, {off}, 1]"),
                    _ => format!("[{base}, {off}]"),
                }
            }
            List => {
                let n = 1 + self.rng.below(4);
                let regs: Vec<String> = (0..n)
                    .map(|_| {
                        let low = self.chance(60);
                        self.reg(low)
                    })
                    .collect();
                match if self.clean { 29 } else { self.rng.below(30) } {
                    0 => "{}".to_string(),
                    1 => regs[0].clone(),
                    2 => format!("{{{}: r1}}", regs[0]),
                    3 => format!("{{{},}}", regs[0]),
                    _ => format!("{{{}}}", regs.join(", ")),
                }
            }
            S => {
                if self.bad(5) {
                    pick(
                        self.rng,
                        &["s32", "s", "sx", "r0", "s007", "s99999999999999999999"],
                    )
                    .to_string()
                } else {
                    format!("s{}", self.rng.below(32))
                }
            }
            Cc => {
                if self.bad(5) {
                    pick(self.rng, &["xx", "al", "eqq", "1"]).to_string()
                } else {
                    pick(self.rng, CCS).to_string()
                }
            }
            Special => pick(self.rng, &["IPSR", "BASEPRI", "IPSR", "PRIMASK"]).to_string(),
            Name(n) => n.to_string(),
        }
    }

    /// A long `data()` run (branch distance padding).
    fn padding(&mut self) -> String {
        let (size, max) = match self.isa {
            Isa::Thumb => (2, 1200),
            Isa::Xtensa => (1, 2200),
        };
        let n = 1 + self.rng.below(max);
        let zeros = vec!["0"; n].join(", ");
        format!("data({size}, {zeros})")
    }

    fn instruction(&mut self) -> String {
        let table = match self.isa {
            Isa::Thumb => THUMB,
            Isa::Xtensa => XTENSA,
        };
        let (name, kinds) = table[self.rng.below(table.len())];
        let mut name = name.to_string();
        if matches!(self.isa, Isa::Thumb) && (name == "b") && self.chance(70) {
            // A conditional branch, narrow, wide or plain.
            let cc = pick(self.rng, CCS);
            let suffix = pick(self.rng, &["", "_n", "_w", "_x"]);
            name = format!("b{cc}{suffix}");
        }
        if self.bad(3) {
            name = pick(self.rng, &["foo", "bxx", "vfoo", "itxe", "ittttt", "and"]).to_string();
        }
        let mut args: Vec<String> = kinds.iter().map(|&k| self.operand(k)).collect();
        if self.bad(5) {
            if args.is_empty() || self.chance(50) {
                let extra = self.operand(R);
                args.push(extra);
            } else {
                args.pop();
            }
        }
        if !args.is_empty() && self.bad(4) {
            // An operand of another kind.
            let i = self.rng.below(args.len());
            let k = [R, I, L, Addr, List, S][self.rng.below(6)];
            args[i] = self.operand(k);
        }
        format!("{name}({})", args.join(", "))
    }

    fn statement(&mut self, defined: &mut Vec<String>) -> String {
        match self.rng.below(100) {
            0..=7 => {
                // A label: usually a new one, rarely a redefinition.
                let name = if !defined.is_empty() && self.bad(3) {
                    defined[0].clone()
                } else {
                    format!("l{}", defined.len())
                };
                defined.push(name.clone());
                format!("label({name})")
            }
            8..=9 => {
                let a = if self.clean {
                    pick(self.rng, &["1", "2", "4", "8", "16"])
                } else {
                    pick(self.rng, &["1", "2", "4", "8", "16", "x", "2, 3"])
                };
                format!("align({a})")
            }
            10..=12 => {
                let size = pick(self.rng, &["1", "2", "3", "4", "8", "x"]);
                let size = if self.clean && size == "x" { "4" } else { size };
                let n = usize::from(self.clean) + self.rng.below(4);
                let vals: Vec<String> = (0..n).map(|_| self.int()).collect();
                if vals.is_empty() {
                    format!("data({size})")
                } else {
                    format!("data({size}, {})", vals.join(", "))
                }
            }
            13..=15 => self.padding(),
            16 => "pass".to_string(),
            17 if self.bad(20) => "x = 1".to_string(),
            _ => self.instruction(),
        }
    }
}

/// One module with one inline-assembler function.
pub fn program(isa: Isa, rng: &mut Rng) -> String {
    let n = 1 + rng.below(10);
    // Label names are chosen first so branches can go forward to them.
    let labels: Vec<String> = (0..1 + rng.below(4)).map(|i| format!("l{i}")).collect();
    let clean = rng.below(2) == 0;
    let mut g = Gen {
        rng,
        isa,
        labels,
        clean,
    };
    let (deco, reg0) = match isa {
        Isa::Thumb => ("asm_thumb", 0u8),
        Isa::Xtensa => ("asm_xtensa", 2u8),
    };
    let prefix = if matches!(isa, Isa::Thumb) { "r" } else { "a" };
    let n_params = if g.bad(5) { 5 } else { g.rng.below(5) };
    let mut params: Vec<String> = (0..n_params)
        .map(|i| format!("{prefix}{}", reg0 as usize + i))
        .collect();
    if !params.is_empty() && g.bad(3) {
        params[0] = "x".to_string();
    }
    let ret = if !clean && g.chance(5) {
        " -> foo"
    } else {
        pick(
            g.rng,
            &["", "", "", " -> int", " -> uint", " -> bool", " -> object"],
        )
    };
    let mut defined = Vec::new();
    let mut body: Vec<String> = (0..n).map(|_| g.statement(&mut defined)).collect();
    // Make the chosen labels exist (somewhere), unless left out on purpose.
    for l in g.labels.clone() {
        if !defined.contains(&l) && (g.clean || g.chance(90)) {
            let at = g.rng.below(body.len() + 1);
            body.insert(at, format!("label({l})"));
            defined.push(l);
        }
    }
    let mut s = String::from("CONST = const(3)\n");
    s.push_str(&format!(
        "@micropython.{deco}\ndef f({}){ret}:\n",
        params.join(", ")
    ));
    for line in body {
        s.push_str("    ");
        s.push_str(&line);
        s.push('\n');
    }
    s
}
