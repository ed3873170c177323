from micropython import const
A = const(1)
A = const(2)
print(A)
