def f(data):
    z = 5
    r = [y for x in data if (y := x * 2)]
    return y, r
class C:
    q = [w for v in (1,) if (w := v)]
def g():
    global G
    return [G for a in (1,) if (G := a)]
