x = 1
y = 2
print(f"{f'{x}' + f'{y}'}", f"{x}")
