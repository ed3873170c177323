a = x[1:2], x[:], x[::], x[1:], x[:2], x[::3], x[1:2:3], x[a, b], x[1:2, 3]
b = {}, {1: 2}, {1, 2}, [], [1], (), (1,), {**a}, {**a, 1: 2}, [*a, *b], (*a,)
c = f(a)(b)[c].d
d = -a, +a, ~a, not a
e = a ** -b, -a ** b, a ** b ** c
f = a if b else c if d else e
g = (yield_ := 1) if 0 else 0
h = None, True, False, ...
i = a.__class__
j = x @ y if 0 else 0
