//! Constant folding in the parser compared with the reference's trees: integer arithmetic
//! at the small-int boundaries, shifts, floor division and modulo signs, big-int results,
//! `or`/`and`/`not` over constants, `const()` bindings and `__debug__`.
//!
//! Each expected text is what MicroPython 1.11's own parser built, printed by its debug
//! printer (see `parse_tree.rs` for how it was obtained); the source is read as `t.py`.

use mpcore::QstrPool;
use syntax::dump::dump_reference_style;
use syntax::{parse, ParseOptions};

#[test]
fn folding_matches_the_reference() {
    let mut failed = 0;
    for (source, expected) in CASES {
        let mut pool = QstrPool::new();
        pool.intern(b"t.py");
        let tree = match parse(source.as_bytes(), &mut pool, &ParseOptions::default()) {
            Ok(t) => t,
            Err(e) => panic!("{source:?} failed to parse: {e}"),
        };
        let ours = String::from_utf8(dump_reference_style(&tree, &pool)).expect("utf-8 dump");
        if ours != *expected {
            failed += 1;
            eprintln!("--- source:\n{source}\n--- reference:\n{expected}--- ours:\n{ours}");
        }
    }
    assert_eq!(
        failed,
        0,
        "{failed} of {} trees differ from the reference",
        CASES.len()
    );
}

