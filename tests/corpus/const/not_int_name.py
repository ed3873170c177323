from micropython import const
A = const(y)
