@micropython.native
class C:
    pass
