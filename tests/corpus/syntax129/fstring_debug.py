x = 1
print(f"{x=}")
print(f"{x=!r}")
print(f"{x=:>5}")
