# As native_default_arch_viper_type.py: a local read before viper knows its type.
class K:
    def value(self):
        @micropython.native
        def f(p):
            __name__ %= []
        return f
