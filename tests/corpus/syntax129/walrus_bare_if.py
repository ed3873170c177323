if n := 10:
    print(n)
elif m := 3:
    pass
