def f(a, b,): pass
def g(*a,): pass
