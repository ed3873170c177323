# `name := value` as a call argument: 1.13 to 1.18 compile it positionally (mpyc stopped with
# an internal error on the argument_3 node); found by the differential fuzzer, MicroPython
# 1.18, seed 11180108.
f(b := 1)
f(x, b := x + 1)
o.m(d := o, e=5)
h(*a, e := 3)
