class A:
    def __init__(self):
        super().__init__()
    def m(self):
        return super().m()
    def n(self):
        def inner():
            return super()
        return inner
    def __class_access(self):
        return __class__
class B(A, object):
    x = 1
    y = [x for _ in range(3)]
    z = lambda self: x
    def m(self, a=x):
        return super(B, self).m()
class Empty: pass
class Empty2(): pass
class Nested:
    class Inner:
        class Innermost:
            def f(self):
                return super().f()
