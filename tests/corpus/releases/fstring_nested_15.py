a = 1
x = f"{f'''{a}}"
'''))
print(x)
