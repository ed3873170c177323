from micropython import const
Y = 1
X = const(Y)
