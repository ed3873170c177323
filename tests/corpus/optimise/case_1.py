def f():
    assert x
