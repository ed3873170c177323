print([x := 1, x])
print((y := 2, y))
