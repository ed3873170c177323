print(f"{'}'}")
