from micropython import const
X = const(1.5)
print(X)
