x = 10
a = [x for x in range(x)]
b = {x: y for x in range(3) for y in range(x) if x if y}
c = {x for x in x}
d = (x for x in x)
def f(n):
    return [lambda: i + n for i in range(n)]
def g():
    y = 1
    return [[y + z for z in range(y)] for y in range(y)]
class C:
    v = 3
    w = [v for _ in range(2)]
    u = [_ for _ in range(v)]
e = [(i, j) for i in range(3) for j in range(i) if j if i for k in [i]]
def h():
    return sum(x * x for x in range(10))
