x = [__debug__ for _ in y]
