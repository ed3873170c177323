a, *b = c
*a, b = c
a, *b, c = d
[a, *b] = c
(a, *b), *c = d
for a, *b in c: pass
a = *b, c = d
x, = y
[x] = y
(x) = y
a, b = b, a
a, b, c = c, b, a
a = b = c = 1
a[0], a.b, *a[1:2] = x
