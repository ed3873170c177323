A = const(4)
print(A)
