async def f():
    pass
async for x in f().g:
    pass
