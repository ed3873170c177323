class C:
    "doc only"
