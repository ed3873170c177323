with a, b as c, d as (e, f), g as h.i, j as k[0]:
    pass
with a as [x, *y]:
    pass
def f():
    with a as b, c as d:
        return b
