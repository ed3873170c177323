x = 1
print(f"a{x}" f"{f'{x}':>5}")
