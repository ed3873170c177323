def g():
    x: int = yield
