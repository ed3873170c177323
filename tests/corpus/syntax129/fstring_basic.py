x = 1
print(f"a{x}b")
print(f'{x}')
