x = {}
z = f"{x!r}{f'{x}'!s}"
