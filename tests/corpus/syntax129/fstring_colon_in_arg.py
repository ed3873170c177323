d = {}
print(f"{d[1:2]}")
