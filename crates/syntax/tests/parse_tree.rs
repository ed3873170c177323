//! Parse trees compared with the reference's, node for node.
//!
//! Each expected text is what MicroPython 1.11's own parser built for the source, printed by
//! its debug printer (`mp_parse_node_print` with rule names; v1.11 sources built as mpy-cross
//! with `MICROPY_DEBUG_PRINTERS`, the tree printed right after `mp_parse`, with qstr numbers
//! added after qstr leaves and constant objects printed with `repr`). The source is read as
//! `t.py`, so `t.py` is qstr 337 and new names and strings follow in the reference's
//! interning order. Our tree is rendered in the same layout by
//! `syntax::dump::dump_reference_style`.

use mpcore::QstrPool;
use syntax::dump::dump_reference_style;
use syntax::{parse, ParseOptions};

fn reference_dump(source: &str, opts: &ParseOptions) -> String {
    let mut pool = QstrPool::new();
    pool.intern(b"t.py");
    let tree = match parse(source.as_bytes(), &mut pool, opts) {
        Ok(t) => t,
        Err(e) => panic!("{source:?} failed to parse: {e}"),
    };
    String::from_utf8(dump_reference_style(&tree, &pool)).expect("utf-8 dump")
}

fn check(cases: &[(&str, &str)], opts: &ParseOptions) {
    let mut failed = 0;
    for (source, expected) in cases {
        let ours = reference_dump(source, opts);
        if ours != *expected {
            failed += 1;
            eprintln!("--- source:\n{source}\n--- reference:\n{expected}--- ours:\n{ours}");
        }
    }
    assert_eq!(
        failed,
        0,
        "{failed} of {} trees differ from the reference",
        cases.len()
    );
}

#[test]
fn trees_match_the_reference() {
    check(CASES, &ParseOptions::default());
}

#[test]
fn debug_is_false_from_o1() {
    // `x = __debug__` / `if not __debug__: pass`, printed by the reference with -O1.
    let o1 = ParseOptions {
        opt_level: 1,
        ..ParseOptions::default()
    };
    let source = "x = __debug__\nif not __debug__: pass\n";
    let expected_o1 = "[   1] file_input_2(1) (n=2)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
           tok(13)
[   2]   if_stmt(20) (n=4)
           tok(15)
[   2]     pass_stmt(8) (n=0)
           NULL
           NULL
";
    let expected_o0 = "[   1] file_input_2(1) (n=2)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
           tok(15)
[   2]   if_stmt(20) (n=4)
           tok(13)
[   2]     pass_stmt(8) (n=0)
           NULL
           NULL
";
    check(&[(source, expected_o1)], &o1);
    check(&[(source, expected_o0)], &ParseOptions::default());
}

#[test]
fn roots_of_small_files() {
    // The reference's lexer reads an empty file (or one of blank and comment lines) as one
    // NEWLINE token, which is the whole tree (printed by the reference as `tok(4)`).
    let mut pool = QstrPool::new();
    for source in [&b""[..], b"\n\n", b"# c\n"] {
        let tree = parse(source, &mut pool, &ParseOptions::default()).expect("parses");
        assert_eq!(
            tree.root,
            Some(syntax::Node::Token(syntax::TokenKind::Newline))
        );
    }
    // One statement: the statement itself is the root (no file_input wrapper).
    let tree = parse(b"x = 1\n", &mut pool, &ParseOptions::default()).expect("parses");
    assert!(tree.is_struct_kind(tree.root.expect("root"), syntax::Rule::ExprStmt));
}

