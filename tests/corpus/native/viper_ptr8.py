@micropython.viper
def f(x: ptr8) -> int:
    return x[0]
