from micropython import const
X = const(None)
