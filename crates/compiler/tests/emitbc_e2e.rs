//! End to end through `compiler::compile` (parser, code generation, bytecode emitter, linking):
//! each raw code of the tree, in file order, against the oracle.
//!
//! Expected `fun_data` is what mpy-cross 1.11 wrote for the source shown, with the qstr operands
//! put back as the numbers the reference process gave them (the path is interned first as 337,
//! then new identifiers in source order; static qstrs keep their pool numbers). Prelude and code
//! info are verbatim from the oracle's file.

use compiler::{compile, CompileOptions, SourceNames};
use mpcore::Qstr;
use rawcode::RawCode;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(s.len().is_multiple_of(2));
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The raw codes of a tree in the order the `.mpy` file lists them (pre-order).
fn flatten(root: &RawCode) -> Vec<&RawCode> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(rc) = stack.pop() {
        out.push(rc);
        stack.extend(rc.children.iter().rev());
    }
    out
}

/// Compiles `source` as `path` with default options and checks every raw code's `fun_data` and
/// argument names.
fn check(path: &str, source: &str, expected: &[(&str, &[u16])]) {
    let names = SourceNames {
        path: path.as_bytes(),
        source_name: None,
    };
    let module = compile(source.as_bytes(), names, &CompileOptions::default())
        .unwrap_or_else(|e| panic!("{path}: {}", e.render()));
    let got = flatten(&module.root);
    assert_eq!(got.len(), expected.len(), "{path}: number of raw codes");
    for (i, (rc, (fun_data, args))) in got.iter().zip(expected).enumerate() {
        assert_eq!(rc.fun_data(), hex(fun_data), "{path}: raw code {i}");
        let args: Vec<Qstr> = args.iter().map(|&n| Qstr(n)).collect();
        assert_eq!(rc.arg_names, args, "{path}: raw code {i} argument names");
    }
}

#[test]
fn class_with_super_and_class_cell() {
    // A=338 B=339 m=340; self (137), super, __class__ (10) are static
    check(
        "p1.py",
        "class A(B):\n    def m(self):\n        super().m()\n        return __class__\n",
        &[
            (
                "04003000000007070051010000ff2060001652011b53016403245201115b",
                &[],
            ),
            (
                "02003000000008520151012e000000ff1b1700241600165201241a00b0620001245401b05b",
                &[],
            ),
            (
                "0500100200000954015101412c0000ff1c9a001a00b11f54016600321a005b",
                &[5, 137],
            ),
        ],
    );
}

#[test]
fn keyword_only_arguments_with_defaults() {
    // f=338 a=339 c=340 kw=341; b is static (210)
    check(
        "p2.py",
        "def f(a, *, b=1, c, **kw):\n    return kw\n",
        &[
            (
                "04003000000007070051010000ff1853008116d200546100245201115b",
                &[],
            ),
            ("05000a0102000852015101210000ffb35b", &[339, 210, 340]),
        ],
    );
}

#[test]
fn except_as_name() {
    // f=338 g=339 E=340 e=341
    check(
        "p3.py",
        "def f():\n    try:\n        g()\n    except E as e:\n        return e\n",
        &[
            ("01003000000007070051010000ff6000245201115b", &[]),
            (
                "0702100000000a520151012123550000ff3f09001c5301640032441800301c5401df370f80c0400300\
                 b05b1111c028004144010041115b",
                &[],
            ),
        ],
    );
}

#[test]
fn optimised_range_loop_with_else() {
    // i=338 x=339
    check(
        "p4.py",
        "for i in range(10, 0, -2):\n    if i:\n        break\nelse:\n    x = i\n",
        &[(
            "0300000000000a0700510129264c0000ff8a350f80302452011b52013703803512807ee53080d836eb7f\
             321b520124530135018032115b",
            &[],
        )],
    );
}

#[test]
fn generator_lambda_and_async() {
    // l=338 co=339 a=340 c=341 i=342 d=343; b is static
    check(
        "p5.py",
        "l = lambda: (yield)\nasync def co():\n    async with a as b:\n        await c\n    async for i in d:\n        pass\n",
        &[
            ("0100300000000807005101260000ff60002452016001245301115b", &[]),
            ("01000400000007c00051010000ff115d32115b", &[]),
            (
                "0a01140000000d5301510141301f3f1f280000ff1c5401301ea700660042115ec0400c001c550142115e3211\
                 33352580301c2100df371b803034331ea8003434301d0a003311660342115e3713803211350e8034341ea8\
                 00113030660342115e3241b11ea900660042115ec13f0d00b11eaa00660042115ec2440d00301cc800df37\
                 0480324404004135e07f115b",
                &[],
            ),
        ],
    );
}
