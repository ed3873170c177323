def f(a: int = 1, *b: str, c: int, **d: float) -> None:
    pass
