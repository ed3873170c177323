x = b"\N{BULLET}"
