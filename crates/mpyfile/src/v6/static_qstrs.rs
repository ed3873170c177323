//! The 165 static qstrs of `.mpy` v6 (MicroPython 1.19 to 1.29): a module's qstr table names them
//! by number (`number << 1 | 1`) instead of writing the string. Numbered from 1; the list is
//! the same in every v6 release (checked at v1.19, v1.20, v1.22, v1.23 and 1.29).

/// The static qstrs in number order: entry `i` is qstr number `i + 1`.
pub const STATIC_QSTRS: [&[u8]; 165] = [
    b"",
    b"__dir__",
    b"\n",
    b" ",
    b"*",
    b"/",
    b"<module>",
    b"_",
    b"__call__",
    b"__class__",
    b"__delitem__",
    b"__enter__",
    b"__exit__",
    b"__getattr__",
    b"__getitem__",
    b"__hash__",
    b"__init__",
    b"__int__",
    b"__iter__",
    b"__len__",
    b"__main__",
    b"__module__",
    b"__name__",
    b"__new__",
    b"__next__",
    b"__qualname__",
    b"__repr__",
    b"__setitem__",
    b"__str__",
    b"ArithmeticError",
    b"AssertionError",
    b"AttributeError",
    b"BaseException",
    b"EOFError",
    b"Ellipsis",
    b"Exception",
    b"GeneratorExit",
    b"ImportError",
    b"IndentationError",
    b"IndexError",
    b"KeyError",
    b"KeyboardInterrupt",
    b"LookupError",
    b"MemoryError",
    b"NameError",
    b"NoneType",
    b"NotImplementedError",
    b"OSError",
    b"OverflowError",
    b"RuntimeError",
    b"StopIteration",
    b"SyntaxError",
    b"SystemExit",
    b"TypeError",
    b"ValueError",
    b"ZeroDivisionError",
    b"abs",
    b"all",
    b"any",
    b"append",
    b"args",
    b"bool",
    b"builtins",
    b"bytearray",
    b"bytecode",
    b"bytes",
    b"callable",
    b"chr",
    b"classmethod",
    b"clear",
    b"close",
    b"const",
    b"copy",
    b"count",
    b"dict",
    b"dir",
    b"divmod",
    b"end",
    b"endswith",
    b"eval",
    b"exec",
    b"extend",
    b"find",
    b"format",
    b"from_bytes",
    b"get",
    b"getattr",
    b"globals",
    b"hasattr",
    b"hash",
    b"id",
    b"index",
    b"insert",
    b"int",
    b"isalpha",
    b"isdigit",
    b"isinstance",
    b"islower",
    b"isspace",
    b"issubclass",
    b"isupper",
    b"items",
    b"iter",
    b"join",
    b"key",
    b"keys",
    b"len",
    b"list",
    b"little",
    b"locals",
    b"lower",
    b"lstrip",
    b"main",
    b"map",
    b"micropython",
    b"next",
    b"object",
    b"open",
    b"ord",
    b"pop",
    b"popitem",
    b"pow",
    b"print",
    b"range",
    b"read",
    b"readinto",
    b"readline",
    b"remove",
    b"replace",
    b"repr",
    b"reverse",
    b"rfind",
    b"rindex",
    b"round",
    b"rsplit",
    b"rstrip",
    b"self",
    b"send",
    b"sep",
    b"set",
    b"setattr",
    b"setdefault",
    b"sort",
    b"sorted",
    b"split",
    b"start",
    b"startswith",
    b"staticmethod",
    b"step",
    b"stop",
    b"str",
    b"strip",
    b"sum",
    b"super",
    b"throw",
    b"to_bytes",
    b"tuple",
    b"type",
    b"update",
    b"upper",
    b"utf-8",
    b"value",
    b"values",
    b"write",
    b"zip",
];

/// The longest static qstr: a longer string is never one.
const STATIC_QSTR_LEN_MAX: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < STATIC_QSTRS.len() {
        if STATIC_QSTRS[i].len() > max {
            max = STATIC_QSTRS[i].len();
        }
        i += 1;
    }
    max
};

/// FNV-1a over the few bytes of a qstr: the index is looked up once per qstr of every module
/// written, and a keyed hash costs more than the lookup.
#[derive(Default)]
struct ShortHasher(u64);

impl std::hash::Hasher for ShortHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The static number of `s` (1 to 165), if it is a static qstr.
pub fn static_number(s: &[u8]) -> Option<usize> {
    use std::collections::HashMap;
    use std::hash::BuildHasherDefault;
    use std::sync::OnceLock;
    type Index = HashMap<&'static [u8], usize, BuildHasherDefault<ShortHasher>>;
    static INDEX: OnceLock<Index> = OnceLock::new();
    if s.len() > STATIC_QSTR_LEN_MAX {
        return None;
    }
    let index = INDEX.get_or_init(|| {
        STATIC_QSTRS
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i + 1))
            .collect()
    });
    index.get(s).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_static_qstr_has_its_number_and_no_other_string_has_one() {
        for (i, s) in STATIC_QSTRS.iter().enumerate() {
            assert_eq!(static_number(s), Some(i + 1), "{s:?}");
        }
        assert_eq!(STATIC_QSTR_LEN_MAX, 19);
        assert_eq!(static_number(b"__dir__x"), None);
        assert_eq!(static_number(b"a_name_longer_than_any_static"), None);
        assert_eq!(static_number(b"NotImplementedError"), Some(47));
    }
}
