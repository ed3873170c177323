x = 0e0
y = 0.0e-0
z = 1E+1J
