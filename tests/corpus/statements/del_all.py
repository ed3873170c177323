del a
del a, b
del a.b, a[1], a[1:2], a[::3]
del (a, b), [c, d]
del (a), [b]
del a.b.c[d](e).f
def f():
    x = 1
    del x
    def g():
        nonlocal y
        del y
    y = 2
    global z
    del z
class C:
    x = 1
    del x
