x = 1
print(f"{x")
y = 2
