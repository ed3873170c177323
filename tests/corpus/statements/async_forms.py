async def f(a, *b, **c):
    await a
    x = await b
    async for i in a:
        await i
    else:
        pass
    async with a as x, b as (y, z):
        pass
    async with a:
        return
    return await c
async def g():
    async for x in y:
        break
    async with a:
        continue_ = 1
class C:
    async def m(self):
        await self
async def gen():
    yield 1
    await x
