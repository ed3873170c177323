def g1():
    x = yield
    y = yield x
    yield from y
    return (yield)
def g2():
    f((yield), (yield 1))
    a[(yield)] = yield
    lambda: (yield)
    while (yield): pass
def g3():
    try:
        yield 1
    finally:
        yield 2
def g4():
    with (yield) as x:
        yield x
def g5():
    return [(yield) for _ in range(2)] if 0 else 1
