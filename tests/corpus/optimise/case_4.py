if not __debug__:
    x = 1
else:
    y = 2
