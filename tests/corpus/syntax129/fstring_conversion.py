x = 1
print(f"{x!r} {x!s:>4} {x:>{x}}")
