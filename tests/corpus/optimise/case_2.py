def f():
    assert x, y
class C:
    assert 1
