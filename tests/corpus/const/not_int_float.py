from micropython import const
x = 1
A = const(1.5)
