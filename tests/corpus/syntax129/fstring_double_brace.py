print(f"{{}} {{x}}")
print(f"{{{1}}}")
