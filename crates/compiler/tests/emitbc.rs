//! The bytecode emitter driven by hand, pass by pass, as `py/compile.c` would drive it for small
//! programs; the resulting raw codes are compared with what mpy-cross 1.11 produced.
//!
//! Each expected `fun_data` is the oracle's `.mpy` raw code with its qstr operands put back as
//! the reference process numbered them (the prelude and code info are copied verbatim from the
//! file; the qstr operands are the numbers of the interning order: the path first, then the
//! identifiers as the parser met them, numbered from 337 unless in the static pool).

use compiler::emit::{
    AccessKind, BlockKind, BuildKind, Emit, GlobalKind, ImportKind, LocalKind, Pass, YieldKind,
    BREAK_FROM_FOR, STAR_FLAG_DOUBLE, STAR_FLAG_SINGLE,
};
use compiler::emitbc::{BytecodeEmitter, EmitFault};
use compiler::link::link;
use compiler::runtime0::*;
use compiler::scope::{EmitOpt, IdInfo, IdKind, Scope, ScopeId, ScopeKind, ID_FLAG_IS_PARAM};
use mpcore::Qstr;
use num_bigint::BigInt;
use rawcode::{CodeKind, Const, RawCode};
use syntax::{Node, TokenKind};

const Q_MODULE: u16 = 7;
const Q_STAR: u16 = 5;
const Q_B: u16 = 210;
const Q_LISTCOMP: u16 = 193;
const Q_DICTCOMP: u16 = 194;
const Q_SETCOMP: u16 = 195;
const Q_EMPTY: u16 = 1;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(s.len().is_multiple_of(2));
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn q(n: u16) -> Qstr {
    Qstr(n)
}

fn new_scope(kind: ScopeKind, name: u16, file: u16) -> Scope {
    let mut s = Scope::new(kind, Node::Null, Qstr(file), EmitOpt::Bytecode);
    s.simple_name = Qstr(name);
    s
}

fn id(qst: u16, kind: IdKind, local_num: u16, param: bool) -> IdInfo {
    IdInfo {
        kind,
        flags: if param { ID_FLAG_IS_PARAM } else { 0 },
        local_num,
        qst: Qstr(qst),
    }
}

/// Runs the three emitter passes over one scope, as `mp_compile_to_raw_code` does.
fn run(em: &mut BytecodeEmitter, scope: &mut Scope, body: impl Fn(&mut BytecodeEmitter)) {
    for pass in [Pass::StackSize, Pass::CodeSize, Pass::Emit] {
        em.start_pass(pass, scope);
        body(em);
        em.end_pass(scope);
    }
}

fn raw(scope: &Scope) -> &RawCode {
    scope
        .raw_code
        .as_ref()
        .expect("emit pass stored a raw code")
}

fn dummy() -> Scope {
    new_scope(ScopeKind::Function, 0, 0)
}

fn module_end(e: &mut BytecodeEmitter) {
    e.load_const_tok(TokenKind::KwNone);
    e.return_value();
}

// x = 1   (a.py)
#[test]
fn module_assign() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    run(&mut em, &mut m, |e| {
        e.set_source_line(1);
        e.load_const_small_int(1);
        e.store_global(q(338), GlobalKind::Name);
        module_end(e);
    });
    let rc = raw(&m);
    assert_eq!(rc.kind(), CodeKind::Bytecode);
    // prelude 01 00 00 00 00 00, code info 07 | 0700 5101 | 00 | 00 (padding), bytecode ff ...
    assert_eq!(
        rc.fun_data(),
        hex("01000000000007070051010000ff81245201115b")
    );
    assert!(rc.arg_names.is_empty() && rc.consts.is_empty() && rc.children.is_empty());
    assert_eq!(m.stack_size, 1);
}

