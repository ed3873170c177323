import micropython
@micropython.bytecode
def f(x):
    return x + 1
