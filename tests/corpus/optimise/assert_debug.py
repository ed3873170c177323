assert 1
assert x, "message"
if __debug__:
    print("debug")
print(__debug__)
x = not __debug__
def f():
    assert f
    return __debug__
