@micropython.viper
def ops(x: int, y: int) -> int:
    a = x << y
    b = x >> y
    c = (x | y) ^ (x & y)
    d = x * y - a
    e = x < y
    f = x >= y
    return a + b + c + d + int(e) + int(f)

@micropython.viper
def mem(p: ptr8, q: ptr16, r: ptr32, i: int) -> int:
    p[1] = p[i]
    q[2] = q[i]
    r[3] = r[i]
    p[i] = 5
    r[i] = 7
    return p[0] + q[5] + r[31]
