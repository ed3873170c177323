# A native decorator without -march: mpy-cross 1.11 to 1.19 default to the host's arch (x64)
# and compile it (here the native emitter refuses the yield: `NotImplementedError: native
# yield`); 1.20 on have no arch without -march (`SyntaxError: invalid arch`).
@micropython.viper
def f():
    yield 1
