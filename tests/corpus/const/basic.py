from micropython import const
A = const(1)
_B = const(2)
C = const(A + _B * 3)
print(A, _B, C)
def f():
    return _B + C
