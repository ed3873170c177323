x = not 1
y = not 0
z = not "a"