// def f(a, b=2):
//     return a + b          (b.py)
#[test]
fn function_with_default() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    m.scope_flags = SCOPE_FLAG_REFGLOBALS | SCOPE_FLAG_HASCONSTS;
    let mut f = new_scope(ScopeKind::Function, 338, 337);
    f.num_pos_args = 2;
    f.num_def_pos_args = 1;
    f.num_locals = 2;
    f.id_info = vec![
        id(339, IdKind::Local, 0, true),
        id(Q_B, IdKind::Local, 1, true),
    ];
    let d = dummy();
    run(&mut em, &mut m, |e| {
        e.set_source_line(1);
        e.load_const_small_int(2);
        e.build(1, BuildKind::Tuple);
        e.load_null();
        e.make_function(ScopeId(1), &d, 1, 0);
        e.store_global(q(338), GlobalKind::Name);
        module_end(e);
    });
    run(&mut em, &mut f, |e| {
        e.set_source_line(2);
        e.load_local(q(339), 0, LocalKind::Fast);
        e.load_local(q(Q_B), 1, LocalKind::Fast);
        e.binary_op(BINARY_OP_ADD);
        e.return_value();
        assert!(e.last_emit_was_return_value());
    });
    assert_eq!(
        raw(&m).fun_data(),
        hex("02003000000007070051010000ff825001186100245201115b")
    );
    assert_eq!(m.raw_code_children, [ScopeId(1)]);
    assert_eq!(
        raw(&f).fun_data(),
        hex("0400000200010852015101210000ffb0b1f15b")
    );
    assert_eq!(raw(&f).arg_names, [q(339), q(Q_B)]);

    let tree = link(&mut [m, f], ScopeId(0)).unwrap();
    assert_eq!(tree.children.len(), 1);
    assert_eq!(
        tree.children[0].fun_data(),
        hex("0400000200010852015101210000ffb0b1f15b")
    );
}

// def f(x):
//     a = 1
//     def g(y):
//         return a + x + y
//     return g              (c.py)
#[test]
fn closure_with_cells() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut f = new_scope(ScopeKind::Function, 338, 337);
    f.scope_flags = SCOPE_FLAG_REFGLOBALS | SCOPE_FLAG_HASCONSTS;
    f.num_pos_args = 1;
    f.num_locals = 3;
    f.id_info = vec![
        id(339, IdKind::Cell, 0, true),
        id(340, IdKind::Cell, 2, false),
        id(341, IdKind::Local, 1, false),
    ];
    let mut g = new_scope(ScopeKind::Function, 341, 337);
    g.num_pos_args = 3;
    g.num_locals = 3;
    g.id_info = vec![
        id(342, IdKind::Local, 2, true),
        id(340, IdKind::Free, 1, false),
        id(339, IdKind::Free, 0, false),
    ];
    let d = dummy();
    run(&mut em, &mut f, |e| {
        e.set_source_line(2);
        e.load_const_small_int(1);
        e.store_local(q(340), 2, LocalKind::Deref);
        e.set_source_line(3);
        e.load_local(q(339), 0, LocalKind::Fast);
        e.load_local(q(340), 2, LocalKind::Fast);
        e.make_closure(ScopeId(2), &d, 2, 0, 0);
        e.store_local(q(341), 1, LocalKind::Fast);
        e.set_source_line(5);
        e.load_local(q(341), 1, LocalKind::Fast);
        e.return_value();
    });
    run(&mut em, &mut g, |e| {
        e.set_source_line(4);
        e.load_local(q(340), 1, LocalKind::Deref);
        e.load_local(q(339), 0, LocalKind::Deref);
        e.binary_op(BINARY_OP_ADD);
        e.load_local(q(342), 2, LocalKind::Fast);
        e.binary_op(BINARY_OP_ADD);
        e.return_value();
    });
    // cell list `00 02 ff`; MAKE_CLOSURE const index 1 (after the one argument name), 2 closed over
    assert_eq!(
        raw(&f).fun_data(),
        hex("0500300100000a5201510123234600000002ff812302b0b2620102c1b15b")
    );
    assert_eq!(raw(&f).arg_names, [q(339)]);
    assert_eq!(f.raw_code_children, [ScopeId(2)]);
    assert_eq!(
        raw(&g).fun_data(),
        hex("0500000300000855015101610000ff1a011a00f1b2f15b")
    );
    // closed-over slots have no parameter: named `*`
    assert_eq!(raw(&g).arg_names, [q(Q_STAR), q(Q_STAR), q(342)]);
}

