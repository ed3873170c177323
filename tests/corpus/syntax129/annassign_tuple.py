x: int = 1, 2
