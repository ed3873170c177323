from micropython import const
class K:
    A = const(7)
    _B = const(8)
    def m(self):
        return A + _B
