# In 1.29 an int beyond the target's small int is a constant object carrying its own line,
# so a call spread over lines records the line of each such literal; a folded one (a
# negative literal, an expression) carries no line.
def f():
    g(1,
      0xFFFFFFFF)
    g(2,
      -0xFFFFFFFF)
    g(3,
      0x7fffffff, -0x80000000,
      2 ** 40)
    h = [0, 10,
         1234567890, 1262304000,]
    g(4,
      0x4000,
      0x40000000,
      0x4000000000000000,
      123456789012345678901234567890)
    return h
