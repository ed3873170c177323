w = 5
x = 3
print(f"{x:{w}d}|{x:<{w}}")
