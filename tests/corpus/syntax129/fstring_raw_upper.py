x = 1
print(F"{x}")
