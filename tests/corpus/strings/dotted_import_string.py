x = "a.b.c.d.e.f.g"
import a.b.c.d.e.f.g
from a.b.c.d.e.f import g
y = "a.b.c.d.e.f"
