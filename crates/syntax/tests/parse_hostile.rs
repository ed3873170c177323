//! Hostile inputs: deep nesting and huge expressions give a tree or a clean error, quickly,
//! never a stack overflow (the parser keeps its own stacks, as the reference does).

use std::time::Instant;

use mpcore::QstrPool;
use syntax::{parse, Node, ParseOptions, ParseTree, Rule};

fn parse_ok(source: &str) -> (ParseTree, QstrPool) {
    let mut pool = QstrPool::new();
    let start = Instant::now();
    let tree = match parse(source.as_bytes(), &mut pool, &ParseOptions::default()) {
        Ok(t) => t,
        Err(e) => panic!("expected a tree, got {e}"),
    };
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    (tree, pool)
}

/// The value assigned by a one-statement file `x = <value>`.
fn assigned(tree: &ParseTree) -> Node {
    let Some(Node::Struct(id)) = tree.root else {
        panic!("no struct root")
    };
    assert_eq!(tree.get(id).rule, Rule::ExprStmt);
    tree.children(id)[1]
}

#[test]
fn hundred_thousand_nested_parentheses() {
    let n = 100_000;
    let src = format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
    let (tree, _) = parse_ok(&src);
    // Parentheses around one expression vanish.
    assert_eq!(assigned(&tree), Node::SmallInt(1));
}

#[test]
fn five_thousand_nested_lists() {
    let n = 5_000;
    let src = format!("x = {}{}\n", "[".repeat(n), "]".repeat(n));
    let (tree, _) = parse_ok(&src);
    let mut node = assigned(&tree);
    let mut depth = 0;
    while let Node::Struct(id) = node {
        assert_eq!(tree.get(id).rule, Rule::AtomBracket);
        depth += 1;
        node = tree.children(id)[0];
    }
    assert_eq!((depth, node), (n, Node::Null));
}

#[test]
fn three_thousand_nested_ifs() {
    let n = 3_000;
    let mut src = String::new();
    for level in 0..n {
        src.push_str(&" ".repeat(level));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(n));
    src.push_str("pass\n");
    let (tree, _) = parse_ok(&src);
    let ifs = tree
        .structs
        .iter()
        .filter(|s| s.rule == Rule::IfStmt)
        .count();
    assert_eq!(ifs, n);
}

#[test]
fn fifty_thousand_term_expressions() {
    let n = 50_000;
    // All constants: folded to one small int.
    let src = format!("x = {}\n", vec!["1"; n].join(" + "));
    let (tree, _) = parse_ok(&src);
    assert_eq!(assigned(&tree), Node::SmallInt(n as i64));
    // Names: one arith_expr with n operands and n - 1 operators.
    let src = format!("x = {}\n", vec!["a"; n].join(" + "));
    let (tree, _) = parse_ok(&src);
    let Node::Struct(id) = assigned(&tree) else {
        panic!("struct expected")
    };
    assert_eq!(tree.get(id).rule, Rule::ArithExpr);
    assert_eq!(tree.children(id).len(), 2 * n - 1);
}

#[test]
fn other_deep_shapes() {
    let n = 50_000;
    let sources = [
        format!("x = {}y\n", "not ".repeat(n)),
        format!("x = {}y\n", "- ".repeat(n)),
        format!("x = {}1\n", "-".repeat(n)),
        format!("x = y{}\n", ".a".repeat(n)),
        format!("x = {}y{}\n", "f(".repeat(n), ")".repeat(n)),
        format!("x = {}0\n", "lambda: ".repeat(n)),
        format!("x = {}0\n", "a if b else ".repeat(n)),
        format!("x = {}0{}\n", "{1: ".repeat(n), "}".repeat(n)),
        format!("x = {}1{}\n", "a[".repeat(n), "]".repeat(n)),
        format!("x = {}\n", "y ** ".repeat(n) + "2"),
        format!("x = {}\n", vec!["a"; n].join(" < ")),
        format!("x = {}\n", vec!["a"; n].join(" or ")),
        format!("{}\n", vec!["@d"; n].join("\n") + "\ndef f(): pass"),
    ];
    for src in &sources {
        parse_ok(src);
    }
}

#[test]
fn deep_garbage_is_a_clean_error() {
    let n = 100_000;
    let sources = [
        "(".repeat(n),
        "[".repeat(n) + &")".repeat(n),
        "x = ".to_string() + &"(".repeat(n) + "1" + &")".repeat(n - 1),
        "if 1:\n".repeat(n),
    ];
    for src in &sources {
        let mut pool = QstrPool::new();
        let e = parse(src.as_bytes(), &mut pool, &ParseOptions::default())
            .expect_err("garbage must not parse");
        assert!(e.location.is_some(), "a located error: {e}");
    }
}

#[test]
fn too_many_names_is_a_memory_error() {
    // The reference fails with MemoryError already at 40,000 distinct names; past 65,535 qstrs
    // the numbers would not fit the file format, so we stop there too.
    let src: String = (0..70_000).map(|i| format!("a{i}\n")).collect();
    let mut pool = QstrPool::new();
    let e = parse(src.as_bytes(), &mut pool, &ParseOptions::default()).expect_err("too many");
    assert_eq!(
        e.render(),
        "MemoryError: memory allocation failed, more than 65535 qstrs\n"
    );
}

/// A small deterministic generator (xorshift) for the soup tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_bytes_and_token_soup_never_panic() {
    const PIECES: &[&str] = &[
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        ",",
        "=",
        "lambda",
        "not",
        "if",
        "else",
        "\n",
        " ",
        "    ",
        "\t",
        "'",
        "\"\"\"",
        "0x",
        "1e",
        "\\",
        "@",
        "*",
        "**",
        "yield",
        "const(",
        "1",
        "-",
        "~",
        "<<",
        ">>",
        "//",
        "%",
        "and",
        "or",
        "True",
        "__debug__",
        "async",
        "await",
        ".",
        "...",
        "j",
        "_X = const(3)\n",
        "x",
        "def ",
        "class ",
        "for ",
        " in ",
        "while ",
        "try:",
        "except",
        "finally",
        "with ",
        " as ",
        "import ",
        "from ",
        "return",
        "del ",
        ";",
        "#",
        "9999999999999999999999",
        "1.5",
        "b'x'",
        "'s'",
        "f(",
        "a.b",
        "global ",
        "1 << 70",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut pool = QstrPool::new();
    for _ in 0..3000 {
        let mut src = String::new();
        for _ in 0..rng.below(40) {
            src.push_str(PIECES[rng.below(PIECES.len())]);
        }
        let _ = parse(src.as_bytes(), &mut pool, &ParseOptions::default());
        let bytes: Vec<u8> = (0..rng.below(120)).map(|_| rng.next() as u8).collect();
        let _ = parse(&bytes, &mut pool, &ParseOptions::default());
    }
}
