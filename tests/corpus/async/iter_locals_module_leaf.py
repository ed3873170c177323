async for x in y:
    pass
async for x in "s":
    pass
async for x in None:
    pass
async for x in 184:
    pass
