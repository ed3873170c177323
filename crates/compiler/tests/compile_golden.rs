//! Golden cases for MicroPython-only constructs and compile-time errors: bytes and stderr
//! text produced by the oracle (mpy-cross 1.11) for the sources below, pasted in.
//!
//! Each case gives the source, the mpy-cross flags, and either the oracle's `.mpy` as hex or
//! its stderr. The input path passed to both compilers is `<name>.py`.

use compiler::{CompileContext, CompileOptions, DefaultEmit, SourceNames};
use mpcore::Arch;

enum Want {
    Mpy(&'static str),
    Err(&'static str),
}

struct Case {
    name: &'static str,
    source: &'static str,
    flags: &'static [&'static str],
    want: Want,
}

fn options(flags: &[&str]) -> (CompileOptions, Option<String>) {
    // The reference's host-sized nlr buffer: its exact bytes (see `compiler::NlrBuf`).
    let mut o = CompileOptions {
        nlr_buf: compiler::NlrBuf::Host,
        ..CompileOptions::default()
    };
    let mut source_name = None;
    let mut i = 0;
    while i < flags.len() {
        let f = flags[i];
        if f == "-s" {
            source_name = Some(flags[i + 1].to_string());
            i += 1;
        } else if let Some(n) = f.strip_prefix("-msmall-int-bits=") {
            o.target.small_int_bits = n.parse().unwrap();
        } else if let Some(n) = f.strip_prefix("-O") {
            o.opt_level = n.parse().unwrap();
        } else if let Some(a) = f.strip_prefix("-march=") {
            o.target.arch = Arch::from_march(a).unwrap();
        } else if f == "-X" {
            o.emit = match flags[i + 1] {
                "emit=native" => DefaultEmit::Native,
                "emit=viper" => DefaultEmit::Viper,
                _ => DefaultEmit::Bytecode,
            };
            i += 1;
        }
        i += 1;
    }
    (o, source_name)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Compiles `source` as `<name>.py` under mpy-cross `flags`: the `.mpy` as hex, or the
/// traceback.
fn run(name: &str, source: &str, flags: &[&str]) -> Result<String, String> {
    run_with(&mut CompileContext::new(), name, source, flags)
}

/// [`run`] through the compile context `ctx`.
fn run_with(
    ctx: &mut CompileContext,
    name: &str,
    source: &str,
    flags: &[&str],
) -> Result<String, String> {
    let (opts, source_name) = options(flags);
    let path = format!("{name}.py");
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: source_name.as_deref().map(str::as_bytes),
    };
    match compiler::compile_with(ctx, source.as_bytes(), names, &opts) {
        Ok(m) => Ok(hex(&mpyfile::write(&m))),
        Err(e) => Err(e.render()),
    }
}

#[test]
fn golden_cases_match_the_oracle() {
    check_cases(CASES.iter(), |c| run(c.name, c.source, c.flags));
}

/// One compile context reused for every case, forwards then backwards and after a deeply
/// nested module (compiled on a thread of its own) and a failed compile, gives the oracle's
/// bytes and errors all the same: nothing a compilation leaves in the context changes the next.
#[test]
fn golden_cases_match_through_one_reused_context() {
    let mut ctx = CompileContext::new();
    check_cases(CASES.iter(), |c| {
        run_with(&mut ctx, c.name, c.source, c.flags)
    });
    let deep = format!("x = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    assert!(run_with(&mut ctx, "d", &deep, &[]).is_ok());
    assert!(run_with(&mut ctx, "e", "def f():\n  return = 1\n", &[]).is_err());
    check_cases(CASES.iter().rev(), |c| {
        run_with(&mut ctx, c.name, c.source, c.flags)
    });
}

/// Runs every case through `run` and fails with those that differ from the oracle.
fn check_cases<'c>(
    cases: impl Iterator<Item = &'c Case>,
    mut run: impl FnMut(&Case) -> Result<String, String>,
) {
    let mut bad = Vec::new();
    for c in cases {
        let got = run(c);
        let ok = match (&c.want, &got) {
            (Want::Mpy(h), Ok(g)) => h == g,
            (Want::Err(e), Err(g)) => e == g,
            _ => false,
        };
        if !ok {
            bad.push(format!("{}: got {:?}", c.name, got));
        }
    }
    assert!(
        bad.is_empty(),
        "cases differing from the oracle:\n{}",
        bad.join("\n")
    );
}

/// Inline-assembler bodies where mpy-cross 1.11 fails an assertion (a statement that is not
/// a call, such as `x = 1` or a bare name) get the error it gives for other non-instructions.
#[test]
fn asm_assertion_cases_get_a_clear_error() {
    for body in ["x = 1", "nop", "x += 1"] {
        let src = format!("@micropython.asm_thumb\ndef f():\n  {body}\n");
        let err = run("a", &src, &["-march=armv7m"]).expect_err("not an instruction");
        assert_eq!(
            err,
            "Traceback (most recent call last):\n  File \"a.py\", line 3, in f\nSyntaxError: expecting an assembler instruction\n"
        );
    }
}

/// `@micropython.bytecode` and ordinary decorators compile as bytecode.
#[test]
fn bytecode_decorator_is_plain_bytecode() {
    assert!(run("b", "@micropython.bytecode\ndef f():\n  pass\n", &[]).is_ok());
}

/// Deep nesting compiles (the reference compiles 5,000 nested lists) without a crash.
#[test]
fn deep_nesting_compiles() {
    let n = 5000;
    let src = format!("x = {}{}\n", "[".repeat(n), "]".repeat(n));
    assert!(run("d", &src, &[]).is_ok());
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    // mpy-cross  rawcode_index_grows.py (the raw-code indices need two bytes once all 131 objects are counted)
    Case { name: "rawcode_index_grows", source: "if x:\n    def f():\n        pass\ny = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]\nz = 1\nwhile z:\n    def g(): pass\n    z = 0.25\n", flags: &[], want: Want::Mpy("4d04021f208a4081020030000000150700510127461f1f1f1f1f1f1f1f342423260000ff1b02783706806081032402661700170117021703170417051706170717081709170a170b170c170d170e170f1710171117121713171417151716171717181719171a171b171c171d171e171f1720172117221723172417251726172717281729172a172b172c172d172e172f1730173117321733173417351736173717381739173a173b173c173d173e173f1740174117421743174417451746174717481749174a174b174c174d174e174f1750175117521753175417551756175717581759175a175b175c175d175e175f1760176117621763176417651766176717681769176a176b176c176d176e176f1770177117721773177417751776177717781779177a177b177c177d177e177f1781001781015181022402798124027a350c8060810424026717810224031b0136ee7f115b00072c726177636f64655f696e6465785f67726f77732e70798103026603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356603302e356604302e3235440100000000000853015101410000ff115b0903000048010000000000095601510161600000ff115b07030000") },
    // mpy-cross  assign.py
    Case { name: "assign", source: "x = 1\n", flags: &[], want: Want::Mpy("4d04021f205001000000000007070051010000ff81240278115b00071261737369676e2e70790000") },
    // mpy-cross  const.py
    Case { name: "const", source: "from micropython import const\nA = const(100)\nB = const(1 << 40)\n_C = const(7)\nx = A + B + _C\n", flags: &[], want: Want::Mpy("4d04021f20814c0200000000000a070051013126450000ff8016004850016800736900482400483214806424024117002402421701240278115b000710636f6e73742e70790200690d31303939353131363237373736690d31303939353131363237383833") },
    // mpy-cross -msmall-int-bits=15 ints15.py
    Case { name: "ints15", source: "a = 16383\nb = 16384\nc = -16384\nd = -16385\n", flags: &["-msmall-int-bits=15"], want: Want::Mpy("4d04020f20812c0100000000000a070051012825270000ff1480ff7f240261170024026214ff80002402631701240264115b000712696e747331352e707902006905313633383469062d3136333835") },
    // mpy-cross  ints31.py
    Case { name: "ints31", source: "a = 1073741823\nb = 1073741824\nc = -1073741824\nd = -1073741825\n", flags: &[], want: Want::Mpy("4d04021f20813c0100000000000a070051012a25290000ff1483ffffff7f240261170024026214fc808080002402631701240264115b000712696e747333312e70790200690a31303733373431383234690b2d31303733373431383235") },
    // mpy-cross -msmall-int-bits=63 ints63.py
    Case { name: "ints63", source: "a = 4611686018427387903\nb = 4611686018427387904\nc = -4611686018427387904\nd = -4611686018427387905\ne = 1 << 62\n", flags: &["-msmall-int-bits=63"], want: Want::Mpy("4d04023f2081540100000000000b070051012e2525250000ff14bfffffffffffffff7f2402611700240262170124026317022402641703240265115b000712696e747336332e7079040069133436313136383630313834323733383739303469142d3436313136383630313834323733383739303469142d34363131363836303138343237333837393035691334363131363836303138343237333837393034") },
    // mpy-cross  opt0.py
    Case { name: "opt0", source: "def f(x):\n    assert x, 'm'\n    if __debug__:\n        print(__debug__)\n    return x\n", flags: &[], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b00070e6f7074302e7079000181240300100100000b52015101212e20270000ffb0360a801c001f16026d64015c011c007b12640132b05b050500000278") },
    // mpy-cross -O1 opt1.py
    Case { name: "opt1", source: "def f(x):\n    assert x, 'm'\n    if __debug__:\n        print(__debug__)\n    return x\n", flags: &["-O1"], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b00070e6f7074312e707900014c0200000100000a520151012120400000ffb05b030300000278") },
    // mpy-cross -O2 opt2.py
    Case { name: "opt2", source: "def f(x):\n    assert x, 'm'\n    if __debug__:\n        print(__debug__)\n    return x\n", flags: &["-O2"], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b00070e6f7074322e707900014c0200000100000a520151012120400000ffb05b030300000278") },
    // mpy-cross -O3 opt3.py
    Case { name: "opt3", source: "def f(x):\n    assert x, 'm'\n    if __debug__:\n        print(__debug__)\n    return x\n", flags: &["-O3"], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b00070e6f7074332e707900014002000001000007520151010000ffb05b030300000278") },
    // mpy-cross  range_swap.py
    Case { name: "range_swap", source: "def f(n, a, b, c):\n    for i in range(n, 0, -2):\n        a, b = b, a\n        a, b, c = c, b, a\n    else:\n        return a if b else c\n", flags: &[], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b00071a72616e67655f737761702e7079000181700900000400000b52015101212625510000ffb035118030c4b2b133c1c2b3b2b13433c1c2c37ee53080d836e97f32b2370280b15bb35b35018032115b03030000026e026102620263") },
    // mpy-cross  closures.py
    Case { name: "closures", source: "def f(a, *args, b=1, **kw):\n    def g():\n        nonlocal a\n        a += 1\n        return [a + x for x in args]\n    return g\n", flags: &[], want: Want::Mpy("4d04021f207404003000000007070051010000ff18530081160262546100240266115b000716636c6f73757265732e707900016c07003b0101000a5201510123662000000002ffb0b2620202c4b45b0303000102610781000400300200000a550151014120260000ff1a0081e52300b06202011a0164015b02670700010005000581080a000002000009c100510169200000ff5100b147430a00c21a00b2f1571435f37f5b143c6c697374636f6d703e03000000050005") },
    // mpy-cross  class_cells.py (methods of a module-level class close over `__class__` only;
    // a class inside a function passes on its free variables)
    Case { name: "class_cells", source: "class A:\n    x = 1\n    y = [x for _ in range(2)]\n    def m(self):\n        return x, __class__\n    def n(self):\n        def inner():\n            return self, __class__\n        return inner\ndef f():\n    v = 1\n    class C:\n        def g(self):\n            return v, __class__\n    return C\n", flags: &[], want: Want::Mpy("4d04021f20810803003000000009070051018c090000ff206000160241640224016001240266115b00071c636c6173735f63656c6c732e7079000282000400300000000b520151012e242d47000000ff1b0017240016160524001a8124027860001b007c8264016401240279b062010124026db062020124026eb05b090b00037c08001001000007c10051010000ff5100b047430900c11c0b571435f47f5b143c6c697374636f6d703e050000000560040010020000095501510161200000ff1c051a0050025b0b05000000050089680500300200000a56015101626046000001ffb1b0620202c2b25b0b030001000500895c040000020000095701510181070000ff1a001a0150025b0a696e6e657203000000050005810c0500300000000b58015101820a236b000001ff81230120b16200011602436402c0b05b13050001811c040030010000095a0151018e0c000001ff1b0017240016160524001ab1b0620102240267b15b0305000100055c050000030000095b015101810d0000ff1a011a0050025b05030000000500050089") },
    // mpy-cross  nonlocal_in_method.py
    Case { name: "nonlocal_in_method", source: "class A:\n    def m(self):\n        nonlocal zz\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"nonlocal_in_method.py\", line 3, in m\nSyntaxError: no binding for nonlocal found\n") },
    // mpy-cross  class_super.py
    Case { name: "class_super", source: "class A(B, metaclass=M):\n    def f(self):\n        return super().f(1)\n    @micropython.bytecode\n    def g(self, *a, **k):\n        return super().g(*a, **k)\n", flags: &[], want: Want::Mpy("4d04021f20811406003000000007070051010000ff2060001602411b024216126d657461636c6173731b024d6482032407115b00071c636c6173735f73757065722e70790001813402003000000009520151012e47000000ff1b0017240016160324001ab0620001240266b0620101240267b05b05070002700500100200000856015101410000ff1c009a1a00b11f078166015b010300000005008978080013020000095701510161400000ff1c009a1a00b11f07b2b367005b0103000000050089") },
    // mpy-cross  async.py
    Case { name: "async", source: "async def f(x):\n    async with x as y, z:\n        await y\n    async for i in x:\n        yield i\n", flags: &[], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b0007106173796e632e7079000186580e02140100000f52015101213e1f1f1f361f280000ffb0301e145f5f61656e7465725f5f660042115ec14051001c027a301e03660042115e32400a00b142115e321133352580301c0021df371b803034331e125f5f61657869745f5f3434301d000a3311660342115e3713803211350e8034341e01113030660342115e32411133352580301c0021df371b803034331e013434301d000a3311660342115e3713803211350e8034341e01113030660342115e3241b01e125f5f61697465725f5f660042115ec03f0d00b01e125f5f616e6578745f5f660042115ec2440d00301c2453746f704173796e63497465726174696f6edf3704803244070041b25d3235dd7f115b0f0f00000278") },
    // mpy-cross  try_with.py
    Case { name: "try_with", source: "try:\n    with a as b, c:\n        del b.x, c[0]\nexcept E as e:\n    pass\nexcept:\n    raise\nelse:\n    import a.b.c as d\nfinally:\n    from ..x import (y, z as w)\n", flags: &[], want: Want::Mpy("4d04021f20843c0704000000000e0700510127301f474d464f0000ff405b003f28001b02613d1d002402621b02633d1100321b0318332602781b0580183427113e41113e41442100301b0245df371280240265400100111124012a0141441500325c00440f00418011680a612e622e631d0b1d09240264118216027916027a500268116905240169052402773241115b0007167472795f776974682e70790000") },
    // mpy-cross  viper_unknown_arg.py
    Case { name: "viper_unknown_arg", source: "@micropython.viper\ndef f(x: foo):\n    y = 1\n    return x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"viper_unknown_arg.py\", line 3, in f\nViperTypeError: unknown type 'foo'\n") },
    // mpy-cross  viper_unknown_ret.py
    Case { name: "viper_unknown_ret", source: "@micropython.viper\ndef f(x) -> foo:\n    y = 1\n    return x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"viper_unknown_ret.py\", line 3, in f\nViperTypeError: unknown type 'foo'\n") },
    // mpy-cross  viper_unknown_star.py
    Case { name: "viper_unknown_star", source: "@micropython.viper\ndef f(x:int, *a:foo):\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"viper_unknown_star.py\", line 2, in f\nViperTypeError: unknown type 'foo'\n") },
    // mpy-cross  viper_annotation.py
    Case { name: "viper_annotation", source: "@micropython.viper\ndef f(x: a.b):\n    return x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"viper_annotation.py\", line 2, in f\nSyntaxError: annotation must be an identifier\n") },
    // mpy-cross  calls.py
    Case { name: "calls", source: "f(*a)\nf(**k)\nf(a, *b, c=1, **d)\no.m(*a, x=2)\nf(x for x in y)\nf(a)(b)[c].d(e)\n", flags: &[], want: Want::Mpy("4d04021f20835c0600300000000c070051012b2a34322e0000ff1b02661b0261186500321b03181b026b6500321b031b05160263811b02621b0264658201321b026f1e026d160278821b0d18678200321b0f60001b02794264016401321b031b0564011b0f64011b11211e111b0265660132115b00071063616c6c732e707900017807000401000007c40051010000ff18b01818430700c1b15d3235f67f115b123c67656e657870723e0300000005") },
    // mpy-cross  targets.py
    Case { name: "targets", source: "a = b = c[1] = d.e = 5\na.b += 1\nc[i] <<= 2\n*a, b = x\n[a, *b] = x\n(a, b), c = x\n[] = x\ndel a, b[0], c.d, (e, f), (g,)\n", flags: &[], want: Want::Mpy("4d04021f2084300400000000000e07005101362d2c2c2b30250000ff853024026130240262301b026381271b02642602651b09301d0981e53326011b091b0269312182e334271b02785a8200240924091b055a01240524051b05590259022405240524091b0759002a071b07801834271b071833260d2a0d2a02662a0267115b000714746172676574732e70790000") },
    // mpy-cross  err_del_list.py
    Case { name: "err_del_list", source: "del [g]\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_del_list.py\", line 1, in <module>\nSyntaxError: can't delete expression\n") },
    // mpy-cross  conds.py
    Case { name: "conds", source: "if 0:\n  a()\nelif 1:\n  b()\nelse:\n  c()\nwhile 0:\n  d()\nwhile 1:\n  break\nif ():\n  e()\nif (1,):\n  f()\nif not a and (b or not c):\n  g()\nx = a < b < c\nx = a if not b else c\n", flags: &[], want: Want::Mpy("4d04021f20836403000000000013070051016166402026232620263226380000ff1b026264003235038035fa7f3506801b02656400321b02666400321b02613612801b073606801b02633606801b02676400321b071b073034d73907801b07d735028033322402781b053606801b073503801b072407115b000710636f6e64732e70790000") },
    // mpy-cross  literals.py
    Case { name: "literals", source: "x = (1.5, 2j, b'xy', 'a long string value here', ..., None, True, False, 12345678901234567890, -7)\ny = {1: 2, 'a': b}\nz = {1, 2}\nw = {}\nv = [1, 2, 3][1:2:3]\nu = v[::2], v[1:], v[:1], v[:]\n", flags: &[], want: Want::Mpy("4d04021f2083640a00000000000c07005101362f27252e0000ff17001701170217031704111210170579500a24027853028281541b0262160261542402798182560224027a530024027781828351038182835803212402761b011111825803211b0181115802211b0111815802211b0111115802215004240275115b0007166c69746572616c732e707906006603312e356302326a62027879731861206c6f6e6720737472696e672076616c756520686572656569143132333435363738393031323334353637383930") },
    // mpy-cross  comps.py
    Case { name: "comps", source: "a = {k: v for k, v in x if k}\nb = {v for v in x for w in v}\nc = list(v for v in x)\nd = lambda: (yield)\ne = [[y for y in x] for x in z]\n", flags: &[], want: Want::Mpy("4d04021f20821c0300300000000b070051012b2a30250000ff60001b0278640124026160011b0364012402621b006c60021b034264016401240263600324026460041b027a6401240265115b000710636f6d70732e7079000581140a000001000007c20051010000ff5300b047430f005902c1c2b137f57fb2b1571935ee7f5b143c64696374636f6d703e030000000581180d000001000007c30051010000ff5600b047431000c1b147430700c2b1572635f67f35ed7f5b123c736574636f6d703e03000000057807000401000007c40051010000ff18b01818430700c1b15d3235f67f115b123c67656e657870723e03000000055001000400000008c0005101610000ff115d32115b103c6c616d6264613e030000810c09003001000009c100510169200000ff5100b047430b00c16001b16401571435f27f5b143c6c697374636f6d703e03000100057408000001000007c10051010000ff5100b047430700c1b1571435f67f5b030300000005") },
    // mpy-cross  defaults.py
    Case { name: "defaults", source: "def f(a, b=1, *c, d, e=2, **g):\n    return lambda x=a, *, y=b: x + y\nclass C:\n    def m(self):\n        return __class__\n", flags: &[], want: Want::Mpy("4d04021f20812c0400300000000807005101500000ff81500153008216026554610024026620600116024364022401115b00071664656661756c74732e70790002700a003b0202010852015101210000ffb050015300b11602795461045b07050001026102620d02644c04000801010108c0005101210000ffb0b1f15b103c6c616d6264613e0b00000278118114020030000000085a0151016e000000ff1b0017240016161324001ab062000124026db05b030900014c030000020000095b01510161200000ff1a005b0503000000050089") },
    // mpy-cross  flow.py
    Case { name: "flow", source: "def f(x):\n    for i in x:\n        try:\n            if i:\n                continue\n            return i\n        finally:\n            break\n    else:\n        pass\n    with x as y:\n        return y\n    while x:\n        try:\n            break\n        except:\n            continue\n", flags: &[], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b00070e666c6f772e7079000182740b01000100001452015101212623242443482025252323480000ffb047431700c1400b00b137048046f27f01b15b11460580814135e67fb03d0400c2b25b113e413513803f070046118001440900324605800144010041b036e97f115b030300000278") },
    // mpy-cross  imports.py
    Case { name: "imports", source: "import a\nimport a.b\nimport a.b.c as d\nfrom . import x\nfrom .. import y as z\nfrom ...m import n\nfrom .... import o\nfrom p import *\nfrom .q import (r, s)\n", flags: &[], want: Want::Mpy("4d04021f2084640300000000000f0700510129282e303030302a0000ff8011680261240180116806612e6224038011680a612e622e631d02621d02632402648116027850016800016901240132821602795001680001690124027a328316026e500168026d69032401328416026f500168000169012401328016000550016802706a811602721602735002680271690524016905240132115b000714696d706f7274732e70790000") },
    // mpy-cross  globals.py
    Case { name: "globals", source: "x = 1\ndef f():\n    global x\n    x = 2\n    def g():\n        global y\n        y = x\n    return g\nglobal z\nz = 3\n", flags: &[], want: Want::Mpy("4d04021f2081040100300000000b07005101258507200000ff8125027860002402668325027a115b000714676c6f62616c732e707900016c0200300000000b53015101412024630000ff8225076000c0b05b07050001640100100000000a540151016140200000ff1c05250279115b0267070000") },
    // mpy-cross  ranges.py
    Case { name: "ranges", source: "for i in range(10):\n    pass\nfor i in range(a, b):\n    pass\nfor i in range(a, 10, -1):\n    pass\nfor i in range(0, 1 << 40):\n    pass\nfor i in range(a, b, c):\n    pass\nfor i in range(*a):\n    pass\nfor a.b in range(3):\n    pass\n", flags: &[], want: Want::Mpy("4d04021f208520060000000000140700510129292d2a2a29282a35233023300000ff803506803024026981e5308ad736f47f321b02621b026135068030240581e53133d736f47f32321b033506803024037fe5308ad836f47f328035068030240181e5301700d736f37f321b007c1b031b051b0263640347430600240735f77f1b007c1b0718650047430600240335f77f1b007c836401474309001b03260735f47f115b00071272616e6765732e70790100690d31303939353131363237373736") },
    // mpy-cross -march=armv7m err_asm_align.py
    Case { name: "err_asm_align", source: "@micropython.asm_thumb\ndef f():\n  align(x)\n", flags: &["-march=armv7m"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_align.py\", line 3, in f\nSyntaxError: 'align' requires 1 argument\n") },
    // mpy-cross -march=armv7m err_asm_data.py
    Case { name: "err_asm_data", source: "@micropython.asm_thumb\ndef f():\n  data(1)\n", flags: &["-march=armv7m"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_data.py\", line 3, in f\nSyntaxError: 'data' requires at least 2 arguments\n") },
    // mpy-cross -march=armv7m err_asm_ret_type.py
    Case { name: "err_asm_ret_type", source: "@micropython.asm_thumb\ndef f() -> foo:\n  pass\n", flags: &["-march=armv7m"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_ret_type.py\", line 2, in f\nSyntaxError: unknown type\n") },
    // mpy-cross -march=armv7m err_asm_ret_expr.py
    Case { name: "err_asm_ret_expr", source: "@micropython.asm_thumb\ndef f() -> a.b:\n  pass\n", flags: &["-march=armv7m"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_ret_expr.py\", line 2, in f\nSyntaxError: return annotation must be an identifier\n") },
    // mpy-cross -march=armv7m err_asm_not_instr.py
    Case { name: "err_asm_not_instr", source: "@micropython.asm_thumb\ndef f():\n  a.b(1)\n", flags: &["-march=armv7m"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_not_instr.py\", line 3, in f\nSyntaxError: expecting an assembler instruction\n") },
    // mpy-cross -march=xtensa err_asm_before_module.py
    Case { name: "err_asm_before_module", source: "@micropython.asm_xtensa\ndef f():\n  label(1)\nbreak\n", flags: &["-march=xtensa"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_before_module.py\", line 4, in <module>\nSyntaxError: 'break' outside loop\n") },
    // mpy-cross  err_two_stars.py
    Case { name: "err_two_stars", source: "def f(*a, *b):\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_two_stars.py\", line 1, in f\nSyntaxError: invalid syntax\n") },
    // mpy-cross  err_lambda_two_stars.py
    Case { name: "err_lambda_two_stars", source: "f = lambda *a, *b: 0\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_lambda_two_stars.py\", line 1, in <lambda>\nSyntaxError: invalid syntax\n") },
    // mpy-cross  err_lambda_reused.py
    Case { name: "err_lambda_reused", source: "f = lambda a, a: 0\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_lambda_reused.py\", line 1, in <lambda>\nSyntaxError: argument name reused\n") },
    // mpy-cross  err_nested_scope_order.py
    Case { name: "err_nested_scope_order", source: "def f():\n  def g():\n    break\n  return\nclass A:\n  continue\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_nested_scope_order.py\", line 6, in A\nSyntaxError: 'continue' outside loop\n") },
    // mpy-cross  err_comp_scope.py
    Case { name: "err_comp_scope", source: "def f():\n  return [(yield) for x in y]\nx = {a: (yield) for a in b}\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_comp_scope.py\", line 3, in <dictcomp>\nSyntaxError: 'yield' outside function\n") },
    // mpy-cross  err_genexpr_await.py
    Case { name: "err_genexpr_await", source: "async def f():\n  return list(await x for x in y)\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_genexpr_await.py\", line 2, in <genexpr>\nSyntaxError: 'await' outside function\n") },
    // mpy-cross  err_break.py
    Case { name: "err_break", source: "def f():\n  pass\nbreak\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_break.py\", line 3, in <module>\nSyntaxError: 'break' outside loop\n") },
    // mpy-cross  err_continue.py
    Case { name: "err_continue", source: "while 1:\n  def f():\n    continue\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_continue.py\", line 3, in f\nSyntaxError: 'continue' outside loop\n") },
    // mpy-cross  err_return.py
    Case { name: "err_return", source: "class A:\n  return 1\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_return.py\", line 2, in A\nSyntaxError: 'return' outside function\n") },
    // mpy-cross  err_yield.py
    Case { name: "err_yield", source: "x = 1\nyield x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_yield.py\", line 2, in <module>\nSyntaxError: 'yield' outside function\n") },
    // mpy-cross  err_await.py
    Case { name: "err_await", source: "x = 1\nawait x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_await.py\", line 2, in <module>\nSyntaxError: 'await' outside function\n") },
    // mpy-cross  err_nonlocal.py
    Case { name: "err_nonlocal", source: "def f():\n  nonlocal x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_nonlocal.py\", line 2, in f\nSyntaxError: no binding for nonlocal found\n") },
    // mpy-cross  err_nonlocal_module.py
    Case { name: "err_nonlocal_module", source: "nonlocal x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_nonlocal_module.py\", line 1, in <module>\nSyntaxError: can't declare nonlocal in outer code\n") },
    // mpy-cross  err_global.py
    Case { name: "err_global", source: "def f():\n  x = 1\n  global x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_global.py\", line 3, in f\nSyntaxError: identifier redefined as global\n") },
    // mpy-cross  err_nonlocal_redef.py
    Case { name: "err_nonlocal_redef", source: "def g():\n  x = 1\n  def f():\n    x = 2\n    nonlocal x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_nonlocal_redef.py\", line 5, in f\nSyntaxError: identifier redefined as nonlocal\n") },
    // mpy-cross  err_star.py
    Case { name: "err_star", source: "x = *a\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_star.py\", line 1, in <module>\nSyntaxError: *x must be assignment target\n") },
    // mpy-cross  err_assign_expr.py
    Case { name: "err_assign_expr", source: "f() = 1\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_assign_expr.py\", line 1, in <module>\nSyntaxError: can't assign to expression\n") },
    // mpy-cross  err_assign_literal.py
    Case { name: "err_assign_literal", source: "1 = x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_assign_literal.py\", line 1, in <module>\nSyntaxError: can't assign to expression\n") },
    // mpy-cross  err_del.py
    Case { name: "err_del", source: "del f()\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_del.py\", line 1, in <module>\nSyntaxError: can't delete expression\n") },
    // mpy-cross  err_default.py
    Case { name: "err_default", source: "def f(a=1, b):\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_default.py\", line 1, in <module>\nSyntaxError: non-default argument follows default argument\n") },
    // mpy-cross  err_star_arg.py
    Case { name: "err_star_arg", source: "f(*a,\n  b)\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_star_arg.py\", line 1, in <module>\nSyntaxError: non-keyword arg after */**\n") },
    // mpy-cross  err_kw_arg.py
    Case { name: "err_kw_arg", source: "f(a=1, b)\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_kw_arg.py\", line 1, in <module>\nSyntaxError: non-keyword arg after keyword arg\n") },
    // mpy-cross  err_lhs_kw.py
    Case { name: "err_lhs_kw", source: "f(a.b=1)\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_lhs_kw.py\", line 1, in <module>\nSyntaxError: LHS of keyword arg must be an id\n") },
    // mpy-cross  err_decorator.py
    Case { name: "err_decorator", source: "@micropython.foo\ndef f():\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_decorator.py\", line 1, in <module>\nSyntaxError: invalid micropython decorator\n") },
    // mpy-cross  err_decorator2.py
    Case { name: "err_decorator2", source: "@micropython.a.b\ndef f():\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_decorator2.py\", line 1, in <module>\nSyntaxError: invalid micropython decorator\n") },
    // mpy-cross  err_multi_star.py
    Case { name: "err_multi_star", source: "a, *b, *c = x\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_multi_star.py\", line 1, in <module>\nSyntaxError: multiple *x in assignment\n") },
    // mpy-cross  err_arg_reused.py
    Case { name: "err_arg_reused", source: "def f(a, a):\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_arg_reused.py\", line 1, in f\nSyntaxError: argument name reused\n") },
    // mpy-cross  err_except_last.py
    Case { name: "err_except_last", source: "try:\n  pass\nexcept:\n  pass\nexcept E:\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_except_last.py\", line 3, in <module>\nSyntaxError: default 'except' must be last\n") },
    // mpy-cross  err_super.py
    Case { name: "err_super", source: "def f():\n  super()\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_super.py\", line 2, in f\nSyntaxError: super() can't find self\n") },
    // mpy-cross  err_multi_star_call.py
    Case { name: "err_multi_star_call", source: "f(*a, *b)\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_multi_star_call.py\", line 1, in <module>\nSyntaxError: can't have multiple *x\n") },
    // mpy-cross  err_multi_dblstar_call.py
    Case { name: "err_multi_dblstar_call", source: "f(**a, **b)\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_multi_dblstar_call.py\", line 1, in <module>\nSyntaxError: can't have multiple **x\n") },
    // mpy-cross  err_dict.py
    Case { name: "err_dict", source: "x = {1: 2, 3}\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_dict.py\", line 1, in <module>\nSyntaxError: expecting key:value for dict\n") },
    // mpy-cross  err_set.py
    Case { name: "err_set", source: "x = {1, 2: 3}\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_set.py\", line 1, in <module>\nSyntaxError: expecting just a value for set\n") },
    // mpy-cross -march=x64 err_arch_asm.py
    Case { name: "err_arch_asm", source: "@micropython.asm_thumb\ndef f():\n  pass\n", flags: &["-march=x64"], want: Want::Err("Traceback (most recent call last):\n  File \"err_arch_asm.py\", line 1, in <module>\nSyntaxError: invalid arch\n") },
    // mpy-cross -march=armv7m err_asm_class.py
    Case { name: "err_asm_class", source: "@micropython.asm_thumb\nclass A:\n  pass\n", flags: &["-march=armv7m"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_class.py\", line 2, in A\nSyntaxError: inline assembler must be a function\n") },
    // mpy-cross -march=armv7m err_asm_label.py
    Case { name: "err_asm_label", source: "@micropython.asm_thumb\ndef f():\n  label(1)\n", flags: &["-march=armv7m"], want: Want::Err("Traceback (most recent call last):\n  File \"err_asm_label.py\", line 3, in f\nSyntaxError: 'label' requires 1 argument\n") },
    // mpy-cross  err_dblstar_param.py
    Case { name: "err_dblstar_param", source: "def f(**a, b):\n  pass\n", flags: &[], want: Want::Err("Traceback (most recent call last):\n  File \"err_dblstar_param.py\", line 1, in f\nSyntaxError: invalid syntax\n") },
    // mpy-cross -s other.py err_source_name.py
    Case { name: "err_source_name", source: "def f():\n  return\nreturn\n", flags: &["-s", "other.py"], want: Want::Err("Traceback (most recent call last):\n  File \"other.py\", line 3, in <module>\nSyntaxError: 'return' outside function\n") },
];
