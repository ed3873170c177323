async def f(a):
    async for x in a.m():
        async for y in a.n():
            async for z in x.p:
                print(x, y, z)
        else:
            w = 1
    async for x in a[0]:
        pass
    async for x in (a, a):
        pass
    async for x in -a:
        pass
    async for x in a if a else a:
        pass
    return w
async def g(a):
    def inner():
        return a
    async for x in inner():
        async def h():
            async for q in x.y:
                return q, a
        return h
async def many(a):
    v0 = v1 = v2 = v3 = v4 = v5 = v6 = v7 = v8 = v9 = v10 = v11 = v12 = v13 = v14 = v15 = v16 = v17 = 0
    async for x in a.b:
        pass
    async for x in a.c:
        pass
    w = v0 + v17
    return w
