print(f"{{"")
