a = 1 < 2 < 3
b = x < y <= z > w >= v == u != t
c = a is b is not c in d not in e
def f(): return x < f() < y
d = not a < b
