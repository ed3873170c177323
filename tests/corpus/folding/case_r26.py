x = 1e400j
y = -0j
z = 0j * -1