const CASES: &[(&str, &str)] = &[
    // assignment, call, docstring and def
    (
        r#"x = 1
print(x + 2 * 3, "hello")
def f(a, b=2, *c, **d):
    """doc"""
    return a"#,
        r#"[   1] file_input_2(1) (n=3)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
           int(1)
[   2]   expr_stmt(5) (n=2)
[   2]     atom_expr_normal(43) (n=2)
             id(print)#123
[   2]       trailer_paren(47) (n=1)
[   2]         arglist(163) (n=2)
[   2]           arith_expr(38) (n=3)
                   id(x)#338
                   tok(49)
                   int(6)
                 str(hello)#339
           NULL
[   3]   funcdef(3) (n=5)
           id(f)#340
[   3]     typedargslist(67) (n=4)
             id(a)#341
[   3]       typedargslist_name(69) (n=3)
               id(b)#210
               NULL
               int(2)
[   3]       typedargslist_star(70) (n=1)
[   3]         tfpdef(74) (n=2)
                 id(c)#342
                 NULL
[   3]       typedargslist_dbl_star(71) (n=2)
               id(d)#343
               NULL
           NULL
[   4]     suite_block_stmts(25) (n=2)
[   4]       pass_stmt(8) (n=0)
[   5]       return_stmt(11) (n=1)
               id(a)#341
           NULL
"#,
    ),
    // lonely constant statements become pass; names, tuples stay
    (
        r#""docstring"
1
None
...
b'bytes'
1.5
"a very long docstring indeed"
x
(1, 2)"#,
        r#"[   1] file_input_2(1) (n=9)
[   1]   pass_stmt(8) (n=0)
[   2]   pass_stmt(8) (n=0)
[   3]   pass_stmt(8) (n=0)
[   4]   pass_stmt(8) (n=0)
[   5]   pass_stmt(8) (n=0)
[   6]   pass_stmt(8) (n=0)
[   7]   pass_stmt(8) (n=0)
[   8]   expr_stmt(5) (n=2)
           id(x)#339
           NULL
[   9]   expr_stmt(5) (n=2)
[   9]     atom_paren(44) (n=1)
[   9]       testlist_comp(144) (n=2)
               int(1)
               int(2)
           NULL
"#,
    ),
    // string interning: short always, long only when already a qstr
    (
        r#"x = "short"; y = "a very long string"; z = "a very long string"; w = "__build_class__"; v = b"bytes_long_x""#,
        r#"[   1] simple_stmt_2(4) (n=5)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
           str(short)#339
[   1]   expr_stmt(5) (n=2)
           id(y)#340
[   1]     literal const('a very long string')
[   1]   expr_stmt(5) (n=2)
           id(z)#341
[   1]     literal const('a very long string')
[   1]   expr_stmt(5) (n=2)
           id(w)#342
           str(__build_class__)#172
[   1]   expr_stmt(5) (n=2)
           id(v)#343
[   1]     literal const(b'bytes_long_x')
"#,
    ),
    // number literals and constant objects
    (
        r#"x = 0x1F, 0o17, 0b1010, 1_000, 0777, 1e3, 1.5j, 1J, .5, 5., 1e-400, 1e400, 4611686018427387904"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=13)
           int(31)
           int(15)
           int(10)
           int(1000)
           int(777)
[   1]     literal const(1000.0)
[   1]     literal const(1.5j)
[   1]     literal const(1j)
[   1]     literal const(0.5)
[   1]     literal const(5.0)
[   1]     literal const(0.0)
[   1]     literal const(inf)
[   1]     literal const(4611686018427387904)
"#,
    ),
    // parentheses, brackets and braces
    (
        r#"x = (1,), (), (1), ((1)), (yield), [1], [], {}, {1}, {1: 2}, {1: 2, 3: 4,}, [x for x in y], {x: y for x in z}"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=13)
[   1]     atom_paren(44) (n=1)
[   1]       testlist_comp(144) (n=2)
               int(1)
[   1]         testlist_comp_3b(147) (n=1)
                 NULL
[   1]     atom_paren(44) (n=1)
             NULL
           int(1)
           int(1)
[   1]     yield_expr(56) (n=1)
             NULL
[   1]     atom_bracket(45) (n=1)
             int(1)
[   1]     atom_bracket(45) (n=1)
             NULL
[   1]     atom_brace(46) (n=1)
             NULL
[   1]     atom_brace(46) (n=1)
             int(1)
[   1]     atom_brace(46) (n=1)
[   1]       dictorsetmaker_item(54) (n=2)
               int(1)
               int(2)
[   1]     atom_brace(46) (n=1)
[   1]       dictorsetmaker(157) (n=2)
[   1]         dictorsetmaker_item(54) (n=2)
                 int(1)
                 int(2)
[   1]         dictorsetmaker_list(160) (n=1)
[   1]           dictorsetmaker_list2(161) (n=1)
[   1]             dictorsetmaker_item(54) (n=2)
                     int(3)
                     int(4)
[   1]     atom_bracket(45) (n=1)
[   1]       testlist_comp(144) (n=2)
               id(x)#338
[   1]         comp_for(171) (n=4)
                 id(x)#338
                 id(y)#339
                 NULL
                 NULL
[   1]     atom_brace(46) (n=1)
[   1]       dictorsetmaker(157) (n=2)
[   1]         dictorsetmaker_item(54) (n=2)
                 id(x)#338
                 id(y)#339
[   1]         comp_for(171) (n=4)
                 id(x)#338
                 id(z)#340
                 NULL
                 NULL
"#,
    ),
    // function signatures, lambdas, async
    (
        r#"def f(*, a): pass
def g(a, *args, b=1, **kw) -> int: pass
lambda: 0
lambda x, *y, **z: 0
async def h():
    await x
    async for a in b: pass
    async with c as d: pass"#,
        r#"[   1] file_input_2(1) (n=5)
[   1]   funcdef(3) (n=5)
           id(f)#338
[   1]     typedargslist(67) (n=2)
[   1]       typedargslist_star(70) (n=1)
               NULL
             id(a)#339
           NULL
[   1]     pass_stmt(8) (n=0)
           NULL
[   2]   funcdef(3) (n=5)
           id(g)#340
[   2]     typedargslist(67) (n=4)
             id(a)#339
[   2]       typedargslist_star(70) (n=1)
[   2]         tfpdef(74) (n=2)
                 id(args)#61
                 NULL
[   2]       typedargslist_name(69) (n=3)
               id(b)#210
               NULL
               int(1)
[   2]       typedargslist_dbl_star(71) (n=2)
               id(kw)#341
               NULL
           id(int)#94
[   2]     pass_stmt(8) (n=0)
           NULL
[   3]   expr_stmt(5) (n=2)
[   3]     lambdef(27) (n=3)
             NULL
             int(0)
             NULL
           NULL
[   4]   expr_stmt(5) (n=2)
[   4]     lambdef(27) (n=3)
[   4]       varargslist(75) (n=3)
               id(x)#342
[   4]         varargslist_star(78) (n=1)
                 id(y)#343
[   4]         varargslist_dbl_star(79) (n=1)
                 id(z)#344
             int(0)
             NULL
           NULL
[   5]   async_stmt(19) (n=1)
[   5]     funcdef(3) (n=5)
             id(h)#345
             NULL
             NULL
[   6]       suite_block_stmts(25) (n=3)
[   6]         expr_stmt(5) (n=2)
[   6]           atom_expr_await(42) (n=2)
                   id(x)#342
                   NULL
                 NULL
[   7]         async_stmt(19) (n=1)
[   7]           for_stmt(22) (n=4)
                   id(a)#339
                   id(b)#210
[   7]             pass_stmt(8) (n=0)
                   NULL
[   8]         async_stmt(19) (n=1)
[   8]           with_stmt(24) (n=2)
[   8]             with_item(122) (n=2)
                     id(c)#346
                     id(d)#347
[   8]             pass_stmt(8) (n=0)
             NULL
"#,
    ),
    // decorators and classes
    (
        r#"@dec
@dec.a(1)
class A(B, metaclass=M):
    x = 1"#,
        r#"[   1] decorated(2) (n=2)
[   1]   decorators(63) (n=2)
[   1]     decorator(62) (n=2)
             id(dec)#338
             NULL
[   2]     decorator(62) (n=2)
[   2]       dotted_name(107) (n=2)
               id(dec)#338
               id(a)#339
[   2]       trailer_paren(47) (n=1)
               int(1)
[   3]   classdef(55) (n=4)
           id(A)#340
[   3]     arglist(163) (n=2)
             id(B)#341
[   3]       argument(167) (n=2)
               id(metaclass)#342
               id(M)#343
[   4]     expr_stmt(5) (n=2)
             id(x)#344
             int(1)
           NULL
"#,
    ),
    // try statement
    (
        r#"try:
    pass
except E as e:
    pass
except:
    pass
else:
    pass
finally:
    pass"#,
        r#"[   1] try_stmt(23) (n=2)
[   2]   pass_stmt(8) (n=0)
[   3]   try_stmt_except_and_more(115) (n=3)
[   3]     try_stmt_except_list(118) (n=2)
[   3]       try_stmt_except(116) (n=2)
[   3]         try_stmt_as_name(117) (n=2)
                 id(E)#338
                 id(e)#339
[   4]         pass_stmt(8) (n=0)
[   5]       try_stmt_except(116) (n=2)
               NULL
[   6]         pass_stmt(8) (n=0)
[   8]     pass_stmt(8) (n=0)
[   9]     try_stmt_finally(119) (n=1)
[  10]       pass_stmt(8) (n=0)
"#,
    ),
    // imports
    (
        r#"import a.b.c as d, e
from . import x
from .. a import (b, c,)
from ... import *
from .... x import y"#,
        r#"[   1] file_input_2(1) (n=5)
[   1]   import_name(14) (n=1)
[   1]     dotted_as_names(106) (n=2)
[   1]       dotted_as_name(103) (n=2)
[   1]         dotted_name(107) (n=3)
                 id(a)#338
                 id(b)#210
                 id(c)#339
               id(d)#340
             id(e)#341
[   2]   import_from(15) (n=2)
           tok(76)
[   2]     import_as_name(102) (n=2)
             id(x)#342
             NULL
[   3]   import_from(15) (n=2)
[   3]     import_from_2b(97) (n=2)
[   3]       one_or_more_period_or_ellipsis(100) (n=2)
               tok(76)
               tok(76)
             id(a)#338
[   3]     import_as_names(105) (n=2)
[   3]       import_as_name(102) (n=2)
               id(b)#210
               NULL
[   3]       import_as_name(102) (n=2)
               id(c)#339
               NULL
[   4]   import_from(15) (n=2)
           tok(12)
           tok(51)
[   5]   import_from(15) (n=2)
[   5]     import_from_2b(97) (n=2)
[   5]       one_or_more_period_or_ellipsis(100) (n=2)
               tok(12)
               tok(76)
             id(x)#342
[   5]     import_as_name(102) (n=2)
             id(y)#343
             NULL
"#,
    ),
    // subscripts and trailers
    (
        r#"a[1:2, ::3, :, 1:, :2:]
a[1]
a[1,]
a.b.c(d)[e]"#,
        r#"[   1] file_input_2(1) (n=4)
[   1]   expr_stmt(5) (n=2)
[   1]     atom_expr_normal(43) (n=2)
             id(a)#338
[   1]       trailer_bracket(48) (n=1)
[   1]         subscriptlist(50) (n=5)
[   1]           subscript_2(51) (n=2)
                   int(1)
[   1]             subscript_3(52) (n=1)
                     int(2)
[   1]           subscript_3(52) (n=1)
[   1]             subscript_3c(152) (n=1)
                     int(3)
[   1]           subscript_3(52) (n=1)
                   NULL
[   1]           subscript_2(51) (n=2)
                   int(1)
[   1]             subscript_3(52) (n=1)
                     NULL
[   1]           subscript_3(52) (n=1)
[   1]             subscript_3d(153) (n=2)
                     int(2)
[   1]               sliceop(154) (n=1)
                       NULL
           NULL
[   2]   expr_stmt(5) (n=2)
[   2]     atom_expr_normal(43) (n=2)
             id(a)#338
[   2]       trailer_bracket(48) (n=1)
               int(1)
           NULL
[   3]   expr_stmt(5) (n=2)
[   3]     atom_expr_normal(43) (n=2)
             id(a)#338
[   3]       trailer_bracket(48) (n=1)
[   3]         subscriptlist(50) (n=1)
                 int(1)
           NULL
[   4]   expr_stmt(5) (n=2)
[   4]     atom_expr_normal(43) (n=2)
             id(a)#338
[   4]       atom_expr_trailers(140) (n=4)
[   4]         trailer_period(49) (n=1)
                 id(b)#210
[   4]         trailer_period(49) (n=1)
                 id(c)#339
[   4]         trailer_paren(47) (n=1)
                 id(d)#340
[   4]         trailer_bracket(48) (n=1)
                 id(e)#341
           NULL
"#,
    ),
    // simple statements
    (
        r#"global a, b
nonlocal c
del a, b[1], c.d
assert x, "msg"
raise
raise X from Y
return"#,
        r#"[   1] file_input_2(1) (n=7)
[   1]   global_stmt(16) (n=1)
[   1]     name_list(108) (n=2)
             id(a)#338
             id(b)#210
[   2]   nonlocal_stmt(17) (n=1)
           id(c)#339
[   3]   del_stmt(7) (n=1)
[   3]     exprlist(155) (n=3)
             id(a)#338
[   3]       atom_expr_normal(43) (n=2)
               id(b)#210
[   3]         trailer_bracket(48) (n=1)
                 int(1)
[   3]       atom_expr_normal(43) (n=2)
               id(c)#339
[   3]         trailer_period(49) (n=1)
                 id(d)#340
[   4]   assert_stmt(18) (n=2)
           id(x)#341
           str(msg)#342
[   5]   raise_stmt(13) (n=1)
           NULL
[   6]   raise_stmt(13) (n=1)
[   6]     raise_stmt_arg(93) (n=2)
             id(X)#343
             id(Y)#344
[   7]   return_stmt(11) (n=1)
           NULL
"#,
    ),
    // assignments, yield, star args
    (
        r#"x = yield
y = yield from z
x, *y = 1, 2
x = y = z = 1
x += 1
print(*a, **b, c=1)
f(x for x in y)"#,
        r#"[   1] file_input_2(1) (n=7)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
[   1]     yield_expr(56) (n=1)
             NULL
[   2]   expr_stmt(5) (n=2)
           id(y)#339
[   2]     yield_expr(56) (n=1)
[   2]       yield_arg_from(174) (n=1)
               id(z)#340
[   3]   expr_stmt(5) (n=2)
[   3]     testlist_star_expr(6) (n=2)
             id(x)#338
[   3]       star_expr(33) (n=1)
               id(y)#339
[   3]     testlist_star_expr(6) (n=2)
             int(1)
             int(2)
[   4]   expr_stmt(5) (n=2)
           id(x)#338
[   4]     expr_stmt_assign_list(87) (n=3)
             id(y)#339
             id(z)#340
             int(1)
[   5]   expr_stmt(5) (n=2)
           id(x)#338
[   5]     expr_stmt_augassign(86) (n=2)
             tok(80)
             int(1)
[   6]   expr_stmt(5) (n=2)
[   6]     atom_expr_normal(43) (n=2)
             id(print)#123
[   6]       trailer_paren(47) (n=1)
[   6]         arglist(163) (n=3)
[   6]           arglist_star(165) (n=1)
                   id(a)#341
[   6]           arglist_dbl_star(166) (n=1)
                   id(b)#210
[   6]           argument(167) (n=2)
                   id(c)#342
                   int(1)
           NULL
[   7]   expr_stmt(5) (n=2)
[   7]     atom_expr_normal(43) (n=2)
             id(f)#343
[   7]       trailer_paren(47) (n=1)
[   7]         argument(167) (n=2)
                 id(x)#338
[   7]           comp_for(171) (n=4)
                   id(x)#338
                   id(y)#339
                   NULL
                   NULL
           NULL
"#,
    ),
    // with, while, for
    (
        r#"with a, b as c: pass
while x:
    break
else:
    continue
for x, in y: pass"#,
        r#"[   1] file_input_2(1) (n=3)
[   1]   with_stmt(24) (n=2)
[   1]     with_stmt_list(121) (n=2)
             id(a)#338
[   1]       with_item(122) (n=2)
               id(b)#210
               id(c)#339
[   1]     pass_stmt(8) (n=0)
[   2]   while_stmt(21) (n=3)
           id(x)#340
[   3]     break_stmt(9) (n=0)
[   5]     continue_stmt(10) (n=0)
[   6]   for_stmt(22) (n=4)
[   6]     exprlist(155) (n=1)
             id(x)#340
           id(y)#341
[   6]     pass_stmt(8) (n=0)
           NULL
"#,
    ),
    // if / elif / else
    (
        r#"if x:
  pass
elif y:
  pass
elif z:
  pass
else:
  pass"#,
        r#"[   1] if_stmt(20) (n=4)
         id(x)#338
[   2]   pass_stmt(8) (n=0)
[   3]   if_stmt_elif_list(112) (n=2)
[   3]     if_stmt_elif(113) (n=2)
             id(y)#339
[   4]       pass_stmt(8) (n=0)
[   5]     if_stmt_elif(113) (n=2)
             id(z)#340
[   6]       pass_stmt(8) (n=0)
[   8]   pass_stmt(8) (n=0)
"#,
    ),
    // comparisons and conditional expressions
    (
        r#"x = a < b < c, a not in b, a is not b, a is b, a in b
x = a if b else c if d else e"#,
        r#"[   1] file_input_2(1) (n=2)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
[   1]     testlist_star_expr(6) (n=5)
[   1]       comparison(32) (n=5)
               id(a)#339
               tok(56)
               id(b)#210
               tok(56)
               id(c)#340
[   1]       comparison(32) (n=3)
               id(a)#339
[   1]         comp_op_not_in(131) (n=0)
               id(b)#210
[   1]       comparison(32) (n=3)
               id(a)#339
[   1]         comp_op_is(132) (n=1)
[   1]           comp_op_is_not(133) (n=0)
               id(b)#210
[   1]       comparison(32) (n=3)
               id(a)#339
[   1]         comp_op_is(132) (n=1)
                 NULL
               id(b)#210
[   1]       comparison(32) (n=3)
               id(a)#339
               tok(36)
               id(b)#210
[   2]   expr_stmt(5) (n=2)
           id(x)#338
[   2]     test_if_expr(26) (n=2)
             id(a)#339
[   2]       test_if_else(127) (n=2)
               id(b)#210
[   2]         test_if_expr(26) (n=2)
                 id(c)#340
[   2]           test_if_else(127) (n=2)
                   id(d)#341
                   id(e)#342
"#,
    ),
    // semicolons and trailing separators
    (
        r#"x = 1; y = 2;
f(a, b,)"#,
        r#"[   1] file_input_2(1) (n=2)
[   1]   simple_stmt_2(4) (n=2)
[   1]     expr_stmt(5) (n=2)
             id(x)#338
             int(1)
[   1]     expr_stmt(5) (n=2)
             id(y)#339
             int(2)
[   2]   expr_stmt(5) (n=2)
[   2]     atom_expr_normal(43) (n=2)
             id(f)#340
[   2]       trailer_paren(47) (n=1)
[   2]         arglist(163) (n=2)
                 id(a)#341
                 id(b)#210
           NULL
"#,
    ),
];

#[test]
fn small_int_bits_do_not_change_the_tree() {
    // The parser folds with the host's 63-bit small ints whatever the target's width; the
    // compiler decides which small ints fit the target (compile.c checks small_int_bits).
    let source = "x = 1 << 40, 1 << 62, -(1 << 30) - 1, 0x7fffffff + 1\n";
    let dump = |bits: u8| {
        let opts = ParseOptions {
            small_int_bits: bits,
            ..ParseOptions::default()
        };
        reference_dump(source, &opts)
    };
    // Printed by the reference's parser (debug build, see above) for this source.
    let expected = "[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=4)
           int(1099511627776)
[   0]     literal const(4611686018427387904)
           int(-1073741825)
           int(2147483648)
";
    for bits in [15, 31, 63] {
        assert_eq!(dump(bits), expected, "small_int_bits = {bits}");
    }
}
