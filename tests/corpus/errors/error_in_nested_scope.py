def outer():
    def inner():
        class K:
            def m(self):
                nonlocal zz
