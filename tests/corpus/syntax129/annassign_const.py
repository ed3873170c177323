from micropython import const
X: int = const(3)
_Y: int = const(4)
print(X, _Y)
