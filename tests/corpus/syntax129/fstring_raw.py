x = 1
print(rf"\n{x}", fr"\t{x}")
