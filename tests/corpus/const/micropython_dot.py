import micropython
A = micropython.const(5)
B = micropython.const(A * 2)
x = A + B
