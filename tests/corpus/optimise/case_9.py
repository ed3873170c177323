x = __debug__ and 1 or 2
