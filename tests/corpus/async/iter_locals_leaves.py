async def consts():
    async for x in None:
        pass
    async for x in True:
        pass
    async for x in False:
        pass
    async for x in ...:
        pass
    async for x in __debug__:
        pass
    return __getattr__
async def ints():
    async for x in 0:
        pass
    async for x in 7:
        pass
    async for x in 8:
        pass
    async for x in 184:
        pass
    async for x in -1:
        pass
    async for x in -1:
        pass
    async for x in -8:
        pass
    async for x in 600000:
        pass
    async for x in 600000:
        pass
    async for x in 4611686018427387903:
        pass
    async for x in -4611686018427387904:
        pass
    async for x in 2**40:
        pass
    async for x in 1 << 62:
        pass
    async for x in 10**30:
        pass
    async for x in 1.5:
        pass
    async for x in 2j:
        pass
    return __name__
