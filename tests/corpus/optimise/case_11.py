def g():
    assert (yield), (yield)
