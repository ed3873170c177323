# A unary operation on a big int leaves a big int even where the value would fit a small
# one, and a further unary operation reads it back as a big int: in 1.24 on (where binary
# operations make such results small) `~+~-(2**62)` is a constant object, not a small int.
# Found by the differential fuzzer (seed 17202, 1.29, -msmall-int-bits=63).
a = ~(+(~(-4611686018427387904)))
b = -(-4611686018427387904)
c = ~-4611686018427387904
d = +-4611686018427387904
e = --4611686018427387904
f = ~~4611686018427387904
g = -(-(4611686018427387904)) - 1
h = ~(-4611686018427387904) + 0
i = (~-4611686018427387904) * 1
j = -(1 << 62)
k = ~~(1 << 70) >> 60
m = -(-9223372036854775808)
n = ~-9223372036854775809
print(a, b, c, d, e, f, g, h, i, j, k, m, n)
