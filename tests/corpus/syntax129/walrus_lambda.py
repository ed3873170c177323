print((lambda: (y := 1))())