// def f(s):
//     for i in s:
//         if i:
//             continue
//         if i is not s:
//             break
//     while s:
//         s -= 1            (d.py)
#[test]
fn loops_break_continue() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut f = new_scope(ScopeKind::Function, 338, 337);
    f.num_pos_args = 1;
    f.num_locals = 2;
    f.id_info = vec![
        id(339, IdKind::Local, 0, true),
        id(340, IdKind::Local, 1, false),
    ];
    let (s, i) = (q(339), q(340));
    run(&mut em, &mut f, |e| {
        // for: break L0, continue L1, pop L2
        e.set_source_line(2);
        e.load_local(s, 0, LocalKind::Fast);
        e.get_iter(true);
        e.label_assign(1);
        e.for_iter(2);
        e.store_local(i, 1, LocalKind::Fast);
        // if i: continue   (end L3, fail L4)
        e.set_source_line(3);
        e.load_local(i, 1, LocalKind::Fast);
        e.pop_jump_if(false, 4);
        e.set_source_line(4);
        e.unwind_jump(1, 0);
        e.label_assign(4);
        e.label_assign(3);
        // if i is not s: break   (end L5, fail L6)
        e.set_source_line(5);
        e.load_local(i, 1, LocalKind::Fast);
        e.load_local(s, 0, LocalKind::Fast);
        e.binary_op(BINARY_OP_IS_NOT);
        e.pop_jump_if(false, 6);
        e.set_source_line(6);
        e.unwind_jump(BREAK_FROM_FOR, 0);
        e.label_assign(6);
        e.label_assign(5);
        assert!(!e.last_emit_was_return_value());
        e.jump(1);
        e.label_assign(2);
        e.for_iter_end();
        e.label_assign(0);
        // while: break L7, continue L8, top L9
        e.set_source_line(7);
        e.jump(8);
        e.label_assign(9);
        e.set_source_line(8);
        e.load_local(s, 0, LocalKind::Fast);
        e.load_const_small_int(1);
        e.binary_op(BINARY_OP_INPLACE_SUBTRACT);
        e.store_local(s, 0, LocalKind::Fast);
        e.label_assign(8);
        e.load_local(s, 0, LocalKind::Fast);
        e.pop_jump_if(true, 9);
        e.label_assign(7);
        e.load_const_tok(TokenKind::KwNone);
        e.return_value();
    });
    // FOR_ITER 43 1900 (unsigned forward), JUMP 35 f57f (back), 4 x POP_TOP before a break
    // out of a for, POP_JUMP_IF_TRUE 36 f87f (back)
    assert_eq!(
        raw(&f).fun_data(),
        hex(concat!(
            "0800000100000e5201510121262423272a230000ff",
            "b047431900c1b137038035f57fb1b0ded33707803232323235038035e47f",
            "350480b081e6c0b036f87f115b"
        ))
    );
    assert_eq!(f.stack_size, 6);
}

// def f():
//     try:
//         g()
//     except E:
//         h()
//     finally:
//         k()               (e.py)
#[test]
fn try_except_finally() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut f = new_scope(ScopeKind::Function, 338, 337);
    f.scope_flags = SCOPE_FLAG_REFGLOBALS;
    f.exc_stack_size = 2; // computed by code generation (compile_increase_except_level)
    let (g, ex, h, k) = (q(339), q(340), q(341), q(342));
    run(&mut em, &mut f, |e| {
        // finally L0, handler L1, success L2, after handlers L3, next handler L4
        e.set_source_line(2);
        e.setup_block(0, BlockKind::Finally);
        e.setup_block(1, BlockKind::Except);
        e.set_source_line(3);
        e.load_global(g, GlobalKind::Global);
        e.call_function(0, 0, 0);
        e.pop_top();
        e.pop_except_jump(2, false);
        e.label_assign(1);
        e.start_except_handler();
        e.dup_top();
        e.load_global(ex, GlobalKind::Global);
        e.binary_op(BINARY_OP_EXCEPTION_MATCH);
        e.pop_jump_if(false, 4);
        e.pop_top();
        e.set_source_line(5);
        e.load_global(h, GlobalKind::Global);
        e.call_function(0, 0, 0);
        e.pop_top();
        e.pop_except_jump(3, true);
        e.label_assign(4);
        e.adjust_stack_size(1);
        e.end_finally();
        e.end_except_handler();
        e.label_assign(2);
        e.label_assign(3);
        e.load_const_tok(TokenKind::KwNone);
        e.label_assign(0);
        e.set_source_line(7);
        e.load_global(k, GlobalKind::Global);
        e.call_function(0, 0, 0);
        e.pop_top();
        e.end_finally();
        e.load_const_tok(TokenKind::KwNone);
        e.return_value();
    });
    assert_eq!(
        raw(&f).fun_data(),
        hex(concat!(
            "0602100000000b520151012126524b0000ff4020003f09001c5301640032441300301c5401df370a8032",
            "1c550164003244010041111c560164003241115b"
        ))
    );
    assert_eq!(f.stack_size, 6);
}

