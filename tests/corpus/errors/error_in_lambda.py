f = lambda: (yield)
g = lambda: nonlocal_x
h = lambda a, a: 1
