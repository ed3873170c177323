def f(a):
    async for x in a.b():
        yield x
    async for x in a.c():
        yield x
lambda: 0
class C:
    async def m(self):
        async for x in self.it():
            async for y in self.it():
                pass
        return x, y