// x = 1, 200 blank lines, y = 2, 3000 blank lines, z = (1, ..., 40), w = 3, 9 blank lines,
// v = (1, ..., 40), u = 4      (g.py)
#[test]
fn line_number_table_splitting() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    let tuple40 = |e: &mut BytecodeEmitter| {
        for n in 1..=40 {
            e.load_const_small_int(n);
        }
        e.build(40, BuildKind::Tuple);
    };
    run(&mut em, &mut m, |e| {
        e.set_source_line(1);
        e.load_const_small_int(1);
        e.store_global(q(338), GlobalKind::Name);
        e.set_source_line(202);
        e.load_const_small_int(2);
        e.store_global(q(339), GlobalKind::Name);
        e.set_source_line(3203);
        tuple40(e);
        e.store_global(q(340), GlobalKind::Name);
        e.set_source_line(3204);
        e.load_const_small_int(3);
        e.store_global(q(341), GlobalKind::Name);
        e.set_source_line(3214);
        tuple40(e);
        e.store_global(q(342), GlobalKind::Name);
        e.set_source_line(3215);
        e.load_const_small_int(4);
        e.store_global(q(343), GlobalKind::Name);
        module_end(e);
    });
    // line table: 85c9 (5 bytes, 201 lines), f4ff b0ba (2047 + 954 lines), 1f 2e (31 + 14 bytes),
    // 840a (10 lines), 1f 2e
    let tuple =
        "8182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a85028";
    let expected = format!(
        "280000000000130700510185c9f4ffb0ba1f2e840a1f2e0000ff8124520182245301{tuple}245401832455 01{tuple}24560184245701115b"
    );
    assert_eq!(raw(&m).fun_data(), hex(&expected));

    // -O3 records no line numbers at all.
    let mut em3 = BytecodeEmitter::new(false, 3);
    let mut m3 = new_scope(ScopeKind::Module, Q_MODULE, 337);
    run(&mut em3, &mut m3, |e| {
        e.set_source_line(5);
        e.load_const_small_int(1);
        e.store_global(q(338), GlobalKind::Name);
        module_end(e);
    });
    assert_eq!(
        raw(&m3).fun_data(),
        hex("01000000000007070051010000ff81245201115b")
    );
}

// a.b = c.d
// e.f()
// g = h
// del a.b             (h.py, without and with -mcache-lookup-bc)
#[test]
fn attributes_and_cache_lookup() {
    let (a, c, d, e_, f, g, h) = (q(338), q(339), q(340), q(341), q(342), q(343), q(344));
    let b = q(Q_B);
    let body = |e: &mut BytecodeEmitter| {
        e.set_source_line(1);
        e.load_global(c, GlobalKind::Name);
        e.attr(d, AccessKind::Load);
        e.load_global(a, GlobalKind::Name);
        e.attr(b, AccessKind::Store);
        e.set_source_line(2);
        e.load_global(e_, GlobalKind::Name);
        e.load_method(f, false);
        e.call_method(0, 0, 0);
        e.pop_top();
        e.set_source_line(3);
        e.load_global(h, GlobalKind::Name);
        e.store_global(g, GlobalKind::Name);
        e.set_source_line(4);
        e.load_global(a, GlobalKind::Name);
        e.attr(b, AccessKind::Delete);
        module_end(e);
    };
    let mut em = BytecodeEmitter::new(false, 0);
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    run(&mut em, &mut m, body);
    assert_eq!(
        raw(&m).fun_data(),
        hex("0200000000000a070051012d29260000ff1b53011d54011b520126d2001b55011e56016600321b58012457011b5201183326d200115b")
    );

    // Cache bytes after LOAD_NAME, LOAD_GLOBAL, LOAD_ATTR and STORE_ATTR only (not LOAD_METHOD or
    // STORE_NAME); the line table counts them.
    let mut em = BytecodeEmitter::new(true, 0);
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    run(&mut em, &mut m, body);
    assert_eq!(
        raw(&m).fun_data(),
        hex(concat!(
            "0200000000000a07005101312a270000ff1b5301001d5401001b52010026d200001b5501001e56016600321b580100",
            "2457011b520100183326d20000115b"
        ))
    );
}

