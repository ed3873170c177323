a = 1j
b = 0j
c = 1.5j
d = 1e308j
e = 3 + 4j
f = -1j
g = 1J
h = (1+2j) * (3-4j)
