@micropython.native
def f():
    try:
        pass
    except:
        raise
