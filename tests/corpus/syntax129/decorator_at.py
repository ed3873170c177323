@print
def f(): pass
