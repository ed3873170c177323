x = True + 1
y = None or 1
z = True << 2
