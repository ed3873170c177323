x = 1
print(f"{x}".upper())
print(f"{x}"[0])
