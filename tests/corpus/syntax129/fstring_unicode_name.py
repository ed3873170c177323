print(f"\N{DASH}")
