def f():
    return 0
while (x := f()):
    pass
