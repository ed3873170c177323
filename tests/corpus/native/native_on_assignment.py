@micropython.native
f = 1
