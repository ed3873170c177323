data = [1, 2]
print([y for x in data if (y := x * 2)])
