from micropython import const
_X = const(123)
_Y = const(_X << 4)
y = _Y + _X
