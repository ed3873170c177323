f = lambda: 0
g = lambda a, b=1, *c, d, e=2, **f: (a, b, c, d, e, f)
h = lambda a=lambda b=1: b: a
i = lambda *, k: k
j = lambda *a: a
k = lambda **kw: kw
def outer(x):
    return lambda y=x: lambda z=y: x + y + z
l = [lambda i=i: i for i in range(3)]
