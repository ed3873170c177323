async def f(a, b):
    u = []
    async for x in a.m():
        u.append(x)
    c = 1
    async for y in b.n():
        u.append(y)
    d = 2
    return c, d
