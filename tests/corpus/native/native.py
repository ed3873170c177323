import micropython
@micropython.native
def f(x):
    return x * 2
