async with x: pass
