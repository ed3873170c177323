from micropython import const
BIG = const(123456789012345678901234567890)
_SMALL = const(0x3fffffff)
x = BIG + _SMALL
y = -BIG
