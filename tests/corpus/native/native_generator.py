@micropython.native
def g():
    yield 1
