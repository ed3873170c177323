from micropython import const
X = const("abc")
print(X)