const CASES: &[(&str, &str)] = &[
    // fold: + - * in one expression; no partial folding
    (
        r#"x = 1 + 2 * 3 - 4
x = 1 + y + 2, y + 1 + 2, 1 + 2 + y"#,
        r#"[   1] file_input_2(1) (n=2)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
           int(3)
[   2]   expr_stmt(5) (n=2)
           id(x)#338
[   2]     testlist_star_expr(6) (n=3)
[   2]       arith_expr(38) (n=5)
               int(1)
               tok(49)
               id(y)#339
               tok(49)
               int(2)
[   2]       arith_expr(38) (n=5)
               id(y)#339
               tok(49)
               int(1)
               tok(49)
               int(2)
[   2]       arith_expr(38) (n=5)
               int(1)
               tok(49)
               int(2)
               tok(49)
               id(y)#339
"#,
    ),
    // fold: floor division and modulo with negative operands; zero divisors stay
    (
        r#"x = 7 // -2, 7 % -2, -7 // 2, -7 % 2, 7 // 0, 7 % 0"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=6)
           int(-4)
           int(-1)
           int(-4)
           int(1)
[   1]     term(39) (n=3)
             int(7)
             tok(54)
             int(0)
[   1]     term(39) (n=3)
             int(7)
             tok(55)
             int(0)
"#,
    ),
    // fold: left shifts around the small-int boundary
    (
        r#"x = 1 << 61, 1 << 62, 1 << 63, 1 << 64, 0 << 64, 0 << 100, -1 << 62, -1 << 63"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=8)
           int(2305843009213693952)
[   0]     literal const(4611686018427387904)
[   0]     literal const(9223372036854775808)
[   0]     literal const(18446744073709551616)
[   0]     literal const(0)
[   0]     literal const(0)
           int(-4611686018427387904)
[   0]     literal const(-9223372036854775808)
"#,
    ),
    // fold: right shifts
    (
        r#"x = 1 >> 100, -1 >> 100, (1 << 100) >> 99, -(1 << 100) >> 200"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=4)
           int(0)
           int(-1)
[   0]     literal const(2)
[   0]     literal const(-1)
"#,
    ),
    // fold: not folded (negative shift, power, true division)
    (
        r#"x = 1 << -1, 1 >> -1, 2 ** 3, 2 / 1, -1 ** 2"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=5)
[   1]     shift_expr(37) (n=3)
             int(1)
             tok(57)
             int(-1)
[   1]     shift_expr(37) (n=3)
             int(1)
             tok(59)
             int(-1)
[   1]     power(41) (n=2)
             int(2)
             int(3)
[   1]     term(39) (n=3)
             int(2)
             tok(53)
             int(1)
[   1]     factor_2(40) (n=2)
             tok(50)
[   1]       power(41) (n=2)
               int(1)
               int(2)
"#,
    ),
    // fold: sums crossing the small-int range
    (
        r#"x = 4611686018427387903 + 1, -4611686018427387904 - 1, 4611686018427387904 - 1"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=3)
[   0]     literal const(4611686018427387904)
[   0]     literal const(-4611686018427387905)
[   0]     literal const(4611686018427387903)
"#,
    ),
    // fold: unary operators at the boundary; big results stay objects
    (
        r#"x = -4611686018427387904, - -4611686018427387904, ~4611686018427387903, +(1<<70), - - 1, ~~1, +-+1"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=7)
[   0]     literal const(-4611686018427387904)
[   0]     literal const(4611686018427387904)
           int(-4611686018427387904)
[   0]     literal const(1180591620717411303424)
           int(1)
           int(1)
           int(-1)
"#,
    ),
    // fold: products
    (
        r#"x = 2147483647 * 2147483647 * 2, 3037000499 * 3037000499, -(-(1<<62)), (1<<70) - (1<<70)"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=4)
[   0]     literal const(9223372028264841218)
[   0]     literal const(9223372030926249001)
[   0]     literal const(4611686018427387904)
[   0]     literal const(0)
"#,
    ),
    // fold: bitwise operators
    (
        r#"x = 1 | 2 ^ 3 & 4, (1<<70) | 1, -1 & (1<<80), ~(1 << 70)"#,
        r#"[   1] expr_stmt(5) (n=2)
         id(x)#338
[   1]   testlist_star_expr(6) (n=4)
           int(3)
[   0]     literal const(1180591620717411303425)
[   0]     literal const(1208925819614629174706176)
[   0]     literal const(-1180591620717411303425)
"#,
    ),
    // fold: or / and / not over constants
    (
        r#"x = True or y, False or y, 0 or y or 1 or z, 1 and 0 and y, y and 2 and z, not 1, not 0, not y, not True, not None
x = 1 if 0 else 2
x = 1 if True else 2; y = True and 3"#,
        r#"[   1] file_input_2(1) (n=3)
[   1]   expr_stmt(5) (n=2)
           id(x)#338
[   1]     testlist_star_expr(6) (n=10)
             tok(15)
             id(y)#339
[   1]       or_test(29) (n=2)
               id(y)#339
               int(1)
             int(0)
[   1]       and_test(30) (n=2)
               id(y)#339
               id(z)#340
             tok(13)
             tok(15)
[   1]       not_test_2(31) (n=1)
               id(y)#339
             tok(13)
[   1]       not_test_2(31) (n=1)
               tok(14)
[   2]   expr_stmt(5) (n=2)
           id(x)#338
[   2]     test_if_expr(26) (n=2)
             int(1)
[   2]       test_if_else(127) (n=2)
               int(0)
               int(2)
[   3]   simple_stmt_2(4) (n=2)
[   3]     expr_stmt(5) (n=2)
             id(x)#338
[   3]       test_if_expr(26) (n=2)
               int(1)
[   3]         test_if_else(127) (n=2)
                 tok(15)
                 int(2)
[   3]     expr_stmt(5) (n=2)
             id(y)#339
             int(3)
"#,
    ),
    // const(): substitution, private names, big values
    (
        r#"from micropython import const
A = const(1)
_B = const(2)
C = const(A + _B)
D = const(1 << 70)
print(A, _B, C, D, E)
def f():
    return A + _B"#,
        r#"[   1] file_input_2(1) (n=7)
[   1]   import_from(15) (n=2)
           id(micropython)#115
[   1]     import_as_name(102) (n=2)
             id(const)#72
             NULL
[   2]   expr_stmt(5) (n=2)
           id(A)#338
           int(1)
[   0]   pass_stmt(8) (n=0)
[   4]   expr_stmt(5) (n=2)
           id(C)#340
           int(3)
[   5]   expr_stmt(5) (n=2)
           id(D)#341
[   0]     literal const(1180591620717411303424)
[   6]   expr_stmt(5) (n=2)
[   6]     atom_expr_normal(43) (n=2)
             id(print)#123
[   6]       trailer_paren(47) (n=1)
[   6]         arglist(163) (n=5)
                 int(1)
                 int(2)
                 int(3)
[   6]           literal const(1180591620717411303424)
                 id(E)#342
           NULL
[   7]   funcdef(3) (n=5)
           id(f)#343
           NULL
           NULL
[   8]     return_stmt(11) (n=1)
             int(3)
           NULL
"#,
    ),
    // const() forms that are not bindings
    (
        r#"X = Y = const(1)
X += const(1)
import micropython
Z = micropython.const(1)"#,
        r#"[   1] file_input_2(1) (n=4)
[   1]   expr_stmt(5) (n=2)
           id(X)#338
[   1]     expr_stmt_assign_list(87) (n=2)
             id(Y)#339
[   1]       atom_expr_normal(43) (n=2)
               id(const)#72
[   1]         trailer_paren(47) (n=1)
                 int(1)
[   2]   expr_stmt(5) (n=2)
           id(X)#338
[   2]     expr_stmt_augassign(86) (n=2)
             tok(80)
[   2]       atom_expr_normal(43) (n=2)
               id(const)#72
[   2]         trailer_paren(47) (n=1)
                 int(1)
[   3]   import_name(14) (n=1)
           id(micropython)#115
[   4]   expr_stmt(5) (n=2)
           id(Z)#340
[   4]     atom_expr_normal(43) (n=2)
             id(micropython)#115
[   4]       atom_expr_trailers(140) (n=2)
[   4]         trailer_period(49) (n=1)
                 id(const)#72
[   4]         trailer_paren(47) (n=1)
                 int(1)
"#,
    ),
    // __debug__ at -O0
    (
        r#"__debug__
x = __debug__
if __debug__: pass
"#,
        r#"[   1] file_input_2(1) (n=3)
[   1]   pass_stmt(8) (n=0)
[   2]   expr_stmt(5) (n=2)
           id(x)#338
           tok(15)
[   3]   if_stmt(20) (n=4)
           tok(15)
[   3]     pass_stmt(8) (n=0)
           NULL
           NULL
"#,
    ),
];
