x: int = 3
y: "str"
z: list[int] = []
