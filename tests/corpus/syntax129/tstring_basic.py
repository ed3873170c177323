x = 1
y = t"a{x}b"
