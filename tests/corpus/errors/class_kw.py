class C(metaclass=M, x=1): pass
