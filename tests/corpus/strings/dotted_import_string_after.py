import a.b.c.d.e.f.g
x = "a.b.c.d.e.f.g"
