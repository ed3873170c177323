x = 2
print("a{" f"{x}" "b" f'{x}{x}')
print(f"{x}" "{y}")
