class A: pass
a = A()
a.b: int = 1
d = {}
d[0]: int = 2
