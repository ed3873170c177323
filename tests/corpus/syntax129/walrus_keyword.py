def f(a): pass
f(a=1)
f(a:=1)
