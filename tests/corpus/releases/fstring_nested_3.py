x = 1
print(f"{f'{x}' f'{x!r}'}")
