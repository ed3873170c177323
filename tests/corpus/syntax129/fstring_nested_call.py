d = {"a": 1}
print(f"{d['a']} {len([1, 2])} {(lambda: 3)()}")