// import m / from p import q, r / from s import * / x = -100000 / y = 12345678901234567890
// z = "a long string not interned" / a, *b, c = x / f(*a, **b) / with m as n: pass / raise x
// (i.py)
#[test]
fn imports_constants_unpack_star_call_with_raise() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    m.exc_stack_size = 1;
    let [mm, p, qq, r, s, x, y, z, a, c, f, n] =
        [338, 339, 340, 341, 342, 343, 344, 345, 346, 347, 348, 349].map(q);
    let b = q(Q_B);
    run(&mut em, &mut m, |e| {
        e.set_source_line(1);
        e.load_const_small_int(0);
        e.load_const_tok(TokenKind::KwNone);
        e.import(mm, ImportKind::Name);
        e.store_global(mm, GlobalKind::Name);
        e.set_source_line(2);
        e.load_const_small_int(0);
        e.load_const_str(qq);
        e.load_const_str(r);
        e.build(2, BuildKind::Tuple);
        e.import(p, ImportKind::Name);
        e.import(qq, ImportKind::From);
        e.store_global(qq, GlobalKind::Name);
        e.import(r, ImportKind::From);
        e.store_global(r, GlobalKind::Name);
        e.pop_top();
        e.set_source_line(3);
        e.load_const_small_int(0);
        e.load_const_str(q(Q_STAR));
        e.build(1, BuildKind::Tuple);
        e.import(s, ImportKind::Name);
        e.import(Qstr::NULL, ImportKind::Star);
        e.set_source_line(4);
        e.load_const_small_int(-100000);
        e.store_global(x, GlobalKind::Name);
        e.set_source_line(5);
        e.load_const_obj(Const::Int(
            "12345678901234567890".parse::<BigInt>().unwrap(),
        ));
        e.store_global(y, GlobalKind::Name);
        e.set_source_line(6);
        e.load_const_obj(Const::Str(b"a long string not interned".to_vec()));
        e.store_global(z, GlobalKind::Name);
        e.set_source_line(7);
        e.load_global(x, GlobalKind::Name);
        e.unpack_ex(1, 1);
        e.store_global(a, GlobalKind::Name);
        e.store_global(b, GlobalKind::Name);
        e.store_global(c, GlobalKind::Name);
        e.set_source_line(8);
        e.load_global(f, GlobalKind::Name);
        e.load_global(a, GlobalKind::Name);
        e.load_global(b, GlobalKind::Name);
        e.call_function(0, 0, STAR_FLAG_SINGLE | STAR_FLAG_DOUBLE);
        e.pop_top();
        e.set_source_line(9);
        e.load_global(mm, GlobalKind::Name);
        e.setup_block(0, BlockKind::With);
        e.store_global(n, GlobalKind::Name);
        e.set_source_line(10);
        e.with_cleanup(0);
        e.end_finally();
        e.set_source_line(11);
        e.load_global(x, GlobalKind::Name);
        e.raise_varargs(1);
        module_end(e);
    });
    let rc = raw(&m);
    assert_eq!(
        rc.fun_data(),
        hex(concat!(
            "050100000000110700510129392a2725252f2c29230000ff",
            "8011685201245201",
            "801654011655015002685301695401245401695501245501 32",
            "8016050050016856016a",
            "14f9f260245701",
            "170024580117012459011b57015a8201245a0124d200245b01",
            "1b5c011b5a011bd2006500 32",
            "1b52013d0400245d01113e41",
            "1b57015c01115b"
        ))
    );
    assert_eq!(
        rc.consts,
        [
            Const::Int("12345678901234567890".parse::<BigInt>().unwrap()),
            Const::Str(b"a long string not interned".to_vec())
        ]
    );
    assert_eq!(m.stack_size, 5);
}

