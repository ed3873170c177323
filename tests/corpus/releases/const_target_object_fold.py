# const() of an int beyond the target's small int but within the host's: 1.19 to 1.23 fold
# it as a small int (y - y is a small 0, not a big-int object); found by the differential
# fuzzer, MicroPython 1.23, seed 11230107.
from micropython import const
A = const(0x3fffffffffffffff)
B = const(0x4000000000000000)
C = const(-0x4000000000000000)
D = const(1 << 40)
E = const((1 << 70) >> 70)
F = const(A + 1)
x = A - A
x = A ^ A
x = A & 0
x = B ^ B
x = C + 1
x = -C
x = D >> 40
x = D * 2
x = E + 1
x = F - 1
x = (A, A * A)
