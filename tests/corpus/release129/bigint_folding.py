# 1.29's folding: a binary operation whose big-int result fits a small int gives a small
# int; a unary one leaves it a big int (-(2**62) stays an object even at 63 bits).
a = (1 << 70) >> 69
b = (1 << 70) - (1 << 70) + 5
c = -(1 << 70) // (1 << 69)
d = (1 << 70) & 7
e = 2 ** 100 % (2 ** 100 - 3)
f = (1 << 70) ^ (1 << 70)
g = 0x7fffffffffffffff - 0x7ffffffffffffff0
h = -4611686018427387904
i = -(2 ** 62)
j = ~-4611686018427387904
k = -(-4611686018427387904)
m = 0 - 2 ** 62
n = ~(0 - 2 ** 62)
p = +4611686018427387904 - 1
q = (-0x4000000000000000, 0x3fffffffffffffff, -0x40000000, 0x3fff, -0x4000)
# 0, 1 and -1 to an exponent beyond 64 bits fold too (1.29). (2 to it does not fold either,
# but mpy-cross 1.29 spends 17 s of CPU failing to, so that case is not run here.)
r = 0 ** 5133104088368422173352587196433522929
s = 1 ** 5133104088368422173352587196433522929
t = (-1) ** 5133104088368422173352587196433522929
u = (-1) ** 5133104088368422173352587196433522928
w = 0 ** 0
