x = 1
z = [f"{f'{x}'}" for x in range(3)]
