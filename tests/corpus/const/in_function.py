from micropython import const
def f():
    A = const(3)
    return A
