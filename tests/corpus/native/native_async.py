@micropython.native
async def f():
    await x
