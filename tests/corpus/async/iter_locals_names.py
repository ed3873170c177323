async def f(a, n):
    async for x in a:
        pass
    async for x in n:
        pass
    async for x in z:
        pass
    return z, a
async def g():
    async for x in "u":
        pass
    async for x in b"v":
        pass
    async for x in "a string far too long to be interned":
        pass
    return u, v
async def h(self):
    async for x in self:
        pass
    return self
