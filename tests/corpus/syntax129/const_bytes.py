from micropython import const
X = const(b"ab")
