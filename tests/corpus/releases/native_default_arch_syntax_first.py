# A syntax error the scope pass finds after a native decorator: every release reports it
# (1.20 on report the decorator's `invalid arch` first, as it comes before).
def g():
    @micropython.native
    def f():
        nonlocal q
    return f
