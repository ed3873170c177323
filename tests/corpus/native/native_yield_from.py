@micropython.native
def f():
    yield from x
