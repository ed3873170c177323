class C:
    @micropython.native
    def m(self):
        return self
