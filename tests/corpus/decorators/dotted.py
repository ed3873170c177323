import a
@a.b.c.d
def f(): pass
@a.b(1).c
def g(): pass
