def d1(f): return f
def d2(*a):
    return lambda f: f
@d1
@d2(1, 2, k=3)
@d1
class C:
    @staticmethod
    @d1
    def s(): pass
    @property
    def p(self): return 1
    @p.setter
    def p(self, v): pass
