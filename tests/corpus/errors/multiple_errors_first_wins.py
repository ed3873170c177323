def f(a, a):
    return
return 2
