@micropython.native
def f():
    raise X from Y
