def f(a, b=1, *args, c, d=2, e, **kwargs): return a
def g(*, a): return a
def h(*, a=1, b=2): pass
def i(a, *, b, **c): pass
f(1, 2, 3, c=4, e=5, z=6)
f(*x, *y, c=1, **z)
f(**x, c=1)
f(1, *x, 2, *y, k=1, **z, **w)
f(a for a in b)
f(k=v for v in b) if 0 else 0
