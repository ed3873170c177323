@micropython.native
@micropython.viper
def f():
    pass
