print(x := 5, x)
print(f(a := 1)) if 0 else 0
