g = 1
def f():
    global g, h
    g = 2
    h = 3
    del g
def outer():
    x = 1
    y = 2
    def inner():
        nonlocal x, y
        x += 1
        def innermost():
            nonlocal x
            x = 5
        return innermost
    def other():
        return x + y
    return inner
def only_global():
    global q
    def inner():
        return q
    return inner
class K:
    global g
    g = 5
    def m(self):
        nonlocal_ = 1
def h():
    global h
    h = None
def shadow():
    x = 1
    def a():
        global x
        x = 2
    def b():
        return x
