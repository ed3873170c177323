def f():
    "doc only"
