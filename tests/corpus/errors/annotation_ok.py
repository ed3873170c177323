def f(x: int, *a: b, **k: c) -> d: pass