// def g(a):
//     yield a
//     yield from a
//     del a                 (j.py)
#[test]
fn generator_and_delete() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut g = new_scope(ScopeKind::Function, 338, 337);
    g.num_pos_args = 1;
    g.num_locals = 1;
    g.id_info = vec![id(339, IdKind::Local, 0, true)];
    let a = q(339);
    run(&mut em, &mut g, |e| {
        e.set_source_line(2);
        e.load_local(a, 0, LocalKind::Fast);
        e.yield_(YieldKind::Value);
        e.pop_top();
        e.set_source_line(3);
        e.load_local(a, 0, LocalKind::Fast);
        e.get_iter(false);
        e.load_const_tok(TokenKind::KwNone);
        e.yield_(YieldKind::From);
        e.pop_top();
        e.set_source_line(4);
        e.delete_local(a, 0, LocalKind::Fast);
        e.load_const_tok(TokenKind::KwNone);
        e.return_value();
    });
    // The emitter sets the generator flag (0x04) itself.
    assert_eq!(
        raw(&g).fun_data(),
        hex("0300040100000a520151012123250000ffb05d32b042115e322800115b")
    );
    assert_eq!(g.scope_flags, SCOPE_FLAG_GENERATOR);
}

// x = [i for i in y]
// d = {i: i for i in y}
// s = {i for i in y}        (k.py)
#[test]
fn comprehensions() {
    let mut em = BytecodeEmitter::new(false, 0);
    let (x, i, y, d, s) = (q(338), q(339), q(340), q(341), q(342));
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    m.scope_flags = SCOPE_FLAG_REFGLOBALS | SCOPE_FLAG_HASCONSTS;
    let dm = dummy();
    run(&mut em, &mut m, |e| {
        for (line, child, target) in [(1, 1, x), (2, 2, d), (3, 3, s)] {
            e.set_source_line(line);
            e.make_function(ScopeId(child), &dm, 0, 0);
            e.load_global(y, GlobalKind::Name);
            e.call_function(1, 0, 0);
            e.store_global(target, GlobalKind::Name);
        }
        module_end(e);
    });
    assert_eq!(
        raw(&m).fun_data(),
        hex("02003000000009070051012b2a0000ff60001b5401640124520160011b5401640124550160021b54016401245601115b")
    );
    assert_eq!(m.raw_code_children, [ScopeId(1), ScopeId(2), ScopeId(3)]);

    let mut comps = Vec::new();
    for (kind, name, line) in [
        (ScopeKind::ListComp, Q_LISTCOMP, 1),
        (ScopeKind::DictComp, Q_DICTCOMP, 2),
        (ScopeKind::SetComp, Q_SETCOMP, 3),
    ] {
        let mut c = new_scope(kind, name, 337);
        c.num_pos_args = 1;
        c.num_locals = 2;
        c.id_info = vec![
            id(Q_EMPTY, IdKind::Local, 0, false),
            id(339, IdKind::Local, 1, false),
        ];
        run(&mut em, &mut c, |e| {
            let build = match kind {
                ScopeKind::ListComp => BuildKind::List,
                ScopeKind::DictComp => BuildKind::Map,
                _ => BuildKind::Set,
            };
            e.build(0, build);
            e.load_local(q(Q_EMPTY), 0, LocalKind::Fast);
            e.get_iter(true);
            e.label_assign(0);
            e.for_iter(1);
            e.store_local(i, 1, LocalKind::Fast);
            if kind == ScopeKind::DictComp {
                // `i: i` is a struct node and sets its line; a bare `i` is a leaf and does not.
                e.set_source_line(line);
                e.load_local(i, 1, LocalKind::Fast);
            }
            e.load_local(i, 1, LocalKind::Fast);
            e.store_comp(kind, 5);
            e.jump(0);
            e.label_assign(1);
            e.for_iter_end();
            e.return_value();
        });
        // The comprehension's argument is not a parameter: named `*`.
        assert_eq!(raw(&c).arg_names, [q(Q_STAR)]);
        comps.push(c);
    }
    assert_eq!(
        raw(&comps[0]).fun_data(),
        hex("08000001000007c10051010000ff5100b047430700c1b1571435f67f5b")
    );
    assert_eq!(
        raw(&comps[1]).fun_data(),
        hex("09000001000008c2005101290000ff5300b047430800c1b1b1571935f57f5b")
    );
    assert_eq!(
        raw(&comps[2]).fun_data(),
        hex("08000001000007c30051010000ff5600b047430700c1b1571635f67f5b")
    );

    let mut scopes = vec![m];
    scopes.extend(comps);
    let tree = link(&mut scopes, ScopeId(0)).unwrap();
    assert_eq!(tree.children.len(), 3);
    assert_eq!(tree.children[1].fun_data()[7..9], [0xc2, 0x00]);
}

