from micropython import const
A = const(1, 2)
