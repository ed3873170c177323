@micropython.bytecode
@micropython.native
def f():
    pass