/// `x = 1` on each of `n` lines of a module.
fn many_lines(em: &mut BytecodeEmitter, n: u32) -> Scope {
    let mut m = new_scope(ScopeKind::Module, Q_MODULE, 337);
    run(em, &mut m, |e| {
        for line in 1..=n {
            e.set_source_line(line);
            e.load_const_small_int(1);
            e.store_global(q(338), GlobalKind::Name);
        }
        module_end(e);
    });
    m
}

// `x = 1` repeated 16377 times: the code-info size is 16383 (`ff 7f`, the most two bytes hold);
// one line more and mpy-cross 1.11 aborts on an assertion in emitbc.c, so the emitter refuses.
#[test]
fn code_info_size_limit() {
    let mut em = BytecodeEmitter::new(false, 0);
    let m = many_lines(&mut em, 16377);
    let rc = raw(&m);
    assert_eq!(rc.fun_data()[..15], hex("010000000000ff7f070051012524 24"));
    assert_eq!(rc.fun_data().len(), 6 + 16383 + 1 + 16377 * 4 + 2);
    assert_eq!(em.fault(), None);

    let m = many_lines(&mut em, 16378);
    assert!(m.raw_code.is_none());
    assert_eq!(em.fault(), Some(EmitFault::CodeInfoOverflow));
    assert!(link(&mut [m], ScopeId(0)).is_err());

    // The next scope is emitted normally; the emitter keeps reporting the first fault.
    let m = many_lines(&mut em, 2);
    assert_eq!(
        raw(&m).fun_data(),
        hex("01000000000008070051012500 00ff8124520181245201115b")
    );
    assert_eq!(em.fault(), Some(EmitFault::CodeInfoOverflow));
}

// A function whose 300th local is closed over: mpy-cross 1.11 aborts (`id->local_num < 255`
// in emitbc.c); the emitter refuses the scope instead of writing a truncated cell list.
#[test]
fn cell_local_limit() {
    let mut em = BytecodeEmitter::new(false, 0);
    let mut f = new_scope(ScopeKind::Function, 338, 337);
    f.num_locals = 300;
    f.id_info = (0..300u16)
        .map(|i| {
            id(
                339 + i,
                if i == 299 {
                    IdKind::Cell
                } else {
                    IdKind::Local
                },
                i,
                false,
            )
        })
        .collect();
    run(&mut em, &mut f, module_end);
    assert!(f.raw_code.is_none());
    assert_eq!(em.fault(), Some(EmitFault::CellLocalTooLarge));

    // Slot 254 is the last one allowed.
    let mut em = BytecodeEmitter::new(false, 0);
    f.id_info[254].kind = IdKind::Cell;
    f.id_info[299].kind = IdKind::Local;
    run(&mut em, &mut f, module_end);
    assert_eq!(raw(&f).fun_data()[12..], [0x00, 0x00, 254, 255, 0x11, 0x5b]);
    assert_eq!(em.fault(), None);
}

// def f(a0, a1, ..., a299):
//     return a299            (manyargs.py)
// The prelude keeps the argument count as a byte (300 -> 44) and mpy-cross saves only that many
// argument names. With a constant in the function the reference writes argument names in place
// of the constant; the emitter refuses that case.
#[test]
fn more_than_255_parameters() {
    let params = |f: &mut Scope| {
        f.num_pos_args = 300;
        f.num_locals = 300;
        f.id_info = (0..300u16)
            .map(|i| id(339 + i, IdKind::Local, i, true))
            .collect();
    };
    let mut em = BytecodeEmitter::new(false, 0);
    let mut f = new_scope(ScopeKind::Function, 338, 337);
    params(&mut f);
    run(&mut em, &mut f, |e| {
        e.set_source_line(2);
        e.load_local(q(638), 299, LocalKind::Fast);
        e.return_value();
    });
    assert_eq!(
        raw(&f).fun_data(),
        hex("822d00002c00000852015101210000ff19822b5b")
    );
    let first_44: Vec<Qstr> = (339..339 + 44).map(Qstr).collect();
    assert_eq!(raw(&f).arg_names, first_44);
    assert_eq!(em.fault(), None);

    let mut f = new_scope(ScopeKind::Function, 338, 337);
    params(&mut f);
    run(&mut em, &mut f, |e| {
        e.load_const_obj(Const::Str(b"a long string constant here".to_vec()));
        e.return_value();
    });
    assert!(f.raw_code.is_none());
    assert_eq!(em.fault(), Some(EmitFault::TooManyParameters));
}
