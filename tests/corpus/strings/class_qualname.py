x = "__qualname__"
class C: pass
y = "__module__"
