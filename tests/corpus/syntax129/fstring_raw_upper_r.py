x = 1
print(Rf"{x}")
