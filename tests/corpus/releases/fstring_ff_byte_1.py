x = 1
y = f'{ÿ}' + f'{x}{ÿ!r:>4}'
print(y)
